"""The parser's and segmenter's shortcuts give exactly what the plain way gives.

Each shortcut taken for speed (string replaces for ``translate``, cell lookup
per height band, one scan for date starts, skipping kind cues that cannot
change the vote, character centres without boxes) is checked here against
the straightforward computation it replaces. Documents are fictional and
built here.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from conftest import first_page_reader, rotated_pdf
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from extract.parse import pdf
from extract.segment import kind as kind_mod
from extract.segment.dates import _DAY_OR_MONTH_NAME, _DIGIT_RUN, _MONTH_NAME, _date_starts
from extract.segment.items import _possible_patterns
from extract.segment.resources import load_vocab
from extract.segment.textutil import normalise

# --- character clean-up -------------------------------------------------------

_MAPPED_CHARS = "".join(chr(c) for c in pdf._CHAR_MAP)
_TEXT = st.text(alphabet=st.sampled_from(list("ab -\t1") + list(_MAPPED_CHARS)), max_size=60)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_map_chars_is_translate(text):
    assert pdf._map_chars(text) == text.translate(pdf._CHAR_MAP)


def _clean_reference(line: str) -> str:
    return re.sub(r" {2,}", " ", line.translate(pdf._CHAR_MAP).replace("\t", " ")).strip()


@settings(max_examples=200, deadline=None)
@given(st.lists(_TEXT, max_size=6))
def test_clean_lines_match_the_plain_clean_up(lines):
    lines = [x.replace("\n", " ") for x in lines]  # PDFium lines hold no break
    assert pdf._clean_lines(lines) == [_clean_reference(x) for x in lines]
    assert [pdf._clean(x) for x in lines] == [_clean_reference(x) for x in lines]


# --- table cells --------------------------------------------------------------


def _fill_reference(table, glyphs, text, chars):
    """_fill_cells as first written: every glyph tried against every row and cell."""
    x0, y0, x1, y1 = table.bbox
    inside = [g for g in glyphs if x0 <= g[1] <= x1 and y0 <= g[2] <= y1]
    cells = [[[] for _ in row] for row in table.grid]
    grid = []
    for r, row in enumerate(table.grid):
        present = [(c, *cell) for c, cell in enumerate(row) if cell is not None]
        if present:
            grid.append((r, min(p[2] for p in present), max(p[4] for p in present), present))
    for i, cx, cy in inside:
        best = None
        best_r = best_c = 0
        for r, low, high, present in grid:
            if not low <= cy <= high:
                continue
            for c, left, bottom, right, top in present:
                if not bottom <= cy <= top:
                    continue
                dist = max(left - cx, cx - right, 0.0)
                if best is None or dist < best:
                    best, best_r, best_c = dist, r, c
                if dist == 0.0:
                    break
            if best is not None and best == 0.0:
                break
        if best is not None:
            cells[best_r][best_c].append(i)
    return [[sorted(idx) for idx in row] for row in cells]


_COORD = st.integers(0, 12).map(lambda v: v * 5.0)  # few distinct values: shared edges and ties


@st.composite
def _tables(draw):
    n_rows = draw(st.integers(1, 4))
    n_cols = draw(st.integers(1, 4))
    grid = []
    for _ in range(n_rows):
        row = []
        for _ in range(n_cols):
            if draw(st.booleans()) and draw(st.booleans()):
                row.append(None)
                continue
            a, b = sorted((draw(_COORD), draw(_COORD)))
            c, d = sorted((draw(_COORD), draw(_COORD)))
            row.append((a, c, b, d))
        grid.append(row)
    glyphs = [(k, draw(_COORD) + draw(st.sampled_from([0.0, 1.5, 2.5])), draw(_COORD)) for k in range(draw(st.integers(0, 30)))]
    return pdf._FoundTable(bbox=(0.0, 0.0, 60.0, 60.0), grid=grid), glyphs


@settings(max_examples=300, deadline=None)
@given(_tables())
def test_cells_found_per_height_band_match_the_full_search(case):
    table, glyphs = case
    text = "x" * len(glyphs)
    expected = _fill_reference(table, glyphs, text, list(text))
    got = _cells_of(table, glyphs, text)
    assert got == expected


def _cells_of(table, glyphs, text):
    """Which glyphs _fill_cells puts in each cell (each glyph's text is its index)."""
    chars = [f"<{k}>" for k in range(len(text))]
    cells = [[[] for _ in row] for row in table.grid]
    original = pdf._cell_text
    seen = {}

    def record(text_, chars_, idx, glue_wraps=False):
        seen[id(idx)] = sorted(idx)
        return "x"

    pdf._cell_text = record
    try:
        pdf._fill_cells(table, glyphs, text, chars)
    finally:
        pdf._cell_text = original
    # _fill_cells builds one list per cell in grid order; recover them in that order
    lists = list(seen.values())
    k = 0
    for r, row in enumerate(table.grid):
        for c in range(len(row)):
            cells[r][c] = lists[k]
            k += 1
    return cells


# --- characters of a rotated page ---------------------------------------------


def _rotated_pdf(rotation: int) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont("Helvetica", 11)
    c.drawString(72, 760, "Ward budget 2024 to 2025")
    c.drawString(72, 740, "Northgate 1,250 and Southmere 980")
    c.setFont("Helvetica", 7)
    c.drawString(230, 744, "2")
    c.save()
    return rotated_pdf(buf.getvalue(), rotation)


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_centres_are_the_centres_of_the_boxes(rotation):
    with first_page_reader(_rotated_pdf(rotation)) as reader:
        boxes = reader._visible_range(0, reader.n)
        centres = reader._centres_range(0, reader.n)
        assert len(centres) > 20
        assert centres == [(i, (b[0] + b[2]) / 2, (b[1] + b[3]) / 2) for i, b in boxes]


# --- segmenter ------------------------------------------------------------------


def _starts_reference(text: str, names: re.Pattern[str], digits: bool) -> list[int]:
    low = text.lower()
    starts = [m.start() for m in names.finditer(low)]
    if digits:
        starts = sorted(starts + [m.start() for m in _DIGIT_RUN.finditer(low)])
    return starts


_DATEISH = st.lists(
    st.sampled_from(list("0123456789 ,/") + ["jan", "janov", "Mon", "Dec", "sept", "x", "\n", "\u0660"]), max_size=60
).map(lambda parts: "".join(parts) * 3)


@settings(max_examples=200, deadline=None)
@given(_DATEISH, st.booleans())
def test_date_starts_in_one_scan_match_two_scans(text, digits):
    text = text + " " * 200  # long enough for the scan path
    for names in (_DAY_OR_MONTH_NAME, _MONTH_NAME):
        assert _date_starts(text, names, digits) == _starts_reference(text, names, digits)


_PROJECT_DOCS = sorted(
    p for p in (Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "heldout" / "documents").glob("*")
    if p.suffix in (".txt", ".md")
)

_KIND_TEXTS = {
    "minutes": "MINUTES of a meeting of the Harbour Board held on 3 May 2024\nPresent: Cllr Ames\n"
    "1. Apologies\nApologies for absence were received.\nRESOLVED that the report be noted.\n",
    "agenda": "AGENDA\nA meeting of the Harbour Board will be held on 3 May 2024.\n"
    "1. Apologies (Pages 1 - 2)\n2. Minutes (Pages 3 - 8)\n3. Budget (Pages 9 - 20)\n",
    "report": "Report title: Harbour budget\nReport author: J. Penn\n1.1 Background to the budget\n"
    "This report sets out the budget.\nRecommendations\n",
    "weak": "Harbour notes\nSome text about the harbour and the 2024 budget.\n",
    "mixed": "Minutes: \nAgenda\nThis report provides an update.\n" * 3,
}


def _kind_cases():
    cases = [(name, text, "") for name, text in _KIND_TEXTS.items()]
    cases += [(p.name, normalise(p.read_text(encoding="utf-8")), p.name) for p in _PROJECT_DOCS]
    return cases


@pytest.mark.parametrize(("name", "text", "filename"), _kind_cases(), ids=[c[0] for c in _kind_cases()])
@pytest.mark.parametrize("compact", [False, True])
def test_kind_vote_skipping_settled_cues_matches_the_full_count(name, text, filename, compact, monkeypatch):
    head_end = min(len(text), 3000)
    got = kind_mod.detect_kind(text, head_end=head_end, title_text=name, filename=filename,
                               compact_list_in_head=compact)
    monkeypatch.setattr(kind_mod, "_settled", lambda low, high: None)  # count every cue
    full = kind_mod.detect_kind(text, head_end=head_end, title_text=name, filename=filename,
                                compact_list_in_head=compact)
    assert got == full


def test_kind_vote_settles_early_on_a_clear_document(monkeypatch):
    calls = []
    real = kind_mod.finditer

    def counting(rx, target):
        calls.append(rx)
        return real(rx, target)

    monkeypatch.setattr(kind_mod, "finditer", counting)
    text = _KIND_TEXTS["minutes"] * 2
    assert kind_mod.detect_kind(text, head_end=len(text), title_text="Minutes") == "minutes"
    all_scope = [c for c in load_vocab().kind_cues if c.scope == "all"]
    assert not any(c.regex in calls for c in all_scope)


@pytest.mark.parametrize(
    ("text", "labels", "noise"),
    [
        ("1. Budget\nMinutes:\nThe board agreed.\n", 1, 0),
        ("1. Budget\nThe board agreed.\nAdditional documents:\n", 0, 1),
        ("1. Budget\nThe board agreed.\n", 0, 0),
    ],
)
def test_item_patterns_without_their_words_are_left_out(text, labels, noise):
    got_labels, got_noise = _possible_patterns(text, load_vocab())
    assert len(got_labels) == labels
    assert len(got_noise) == noise
