"""The speed paths of actions and evidence give what the plain paths give.

Each shortcut is checked against the plain computation on fictional council text:
cue alternations grouped by first character (actions' commitment cues, evidence's
"still open" test), the subject looked up by where people end, the action-log and
deadline prefilters, and the marker split's stripping of sentence starts.
"""

from __future__ import annotations

import dataclasses
import re

import pytest

from extract.nlp import actions as act
from extract.nlp.sentences import split_sentences
from extract.resolve.actions import _any_of, _boundary_first, load_tracking_rules
from extract.rx.literals import first_chars

TEXTS = [
    "Mr Clifton agreed to report back to the Board. Ms Vagarwal said she will circulate the plan by 30 May.",
    "Councillor Jane Pryce, Community Safety Manager, would bring an update to the next meeting.\n"
    "Action: Superintendent Leach",
    "Duncan Tessier informed the Board. Duncan said he'll write to the Trust within two weeks.",
    "- P. Halloran to include the figures in the report.\n- Dr Frost and Ms Yates would meet the landlord.",
    "It was agreed that Ms Manuel would attend. The Chair requested an update from Steve Leader on the bid.",
    "Mr J Cook (Democratic Services Manager) undertook to check the constitution; Mr Cook's team shall reply.",
    "WILL Mr Dale SHALL? Ms Kerr WAS TO visit. Ms Roy was going to write, and Ms Roy intends to phone.\n"
    "ACTION: MT to circulate the metrics; SP to arrange a session",
    "Ms Hale mentioned her intention to resign. Mr Ito is to chair, Ms Lee is going to minute.\n\n"
    "Action | Owner | Deadline\nWrite to the school | Ms Green | end of June\n",
    "Task\tLead officer\tBy when\nReview the lease\tSarah Bird\tMarch 2026\n",
    "He'll sort it. Kelvin Shaw (Kelvin sign \u212a) will \u017fend the letter. Ms Ro\u017fe will visit.",
]


@pytest.fixture(scope="module")
def rules() -> act.ActionRules:
    return act.load_action_rules()


def _plain_rules(monkeypatch: pytest.MonkeyPatch) -> act.ActionRules:
    """The shipped rules compiled without any grouping of the cue alternation."""
    with monkeypatch.context() as m:
        m.setattr(act, "by_first_char", lambda parts, _firsts: "|".join(parts))
        return act.load_action_rules.__wrapped__()


@pytest.mark.parametrize("text", TEXTS)
def test_grouped_cue_finds_the_plain_matches(text: str, rules: act.ActionRules,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    plain = _plain_rules(monkeypatch)
    assert plain.cue.pattern != rules.cue.pattern  # the shipped cues are grouped
    for sub in (text, text.upper(), text.lower()):
        want = [(m.span(), m.lastgroup) for m in plain.cue.finditer(sub)]
        assert [(m.span(), m.lastgroup) for m in rules.cue.finditer(sub)] == want


@pytest.mark.parametrize("flags", [re.IGNORECASE, 0])
@pytest.mark.parametrize(
    "parts",
    [
        [r"(?P<a>will)", r"(?P<b>would)", r"(?P<c>was\s+to)", r"(?P<d>Won)"],
        [r"(?P<a>is\s+to)", r"(?P<b>(?:stated|indicated)\s+intention)", r"(?P<c>shall)", r"(?P<d>in)"],
        [r"(?P<a>'ll)", r"(?P<b>to)", r"(?P<c>To\s+be)", r"(?P<d>t[a-z]+)"],
        [r"(?P<a>\d+)", r"(?P<b>[a-z]+ed)"],  # classes, not single characters: kept as they are
    ],
)
def test_by_first_char_keeps_every_match(parts: list[str], flags: int) -> None:
    grouped = re.compile(act.by_first_char(parts, [first_chars(p, flags) for p in parts]), flags)
    plain = re.compile("|".join(parts), flags)
    for text in [*TEXTS, "Won will would was to is to To be 12 tested Tom'll stated intention shall in"]:
        assert [(m.span(), m.lastgroup) for m in grouped.finditer(text)] == [
            (m.span(), m.lastgroup) for m in plain.finditer(text)]


SENTENCES = [
    "The report had been circulated.", "The lease is not yet signed.", "It was still pending approval.",
    "Ms Roy would write.", "The action may be closed.", "The action May be closed.", "Nothing outstanding.",
    "Carried forward to July.", "Once the audit is done.", "notyet", "wouldn't", "", "IF NOT", "Awaiting data",
]


@pytest.mark.parametrize("sentence", SENTENCES)
def test_still_open_test_is_any_open_cue(sentence: str) -> None:
    cues = load_tracking_rules().still_open
    assert _any_of(cues)(sentence) == any(c.search(sentence) for c in cues)


@pytest.mark.parametrize(
    ("pattern", "boundary"),
    [(r"\bnot\s+yet\b", True), (r"\b(?:a|b)\b|\bc", True), (r"(?:\bx|\by)z", True), (r"x\b", False),
     (r"\bx|y", False), (r"(?a:\bx)", False), (r"(\bx)", True)],
)
def test_boundary_first(pattern: str, boundary: bool) -> None:
    assert _boundary_first(re.compile(pattern)) is boundary


@pytest.mark.parametrize("text", TEXTS)
def test_subject_lookup_is_the_plain_scan(text: str, rules: act.ActionRules, monkeypatch: pytest.MonkeyPatch) -> None:
    got = act.find_actions(text, rules=rules)
    with monkeypatch.context() as m:
        m.setattr(act._Ctx, "ending_at",
                  lambda self, pos: [(i, p) for i, p in enumerate(self.people) if p.end == pos])
        assert act.find_actions(text, rules=rules) == got


@pytest.mark.parametrize("text", TEXTS)
def test_prefilters_change_nothing(text: str, rules: act.ActionRules) -> None:
    plain = dataclasses.replace(rules, log_head_literals=(None, None), due_literals=())
    assert act.text_log_rows(text, rules) == act.text_log_rows(text, plain)
    assert act.find_actions(text, rules=rules) == act.find_actions(text, rules=plain)
    for a, b in split_sentences(text):
        assert act._find_due(text[a:b], rules) == act._find_due(text[a:b], plain)


def test_log_prefilter_skips_only_texts_without_headings(rules: act.ActionRules) -> None:
    assert act.text_log_rows("Item\tNotes\nThe park\tReopened\n", rules) == []
    assert act.text_log_rows("ACTION\tLEAD OFFICER\nRepair the gate\tMs Green\n", rules)


@pytest.mark.parametrize(
    "sents",
    [[(0, 5), (5, 12), (12, 20)], [(3, 9), (9, 9), (10, 22)], [(0, 22)], []],
)
def test_split_at_markers_strips_like_the_plain_path(sents: list[tuple[int, int]], rules: act.ActionRules) -> None:
    text = "  Mr A.\n   \n Ms B to go.\tAction: Dr C"[:22]
    got = act._split_at_markers(text, sents, rules)
    cuts = sorted(m.start() for _p, ms in act.marker_matches(text, rules) for m in ms if not m.group().startswith("("))
    pieces = []
    for a, b in sents:
        prev = a
        for c in [c for c in cuts if a < c < b]:
            if text[a:c].strip():
                pieces.append((prev, c))
                prev = c
        pieces.append((prev, b))
    want = [(a + len(text[a:b]) - len(text[a:b].lstrip()), b) for a, b in pieces if text[a:b].strip()]
    assert got == want


def test_mention_memo_gives_the_plain_reading(rules: act.ActionRules) -> None:
    from extract.records import PersonMention, Span

    mentions = [PersonMention(text=t, span=Span(sentence="", start=i * 30, end=i * 30 + len(t)))
                for i, t in enumerate(["Councillor Jane Pryce", "Mrs Okafor", "Duncan", "Dr J. Rao", "Mrs Okafor"])]
    first = act.people_from_mentions(mentions, rules)
    again = act.people_from_mentions(mentions, rules)  # read from the memo
    fresh = act.people_from_mentions(mentions, act.load_action_rules.__wrapped__())
    assert first == again == fresh
