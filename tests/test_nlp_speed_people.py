"""Fast paths of the sentence and people components equal what they replace.

The token texts come from a table by ``ORTH`` hash, lower case is looked up
on demand, offsets come from a table of shared ints, and the people rules
skip positions where a name cannot start. Each test states the plain
definition and checks the fast path against it. All text is fictional.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.nlp import people as P
from extract.nlp import sentences as S
from extract.nlp.pipeline import load_nlp

MINUTES = (
    "PRESENT: Councillor Ann Prior (Chair), Mr R W Gough, Ms O-Dwyer\n"
    "Barnet Council\n\n"
    "Agenda Item 4\n"
    "Peter Lindqvist, Community Safety Manager, introduced the report. Élodie Marchand said\n"
    "that the KiranVagarwal   • review would follow.\n"
    "Łukasz Nowak\nHead of Finance\nBarnet Council\n"
)

_WORDS = [
    "Mr", "Ms", "Cllr", "Councillor", "Peter", "Lindqvist", "O-Dwyer", "McAllister", "R.", "W.", "J",
    "Barnet", "Council", "Agenda", "Item", "said", "noted", "the", "and", "van", "Élodie", "ŁUKASZ",
    ",", ".", ":", "(", ")", "-", "’", "•", "\n", "\n\n", "\t", "  ",
]
_texts = st.lists(st.sampled_from(_WORDS), max_size=50).map(
    lambda ws: "".join(w if w.isspace() or not i else " " + w for i, w in enumerate(ws))
)


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


@pytest.mark.parametrize("text", [MINUTES, "", "A.", "Mr  Smith\n\n\tMs Jones", MINUTES.upper()])
def test_token_arrays_equal_spacy_tokens(nlp, text):
    doc = nlp(text)
    tk = S.token_arrays(doc)
    assert tk.txt == [t.text for t in doc]
    assert tk.low == [t.lower_ for t in doc]
    assert tk.idx == [t.idx for t in doc]
    assert tk.end == [t.idx + len(t.text) for t in doc]
    assert tk.ws == [t.whitespace_ for t in doc]
    # equal words are one string object, and the lower-case table gives str.lower
    words = {}
    for t in tk.txt:
        assert words.setdefault(t, t) is t
    assert all(S.LOWER[t] == t.lower() for t in tk.txt)


def test_sentence_component_leaves_lower_case_for_the_public_accessor(nlp):
    doc = nlp(MINUTES)
    assert doc.user_data["token_arrays"].low is None  # the components look up the few tokens they test
    assert S.token_arrays(doc, low=False).low is None
    assert S.token_arrays(doc).low == [t.lower_ for t in doc]


def test_a_word_first_met_twice_in_one_doc_is_one_object(nlp):
    word = "Zyxwvutsrqpo"  # (not in the table before this test)
    doc = nlp.make_doc(f"{word} met {word}.")
    tk = S.token_arrays(doc)
    assert tk.txt[0] == word and tk.txt[0] is tk.txt[2]


@settings(max_examples=150, deadline=None)
@given(text=_texts)
def test_neighbours_can_always_be_crossed(nlp, text):
    """``can_cross`` of neighbouring tokens is true without reading the text: only space tokens hold line breaks."""
    doc = nlp(text)
    view = P._View(doc, P.load_people_vocab("patterns/people_*.jsonl"), 50)
    for a in range(view.n - 1):
        gap = view.text[view.end[a] : view.idx[a + 1]]
        assert "\n" not in gap and "\t" not in gap
        assert view.can_cross(a, a + 1, incomplete=False)


@settings(max_examples=150, deadline=None)
@given(text=_texts)
def test_no_bare_name_at_means_parse_name_finds_none(nlp, text):
    """The pre-check of the block pass never skips a place where a strict parse finds a name."""
    doc = nlp(text + "\n" + MINUTES)
    view = P._View(doc, P.load_people_vocab("patterns/people_*.jsonl"), 50)
    for i in range(view.n):
        if not view.space[i] and P._no_bare_name_at(view, i):
            for max_pieces, allow_single in ((3, False), (4, True)):
                assert P.parse_name(view, i, strict=True, max_pieces=max_pieces, allow_single=allow_single) is None


@settings(max_examples=100, deadline=None)
@given(text=_texts)
def test_name_starts_are_the_capitalised_tokens_that_may_start_a_name(nlp, text):
    """``_name_starts_marked`` keeps initials and joined words unmarked, and single words that may start a name marked."""
    doc = nlp(text + " " + MINUTES)
    view = P._View(doc, P.load_people_vocab("patterns/people_*.jsonl"), 50)
    starts, single = P._name_starts_marked(view)
    expected = []
    for i in S.capitalised_tokens(doc):
        if P._initial_or_joined(view, i):
            expected.append((i, False))
        elif P._name_shaped(view.txt[i]) and P._word_ok_uncached(view.vocab, view.txt[i], "first", True, False):
            expected.append((i, True))
    assert list(zip(starts, single, strict=True)) == expected
