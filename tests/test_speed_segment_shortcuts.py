"""Segmenter shortcuts (speed round h) give exactly what the plain computation gives.

Checked against the code each one replaced: white space squashed without a
regex, lines split without a Python step per line, the month-first test asked
only when the opening holds a numeric date, body head words found with
``str.find``, context rules prefiltered from their cached plans, and item
candidates looked for only on lines that may start with a number. Texts are
fictional and written here.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.rx.fold import fold_safe_lower
from extract.rx.scan import may_match
from extract.segment import bodies, dates, items, meeting
from extract.segment.resources import load_vocab
from extract.segment.textutil import Line, normalise, split_lines, squash

_SPACES = [" ", "  ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x85", "\u00a0", "\u2003", "\u2028", "\u3000", "\u200b"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_SPACES + ["Board", "a", "é", "-", "1"]), max_size=15).map("".join))
def test_squash_matches_the_regex(text):
    assert squash(text) == re.sub(r"\s+", " ", text).strip()


def _split_reference(text: str) -> list[Line]:
    out = []
    pos = 0
    for i, chunk in enumerate(text.split("\n")):
        end = pos + len(chunk)
        out.append(Line(i, pos, end, chunk))
        pos = end + 1
    return out


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["\n", "ab", " ", "Item 1", "\n\n", "é"]), max_size=20).map("".join))
def test_split_lines_matches_the_line_loop(text):
    got = split_lines(text)
    assert got == _split_reference(text)
    assert all(type(line) is Line for line in got)
    assert all(text[line.start : line.end] == line.text for line in got)


# --- dates in the opening ---------------------------------------------------------

_DATE_PARTS = [
    "Meeting held on 03/05/2024 at 7pm. ", "Date: 13/05/2024\n", "05.06.2024 ", "2024-06-12 ", "11/12/24 ",
    "January 27, 2020 ", "March 3, 2021 ", "27 January 2020 ", "Wednesday, 18th September 2024 ", "Minutes ",
    "14/14/2024 ", "31/02/2024 ", "\n", "The Board met. ",
]


def _opening_reference(text: str, head_end: int) -> list[tuple[int, int, str]]:
    month_first = dates.month_first_document(text[: max(head_end * 2, 20000)])
    return dates.find_dates(text[:head_end], month_first=month_first)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_DATE_PARTS), max_size=14).map("".join), st.integers(0, 400))
def test_opening_dates_ask_the_month_order_only_when_it_matters(text, head_end):
    assert dates.opening_dates(text, head_end) == _opening_reference(text, head_end)


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("MINUTES\nCity Council, January 27, 2020\nApproved 01/02/2020 and March 3, 2021.", "2020-01-02"),
        ("MINUTES\nHarbour Board, 27 January 2020\nApproved 01/02/2020.", "2020-02-01"),
    ],
)
def test_numeric_dates_follow_the_documents_order(text, iso):
    got = dates.opening_dates(text, len(text))
    assert got == _opening_reference(text, len(text))
    assert iso in [d[2] for d in got]


# --- body head words ------------------------------------------------------------

_BODY_PARTS = [
    "Harbour Board", "HARBOUR BOARD", "board", "the Board", "Sub-Committee", "subcommittee", "Scrutiny Commission",
    "Councillor", "Council", "Cabinet Member", "Group", "groups", "Forum", "Executive", "Partnership", "Authority",
    "Assembly", "Panel", " ", "\n", ", ", "-", "ı", "\u212a", "İ", "é", "of", "meeting of the", "Health and Wellbeing",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_BODY_PARTS), max_size=40).map("".join))
def test_head_words_found_with_find_match_the_regex(text):
    text = normalise(text)
    assert [m.span() for m in bodies._head_matches(text)] == [m.span() for m in bodies._head_regex().finditer(text)]


# --- context rules --------------------------------------------------------------

_WINDOW_PARTS = [
    "MINUTES of a meeting of the ", "Chairman of the ", "welcomed everyone to the ", "held at ", " meeting",
    "Report to: ", "\n", "special meeting of ", "The ", "ı", "\u212a", "agenda for the ", "minutes of ", "held on ",
    "issued ", "Meeting Date: ", "will meet", "summary ", "decision of the ",
]


def _context_reference(vocab, kind, before, after, in_head, top=False):
    total = 0.0
    strong = False
    for cue in vocab.contexts.get(f"{kind}_before", ()):
        if (cue.scope == "head" and not in_head) or (top and cue.top_exempt):
            continue
        if may_match(cue.regex, before) and cue.regex.search(before):
            total += cue.weight
            strong = strong or cue.weight >= 4
    for cue in vocab.contexts.get(f"{kind}_after", ()):
        if cue.scope == "head" and not in_head:
            continue
        if may_match(cue.regex, after) and cue.regex.search(after):
            total += cue.weight
            strong = strong or cue.weight >= 4
    return total, strong


_WINDOW = st.lists(st.sampled_from(_WINDOW_PARTS), max_size=6).map("".join)


@settings(max_examples=300, deadline=None)
@given(_WINDOW, _WINDOW, st.sampled_from(["body", "date"]), st.booleans(), st.booleans())
def test_context_score_matches_may_match_per_rule(before, after, kind, in_head, top):
    vocab = load_vocab()
    assert meeting._context_score(vocab, kind, before, after, in_head, top) == _context_reference(
        vocab, kind, before, after, in_head, top
    )


def test_context_rules_use_the_plans_words():
    """A rule whose words are absent is never searched: the prefilter is the plan's."""
    vocab = load_vocab()
    before_rules, _ = meeting._context_rules(vocab, "body")
    assert any(words for _, words, _ in before_rules)
    text = "Nothing relevant here"
    low = fold_safe_lower(text)
    for cue, words, ignore_case in before_rules:
        assert meeting._may_match(words, ignore_case, text, low) == may_match(cue.regex, text)


# --- item candidates ------------------------------------------------------------

_ITEM_LINES = [
    "1. Apologies", "2) Minutes of the last meeting", "  3 DECLARATIONS OF INTEREST", "Item 4: Budget",
    "ITEM 5 - Performance", "İtem 6 Budget", "item 7. Any other business", "²  Source: police data", "\u0663. Arabic",
    "\u2003 8. Indented heading", "9.", "Harbour Board", "", "   ", "The report was noted.", "10\tTabbed heading",
    "a. Sub item", "11 - 12 range", "Minutes:", "RESOLVED that the report be noted.", "\u00a012. Non-breaking",
    "ⅰ. roman", "①. circled",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_ITEM_LINES), max_size=25), st.integers(0, 30))
def test_candidates_on_possibly_numbered_lines_match_all_lines(chosen, cut):
    text = normalise("\n".join(chosen))
    lines = split_lines(text)
    vocab = load_vocab()
    assert items._candidates(lines, vocab, text) == items._candidates(lines, vocab)
    head = lines[:cut]  # head_chain passes the document's first lines only
    assert items._candidates(head, vocab, text) == items._candidates(head, vocab)


def test_numbered_lines_are_a_superset_of_the_candidates():
    text = "Notes\n1. One\n  ² note\nItem 2\nIntro\nplain\n\u0663 three"
    lines = split_lines(text)
    picked = items._numbered_lines(text, len(lines))
    assert picked == [1, 2, 3, 4, 6]  # "Intro" may start "Item": looked at, not taken
    assert items._numbered_lines(text, 3) == [1, 2]
    assert items._numbered_lines(text, 0) == []
    assert [c.first_line for c in items._candidates(lines, load_vocab(), text)] == [1, 3]


# --- weekday dates without a year -------------------------------------------------

_WEEKDAY_PARTS = [
    "Friday, September 13th", "friday 13 september", "MONDAY the 2nd of March", "Sunday 1 June 2025", "Tuesday",
    "today", "days", "Wednesday, 18 September", "Satur day", "Thursday 31 February", " ", "\n", "2019 ", "2020 ",
    "ı", "Saturday, June 1", "Yesterday 3 May", "sundays 4 May", "Monday-Friday 5 May",
]


def _weekday_dates_reference(text: str) -> list[tuple[int, int, str]]:
    """find_weekday_dates as first written: the years read first, the pattern scanned everywhere."""
    years = sorted({int(y) for y in dates._YEAR_RE.findall(text)})
    out: list[tuple[int, int, str]] = []
    if not years:
        return out
    for m in dates._WEEKDAY_PARTIAL_RE.finditer(text):
        day = int(re.match(r"\d+", m.group("d1") or m.group("d2")).group(0))
        month = dates._MONTHS.get((m.group("m1") or m.group("m2")).lower().rstrip("."))
        if month is None:
            continue
        want = dates._WEEKDAYS.index(m.group("wd").lower())
        fits = [iso for y in years if (iso := dates._valid(y, month, day))
                and dates.date.fromisoformat(iso).weekday() == want]
        if len(fits) == 1:
            out.append((m.start(), m.end(), fits[0]))
    return out


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WEEKDAY_PARTS), max_size=12).map("".join))
def test_weekday_dates_tried_where_a_weekday_ends_match_the_full_scan(text):
    assert dates.find_weekday_dates(text) == _weekday_dates_reference(text)
    assert [m.span() for m in dates._weekday_partials(text)] == [
        m.span() for m in dates._WEEKDAY_PARTIAL_RE.finditer(text)
    ]


def test_weekday_date_resolved_from_the_years_in_the_text():
    text = "Harbour Board, Friday, September 13th\nBudget 2019/20 and 2019"
    assert dates.find_weekday_dates(text) == _weekday_dates_reference(text)
    assert [iso for *_, iso in dates.find_weekday_dates(text)] == ["2019-09-13"]
    assert dates.find_weekday_dates("Friday, September 13th", years=[]) == []


# --- body names: tokens read backwards, display names cached ----------------------

_TOKEN_PARTS = ["Harbour", " ", "  ", ",", "&", "and", "Well-Being", "\n", "\t", "12", "é", "O'Neil", ".", "(", "x" * 45]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_TOKEN_PARTS), max_size=30).map("".join), st.data())
def test_tokens_read_backwards_in_chunks_match_one_forward_scan(text, data):
    lo = data.draw(st.integers(0, len(text)))
    hi = data.draw(st.integers(lo, len(text)))
    got = [m.span() for m in bodies._tokens_backwards(text, lo, hi)]
    assert got == [m.span() for m in reversed(list(bodies._TOKEN.finditer(text, lo, hi)))]


@pytest.mark.parametrize(
    ("raw", "shouting"),
    [("SAFER HARBOUR PARTNERSHIP BOARD", True), ("Harbour Board", False), ("HEALTH & WELLBEING BOARD", False),
     ("the Board", False)],
)
def test_display_name_is_the_title_and_key_of_the_name(raw, shouting):
    from extract.segment.textutil import is_shouting, smart_title

    name = smart_title(raw) if shouting or is_shouting(raw) else raw
    assert bodies._display_name(raw, shouting) == (name, bodies.body_key(name))


# --- cover-sheet fields -----------------------------------------------------------

_FIELD_LINES = [
    "Meeting Date:\t27 th October 2017", "Date:", "22 October 2009", "Venue: Council Chamber, Town Hall", "High Street",
    "Harbour Town HT1 2AB", "", "Report Author\tJ. Penn", "Contact Officer: Ama Osei, 01632 960123",
    "Thursday, 30th January, 2025 Ask for: Georgina Little", "Meeting: Harbour Board", "Plain line of text",
    "Title - no separator", "Time: 7.00 pm",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_FIELD_LINES), max_size=14), st.integers(0, 16))
def test_fields_read_from_lines_with_a_separator_match_reading_every_line(chosen, max_line):
    lines = split_lines(normalise("\n".join(chosen)))
    vocab = load_vocab()
    got = meeting.find_fields(lines, vocab, max_line)
    original = meeting._labelled
    meeting._labelled = lambda head: list(enumerate(head))  # every line looked at
    try:
        assert got == meeting.find_fields(lines, vocab, max_line)
    finally:
        meeting._labelled = original
