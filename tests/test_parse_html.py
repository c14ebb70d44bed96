"""HTML parser: boilerplate removal, rendering, encodings, ModernGov structure.

Fixtures under tests/fixtures/html/ are fictional councils written for these
tests; the real WordPress page in ../shared is only read at run time.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from extract.parse import parse_bytes
from extract.parse.html import parse_html, parse_meeting_heading
from extract.records import AgendaItem, MeetingInfo, Table

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "html"
SHARED_HTML = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "html"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.split("\n") if ln.strip()]


@pytest.fixture(scope="module")
def agenda_and_minutes():
    return parse_html(fixture("northmere-cspb-2025-03-12-agenda-and-minutes.html"))


@pytest.fixture(scope="module")
def agenda_item():
    return parse_html(fixture("northmere-cspb-2025-03-12-agenda-item.html"))


# --------------------------------------------------------------------------
# ModernGov "Agenda and minutes" page
# --------------------------------------------------------------------------


def test_moderngov_minutes_page_header(agenda_and_minutes):
    doc = agenda_and_minutes
    assert (doc.format, doc.status, doc.error) == ("html", "ok", None)
    assert [p.number for p in doc.pages] == [None]
    assert doc.title == "Agenda and minutes - Community Safety Partnership Board - Wednesday, 12th March, 2025 10.00 am"
    assert doc.meeting == MeetingInfo(
        body="Community Safety Partnership Board",
        date="2025-03-12",
        start_time="10:00",
        venue="Committee Room 2, Northmere Civic Centre, Castle Street, Northmere NM1 2AB",
        title="Community Safety Partnership Board - Wednesday, 12th March, 2025 10.00 am",
        contact="Priya Halloran, Governance Officer, 01632 960418 Email: priya.halloran@northmere.gov.uk",
    )


def test_moderngov_minutes_page_items(agenda_and_minutes):
    items = agenda_and_minutes.items
    assert [(i.number, i.title) for i in items] == [
        ("1", "Welcome, Apologies for Absence and Minutes of the previous meeting"),
        ("2", "Declarations of Interest"),
        ("3", "Serious Violence Duty - progress report"),
        ("4", "Performance Dashboard - Quarter 3 2024/25"),
        ("5", "Any Other Business"),
        ("6", "Date of next meeting"),
    ]
    assert items[0].text == (
        "The Chair, Councillor Maureen Atherley, welcomed everyone to the meeting.\n\n"
        "Apologies for absence were received from Inspector Dale Whitcombe.\n\n"
        "RESOLVED – That the minutes of the meeting held on 15 January 2025 be approved as a correct record."
    )
    assert items[1].text == "There were no declarations of interest."
    # the "view the full minutes text" link is gone, the truncated sentence stays
    assert items[2].text.endswith("asked how the partnership would keep schools engaged …")
    assert "Residential burglary\t412\t367\t-10.9%" in items[3].text
    assert items[3].text.endswith("ward-level figures before the next meeting. (Action)")
    assert items[4].text == "None."


def test_moderngov_item_offsets_index_the_text(agenda_and_minutes):
    text = agenda_and_minutes.text
    previous_end = 0
    for item in agenda_and_minutes.items:
        assert item.start is not None and item.end is not None
        assert previous_end <= item.start < item.end <= len(text)
        span = text[item.start : item.end]
        assert span.startswith(f"{item.number}.\n")
        assert item.title in span
        assert item.text and item.text in span
        assert span.endswith(item.text)  # minutes are the last part of each item
        previous_end = item.end


@pytest.mark.parametrize(
    "noise",
    [
        "Skip to main content",  # skip link
        "We use cookies",  # cookie banner
        "Accept all cookies",
        "Bins and recycling",  # site menu
        "Search this site",  # search form
        "Committee structure",  # breadcrumb
        "Browse meetings",  # ModernGov action list
        "Attendance details",
        "View the decision for item 3",
        "view the full minutes text",
        "pdf icon",  # image alt text is not content
        "PDF 73 KB",  # file-size link labels
        "(PDF 401 KB)",
        "KB",
        "Additional documents",  # attachment lists and their labels
        "Action log January 2025",
        "Printed minutes 12th-Mar-2025",
        "Accessibility statement",  # footer
        "Please wait",  # script output
        "Menu</div>",  # script string containing markup
        "__VIEWSTATE",
        "mgToggle",
    ],
)
def test_moderngov_minutes_page_noise_removed(agenda_and_minutes, noise):
    assert noise not in agenda_and_minutes.text


def test_moderngov_minutes_page_renders_like_a_reader_sees_it(agenda_and_minutes):
    got = lines(agenda_and_minutes.text)
    assert got[:8] == [
        "Agenda and minutes",
        "Community Safety Partnership Board - Wednesday, 12th March, 2025 10.00 am",
        "Venue: Committee Room 2, Northmere Civic Centre, Castle Street, Northmere NM1 2AB",
        "Contact: Priya Halloran, Governance Officer, 01632 960418 Email: priya.halloran@northmere.gov.uk",
        "Items",
        "No.\tItem",
        "1.",
        "Welcome, Apologies for Absence and Minutes of the previous meeting",
    ]
    assert got.count("Minutes:") == 6


def test_moderngov_minutes_table_kept_as_rows(agenda_and_minutes):
    assert agenda_and_minutes.tables == [
        Table(
            page=None,
            index=0,
            rows=[
                ["Measure", "2023/24", "2024/25", "Change"],
                ["Residential burglary", "412", "367", "-10.9%"],
                ["Anti-social behaviour calls", "2,954", "2,611", "-11.6%"],
            ],
            header_rows=1,
        )
    ]


# --------------------------------------------------------------------------
# ModernGov "Agenda item" page (mgAi.aspx)
# --------------------------------------------------------------------------


def test_moderngov_agenda_item_page(agenda_item):
    doc = agenda_item
    assert doc.status == "ok"
    assert doc.title == "Agenda item - Update on the Community Safety Strategic Assessment 2024/25"
    assert (doc.meeting.body, doc.meeting.date, doc.meeting.venue) == (
        "Community Safety Partnership Board", "2025-03-12", None)
    assert len(doc.items) == 1
    item = doc.items[0]
    assert (item.number, item.title) == ("4", "Update on the Community Safety Strategic Assessment 2024/25")
    assert item.text.startswith("Tomasz Brennan, Community Safety Manager, presented the findings")
    assert item.text.endswith("should remain a priority for 2025/26.")
    assert "· Reports of fly-tipping had increased by 23%" in item.text
    assert "Relevant to all priorities" not in item.text  # the description is not the minutes
    assert doc.text[item.start :].startswith(item.title)
    assert item.text in doc.text[item.start : item.end]


@pytest.mark.parametrize(
    "noise", ["Skip to content", "Home", "News", "Issue history", "Supporting documents", "PDF 812 KB",
              "Appendix A data tables", "not content", "Terms", "Civic Centre, Castle Street"],
)
def test_moderngov_agenda_item_noise_removed(agenda_item, noise):
    assert noise not in agenda_item.text


def test_moderngov_agenda_item_keeps_description_lines(agenda_item):
    got = lines(agenda_item.text)
    assert got[:7] == [
        "Agenda item",
        "Update on the Community Safety Strategic Assessment 2024/25",
        "Meeting: 12/03/2025 - Community Safety Partnership Board (Item 4.)",
        "Relevant to all priorities of the Community Safety Plan 2023-2026",
        "Tomasz Brennan",
        "Community Safety Manager",
        "Northmere Borough Council",
    ]


# --------------------------------------------------------------------------
# Broken markup and encodings
# --------------------------------------------------------------------------


def test_broken_markup_page():
    doc = parse_html(fixture("broken-markup-licensing-minutes.html"))
    assert doc.status == "ok"
    assert doc.title == "Minutes - Licensing Sub-Committee - 4 February 2025"
    assert doc.meeting is None and doc.items is None  # not ModernGov: left to the segmenter
    got = lines(doc.text)
    assert got[0] == "Licensing Sub-Committee"
    expected_order = [
        "Present: Councillors Rafferty (Chair), Lund and Osei",
        "1. Apologies for absence",
        "There were no apologies.",
        "2. Application for a premises licence – The Old Granary, Mill Lane",
        "Activity\tHours applied for\tHours granted",
        "Sale of alcohol\t10:00 – 23:30\t10:00 – 23:00",
        "RESOLVED – That the licence be granted subject to the conditions set out in the report.",
        "3. Date of next meeting",
        "To be confirmed.",
    ]
    assert [ln for ln in got if ln in expected_order] == expected_order
    for noise in ("INJECTED", "HIDDEN", "Map of Mill Lane", "About us", "Privacy", "\u200b", "</title>"):
        assert noise not in doc.text
    assert "received from local residents." in doc.text  # zero-width space removed, text kept


def test_undeclared_cp1252_page():
    doc = parse_html(fixture("cp1252-undeclared-parish-minutes.html"))
    assert doc.status == "ok"
    assert doc.title == "Minutes – Harbourside Parish Council – 9 October 2024"
    for expected in ("24/81 Clerk’s report", "the “Harbour Lights” event had raised £1,250", "Councillor Müller",
                     "café garden", "£3,418.60 were approved … the precept", "at 7.30 pm"):
        assert expected in doc.text
    assert "\ufffd" not in doc.text and "\u00a0" not in doc.text


SENTENCE = "Councillor O’Neill said the “Safer Streets” fund – £25,000 – was café-led."


@pytest.mark.parametrize(
    "data",
    [
        # charset declared in meta, cp1252 bytes
        b'<html><head><meta charset="windows-1252"></head><body><p>' + SENTENCE.encode("cp1252") + b"</p></body></html>",
        # latin-1 declared but Windows quotes used: read as cp1252, as browsers do
        b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1"></head><body><p>'
        + SENTENCE.encode("cp1252") + b"</p></body></html>",
        # utf-8 declared but the bytes are cp1252
        b'<html><head><meta charset="utf-8"></head><body><p>' + SENTENCE.encode("cp1252") + b"</p></body></html>",
        # undeclared utf-8
        b"<html><body><p>" + SENTENCE.encode("utf-8") + b"</p></body></html>",
        # utf-8 with BOM
        b"\xef\xbb\xbf<html><body><p>" + SENTENCE.encode("utf-8") + b"</p></body></html>",
        # utf-16 with BOM, meta claims utf-8
        ('<html><head><meta charset="utf-8"></head><body><p>' + SENTENCE + "</p></body></html>").encode("utf-16"),
        # XML declaration
        b'<?xml version="1.0" encoding="windows-1252"?><html><body><p>' + SENTENCE.encode("cp1252") + b"</p></body></html>",
    ],
    ids=["meta-cp1252", "meta-latin1", "meta-utf8-wrong", "utf8", "utf8-bom", "utf16-bom", "xml-decl"],
)
def test_encodings(data):
    doc = parse_html(data)
    assert doc.status == "ok"
    assert doc.text == SENTENCE


@pytest.mark.parametrize(
    "markup, expected",
    [
        ("<p>a</p><p>b</p>", "a\n\nb"),  # paragraphs: blank line between
        ("<div>a</div><div>b</div>", "a\nb"),  # divs: own lines
        ("<p>first line<br>second line</p>", "first line\nsecond line"),
        ("<ul><li>one</li><li>two</li></ul><p>after</p>", "one\ntwo\n\nafter"),
        ("<table><tr><th>Ward</th><th>Offences</th></tr><tr><td>Castle</td><td>1,204</td></tr></table>",
         "Ward\tOffences\nCastle\t1,204"),
        ("<table><tr><td>Item</td><td><p>Para one</p><p>Para two</p></td></tr></table>", "Item\n\nPara one\n\nPara two"),
        ("<p>Coun<b>cil</b>lor <i>Brown</i>  said</p>", "Councillor Brown said"),  # inline tags join words
        ("<p>  lots   of\n   space&nbsp;&nbsp;here </p>", "lots of space here"),
        ("<p>zero&#8203;width and soft&shy;hyphen</p>", "zerowidth and softhyphen"),
        ("<h2>Heading</h2>Loose text", "Heading\n\nLoose text"),
        ("<pre>col1  col2\nrow   two</pre>", "col1 col2\nrow two"),
        ("<p>Report (PDF 401 KB) and appendix <a href='a.pdf'>Appendix B <span>PDF</span> 12 KB</a>.</p>",
         "Report and appendix Appendix B."),
        ("<p>The PDF version will follow.</p>", "The PDF version will follow."),  # a bare "PDF" is content
    ],
)
def test_rendering(markup, expected):
    assert parse_html(f"<html><body>{markup}</body></html>".encode()).text == expected


@pytest.mark.parametrize(
    "markup, kept, dropped",
    [
        # an unclosed <nav> swallowing the page must not take the content with it
        ("<nav><ul><li><a href='/'>Home</a></li></ul><h1>Minutes</h1><p>" + "The committee met. " * 20,
         "The committee met.", None),
        # an article's own <header> holds its title
        ("<header><a href='/'>Site home</a></header><article><header><h1>Minutes of Cabinet</h1></header>"
         "<p>Cabinet approved the budget.</p></article>", "Minutes of Cabinet", "Site home"),
        # <main> wins over sidebars and menus without semantic tags
        ("<div class='links'><a href='/a'>Apply</a> <a href='/b'>Pay</a> <a href='/c'>Report</a></div>"
         "<main><p>The panel noted the report.</p></main><div class='widget'>Latest news headline</div>",
         "The panel noted the report.", "Latest news headline"),
        ("<div id='cookie-consent'><p>This site uses cookies.</p></div><p>Item 1. Apologies were noted.</p>",
         "Apologies were noted.", "uses cookies"),
        ("<p>Kept</p><p hidden>Hidden attribute</p><p aria-hidden='true'>Aria hidden</p>"
         "<span class='sr-only'>Screen reader only</span>", "Kept", "hidden"),
        ("<p>Visible</p><script>document.write('</div><p>leak</p>')</script><style>p{}</style>"
         "<noscript><p>Enable JavaScript</p></noscript><iframe src='x'><p>frame text</p></iframe>", "Visible", "leak"),
        ("<p>Visible</p><script>var s = '</script-not><p>leak2</p>';</script>", "Visible", "leak2"),
    ],
)
def test_furniture_removal(markup, kept, dropped):
    doc = parse_html(f"<html><body>{markup}</body></html>".encode())
    assert doc.status == "ok"
    assert kept in doc.text
    if dropped:
        assert dropped.lower() not in doc.text.lower()


@pytest.mark.parametrize(
    "data, error",
    [
        (b"", "document has no text"),
        (b"   \n\t ", "document has no text"),
        (b"<html><head><title>Empty</title><script>var a='</div>';</script></head><body> </body></html>",
         "HTML page has no visible text"),
        (b"<html><body><nav><a href='/'>Home</a></nav><!-- <p>comment</p> --></body></html>",
         "HTML page has no visible text"),
    ],
)
def test_pages_without_text_fail_with_reason(data, error):
    doc = parse_html(data)
    assert (doc.format, doc.status, doc.error, doc.pages) == ("html", "failed", error, [])


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 50,  # binary junk
        b"<" * 10000,
        b"<html><body><table><tr><td><table><tr><td>" * 300,  # unclosed nested tables
        b"<p>" + "\u00e9".encode("utf-8")[:1] + b" truncated multibyte</p>",
        b"<div class='mgAiTitleTxt'><tr><td class='mgItemNumberCell'>1.</td></div><p class=mgSubItemTitleTxt>Minutes:",
    ],
    ids=["binary", "angle-brackets", "nested-tables", "bad-utf8", "broken-moderngov"],
)
def test_never_raises(data):
    doc = parse_html(data)
    assert doc.format == "html"
    assert doc.status in ("ok", "failed")
    assert (doc.status == "failed") == bool(doc.error)


def test_deep_nesting_is_linear():
    # 3000 unclosed <div><span> pairs: a per-element subtree search would be quadratic
    data = ("<html><body>" + "<div><span>word " * 3000 + "</body></html>").encode()
    started = time.perf_counter()
    doc = parse_html(data)
    assert doc.status == "ok" and doc.text.count("word") == 3000
    assert time.perf_counter() - started < 10


def test_large_page():
    para = "<p>The Board noted that residential burglary had fallen by 12% across the borough.</p>\n"
    data = ("<html><body><div id='content'>" + para * 12000 + "</div></body></html>").encode()
    assert len(data) > 1_000_000
    doc = parse_html(data)
    assert doc.status == "ok"
    assert doc.text.count("residential burglary") == 12000


def test_parse_bytes_dispatches_html():
    doc = parse_bytes(fixture("northmere-cspb-2025-03-12-agenda-item.html"), "item.html")
    assert doc.format == "html" and doc.items and doc.items[0].number == "4"


# --------------------------------------------------------------------------
# Meeting headings
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "heading, body, date, start",
    [
        ("Agenda and minutes - Safer Communities Partnership Board - Thursday, 5th November, 2015 2.00 pm",
         "Safer Communities Partnership Board", "2015-11-05", "14:00"),
        ("Agenda for Cabinet on Tuesday, 14th January, 2020, 7.00 pm", "Cabinet", "2020-01-14", "19:00"),
        ("Meeting: 17/10/2018 - Health and Wellbeing Board (Item 47)", "Health and Wellbeing Board", "2018-10-17",
         None),
        ("Draft minutes - Audit Committee - Monday, 1st July, 2024 6.30 pm", "Audit Committee", "2024-07-01",
         "18:30"),
        ("CANCELLED - Planning Committee - Wednesday, 4th February, 2026 6.30 pm", "Planning Committee",
         "2026-02-04", "18:30"),
        ("Full Council - 27 th October 2017 7pm", "Full Council", "2017-10-27", "19:00"),
        ("Agenda item", None, None, None),
    ],
)
def test_parse_meeting_heading(heading, body, date, start):
    info = parse_meeting_heading(heading)
    assert (info.body, info.date, info.start_time) == (body, date, start)


def test_moderngov_item_rows_without_number_cell_class():
    markup = """<html><body><h2 class="mgSubTitleTxt">Planning Committee - Tuesday, 8th April, 2025 6.00 pm</h2>
    <table id="mgItemTable" class="mgItemTable">
      <tr><td><p class="mgAiTitleTxt">5.</p></td>
          <td><p class="mgAiTitleTxt"><a class="mgAiTitleLnk" href="r.pdf">24/00812/FUL Land at Mill Road PDF 896 KB</a></p>
          <p class="mgSubItemTitleTxt">Minutes:</p><div class="mgWordPara"><p>The application was refused.</p></div></td></tr>
      <tr><td><p>Note</p></td><td><p>Not an item row</p></td></tr>
    </table></body></html>"""
    doc = parse_html(markup.encode())
    assert [(i.number, i.title, i.text) for i in doc.items] == [
        ("5", "24/00812/FUL Land at Mill Road", "The application was refused.")]
    assert (doc.meeting.body, doc.meeting.date, doc.meeting.start_time) == ("Planning Committee", "2025-04-08", "18:00")


def test_moderngov_without_minutes_gives_agenda_items():
    markup = """<html><head><title>Agenda for Licensing Committee on Monday, 3rd March, 2025, 6.30 pm</title></head>
    <body><h1 class="mgMainTitleTxt">Agenda</h1>
    <h2 class="mgSubTitleTxt">Licensing Committee - Monday, 3rd March, 2025 6.30 pm</h2>
    <p><span class="mgLabel">Venue:</span> Council Chamber</p>
    <table class="mgItemTable"><tr><th>No.</th><th>Item</th></tr>
    <tr><td class="mgItemNumberCell"><p class="mgAiTitleTxt">1.</p></td>
        <td><p class="mgAiTitleTxt"><a class="mgAiTitleLnk" href="s1.pdf">Apologies <span>PDF 10 KB</span></a></p></td></tr>
    <tr><td class="mgItemNumberCell"><p class="mgAiTitleTxt">2a</p></td>
        <td><p class="mgAiTitleTxt"><a class="mgAiTitleLnk" href="s2.pdf">Street trading policy</a></p>
        <div class="mgWordPara"><p>To consider the draft policy.</p></div></td></tr>
    </table></body></html>"""
    doc = parse_html(markup.encode())
    assert (doc.meeting.body, doc.meeting.date, doc.meeting.start_time, doc.meeting.venue) == (
        "Licensing Committee", "2025-03-03", "18:30", "Council Chamber")
    assert [(i.number, i.title, i.text) for i in doc.items] == [
        ("1", "Apologies", ""), ("2a", "Street trading policy", "")]
    assert isinstance(doc.items[0], AgendaItem)
    assert "To consider the draft policy." in doc.text


# --------------------------------------------------------------------------
# The real HTML page in ../shared (read at run time, never copied)
# --------------------------------------------------------------------------


def shared_pages() -> list[Path]:
    if not SHARED_HTML.is_dir():
        pytest.skip(f"../shared not present: {SHARED_HTML.resolve()} holds the real HTML corpus")
    return sorted(SHARED_HTML.glob("*.html"))


def test_shared_wordpress_agenda_page():
    pages = [p for p in shared_pages() if p.name.startswith("us_cook_county")]
    if not pages:
        pytest.skip("../shared not present: the Cook County agenda page is missing")
    doc = parse_html(pages[0].read_bytes())
    assert doc.status == "ok"
    assert doc.title == "CCLBA Land Transactions Committee"
    assert doc.meeting is None and doc.items is None
    got = lines(doc.text)
    agenda = ["1. Call to Order and Roll Call", "3. Transaction Report", "Acquisitions", "Demolitions",
              "4. Washington Park National Bank Building Discussion", "5. Consent Agenda",
              "Approval of June 14th, 2019 Cook County Land Bank Land Transactions Committee meeting minutes",
              "6. Report of Committee Chair", "7. Adjournment"]
    assert [ln for ln in got if ln in agenda] == agenda
    assert any(ln.startswith("2. Public Speakers") for ln in got)
    assert "The Land Transactions Committee will convene on Friday, September 13th" in doc.text
    # navigation, sidebar widgets, footer and social links are gone
    for noise in ("Apply/Buy Property", "Board of Directors", "Job Postings", "Homebuyer Direct Program",
                  "Skip to content", "Recent Posts", "Recent Tweets", "The mission of the CCLBA", "Facebook",
                  "Twitter", "GoogleCal", "@CCLBA"):
        assert noise not in doc.text, noise


def test_shared_html_pages_parse():
    for path in shared_pages():
        doc = parse_html(path.read_bytes())
        assert doc.status == "ok", (path.name, doc.error)
        assert len(doc.text) > 200
