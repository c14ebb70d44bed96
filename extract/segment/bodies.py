"""Find names of meeting bodies ("Safer Communities Partnership Board").

A body name is a run of capitalised words ending in a head word from
``models/segment/bodies.jsonl`` (Board, Committee, Panel, Cabinet ...),
optionally followed by "of" + capitalised words ("Board of Health"). The run
is grown leftwards from the head word over capitalised words and the joiners
"and", "&" and "," (so "Children, Education & Safeguarding Committee" stays
whole) and stops at stop words ("the", "Chairman", weekdays) and at another
head word across a joiner, so a list such as "the Adults and Safeguarding
Board, Children and Safeguarding Board" gives two names, not one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

from ..rx.fold import fold_safe_lower
from ..rx.scan import finditer, start_words
from ..rx.words import alternation
from .resources import Vocab, load_vocab
from .textutil import is_shouting, smart_title, squash

_TOKEN = re.compile(r"[A-Za-z][\w'’&-]*|&|,|[^\sA-Za-z]+")
_JOINERS = frozenset({"and", "&", ","})
# Capitalised words after a head word that do not make it a modifier ("Cabinet On ...").
_NOT_MODIFIED_BY = frozenset({"the", "a", "an", "on", "at", "in", "to", "and", "held", "will", "was", "is", "has"})
_CALENDAR = re.compile(
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day$|(?:january|february|march|april|may|june|july|august"
    r"|september|october|november|december)$",
    re.IGNORECASE,
)


_AND_AHEAD = re.compile(r"\b(?:and|&)\b|&", re.IGNORECASE)
# The word after a head word (see find_bodies), keyed by whether the head word is shouted.
_NEXT_WORD = {
    True: re.compile(r"[ \t]+([A-Za-z][\w'’-]*)"),
    False: re.compile(r"[ \t]*\n?[ \t]*(?<=\s)([A-Za-z][\w'’-]*)"),
}
_OF_TAIL_RX = r"[ \t]+of[ \t]+((?:[A-Z][\w'’-]*)(?:[ \t]+[A-Z][\w'’-]*){0,2})"  # "Board of Health"
_OF_TAIL = {True: re.compile(_OF_TAIL_RX, re.IGNORECASE), False: re.compile(_OF_TAIL_RX)}


class BodyMention(NamedTuple):
    """One occurrence of a body name in the text.

    A named tuple (immutable, as the frozen dataclass it was), several times
    cheaper to make: a long document has hundreds of mentions.
    """

    name: str  # display form (ALL CAPS turned into title case)
    key: str  # comparison key (lower case, '&' -> 'and')
    start: int
    end: int
    head: str
    shouting: bool
    generic: bool  # a bare head word ("the Board"): a reference, not a name


def body_key(name: str) -> str:
    """Comparison key for a body name: case, '&' and spacing do not matter."""
    return squash(name.replace("&", " and ").replace("’", "'")).lower()


def acronym(name: str) -> str:
    """Initials of the significant words ("Safer Communities Partnership Board" -> "SCPB")."""
    words = [w for w in re.split(r"[\s,]+", name) if w and w.lower() not in {"and", "&", "of", "for", "the", "on"}]
    return "".join(w[0].upper() for w in words if w[0].isalpha())


@lru_cache(maxsize=1)
def _head_regex() -> re.Pattern[str]:
    vocab = load_vocab()
    alts = alternation(vocab.heads)
    return re.compile(rf"(?<![\w-])(?:{alts})(?![\w-])", re.IGNORECASE)


def _is_cap(word: str, shouting: bool) -> bool:
    if not word[:1].isalpha() or not word[:1].isupper():
        return False
    return word.isupper() or not shouting or len(word) == 1


@lru_cache(maxsize=1024)
def _canonical_head(vocab: Vocab, text: str) -> str | None:
    """The head word as the vocabulary spells it (the first entry equal ignoring case).

    Cached: it is asked of every head word found and of the words before one,
    and these are few different strings ("Board", "BOARD", "Committee" ...).
    """
    return _vocab_index(vocab)[0].get(squash(text).lower())


@lru_cache(maxsize=8)
def _vocab_index(vocab: Vocab) -> tuple[dict[str, str], frozenset[str]]:
    """Lookups derived from ``vocab`` once: lower-cased head -> head, lower-cased post_of words."""
    heads: dict[str, str] = {}
    for h in vocab.heads:
        heads.setdefault(h.lower(), h)
    return heads, frozenset(p.lower() for p in vocab.post_of)


_CHUNK = 40  # characters tokenized at a time by _tokens_backwards (most names are a few words)


def _tokens_backwards(text: str, lo: int, hi: int) -> Iterator[re.Match[str]]:
    """``reversed(list(_TOKEN.finditer(text, lo, hi)))``, tokenized a chunk at a time from the end.

    No token holds white space, so the tokens after a space are the same
    whether the scan starts at ``lo`` or just after that space; a caller
    that stops after a few tokens never has the whole window tokenized.
    """
    end = hi
    while end > lo:
        space = text.rfind(" ", lo, end - _CHUNK) if end - _CHUNK > lo else -1
        start = space + 1 if space >= 0 else lo
        yield from reversed(list(_TOKEN.finditer(text, start, end)))
        end = start


def _expand_left(text: str, hs: int, shouting: bool, vocab: Vocab) -> int:
    """Offset where the body name ending at head ``hs`` starts."""
    # Bounded look-backs: an unbroken multi-megabyte line must not make this quadratic.
    nl = text.rfind("\n", max(0, hs - 400), hs)
    line_start = nl + 1 if nl >= 0 else max(0, hs - 400)
    window_start = max(line_start, hs - 160)
    # Names wrapped onto the next line of running prose: look across one newline.
    if nl >= 0 and line_start > 0 and hs - line_start < 40:
        prev_nl = text.rfind("\n", max(0, line_start - 2000), line_start - 1)
        prev_start = prev_nl + 1 if prev_nl >= 0 else max(0, line_start - 2000)
        prev = text[prev_start : line_start - 1]
        if len(prev.strip()) >= 50 and not shouting and not prev.rstrip().endswith((".", ":", ";")):
            window_start = max(prev_start, hs - 160)
    start = hs
    pending_joiner = False
    for tok in _tokens_backwards(text, window_start, hs):
        w = tok.group(0)
        lw = w.lower()
        if lw in _JOINERS:
            if pending_joiner:
                break
            if lw == "," and not _AND_AHEAD.search(text[tok.end() : hs]):
                break  # "A, B and C Committee" is one name; "Smith, Cabinet" is not
            pending_joiner = True
            continue
        if not _is_cap(w, shouting) or lw in vocab.stops:
            break
        if pending_joiner and _canonical_head(vocab, w) is not None:
            break  # "... Committee and Health and Well-Being Board": a list of two bodies
        start = tok.start()
        pending_joiner = False
    return start


def _head_matches(text: str) -> Iterator[re.Match[str]]:
    """The matches of ``_head_regex().finditer(text)``, tried only where a head word starts.

    Every match starts with one of the head words (case ignored); their
    places in the lower-cased text are found with ``str.find``, a few times
    faster than a regex searching for all of them at once, and the pattern
    is tried there, left to right, going on after each match from its end
    as ``finditer`` does.
    """
    rx = _head_regex()
    words = start_words(rx)
    low = fold_safe_lower(text)
    if words is None or low is None:  # (a text whose lower case shifts or differs from re's folding)
        yield from finditer(rx, text)
        return
    starts: set[int] = set()
    for word in words:
        at = low.find(word)
        while at >= 0:
            starts.add(at)
            at = low.find(word, at + 1)
    match = rx.match
    floor = 0
    for at in sorted(starts):
        if at >= floor and (m := match(text, at)) is not None:
            yield m
            floor = m.end()  # never empty: a head word is a word


def find_bodies(text: str, vocab: Vocab | None = None) -> list[BodyMention]:
    """All body-name mentions in ``text`` (normalised text), in order."""
    vocab = vocab or load_vocab()
    out: list[BodyMention] = []
    for m in _head_matches(text):
        hs, he = m.start(), m.end()
        word = m.group(0)
        shouting = word.isupper()
        if not shouting and not word[:1].isupper():
            continue  # lower-case "board" in prose
        head = _canonical_head(vocab, word) or word
        # What follows the head: another capitalised word makes the head a modifier
        # ("Cabinet Member", "Council Chamber", "Partnership Board").
        # In wrapped prose the next word may sit on the next line ("Cabinet\nMember").
        after = _NEXT_WORD[shouting].match(text[he : he + 40])
        end = he
        if after:
            nxt = after.group(1)
            if nxt in vocab.post_of or nxt.lower() in _vocab_index(vocab)[1]:
                tail = _OF_TAIL[shouting].match(text[he : he + 80])
                if tail and tail.group(1).split()[0].lower() not in vocab.stops and _is_cap(tail.group(1), shouting):
                    end = he + tail.end()
            elif (
                _is_cap(nxt, shouting)
                and nxt.title() not in vocab.post_ok
                and nxt.lower() not in _NOT_MODIFIED_BY
                and not _CALENDAR.match(nxt)
            ):
                continue
        start = _expand_left(text, hs, shouting, vocab)
        raw = squash(text[start:end])
        generic = start == hs and end == he
        if raw.lower() in vocab.not_body and not generic:
            continue
        if generic and raw.lower() in vocab.not_body:
            continue
        words = raw.split()
        if head == "Council" and len(words) == 2 and words[0].lower() not in vocab.council_modifiers:
            continue  # "Barnet Council" is the authority, not a meeting body
        name, key = _display_name(raw, shouting)
        out.append(BodyMention(name, key, start, end, head, shouting, generic and head != "Cabinet"))
    return out


@lru_cache(maxsize=4096)
def _display_name(raw: str, shouting: bool) -> tuple[str, str]:
    """A body name as displayed (a shouted one title-cased) and its key; names repeat, so cached."""
    name = smart_title(raw) if shouting or is_shouting(raw) else raw
    return name, body_key(name)
