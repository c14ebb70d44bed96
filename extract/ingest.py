"""Batch ingest: find files, process them (in parallel), store them with one writer.

Parsing and NLP run in worker processes; only this process writes to SQLite,
one transaction per document, so two documents never interleave and a crash
loses at most the document being written. Full-text indexes and cross-meeting
action tracking run once at the end of the batch.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import stat
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from . import __version__
from .pipeline import Limits, process_file, read_file, document_id
from .records import DocumentRecord
from .store import (
    drop_if_orphaned,
    known_document,
    rebuild_fts,
    record_source,
    remove_orphans,
    write_document,
)
from .vocab import STATUSES

MODELS_DIR = Path(__file__).resolve().parent.parent / "models"


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
    pages: int = 0
    words: int = 0
    seconds: float = 0.0
    failures: list[tuple[str, str, str]] = field(default_factory=list)  # (source, status, error)
    skipped: list[Skipped] = field(default_factory=list)


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

    Hidden files and folders are skipped; symlink loops and unreadable folders
    are reported in ``skipped`` rather than followed forever or crashing.
    """
    skipped = skipped if skipped is not None else []
    seen_dirs: set[tuple[int, int]] = set()
    seen_files: set[str] = set()

    def walk(p: Path) -> Iterator[Path]:
        try:
            st = p.stat()
        except OSError as exc:
            skipped.append(Skipped(str(p), f"cannot access: {exc.strerror or exc} (broken link or missing file)"))
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
            real = os.path.realpath(p)
            if real not in seen_files:
                seen_files.add(real)
                yield p
        else:
            skipped.append(Skipped(str(p), "not a regular file"))

    for path in paths:
        # Absolute paths: the same file ingested from another working folder is the same source.
        yield from walk(Path(os.path.abspath(path)))


def _worker_init() -> None:
    # Warm the NLP pipeline once per worker rather than once per document.
    try:
        from .nlp.pipeline import load_nlp

        load_nlp()
    except ImportError:
        pass


def _work(args: tuple[str, Limits]) -> DocumentRecord:
    path, limits = args
    return process_file(path, limits)


def ingest(
    db: sqlite_utils.Database,
    paths: Iterable[str | Path],
    *,
    limits: Limits = Limits(),
    workers: int | None = None,
    force: bool = False,
    progress: Callable[[int], object] | None = None,
    on_total: Callable[[int], object] | None = None,
) -> BatchResult:
    """Ingest every document under ``paths`` into ``db``; never stops for a bad document."""
    result = BatchResult()
    t0 = time.perf_counter()
    version = extractor_version()
    files = list(discover(paths, result.skipped))
    if on_total:
        on_total(len(files))

    todo: list[str] = []
    for f in files:
        if not force and _unchanged(db, f, limits, version):
            result.unchanged += 1
            if progress:
                progress(1)
            continue
        todo.append(str(f))

    workers = workers or os.cpu_count() or 1
    jobs = [(p, limits) for p in todo]
    if workers > 1 and len(jobs) > 1:
        ctx = multiprocessing.get_context("spawn" if os.name == "nt" else "fork")
        with ctx.Pool(min(workers, len(jobs)), initializer=_worker_init) as pool:
            for rec in pool.imap_unordered(_work, jobs, chunksize=1):
                _store(db, rec, version, result)
                if progress:
                    progress(1)
    else:
        for job in jobs:
            _store(db, _work(job), version, result)
            if progress:
                progress(1)

    if result.documents:
        _finish_batch(db)
    result.seconds = time.perf_counter() - t0
    return result


def _unchanged(db: sqlite_utils.Database, path: Path, limits: Limits, version: str) -> bool:
    """True when this exact file was already ingested by this extractor version."""
    data, _ = read_file(path, limits)
    if data is None:
        return False
    doc_id, _sha = document_id(data, str(path))
    row = known_document(db, doc_id)
    if not row or row["extractor"] != version:
        return False
    # Same bytes under a new name: record the new source, nothing to re-extract.
    with db.conn:
        previous = record_source(db, doc_id, str(path), path.name)
        if previous:
            drop_if_orphaned(db, previous)
    return True


def _store(db: sqlite_utils.Database, rec: DocumentRecord, version: str, result: BatchResult) -> None:
    write_document(db, rec, extractor=version)
    status = rec.parsed.status if rec.parsed.status in STATUSES else "failed"
    result.statuses[status] += 1
    result.documents += 1
    result.pages += rec.parsed.page_count or (1 if rec.parsed.pages else 0)
    result.words += len(rec.parsed.text.split())
    if status != "ok":
        result.failures.append((rec.source, status, rec.parsed.error or ""))


def _finish_batch(db: sqlite_utils.Database) -> None:
    remove_orphans(db)
    try:
        from .resolve.actions import track_actions
    except ImportError:
        track_actions = None
    if track_actions is not None:
        track_actions(db)
    from .resolve.targets import link_targets

    link_targets(db)
    rebuild_fts(db)
