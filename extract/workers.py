"""Worker processes for a batch: one document each at a time, under a deadline.

A document that takes too long, or kills its worker (a crash in a native PDF
library, the kernel's out-of-memory killer), comes back as a failed record
with the reason, the worker is replaced and the batch goes on.
``multiprocessing.Pool`` cannot do this: it has no way to stop one task, and
it waits forever for a task whose worker died.

With ``fork``, this process loads the spaCy pipeline once and the workers
inherit it. Loading takes about a second on one core; meanwhile a small
process without spaCy parses and segments the first documents (a quarter of
their work), so the other core is not idle (:class:`_Ahead`).
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import multiprocessing
import os
import pickle
import re
import shutil
import signal
import socket
import sys
import tempfile
import time
import traceback
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path

from .pipeline import Limits, Prepared, failed_record, finish, prepare_file, process_file, read_file
from .records import DocumentRecord
from .rx.compiled import compiled_patterns


def _worker_init() -> None:
    # Warm the NLP pipeline once per worker rather than once per document. A
    # pipeline that cannot load is reported per document by process_file.
    try:
        from .nlp.pipeline import load_nlp

        load_nlp()
    except Exception:  # noqa: BLE001 - reported per document, never kills the worker
        pass


# Not under models/: it is no rule, and models/ is the extractor fingerprint (editing it re-processes the archive).
WARM_UP = Path(__file__).resolve().parent / "warmup.txt"


# the parser module of each format the batch's documents are in (see _warm_up)
_PARSERS = {"pdf": "extract.parse.pdf", "html": "extract.parse.html", "text": "extract.parse.text"}


def _warm_up(formats: Iterable[str] | None = None) -> None:
    """Import the parsers and run the warm-up text through every stage here, before forking workers.

    The parsers import libraries (pdfplumber and pypdfium2 0.04 s, BeautifulSoup
    0.06 s) and the segmenter and the rules compile patterns on first use; done
    once here, every forked worker inherits them instead of paying for them on
    its first documents. Only the parsers of ``formats`` (the formats of the
    batch's documents; None: every parser) are imported: a batch of PDFs never
    needs BeautifulSoup, and a worker imports a parser it lacks when a document
    needs it. (The process that parses ahead is forked before this and imports
    its parsers itself: on the other core, while this one loads.)
    """
    for fmt, module in _PARSERS.items():
        if formats is None or fmt in formats:
            importlib.import_module(module)  # for the forked workers to inherit
    from .pipeline import prepare

    with contextlib.suppress(Exception):  # only ever saves time: a failure here is found again per document
        parsed = prepare(WARM_UP.read_bytes(), WARM_UP.name)
        if isinstance(parsed, Prepared):
            finish(parsed)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """No garbage collection while spaCy and the pipeline load (the collector is as it was afterwards).

    Importing spaCy and building the pipeline creates some 90,000 container
    objects that live as long as the process; the collections this triggers
    (three full ones, 0.15 s of the time before any worker can start) only
    scan them again and find next to nothing to free.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def largest_first(paths: Iterable[str]) -> list[str]:
    """Biggest files first, so the batch does not end with one worker on a long document and the others idle.

    A stable sort: files of equal size keep their order (the batch's, which is the folders' sorted order).
    """

    def size(path: str) -> int:
        try:
            return os.stat(path).st_size
        except OSError:
            return 0  # reported when its turn comes

    return sorted(paths, key=size, reverse=True)


def _pipeline_loaded() -> bool:
    """Whether this process holds the default pipeline already (checked without importing spaCy)."""
    pipeline = sys.modules.get("extract.nlp.pipeline")
    return pipeline is not None and pipeline.load_nlp.cache_info().currsize > 0


def run_job(path: str, limits: Limits, prepared: Prepared | None = None) -> DocumentRecord:
    """Process one file in this process (from its ``prepared`` parse if given); errors become failed records."""
    try:
        return finish(prepared) if prepared is not None else process_file(path, limits)
    except Exception as exc:  # process_file should not raise; if it does, the batch goes on
        traceback.print_exc(file=sys.stderr)
        return _parent_failed(path, f"internal error (a bug, please report it): {type(exc).__name__}: {exc}",
                              limits)


def _die_with_parent() -> None:
    """Linux: have the kernel kill this worker when the batch process dies (kill -9 included)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


# Allocations between two collections of the youngest generation in a worker (Python's default: 700).
WORKER_GC_THRESHOLD = 20_000


def _tune_collector() -> None:
    """Collect garbage less often in a worker: it makes many short-lived objects and almost no cycles.

    Each document creates hundreds of thousands of small containers (tokens,
    matches, spans, records) that die with it, freed by reference counting;
    at the default threshold the collector scans the young ones every 700
    allocations and finds next to nothing to free (about 3.5% of a batch's
    CPU, measured in interleaved runs). In forked workers the pipeline's
    objects are frozen before the fork (see WorkerPool._begin), so even the
    rarer full collections scan only what the documents left; the process
    that parses ahead is forked before the pipeline loads and holds none.
    """
    _gen0, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(WORKER_GC_THRESHOLD, gen1, gen2)


def _worker_main(conn: Connection, limits: Limits, inherited: list[Connection] | None = None) -> None:
    """Loop in a worker process: receive a path (or a path and its :class:`Prepared` parse), send back its record.

    ``inherited`` are the parent's ends of the pipes (this worker's and the
    others'), copied into this process by fork: closing them means a worker
    sees end-of-file, and exits, when the parent goes away.
    """
    _die_with_parent()
    _tune_collector()
    for c in inherited or []:
        with contextlib.suppress(OSError):
            c.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle
    _worker_init()
    try:
        conn.send(("ready", None, 0.0))
        while True:
            job = conn.recv()
            if job is None:
                return
            path, prepared = job if isinstance(job, tuple) else (job, None)
            rec = run_job(path, limits, prepared)
            # when it ends, which is when a document waiting in the pipe begins (its deadline counts from then)
            ended = time.monotonic()
            try:
                conn.send(("done", rec, ended))
            except (BrokenPipeError, ConnectionError):
                return
            except Exception as exc:  # the record would not pickle: send its failure instead
                conn.send(("done", failed_record(path, f"internal error: result could not be sent: {exc}"), ended))
    except (EOFError, BrokenPipeError, ConnectionError, KeyboardInterrupt):
        return


@dataclass
class _Worker:
    proc: multiprocessing.process.BaseProcess
    conn: Connection
    ready: bool = False
    job: str | None = None  # the document it is on
    started: float = 0.0  # when it began ``job`` (a queued one: when the worker ended the one before)
    # Sent already, begun when ``job`` ends: a worker never waits while this process stores a record before
    # handing it the next document (that wait was 0.3 s of the workers' time in a 91-document batch).
    queued: str | None = None


# What a worker's end of its pipe may hold unread: a whole record (the largest of a 500-page batch pickle
# to about 300 kB), so a worker never waits for this process to finish storing one before it reads the next.
PIPE_BUFFER_BYTES = 1 << 20


def _roomy(conn: Connection) -> None:
    """Let ``conn`` (a socket pair's end) send up to PIPE_BUFFER_BYTES unread; the system may cap it lower."""
    with contextlib.suppress(OSError, ValueError):
        sock = socket.socket(fileno=os.dup(conn.fileno()))
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, PIPE_BUFFER_BYTES)
        finally:
            sock.close()


def _timeout_message(limit: float) -> str:
    return (
        f"took longer than {limit:g} s to read and extract, so it was stopped and the batch went on; "
        f"if the file is genuine, ingest it alone with a larger limit (--timeout {max(limit * 4, 60):g})"
    )


TIMEOUT_RE = re.compile(r"^took longer than ([0-9.]+) s\b")


def _crash_message(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            how = f"killed by signal {signal.Signals(-exitcode).name}"
        except ValueError:
            how = f"killed by signal {-exitcode}"
    else:
        how = f"exit code {exitcode}"
    hint = " (probably out of memory)" if exitcode == -signal.SIGKILL else ""
    return (
        f"the worker reading this file crashed ({how}){hint}, so it was skipped and the batch went on; "
        "check that the file opens in a viewer, re-save or print it to PDF, and ingest that"
    )


def _ahead_main(jobs: list[str], limits: Limits, folder: str, stopping: object) -> None:
    """Parse and segment ``jobs`` in order, one result file each, until asked to stop."""
    _die_with_parent()
    _tune_collector()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for i, path in enumerate(jobs):
        if stopping.is_set():  # type: ignore[attr-defined]
            return
        try:
            # its first document imports the parser and compiles the segmenter's patterns: from the cache
            # (read only: the batch process compiles the same patterns in its warm-up and stores them)
            with compiled_patterns(save=False) if i == 0 else contextlib.nullcontext():
                out = prepare_file(path, limits)
            tmp = os.path.join(folder, f"{i}.tmp")
            with open(tmp, "wb") as fh:
                pickle.dump(out, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, os.path.join(folder, f"{i}.pickle"))  # whole files only
        except Exception:  # noqa: BLE001 - a worker parses this document again and records any error
            return


_AHEAD_PREFIX = "minutes-ahead-"


def _remove_stale_folders() -> None:
    """Remove the result folders of batches that were killed (kill -9 leaves them behind).

    Each folder is named after its batch process; one whose process is gone
    is stale. A reused process id only keeps a stale folder a while longer.
    """
    for folder in Path(tempfile.gettempdir()).glob(f"{_AHEAD_PREFIX}*-*"):
        pid = folder.name[len(_AHEAD_PREFIX):].split("-", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            pass  # alive, another user's: not ours to remove


class _Ahead:
    """Documents parsed and segmented ahead, by a process without spaCy, while this one loads the pipeline.

    Results go through files, not a pipe: a pipe fills up and would stall
    the process while this one is busy loading. It stops at the document it
    is on when asked; a document it did not finish, or whose result cannot be
    read, is parsed by a worker as usual, so it only ever saves work.
    """

    def __init__(self, ctx: multiprocessing.context.BaseContext, jobs: list[str], limits: Limits):
        self.jobs = jobs
        _remove_stale_folders()
        self.folder = Path(tempfile.mkdtemp(prefix=f"{_AHEAD_PREFIX}{os.getpid()}-"))
        try:
            self.stopping = ctx.Event()
            self.proc = ctx.Process(target=_ahead_main, args=(jobs, limits, str(self.folder), self.stopping),
                                    daemon=True, name="minutes-ahead")
            self.proc.start()
        except BaseException:  # no process to spare: nothing will use the folder
            shutil.rmtree(self.folder, ignore_errors=True)
            raise
        self.stopped_at: float | None = None
        self.read = 0  # results read so far, in job order
        self.results: dict[str, Prepared | DocumentRecord] = {}

    def stop(self) -> None:
        self.stopping.set()
        self.stopped_at = time.monotonic()

    def _collect(self) -> None:
        while self.read < len(self.jobs):
            path = self.folder / f"{self.read}.pickle"
            try:
                data = path.read_bytes()
            except FileNotFoundError:
                return
            with contextlib.suppress(Exception):  # unreadable: the worker parses the document itself
                self.results[self.jobs[self.read]] = pickle.loads(data)
            path.unlink(missing_ok=True)
            self.read += 1

    def busy_with(self) -> str | None:
        """The document it is parsing now (keep it from the workers), or None once it has exited."""
        alive = self.proc.is_alive()
        self._collect()
        return self.jobs[self.read] if alive and self.read < len(self.jobs) else None

    def take(self, path: str) -> Prepared | DocumentRecord | None:
        return self.results.pop(path, None)

    def overdue(self, limit: float | None) -> bool:
        """Asked to stop more than ``limit`` seconds ago and still on a document."""
        return bool(limit and self.stopped_at and self.proc.is_alive()
                    and time.monotonic() - self.stopped_at > limit)

    def close(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(timeout=5)
        shutil.rmtree(self.folder, ignore_errors=True)


def _give_back(w: _Worker, pending: deque[str]) -> None:
    """Put the document waiting on a worker that is stopped or died back at the front: never begun."""
    if w.queued is not None:
        pending.appendleft(w.queued)


class WorkerPool:
    """Worker processes that each run one document at a time, with a deadline, and the next one waiting.

    Results come back in completion order. A worker that passes its deadline
    is killed and replaced, and its document comes back as a failed record; so
    does the document of a worker that died. Use as a context manager so the
    workers are always stopped.
    """

    MAX_START_FAILURES = 5

    def __init__(self, size: int, limits: Limits):
        self.size = max(1, size)
        self.limits = limits
        self.ctx = multiprocessing.get_context("spawn" if os.name == "nt" else "fork")
        self.workers: list[_Worker] = []
        self.dismissed: list[_Worker] = []  # asked to exit, not yet reaped (see dismiss)
        self.start_failures = 0
        self.ahead: _Ahead | None = None
        self.finished: list[DocumentRecord] = []  # failures found while parsing ahead
        self.parsed_ahead = 0  # documents whose parse came from the process that ran ahead
        self._frozen = False  # whether this pool froze the garbage collector's objects (see _begin)

    def __enter__(self) -> WorkerPool:
        if self.ctx.get_start_method() != "fork":
            self._begin([])  # spawned workers load the pipeline themselves, while the caller plans
        return self

    def _begin(self, jobs: list[str], formats: Iterable[str] | None = None) -> None:
        """Start the workers; with fork, load the pipeline here first, parsing ahead meanwhile.

        ``formats``: the formats of the documents in ``jobs``, if known (see :func:`_warm_up`).
        """
        if self.ctx.get_start_method() == "fork":
            # Load spaCy and the pipeline once here: forked workers share it (copy-on-write) and are
            # ready at once, instead of each paying the import and the load.
            loading = not _pipeline_loaded()  # a long-lived caller's second batch finds it loaded and warm
            if jobs and loading:
                try:
                    self.ahead = _Ahead(self.ctx, jobs, self.limits)
                except OSError:  # no temporary folder or no process to spare: the workers parse everything
                    self.ahead = None
            with _collector_paused(), compiled_patterns():  # the warm-up's patterns too, not only the rules'
                _worker_init()
                if loading:
                    _warm_up(formats)
                # Forked workers never collect the pipeline's objects: their garbage collector skips
                # them (less work, and fewer copy-on-write pages). This process skips them too until
                # the pool closes: the records it unpickles and stores trigger collections that would
                # otherwise scan those 110,000 objects again and again (0.1-0.2 s of CPU a batch).
                gc.freeze()
                self._frozen = True
        for _ in range(self.size):
            self.workers.append(self._start())
        if self.ahead:
            self.ahead.stop()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self) -> _Worker:
        parent, child = self.ctx.Pipe(duplex=True)
        _roomy(child)
        inherited = [parent, *(w.conn for w in self.workers)] if self.ctx.get_start_method() == "fork" else []
        proc = self.ctx.Process(target=_worker_main, args=(child, self.limits, inherited), daemon=True,
                                name="minutes-worker")
        proc.start()
        child.close()
        return _Worker(proc=proc, conn=parent)

    def _stop(self, w: _Worker) -> None:
        w.proc.kill()
        w.proc.join(timeout=5)
        if w.proc.is_alive():
            w.proc.kill()
            w.proc.join(timeout=5)
        w.conn.close()

    def _replace(self, w: _Worker) -> None:
        self.workers[self.workers.index(w)] = self._start()

    def dismiss(self) -> None:
        """Ask the idle workers to exit, without waiting for them (:meth:`close` does): a worker's exit
        takes 10-40 ms (its memory is unmapped), which the caller spends finishing the batch instead.
        A later :meth:`run` starts new ones."""
        for w in [w for w in self.workers if w.job is None and w.ready]:
            self.workers.remove(w)
            self.dismissed.append(w)
            try:
                w.conn.send(None)
            except (BrokenPipeError, ConnectionError, OSError):
                w.proc.kill()

    def close(self) -> None:
        """Stop every worker: idle ones are asked to exit, busy or starting ones are killed."""
        if self.ahead:
            self.ahead.close()
            self.ahead = None
        for w in self.workers:
            if w.job is not None or not w.ready:
                w.proc.kill()
            else:
                try:
                    w.conn.send(None)
                except (BrokenPipeError, ConnectionError, OSError):
                    w.proc.kill()
        for w in [*self.workers, *self.dismissed]:
            w.proc.join(timeout=5)
            if w.proc.is_alive():
                w.proc.kill()
                w.proc.join(timeout=5)
            w.conn.close()
        self.workers = []
        self.dismissed = []
        if self._frozen:  # the pipeline's objects are collectable again, as before the batch
            gc.unfreeze()
            self._frozen = False

    def _next(self, pending: deque[str], parsed: bool = True) -> tuple[str, Prepared | None] | None:
        """The next job for a worker, with its parse if it was made ahead; None while only that one is left
        (or, with ``parsed`` false, when the next one was parsed ahead)."""
        ahead = self.ahead
        while pending:
            if ahead is None:
                return pending.popleft(), None
            busy = ahead.busy_with()
            i = 1 if pending[0] == busy else 0
            if i >= len(pending):
                return None
            path = pending[i]
            if not parsed and path in ahead.results:
                return None
            del pending[i]
            done = ahead.take(path)
            self.parsed_ahead += done is not None
            if isinstance(done, DocumentRecord):
                self.finished.append(done)  # it failed while parsing: nothing for a worker to do
                continue
            return path, done
        return None

    def _dispatch(self, pending: deque[str]) -> None:
        """Give every idle, ready worker its next job."""
        if self.ahead and self.ahead.overdue(self.limits.timeout):
            # Stuck on one document for longer than the limit (it was asked to stop a limit ago): parsing
            # it alone took too long, so it has timed out; a worker would only spend another limit on it.
            stuck = self.ahead.busy_with()
            self.ahead.close()
            if stuck is not None and stuck in pending:
                pending.remove(stuck)
                self.finished.append(_parent_failed(stuck, _timeout_message(self.limits.timeout), self.limits))
        if self.ahead and not self.ahead.proc.is_alive() and self.ahead.busy_with() is None and not self.ahead.results:
            self.ahead.close()
            self.ahead = None
        for w in self.workers:
            if w.ready and w.job is None and pending:
                job = self._next(pending)
                if job is None:
                    return
                path, prepared = job
                w.job = path
                w.started = time.monotonic() - (prepared.record.seconds if prepared else 0.0)
                with contextlib.suppress(BrokenPipeError, ConnectionError, OSError):
                    w.conn.send((path, prepared) if prepared else path)  # if the worker died, wait() reports it
        # Then one more each, while enough are left for every worker: a path is a few bytes, which the pipe
        # holds until the worker reads it (a parse made ahead could fill the pipe and stall this process).
        for w in self.workers:
            if w.job is not None and w.queued is None and len(pending) > self.size:
                job = self._next(pending, parsed=False)
                if job is None:
                    return
                w.queued = job[0]
                with contextlib.suppress(BrokenPipeError, ConnectionError, OSError):
                    w.conn.send(w.queued)

    def run(self, paths: Iterable[str], formats: Iterable[str] | None = None) -> Iterator[DocumentRecord]:
        """Process ``paths`` in the order given; yield one record per path, in completion order.

        ``formats`` are the formats of their documents, if the caller knows
        them: only those parsers are loaded before the workers start.

        Hand them :func:`largest_first` (as ingest does), so the batch does not end
        with one worker on a long document. A worker whose result arrives gets its
        next path before the record is yielded, so it works while the caller stores
        the record instead of waiting for the caller to finish.
        """
        pending = deque(paths)
        if not self.workers:
            self._begin(list(pending), formats)
        limit = self.limits.timeout
        while pending or any(w.job for w in self.workers) or self.finished:
            self._dispatch(pending)
            now = time.monotonic()
            deadlines = [w.started + limit for w in self.workers if w.job is not None] if limit else []
            waiting_on = [w.conn for w in self.workers]
            if self.ahead and self.ahead.proc.is_alive():
                waiting_on.append(self.ahead.proc.sentinel)  # wake when it finishes the document it is on
                if limit and self.ahead.stopped_at:
                    deadlines.append(self.ahead.stopped_at + limit)
            wait_for = max(0.0, min(deadlines) - now) if deadlines else None
            results: list[DocumentRecord] = self.finished
            self.finished = []
            ready = wait(waiting_on, timeout=0 if results else wait_for)
            for w in [w for w in self.workers if w.conn in ready]:
                try:
                    kind, rec, ended = w.conn.recv()
                except (EOFError, ConnectionError, OSError):
                    results.extend(self._died(w, pending))
                    continue
                if kind == "ready":
                    w.ready = True
                    self.start_failures = 0
                elif kind == "done":
                    w.job, w.queued = w.queued, None
                    w.started = ended  # the monotonic clock is the system's: the same in every process
                    results.append(rec)
            if limit:
                now = time.monotonic()
                late = [w for w in self.workers if w.job is not None and now - w.started > limit]
                for w in late:
                    if w.conn.poll(0):
                        continue  # its result is waiting in the pipe: read it on the next round
                    path = w.job
                    w.job = None
                    _give_back(w, pending)
                    self._stop(w)
                    self._replace(w)
                    results.append(_parent_failed(path, _timeout_message(limit), self.limits))
            if results:
                self._dispatch(pending)  # the next documents first, then the caller stores these
                yield from results

    def _died(self, w: _Worker, pending: deque[str]) -> Iterator[DocumentRecord]:
        w.proc.join(timeout=5)
        path, was_ready = w.job, w.ready
        w.job = None
        _give_back(w, pending)
        self._stop(w)
        if not was_ready:
            self.start_failures += 1
            if self.start_failures > self.MAX_START_FAILURES:
                raise RuntimeError(
                    f"worker processes die while starting (exit code {w.proc.exitcode}); "
                    "try --workers 1 and check the installation"
                )
        self._replace(w)
        if path is not None:
            yield _parent_failed(path, _crash_message(w.proc.exitcode), self.limits)


def _parent_failed(path: str, reason: str, limits: Limits) -> DocumentRecord:
    """A failed record built in the parent: the file's bytes still give it its content id."""
    data, _ = read_file(Path(path), limits)
    return failed_record(path, reason, data or b"")


