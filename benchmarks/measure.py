"""Measurements of ingest: the real batch, a per-stage pass, the floor, and process-tree memory.

Each measurement is a plain function returning a dict of numbers, so the
runner can print them, write them as JSON and compare runs. Nothing here
changes the pipeline: per-stage and per-phase times come from timing the
public stage functions (``parse_bytes``, ``segment``, ``run_nlp``,
``write_document``, ``track_actions``, ``rebuild_fts``) and, inside the real
``extract.ingest.ingest``, from wrapping its module-level helpers for the
duration of one run in a child process.
"""

from __future__ import annotations

import contextlib
import cProfile
import io
import json
import multiprocessing
import os
import pstats
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

MB = 1024 * 1024


def files_under(paths: Iterable[Path]) -> list[Path]:
    """Document files under ``paths`` in the order ingest discovers them (hidden files skipped)."""
    from extract.ingest import discover

    return list(discover(paths))


def _kib_to_mb(v: float) -> float:
    return round(v / 1024, 1)


def _file_kind(path: Path, data: bytes | None = None) -> str:
    from extract.detect import detect_format

    data = path.read_bytes() if data is None else data
    return detect_format(data, path.name)


def _cpu_seconds() -> float:
    """CPU time of this process and its reaped children (pool workers count once the pool has closed)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


# --------------------------------------------------------------------------- floor

_FLOOR_NLP: Any = None


def _floor_init() -> None:
    global _FLOOR_NLP
    import spacy

    _FLOOR_NLP = spacy.blank("en")


def floor_file(path: str) -> tuple[int, int, int]:
    """(pages, words, tokens) of one file read the cheapest sensible way, then tokenised.

    PDF: pypdfium2 text of every page. HTML: lxml's text content. Text: decoded
    bytes. Tokens come from the bare spaCy English tokenizer (``tokenizer.pipe``).
    """
    if _FLOOR_NLP is None:
        _floor_init()
    data = Path(path).read_bytes()
    fmt = _file_kind(Path(path), data)
    texts: list[str] = []
    pages = 0
    if fmt == "pdf":
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(data)
        try:
            for i in range(len(pdf)):
                page = pdf[i]
                tp = page.get_textpage()
                texts.append(tp.get_text_range())
                tp.close()
                page.close()
            pages = len(pdf)
        finally:
            pdf.close()
    elif fmt == "html":
        import lxml.html

        texts.append(lxml.html.document_fromstring(data).text_content())
        pages = 1
    else:
        texts.append(data.decode("utf-8", errors="replace"))
        pages = 1
    words = sum(len(t.split()) for t in texts)
    tokens = sum(len(doc) for doc in _FLOOR_NLP.tokenizer.pipe(texts))
    return pages, words, tokens


def floor(files: list[Path], workers: int) -> dict[str, Any]:
    """The floor: text extraction plus tokenisation only, over the same files and cores as ingest."""
    t0 = time.perf_counter()
    cpu0 = _cpu_seconds()
    jobs = [str(f) for f in files]
    if workers > 1 and len(jobs) > 1:
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(min(workers, len(jobs)), initializer=_floor_init) as pool:
            out = list(pool.imap_unordered(floor_file, jobs, chunksize=1))
    else:
        _floor_init()
        out = [floor_file(j) for j in jobs]
    secs = time.perf_counter() - t0
    cpu = _cpu_seconds() - cpu0
    pages = sum(o[0] for o in out)
    words = sum(o[1] for o in out)
    return {
        "seconds": round(secs, 3), "cpu_seconds": round(cpu, 2), "documents": len(jobs), "pages": pages,
        "words": words,
        "tokens": sum(o[2] for o in out), "pages_per_s": round(pages / secs, 1),
        "words_per_s": round(words / secs), "workers": workers,
    }


# --------------------------------------------------------------------------- stages


@contextlib.contextmanager
def _patched(obj: Any, name: str, wrapper: Callable[[Callable], Callable]) -> Iterator[None]:
    original = getattr(obj, name)
    setattr(obj, name, wrapper(original))
    try:
        yield
    finally:
        setattr(obj, name, original)


def _timed(bucket: dict[str, float], key: str) -> Callable[[Callable], Callable]:
    def wrap(fn: Callable) -> Callable:
        def inner(*args: Any, **kwargs: Any) -> Any:
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                bucket[key] = bucket.get(key, 0.0) + time.perf_counter() - t
        return inner
    return wrap


def stage_pass(files: list[Path], db_path: Path) -> dict[str, Any]:
    """Every stage timed on its own, in one process, over ``files``, writing a fresh database.

    parse = ``parse_bytes``; segment = ``segment``; nlp = ``run_nlp``;
    resolve = ``assign_people`` (called by the store per document) plus
    ``track_actions`` (once per batch); store = ``write_document`` without
    its ``assign_people`` share, plus ``remove_orphans``; fts = ``rebuild_fts``.
    Documents are read, processed and dropped one at a time.
    """
    import extract.resolve.people as people_mod
    from extract.nlp import run_nlp
    from extract.nlp.pipeline import load_nlp
    from extract.pipeline import document_id
    from extract.records import DocumentRecord, Extraction, Segmentation
    from extract.segment import segment
    from extract.store import open_db, rebuild_fts, remove_orphans, write_document

    t = time.perf_counter()
    load_nlp()
    t_load = time.perf_counter() - t
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    db = open_db(db_path)
    from extract.parse import parse_bytes

    secs: dict[str, float] = {k: 0.0 for k in ("read", "parse", "segment", "nlp", "resolve", "store", "fts")}
    by_format: dict[str, dict[str, float]] = {}
    pages = words = docs = 0
    with _patched(people_mod, "assign_people", _timed(secs, "resolve")):
        for path in files:
            t0 = time.perf_counter()
            data = path.read_bytes()
            doc_id, sha = document_id(data, str(path))
            t1 = time.perf_counter()
            parsed = parse_bytes(data, path.name)
            t2 = time.perf_counter()
            seg = segment(parsed, path.name) if parsed.text.strip() else Segmentation()
            t3 = time.perf_counter()
            ext = run_nlp(parsed, seg) if parsed.text.strip() else Extraction()
            t4 = time.perf_counter()
            rec = DocumentRecord(id=doc_id, source=str(path), filename=path.name, sha256=sha, size=len(data),
                                 parsed=parsed, segmentation=seg, extraction=ext, seconds=t4 - t1)
            before = secs["resolve"]
            write_document(db, rec, extractor="bench")
            t5 = time.perf_counter()
            secs["read"] += t1 - t0
            secs["parse"] += t2 - t1
            secs["segment"] += t3 - t2
            secs["nlp"] += t4 - t3
            secs["store"] += (t5 - t4) - (secs["resolve"] - before)
            n_pages = parsed.page_count or (1 if parsed.pages else 0)
            n_words = len(parsed.text.split())
            f = by_format.setdefault(parsed.format, {"documents": 0, "pages": 0, "words": 0, "parse": 0.0,
                                                     "segment": 0.0, "nlp": 0.0})
            f["documents"] += 1
            f["pages"] += n_pages
            f["words"] += n_words
            f["parse"] += t2 - t1
            f["segment"] += t3 - t2
            f["nlp"] += t4 - t3
            pages += n_pages
            words += n_words
            docs += 1
    t = time.perf_counter()
    remove_orphans(db)
    secs["store"] += time.perf_counter() - t
    t = time.perf_counter()
    try:
        from extract.resolve.actions import track_actions

        track_actions(db)
    except ImportError:
        pass
    secs["resolve"] += time.perf_counter() - t
    t = time.perf_counter()
    rebuild_fts(db)
    secs["fts"] += time.perf_counter() - t
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    total = sum(secs.values())
    stages = {
        k: {"seconds": round(v, 3), "share": round(v / total, 3) if total else 0.0,
            "pages_per_s": round(pages / v, 1) if v else None, "words_per_s": round(words / v) if v else None}
        for k, v in secs.items()
    }
    for f in by_format.values():
        for k in ("parse", "segment", "nlp"):
            f[k] = round(f[k], 3)
    return {"documents": docs, "pages": pages, "words": words, "seconds": round(total, 3),
            "nlp_load_seconds": round(t_load, 3), "stages": stages, "by_format": by_format}


def nlp_components(files: list[Path]) -> dict[str, Any]:
    """Seconds and words/s of each spaCy component over ``files``, run one component at a time.

    Chunks are cut as :func:`extract.nlp.run_nlp` cuts them and carry the same
    ``user_data``, so each component sees what it sees in the pipeline.
    """
    from extract.nlp import chunk_bounds
    from extract.nlp.pipeline import load_nlp
    from extract.parse import parse_bytes
    from extract.segment import segment

    nlp = load_nlp()
    secs: dict[str, float] = {"make_doc": 0.0, **{name: 0.0 for name, _ in nlp.pipeline}}
    words = 0
    for path in files:
        parsed = parse_bytes(path.read_bytes(), path.name)
        text = parsed.text
        if not text.strip():
            continue
        seg = segment(parsed, path.name)
        words += len(text.split())
        for a, b in chunk_bounds(text, seg):
            t = time.perf_counter()
            doc = nlp.make_doc(text[a:b])
            secs["make_doc"] += time.perf_counter() - t
            doc.user_data.update(kind=seg.kind, meeting_date=seg.meeting.date if seg.meeting else None, offset=a)
            for name, proc in nlp.pipeline:
                t = time.perf_counter()
                doc = proc(doc)
                secs[name] += time.perf_counter() - t
    total = sum(secs.values()) or 1.0
    return {"words": words, "seconds": round(total, 3), "words_per_s": round(words / total),
            "components": {k: {"seconds": round(v, 3), "share": round(v / total, 3),
                               "words_per_s": round(words / v) if v else None} for k, v in secs.items()}}


def profile_stages(files: list[Path], db_path: Path, out_txt: Path, top: int = 25) -> list[dict[str, Any]]:
    """cProfile of :func:`stage_pass` over ``files``; the full listing goes to ``out_txt``."""
    prof = cProfile.Profile()
    prof.enable()
    stage_pass(files, db_path)
    prof.disable()
    buf = io.StringIO()
    st = pstats.Stats(prof, stream=buf)
    st.sort_stats("tottime").print_stats(60)
    st.sort_stats("cumulative").print_stats(60)
    out_txt.parent.mkdir(parents=True, exist_ok=True)
    out_txt.write_text(buf.getvalue())
    rows = []
    total = sum(v[2] for v in st.stats.values()) or 1.0  # type: ignore[attr-defined]
    for (file, line, func), (_cc, ncalls, tottime, cumtime, _callers) in st.stats.items():  # type: ignore[attr-defined]
        rows.append({"function": f"{_short(file)}:{line}({func})", "calls": ncalls,
                     "tottime_s": round(tottime, 3), "cumtime_s": round(cumtime, 3),
                     "tottime_share": round(tottime / total, 3)})
    rows.sort(key=lambda r: r["tottime_s"], reverse=True)
    return rows[:top]


def _short(file: str) -> str:
    for marker in ("/site-packages/", "/extract/", "/lib/python"):
        if marker in file:
            return file[file.index(marker) + 1:]
    return file


# --------------------------------------------------------------------------- real ingest (child)


def ingest_child(paths: list[Path], db_path: Path, workers: int) -> dict[str, Any]:
    """Run the real ``extract.ingest.ingest`` into a fresh database; time its phases from outside.

    Meant to run in its own process (see :func:`run_measured`) so memory and
    start-up are those of one ``minutes ingest``.
    """
    import extract.ingest as ingest_mod
    import extract.resolve.actions as actions_mod
    import extract.resolve.people as people_mod
    import extract.resolve.targets as targets_mod
    import extract.store as store_mod
    from extract.store import open_db

    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    t0 = time.perf_counter()
    db = open_db(db_path)
    phases: dict[str, float] = {}
    first: list[float] = []
    writes: list[tuple[float, int]] = []  # (seconds, characters of text) per stored document

    def per_write(fn: Callable) -> Callable:
        def inner(db: Any, rec: Any, *a: Any, **k: Any) -> Any:
            t = time.perf_counter()
            try:
                return fn(db, rec, *a, **k)
            finally:
                writes.append((time.perf_counter() - t, len(rec.parsed.text or "")))
        return inner

    def mark_first(fn: Callable) -> Callable:
        def inner(*a: Any, **k: Any) -> Any:
            if not first:
                first.append(time.perf_counter() - t0)
            return fn(*a, **k)
        return inner

    with contextlib.ExitStack() as stack:
        stack.enter_context(_patched(ingest_mod, "_store", _timed(phases, "writer")))
        stack.enter_context(_patched(ingest_mod, "_store", mark_first))
        stack.enter_context(_patched(ingest_mod, "_store", per_write))
        stack.enter_context(_patched(people_mod, "assign_people", _timed(phases, "assign_people")))
        stack.enter_context(_patched(ingest_mod, "_finish_batch", _timed(phases, "finish_batch")))
        # the search rebuild (and the deferred indexes) beside linking and tracking, then the actions index
        stack.enter_context(_patched(store_mod, "_run_beside", _timed(phases, "fts")))
        stack.enter_context(_patched(store_mod, "rebuild_fts", _timed(phases, "fts")))
        stack.enter_context(_patched(targets_mod, "plan_links", _timed(phases, "link_targets")))
        stack.enter_context(_patched(ingest_mod, "remove_orphans", _timed(phases, "remove_orphans")))
        stack.enter_context(_patched(actions_mod, "plan_tracking", _timed(phases, "track_actions")))
        result = ingest_mod.ingest(db, paths, workers=workers)
    t = time.perf_counter()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    phases["checkpoint"] = time.perf_counter() - t
    wall = time.perf_counter() - t0
    self_ru = resource.getrusage(resource.RUSAGE_SELF)
    kids_ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    size = sum(Path(f"{db_path}{s}").stat().st_size for s in ("", "-wal") if Path(f"{db_path}{s}").exists())
    # The whole batch's mean: the pool hands out the largest files first, so quarters of the batch
    # differ in size. Compare the mean across corpus scales to see whether storing grows with the archive.
    write_ms = {"mean_ms": round(1000 * sum(t for t, _ in writes) / len(writes), 2),
                "ms_per_10k_chars": round(1e7 * sum(t for t, _ in writes) / max(1, sum(n for _, n in writes)), 2),
                } if writes else {}
    return {
        "seconds": round(wall, 3), "ingest_seconds": round(result.seconds, 3),
        "documents": result.documents, "pages": result.pages, "words": result.words,
        "statuses": dict(result.statuses), "failures": result.failures[:20],
        "pages_per_s": round(result.pages / wall, 1), "words_per_s": round(result.words / wall),
        "documents_per_s": round(result.documents / wall, 2),
        "phases": {k: round(v, 3) for k, v in phases.items()}, "write_ms_per_document": write_ms,
        "first_record_s": round(first[0], 3) if first else None,
        "cpu_seconds": round(self_ru.ru_utime + self_ru.ru_stime + kids_ru.ru_utime + kids_ru.ru_stime, 2),
        # the batch process (loading, storing, finishing) and its workers (parse, segment, NLP)
        "cpu_batch_seconds": round(self_ru.ru_utime + self_ru.ru_stime, 2),
        "cpu_workers_seconds": round(kids_ru.ru_utime + kids_ru.ru_stime, 2),
        "rusage_self_max_mb": _kib_to_mb(self_ru.ru_maxrss),
        "rusage_children_max_mb": _kib_to_mb(kids_ru.ru_maxrss),
        "db_bytes": size, "db_mb": round(size / MB, 2), "workers": workers,
    }


# --------------------------------------------------------------------------- process-tree memory


class TreeSampler:
    """Peak memory of a process and all its descendants, sampled from /proc.

    RSS of the tree is the sum of each process's RSS (pages a fork shares are
    counted in each process, so this errs high); PSS shares them out. The
    descendant list is refreshed once a second, memory read every ``interval``.
    """

    def __init__(self, pid: int, interval: float = 0.2):
        self.pid = pid
        self.interval = interval
        self.peak_rss = 0
        self.peak_pss = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _descendants(self) -> list[int]:
        parent: dict[int, int] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat", "rb") as fh:
                    stat = fh.read()
            except OSError:
                continue
            fields = stat[stat.rfind(b")") + 2:].split()
            parent[int(entry)] = int(fields[1])
        tree, frontier = [self.pid], [self.pid]
        while frontier:
            p = frontier.pop()
            kids = [c for c, pp in parent.items() if pp == p]
            tree += kids
            frontier += kids
        return tree

    @staticmethod
    def _mem(pid: int) -> tuple[int, int]:
        rss = pss = 0
        try:
            with open(f"/proc/{pid}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Rss:"):
                        rss = int(line.split()[1]) * 1024
                    elif line.startswith("Pss:"):
                        pss = int(line.split()[1]) * 1024
        except OSError:
            pass
        return rss, pss

    def _run(self) -> None:
        if not Path("/proc").is_dir():
            return
        pids: list[int] = [self.pid]
        last_scan = 0.0
        while not self._stop.is_set():
            now = time.monotonic()
            if now - last_scan > 1.0:
                pids = self._descendants()
                last_scan = now
            mems = [self._mem(p) for p in pids]
            self.peak_rss = max(self.peak_rss, sum(m[0] for m in mems))
            self.peak_pss = max(self.peak_pss, sum(m[1] for m in mems))
            self.samples += 1
            self._stop.wait(self.interval)


def run_measured(args: list[str], result_path: Path, cwd: Path) -> dict[str, Any]:
    """Run ``python -m benchmarks.run <args>`` as a child, sample its process tree, read its JSON result."""
    result_path.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "benchmarks.run", *args, "--result", str(result_path)]
    proc = subprocess.Popen(cmd, cwd=cwd)
    with TreeSampler(proc.pid) as sampler:
        rc = proc.wait()
    if rc != 0 or not result_path.exists():
        raise RuntimeError(f"benchmark child failed (exit {rc}): {' '.join(cmd)}")
    out = json.loads(result_path.read_text())
    out["peak_rss_mb"] = round(sampler.peak_rss / MB, 1)
    out["peak_pss_mb"] = round(sampler.peak_pss / MB, 1)
    out["memory_samples"] = sampler.samples
    return out
