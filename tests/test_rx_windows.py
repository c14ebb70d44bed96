"""What :mod:`extract.rx.literals` proves about matches lets a search skip text, never a match.

Each analysis (how far a match starts before its first digit, how much it reads,
whether it can start inside a number, the whitespace it cannot cross) is checked
against the plain ``finditer`` of the real rule patterns on the project's
fixtures and on generated text that mixes digits, words and awkward characters.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.nlp.figures import load_figure_rules
from extract.rx.literals import (
    MultiFinditer,
    _no_digit_after_digit,
    digit_reach,
    digit_windows,
    read_weight,
)
from extract.rx.sre import parse

ROOT = Path(__file__).resolve().parents[1]
RULES = load_figure_rules()
MASKS = [m.regex for m in RULES.masks]
PERIODS = [rx for _id, rx in RULES.periods]


def _fixture_texts() -> list[str]:
    out = []
    for folder in (ROOT / "tests" / "fixtures" / "tracking", ROOT / "tests" / "fixtures" / "heldout" / "documents"):
        out += [p.read_text(encoding="utf-8", errors="replace") for p in sorted(folder.glob("*")) if p.suffix in (".txt", ".md")]
    return out


TEXTS = _fixture_texts()
_PIECES = [
    "Item", "item 4", "No. 12", "Section 17", "s.106", "Table 3", "Page 2 of 9", "para 4.2", "aged 18-24", "65+",
    "per 1,000", "at 10.30", "Monday, 5", "5 March 2024", "March 5", "2023/24", "Q3", "the last 12 months",
    "this year", "a year ago", "between 2019 and 2021", "the same period", "Quarter 1", "www.example.org/a1",
    "http://x.org?q=2", "clerk@council.gov.uk", "020 8359 7113", "NW4 4BQ", "covid-19", "24/7", "£1.2m", "12.5%",
    "3", "40", "1,234", "ſeven", "İtem", "K", "-", "–", ",", ".", "(", ")", ":", ";", "the", "and", "of", "\u00a0",
]
_GAPS = [" ", "", "\n", "  ", "\t", "\n\n", " - "]
GENERATED = st.builds(
    lambda words, gaps: "".join(w + g for w, g in zip(words, gaps, strict=False)),
    st.lists(st.one_of(st.sampled_from(_PIECES), st.text(alphabet="0123456789abAB -.,/\n", max_size=4)), min_size=3, max_size=40),
    st.lists(st.sampled_from(_GAPS), min_size=40, max_size=40),
)


# ------------------------------------------------------------------- digit reach


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"[0-9]+", 0),
        (r"Page\s+[0-9]+", 4),
        (r"(?:ab|c)?\s*[0-9]", 2),
        (r"\bNo\.\s*#?[0-9]", 4),
        (r"[0-9]?x", None),  # may hold no digit
        (r"\d+", None),  # \d is any digit, not only ASCII
        (r"x+[0-9]", None),  # unbounded before the digit
        (r"foo", None),
        (r"(a)\1[0-9]", None),  # a back-reference could be anything
    ],
)
def test_digit_reach(pattern, expected):
    assert digit_reach(re.compile(pattern)) == expected


def test_most_masks_have_a_digit_reach():
    reaches = [digit_reach(rx) for rx in MASKS]
    assert sum(r is not None for r in reaches) >= len(MASKS) * 3 // 4


def _check_windows(text: str) -> None:
    for rx in MASKS:
        reach = digit_reach(rx)
        if reach is None:
            continue
        windows = digit_windows(text, reach)
        assert all(a < b for a, b in windows) and all(x[1] < y[0] for x, y in zip(windows, windows[1:], strict=False))
        for m in rx.finditer(text):
            assert any(a <= m.start() < b for a, b in windows), (rx.pattern[:60], m.group(), text[:120])


def test_every_match_starts_in_a_digit_window_on_fixtures():
    for text in TEXTS:
        _check_windows(text)


@settings(max_examples=150, deadline=None)
@given(GENERATED)
def test_every_match_starts_in_a_digit_window_on_generated_text(text):
    _check_windows(text)


def test_digit_windows_shape():
    text = "The board met. Item 4 was noted, and  5 more.\nNone here at all."
    windows = digit_windows(text, 3)
    # up to three characters besides whitespace (any of which may come too) before each digit run
    assert [text[a:b] for a, b in windows] == ["tem 4", " and  5"]


# ------------------------------------------------------------------- read weight


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"the\s+last\s+[0-9]+\s+months", 13),
        (r"Q[1-4]\b(?![/-][0-9])", 2),  # a look-ahead reads too
        (r"[0-9-]+\s*", 0),
        (r"x+", None),
        (r"(a)\1", None),
    ],
)
def test_read_weight(pattern, expected):
    assert read_weight(re.compile(pattern)) == expected


def _weight(s: str) -> int:
    return len(re.findall(r"[^\s0-9-]", s))


@settings(max_examples=100, deadline=None)
@given(GENERATED)
def test_no_period_match_weighs_more_than_its_read_weight(text):
    for rx in PERIODS:
        limit = read_weight(rx)
        assert limit is not None
        for m in rx.finditer(text):
            assert _weight(m.group()) <= limit, rx.pattern[:60]


# ------------------------------------------------------------------- found_near


def _near_as_finditer(scanner: MultiFinditer, patterns: list[re.Pattern[str]], text: str, spans: list[tuple[int, int]]) -> bool:
    """found_near gives finditer's matches only, every one that starts in a span among them."""
    got = scanner.found_near(text, spans)
    if got is None:
        return False
    near = dict(got)
    for k, rx in enumerate(patterns):
        every = [(m.span(), m.groups()) for m in rx.finditer(text)]
        have = [(m.span(), m.groups()) for m in near.get(k, [])]
        assert all(x in every for x in have), (rx.pattern[:60], spans, text[:160])
        assert have == sorted(have)
        inside = [x for x in every if any(a <= x[0][0] < b for a, b in spans)]
        assert all(x in have for x in inside), (rx.pattern[:60], spans, text[:160])
    return True


def _spans_of(text: str, cuts: list[int]) -> list[tuple[int, int]]:
    points = sorted({min(len(text), c) for c in cuts})
    return [(a, b) for a, b in zip(points[::2], points[1::2], strict=False) if a < b]


PERIOD_SCAN = MultiFinditer(PERIODS)


def test_found_near_is_finditer_around_sentences_on_fixtures():
    searched = 0
    for text in TEXTS:
        sentences = [(m.start(), m.end()) for m in re.finditer(r"[^.\n]*[0-9][^.\n]*", text)]
        searched += _near_as_finditer(PERIOD_SCAN, PERIODS, text, sentences[::3])
    assert searched >= len(TEXTS) // 2  # the windows are really used


@settings(max_examples=150, deadline=None)
@given(GENERATED, st.lists(st.integers(min_value=0, max_value=400), min_size=2, max_size=8))
def test_found_near_is_finditer_around_spans_on_generated_text(text, cuts):
    spans = _spans_of(text, cuts)
    if spans:
        _near_as_finditer(PERIOD_SCAN, PERIODS, text, spans)


def test_found_near_declines_a_match_running_into_the_span():
    patterns = [re.compile(r"ab\s+cd"), re.compile(r"[0-9]+")]
    scanner = MultiFinditer(patterns)
    text = "xx ab cd yy 12"
    assert scanner.found_near(text, [(text.index("cd"), len(text))]) is None
    assert _near_as_finditer(scanner, patterns, text, [(text.index("yy"), len(text))])


def test_found_near_declines_unbounded_patterns():
    assert MultiFinditer([re.compile(r"a\w+"), re.compile(r"[0-9]")]).found_near("abc 1", [(0, 5)]) is None


# ---------------------------------------------------------- starts inside numbers


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"(?<![0-9])[0-9]+", True),
        (r"\b[0-9]{4}\b", True),
        (r"(?:(?<=[;:,] )|(?<=[;:,]))[0-9]\)", True),
        (r"\$?\^\{", True),  # cannot start with a digit
        (r"(?:\b|x)5", True),
        (r"[0-9]+", False),
        (r"(?<=x[0-9])5", False),
        (r"(?<![0-8])5", False),  # a 9 may come before
        (r"(?<![^0-9])[0-9]x", False),  # a negated class: requires a digit before
        (r"x?[0-9]", False),
    ],
)
def test_no_digit_after_digit(pattern, expected):
    assert _no_digit_after_digit(list(parse(pattern))) is expected


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        (r"(?<![^0-9])[0-9]x", "a 12x 345y 7x"),  # the match starts right after a digit
        (r"(?<![0-9])[0-9]x", "a 12x 345y 7x"),
    ],
)
def test_multi_finditer_finds_matches_starting_after_a_digit(pattern, text):
    rx = re.compile(pattern)
    scanner = MultiFinditer([rx])
    scanner.build()  # the combined scans, not the one-by-one warm-up
    assert [m.span() for m in scanner.scan(text)[0]] == [m.span() for m in rx.finditer(text)]


@settings(max_examples=100, deadline=None)
@given(GENERATED)
def test_patterns_said_not_to_start_inside_numbers_do_not(text):
    for rx in MASKS + PERIODS:
        if not _no_digit_after_digit(list(parse(rx.pattern, rx.flags))):
            continue
        for m in rx.finditer(text):
            p = m.start()
            assert not (0 < p < len(text) and text[p].isascii() and text[p].isdigit() and text[p - 1] in "0123456789"), rx.pattern[:60]


# ------------------------------------------------------- whitespace-free patterns


def test_a_pattern_that_cannot_cross_whitespace_is_searched_in_the_tokens_holding_its_literal():
    url, email = MASKS[0], MASKS[1]
    scanner = MultiFinditer([url, email, re.compile(r"(?<![0-9])[0-9]{2}")])
    scanner.build()
    assert 0 in scanner.alone and 1 in scanner.alone
    for text in [*TEXTS, "see www.x.org/12 or mail a.b@c.org; http://y.org/?a=1 www. 12 @ x@y"]:
        got = scanner.scan(text)
        for k, rx in enumerate(scanner.patterns):
            assert [m.span() for m in got[k]] == [m.span() for m in rx.finditer(text)]


def test_patterns_of_a_failed_combined_scan_are_searched_on_their_own(monkeypatch):
    """When a combined scan cannot be built and no single pattern is to blame, every one of its
    patterns is searched alone (none is left out)."""
    import extract.rx.literals as lit

    monkeypatch.setattr(lit, "_combined_scan", lambda *a, **k: None)
    patterns = [re.compile(r"(?<![0-9])[0-9]{2}"), re.compile(r"\bApril\b"), re.compile(r"x[0-9]")]
    scanner = MultiFinditer(patterns)
    scanner.build()
    assert scanner.alone == (0, 1, 2)
    text = "In April 12 of x4 and 345 items"
    assert [[m.span() for m in got] for got in scanner.scan(text)] == [[m.span() for m in rx.finditer(text)] for rx in patterns]
