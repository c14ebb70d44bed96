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
from typing import Any

from spacy import util
from spacy.attrs import ORTH
from spacy.language import Language
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
    """The language's default tokenizer (as ``spacy.Tokenizer.v1``) with :func:`cache_friendly_rules`."""

    def tokenizer_factory(nlp: Language) -> Tokenizer:
        defaults = nlp.Defaults
        prefixes, suffixes, infixes = defaults.prefixes, defaults.suffixes, defaults.infixes
        return Tokenizer(
            nlp.vocab,
            rules=cache_friendly_rules(defaults.tokenizer_exceptions),
            prefix_search=util.compile_prefix_regex(prefixes).search if prefixes else None,
            suffix_search=util.compile_suffix_regex(suffixes).search if suffixes else None,
            infix_finditer=util.compile_infix_regex(infixes).finditer if infixes else None,
            token_match=defaults.token_match,
            url_match=defaults.url_match,
        )

    return tokenizer_factory
