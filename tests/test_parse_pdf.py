"""PDF parser: PDFs built here with reportlab/pypdf, plus every real PDF in ../shared.

The generated documents are fictional council papers made for these tests;
nothing is copied from ../shared, which is only read at run time.
"""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw
from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.generic import RectangleObject
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer
from reportlab.platypus import Table as RLTable

from extract.parse import parse_bytes, pdf
from extract.parse.pdf import parse_pdf
from extract.vocab import STATUS_FAILED, STATUS_NEEDS_OCR, STATUS_OK, STATUS_PARTIAL, STATUSES

SHARED_PDF = (Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "pdf").resolve()
SHARED_FILES = sorted(SHARED_PDF.glob("*.pdf")) if SHARED_PDF.is_dir() else []

HEADER = "Harrowfield Borough Council – Licensing Sub-Committee – 14 March 2024"

GRID_ROWS = [
    ["Ward", "Applications", "Granted", "Refused"],
    ["North Ward", "12", "10", "2"],
    ["Riverside", "8", "8", "0"],
    ["Old Town", "15", "11", "4"],
]
RULED_ROWS = [
    ["Service", "Budget £m", "Forecast £m", "Variance £m"],
    ["Street Cleansing", "4.2", "4.6", "+0.4"],
    ["Parks and Open Spaces", "2.9", "2.7", "-0.2"],
    ["Licensing and Regulation", "1.1", "1.3", "+0.2"],
    ["Total", "8.2", "8.6", "+0.4"],
]


# --- fixtures: documents written by the tests ---------------------------------


def _minutes_pdf(
    footer: str = "Page {n} of {total}", title: str = "Licensing Sub-Committee Minutes"
) -> bytes:
    """Four pages: running header, page-number footer, superscripts, two tables."""
    styles = getSampleStyleSheet()
    body = styles["Normal"]
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, topMargin=90, bottomMargin=90, title=title)
    total = 4

    def furniture(cv: canvas.Canvas, _doc) -> None:
        n = cv.getPageNumber()
        cv.setFont("Helvetica", 8)
        cv.drawString(72, A4[1] - 40, HEADER)
        cv.drawCentredString(A4[0] / 2, 36, footer.format(n=n, total=total))

    story = [
        Paragraph("Minutes of the Licensing Sub-Committee", styles["Heading1"]),
        Paragraph(
            "Premises licence applications rose over the last 12 months<super>1</super> and the "
            "number of late-night refreshment licences has doubled since 2017<super>2</super> in the "
            "town centre. The Licensing Manager reported that enforcement visits had taken place in "
            "every ward and that the results would be shared with members.",
            body,
        ),
        Spacer(1, 12),
        Paragraph("RESOLVED: That the report be noted.", body),
        Spacer(1, 24),
        Paragraph("<super>1</super> Figures taken from the licensing register.", body),
        Paragraph("<super>2</super> The cumulative impact policy was adopted that year.", body),
        PageBreak(),
        Paragraph("Applications by ward", styles["Heading2"]),
        RLTable(GRID_ROWS, style=[("GRID", (0, 0), (-1, -1), 0.5, colors.black)]),
        Spacer(1, 12),
        Paragraph("The sub-committee considered the applications set out in the table above.", body),
        PageBreak(),
        Paragraph("Budget monitoring", styles["Heading2"]),
        RLTable(
            RULED_ROWS,
            colWidths=[170, 90, 90, 90],
            style=[
                ("LINEABOVE", (0, 0), (-1, 0), 0.5, colors.black),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.black),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
            ],
        ),
        Spacer(1, 12),
        Paragraph("Members noted the forecast overspend on street cleansing.", body),
        PageBreak(),
        Paragraph("Any other business", styles["Heading2"]),
        Paragraph("Action: the Licensing Manager to circulate the enforcement plan by 30 April 2024.", body),
    ]
    doc.build(story, onFirstPage=furniture, onLaterPages=furniture)
    return buf.getvalue()


def _scan_page(cv: canvas.Canvas) -> None:
    """A page that is only a picture of a document: grey bars where the lines of text were."""
    img = Image.new("RGB", (600, 850), "white")
    draw = ImageDraw.Draw(img)
    for y in range(80, 780, 24):
        draw.rectangle([60, y, 540, y + 10], fill=(60, 60, 60))
    cv.drawImage(ImageReader(img), 0, 0, width=A4[0], height=A4[1])
    cv.showPage()


def _text_page(cv: canvas.Canvas, n: int) -> None:
    cv.setFont("Helvetica", 11)
    for k in range(20):
        cv.drawString(
            72, 760 - 16 * k, f"Paragraph {k} of page {n}: the committee discussed the housing plan."
        )
    cv.showPage()


def _shapes_page(cv: canvas.Canvas) -> None:
    """Text converted to outlines: only vector shapes, no characters, no images."""
    for k in range(30):
        cv.rect(72, 760 - 20 * k, 300 + (k % 4) * 40, 8, stroke=0, fill=1)
    cv.showPage()


def _cover_page(cv: canvas.Canvas) -> None:
    """A photo cover with a short title: has text, is not a scan."""
    img = Image.new("RGB", (300, 300), (120, 160, 90))
    cv.drawImage(ImageReader(img), 50, 200, width=500, height=500)
    cv.setFont("Helvetica-Bold", 24)
    cv.drawString(72, 120, "Annual Report")
    cv.showPage()


def _canvas_pdf(pages: list[str], **meta: str) -> bytes:
    buf = io.BytesIO()
    cv = canvas.Canvas(buf, pagesize=A4)
    for key, value in meta.items():
        getattr(cv, f"set{key.capitalize()}")(value)
    for n, kind in enumerate(pages, start=1):
        if kind == "scan":
            _scan_page(cv)
        elif kind == "blank":
            cv.showPage()
        elif kind == "shapes":
            _shapes_page(cv)
        elif kind == "cover":
            _cover_page(cv)
        else:
            _text_page(cv, n)
    cv.save()
    return buf.getvalue()


@pytest.fixture(scope="module")
def minutes_pdf() -> bytes:
    return _minutes_pdf()


@pytest.fixture(scope="module")
def minutes(minutes_pdf):
    return parse_pdf(minutes_pdf)


# --- pages, furniture, superscripts ------------------------------------------


def test_pages_are_numbered_from_one_and_counted(minutes):
    assert minutes.status == STATUS_OK and minutes.error is None
    assert minutes.format == "pdf"
    assert minutes.page_count == 4
    assert [p.number for p in minutes.pages] == [1, 2, 3, 4]
    assert "Any other business" in minutes.pages[3].text
    assert "Applications by ward" in minutes.pages[1].text


@pytest.mark.parametrize("footer", ["Page {n} of {total}", "{n}", "- {n} -", "{n} of {total}", "Page {n}"])
def test_page_numbers_and_running_header_are_dropped(footer):
    doc = parse_pdf(_minutes_pdf(footer=footer))
    for page in doc.pages:
        for line in page.text.splitlines():
            assert not re.fullmatch(r"(?:Page )?-? ?\d ?-?(?: of 4)?", line.strip()), (footer, line)
    # the running header is kept once (it may be the only place naming the meeting), never repeated
    assert doc.text.count(HEADER) == 1
    assert all(HEADER not in p.text for p in doc.pages[1:])


@pytest.mark.parametrize(
    "expected, forbidden",
    [
        ("months¹", "months1"),  # marker after a word
        ("2017²", "20172"),  # marker after a year must never make a new number
        ("¹ Figures taken", "1 Figures taken"),  # the footnote's own marker
    ],
)
def test_footnote_markers_become_superscripts(minutes, expected, forbidden):
    text = minutes.text
    assert expected in text
    assert forbidden not in text


def test_superscript_does_not_break_the_line(minutes):
    line = next(ln for ln in minutes.pages[0].text.splitlines() if "months¹" in ln)
    assert not line.endswith("months¹"), line  # the sentence continues on the same line


def test_line_breaks_and_paragraph_gaps_are_kept(minutes):
    page = minutes.pages[0].text
    assert page.count("\n") >= 4
    assert "\n\nRESOLVED: That the report be noted." in page


# --- tables -------------------------------------------------------------------


def test_ruled_grid_becomes_rows_and_cells(minutes):
    tables = [t for t in minutes.tables if t.page == 2]
    assert len(tables) == 1
    assert tables[0].rows == GRID_ROWS
    assert tables[0].header_rows == 1


def test_table_ruled_by_rows_only_becomes_rows_and_cells(minutes):
    tables = [t for t in minutes.tables if t.page == 3]
    assert len(tables) == 1
    assert tables[0].rows == RULED_ROWS


def _rules_page(rows: list[list[str]], columns: list[float], header_rule: bool) -> bytes:
    """One page drawn by hand: rules as wide as the text block, a rule under each row."""
    buf = io.BytesIO()
    cv = canvas.Canvas(buf, pagesize=A4)
    cv.setFont("Helvetica", 10)
    left, right = 72, A4[0] - 72
    if header_rule:  # a page-header rule exactly as wide as the table's rules
        cv.drawString(left, 800, "Harrowfield Borough Council")
        cv.line(left, 795, right, 795)
    y = 770
    for k in range(6):
        cv.drawString(
            left, y, f"Paragraph line {k}: members discussed the quarterly budget position in detail."
        )
        y -= 14
    y -= 10
    cv.line(left, y, right, y)
    for row in rows:
        y -= 14
        for x, cell in zip(columns, row, strict=True):
            cv.drawString(x, y, cell)
        y -= 6
        cv.line(left, y, right, y)
    cv.save()
    return buf.getvalue()


@pytest.mark.parametrize(
    "rows, header_rows, header_rule",
    [
        (RULED_ROWS, 1, False),
        (RULED_ROWS, 1, True),  # a page-header rule as wide as the table is not a row
        (RULED_ROWS[1:], 0, False),  # no header row: the first row is figures
    ],
)
def test_rule_stack_table(rows, header_rows, header_rule):
    doc = parse_pdf(_rules_page(rows, [72, 260, 350, 440], header_rule))
    assert [(t.rows, t.header_rows) for t in doc.tables] == [(rows, header_rows)]
    assert "Paragraph line 3: members discussed the quarterly budget position in detail." in doc.text


def test_rules_between_two_columns_of_prose_are_not_a_table():
    buf = io.BytesIO()
    cv = canvas.Canvas(buf, pagesize=A4)
    cv.setFont("Helvetica", 10)
    for y in (780, 520, 260):
        cv.line(72, y, A4[0] - 72, y)
    for band_top in (770, 510):
        for k in range(14):
            cv.drawString(72, band_top - 14 * (k + 1), f"Left column sentence {k} on housing")
            cv.drawString(320, band_top - 14 * (k + 1), f"Right column sentence {k} on parks")
    cv.save()
    doc = parse_pdf(buf.getvalue())
    assert doc.tables == []
    assert "\t" not in doc.text


def test_table_indexes_run_through_the_document(minutes):
    assert [t.index for t in minutes.tables] == list(range(len(minutes.tables)))


@pytest.mark.parametrize("page, row", [(2, GRID_ROWS[1]), (3, RULED_ROWS[2]), (3, RULED_ROWS[0])])
def test_table_text_stays_searchable_as_tab_separated_rows(minutes, page, row):
    assert "\t".join(row) in minutes.pages[page - 1].text.splitlines()


def test_pages_without_rulings_have_no_tables(minutes):
    assert not [t for t in minutes.tables if t.page in (1, 4)]


# --- characters -----------------------------------------------------------------


def test_ligatures_nbsp_and_soft_hyphens_are_normalised():
    pdfmetrics.registerFont(TTFont("VeraTest", "Vera.ttf"))  # ships with reportlab, has the ligature glyphs
    buf = io.BytesIO()
    cv = canvas.Canvas(buf, pagesize=A4)
    cv.setFont("VeraTest", 11)
    cv.drawString(72, 700, "The \ufb01nal \ufb02oor plan went to com\u00admittee at\u00a010am.")
    cv.save()
    text = parse_pdf(buf.getvalue()).text
    assert text == "The final floor plan went to committee at 10am."


def test_two_columns_keep_reading_order():
    buf = io.BytesIO()
    cv = canvas.Canvas(buf, pagesize=A4)
    cv.setFont("Helvetica", 10)
    for k in range(6):
        cv.drawString(60, 700 - 14 * k, f"Left {k}: parking charges were reviewed")
    for k in range(6):
        cv.drawString(320, 700 - 14 * k, f"Right {k}: the library hours were agreed")
    cv.save()
    text = parse_pdf(buf.getvalue()).text
    assert text.index("Left 5") < text.index("Right 0")


def _rotated(data: bytes, rotation: int) -> bytes:
    """The same displayed page, stored with /Rotate and content turned to match."""
    width, height = PdfReader(io.BytesIO(data)).pages[0].mediabox.upper_right
    width, height = float(width), float(height)
    ctm, box = {
        90: ((0, 1, -1, 0, height, 0), [0, 0, height, width]),
        180: ((-1, 0, 0, -1, width, height), [0, 0, width, height]),
        270: ((0, -1, 1, 0, 0, width), [0, 0, height, width]),
    }[rotation]
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    for page in writer.pages:
        page.add_transformation(Transformation(ctm=ctm))
        page.mediabox = RectangleObject(box)
        page.cropbox = RectangleObject(box)
        page.rotate(rotation)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_rotated_landscape_page_keeps_tables_and_superscripts(rotation):
    styles = getSampleStyleSheet()
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=landscape(A4)).build(
        [
            Paragraph("Licences granted in 2017<super>3</super> by ward", styles["Normal"]),
            RLTable(GRID_ROWS, style=[("GRID", (0, 0), (-1, -1), 0.5, colors.black)]),
        ]
    )
    data = buf.getvalue() if rotation == 0 else _rotated(buf.getvalue(), rotation)
    doc = parse_pdf(data)
    assert doc.status == STATUS_OK
    assert [t.rows for t in doc.tables] == [GRID_ROWS]
    assert doc.text.splitlines()[0] == "Licences granted in 2017³ by ward"


def test_table_failure_keeps_text_and_says_so(minutes_pdf, monkeypatch):
    def broken(*_args, **_kwargs):
        raise ValueError("bad geometry")

    monkeypatch.setattr(pdf._PageReader, "_find_tables", broken)
    doc = parse_pdf(minutes_pdf)
    assert doc.status == STATUS_PARTIAL
    assert doc.tables == []
    assert "tables on pages 2-3 could not be read" in doc.error and "bad geometry" in doc.error
    assert "North Ward" in doc.pages[1].text


# --- status and errors -----------------------------------------------------------


def test_encrypted_pdf_needs_the_password(minutes_pdf):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(minutes_pdf)))
    writer.encrypt("s3cret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    data = out.getvalue()

    locked = parse_pdf(data)
    assert locked.status == STATUS_FAILED
    assert "encrypted" in locked.error and "--password" in locked.error
    wrong = parse_pdf(data, password="guess")
    assert wrong.status == STATUS_FAILED
    assert "incorrect" in wrong.error and "--password" in wrong.error
    opened = parse_pdf(data, password="s3cret")
    assert opened.status == STATUS_OK
    assert "months¹" in opened.text


@pytest.mark.parametrize("cut", [0.1, 0.5, 0.95])
def test_truncated_pdf_fails_with_a_clear_error(minutes_pdf, cut):
    doc = parse_pdf(minutes_pdf[: int(len(minutes_pdf) * cut)])
    assert doc.status == STATUS_FAILED
    assert doc.pages == []
    assert "damaged" in doc.error or "truncated" in doc.error


@pytest.mark.parametrize(
    "data, words",
    [
        (b"", "empty"),
        (b"<html><body>Not found</body></html>", "not a PDF"),
        (b"%PDF-1.7\n" + b"\x00\xff" * 200, "damaged"),
    ],
)
def test_bad_bytes_never_raise(data, words):
    doc = parse_pdf(data)
    assert doc.status == STATUS_FAILED
    assert words in doc.error


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 10**9), st.integers(0, 255)), min_size=1, max_size=40))
def test_corrupted_bytes_never_raise(minutes_pdf, flips):
    data = bytearray(minutes_pdf)
    for pos, value in flips:
        data[pos % len(data)] = value
    doc = parse_pdf(bytes(data))
    assert doc.status in STATUSES
    assert (doc.error is None) == (doc.status == STATUS_OK)


def test_pdf_with_no_pages_fails():
    out = io.BytesIO()
    PdfWriter().write(out)
    doc = parse_pdf(out.getvalue())
    assert doc.status == STATUS_FAILED
    assert doc.error == "PDF has no pages"
    assert doc.page_count == 0


def test_more_pages_than_the_limit_fails_naming_the_limit(minutes_pdf):
    doc = parse_pdf(minutes_pdf, max_pages=3)
    assert doc.status == STATUS_FAILED
    assert "limit of 3 pages" in doc.error and "4 pages" in doc.error
    assert parse_pdf(minutes_pdf, max_pages=4).status == STATUS_OK


@pytest.mark.parametrize(
    "pages, status",
    [
        (["scan", "scan", "scan"], STATUS_NEEDS_OCR),  # a scanned document
        (["text", "text", "text", "scan", "scan"], STATUS_PARTIAL),  # a scanned appendix
        (["text"] * 9 + ["scan"], STATUS_OK),  # one signed page scanned in a long paper
        (["text", "blank", "text"], STATUS_OK),  # blank pages are normal
        (["blank", "blank"], STATUS_FAILED),  # nothing on any page
        (["shapes", "shapes"], STATUS_NEEDS_OCR),  # text drawn as outlines
        (["cover", "text", "text"], STATUS_OK),  # a picture cover with a title is not a scan
    ],
)
def test_status_from_text_layer_and_images(pages, status):
    doc = parse_pdf(_canvas_pdf(pages))
    assert doc.status == status
    assert doc.page_count == len(pages)
    assert len(doc.pages) == len(pages)
    if status == STATUS_NEEDS_OCR:
        assert doc.error.startswith("no text layer: ")
        assert doc.error.endswith("; run OCR (e.g. ocrmypdf) and ingest the result")
        if "scan" in pages:
            assert (
                doc.error == "no text layer: scanned image PDF; run OCR (e.g. ocrmypdf) and ingest the result"
            )
    elif status == STATUS_PARTIAL:
        assert "pages 4-5" in doc.error and "OCR" in doc.error
    elif status == STATUS_FAILED:
        assert "blank" in doc.error
    else:
        assert doc.error is None


@pytest.mark.parametrize(
    "title, expected",
    [
        ("Licensing Sub-Committee Minutes", "Licensing Sub-Committee Minutes"),
        ("Microsoft Word - LSC minutes 14-03-24.docx", None),
        ("minutes_final_v2.doc", None),
        ("Agenda Template", None),
        ("Minutes", None),
        ("", None),
    ],
)
def test_metadata_title_only_when_meaningful(title, expected):
    assert parse_pdf(_canvas_pdf(["text"], title=title)).title == expected


def test_parse_bytes_dispatches_pdf(minutes_pdf):
    doc = parse_bytes(minutes_pdf, "minutes.pdf")
    assert doc.format == "pdf" and doc.page_count == 4


# --- the real PDFs in ../shared ------------------------------------------------------


@pytest.fixture(scope="module")
def shared_parsed():
    if not SHARED_FILES:
        pytest.skip(f"../shared not present: {SHARED_PDF}")
    out = {}
    for path in SHARED_FILES:
        data = path.read_bytes()
        start = time.perf_counter()
        doc = parse_pdf(data)
        out[path.name] = (doc, time.perf_counter() - start, len(PdfReader(io.BytesIO(data)).pages))
    return out


@pytest.mark.shared
@pytest.mark.parametrize("name", [p.name for p in SHARED_FILES] or ["(no shared PDFs)"])
def test_shared_pdf(shared_parsed, name):
    doc, _, pypdf_pages = shared_parsed[name]
    assert doc.status in STATUSES
    assert doc.page_count == pypdf_pages
    assert [p.number for p in doc.pages] == list(range(1, pypdf_pages + 1))
    if "scanned" in name:
        assert doc.status == STATUS_NEEDS_OCR
        assert "OCR" in doc.error
        return
    assert doc.status == STATUS_OK, doc.error
    assert len(doc.text) >= 250 * doc.page_count
    for page in doc.pages:
        for line in page.text.splitlines():
            assert not re.fullmatch(r"Page \d+ of \d+", line.strip()), (name, page.number, line)
            assert not re.search(r"\b(?:19|20)\d\d[¹²³⁴⁵⁶⁷⁸⁹]\d", line), (name, line)
    for table in doc.tables:
        assert table.page in range(1, doc.page_count + 1)
        assert len(table.rows) >= 2 and all(len(r) == len(table.rows[0]) >= 2 for r in table.rows)


_NUMBER = re.compile(r"^[+-]? ?[£$]?\d[\d,]*(?:\.\d+)?[%m]?$")


@pytest.mark.shared
def test_shared_finance_report_has_numeric_tables(shared_parsed):
    name = "uk_kent_finance_monitoring_report_q3_2024-25.pdf"
    if name not in shared_parsed:
        pytest.skip(f"{name} not in ../shared")
    doc = shared_parsed[name][0]
    numeric = []
    for table in doc.tables:
        cells = [c for row in table.rows[1:] for c in row[1:] if c]
        numbers = sum(bool(_NUMBER.match(c)) for c in cells)
        if len(table.rows) >= 3 and len(table.rows[0]) >= 4 and cells and numbers >= 0.5 * len(cells):
            numeric.append(table)
    assert len(numeric) >= 10
    for table in numeric:
        page_lines = doc.pages[table.page - 1].text.splitlines()
        assert "\t".join(table.rows[-1]) in page_lines


@pytest.mark.shared
def test_shared_superscript_footnote_marker(shared_parsed):
    name = "uk_kent_quarterly_performance_report_q3_2024-25.pdf"
    if name not in shared_parsed:
        pytest.skip(f"{name} not in ../shared")
    text = shared_parsed[name][0].text
    assert re.search(r"\d¹ \w", text)  # "N¹ word": marker kept, not glued into the number
    assert re.search(r"(?m)^¹ [A-Z]", text)  # the footnote itself


@pytest.mark.shared
def test_shared_throughput(shared_parsed):
    """The whole shared PDF set (scans excluded) parses well under 10 s."""
    timed = [
        (doc.page_count, secs) for name, (doc, secs, _) in shared_parsed.items() if "scanned" not in name
    ]
    pages = sum(p for p, _ in timed)
    seconds = sum(s for _, s in timed)
    print(f"\nPDF throughput: {pages} pages in {seconds:.2f} s = {pages / seconds:.0f} pages/s")
    assert seconds < 10
