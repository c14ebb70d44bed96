"""Case folding for literal searches that stand in for ``re.IGNORECASE`` (one table, two policies).

A case-insensitive regex can be prefiltered by a plain substring test on the
lower-cased text, with the same offsets, except for the few characters that
``re.IGNORECASE`` equates with an ASCII letter although ``str.lower()`` does not
map them to it (:data:`CASE_FOLD_EXTRAS`; U+0130 is also the one character whose
lower case is longer). The two users deal with them two ways:

* :func:`fold_case` (the NLP prefilters, :func:`.literals.required_folded_literals`)
  maps them onto their ASCII letter, so the folded text is always usable;
* :func:`fold_safe_lower` (the segmenter's :func:`.scan.finditer` and date scans)
  refuses a text holding one (None: search the plain way) and caches the
  result, because one document's text is folded for many patterns.
"""

from __future__ import annotations

import re
from functools import lru_cache

# re.IGNORECASE matches these with the ASCII letter (besides its two cases); lower() does not
CASE_FOLD_EXTRAS = {"i": "\u0130\u0131", "k": "\u212a", "s": "\u017f"}
FOLD_RISK = re.compile("[" + "".join(sorted("".join(CASE_FOLD_EXTRAS.values()))) + "]")
_FOLD_TABLE = {ord(ch): letter for letter, chars in CASE_FOLD_EXTRAS.items() for ch in chars}
_RISKY = tuple(ch for chars in CASE_FOLD_EXTRAS.values() for ch in chars)

CACHE_MAX = 2_000_000  # longer texts are not kept in the caches (memory of a worker)
_SHORT = 200  # texts shorter than this share a bigger cache (titles, context windows)


def has_fold_risk(text: str) -> bool:
    """Whether ``text`` holds one of :data:`CASE_FOLD_EXTRAS` (the same answer as ``FOLD_RISK.search``).

    Asked of whole documents: ``str.isascii`` answers most texts at once (CPython
    keeps the flag), and four substring tests run at C speed where a regex
    character class is tried at every position (eight times slower); on a text
    whose characters are all narrower than these, ``in`` returns at once too.
    """
    return not text.isascii() and any(ch in text for ch in _RISKY)


def fold_case(text: str) -> str:
    """``text`` lower-cased with :data:`CASE_FOLD_EXTRAS` mapped to their letter (same length, same offsets)."""
    if has_fold_risk(text):
        text = text.translate(_FOLD_TABLE)
    return text.lower()


def fold_safe_lower(text: str) -> str | None:
    """``text.lower()`` when a literal search on it finds what re.IGNORECASE would, else None.

    That holds unless the text has a character that re folds onto an ASCII
    letter but lower() does not (dotless i, long s ...) or one whose lower
    case is longer (offsets would shift). Cached: a document's text is
    scanned by many patterns, and so is each short context window.
    """
    if len(text) < _SHORT:
        return _fold_lower_short(text)
    return _fold_lower_long(text) if len(text) <= CACHE_MAX else _fold_lower(text)


def _fold_lower(text: str) -> str | None:
    if has_fold_risk(text):
        return None
    low = text.lower()
    return low if len(low) == len(text) else None


_fold_lower_long = lru_cache(maxsize=4)(_fold_lower)
_fold_lower_short = lru_cache(maxsize=512)(_fold_lower)

__all__ = ["CACHE_MAX", "CASE_FOLD_EXTRAS", "FOLD_RISK", "fold_case", "fold_safe_lower", "has_fold_risk"]
