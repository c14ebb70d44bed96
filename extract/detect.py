"""Detect a document's format from its bytes, not its file name.

Council archives are full of misnamed files (an HTML error page saved as
``.pdf``), so the extension is only a last resort for formats whose bytes
do not announce themselves.
"""

from __future__ import annotations

import re

_HTML_MARKERS = re.compile(
    rb"<\s*(!doctype\s+html|html|head|body|div|p|table|meta|title)\b", re.I
)


def detect_format(data: bytes, filename: str = "") -> str:
    """Return ``pdf``, ``docx``, ``html`` or ``text`` for the given bytes."""
    head = data[:2048]
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") and b"word/" in data[:65536]:
        return "docx"
    # Skip a BOM and leading whitespace before looking for markup.
    probe = head.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n")
    if probe.startswith(b"<") and _HTML_MARKERS.search(head):
        return "html"
    if _HTML_MARKERS.search(head) and re.search(rb"</\s*(p|div|html|body|td)\s*>", data[:65536], re.I):
        return "html"
    return "text"
