"""Small text helpers shared by the segmenter modules.

All offsets the segmenter reports point into ``ParsedDocument.text``, so the
only normalisation allowed here keeps the length of the text unchanged
(CRLF becomes space + LF, odd spaces become plain spaces).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from itertools import accumulate, count, repeat
from operator import add, itemgetter, sub
from typing import NamedTuple

from ..rx.fold import CACHE_MAX as FOLD_CACHE_MAX
from ..rx.fold import fold_safe_lower

_SAME_LENGTH = str.maketrans(
    {
        "\r": "\n",
        "\x0c": "\n",
        "\x0b": "\n",
        "\xa0": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\u2009": " ",
        "\u200b": " ",
        "\u202f": " ",
        "\ufeff": " ",
        "\u2028": "\n",
        "\u2029": "\n",
    }
)


# The same mapping as single-character replacements: str.replace skips text without
# the character at memchr speed, where translate() looks up every character.
_REPLACEMENTS = tuple((chr(k), v) for k, v in _SAME_LENGTH.items())


def normalise(text: str) -> str:
    """Return ``text`` with line breaks and spaces made uniform, same length."""
    if "\r\n" in text:
        text = text.replace("\r\n", " \n")
    for old, new in _REPLACEMENTS:  # no replacement makes a character another one replaces
        if old in text:
            text = text.replace(old, new)
    return text


class Line(NamedTuple):
    """One line of the text: ``start``/``end`` offsets exclude the newline.

    A named tuple rather than a frozen dataclass: a document's lines are all
    built at once and a tuple is several times cheaper to make.
    """

    index: int
    start: int
    end: int
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip()

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def split_lines(text: str) -> list[Line]:
    """Split normalised text into :class:`Line` records with offsets.

    Built without a Python step per line: a line starts at the running sum of
    the lengths (plus the newline) of the lines before it, and each record is
    made by ``tuple.__new__`` (as ``Line._make`` makes it) called from ``map``.
    """
    chunks = text.split("\n")
    starts = list(accumulate(map(add, map(len, chunks), repeat(1)), initial=0))  # one more than the lines
    ends = map(sub, starts[1:], repeat(1))
    return list(map(tuple.__new__, repeat(Line), zip(count(), starts, ends, chunks)))


def first_line_from(lines: list[Line], offset: int) -> int:
    """``next((ln.index for ln in lines if ln.start >= offset), len(lines))``: the index of
    the first line starting at or after ``offset``, found by a search in C over the lines'
    starts (which increase) instead of a Python step per line."""
    at = bisect_left(lines, offset, key=_LINE_START)
    return lines[at].index if at < len(lines) else len(lines)


def line_index_at(lines: list[Line], offset: int) -> int:
    """The index of the last line starting at or before ``offset`` (-1 when none does),
    found by a search in C over the lines' starts."""
    return bisect_right(lines, offset, key=_LINE_START) - 1


_LINE_START = itemgetter(1)  # Line.start


_UPPER = re.compile(r"[A-Z]")
_LOWER = re.compile(r"[a-z]")


def squash(text: str) -> str:
    """Collapse runs of whitespace into single spaces and strip.

    ``str.split()`` splits at exactly the characters ``\\s`` matches (``str.isspace``):
    the same as ``re.sub(r"\\s+", " ", text).strip()``, several times faster.
    """
    return " ".join(text.split())


_SMALL_WORDS = frozenset({"and", "of", "the", "for", "on", "in", "to", "a", "an", "at", "by", "with", "or"})


def smart_title(text: str) -> str:
    """Title-case an ALL-CAPS name, keeping small joining words lower case.

    Printed minutes shout the body name ("CORPORATE PARENTING PANEL"); the
    archive stores it the way it is written in running text.
    """
    words = text.split(" ")
    out: list[str] = []
    for i, w in enumerate(words):
        lw = w.lower()
        if i > 0 and lw in _SMALL_WORDS:
            out.append(lw)
        else:
            out.append("-".join(p[:1].upper() + p[1:].lower() for p in w.split("-")))
    return " ".join(out)


def is_shouting(text: str) -> bool:
    """True when the letters of ``text`` are (almost) all upper case."""
    sample = text[:200]
    upper = len(_UPPER.findall(sample))
    total = upper + len(_LOWER.findall(sample))
    return total >= 3 and upper / total > 0.85


def slice_safe_lower(text: str) -> str | None:
    """``fold_safe_lower(text)`` when every slice ``text[a:b]`` has ``fold_safe_lower``
    equal to the same slice of it, else None.

    Context windows and item texts are lower-cased for word tests; cutting them
    from the document lowered once saves lowering each. That holds when the
    whole text is fold-safe (then so is each slice, and no character's lower
    case is longer) and lacks the one character whose lower case depends on its
    neighbours (capital sigma, word-final or not). Cached (as the lowered texts
    are, up to the same size): the body, date and item readers of a document ask.
    """
    return _slice_safe_lower_cached(text) if len(text) <= FOLD_CACHE_MAX else _slice_safe_lower(text)


def _slice_safe_lower(text: str) -> str | None:
    low = fold_safe_lower(text)
    return low if low is not None and "\u03a3" not in text else None


_slice_safe_lower_cached = lru_cache(maxsize=2)(_slice_safe_lower)
