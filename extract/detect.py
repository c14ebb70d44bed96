"""Detect a document's format from its bytes, not its file name.

Council archives are full of misnamed files (an HTML error page saved as
``.pdf``, a scan saved as ``.pdf.jpg``, a UTF-16 export from a Windows tool),
so the extension is only a last resort for formats whose bytes do not
announce themselves. :func:`detect_format` names the formats we read;
:func:`unsupported_format` names common files we do not read, so the batch
can say "this is a PNG image" instead of "binary data";
:func:`claimed_format` is what the file name promises, so a mismatch can be
reported.
"""

from __future__ import annotations

import codecs
import re
from pathlib import PurePath

_HTML_MARKERS = re.compile(
    rb"<\s*(!doctype\s+html|html|head|body|div|p|table|meta|title)\b", re.I
)
_HTML_CLOSE = re.compile(rb"</\s*(p|div|html|body|td)\s*>", re.I)

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)


def _ascii_view(head: bytes) -> bytes:
    """The first bytes as ASCII-compatible bytes, so markup tests work on UTF-16/32 files.

    Windows tools save HTML and text as UTF-16 (with or without a byte-order
    mark); their markup is ``<\\x00h\\x00...`` and no byte regex sees it.
    """
    if head.startswith(_UTF32_BOMS):
        enc = "utf-32"
    elif head.startswith(_UTF16_BOMS):
        enc = "utf-16"
    else:
        sample = head[:512]
        half = max(len(sample) // 2, 1)
        if len(sample) < 8:
            return head
        odd_nul, even_nul = sample[1::2].count(0), sample[0::2].count(0)
        if odd_nul > 0.4 * half and even_nul < 0.05 * half:
            enc = "utf-16-le"
        elif even_nul > 0.4 * half and odd_nul < 0.05 * half:
            enc = "utf-16-be"
        else:
            return head
    usable = len(head) - len(head) % 4
    return head[:usable].decode(enc, errors="replace").encode("utf-8", errors="replace")


def detect_format(data: bytes, filename: str = "") -> str:
    """Return ``pdf``, ``docx``, ``html`` or ``text`` for the given bytes.

    Unknown binary data is ``text``; the text parser then reports it as not a
    text document. ``filename`` is accepted for callers that have one but
    does not decide the format.
    """
    head = data[:2048]
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") and b"word/" in data[:65536]:
        return "docx"
    view = _ascii_view(head)
    # Skip a BOM and leading whitespace before looking for markup.
    probe = view.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n")
    if probe.startswith(b"<") and _HTML_MARKERS.search(view):
        return "html"
    if _HTML_MARKERS.search(view):
        body = data[:65536] if view is head else _ascii_view(data[:65536])
        if _HTML_CLOSE.search(body):
            return "html"
    return "text"


# Magic numbers of files that turn up in council document folders but are not
# documents we can read. Each maps to (what it is, what to do about it).
_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image", "scanned pages must be OCRed and saved as PDF before ingesting"),
    (b"\xff\xd8\xff", "a JPEG image", "scanned pages must be OCRed and saved as PDF before ingesting"),
    (b"GIF87a", "a GIF image", "images are not documents; skip it"),
    (b"GIF89a", "a GIF image", "images are not documents; skip it"),
    (b"II*\x00", "a TIFF image", "scanned pages must be OCRed and saved as PDF before ingesting"),
    (b"MM\x00*", "a TIFF image", "scanned pages must be OCRed and saved as PDF before ingesting"),
    (b"BM", "a BMP image", "images are not documents; skip it"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office file (.doc/.xls/.ppt/.msg)",
     "save it as PDF and ingest that"),
    (b"{\\rtf", "an RTF document", "save it as PDF (or plain text) and ingest that"),
    (b"\x1f\x8b", "a gzip-compressed file", "uncompress it and ingest its contents"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "unpack it and ingest its files"),
    (b"Rar!\x1a\x07", "a RAR archive", "unpack it and ingest its files"),
    (b"\x7fELF", "a program (ELF executable)", "it is not a document; remove it from the folder"),
    (b"MZ", "a Windows program or library", "it is not a document; remove it from the folder"),
    (b"SQLite format 3\x00", "an SQLite database", "it is not a document; remove it from the folder"),
    (b"ID3", "an MP3 audio file", "recordings are not read; ingest the minutes instead"),
    (b"\x00\x00\x00\x18ftyp", "a video/audio (MP4) file", "recordings are not read; ingest the minutes instead"),
    (b"\x00\x00\x00\x20ftyp", "a video/audio (MP4) file", "recordings are not read; ingest the minutes instead"),
)

_ZIP_MEMBERS: tuple[tuple[bytes, str, str], ...] = (
    (b"xl/", "an Excel workbook (.xlsx)", "export the sheet as PDF or CSV and ingest that"),
    (b"ppt/", "a PowerPoint presentation (.pptx)", "save it as PDF and ingest that"),
    (b"application/vnd.oasis.opendocument.text", "an OpenDocument text file (.odt)",
     "save it as PDF and ingest that"),
    (b"application/vnd.oasis.opendocument", "an OpenDocument file", "save it as PDF and ingest that"),
    (b"application/epub", "an EPUB e-book", "save it as PDF and ingest that"),
)


def unsupported_format(data: bytes) -> tuple[str, str] | None:
    """``(what it is, what to do)`` for well-known files that are not readable documents.

    ``None`` for everything else (PDF, HTML, text, .docx, and unknown bytes,
    which the text parser judges). Checked on magic numbers only, so it costs
    nothing and never mistakes a text document for a binary one.
    """
    if data.startswith(b"PK\x03\x04"):
        if b"word/" in data[:65536]:
            return None  # .docx: the parser dispatch says it is not supported yet
        for marker, what, advice in _ZIP_MEMBERS:
            if marker in data[:65536]:
                return what, advice
        return "a ZIP archive", "unpack it and ingest its files"
    if b"%PDF-" in data[:1024]:
        return None
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "a WebP image", "images are not documents; skip it"
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return "a WAV audio file", "recordings are not read; ingest the minutes instead"
    for magic, what, advice in _MAGIC:
        if data.startswith(magic):
            if magic == b"MZ" and b"PE\x00\x00" not in data[:1024]:
                continue  # "MZ" alone also starts ordinary text
            if magic == b"BM" and not _looks_like_bmp(data):
                continue
            return what, advice
    return None


def _looks_like_bmp(data: bytes) -> bool:
    """A BMP header stores its file size at bytes 2-6; "BM..." text does not."""
    if len(data) < 26:
        return False
    return int.from_bytes(data[2:6], "little") == len(data) and data[6:10] == b"\x00\x00\x00\x00"


_EXTENSIONS = {
    ".pdf": "pdf",
    ".htm": "html",
    ".html": "html",
    ".xhtml": "html",
    ".aspx": "html",
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".docx": "docx",
}


def claimed_format(filename: str) -> str | None:
    """The format a file name promises (``minutes.pdf`` -> ``pdf``), or None if it promises none."""
    return _EXTENSIONS.get(PurePath(filename).suffix.lower()) if filename else None
