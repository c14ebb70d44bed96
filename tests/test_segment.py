"""Segmenter on fictional documents, one per pattern family (extract.segment).

Every fixture here is invented council text written for these tests.
"""

from __future__ import annotations

import time

import pytest

from extract.records import AgendaItem, MeetingInfo, Page, ParsedDocument, Segmentation
from extract.segment import segment
from extract.segment.bodies import find_bodies


def text_doc(text: str, *, title: str | None = None) -> ParsedDocument:
    return ParsedDocument(format="text", pages=[Page(None, text)], title=title)


def pdf_doc(*pages: str) -> ParsedDocument:
    return ParsedDocument(format="pdf", pages=[Page(i + 1, p) for i, p in enumerate(pages)], page_count=len(pages))


# --- ModernGov text rendering ------------------------------------------------------------

MODERNGOV = """Agenda and minutes

Venue: Committee Room 2, Ashbury Civic Centre, High Street, Ashbury AB1 2CD

Contact: Joanna Pike, 01632 960123 Email: joanna.pike@ashbury.example

Items
No. Item

1.

Apologies for Absence and Minutes of the last meeting pdf icon PDF 61 KB

Additional documents:

Minutes:

The Chairman of the Ashbury Community Safety Board, Councillor Maria Lowe, welcomed everyone.

RESOLVED - That the minutes of the meeting held on 3 March be approved.

2.

Anti-social Behaviour Update

Minutes:

Mr Okafor explained what the Board needed from partners:

1.    Quarterly data from every partner so that the dashboard presented to this Board is complete and up to date.

2.    A named lead officer for each of the priorities agreed by the Board last year at its annual review.

3.    Partners should share the results of their own surveys with the community safety team before the next meeting.

The Board AGREED the approach. Mr Okafor would circulate the template (Action).

3.

Any Other Business

Minutes:

There was none. The Health and Wellbeing Board will receive the annual report.
"""


def test_moderngov_page() -> None:
    seg = segment(text_doc(MODERNGOV), "ashbury-csb-minutes.txt")
    assert seg.kind == "minutes"
    assert seg.title == "Agenda and minutes: Ashbury Community Safety Board"
    assert seg.meeting == MeetingInfo(
        body="Ashbury Community Safety Board",
        venue="Committee Room 2, Ashbury Civic Centre, High Street, Ashbury AB1 2CD",
        contact="Joanna Pike",
    )
    assert [(i.number, i.title) for i in seg.items] == [
        ("1", "Apologies for Absence and Minutes of the last meeting"),  # attachment link removed
        ("2", "Anti-social Behaviour Update"),
        ("3", "Any Other Business"),
    ]
    # The numbered list inside item 2 stays inside item 2's minutes.
    assert "1.    Quarterly data from every partner" in seg.items[1].text
    assert seg.items[0].text.startswith("The Chairman of the Ashbury")
    assert "Additional documents" not in seg.items[0].text


def test_item_offsets_point_into_doc_text() -> None:
    doc = text_doc(MODERNGOV.replace("\n", "\r\n"))  # CRLF input: offsets must still be exact
    seg = segment(doc)
    text = doc.text
    for item, nxt in zip(seg.items, seg.items[1:] + [None], strict=True):
        assert item.start is not None and item.end is not None
        assert text[item.start : item.end].lstrip().startswith(item.number + ".")
        if nxt is not None:
            assert item.end <= nxt.start
    assert text[seg.items[1].start : seg.items[1].end].count("Anti-social Behaviour Update") == 1


AGENDA_ITEM_PAGE = """Agenda item

Review of the Night-Time Economy Pilot

Relevant to the Safer Streets priority of the Community Safety Strategy

Minutes:

Ms Dunmore presented the review. Inspector Hale said patrols had been extended. Action: Inspector Hale

Supporting documents:
"""


def test_moderngov_single_item_page() -> None:
    seg = segment(text_doc(AGENDA_ITEM_PAGE))
    assert seg.kind == "minutes"
    assert [(i.number, i.title) for i in seg.items] == [("", "Review of the Night-Time Economy Pilot")]
    assert seg.items[0].text.startswith("Ms Dunmore presented the review.")
    assert "Supporting documents" not in seg.items[0].text
    assert seg.title == "Agenda item: Review of the Night-Time Economy Pilot"
    assert seg.meeting is None  # no body or date is given on such a page


# --- report cover sheet --------------------------------------------------------------------

REPORT = """\t\tITEM _
Report Name:\tHousing Allocations Review\t
Meeting:\tHousing and Growth Committee\t
Meeting Date:\t3 rd March 2021\t
Report Author:\tJane Doe 12 th February 2021\t
Outcome Required:\tDecision Required: X\t

Summary

This report sets out the findings of the review of the housing allocations scheme.

Recommendations

1. That the Housing and Growth Committee note the findings of the review set out in this report.
2. That the Housing and Growth Committee agree the revised allocations policy in Appendix A.

Introduction

1.1.1 The allocations scheme was last reviewed in 2016 and demand has risen since then.
1.1.2 The review considered waiting times, banding and the number of bids per property.
"""


def test_report_cover_sheet() -> None:
    seg = segment(text_doc(REPORT), "housing-report.txt")
    assert seg.kind == "report"
    assert seg.title == "Housing Allocations Review"
    assert seg.meeting is not None
    assert seg.meeting.body == "Housing and Growth Committee"
    assert seg.meeting.date == "2021-03-03"  # not the author's date
    assert seg.items == []  # recommendations and paragraph numbers are not agenda items


def test_author_date_is_never_the_meeting_date() -> None:
    text = REPORT.replace("Meeting Date:\t3 rd March 2021\t\n", "")
    seg = segment(text_doc(text))
    assert seg.meeting is not None and seg.meeting.date is None


# --- meeting summary --------------------------------------------------------------------------

SUMMARY = """Subscribe to updates

You'll receive weekly summaries about Ashbury Council every week.

Ashbury Planning Committee - Tuesday 4th June, 2024 7.00 pm

June 4, 2024 View on council website  Watch video of meeting
AI Generated

Summary

The Ashbury Planning Committee approved two applications and deferred a third. Councillor Reed, Chair of the Ashbury Planning Committee, thanked officers.
"""


def test_meeting_summary() -> None:
    seg = segment(text_doc(SUMMARY))
    assert seg.kind == "summary"
    assert seg.meeting is not None
    assert (seg.meeting.body, seg.meeting.date, seg.meeting.start_time) == (
        "Ashbury Planning Committee",
        "2024-06-04",
        "19:00",
    )
    assert seg.title == "Meeting summary: Ashbury Planning Committee, 4 June 2024"


# --- printed minutes with "(Item N)" markers -----------------------------------------------------

PRINTED_MINUTES_P1 = """1
WESTSHIRE COUNTY COUNCIL
CABINET
MINUTES of a meeting of the Cabinet held in the Council Chamber, County Hall,
Westbridge on Thursday, 6 February 2025.
PRESENT: Mr A Bell (Chairman), Mrs C Dunn, Mr E Frost
UNRESTRICTED ITEMS
12. Apologies
(Item 1)
Apologies were received from Mr G Hart.
13. Minutes of the Meeting held on 9 January 2025
(Item 2)
RESOLVED that the minutes of the meeting on 9 January 2025 were a correct record.
14. 25/00012 - Highways Maintenance Programme 2025-26 and Winter Service
Plan
(Item 3)
1. Mr Frost, Cabinet Member for Highways, introduced the report and
explained the changes to the gritting routes.
2. RESOLVED that Cabinet agree the programme."""

PRINTED_MINUTES_P2 = """2
15. Cabinet Member Updates
(Item 4)
1. Mrs Dunn provided an update on the following:
(a) The Youth Council elections had seen a record turnout."""


def test_printed_minutes_with_item_markers() -> None:
    seg = segment(pdf_doc(PRINTED_MINUTES_P1, PRINTED_MINUTES_P2), "cabinet.pdf")
    assert seg.kind == "minutes"
    assert seg.meeting is not None
    assert seg.meeting.body == "Cabinet"
    assert seg.meeting.date == "2025-02-06"  # not 9 January, the previous meeting
    assert seg.meeting.venue == "Council Chamber, County Hall, Westbridge"
    assert [(i.number, i.title) for i in seg.items] == [
        ("12", "Apologies"),
        ("13", "Minutes of the Meeting held on 9 January 2025"),
        ("14", "25/00012 - Highways Maintenance Programme 2025-26 and Winter Service Plan"),
        ("15", "Cabinet Member Updates"),
    ]
    assert seg.items[2].text.startswith("1. Mr Frost, Cabinet Member for Highways")
    assert seg.title == "Minutes: Cabinet, 6 February 2025"


UNNUMBERED_MARKERS = """ADULT SOCIAL CARE PANEL – 3rd March 2024
MINUTES of the meeting held in the Oak Room, Civic Offices, Northtown.
PRESENT: Sam Price (Chair), Lee Ward (Vice-Chair), Kim Ross
Apologies and Substitutes
(Item 1)
Apologies were received from Pat Green.
Chair's Announcements
(Item 2)
1. The Chair thanked officers for the winter campaign.
2. RESOLVED that the announcements be noted.
Day Services Review
(Item 3)
RESOLVED that the review be noted."""


def test_unnumbered_item_markers() -> None:
    seg = segment(pdf_doc(UNNUMBERED_MARKERS))
    assert seg.meeting is not None
    assert (seg.meeting.body, seg.meeting.date) == ("Adult Social Care Panel", "2024-03-03")
    assert seg.meeting.venue == "Oak Room, Civic Offices, Northtown"
    assert [(i.number, i.title) for i in seg.items] == [
        ("1", "Apologies and Substitutes"),
        ("2", "Chair's Announcements"),
        ("3", "Day Services Review"),
    ]


# --- US minutes with ALL-CAPS numbered headings ----------------------------------------------------

US_MINUTES = """Planning Commission March 9, 2021 Minutes Page 1 of 2
CITY OF RIVERTON
PLANNING COMMISSION
REGULAR MEETING MINUTES
March 9, 2021, 6:30 p.m.
City Hall Council Chamber
1. CALL TO ORDER AND ROLL CALL
The meeting was called to order by Chair Dana Ortiz at 6:32 p.m.
2. APPROVAL OF MINUTES
1. February 8, 2021 Planning Commission Minutes
RESULT: APPROVED [UNANIMOUS]
3. PUBLIC HEARINGS
1. 12 Oak Street Variance
Staff presented the request. The Commission approved the variance.
2. Downtown Parking Study
The item was continued to April.
4. ADJOURNMENT
The meeting was adjourned at 8:01 p.m."""


def test_us_minutes_caps_headings() -> None:
    seg = segment(pdf_doc(US_MINUTES))
    assert seg.kind == "minutes"
    assert seg.meeting is not None
    assert (seg.meeting.body, seg.meeting.date, seg.meeting.start_time) == (
        "Planning Commission",
        "2021-03-09",
        "18:30",
    )
    # The sub-lists (1. February 8 ..., 1. 12 Oak Street ...) stay inside their items.
    assert [(i.number, i.title) for i in seg.items] == [
        ("1", "CALL TO ORDER AND ROLL CALL"),
        ("2", "APPROVAL OF MINUTES"),
        ("3", "PUBLIC HEARINGS"),
        ("4", "ADJOURNMENT"),
    ]
    assert "Downtown Parking Study" in seg.items[2].text


# --- agenda front sheet ------------------------------------------------------------------------------

AGENDA = """AGENDA
HEALTH AND WELLBEING BOARD
Wednesday, 12th March, 2025, at 2.00 pm Ask for: Tom Baker
Council Chamber, Town Hall
Telephone: 01632 960555
UNRESTRICTED ITEMS
1. Apologies
2. Declarations of Interest
3. Minutes of the Meeting held on 15th January 2025 (Pages 1 - 8)
4. Better Care Fund Plan 2025-26 (Pages 9 - 40)
5. Joint Health and Wellbeing Strategy Refresh and
the Delivery Plan for 2025-26 (Pages 41 - 80)

Published: Tuesday, 4 March 2025"""


def test_agenda_front_sheet() -> None:
    seg = segment(pdf_doc(AGENDA), "hwb-agenda-frontsheet.pdf")
    assert seg.kind == "agenda"
    assert seg.meeting is not None
    assert (seg.meeting.body, seg.meeting.date, seg.meeting.start_time, seg.meeting.contact) == (
        "Health and Wellbeing Board",
        "2025-03-12",  # not the minutes' 15 January, not the publication date
        "14:00",
        "Tom Baker",
    )
    assert [i.title for i in seg.items] == [
        "Apologies",
        "Declarations of Interest",
        "Minutes of the Meeting held on 15th January 2025",
        "Better Care Fund Plan 2025-26",
        "Joint Health and Wellbeing Strategy Refresh and the Delivery Plan for 2025-26",
    ]
    assert all(i.text == "" for i in seg.items)  # an agenda list carries no minutes
    assert seg.title == "Agenda: Health and Wellbeing Board, 12 March 2025"


REVISED_AGENDA = """REVISED
4/23/19
RIVER COUNTY BOARD OF HEALTH
AGENDA – April 24, 2019
1. Call to Order.
2. Roll Call.
3. Approval of the Minutes of the Regular Board Meeting – March 27, 2019.
4. Public Comments (three minute maximum).
5. Motion to adjourn the meeting."""


def test_revision_date_is_not_the_meeting_date() -> None:
    seg = segment(pdf_doc(REVISED_AGENDA))
    assert seg.kind == "agenda"
    assert seg.meeting is not None
    assert (seg.meeting.body, seg.meeting.date) == ("River County Board of Health", "2019-04-24")
    assert [i.number for i in seg.items] == ["1", "2", "3", "4", "5"]


PACK_HEADER = """Northtown Council
Licensing Committee
A meeting of the Licensing Committee will be held:
Date: 14 May 2012
Time: 19:00
Venue: Room 5, Northtown Town Hall
High Street, Northtown NT1 1AA

Licensing Committee
14 May 2012
1. Declarations of interest 1
2. Minutes of the previous meeting 3
3. Street trading policy 9
4. Work programme 21
"""

PACK_OLD_MINUTES = """LICENSING COMMITTEE
2 APRIL 2012
PRESENT: Councillors Ann Lee (Chair), Bob Marsh
1 DECLARATIONS OF INTEREST
None were made.
2 MINUTES OF THE MEETING HELD ON 5 MARCH 2012 (Agenda item 2)
RESOLVED: That the minutes be agreed as a correct record.
3 TAXI FARES REVIEW (Agenda item 3)
RESOLVED: That the review be noted.
"""


def test_agenda_pack_uses_its_own_agenda_list() -> None:
    seg = segment(pdf_doc(PACK_HEADER, PACK_OLD_MINUTES), "licensing-agenda-pack.pdf")
    assert seg.kind == "agenda"
    assert seg.meeting is not None
    assert (seg.meeting.body, seg.meeting.date, seg.meeting.start_time) == (
        "Licensing Committee",
        "2012-05-14",
        "19:00",
    )
    assert seg.meeting.venue == "Room 5, Northtown Town Hall, High Street, Northtown NT1 1AA"
    # The page-number column is dropped; the old minutes' items are not this meeting's.
    assert [i.title for i in seg.items] == [
        "Declarations of interest",
        "Minutes of the previous meeting",
        "Street trading policy",
        "Work programme",
    ]


# --- more printed-minutes layouts, whole-record checks ----------------------------------------------

UK_SENTENCE = """Northshire District Council

Minutes of the meeting of the Overview and Scrutiny Committee held on Tuesday 5 March 2024 at 7.00 pm in the Council Chamber, Town Hall, Northby

Present: Councillors A Smith (Chair), B Jones, C Patel

Item 1 – Apologies for Absence
Apologies were received from Councillor D Evans.

Item 2 – Declarations of Interest
None.

Item 3 – Leisure Centre Contract Review
The Committee considered the report of the Head of Leisure. Members asked about usage figures.
RESOLVED: That the report be noted.

Item 4 – Work Programme
The work programme was agreed.
"""

US_REGULAR = """CITY OF OAKDALE
Regular Meeting of the Planning Commission
Monday, January 27, 2020 at 7:00 PM
Council Chambers, 100 Main Street

MINUTES

1.\tCALL TO ORDER
Chair Lee called the meeting to order at 7:02 PM.
2.\tPLEDGE OF ALLEGIANCE
3.\tROLL CALL
Present: Commissioners Lee, Ford, Diaz
4.\tCONSENT CALENDAR
a. Minutes of January 13, 2020
Motion by Ford, seconded by Diaz. Motion carried 3-0.
5.\tADJOURNMENT
The meeting adjourned at 8:15 PM.
"""

CAPS_HEADING = """SOUTH VALE COUNCIL
AUDIT AND GOVERNANCE COMMITTEE
MINUTES OF THE MEETING HELD ON 14 NOVEMBER 2023

PRESENT: Cllr Moss (Chair), Cllr Hale

1\tAPOLOGIES FOR ABSENCE
Apologies were received from Cllr Reed.

2\tMINUTES
The minutes of the meeting held on 12 September 2023 were approved as a correct record.

3\tINTERNAL AUDIT PROGRESS REPORT
The Head of Internal Audit presented the report. RESOLVED that the report be noted.
"""


@pytest.mark.parametrize(
    ("text", "meeting", "items"),
    [
        # "Item N – Title" headings; body, date, time and venue from one opening sentence
        (
            UK_SENTENCE,
            MeetingInfo(
                body="Overview and Scrutiny Committee",
                date="2024-03-05",
                start_time="19:00",
                venue="Council Chamber, Town Hall, Northby",
                title="Overview and Scrutiny Committee – 5 March 2024",
            ),
            ["Apologies for Absence", "Declarations of Interest", "Leisure Centre Contract Review", "Work Programme"],
        ),
        # US layout: month-first date, venue on the line under it, "a." sub-item inside item 4
        (
            US_REGULAR,
            MeetingInfo(
                body="Planning Commission",
                date="2020-01-27",
                start_time="19:00",
                venue="Council Chambers, 100 Main Street",
                title="Planning Commission – 27 January 2020",
            ),
            ["CALL TO ORDER", "PLEDGE OF ALLEGIANCE", "ROLL CALL", "CONSENT CALENDAR", "ADJOURNMENT"],
        ),
        # the heading "MINUTES OF THE MEETING HELD ON <date>" gives this meeting's date, item 2's is older
        (
            CAPS_HEADING,
            MeetingInfo(
                body="Audit and Governance Committee",
                date="2023-11-14",
                title="Audit and Governance Committee – 14 November 2023",
            ),
            ["APOLOGIES FOR ABSENCE", "MINUTES", "INTERNAL AUDIT PROGRESS REPORT"],
        ),
    ],
)
def test_printed_minutes_layouts(text: str, meeting: MeetingInfo, items: list[str]) -> None:
    seg = segment(text_doc(text))
    assert seg.kind == "minutes"
    assert seg.meeting == meeting
    assert [i.title for i in seg.items] == items
    assert seg.items[-1].text  # the last item keeps its minutes


# --- strategy --------------------------------------------------------------------------------------

STRATEGY = """

Safer Streets in Ashbury

A community safety strategy
for Ashbury 2022-2025



Introduction

The Ashbury Community Safety Partnership brings together the council, the police and the fire service. The Partnership Board meets every quarter.

Our priorities

- Reduce burglary by 10% over three years
- Increase confidence in the police to 80% by 2025
"""


def test_strategy() -> None:
    seg = segment(text_doc(STRATEGY, title="Safer Streets in Ashbury"), "ashbury-strategy.txt")
    assert seg.kind == "strategy"
    assert seg.title == "Safer Streets in Ashbury: A community safety strategy for Ashbury 2022-2025"
    assert seg.meeting is None
    assert seg.items == []


# --- body name choice --------------------------------------------------------------------------------


def test_passing_mention_is_not_the_body() -> None:
    text = (
        "Agenda item\n\nWinter Pressures\n\nMinutes:\n\nMs Khan said the Safeguarding Adults Board was "
        "working with the voluntary sector on winter pressures. Mr Hall agreed to report back.\n"
    )
    seg = segment(text_doc(text))
    assert seg.meeting is None or seg.meeting.body is None


def test_chair_of_and_the_board_outweigh_other_bodies() -> None:
    text = (
        "Agenda and minutes\n\nItems\n\n1.\n\nWelcome\n\nMinutes:\n\n"
        "The Chairman of the Northtown Safer Neighbourhoods Board welcomed members. The report will go to "
        "the Adults and Safeguarding Board, Children and Safeguarding Board, Community Leadership Committee "
        "and Health and Well-Being Board.\n\n2.\n\nPerformance\n\nMinutes:\n\nThe Board noted the report. "
        "The Board AGREED the dashboard. The NSNB will review it in June.\n"
    )
    seg = segment(text_doc(text))
    assert seg.meeting is not None and seg.meeting.body == "Northtown Safer Neighbourhoods Board"


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # a list of bodies stays a list, not one long name
        (
            "presented to the Adults and Safeguarding Board, Children and Safeguarding Board and "
            "Health and Well-Being Board",
            ["Adults and Safeguarding Board", "Children and Safeguarding Board", "Health and Well-Being Board"],
        ),
        # head word used as a modifier ("Cabinet Member", "Council Chamber") is not a body
        ("Mrs Dunn, Cabinet Member for Adults, spoke in the Council Chamber", []),
        # "<Place> Council" names the authority; "County Council" is a meeting body
        ("Barnet Council officers attended the County Council meeting", ["County Council"]),
        # shouted heading becomes title case; "of" + capitalised words continues the name
        ("RIVER COUNTY BOARD OF HEALTH", ["River County Board of Health"]),
        ("Children, Education, Libraries & Safeguarding Committee", ["Children, Education, Libraries & Safeguarding Committee"]),
        ("Ms Reed, Chair of the Planning Sub-Committee, said", ["Planning Sub-Committee"]),
    ],
)
def test_find_bodies(text: str, names: list[str]) -> None:
    assert [m.name for m in find_bodies(text) if not m.generic] == names


# --- structure given by the parser ---------------------------------------------------------------------


def test_markup_structure_is_trusted_and_gaps_filled() -> None:
    text = "Licensing Committee - Monday 14th May, 2012 7.00 pm\n\nItem one minutes.\n\nTaxi Fares\n\nItem two minutes."
    given = [AgendaItem(number="1", title="Apologies", text="Item one minutes.", start=0, end=60),
             AgendaItem(number="2", title="Taxi Fares", text="Item two minutes.")]
    doc = text_doc(text)
    doc.meeting = MeetingInfo(body="Licensing Sub-Committee (Hearings)", venue="Room 5")
    doc.items = given
    seg = segment(doc)
    assert seg.meeting is not None
    assert seg.meeting.body == "Licensing Sub-Committee (Hearings)"  # markup wins
    assert seg.meeting.venue == "Room 5"
    assert seg.meeting.date == "2012-05-14"  # gap filled from the text
    assert seg.meeting.start_time == "19:00"
    assert [i.title for i in seg.items] == ["Apologies", "Taxi Fares"]
    assert seg.items[1].start == text.index("Taxi Fares")
    assert given[1].start is None  # the parser's records are not modified


def test_empty_document() -> None:
    doc = ParsedDocument(format="pdf", status="needs_ocr", error="scanned")
    assert segment(doc) == Segmentation(kind="other", title=None, meeting=None, items=[])


def test_segment_is_fast_on_a_long_document() -> None:
    item = (
        "{n}. Budget Monitoring Report {n}\n(Item {n})\n"
        + "1. Mr Frost introduced the report and explained the forecast for the year ahead.\n" * 6
        + "2. RESOLVED that the report be noted.\n"
    )
    # 50 pages of about 2,500 characters, like a long set of printed minutes.
    pages = [PRINTED_MINUTES_P1] + ["".join(item.format(n=16 + 4 * p + k) for k in range(4)) for p in range(50)]
    doc = pdf_doc(*pages)
    segment(doc)  # warm caches (dateparser, vocabularies)
    t0 = time.perf_counter()
    seg = segment(doc)
    elapsed = time.perf_counter() - t0
    assert len(doc.text) > 100_000
    assert len(seg.items) == 3 + 200  # items 12-14 on page 1, then 16-215
    assert elapsed < 0.5, f"segment() took {elapsed:.3f}s on {len(doc.text)} chars"


# --- the rules are data: check the files ---------------------------------------------------------------


def test_segment_data_files_are_valid() -> None:
    import json

    from extract.segment.resources import MODELS_DIR, load_vocab
    from extract.vocab import KINDS

    vocab = load_vocab()  # compiles every pattern, raises PatternFileError naming the entry otherwise
    assert {cue.group for cue in vocab.kind_cues} <= set(KINDS)
    assert {"body_before", "body_after", "date_before", "date_line"} <= set(vocab.contexts)
    assert {"Board", "Committee", "Panel", "Cabinet", "Commission", "Sub-Committee"} <= set(vocab.heads)
    for path in sorted(MODELS_DIR.glob("*.jsonl")):
        ids = [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        assert len(ids) == len(set(ids)), f"duplicate ids in {path.name}"


def test_bad_pattern_file_names_the_entry(tmp_path, monkeypatch) -> None:
    from extract.segment import resources

    for path in resources.MODELS_DIR.glob("*.jsonl"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    with (tmp_path / "kind_cues.jsonl").open("a", encoding="utf-8") as fh:
        fh.write('{"id": "broken-cue", "kind": "minutes", "scope": "all", "weight": 1, "pattern": "(unclosed"}\n')
    monkeypatch.setattr(resources, "MODELS_DIR", tmp_path)
    resources.load_vocab.cache_clear()
    try:
        with pytest.raises(resources.PatternFileError, match="broken-cue"):
            resources.load_vocab()
    finally:
        monkeypatch.undo()
        resources.load_vocab.cache_clear()
