"""Dates and times as council documents write them (extract.segment.dates)."""

from __future__ import annotations

from datetime import date

import pytest

from extract.segment.dates import (
    find_dates,
    find_weekday_dates,
    month_first_document,
    parse_date,
    parse_time,
)


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("27 th October 2017", "2017-10-27"),  # ordinal split from the day by a space (report cover)
        ("Friday 20th September, 2024 10.00 am", "2024-09-20"),  # weekday, ordinal, comma, time
        ("20/09/2024", "2024-09-20"),  # numeric, UK day-first
        ("5th November, 2015", "2015-11-05"),
        ("the 10th of November 2015", "2015-11-10"),
        ("Thursday, 30 January 2025", "2025-01-30"),
        ("January 27, 2020", "2020-01-27"),  # US written month-first is unambiguous
        ("MARCH 27, 2019", "2019-03-27"),
        ("01/27/2020", "2020-01-27"),  # day-first impossible (month 27): month-first
        ("03/04/2020", "2020-04-03"),  # ambiguous: UK default day-first
        ("4/23/19", "2019-04-23"),  # two-digit year
        ("2024-09-20", "2024-09-20"),  # ISO
        ("Wed 5 Mar 2025", "2025-03-05"),
    ],
)
def test_parse_date_full(text: str, iso: str) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize(
    "text",
    [
        "22 July",  # no year and no reference date
        "31 February 2020",  # not a real day
        "13/14/2020",  # impossible either way round
        "",
        "the last 12 months",
        "2016/17",
    ],
)
def test_parse_date_rejects(text: str) -> None:
    assert parse_date(text) is None


def test_parse_date_month_first_document() -> None:
    # In a US document an ambiguous numeric date is month-first.
    assert parse_date("03/04/2020", month_first=True) == "2020-03-04"
    assert parse_date("27/01/2020", month_first=True) == "2020-01-27"  # month-first impossible


def test_parse_date_relative_to_fills_the_year() -> None:
    assert parse_date("22 July", relative_to=date(2015, 11, 5)) == "2015-07-22"


@pytest.mark.parametrize(
    ("text", "hhmm"),
    [
        ("10.00 am", "10:00"),
        ("2pm", "14:00"),
        ("7:30 p.m.", "19:30"),
        ("January 27, 2020 at 7:00 PM", "19:00"),  # 12-hour wins over the bare 7:00 inside it
        ("19:15", "19:15"),
        ("Time: 1930hrs", "19:30"),
        ("12 noon", "12:00"),
        ("12am", "00:00"),
        ("10.00", "10:00"),  # a bare dotted time only when it is the whole text
    ],
)
def test_parse_time(text: str, hhmm: str) -> None:
    assert parse_time(text) == hhmm


@pytest.mark.parametrize("text", ["Page 1.5", "increase of 10.00 per cent", "13 pm", "2024/25", ""])
def test_parse_time_rejects(text: str) -> None:
    assert parse_time(text) is None


def test_find_dates_spans_include_the_weekday() -> None:
    text = "Fictional Panel - Friday 20th September, 2024 10.00 am; next meeting 3/10/2024."
    found = find_dates(text)
    assert [iso for _, _, iso in found] == ["2024-09-20", "2024-10-03"]
    s, e, _ = found[0]
    assert text[s:e] == "Friday 20th September, 2024"


def test_find_dates_ignores_paragraph_numbers_and_years() -> None:
    assert find_dates("1.2.10 Background. In 2017/18 the 12 month figure rose; see 24/00108.") == []


def test_weekday_date_needs_the_weekday_to_fix_the_year() -> None:
    text = "The Committee will convene on Friday, September 13th. Calendar 2019, archive 2018."
    assert [iso for _, _, iso in find_weekday_dates(text)] == ["2019-09-13"]
    # Wrong weekday for every candidate year: no date rather than a guess.
    assert find_weekday_dates("Monday, September 13th (2019)") == []


def test_month_first_document() -> None:
    assert month_first_document("Regular Meeting, January 27, 2020. Minutes of December 9, 2019.")
    assert not month_first_document("Meeting held on 27 January 2020.")
