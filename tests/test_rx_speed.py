"""The rx layer's faster paths give exactly what the plain ``re`` calls give (issue 9).

* :func:`extract.rx.fold.has_fold_risk` answers as ``FOLD_RISK.search`` does;
* :func:`extract.rx.scan.finditer` on a multi-line ``^`` pattern (the line-start
  scan) gives ``Pattern.finditer``'s matches: same spans and groups, at the text's
  start, across lines, ignoring case, with leading inline flags;
* the digit-window regex opening with a character class (so ``re`` skips to the
  digits) matches exactly where its plain ``(?:RUN)++`` form does;
* :func:`extract.rx.scan.word_search` (a tree of the words' shared starts) finds what
  the plain alternation of the words, longest first, finds: same spans, same words;
* :class:`extract.rx.literals.MultiFinditer` runs one scan over the digit windows for
  all the kinds of start that are searched only near digits, and still gives every
  pattern's own ``finditer`` matches.

Texts are fictional minutes written for these tests plus generated strings.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract.nlp.figures import load_figure_rules
from extract.rx import fold, literals, scan

_LINES = """Minutes:
Kettlebay Borough Council - Audit Committee
  Minutes:
Decision: the Board AGREED the report.
RESOLVED:
notes:\t
1. Apologies for absence
Minutes of the meeting held on 3 March 2025 were approved.
Report title: Annual governance statement
Decisions:
"""

_PATTERNS = [
    (r"^[ \t]*(?:Minutes|Decision|Decisions|Resolved|Notes):[ \t]*$", re.M | re.I),
    (r"(?m)^[ \t]*Minutes:[ \t]*$", re.I),
    (r"(?im)^[ \t]*minutes\s+of\s+(?:a|an|the)\s+(?P<what>\w+)", 0),
    (r"^(?:Report\s+(?:title|author)):\s*(?P<value>[^\n]*)", re.M),
    (r"^\d+\.\s+Apologies\s+for\s+absence\s+Minutes", re.M),  # a match running onto the next line
    (r"^(Decision|RESOLVED):?", re.M),  # a capturing group
]


@pytest.mark.parametrize(("source", "flags"), _PATTERNS)
@pytest.mark.parametrize("text", [_LINES, _LINES * 3, "x" * 250 + "\n" + _LINES, _LINES.replace("\n", "\r\n")])
def test_line_start_scan_gives_finditer(source: str, flags: int, text: str) -> None:
    pattern = re.compile(source, flags)
    plan = scan.plan_for(pattern)
    assert plan is not None and plan.line_start
    got = [(m.span(), m.groups()) for m in scan.finditer(pattern, text)]
    assert got == [(m.span(), m.groups()) for m in pattern.finditer(text)]


@pytest.mark.parametrize(
    ("source", "flags"),
    [(r"^Minutes:", 0), (r"\AMinutes:", re.M), (r"(?:^|\n)Minutes:", re.M), (r"^Minutes:(?#x)", re.M | re.X)],
)
def test_line_start_needs_a_multiline_caret_first(source: str, flags: int) -> None:
    """Only a pattern whose every match starts a line takes the line-start scan."""
    plan = scan.plan_for(re.compile(source, flags))
    assert plan is None or not plan.line_start


_PIECES = st.sampled_from(
    ["Minutes:", "minutes:", "MINUTES:", "Decision:", "Decisions:", "notes:", " ", "\t", "\n", "\n\n", "x",
     "Minutes of the meeting", "Report title: Budget", "RESOLVED", "Resolved:", "\u017f", "1. Apologies for absence"]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, min_size=40, max_size=140))
def test_line_start_scan_on_generated_texts(pieces: list[str]) -> None:
    text = "".join(pieces)
    for source, flags in _PATTERNS:
        pattern = re.compile(source, flags)
        got = [(m.span(), m.groups()) for m in scan.finditer(pattern, text)]
        assert got == [(m.span(), m.groups()) for m in pattern.finditer(text)], source


@pytest.mark.parametrize(
    "text",
    ["", "plain ascii", "caf\u00e9 \u2019quoted\u2019", "dotless \u0131", "capital \u0130", "long \u017f",
     "kelvin \u212a", "\u00e9\u2019\u212a", "\U0001f600 emoji"],
)
def test_has_fold_risk_agrees_with_the_regex(text: str) -> None:
    assert fold.has_fold_risk(text) == bool(fold.FOLD_RISK.search(text))
    assert fold.fold_safe_lower(text) == (None if fold.FOLD_RISK.search(text) else text.lower())


_NUMBERS = (
    "Item 4.2: the Panel noted 1,234 calls (up 12.5% on 2023/24) and NW4 4BQ.\n"
    "  Tel: 020 8359 7113 - aged 18-24, 65+; No. 12 para 3(b) s.106 of the Act\n"
    "\t2024\u00a0\u00a0and\u2003 7 \u2028 Page 2 of 9  ſeven 3"
)


def _plain_windows_rx(reach: int) -> re.Pattern[str]:
    return re.compile(rf"(?:[0-9]++\s*+(?:[^\s0-9]\s*+){{0,{reach}}}+)++")


@pytest.mark.parametrize("reach", [0, 1, 3, 22, 40])
@pytest.mark.parametrize("text", [_NUMBERS, _NUMBERS[::-1], "", "no digits here", "1", " 12 ", _LINES])
def test_digit_window_regex_equals_its_plain_form(reach: int, text: str) -> None:
    fast, plain = literals._windows_rx(reach), _plain_windows_rx(reach)
    assert fast.pattern.startswith("[0-9]")  # (what lets re skip to the next digit)
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789 \t\nab.,-£%\u00a0", max_size=120), st.integers(min_value=0, max_value=30))
def test_digit_window_regex_on_generated_texts(text: str, reach: int) -> None:
    fast, plain = literals._windows_rx(reach), _plain_windows_rx(reach)
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]


_MASKS = [m.regex for m in load_figure_rules().masks]
_FINDER = literals.MultiFinditer(_MASKS)
_FINDER.build()  # (searched with its combined scans from the first text)


def test_windowed_kinds_share_one_scan() -> None:
    """The figure masks have word-start and capital-start patterns near digits: one scan covers both."""
    finder = literals.MultiFinditer(_MASKS)
    windowed = [s for s in finder.scans if s.windowed]
    assert len(windowed) == 1
    assert len(windowed[0].members) == len(set(windowed[0].members))


_MASK_PIECES = st.sampled_from(
    ["Item", "item 4", "No. 12", "Section 17", "s.106", "Table 3", "Page 2 of 9", "para 4.2", "aged 18-24",
     "65+", "per 1,000", "at 10.30", "Monday, 5", "5 March 2024", "FY 2024/25", "BS EN 1090", "NW4 4BQ",
     "Tel: 020 8359 7113", "Annex B", "Agenda Item 7", "under-18s", "1.", "(a)", "\n", "\n\n", " ", "\t", "the",
     "Councillor", "A406", "covid-19", "24/7", "ſeven", "3", "40"]
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_MASK_PIECES, min_size=5, max_size=80), st.lists(st.sampled_from([" ", "", "\n", ", "]), min_size=80, max_size=80))
def test_multifinditer_found_equals_finditer(pieces: list[str], gaps: list[str]) -> None:
    """Whatever the scans' grouping, each pattern's matches are its own ``finditer``'s (same spans and groups)."""
    text = "".join(p + g for p, g in zip(pieces, gaps, strict=False))
    got = {k: [(m.span(), m.groups()) for m in found] for k, found in _FINDER.found(text)}
    want = {k: [(m.span(), m.groups()) for m in rx.finditer(text)] for k, rx in enumerate(_MASKS)}
    assert got == {k: v for k, v in want.items() if v}



def _plain_word_search(words: frozenset[str]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w))))


_WORD_SETS = [
    frozenset({"board", "boards", "boardroom", "cabinet", "council", "committee", "commission", "sub-committee"}),
    frozenset({"a", "ab", "abc", "abd", "b", "bc"}),
    frozenset({"e.g.", "(i)", "[x]", "a|b", "£m", "per cent", "per\tcent", "\\"}),
    frozenset({"x"}),
    frozenset({"", "the"}),
    frozenset(),
    frozenset({"x" * 300, "x" * 299 + "y", "x" * 150}),
]


@pytest.mark.parametrize("words", _WORD_SETS)
@pytest.mark.parametrize(
    "text",
    ["The Boardroom: boards, board-level sub-committee; the committees of council.", "abcabdab bc abc", "",
     "e.g. (i) [x] a|b £m per cent per\tcent \\ x"],
)
def test_word_search_equals_the_alternation(words: frozenset[str], text: str) -> None:
    fast, plain = scan.word_search(words), _plain_word_search(words)
    for hay in (text, text.lower()):
        assert [(m.span(), m.group()) for m in fast.finditer(hay)] == [(m.span(), m.group()) for m in plain.finditer(hay)]
        for pos in range(len(hay)):
            got, want = fast.search(hay, pos), plain.search(hay, pos)
            assert (got and got.span()) == (want and want.span())


@settings(max_examples=200, deadline=None)
@given(
    st.frozensets(st.text(alphabet="abc-.", min_size=1, max_size=4), min_size=1, max_size=8),
    st.text(alphabet="abc-. ", max_size=60),
)
def test_word_search_on_generated_words(words: frozenset[str], text: str) -> None:
    fast, plain = scan.word_search(words), _plain_word_search(words)
    assert [(m.span(), m.group()) for m in fast.finditer(text)] == [(m.span(), m.group()) for m in plain.finditer(text)]
