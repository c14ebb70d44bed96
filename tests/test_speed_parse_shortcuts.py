"""PDF parser shortcuts (speed round h) give exactly what the plain computation gives.

Each shortcut is checked against the straightforward code it replaced:
margin keys without regexes, margin and page-number removal that only looks
at margin lines, page text joined without the soft-hyphen bookkeeping when
there is no soft hyphen, table owners taken from the cell filler's lists,
a line's characters split by one list comprehension on a one-table page,
the wrap style counted only when a cell asks, and line metrics read in one
pass. Documents are fictional and built here.
"""

from __future__ import annotations

import io
import math
import re
import statistics
from collections import Counter

import pytest
from conftest import first_page_reader, rotated_pdf
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from extract.parse import pdf

# --- margins: keys, running headers, page numbers -------------------------------

_MARGIN_CHARS = list("Pag 3of17-–ivx#") + ["\t", "\u00a0", "\u2003", "\u3000", "¹", "²", "\u0663", "\n", "  "]


_PLAIN_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")  # superscript digits read as digits


def _margin_key_reference(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", text.translate(_PLAIN_DIGITS))).strip().lower()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_MARGIN_CHARS + ["Harbour Board", "Page 12", "PAGE"]), max_size=12).map("".join))
def test_margin_key_matches_the_regex_reference(text):
    assert pdf._margin_key(text) == _margin_key_reference(text)


def _in_margin_reference(line: pdf._Line, k: int, n_lines: int) -> bool:
    if line.pos is not None:
        return line.pos <= pdf._MARGIN_ZONE or line.pos >= pdf._MARGIN_END
    return k < 2 or k >= n_lines - 2


def _drop_margins_reference(drafts: list[pdf._PageDraft]) -> None:
    """_drop_margins as first written: every line of every page looked at."""
    margins = [[_in_margin_reference(ln, k, len(d.lines)) for k, ln in enumerate(d.lines)] for d in drafts]
    with_text = [(d, e) for d, e in zip(drafts, margins, strict=True) if any(not ln.table for ln in d.lines)]
    counts: Counter[str] = Counter()
    for d, edges in with_text:
        counts.update({_margin_key_reference(ln.text) for ln, edge in zip(d.lines, edges, strict=True)
                       if edge and not ln.table})
    threshold = max(pdf._RUNNING_MIN_PAGES, math.ceil(pdf._RUNNING_MIN_SHARE * len(with_text)))
    running = {key for key, c in counts.items() if c >= threshold and key.strip("# ")}
    seen: set[str] = set()
    for d, edges in zip(drafts, margins, strict=True):
        kept = []
        n = len(d.lines)
        for k, (ln, edge) in enumerate(zip(d.lines, edges, strict=True)):
            if not ln.table:
                plain = ln.text.strip()
                key = _margin_key_reference(plain) if edge else ""
                if edge and key in running:
                    if key in seen or pdf._PAGE_REF.search(plain):
                        continue
                    seen.add(key)
                placed = ln.pos is not None and edge
                if (
                    (placed or k == 0 or k == n - 1)
                    and pdf._PAGE_NUMBER.match(plain)
                    and (placed or not pdf._BARE_NUMBER.match(plain))
                ):
                    continue
            kept.append(ln)
        d.lines = kept


_LINE_TEXTS = st.sampled_from([
    "Harbour Board – 3 May 2024", "Harbour Board – 4 May 2024", "3", "iv", "Page 3", "Page 2 of 9", "- 7 -",
    "Minutes of the meeting", "Item 4: Budget monitoring", " 12 ", "Confidential", "",
])
_POSITIONS = st.one_of(st.none(), st.sampled_from([0.0, 0.05, 0.12, 0.13, 0.5, 0.87, 0.88, 0.95, 1.0]))
_LINES = st.builds(pdf._Line, _LINE_TEXTS, _POSITIONS, st.sampled_from([False, False, False, True]), st.booleans())


def _copy(drafts: list[pdf._PageDraft]) -> list[pdf._PageDraft]:
    return [pdf._PageDraft(lines=[pdf._Line(ln.text, ln.pos, ln.table, ln.gap_before) for ln in d.lines])
            for d in drafts]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_LINES, max_size=8).map(lambda ls: pdf._PageDraft(lines=ls)), max_size=7))
def test_dropping_margins_matches_looking_at_every_line(drafts):
    expected = _copy(drafts)
    _drop_margins_reference(expected)
    got = _copy(drafts)
    pdf._drop_margins(got)
    assert [d.lines for d in got] == [d.lines for d in expected]


def test_running_header_first_copy_and_page_numbers():
    """A readable case of the above: the header's first copy stays, page numbers go."""
    drafts = [
        pdf._PageDraft(lines=[pdf._Line("Harbour Board – 3 May 2024", 0.05), pdf._Line(f"Body text {n}", 0.5),
                              pdf._Line(str(n), 0.95)])
        for n in range(1, 5)
    ]
    expected = _copy(drafts)
    _drop_margins_reference(expected)
    pdf._drop_margins(drafts)
    assert [d.lines for d in drafts] == [d.lines for d in expected]
    assert [ln.text for ln in drafts[0].lines] == ["Harbour Board – 3 May 2024", "Body text 1"]
    assert [ln.text for ln in drafts[3].lines] == ["Body text 4"]


# --- page text ------------------------------------------------------------------


def _page_text_reference(draft: pdf._PageDraft) -> str:
    """The general join, soft hyphens handled on every page (the shortcut skips it on pages without one)."""
    return pdf._page_text_hyphenated(draft.lines)


_PAGE_LINES = st.builds(
    pdf._Line,
    st.sampled_from(["Budget", "moni\u00adtoring", "agreed\u00ad", "the report", "", "Row\tone", "\u00ad", "a b"]),
    st.none(),
    st.booleans(),
    st.booleans(),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_PAGE_LINES, max_size=10))
def test_page_text_matches_the_plain_join(lines):
    draft = pdf._PageDraft(lines=lines)
    assert pdf._page_text(draft) == _page_text_reference(draft)


# --- tables ---------------------------------------------------------------------

_COORD = st.integers(0, 12).map(lambda v: v * 5.0)


@st.composite
def _tables_and_glyphs(draw):
    glyphs = [(k, draw(_COORD) + draw(st.sampled_from([0.0, 2.5])), draw(_COORD)) for k in range(draw(st.integers(0, 40)))]
    tables = []
    for _ in range(draw(st.integers(1, 3))):
        x0, x1 = sorted((draw(_COORD), draw(_COORD)))
        y0, y1 = sorted((draw(_COORD), draw(_COORD)))
        tables.append(pdf._FoundTable(bbox=(x0, y0, x1, y1), grid=[[(x0, y0, x1, y1)]]))
    return tables, glyphs


@settings(max_examples=300, deadline=None)
@given(_tables_and_glyphs())
def test_table_owners_from_the_cell_lists_match_the_box_scan(case):
    tables, glyphs = case
    text = "x" * len(glyphs)
    for table in tables:
        pdf._fill_cells(table, glyphs, text, list(text))  # lists each table's glyphs
    expected: dict[int, int] = {}
    for i, cx, cy in glyphs:
        for t, found in enumerate(tables):
            x0, y0, x1, y1 = found.bbox
            if x0 <= cx <= x1 and y0 <= cy <= y1:
                expected[i] = t
                break
    assert pdf._PageReader._table_owners(None, tables) == expected


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 20), st.integers(1, 20), st.sets(st.integers(0, 45)))
def test_one_table_line_split_matches_the_character_loop(a, width, owned):
    b = a + width
    owned = set(owned) | {a + width // 2}  # the line holds a table character
    owner = dict.fromkeys(owned, 0)
    assert pdf._split_line(owner, a, b, True) == pdf._split_line(owner, a, b, False)


_CELL_TEXT = st.lists(st.sampled_from(list("Revenue e a") + ["\r\n", "\n", " \r\n", "\u00ad"]), max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(_CELL_TEXT, st.data())
def test_wrap_style_asked_lazily_gives_the_same_cells(text, data):
    idx = sorted(data.draw(st.sets(st.integers(0, max(len(text) - 1, 0)), max_size=len(text))) if text else set())
    chars = list(text)
    for glue in (False, True):
        asked = []

        def lazy(glue=glue, asked=asked):
            asked.append(1)
            return glue

        assert pdf._cell_text(text, chars, list(idx), lazy) == pdf._cell_text(text, chars, list(idx), glue)


def test_wrap_style_is_not_counted_for_cells_without_a_wrapped_word():
    text = "North Ward 12 10\r\nRiverside 8 8"
    chars = list(text)
    asked = []
    idx = [i for i, ch in enumerate(text) if ch not in "\r\n"]  # the cell's glyphs: no break characters
    cell = pdf._cell_text(text, chars, idx, lambda: asked.append(1) or True)
    assert cell == "North Ward 12 10 Riverside 8 8"
    assert asked == []


def test_spaced_wraps_counts_the_producers_style():
    assert pdf._spaced_wraps("word \r\nnext a \r\nb c \r\nd")
    assert not pdf._spaced_wraps("word\r\nnext a\r\nb c \r\nd")


# --- line metrics ---------------------------------------------------------------


def _lines_pdf(rotation: int) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    y = 800
    for size, text in [(16, "HARBOUR BOARD"), (11, "Minutes of the meeting held on 3 May 2024"),
                       (11, "Present: Cllr Ames (Chair), Cllr Penn"), (9, "Footnote text 1"), (11, "1. Apologies"),
                       (11, "Apologies were received from Cllr Rowe."), (11, "2. Budget 2024 to 2025")]:
        c.setFont("Helvetica", size)
        c.drawString(72, y, text)
        y -= size * (1.3 if size != 9 else 3.0)
    c.setFont("Helvetica", 7)
    c.drawString(300, 796, "2")
    c.save()
    return rotated_pdf(buf.getvalue(), rotation)


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_line_metrics_in_one_pass_match_per_character_reads(rotation):
    with first_page_reader(_lines_pdf(rotation)) as reader:
        spans = reader._pdfium_lines() + [(0, 0)]  # and an empty line
        ys, hs, poss, steps = reader._line_metrics(spans)
        height = reader.display.height
        expected_y, expected_h, expected_pos = [], [], []
        for a, b in spans:
            m = re.compile(r"\S").search(reader.text, a, b)
            if m is None:
                expected_y.append(None)
                expected_h.append(None)
                expected_pos.append(None)
                continue
            k = m.start()
            fb = reader.font_box(k)
            box = reader._visible_range(k, k + 1)[0][1]
            expected_y.append(reader.origin_y(k))
            expected_h.append(fb[3] - fb[1])
            expected_pos.append((height - (box[1] + box[3]) / 2) / max(height, 1.0))
        assert len(spans) > 6
        assert (ys, hs, poss) == (expected_y, expected_h, expected_pos)
        expected_steps = []
        prev_y = prev_h = None
        for y, h in zip(ys, hs, strict=True):
            if y is not None and prev_y is not None and h and prev_h and 0 < prev_y - y < 3 * h:
                expected_steps.append(prev_y - y)
            if y is not None:
                prev_y, prev_h = y, h
        assert steps == expected_steps
        if rotation == 0:  # (on a turned page the lines step sideways: no baseline steps down)
            assert statistics.median(steps) > 0
