"""Shared fixtures: paths, the optional ../shared folder, a free port, a served archive."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = (REPO / ".." / "shared").resolve()
CORPUS = REPO / "corpus" / "documents"
OUTPUT = REPO / "tests" / "output"
# compiled rule patterns kept between runs (extract.rx.compiled): the tests' own folder, not the user's,
# inherited by the ingests and servers the tests start
os.environ.setdefault("MINUTES_CACHE_DIR", str(OUTPUT / "pattern-cache"))


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared beside the checkout; tests that need it skip with the reason when it is absent."""
    if not (SHARED / "corpus").is_dir():
        pytest.skip(f"{SHARED} not present: the shared corpus and gold keys live beside the checkout")
    return SHARED


@pytest.fixture(scope="session")
def output_dir() -> Path:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    return OUTPUT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def minutes_bin() -> str:
    exe = Path(sys.executable).with_name("minutes")
    return str(exe) if exe.exists() else "minutes"


def run_minutes(*args: str, check: bool = True, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run the installed ``minutes`` console script as a user would."""
    proc = subprocess.run([minutes_bin(), *args], capture_output=True, text=True, timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"minutes {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


class Server:
    def __init__(self, db: Path, port: int, proc: subprocess.Popen):
        self.db, self.port, self.proc = db, port, proc
        self.base = f"http://127.0.0.1:{port}"

    def get(self, path: str, **kw) -> httpx.Response:
        return httpx.get(self.base + path, timeout=30, **kw)

    def json(self, path: str, **params) -> dict:
        r = self.get(path, params=params)
        assert r.status_code == 200, f"{path}: {r.status_code} {r.text[:500]}"
        return r.json()


def start_server(db: Path) -> Server:
    """Start ``minutes serve`` on a free loopback port; its output goes to a log file.

    (A pipe nobody reads fills up with tracebacks and freezes the server.)
    """
    port = free_port()
    log_path = db.with_suffix(f".serve-{port}.log")
    log = open(log_path, "w")  # noqa: SIM115 - closed when the process ends
    proc = subprocess.Popen(
        [minutes_bin(), "serve", "--db", str(db), "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, text=True,
    )
    server = Server(db, port, proc)
    deadline = time.time() + 60
    while time.time() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"minutes serve exited early:\n{log_path.read_text()}")
        try:
            if httpx.get(server.base + "/-/versions.json", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise AssertionError("minutes serve did not answer within 60 s")


def stop_server(server: Server) -> None:
    server.proc.terminate()
    try:
        server.proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.proc.kill()


def checkpointed(db: Path) -> Path:
    """What ``minutes serve`` does first: fold the WAL in, so an immutable open sees every row."""
    import sqlite3

    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return db


def serve_in_process(db: Path, paths: list[str], before_startup=None) -> tuple:
    """Datasette configured as ``minutes serve`` runs it, in this process: (the Datasette, each path's response).

    ``before_startup(datasette)``, when given, runs before the start-up hooks (the plugin's among them).
    """
    import asyncio

    import yaml
    from datasette.app import Datasette

    from extract import publish

    metadata = yaml.safe_load((REPO / "db" / "metadata.yml").read_text(encoding="utf-8"))

    async def go():
        ds = Datasette(immutables=[str(db)], metadata=metadata, inspect_data=publish.inspect_archive(db),
                       settings={"facet_time_limit_ms": 500, "suggest_facets": False})
        if before_startup is not None:
            before_startup(ds)
        await ds.invoke_startup()
        return ds, [await ds.client.get(path) for path in paths]

    return asyncio.run(go())


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """The demo corpus ingested once, through the real CLI, into a real SQLite file."""
    if not CORPUS.is_dir():
        pytest.fail(f"{CORPUS} is missing: the demo corpus is part of the repository")
    db = tmp_path_factory.mktemp("demo") / "minutes.db"
    run_minutes("ingest", str(CORPUS), "--db", str(db), "--quiet")
    return db


@pytest.fixture(scope="session")
def demo_server(demo_db):
    server = start_server(demo_db)
    yield server
    stop_server(server)


def rotated_pdf(data: bytes, rotation: int) -> bytes:
    """``data`` (a PDF) with every page turned by ``rotation`` degrees (itself for 0)."""
    if rotation == 0:
        return data
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(data)).pages:
        page.rotate(rotation)
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


os.environ.setdefault("TQDM_DISABLE", "1")


def plain_similarity(a: str, b: str) -> float:
    """The agreement (0-100) of two metrics' content words, as target linking defines it: the share of
    the longer one's distinct stems that equal, or are nearly (fuzz.ratio >= 90), one of the other's.
    The test oracle for :class:`extract.resolve.targets._Agreement`."""
    from rapidfuzz import fuzz

    def stems(text: str) -> list[str]:
        out = set()
        for w in text.split():
            for suffix in ("ies", "es", "s"):
                if w.endswith(suffix) and len(w) - len(suffix) >= 4:
                    w = w[: -len(suffix)] + ("y" if suffix == "ies" else "")
                    break
            out.add(w)
        return sorted(out)

    if not a or not b:
        return 0.0
    sa, sb = stems(a), stems(b)
    shared = sum(1 for w in sa if any(w == v or fuzz.ratio(w, v) >= 90 for v in sb))
    return 100.0 * shared / max(len(sa), len(sb))


def plain_best_role(db, pid: str) -> tuple[str | None, str | None]:
    """``people.role`` / ``organisation`` by their definition, counted in SQL: per column the value of
    the person's role rows that is no mere label, then the most recent, the most often seen, the
    longest, the first seen of equals. The reference for the writer's remembered best roles."""
    from extract.resolve.people import _names

    def pick(column: str, weak: frozenset[str]) -> str | None:
        stats = db.execute(
            f"select {column}, count(*), max(coalesce(meeting_date, '')) from person_roles "
            f"where person_id = ? and {column} is not null and {column} != '' group by {column} order by min(rowid)",
            [pid],
        ).fetchall()
        return max(stats, key=lambda s: (s[0].lower() not in weak, s[2], s[1], len(s[0])))[0] if stats else None

    return pick("role", _names().label_roles), pick("organisation", frozenset())


@contextlib.contextmanager
def first_page_reader(data: bytes):
    """The PDF parser's reader of the first page of ``data`` (a PDF), closed with its page and document."""
    import pypdfium2 as pdfium

    from extract.parse import pdf

    doc = pdfium.PdfDocument(data)
    page = doc[0]
    textpage = page.get_textpage()
    try:
        yield pdf._PageReader(page, textpage)
    finally:
        textpage.close()
        page.close()
        doc.close()
