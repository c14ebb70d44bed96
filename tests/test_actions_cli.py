"""``minutes actions``: listing formats, filters, close/reopen/supersede, and the iCalendar export (issue 5)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime

import pytest
import sqlite_utils
from click.testing import CliRunner

from extract.actions_cli import actions_group, ics_escape, ics_fold, render_ics
from extract.resolve.actions import ensure_action_log_view, list_actions


@pytest.fixture
def db_path(tmp_path):
    """A small archive in the contract's shapes: two meetings of one board, three actions."""
    path = tmp_path / "archive.db"
    db = sqlite_utils.Database(path)
    db["meetings"].insert_all([
        {"id": "m1", "body": "Eastwick Community Safety Board", "date": "2024-01-15"},
        {"id": "m2", "body": "Eastwick Licensing Committee", "date": "2024-02-01"},
    ], pk="id")
    db["documents"].insert_all([
        {"id": "d1", "filename": "csb-2024-01-15.pdf", "source": "/papers/csb-2024-01-15.pdf", "meeting_id": "m1"},
        {"id": "d2", "filename": "lic-2024-02-01.html", "source": "/papers/lic-2024-02-01.html", "meeting_id": "m2"},
    ], pk="id")
    base = {"agenda_item_id": None, "owner_id": None, "closed_by_document_id": None, "closed_by_meeting_id": None,
            "closed_evidence": None, "page": None}
    db["actions"].insert_all([
        {**base, "id": "a1b2c3d4e5f60001", "meeting_id": "m1", "document_id": "d1", "kind": "action",
         "owner_text": "Inspector Okafor", "description": "circulate the ward breakdown; Riverside, Hillside and Oak",
         "due_text": "the next meeting", "due_date": "2024-03-18", "status": "open", "page": 2,
         "sentence": "Inspector Okafor agreed to circulate the ward breakdown. Action: Inspector Okafor"},
        {**base, "id": "a1b2c3d4e5f60002", "meeting_id": "m1", "document_id": "d1", "kind": "commitment",
         "owner_text": "Mr Tom Baxter", "description": "bring the evaluation report", "due_text": None,
         "due_date": None, "status": "open", "sentence": "He said he would bring the evaluation report."},
        {**base, "id": "ffee000011112222", "meeting_id": "m2", "document_id": "d2", "kind": "request",
         "owner_text": "Ms Priya Shah", "description": "provide the licence figures", "due_text": "March 2024",
         "due_date": "2024-03-31", "status": "done", "closed_by_meeting_id": "m9",
         "sentence": "The Chair asked Ms Shah to provide the licence figures by March 2024."},
    ], pk="id")
    return str(path)


def run(*args: str) -> str:
    result = CliRunner().invoke(actions_group, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize(
    ("options", "expected_ids"),
    [
        ([], ["a1b2c3d4e5f60001", "a1b2c3d4e5f60002", "ffee000011112222"]),  # oldest meeting first
        (["--open"], ["a1b2c3d4e5f60001", "a1b2c3d4e5f60002"]),
        (["--owner", "okafor"], ["a1b2c3d4e5f60001"]),  # case-insensitive, part of the name
        (["--body", "licensing"], ["ffee000011112222"]),
        (["--open", "--body", "Licensing"], []),
    ],
)
def test_list_filters_json(db_path, options, expected_ids):
    rows = json.loads(run(*options, "--format", "json", "--db", db_path))
    assert [r["id"] for r in rows] == expected_ids


def test_table_and_csv(db_path):
    table = run("--db", db_path)
    assert "Inspector Okafor" in table and "days open" in table and "2024-03-18" in table
    rows = list(csv.DictReader(io.StringIO(run("--format", "csv", "--db", db_path))))
    assert [r["status"] for r in rows] == ["open", "open", "done"]
    assert rows[0]["owner"] == "Inspector Okafor" and rows[0]["document"] == "csb-2024-01-15.pdf"
    assert rows[2]["days_open"] == ""  # closed actions have no days open


def test_days_open_counts_from_the_meeting(db_path):
    rows = list_actions(sqlite_utils.Database(db_path), today=date(2024, 3, 1))
    assert [r["days_open"] for r in rows] == [46, 46, None]


def test_close_and_reopen_are_kept_as_the_clerks_decision(db_path):
    out = run("close", "a1b2c3d4e5f60001", "--note", "Sent 1 February", "--by", "clerk", "--db", db_path)
    assert "closed a1b2c3d4e5f60001" in out
    rows = json.loads(run("--format", "json", "--db", db_path))
    assert rows[0]["status"] == "done" and rows[0]["override_note"] == "Sent 1 February"
    assert rows[0]["decided_by"] == "clerk"
    # the group's --db also works, and a unique id prefix is enough
    run("--db", db_path, "reopen", "ffee", "--note", "Figures incomplete")
    rows = json.loads(run("--open", "--format", "json", "--db", db_path))
    assert [r["id"] for r in rows] == ["a1b2c3d4e5f60002", "ffee000011112222"]
    db = sqlite_utils.Database(db_path)
    assert db["actions"].get("ffee000011112222")["status"] == "done"  # extraction's row is untouched
    assert db["action_overrides"].get("ffee000011112222")["status"] == "open"


def test_supersede_takes_an_action_off_the_open_list_without_calling_it_done(db_path):
    out = run("supersede", "a1b2c3d4e5f60002", "--replaced-by", "a1b2c3d4e5f60001",
              "--note", "Folded into the ward breakdown", "--by", "clerk", "--db", db_path)
    assert out.strip() == "superseded a1b2c3d4e5f60002 by a1b2c3d4e5f60001: Folded into the ward breakdown"
    rows = {r["id"]: r for r in json.loads(run("--format", "json", "--db", db_path))}
    gone = rows["a1b2c3d4e5f60002"]
    assert (gone["status"], gone["superseded_by"], gone["override_note"], gone["days_open"]) == (
        "superseded", "a1b2c3d4e5f60001", "Folded into the ward breakdown", None)
    assert [r["id"] for r in json.loads(run("--open", "--format", "json", "--db", db_path))] == ["a1b2c3d4e5f60001"]
    csv_rows = {r["id"]: r for r in csv.DictReader(io.StringIO(run("--format", "csv", "--db", db_path)))}
    assert csv_rows["a1b2c3d4e5f60002"]["superseded_by"] == "a1b2c3d4e5f60001"
    # the Datasette view (made by the store after each batch) shows what the CLI shows
    ensure_action_log_view(sqlite_utils.Database(db_path))
    view = sqlite_utils.Database(db_path).execute(
        "select status, superseded_by from action_log where id = 'a1b2c3d4e5f60002'").fetchone()
    assert view == ("superseded", "a1b2c3d4e5f60001")
    # reopening undoes the whole decision, replacement included
    run("reopen", "a1b2c3d4e5f60002", "--db", db_path)
    again = {r["id"]: r for r in json.loads(run("--format", "json", "--db", db_path))}["a1b2c3d4e5f60002"]
    assert (again["status"], again["superseded_by"]) == ("open", None)


def test_supersede_without_a_replacement_and_in_the_calendar(db_path):
    run("supersede", "ffee", "--note", "Licensing moved to the new committee", "--db", db_path)
    [row] = [r for r in json.loads(run("--format", "json", "--db", db_path)) if r["id"] == "ffee000011112222"]
    assert (row["status"], row["superseded_by"]) == ("superseded", None)
    ics = run("--format", "ics", "--db", db_path)
    todo = ics[ics.index("UID:ffee000011112222"):]
    assert "STATUS:CANCELLED" in todo[: todo.index("END:VTODO")]


def test_an_archive_made_before_supersede_gains_the_column_and_keeps_its_decisions(db_path):
    db = sqlite_utils.Database(db_path)
    db["action_overrides"].create(  # the table as the first releases made it
        {"action_id": str, "status": str, "note": str, "decided_at": str, "decided_by": str}, pk="action_id")
    db["action_overrides"].insert({"action_id": "a1b2c3d4e5f60001", "status": "done", "note": "Sent",
                                   "decided_at": "2024-02-01T10:00:00", "decided_by": "clerk"})
    run("supersede", "a1b2c3d4e5f60002", "--replaced-by", "a1b2c3d4e5f60001", "--note", "x", "--db", db_path)
    rows = {r["action_id"]: r for r in sqlite_utils.Database(db_path)["action_overrides"].rows}
    assert rows["a1b2c3d4e5f60001"]["note"] == "Sent" and rows["a1b2c3d4e5f60001"]["superseded_by"] is None
    assert rows["a1b2c3d4e5f60002"]["superseded_by"] == "a1b2c3d4e5f60001"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["close", "nope", "--note", "x"], "no action with id 'nope'"),
        (["supersede", "a1b2c3d4e5f60001", "--replaced-by", "nope", "--note", "x"], "no action with id 'nope'"),
        (["supersede", "a1b2c3d4e5f60001", "--replaced-by", "a1b2c3d4e5f60001", "--note", "x"],
         "is the action itself"),
        (["supersede", "a1b2c3d4e5f60001"], "Missing option '--note'"),
        (["close", "a1b2c3d4e5f6", "--note", "x"], "matches several actions"),
        (["close", "ffee000011112222"], "Missing option '--note'"),
    ],
)
def test_errors_say_what_to_do(db_path, args, message):
    result = CliRunner().invoke(actions_group, [*args, "--db", db_path])
    assert result.exit_code != 0
    assert message in result.output


def test_missing_database_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(actions_group, ["--db", str(tmp_path / "none.db")])
    assert result.exit_code != 0 and "run 'minutes ingest" in result.output


def test_ics_export(db_path):
    result = CliRunner().invoke(actions_group, ["--format", "ics", "--db", db_path], catch_exceptions=False)
    assert result.exit_code == 0
    out = result.stdout_bytes.decode("utf-8")
    assert out.startswith("BEGIN:VCALENDAR\r\n") and out.endswith("END:VCALENDAR\r\n")
    assert "\n" not in out.replace("\r\n", "")  # CRLF line endings only
    assert out.count("BEGIN:VTODO") == 2  # the action without a due date is left out
    unfolded = out.replace("\r\n ", "")
    assert "DUE;VALUE=DATE:20240318" in unfolded
    assert "SUMMARY:Inspector Okafor: circulate the ward breakdown\\; Riverside\\, Hillside and Oak" in unfolded
    assert "UID:a1b2c3d4e5f60001@minutes-extract" in unfolded
    assert "STATUS:COMPLETED" in unfolded and "STATUS:NEEDS-ACTION" in unfolded
    assert all(len(line.encode()) <= 75 for line in out.split("\r\n"))


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("a,b;c", "a\\,b\\;c"),
        ("line one\nline two", "line one\\nline two"),
        ("back\\slash", "back\\\\slash"),
    ],
)
def test_ics_escape(text, escaped):
    assert ics_escape(text) == escaped


@pytest.mark.parametrize("line", ["SUMMARY:" + "x" * 200, "DESCRIPTION:" + "é" * 100, "SUMMARY:short"])
def test_ics_fold_at_75_octets_without_splitting_characters(line):
    folded = ics_fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join([parts[0], *[p[1:] for p in parts[1:]]]) == line


def test_render_ics_stamp_is_utc():
    rows = [{"id": "x1", "owner_text": "Ms Field", "owner_name": None, "description": "circulate the plan",
             "due_date": "2025-03-31", "status": "open", "sentence": "Ms Field will circulate the plan.",
             "body": None, "meeting_date": None}]
    out = render_ics(rows, now=datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC))
    assert "DTSTAMP:20250102T030405Z\r\n" in out


def test_the_cli_starts_without_the_store_libraries():
    """`minutes --help`, `serve` or `doctor` need not import sqlite-utils (and numpy) for this group.

    The actions group is registered on every start, so its module imports the
    resolver inside the commands that use it.
    """
    import subprocess
    import sys

    code = "import sys, extract.cli; print(sorted(m for m in ('sqlite_utils', 'numpy') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_tracking_rules_load_without_spacy():
    """Tracking (and the clerk's commands that run it) reads the archive, never the NLP pipeline:
    building its cue searches must not import spaCy (0.4 s and ~100 MB)."""
    import subprocess
    import sys

    code = ("import sys, extract.resolve.actions as A; A._cues(A.load_tracking_rules()); "
            "print('spacy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
