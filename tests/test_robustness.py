"""Bad input never stops a batch: each messy file gets a clear, recorded outcome.

Every fixture is made here, in the test: real PDFs of the demo corpus are
truncated, corrupted and encrypted; scans, error pages, encodings, junk,
copies, links and unreadable files are written to a temporary folder. One
folder holding all of them is ingested once (in this process, so simulated
read errors apply), and each case checks the outcome its file got.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import resource
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CORPUS, minutes_bin, run_minutes

import extract.ingest as ingest_mod
import extract.pipeline as pipeline_mod
import extract.store as store_mod
import extract.workers as workers_mod
from extract.detect import claimed_format, detect_format, unsupported_format
from extract.ingest import _retry, ingest
from extract.pipeline import Limits, process_bytes, process_file
from extract.store import open_db

REAL_PDF = CORPUS / "northmere-snpb-2024-09-18-item-4-strategic-assessment-2023-24.pdf"
PASSWORD = "s3cret-Harbourside"

MINUTES = """Harbourside Community Safety Partnership
Minutes of the meeting held on 14 May 2024 at 6.30 pm
Council Chamber, Harbourside Town Hall

Present: Councillor Priya Okonjo (Chair), Councillor Gareth Lumley, Ms Ruth Abernethy

1. Apologies for absence

Apologies were received from Mr Daniel Ferris.

2. Café licensing and the night-time economy

Ms Abernethy reported that the café – £150k scheme had reduced late-night incidents by 12%.
RESOLVED: That the Partnership noted the report.
Action: Ms Abernethy to circulate the evaluation to members by 30 June 2024.
"""


# --------------------------------------------------------------------------- fixture makers


def pdf_without_pages() -> bytes:
    from pypdf import PdfWriter

    out = io.BytesIO()
    PdfWriter().write(out)
    return out.getvalue()


def pdf_blank_page() -> bytes:
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(595, 842)
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def pdf_encrypted(password: str = PASSWORD) -> bytes:
    from pypdf import PdfReader, PdfWriter

    w = PdfWriter(clone_from=PdfReader(io.BytesIO(REAL_PDF.read_bytes())))
    w.encrypt(password, algorithm="AES-256")
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def pdf_scanned() -> bytes:
    """A page that is only a picture of text, as a scanner makes (no text layer)."""
    pil = pytest.importorskip("PIL.Image", reason="Pillow (a pdfplumber dependency) draws the scan")
    from PIL import ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    img = pil.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(img)
    for k in range(30):
        draw.text((120, 120 + 45 * k), f"Minutes of the Harbourside Partnership, item {k}: the Board noted", fill=0)
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(595, 842))
    c.drawImage(ImageReader(img), 0, 0, 595, 842)
    c.showPage()
    c.save()
    return out.getvalue()


def html_error_page() -> bytes:
    return (b"<!DOCTYPE html><html><head><title>404 Not Found</title></head><body>"
            b"<h1>Not Found</h1><p>The requested URL /documents/s1234/Minutes.pdf was not found on this server.</p>"
            b"<hr><address>Apache Server at democracy.example.gov.uk Port 443</address></body></html>")


def html_messy() -> bytes:
    return ("""<html><head><title>Minutes – Harbourside Partnership
<script>document.write("<p>INJECTED BY SCRIPT</p>"); if (a < b) { x = "</title>"; }</script>
<style>p { color: red }</style></head>
<body><div id="content"><h1>Harbourside Community Safety Partnership</h1>
<p>Minutes of the meeting held on 14 May 2024 at 6.30 pm
<iframe src="https://maps.example.com/embed">IFRAME FALLBACK TEXT</iframe>
<h3>1. Apologies for absence<p>None.
<h3>2. Café licensing</h3><p>The café – £150k scheme was <b>noted<i> by the Board.</b></i>
<table><tr><td>Incidents<td>42<tr><td>Hours<td>1,240</table>
<noscript>PLEASE ENABLE JAVASCRIPT</noscript>
<script type="text/javascript">var tracking = "TRACKING SCRIPT";</script>
</div></body>""").encode()


def random_bytes(n: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(n)


# Name -> bytes. Expected outcomes are in CASES below.
def build_inputs() -> dict[str, bytes]:
    real = REAL_PDF.read_bytes()
    return {
        "good-minutes.txt": MINUTES.encode("utf-8"),
        "zero-byte.pdf": b"",
        "no-pages.pdf": pdf_without_pages(),
        "blank-page.pdf": pdf_blank_page(),
        "truncated.pdf": real[: len(real) // 2],
        "corrupt.pdf": b"%PDF-1.7\n" + random_bytes(20_000, 1),
        "error-page-saved-as.pdf": html_error_page(),
        "access-denied-saved-as.pdf": b"Access Denied\n\nYou don't have permission to access this file.\n",
        "long-page-saved-as.pdf": ("<html><body>" + "".join(f"<p>{ln}</p>" for ln in MINUTES.split("\n") * 6)
                                   + "</body></html>").encode(),
        "encrypted.pdf": pdf_encrypted(),
        "scanned.pdf": pdf_scanned(),
        "cp1252.txt": MINUTES.encode("cp1252"),
        "latin-1.txt": MINUTES.replace("–", "-").encode("latin-1"),
        "utf-16-bom.txt": MINUTES.encode("utf-16"),
        "utf-16le-no-bom.txt": MINUTES.encode("utf-16-le"),
        "utf-16.html": f"<html><body><h1>Minutes</h1><p>{MINUTES}</p></body></html>".encode("utf-16"),
        "messy.html": html_messy(),
        "junk.bin": random_bytes(30_000, 2),
        "junk-named.txt": random_bytes(5_000, 3),
        "scan.png": b"\x89PNG\r\n\x1a\n" + random_bytes(2_000, 4),
        "papers.zip": b"PK\x03\x04" + random_bytes(2_000, 5),
        "old-word.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + random_bytes(2_000, 6),
        "copy-a/minutes.txt": (MINUTES + "\nCopy kept in two folders.\n").encode(),
        "copy-b/same-minutes-renamed.txt": (MINUTES + "\nCopy kept in two folders.\n").encode(),
        "unreadable.txt": b"Minutes of a meeting nobody may read.\n",
        "locked-folder/inside.txt": b"Minutes in a folder nobody may list.\n",
    }


# name -> (status, error pattern or None, format or None)
CASES: dict[str, tuple[str, str | None, str | None]] = {
    "good-minutes.txt": ("ok", None, "text"),
    "zero-byte.pdf": ("failed", r"^empty file \(0 bytes\)", None),
    "no-pages.pdf": ("failed", r"^PDF has no pages", "pdf"),
    # Decision (the PDF parser's): a PDF whose pages hold no text and no images is failed, not ok-empty:
    # there is nothing to index, and the clerk should look at it.
    "blank-page.pdf": ("failed", r"no text and no images: the pages are blank", "pdf"),
    "truncated.pdf": ("failed", r"PDF is damaged.*truncated.*download it again", "pdf"),
    "corrupt.pdf": ("failed", r"PDF is damaged", "pdf"),
    "error-page-saved-as.pdf": (
        "failed", r'^not a PDF: an HTML page was saved as \.pdf: a download error page \("404 Not Found"\)', "html"),
    "access-denied-saved-as.pdf": ("failed", r"^not a PDF: a text file was saved as \.pdf: a download error page", "text"),
    "long-page-saved-as.pdf": ("ok", None, "html"),
    "encrypted.pdf": ("failed", r"encrypted.*--password", "pdf"),
    "scanned.pdf": ("needs_ocr", r"no text layer.*OCR", "pdf"),
    "cp1252.txt": ("ok", None, "text"),
    "latin-1.txt": ("ok", None, "text"),
    "utf-16-bom.txt": ("ok", None, "text"),
    "utf-16le-no-bom.txt": ("ok", None, "text"),
    "utf-16.html": ("ok", None, "html"),
    "messy.html": ("ok", None, "html"),
    "junk.bin": ("failed", r"not a text document", "text"),
    "junk-named.txt": ("failed", r"not a text document", "text"),
    "scan.png": ("failed", r"it is a PNG image; scanned pages must be OCRed", None),
    "papers.zip": ("failed", r"it is a ZIP archive; unpack it", None),
    "old-word.doc": ("failed", r"old Microsoft Office file.*save it as PDF", None),
    "unreadable.txt": ("failed", r"permission denied", None),
}


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """All bad inputs in one folder (plus links), ingested once in this process."""
    root = tmp_path_factory.mktemp("robust")
    folder = root / "papers"
    for name, data in build_inputs().items():
        p = folder / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    links = folder / "links"
    links.mkdir()
    (links / "loop-to-parent").symlink_to(folder, target_is_directory=True)  # a folder loop
    (links / "self-loop.txt").symlink_to(links / "self-loop.txt")  # a link to itself
    (links / "broken.pdf").symlink_to(folder / "gone.pdf")
    (links / "second-name.txt").symlink_to(folder / "good-minutes.txt")  # same file twice: read once
    if Path("/proc/self/mem").exists():
        # Readable to nobody, root included: read() fails with an I/O error.
        (links / "proc-mem.txt").symlink_to("/proc/self/mem")
    unreadable, locked = folder / "unreadable.txt", folder / "locked-folder"
    as_root = os.geteuid() == 0 if hasattr(os, "geteuid") else False
    db_path = root / "robust.db"
    db = open_db(db_path)
    with pytest.MonkeyPatch.context() as mp:
        if as_root:
            # root reads chmod 000 files: simulate what a normal user gets from the OS.
            real_open, real_iterdir = open, Path.iterdir

            def fake_open(path, *a, **kw):
                if Path(path) == unreadable:
                    raise PermissionError(13, "Permission denied", str(path))
                return real_open(path, *a, **kw)

            def fake_iterdir(self):
                if self == locked:
                    raise PermissionError(13, "Permission denied", str(self))
                return real_iterdir(self)

            mp.setattr(pipeline_mod, "open", fake_open, raising=False)
            mp.setattr(Path, "iterdir", fake_iterdir)
        else:
            unreadable.chmod(0)
            locked.chmod(0)
        try:
            t0 = time.perf_counter()
            result = ingest(db, [folder], workers=1)
            seconds = time.perf_counter() - t0
        finally:
            if not as_root:
                unreadable.chmod(0o644)
                locked.chmod(0o755)
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    yield {"folder": folder, "db_path": db_path, "db": db, "conn": conn, "result": result, "seconds": seconds}
    conn.close()


def doc_for(batch, name: str) -> sqlite3.Row:
    source = str(batch["folder"] / name)
    row = batch["conn"].execute(
        "SELECT d.* FROM document_sources s JOIN documents d ON d.id = s.document_id WHERE s.source = ?", [source]
    ).fetchone()
    assert row is not None, f"{name} was not recorded"
    return row


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_bad_input_gets_a_clear_outcome(batch, name):
    status, pattern, fmt = CASES[name]
    row = doc_for(batch, name)
    assert row["status"] == status, f"{name}: {row['status']} ({row['error']})"
    if pattern is None:
        assert row["error"] is None
    else:
        assert re.search(pattern, row["error"] or ""), f"{name}: {row['error']!r}"
    if fmt:
        assert row["format"] == fmt


def test_the_batch_went_on_and_reported_every_file(batch):
    result = batch["result"]
    # The locked folder's file is never seen; two names of one content are one document.
    n_files = len(build_inputs()) - 2 + (1 if Path("/proc/self/mem").exists() else 0)
    assert result.documents == n_files
    assert sum(result.statuses.values()) == result.documents
    assert batch["seconds"] < 60
    failed_sources = {Path(s).name for s, _status, _e in result.failures}
    assert {"zero-byte.pdf", "truncated.pdf", "encrypted.pdf", "scanned.pdf"} <= failed_sources
    ok = batch["conn"].execute("SELECT count(*) FROM agenda_items a JOIN documents d ON d.id = a.document_id "
                               "WHERE d.filename = 'good-minutes.txt'").fetchone()[0]
    assert ok >= 2, "a good document beside bad ones is still segmented"


@pytest.mark.parametrize("name", ["cp1252.txt", "utf-16-bom.txt", "utf-16le-no-bom.txt", "utf-16.html", "messy.html"])
def test_encodings_keep_accents_dashes_and_pounds(batch, name):
    text = doc_for(batch, name)["text"]
    assert "café – £150k" in text


def test_latin1_keeps_accents_and_pounds(batch):
    assert "café - £150k" in doc_for(batch, "latin-1.txt")["text"]


def test_html_scripts_iframes_and_broken_markup(batch):
    row = doc_for(batch, "messy.html")
    for noise in ("INJECTED BY SCRIPT", "TRACKING SCRIPT", "color: red", "IFRAME FALLBACK TEXT"):
        assert noise not in row["text"]
    assert "noted by the Board" in re.sub(r"\s+", " ", row["text"])


def test_same_document_under_two_names_is_stored_once(batch):
    conn = batch["conn"]
    a, b = doc_for(batch, "copy-a/minutes.txt"), doc_for(batch, "copy-b/same-minutes-renamed.txt")
    assert a["id"] == b["id"]
    assert conn.execute("SELECT count(*) FROM documents WHERE id = ?", [a["id"]]).fetchone()[0] == 1
    sources = {r[0] for r in conn.execute("SELECT source FROM document_sources WHERE document_id = ?", [a["id"]])}
    assert sources == {str(batch["folder"] / "copy-a/minutes.txt"), str(batch["folder"] / "copy-b/same-minutes-renamed.txt")}
    assert batch["result"].duplicates == 1


def test_links_loops_and_unreadable_folders_are_skipped_with_reasons(batch):
    skipped = {Path(s.path).name: s.reason for s in batch["result"].skipped}
    assert "symlink loop" in skipped["loop-to-parent"]
    assert "symlink loop" in skipped["self-loop.txt"]
    assert "broken link" in skipped["broken.pdf"]
    assert "cannot list folder" in skipped["locked-folder"]
    assert "second-name.txt" not in {Path(r[0]).name for r in batch["conn"].execute("SELECT source FROM document_sources")}


def test_a_file_even_root_cannot_read_is_recorded(batch):
    if not Path("/proc/self/mem").exists():
        pytest.skip("no /proc/self/mem on this system: no file that root cannot read")
    row = doc_for(batch, "links/proc-mem.txt")
    assert row["status"] == "failed"
    assert row["error"].startswith("cannot read file:")


def test_encrypted_pdf_opens_with_password_on_rerun(tmp_path):
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "encrypted.pdf").write_bytes(pdf_encrypted())
    db_path = tmp_path / "enc.db"
    first = ingest(open_db(db_path), [folder], workers=1)
    assert first.statuses["failed"] == 1
    out = run_minutes("ingest", str(folder), "--db", str(db_path), "--password", PASSWORD, "--quiet").stdout
    assert "1 ok" in out, "a failed document is tried again, now with the password"
    conn = sqlite3.connect(db_path)
    status, error, text = conn.execute("SELECT status, error, text FROM documents").fetchone()
    conn.close()
    assert status == "ok" and error is None
    assert len(text) > 1000


def test_wrong_password_says_so():
    rec = process_bytes(pdf_encrypted(), "locked.pdf", Limits(password="not-it"), nlp=False)
    assert rec.parsed.status == "failed"
    assert "password given is incorrect" in rec.parsed.error


def test_doctor_lists_problems_with_reasons_as_json(batch):
    out = run_minutes("doctor", "--db", str(batch["db_path"]), "--format", "json").stdout
    report = json.loads(out)
    docs = {Path(d["source"]).name: d for d in report["documents"]}
    assert "good-minutes.txt" not in docs
    assert docs["truncated.pdf"]["status"] == "failed" and "truncated" in docs["truncated.pdf"]["error"]
    assert docs["scanned.pdf"]["next"].startswith("scanned pages: run OCR")
    assert report["counts"]["failed"] >= 10
    assert [d["status"] for d in report["documents"]] == sorted(
        (d["status"] for d in report["documents"]), key=["failed", "needs_ocr", "partial", "ok"].index)
    text = run_minutes("doctor", "--db", str(batch["db_path"]), "--status", "failed").stdout
    assert "zero-byte.pdf" in text and "next: fix or replace the file" in text
    assert "needs_ocr" not in text.split("\n", 1)[1]


# --------------------------------------------------------------------------- limits


def test_page_limit():
    rec = process_file(CORPUS / "northmere-safer-northmere-strategy-2022-2025.pdf", Limits(max_pages=1), nlp=False)
    assert rec.parsed.status == "failed"
    assert re.search(r"has \d+ pages, more than the limit of 1 pages", rec.parsed.error)


def test_size_limit(tmp_path):
    p = tmp_path / "big.txt"
    p.write_bytes(MINUTES.encode() * 20)
    rec = process_file(p, Limits(max_bytes=1000), nlp=False)
    assert rec.parsed.status == "failed"
    assert re.match(r"file is 0\.\d+ MB, over the 0\.00095 MB limit; raise it with --max-mb", rec.parsed.error)


def test_single_50mb_line_finishes_quickly_with_a_reason(tmp_path):
    """A 50 MB text with no line breaks: stored, searchable, marked partial; no hang, bounded memory."""
    folder = tmp_path / "big"
    folder.mkdir()
    sentence = "The Board noted the report and agreed the café – £150k scheme by 31 March 2025. ".encode()
    (folder / "one-line.txt").write_bytes((sentence * (50_000_000 // len(sentence) + 1))[:50_000_000])
    db = tmp_path / "big.db"
    t0 = time.perf_counter()
    proc = subprocess.run([minutes_bin(), "ingest", str(folder), "--db", str(db), "--quiet", "--workers", "1"],
                          capture_output=True, text=True, timeout=180)
    seconds = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert proc.returncode == 0, proc.stderr
    assert seconds < 90, f"50 MB line took {seconds:.0f} s"
    assert peak_mb < 2000, f"peak memory {peak_mb:.0f} MB"
    conn = sqlite3.connect(db)
    status, error, n = conn.execute("SELECT status, error, length(text) FROM documents").fetchone()
    assert status == "partial"
    assert "stored and searchable" in error and "--max-chars" in error
    assert n > 45_000_000  # characters: the £ and – take two and three bytes
    hits = conn.execute("SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'scheme'").fetchone()[0]
    assert hits == 1
    conn.close()


def test_long_line_guard_skips_line_based_stages():
    text = ("word " * 30_000).encode()  # 150,000 characters on one line
    rec = process_bytes(text, "one-line.txt", Limits(max_line_chars=100_000))
    assert rec.parsed.status == "partial"
    assert re.search(r"a line of 1[45]\d,\d{3} characters", rec.parsed.error)


# --------------------------------------------------------------------------- time limit and crashes


def _slow_or_crashing(real):
    """``real`` (reading a file in a worker, or parsing it ahead) made to hang or die on some files."""

    def run(path, limits):
        name = Path(path).name
        if name.startswith("slow"):
            time.sleep(120)
        if name.startswith("crash"):
            os.kill(os.getpid(), signal.SIGKILL)  # what the out-of-memory killer does
        return real(path, limits)

    return run


@pytest.mark.skipif(sys.platform == "win32", reason="workers inherit the test's patch only with fork")
def test_timeout_and_crash_are_recorded_and_the_pool_goes_on(tmp_path, monkeypatch):
    folder = tmp_path / "papers"
    folder.mkdir()
    for k in range(4):
        (folder / f"minutes-{k}.txt").write_text(MINUTES.replace("14 May", f"{k + 1} May"))
    (folder / "slow.txt").write_text(MINUTES + "\nslow\n")
    (folder / "crash.txt").write_text(MINUTES + "\ncrash\n")
    # in the workers, and in the process that parses documents ahead while the pipeline loads
    monkeypatch.setattr(workers_mod, "process_file", _slow_or_crashing(workers_mod.process_file))
    monkeypatch.setattr(workers_mod, "prepare_file", _slow_or_crashing(workers_mod.prepare_file))
    monkeypatch.setattr(workers_mod, "_pipeline_loaded", lambda: False)  # parse ahead even if loaded here
    monkeypatch.setattr(ingest_mod, "extractor_version", lambda: "fixed")  # rule files may change meanwhile
    db = open_db(tmp_path / "t.db")
    t0 = time.perf_counter()
    result = ingest(db, [folder], limits=Limits(timeout=4), workers=2)
    seconds = time.perf_counter() - t0
    assert seconds < 40, "the pool must not wait for the slow document"
    rows = {r["filename"]: r for r in db.query("SELECT filename, status, error FROM documents")}
    assert rows["slow.txt"]["status"] == "failed"
    assert rows["slow.txt"]["error"].startswith("took longer than 4 s")
    assert "--timeout" in rows["slow.txt"]["error"]
    assert rows["crash.txt"]["status"] == "failed"
    assert re.search(r"worker reading this file crashed \(killed by signal SIGKILL\) \(probably out of memory\)",
                     rows["crash.txt"]["error"])
    assert all(rows[f"minutes-{k}.txt"]["status"] == "ok" for k in range(4))
    assert result.documents == 6
    # A rerun with the same time limit does not wait for the slow file again.
    t0 = time.perf_counter()
    again = ingest(db, [folder], limits=Limits(timeout=4), workers=2)
    assert time.perf_counter() - t0 < 20
    assert again.unchanged == 5 and again.documents == 1  # the crashed one is retried


@pytest.mark.skipif(sys.platform == "win32", reason="parsing ahead needs fork")
def test_a_document_stuck_while_parsed_ahead_times_out_once(tmp_path, monkeypatch):
    """Parsing it alone took longer than the limit: it is recorded as timed out, not handed to a worker
    for another full limit (here a worker would even read it quickly, so a second try would show)."""
    paths = []
    for k in range(3):
        paths.append(tmp_path / f"minutes-{k}.txt")
        paths[-1].write_text(MINUTES.replace("14 May", f"{k + 1} May"))
    paths.append(tmp_path / "slow.txt")
    paths[-1].write_text(MINUTES * 3)  # the largest: parsed ahead first
    monkeypatch.setattr(workers_mod, "prepare_file", _slow_or_crashing(workers_mod.prepare_file))
    monkeypatch.setattr(workers_mod, "_pipeline_loaded", lambda: False)  # parse ahead even if loaded here
    t0 = time.perf_counter()
    with workers_mod.WorkerPool(2, Limits(timeout=3)) as pool:
        got = {Path(rec.source).name: rec for rec in pool.run(workers_mod.largest_first([str(p) for p in paths]))}
    assert time.perf_counter() - t0 < 30
    assert got["slow.txt"].parsed.status == "failed"
    assert got["slow.txt"].parsed.error.startswith("took longer than 3 s")
    assert all(got[f"minutes-{k}.txt"].parsed.status == "ok" for k in range(3))


@pytest.mark.skipif(sys.platform == "win32", reason="workers inherit the test's patch only with fork")
@pytest.mark.parametrize("bad", ["slow.txt", "crash.txt"])
def test_documents_waiting_on_a_worker_that_is_stopped_are_not_lost(tmp_path, monkeypatch, bad):
    """A worker holds its next document while on one: when it is killed (time limit) or dies, the
    waiting one goes to its replacement and is extracted as usual, not failed with it."""
    paths = [tmp_path / bad]
    paths[0].write_text(MINUTES * 3)  # the largest: handed out first
    for k in range(3):
        paths.append(tmp_path / f"minutes-{k}.txt")
        paths[-1].write_text(MINUTES.replace("14 May", f"{k + 1} May"))
    monkeypatch.setattr(workers_mod, "process_file", _slow_or_crashing(workers_mod.process_file))
    monkeypatch.setattr(workers_mod, "prepare_file", _slow_or_crashing(workers_mod.prepare_file))
    monkeypatch.setattr(workers_mod, "_pipeline_loaded", lambda: True)  # no parsing ahead: the worker reads it
    held = []  # what each stopped worker held besides the document it was on
    real_stop = workers_mod.WorkerPool._stop
    monkeypatch.setattr(workers_mod.WorkerPool, "_stop", lambda pool, w: (held.append(w.queued),
                                                                           real_stop(pool, w)))
    jobs = workers_mod.largest_first([str(p) for p in paths])
    assert Path(jobs[0]).name == bad
    with workers_mod.WorkerPool(1, Limits(timeout=3)) as pool:
        got = {Path(rec.source).name: rec for rec in pool.run(jobs)}
    assert held == [jobs[1]]
    assert got[bad].parsed.status == "failed"
    assert got[bad].parsed.error.startswith("took longer than 3 s" if bad == "slow.txt" else "the worker reading")
    assert all(got[f"minutes-{k}.txt"].parsed.status == "ok" for k in range(3))
    assert len(got) == 4


@pytest.mark.parametrize(("status", "error", "timeout", "retry"), [
    ("failed", "took longer than 60 s to read and extract", 60, False),
    ("failed", "took longer than 60 s to read and extract", 600, True),
    ("failed", "took longer than 60 s to read and extract", None, True),
    ("failed", "PDF is encrypted (password-protected); pass its password with --password", 60, True),
    ("needs_ocr", "no text layer", 60, False),
    ("ok", None, 60, False),
])
def test_which_documents_are_retried(status, error, timeout, retry):
    assert _retry({"status": status, "error": error}, Limits(timeout=timeout)) is retry


def test_store_bug_degrades_one_document_not_the_batch(tmp_path, monkeypatch):
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "a.txt").write_text(MINUTES)
    (folder / "b.txt").write_text(MINUTES.replace("14 May", "11 June"))

    real = store_mod._write_extraction

    def broken(db, rec, *args):
        if rec.extraction.actions or rec.extraction.people:
            raise ValueError("boom")
        return real(db, rec, *args)

    monkeypatch.setattr(store_mod, "_write_extraction", broken)
    db = open_db(tmp_path / "s.db")
    result = ingest(db, [folder], workers=1)
    assert result.documents == 2
    rows = list(db.query("SELECT id, status, error, extractor FROM documents"))
    assert all(r["status"] == "partial" and "could not be stored (ValueError: boom" in r["error"] for r in rows)
    assert all(r["extractor"] is None for r in rows), "so the next run tries again"
    assert db.execute("SELECT count(*) FROM agenda_items").fetchone()[0] >= 4, "text and agenda items kept"
    monkeypatch.undo()
    again = ingest(db, [folder], workers=1)
    assert again.documents == 2 and again.statuses["ok"] == 2


# --------------------------------------------------------------------------- detection


@pytest.mark.parametrize(("data", "fmt"), [
    (b"%PDF-1.4\n...", "pdf"),
    (b"\xef\xbb\xbf<!DOCTYPE html><html><body><p>x</p></body></html>", "html"),
    ("<html><body><p>café</p></body></html>".encode("utf-16"), "html"),
    ("<html><body><p>café</p></body></html>".encode("utf-16-le"), "html"),
    ("<html><body><p>café</p></body></html>".encode("utf-16-be"), "html"),
    ("Minutes\nThe <b>Board</b> agreed.".encode("utf-16"), "text"),
    (b"Minutes of the meeting\n1. Apologies", "text"),
    (b"PK\x03\x04....word/document.xml", "docx"),
    (b"", "text"),
])
def test_detect_format(data, fmt):
    assert detect_format(data) == fmt


@pytest.mark.parametrize(("data", "what"), [
    (b"\x89PNG\r\n\x1a\n....", "PNG"),
    (b"\xff\xd8\xff\xe0....", "JPEG"),
    (b"{\\rtf1\\ansi Minutes", "RTF"),
    (b"PK\x03\x04 xl/workbook.xml", "Excel"),
    (b"MZ\x90\x00" + b"\x00" * 60 + b"PE\x00\x00", "Windows program"),
])
def test_unsupported_formats_are_named(data, what):
    found = unsupported_format(data)
    assert found and what in found[0]


@pytest.mark.parametrize("data", [b"MZ Holdings Ltd minutes of the AGM", b"BMX track proposal report", b"Minutes"])
def test_text_starting_like_a_magic_number_is_still_text(data):
    assert unsupported_format(data) is None


def test_claimed_format():
    assert claimed_format("Minutes 12-03-2025.PDF") == "pdf"
    assert claimed_format("agenda.htm") == "html"
    assert claimed_format("notes") is None


def test_the_archive_database_in_the_folder_is_not_ingested(tmp_path):
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "minutes.txt").write_text(MINUTES)
    db = open_db(folder / "archive.db")
    result = ingest(db, [folder], workers=1)
    assert result.documents == 1
    assert any(s.reason.startswith("the archive database itself") for s in result.skipped)
    assert [r["filename"] for r in db.query("SELECT filename FROM documents")] == ["minutes.txt"]
