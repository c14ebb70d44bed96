"""Regex prefilters (extract/rx/literals.py) never change a match.

The rule components skip a regex search when a sentence lacks every literal
the regex needs, and put a look-ahead for a regex's first characters in front
of it. Both must be invisible: checked on hand-made patterns and, for every
rule regex the models ship, on the project's own fixture documents and on
generated text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.rx.literals import could_match, first_chars, guarded, required_literals

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.mark.parametrize(
    ("pattern", "flags", "expected"),
    [
        (r"(?<![\w-])RESOLVED\b", 0, ("RESOLVED",)),
        (r"(?:Mr|Mrs)\s+Smith", 0, ("Smith",)),
        (r"\b(?:[Tt]he|[Tt]his)\s+report\s+was\s+noted", 0, ("report",)),
        (r"\b(?:asked|invited)\s+to\b", 0, ("asked", "invited")),
        (r"[Mm]otion", 0, ("Motion", "motion")),
        (r"agreed", re.IGNORECASE, None),  # case folding: no plain substring test is safe
        (r"x(?i:board)", 0, ("x",)),  # the case-insensitive group gives nothing, the rest still counts
        (r"\w+", 0, None),
        (r"(?:abc|\d)", 0, None),  # one branch has no literal
        (r"(?:noted)?", 0, None),  # optional
    ],
)
def test_required_literals(pattern, flags, expected):
    assert required_literals(re.compile(pattern, flags)) == expected


@pytest.mark.parametrize(
    ("pattern", "flags", "expected"),
    [
        (r"\bfoo|bar", 0, {"f", "b"}),
        (r"(?<!x)\d+", 0, {r"\d"}),  # look-behinds consume nothing
        (r"[a-c]x|\.y", 0, {"a-c", r"\."}),
        (r"(?i:a)b", re.IGNORECASE, {"a"}),
        (r"a?b", 0, None),
        (r"(?i:a)b", 0, None),  # the group matches "A" too: a class without IGNORECASE would not
        (r"[^a]", 0, None),
        (r".x", 0, None),
    ],
)
def test_first_chars(pattern, flags, expected):
    got = first_chars(pattern, flags)
    assert (set(got) if got is not None else None) == expected


def test_could_match():
    assert could_match(None, "anything")
    assert could_match(("RESOLVED", "AGREED"), "It was AGREED.")
    assert not could_match(("RESOLVED",), "It was resolved.")


def _rule_patterns() -> list[tuple[str, re.Pattern[str]]]:
    from extract.nlp.actions import load_action_rules
    from extract.nlp.decisions import load_decision_rules

    out = []
    dec = load_decision_rules()
    out += [(f"decisions:{c.id}", c.regex) for c in dec.cues]
    out += [(f"decisions:reported:{i}", rx) for i, rx in enumerate(dec.reported)]
    act = load_action_rules()
    out += [(f"actions:{pid}", rx) for pid, rx in act.requests]
    out += [("actions:cue", act.cue), ("actions:person", act.person_re)]
    try:
        from extract.nlp.figures import load_figure_rules

        fig = load_figure_rules()
        out += [(f"figures:{m.id}", m.regex) for m in fig.masks]
        out += [(f"figures:{pid}", rx) for pid, rx in fig.periods]
    except (ImportError, AttributeError):  # the figures family keeps its own rule shapes
        pass
    return out


RULES = _rule_patterns()


def _fixture_texts() -> list[str]:
    texts = []
    for folder in (FIXTURES / "tracking", FIXTURES / "heldout" / "documents"):
        for p in sorted(folder.glob("*")):
            if p.suffix in (".txt", ".md", ".html"):
                texts.append(p.read_text(encoding="utf-8", errors="replace"))
    return texts


TEXTS = _fixture_texts()
SENTENCES = [s for t in TEXTS for s in re.split(r"(?<=[.!?])\s+|\n{2,}", t) if s.strip()]


@pytest.mark.parametrize(("name", "rx"), RULES, ids=[n for n, _ in RULES])
def test_rule_prefilters_are_invisible_on_fixture_text(name, rx):
    lits = required_literals(rx)
    fast = guarded(rx)
    for sent in SENTENCES:
        if rx.search(sent):
            assert could_match(lits, sent), (name, sent)
    for text in TEXTS:
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in rx.finditer(text)], name


_WORDS = ["RESOLVED", "Resolved", "resolved", "AGREED", "agreed", "noted", "NOTED", "The", "the", "Board",
          "Committee", "asked", "Mr", "Ms", "Smith", "to", "will", "would", "2024", "12", "£3m", "15%",
          "that", "was", "it", "It", "\n", "(1)", "a)", "-", ":", ".", ",", "Motion", "carried", "voted"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_WORDS), st.text(max_size=4)), max_size=25),
       st.lists(st.sampled_from([" ", "", "\n", "  "]), min_size=25, max_size=25))
def test_rule_prefilters_are_invisible_on_generated_text(words, gaps):
    text = "".join(w + g for w, g in zip(words, gaps, strict=False))
    for name, rx in RULES:
        if rx.search(text):
            assert could_match(required_literals(rx), text), (name, text)
        assert [m.span() for m in guarded(rx).finditer(text)] == [m.span() for m in rx.finditer(text)], name
