"""The ingest speed-ups (issue 9) change no result.

* action tracking reads an index of completion sentences instead of every
  later sentence, and a batch re-tracks only the bodies it touched: both are
  checked against the plain definition (every later sentence through
  :func:`completes`) and against tracking the whole archive;
* people resolution finds candidates through ``people.surname_key``, filled
  in for archives made before the column existed;
* the sentence component leaves token arrays and sentence spans that equal
  what spaCy's ``Token`` and ``doc.sents`` give;
* the worker pool hands a worker its next file before the parent stores the
  last one.

The documents are the project's own fictional fixtures.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sys
from pathlib import Path

import pytest
import sqlite_utils

from extract.nlp.actions import find_actions
from extract.nlp.sentences import split_sentences
from extract.records import PersonMention, Span
from extract.resolve.actions import (
    _body_key,
    _content,
    _has_completion,
    _owner_words,
    _strip_marker,
    completes,
    load_tracking_rules,
    resolve_due,
    touched_bodies,
    track_actions,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TRACKING = FIXTURES / "tracking"
FILES = sorted(p.name for p in TRACKING.glob("*.txt"))
BODIES = ["Eastwick Community Safety Board", "Westwick  community safety board", "Northwick Panel"]


def _archive(db: sqlite_utils.Database, plan: list[tuple[str, str, str]]) -> None:
    """(fixture file, body, meeting date) -> meetings, documents and extracted actions, as the store shapes them."""
    for name, body, day in plan:
        text = (TRACKING / name).read_text()
        meeting_id = f"m-{_body_key(body)}-{day}"
        doc_id = hashlib.sha256(f"{body}{day}{text}".encode()).hexdigest()[:16]
        db["meetings"].insert({"id": meeting_id, "body": body, "date": day}, pk="id", replace=True)
        db["documents"].insert({"id": doc_id, "meeting_id": meeting_id, "text": text}, pk="id", replace=True)
        for n, a in enumerate(find_actions(text, meeting_date=day)):
            db["actions"].insert({
                "id": f"{doc_id}-{n}", "meeting_id": meeting_id, "document_id": doc_id, "kind": a.kind,
                "owner_text": a.owner_text, "owner_id": None, "description": a.description,
                "due_text": a.due_text, "due_date": a.due_date, "status": "open", "sentence": a.span.sentence,
                "closed_by_document_id": None, "closed_by_meeting_id": None, "closed_evidence": None,
            }, pk="id", replace=True)
    if not db["action_overrides"].exists():
        db["action_overrides"].create({"action_id": str, "status": str, "note": str, "decided_at": str,
                                       "decided_by": str}, pk="action_id")


def _reference(db: sqlite_utils.Database) -> dict[str, tuple]:
    """Tracking by its definition: every later sentence of the same body through completes(), in order."""
    rules = load_tracking_rules()
    meetings: dict[str, list[tuple[str, str]]] = {}
    for m in db.query("select id, body, date from meetings"):
        meetings.setdefault(_body_key(m["body"]), []).append((m["date"], m["id"]))
    out = {}
    for a in db.query("select a.*, m.body, m.date as meeting_date from actions a join meetings m on m.id = a.meeting_id"):
        later = sorted(x for x in meetings[_body_key(a["body"])] if x[0] > a["meeting_date"])
        due = a["due_date"]
        if a["due_text"] and not due:
            due = resolve_due(a["due_text"], a["meeting_date"], later[0][0] if later else None)
        hit = None
        owner = _owner_words(a["owner_text"], None)
        task = a["description"] or ""
        if len(set(_content(task, rules, owner))) < 2:
            task = f"{task} {_strip_marker(a['sentence'] or '')}"
        for _day, mid in later if owner else []:
            for d in db.query("select id, text from documents where meeting_id = ? order by id", [mid]):
                sents = [re.sub(r"\s+", " ", d["text"][s:e]) for s, e in split_sentences(d["text"])]
                for i, s in enumerate(sents):
                    kept = _has_completion(s, rules) or _has_completion(s, rules, "report back")
                    if kept and completes(task, owner, s, sents[i - 1] if i else "", rules):
                        hit = (d["id"], mid, s)
                        break
                if hit:
                    break
            if hit:
                break
        out[a["id"]] = ("done" if hit else "open", due, *(hit or (None, None, None)))
    return out


def _tracked(db: sqlite_utils.Database) -> dict[str, tuple]:
    return {r["id"]: (r["status"], r["due_date"], r["closed_by_document_id"], r["closed_by_meeting_id"],
                      r["closed_evidence"]) for r in db.query("select * from actions")}


PLAN = [
    (FILES[0], BODIES[0], "2024-01-15"), (FILES[1], BODIES[0], "2024-03-18"), (FILES[2], BODIES[0], "2024-05-20"),
    (FILES[0], BODIES[1], "2024-02-01"), (FILES[2], BODIES[1], "2024-06-01"),  # another body, a meeting skipped
    (FILES[1], BODIES[2], "2024-01-10"),  # a body with one meeting: nothing can close its actions
]


def test_tracking_equals_its_definition(tmp_path):
    db = sqlite_utils.Database(tmp_path / "t.db")
    _archive(db, PLAN)
    expected = _reference(db)
    closed = track_actions(db)
    got = _tracked(db)
    assert got == expected
    assert closed == sum(1 for v in expected.values() if v[0] == "done") > 0


def test_tracking_touched_bodies_equals_tracking_everything(tmp_path):
    first, second = PLAN[:4] + PLAN[5:], PLAN[4:5]  # the second batch adds Westwick's June meeting
    whole = sqlite_utils.Database(tmp_path / "whole.db")
    part = sqlite_utils.Database(tmp_path / "part.db")
    for db in (whole, part):
        _archive(db, first)
        track_actions(db)
        _archive(db, second)
    new_doc = [r["id"] for r in part.query("select d.id from documents d join meetings m on m.id = d.meeting_id "
                                           "where m.date = '2024-06-01'")]
    bodies = touched_bodies(part, new_doc)
    assert {_body_key(b) for b in bodies} == {_body_key(BODIES[1])}
    before = _tracked(part)
    track_actions(whole)
    track_actions(part, bodies=bodies)
    assert _tracked(part) == _tracked(whole) != before  # the new meeting closed something
    assert track_actions(part, bodies=[]) == 0


def test_tracking_plan_writes_nothing_until_applied(tmp_path):
    """A batch works tracking out while the search indexes are rebuilt, and writes it after."""
    from extract.resolve.actions import plan_tracking

    planned = sqlite_utils.Database(tmp_path / "planned.db")
    direct = sqlite_utils.Database(tmp_path / "direct.db")
    for db in (planned, direct):
        _archive(db, PLAN)
    before = _tracked(planned)
    plan = plan_tracking(planned)
    assert _tracked(planned) == before
    closed = track_actions(direct)
    assert plan.apply(planned) == closed > 0
    assert _tracked(planned) == _tracked(direct) != before


def _second_call_fails(monkeypatch, module, name: str, note) -> list:
    """Spy on ``module.name`` (a stage the end of a batch runs): what ``note`` makes of each call's
    arguments, in order; the second call raises."""
    calls: list = []
    real = getattr(module, name)

    def spy(db, *args, **kwargs):
        calls.append(note(*args, **kwargs))
        if len(calls) == 2:
            raise RuntimeError(f"{name} broke")
        return real(db, *args, **kwargs)

    monkeypatch.setattr(module, name, spy)
    return calls


def _three_batches(tmp_path, stage: str):
    """A batch of one document, a batch adding one more (whose ``stage`` fails) and a third adding one
    more (which must run ``stage`` over the whole archive again): the folder and the archive after them."""
    from extract import ingest as ingest_mod
    from extract.store import open_db

    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(TRACKING / FILES[0], folder)
    db = open_db(tmp_path / "a.db")
    ingest_mod.ingest(db, [folder], workers=1)
    shutil.copy(TRACKING / FILES[1], folder)
    result = ingest_mod.ingest(db, [folder], workers=1)  # only the new document; the stage fails
    assert any(f"{stage} failed" in w for w in result.warnings)
    shutil.copy(TRACKING / FILES[2], folder)
    ingest_mod.ingest(db, [folder], workers=1)  # after a failure: the whole archive
    return folder, db


def test_batches_track_only_touched_bodies_and_recover_after_a_failure(tmp_path, monkeypatch):
    from extract import ingest as ingest_mod
    from extract.resolve import actions as actions_mod

    calls = _second_call_fails(monkeypatch, actions_mod, "plan_tracking",
                               lambda body=None, bodies=None: None if bodies is None else {_body_key(b) for b in bodies})
    folder, db = _three_batches(tmp_path, "action tracking")
    ingest_mod.ingest(db, [folder], workers=1, force=True)
    body = {_body_key(r["body"]) for r in db.query("select body from meetings")}
    assert calls[1] == body and calls[2] is None and calls[3] == body


def test_people_found_by_surname_key_and_old_rows_filled_in(tmp_path):
    from extract.resolve.people import assign_people, name_key

    db = sqlite_utils.Database(tmp_path / "p.db")
    # an archive from before surname_key: the row has no key
    db["people"].insert({"id": "p_old", "name": "Helen O'Dwyer", "honorific": "Ms", "first_name": "Helen",
                         "surname": "O'Dwyer", "role": None, "organisation": None}, pk="id")
    m = PersonMention(text="Ms Helen ODwyer", span=Span("Ms Helen ODwyer spoke.", 0, 15), honorific="Ms",
                      first_name="Helen", surname="ODwyer")
    assert assign_people(db, "doc1", "2024-01-01", [m]) == ["p_old"]
    keys = {r["id"]: r["surname_key"] for r in db.query("select id, surname_key from people")}
    assert keys == {"p_old": name_key("ODwyer")}


def test_sentence_facility_equals_spacy(tmp_path):
    from extract.nlp.pipeline import load_nlp
    from extract.nlp.sentences import doc_sentence_spans, doc_text, token_arrays

    nlp = load_nlp()
    for name in FILES:
        text = (TRACKING / name).read_text()
        doc = nlp(text)
        tk = token_arrays(doc)
        assert doc_text(doc) == doc.text
        assert tk.txt == [t.text for t in doc] and tk.idx == [t.idx for t in doc]
        assert tk.low == [t.lower_ for t in doc] and tk.ws == [t.whitespace_ for t in doc]
        assert tk.space == [t.is_space for t in doc]
        assert doc_sentence_spans(doc) == [(s.start_char, s.end_char) for s in doc.sents if s.text.strip()]
        assert doc.user_data["sent_tokens"] == [s.start for s in doc.sents]


def test_worker_gets_its_next_file_before_the_parent_stores(tmp_path):
    from extract.ingest import WorkerPool
    from extract.pipeline import Limits

    paths = []
    for name in FILES:
        shutil.copy(TRACKING / name, tmp_path)
        paths.append(str(tmp_path / name))
    seen = []
    with WorkerPool(1, Limits(timeout=120)) as pool:
        for rec in pool.run(paths):
            seen.append(rec.source)
            busy = [w.job for w in pool.workers if w.job is not None]
            assert busy == ([] if len(seen) == len(paths) else [paths[len(seen)]])
    assert seen == paths


def test_a_busy_worker_has_its_next_file_waiting(tmp_path, monkeypatch):
    """Each worker holds one more document while enough are left for all: it starts it the moment it
    finishes, instead of waiting for the parent to store a record first."""
    import extract.workers as workers_mod
    from extract.ingest import WorkerPool
    from extract.pipeline import Limits

    # no parsing ahead (a parse made ahead is only handed to an idle worker): the test runs alone or after others
    monkeypatch.setattr(workers_mod, "_pipeline_loaded", lambda: True)

    paths = []
    for copy in range(2):
        for name in FILES:
            paths.append(str(tmp_path / f"{copy}-{name}"))
            shutil.copy(TRACKING / name, paths[-1])
    seen, held = [], []
    with WorkerPool(1, Limits(timeout=120)) as pool:
        for rec in pool.run(paths):
            seen.append(rec.source)
            held.append(pool.workers[0].queued)
    assert seen == paths
    # after record k the worker is on k+1 and holds k+2, while more than one is left to hand out
    n = len(paths)
    assert held == [paths[k + 2] if n - (k + 2) > 1 else None for k in range(n)]
    assert held[0]


def test_a_waiting_document_s_time_limit_counts_from_when_the_worker_began_it(tmp_path, monkeypatch):
    """The deadline of a document held by a worker starts when the worker ended the one before (and
    began it), not when the parent, busy storing, got round to reading that result."""
    import time

    import extract.workers as workers_mod
    from extract.ingest import WorkerPool
    from extract.pipeline import Limits

    monkeypatch.setattr(workers_mod, "_pipeline_loaded", lambda: True)  # no parsing ahead: every job is queued

    paths = []
    for copy in range(2):
        for name in FILES:
            paths.append(str(tmp_path / f"{copy}-{name}"))
            shutil.copy(TRACKING / name, paths[-1])
    late = []
    with WorkerPool(1, Limits(timeout=120)) as pool:
        for k, _ in enumerate(pool.run(paths)):
            if k == 0:
                time.sleep(2.0)  # a slow store: the worker ends its next document meanwhile
            elif k == 1:
                late.append(time.monotonic() - pool.workers[0].started)
    assert late and late[0] > 1.0, "the deadline of the document begun during the store counts from its start"


def test_dismissed_workers_exit_on_their_own_while_the_batch_finishes(tmp_path):
    """After the last record, idle workers are asked to exit without being waited for; they exit
    cleanly (not killed), and closing the pool afterwards only reaps them."""
    from extract.ingest import WorkerPool
    from extract.pipeline import Limits

    paths = []
    for name in FILES:
        shutil.copy(TRACKING / name, tmp_path)
        paths.append(str(tmp_path / name))
    with WorkerPool(2, Limits(timeout=120)) as pool:
        assert len(list(pool.run(paths))) == len(paths)
        procs = [w.proc for w in pool.workers]
        pool.dismiss()
        pool.dismiss()  # once is enough; again changes nothing
        assert pool.workers == [] and [w.proc for w in pool.dismissed] == procs
        for proc in procs:
            proc.join(timeout=30)
            assert proc.exitcode == 0, "a dismissed worker exits by itself"
        # a later run on the same pool starts new workers
        again = list(pool.run(paths[:2]))
        assert sorted(r.source for r in again) == sorted(paths[:2])
        assert all(r.parsed.status == "ok" for r in again)
        assert len(pool.workers) == 2 and not {w.proc for w in pool.workers} & set(procs)
    assert pool.workers == [] and pool.dismissed == []


@pytest.mark.skipif(sys.platform == "win32", reason="socket pair pipes are a POSIX detail")
def test_a_worker_sends_a_whole_large_record_without_waiting_for_the_parent():
    """A worker's end of its pipe holds a record of 300 kB unread, so it can start its next document
    while the parent is still storing the one before (the system default holds about 200 kB)."""
    import multiprocessing
    import socket
    import threading

    from extract.workers import PIPE_BUFFER_BYTES, _roomy

    def send_buffer(conn):
        probe = socket.socket(fileno=os.dup(conn.fileno()))
        try:
            return probe.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF)
        finally:
            probe.close()

    parent, child = multiprocessing.get_context("fork").Pipe(duplex=True)
    try:
        before = send_buffer(child)
        _roomy(child)
        size = send_buffer(child)
        assert size > before or before >= 2 * PIPE_BUFFER_BYTES, "the buffer grew (up to what the system allows)"
        if size < 600_000:  # room for 300 kB of data and the kernel's bookkeeping
            pytest.skip(f"this system caps a socket's send buffer at {size} bytes")
        sender = threading.Thread(target=child.send, args=(("done", "x" * 300_000),), daemon=True)
        sender.start()
        sender.join(timeout=10)
        assert not sender.is_alive(), "the send waited for the reader"
        assert parent.recv() == ("done", "x" * 300_000)
    finally:
        parent.close()
        child.close()


AHEAD_SCRIPT = r"""
import gc, json, sys
from dataclasses import asdict
import extract.workers as workers
from extract.pipeline import Limits, process_file
from extract.workers import WorkerPool

plain_run_job = workers.run_job

def run_job(path, limits, prepared=None):
    # the collector is paused while the pipeline loads, never in a worker (its record would be a crash)
    if not gc.isenabled():
        raise SystemExit("garbage collector off in a worker")
    if gc.get_threshold()[0] != workers.WORKER_GC_THRESHOLD:
        raise SystemExit("a worker collects at the default threshold")
    return plain_run_job(path, limits, prepared)

workers.run_job = run_job
paths = sys.argv[1:]
threshold = gc.get_threshold()
frozen = []  # objects the collector skips in this process while each record arrives
with WorkerPool(2, Limits(timeout=120)) as pool:
    got = {}
    for rec in pool.run(paths):
        got[rec.source] = rec
        frozen.append(gc.get_freeze_count())
    ahead = pool.parsed_ahead
same = []
for p in paths:  # the pipeline is loaded here now: the same documents, processed the plain way
    a, b = asdict(got[p]), asdict(process_file(p))
    a.pop("seconds"), b.pop("seconds")
    same.append(a == b)
print(json.dumps({"ahead": ahead, "same": same, "n": len(got), "gc": gc.isenabled(), "frozen": frozen,
                  "frozen_after": gc.get_freeze_count(), "threshold_kept": gc.get_threshold() == threshold}))
"""


def test_documents_parsed_ahead_while_the_pipeline_loads_give_the_same_records(tmp_path):
    """A fresh batch process parses documents in a spaCy-free process while it loads the pipeline.

    Run in a new interpreter, as ``minutes ingest`` runs, where nothing has loaded spaCy yet.
    """
    import json
    import subprocess
    import sys

    docs = Path(__file__).resolve().parents[1] / "corpus" / "documents"
    paths = [str(p) for p in sorted(docs.iterdir())] + [str(TRACKING / name) for name in FILES]
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")  # fails while parsing ahead: its record comes back without a worker
    paths.append(str(empty))
    out = subprocess.run([sys.executable, "-c", AHEAD_SCRIPT, *paths], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[1], timeout=300, check=True)
    res = json.loads(out.stdout.strip().splitlines()[-1])
    assert res["n"] == len(paths)
    assert all(res["same"]), [p for p, ok in zip(paths, res["same"], strict=True) if not ok]
    assert res["ahead"] >= 1, "loading spaCy takes long enough to parse at least the first document"
    assert res["gc"], "the garbage collector is back on after the pipeline loaded"
    assert res["threshold_kept"], "only the workers collect less often, not the process that runs the batch"
    # the pipeline's objects stay out of this process's collections while it stores the batch, then rejoin them
    assert min(res["frozen"]) > 50_000, res["frozen"]
    assert res["frozen_after"] == 0


def test_the_warm_up_text_reaches_every_rule_family():
    """The text the batch process runs before forking its workers exercises every stage it warms."""
    from extract.pipeline import process_bytes
    from extract.workers import WARM_UP

    rec = process_bytes(WARM_UP.read_bytes(), WARM_UP.name)
    ext = rec.extraction
    assert rec.parsed.status == "ok" and rec.segmentation.kind == "minutes"
    assert rec.segmentation.meeting.date == "2024-03-12" and len(rec.segmentation.items) == 3
    assert ext.people and ext.actions and ext.decisions and ext.figures and ext.targets and ext.evidence


def test_a_batch_goes_on_when_it_cannot_parse_ahead(tmp_path, monkeypatch):
    """No temporary folder for the results parsed ahead: the workers parse every document."""
    import tempfile

    import extract.workers as workers_mod
    from extract.pipeline import Limits

    def no_folder(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tempfile, "mkdtemp", no_folder)
    monkeypatch.setattr(workers_mod, "_pipeline_loaded", lambda: False)
    paths = []
    for name in FILES[:3]:
        shutil.copy(TRACKING / name, tmp_path)
        paths.append(str(tmp_path / name))
    with workers_mod.WorkerPool(2, Limits(timeout=120)) as pool:
        got = sorted(rec.source for rec in pool.run(paths))
        assert pool.parsed_ahead == 0
    assert got == sorted(paths)


def test_result_folders_of_killed_batches_are_removed(tmp_path, monkeypatch):
    """kill -9 leaves the folder of documents parsed ahead behind; the next batch removes it."""
    import subprocess
    import sys
    import tempfile

    import extract.workers as workers_mod

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True)
    stale = tmp_path / f"minutes-ahead-{gone.stdout.strip()}-abc123"
    stale.mkdir()
    (stale / "0.pickle").write_bytes(b"left behind")
    mine = tmp_path / f"minutes-ahead-{os.getpid()}-def456"  # a batch of this very process: kept
    mine.mkdir()
    workers_mod._remove_stale_folders()
    assert not stale.exists() and mine.exists()


def test_batches_link_only_their_documents_and_recover_after_a_failure(tmp_path, monkeypatch):
    from extract import ingest as ingest_mod
    from extract.resolve import targets as targets_mod

    calls = _second_call_fails(monkeypatch, targets_mod, "plan_links",
                               lambda documents=None: None if documents is None else len(documents))
    folder, db = _three_batches(tmp_path, "target linking")
    (folder / FILES[0]).write_text((TRACKING / FILES[0]).read_text() + "\nA changed copy.\n")
    ingest_mod.ingest(db, [folder], workers=1)  # then only the batch's documents again
    assert calls == [1, 1, None, 1]


@pytest.mark.parametrize(("module", "plan", "stage", "flag"), [
    ("targets", "LinkPlan", "target linking", "targets_link_all"),
    ("actions", "TrackingPlan", "action tracking", "actions_track_all"),
])
def test_a_stage_whose_changes_cannot_be_written_keeps_its_flag_and_the_batch_finishes(
        tmp_path, monkeypatch, module, plan, stage, flag):
    """The stages work out their changes first and write them after: a failed write is a failed stage."""
    import importlib

    from extract import ingest as ingest_mod
    from extract.store import fts_live, open_db

    cls = getattr(importlib.import_module(f"extract.resolve.{module}"), plan)
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(TRACKING / FILES[0], folder)
    db = open_db(tmp_path / "a.db")

    def broken(self, db):
        raise RuntimeError("write broke")

    monkeypatch.setattr(cls, "apply", broken)
    result = ingest_mod.ingest(db, [folder], workers=1)
    assert any(f"{stage} failed (RuntimeError: write broke)" in w for w in result.warnings)
    assert ingest_mod._meta_value(db, flag) == "1"  # the next batch runs the stage over the whole archive
    assert fts_live(db) and ingest_mod._batch_flag(db) is None  # the rest of the batch finished
    other = "actions_track_all" if flag == "targets_link_all" else "targets_link_all"
    assert ingest_mod._meta_value(db, other) is None


_WARM_UP_PROBE = r"""
import json, shutil, sys, tempfile
from pathlib import Path
from extract.ingest import ingest
from extract.store import open_db
work = Path(tempfile.mkdtemp())
for name in sys.argv[1:]:
    shutil.copy(name, work / Path(name).name)
db = open_db(work / "a.db")
res = ingest(db, [work / Path(n).name for n in sys.argv[1:]], workers=2)
print(json.dumps({"statuses": dict(res.statuses), "html": "extract.parse.html" in sys.modules,
                  "bs4": "bs4" in sys.modules, "pdf": "extract.parse.pdf" in sys.modules}))
"""


def _probe_warm_up(*names: str) -> dict:
    import json
    import subprocess
    import sys

    from conftest import CORPUS

    out = subprocess.run([sys.executable, "-c", _WARM_UP_PROBE, *(str(CORPUS / n) for n in names)],
                         capture_output=True, text=True, timeout=300, check=True,
                         cwd=Path(__file__).resolve().parents[1])
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_batch_process_loads_only_the_parsers_its_documents_need():
    """A batch of PDFs never imports BeautifulSoup before forking; one holding HTML does, and stores it."""
    pdfs = _probe_warm_up("northmere-safer-northmere-strategy-2022-2025.pdf",
                          "northmere-snpb-2024-09-18-item-4-strategic-assessment-2023-24.pdf")
    assert pdfs["statuses"] == {"ok": 2}
    assert pdfs["pdf"] and not pdfs["html"] and not pdfs["bs4"]
    mixed = _probe_warm_up("northmere-safer-northmere-strategy-2022-2025.pdf",
                           "northmere-snpb-2024-06-12-agenda-and-minutes.html")
    assert mixed["statuses"] == {"ok": 2}
    assert mixed["pdf"] and mixed["html"]
