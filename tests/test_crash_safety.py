"""Crash safety: kill -9 mid-batch, two ingests at once, and clerks' overrides across re-ingests.

The documents are fictional minutes generated here (60 of them, text and
HTML), so the batch is long enough to be killed in the middle. Every check
compares against a clean ingest of the same folder into another database.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from conftest import minutes_bin, run_minutes

N_DOCS = 60
BODIES = ["Harbourside Community Safety Partnership", "Eastwold Health and Wellbeing Board",
          "Kestrel Vale Licensing Sub-Committee"]
PEOPLE = [("Councillor", "Priya", "Okonjo"), ("Councillor", "Gareth", "Lumley"), ("Mr", "Daniel", "Ferris"),
          ("Ms", "Ruth", "Abernethy"), ("Dr", "Simon", "Achterberg")]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "September", "October", "November"]
TOPICS = ["Apologies for absence", "Minutes of the previous meeting", "Budget monitoring report",
          "Anti-social behaviour update", "Air quality action plan", "Any other business"]

# Tables compared between databases, without columns that record when a row was written.
VOLATILE = {"ingested_at", "seconds", "first_seen", "last_seen", "decided_at"}
TABLES = ["documents", "document_sources", "pages", "meetings", "agenda_items", "people", "person_aliases",
          "mentions", "actions", "decisions", "figures", "targets", "document_tables"]
CHILD_TABLES = ["pages", "agenda_items", "mentions", "actions", "decisions", "figures", "targets", "document_tables"]


def minutes_text(i: int) -> str:
    """Fictional minutes: a body, a date, people, numbered items with decisions, actions and figures."""
    r = random.Random(i)
    body = BODIES[i % 3]
    day, month, year = 1 + i % 27, MONTHS[i % 10], 2019 + i % 6
    chair, officer = PEOPLE[i % 5], PEOPLE[(i + 2) % 5]
    lines = [body, f"Minutes of the meeting held on {day} {month} {year} at 6.30 pm", "Council Chamber, Town Hall", "",
             f"Present: {chair[0]} {chair[1]} {chair[2]} (Chair), {officer[0]} {officer[1]} {officer[2]}", ""]
    for n in range(1, 4 + i % 4):
        lines += [f"{n}. {r.choice(TOPICS)}", "",
                  f"{officer[0]} {officer[2]} presented the report. Incidents fell by {r.randint(2, 40)}% compared "
                  f"with {year - 1}, and spending was £{r.randint(10, 900)}k against a budget of £{r.randint(900, 2000)}k.",
                  f"RESOLVED: That the Board noted the report and agreed the recommendations in paragraph {n}.{r.randint(1, 9)}.",
                  f"Action: {officer[0]} {officer[2]} to circulate the revised figures to members by "
                  f"{1 + (day + n) % 27} {MONTHS[(i + n) % 10]} {year}.", ""]
    return "\n".join(lines) + "\n"


def minutes_html(i: int) -> str:
    paras = "".join(f"<p>{line}</p>\n" for line in minutes_text(i).split("\n") if line)
    return (f"<!DOCTYPE html><html><head><title>Minutes {i}</title></head>"
            f"<body><div id='content'>{paras}</div></body></html>")


def make_folder(folder: Path, n: int = N_DOCS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        if i % 2:
            (folder / f"minutes-{i:02d}.txt").write_text(minutes_text(i), encoding="utf-8")
        else:
            (folder / f"minutes-{i:02d}.html").write_text(minutes_html(i), encoding="utf-8")
    return folder


def ingest_cmd(folder: Path, db: Path, *extra: str) -> list[str]:
    return [minutes_bin(), "ingest", str(folder), "--db", str(db), "--quiet", *extra]


def snapshot(db: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(db)
    out = {}
    for table in TABLES:
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info([{table}])") if r[1] not in VOLATILE]
        rows = conn.execute(f"SELECT {', '.join(f'[{c}]' for c in cols)} FROM [{table}]").fetchall()
        out[table] = sorted(rows, key=repr)
    conn.close()
    return out


def per_document_counts(db: Path) -> dict[str, dict[str, object]]:
    conn = sqlite3.connect(db)
    docs = {r[0]: {"status": r[1]} for r in conn.execute("SELECT id, status FROM documents")}
    for table in CHILD_TABLES:
        for doc_id, n in conn.execute(f"SELECT document_id, count(*) FROM [{table}] GROUP BY document_id"):
            docs.setdefault(doc_id, {"status": "<no documents row>"})[table] = n
    conn.close()
    return docs


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return make_folder(tmp_path_factory.mktemp("batch") / "papers")


@pytest.fixture(scope="module")
def clean_db(folder, tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("clean") / "clean.db"
    run_minutes("ingest", str(folder), "--db", str(db), "--quiet", "--workers", "1")
    counts = per_document_counts(db)
    assert len(counts) == N_DOCS and all(c["status"] == "ok" for c in counts.values())
    assert all(c.get("agenda_items", 0) >= 3 for c in counts.values()), "the generated minutes are segmented"
    return db


def count_documents(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def test_kill_9_mid_batch_leaves_a_consistent_database_and_a_rerun_completes(folder, clean_db, tmp_path):
    db = tmp_path / "killed.db"
    proc = subprocess.Popen(ingest_cmd(folder, db, "--workers", "1"), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while count_documents(db) < 5 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        # Let it run into the next few writes, then kill the whole process group without warning.
        time.sleep(random.Random(os.getpid()).uniform(0.0, 0.3))
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, "the batch finished before it could be killed: make it longer"

    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    conn.close()
    assert 5 <= stored < N_DOCS, f"killed after {stored} of {N_DOCS} documents"

    # No half-written document: every stored document has exactly the rows a clean ingest gives it,
    # and no child row belongs to a document that is not there.
    clean = per_document_counts(clean_db)
    for doc_id, counts in per_document_counts(db).items():
        assert counts == clean[doc_id], f"document {doc_id} is half-written: {counts} vs {clean[doc_id]}"

    subprocess.run(ingest_cmd(folder, db, "--workers", "1"), check=True, capture_output=True, timeout=300)
    assert snapshot(db) == snapshot(clean_db), "the re-run completes the batch with no duplicates"
    conn = sqlite3.connect(db)
    hits = conn.execute("SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'circulate'").fetchone()[0]
    conn.close()
    assert hits == N_DOCS, "the search index covers the whole batch"


def test_two_ingests_on_one_database_at_once(folder, clean_db, tmp_path):
    db = tmp_path / "together.db"
    procs = [subprocess.Popen(ingest_cmd(folder, db, "--workers", "1"), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err
        assert f"{N_DOCS} documents:" in out
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    assert snapshot(db) == snapshot(clean_db)


def test_clerk_overrides_survive_reingest_and_force(clean_db, tmp_path):
    folder = make_folder(tmp_path / "three", 3)
    db = tmp_path / "overrides.db"
    run_minutes("ingest", str(folder), "--db", str(db), "--quiet", "--workers", "1")
    conn = sqlite3.connect(db)
    row = conn.execute("SELECT id, document_id FROM actions ORDER BY id LIMIT 1").fetchone()
    if row is None:  # extraction found no action: store one the way the extractor would
        doc_id = conn.execute("SELECT id FROM documents LIMIT 1").fetchone()[0]
        row = ("manual-action-1", doc_id)
        conn.execute("INSERT INTO actions (id, document_id, kind, description, status) VALUES (?, ?, 'action', "
                     "'Circulate the revised figures', 'open')", row)
    action_id = row[0]
    override = (action_id, "done", "Figures circulated on 3 June; see email from Ms Abernethy", "2024-06-04T10:00:00",
                "clerk@harbourside.example")
    conn.execute("INSERT INTO action_overrides (action_id, status, note, decided_at, decided_by) VALUES (?, ?, ?, ?, ?)",
                 override)
    conn.commit()
    conn.close()

    run_minutes("ingest", str(folder), "--db", str(db), "--quiet", "--workers", "1")
    run_minutes("ingest", str(folder), "--db", str(db), "--quiet", "--workers", "1", "--force")

    conn = sqlite3.connect(db)
    assert conn.execute("SELECT action_id, status, note, decided_at, decided_by, superseded_by "
                        "FROM action_overrides").fetchall() == [(*override, None)]
    if action_id != "manual-action-1":
        assert conn.execute("SELECT count(*) FROM actions WHERE id = ?", [action_id]).fetchone()[0] == 1, \
            "action ids are stable across re-ingest, so the override still points at its action"
    conn.close()


def test_kill_during_start_up_then_rerun(folder, clean_db, tmp_path):
    """Killed while creating the schema or loading the pipeline: the next run builds on what is there."""
    db = tmp_path / "early.db"
    proc = subprocess.Popen(ingest_cmd(folder, db, "--workers", "1"), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(0.4)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    subprocess.run(ingest_cmd(folder, db, "--workers", "1"), check=True, capture_output=True, timeout=300)
    assert snapshot(db) == snapshot(clean_db)


def test_a_batch_killed_before_its_final_steps_is_finished_by_the_next_run(tmp_path, monkeypatch):
    """Killed after the last document was stored, before the search index was rebuilt."""
    import extract.ingest
    from extract.ingest import _batch_flag, ingest
    from extract.store import open_db

    monkeypatch.setattr(extract.ingest, "extractor_version", lambda: "fixed")  # rule files may change meanwhile

    folder = make_folder(tmp_path / "four", 4)
    db = open_db(tmp_path / "unfinished.db")
    ingest(db, [folder], workers=1)
    # What the kill leaves: stored documents, an empty search index, the batch still marked as running.
    db.execute("INSERT INTO documents_fts (documents_fts) VALUES ('delete-all')")
    db.conn.commit()
    _batch_flag(db, set_to="2024-06-04T10:00:00")
    assert db.execute("SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'circulate'").fetchone()[0] == 0

    result = ingest(db, [folder], workers=1)
    assert result.unchanged == 4 and result.documents == 0
    assert db.execute("SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'circulate'").fetchone()[0] == 4
    assert _batch_flag(db) is None


@pytest.mark.parametrize("name", [
    "northmere-snpb-2024-06-12-agenda-and-minutes.html",
    "northmere-snpb-2024-09-18-item-4-strategic-assessment-2023-24.pdf",
])
def test_one_document_is_written_in_exactly_one_transaction(tmp_path, name):
    """Deterministic check of what the kill test samples: nothing commits half a document.

    Any helper that writes through sqlite-utils' insert/upsert inside
    write_document would show up here as a second COMMIT.
    """
    from conftest import CORPUS

    from extract.pipeline import process_file
    from extract.store import open_db, write_document

    rec = process_file(CORPUS / name)
    assert rec.parsed.status == "ok"
    assert rec.segmentation.items or rec.parsed.tables
    db = open_db(tmp_path / "tx.db")
    for _ in range(2):  # first write, then a replacement of the same document
        statements: list[str] = []
        db.conn.set_trace_callback(statements.append)
        write_document(db, rec, extractor="test")
        db.conn.set_trace_callback(None)
        verbs = [s.split(None, 1)[0].upper() for s in statements if s.strip()]
        assert verbs.count("COMMIT") == 1, [s[:80] for s in statements if s.split(None, 1)[0].upper() in ("BEGIN", "COMMIT")]
        assert verbs.count("BEGIN") == 1
        assert not db.conn.in_transaction
