"""The pipeline's tokenizer gives exactly the tokens of spaCy's English tokenizer, and caches them.

``minutes.Tokenizer.v1`` (extract/nlp/tokenizer.py) drops the whitespace
special cases, which change no token but switch spaCy's cache off for the
rest of a text. These tests hold it to spaCy's own tokenizer, token by token
and attribute by attribute, on the demo corpus's real text and on generated
text full of the whitespace and exceptions that matter.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.nlp.pipeline import load_nlp
from extract.nlp.tokenizer import cache_friendly_rules
from extract.pipeline import prepare_file

REPO = Path(__file__).resolve().parents[1]
REFERENCE = spacy.blank("en").tokenizer


def _tokens(tokenizer, text: str) -> list[tuple]:
    return [
        (t.text, t.idx, t.whitespace_, t.orth, t.norm_, t.lower_, t.shape_, t.is_space, t.is_punct, t.like_num)
        for t in tokenizer(text)
    ]


def _ours():
    return load_nlp().tokenizer


def test_only_plain_whitespace_cases_are_dropped():
    rules = REFERENCE.rules
    kept = cache_friendly_rules(rules)
    assert sorted(set(rules) - set(kept)) == ["\t", "\n", " "]
    assert "\xa0" in kept  # it sets a norm, so it stays
    assert _ours().rules == kept


@pytest.mark.parametrize("path", sorted((REPO / "corpus" / "documents").iterdir()), ids=lambda p: p.name)
def test_same_tokens_as_spacy_on_demo_documents(path):
    text = prepare_file(str(path)).record.parsed.text
    assert text.count("\n") > 10
    assert _tokens(_ours(), text) == _tokens(REFERENCE, text)


_PIECES = [
    "Mr.", "Dr", "a.m.", "p.m.", "e.g.", "don't", "it's", "Barnet's", "(Action)", "£3.5m", "10%", "2024/25",
    "www.barnet.gov.uk", "clerk@barnet.gov.uk", ":)", "'s", "U.K.", "RESOLVED", "–", "—", "...", "\xa0",
    "Cllr", "O'Neil", "co-ordinate", "Jan.", "1st", "no.", "Inspector", "\u2028",
]
_GAPS = [" ", "  ", "\n", "\n\n", " \n", "\n ", "\t", "\r\n", "\n\t", "", " \xa0 ", "   \n  "]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.sampled_from(_PIECES), st.text(max_size=5)), st.sampled_from(_GAPS)),
                max_size=30))
def test_same_tokens_as_spacy_on_generated_text(parts):
    text = "".join(p + g for p, g in parts)
    assert _tokens(_ours(), text) == _tokens(REFERENCE, text)


def _affix_searches_on_second_reading(tokenizer, text: str) -> int:
    """How often the prefix rule runs when ``text`` is tokenized a second time (0: every word came from the cache)."""
    calls = []
    search = tokenizer.prefix_search

    def counting(string):
        calls.append(string)
        return search(string)

    tokenizer.prefix_search = counting  # (resets the cache)
    tokenizer(text)
    calls.clear()
    tokenizer(text)
    return len(calls)


def test_words_after_a_newline_are_cached():
    """The point of the change: a word seen once after a newline is not split by the affix rules again."""
    text = "Minutes of the meeting\nThe Board noted the report on burglary figures (2024/25).\n"
    ours = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "minutes.Tokenizer.v1"}}}).tokenizer
    assert _affix_searches_on_second_reading(ours, text) == 0
    # spaCy's own tokenizer stops caching at the first newline, and splits every later word again
    assert _affix_searches_on_second_reading(spacy.blank("en").tokenizer, text) >= 10
