"""Round (k) segmenter shortcuts give exactly what the plain computation gives.

Each test compares a shortcut with the computation it replaces, written out
plainly here, on varied fictional council text: empty text, text without
digits, Unicode digits and quotes, times and dates at the text's ends, markers
on the first and last lines.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from extract.segment import dates as D
from extract.segment import items as I
from extract.segment import meeting as M
from extract.segment import place as PL
from extract.segment.bodies import _canonical_head, _vocab_index, find_bodies
from extract.segment.meeting import _line_of
from extract.segment.resources import load_vocab
from extract.segment.textutil import first_line_from, slice_safe_lower, split_lines, squash

_TEXTS = [
    "",
    " ",
    "\n",
    "No digits here at all, only words about the Board.",
    "Meeting held on Monday 3 March 2025 at 10.00 am in the Council Chamber",
    "10:30",
    "starts at noon",
    "ENDS AT MIDNIGHT",
    "Midday\n",
    "Item ٣ and ²; dated ١٢/٠٣/٢٠٢٤ in another script",
    "The meeting – 14th November 2023 – closed at 7.45pm.",
    "Wednesday, 30th January, 2025 at 2 p.m. “Room 1”",
    "Date: 01/02/2024\nTime: 18:30 hrs\n",
    "Sept 5, 2019 — 7:00 PM",
    "x" * 250 + " 12 Dec 2024 " + "y" * 10,
    "ref 2024-06-30; 12.06.2024; 3-4-2025 and 1234567",
    "İstanbul midnİght NOON 12 mon tue jan",
    "0" * 5 + " 9am",
]


def _plain_starts(text: str, names: re.Pattern[str]) -> list[int] | None:
    low = D.fold_safe_lower(text)
    if low is None:
        return None  # (the caller scans the plain way)
    return [m.start() for m in re.compile(r"\d+|" + names.pattern).finditer(low)]


@pytest.mark.parametrize("text", _TEXTS + [t * 40 for t in _TEXTS if t])
@pytest.mark.parametrize("names", [D._DAY_OR_MONTH_NAME, D._MONTH_NAME])
def test_date_starts_ascii_digit_runs_match_plain_runs(text: str, names: re.Pattern[str]) -> None:
    text = text + " " * 200  # long enough for the scan path
    assert D._date_starts(text, names, digits=True) == _plain_starts(text, names)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("plain ascii 12", True), ("", True), ("quotes “12” – £5", True), ("digit ٣", False), ("super ²", True)],
)
def test_ascii_digits(text: str, expected: bool) -> None:
    assert D._ascii_digits(text) is expected
    assert expected == all(ch in "0123456789" for ch in re.findall(r"\d", text))


def _plain_find_times(text: str) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    for m in D._TIME_12.finditer(text):
        h, mins = int(m.group(1)), int(m.group(2) or 0)
        if not 1 <= h <= 12 or mins > 59:
            continue
        h = (h % 12) + (12 if m.group(3).lower() == "p" else 0)
        found.append((m.start(), m.end(), f"{h:02d}:{mins:02d}"))
    for rx in (D._TIME_24, D._TIME_HRS):
        for m in rx.finditer(text):
            found.append((m.start(), m.end(), f"{int(m.group(1)):02d}:{m.group(2)}"))
    for m in D._TIME_WORD.finditer(text):
        found.append((m.start(), m.end(), "00:00" if m.group(1).lower() == "midnight" else "12:00"))
    found.sort(key=lambda t: (t[0], -t[1]))
    out: list[tuple[int, int, str]] = []
    for item in found:
        if out and item[0] < out[-1][1]:
            continue
        out.append(item)
    return out


@pytest.mark.parametrize("text", _TEXTS)
def test_find_times_prefilter_matches_plain(text: str) -> None:
    assert D.find_times(text) == _plain_find_times(text)


def _plain_find_dates(text: str, month_first: bool = False) -> list[tuple[int, int, str]]:
    out = []
    for m in D.DATE_RE.finditer(text):
        iso = D._parse_date.__wrapped__(m.group(0), None, month_first) if m.group(0).strip() else None
        if iso:
            out.append((m.start(), m.end(), iso))
    return out


@pytest.mark.parametrize("text", _TEXTS + [t * 30 for t in _TEXTS if t])
@pytest.mark.parametrize("month_first", [False, True])
def test_find_dates_matches_plain(text: str, month_first: bool) -> None:
    assert D.find_dates(text, month_first=month_first) == _plain_find_dates(text, month_first)


@pytest.mark.parametrize(
    ("text", "relative_to", "month_first"),
    [
        ("27 th October 2017", None, False),
        ("03/05/2024", None, False),
        ("03/05/2024", None, True),
        ("22 July", date(2024, 1, 5), False),
        ("Friday 31 February 2025", None, False),
        ("2024-02-30", None, False),
        ("  ", None, False),
    ],
)
def test_parse_date_cache_gives_uncached_answer(text: str, relative_to: date | None, month_first: bool) -> None:
    first = D.parse_date(text, relative_to=relative_to, month_first=month_first)
    again = D.parse_date(text, relative_to=relative_to, month_first=month_first)
    plain = D._parse_date.__wrapped__(text, relative_to, month_first) if text.strip() else None
    assert first == again == plain


@pytest.mark.parametrize("text", ["a", "a\nb", "\n\nx\n", "first line\n\nthird\nfourth line here\n"])
def test_line_of_matches_linear_scan(text: str) -> None:
    lines = split_lines(text)
    for pos in range(-1, len(text) + 2):
        plain = [ln for ln in lines if ln.start <= pos]
        assert _line_of(lines, pos) == (plain[-1] if plain else lines[0])


_MARKER_TEXTS = [
    "",
    "(Item 3)",
    "Apologies for absence (Item 1)\nText\n(item 2) \nBudget\n(Agenda Item 4a)\t",
    "No markers here (item 5) inside a line.\n(Item 6)(Item 7)\n(ITEM 8)",
    "Title\n(Item 9)\n\n\nOther (Item 10)\r\n",
    "“Quoted” heading (Item 11)\n90. Transfer of land\n(Item 12)",
]


@pytest.mark.parametrize("text", _MARKER_TEXTS)
def test_marker_scan_of_text_matches_line_search(text: str) -> None:
    lines = split_lines(text)
    assert list(I._markers(lines, text)) == list(I._markers(lines, None))
    vocab = load_vocab()
    assert I._marker_items(lines, vocab, text) == I._marker_items(lines, vocab)


def _plain_place_name(place: str) -> str | None:
    not_places = PL._rules()[1]
    words = re.sub(r"\s+", " ", place).strip().split(" ")
    while words and words[0].lower() in not_places:
        words = words[1:]
    while words and words[-1].lower() in not_places:
        words = words[:-1]
    name = " ".join(words)
    return name if name and not any(w.lower() in not_places for w in words) else None


@pytest.mark.parametrize("place", ["Kent", "Kent County", "Chief Executive", "Newcastle upon Tyne", "If Full", "Barnet"])
def test_place_name_cache_matches_plain(place: str) -> None:
    assert PL._place_name(place) == _plain_place_name(place)


@pytest.mark.parametrize("word", ["Board", "BOARD", "board", "Sub-Committee", "Scrutiny  Commission", "Chairman"])
def test_canonical_head_cache_matches_plain(word: str) -> None:
    vocab = load_vocab()
    assert _canonical_head(vocab, word) == _vocab_index(vocab)[0].get(squash(word).lower())


def test_body_mentions_are_immutable_records() -> None:
    m = find_bodies("The Safer Communities Partnership Board met.")[0]
    assert (m.name, m.start, m.generic) == ("Safer Communities Partnership Board", 4, False)
    with pytest.raises(AttributeError):
        m.start = 0  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("", "SCPB"),
        ("SCPB", "SCPB"),
        ("The SCPB met; SCPB_x and xSCPB and SCPBs, (SCPB) SCPB", "SCPB"),
        ("AAAA AAA AAA-AAA", "AAA"),
        ("ÉSCPB SCPBé SCPB٣ ٣SCPB “SCPB”", "SCPB"),
        ("scpb SCPB\nSCPB", "SCPB"),
        ("Board", "Board"),  # not an acronym: never counted
    ],
)
def test_capitals_count_matches_findall(text: str, word: str) -> None:
    plain = len(re.findall(rf"\b{word}\b", text)) if re.fullmatch(r"[A-Z]{3,8}", word) and word in text else 0
    assert M._capitals_count(text, word) == plain


_LOWER_TEXTS = ["", "Plain ASCII Board", "“Quoted” Board – ’s", "ΣΟΦΙΑ ΣΟΦΟΣ board", "İstanbul Board", "K Kelvin ſ"]


@pytest.mark.parametrize("text", _LOWER_TEXTS)
def test_slice_lower_slices_are_lowered_slices(text: str) -> None:
    low = slice_safe_lower(text)
    if low is None:
        return  # the caller lowers each window itself
    for a in range(len(text) + 1):
        for b in range(a, len(text) + 2):
            assert low[a:b] == M.fold_safe_lower(text[a:b])


def test_slice_lower_refuses_capital_sigma() -> None:
    assert slice_safe_lower("ΟΔΟΣ Board") is None  # "Σ" lowers to "ς" or "σ" by its neighbours


_ITEM_TEXTS = [
    "",
    "AGENDA\n1. Apologies\n2. Minutes\n3. Budget report\n4. Any other business\n",
    "MINUTES\n\n1.\nApologies for absence\n\nMinutes:\nNone.\n2.\nDeclarations\nMinutes:\nNone\n" * 6,
    "Front\n" + "".join(f"{k}. Heading number {k}\n text of item {k}.\n\n" for k in range(1, 30)),
    "Cover sheet\n" * 40 + "1. Late heading\nMinutes:\n2. Another\n",
]


@pytest.mark.parametrize("text", _ITEM_TEXTS)
@pytest.mark.parametrize("head_end", [0, 1, 30, 120, 400, 10_000])
def test_items_reusing_head_candidates_match_a_fresh_read(text: str, head_end: int) -> None:
    vocab = load_vocab()
    lines = split_lines(text)
    head = I.head_candidates(lines, head_end, vocab, text)
    assert I.head_chain(lines, head_end, vocab, text, head) == I.head_chain(lines, head_end, vocab, text)
    below = head.reusable_below(len(lines))
    assert [c for c in head.cands if c.first_line < below] == [
        c for c in I._candidates(lines, vocab, text) if c.first_line < below
    ]
    for kind in ("minutes", "agenda"):
        fresh = I.find_items(text, lines, kind=kind, head_end=head_end, vocab=vocab)
        reused = I.find_items(text, lines, kind=kind, head_end=head_end, vocab=vocab, head=head)
        assert reused == fresh


_BODY_TEXTS = [
    "",
    "1. Apologies\nMinutes:\nNone were received.\n2. Budget\n... view the full minutes text for item 2.\nAgreed.\n",
    "Item text “quoted” – Decision:\nRESOLVED that the plan be noted.\nView the reasons to item 4 here\n",
    "No label at all, only prose about the Board and its work.\n" * 5,
    "ΟΔΟΣ Minutes:\nText with capital sigma\n",
    "MINUTES:\nshouted label\nAdditional documents:\n",
]


@pytest.mark.parametrize("text", _BODY_TEXTS)
def test_body_text_with_lowered_document_matches_plain(text: str) -> None:
    vocab = load_vocab()
    patterns = I._possible_patterns(text, vocab)
    low = slice_safe_lower(text)
    for start in range(0, len(text) + 1, 7):
        for end in (start, min(len(text), start + 40), len(text)):
            plain = I._body_text(text, start, end, vocab)
            assert I._body_text(text, start, end, vocab, patterns, low) == plain
            assert I._body_text(text, start, end, vocab, patterns) == plain


@pytest.mark.parametrize("text", _ITEM_TEXTS + ["1. Apologies\n   Minutes:  \n2. Budget\nDECISION:\n3. Close\nnotes:\n"])
def test_candidates_looking_only_for_labels_the_text_holds_match_all_labels(text: str) -> None:
    lines = split_lines(text)
    vocab = load_vocab()
    labels = I._possible_patterns(text, vocab)[0]
    assert I._candidates(lines, vocab, text, 0, labels) == I._candidates(lines, vocab)


@pytest.mark.parametrize("text", ["", "a", "a\nb", "\n\nx\n", "first line\n\nthird\nfourth line here\n"])
def test_first_line_from_matches_linear_scan(text: str) -> None:
    lines = split_lines(text)
    for offset in range(-1, len(text) + 3):
        plain = next((ln.index for ln in lines if ln.start >= offset), len(lines))
        assert first_line_from(lines, offset) == plain


_WINDOWS = [
    "",
    "at the ",
    "The meeting was held at the ",
    "Minutes of the meeting of the ",
    "Welcomed everyone, to the meeting of the\n",
    "It was agreed. The Chairman of the ",
    "the Chair of the. ",
    "report to:\t",
    "Report\nTo: the ",
    "(held in the Council Chamber) at\n",
    "which will meet on the ",
    "approved the minutes of the meeting held on ",
    "by the end; until ",
    "x" * 150 + ", chair of\nthe ",
    "meeting, date: the\n",
    "held on.",
]


@pytest.mark.parametrize("family", ["body", "date"])
@pytest.mark.parametrize("window", _WINDOWS)
def test_before_rules_searched_after_the_last_barrier_match_a_full_search(family: str, window: str) -> None:
    starts: dict = {}
    vocab = load_vocab()
    for (cue, _, _), tail in zip(M._context_rules(vocab, family)[0], M._before_tails(vocab, family), strict=True):
        assert M._search_tail(cue.regex, tail, window, starts) == (cue.regex.search(window) is not None), cue.id


def test_tail_finder_only_for_rules_anchored_at_the_end() -> None:
    assert M._tail_finder(re.compile(r"\bat\s+$")) is not None
    assert M._tail_finder(re.compile(r"\bat\s+$", re.MULTILINE)) is None  # "$" before every line break
    assert M._tail_finder(re.compile(r"a\.$|b$")) is None  # "$" ends one alternative only
    finder = M._tail_finder(re.compile(r"\bchair\s+of\s+(?:the\s+)?$", re.IGNORECASE))
    assert finder is not None and finder.match("The Chair. Of the chair of the ").end() == len("The Chair.")
