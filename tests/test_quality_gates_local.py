"""Quality gates on the project's own corpora, scored against their answer keys.

Both corpora were written apart from the extraction rules, so they are the
held-out check that the rules fit the genre rather than the seeds' wording:
- the demo corpus (corpus/documents, key corpus/expected.json): a fictional
  council's ModernGov minutes, report and strategy PDFs;
- the held-out corpus (tests/fixtures/heldout): printed county minutes,
  district minutes with an action log, a police and crime panel report, US
  city council minutes, a strategy PDF, narrative minutes, an agenda.
They need nothing from ../shared, so these gates always run. Floors live in
tests/quality_floors_<name>.toml and are raised, never lowered.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_minutes

from extract.evaluate import check_floors, evaluate, format_table, read_floors

REPO = Path(__file__).resolve().parents[1]
TESTS = REPO / "tests"

CORPORA = {
    "demo": (REPO / "corpus" / "documents", REPO / "corpus" / "expected.json"),
    "heldout": (TESTS / "fixtures" / "heldout" / "documents", TESTS / "fixtures" / "heldout" / "expected.json"),
}


@pytest.fixture(scope="module", params=sorted(CORPORA))
def scored(request, tmp_path_factory):
    name = request.param
    documents, key = CORPORA[name]
    db = tmp_path_factory.mktemp(f"gate-{name}") / "minutes.db"
    run_minutes("ingest", str(documents), "--db", str(db), "--quiet")
    return name, evaluate(db, key)


def test_every_keyed_document_was_scored(scored):
    name, result = scored
    missing = [d.document for d in result.documents if not d.found]
    assert not missing, f"{name}: documents of the key not ingested: {missing}"


def test_scores_meet_their_floors(scored):
    name, result = scored
    floors = read_floors(TESTS / f"quality_floors_{name}.toml")
    failures = check_floors(result, floors)
    assert not failures, f"{name}: quality below the floors:\n  " + "\n  ".join(failures) + "\n\n" + format_table(result)
