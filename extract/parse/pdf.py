"""PDF parser: pypdfium2 for text, pdfplumber's table algorithm for tables.

Why this shape:

* Text comes from pypdfium2 (PDFium): about 85 times faster than
  pdfminer/pdfplumber text extraction, in the producer's reading order (a
  two-column page written column by column reads column by column).
  Geometry is handled in displayed-page space, so pages stored with
  /Rotate behave like upright ones.
* Tables are found with pdfplumber's table finder (edges -> intersections ->
  cells -> tables), but fed with ruling lines read from PDFium's page objects
  instead of a pdfminer pass, so a table page costs milliseconds rather than
  ~0.1 s. Its cell search is done by an equivalent function here (same
  cells, a fraction of the time; tests compare them). Pages whose rulings
  cannot make a table never reach the finder.
  Tables drawn with horizontal rules only (one rule per row, the common
  "finance table" style) are completed with column boundaries taken from the
  gaps in the text (commentary rows spanning the figure columns are kept as
  one cell). White filled boxes (Word's text backgrounds) are not rulings.
  Cell text is read from PDFium characters, so it gets the same clean-up
  as page text; only characters on lines whose PDFium text rectangles reach
  a table box are measured. On a table page the table's characters are
  replaced in the page text by its rows, cells separated by tabs, so
  full-text search still finds them but they read as rows, not word soup.
* Footnote markers: a digit that is clearly smaller than its neighbour and
  raised above its baseline becomes a Unicode superscript digit (``months¹``,
  ``2017¹``), never a plain digit glued to a word or number (``20171``). The
  marker is kept because it is part of what the document says and because a
  superscript cannot be mistaken for a figure by ``\\d``/``[0-9]`` patterns.
  Only digit runs are measured, and font boxes are read only for a run whose
  last digit sits above a neighbour's baseline, so this is cheap.
* Running headers/footers (lines repeated in the top or bottom margin of at
  least 3 pages and 40% of them, compared with digits masked) are dropped
  except their first copy, which often is the only place naming the meeting
  and date; those holding a page number, and bare page numbers in the
  margins ("3", "Page 3", "3 of 17", "- 3 -", "iv"), are dropped everywhere.
* Line breaks are kept (sentence segmentation uses them); a blank line marks
  a paragraph gap that is visibly larger than the page's line spacing.
  Ligatures, NBSP, PDFium's hyphen marker and soft hyphens are normalised.
  Hyphenated line ends are joined only for soft hyphens, never for a real
  "-", because "father-\\ninclusive" must not become "fatherinclusive".

The parser never raises for bad input: encrypted, damaged, empty, scanned
or oversized PDFs come back with ``status``/``error`` saying what to do.
Status rules: ``needs_ocr`` when (nearly) every page is an image without
characters, or the document has no characters but images/shapes;
``partial`` when at least a fifth of the pages are such scans, or pages or
their tables could not be read; ``failed`` when nothing can be read (and for
a PDF whose pages are all blank: no text, no images, nothing to index);
blank pages inside a document are normal and stay ``ok``.
"""

from __future__ import annotations

import bisect
import ctypes
import functools
import io
import math
import re
import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfplumber.table import Table as PlumberTable
from pdfplumber.table import (
    TableFinder,
    TableSettings,
    cells_to_tables,
    edges_to_intersections,
    intersections_to_cells,
)

from ..records import Page, ParsedDocument, Table
from ..vocab import STATUS_FAILED, STATUS_NEEDS_OCR, STATUS_OK, STATUS_PARTIAL

# --- tunables (structural, not vocabulary) ---------------------------------

_SUP_SIZE_RATIO = 0.85  # marker font height below this share of its neighbour's ...
_SUP_RISE_MIN = 0.12  # ... and its baseline raised by at least this share of it
_SUP_RISE_MAX = 0.75  # more than this is another line, not a superscript
_SUP_MAX_DIGITS = 3  # footnote markers are short

_MARGIN_ZONE = 0.12  # top/bottom share of the page where headers/footers live
_MARGIN_END = 1 - _MARGIN_ZONE
_RUNNING_MIN_PAGES = 3  # a running header needs this many pages ...
_RUNNING_MIN_SHARE = 0.4  # ... and this share of the pages that have text

_SCAN_MAX_CHARS = 10  # at most this many visible characters (a stamp, a page number): no text layer
_IMAGE_PAGE_MIN_COVER = 0.3  # an image covering this share of the page makes it a scan candidate
_NEEDS_OCR_SHARE = 0.9  # this share of pages scanned: the whole document needs OCR
_PARTIAL_SHARE = 0.2  # this share of pages scanned: the text is partial

_MAX_PATH_SEGMENTS = 20000  # a page drawing more than this is a chart or map, not a table
_MIN_TABLE_ROWS = 2
_NEAR_PAD = 1.0  # points: slack when telling which lines cannot reach a table box
_MIN_TABLE_COLS = 2

# --- PDFium calls in the per-character and per-object loops ------------------


# ctypes.PyDLL's kind of function pointer: cdecl, and the GIL stays held during the call
_GIL_HELD = type(ctypes.pythonapi.Py_IncRef)


def _unchecked(fn: Any, *, checked_result: bool = True) -> Any:
    """``fn`` without ctypes' per-call argument conversion and GIL hand-off: about twice as fast a call.

    The getters below run for every digit run, line, table character and page
    object of every page, hundreds of thousands of calls per batch, and with
    ``argtypes`` set ctypes converts each argument on each call. The copies
    take their arguments exactly as C expects them: PDFium handles as PDFium
    returned them (or ``ctypes.byref`` of the handle's ``contents``, which
    passes the same address without a conversion object per call), Python
    ints for ``int`` parameters (only functions whose integer parameters are
    C ``int`` are copied), and ``ctypes.byref()`` for every out-parameter (a
    bare ``c_double`` would be passed by value). They keep the GIL during the
    call, as ``ctypes.PyDLL`` functions do: these getters return at once and
    never call back into Python, and releasing and taking back the GIL cost
    about a tenth of each call.

    ``checked_result=False`` drops the result (ctypes then makes no Python
    object of it) for the character getters that report only success and
    cannot fail for a text page we hold and an index below its character
    count: PDFium returns FALSE only for an invalid text page, an index out
    of range or a NULL out-parameter.
    """
    out = _GIL_HELD(ctypes.cast(fn, ctypes.c_void_p).value)
    out.restype = fn.restype if checked_result else None
    return out


# (textpage, i, &x, &y)
_char_origin = _unchecked(pdfium_c.FPDFText_GetCharOrigin, checked_result=False)
# (textpage, i, &left, &right, &bottom, &top)
_char_box = _unchecked(pdfium_c.FPDFText_GetCharBox, checked_result=False)
# (textpage, i, &FS_RECTF)
_loose_box = _unchecked(pdfium_c.FPDFText_GetLooseCharBox, checked_result=False)
_count_rects = _unchecked(pdfium_c.FPDFText_CountRects)  # (textpage, start, count)
_get_rect = _unchecked(pdfium_c.FPDFText_GetRect)  # (textpage, k, &left, &top, &right, &bottom)
_page_object = _unchecked(pdfium_c.FPDFPage_GetObject)  # (page, i)
_object_type = _unchecked(pdfium_c.FPDFPageObj_GetType)  # (object)
_object_matrix = _unchecked(pdfium_c.FPDFPageObj_GetMatrix)  # (object, &FS_MATRIX)
_fill_color = _unchecked(pdfium_c.FPDFPageObj_GetFillColor)  # (object, &r, &g, &b, &a)
_draw_mode = _unchecked(pdfium_c.FPDFPath_GetDrawMode)  # (path, &fill, &stroke)
_count_segments = _unchecked(pdfium_c.FPDFPath_CountSegments)  # (path)
_path_segment = _unchecked(pdfium_c.FPDFPath_GetPathSegment)  # (path, k)
_segment_point = _unchecked(pdfium_c.FPDFPathSegment_GetPoint)  # (segment, &x, &y)
_segment_type = _unchecked(pdfium_c.FPDFPathSegment_GetType)  # (segment)
_segment_close = _unchecked(pdfium_c.FPDFPathSegment_GetClose)  # (segment)

# --- character normalisation ----------------------------------------------

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")

_CHAR_MAP = str.maketrans(
    {
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\ufb05": "st",
        "\ufb06": "st",
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\u3000": " ",
        **{chr(c): " " for c in range(0x2000, 0x200B)},
        "\u200b": "",
        "\u200c": "",
        "\u200d": "",
        "\u2060": "",
        "\ufeff": "",
        "\ufffd": "",
        # PDFium marks a hyphen it believes ends a line with U+FFFE (U+0002 raw);
        # in council PDFs these are Word's hyphens inside compounds.
        "\ufffe": "-",
        "\x02": "-",
        # Symbol/Wingdings bullets that arrive as private-use code points.
        "\uf0b7": "•",
        "\uf0a7": "▪",
        "\uf0d8": "➢",
        "\uf076": "❖",
        "\uf0fc": "✓",
        "\uf0a8": "□",
        "\uf06f": "o",
        "\uf02d": "-",
        **{chr(c): "" for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F)},
    }
)
# a character _CHAR_MAP changes: text without one skips the (per-character) translate
_MAPPED = re.compile("[" + "".join(re.escape(chr(c)) for c in _CHAR_MAP) + "]")
# the ASCII characters _CHAR_MAP leaves alone (deleted by _has_mapped)
_ASCII_UNMAPPED = bytes(c for c in range(128) if c not in _CHAR_MAP)


def _has_mapped(text: str) -> bool:
    """Whether ``text`` holds a character _CHAR_MAP changes (``_MAPPED.search``).

    The regex would run its character-class test on every character. Here
    the unmapped ASCII characters (nearly all of a page) are deleted from the
    UTF-8 bytes with ``bytes.translate``; what is left is whole UTF-8
    sequences (ASCII bytes are never part of a longer one): the mapped ASCII
    characters and every non-ASCII one, which the regex then tests.
    """
    rest = text.encode("utf-8", "surrogatepass").translate(None, _ASCII_UNMAPPED)
    if not rest:
        return False
    return _MAPPED.search(rest.decode("utf-8", "surrogatepass")) is not None

_SPACES = re.compile(r"  +")  # " {2,}" with a literal prefix, which re finds with a fast scan
_SOFT_HYPHEN = "\u00ad"
# Wrapped prose: does this producer end a wrapped line with a space?
_WRAP_SPACED = re.compile(r"[A-Za-z,;] \r?\n[a-z]")
_WRAP_BARE = re.compile(r"[A-Za-z,;]\r?\n[a-z]")

# --- margins: page numbers and running headers -----------------------------

_ROMAN = r"(?-i:(?=[ivxl])x{0,3}(?:ix|iv|v?i{0,3}))"  # lower-case i..xxxix, as front matter uses
_PAGE_NUMBER = re.compile(
    r"^(?:(?:page|p\.|pg\.?)\s*(?:\d{1,4}|" + _ROMAN + r")(?:\s*(?:of|/)\s*\d{1,4})?"
    r"|\d{1,4}\s*(?:of|/)\s*\d{1,4}"
    r"|[-–—]\s*\d{1,4}\s*[-–—]"
    r"|\d{1,4}"
    r"|" + _ROMAN + r")$",
    re.IGNORECASE,
)
_PAGE_REF = re.compile(r"^\d{1,4}$|\bpage\s+\d|\b\d{1,4}\s+of\s+\d{1,4}\b", re.IGNORECASE)
_BARE_NUMBER = re.compile(r"^(?:\d{1,4}|" + _ROMAN + r")$")
# written so that the pattern starts with a character class: re then skips to the next
# digit with its fast scan instead of trying a match at every character ("[0-9]+" is slower)
_DIGIT_RUN = re.compile(r"[0-9][0-9]*")
# _DIGIT_RUN, and the first character after the run's blanks when it is on the run's line
# (group 1; blanks are the white space that does not break a line: [^\S\r\n])
_DIGIT_RUN_AHEAD = re.compile(r"[0-9][0-9]*(?=[^\S\r\n]*(\S)?)")
_LINE_RUN = re.compile(r"[^\r\n]+")
_BREAK_RUN = re.compile(r"[\r\n][\r\n]*")  # a class first: see _DIGIT_RUN
# white space that does not break a line: every str.isspace() character but CR and LF
# (U+3000 is the highest white-space code point)
_BLANK = frozenset(c for c in map(chr, range(0x3000 + 1)) if c.isspace() and c not in "\r\n")  # a line between PDFium's breaks (when no break was dropped)
_VISIBLE = re.compile(r"\S")  # \S is exactly "not str.isspace()"
_MORE_THAN_SCAN = re.compile(r"\S(?:\s*\S){" + str(_SCAN_MAX_CHARS) + "}")  # more visible characters than a scan has

# --- metadata titles that say nothing about the document --------------------

_BAD_TITLE = re.compile(
    r"^(?:microsoft\s+(?:word|powerpoint|excel)\b.*"
    r"|.*\.(?:docx?|pdf|rtf|odt|pptx?|xlsx?|indd|txt|html?)"
    r"|untitled.*|document\s*\d*|doc\d+|slide\s*\d+|powerpoint\s+presentation"
    r"|(?:agenda|minutes|report|document|title|presentation|draft|template)"
    r"|.*\btemplate\b.*|[\W\d_]*)$",
    re.IGNORECASE,
)


def parse_pdf(data: bytes, *, password: str | None = None, max_pages: int | None = None) -> ParsedDocument:
    """Parse PDF bytes into pages of text and tables; never raises.

    ``password`` opens encrypted files; ``max_pages`` refuses documents longer
    than the limit (a batch guard against 3,000-page agenda packs).
    """
    try:
        return _parse(data, password=password, max_pages=max_pages)
    except Exception as exc:  # the contract: record the reason, let the batch go on
        return _failed(f"could not read the PDF: {type(exc).__name__}: {exc}")


def _failed(error: str, page_count: int | None = None) -> ParsedDocument:
    return ParsedDocument(format="pdf", status=STATUS_FAILED, error=error, page_count=page_count)


def _open_error(exc: pdfium.PdfiumError, data: bytes, password: str | None) -> str:
    """Put PDFium's load error into words a clerk can act on."""
    code = getattr(exc, "err_code", None)
    # PDFium keeps the previous document's error code when it refuses an empty
    # page tree, so "password" is only believed for a file that is encrypted.
    if b"%PDF-" in data[:1024] and _has_no_pages(data):
        return "PDF has no pages"
    if code == pdfium_c.FPDF_ERR_PASSWORD and b"/Encrypt" in data:
        if password:
            return "PDF is encrypted and the password given is incorrect; pass the right one with --password"
        return "PDF is encrypted (password-protected); pass its password with --password"
    if code == pdfium_c.FPDF_ERR_SECURITY:
        return "PDF uses an unsupported encryption/security scheme; re-save it without protection and ingest that"
    if b"%PDF-" not in data[:1024]:
        return "not a PDF file (no %PDF- header); check the file type"
    if code == pdfium_c.FPDF_ERR_FORMAT:
        tail = data[-2048:]
        if b"%%EOF" not in tail:
            return (
                "PDF is damaged: the file looks truncated (it does not end with %%EOF); "
                "download it again (PDFium: data format error)"
            )
        return "PDF is damaged or not a valid PDF and could not be opened (PDFium: data format error)"
    if code == pdfium_c.FPDF_ERR_FILE:
        return "PDF could not be read (PDFium: file access error)"
    if code == pdfium_c.FPDF_ERR_PAGE:
        return "PDF page tree is damaged (PDFium: page not found or content error)"
    return f"PDF is damaged and could not be opened (PDFium: {exc})"


_EMPTY_PAGE_TREE = re.compile(rb"/Count\s+0(?![\d.])")


def _has_no_pages(data: bytes) -> bool:
    """PDFium refuses a well-formed PDF with an empty page tree; pypdf can tell.

    Only asked when the page tree says ``/Count 0``, so damaged files do not
    pay for (or log) a second parse.
    """
    if not _EMPTY_PAGE_TREE.search(data):
        return False
    try:
        from pypdf import PdfReader

        return len(PdfReader(io.BytesIO(data), strict=False).pages) == 0
    except Exception:  # damaged beyond pypdf too: let the PDFium message stand
        return False


def _parse(data: bytes, *, password: str | None, max_pages: int | None) -> ParsedDocument:
    if not data:
        return _failed("empty file (0 bytes)")
    try:
        pdf = pdfium.PdfDocument(data, password=password)
    except pdfium.PdfiumError as exc:
        error = _open_error(exc, data, password)
        return _failed(error, page_count=0 if error == "PDF has no pages" else None)
    try:
        n_pages = len(pdf)
        if n_pages == 0:
            return _failed("PDF has no pages", page_count=0)
        if max_pages is not None and n_pages > max_pages:
            return _failed(
                f"PDF has {n_pages} pages, more than the limit of {max_pages} pages (max_pages); "
                "raise the limit to ingest it",
                page_count=n_pages,
            )
        title = _meta_title(pdf)
        drafts: list[_PageDraft] = []
        for i in range(n_pages):
            drafts.append(_read_page(pdf, i))
    finally:
        pdf.close()

    _drop_margins(drafts)
    pages = [Page(number=i + 1, text=_page_text(d)) for i, d in enumerate(drafts)]
    tables: list[Table] = []
    for i, d in enumerate(drafts):
        for rows in d.tables:
            tables.append(Table(page=i + 1, index=len(tables), rows=rows, header_rows=_header_rows(rows)))
    status, error = _status(drafts)
    return ParsedDocument(
        format="pdf",
        pages=pages,
        tables=tables,
        title=title,
        page_count=n_pages,
        status=status,
        error=error,
    )


_FIGURE_CELL = re.compile(r"^[+\-−–]?\s?[£$€]?\d[\d,]*(?:\.\d+)?\s?(?:%|[kmb]n?)?$", re.IGNORECASE)
_YEAR_CELL = re.compile(r"^(?:19|20)\d\d$")


def _header_rows(rows: list[list[str]]) -> int:
    """1 when the first row labels the columns, 0 when it is already data (figures)."""
    cells = [c for c in rows[0][1:] if c]
    figures = [c for c in cells if _FIGURE_CELL.match(c) and not _YEAR_CELL.match(c)]
    return 0 if cells and len(figures) * 2 >= len(cells) else 1


def _meta_title(pdf: pdfium.PdfDocument) -> str | None:
    """The metadata Title when it names the document (not "Microsoft Word - x.doc")."""
    try:
        raw = pdf.get_metadata_value("Title")
    except Exception:  # broken metadata is no reason to lose the text
        return None
    title = re.sub(r"\s+", " ", (raw or "").translate(_CHAR_MAP)).strip()
    if len(title) < 4 or _BAD_TITLE.match(title):
        return None
    return title


# --- one page ---------------------------------------------------------------


@dataclass(slots=True)
class _Line:
    text: str
    pos: float | None = None  # 0 = top of the displayed page, 1 = bottom
    table: bool = False
    gap_before: bool = False  # a paragraph gap separates it from the previous line


@dataclass
class _PageDraft:
    lines: list[_Line] = field(default_factory=list)
    tables: list[list[list[str]]] = field(default_factory=list)
    visible_chars: int = 0  # counted up to _SCAN_MAX_CHARS + 1 ("more than a scan has")
    image_cover: float = 0.0
    paths: int = 0
    error: str | None = None
    table_error: str | None = None


def _read_page(pdf: pdfium.PdfDocument, index: int) -> _PageDraft:
    try:
        page = pdf[index]
    except pdfium.PdfiumError as exc:
        return _PageDraft(error=str(exc))
    try:
        textpage = page.get_textpage()
        try:
            return _PageReader(page, textpage).read()
        finally:
            textpage.close()
    except pdfium.PdfiumError as exc:
        return _PageDraft(error=str(exc))
    finally:
        page.close()


class _PageReader:
    """Reads one page: characters, superscripts, lines, tables, images."""

    def __init__(self, page: pdfium.PdfPage, textpage: pdfium.PdfTextPage):
        self.page = page
        self.raw_tp = textpage.raw
        self.tp = ctypes.byref(textpage.raw.contents)  # the handle as a ready-made argument (see _unchecked)
        self.display = _Display(page.get_bbox(), page.get_rotation() % 360)
        self._d = [ctypes.c_double() for _ in range(4)]
        self._ref = [ctypes.byref(d) for d in self._d]  # out-parameters for the unchecked calls
        self._rect = pdfium_c.FS_RECTF()
        self._rect_ref = ctypes.byref(self._rect)
        self._font_boxes: dict[int, tuple[float, float, float, float] | None] = {}
        self._origins: dict[int, float | None] = {}
        self._visible_cache: list[tuple[int, tuple[float, float, float, float]]] | None = None
        self._centres: list[tuple[int, float, float]] | None = None
        self._line_runs: list[tuple[int, int]] | None = None
        self._line_texts: list[str] = []  # text[a:b] of each of _line_runs' spans
        self.breaks_dropped = False  # set when the superscript fix removed a PDFium line break
        self.chars: list[str] | None = None  # the page's characters once the superscript fix changes one
        n = textpage.count_chars()
        text = textpage.get_text_range() if n > 0 else ""
        if len(text) != n:  # PDFium excluded/inserted chars: rebuild a 1:1 view
            text = "".join(chr(pdfium_c.FPDFText_GetUnicode(self.raw_tp, i) or 0xFFFD) for i in range(n))
        self.text = text
        self.n = n

    # geometry of one character, in displayed-page space (y up)

    def font_box(self, i: int) -> tuple[float, float, float, float]:
        """Box of the font's full height; its height tracks the rendered font size (cached).

        (PDFium's character getters fail only for an invalid text page or index: see _unchecked.)"""
        if i in self._font_boxes:
            return self._font_boxes[i]
        r = self._rect
        _loose_box(self.tp, i, self._rect_ref)
        out = self._font_boxes[i] = self.display.box(r.left, r.bottom, r.right, r.top)
        return out

    def origin_y(self, i: int) -> float:
        """Height of the character's baseline on the displayed page (cached)."""
        if i in self._origins:
            return self._origins[i]
        d, ref = self._d, self._ref
        _char_origin(self.tp, i, ref[0], ref[1])
        out = self._origins[i] = self.display.point(d[0].value, d[1].value)[1]
        return out

    def _pdfium_lines(self) -> list[tuple[int, int]]:
        """(start, end) of each run of characters between PDFium's line breaks (computed once)."""
        if self._line_runs is None:
            self._line_runs, self._line_texts = _line_runs(self.text)
        return self._line_runs

    # the page

    def read(self) -> _PageDraft:
        draft = _PageDraft()
        text = self.text
        draft.visible_chars = _visible_count(text)
        if draft.visible_chars:
            self._mark_superscripts()
        chars = self.chars  # None while no character was changed
        geometry = _walk_objects(self.page, self.display)
        draft.image_cover = geometry.image_cover
        draft.paths = geometry.paths
        if self.breaks_dropped:
            spans, texts = _line_spans(text, chars), None
        else:
            spans, texts = self._pdfium_lines(), self._line_texts
        tables: list[_FoundTable] = []
        if draft.visible_chars and geometry.may_hold_table():
            if chars is None:
                chars = list(text)
            try:
                tables = self._find_tables(geometry, chars)
            except Exception as exc:  # keep the page's text; the status says tables were lost
                draft.table_error = f"{type(exc).__name__}: {exc}"
        draft.lines = self._lines(chars, spans, tables, texts)
        draft.tables = [t.rows for t in tables]
        return draft

    def _mark_superscripts(self) -> None:
        """Turn small raised digits into superscripts and undo PDFium's line breaks around them.

        Almost every digit run has a neighbour on its line on both sides and
        its last digit is not above either one's baseline: that is settled
        here with the three baselines (each read once per page, through
        origin_y()'s cache); _settle_run() takes the others.
        """
        text = self.text
        blank = _BLANK
        origin_y = self.origin_y
        for m in _DIGIT_RUN_AHEAD.finditer(text):
            a, b = m.span()
            # the nearest character before the run that is not a blank (-1 at the start),
            # the neighbour when it is on the run's line
            i = a - 1
            while i >= 0 and text[i] in blank:
                i -= 1
            before = i if i >= 0 and text[i] not in "\r\n" else None
            after = m.start(1)  # the first character after the blanks, when on the line (else -1)
            y_last = origin_y(b - 1)
            if before is not None and after >= 0 and not y_last > origin_y(before) and not y_last > origin_y(after):
                continue  # not raised against the neighbours on its line
            self._settle_run(a, b, i, before, after if after >= 0 else None, y_last)

    def _settle_run(self, a: int, b: int, i: int, before: int | None, after: int | None, y_last: float) -> None:
        """Mark digit run [a, b) when it is raised against a neighbour: on its line before
        it ("months¹"), after it (a footnote's own "¹ Source: ..."), then across the line
        breaks PDFium may have put around a raised glyph.

        ``i`` is the nearest character before the run that is not a blank
        (-1 at the start), ``before``/``after`` the neighbours on its line
        (None where a line break or an end comes first), ``y_last`` the
        baseline of its last digit. A run whose last digit is not above a
        reference's baseline is not raised against it.
        """
        text = self.text
        n = len(text)
        origin_y = self.origin_y
        raised = before is not None and y_last > origin_y(before)
        if not raised and after is not None:
            raised = y_last > origin_y(after)
        if not raised and before is not None and after is not None:
            return  # the references across line breaks are these two
        before_any = before if before is not None or i < 0 else _neighbour(text, i, -1)
        if after is not None:
            after_any: int | None = after
        else:  # the first visible character after the line break (_neighbour(text, j, 1))
            j = b
            while j < n and text[j] in _BLANK:
                j += 1
            after_any = m.start() if j < n and (m := _VISIBLE.search(text, j)) else None
        if not raised:
            for ref in (before_any, after_any):
                if ref is not None and y_last > origin_y(ref):
                    raised = True
                    break
        if not raised:
            return
        tried: list[int] = []
        for ref in (before, after, before_any, after_any):
            if ref is None or ref in tried:
                continue
            tried.append(ref)
            if not y_last > origin_y(ref):
                continue  # not raised against it: _superscript_run would say no at once
            if self._superscript_run(a, b, ref):
                break

    def _superscript_run(self, a: int, b: int, ref: int) -> bool:
        """Mark the raised small tail of digit run [a, b) measured against ``ref``.

        Baselines are compared before any font box is read: a last digit
        that is not above the reference's baseline cannot be raised, which
        settles almost every run with two cached PDFium calls.
        """
        ry = self.origin_y(ref)
        if not self.origin_y(b - 1) > ry:
            return False  # the run's last digit sits on or below the baseline: nothing raised
        rbox = self.font_box(ref)
        rh = rbox[3] - rbox[1]
        if rh <= 0:
            return False
        marked = []
        for i in range(b - 1, max(a, b - _SUP_MAX_DIGITS) - 1, -1):
            # raised by a superscript's rise (the baseline first: a reference on
            # another line is too far away, and then no font box is read) and smaller
            y = self.origin_y(i)
            if not _SUP_RISE_MIN * rh < y - ry < _SUP_RISE_MAX * rh:
                break
            fb = self.font_box(i)
            if not (fb[3] - fb[1]) < _SUP_SIZE_RATIO * rh:
                break
            marked.append(i)
        if not marked or (len(marked) == b - a and b - a > _SUP_MAX_DIGITS):
            return False
        if self.chars is None:
            self.chars = list(self.text)
        chars = self.chars
        for i in marked:
            chars[i] = self.text[i].translate(_SUPERSCRIPT)
        self._join_around(chars, min(marked), max(marked), ref, ry, rh)
        return True

    def _join_around(self, chars: list[str], first: int, last: int, ref: int, ry: float, rh: float) -> None:
        """PDFium starts a new line at a raised glyph; join it back when the baseline continues."""
        text = self.text
        # after the marker: "months¹\r\n crime" -> "months¹ crime"
        j = last + 1
        while j < self.n and text[j] in " \r\n" and chars[j] != "":
            j += 1
        if (
            j < self.n
            and any(text[k] in "\r\n" for k in range(last + 1, j))
            and abs(self.origin_y(j) - ry) < 0.3 * rh
        ):
            self._drop_breaks(chars, last + 1, j)
        # before the marker: "months\r\n¹" -> "months¹"
        if ref < first and any(text[k] in "\r\n" for k in range(ref + 1, first)):
            self._drop_breaks(chars, ref + 1, first, keep_space=False)

    def _drop_breaks(self, chars: list[str], start: int, end: int, keep_space: bool = True) -> None:
        self.breaks_dropped = True
        had_space = False
        for k in range(start, end):
            if self.text[k] in "\r\n":
                chars[k] = ""
            elif self.text[k] == " ":
                had_space = True
        if keep_space and not had_space and start < end:
            chars[start] = " "

    # lines

    def _lines(
        self,
        chars: list[str] | None,
        spans: list[tuple[int, int]],
        tables: list[_FoundTable],
        texts: list[str] | None = None,
    ) -> list[_Line]:
        """Page lines in PDFium order, table characters replaced by the table's rows.

        ``chars`` are the page's characters as changed by the superscript fix
        (None: unchanged); pages with tables always pass them. ``texts``, when
        given, are the page text's slices for ``spans`` (_line_runs made them).
        """
        lines: list[_Line] = []
        emitted: set[int] = set()
        text = self.text
        ys, hs, poss, steps = self._line_metrics(spans, texts)
        step = statistics.median(steps) if steps else None

        if not tables:  # the common page: one line per PDFium line, empty ones dropped
            if chars is None:
                raws = _clean_lines(texts if texts is not None else [text[a:b] for a, b in spans])
            else:
                raws = _clean_lines(["".join(chars[a:b]) for a, b in spans])
            prev_y = None
            for raw, y, h, pos in zip(raws, ys, hs, poss, strict=True):
                if raw:
                    gap = bool(step and h and y is not None and prev_y is not None and prev_y - y > step + 0.35 * h)
                    lines.append(_Line(raw, pos, False, gap))
                if y is not None:
                    prev_y = y
            return lines

        owner = self._table_owners(tables)
        owned = sorted(owner)  # to tell at once whether a line has any table character
        one_table = len(tables) == 1
        prev_y = None
        for (a, b), y, h, pos in zip(spans, ys, hs, poss, strict=True):
            gap = bool(step and h and y is not None and prev_y is not None and prev_y - y > step + 0.35 * h)
            if y is not None:
                prev_y = y
            first_owned = bisect.bisect_left(owned, a)
            if first_owned == len(owned) or owned[first_owned] >= b:  # no table character
                line_text = _clean("".join(chars[a:b]))
                if line_text:
                    lines.append(_Line(line_text, pos, gap_before=gap))
                continue
            outside, hit = _split_line(owner, a, b, one_table)
            if outside:
                line_text = _clean(_join_indices(text, chars, outside))
                if line_text:
                    lines.append(_Line(line_text, pos, gap_before=gap))
            for t in hit:
                if t not in emitted:
                    emitted.add(t)
                    lines.append(_Line("", pos, table=True, gap_before=True))
                    for row in tables[t].rows:
                        lines.append(_Line("\t".join(row), pos, table=True))
        # a table whose characters PDFium never put on a line still belongs to the page
        for t, found in enumerate(tables):
            if t not in emitted:
                lines.append(_Line("", None, table=True, gap_before=True))
                lines.extend(_Line("\t".join(row), None, table=True) for row in found.rows)
        return [ln for ln in lines if ln.text or ln.table]

    def _line_metrics(
        self, spans: list[tuple[int, int]], texts: list[str] | None = None
    ) -> tuple[list[float | None], list[float | None], list[float | None], list[float]]:
        """Baseline height, font height and position (0 top, 1 bottom, of its glyph
        box's centre) of each line's first visible character, and the steps between
        consecutive baselines that can be line spacing (under three font heights).

        Same values as origin_y / font_box / box, read with the PDFium calls
        inlined because this runs for every line of every page; a baseline
        the superscript check already read comes from origin_y()'s cache.
        ``texts``, when given, are the page text's slices for ``spans``: the
        first visible character is where ``str.lstrip`` stops (it strips
        exactly the characters ``\\s`` matches).
        """
        text = self.text
        if texts is None:
            search = _VISIBLE.search
            firsts = [m.start() if (m := search(text, a, b)) else None for a, b in spans]
        else:
            firsts = [a + len(t) - len(s) if (s := t.lstrip()) else None for (a, _), t in zip(spans, texts, strict=True)]
        known = self._origins.get
        tp = self.tp
        d0, d1, d2, d3 = self._d
        p0, p1, p2, p3 = self._ref
        r, pr = self._rect, self._rect_ref
        get_origin = _char_origin
        get_loose = _loose_box
        get_box = _char_box
        display = self.display
        upright = display.rotation == 0
        bottom = display.bottom
        height = display.height
        scale = max(height, 1.0)
        ys: list[float | None] = []
        hs: list[float | None] = []
        poss: list[float | None] = []
        steps: list[float] = []
        prev_y: float | None = None
        prev_h: float | None = None
        for k in firsts:
            if k is None:  # a line of blanks
                ys.append(None)
                hs.append(None)
                poss.append(None)
                continue
            y = known(k)
            if y is None:
                get_origin(tp, k, p0, p1)
                y = d1.value - bottom if upright else display.point(d0.value, d1.value)[1]
            get_loose(tp, k, pr)
            if upright:
                h = (r.top - bottom) - (r.bottom - bottom)
            else:
                fb = display.box(r.left, r.bottom, r.right, r.top)
                h = fb[3] - fb[1]
            get_box(tp, k, p0, p1, p2, p3)  # l, r, b, t
            if upright:
                mid = ((d2.value - bottom) + (d3.value - bottom)) / 2
            else:
                bx = display.box(d0.value, d2.value, d1.value, d3.value)
                mid = (bx[1] + bx[3]) / 2
            pos = (height - mid) / scale  # 0 = top of the displayed page, 1 = bottom
            ys.append(y)
            hs.append(h)
            poss.append(pos)
            if y is not None:
                if prev_y is not None and h and prev_h and 0 < prev_y - y < 3 * h:
                    steps.append(prev_y - y)
                prev_y, prev_h = y, h
        return ys, hs, poss, steps

    def _table_owners(self, tables: list[_FoundTable]) -> dict[int, int]:
        """Character index -> index of the (first) table whose box holds the character's centre.

        _fill_cells already listed each table's characters (``inside``): the
        first table takes all of its own, a later one those no earlier took.
        """
        owner: dict[int, int] = {}
        for t, found in enumerate(tables):
            if not owner:
                owner = dict.fromkeys([g[0] for g in found.inside], t)
                continue
            for g in found.inside:
                if g[0] not in owner:
                    owner[g[0]] = t
        return owner

    # tables

    def _find_tables(self, geometry: _Geometry, chars: list[str]) -> list[_FoundTable]:
        """Ruled tables via pdfplumber's finder, then tables ruled by rows only."""
        top = self.display.height
        found: list[_FoundTable] = []
        if geometry.may_hold_grid():
            finder = _RulingFinder(_EdgePage(geometry.plumber_edges(top), self.display.width, top))
            for table in finder.tables:
                grid = _regrid([[c for c in row.cells if c is not None] for row in table.rows])
                grid = [[None if c is None else _flip(c, top) for c in row] for row in grid]
                found.append(_FoundTable(bbox=_flip(table.bbox, top), grid=grid))
        found.extend(self._rule_stacks(geometry, found))
        if not found:
            return []
        glyphs = self._glyphs([t.bbox for t in found])
        text = self.text
        glue = functools.cache(lambda: _spaced_wraps(text))  # counted only if a cell asks
        accepted = []
        for table in found:
            rows = _fill_cells(table, glyphs, self.text, chars, glue)
            if rows is not None:
                table.rows = rows
                accepted.append(table)
        # A rule stack around whole tables is page layout, not a table: keep the inner ones.
        return [t for t in accepted if not any(u is not t and _holds(t.bbox, u.bbox) for u in accepted)]

    def _glyphs(self, bboxes: list[tuple[float, float, float, float]] | None = None) -> list[tuple[int, float, float]]:
        """(index, centre x, centre y) of the visible characters, in text order.

        With ``bboxes`` (the first call on a page passes every table box the
        page can have), only characters whose centre may lie in one of them
        are guaranteed to be listed: PDFium's per-line text rectangles (the
        union of the lines' glyph boxes) tell which lines cannot reach a
        table, and their characters are never measured. Every caller tests
        centres against those boxes, so the extra characters change nothing.
        """
        if self._centres is None:
            if self._visible_cache is None and bboxes is not None:
                self._centres = self._centres_near(bboxes)
            else:
                self._centres = [(i, (bx[0] + bx[2]) / 2, (bx[1] + bx[3]) / 2) for i, bx in self._visible()]
        return self._centres

    def _centres_near(self, bboxes: list[tuple[float, float, float, float]]) -> list[tuple[int, float, float]]:
        """(index, centre x, centre y) of the visible characters on the lines whose
        text rectangles come near ``bboxes``: the centres _visible's boxes give,
        computed straight from PDFium's box (the boxes themselves are not needed)."""
        tp = self.tp
        d0, d1, d2, d3 = self._d
        p0, p1, p2, p3 = self._ref
        count_rects = _count_rects
        get_rect = _get_rect
        display = self.display
        upright = display.rotation == 0
        dl, db = display.left, display.bottom
        pad = _NEAR_PAD
        near = [(x0 - pad, y0 - pad, x1 + pad, y1 + pad) for x0, y0, x1, y1 in bboxes]
        out: list[tuple[int, float, float]] = []
        for a, b in self._pdfium_lines():
            reach = True
            n_rects = count_rects(tp, a, b - a)
            if n_rects > 0:
                reach = False
                for k in range(n_rects):
                    if not get_rect(tp, k, p0, p1, p2, p3):  # left, top, right, bottom
                        reach = True
                        break
                    if upright:  # display.box() inlined
                        rl, rb, rr, rt = d0.value - dl, d3.value - db, d2.value - dl, d1.value - db
                    else:
                        rl, rb, rr, rt = display.box(d0.value, d3.value, d2.value, d1.value)
                    if rr <= rl or rt <= rb:  # no measured glyph: cannot tell where the line is
                        reach = True
                        break
                    for x0, y0, x1, y1 in near:
                        if rl <= x1 and x0 <= rr and rb <= y1 and y0 <= rt:
                            reach = True
                            break
                    if reach:
                        break
            if reach:
                out.extend(self._centres_range(a, b))
        return out

    def _centres_range(self, start: int, end: int) -> list[tuple[int, float, float]]:
        """(index, centre x, centre y) of the visible characters in [start, end) (of _visible_range's boxes).

        On an upright page the centres are computed straight from PDFium's box,
        with the same arithmetic, without making the boxes.
        """
        display = self.display
        if display.rotation != 0:
            return [(i, (bx[0] + bx[2]) / 2, (bx[1] + bx[3]) / 2) for i, bx in self._visible_range(start, end)]
        out = []
        get_box = _char_box
        tp = self.tp
        l_, r_, b_, t_ = self._d
        pl, pr, pb, pt = self._ref
        x0, y0 = display.left, display.bottom
        text = self.text
        for i in range(start, end):
            if text[i].isspace():
                continue
            get_box(tp, i, pl, pr, pb, pt)
            out.append((i, ((l_.value - x0) + (r_.value - x0)) / 2, ((b_.value - y0) + (t_.value - y0)) / 2))
        return out

    def _visible_range(self, start: int, end: int) -> list[tuple[int, tuple[float, float, float, float]]]:
        """(index, tight box) of the visible characters in [start, end)."""
        out = []
        get_box = _char_box
        tp = self.tp
        l_, r_, b_, t_ = self._d
        pl, pr, pb, pt = self._ref
        display = self.display
        upright = display.rotation == 0
        x0, y0 = display.left, display.bottom
        text = self.text
        for i in range(start, end):
            if text[i].isspace():
                continue
            get_box(tp, i, pl, pr, pb, pt)
            if upright:
                out.append((i, (l_.value - x0, b_.value - y0, r_.value - x0, t_.value - y0)))
            else:
                out.append((i, display.box(l_.value, b_.value, r_.value, t_.value)))
        return out

    def _visible(self) -> list[tuple[int, tuple[float, float, float, float]]]:
        """(index, tight box) of every visible character, computed once per page."""
        if self._visible_cache is None:
            # box() inlined (same values): this runs for every character of a page with a rule stack
            self._visible_cache = self._visible_range(0, self.n)
        return self._visible_cache

    def _rule_stacks(self, geometry: _Geometry, found: list[_FoundTable]) -> list[_FoundTable]:
        """Tables drawn with one horizontal rule per row and no vertical rules.

        Rows are the bands between consecutive aligned rules; columns are the
        vertical gaps that no band's text crosses.
        """
        taken = [t.bbox for t in found if _grid_shape(t.grid) >= (_MIN_TABLE_ROWS, _MIN_TABLE_COLS)]
        rules = []
        for x0, x1, y in geometry.h_rules():
            if x1 - x0 < 40:
                continue
            if any(bx[0] - 2 <= x0 and x1 <= bx[2] + 2 and bx[1] - 2 <= y <= bx[3] + 2 for bx in taken):
                continue
            rules.append((x0, x1, y))
        out: list[_FoundTable] = []
        rules.sort(key=lambda r: (round(r[0] / 4), round(r[1] / 4), -r[2]))
        groups: dict[tuple[int, int], list[tuple[float, float, float]]] = {}
        for r in rules:
            key = next(
                (k for k in groups if abs(k[0] - r[0]) <= 4 and abs(k[1] - r[1]) <= 4),
                (round(r[0]), round(r[1])),
            )
            groups.setdefault(key, []).append(r)
        glyphs = None
        for group in groups.values():
            ys = sorted({round(r[2], 1) for r in group}, reverse=True)
            ys = [y for k, y in enumerate(ys) if k == 0 or ys[k - 1] - y > 2]
            if len(ys) < _MIN_TABLE_ROWS + 1:
                continue
            x0 = min(r[0] for r in group)
            x1 = max(r[1] for r in group)
            if glyphs is None:
                glyphs = self._glyph_boxes()
            region = [
                g for g in glyphs if x0 <= (g[0] + g[2]) / 2 <= x1 and ys[-1] < (g[1] + g[3]) / 2 < ys[0]
            ]
            for run, spanning in _band_runs(region, x0, x1, ys):
                table = self._rule_table(glyphs, region, x0, x1, run, spanning)
                if table is not None:
                    out.append(table)
        return out

    def _rule_table(
        self,
        glyphs: list[tuple[float, float, float, float]],
        region: list[tuple[float, float, float, float]],
        x0: float,
        x1: float,
        ys: list[float],
        spanning: set[int],
    ) -> _FoundTable | None:
        """One table from a run of rule bands whose text shares column gaps.

        Columns come from the ordinary rows; a spanning row becomes one cell
        from the column where its text starts to the table's right edge.
        """
        if len(ys) - len(spanning) < _MIN_TABLE_ROWS + 1:
            return None
        span_ranges = [(ys[k + 1], ys[k]) for k in spanning]
        plain = [g for g in region if not any(lo < (g[1] + g[3]) / 2 < hi for lo, hi in span_ranges)]
        gaps = _column_gaps(plain, x0, x1, ys)
        if not gaps or not _rows_look_like_rows(plain, x0, x1, ys, gaps):
            return None
        ys = list(ys)
        height = statistics.median(g[3] - g[1] for g in glyphs) if glyphs else 0.0
        if height > 0:
            # The header row often sits above the first rule and the total
            # row below the last one; take them when they fit the columns.
            above = _aligned_lines(glyphs, x0, x1, gaps, ys[0], 1, height, max_lines=3)
            if above is not None:
                ys.insert(0, above[0])
                gaps = above[1]
            below = _aligned_lines(glyphs, x0, x1, gaps, ys[-1], -1, height, max_lines=1)
            if below is not None:
                ys.append(below[0])
                gaps = below[1]
        xs = [x0, *((a + b) / 2 for a, b in gaps), x1]
        grid: list[list[tuple[float, float, float, float] | None]] = []
        for top_y, bottom_y in zip(ys, ys[1:], strict=False):
            row: list[tuple[float, float, float, float] | None]
            row = [(xa, bottom_y, xb, top_y) for xa, xb in zip(xs, xs[1:], strict=False)]
            if (bottom_y, top_y) in span_ranges:
                inside = [g[0] for g in region if bottom_y < (g[1] + g[3]) / 2 < top_y]
                left = min(inside) if inside else x0
                first = min(sum(1 for lo, _ in gaps if left >= lo + 1), len(row) - 1)
                row = [None] * len(row)
                row[first] = (min(xs[first], left - 1.0), bottom_y, x1, top_y)
            grid.append(row)
        return _FoundTable(bbox=(x0, ys[-1], x1, ys[0]), grid=grid)

    def _glyph_boxes(self) -> list[tuple[float, float, float, float]]:
        return [bx for _, bx in self._visible()]


def _split_line(owner: dict[int, int], a: int, b: int, one_table: bool) -> tuple[list[int], list[int]]:
    """Characters [a, b) of a line holding a table character: those of no table, and the
    tables hit in order of their first character. ``one_table``: the page has one table
    (then it is the one hit, and the first list is made without a step per character)."""
    if one_table:
        return [i for i in range(a, b) if i not in owner], [0]
    outside: list[int] = []
    hit: list[int] = []
    for i in range(a, b):
        t = owner.get(i)
        if t is None:
            outside.append(i)
        elif t not in hit:
            hit.append(t)
    return outside, hit


def _neighbour(text: str, start: int, step: int) -> int | None:
    """Index of the nearest non-space character from ``start`` in direction ``step``."""
    i = start
    while 0 <= i < len(text):
        if not text[i].isspace():
            return i
        i += step
    return None


def _line_runs(text: str) -> tuple[list[tuple[int, int]], list[str]]:
    """(start, end) and text of each run of characters between line breaks: the spans of
    ``_LINE_RUN.finditer(text)`` and their slices.

    PDFium ends each line with "\r\n". When every ``\r`` and ``\n`` of the
    text is in such a pair, the runs are the non-empty pieces of
    ``text.split("\r\n")``, found without a regex step per character.
    """
    parts = text.split("\r\n")
    breaks = len(parts) - 1
    if text.count("\n") != breaks or text.count("\r") != breaks:
        spans = [m.span() for m in _LINE_RUN.finditer(text)]
        return spans, [text[a:b] for a, b in spans]
    spans = []
    texts = []
    start = 0
    for part in parts:
        end = start + len(part)
        if part:
            spans.append((start, end))
            texts.append(part)
        start = end + 2
    return spans, texts


def _line_spans(text: str, chars: list[str]) -> list[tuple[int, int]]:
    """(start, end) of each line; line breaks removed by the superscript fix do not split."""
    spans = []
    start = 0
    for m in _BREAK_RUN.finditer(text):
        for i in range(m.start(), m.end()):
            if chars[i] == text[i]:  # a break the superscript fix left alone
                if i > start:
                    spans.append((start, i))
                start = i + 1
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _visible_count(text: str) -> int:
    """Characters that are not white space, counted up to ``_SCAN_MAX_CHARS + 1``.

    The count only decides "no text", "few enough for a scan" and "text";
    a long page's characters need not all be counted.
    """
    if _MORE_THAN_SCAN.search(text):
        return _SCAN_MAX_CHARS + 1
    return len("".join(text.split()))


def _join_indices(text: str, chars: list[str], idx: list[int]) -> str:
    """Text of a subsequence of characters; a skipped stretch becomes a space."""
    out = []
    prev = None
    for i in idx:
        if prev is not None and i != prev + 1 and not out[-1].endswith(" "):
            out.append(" ")
        out.append(chars[i])
        prev = i
    return "".join(out)


def _clean_lines(lines: list[str]) -> list[str]:
    """``[_clean(x) for x in lines]`` in one pass over the page (no line holds a newline)."""
    joined = "\n".join(lines)
    if _has_mapped(joined):
        joined = _map_chars(joined)
    joined = joined.replace("\t", " ")
    if "  " in joined:  # a plain search; the regex would visit every character
        joined = _SPACES.sub(" ", joined)
    parts = joined.split("\n")
    if len(parts) != len(lines):  # a newline inside a line: clean them one by one
        return [_clean(x) for x in lines]
    return [x.strip() for x in parts]


def _clean(line: str) -> str:
    if _has_mapped(line):
        line = _map_chars(line)
    line = line.replace("\t", " ")
    if "  " in line:
        line = _SPACES.sub(" ", line)
    return line.strip()


# _CHAR_MAP as str.replace arguments (no replacement holds a character the map changes)
_CHAR_REPLACEMENTS = {chr(k): v for k, v in _CHAR_MAP.items()}


def _map_chars(text: str) -> str:
    """``text.translate(_CHAR_MAP)``: one ``str.replace`` per mapped character the text
    holds, which runs at memory speed where ``translate`` looks up every character."""
    for ch in set(_MAPPED.findall(text)):
        text = text.replace(ch, _CHAR_REPLACEMENTS[ch])
    return text


# --- page objects: rulings and images ----------------------------------------


class _Display:
    """PDF user space -> the page as displayed (its /Rotate applied), origin bottom-left, y up.

    Working in displayed space lets margins, superscript rises and table
    rows mean the same on a landscape page stored rotated as on any other.
    """

    def __init__(self, bbox: tuple[float, float, float, float], rotation: int):
        self.left, self.bottom, self.right, self.top = bbox
        self.rotation = rotation if rotation in (90, 180, 270) else 0
        w, h = self.right - self.left, self.top - self.bottom
        self.width, self.height = (h, w) if self.rotation in (90, 270) else (w, h)

    def point(self, x: float, y: float) -> tuple[float, float]:
        if self.rotation == 90:
            return (y - self.bottom, self.right - x)
        if self.rotation == 180:
            return (self.right - x, self.top - y)
        if self.rotation == 270:
            return (self.top - y, x - self.left)
        return (x - self.left, y - self.bottom)

    def box(self, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        if self.rotation == 0:
            return (left - self.left, bottom - self.bottom, right - self.left, top - self.bottom)
        x0, y0 = self.point(left, bottom)
        x1, y1 = self.point(right, top)
        return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


@dataclass
class _Geometry:
    h: list[tuple[float, float, float]] = field(default_factory=list)  # x0, x1, y
    v: list[tuple[float, float, float]] = field(default_factory=list)  # y0, y1, x
    image_cover: float = 0.0
    paths: int = 0

    def may_hold_table(self) -> bool:
        """Cheap test before any table finding: enough long rulings to make rows."""
        long_h = sum(1 for x0, x1, _ in self.h if x1 - x0 >= 20)
        return long_h >= 3

    def may_hold_grid(self) -> bool:
        """pdfplumber's finder can only make a cell between two vertical rulings."""
        return len(self.v) >= 2 and bool(self.h)

    def h_rules(self) -> list[tuple[float, float, float]]:
        """Horizontal rulings with the two sides of thin filled bars merged."""
        rules = sorted(self.h, key=lambda r: (r[2], r[0]))
        merged: list[tuple[float, float, float]] = []
        for x0, x1, y in rules:
            if (
                merged
                and abs(merged[-1][2] - y) <= 2.5
                and abs(merged[-1][0] - x0) <= 2
                and abs(merged[-1][1] - x1) <= 2
            ):
                continue
            merged.append((x0, x1, y))
        return merged

    def plumber_edges(self, top: float) -> list[dict]:
        """Rulings as pdfplumber edge dicts (top-left origin)."""
        edges = []
        for x0, x1, y in self.h:
            t = top - y
            edges.append(
                {
                    "x0": x0,
                    "x1": x1,
                    "top": t,
                    "bottom": t,
                    "width": x1 - x0,
                    "height": 0.0,
                    "orientation": "h",
                    "object_type": "line",
                }
            )
        for y0, y1, x in self.v:
            edges.append(
                {
                    "x0": x,
                    "x1": x,
                    "top": top - y1,
                    "bottom": top - y0,
                    "width": 0.0,
                    "height": y1 - y0,
                    "orientation": "v",
                    "object_type": "line",
                }
            )
        return edges


_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _mul(m: tuple, n: tuple) -> tuple:
    """Matrix product: apply ``m`` first, then ``n`` (PDF row-vector convention)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _walk_objects(page: pdfium.PdfPage, display: _Display) -> _Geometry:
    """Axis-aligned rulings (displayed-page space), image coverage and path count.

    ``display`` is the page's _Display (made from ``page.get_bbox()``).
    """
    geo = _Geometry()
    raw = page.raw
    left, bottom, right, top = display.left, display.bottom, display.right, display.top
    area = max((right - left) * (top - bottom), 1.0)
    matrix = pdfium_c.FS_MATRIX()
    matrix_ref = ctypes.byref(matrix)
    fill = ctypes.c_int()
    stroke = pdfium_c.FPDF_BOOL()
    fill_ref, stroke_ref = ctypes.byref(fill), ctypes.byref(stroke)
    rgba = [ctypes.c_uint() for _ in range(4)]
    rgba_refs = [ctypes.byref(v) for v in rgba]
    px, py = ctypes.c_float(), ctypes.c_float()
    budget = [_MAX_PATH_SEGMENTS]
    image_area = 0.0

    def obj_matrix(obj) -> tuple:
        if not _object_matrix(obj, matrix_ref):
            return _IDENTITY
        return (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)

    get_type = _object_type
    path_type = pdfium_c.FPDF_PAGEOBJ_PATH
    text_type = pdfium_c.FPDF_PAGEOBJ_TEXT

    def walk(get_object, holder, count: int, parent: tuple, depth: int) -> None:
        nonlocal image_area
        # each object and its type (map calls PDFium without a Python step per object);
        # text objects, most of them, have nothing to measure
        objects = list(map(get_object, [holder] * count, range(count)))
        kinds = list(map(get_type, objects))
        for obj, kind in [(obj, kind) for obj, kind in zip(objects, kinds, strict=True) if kind != text_type]:
            if kind == path_type:
                geo.paths += 1
                if budget[0] <= 0:
                    continue
                if not _draw_mode(obj, fill_ref, stroke_ref) or (fill.value == 0 and not stroke.value):
                    continue
                # Word paints white boxes behind text runs; they rule nothing
                if (
                    not stroke.value
                    and _fill_color(obj, *rgba_refs)
                    and min(v.value for v in rgba[:3]) >= 250
                ):
                    continue
                _path_edges(obj, _mul(obj_matrix(obj), parent), display, geo, px, py, budget)
            elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                a, bb, c, d, _, _ = _mul(obj_matrix(obj), parent)
                image_area += abs(a * d - bb * c)
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < 8:
                m = _mul(obj_matrix(obj), parent)
                n = pdfium_c.FPDFFormObj_CountObjects(obj)
                # its index is an unsigned long: the checked binding converts it
                walk(pdfium_c.FPDFFormObj_GetObject, obj, max(n, 0), m, depth + 1)

    holder = ctypes.byref(raw.contents)  # the page handle as a ready-made argument (see _unchecked)
    walk(_page_object, holder, max(pdfium_c.FPDFPage_CountObjects(raw), 0), _IDENTITY, 0)
    geo.image_cover = min(image_area / area, 1.0)
    return geo


def _path_edges(obj, m: tuple, display: _Display, geo: _Geometry, px, py, budget: list[int]) -> None:
    """Add the axis-aligned straight segments of one path to ``geo``.

    Reads each segment's point and close flag only where they can change
    the edges (the same edges, in the same order, as reading all of them):

    * a moveto's close flag would close onto its own point: no edge, and
      the current point stays where it is;
    * the point of a segment that is not a lineto only becomes the current
      point, which the next segment replaces unless that is a lineto, so it
      is read when the next one is a lineto or when the segment closes the
      figure (an edge from it to the figure's start);
    * a lineto's close flag matters when the closing edge (its point to the
      figure's start) is a ruling, or when the next segment is a lineto
      drawn from the current point the flag moves.

    PDFium gives a point for every segment handle it returns (only a NULL
    handle has none), and a NULL handle is skipped as before.
    """
    n = _count_segments(obj)
    if n <= 0:
        return
    budget[0] -= n
    if budget[0] < 0:
        return
    a, b, c, d, e, f = m
    get_point = _segment_point
    get_close = _segment_close
    x_ref, y_ref = ctypes.byref(px), ctypes.byref(py)
    moveto, lineto = pdfium_c.FPDF_SEGMENT_MOVETO, pdfium_c.FPDF_SEGMENT_LINETO
    upright = display.rotation == 0
    left, bottom = display.left, display.bottom

    def point(seg) -> tuple[float, float]:
        get_point(seg, x_ref, y_ref)
        x, y = px.value, py.value
        if upright:  # display.point() inlined
            return (a * x + c * y + e - left, b * x + d * y + f - bottom)
        return display.point(a * x + c * y + e, b * x + d * y + f)

    segments = [seg for seg in map(_path_segment, [obj] * n, range(n)) if seg]
    kinds = list(map(_segment_type, segments))
    kinds.append(None)  # after the last segment
    start = prev = None
    unread = (math.nan, math.nan)  # a current point no later segment reads
    for k, seg in enumerate(segments):
        kind = kinds[k]
        if kind == moveto:
            start = prev = point(seg)
        elif kind == lineto and prev is not None:
            pt = point(seg)
            _add_edge(prev, pt, geo)
            prev = pt
            if start is not None and (kinds[k + 1] == lineto or _is_ruling(pt, start)) and get_close(seg):
                _add_edge(pt, start, geo)
                prev = start
        elif start is not None and get_close(seg):
            _add_edge(point(seg), start, geo)
            prev = start
        else:
            prev = point(seg) if kinds[k + 1] == lineto else unread


def _is_ruling(p: tuple[float, float], q: tuple[float, float]) -> bool:
    """Whether _add_edge(p, q) adds an edge."""
    dx, dy = abs(p[0] - q[0]), abs(p[1] - q[1])
    return (dy <= 1.0 and dx >= 3) or (dx <= 1.0 and dy >= 3)


def _add_edge(p: tuple[float, float], q: tuple[float, float], geo: _Geometry) -> None:
    dx, dy = abs(p[0] - q[0]), abs(p[1] - q[1])
    if dy <= 1.0 and dx >= 3:
        geo.h.append((min(p[0], q[0]), max(p[0], q[0]), (p[1] + q[1]) / 2))
    elif dx <= 1.0 and dy >= 3:
        geo.v.append((min(p[1], q[1]), max(p[1], q[1]), (p[0] + q[0]) / 2))


class _EdgePage:
    """The slice of a pdfplumber Page that TableFinder reads with the "lines" strategies."""

    def __init__(self, edges: list[dict], width: float, height: float):
        self.edges = edges
        self.bbox = (0.0, 0.0, width, height)


class _RulingFinder(TableFinder):
    """pdfplumber's TableFinder with its default ("lines") settings, finding the
    cells with _intersections_to_cells: the same steps, the same tables."""

    def __init__(self, page: _EdgePage):
        self.page = page
        self.settings = settings = TableSettings.resolve(None)
        self.edges = self.get_edges()
        self.intersections = edges_to_intersections(
            self.edges, settings.intersection_x_tolerance, settings.intersection_y_tolerance
        )
        self.cells = _intersections_to_cells(self.intersections)
        self.tables = [PlumberTable(self.page, group) for group in cells_to_tables(self.cells)]


def _intersections_to_cells(intersections: dict) -> list[tuple[float, float, float, float]]:
    """pdfplumber's ``intersections_to_cells``, with the same result, at a fraction of the cost.

    pdfplumber tests whether two points share an edge by building two sets of
    edge boxes per test (and re-evaluating a typing annotation each time), about
    70% of a table page's finder time. Here each point's sets are built once,
    and each point's same-x and same-y followers are listed from a grouping of
    the sorted points (not by comparing every later point with it). The search
    itself, its order and its first-found cell are pdfplumber's. Points with a
    coordinate that is not a finite number (where grouping by value and ``==``
    could disagree) go to pdfplumber's own function.
    """
    points = sorted(intersections)
    if not all(math.isfinite(x) and math.isfinite(y) for x, y in points):
        return intersections_to_cells(intersections)
    # points by their index in sorted order; each edge box by a number (boxes that
    # are equal get the same number, so the sets meet exactly when pdfplumber's do)
    where = {p: k for k, p in enumerate(points)}
    box = itemgetter("x0", "top", "x1", "bottom")  # pdfplumber's obj_to_bbox
    box_ids: dict[tuple, int] = {}
    v_sets = [{box_ids.setdefault(box(e), len(box_ids)) for e in intersections[p]["v"]} for p in points]
    h_sets = [{box_ids.setdefault(box(e), len(box_ids)) for e in intersections[p]["h"]} for p in points]
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]

    def connects(k1: int, k2: int) -> bool:
        if xs[k1] == xs[k2] and not v_sets[k1].isdisjoint(v_sets[k2]):
            return True
        return ys[k1] == ys[k2] and not h_sets[k1].isdisjoint(h_sets[k2])

    # in sorted order, the points after a point with its x are below it, in
    # order; those after it with its y are to its right, in order
    same_x: dict[float, list[int]] = {}
    same_y: dict[float, list[int]] = {}
    for k, (x, y) in enumerate(points):
        same_x.setdefault(x, []).append(k)
        same_y.setdefault(y, []).append(k)
    seen_x: dict[float, int] = {}
    seen_y: dict[float, int] = {}
    cells = []
    for k, (x, y) in enumerate(points):
        kx = seen_x[x] = seen_x.get(x, -1) + 1
        ky = seen_y[y] = seen_y.get(y, -1) + 1
        right = same_y[y][ky + 1 :]
        if not right:
            continue
        for below in same_x[x][kx + 1 :]:
            if not connects(k, below):
                continue
            for r in right:
                if not connects(k, r):
                    continue
                corner = where.get((xs[r], ys[below]))
                if corner is not None and connects(corner, r) and connects(corner, below):
                    cells.append((x, y, xs[r], ys[below]))
                    break
            else:
                continue
            break
    return cells


def _flip(bbox: tuple[float, float, float, float], top: float) -> tuple[float, float, float, float]:
    """pdfplumber (x0, top, x1, bottom) -> PDF (x0, y0, x1, y1)."""
    x0, t, x1, bt = bbox
    return (x0, top - bt, x1, top - t)


@dataclass
class _FoundTable:
    bbox: tuple[float, float, float, float]  # PDF space, y up
    grid: list[list[tuple[float, float, float, float] | None]]
    rows: list[list[str]] = field(default_factory=list)
    inside: list[tuple[int, float, float]] = field(default_factory=list)  # its glyphs (set by _fill_cells)


def _regrid(rows: list[list[tuple[float, float, float, float]]], tol: float = 6.0) -> list[list]:
    """Put cells in columns by their left edge, merging slivers made by thick or double rules.

    pdfplumber makes a column for every distinct x, so a header drawn with a
    5 pt border gets columns of its own and its text lands beside the data.
    """
    xs = sorted({c[0] for row in rows for c in row} | {c[2] for row in rows for c in row})
    starts: list[float] = []
    for x in xs:
        if not starts or x - starts[-1] > tol:
            starts.append(x)
    out = []
    for row in rows:
        new: list = [None] * max(len(starts) - 1, 1)
        for cell in row:
            k = max(0, min(len(new) - 1, sum(1 for s in starts if s <= cell[0] + tol) - 1))
            old = new[k]
            new[k] = (
                cell
                if old is None
                else (min(old[0], cell[0]), min(old[1], cell[1]), max(old[2], cell[2]), max(old[3], cell[3]))
            )
        out.append(new)
    return out


def _holds(outer: tuple[float, float, float, float], inner: tuple[float, float, float, float]) -> bool:
    """True when ``outer`` is the larger box and covers most of ``inner``."""

    def area(b: tuple[float, float, float, float]) -> float:
        return max(b[2] - b[0], 0.0) * max(b[3] - b[1], 0.0)

    overlap = (
        max(outer[0], inner[0]),
        max(outer[1], inner[1]),
        min(outer[2], inner[2]),
        min(outer[3], inner[3]),
    )
    return area(outer) > area(inner) and area(overlap) >= 0.5 * area(inner)


def _grid_shape(grid: list[list]) -> tuple[int, int]:
    return (len(grid), max((len(r) for r in grid), default=0))


def _band_runs(
    glyphs: list[tuple[float, float, float, float]], x0: float, x1: float, ys: list[float]
) -> list[tuple[list[float], set[int]]]:
    """Split a rule stack into runs of bands that read as table rows.

    Columns are first taken from the bands whose text has wide gaps of its
    own. Then each band is an ordinary row (its text stays inside the
    columns), a spanning row (a commentary row whose text starts after the
    first column and runs across the others) or running text from the margin
    across the columns (a paragraph between a header rule and a table, or
    between two tables of the same width), which ends the run. Returns each
    run's rule heights and its spanning bands, counted from the run's first.
    """
    descending = [-y for y in ys]
    bands: dict[int, list[tuple[float, float, float, float]]] = {}
    for g in glyphs:
        band = bisect.bisect_left(descending, -(g[1] + g[3]) / 2) - 1
        if 0 <= band < len(ys) - 1:
            bands.setdefault(band, []).append(g)
    if not bands:
        return []
    min_gap = max(4.0, 1.1 * statistics.median(g[3] - g[1] for g in glyphs))
    gapped = [
        g for k, band in bands.items() if _inner_free([(b[0], b[2]) for b in band], min_gap) for g in band
    ]
    gaps = _column_gaps(gapped, x0, x1, ys)
    if not gaps:
        return []
    first_gap = gaps[0][0]
    runs: list[tuple[list[float], set[int]]] = []
    start: int | None = None
    end = 0
    spanning: set[int] = set()
    for k in range(len(ys) - 1):
        if k not in bands:
            continue  # an empty spacer row
        # a gap is crossed when the row's text leaves little of it free: a
        # bold figure overhanging its edge or a detached "+" does not count
        crossed = sum(1 for lo, hi in gaps if _widest_free(bands[k], lo, hi) < max(min_gap, 0.4 * (hi - lo)))
        starts_late = min(g[0] for g in bands[k]) >= first_gap + 1
        if crossed and not starts_late:
            if start is not None:  # running text from the margin: the table ends here
                runs.append((ys[start : end + 2], {b - start for b in spanning}))
            start = None
            continue
        is_spanning = crossed > 0 and starts_late
        if start is None:
            if is_spanning:
                continue  # a run starts at an ordinary row
            start, spanning = k, set()
        end = k
        if is_spanning:
            spanning.add(k)
    if start is not None:
        runs.append((ys[start : end + 2], {b - start for b in spanning}))
    return runs


def _widest_free(glyphs: list[tuple[float, float, float, float]], lo: float, hi: float) -> float:
    """Widest stretch of [lo, hi] that no glyph covers."""
    cursor, widest = lo, 0.0
    for g in sorted(g for g in glyphs if g[2] > lo and g[0] < hi):
        widest = max(widest, g[0] - cursor)
        cursor = max(cursor, g[2])
    return max(widest, hi - cursor)


def _inner_free(spans: list[tuple[float, float]], min_gap: float) -> list[tuple[float, float]]:
    """Gaps at least ``min_gap`` wide between the first and last text of one band."""
    spans = sorted(spans)
    free = []
    end = spans[0][1]
    for left, right in spans[1:]:
        if left - end >= min_gap:
            free.append((end, left))
        end = max(end, right)
    return free


def _rows_look_like_rows(
    glyphs: list[tuple[float, float, float, float]],
    x0: float,
    x1: float,
    ys: list[float],
    gaps: list[tuple[float, float]],
) -> bool:
    """A table has a column of short cells (labels, numbers); two columns of
    running text between rules are a page layout, not a table."""
    bounds = [(a + b) / 2 for a, b in gaps]
    descending = [-y for y in ys]
    centres: dict[tuple[int, int], list[float]] = {}
    heights = []
    for g in glyphs:
        cx, cy = (g[0] + g[2]) / 2, (g[1] + g[3]) / 2
        if ys[-1] < cy < ys[0] and x0 <= cx <= x1:
            band = bisect.bisect_left(descending, -cy) - 1
            col = bisect.bisect_left(bounds, cx)
            centres.setdefault((band, col), []).append(cy)
            heights.append(g[3] - g[1])
    if not centres:
        return False
    step = 0.75 * statistics.median(heights)  # glyph centres on one line differ by less than this
    tallest: dict[int, int] = {}
    for (_, col), cys in centres.items():
        cys.sort()
        n_lines = 1 + sum(1 for p, q in zip(cys, cys[1:], strict=False) if q - p > step)
        tallest[col] = max(tallest.get(col, 0), n_lines)
    return min(tallest.values()) <= 6


def _column_gaps(
    glyphs: list[tuple[float, float, float, float]],
    x0: float,
    x1: float,
    ys: list[float],
) -> list[tuple[float, float]]:
    """Free x intervals between text columns inside a stack of row rules.

    A column boundary is a vertical strip that the text of (almost) no row
    crosses and that is wider than a word space.
    """
    top, bottom = ys[0], ys[-1]
    descending = [-y for y in ys]  # bisect needs ascending keys
    spans: dict[int, list[tuple[float, float]]] = {}
    heights = []
    for gl, gb, gr, gt in glyphs:
        cy = (gb + gt) / 2
        cx = (gl + gr) / 2
        if not (bottom < cy < top and x0 <= cx <= x1):
            continue
        band = bisect.bisect_left(descending, -cy) - 1
        spans.setdefault(band, []).append((gl, gr))
        heights.append(gt - gb)
    if len(spans) < _MIN_TABLE_ROWS or not heights:
        return []
    # how many bands cover each x: +1/-1 events over each band's merged text intervals
    events: list[tuple[float, int]] = []
    for band_spans in spans.values():
        band_spans.sort()
        start, end = band_spans[0]
        for gl, gr in band_spans[1:]:
            if gl > end:
                events += [(start, 1), (end, -1)]
                start, end = gl, gr
            else:
                end = max(end, gr)
        events += [(start, 1), (end, -1)]
    events.sort()
    allowed = len(spans) // 8  # a title row spanning the columns may cross a gap
    min_gap = max(4.0, 1.1 * statistics.median(heights))  # wider than a word space
    gaps = []
    depth = 0
    free_from: float | None = None
    seen_text = False
    for x, step in events:
        before = depth
        depth += step
        if before > allowed >= depth:  # text ends: a free strip may start
            free_from = x
        elif before <= allowed < depth:  # text starts again
            if seen_text and free_from is not None and x - free_from >= min_gap:
                gaps.append((free_from, x))
            seen_text = True
            free_from = None
    return gaps


def _aligned_lines(
    glyphs: list[tuple[float, float, float, float]],
    x0: float,
    x1: float,
    gaps: list[tuple[float, float]],
    edge: float,
    direction: int,
    height: float,
    max_lines: int,
) -> tuple[float, list[tuple[float, float]]] | None:
    """New outer edge (and narrowed column gaps) when text just outside a
    rule stack fits its columns: a header row above the first rule, a total
    row below the last.

    Text fits when every column gap still has free space beside its words
    and it falls in at least two columns; a caption or a paragraph runs
    through the gaps. Header words are often wider than the figures below
    them, so a gap may narrow to the space the header leaves free. The
    nearest block of text above (headers of different depths per column) is
    tried whole first, then line by line.
    """

    def near_side(g: tuple[float, float, float, float]) -> float:
        return (g[1] - edge) if direction > 0 else (edge - g[3])

    def far_side(g: tuple[float, float, float, float]) -> float:
        return (g[3] - edge) if direction > 0 else (edge - g[1])

    window = (max_lines + 1) * 2.5 * height
    near = sorted(
        (
            g
            for g in glyphs
            if x0 <= (g[0] + g[2]) / 2 <= x1 and 0 < ((g[1] + g[3]) / 2 - edge) * direction < window
        ),
        key=near_side,
    )
    if not near or near_side(near[0]) > 2.0 * height:
        return None
    pad = 0.15 * height
    block, reach = [], 0.0
    for g in near:
        if block and near_side(g) - reach > 1.0 * height:
            break
        block.append(g)
        reach = max(reach, far_side(g))
    if direction > 0:  # a header may be several lines deep, staggered per column
        whole = _fit_columns(block, gaps, pad)
        if whole is not None:
            return (edge + reach + 1.0, whole)
    # line by line, nearest first, never cutting through glyphs left outside
    lines: list[list[tuple[float, float, float, float]]] = []
    for g in block:
        centre = abs((g[1] + g[3]) / 2 - edge)
        if lines and centre - abs((lines[-1][-1][1] + lines[-1][-1][3]) / 2 - edge) < 0.5 * height:
            lines[-1].append(g)
        else:
            lines.append([g])
    result, reach, taken = None, 0.0, 0
    for line in lines[:max_lines]:
        narrowed = _fit_columns(line, gaps, pad)
        if narrowed is None:
            break
        reach = max(reach, max(far_side(g) for g in line))
        gaps, taken = narrowed, taken + len(line)
        result = (edge + direction * (reach + 1.0), gaps)
    if result is not None and any(near_side(g) < reach + 1.0 for g in block[taken:]):
        return None  # the row edge would cut a line it did not take
    return result


def _fit_columns(
    boxes: list[tuple[float, float, float, float]], gaps: list[tuple[float, float]], pad: float
) -> list[tuple[float, float]] | None:
    """Gaps narrowed to the space ``boxes`` leave free, or None when text runs through one."""
    narrowed = []
    for a, b in gaps:
        blocks = sorted((g[0] - pad, g[2] + pad) for g in boxes if g[2] + pad > a and g[0] - pad < b)
        free, cursor = [], a
        for ba, bb in blocks:
            if ba > cursor:
                free.append((cursor, ba))
            cursor = max(cursor, bb)
        if cursor < b:
            free.append((cursor, b))
        # header words may be wider than the figures below them, but must
        # leave a real gap, not a word space, between the columns
        free = [f for f in free if f[1] - f[0] >= max(3.0, 0.2 * (b - a))]
        if not free:
            return None
        narrowed.append(max(free, key=lambda f: f[1] - f[0]))
    bounds = [(a + b) / 2 for a, b in narrowed]
    if len({sum(1 for bx in bounds if (g[0] + g[2]) / 2 > bx) for g in boxes}) < 2:
        return None
    return narrowed


def _fill_cells(
    table: _FoundTable,
    glyphs: list[tuple[int, float, float]],
    text: str,
    chars: list[str],
    glue_wraps: bool | Callable[[], bool] = False,
) -> list[list[str]] | None:
    """Cell texts from PDFium characters; None when the grid is not a real table.

    Sets ``table.inside``, the glyphs in the table's box (_table_owners reads it).
    """
    x0, y0, x1, y1 = table.bbox
    inside = table.inside = [g for g in glyphs if x0 <= g[1] <= x1 and y0 <= g[2] <= y1]
    cells: list[list[list[int]]] = [[[] for _ in row] for row in table.grid]
    # rows with cells: (row, lowest bottom, highest top, its cells as (column, x0, y0, x1, y1))
    grid = []
    for r, row in enumerate(table.grid):
        present = [(c, *cell) for c, cell in enumerate(row) if cell is not None]
        if present:
            grid.append((r, min(p[2] for p in present), max(p[4] for p in present), present))
    # The cells whose height range holds a glyph's centre (in grid order) change only
    # where the centre crosses a row's or a cell's bottom or top: listed once for each
    # stretch between two such heights and for each height itself, found by bisection.
    bounds = sorted({y for _, low, high, present in grid for y in (low, high, *(p[2] for p in present),
                                                                  *(p[4] for p in present))})
    # Glyphs on one line share their centre's height (a tenth of them differ): the
    # cells for each height are also kept by height.
    by_band: dict[int, list[tuple[int, int, float, float]]] = {}
    by_height: dict[float, list[tuple[int, int, float, float]]] = {}
    find = bisect.bisect_left
    for i, cx, cy in inside:
        cands = by_height.get(cy)
        if cands is None:
            k = find(bounds, cy)
            band = 2 * k + 1 if k < len(bounds) and bounds[k] == cy else 2 * k
            cands = by_band.get(band)
            if cands is None:
                cands = by_band[band] = [
                    (r, c, left, right)
                    for r, low, high, present in grid
                    if low <= cy <= high
                    for c, left, bottom, right, top in present
                    if bottom <= cy <= top
                ]
            by_height[cy] = cands
        # the first cell nearest to the centre (distance 0: the first cell holding it)
        for r, c, left, right in cands:
            if left <= cx <= right:
                cells[r][c].append(i)
                break
        else:
            # a glyph in no cell (a merged region) goes to the nearest cell of its
            # row: the table replaces its text on the page, so nothing may be lost
            best: float | None = None
            best_r = best_c = 0
            for r, c, left, right in cands:
                dist = max(left - cx, cx - right, 0.0)
                if best is None or dist < best:
                    best, best_r, best_c = dist, r, c
            if best is not None:
                cells[best_r][best_c].append(i)
    rows = [[_cell_text(text, chars, idx, glue_wraps) for idx in row] for row in cells]
    rows = [row for row in rows if any(row)]
    if not rows:
        return None
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    keep = [c for c in range(width) if any(r[c] for r in rows)]
    rows = [[r[c] for c in keep] for r in rows]
    filled_rows = sum(1 for r in rows if sum(1 for c in r if c) >= 2)
    if len(rows) < _MIN_TABLE_ROWS or len(keep) < _MIN_TABLE_COLS or filled_rows < _MIN_TABLE_ROWS:
        return None
    return rows


def _lone_letter(text: str, i: int) -> bool:
    """A line that is one lower-case letter (not "a"/"i"): the tail of a word cut by a narrow cell."""
    if text[i] in "ai" or not text[i].islower():
        return False
    return i + 1 >= len(text) or text[i + 1] in " \r\n"


def _spaced_wraps(text: str) -> bool:
    """Whether the page's producer ends wrapped lines with a space ("word \\r\\nnext")."""
    spaced = len(_WRAP_SPACED.findall(text))
    return spaced >= 3 and spaced >= 4 * len(_WRAP_BARE.findall(text))


def _cell_text(text: str, chars: list[str], idx: list[int], glue_wraps: bool | Callable[[], bool] = False) -> str:
    """A cell's characters in PDFium order, lines joined with spaces.

    ``glue_wraps`` is set when the page's producer ends wrapped lines with a
    space; a break without one inside a cell is then a word cut by a narrow
    column ("Revenu" / "e") and is closed up when a lower-case letter follows.
    It may be a function giving the answer (``_spaced_wraps`` of the page),
    called only for such a break: most table pages never need the count.
    """
    if not idx:
        return ""
    idx.sort()
    out = []
    prev = None
    for i in idx:
        if prev is not None and i != prev + 1:
            between = text[prev + 1 : i]
            if chars[prev].endswith(_SOFT_HYPHEN):
                pass
            elif (
                " " not in between
                and "\n" in between
                and chars[prev][-1:].isalpha()
                and chars[i][:1].islower()
                and (_lone_letter(text, i) or (glue_wraps() if callable(glue_wraps) else glue_wraps))
            ):
                pass  # "Revenu\ne" in a narrow cell: the producer wraps words with a trailing space
            elif between and any(ch.isspace() for ch in between) and not out[-1].endswith(" "):
                out.append(" ")
        out.append(chars[i])
        prev = i
    cell = "".join(out).replace(_SOFT_HYPHEN, "")
    return _clean(cell)


# --- across pages -----------------------------------------------------------


# A run of digits, superscript digits counted as digits (in an ASCII text: _DIGIT_RUN),
# written with a class first as _DIGIT_RUN is.
_DIGITS_OR_SUPERSCRIPTS = re.compile(r"[\d⁰¹²³⁴⁵⁶⁷⁸⁹][\d⁰¹²³⁴⁵⁶⁷⁸⁹]*")


def _margin_key(text: str) -> str:
    """The text compared across pages: white space squashed, digits (superscripts too) as "#",
    lower case. (``str.split()`` splits at exactly the characters ``\\s`` matches.)"""
    digits = _DIGIT_RUN if text.isascii() else _DIGITS_OR_SUPERSCRIPTS  # superscript digits are not ASCII
    return digits.sub("#", " ".join(text.split())).lower()


def _margin_lines(lines: list[_Line]) -> list[int]:
    """Indices of the lines in the top or bottom margin: by position when known, else the
    first or last two lines."""
    n = len(lines)
    top, bottom = _MARGIN_ZONE, _MARGIN_END
    return [
        k
        for k, ln in enumerate(lines)
        if ((pos <= top or pos >= bottom) if (pos := ln.pos) is not None else (k < 2 or k >= n - 2))
    ]


def _drop_margins(drafts: list[_PageDraft]) -> None:
    """Remove running headers/footers and page numbers from every page.

    Only a margin line can be a running header, and only a margin line or a
    page's first or last line a page number: the other lines are never looked at.
    """
    margins = [_margin_lines(d.lines) for d in drafts]
    with_text = [(d, edges) for d, edges in zip(drafts, margins, strict=True) if any(not ln.table for ln in d.lines)]
    counts: Counter[str] = Counter()
    memo: dict[str, str] = {}  # running headers repeat: key each distinct text once

    def key_of(text: str) -> str:
        key = memo.get(text)
        if key is None:
            key = memo[text] = _margin_key(text)
        return key

    for d, edges in with_text:
        lines = d.lines
        counts.update({key_of(lines[k].text) for k in edges if not lines[k].table})
    threshold = max(_RUNNING_MIN_PAGES, math.ceil(_RUNNING_MIN_SHARE * len(with_text)))
    running = {key for key, c in counts.items() if c >= threshold and key.strip("# ")}
    seen: set[str] = set()
    for d, edges in zip(drafts, margins, strict=True):
        lines = d.lines
        n = len(lines)
        if not n:
            continue
        edge_set = set(edges)
        looked_at = edges if 0 in edge_set and n - 1 in edge_set else sorted(edge_set | {0, n - 1})
        dropped: set[int] = set()
        for k in looked_at:
            ln = lines[k]
            if ln.table:
                continue
            edge = k in edge_set
            plain = ln.text.strip()
            key = key_of(plain) if edge else ""  # only a margin line can be a running header
            if edge and key in running:
                # The first copy stays: a running header is often the only
                # place that names the meeting and its date.
                if key in seen or _PAGE_REF.search(plain):
                    dropped.add(k)
                    continue
                seen.add(key)
            # a page number: in a margin, or not bare ("Page 3") and the page's first or last line
            placed = ln.pos is not None and edge
            if (
                (placed or k == 0 or k == n - 1)
                and _PAGE_NUMBER.match(plain)
                and (placed or not _BARE_NUMBER.match(plain))
            ):
                dropped.add(k)
        if dropped:
            d.lines = [ln for k, ln in enumerate(lines) if k not in dropped]


_GAPS = re.compile(r"\n{3,}")


def _page_text(draft: _PageDraft) -> str:
    """Join a page's lines; soft-hyphenated line ends are joined, real hyphens kept."""
    lines = draft.lines
    texts = [ln.text for ln in lines]
    page = "\n".join(texts)
    if _SOFT_HYPHEN in page:
        return _page_text_hyphenated(lines)
    # a blank line before a line with a gap before it, unless the line before it is empty
    # (or there is none): the lines between two such gaps are joined, the pieces with "\n\n"
    gaps = [k for k, ln in enumerate(lines) if ln.gap_before and k and texts[k - 1]]
    if gaps:
        pieces = []
        start = 0
        for k in gaps:
            pieces.append("\n".join(texts[start:k]))
            start = k
        pieces.append("\n".join(texts[start:]))
        page = "\n\n".join(pieces)
    return (_GAPS.sub("\n\n", page) if "\n\n\n" in page else page).strip("\n")


def _page_text_hyphenated(lines: list[_Line]) -> str:
    """_page_text for a page with soft hyphens: a line ending in one is joined with the next line's first word."""
    out: list[str] = []
    for ln in lines:
        text = ln.text
        if out and not ln.table and out[-1].endswith(_SOFT_HYPHEN):
            word, _, rest = text.partition(" ")
            out[-1] = out[-1][:-1] + word
            text = rest
            if not text:
                continue
        if ln.gap_before and out and out[-1] != "":
            out.append("")
        out.append(text)
    page = "\n".join(out).replace(_SOFT_HYPHEN, "")
    return _GAPS.sub("\n\n", page).strip("\n")


def _status(drafts: list[_PageDraft]) -> tuple[str, str | None]:
    """ok / partial / needs_ocr / failed from what each page held.

    A page is "scanned" when it carries (almost) no characters but an image
    covers a good part of it. Blank pages and picture covers with a title are
    normal and do not count; a whole document of scans needs OCR; a
    meaningful share of scanned pages makes the text partial.
    """
    n = len(drafts)
    broken = [i + 1 for i, d in enumerate(drafts) if d.error]
    if len(broken) == n:
        return STATUS_FAILED, f"PDF pages could not be read: {drafts[0].error}"
    scanned = [
        i + 1
        for i, d in enumerate(drafts)
        if not d.error and d.visible_chars <= _SCAN_MAX_CHARS and d.image_cover >= _IMAGE_PAGE_MIN_COVER
    ]
    total_chars = sum(d.visible_chars for d in drafts)
    ocr = "run OCR (e.g. ocrmypdf) and ingest the result"
    if len(scanned) >= _NEEDS_OCR_SHARE * n or (total_chars == 0 and any(d.image_cover > 0 for d in drafts)):
        return STATUS_NEEDS_OCR, f"no text layer: scanned image PDF; {ocr}"
    if total_chars == 0 and any(d.paths for d in drafts):
        return STATUS_NEEDS_OCR, f"no text layer: the text is drawn as shapes; {ocr}"
    if total_chars == 0:
        return STATUS_FAILED, (
            f"PDF has {n} page(s) but no text and no images: the pages are blank "
            "(or their content could not be read)"
        )
    problems = []
    if scanned and len(scanned) >= _PARTIAL_SHARE * n:
        problems.append(
            f"{len(scanned)} of {n} pages have no text layer (scanned images: {_pages(scanned)}); "
            "run OCR (e.g. ocrmypdf) for their text"
        )
    if broken:
        problems.append(f"{_pages(broken)} could not be read ({drafts[broken[0] - 1].error})")
    no_tables = [i + 1 for i, d in enumerate(drafts) if d.table_error]
    if no_tables:
        problems.append(
            f"tables on {_pages(no_tables)} could not be read ({drafts[no_tables[0] - 1].table_error}); "
            "their text is kept"
        )
    if problems:
        return STATUS_PARTIAL, "; ".join(problems)
    return STATUS_OK, None


def _pages(numbers: list[int]) -> str:
    """[4] -> "page 4"; [1, 2, 3, 7] -> "pages 1-3, 7"."""
    return ("page " if len(numbers) == 1 else "pages ") + _ranges(numbers)


def _ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 7] -> "1-3, 7"."""
    out = []
    start = prev = numbers[0]
    for x in numbers[1:] + [None]:
        if x is not None and x == prev + 1:
            prev = x
            continue
        out.append(str(start) if start == prev else f"{start}-{prev}")
        if x is not None:
            start = prev = x
    return ", ".join(out)
