"""Exact shortcuts in extract.nlp.figures, each compared with the plain computation it replaces."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.nlp import figures as F

# the token regex as it was written before the shortcut (number, word, mark; no look-ahead)
_PLAIN_TOK = re.compile(
    r"(?P<n>[£$€]?[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?(?:%|k\b|m\b|bn\b|st\b|nd\b|rd\b|th\b)?)"
    r"|(?P<w>[A-Za-z][A-Za-z0-9'’&\-–/]*[A-Za-z0-9]|[A-Za-z])"
    r"|(?P<p>[^\sA-Za-z0-9¹²³⁴⁵⁶⁷⁸⁹⁰])"
)

_COUNCIL_TEXT = [
    "Burglary fell by 9% to 1,184 offences in 2023/24 (£3.2m, -14.5%).",
    "The 101 non-emergency line answered 84% of calls within 3 minutes;\n 2nd quarter: 57 cases.",
    "Item 4.a  Minutes of 12 March\t2024 \u00a3 5 and \u20ac12bn, 3rd, 20mph, A&E re-admissions",
    "x\u00b2 + y\u00b9 \u2013 7\u00b3 \u2014 'quoted' \u201cword\u201d \u2019s e-mail: clerk@council.gov.uk",
    "   \n\n\t",
    "",
]

# characters that exercise every branch: letters, digits, currency, signs, marks, spaces, superscripts
_ALPHABET = st.sampled_from(list("aZkmbnsthd09,.%£$€&'’-–/ \t\n()¹²³:;") + ["\u00a0", "\u2003"])


def _tokens(rx: re.Pattern[str], text: str, a: int, b: int) -> list[tuple[str, tuple[int, int], str | None]]:
    return [(m.group(), m.span(), m.lastgroup) for m in rx.finditer(text, a, b)]


@pytest.mark.parametrize("text", _COUNCIL_TEXT)
def test_token_regex_matches_the_plain_one(text: str) -> None:
    assert _tokens(F._TOK, text, 0, len(text)) == _tokens(_PLAIN_TOK, text, 0, len(text))


@settings(max_examples=300, deadline=None)
@given(st.text(_ALPHABET, max_size=40), st.integers(0, 40), st.integers(0, 40))
def test_token_regex_matches_the_plain_one_anywhere(text: str, a: int, b: int) -> None:
    a, b = min(a, len(text)), min(max(a, b), len(text))
    assert _tokens(F._TOK, text, a, b) == _tokens(_PLAIN_TOK, text, a, b)


@pytest.mark.parametrize("rank", [False, True])
@pytest.mark.parametrize("text", _COUNCIL_TEXT + ["Crime rose, then fell and increased; up 5, down 2, falling to 5th"])
def test_change_words_at_is_the_plain_scan(text: str, rank: bool) -> None:
    rules = F.load_figure_rules()
    toks = F.tokenize(text)
    inc, dec = F._direction_words(rules, rank)
    plain = [k for k, tok in enumerate(toks) if tok.low in inc or tok.low in dec]
    assert F._change_words_at(toks, rules, rank) == plain


def _plain_continues_line(text: str, pos: int, words: frozenset[str]) -> bool:
    a = text.rfind("\n", 0, pos)
    if a < 0 or not re.match(r"[ \t]*[0-9]", text[pos : pos + 8]):
        return False
    m = F._LAST_WORD.search(text[max(0, a - 30) : pos])
    return bool(m) and m.group(1).lower() in words


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(list("of the average\n \t 86.9 12 \u00a3x")), max_size=60), st.integers(0, 60))
def test_continues_line_is_the_plain_test(text: str, pos: int) -> None:
    pos = min(pos, len(text))
    words = frozenset({"of", "average", "the"})
    assert F._continues_line(text, pos, words) == _plain_continues_line(text, pos, words)


def test_mask_parts_are_the_named_groups() -> None:
    for mask in F.load_figure_rules().masks:
        assert mask.parts == tuple(g for g in ("x", "y") if g in mask.regex.groupindex)


def _fields(toks: list[F.Tok]) -> list[tuple[str, int, int, str, str]]:
    return [(t.text, t.start, t.end, t.kind, t.low) for t in toks]


@settings(max_examples=300, deadline=None)
@given(st.text(_ALPHABET, max_size=40), st.integers(0, 40), st.integers(0, 40))
def test_sentence_tokens_are_the_plain_tokens(text: str, a: int, b: int) -> None:
    a, b = min(a, len(text)), min(max(a, b), len(text))
    toks, starts, numbers = F._sentence_tokens(text, a, b)
    plain = [F.Tok(m.group(), m.start(), m.end(), m.lastgroup or "p") for m in _PLAIN_TOK.finditer(text, a, b)]
    assert _fields(toks) == _fields(plain)
    assert starts == [t.start for t in plain]
    assert numbers == [k for k, t in enumerate(plain) if t.kind == "n"]


@pytest.mark.parametrize("text", _COUNCIL_TEXT + ["Category 1 defects: 12 of the 101 calls, 3 - 4 per 1000 in 2023"])
def test_names_numbers_reads_only_the_number_tokens(text: str) -> None:
    rules = F.load_figure_rules()
    figures = F.find_numbers(text, rules)
    every, some = F.tokenize(text), F.tokenize(text)
    F._names_numbers(every, figures, rules)
    F._names_numbers(some, figures, rules, [k for k, t in enumerate(some) if t.kind == "n"])
    assert _fields(every) == _fields(some)


_VOTE_WINDOWS = [
    "Motion carried. For (",
    "voted as follows: Against: ",
    "Members In  Favour - ",
    "Abstentions\t",
    "the reduction of ",
    "(Aye) ",
    "noes;",
    "Yes, ",
    "x\u017fFor: ",
    "Opposed \u2013 ",
]
_VOTE_ALPHABET = st.sampled_from(list("ForAgainstYesNoAyefavour :(-\u2013,;.\t\n") + ["\u212a", "\u0130", "\u017f"])


@pytest.mark.parametrize("window", _VOTE_WINDOWS)
def test_vote_label_shortcut_never_skips_a_match(window: str) -> None:
    labels = F.load_figure_rules().w("VOTE_LABEL")
    if F._words_rx("vote_label", labels).search(window):
        assert F._may_end_in_label(window, labels)


@settings(max_examples=400, deadline=None)
@given(st.text(_VOTE_ALPHABET, max_size=20))
def test_vote_label_shortcut_never_skips_a_match_anywhere(window: str) -> None:
    labels = F.load_figure_rules().w("VOTE_LABEL")
    if F._words_rx("vote_label", labels).search(window):
        assert F._may_end_in_label(window, labels)


def test_vote_label_shortcut_skips_plain_prose() -> None:
    labels = F.load_figure_rules().w("VOTE_LABEL")
    assert not F._may_end_in_label("burglary fell by ", labels)
    assert F._may_end_in_label("Against: ", labels)


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(list("carried vote fell CARRIED \u0130\u017f\u212a\u03a3 ")), max_size=40), st.integers(0, 40), st.integers(0, 40))
def test_tally_words_of_a_window_are_in_its_sentence(sentence: str, a: int, b: int) -> None:
    a, b = min(a, len(sentence)), min(max(a, b), len(sentence))
    if F.could_match(F._TALLY_WORDS, F.fold_case(sentence[a:b])):
        assert F.could_match(F._TALLY_WORDS, F.fold_case(sentence))


def test_word_lists_are_the_vocabulary_lists() -> None:
    rules = F.load_figure_rules()
    assert rules.w("VOTE_LABEL") == rules.words["VOTE_LABEL"]
    assert rules.w("NO_SUCH_LIST") == frozenset()
    assert "NO_SUCH_LIST" not in rules.words
