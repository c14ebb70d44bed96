"""Round (k) parse shortcuts: each one against the plain computation it replaces."""

from __future__ import annotations

import io
import re

import pypdfium2 as pdfium
from hypothesis import example, given, settings
from hypothesis import strategies as st
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from extract.parse import pdf

_MAPPED_CHARS = "".join(chr(c) for c in pdf._CHAR_MAP)
_TEXT = st.text(alphabet=st.sampled_from(list("ab 1-\t\r\n\u00a0’£²⁵") + list(_MAPPED_CHARS)), max_size=80)

_PAGES = [
    "",
    "Minutes of the Harbour Board\r\n\r\n1. Apologies\r\n",
    "Item 4\r\nBudget 2024/25 £1,200\r\n   \r\nEnd",
    "lone\nbreak\r\nand\rreturn",  # not PDFium's pairs: the regex path
    "\r\n\r\n",
    "café ﬁnance\u00a0report\u2009 ²",
]


def _also(texts: list[str]):
    """A hypothesis test run on each of ``texts`` as well as on the texts it draws."""
    def wrap(test):
        for text in reversed(texts):
            test = example(text)(test)
        return test
    return wrap


@_also(_PAGES)
@given(_TEXT)
@settings(max_examples=300, deadline=None)
def test_line_runs_match_the_regex(text):
    spans, texts = pdf._line_runs(text)
    assert spans == [m.span() for m in re.finditer(r"[^\r\n]+", text)]
    assert texts == [text[a:b] for a, b in spans]


@_also(["", "plain", "tab\there", "\x02", "ﬁ", "\ud800 lone surrogate", "’ quote", "\x7f"])
@given(_TEXT)
@settings(max_examples=300, deadline=None)
def test_has_mapped_matches_the_regex(text):
    assert pdf._has_mapped(text) == (pdf._MAPPED.search(text) is not None)


_PLAIN_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")  # superscript digits read as digits


def _margin_key_reference(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.translate(_PLAIN_DIGITS).split())).lower()


@given(st.text(alphabet=st.sampled_from(list("Page 12 of 3 ⁴²¹ ’٣x\u00a0")), max_size=40))
@settings(max_examples=300, deadline=None)
def test_margin_key_matches_translate_then_digits(text):
    assert pdf._margin_key(text) == _margin_key_reference(text)


@given(_TEXT)
@settings(max_examples=300, deadline=None)
def test_digit_run_ahead_gives_the_run_and_its_neighbour_on_the_line(text):
    runs = list(pdf._DIGIT_RUN_AHEAD.finditer(text))
    assert [m.span() for m in runs] == [m.span() for m in pdf._DIGIT_RUN.finditer(text)]
    for m in runs:
        j = m.end()
        while j < len(text) and text[j] in pdf._BLANK:
            j += 1
        expected = j if j < len(text) and text[j] not in "\r\n" else -1
        assert m.start(1) == expected


def _page_text_reference(lines):
    out, prev = [], ""
    for ln in lines:
        if ln.gap_before and prev:
            out.append("")
        out.append(prev := ln.text)
    page = "\n".join(out)
    return re.sub(r"\n{3,}", "\n\n", page).strip("\n")


_LINES = st.builds(pdf._Line, st.sampled_from(["", "Budget", "1. Apologies", "\n"]), st.none(), st.booleans(), st.booleans())


@given(st.lists(_LINES, max_size=10))
@settings(max_examples=300, deadline=None)
def test_page_text_matches_the_line_loop(lines):
    assert pdf._page_text(pdf._PageDraft(lines=lines)) == _page_text_reference(lines)


def _plain_path_edges(obj, m, display, geo, px, py):
    """_path_edges as first written: every segment's point, type and close flag read."""
    import ctypes

    a, b, c, d, e, f = m
    start = prev = None
    x_ref, y_ref = ctypes.byref(px), ctypes.byref(py)
    for k in range(pdf._count_segments(obj)):
        seg = pdf._path_segment(obj, k)
        if not seg or not pdf._segment_point(seg, x_ref, y_ref):
            continue
        x, y = px.value, py.value
        pt = display.point(a * x + c * y + e, b * x + d * y + f)
        kind = pdf._segment_type(seg)
        if kind == pdfium.raw.FPDF_SEGMENT_MOVETO:
            start = prev = pt
        elif kind == pdfium.raw.FPDF_SEGMENT_LINETO and prev is not None:
            pdf._add_edge(prev, pt, geo)
            prev = pt
        else:
            prev = pt
        if pdf._segment_close(seg) and start is not None and prev is not None:
            pdf._add_edge(prev, start, geo)
            prev = start


def _paths_pdf() -> bytes:
    buf = io.BytesIO()
    cv = canvas.Canvas(buf, pagesize=A4)
    cv.rect(50, 700, 200, 40)  # closed rectangle
    cv.line(50, 650, 300, 650)
    cv.line(60, 400, 60, 600)
    p = cv.beginPath()  # curves, then a line drawn on from the curve's end, closed
    p.moveTo(100, 300)
    p.curveTo(120, 350, 180, 350, 200, 300)
    p.lineTo(300, 300)
    p.lineTo(300, 250)
    p.close()
    p.moveTo(350, 100)
    p.curveTo(360, 150, 400, 150, 410, 100)
    p.close()  # a curve closed back onto its start: a horizontal closing edge
    p.moveTo(400, 500)
    p.lineTo(400, 560)
    p.close()  # closes onto a ruling already drawn
    cv.drawPath(p, stroke=1, fill=0)
    cv.save()
    return buf.getvalue()


def test_path_edges_match_reading_every_segment():
    import ctypes

    doc = pdfium.PdfDocument(_paths_pdf())
    try:
        page = doc[0]
        display = pdf._Display(page.get_bbox(), 0)
        raw = page.raw
        fast, plain = pdf._Geometry(), pdf._Geometry()
        px, py = ctypes.c_float(), ctypes.c_float()
        paths = 0
        for i in range(pdfium.raw.FPDFPage_CountObjects(raw)):
            obj = pdfium.raw.FPDFPage_GetObject(raw, i)
            if pdfium.raw.FPDFPageObj_GetType(obj) != pdfium.raw.FPDF_PAGEOBJ_PATH:
                continue
            paths += 1
            pdf._path_edges(obj, pdf._IDENTITY, display, fast, px, py, [10**6])
            _plain_path_edges(obj, pdf._IDENTITY, display, plain, px, py)
        assert paths >= 3
        assert fast.h == plain.h and fast.v == plain.v
        assert len(fast.h) >= 4 and len(fast.v) >= 3
        page.close()
    finally:
        doc.close()
