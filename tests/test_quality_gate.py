"""Quality gate: ingest the seed corpus, score it against the gold keys, compare with the floors.

The floors live in ``tests/quality_floors.toml`` (reviewed; raised by every
issue that improves a score, never lowered; a metric without a line has floor
0). Record new floors with
``minutes evaluate --gold ../shared/gold --db DB --write-floors tests/quality_floors.toml``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from extract.evaluate import EvalResult, check_floors, evaluate, format_table, read_floors

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
SEEDS = SHARED / "corpus" / "seeds"
GOLD = SHARED / "gold"
FLOORS = Path(__file__).resolve().parent / "quality_floors.toml"

pytestmark = pytest.mark.shared

if not (SEEDS.is_dir() and GOLD.is_dir()):
    pytest.skip(f"../shared not present: need {SEEDS} and {GOLD}", allow_module_level=True)


@pytest.fixture(scope="module")
def seed_result(tmp_path_factory: pytest.TempPathFactory) -> EvalResult:
    """Ingest the seeds through the real CLI into a scratch database and score it."""
    try:
        from extract.cli import cli
    except ImportError as exc:
        pytest.fail(f"the quality gate needs the `minutes` CLI (extract.cli): {exc}")
    db_path = tmp_path_factory.mktemp("gate") / "seeds.db"
    run = CliRunner().invoke(cli, ["ingest", str(SEEDS), "--db", str(db_path)])
    assert run.exit_code == 0, f"`minutes ingest` failed:\n{run.output}\n{run.exception!r}"
    return evaluate(db_path, GOLD)


def test_every_gold_document_was_ingested(seed_result: EvalResult) -> None:
    missing = [d.document for d in seed_result.documents if not d.found]
    assert not missing, f"seed documents not in the database: {missing}"


def test_scores_meet_their_floors(seed_result: EvalResult) -> None:
    if not FLOORS.is_file():
        pytest.fail(
            f"{FLOORS.name} is missing; create it with "
            "`minutes evaluate --gold ../shared/gold --db DB --write-floors tests/quality_floors.toml`"
        )
    failures = check_floors(seed_result, read_floors(FLOORS))
    assert not failures, (
        "quality below the floors:\n  " + "\n  ".join(failures) + "\n\n" + format_table(seed_result)
    )
