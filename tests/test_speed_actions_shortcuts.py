"""find_actions' shortcuts give what the plain reading gives.

Each is switched off (monkeypatched to its plain form) and the actions compared on
fictional council text, written here and generated from pieces:

* ``_Ctx.line_start_lead``: a line-start cue ("P. Halloran to ...") deep in a sentence
  that nobody named opens, with no "Action:" label, is passed over;
* ``_Ctx.may_request``: a request pattern is not tried in a sentence no person overlaps
  and no full name's surname is in;
* ``_request_sentences``: with nobody named, no sentence is read for requests;
* ``_undertaking_sentences``: only whole-word line-start cues after a capitalised word
  mark a sentence, and in a sentence nobody ends in only within its first words;
* ``_surnamed_outside`` (tested on its own in test_speed_actions_people.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.nlp import actions as A
from extract.nlp.sentences import sentences_holding, split_sentences
from extract.records import PersonMention, Span

RULES = A.load_action_rules()
FIXTURES = Path(__file__).resolve().parent / "fixtures"

TEXTS = [
    "Mr Clifton agreed to report back to the Board. Ms Vagarwal said she will circulate the plan by 30 May.",
    "- P. Halloran to include the figures in the report.\n- Dr Frost and Ms Yates would meet the landlord.",
    "The Board noted the update and asked officers to look again at the figures before the next meeting "
    "and to write to Ms Okafor, who agreed to attend.",
    "1. Councillor Amira Patel to circulate the draft.\n2) J. Rowntree to arrange a site visit next week.",
    "The panel welcomed the report from the officers and wished to thank everyone for the hard work on the "
    "strategy to date. Action: Ms Green to draft the letter to residents.",
    "It was agreed that the Chair would write to the Home Office to ask about funding. ACTIONS - MT to check.",
    "Members heard that the service had moved to a new site. Sarah Bird to report on costs in March.",
    "Ms Kerr asked Mr Jones to provide a written update. Steve Leader was asked to review the lease.",
    "The group discussed the plan at length and agreed it was going to be difficult to deliver the targets "
    "set out in the plan to the satisfaction of the partners\nDavid Lomax to share the tracker.",
    "Nobody is named in this sentence, which goes on to talk about going to the park to walk.",
]

_PIECES = [
    "Mr Clifton", "Ms Vagarwal", "Councillor Amira Patel", "P. Halloran", "J. Rowntree", "Sarah Bird", "Duncan",
    "agreed to", "to", "will", "would", "was asked to", "asked", "requested an update from", "Action:", "ACTIONS -",
    "(Action)", "the Board", "the report", "circulate the plan", "report back", "by 30 May", "he", "she", "The",
    "noted", "1.", "-", "•", "to the park", "officers", "Chief Inspector Hale", "into", "Toronto", "To",
]
_GAPS = [" ", " ", " ", "\n", "\n\n", ", ", ". ", ".\n", "; ", ": ", "\t", " - "]


def _mentions(text: str) -> list[PersonMention]:
    """The fallback finder's names, as the people component would hand them over."""
    return [PersonMention(text=p.text, span=Span(sentence="", start=p.start, end=p.end),
                          first_name=p.first_name, surname=p.surname)
            for p in A.find_people(text, RULES)]


def _plain(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every shortcut of find_actions switched to its plain form."""
    monkeypatch.setattr(A._Ctx, "line_start_lead", lambda self, si: (True, True))
    monkeypatch.setattr(A._Ctx, "may_request", lambda self, si: True)
    monkeypatch.setattr(A, "_request_sentences", lambda text, sents, people, rules: (
        sentences_holding(text, sents, rules.request_words) if rules.request_words is not None else None))
    monkeypatch.setattr(A, "_undertaking_sentences", lambda ctx: None)


def _both(text: str, mentions: list[PersonMention] | None, monkeypatch: pytest.MonkeyPatch) -> tuple[list, list]:
    sents = split_sentences(text)
    fast = A.find_actions(text, sents, mentions, RULES, "2025-01-15")
    with monkeypatch.context() as m:
        _plain(m)
        plain = A.find_actions(text, sents, mentions, RULES, "2025-01-15")
    return fast, plain


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("with_people", [True, False])
def test_shortcuts_change_no_action_on_examples(text: str, with_people: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, plain = _both(text, _mentions(text) if with_people else [], monkeypatch)
    assert fast == plain


def test_the_examples_have_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    """The examples exercise the shortcuts: line-start owners, requests and undertakings are found."""
    found = [a for text in TEXTS for a in _both(text, _mentions(text), monkeypatch)[0]]
    owners = {a.owner_text for a in found}
    assert {"P. Halloran", "Sarah Bird", "J. Rowntree"} <= owners
    assert "David Lomax" not in owners  # a line-start cue deep in a sentence nobody named opens
    assert {a.kind for a in found} >= {"commitment", "request", "action"}


@settings(max_examples=250, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from(_GAPS)), min_size=1, max_size=40),
       st.integers(0, 3))
def test_shortcuts_change_no_action_on_generated_text(parts, every) -> None:
    text = "".join(p + g for p, g in parts)
    mentions = _mentions(text)
    mentions = mentions[::every] if every else []  # some names the people component missed
    with pytest.MonkeyPatch.context() as mp:
        fast, plain = _both(text, mentions, mp)
    assert fast == plain


def test_shortcuts_change_no_action_on_fixture_documents(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(FIXTURES.rglob("*.txt"))]
    assert texts, "the project's fixtures are missing"
    for text in texts:
        fast, plain = _both(text, _mentions(text), monkeypatch)
        assert fast == plain


@pytest.mark.parametrize(
    ("text", "opening", "labelled"),
    [
        ("Mr Patel to circulate it.", True, False),
        ("- Mr Patel to circulate it.", True, False),
        ("The Board asked Mr Patel to circulate it.", False, False),
        ("Action: Mr Patel to circulate it.", False, True),
        ("(iv)   Mr Patel to circulate it.", True, False),
    ],
)
def test_line_start_lead(text: str, opening: bool, labelled: bool) -> None:
    people = A.people_from_mentions(_mentions(text), RULES)
    ctx = A._Ctx(text, [(0, len(text))], people, RULES)
    assert ctx.line_start_lead(0) == (opening, labelled)


def test_lead_reach_covers_every_lead_the_rule_allows() -> None:
    """Every prefix the line-start rule takes as a lead ends within _LEAD_REACH's reach."""
    lead = A.re.compile(r"\s*(?:[-•·*]|\(?\w{1,3}[.)])?\s*")
    for text in ["(iv)   Mr X", "1.  Mr X", "•\tMr X", "- Mr X", "abc) Mr X", "Mr X", "   \n  (a)\n Mr X", "(12)Mr"]:
        reach = A._LEAD_REACH.match(text, 0).end()
        for x in range(len(text) + 1):
            if lead.fullmatch(text[:x]):
                assert x <= reach, (text, x, reach)
