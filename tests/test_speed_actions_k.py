"""Round (k) shortcuts in the targets component find exactly what the plain regexes find.

* The anchor cue scan (:meth:`extract.nlp.targets._Cues.in_span`) searches for its cue words
  with a prefix tree (:func:`extract.nlp.targets._word_tree_search`) instead of the plain
  alternation of the words, longest first (:func:`extract.nlp.targets._literal_search`).
* The change-verb regex (:attr:`extract.nlp.targets.TargetRules.verb_re`) holds the verbs as
  a prefix tree (:func:`extract.nlp.targets._verb_alternation`) instead of the plain
  alternation (:func:`extract.rx.words.alternation`).

Each is compared with the plain form on fictional text: whole texts, every span between
two places (so text at chunk and sentence ends), empty text, unicode (the characters
``re.IGNORECASE`` folds onto ASCII letters), words running into each other, and numbers at
the boundaries.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.nlp.targets import (
    _literal_search,
    _verb_alternation,
    _word_tree_search,
    extract_targets,
    load_target_rules,
)
from extract.rx.fold import fold_case
from extract.rx.literals import guarded
from extract.rx.words import alternation

RULES = load_target_rules()
CUE_WORDS = tuple(RULES.anchor_cues.bits) if RULES.anchor_cues is not None else ()
VERB_WORDS = [*RULES.verbs, *RULES.participles]


def _plain_verb_re(words: list[str]) -> re.Pattern[str]:
    return guarded(re.compile(r"(?<!\w)(?<!\w-)(?:" + alternation(words) + r")(?![\w-])", re.I))


TEXTS = [
    "",
    "to",
    "Reduce burglary by 15% by 2026 and increase the rate to at least 70% from 65.8%.",
    "We will bring the reoffending rate down to 28%, drive up uptake and push  down waits.",
    "increases increased increase-led re-reduce reduced-cost REDUCED Reduce\nDecrease\tdecreased",
    "targetto totarget attarget byby fromfrom abovebelow ensuring ensure at least 600 staff",
    "The ambition of 90%; goal: 45; trajectory – 12; no fewer than 40; up to 5; under 30.",
    "ſustain ſustained İncrease ıncrease MAİNTAİN Keep KEEP keep",  # re.I folds these onto ASCII
    "café: improve by 3 %, lower to 2.5 percent; halve 1,200 → 600 (Baseline figure - 2689)",
    "12to 13by to12 by13 at12 from7to9 2028 1 April 2025 31/03/2026",
    "bring\ndown\nthe number of\ncases up to 9",
]


@pytest.mark.parametrize("text", TEXTS)
def test_cue_tree_finds_what_the_plain_search_finds(text: str) -> None:
    tree, plain = _word_tree_search(CUE_WORDS), _literal_search(CUE_WORDS)
    assert tree is not None and plain is not None
    folded = fold_case(text)
    assert tree.findall(folded) == plain.findall(folded)
    for a in range(len(folded) + 1):
        for b in range(a, len(folded) + 1, 3):
            assert tree.findall(folded, a, b) == plain.findall(folded, a, b)


@pytest.mark.parametrize("text", TEXTS)
def test_verb_tree_finds_what_the_plain_regex_finds(text: str) -> None:
    plain = _plain_verb_re(VERB_WORDS)
    assert [m.span() for m in RULES.verb_re.finditer(text)] == [m.span() for m in plain.finditer(text)]
    for a in range(0, len(text) + 1, 2):
        for b in range(a, len(text) + 1, 5):
            got = [(m.span(), m.group()) for m in RULES.verb_re.finditer(text, a, b)]
            assert got == [(m.span(), m.group()) for m in plain.finditer(text, a, b)]


@pytest.mark.parametrize("words", [
    ("by", "to", "at"),
    ("at", "ate", "later", "a"),  # nested prefixes: the longest that matches wins
    ("per cent", "per"),  # a space: the tree would read it as \s+, so the plain search is kept
    ("café", "caf"),  # not ASCII: no tree
    (),
])
def test_word_tree_search_keeps_plain_matches(words: tuple[str, ...]) -> None:
    tree, plain = _word_tree_search(words), _literal_search(words)
    if plain is None:
        assert tree is None
        return
    for text in ["", "at ate later a per cent per\ncent café caf", "latera ateat percent", *TEXTS]:
        assert tree.findall(text) == plain.findall(text)


@pytest.mark.parametrize("words", [
    ["reduce", "reduced", "increase", "increased", "bring down", "bring up"],
    ["keep", "sustain", "lift", "rise", "risen"],  # letters re.IGNORECASE folds beyond ASCII
    ["push  down"],  # two spaces: no tree, the plain alternation
])
def test_verb_alternation_matches_plain(words: list[str]) -> None:
    tree = guarded(re.compile(r"(?<!\w)(?<!\w-)(?:" + _verb_alternation(words) + r")(?![\w-])", re.I))
    plain = _plain_verb_re(words)
    text = ("Reduced reduce-x reduces KEEP ſustain ſustained Lıft LİFT rise risen risenx bring  down "
            "bring\nup push  down push down increased increase")
    assert [m.span() for m in tree.finditer(text)] == [m.span() for m in plain.finditer(text)]


_PIECES = st.sampled_from([
    "to", "by", "at", "from", "above", "below", "ensure", "target", "goal", "least", "more", "over",
    "up", "under", "fewer", "less", "reduce", "reduced", "increase", "bring", "down", "keep", "halve",
    " ", "\n", "-", "'", "’", "%", "12", "3.5", ",", ".", "ſ", "İ", "ı", "K", "é", "T", "O", "Re", "d",
])


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=30), st.integers(0, 40), st.integers(0, 40))
def test_generated_text(pieces: list[str], a: int, b: int) -> None:
    text = "".join(pieces)
    a, b = min(a, len(text)), min(max(a, b), len(text))
    folded = fold_case(text)
    assert _word_tree_search(CUE_WORDS).findall(folded, a, b) == _literal_search(CUE_WORDS).findall(folded, a, b)
    plain = _plain_verb_re(VERB_WORDS)
    assert ([m.span() for m in RULES.verb_re.finditer(text, a, b)]
            == [m.span() for m in plain.finditer(text, a, b)])


def test_targets_still_found() -> None:
    """The component still reads aims the usual way with the tree forms in place."""
    got = extract_targets("Reduce residential burglary by 15% by March 2026.\n\nWe will bring the rate down to 28%.")
    assert [(t.direction, t.amount, t.amount_unit) for t in got] == [("reduce", 15.0, "percent"), ("reach", 28.0, "percent")]

