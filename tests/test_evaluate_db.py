"""evaluate() reads the contract tables and gold keys and gets the numbers exactly right.

The database and keys are built here (fictional North Vale Licensing Panel);
every count below is worked out by hand in the comments.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner

from extract.evaluate import (
    EvaluationError,
    check_floors,
    evaluate,
    format_errors,
    format_table,
    read_floors,
    to_json,
    write_floors,
)
from extract.evaluate.cli import evaluate_command

DOC = "north-vale-licensing-panel-minutes.txt"
MISSING_DOC = "north-vale-annual-report.txt"


def _build_db(path: Path, *, with_targets: bool = True) -> None:
    db = sqlite_utils.Database(path)
    db["documents"].insert_all(
        [
            {
                "id": "d1",
                "source": f"in/{DOC}",
                "filename": DOC,
                "format": "text",
                "kind": "minutes",
                "title": "Licensing Panel",
                "meeting_id": "m1",
                "pages": None,
                "text": "...",
                "status": "ok",
                "error": None,
                "ingested_at": "2024-05-01T10:00:00",
            },
            {
                "id": "d2",
                "source": "in/other.txt",
                "filename": "other.txt",
                "format": "text",
                "kind": "report",
                "title": "Other",
                "meeting_id": None,
                "pages": None,
                "text": "...",
                "status": "ok",
                "error": None,
                "ingested_at": "2024-05-01T10:00:00",
            },
        ],
        pk="id",
    )
    db["people"].insert_all(
        [
            {
                "id": "p1",
                "name": "Jane Hale",
                "honorific": "Councillor",
                "first_name": "Jane",
                "surname": "Hale",
                "role": "Chair of the Licensing Panel",
                "organisation": None,
            },
            {
                "id": "p2",
                "name": "Robert Okoro",
                "honorific": "Mr",
                "first_name": "Robert",
                "surname": "Okoro",
                "role": None,
                "organisation": None,
            },
            {
                "id": "p3",
                "name": "Sam Price",
                "honorific": None,
                "first_name": "Sam",
                "surname": "Price",
                "role": None,
                "organisation": None,
            },
            # no first_name column value and a title in the name: first name is read as missing
            {
                "id": "p4",
                "name": "Mr Ad\u00e9",
                "honorific": "Mr",
                "first_name": None,
                "surname": None,
                "role": None,
                "organisation": None,
            },
        ],
        pk="id",
    )
    db["mentions"].insert_all(
        [
            {
                "id": "x1",
                "person_id": "p1",
                "document_id": "d1",
                "meeting_id": "m1",
                "sentence": "s",
                "start": 0,
                "end": 1,
                "page": None,
            },
            {
                "id": "x2",
                "person_id": "p1",
                "document_id": "d1",
                "meeting_id": "m1",
                "sentence": "s",
                "start": 5,
                "end": 6,
                "page": None,
            },
            {
                "id": "x3",
                "person_id": "p2",
                "document_id": "d1",
                "meeting_id": "m1",
                "sentence": "s",
                "start": 9,
                "end": 9,
                "page": None,
            },
            {
                "id": "x4",
                "person_id": "p4",
                "document_id": "d1",
                "meeting_id": "m1",
                "sentence": "s",
                "start": 12,
                "end": 14,
                "page": None,
            },
            {
                "id": "x5",
                "person_id": "p3",
                "document_id": "d2",
                "meeting_id": None,
                "sentence": "s",
                "start": 0,
                "end": 1,
                "page": None,
            },
        ],
        pk="id",
    )
    action = {
        "meeting_id": "m1",
        "document_id": "d1",
        "agenda_item_id": None,
        "status": "open",
        "page": None,
        "due_date": None,
    }
    db["actions"].insert_all(
        [
            {
                **action,
                "id": "a1",
                "kind": "commitment",
                "owner_text": "the Chair",
                "owner_id": "p1",
                "description": "write to the operator",
                "due_text": "next meeting",
                "sentence": "Councillor  Hale agreed to write to the operator before the next meeting.",
            },
            # the same action stored twice: one tp, one fp
            {
                **action,
                "id": "a2",
                "kind": "commitment",
                "owner_text": "Councillor Hale",
                "owner_id": None,
                "description": "write to the operator",
                "due_text": None,
                "sentence": "Councillor Hale agreed to write to the operator before the next meeting.",
            },
            {
                **action,
                "id": "a3",
                "kind": "action",
                "owner_text": "Mr Okoro",
                "owner_id": None,
                "description": "circulate enforcement figures",
                "due_text": "June",
                "sentence": "Action: Mr Okoro",
            },
            {
                **action,
                "id": "a9",
                "document_id": "d2",
                "kind": "action",
                "owner_text": "Sam Price",
                "owner_id": "p3",
                "description": "anything",
                "due_text": None,
                "sentence": "Action: Sam Price",
            },
        ],
        pk="id",
    )
    dec = {"meeting_id": "m1", "document_id": "d1", "agenda_item_id": None, "page": None}
    db["decisions"].insert_all(
        [
            {
                **dec,
                "id": "c1",
                "kind": "resolved",
                "text": "That the minutes of the meeting held on 3 May be approved as a correct record.",
                "sentence": "RESOLVED \u2013 That the minutes of the meeting held on 3 May be approved as a correct record.",
            },
            {
                **dec,
                "id": "c2",
                "kind": "agreed",
                "text": "noted the enforcement update",
                "sentence": "The Panel noted the enforcement update.",
            },
        ],
        pk="id",
    )
    fig = {"document_id": "d1", "meeting_id": "m1", "period": None, "page": None}
    db["figures"].insert_all(
        [
            {
                **fig,
                "id": "f1",
                "value": 40.0,
                "unit": "percent",
                "raw": "40%",
                "metric": "complaints about noise",
                "direction": "increase",
                "sentence": "There had been a 40% increase in complaints about noise.",
            },
            {
                **fig,
                "id": "f2",
                "value": 12.0,
                "unit": "count",
                "raw": "12",
                "metric": "visits",
                "direction": "increase",
                "sentence": "In May,  12 premises were inspected.",
            },
            {
                **fig,
                "id": "f3",
                "value": 5.0,
                "unit": "count",
                "raw": "5th",
                "metric": "position",
                "direction": None,
                "sentence": "North Vale was 5th of the 12 districts.",
            },
            {
                **fig,
                "id": "f9",
                "document_id": "d2",
                "value": 40.0,
                "unit": "percent",
                "raw": "40%",
                "metric": "x",
                "direction": None,
                "sentence": "a 40% increase in complaints",
            },
        ],
        pk="id",
    )
    if with_targets:
        db["targets"].insert_all(
            [
                {
                    "id": "t1",
                    "document_id": "d1",
                    "metric": "noise complaints",
                    "direction": "reach",
                    "amount": 10.0,
                    "amount_unit": "percent",
                    "baseline_value": 200.0,
                    "baseline_text": "200",
                    "period": "by 2026",
                    "start_date": None,
                    "end_date": None,
                    "page": None,
                    "sentence": "Reduce noise complaints by 10% by 2026 (baseline 200).",
                },
            ],
            pk="id",
        )


GOLD = {
    "document": DOC,
    "kind": "minutes",
    "meeting": {"body": "Licensing Panel", "date": None},
    "people": [
        {
            "name": "Jane Hale",
            "surname": "Hale",
            "honorific": "Councillor",
            "role": "Chair of the Licensing Panel",
            "organisation": None,
        },
        {"name": "Anita Okoro", "surname": "Okoro", "honorific": "Ms", "role": None, "organisation": None},
        {"name": "Sam Price", "surname": "Price", "honorific": None, "role": None, "organisation": None},
        {
            "name": "Tunde Ade",
            "surname": "Ade",
            "honorific": "Mr",
            "role": "Licensing Manager",
            "organisation": None,
        },
    ],
    "actions": [
        {
            "owner": "Hale",
            "kind": "commitment",
            "description": "write to the operator",
            "due": "the next meeting",
            "evidence": "Councillor Hale agreed to write to the operator",
        },
        {
            "owner": "Okoro",
            "kind": "action",
            "description": "circulate the enforcement figures",
            "due": None,
            "evidence": "Mr Okoro would circulate the enforcement figures",
        },
    ],
    "decisions": [
        {
            "kind": "resolved",
            "evidence": "That the minutes of the meeting held on 3 May be approved as a correct record",
        },
        {"kind": "noted", "evidence": "The Panel noted the enforcement update"},
    ],
    "figures": [
        {
            "value": 40,
            "unit": "percent",
            "metric": "complaints about noise",
            "direction": "increase",
            "period": None,
            "evidence": "a 40% increase in complaints",
        },
        {
            "value": 12,
            "unit": "count",
            "metric": "premises inspected",
            "direction": None,
            "period": "May",
            "evidence": "12 premises were inspected",
        },
        {
            "value": 5,
            "unit": "rank",
            "metric": "position among districts",
            "direction": None,
            "period": None,
            "evidence": "North Vale was 5th of the 12 districts",
        },
    ],
    "targets": [
        {
            "metric": "noise complaints",
            "direction": "reduce",
            "amount": 10,
            "amount_unit": "percent",
            "baseline": 200,
            "period": "by 2026",
            "evidence": "Reduce noise complaints by 10% by 2026",
        },
    ],
    "notes": ["ignored by the scorer"],
}

GOLD_MISSING = {
    "document": MISSING_DOC,
    "kind": "report",
    "meeting": {"body": None, "date": None},
    "people": [
        {"name": "Ola Brown", "surname": "Brown", "honorific": None, "role": None, "organisation": None}
    ],
    "actions": [],
    "decisions": [],
    "figures": [
        {
            "value": 3,
            "unit": "count",
            "metric": "parks",
            "direction": None,
            "period": None,
            "evidence": "3 parks",
        }
    ],
    "targets": [],
}


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, Path]:
    db_path = tmp_path / "archive.db"
    _build_db(db_path)
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    (gold_dir / "north-vale-licensing-panel-minutes.json").write_text(json.dumps(GOLD), encoding="utf-8")
    (gold_dir / "north-vale-annual-report.json").write_text(json.dumps(GOLD_MISSING), encoding="utf-8")
    return db_path, gold_dir


# family: (tp, fp, fn)
EXPECTED_COUNTS = {
    # Hale and Ade match (Mr Adé: accents ignored, no first name); Robert vs Anita Okoro: fp + fn;
    # Sam Price is only mentioned in another document: fn; Ola Brown's document is missing: fn
    "people": (2, 1, 3),
    # Hale via sentence containment (a1; a2 duplicate = fp); Okoro via description overlap
    "actions": (2, 1, 0),
    # resolved matches; "noted" stored as "agreed": fp + fn
    "decisions": (1, 1, 1),
    # 40% and 12 match; 5 stored as count (gold rank): fp + fn; 3 parks missing doc: fn;
    # the figure of document d2 is not counted
    "figures": (2, 1, 2),
    "targets": (1, 0, 0),
}

# attribute: (correct, total)
EXPECTED_ATTRIBUTES = {
    "person_role": (1, 2),  # Hale right; Ade has no stored role; Ade/Okoro null gold roles are not scored
    "figure_metric": (1, 2),  # "visits" does not cover "premises inspected"
    "figure_direction": (1, 2),  # 12 premises: gold null, stored increase
    "action_owner_resolved": (1, 2),  # a1 has owner_id, a3 does not
    "action_due": (1, 2),  # "next meeting" overlaps "the next meeting"; gold null vs stored "June"
    "target_direction": (0, 1),  # reduce vs reach
}


def test_counts_exact(setup):
    result = evaluate(*setup)
    assert {f: (s.tp, s.fp, s.fn) for f, s in result.families.items()} == EXPECTED_COUNTS
    assert {a: (s.correct, s.total) for a, s in result.attributes.items()} == EXPECTED_ATTRIBUTES


def test_ratios_exact(setup):
    metrics = evaluate(*setup).metrics()
    assert metrics["people.precision"] == pytest.approx(2 / 3)
    assert metrics["people.recall"] == pytest.approx(2 / 5)
    assert metrics["people.f1"] == pytest.approx(0.5)
    assert metrics["figures.f1"] == pytest.approx(4 / 7)
    assert metrics["targets.f1"] == pytest.approx(1.0)
    assert metrics["targets.direction_accuracy"] == 0.0
    assert metrics["actions.due_accuracy"] == pytest.approx(0.5)


def test_documents_and_errors(setup):
    result = evaluate(*setup)
    by_doc = {d.document: d for d in result.documents}
    assert by_doc[DOC].found and by_doc[DOC].document_id == "d1"
    assert not by_doc[MISSING_DOC].found
    assert any(MISSING_DOC in w for w in result.warnings)
    errs = {(e.family, e.kind, " ".join(e.text.split())) for e in by_doc[DOC].errors}
    assert ("people", "miss", "Anita Okoro") in errs
    assert ("people", "false_positive", "Robert Okoro") in errs
    assert ("decisions", "miss", "The Panel noted the enforcement update") in errs
    assert ("decisions", "false_positive", "The Panel noted the enforcement update.") in errs
    assert ("figures", "false_positive", "North Vale was 5th of the 12 districts.") in errs
    assert ("targets", "attribute", "Reduce noise complaints by 10% by 2026") in errs
    assert {(e.family, e.kind) for e in by_doc[MISSING_DOC].errors} == {
        ("people", "miss"),
        ("figures", "miss"),
    }

    # grouped by document: each section lists only its own document's errors
    sections = {s.split("\n", 1)[0].split()[0]: s for s in format_errors(result).split("== ")[1:]}
    assert "Anita Okoro" in sections[DOC] and "Ola Brown" not in sections[DOC]
    assert "Ola Brown" in sections[MISSING_DOC] and "NOT IN DATABASE" in sections[MISSING_DOC]


def test_format_table_is_aligned(setup):
    table = format_table(evaluate(*setup))
    lines = table.splitlines()
    family_rows = [line for line in lines if line.split(" ")[0] in EXPECTED_COUNTS]
    assert len(family_rows) == 5
    assert len({len(r) for r in family_rows}) == 1  # right-aligned columns end together
    people = next(r for r in family_rows if r.startswith("people")).split()
    assert people == ["people", "0.667", "0.400", "0.500", "2", "1", "3"]
    assert any(line.startswith("target direction") and "0.000" in line for line in lines)
    assert "2 gold documents, 1 found in the database" in table


def test_to_json_round_trips(setup):
    data = json.loads(json.dumps(to_json(evaluate(*setup))))
    assert data["families"]["actions"] == {
        "tp": 2,
        "fp": 1,
        "fn": 0,
        "precision": 2 / 3,
        "recall": 1.0,
        "f1": 0.8,
    }
    assert data["attributes"]["person_role"] == {"correct": 1, "total": 2, "accuracy": 0.5}
    assert data["documents_found"] == 1
    assert data["metrics"]["decisions.f1"] == pytest.approx(0.5)


def test_missing_table_is_a_warning_not_a_crash(tmp_path, setup):
    _, gold_dir = setup
    db_path = tmp_path / "no-targets.db"
    _build_db(db_path, with_targets=False)
    result = evaluate(db_path, gold_dir)
    assert (result.families["targets"].tp, result.families["targets"].fn) == (0, 1)
    assert any("'targets' is missing" in w for w in result.warnings)


@pytest.mark.parametrize("which", ["db", "gold", "empty_gold", "bad_key"])
def test_clear_errors(tmp_path, setup, which):
    db_path, gold_dir = setup
    if which == "db":
        db_path = tmp_path / "nope.db"
    elif which == "gold":
        gold_dir = tmp_path / "nope"
    elif which == "empty_gold":
        gold_dir = tmp_path / "empty"
        gold_dir.mkdir()
    else:
        (gold_dir / "broken.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(EvaluationError, match=r"nope|no \*\.json|broken\.json"):
        evaluate(db_path, gold_dir)


def test_floors_write_raise_only_and_check(tmp_path, setup):
    result = evaluate(*setup)
    floors_path = tmp_path / "floors.toml"
    floors_path.write_text("[people]\nf1 = 0.9\nprecision = 0.1\n", encoding="utf-8")
    written = write_floors(result, floors_path)
    floors = read_floors(floors_path)
    assert floors == written
    assert floors["people.f1"] == 0.9  # never lowered
    assert floors["people.precision"] == 0.1  # hand-added key kept
    assert floors["figures.f1"] == 0.5714  # 4/7 rounded down
    assert floors["targets.direction_accuracy"] == 0.0
    failures = check_floors(result, floors)
    assert failures == ["people.f1: 0.5000 is below its floor 0.9000"]
    assert check_floors(result, {"people.fl": 0.1})[0].startswith("people.fl: floor 0.1 names no metric")


def test_cli(setup, tmp_path):
    db_path, gold_dir = setup
    runner = CliRunner()
    out_json = tmp_path / "eval.json"
    res = runner.invoke(
        evaluate_command,
        ["--gold", str(gold_dir), "--db", str(db_path), "--json", str(out_json), "--show-errors"],
    )
    assert res.exit_code == 0, res.output
    assert "Anita Okoro" in res.output and "precision" in res.output
    assert json.loads(out_json.read_text())["families"]["targets"]["tp"] == 1

    res = runner.invoke(evaluate_command, ["--gold", str(gold_dir), "--db", str(db_path), "--json", "-"])
    assert res.exit_code == 0
    assert json.loads(res.stdout)["documents_total"] == 2

    res = runner.invoke(evaluate_command, ["--gold", str(gold_dir), "--db", str(tmp_path / "absent.db")])
    assert res.exit_code == 2 and "does not exist" in res.output
    res = runner.invoke(evaluate_command, ["--gold", str(tmp_path / "absent"), "--db", str(db_path)])
    assert res.exit_code == 2 and "gold directory" in res.output

    res = runner.invoke(evaluate_command, ["--help"])
    assert res.exit_code == 0 and "Examples:" in res.output and "--show-errors" in res.output


# ------------------------------------------------------------------ real keys

SHARED_GOLD = Path(__file__).resolve().parents[1] / ".." / "shared" / "gold"


def _db_from_gold(path: Path, keys: list[dict]) -> None:
    """Store each key's items as if the pipeline had found exactly them (evidence as the sentence)."""
    db = sqlite_utils.Database(path)
    docs, people, mentions, actions, decisions, figures, targets = [], {}, [], [], [], [], []
    for d, key in enumerate(keys):
        doc_id = f"d{d}"
        docs.append({"id": doc_id, "filename": key["document"], "ingested_at": "2024-01-01"})
        for i, p in enumerate(key["people"]):
            pid = f"{doc_id}p{i}"
            first = p["name"].split()[0] if len(p["name"].split()) > 1 else None
            people[pid] = {
                "id": pid,
                "name": p["name"],
                "honorific": p["honorific"],
                "first_name": first,
                "surname": p["surname"],
                "role": p["role"],
                "organisation": p["organisation"],
            }
            mentions.append({"id": f"{pid}m", "person_id": pid, "document_id": doc_id})
        for i, a in enumerate(key["actions"]):
            oid = f"{doc_id}o{i}"
            people[oid] = {"id": oid, "name": a["owner"], "surname": a["owner"]}
            actions.append(
                {
                    "id": f"{doc_id}a{i}",
                    "document_id": doc_id,
                    "kind": a["kind"],
                    "owner_text": a["owner"],
                    "owner_id": oid,
                    "description": a["description"],
                    "due_text": a["due"],
                    "sentence": a["evidence"],
                }
            )
        for i, c in enumerate(key["decisions"]):
            decisions.append(
                {
                    "id": f"{doc_id}c{i}",
                    "document_id": doc_id,
                    "kind": c["kind"],
                    "text": c["evidence"],
                    "sentence": c["evidence"],
                }
            )
        for i, f in enumerate(key["figures"]):
            figures.append(
                {
                    "id": f"{doc_id}f{i}",
                    "document_id": doc_id,
                    "value": f["value"],
                    "unit": f["unit"],
                    "metric": f["metric"],
                    "direction": f["direction"],
                    "period": f["period"],
                    "sentence": f["evidence"],
                }
            )
        for i, t in enumerate(key["targets"]):
            targets.append(
                {
                    "id": f"{doc_id}t{i}",
                    "document_id": doc_id,
                    "metric": t["metric"],
                    "direction": t["direction"],
                    "amount": t["amount"],
                    "amount_unit": t["amount_unit"],
                    "baseline_value": t["baseline"],
                    "period": t["period"],
                    "sentence": t["evidence"],
                }
            )
    db["documents"].insert_all(docs, pk="id")
    for name, rows in [
        ("people", list(people.values())),
        ("mentions", mentions),
        ("actions", actions),
        ("decisions", decisions),
        ("figures", figures),
        ("targets", targets),
    ]:
        db[name].insert_all(rows, pk="id", alter=True)


def test_real_keys_scored_against_themselves_are_perfect(tmp_path):
    """Every rule accepts the key's own items: nothing in the real keys trips the matcher."""
    if not SHARED_GOLD.is_dir():
        pytest.skip(f"../shared not present: {SHARED_GOLD}")
    keys = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(SHARED_GOLD.glob("*.json"))]
    db_path = tmp_path / "gold.db"
    _db_from_gold(db_path, keys)
    result = evaluate(db_path, SHARED_GOLD)
    for fam, s in result.families.items():
        assert (s.fp, s.fn) == (0, 0), (fam, format_errors(result))
    for attr, a in result.attributes.items():
        assert a.correct == a.total, (attr, format_errors(result))
