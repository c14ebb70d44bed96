"""Quality gate on the demo corpus, scored against its own answer key.

The demo corpus (corpus/documents) and its key (corpus/expected.json) were
written apart from the extraction rules, so this gate is a held-out check that
the rules fit the genre rather than the seeds' wording. It needs nothing from
../shared, so it always runs. Floors: tests/quality_floors_demo.toml (raised,
never lowered).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.evaluate import check_floors, evaluate, format_table, read_floors

REPO = Path(__file__).resolve().parents[1]
KEY = REPO / "corpus" / "expected.json"
FLOORS = Path(__file__).resolve().parent / "quality_floors_demo.toml"


@pytest.fixture(scope="module")
def demo_result(demo_db):
    return evaluate(demo_db, KEY)


def test_every_demo_document_was_scored(demo_result):
    assert all(d.found for d in demo_result.documents)
    assert len(demo_result.documents) >= 6


def test_demo_scores_meet_their_floors(demo_result):
    failures = check_floors(demo_result, read_floors(FLOORS))
    assert not failures, "quality below the floors:\n  " + "\n  ".join(failures) + "\n\n" + format_table(demo_result)
