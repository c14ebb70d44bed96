"""Parsers: bytes in, :class:`~extract.records.ParsedDocument` out.

Each parser handles one format and never raises for bad input; it returns a
document whose ``status``/``error`` say what went wrong.
"""

from __future__ import annotations

from ..detect import detect_format
from ..records import ParsedDocument
from ..vocab import STATUS_FAILED


def parse_bytes(data: bytes, filename: str = "", *, password: str | None = None) -> ParsedDocument:
    """Detect the format of ``data`` and run the matching parser."""
    fmt = detect_format(data, filename)
    if not data:
        return ParsedDocument(format="text", status=STATUS_FAILED, error="empty file (0 bytes)")
    if fmt == "pdf":
        from .pdf import parse_pdf

        return parse_pdf(data, password=password)
    if fmt == "html":
        from .html import parse_html

        return parse_html(data)
    if fmt == "docx":
        return ParsedDocument(
            format="docx",
            status=STATUS_FAILED,
            error="Word .docx files are not supported yet; save the document as PDF or HTML and ingest that",
        )
    from .text import parse_text

    return parse_text(data)
