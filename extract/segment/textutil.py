"""Small text helpers shared by the segmenter modules.

All offsets the segmenter reports point into ``ParsedDocument.text``, so the
only normalisation allowed here keeps the length of the text unchanged
(CRLF becomes space + LF, odd spaces become plain spaces).
"""

from __future__ import annotations

import re
from itertools import accumulate, count, repeat
from operator import add, sub
from typing import NamedTuple

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
