"""spaCy's English tokenizer, minus the special cases that only switch its cache off.

spaCy's base tokenizer exceptions include the whitespace strings ``" "``,
``"\\t"`` and ``"\\n"``, each mapped to itself. A whitespace span is one
token with or without them, so they change no token. But spaCy stops caching
the rest of a text at its first special case (``has_special``, see spaCy issue
#1250), and minutes text has a newline at the end of its first line: every
word after it is split by the prefix, suffix and infix rules again, however
often it occurs. Without these three entries the tokens are the same, and
tokenizing costs a seventh as much (0.5 s down to 0.07 s for 500 PDF pages).

Every other exception is kept, including the no-break space (it sets a norm).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import SimpleNamespace
from typing import Any

from spacy import util
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.language import create_tokenizer as spacy_create_tokenizer
from spacy.tokenizer import Tokenizer


def is_plain_whitespace_case(key: str, analysis: Any) -> bool:
    """Whether a special case is a whitespace string that stays one token of itself (so it changes nothing)."""
    return (
        key.isspace()
        and len(analysis) == 1
        and set(analysis[0]) <= {ORTH, "ORTH"}
        and next(iter(analysis[0].values())) == key
    )


def cache_friendly_rules(rules: Mapping[str, Any]) -> dict[str, Any]:
    """``rules`` without the whitespace cases that only stop the tokenizer's cache."""
    return {key: analysis for key, analysis in rules.items() if not is_plain_whitespace_case(key, analysis)}


@util.registry.tokenizers("minutes.Tokenizer.v1")
def create_tokenizer() -> Callable[[Language], Tokenizer]:
    """``spacy.Tokenizer.v1`` itself, given the language's defaults with :func:`cache_friendly_rules`.

    spaCy's factory reads only ``nlp.vocab`` and ``nlp.Defaults``: it builds
    the tokenizer from a view of the pipeline whose defaults differ in the
    exceptions alone (setting ``rules`` afterwards would load them twice).
    """
    spacy_factory = spacy_create_tokenizer()

    def tokenizer_factory(nlp: Language) -> Tokenizer:
        defaults = type("Defaults", (nlp.Defaults,), {
            "tokenizer_exceptions": cache_friendly_rules(nlp.Defaults.tokenizer_exceptions),
        })
        return spacy_factory(SimpleNamespace(vocab=nlp.vocab, Defaults=defaults))

    return tokenizer_factory
