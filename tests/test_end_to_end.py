"""The walking skeleton end to end: the real CLI, a real SQLite file, real Datasette over HTTP."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from conftest import run_minutes

CONTRACT = {
    "documents": {"id", "source", "filename", "format", "kind", "title", "meeting_id", "pages", "text",
                  "status", "error", "ingested_at"},
    "meetings": {"id", "body", "date", "start_time", "venue", "title"},
    "agenda_items": {"id", "meeting_id", "document_id", "number", "title", "text"},
    "people": {"id", "name", "honorific", "first_name", "surname", "role", "organisation"},
    "person_aliases": {"person_id", "alias"},
    "mentions": {"id", "person_id", "document_id", "meeting_id", "sentence", "start", "end", "page"},
    "actions": {"id", "meeting_id", "document_id", "agenda_item_id", "kind", "owner_text", "owner_id",
                "description", "due_text", "due_date", "status", "sentence", "page"},
    "decisions": {"id", "meeting_id", "document_id", "agenda_item_id", "kind", "text", "sentence", "page"},
    "figures": {"id", "document_id", "meeting_id", "value", "unit", "raw", "metric", "direction", "period",
                "sentence", "page"},
    "targets": {"id", "document_id", "metric", "direction", "amount", "amount_unit", "baseline_value",
                "baseline_text", "period", "start_date", "end_date", "sentence", "page"},
}


def snapshot(db) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(db)
    out = {}
    for table in CONTRACT:
        cols = [c for c in sorted(CONTRACT[table]) if c != "ingested_at"]
        out[table] = sorted(conn.execute(f"SELECT {', '.join(f'[{c}]' for c in cols)} FROM [{table}]").fetchall(),
                            key=repr)
    conn.close()
    return out


def test_schema_follows_the_data_contract(demo_db):
    conn = sqlite3.connect(demo_db)
    for table, cols in CONTRACT.items():
        have = {r[1] for r in conn.execute(f"PRAGMA table_info([{table}])")}
        assert cols <= have, f"{table} lacks {cols - have}"
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_demo_corpus_ingests_ok_with_meetings_and_items(demo_db):
    conn = sqlite3.connect(demo_db)
    conn.row_factory = sqlite3.Row
    docs = conn.execute("SELECT * FROM documents").fetchall()
    assert len(docs) >= 5
    assert {d["format"] for d in docs} >= {"html", "pdf"}
    bad = [(d["filename"], d["status"], d["error"]) for d in docs if d["status"] != "ok"]
    assert not bad
    meetings = conn.execute("SELECT * FROM meetings WHERE date IS NOT NULL AND body IS NOT NULL").fetchall()
    assert len(meetings) >= 3
    items = conn.execute("SELECT count(*) FROM agenda_items WHERE title != ''").fetchone()[0]
    assert items >= 10
    pdf_pages = conn.execute("SELECT sum(pages) FROM documents WHERE format = 'pdf'").fetchone()[0]
    assert pdf_pages >= 4
    assert conn.execute("SELECT count(*) FROM pages").fetchone()[0] == pdf_pages


def test_reingest_is_idempotent(demo_db, tmp_path):
    db = tmp_path / "minutes.db"
    shutil.copy(demo_db, db)
    before = snapshot(db)
    out = run_minutes("ingest", "corpus/documents", "--db", str(db), "--quiet").stdout
    assert "unchanged" in out
    assert snapshot(db) == before
    run_minutes("ingest", "corpus/documents", "--db", str(db), "--quiet", "--force")
    assert snapshot(db) == before


def test_changed_file_replaces_its_rows_and_copies_are_one_document(tmp_path):
    folder = tmp_path / "papers"
    folder.mkdir()
    doc = folder / "minutes.txt"
    doc.write_text("Minutes of the Licensing Sub-Committee\n\nThe Sub-Committee discussed burglary.\n")
    db = tmp_path / "minutes.db"
    run_minutes("ingest", str(folder), "--db", str(db), "--quiet")
    shutil.copy(doc, folder / "minutes-copy.txt")
    doc.write_text("Minutes of the Licensing Sub-Committee\n\nThe Sub-Committee discussed robbery.\n")
    run_minutes("ingest", str(folder), "--db", str(db), "--quiet")
    conn = sqlite3.connect(db)
    texts = sorted(r[0] for r in conn.execute("SELECT text FROM documents"))
    assert len(texts) == 2 and "robbery" in texts[1] + texts[0]
    sources = dict(conn.execute("SELECT filename, document_id FROM document_sources").fetchall())
    assert sources["minutes.txt"] != sources["minutes-copy.txt"]
    # Now make the copy identical to the edited file: one document, two sources.
    shutil.copy(doc, folder / "minutes-copy.txt")
    run_minutes("ingest", str(folder), "--db", str(db), "--quiet")
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
    assert conn.execute("SELECT count(DISTINCT source) FROM document_sources").fetchone()[0] == 2


def test_bad_documents_are_recorded_and_the_batch_goes_on(tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "truncated.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog")
    (folder / "good.txt").write_text("Minutes of the Audit Committee\n\nRESOLVED - That the report be noted.\n")
    db = tmp_path / "minutes.db"
    proc = run_minutes("ingest", str(folder), "--db", str(db), "--quiet")
    assert "1 ok" in proc.stdout and "2 failed" in proc.stdout
    rows = dict(sqlite3.connect(db).execute("SELECT filename, status || ': ' || coalesce(error, '') FROM documents"))
    assert rows["good.txt"].startswith("ok")
    assert rows["empty.pdf"].startswith("failed") and "empty" in rows["empty.pdf"]
    assert rows["truncated.pdf"].startswith("failed")
    doctor = run_minutes("doctor", "--db", str(db)).stdout
    assert "truncated.pdf" in doctor and "next:" in doctor


@pytest.mark.parametrize("args, message", [
    (["ingest", "no/such/folder"], "does not exist"),
    (["ingest"], "Missing argument"),
])
def test_usage_errors_exit_non_zero(args, message):
    proc = run_minutes(*args, check=False)
    assert proc.returncode == 2
    assert message in proc.stderr


def test_unusable_database_is_a_clear_error(tmp_path):
    bogus = tmp_path / "not-a-db.db"
    bogus.write_text("this is not sqlite" * 100)
    (tmp_path / "a.txt").write_text("Minutes of the Cabinet\n")
    proc = run_minutes("ingest", str(tmp_path / "a.txt"), "--db", str(bogus), check=False)
    assert proc.returncode == 1
    assert "cannot use database" in proc.stderr


@pytest.mark.parametrize("command", [
    "ingest", "serve", "doctor", "evaluate", "people", "figures", "targets", "actions",
    "actions close", "actions reopen",
])
def test_every_command_has_complete_help(command):
    assert command.split()[0] in run_minutes("--help").stdout
    text = run_minutes(*command.split(), "--help").stdout
    assert "Example" in text and "--db" in text


def test_datasette_serves_the_archive_with_search(demo_server):
    home = demo_server.get("/")
    assert home.status_code == 200 and "Council minutes archive" in home.text
    tables = {t["name"] for t in demo_server.json("/minutes.json")["tables"]}
    assert {"documents", "meetings", "agenda_items"} <= tables
    docs = demo_server.json("/minutes/documents.json", _shape="array", _col=["title", "status"])
    assert docs and all(d["status"] == "ok" for d in docs)
    hits = demo_server.json("/minutes/documents.json", _search="burglary", _shape="array", _col="title")
    assert 0 < len(hits) < len(docs) + 1
    none = demo_server.json("/minutes/documents.json", _search="xylophonequartet", _shape="array")
    assert none == []
    meetings = demo_server.json("/minutes/meetings.json", _shape="array")
    assert any(m["body"] and m["date"] for m in meetings)


def test_served_database_is_read_only(demo_server):
    r = demo_server.get("/minutes.json", params={"sql": "DELETE FROM documents"})
    assert r.status_code in (400, 403)
    assert demo_server.json("/minutes.json", sql="select count(*) n from documents", _shape="array")[0]["n"] > 0
