"""One file through parse → segment → extract, with no database in sight.

``process_file`` is what worker processes run; it returns a picklable
:class:`~extract.records.DocumentRecord` for the single writer to store. It
never raises for a bad document: the record carries ``status`` and ``error``,
worded for the clerk who has to act on it.

Guards live here because they are about the batch, not about one format: the
file-size and page limits, the size of text the line-based segmenter and the
extractors are given, files whose name promises a PDF but whose bytes are a
web page, and extracted offsets that would point outside the text. The time
limit per document is enforced by :mod:`extract.ingest`, which runs documents
in worker processes it can stop.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import time
import traceback
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from pathlib import Path

from .detect import claimed_format, detect_format, unsupported_format
from .parse import parse_bytes
from .records import DocumentRecord, Extraction, ParsedDocument, Segmentation
from .rx.words import longest_first
from .vocab import STATUS_FAILED, STATUS_NEEDS_OCR, STATUS_OK, STATUS_PARTIAL

MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
ERROR_PAGES = MODELS_DIR / "ingest" / "error_pages.json"


@dataclass(frozen=True)
class Limits:
    """Guards so one monster file cannot stall a batch.

    ``timeout`` is seconds per document for reading, parsing and extraction
    (None: no limit); it is enforced by running documents in worker
    processes (see :func:`extract.ingest.ingest`). ``max_chars`` and
    ``max_line_chars`` bound the text handed to the segmenter and the
    extractors, whose rules read line by line: a document over them keeps
    its text (stored and searchable) but is not segmented or extracted.
    """

    max_bytes: int = 200 * 1024 * 1024
    max_pages: int = 2000
    password: str | None = None
    timeout: float | None = None
    max_chars: int = 20_000_000
    max_line_chars: int = 100_000


def document_id(data: bytes, source: str) -> tuple[str, str]:
    """(id, sha256): identical bytes are one document whatever the file is called.

    A zero-byte file has no content to identify it, so its id comes from the path.
    """
    sha = hashlib.sha256(data).hexdigest()
    if not data:
        return hashlib.sha256(f"empty:{source}".encode()).hexdigest()[:16], sha
    return sha[:16], sha


def failed_record(source: str, reason: str, data: bytes = b"") -> DocumentRecord:
    """A record saying ``source`` could not be processed, and why.

    Used for files that cannot be read and by the batch for documents whose
    worker timed out or crashed; ``data`` (when known) gives the record its
    content id, so a retry that succeeds replaces it.
    """
    doc_id, sha = document_id(data, source)
    fmt = detect_format(data, source) if data else (claimed_format(source) or "text")
    if fmt not in ("pdf", "html", "text", "docx"):
        fmt = "text"
    return DocumentRecord(
        id=doc_id, source=source, filename=os.path.basename(source), sha256=sha, size=len(data),
        parsed=ParsedDocument(format=fmt, status=STATUS_FAILED, error=reason), segmentation=Segmentation(),
    )



def _mb(n: int) -> str:
    """Bytes as the megabytes --max-mb counts (MiB), readable at any size."""
    mb = n / (1024 * 1024)
    return f"{mb:.0f} MB" if mb >= 10 else f"{mb:.2g} MB"


def read_file(path: Path, limits: Limits) -> tuple[bytes | None, str | None]:
    """Read a file's bytes, or say in words why it cannot be read."""
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            return None, (
                f"file is {_mb(size)}, over the {_mb(limits.max_bytes)} limit; "
                "raise it with --max-mb if the file is genuine"
            )
        with open(path, "rb") as fh:
            # Read at most one byte over the limit: a file that grew since stat() is still bounded.
            data = fh.read(limits.max_bytes + 1)
        if len(data) > limits.max_bytes:
            return None, (
                f"file is over the {_mb(limits.max_bytes)} limit; raise it with --max-mb if the file is genuine"
            )
        return data, None
    except PermissionError:
        return None, "permission denied: the file cannot be read (check its permissions)"
    except IsADirectoryError:
        return None, "is a folder, not a file"
    except OSError as exc:
        if exc.errno == 40:  # ELOOP
            return None, "symlink loop: the link points back at itself"
        return None, f"cannot read file: {exc.strerror or exc}"


@lru_cache(maxsize=1)
def _error_page_rules() -> tuple[int, re.Pattern[str] | None]:
    try:
        spec = json.loads(ERROR_PAGES.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 3000, None
    phrases = longest_first(p for p in spec.get("phrases", []) if p)
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b", re.I) if phrases else None
    return int(spec.get("max_chars", 3000)), pattern


def _quote(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def check_misnamed(parsed: ParsedDocument, filename: str) -> ParsedDocument:
    """Catch a web page or message saved under a document's name.

    A browser that hits a 404, a login wall or a firewall still saves *something*
    as ``minutes.pdf``. When the name promises a PDF (or .docx) but the bytes
    are a short HTML or text page, the clerk must see that the document was
    never downloaded, not an "ok" document reading "Not Found". A long HTML
    page with a .pdf name is read as the page it is.
    """
    claimed = claimed_format(filename)
    if claimed not in ("pdf", "docx") or parsed.format == claimed:
        return parsed
    what = {"html": "an HTML page", "text": "a text file"}.get(parsed.format, f"a {parsed.format} file")
    ext = Path(filename).suffix.lower()
    header = "no %PDF- header" if claimed == "pdf" else "not a Word file"
    if parsed.status == STATUS_FAILED:
        reason = parsed.error or "it could not be read"
        parsed.error = f"not a {claimed.upper()} ({header}): {what} saved as {ext}, and {reason}"
        return parsed
    max_chars, pattern = _error_page_rules()
    text = parsed.text
    if len(text.strip()) > max_chars:
        return parsed
    probe = f"{parsed.title or ''}\n{text}"
    hit = pattern.search(probe) if pattern else None
    quote = _quote(parsed.title or "") or _quote(text)
    if hit:
        detail = f"a download error page (\"{quote}\")"
    else:
        detail = f"a short page that is not the document (\"{quote}\")" if quote else "an empty page"
    return ParsedDocument(
        format=parsed.format, title=parsed.title, status=STATUS_FAILED,
        error=(
            f"not a {claimed.upper()}: {what} was saved as {ext}: {detail}; "
            "download the document again"
        ),
    )


def _parse(data: bytes, filename: str, limits: Limits) -> ParsedDocument:
    """Dispatch on the bytes, with the batch limits the parsers accept."""
    if not data:
        fmt = claimed_format(filename) or "text"
        return ParsedDocument(format=fmt if fmt != "docx" else "text", status=STATUS_FAILED,
                              error="empty file (0 bytes): nothing to read; download or export it again")
    other = unsupported_format(data)
    if other:
        what, advice = other
        return ParsedDocument(format="text", status=STATUS_FAILED,
                              error=f"not a document this tool reads: it is {what}; {advice}")
    if detect_format(data, filename) == "pdf":
        from .parse.pdf import parse_pdf

        return parse_pdf(data, password=limits.password, max_pages=limits.max_pages)
    return parse_bytes(data, filename, password=limits.password)


def _oversized(parsed: ParsedDocument, limits: Limits) -> str | None:
    """Why the text is too big for the line-based stages, or None."""
    n = sum(len(p.text) for p in parsed.pages)
    if n > limits.max_chars:
        return (
            f"the text is {n / 1e6:.1f} million characters, over the {limits.max_chars / 1e6:g} million "
            "limit for extraction; it is stored and searchable, but agenda items, meeting details and "
            "extraction were skipped (raise the limit with --max-chars)"
        )
    longest = max((len(line) for p in parsed.pages for line in p.text.split("\n")), default=0)
    if longest > limits.max_line_chars:
        return (
            f"the text has a line of {longest:,} characters (no line breaks: a damaged export?); it is "
            "stored and searchable, but agenda items, meeting details and extraction were skipped"
        )
    return None


def _partial(parsed: ParsedDocument, reason: str) -> None:
    """Downgrade to partial (never upgrade a failure) and add ``reason`` to the error."""
    if parsed.status in (STATUS_OK, STATUS_PARTIAL, None, ""):
        parsed.status = STATUS_PARTIAL
    parsed.error = f"{parsed.error}; {reason}" if parsed.error else reason


def _inside(start: object, end: object, n: int) -> bool:
    return isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= n


def check_offsets(text: str, seg: Segmentation, ext: Extraction) -> tuple[Segmentation, Extraction, int]:
    """Drop agenda items and extracted items whose offsets fall outside ``text``.

    Offsets are how Datasette links a row back to its sentence; a wrong one is
    a bug upstream, and storing it would point the clerk at the wrong words.
    Returns the cleaned segmentation and extraction and how many were dropped.
    """
    n = len(text)
    dropped = 0
    items = []
    for it in seg.items:
        if (it.start is None and it.end is None) or _inside(it.start, it.end if it.end is not None else it.start, n):
            items.append(it)
        else:
            dropped += 1
    if dropped:
        seg = replace(seg, items=items)
    kept: dict[str, list] = {}
    for f in fields(Extraction):
        if f.name == "evidence":
            continue  # sentences, not spans
        values = getattr(ext, f.name)
        good = [v for v in values if getattr(v, "table_index", None) is not None or _inside(v.span.start, v.span.end, n)]
        dropped += len(values) - len(good)
        kept[f.name] = good
    if dropped:
        ext = replace(ext, **kept)
    return seg, ext, dropped


@dataclass
class Prepared:
    """A document parsed and segmented, waiting for extraction.

    :func:`prepare` makes it without spaCy, so a batch can parse documents
    ahead while the pipeline loads (see :mod:`extract.workers`); :func:`finish`
    completes it. ``finish(prepare(...))`` is exactly :func:`process_bytes`.
    """

    record: DocumentRecord  # everything but the extraction; ``seconds`` so far
    extract: bool  # False: the text is too big for extraction, or there is no text to extract from


def prepare(data: bytes, source: str, limits: Limits = Limits()) -> Prepared | DocumentRecord:
    """Parse and segment one document's bytes: a :class:`Prepared`, or the finished record of a failure."""
    t0 = time.perf_counter()
    doc_id, sha = document_id(data, source)
    filename = os.path.basename(source)
    try:
        parsed = _parse(data, filename, limits)
    except Exception as exc:  # a parser bug must not stop the batch: record it
        traceback.print_exc(file=sys.stderr)
        return failed_record(source, f"parser error (a bug, please report it): {type(exc).__name__}: {exc}", data)
    parsed = check_misnamed(parsed, filename)
    if parsed.page_count and parsed.page_count > limits.max_pages and parsed.status != STATUS_FAILED:
        parsed = ParsedDocument(
            format=parsed.format, page_count=parsed.page_count, status=STATUS_FAILED,
            error=f"{parsed.page_count} pages, over the {limits.max_pages}-page limit; raise it with --max-pages",
        )
    if parsed.status == STATUS_OK and parsed.error:
        parsed.error = None  # the contract: error is NULL when status is ok
    seg = Segmentation()
    too_big = _oversized(parsed, limits) if parsed.status not in (STATUS_FAILED, STATUS_NEEDS_OCR) else None
    extract = False
    if too_big:
        _partial(parsed, too_big)
    elif parsed.status not in (STATUS_FAILED, STATUS_NEEDS_OCR) and parsed.text.strip():
        extract = True
        try:
            from .segment import segment

            seg = segment(parsed, filename)
        except Exception as exc:
            _partial(parsed, f"segmentation failed (a bug, please report it): {type(exc).__name__}: {exc}")
            traceback.print_exc(file=sys.stderr)
    rec = DocumentRecord(id=doc_id, source=source, filename=filename, sha256=sha, size=len(data), parsed=parsed,
                         segmentation=seg, seconds=time.perf_counter() - t0)
    return Prepared(rec, extract)


def finish(prep: Prepared, *, nlp: bool = True) -> DocumentRecord:
    """Extract from a prepared document (unless ``nlp`` is False) and check the offsets: its record."""
    t0 = time.perf_counter()
    rec = prep.record
    parsed, seg = rec.parsed, rec.segmentation
    ext = Extraction()
    if prep.extract:
        if nlp:
            from .nlp import run_nlp  # spaCy loads only when a document needs it, not for --help

            try:
                ext = run_nlp(parsed, seg)
                from .resolve.actions import evidence_sentences

                ext.evidence = evidence_sentences(parsed.text)
            except Exception as exc:
                _partial(parsed, f"extraction failed (a bug, please report it): {type(exc).__name__}: {exc}")
                traceback.print_exc(file=sys.stderr)
        seg, ext, dropped = check_offsets(parsed.text, seg, ext)
        if dropped:
            _partial(parsed, f"{dropped} extracted item(s) pointed outside the text and were dropped (a bug, please report it)")
    return replace(rec, segmentation=seg, extraction=ext, seconds=rec.seconds + time.perf_counter() - t0)


def process_bytes(data: bytes, source: str, limits: Limits = Limits(), *, nlp: bool = True) -> DocumentRecord:
    """Parse, segment and extract one document's bytes; never raises for bad input."""
    prep = prepare(data, source, limits)
    return prep if isinstance(prep, DocumentRecord) else finish(prep, nlp=nlp)


def prepare_file(path: str | Path, limits: Limits = Limits()) -> Prepared | DocumentRecord:
    """Read, parse and segment one file (:func:`prepare`); unreadable files come back as failed records."""
    source = str(Path(path))
    data, problem = read_file(Path(path), limits)
    if data is None:
        return failed_record(source, problem or "cannot read file")
    return prepare(data, source, limits)


def process_file(path: str | Path, limits: Limits = Limits(), *, nlp: bool = True) -> DocumentRecord:
    """Read and process one file; unreadable files come back as failed records."""
    prep = prepare_file(path, limits)
    return prep if isinstance(prep, DocumentRecord) else finish(prep, nlp=nlp)
