"""Completion evidence found the fast way is exactly the evidence of testing every sentence.

:func:`extract.resolve.actions.evidence_sentences` collapses and tests only
the sentences that hold the words a cue needs (read from the cue regexes);
:func:`_evidence_sentences_plain` (here) collapses and tests every sentence. The two
must give the same list on any text and any cue set: checked on hand-made
and generated text, with the shipped rules and with cue sets that exercise
the analysis (case-sensitive cues, scoped flags, literal spaces, cues with
no usable word, "report back" off), and on the project's own fixtures.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.nlp.sentences import split_sentences
from extract.resolve.actions import (
    TrackingRules,
    _cue_needs,
    evidence_sentences,
    load_tracking_rules,
)
from extract.rx.fold import fold_case

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHIPPED = load_tracking_rules()


def _evidence_sentences_plain(text: str, spans: list[tuple[int, int]], rules: TrackingRules
                              ) -> list[tuple[str, str, bool, bool]]:
    """:func:`evidence_sentences` by its definition: every sentence collapsed and every cue tried."""
    report_back = bool(rules.report_task and rules.report_task.search("report back"))
    sents = [re.sub(r"\s+", " ", text[a:b]) for a, b in spans]
    out = []
    for i, sent in enumerate(sents):
        completion = any(c.search(sent) for c in rules.completion)
        report = bool(rules.report_task) and any(c.search(sent) for c in rules.report_cues)
        if not (completion or (report_back and report)) or any(c.search(sent) for c in rules.still_open):
            continue
        out.append((sent, sents[i - 1] if i else "", completion, report))
    return out


def _rules(completion: list[str], still_open: list[str], report_task: str | None, report_cues: list[str],
           flags: int = re.IGNORECASE) -> TrackingRules:
    return TrackingRules(
        completion=tuple(re.compile(c, flags) for c in completion),
        still_open=tuple(re.compile(c, flags) for c in still_open),
        stopwords=frozenset(), irregular={}, min_coverage=0.5, min_shared_words=2, min_ratio=60,
        report_task=re.compile(report_task, re.IGNORECASE) if report_task else None,
        report_cues=tuple(re.compile(c, flags) for c in report_cues),
    )


RULE_SETS = {
    "shipped": SHIPPED,
    # "report back" is no report task: report cues never keep a sentence on their own
    "no-report-back": _rules([r"\bhas\s+been\s+(?:sent|done)\b", r"\bcompleted\b"], [r"\bnot\b"],
                             r"^\s*brief\b", [r"\breported\b"]),
    # case-sensitive cues, a scoped case-insensitive group, a literal space, an optional word
    "case-and-spaces": _rules([r"\bDONE\b", r"\b(?i:circulated) to\b", r"had (?:now )?finished"], [r"\bwill\b"],
                              r"report back", [r"\bfed back\b", r"\bUpdated\b"], flags=0),
    # a cue with no word a sentence must hold: every sentence is tested
    "no-words": _rules([r"\b\w+ed\s+out\b", r"\bclosed\b"], [r"\bif\b"], r"report back", [r"\breported\b"]),
    # alternatives that share words, a repeat, classes of letters
    "branches": _rules([r"\b(?:gave|provided)\s+an?\s+update\b|\bfed\s+back\b", r"(?:re){1,2}solved\b",
                        r"\b[Ss]ign(?:ed|ed\s+off)\b"], [r"\bpending\b"], r"update", [r"\bupdated\b"]),
}

_PIECES = [
    "Ms Kerr", "Mr Patel", "He", "She", "the report", "had been circulated", "HAS BEEN SENT", "has  been\nsent",
    "was circulated", "were\tdistributed", "confirmed that", "the visit had taken place", "took place",
    "Action complete", "done", "be done", "reported back", "reported", "updated", "fed back", "gave an update",
    "provided a update", "not yet", "will", "would", "is outstanding", "pending", "if", "may", "May",
    "DONE", "Circulated to", "circulated to", "had finished", "had now finished", "resolved", "reresolved",
    "Signed off", "signed", "timed out", "closed", "cloſed", "\u212aerr", "\u0130tem", "d\u0131d",
    "\u00a0", "completed", "e-mailed", "e-\nmailed", "has been done", "it was held", "1.", "a)", "•", "Action:",
]
_GAPS = [" ", " ", "  ", "\n", "\n\n", "\t", ". ", ".\n", "; ", ", ", "", "\u00a0"]


@pytest.mark.parametrize(
    ("cue", "needs"),
    [
        (r"\b(?:had|has|have)\s+(?:been\s+)?(?:sent|shared)\b", [{"sent", "shared"}, {"had", "has", "have"}]),
        (r"\bconfirmed\s+that\b.{0,120}?\bwas\b", [{"confirmed"}, {"that"}]),
        (r"\bcompleted\b|(?<!\bbe\s)\bdone\b", [{"completed", "done"}]),
        (r"\b(?:gave|provided)\s+an?\s+update\b|\bfed\s+back\b", [{"update", "back"}, {"gave", "provided", "fed"}]),
        (r"\b(?-i:May)\s+have\b", [{"have"}, {"may"}]),  # scoped flags: found in the folded text either way
        (r"had done", [{"done"}, {"had"}]),  # a literal space ends a word (collapsing may make it)
        (r"\w+ed\b", []),
        (r"\bif\b", []),  # too short to be worth a search
    ],
)
def test_cue_needs(cue, needs):
    assert [set(n) for n in _cue_needs(re.compile(cue, re.IGNORECASE))] == needs


@pytest.mark.parametrize("name", sorted(RULE_SETS))
@pytest.mark.parametrize(
    "text",
    [
        "Ms Kerr reported that the leaflet had been circulated. It was not yet printed.",
        "Action:  Mr Patel had\nbeen   sent the figures.\n\nHe has now completed the review.",
        "The visit TOOK PLACE in May. The audit will be done when funding is confirmed that it was agreed.",
        "cloſed. \u212aerr confirmed that the bid had been \u0130ssued; she fed back. DONE",
        "",
        "No cue here at all.",
    ],
)
def test_fast_equals_plain_on_examples(name, text):
    rules = RULE_SETS[name]
    assert evidence_sentences(text, rules) == _evidence_sentences_plain(text, split_sentences(text), rules)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.sampled_from(_PIECES), st.text(max_size=5)), st.sampled_from(_GAPS)),
                max_size=30),
       st.sampled_from(sorted(RULE_SETS)))
def test_fast_equals_plain_on_generated_text(parts, name):
    text = "".join(p + g for p, g in parts)
    rules = RULE_SETS[name]
    assert evidence_sentences(text, rules) == _evidence_sentences_plain(text, split_sentences(text), rules)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from(_GAPS)), max_size=12))
def test_every_cue_match_holds_its_needed_words(parts):
    """The analysis itself: wherever a cue matches the collapsed text, the raw text, case-folded,
    holds one word of each set the cue needs."""
    raw = "".join(p + g for p, g in parts)
    folded = fold_case(raw)
    collapsed = re.sub(r"\s+", " ", raw)
    for rules in RULE_SETS.values():
        for cue in rules.completion + rules.report_cues:
            if cue.search(collapsed):
                for words in _cue_needs(cue):
                    assert any(w in folded for w in words), (cue.pattern, raw, words)


def test_fast_equals_plain_on_fixture_documents():
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(FIXTURES.rglob("*.txt"))]
    assert texts, "the project's fixtures are missing"
    kept = 0
    for text in texts:
        fast = evidence_sentences(text)
        assert fast == _evidence_sentences_plain(text, split_sentences(text), SHIPPED)
        kept += len(fast)
    assert kept > 0  # the fixtures do report actions done


def test_fast_equals_plain_on_shared_corpus():
    seeds = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "seeds"
    if not seeds.is_dir():
        pytest.skip("../shared not present: no seed documents to compare on")
    for path in sorted(seeds.glob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        assert evidence_sentences(text) == _evidence_sentences_plain(text, split_sentences(text), SHIPPED), path.name


# --------------------------------------------------------------------------- tracking's word stems

STEM_WORDS = ["circulations", "circulation", "meetings", "meeting", "policies", "agreed", "reaches", "reports",
              "update", "ran", "sing", "bed", "ties", "re-offending", "officer's", "e", ""]


@pytest.mark.parametrize("rules", [SHIPPED, _rules([r"\bdone\b"], [], None, [])], ids=["shipped", "bare"])
def test_remembered_stems_are_the_stems(rules):
    """A word's stem comes from the rules' memo after the first time: always what stemming gives."""
    from extract.resolve.actions import _stem, _stem_of

    for word in STEM_WORDS * 2:  # the second round is served from the memo
        assert _stem(word, rules) == _stem_of(word, rules)
    assert set(rules.stems) >= set(STEM_WORDS)


@pytest.mark.parametrize("sentence", [
    "The report on ward-level figures has been circulated to all members.",
    "Completed: Inspector Holt's briefing (see item 4); DONE.",
    "",
    "Ceux-ci — café accounts were closed; “reports” sent.",
])
def test_a_kept_sentence_works_out_its_words_when_first_compared(sentence):
    """Evidence sentences are read without their content words; the first comparison works them out
    exactly as reading them did (every word of letters, apostrophes and hyphens that is no stopword)."""
    from extract.resolve.actions import _Kept, _stem

    low = sentence.lower()
    kept = _Kept("2024-01-01", "m1", "d1", sentence, low, "", True, False)
    assert kept.content is None
    eager = [(w, _stem(w, SHIPPED)) for w in re.findall(r"[a-z][a-z'\-]+", low) if w not in SHIPPED.stopwords]
    assert kept.content_words(SHIPPED) == eager
    assert kept.content_words(SHIPPED) is kept.content  # worked out once
