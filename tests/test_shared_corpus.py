"""The real documents in ../shared: every one ingests with a status, none stops the batch."""

from __future__ import annotations

import sqlite3

import pytest
from conftest import run_minutes


@pytest.fixture(scope="module")
def shared_db(shared_dir, tmp_path_factory):
    db = tmp_path_factory.mktemp("shared") / "minutes.db"
    run_minutes("ingest", str(shared_dir / "corpus"), "--db", str(db), "--quiet")
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    return conn


def doc(conn, filename):
    row = conn.execute(
        "SELECT d.*, m.body, m.date, m.start_time, m.venue FROM documents d "
        "LEFT JOIN meetings m ON m.id = d.meeting_id WHERE filename = ?", [filename]
    ).fetchone()
    assert row is not None, f"{filename} was not ingested"
    return row


def test_every_seed_ingests_ok(shared_db, shared_dir):
    for path in sorted((shared_dir / "corpus" / "seeds").glob("*.txt")):
        row = doc(shared_db, path.name)
        assert row["status"] == "ok", (path.name, row["error"])
        assert row["format"] == "text"


@pytest.mark.parametrize("filename, body, date, kind", [
    ("barnet-scpb-2024-09-20-meeting-summary.txt", "Safer Communities Partnership Board", "2024-09-20", "summary"),
    ("barnet-scpb-2017-10-27-strategic-assessment-report.txt", "Safer Communities Partnership Board",
     "2017-10-27", "report"),
    ("barnet-scpb-2015-agenda-and-minutes.txt", "Safer Communities Partnership Board", None, "minutes"),
    ("barnet-safer-communities-strategy-2005-2008.txt", None, None, "strategy"),
])
def test_seed_meetings_and_kinds(shared_db, filename, body, date, kind):
    row = doc(shared_db, filename)
    assert row["kind"] == kind
    if body:
        assert row["body"] == body
    if date:
        assert row["date"] == date


def test_2015_minutes_page_has_its_ten_agenda_items(shared_db):
    row = doc(shared_db, "barnet-scpb-2015-agenda-and-minutes.txt")
    items = shared_db.execute(
        "SELECT number, title, text FROM agenda_items WHERE document_id = ? ORDER BY start", [row["id"]]
    ).fetchall()
    assert [i["number"] for i in items] == [str(n) for n in range(1, 11)]
    assert items[1]["title"] == "Verbal update from the Police on the Be Safe project"
    assert items[0]["title"].startswith("Introductions, Apologies for Absence")
    assert all("PDF" not in i["title"] for i in items)
    assert "Wendy Manuel introduced the project" in items[1]["text"]


def test_every_shared_pdf_has_page_count_and_status(shared_db, shared_dir):
    import pypdf

    for path in sorted((shared_dir / "corpus" / "pdf").glob("*.pdf")):
        row = doc(shared_db, path.name)
        assert row["pages"] == len(pypdf.PdfReader(path).pages), path.name
        expected = "needs_ocr" if "scanned" in path.name else "ok"
        assert row["status"] == expected, (path.name, row["error"])
        if expected == "ok":
            assert len(row["text"]) > 1000


def test_shared_html_ingests(shared_db, shared_dir):
    for path in sorted((shared_dir / "corpus" / "html").glob("*.html")):
        row = doc(shared_db, path.name)
        assert row["format"] == "html" and row["status"] == "ok"
