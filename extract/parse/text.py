"""Plain-text (and light Markdown) parser.

Council documents reach us as text in many shapes: copies pasted out of
ModernGov pages, Word "save as text" output in cp1252, UTF-16 exports from
Windows tools, Markdown notes. The parser decodes whatever encoding the bytes
are in, normalises the characters that break downstream matching (NBSP,
zero-width spaces, CRLF) and keeps the line structure, because the segmenter
finds agenda items and the extractors find list items by line.

The helpers :func:`decode_bytes`, :func:`normalise_chars` and
:func:`strip_link_noise` are shared with the HTML parser.
"""

from __future__ import annotations

import codecs
import re

from ..records import Page, ParsedDocument
from ..vocab import STATUS_FAILED, STATUS_OK

# Encodings that charset-normalizer may pick for short Western text where
# cp1252 is the better prior for UK/US council documents: their letters
# coincide for ASCII and they differ only in rarely used symbols.
_WESTERN = {
    "cp1252",
    "latin_1",
    "iso8859_1",
    "iso8859_15",
    "cp1250",
    "iso8859_2",
    "mac_roman",
    "mac_latin2",
    "cp850",
    "cp437",
    "ascii",
}

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Characters that are spaces to a reader but not to a regex.
_SPACE_CHARS = re.compile("[\u00a0\u2007\u202f\u2000-\u200a\u3000]")
# Invisible characters that split words for matching: zero-width space/joiners,
# word joiner, BOM used mid-text, soft hyphen.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# C0/C1 control characters other than tab/newline/carriage return/form feed.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")

# Link noise left by ModernGov and similar CMSs when a page is rendered as
# text: "pdf icon PDF 73 KB", "(PDF 401 KB)", "(PDF, 132 KB)", "Word 45 KB".
# The size is what makes it noise, so a bare "PDF" in a sentence survives.
_FILE_SIZE = re.compile(
    r"[ \t]*(?:\bpdf\s+icon\s*)?\(?\s*(?:PDF|DOCX?|XLSX?|PPTX?|RTF|ODT|CSV|Word|Excel|pdf)\b\s*,?\s*"
    r"\d[\d.,]*\s*(?:[KMG]B|[kmg]b|bytes)\b\s*\)?"
)
# ModernGov "more" links that point at another page ("view the full minutes
# text for item 3.", "View the reasons why item 7. is restricted").
_VIEW_LINK = re.compile(
    r"[ \t]*\bview\s+the\s+(?:full\s+)?(?:minutes|decision|background|declarations?\s+of\s+interests?)"
    r"(?:\s+text)?\s+(?:for|to)\s+item\s+\w+(?:\.\w+)*\.?"
    r"|[ \t]*\bview\s+the\s+reasons?\s+why\s+item\s+\w+(?:\.\w+)*\.?\s+is\s+restricted\.?",
    re.IGNORECASE,
)

_MD_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", re.MULTILINE)
_MD_BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_MD_ITALIC = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![\w*])")
_MD_LINK = re.compile(r"(?<!!)\[([^\]\n]+)\]\((?:[^)\s]+)(?:\s+\"[^\"]*\")?\)")
_MD_RULE = re.compile(r"^[ \t]*(?:[-=_*][ \t]*){3,}(?:\n|$)", re.MULTILINE)
_MD_TABLE_SEP = re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)+\|?[ \t]*$")


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding)``; never raises.

    Order: byte-order mark; UTF-16 without BOM; UTF-8 (the fast path, and valid UTF-8 with
    non-ASCII bytes is almost never anything else, whatever a page declares);
    the declared encoding (HTML meta) if it decodes cleanly; cp1252 for
    mostly-ASCII text; charset-normalizer; latin-1.
    ISO-8859-1 declarations are read as cp1252, as browsers do, because
    Windows-authored pages declare latin-1 and use cp1252 quotes.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(enc, errors="replace"), enc
    utf16 = _sniff_utf16(data)  # before UTF-8: NUL bytes are valid UTF-8
    if utf16:
        return data.decode(utf16, errors="replace"), utf16
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if declared:
        enc = _canonical(declared)
        if enc and not enc.startswith("utf_16") and not enc.startswith("utf_32"):
            if enc in ("latin_1", "iso8859_1", "ascii"):
                enc = "cp1252"
            try:
                return data.decode(enc), enc
            except (UnicodeDecodeError, LookupError):
                pass  # declaration is wrong; detect below
    # English text in a legacy encoding is nearly always cp1252 with a few
    # high bytes (quotes, dashes, £). charset-normalizer guesses wildly on
    # such short samples (Big5, cp852), so it only decides when high bytes are
    # frequent enough to mean a non-Western script, or cp1252 cannot decode.
    high = sum(1 for b in data[:20000] if b >= 0x80)
    western_first = len(data) < 200 or high <= 0.15 * min(len(data), 20000)
    if western_first:
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass
    guess = _charset_normalizer_guess(data)
    if guess and (guess not in _WESTERN or not western_first):
        try:
            return data.decode(guess), guess
        except (UnicodeDecodeError, LookupError):
            pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _canonical(name: str) -> str | None:
    try:
        return codecs.lookup(name.strip().strip("'\"")).name.replace("-", "_")
    except LookupError:
        return None


def _sniff_utf16(data: bytes) -> str | None:
    """Recognise BOM-less UTF-16 from the NUL pattern of mostly-ASCII text."""
    sample = data[:4096]
    if len(sample) < 8:
        return None
    half = len(sample) // 2
    even_nul = sample[0::2].count(0)
    odd_nul = sample[1::2].count(0)
    if odd_nul > 0.4 * half and even_nul < 0.05 * half:
        return "utf-16-le"
    if even_nul > 0.4 * half and odd_nul < 0.05 * half:
        return "utf-16-be"
    return None


def _charset_normalizer_guess(data: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # optional at run time; cp1252 fallback still works
        return None
    best = from_bytes(data[:200_000]).best()
    if best is None:
        return None
    return _canonical(best.encoding)


def normalise_chars(text: str) -> str:
    """Unify line ends and spaces so regexes see what a reader sees.

    CRLF/CR become LF, form feeds become blank lines, NBSP-like spaces become
    plain spaces, zero-width characters and soft hyphens are removed.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\f" in text:
        text = text.replace("\f", "\n\n")
    if "\x0b" in text:  # Word's manual line break in text exports
        text = text.replace("\x0b", "\n")
    text = _SPACE_CHARS.sub(" ", text)
    return _INVISIBLE.sub("", text)


def strip_link_noise(text: str) -> str:
    """Remove file-size link labels and "view the full ... for item N" links.

    Only the noise is removed; the words around it are kept, so
    "Hate Crime - Reporting pdf icon PDF 287 KB" becomes "Hate Crime - Reporting".
    """
    if "B" in text or "b" in text:
        text = _FILE_SIZE.sub("", text)
    if "iew" in text:
        text = _VIEW_LINK.sub("", text)
    return text


def looks_binary(data: bytes, text: str) -> bool:
    """True when the bytes are not a text document (NULs, many control chars)."""
    if not text:
        return False
    sample = text[:20000]
    controls = len(_CONTROL.findall(sample))
    if controls > max(3, 0.02 * len(sample)):
        return True
    # A NUL in the decoded text never occurs in a real document.
    return "\x00" in sample


def _strip_markdown(text: str) -> str:
    """Drop Markdown markup that would otherwise end up in sentences."""
    if "#" in text:
        text = _MD_HEADING.sub(r"\1", text)
    if "**" in text or "__" in text:
        text = _MD_BOLD.sub(r"\2", text)
    if "*" in text:
        text = _MD_ITALIC.sub(r"\1", text)
    if "](" in text:
        text = _MD_LINK.sub(r"\1", text)
    if "|" in text:
        text = _markdown_tables(text)
    return _MD_RULE.sub("", text)


def _markdown_tables(text: str) -> str:
    """Turn ``| a | b |`` rows into tab-separated lines; drop ``|---|`` rules."""
    out: list[str] = []
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.startswith("|") and stripped.endswith("|") and stripped.count("|") >= 3:
            if _MD_TABLE_SEP.match(stripped):
                continue
            cells = [c.strip() for c in stripped[1:-1].split("|")]
            out.append("\t".join(cells))
        else:
            out.append(line)
    return "\n".join(out)


def clean_text(text: str) -> str:
    """Normalise characters, strip Markdown and link noise, tidy whitespace.

    Line breaks are kept (the segmenter reads lines); runs of blank lines are
    collapsed to one and trailing spaces removed.
    """
    text = normalise_chars(text)
    text = _strip_markdown(text)
    lines = [strip_link_noise(line).rstrip() for line in text.split("\n")]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n")


def parse_text(data: bytes) -> ParsedDocument:
    """Parse a plain-text or Markdown document; never raises.

    Returns ``format="text"`` with one page whose number is None. Binary data
    and empty documents come back with ``status="failed"`` and a reason.
    """
    try:
        return _parse_text(data)
    except Exception as exc:  # a parser must not stop the batch; record why
        return ParsedDocument(
            format="text", status=STATUS_FAILED, error=f"could not read text: {type(exc).__name__}: {exc}"
        )


def _parse_text(data: bytes) -> ParsedDocument:
    raw, _encoding = decode_bytes(data)
    if looks_binary(data, raw):
        return ParsedDocument(format="text", status=STATUS_FAILED, error="not a text document (binary data)")
    text = clean_text(raw)
    if not text.strip():
        return ParsedDocument(format="text", status=STATUS_FAILED, error="document has no text")
    title = next((ln.strip() for ln in text.split("\n") if ln.strip()), None)
    if title and len(title) > 200:
        title = None
    return ParsedDocument(format="text", pages=[Page(number=None, text=text)], title=title, status=STATUS_OK)
