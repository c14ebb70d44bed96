"""One file through parse → segment → extract, with no database in sight.

``process_file`` is what worker processes run; it returns a picklable
:class:`~extract.records.DocumentRecord` for the single writer to store. It
never raises for a bad document: the record carries ``status`` and ``error``.
"""

from __future__ import annotations

import hashlib
import os
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from .parse import parse_bytes
from .records import DocumentRecord, Extraction, ParsedDocument, Segmentation
from .vocab import STATUS_FAILED, STATUS_NEEDS_OCR


@dataclass(frozen=True)
class Limits:
    """Guards so one monster file cannot stall a batch."""

    max_bytes: int = 200 * 1024 * 1024
    max_pages: int = 2000
    password: str | None = None


def document_id(data: bytes, source: str) -> tuple[str, str]:
    """(id, sha256): identical bytes are one document whatever the file is called.

    A zero-byte file has no content to identify it, so its id comes from the path.
    """
    sha = hashlib.sha256(data).hexdigest()
    if not data:
        return hashlib.sha256(f"empty:{source}".encode()).hexdigest()[:16], sha
    return sha[:16], sha


def _failed(source: str, reason: str, data: bytes = b"", fmt: str = "text") -> DocumentRecord:
    doc_id, sha = document_id(data, source)
    return DocumentRecord(
        id=doc_id, source=source, filename=os.path.basename(source), sha256=sha, size=len(data),
        parsed=ParsedDocument(format=fmt, status=STATUS_FAILED, error=reason), segmentation=Segmentation(),
    )


def read_file(path: Path, limits: Limits) -> tuple[bytes | None, str | None]:
    """Read a file's bytes, or say in words why it cannot be read."""
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            return None, (
                f"file is {size / 1e6:.0f} MB, over the {limits.max_bytes / 1e6:.0f} MB limit; "
                "raise it with --max-mb if the file is genuine"
            )
        return path.read_bytes(), None
    except PermissionError:
        return None, "permission denied: the file cannot be read (check its permissions)"
    except OSError as exc:
        return None, f"cannot read file: {exc.strerror or exc}"


def process_bytes(data: bytes, source: str, limits: Limits = Limits(), *, nlp: bool = True) -> DocumentRecord:
    """Parse, segment and extract one document's bytes."""
    t0 = time.perf_counter()
    doc_id, sha = document_id(data, source)
    filename = os.path.basename(source)
    try:
        parsed = parse_bytes(data, filename, password=limits.password)
    except Exception as exc:  # a parser bug must not stop the batch: record it
        return _failed(source, f"parser error: {type(exc).__name__}: {exc}", data)
    if parsed.page_count and parsed.page_count > limits.max_pages and parsed.status != STATUS_FAILED:
        parsed = ParsedDocument(
            format=parsed.format, page_count=parsed.page_count, status=STATUS_FAILED,
            error=f"{parsed.page_count} pages, over the {limits.max_pages}-page limit; raise it with --max-pages",
        )
    seg = Segmentation()
    ext = Extraction()
    if parsed.status not in (STATUS_FAILED, STATUS_NEEDS_OCR) and parsed.text.strip():
        try:
            from .segment import segment

            seg = segment(parsed, filename)
        except Exception as exc:
            parsed.status = "partial"
            parsed.error = f"segmentation failed: {type(exc).__name__}: {exc}"
            traceback.print_exc()
        if nlp:
            try:
                from .nlp import run_nlp

                ext = run_nlp(parsed, seg)
            except ImportError:
                pass
            except Exception as exc:
                parsed.status = "partial"
                parsed.error = f"extraction failed: {type(exc).__name__}: {exc}"
                traceback.print_exc()
    return DocumentRecord(
        id=doc_id, source=source, filename=filename, sha256=sha, size=len(data), parsed=parsed,
        segmentation=seg, extraction=ext, seconds=time.perf_counter() - t0,
    )


def process_file(path: str | Path, limits: Limits = Limits(), *, nlp: bool = True) -> DocumentRecord:
    """Read and process one file; unreadable files come back as failed records."""
    path = Path(path)
    source = str(path)
    data, problem = read_file(path, limits)
    if data is None:
        return _failed(source, problem or "cannot read file")
    return process_bytes(data, source, limits, nlp=nlp)
