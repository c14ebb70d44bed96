"""Word lists as regular-expression alternations: one order and one escaping for every rule family.

Only ``re`` is imported: the segmenter and the command's start-up use this
module, so it stays as light as the lists it reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def longest_first(items: Iterable[str]) -> list[str]:
    """The distinct ``items``, longest first (an alternation must try "per cent" before "per"); ties
    alphabetically, so the regex built from a set reads the same in every process (its compiled code
    is then kept between runs: :mod:`extract.rx.compiled`)."""
    return sorted(set(items), key=lambda s: (-len(s), s))


def alternation(words: Iterable[str]) -> str:
    """``words`` (empty ones left out) as ``a|b|c`` for a regex: each escaped, longest first, a space
    in a word matching any run of whitespace ("per cent" also finds "per\\ncent")."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in longest_first(w for w in words if w))


__all__ = ["alternation", "longest_first"]
