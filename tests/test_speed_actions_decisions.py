"""Decisions' and action evidence's shortcuts give what the plain computations give.

* ``decisions._lines`` reads lines on demand (:class:`decisions._Lines`) instead of
  splitting up to 20,000 characters at every call: the same lines, length, indexing
  and ``[k:]`` slices as the list it replaces;
* ``decisions._clean`` collapses white space by split and join;
* ``DecisionRules.sentence_cues`` / ``sentence_literals`` are computed once per rules;
* ``resolve.actions._collapse`` is ``re.sub(r"\\s+", " ", s)``.

find_decisions with all of them is compared with find_decisions with the plain forms.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.nlp import decisions as D
from extract.resolve import actions as RA

FIXTURES = Path(__file__).resolve().parent / "fixtures"
RULES = D.load_decision_rules()


def _plain_lines(text: str, pos: int, limit: int = 20_000) -> list[tuple[int, int]]:
    """The list the lazy lines stand for (the former ``_lines``)."""
    start = text.rfind("\n", 0, pos) + 1
    stop = min(len(text), pos + limit)
    out = []
    while start <= stop:
        end = text.find("\n", start)
        if end < 0:
            end = len(text)
        out.append((start, end))
        if end >= len(text):
            break
        start = end + 1
    return out


def _plain_clean(s: str) -> str:
    s = re.sub(r"\*\*", "", s)
    return re.sub(r"\s+", " ", s).strip()


_CHARS = st.sampled_from(["a", "b", " ", "\n", "\n", "\t", "*", "é", "\u2028", "\u00a0", "1", "."])


@settings(max_examples=400, deadline=None)
@given(st.lists(_CHARS, max_size=40).map("".join), st.integers(0, 45), st.integers(0, 50), st.integers(0, 4))
def test_lazy_lines_are_the_list(text: str, pos: int, limit: int, skip: int) -> None:
    pos = min(pos, len(text))
    want = _plain_lines(text, pos, limit)
    lines = D._lines(text, pos, limit)
    assert len(lines) == len(want)
    assert [lines[i] for i in range(-len(want), len(want))] == want[-len(want):] + want
    assert list(lines) == want
    tail = D._lines(text, pos, limit)[skip:]
    assert len(tail) == len(want[skip:]) and list(tail) == want[skip:]
    fresh = D._lines(text, pos, limit)
    if want:  # the last one first, then an index past the end
        assert fresh[len(want) - 1] == want[-1]
        with pytest.raises(IndexError):
            fresh[len(want)]


def test_lazy_lines_refuse_other_slices() -> None:
    with pytest.raises(ValueError):
        D._lines("a\nb", 0)[0:1]


@settings(max_examples=300, deadline=None)
@given(st.lists(_CHARS, max_size=40).map("".join))
def test_clean_and_collapse_are_the_regex_forms(s: str) -> None:
    assert D._clean(s) == _plain_clean(s)
    assert RA._collapse(s) == re.sub(r"\s+", " ", s)


def test_sentence_cues_are_the_non_block_cues() -> None:
    cues = [c for c in RULES.cues if c.label != "BLOCK"]
    assert list(RULES.sentence_cues) == cues
    assert RULES.sentence_literals == {lit for c in cues for lit in c.literals or ()}


_TEXTS = [
    "RESOLVED – (1) That the report be noted.\n(2) That the plan be approved.\n\n5. Work Programme\n",
    "RESOLVED that Cabinet agree to:\n\na) adopt the strategy;\nb) note the risks.\n\nPage 4\n\nc) review it.\n",
    "The Board unanimously AGREED.\nThe minutes of the meeting held on 3 March were approved as a correct record.",
    "Recommendations\n\n1. That the Panel notes the update.\n2. That the Panel agrees the work plan.\n\n"
    "1. Introduction\nThis report sets out ...",
    "Motion by Cllr Reyes, seconded by Cllr Holt, to adopt the budget. Ayes: 5. Nays: 2. Motion carried 5-2.",
    "It was agreed that the working group would meet again.\nThe Committee NOTED the report.",
]


@pytest.mark.parametrize("text", _TEXTS)
@pytest.mark.parametrize("kind", [None, "minutes", "report"])
def test_find_decisions_is_unchanged(text: str, kind: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = D.find_decisions(text, None, kind, RULES)
    with monkeypatch.context() as m:
        m.setattr(D, "_lines", _plain_lines)
        m.setattr(D, "_clean", _plain_clean)
        assert D.find_decisions(text, None, kind, RULES) == fast
    if kind is None:
        assert fast  # the examples hold decisions


def test_find_decisions_is_unchanged_on_fixture_documents(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(FIXTURES.rglob("*.txt"))]
    assert texts, "the project's fixtures are missing"
    fast = [D.find_decisions(t, None, None, RULES) for t in texts]
    assert any(fast)
    with monkeypatch.context() as m:
        m.setattr(D, "_lines", _plain_lines)
        m.setattr(D, "_clean", _plain_clean)
        assert [D.find_decisions(t, None, None, RULES) for t in texts] == fast
