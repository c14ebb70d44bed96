"""The names the fallback finder adds to the people component's, read only where they can be.

:func:`extract.nlp.actions._surnamed_outside` must return exactly the names of
:func:`find_people` whose surname is known and that overlap none of the people
already known (the ones :func:`find_actions` keeps), while reading only the small
parts of the text around surname places outside the people and around first
names that may stand bare outside them. Compared here with the plain computation
on examples and on generated text with generated people.
"""

from __future__ import annotations

from itertools import accumulate
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.nlp import actions as A
from extract.nlp.actions import find_people, find_people_surnamed, load_action_rules

RULES = load_action_rules()
FIXTURES = Path(__file__).resolve().parent / "fixtures"

_PIECES = [
    "Ms Kerr", "Mr J. Cook", "Mr. Cook", "Councillor David Longstaff", "Chief\nInspector Hale", "Duncan Tessier",
    "Duncan", "Duncan said", "Duncan Smith", "Steve Leader", "from Steve Leader", "by Sarah J Hammond",
    "Sarah J. Hammond", "Smith", "John Smith", "SMITH", "smith", "Dr Frost", "Dr Frost and Ms Yates", "The Board",
    "Community Safety Team", "Kerr", "kerr", "Ms Kerr-Jones", "O'Neil", "Mary O'Neil", "agreed to", "would",
    "reported", "the Police", "(Head of Service)", "Action:", "1.", "2024", "£3m", "\u212aerr", "Kerr’s",
    "McDuncan Cook", "eSafety Leader", "Mr The Smith", "Council Member Ortiz", "Cllr Amira Patel", "Patel",
    "Amira", "Amira noted", "The meeting", "It was", "Leader", "leader", "Hale", "David",
]
_GAPS = [" ", " ", "\n", "\n\n", ", ", "; ", ": ", ". ", ".\n", " (", ") ", "\t", "", " - ", "/", "   \n  "]
_SURNAMES = ["kerr", "cook", "longstaff", "tessier", "leader", "hammond", "smith", "frost", "yates", "o'neil",
             "hale", "kerr-jones", "board", "patel", "ortiz", "smith jones", "müller", ""]


def _plain(text: str, surnames: set[str], people: list[tuple[int, int]]) -> list:
    """The reference: every name the whole-text finder returns with a known surname, that no person overlaps."""
    return [q for q in find_people(text, RULES)
            if q.surname and q.surname.lower() in surnames and not any(a < q.end and q.start < b for a, b in people)]


def _outside(text: str, surnames: set[str], people: list[tuple[int, int]]) -> list:
    people = sorted(people)
    starts = [a for a, _b in people]
    reach = list(accumulate((b for _a, b in people), max))
    return A._surnamed_outside(text, RULES, surnames, starts, reach)


def _spans_of(text: str, every: int) -> list[tuple[int, int]]:
    """Some of the names the finder itself sees, as people already known (every ``every``-th)."""
    return [(q.start, q.end) for q in find_people(text, RULES)][::every]


@pytest.mark.parametrize(
    ("text", "surnames", "people"),
    [
        ("Duncan Tessier opened the meeting. Duncan said he would report back.", {"tessier"}, []),
        ("Duncan Tessier opened the meeting. Duncan said he would report back.", {"tessier"}, [(0, 14)]),
        ("Duncan Tessier, then Duncan Smith spoke.\nDuncan said he would write.", {"tessier"}, [(0, 14)]),
        ("Duncan Tessier, then Duncan Smith spoke.\nDuncan said he would write.", {"tessier", "smith"}, [(0, 14)]),
        ("Ms Kerr (Chair) thanked Mr J. Cook; Cook agreed to circulate it.", {"kerr", "cook"}, [(0, 7)]),
        ("Councillor David\nLongstaff asked from Steve Leader for an update.", {"longstaff", "leader"}, [(0, 26)]),
        ("Amira noted it.\nCllr Amira Patel agreed to write to Amira Patel.", {"patel"}, [(16, 32)]),
        ("Amira noted it.\nCllr Amira Patel agreed.", {"patel"}, [(16, 32), (0, 5)]),
        ("The Leader said. Leader Smith will attend; the leader agreed.", {"leader", "smith"}, []),
        ("Nobody here is named.", {"kerr"}, []),
        ("Ms Kerr spoke.", set(), []),
        ("", {"kerr"}, []),
        ("   Duncan said so. Mr Duncan Tessier agreed.", {"tessier"}, [(19, 36)]),
    ],
)
def test_outside_equals_the_plain_reading_on_examples(text, surnames, people):
    assert _outside(text, surnames, people) == _plain(text, surnames, people)
    # and the finder it stands in for, filtered the way find_actions filters it
    starts = [a for a, _b in sorted(people)]
    reach = list(accumulate((b for _a, b in sorted(people)), max))
    assert _outside(text, surnames, people) == [
        q for q in find_people_surnamed(text, RULES, surnames) if not A._overlaps_one(starts, reach, q.start, q.end)]


_TEXT = st.lists(st.tuples(st.one_of(st.sampled_from(_PIECES), st.text(max_size=4)), st.sampled_from(_GAPS)),
                 max_size=30).map(lambda parts: "".join(p + g for p, g in parts))


@settings(max_examples=400, deadline=None)
@given(_TEXT, st.sets(st.sampled_from(_SURNAMES), max_size=6), st.integers(1, 4), st.booleans())
def test_outside_equals_the_plain_reading_on_generated_text(text, surnames, every, word_scan):
    people = _spans_of(text, every)
    old = A._CAP_SCAN
    A._CAP_SCAN = 0 if word_scan else 10**12  # both ways of finding the surname places
    try:
        assert _outside(text, surnames, people) == _plain(text, surnames, people)
    finally:
        A._CAP_SCAN = old


@settings(max_examples=200, deadline=None)
@given(_TEXT, st.lists(st.tuples(st.integers(0, 300), st.integers(0, 20)), max_size=8),
       st.sets(st.sampled_from(_SURNAMES), max_size=6))
def test_outside_equals_the_plain_reading_with_arbitrary_people(text, spans, surnames):
    people = [(a, a + k) for a, k in spans if a + k <= len(text)]
    assert _outside(text, surnames, people) == _plain(text, surnames, people)


@settings(max_examples=200, deadline=None)
@given(_TEXT)
def test_no_name_runs_across_a_part_stop(text):
    """What _surnamed_outside reads part by part: no name holds a place where a part ends."""
    assert RULES.person_barrier is not None
    fwd, _back = A._segment_stops(tuple(RULES.honorifics), RULES.person_barrier.pattern)
    for m in RULES.person_re.finditer(text):
        assert fwd.search(m.group()) is None, m.group()


def test_outside_equals_the_plain_reading_on_fixture_documents():
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(FIXTURES.rglob("*.txt"))]
    assert texts, "the project's fixtures are missing"
    for text in texts:
        found = find_people(text, RULES)
        surnames = {q.surname.lower() for q in found if q.surname}
        for every in (1, 2, 5):
            people = [(q.start, q.end) for q in found][::every]
            assert _outside(text, surnames, people) == _plain(text, surnames, people)


def test_overlaps_one_is_the_plain_overlap_test():
    people = [(0, 5), (3, 4), (10, 12), (20, 30)]
    starts = [a for a, _b in people]
    reach = list(accumulate((b for _a, b in people), max))
    for a in range(35):
        for b in range(a, 36):
            plain = any(s < b and a < e for s, e in people)
            assert A._overlaps_one(starts, reach, a, b) == plain, (a, b)
