"""Segmenter on the real documents in ../shared (read at run time, never copied).

Text seeds are wrapped as plain-text documents; PDFs are read with pypdfium2
directly so these tests exercise the segmenter, not the PDF parser.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from extract.records import Page, ParsedDocument, Segmentation
from extract.segment import segment

SHARED = (Path(__file__).resolve().parents[1] / ".." / "shared").resolve()
SEEDS = SHARED / "corpus" / "seeds"
PDFS = SHARED / "corpus" / "pdf"
GOLD = SHARED / "gold"

pytestmark = pytest.mark.shared


def _require(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"../shared not present: {path} is missing")
    return path


@cache
def seg_of(name: str) -> Segmentation:
    if name.endswith(".pdf"):
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(str(_require(PDFS / name)))
        pages = [Page(i + 1, pdf[i].get_textpage().get_text_range()) for i in range(len(pdf))]
        doc = ParsedDocument(format="pdf", pages=pages, page_count=len(pages))
    else:
        doc = ParsedDocument(format="text", pages=[Page(None, _require(SEEDS / name).read_text(encoding="utf-8"))])
    return segment(doc, name)


@pytest.mark.parametrize(
    ("name", "kind", "body", "date", "start_time"),
    [
        ("barnet-scpb-2024-09-20-meeting-summary.txt", "summary", "Safer Communities Partnership Board", "2024-09-20", "10:00"),
        ("barnet-scpb-2017-10-27-strategic-assessment-report.txt", "report", "Safer Communities Partnership Board", "2017-10-27", None),
        ("barnet-scpb-2015-agenda-and-minutes.txt", "minutes", "Safer Communities Partnership Board", None, None),
        ("uk_kent_cabinet_minutes_2025-01-30.pdf", "minutes", "Cabinet", "2025-01-30", None),
        ("uk_kent_county_council_minutes_2025-03-13.pdf", "minutes", "County Council", "2025-03-13", None),
        ("uk_kent_corporate_parenting_panel_minutes_2024-12-10.pdf", "minutes", "Corporate Parenting Panel", "2024-12-10", None),
        ("uk_kent_cabinet_agenda_frontsheet_2025-01-30.pdf", "agenda", "Cabinet", "2025-01-30", "10:00"),
        ("uk_merton_audit_committee_agenda_pack_2009-10-22.pdf", "agenda", "Audit Committee", "2009-10-22", "19:15"),
        ("us_east_palo_alto_planning_commission_minutes_2020-01-27.pdf", "minutes", "Planning Commission", "2020-01-27", "19:00"),
        ("us_cuyahoga_county_board_of_health_agenda_2019-04-24.pdf", "agenda", "Cuyahoga County Board of Health", "2019-04-24", None),
    ],
)
def test_meeting_and_kind(name: str, kind: str, body: str, date: str | None, start_time: str | None) -> None:
    seg = seg_of(name)
    assert seg.kind == kind
    assert seg.meeting is not None
    assert (seg.meeting.body, seg.meeting.date, seg.meeting.start_time) == (body, date, start_time)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("barnet-safer-communities-strategy-2005-2008.txt", "strategy"),
        ("barnet-scpb-2018-minutes-item-strategic-assessment.txt", "minutes"),
        ("uk_kent_quarterly_performance_report_q3_2024-25.pdf", "report"),
        ("uk_kent_finance_monitoring_report_q3_2024-25.pdf", "report"),
    ],
)
def test_kind(name: str, kind: str) -> None:
    assert seg_of(name).kind == kind


def test_2015_moderngov_page_items() -> None:
    seg = seg_of("barnet-scpb-2015-agenda-and-minutes.txt")
    assert seg.title == "Agenda and minutes: Safer Communities Partnership Board"
    assert seg.meeting is not None
    assert seg.meeting.venue == "Hendon Town Hall, The Burroughs, London NW4 4BQ"
    assert seg.meeting.contact == "Salar Rida"
    assert [i.number for i in seg.items] == [str(n) for n in range(1, 11)]
    titles = [i.title for i in seg.items]
    assert titles[0] == "Introductions, Apologies for Absence and Minutes of the previous meeting"
    assert titles[1] == "Verbal update from the Police on the Be Safe project"
    assert titles[9] == "Any Other Items that the Chairman decides are Urgent"
    assert not any("PDF" in t or "KB" in t for t in titles)
    assert all(i.text for i in seg.items)
    # The numbered list in item 3's minutes belongs to item 3.
    assert "Relevant victim, offender" in seg.items[2].text


def test_2018_single_item_page() -> None:
    seg = seg_of("barnet-scpb-2018-minutes-item-strategic-assessment.txt")
    assert [i.title for i in seg.items] == ["Update on the findings of the 2018/19 Community Safety Strategic Assessment"]
    assert seg.items[0].text.startswith("Peter Clifton, Community Safety Manager")


def test_2017_report_title_and_no_items() -> None:
    seg = seg_of("barnet-scpb-2017-10-27-strategic-assessment-report.txt")
    assert seg.title == "Community Safety Strategic Assessment"
    assert seg.items == []  # 1.1.1-style paragraphs and recommendations are not agenda items


def test_strategy_title_and_no_meeting() -> None:
    seg = seg_of("barnet-safer-communities-strategy-2005-2008.txt")
    assert seg.title is not None
    assert seg.title.startswith("Safer Communities in Barnet") and seg.title.endswith("2005-2008")
    assert seg.meeting is None or seg.meeting.date is None


def test_kent_cabinet_minutes_items() -> None:
    seg = seg_of("uk_kent_cabinet_minutes_2025-01-30.pdf")
    assert seg.meeting is not None
    assert seg.meeting.venue == "Council Chamber, Sessions House, County Hall, Maidstone"
    numbers = [i.number for i in seg.items]
    assert numbers == [str(n) for n in range(84, 93)]
    assert seg.items[0].title == "Apologies"
    assert seg.items[3].title == "Cabinet Member Updates"
    # The member updates' own "1." ... "7." paragraphs stay inside item 87.
    assert "Mr Watkins, Cabinet Member for Adult Social Care" in seg.items[3].text


def test_kent_agenda_front_sheet_items() -> None:
    seg = seg_of("uk_kent_cabinet_agenda_frontsheet_2025-01-30.pdf")
    assert [i.number for i in seg.items] == [str(n) for n in range(1, 10)]
    assert seg.items[2].title == "Minutes of the Meeting held on 9th January 2025"  # page refs removed
    assert seg.meeting is not None and seg.meeting.contact == "Georgina Little"


def test_us_minutes_sub_items_stay_inside() -> None:
    seg = seg_of("us_east_palo_alto_planning_commission_minutes_2020-01-27.pdf")
    assert [i.number for i in seg.items] == [str(n) for n in range(1, 9)]
    assert seg.items[0].title == "CALL TO ORDER AND ROLL CALL"
    assert seg.items[-1].title == "ADJOURNMENT"


def _gold_cases() -> list[tuple[str, dict]]:
    if not GOLD.is_dir():
        return []
    return [(p.name, json.loads(p.read_text(encoding="utf-8"))) for p in sorted(GOLD.glob("*.json"))]


@pytest.mark.parametrize(("gold_name", "gold"), _gold_cases() or [pytest.param("", {}, marks=pytest.mark.skip("../shared not present: no gold keys"))])
def test_gold_kind_and_date(gold_name: str, gold: dict) -> None:
    seg = seg_of(gold["document"])
    assert seg.kind == gold["kind"], gold_name
    date = seg.meeting.date if seg.meeting else None
    assert date == gold["meeting"]["date"], gold_name
    if gold["meeting"]["body"] is None:
        assert seg.meeting is None or seg.meeting.body is None
