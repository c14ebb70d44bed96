"""The speed paths of actions and evidence give what the plain paths give.

Each shortcut skips work only where the plain path finds nothing (the targets' shortcuts
are checked in test_nlp_speed_targets.py): evidence finds the sentences holding a cue's
words once per document, and the fallback name finder reads each name's surface once. The texts are fictional council minutes.
"""

from __future__ import annotations

import re

import pytest

from extract.nlp.actions import _fallback_person, _strip_honorific, load_action_rules
from extract.nlp.sentences import split_sentences
from extract.resolve.actions import _holding, evidence_sentences
from extract.rx.fold import fold_case
from extract.rx.scan import word_search

EVIDENCE_TEXT = (
    "Minutes of the meeting held on 3 March.\n\n"
    "Ms Okafor reported back that the audit had been completed. The report was circulated to members.\n"
    "Mr Dale said the lease was still outstanding.\n\n"
    "The action to update the risk register has been done. Councillor Pryce confirmed that the letter was sent."
)


@pytest.mark.parametrize("words", [frozenset({"was"}), frozenset({"completed", "done"}), frozenset({"back", "that"}), frozenset({"zzz"})])
def test_holding_is_the_word_search_per_sentence(words: frozenset[str]) -> None:
    spans = split_sentences(EVIDENCE_TEXT)
    folded = fold_case(EVIDENCE_TEXT)
    search = word_search(words)
    want = {i for i, (a, b) in enumerate(spans) if search.search(folded, a, b)}
    assert _holding(words, folded, [a for a, _b in spans], [b for _a, b in spans]) == want


@pytest.mark.parametrize("text", [
    EVIDENCE_TEXT,
    "  \n\n1. Apologies\n\tMr Lee\tChair\n\n- bullet one.\n- bullet two\nAction: Ms Roy to write. e.g. Mr. Dee said so.  \n",
    "", "   \n\t \n", "One.Two. Three!\n\n\nFour?",
])
def test_split_sentences_spans_are_non_empty_in_order_and_apart(text: str) -> None:
    """evidence_sentences finds cue words once per document (_holding), which needs such spans."""
    spans = split_sentences(text)
    ends = [0] + [b for _a, b in spans]
    assert all(a < b for a, b in spans)
    assert all(prev <= a for prev, (a, _b) in zip(ends, spans, strict=False))


def test_evidence_sentences_finds_the_completions() -> None:
    found = evidence_sentences(EVIDENCE_TEXT)
    assert any("audit had been completed" in s for s, _before, _c, _r in found)
    assert not any("still outstanding" in s for s, _before, _c, _r in found)


@pytest.mark.parametrize(
    "text",
    [
        "The report from Steve Leader was noted, and Mr Dale agreed to circulate it.",
        "Councillor Jane Pryce and Community Safety Team met Sarah Hammond.",
        "Thanks to Dr Rao, Borough Council officers and Ms Lee.",
    ],
)
def test_fallback_person_memo_is_the_plain_reading(text: str) -> None:
    rules = load_action_rules()
    for m in rules.person_re.finditer(text):
        got = _fallback_person(m, text, rules)
        again = _fallback_person(m, text, rules)  # second time from the memo
        assert got == again
        if got is not None:
            hon, words = _strip_honorific(m.group().strip(), rules)
            assert got.surname == words[-1]
            assert re.search(re.escape(got.surname), m.group())
