"""The fallback name finder read stretch by stretch finds what reading the whole text finds.

:func:`extract.nlp.actions.find_people_surnamed` reads only the stretches
(between characters no name can hold) where a known surname or a relevant
first name occurs; it must return exactly the names of
:func:`find_people` whose surname is known, on any text.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.nlp.actions import find_people, find_people_surnamed, load_action_rules

RULES = load_action_rules()
FIXTURES = Path(__file__).resolve().parent / "fixtures"

_PIECES = [
    "Ms Kerr", "Mr J. Cook", "Mr. Cook", "Councillor David Longstaff", "Chief\nInspector Hale", "Duncan Tessier",
    "Duncan", "Duncan said", "Steve Leader", "from Steve Leader", "by Sarah J Hammond", "Smith", "John Smith",
    "SMITH", "smith", "Dr Frost", "Dr Frost and Ms Yates", "The Board", "Community Safety Team", "Kerr",
    "kerr", "Ms Kerr-Jones", "O'Neil", "Mary O'Neil", "agreed to", "would", "reported", "the Police",
    "(Head of Service)", "Action:", "1.", "2024", "£3m", "\u212aerr", "Kerr’s",
]
_GAPS = [" ", " ", "\n", "\n\n", ", ", "; ", ": ", ". ", " (", ") ", "\t", "", " - ", "/"]
_SURNAMES = ["kerr", "cook", "longstaff", "tessier", "leader", "hammond", "smith", "frost", "yates", "o'neil",
             "hale", "kerr-jones", "board"]


def _plain(text: str, surnames: set[str]) -> list:
    return [q for q in find_people(text, RULES) if q.surname and q.surname.lower() in surnames]


@pytest.mark.parametrize(
    ("text", "surnames"),
    [
        ("Duncan Tessier opened the meeting. Duncan said he would report back.", {"tessier"}),
        ("Duncan Tessier, then Duncan Smith spoke.\nDuncan said he would write.", {"tessier"}),  # last Duncan wins
        ("Ms Kerr (Chair) thanked Mr J. Cook; Cook agreed to circulate it.", {"kerr", "cook"}),
        ("Councillor David\nLongstaff asked from Steve Leader for an update.", {"longstaff", "leader"}),
        ("Nobody here is named.", {"kerr"}),
        ("Ms Kerr spoke.", set()),
    ],
)
def test_surnamed_equals_filtered_on_examples(text, surnames):
    assert find_people_surnamed(text, RULES, surnames) == _plain(text, surnames)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.sampled_from(_PIECES), st.text(max_size=4)), st.sampled_from(_GAPS)),
                max_size=25),
       st.sets(st.sampled_from(_SURNAMES), max_size=5))
def test_surnamed_equals_filtered_on_generated_text(parts, surnames):
    text = "".join(p + g for p, g in parts)
    assert find_people_surnamed(text, RULES, surnames) == _plain(text, surnames)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from(_GAPS)), max_size=20))
def test_no_name_holds_a_barrier_character(parts):
    text = "".join(p + g for p, g in parts)
    assert RULES.person_barrier is not None
    for m in RULES.person_re.finditer(text):
        assert RULES.person_barrier.search(m.group()) is None, m.group()


def test_surnamed_equals_filtered_on_fixture_documents():
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(FIXTURES.rglob("*.txt"))]
    assert texts, "the project's fixtures are missing"
    for text in texts:
        surnames = {q.surname.lower() for q in find_people(text, RULES) if q.surname}
        assert find_people_surnamed(text, RULES, surnames) == _plain(text, surnames)
