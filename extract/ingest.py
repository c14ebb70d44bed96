"""Batch ingest: find files, process them (in parallel), store them with one writer.

Parsing and NLP run in worker processes; only this process writes to SQLite,
one transaction per document, so two documents never interleave and a crash
loses at most the document being written. Full-text indexes and cross-meeting
action tracking run once at the end of the batch.

Each worker runs one document at a time under a deadline (``Limits.timeout``):
a document that takes too long, or kills its worker, is recorded as failed
with the reason and the batch goes on (:mod:`extract.workers`).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import stat
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol, TypeVar

import sqlite_utils

from . import __version__
from .detect import detect_format
from .pipeline import Limits, document_id, read_file
from .records import DocumentRecord, Extraction, Segmentation
from .store import (
    drop_if_orphaned,
    forget_people_memo,
    fts_live,
    known_document,
    pause_fts,
    pause_indexes,
    rebuilding_indexes,
    record_source,
    remove_orphans,
    write_document,
)
from .vocab import STATUS_FAILED, STATUS_PARTIAL, STATUSES
from .workers import TIMEOUT_RE, WorkerPool, largest_first, run_job

MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
DEFAULT_LIMITS = Limits()


@dataclass
class Skipped:
    path: str
    reason: str


@dataclass
class BatchResult:
    """What a batch did, for the summary line and for tests."""

    statuses: Counter = field(default_factory=Counter)
    documents: int = 0
    unchanged: int = 0
    duplicates: int = 0
    pages: int = 0
    words: int = 0
    seconds: float = 0.0
    failures: list[tuple[str, str, str]] = field(default_factory=list)  # (source, status, error)
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def extractor_version() -> str:
    """Fingerprint of the code version and the rule files: a change re-processes documents."""
    h = hashlib.sha256(__version__.encode())
    if MODELS_DIR.is_dir():
        for p in sorted(MODELS_DIR.rglob("*")):
            if p.is_file():
                h.update(p.relative_to(MODELS_DIR).as_posix().encode())
                h.update(p.read_bytes())
    return h.hexdigest()[:12]


def discover(paths: Iterable[str | Path], skipped: list[Skipped] | None = None) -> Iterator[Path]:
    """Yield document files under ``paths`` (recursively), in a stable order.

    Hidden files and folders are skipped; symlink loops, broken links and
    unreadable folders are reported in ``skipped`` rather than followed
    forever or crashing. A file reached twice (through a link) is yielded once.
    """
    skipped = skipped if skipped is not None else []
    seen_dirs: set[tuple[int, int]] = set()
    seen_files: set[tuple[int, int]] = set()

    def walk(p: Path) -> Iterator[Path]:
        try:
            st = p.stat()
        except OSError as exc:
            if exc.errno == 40:  # ELOOP: a link that leads back to itself
                skipped.append(Skipped(str(p), "symlink loop: the link leads back to itself"))
            elif p.is_symlink():
                skipped.append(Skipped(str(p), "broken link: its target does not exist"))
            else:
                skipped.append(Skipped(str(p), f"cannot access: {exc.strerror or exc}"))
            return
        if stat.S_ISDIR(st.st_mode):
            key = (st.st_dev, st.st_ino)
            if key in seen_dirs:
                skipped.append(Skipped(str(p), "symlink loop: folder already visited"))
                return
            seen_dirs.add(key)
            try:
                children = sorted(p.iterdir(), key=lambda c: c.name)
            except OSError as exc:
                skipped.append(Skipped(str(p), f"cannot list folder: {exc.strerror or exc}"))
                return
            for child in children:
                if child.name.startswith("."):
                    continue
                yield from walk(child)
        elif stat.S_ISREG(st.st_mode):
            key = (st.st_dev, st.st_ino)
            if key not in seen_files:
                seen_files.add(key)
                yield p
        else:
            skipped.append(Skipped(str(p), "not a regular file (device, pipe or socket)"))

    for path in paths:
        # Absolute paths: the same file ingested from another working folder is the same source.
        yield from walk(Path(os.path.abspath(path)))


# --------------------------------------------------------------------------- the batch


@dataclass
class _Plan:
    jobs: list[str] = field(default_factory=list)
    # document id -> more sources with the same bytes in this batch, stored once with the first
    copies: dict[str, list[str]] = field(default_factory=dict)
    job_ids: dict[str, str] = field(default_factory=dict)
    formats: set[str] = field(default_factory=set)  # of the jobs' documents, as their bytes say


def ingest(
    db: sqlite_utils.Database,
    paths: Iterable[str | Path],
    *,
    limits: Limits = DEFAULT_LIMITS,
    workers: int | None = None,
    force: bool = False,
    progress: Callable[[int], object] | None = None,
    on_total: Callable[[int], object] | None = None,
) -> BatchResult:
    """Ingest every document under ``paths`` into ``db``; never stops for a bad document.

    With ``limits.timeout`` set, or more than one worker, documents run in
    worker processes under that deadline; otherwise in this process.
    Raises ``sqlite3.OperationalError`` only when the database itself cannot
    be written (locked past the busy timeout, disk full, read-only).
    """
    result = BatchResult()
    t0 = time.perf_counter()
    version = extractor_version()
    own = _database_files(db)
    files = []
    for f in discover(paths, result.skipped):
        if _file_key(f) in own:
            result.skipped.append(Skipped(str(f), "the archive database itself (or its journal)"))
        else:
            files.append(f)
    if on_total:
        on_total(len(files))

    workers = workers or os.cpu_count() or 1
    written: list[str] = []

    def stored(rec: DocumentRecord) -> None:
        _store(db, rec, version, result)
        written.append(rec.id)
        copies = plan.copies.get(plan.job_ids.get(rec.source, ""), [])
        if copies and rec.id == plan.job_ids.get(rec.source):
            _record_copies(db, rec.id, copies)
        if progress:
            progress(1 + len(copies))

    with contextlib.ExitStack() as stack:
        # Spawned workers start (and load the pipeline) before the plan reads and hashes every file, so
        # the two overlap; forked ones start with the first job (see WorkerPool.run).
        n_workers = min(workers, len(files))
        pool = None
        if files and (limits.timeout or n_workers > 1):
            pool = stack.enter_context(WorkerPool(n_workers, limits))
        plan = _plan(db, files, limits, version, force, result, progress)
        unfinished = _batch_flag(db) is not None
        if plan.jobs:
            _batch_flag(db, set_to=time.strftime("%Y-%m-%dT%H:%M:%S"))
            if _rebuild_search_at_end(db, len(plan.jobs)):
                pause_fts(db)
                pause_indexes(db)  # the figures' sort and facet indexes, built once at the end too
        jobs = largest_first(plan.jobs)  # the order they are stored in, whatever the number of workers
        if pool is not None and jobs:
            # an unreadable file's format is unknown: it is recorded as failed without a parser
            for rec in in_job_order(pool.run(jobs, plan.formats), jobs):
                stored(rec)
            pool.dismiss()  # the workers exit while the batch is finished, not before
        else:
            for path in jobs:
                stored(run_job(path, limits))

        forget_people_memo(db)  # finishing writes: it would not be used again
        if result.documents or result.duplicates or unfinished:
            # an unfinished earlier batch may have stored documents it never tracked: track the whole archive
            _finish_batch(db, result, None if unfinished else written)
    result.seconds = time.perf_counter() - t0
    return result


# A batch of at least this share of the archive's documents rebuilds the search index at its end instead
# of indexing row by row. Measured on the bench's PDFs (91 documents into a new archive): indexing as
# rows are written cost 0.40 s of CPU more than storing without it, a rebuild after 0.046 s, so per
# row the triggers cost about 9 rebuilds; past an eighth of the archive, one rebuild is cheaper.
FTS_REBUILD_SHARE = 1 / 8


def _rebuild_search_at_end(db: sqlite_utils.Database, jobs: int) -> bool:
    """Whether a batch of ``jobs`` documents rebuilds its indexes at its end (see FTS_REBUILD_SHARE), so
    it may drop their row-by-row upkeep while it writes.

    A batch into a large archive keeps indexing as it goes: rebuilding the
    indexes of a million figures takes seconds, for one new document.
    """
    if not fts_live(db):
        return True  # a new archive, or a batch that did not finish: the end rebuilds them anyway
    existing = db.execute("SELECT count(*) FROM documents").fetchone()[0]
    return jobs >= existing * FTS_REBUILD_SHARE


# Records that may wait for an earlier one (see in_job_order): their text, in characters.
REORDER_HOLD_CHARS = 16_000_000


def in_job_order(
    records: Iterable[DocumentRecord], jobs: Sequence[str], hold_chars: int = REORDER_HOLD_CHARS
) -> Iterator[DocumentRecord]:
    """``records`` (one per job, as workers finish them) in the order of ``jobs``.

    People are resolved against the people already stored, so the order the
    documents are stored in decides which name form founds a person and which
    mentions merge: stored as they finished, the people of the same files
    differed between one worker and two (143 of 818 on the bench corpus), and
    could differ between two runs. Stored in job order, the archive is the same
    whatever the number of workers and however they are timed.

    A record that finishes before an earlier job's waits for it, but only while
    the waiting records hold at most ``hold_chars`` characters of text: past
    that (one document far slower than hundreds after it), the earliest waiting
    record is stored at once, so memory stays bounded and the batch goes on.
    """
    rank = {job: i for i, job in enumerate(jobs)}
    waiting: dict[int, DocumentRecord] = {}
    held = 0
    stored: set[int] = set()
    nxt = 0  # the first job not stored yet
    for rec in records:
        k = rank.get(rec.source)
        if k is None or k in stored or k in waiting:  # not a job of this list: nothing to wait for
            yield rec
            continue
        waiting[k] = rec
        held += _text_chars(rec)
        while waiting and (nxt in waiting or held > hold_chars):
            k = nxt if nxt in waiting else min(waiting)
            rec = waiting.pop(k)
            held -= _text_chars(rec)
            stored.add(k)
            yield rec
            while nxt in stored:
                nxt += 1
    for k in sorted(waiting):  # jobs that never came back (none should): the rest in order
        yield waiting[k]


def _text_chars(rec: DocumentRecord) -> int:
    return sum(len(p.text) for p in rec.parsed.pages)


_BATCH_FLAG = "batch_unfinished"


def _batch_flag(db: sqlite_utils.Database, *, set_to: str | None = None, clear: bool = False) -> str | None:
    """Read, set or clear the mark of a batch whose end-of-batch steps have not run.

    A batch killed after its last document was stored but before the search
    index and action tracking were rebuilt would otherwise look complete to
    the next run (every file unchanged) and never be finished.
    """
    if not db["_meta"].exists():
        return None
    if set_to is not None or clear:
        with db.conn:
            if clear:
                db.execute("DELETE FROM _meta WHERE key = ?", [_BATCH_FLAG])
            else:
                db.execute("INSERT OR REPLACE INTO _meta (key, value) VALUES (?, ?)", [_BATCH_FLAG, set_to])
        return set_to
    row = db.execute("SELECT value FROM _meta WHERE key = ?", [_BATCH_FLAG]).fetchone()
    return row[0] if row else None


def _meta_value(db: sqlite_utils.Database, key: str) -> str | None:
    if not db["_meta"].exists():
        return None
    row = db.execute("SELECT value FROM _meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def _set_meta(db: sqlite_utils.Database, key: str, value: str | None) -> None:
    if not db["_meta"].exists():
        return
    with db.conn:
        if value is None:
            db.execute("DELETE FROM _meta WHERE key = ?", [key])
        else:
            db.execute("INSERT OR REPLACE INTO _meta (key, value) VALUES (?, ?)", [key, value])


def _file_key(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def _database_files(db: sqlite_utils.Database) -> set[tuple[int, int] | None]:
    """The archive's own files, so ``minutes ingest .`` never reads the database as a document."""
    keys: set[tuple[int, int] | None] = set()
    for row in db.execute("PRAGMA database_list").fetchall():
        if row[2]:
            for suffix in ("", "-wal", "-shm", "-journal"):
                keys.add(_file_key(Path(row[2] + suffix)))
    keys.discard(None)
    return keys


def _plan(
    db: sqlite_utils.Database,
    files: list[Path],
    limits: Limits,
    version: str,
    force: bool,
    result: BatchResult,
    progress: Callable[[int], object] | None,
) -> _Plan:
    """Decide what to process: skip unchanged files, process each content once.

    Every file is read here once to hash it (content ids): a copy of a file
    already in the archive only gains a source row, and copies within this
    batch are processed once and recorded as sources of the one document.
    """
    plan = _Plan()
    first_of: dict[str, str] = {}
    for f in files:
        data, _problem = read_file(f, limits)
        if data is None:  # unreadable or over the size limit: the worker records why
            plan.jobs.append(str(f))
            continue
        doc_id, _sha = document_id(data, str(f))
        fmt = detect_format(data, f.name)
        del data
        if doc_id in first_of:
            plan.copies.setdefault(doc_id, []).append(str(f))
            result.duplicates += 1
            continue
        if not force and _unchanged(db, f, doc_id, limits, version):
            result.unchanged += 1
            if progress:
                progress(1)
            first_of[doc_id] = str(f)
            continue
        first_of[doc_id] = str(f)
        plan.jobs.append(str(f))
        plan.job_ids[str(f)] = doc_id
        plan.formats.add(fmt)
    # Copies of an unchanged document: record their sources now, nothing to process.
    for doc_id, copies in list(plan.copies.items()):
        if first_of[doc_id] not in plan.job_ids:
            _record_copies(db, doc_id, copies)
            if progress:
                progress(len(copies))
            del plan.copies[doc_id]
    return plan


def _record_copies(db: sqlite_utils.Database, doc_id: str, sources: list[str]) -> None:
    """Point more file names at one stored document (same bytes, stored once)."""
    with db.conn:
        for source in sources:
            previous = record_source(db, doc_id, source, os.path.basename(source))
            if previous:
                drop_if_orphaned(db, previous)


def _retry(row: dict, limits: Limits) -> bool:
    """Whether a document that failed last time should be tried again.

    Failures usually depend on the options (a password, a size or page
    limit) or on a file fixed in place, so failed documents are retried;
    except one that timed out when the time limit has not been raised.
    """
    if row["status"] != STATUS_FAILED:
        return False
    m = TIMEOUT_RE.match(row.get("error") or "")
    return not (m and limits.timeout and limits.timeout <= float(m.group(1)))


def _unchanged(db: sqlite_utils.Database, path: Path, doc_id: str, limits: Limits, version: str) -> bool:
    """True when this exact content was already ingested by this extractor version."""
    row = known_document(db, doc_id)
    if not row or row["extractor"] != version or _retry(row, limits):
        return False
    # Same bytes under a new name: record the new source, nothing to re-extract.
    _record_copies(db, doc_id, [str(path)])
    return True


def _degraded(rec: DocumentRecord, exc: Exception, level: int) -> DocumentRecord:
    """A smaller record to store when the full one could not be written.

    Level 1 keeps the text and agenda items but drops extracted items (status
    partial); level 2 keeps only the text (status failed).
    """
    what = f"{type(exc).__name__}: {exc}"
    parsed = replace(rec.parsed)
    if level == 1:
        if parsed.status != STATUS_FAILED:
            parsed.status = STATUS_PARTIAL
        note = f"extracted items could not be stored ({what}; a bug, please report it); text and agenda items kept"
        parsed.error = f"{parsed.error}; {note}" if parsed.error else note
        return replace(rec, parsed=parsed, extraction=Extraction())
    parsed.status = STATUS_FAILED
    parsed.tables = []
    parsed.error = f"the document could not be stored ({what}; a bug, please report it); only its text is kept"
    return replace(rec, parsed=parsed, segmentation=Segmentation(), extraction=Extraction())


def _store(db: sqlite_utils.Database, rec: DocumentRecord, version: str, result: BatchResult) -> None:
    """Write one record; a bug in writing it degrades that document, never the batch.

    ``sqlite3.OperationalError`` (database locked, disk full, read-only) is
    about the database, not the document, and is raised.
    """
    try:
        write_document(db, rec, extractor=version)
    except sqlite3.OperationalError:
        raise
    except Exception as exc:  # the transaction was rolled back: store less, record why
        traceback.print_exc(file=sys.stderr)
        for level in (1, 2):
            rec = _degraded(rec, exc, level)
            try:
                # No extractor version: the next run processes this document again.
                write_document(db, rec, extractor=None)
                break
            except sqlite3.OperationalError:
                raise
            except Exception as again:  # noqa: BLE001
                exc = again
        else:
            raise
    status = rec.parsed.status if rec.parsed.status in STATUSES else STATUS_FAILED
    result.statuses[status] += 1
    result.documents += 1
    result.pages += rec.parsed.page_count or (1 if rec.parsed.pages else 0)
    result.words += len(rec.parsed.text.split())
    if status != "ok":
        result.failures.append((rec.source, status, rec.parsed.error or ""))


_TRACK_ALL_FLAG = "actions_track_all"
_LINK_ALL_FLAG = "targets_link_all"

# The tables the finishing stages write (tracking merges, closes and dates actions): their search indexes
# are rebuilt after the stages, the others beside them (see rebuilding_indexes)
_FINISH_WRITES = ("actions",)


_T = TypeVar("_T")


class _Changes(Protocol):
    """A finishing stage's changes, worked out and not yet written."""

    def apply(self, db: sqlite_utils.Database) -> object: ...


def _stage_run(
    name: str, step: Callable[[sqlite_utils.Database], _T], db: sqlite_utils.Database, result: BatchResult | None
) -> tuple[bool, _T | None]:
    """(True, ``step(db)``), or (False, None) after reporting its failure as a warning (the documents stay
    stored). A database that cannot be written (``sqlite3.OperationalError``) stops the batch instead.
    """
    try:
        return True, step(db)
    except sqlite3.OperationalError:
        raise
    except Exception as exc:  # noqa: BLE001
        traceback.print_exc(file=sys.stderr)
        if db.conn.in_transaction:
            db.conn.rollback()
        if result is not None:
            result.warnings.append(
                f"{name} failed ({type(exc).__name__}: {exc}); documents are stored, "
                f"but the {name} results were not updated"
            )
        return False, None


def _finish_batch(
    db: sqlite_utils.Database, result: BatchResult | None = None, written: Iterable[str] | None = None
) -> None:
    """Once per batch: drop orphans, link targets, track actions, and bring the search indexes up to date.

    The cross-document stages are later pipeline stages; if one fails the
    documents stay stored, the failure is reported as a warning and the
    search indexes are still brought up to date. Each stage's flag in
    ``_meta`` stays set until it succeeds: after a failure (or a kill) the
    next batch sees it and runs that stage over the whole archive.

    ``written`` are the ids of the documents this batch stored: action
    tracking then re-reads only the bodies they can change (see
    :func:`extract.resolve.actions.touched_bodies`) and target linking makes
    again only the links they can change; None tracks and links the whole
    archive (as does the batch after one whose tracking or linking failed)
    and rebuilds the search indexes. Otherwise they are rebuilt only when the batch paused
    their row-by-row upkeep (see :func:`_rebuild_search_at_end`), beside the
    stages: linking and tracking compute in Python while SQLite rebuilds.
    """
    written = None if written is None else list(written)  # read by two stages
    remove_orphans(db)
    # (name, flag, plan): each stage works out its changes by reading (the plan), then writes them (its apply)
    stages: list[tuple[str, str, Callable[[sqlite_utils.Database], _Changes]]] = []
    try:
        from .resolve.targets import plan_links

        link_all = written is None or _meta_value(db, _LINK_ALL_FLAG) is not None
        linked = None if link_all else written
        stages.append(("target linking", _LINK_ALL_FLAG, lambda db: plan_links(db, linked)))
    except ImportError:
        pass
    try:
        from .resolve import actions as resolve_actions

        track_all = written is None or _meta_value(db, _TRACK_ALL_FLAG) is not None
        bodies = None if track_all else resolve_actions.touched_bodies(db, written)
        stages.append(("action tracking", _TRACK_ALL_FLAG,
                       lambda db: resolve_actions.plan_tracking(db, bodies=bodies)))
        # tracking makes the action_log view the first time: a schema change, made before the rebuild holds
        # the write lock (it waited for the whole rebuild)
        if not _stage_run("action tracking", resolve_actions.ensure_action_log_view, db, result)[0]:
            stages.pop()
    except ImportError:
        pass
    for _, flag, _ in stages:  # before the rebuild holds the write lock
        _set_meta(db, flag, "1")
    # paused for this batch, never built, or after a batch that did not finish (nothing it left is
    # trusted); otherwise the triggers kept the indexes up to date row by row
    rebuild = written is None or not fts_live(db)
    with rebuilding_indexes(db, after=_FINISH_WRITES) if rebuild else contextlib.nullcontext():
        # every stage works out its changes first, then they are written: the writes wait for the rebuild
        plans = [(name, flag, *_stage_run(name, plan, db, result)) for name, flag, plan in stages]
        for name, flag, planned, plan in plans:
            if planned and _stage_run(name, plan.apply, db, result)[0]:
                _set_meta(db, flag, None)
    _batch_flag(db, clear=True)
