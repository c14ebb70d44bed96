"""Exact shortcuts of the figures number pass (speed round h), each checked against the plain
computation it stands in for, on fictional council text and on generated text."""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.nlp import figures as F

_TEXTS = [
    "Burglary fell by 9% to 1,184 offences in 2023/24 (£3.2m, -14.5%), up 2 percentage points.",
    "The reserve stood at £31.2m and would fall to £7.7m if no further action were taken.",
    "Response within 3 working days: 84 per cent; 12 months to March 2024; 5th highest of 32.",
    "Item 4.a Minutes of 12 March\t2024: 25-26 budget, FY 23/24, 5 - 7 pages, 3.5pp, 45 %",
    "Total 5\nmillion, 7 bn, 12k visits, 3m, 2 thousand homes, 4 per\u00a0cent, 6\u2003million",
    "£5thousand, 7million, 9bn, 4mn, 12percent, 3per cent, 8pp, 2p.p. and 6percentage points",
    "x\u00b2 + 7\u00b3 \u2013 \u20ac12bn \u2019s 1st, 22nd, 3rd and 40th; 10 to 15%; 61.8 years for men",
    "The average of\n86.9.\n1. Introduction\n2 Apologies\nTarget 92%  Latest 84%",
    "   \n\n\t",
    "",
    "9",
]

# characters that exercise every branch: digits, signs, currency, suffix letters, spaces of all kinds
_ALPHABET = st.sampled_from(
    list("0123456789,.%£$€-–+ \t\n()/:;kKmMbnstrdhpercntoilaygwfu") + ["\u00a0", "\u2003", "\u2028", "\x0b", "\u00e9", "\u0130"]
)
_TEXT = st.text(_ALPHABET, max_size=60)

_RULES = F.load_figure_rules()


def test_whitespace_test_is_the_regex_class() -> None:
    """The peeks use ``str.isspace`` for what the suffix patterns' ``\\s`` matches."""
    space = re.compile(r"\s")
    for code in range(sys.maxunicode + 1):
        c = chr(code)
        assert c.isspace() == (space.match(c) is not None), hex(code)


def _every_char_passes(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    """Make each peek let every character of ``text`` through: the plain "always try" computation."""
    everything = "".join(sorted(set(text))) or " "
    for name in ("_MULT_FIRST", "_PCT_FIRST", "_PP_FIRST", "_ORD_FIRST"):
        monkeypatch.setattr(F, name, getattr(F, name) + everything)


def _parsed(text: str) -> list[F.Number | None]:
    return [F._parse_number(text, m, _RULES) for m in F._num_matches(text)]


@pytest.mark.parametrize("text", _TEXTS)
def test_parse_number_peeks_change_nothing(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _parsed(text)
    _every_char_passes(monkeypatch, text)
    assert fast == _parsed(text)


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_parse_number_peeks_change_nothing_anywhere(text: str) -> None:
    fast = _parsed(text)
    with pytest.MonkeyPatch.context() as mp:
        _every_char_passes(mp, text)
        assert fast == _parsed(text)


def test_suffix_patterns_start_with_their_first_characters() -> None:
    """The peek sets hold every character each suffix pattern can start with besides whitespace:
    each character is tried with the rest of every alternative after it ("t" + "housand")."""
    tails = ["", "illion", "housand", "n", "ercent", "er cent", "t", "d", "h", "ercentage points", ".p.", "p"]
    for code in range(0x3000):
        c = chr(code)
        if c.isspace():
            continue
        for tail in tails:
            probe = c + tail + " "
            for rx, first in ((F._MULT, F._MULT_FIRST), (F._PCT, F._PCT_FIRST), (F._ORD, F._ORD_FIRST), (F._PP, F._PP_FIRST)):
                if rx.match(probe) is not None:
                    assert c in first, (rx.pattern, c, tail)


def _spans(draw_ints: list[int]) -> list[tuple[int, int]]:
    """Spans in order and apart (or touching), from pairs of (gap, width - 1)."""
    out, pos = [], 0
    for k in range(0, len(draw_ints) - 1, 2):
        a = pos + draw_ints[k]
        b = a + 1 + draw_ints[k + 1]
        out.append((a, b))
        pos = b
    return out


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(1, 8)), max_size=20), st.lists(st.integers(0, 6), max_size=30))
def test_interval_walker_is_hits(intervals: list[tuple[int, int]], queries: list[int]) -> None:
    # masks may overlap, touch and come in any order; the queries start in order, as candidate numbers do
    iv = F._Intervals([(a, a + w) for a, w in intervals])
    walk = iv.walker()
    asks = _spans(queries)
    assert [walk(a, b) for a, b in asks] == [iv.hits(a, b) for a, b in asks]


def _plain_next_words(text: str, pos: int, n: int = 3) -> list[str]:
    out = []
    for m in F._WORDS_AFTER.finditer(text, pos):
        if m.start() != pos:
            break
        out.append(m.group().strip().lower())
        pos = m.end()
        if len(out) >= n:
            break
    return out


@settings(max_examples=400, deadline=None)
@given(st.text(st.sampled_from(list("ab Cd'’-\t\n.5 ")), max_size=40), st.integers(0, 40), st.integers(1, 4))
def test_next_words_is_the_plain_scan(text: str, pos: int, n: int) -> None:
    pos = min(pos, len(text))
    assert F._next_words(text, pos, n) == _plain_next_words(text, pos, n)


@pytest.mark.parametrize("text", _TEXTS)
def test_next_words_at_every_place(text: str) -> None:
    for pos in range(len(text) + 1):
        assert F._next_words(text, pos, 2) == _plain_next_words(text, pos, 2)


def _plain_numbers_premises(text: str) -> None:
    """What the count shortcut in _numbers relies on: a plain number followed by anything but
    whitespace has no duration word, no next word and no rate after it."""
    for m in F._num_matches(text):
        n = F._parse_number(text, m, _RULES)
        if n is None or not n.plain or text[n.end : n.end + 1].isspace():
            continue
        assert F._duration(text, n, _RULES) is None
        assert F._next_words(text, n.end, 1) == []
        assert F._RATE_AFTER.match(text[n.end : n.end + 160]) is None


@pytest.mark.parametrize("text", [*_TEXTS, "5 per 1,000 people; 12 working days, 3 hours a day, 7years"])
def test_count_shortcut_premises(text: str) -> None:
    _plain_numbers_premises(text)


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_count_shortcut_premises_anywhere(text: str) -> None:
    _plain_numbers_premises(text)


@settings(max_examples=400, deadline=None)
@given(st.text(st.sampled_from(list("0123456789 -/–.,%£$ab")), max_size=30))
def test_short_financial_year_needs_two_digits(text: str) -> None:
    for m in F._num_matches(text):
        a, b = m.span("num")
        if b - a != 2:
            assert not F._short_financial_year(text, a, b), (text, a, b)


@pytest.mark.parametrize("text", ["the fans in 25-26 and FY 23/24", "25 - 26 and 99/00 but not 123-124 or 25.5-26 or 7-8"])
def test_short_financial_year_still_found(text: str) -> None:
    found = [m.group("num") for m in F._num_matches(text) if F._short_financial_year(text, *m.span("num"))]
    assert found and all(len(x) == 2 for x in found)


@settings(max_examples=400, deadline=None)
@given(st.text(st.sampled_from(list("if unless 5 \t\n,.x")), max_size=40))
def test_condition_starts_with_a_space_or_tab(text: str) -> None:
    for p in range(len(text) + 1):
        if text[p : p + 1] not in F._SPACE_OR_TAB:
            assert F._CONDITION.match(text, p, min(len(text), p + 90)) is None


@pytest.mark.parametrize("text", _TEXTS)
def test_find_numbers_unchanged_by_the_peeks(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = F.find_numbers(text, _RULES)
    _every_char_passes(monkeypatch, text)
    assert fast == F.find_numbers(text, _RULES)


def test_interval_walker_reads_each_interval_once() -> None:
    """The walker moves forward only: a query before the current interval still answers right
    when its start has not gone back (the candidates never do)."""
    iv = F._Intervals([(2, 4), (10, 12), (20, 30)])
    walk = iv.walker()
    asks = [(0, 1), (1, 3), (4, 10), (11, 11 + 1), (19, 20), (29, 31), (31, 40)]
    assert [walk(a, b) for a, b in asks] == [iv.hits(a, b) for a, b in asks] == [False, True, False, True, False, True, False]
