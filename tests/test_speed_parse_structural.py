"""PDF parser structural shortcuts (speed round i) give exactly what the plain computation gives.

The ruled-table finder runs pdfplumber's steps with its own cell search
(_intersections_to_cells): checked against pdfplumber's
``intersections_to_cells`` and ``TableFinder`` on drawn grids, broken grids,
shifted and double rules and random rulings, and whole parses of fictional
PDFs are checked against a parse that uses pdfplumber's finder. Patterns
rewritten for re's fast scan ("[0-9][0-9]*" for "[0-9]+") find the same spans.
"""

from __future__ import annotations

import dataclasses
import io
import random
import re

import pytest
from conftest import rotated_pdf
from pdfplumber.table import TableFinder, edges_to_intersections, intersections_to_cells
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
from reportlab.platypus import Table as RLTable

from extract.parse import pdf

# --- edges ------------------------------------------------------------------------


def _h(x0: float, x1: float, y: float) -> dict:
    return {"x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0.0,
            "orientation": "h", "object_type": "line"}


def _v(x: float, top: float, bottom: float) -> dict:
    return {"x0": x, "x1": x, "top": top, "bottom": bottom, "width": 0.0, "height": bottom - top,
            "orientation": "v", "object_type": "line"}


def _grid(xs: list[float], ys: list[float]) -> list[dict]:
    return [_h(xs[0], xs[-1], y) for y in ys] + [_v(x, ys[0], ys[-1]) for x in xs]


def _random_edges(seed: int) -> list[dict]:
    """A grid with rulings dropped, cut short, split, nudged, and stray rulings added."""
    rnd = random.Random(seed)
    xs = sorted(rnd.sample(range(0, 300, 20), rnd.randint(2, 5)))
    ys = sorted(rnd.sample(range(0, 300, 20), rnd.randint(2, 5)))
    edges = []
    for e in _grid(xs, ys):
        roll = rnd.random()
        if roll < 0.15:
            continue  # dropped
        key_lo, key_hi = ("x0", "x1") if e["orientation"] == "h" else ("top", "bottom")
        lo, hi = e[key_lo], e[key_hi]
        if roll < 0.3:  # cut short at one end
            lo = lo + rnd.choice([5, 10, 25])
        if roll > 0.85 and hi - lo > 30:  # split in two with a gap
            mid = (lo + hi) / 2
            pieces = [(lo, mid - rnd.choice([1, 4])), (mid + rnd.choice([1, 4]), hi)]
        else:
            pieces = [(lo, hi)]
        nudge = rnd.choice([0, 0, 0, 0.5, 1.5, 2.9])
        for a, b in pieces:
            if b - a < 3:
                continue
            if e["orientation"] == "h":
                edges.append(_h(a, b, e["top"] + nudge))
            else:
                edges.append(_v(e["x0"] + nudge, a, b))
    for _ in range(rnd.randint(0, 6)):
        a = rnd.choice(range(0, 300, 20)) + rnd.choice([0, 0, 2, 7])
        at = rnd.choice(range(0, 300, 20)) + rnd.choice([0, 0, 1, 3])
        length = rnd.choice([5, 20, 60, 300])
        edges.append(_h(a, a + length, at) if rnd.random() < 0.5 else _v(at, a, a + length))
    rnd.shuffle(edges)
    return edges


_SHAPES = {
    "empty": [],
    "one line": [_h(10, 200, 50)],
    "crossing lines": [_h(10, 200, 50), _v(100, 10, 200)],
    "one cell": _grid([10, 100], [10, 40]),
    "grid 4x3": _grid([10, 80, 150, 260], [10, 30, 50, 70, 90]),
    "merged header": [e for e in _grid([10, 80, 150, 260], [10, 30, 50, 70]) if e["orientation"] == "h"]
    + [_v(10, 10, 70), _v(260, 10, 70), _v(80, 30, 70), _v(150, 30, 70)],
    "missing inner rule": [e for e in _grid([10, 80, 150], [10, 30, 50, 70]) if e["top"] != 50 or e["orientation"] == "v"]
    + [_h(10, 80, 50)],
    "double rule": _grid([10, 80, 150], [10, 30, 50]) + [_h(10, 150, 31.5), _v(81.2, 10, 50)],
    "two tables": _grid([10, 80, 150], [10, 30, 50]) + _grid([10, 100, 200], [200, 220, 240, 260]),
    "touching tables": _grid([10, 80, 150], [10, 30, 50]) + _grid([150, 200, 250], [50, 70, 90]),
    "negative zero": _grid([-0.0, 50.0, 100.0], [0.0, 20.0, 40.0]),
    "snapped near lines": _grid([10, 80, 150], [10, 30, 50]) + [_h(10.5, 149, 30.8), _v(79.4, 11, 49)],
    "rules stopping short of each other": [_h(12.8, 147.2, y) for y in (10, 30, 50)]
    + [_v(x, 12.8, 47.2) for x in (10, 80, 150)],
    "rules stopping just too short": [_h(13.2, 146.8, y) for y in (10, 30, 50)]
    + [_v(x, 13.1, 46.9) for x in (10, 80, 150)],
    "short stubs": _grid([10, 80, 150], [10, 30, 50]) + [_h(78, 82, 40), _v(115, 28, 32)],
    **{f"random {seed}": _random_edges(seed) for seed in range(60)},
}


@pytest.mark.parametrize("name", list(_SHAPES))
def test_cells_match_pdfplumbers_search(name):
    edges = _SHAPES[name]
    finder = TableFinder(pdf._EdgePage(edges, 400.0, 400.0))
    intersections = edges_to_intersections(finder.edges, 3, 3)
    assert pdf._intersections_to_cells(intersections) == intersections_to_cells(intersections)


@pytest.mark.parametrize("name", list(_SHAPES))
def test_ruling_finder_matches_table_finder(name):
    page = pdf._EdgePage(_SHAPES[name], 400.0, 400.0)
    ours, theirs = pdf._RulingFinder(page), TableFinder(page)
    assert ours.edges == theirs.edges
    assert ours.cells == theirs.cells
    assert [t.cells for t in ours.tables] == [t.cells for t in theirs.tables]
    assert [t.bbox for t in ours.tables] == [t.bbox for t in theirs.tables]
    assert [[r.cells for r in t.rows] for t in ours.tables] == [[r.cells for r in t.rows] for t in theirs.tables]


def test_the_shapes_exercise_cells_and_tables():
    """The cases above include grids that make cells and several tables (the test can fail)."""
    cells = {name: pdf._RulingFinder(pdf._EdgePage(e, 400.0, 400.0)).cells for name, e in _SHAPES.items()}
    assert len(cells["grid 4x3"]) == 12
    assert len(cells["merged header"]) == 7
    assert len(cells["rules stopping short of each other"]) == 4
    assert not cells["rules stopping just too short"]
    assert sum(1 for name, c in cells.items() if name.startswith("random") and c) >= 30
    assert len(pdf._RulingFinder(pdf._EdgePage(_SHAPES["two tables"], 400.0, 400.0)).tables) == 2


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_points_that_are_not_finite_go_to_pdfplumber(bad):
    v = _v(10, 0, 100)
    h = _h(0, 50, 50)
    intersections = {(10.0, 50.0): {"v": [v], "h": [h]}, (bad, 50.0): {"v": [], "h": [h]},
                     (10.0, 80.0): {"v": [v], "h": []}}
    assert pdf._intersections_to_cells(intersections) == intersections_to_cells(intersections)


# --- whole parses ------------------------------------------------------------------

_ROWS = [
    ["Service", "Budget £k", "Spent £k", "Variance"],
    ["Adult social care", "12,400", "12,950", "550"],
    ["Highways", "3,100", "2,870", "-230"],
    ["Libraries", "1,020", "1,020", "0"],
]


def _report_pdf(style: str, pagesize: tuple[float, float] = A4) -> bytes:
    """A fictional finance report page: prose with a footnote marker and a table drawn in ``style``."""
    from reportlab.lib.styles import getSampleStyleSheet

    styles = getSampleStyleSheet()
    table_style = {
        "grid": [("GRID", (0, 0), (-1, -1), 0.5, colors.black)],
        "box and header": [("BOX", (0, 0), (-1, -1), 1, colors.black),
                           ("LINEBELOW", (0, 0), (-1, 0), 1, colors.black),
                           ("INNERGRID", (1, 0), (-1, -1), 0.25, colors.black)],
        "rows only": [("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.black),
                      ("LINEABOVE", (0, 0), (-1, 0), 0.5, colors.black)],
        "no rules": [],
        "span": [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("SPAN", (1, 2), (2, 2))],
    }[style]
    buf = io.BytesIO()
    story = [
        Paragraph("Harbour District Council — Finance Scrutiny Panel", styles["Heading2"]),
        Paragraph("The forecast outturn is shown below<super>1</super> for the three services reviewed "
                  "at the meeting on 4 March 2025.", styles["Normal"]),
        Spacer(1, 12),
        RLTable(_ROWS, style=table_style),
        Spacer(1, 12),
        Paragraph("<super>1</super> Figures are provisional until the year-end audit.", styles["Normal"]),
    ]
    SimpleDocTemplate(buf, pagesize=pagesize).build(story)
    return buf.getvalue()


def _two_grids_pdf() -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for top in (760, 500):
        xs, ys = [72, 200, 330, 460], [top, top - 20, top - 40, top - 60]
        for y in ys:
            c.line(xs[0], y, xs[-1], y)
        for x in xs:
            c.line(x, ys[0], x, ys[-1])
        for r in range(3):
            for k, word in enumerate(["Ward", f"{r + 1}{top}", "Agreed"]):
                c.drawString(xs[k] + 4, ys[r] - 14, word)
    c.showPage()
    c.showPage()  # an empty page
    c.save()
    return buf.getvalue()


def _plain_parse(data: bytes, monkeypatch: pytest.MonkeyPatch) -> dict:
    with monkeypatch.context() as m:
        m.setattr(pdf, "_RulingFinder", TableFinder)  # pdfplumber's finder, as before
        return dataclasses.asdict(pdf.parse_pdf(data))


_DOCS = {
    **{f"{style}, {rotation}°": (style, rotation) for style in ("grid", "box and header", "rows only", "no rules", "span")
       for rotation in (0, 90)},
    "grid, 180°": ("grid", 180),
    "grid, 270°": ("grid", 270),
    "grid, landscape": ("grid landscape", 0),
    "two grids and an empty page": ("two grids", 0),
}


@pytest.mark.parametrize("name", list(_DOCS))
def test_parse_matches_the_parse_with_pdfplumbers_finder(name, monkeypatch):
    style, rotation = _DOCS[name]
    if style == "two grids":
        data = _two_grids_pdf()
    elif style == "grid landscape":
        data = _report_pdf("grid", landscape(A4))
    else:
        data = _report_pdf(style)
    data = rotated_pdf(data, rotation)
    ours = dataclasses.asdict(pdf.parse_pdf(data))
    assert ours == _plain_parse(data, monkeypatch)
    assert ours["status"] == "ok"
    if style in ("grid", "grid landscape", "box and header", "span", "two grids"):
        assert ours["tables"]
    if style in ("grid", "grid landscape") and rotation == 0:
        assert ours["tables"][0]["rows"][1][0] == "Adult social care"
    if style == "two grids":
        assert len(ours["tables"]) == 2 and ours["pages"][1]["text"] == ""
    elif rotation == 0:
        assert "below¹" in ours["pages"][0]["text"]


# --- patterns written for re's fast scan ------------------------------------------

_TEXTS = [
    "",
    "12",
    "Item 4.2: £1,250,000 (2024/25)\r\nSee note 3¹ and page 17 of 40",
    "no digits at all, only words  and  double   spaces",
    "\r\n\r\n7\r\n\r\n  8 \n9\r",
    "٣ ٤ Arabic-Indic digits are not [0-9]; ²³ superscripts neither; 0",
    "tabs\tand\u00a0no-break\u2003spaces    end  ",
    "x" * 50 + "  " + "1" * 30 + "\n" * 4,
]


@pytest.mark.parametrize("text", _TEXTS)
@pytest.mark.parametrize(
    "pattern, plain",
    [(pdf._DIGIT_RUN, r"[0-9]+"), (pdf._BREAK_RUN, r"[\r\n]+"), (pdf._SPACES, r" {2,}")],
    ids=["digit runs", "break runs", "spaces"],
)
def test_fast_scan_patterns_match_the_plain_ones(pattern, plain, text):
    assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in re.finditer(plain, text)]
    assert pattern.sub(" ", text) == re.sub(plain, " ", text)
