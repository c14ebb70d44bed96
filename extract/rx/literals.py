"""Literal prefilters for rule regexes: skip a search that cannot match (the NLP layer).

The rule components search every sentence with every cue regex, and most
sentences hold none of a cue's words: each such search still walks the whole
sentence trying every alternative at every position. A case-sensitive cue
regex usually requires some literal text in any match ("RESOLVED", "agreed",
"[Tt]he ... noted"), so a plain substring test (``in``, C speed) can say
"cannot match" first and the regex only runs where it might.

:func:`required_literals` reads the regex's parsed form and returns strings
of which every match must contain one, or None when it cannot tell (a
case-insensitive pattern, no literal in every branch): the prefilter is a
necessary condition, so results are exactly those of searching everything.

:class:`MultiFinditer` goes further for a family of regexes searched over the
same text (the figure masks and periods): a few combined scans find where any
of them can match, and each regex runs only there, with the same matches as
its own ``finditer``. What the parsed form proves about every match lets it
search less of the text, never changing a match:

* :func:`digit_reach`: a pattern whose every match holds an ASCII digit, at most
  so many non-space characters after its start, can only start in the
  :func:`digit_windows` of a text (word-start scans then run only there);
* :func:`read_weight`: a match reads at most so many characters other than
  whitespace, digits and "-", so a match crossing a point starts within that
  stretch before it (:meth:`MultiFinditer.found_near` searches around sentences);
* whitespace that no match can hold, with a literal every match needs (a URL's
  "http", an e-mail's "@"): only the whitespace-delimited stretches holding the
  literal are searched (:func:`extract.rx.scan.window_matches`);
* no match starting with a digit right after a digit: the scans skip the
  inside of numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress
from typing import NamedTuple

from .compiled import remembered
from .fold import CASE_FOLD_EXTRAS, fold_case
from .scan import BARRIER_CANDIDATES, barriers_of, reversed_text, window_matches
from .sre import ATOMIC_GROUP as _ATOMIC
from .sre import REPEATS as _REPEATS
from .sre import C as _c
from .sre import parse

_MAX_EXPANSIONS = 16  # alternatives a literal run may expand to ("[Tt]he" -> "The", "the")
_MAX_CLASS = 4  # a character class of at most this many literal characters is expanded


@remembered
def required_literals(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Strings of which every match of ``pattern`` contains at least one, or None.

    None when the pattern ignores case (anywhere it would matter), is a bytes
    pattern, or has a branch with no literal in it.
    """
    if not isinstance(pattern.pattern, str) or pattern.flags & re.IGNORECASE:
        return None
    parsed = parse(pattern.pattern, pattern.flags)  # None: an unreadable pattern gets no prefilter
    if parsed is None or parsed.state.flags & re.IGNORECASE:
        return None
    best = _sequence(list(parsed), fold=False)
    return tuple(sorted(best)) if best else None


@remembered
def first_chars(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Class items (``"a"``, ``"0-9"``, ``"\\d"``) one of which every match of ``pattern`` starts with, or None.

    Put in a look-ahead before the pattern (:func:`guarded`), they change no
    match and let a search reject most positions with one class test instead
    of trying every alternative there. Leading anchors and look-arounds are
    skipped (they consume nothing, so the first character is the next
    item's). None when a match may start otherwise: an optional or empty
    start, a wildcard, a negated class, or a group switching on
    case-insensitivity that ``flags`` lack.
    """
    parsed = parse(pattern, flags)
    if parsed is None:  # an unreadable pattern just gets no look-ahead
        return None
    ignore_case = bool((flags | parsed.state.flags) & re.IGNORECASE)
    out = _first(list(parsed), ignore_case)
    return frozenset(out) if out else None


def guarded(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` behind a look-ahead for its first characters (itself when there is none).

    The same matches at the same places, faster where a match can start
    at few positions: the check costs one class test per position.
    """
    source = guarded_source(pattern.pattern, pattern.flags)
    if source is None:
        return pattern
    try:
        return re.compile(source, pattern.flags)
    except re.error:
        return pattern


@remembered
def guarded_source(pattern: str, flags: int = 0) -> str | None:
    """The regex text :func:`guarded` compiles for ``pattern``, or None when it keeps the pattern.

    Lets a loader compile only the guarded form instead of the plain one first
    (pattern compilation is most of the pipeline's start-up).
    """
    first = first_chars(pattern, flags)
    if not first or first & _BROAD:
        return None  # a class that passes most characters would only add a test
    return f"(?={char_class(first)})(?:{pattern})"


_CATEGORIES = {
    _c.CATEGORY_DIGIT: r"\d", _c.CATEGORY_NOT_DIGIT: r"\D", _c.CATEGORY_SPACE: r"\s",
    _c.CATEGORY_NOT_SPACE: r"\S", _c.CATEGORY_WORD: r"\w", _c.CATEGORY_NOT_WORD: r"\W",
}
_ZERO_WIDTH = {_c.AT, _c.ASSERT, _c.ASSERT_NOT}
_BROAD = frozenset({r"\w", r"\W", r"\S", r"\D"})


def _class_items(av: list[tuple]) -> set[str] | None:
    """The items of a (not negated) character class, written as class syntax."""
    out: set[str] = set()
    for op, v in av:
        if op is _c.LITERAL:
            out.add(re.escape(chr(v)))
        elif op is _c.RANGE:
            out.add(f"{re.escape(chr(v[0]))}-{re.escape(chr(v[1]))}")
        elif op is _c.CATEGORY and v in _CATEGORIES:
            out.add(_CATEGORIES[v])
        else:  # NEGATE, or a category with no class syntax
            return None
    return out or None


def _first(items: list[tuple], ignore_case: bool) -> set[str] | None:
    k = 0
    while k < len(items) and items[k][0] in _ZERO_WIDTH:
        k += 1  # anchors and look-arounds consume nothing
    if k >= len(items):
        return None
    op, av = items[k]
    if op is _c.LITERAL:
        return {re.escape(chr(av))}
    if op is _c.IN:
        return _class_items(av)
    if op is _c.CATEGORY and av in _CATEGORIES:
        return {_CATEGORIES[av]}
    if op is _c.BRANCH:
        out: set[str] = set()
        for branch in av[1]:
            sub = _first(list(branch), ignore_case)
            if sub is None:
                return None
            out |= sub
        return out
    if op is _c.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        if add_flags & re.IGNORECASE and not ignore_case:
            return None  # the group matches more cases than a class under ``flags`` would
        return _first(list(sub), ignore_case)
    if op is _ATOMIC:
        return _first(list(av), ignore_case)
    if op in _REPEATS and av[0] >= 1:
        return _first(list(av[2]), ignore_case)
    return None


def char_class(items: Iterable[str]) -> str:
    """A regex character class of ``items`` as :func:`first_chars` gives them."""
    return "[" + "".join(sorted(items)) + "]"


def _single_char(item: str) -> str | None:
    """The character a class item of :func:`first_chars` stands for, if it is one
    ("a", "\\-"; not "a-z" or "\\d")."""
    if len(item) == 1:
        return item
    return item[1] if len(item) == 2 and item[0] == "\\" and re.escape(item[1]) == item else None


def by_first_char(parts: Sequence[str], firsts: Sequence[frozenset[str] | None]) -> str:
    """The alternation of ``parts``, with the parts sorted into groups by the character they start with.

    ``re`` tries every alternative at every place; here a place tries only the
    group whose look-ahead its character passes ("w" for "would", "will", "was
    to"), one class test per group instead of a literal test per cue. Parts
    whose first characters are the same letter in either case share a group
    and keep their order in it, and a place can start a match of no other
    group's part, so the first part that matches at each place, and so every
    match and its named group, are unchanged. ``firsts`` are
    :func:`first_chars` of each part (under the flags the
    alternation is compiled with); unless all are single ASCII characters
    (which, even ignoring case, never match the same character) the plain
    alternation is kept.
    """
    chars = [{_single_char(item) for item in f} if f else None for f in firsts]
    if any(c is None or not all(ch is not None and ch.isascii() for ch in c) for c in chars):
        return "|".join(parts)
    groups: list[tuple[set[str], list[int]]] = []  # (first characters, part indices in order)
    for i, c in enumerate(chars):
        own = {ch for ch in c or () if ch}
        keys = {ch.lower() for ch in own}
        joined = [g for g in groups if keys & {ch.lower() for ch in g[0]}]
        for g in joined:
            groups.remove(g)
            own |= g[0]
        groups.append((own, sorted([i, *(k for g in joined for k in g[1])])))
    return "|".join(f"(?={char_class(re.escape(ch) for ch in c)})(?:{'|'.join(parts[k] for k in ks)})"
                    for c, ks in groups)


def could_match(literals: tuple[str, ...] | None, text: str) -> bool:
    """False only when ``text`` holds none of ``literals`` (so the regex cannot match it)."""
    if literals is None:
        return True
    return any(lit in text for lit in literals)


def _better(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    """The more selective of two requirement sets: longer shortest string, then fewer strings."""
    if not a:
        return b
    if not b:
        return a
    ka = (min(map(len, a)), -len(a))
    kb = (min(map(len, b)), -len(b))
    return a if ka >= kb else b


def _class_chars(items: Iterable[tuple]) -> list[str] | None:
    """The characters of a class made only of literal characters (no ranges, categories or negation)."""
    out = []
    for op, av in items:
        if op is not _c.LITERAL:
            return None
        out.append(chr(av))
    return out if 0 < len(out) <= _MAX_CLASS else None


def _run_chars(op: object, av: object, fold: bool, ignore_case: bool) -> list[str] | None:
    """The strings one item adds to a literal run (one per alternative), or None: it ends the run.

    Plain (``fold`` False): a literal character or a small class of them as written.
    Folded: the same as :func:`fold_case` text holds them, case variants one string.
    """
    if op is _c.LITERAL:
        if not fold:
            return [chr(av)]  # type: ignore[arg-type]
        one = _folded_char(chr(av), ignore_case)  # type: ignore[arg-type]
        return [one] if one is not None else None
    if op is _c.IN:
        return _folded_class(av, ignore_case) if fold else _class_chars(av)  # type: ignore[arg-type]
    return None


def _sequence(items: list[tuple], fold: bool, ignore_case: bool = False) -> frozenset[str] | None:
    """A requirement set for a sequence of parsed items (None: none found).

    ``fold``: strings as they stand in :func:`fold_case` text (``ignore_case``: the
    items are matched ignoring case); else as written, and a group that switches on
    case-insensitivity requires nothing.
    """
    best: frozenset[str] | None = None
    run: set[str] = set()

    def close() -> None:
        nonlocal best, run
        if run and all(run):
            best = _better(best, frozenset(run))
        run = set()

    for op, av in items:
        chars = _run_chars(op, av, fold, ignore_case)
        if chars is not None:
            grown = {s + ch for s in run for ch in chars} if run else set(chars)
            if len(grown) > _MAX_EXPANSIONS:
                close()
                grown = set(chars)
            run = grown
            continue
        close()
        if op is _c.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            if fold:
                sub_case = (ignore_case or bool(add_flags & re.IGNORECASE)) and not del_flags & re.IGNORECASE
                best = _better(best, _sequence(list(sub), fold, sub_case))
            elif not add_flags & re.IGNORECASE:
                best = _better(best, _sequence(list(sub), fold))
        elif op is _ATOMIC:
            best = _better(best, _sequence(list(av), fold, ignore_case))
        elif op in _REPEATS:
            lo, _hi, sub = av
            if lo >= 1:
                best = _better(best, _sequence(list(sub), fold, ignore_case))
        elif op is _c.BRANCH:
            union: set[str] = set()
            for branch in av[1]:
                req = _sequence(list(branch), fold, ignore_case)
                if not req:
                    union = set()
                    break
                union |= req
            if union and len(union) <= _MAX_EXPANSIONS * 2:
                best = _better(best, frozenset(union))
        # anything else (anchors, look-arounds, wildcards, classes, back-references) requires nothing
    close()
    return best


# ---------------------------------------------------------------- case-insensitive literals


def _folded_char(ch: str, ignore_case: bool) -> str | None:
    """What a pattern character is in :func:`fold_case` text; None when that is not one string."""
    if ignore_case and not ch.isascii() and not (ch.lower() == ch == ch.upper()):
        return None  # a cased non-ASCII letter may match characters that fold otherwise
    return fold_case(ch)


def _folded_class(items: Iterable[tuple], ignore_case: bool) -> list[str] | None:
    out: list[str] = []
    for op, av in items:
        if op is not _c.LITERAL:
            return None
        ch = _folded_char(chr(av), ignore_case)
        if ch is None:
            return None
        if ch not in out:
            out.append(ch)
    return out if 0 < len(out) <= _MAX_CLASS else None


@remembered
def required_folded_literals(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Strings one of which :func:`fold_case` of any text ``pattern`` matches in contains, or None.

    :func:`required_literals` for case-insensitive patterns too: every match, lower-cased
    the way :func:`fold_case` does it, contains one of them.
    """
    if not isinstance(pattern.pattern, str) or pattern.flags & (re.LOCALE | re.ASCII):
        return None
    parsed = parse(pattern.pattern, pattern.flags)
    if parsed is None:  # an unreadable pattern just gets no prefilter
        return None
    best = _sequence(list(parsed), True, bool((pattern.flags | parsed.state.flags) & re.IGNORECASE))
    return tuple(sorted(best)) if best else None


# ------------------------------------------------------------------ many regexes, one text

_WORD_CHAR = re.compile(r"\w")
_SCOPED_FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL}
_LEADING_FLAGS = re.compile(r"\(\?([a-zA-Z]+)\)")
_ITEM_CATEGORIES = {_c.CATEGORY_DIGIT: r"\d", _c.CATEGORY_SPACE: r"\s", _c.CATEGORY_WORD: r"\w"}
_MAX_RANGE = 256  # a wider range as a first character is no filter
_FEW_LETTERS = 4  # letters a first-character class may hold without a word boundary before it
BUILD_AFTER = 60_000  # characters searched one regex at a time before MultiFinditer builds its scans
_CAPS_OR_DIGITS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def _folded(ch: str, ignore_case: bool) -> set[str] | None:
    """Every character ``ch`` matches (ignoring case if asked); None when unsure."""
    if not ignore_case:
        return {ch}
    if ch.isascii():
        return {ch, ch.lower(), ch.upper(), *CASE_FOLD_EXTRAS.get(ch.lower(), "")}
    return {ch} if ch.lower() == ch == ch.upper() else None


def _char_items(op: object, av: object, ignore_case: bool) -> frozenset[str] | None:
    """The characters (or ``\\d``/``\\s``/``\\w``) one consuming item matches; None when broad."""
    pairs = av if op is _c.IN else [(op, av)]
    out: set[str] = set()
    for o, v in pairs:  # type: ignore[union-attr]
        got: set[str] | None
        if o is _c.LITERAL:
            got = _folded(chr(v), ignore_case)
        elif o is _c.RANGE and v[1] - v[0] <= _MAX_RANGE:
            got = set()
            for code in range(v[0], v[1] + 1):
                one = _folded(chr(code), ignore_case)
                if one is None:
                    return None
                got |= one
        elif o is _c.CATEGORY and v in _ITEM_CATEGORIES:
            got = {_ITEM_CATEGORIES[v]}
        else:  # NEGATE, ANY, NOT_LITERAL, wide ranges, other categories
            return None
        if got is None:
            return None
        out |= got
    return frozenset(out) or None


@dataclass(frozen=True)
class _Entry:
    """How a match can start: its first character is one of ``items`` (after a word boundary
    when ``boundary``), or (``items`` None) it starts a line."""

    items: frozenset[str] | None
    boundary: bool = False


def _entries(items: list, flags: int, boundary: bool = False, line: bool = False) -> tuple[list[_Entry], bool] | None:
    """(ways a match of the parsed sequence can start, whether it can match empty); None: unknown.

    Zero-width items are passed over (a look-behind only narrows where a match starts);
    ``\\b`` and ``^`` before the first character are recorded.
    """
    out: list[_Entry] = []
    for op, av in items:
        if op is _c.AT:
            if av is _c.AT_BOUNDARY:
                boundary = True
            elif av in (_c.AT_BEGINNING, _c.AT_BEGINNING_STRING):
                line = True
            continue
        if op in (_c.ASSERT, _c.ASSERT_NOT):
            continue
        if op is _c.SUBPATTERN or op is _ATOMIC or op is _c.BRANCH or op in _REPEATS:
            least, sub_flags = 1, flags
            if op is _c.SUBPATTERN:
                _group, add_flags, del_flags, sub = av
                subs, sub_flags = [sub], (flags | add_flags) & ~del_flags
            elif op is _ATOMIC:
                subs = [av]
            elif op is _c.BRANCH:
                subs = av[1]
            else:
                least, _most, sub = av
                subs = [sub]
            empty = False
            for sub in subs:
                got = _entries(list(sub), sub_flags, boundary, line)
                if got is None:
                    return None
                out += got[0]
                empty |= got[1]
            if least >= 1 and not empty:
                return out, False
            continue  # optional: what follows may start the match too
        if line:
            out.append(_Entry(None))
            return out, False
        chars = _char_items(op, av, bool(flags & re.IGNORECASE))
        if chars is None:
            return None
        out.append(_Entry(chars, boundary))
        return out, False
    return out, True


def _uncaptured(src: str) -> str | None:
    """Pattern source with every capturing group made non-capturing; None if it refers back to one."""
    out: list[str] = []
    i, n = 0, len(src)
    in_class = False
    while i < n:
        ch = src[i]
        if ch == "\\":
            nxt = src[i + 1 : i + 2]
            if not in_class and nxt.isdigit() and nxt != "0":
                return None  # a numbered back-reference
            out.append(src[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
            out.append(ch)
            i += 1
            continue
        if ch == "[":
            in_class = True
            j = i + 1
            if src[j : j + 1] == "^":
                j += 1
            if src[j : j + 1] == "]":
                j += 1  # a leading "]" is a member, not the end
            out.append(src[i:j])
            i = j
            continue
        if ch == "(":
            if src.startswith("(?P<", i):
                out.append("(?:")
                i = src.index(">", i) + 1
                continue
            if src.startswith("(?P=", i) or src.startswith("(?(", i):
                return None
            if not src.startswith("(?", i):
                out.append("(?:")
                i += 1
                continue
        out.append(ch)
        i += 1
    return "".join(out)


def _embeddable(rx: re.Pattern[str]) -> str | None:
    """``rx`` as one part of a larger pattern: its flags scoped to it, no capturing groups."""
    src, flags = rx.pattern, rx.flags
    lead = _LEADING_FLAGS.match(src)
    while lead:
        if any(f not in _SCOPED_FLAGS and f != "u" for f in lead.group(1)):
            return None
        src = src[lead.end() :]
        lead = _LEADING_FLAGS.match(src)
    if flags & (re.VERBOSE | re.ASCII | re.LOCALE):
        return None
    body = _uncaptured(src)
    if body is None:
        return None
    letters = "".join(f for f, bit in _SCOPED_FLAGS.items() if flags & bit)
    return f"(?{letters}:{body})" if letters else f"(?:{body})"


def _embeds(part: str) -> bool:
    """The embedded form compiles on its own and captures nothing (checked when a combined scan fails)."""
    try:
        return re.compile(part).groups == 0
    except re.error:
        return False


def _class_of(items: Iterable[str]) -> str:
    items = frozenset(items)
    if items >= _ANY:
        return r"[\s\S]"  # any character (whatever else is listed)
    cats = sorted(x for x in items if len(x) > 1)
    chars = sorted(x for x in items if len(x) == 1)
    return "[" + "".join(cats) + "".join("\\" + c if c in "\\]^-[" else c for c in chars) + "]"


_ANY = frozenset({r"[\s\S]"})  # a character that could be anything
_PREFIX_CAP = 400  # prefixes a pattern may have before a shorter length is tried
_PREFIX_LENGTH = 5  # characters of each match start to describe

_Prefixes = set[tuple[tuple[frozenset[str], ...], bool]]  # (character classes, whole match described)


def _seq_prefixes(items: list, flags: int, k: int) -> _Prefixes | None:
    """How matches of a parsed sequence can start: up to ``k`` character classes each."""
    result: _Prefixes = {((), True)}
    for op, av in items:
        new: _Prefixes = set()
        subs: dict[int, _Prefixes | None] = {}  # by characters left: the same for many starts
        for u, whole in result:
            if not whole or len(u) >= k:
                new.add((u, False))
                continue
            left = k - len(u)
            if left not in subs:
                subs[left] = _item_prefixes(op, av, flags, left)
            sub = subs[left]
            if sub is None:
                new.add((u, False))  # what follows is unknown: the start so far still holds
                continue
            new.update((u + v, w) for v, w in sub)
        result = new
        if len(result) > _PREFIX_CAP:
            return None
    return result


def _item_prefixes(op: object, av: object, flags: int, k: int) -> _Prefixes | None:
    if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
        return {((), True)}  # zero width: the start is what comes next
    if op is _c.SUBPATTERN:
        _group, add_flags, del_flags, sub = av  # type: ignore[misc]
        return _seq_prefixes(list(sub), (flags | add_flags) & ~del_flags, k)
    if op is _ATOMIC:
        return _seq_prefixes(list(av), flags, k)  # type: ignore[call-overload]
    if op is _c.BRANCH:
        out: _Prefixes = set()
        for branch in av[1]:  # type: ignore[index]
            got = _seq_prefixes(list(branch), flags, k)
            if got is None:
                return None
            out |= got
        return out if len(out) <= _PREFIX_CAP else None
    if op in _REPEATS:
        least, most, body = av  # type: ignore[misc]
        if body.getwidth()[0] < 1:
            return None
        cur: _Prefixes = {((), True)}
        done: _Prefixes = set()
        n = 0
        while True:
            for u, whole in cur:
                if not whole or len(u) >= k:
                    done.add((u, False))
                elif n >= least:
                    done.add((u, True))  # the repetition may stop here
            if n >= most:
                break
            nxt: _Prefixes = set()
            bodies: dict[int, _Prefixes | None] = {}
            for u, whole in cur:
                if whole and len(u) < k:
                    left = k - len(u)
                    if left not in bodies:
                        bodies[left] = _seq_prefixes(list(body), flags, left)
                    got = bodies[left]
                    if got is None:
                        return None
                    nxt.update((u + v, w) for v, w in got)
            if not nxt:
                break
            cur, n = nxt, n + 1
            if len(done) + len(cur) > _PREFIX_CAP:
                return None
        return done
    if op in (_c.LITERAL, _c.IN, _c.NOT_LITERAL, _c.ANY):
        chars = _char_items(op, av, bool(flags & re.IGNORECASE)) if op in (_c.LITERAL, _c.IN) else None
        return {((chars if chars is not None else _ANY,), True)}
    return None


def _match_prefixes(parsed: object, flags: int) -> set[tuple[frozenset[str], ...]] | None:
    """Character classes the first characters of every match fit, one sequence of which each
    match starts with (the longest description up to :data:`_PREFIX_LENGTH` that stays small)."""
    for k in range(_PREFIX_LENGTH, 0, -1):
        got = _seq_prefixes(list(parsed), flags, k)  # type: ignore[call-overload]
        if got is not None:
            seqs = {u for u, _whole in got}
            return None if () in seqs else seqs
    return None


def _prefix_regex(seqs: Iterable[tuple[frozenset[str], ...]]) -> str:
    """A regex that matches wherever one of the class sequences does (a tree, shared starts merged)."""
    root: dict = {}
    for seq in seqs:
        node = root
        for unit in seq:
            node = node.setdefault(unit, {})
        node[None] = {}

    def emit(node: dict) -> str:
        if None in node:
            return ""  # a shorter description already fits
        by_rest: dict[str, frozenset[str]] = {}
        for unit, child in node.items():
            rest = emit(child)
            by_rest[rest] = by_rest.get(rest, frozenset()) | unit  # [a]X|[b]X is [ab]X (any stays any)
        parts = sorted(_class_of(unit) + rest for rest, unit in by_rest.items())  # same source in every process
        return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"

    return emit(root)


def _entry_kind(e: _Entry) -> str | None:
    """Which combined scan finds this start: "line", "word" (a word start), "caps" (a word start
    that only a capital letter or digit begins: few places), "class"; None: too common to filter."""
    if e.items is None:
        return "line"
    letters = sum(1 for x in e.items if (len(x) == 1 and x.isalpha()) or x == r"\w")
    if r"\s" in e.items:
        return None
    if letters and e.boundary and all(x in (r"\w", r"\d") or (len(x) == 1 and _WORD_CHAR.match(x)) for x in e.items):
        return "caps" if all(len(x) == 1 and x in _CAPS_OR_DIGITS for x in e.items) else "word"
    return "class" if letters <= _FEW_LETTERS and r"\w" not in e.items else None


@dataclass(frozen=True)
class _Scan:
    """One combined scan: ``find`` stops where some member can match, ``which`` says which.

    A ``windowed`` scan runs only near digits (see :func:`digit_reach`) and its ``find``
    reads no more than :data:`_PREFIX_LENGTH` characters ahead (no look-ahead of the
    members), so it may be cut off at the end of a window."""

    kind: str
    members: tuple[int, ...]
    find: re.Pattern[str]
    which: re.Pattern[str]
    windowed: bool = False


def _combined_scan(
    kind: str,
    rows: list[tuple[int, frozenset[str] | None]],
    parts: dict[int, str],
    prefixes: set[tuple[frozenset[str], ...]] | None,
    windowed: bool = False,
    digit_break: bool = False,
) -> _Scan | None:
    """The scan for one kind of start; None when a pattern does not embed (or no rows).

    ``digit_break``: no member starts with a digit right after a digit, so the scan
    passes over the inside of numbers."""
    if not rows or (windowed and not prefixes):
        return None
    members = tuple(sorted({k for k, _ in rows}))
    either = "|".join(parts[k] for k in members)
    try:
        if kind == "line":
            find = re.compile(f"\\n(?={either})")  # the line start after it; 0 is tried too
        else:
            first = _class_of(frozenset().union(*(items for _k, items in rows if items)))
            if kind.startswith(("word", "caps")):
                boundary = r"(?<!\w\w)"  # the word starts here
            else:
                boundary = r"(?<![0-9][0-9])" if digit_break else ""
            guard = f"(?={_prefix_regex(prefixes)})" if prefixes else ""
            whole = "" if windowed else f"(?={either})"  # a windowed scan leaves the members to ``which``
            find = re.compile(f"{first}{boundary}(?<={guard}{whole}[\\s\\S])")
        which_source = "".join(f"(?:(?=({parts[k]}))|)" for k in members)
        if windowed:  # most places match no member: fail there at once ("(?(1)|(?(2)|...(?!)))")
            which_source += "".join(f"(?({g})|" for g in range(1, len(members) + 1)) + "(?!)" + ")" * len(members)
        which = re.compile(which_source)
    except re.error:
        return None
    return _Scan(kind, members, find, which, windowed) if which.groups == len(members) else None


_NONE = float("-inf")  # no such match
_UNBOUNDED = float("inf")
_WINDOWED_KINDS = ("word", "caps")  # kinds that stop at most words: worth scanning only near digits
_SPACES = " \t\n\r\f\v"
_TOKEN_BARRIERS = _SPACES + BARRIER_CANDIDATES.replace("\n", "")  # non-word characters a match may not hold
_MANY_LETTERS = 10  # first letters that make a scan stop at most words
_MAX_REACH = 40  # a pattern that may start further than this before its first digit is not windowed
_WHITESPACE = re.compile(r"\s")

# (longest digit-free match, most non-space characters before the first digit) of one item kind
_Reach = tuple[float, float]
_EMPTY: _Reach = (0, _NONE)
_DIGIT: _Reach = (_NONE, 0)  # an ASCII digit
_SPACE: _Reach = (0, _NONE)  # whitespace only
_OTHER: _Reach = (1, _NONE)  # one character that is neither
_ANY_CHAR: _Reach = (1, 0)  # could be a digit or not


def _plus(a: float, b: float) -> float:
    return _NONE if _NONE in (a, b) else a + b


def _then_reach(a: _Reach, b: _Reach) -> _Reach:
    """``a`` followed by ``b``: digit-free only if both are; the first digit is ``a``'s or ``b``'s after a digit-free ``a``."""
    return (_plus(a[0], b[0]), max(a[1], _plus(a[0], b[1])))


def _either_reach(a: _Reach, b: _Reach) -> _Reach:
    return (max(a[0], b[0]), max(a[1], b[1]))


def _char_reach(ch: str) -> _Reach:
    if "0" <= ch <= "9":
        return _DIGIT
    return _SPACE if _WHITESPACE.match(ch) else _OTHER


def _class_reach(av: list[tuple]) -> _Reach:
    out: _Reach | None = None
    for op, v in av:
        if op is _c.LITERAL:
            one = _char_reach(chr(v))
        elif op is _c.RANGE and ord("0") <= v[0] <= v[1] <= ord("9"):
            one = _DIGIT
        elif op is _c.CATEGORY and v in (_c.CATEGORY_SPACE, _c.CATEGORY_UNI_SPACE):
            one = _SPACE
        else:  # NEGATE, other ranges and categories (``\d`` holds other digits too)
            return _ANY_CHAR
        out = one if out is None else _either_reach(out, one)
    return out if out is not None else _ANY_CHAR


class _NoReach(Exception):
    """A pattern element whose matches cannot be bounded (back-references, conditionals ...)."""


def _seq_reach(items: list) -> _Reach:
    out = _EMPTY
    for op, av in items:
        out = _then_reach(out, _item_reach(op, av))
    return out


def _item_reach(op: object, av: object) -> _Reach:  # noqa: PLR0911 - one case per element kind
    if op is _c.LITERAL:
        return _char_reach(chr(av))  # type: ignore[arg-type]
    if op is _c.IN:
        return _class_reach(av)  # type: ignore[arg-type]
    if op in (_c.NOT_LITERAL, _c.ANY):
        return _ANY_CHAR
    if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
        return _EMPTY  # consume nothing
    if op is _c.SUBPATTERN:
        return _seq_reach(list(av[3]))  # type: ignore[index]
    if op is _ATOMIC:
        return _seq_reach(list(av))  # type: ignore[call-overload]
    if op is _c.BRANCH:
        out = None
        for branch in av[1]:  # type: ignore[index]
            got = _seq_reach(list(branch))
            out = got if out is None else _either_reach(out, got)
        return out if out is not None else _EMPTY
    if op in _REPEATS:
        least, most, body = av  # type: ignore[misc]
        if least > _MAX_REACH:
            raise _NoReach
        one = _seq_reach(list(body))
        run = _EMPTY
        for _ in range(least):
            run = _then_reach(run, one)
        best = run
        extra = most - least
        exact = extra <= _MAX_REACH  # a bounded repeat is followed to its end
        for _ in range(extra if exact else 2):
            before = best
            run = _then_reach(run, one)
            best = _either_reach(best, run)
        if not exact and best != before:  # still growing: it grows with every repetition
            best = tuple(_UNBOUNDED if x != y else x for x, y in zip(best, before, strict=True))  # type: ignore[assignment]
        return best
    raise _NoReach


def digit_reach(pattern: re.Pattern[str]) -> int | None:
    """How far before its first ASCII digit a match of ``pattern`` may start, or None.

    The reach counts the characters other than whitespace (any amount of which is
    allowed) between the match start and the first digit of the match. None when a
    match may hold no digit at all, or the reach is unbounded or above :data:`_MAX_REACH`.
    Every match then starts in a window ending at a digit run (:func:`digit_windows`),
    so the rest of the text holds no match.
    """
    parsed = parse(pattern.pattern, pattern.flags) if isinstance(pattern.pattern, str) else None
    return _digit_reach(parsed) if parsed is not None else None


def _digit_reach(parsed: object) -> int | None:
    """:func:`digit_reach` of a parsed pattern."""
    try:
        free, reach = _seq_reach(list(parsed))  # type: ignore[call-overload]
    except _NoReach:
        return None
    if free != _NONE or reach == _NONE or reach > _MAX_REACH:
        return None
    return int(reach)


def _is_digit(code: int) -> bool:
    return ord("0") <= code <= ord("9")


def _may_be_digit(op: object, av: object) -> bool:
    """Whether one consuming item may match an ASCII digit (True when unsure)."""
    if op is _c.LITERAL:
        return _is_digit(av)  # type: ignore[arg-type]
    if op is _c.IN:
        for o, v in av:  # type: ignore[union-attr]
            if o is _c.LITERAL:
                if _is_digit(v):
                    return True
            elif o is _c.RANGE:
                if v[0] <= ord("9") and v[1] >= ord("0"):
                    return True
            elif not (o is _c.CATEGORY and v in (_c.CATEGORY_SPACE, _c.CATEGORY_NOT_DIGIT, _c.CATEGORY_NOT_WORD)):
                return True  # NEGATE, \d, \w ...
        return False
    return True


def _ends_without_digit(sub: object) -> bool:
    """A look-behind whose last consumed character cannot be a digit."""
    items = list(sub)  # type: ignore[call-overload]
    while items and items[-1][0] in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
        items.pop()
    if not items:
        return False
    op, av = items[-1]
    if op is _c.BRANCH:
        return all(_ends_without_digit(b) for b in av[1])
    if op is _c.SUBPATTERN:
        return _ends_without_digit(av[3])
    return op in (_c.LITERAL, _c.IN) and not _may_be_digit(op, av)


def _guard_before(op: object, av: object) -> bool:
    """A zero-width item that rules out a digit just before the match (``\b`` before a digit,
    ``^``, ``(?<![0-9.])``, ``(?<=[;:,] )``, or a group of alternatives that each do)."""
    if op is _c.AT:
        return av in (_c.AT_BOUNDARY, _c.AT_BEGINNING, _c.AT_BEGINNING_STRING)
    if op in (_c.ASSERT, _c.ASSERT_NOT):
        direction, sub = av  # type: ignore[misc]
        if direction != -1:
            return False  # a look-ahead says nothing about the character before
        if op is _c.ASSERT:
            return _ends_without_digit(sub)
        one = list(sub)
        if len(one) != 1 or one[0][0] is not _c.IN or any(o is _c.NEGATE for o, _v in one[0][1]):
            return False  # a negated class (``(?<![^0-9])``) may require a digit instead
        return all(
            any((o is _c.RANGE and v[0] <= ord(d) <= v[1]) or (o is _c.LITERAL and v == ord(d)) for o, v in one[0][1])
            for d in "0123456789"
        )
    if op is _c.SUBPATTERN:
        return any(_guard_before(o, v) for o, v in av[3])  # type: ignore[index]
    if op is _c.BRANCH:
        return all(any(_guard_before(o, v) for o, v in b) for b in av[1])  # type: ignore[index]
    return False


def _no_digit_after_digit(items: list, guarded: bool = False) -> bool:
    """Whether no match of the parsed sequence can start with a digit right after a digit.

    True when a leading zero-width item rules it out (:func:`_guard_before`) or the first
    character cannot be a digit; False when unsure."""
    for i, (op, av) in enumerate(items):
        zero_width = op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT) or (
            op in (_c.SUBPATTERN, _c.BRANCH) and _width(op, av) == (0, 0)
        )
        if zero_width:
            guarded = guarded or _guard_before(op, av)
            continue
        if guarded:
            return True
        if op in (_c.LITERAL, _c.IN):
            return not _may_be_digit(op, av)
        rest = items[i + 1 :]
        if op is _c.BRANCH:
            subs = [list(b) + rest for b in av[1]]  # type: ignore[index]
        elif op is _c.SUBPATTERN and not av[1] and not av[2]:  # type: ignore[index]
            subs = [list(av[3]) + rest]  # type: ignore[index]
        elif op in _REPEATS:
            subs = [list(av[2]) + rest] + ([rest] if av[0] == 0 else [])  # type: ignore[index]
        else:
            return False
        return all(_no_digit_after_digit(sub) for sub in subs)
    return False


def _width(op: object, av: object) -> tuple[int, int]:
    """(least, most) characters a group or an alternation consumes."""
    if op is _c.SUBPATTERN:
        return av[3].getwidth()  # type: ignore[index, no-any-return]
    widths = [b.getwidth() for b in av[1]]  # type: ignore[index]
    return (min(w[0] for w in widths), max(w[1] for w in widths))


def _many_letters(items: frozenset[str]) -> bool:
    """A first-character class that most words start with (a scan stopping there visits most of a text)."""
    return r"\w" in items or sum(1 for x in items if len(x) == 1 and x.isalpha()) >= _MANY_LETTERS


@lru_cache(maxsize=8)
def _windows_rx(reach: int) -> re.Pattern[str]:
    # read on the reversed text: a digit run, then up to ``reach`` other characters before it
    # (with any whitespace); runs that close up are one window. ``(?:RUN)++`` written as
    # ``[0-9]`` + the rest of the first run + ``(?:RUN)*+`` (the same matches: every part is
    # possessive, so a run matches one way): a pattern opening with a character class lets
    # ``re`` skip to the next digit at C speed instead of trying the pattern at every position.
    rest = rf"\s*+(?:[^\s0-9]\s*+){{0,{reach}}}+"  # after a run's digits
    return re.compile(rf"[0-9][0-9]*+{rest}(?:[0-9]++{rest})*+")


def digit_windows(text: str, reach: int) -> list[tuple[int, int]]:
    """The stretches of ``text`` (in order, apart) where a match of a pattern whose
    :func:`digit_reach` is at most ``reach`` can start: each digit run with up to ``reach``
    characters other than whitespace before it."""
    n = len(text)
    out = [(n - m.end(), n - m.start()) for m in _windows_rx(reach).finditer(reversed_text(text))]
    out.reverse()
    return out


_LIGHT = r"[\s0-9-]"  # characters a match may hold any number of without counting (see read_weight)
_MAX_WEIGHT = 120  # heavier patterns are not searched by sentence windows


def _weigh_char(code: int) -> int:
    return 0 if re.match(_LIGHT, chr(code)) else 1


def _weigh_class(av: list[tuple]) -> int:
    for op, v in av:
        if op is _c.LITERAL:
            if _weigh_char(v):
                return 1
        elif op is _c.RANGE:
            if not ord("0") <= v[0] <= v[1] <= ord("9"):
                return 1
        elif not (op is _c.CATEGORY and v in (_c.CATEGORY_SPACE, _c.CATEGORY_UNI_SPACE)):
            return 1  # NEGATE, \d (other digits count), \w ...
    return 0


def _weigh(items: list) -> float:
    """The most characters outside :data:`_LIGHT` a match of the sequence reads from its start,
    look-aheads counted as if consumed (look-behinds read before it); inf when unbounded."""
    total: float = 0
    for op, av in items:
        if op is _c.LITERAL:
            total += _weigh_char(av)  # type: ignore[arg-type]
        elif op is _c.IN:
            total += _weigh_class(av)  # type: ignore[arg-type]
        elif op in (_c.NOT_LITERAL, _c.ANY):
            total += 1
        elif op is _c.AT:
            continue
        elif op in (_c.ASSERT, _c.ASSERT_NOT):
            direction, sub = av  # type: ignore[misc]
            if direction == 1:
                total += _weigh(list(sub))
        elif op is _c.SUBPATTERN:
            total += _weigh(list(av[3]))  # type: ignore[index]
        elif op is _ATOMIC:
            total += _weigh(list(av))  # type: ignore[call-overload]
        elif op is _c.BRANCH:
            total += max(_weigh(list(b)) for b in av[1])  # type: ignore[index]
        elif op in _REPEATS:
            least, most, body = av  # type: ignore[misc]
            one = _weigh(list(body))
            if one:
                total += _UNBOUNDED if most == _c.MAXREPEAT else one * most
        else:  # back-references, conditionals: anything
            return _UNBOUNDED
    return total


def read_weight(pattern: re.Pattern[str]) -> int | None:
    """How many characters other than whitespace, ASCII digits and "-" a match of ``pattern``
    reads from where it starts, look-aheads included (at most), or None when unbounded.

    A match that crosses a point then starts at most that much before it, so the text
    before that stretch cannot tell whether one does (see :meth:`MultiFinditer.found_near`)."""
    parsed = parse(pattern.pattern, pattern.flags) if isinstance(pattern.pattern, str) else None
    return _read_weight(parsed) if parsed is not None else None


def _read_weight(parsed: object) -> int | None:
    """:func:`read_weight` of a parsed pattern."""
    weight = _weigh(list(parsed))  # type: ignore[call-overload]
    return int(weight) if weight <= _MAX_WEIGHT else None


@lru_cache(maxsize=8)
def _stretch_rx(weight: int) -> re.Pattern[str]:
    # the longest stretch holding at most ``weight`` characters outside _LIGHT
    return re.compile(rf"{_LIGHT}*+(?:[^\s0-9-]{_LIGHT}*+){{0,{weight}}}+")


def _token_barriers(rx: re.Pattern[str], parsed: object) -> str:
    """Characters no match of ``rx`` (``parsed`` its parsed form, None if unreadable) can hold,
    whitespace among them, when its matches also need a literal (a URL, an e-mail address):
    then it only matches inside the whitespace-delimited stretches that hold one, and only
    those are searched; else ""."""
    if parsed is None or required_literals(rx) is None:
        return ""
    barriers = barriers_of(list(parsed), rx.flags | parsed.state.flags, _TOKEN_BARRIERS)  # type: ignore[attr-defined, call-overload]
    return barriers if set(_SPACES) <= set(barriers) else ""


def _note_starts(scan: _Scan, text: str, places: list[int], starts: dict[int, list[int]]) -> None:
    """Record, for each member pattern of ``scan`` that can start at a place, that place.

    A member that can start there has its group set to its (non-empty: members match at
    least one character) match, a string, and the others' are None: ``compress`` picks
    the members at C speed instead of a Python test per member and place."""
    which = scan.which.match
    members = scan.members
    for p in places:
        got = which(text, p)
        if got is None:
            continue
        for k in compress(members, got.groups()):
            starts.setdefault(k, []).append(p)


class _Facts(NamedTuple):
    """What :meth:`MultiFinditer.build` needs to know about one pattern (plain data, see :func:`_pattern_facts`)."""

    alone: bool  # searched on its own, not in a combined scan
    part: str | None  # the pattern as one part of a larger one
    kinds: tuple[tuple[str, frozenset[str] | None], ...]  # (kind of start, its first characters) per way to start
    digit_break: bool  # no match starts with a digit right after a digit
    starts: frozenset[tuple[frozenset[str], ...]] | None  # the prefixes every match starts with, if known
    windowed: bool  # some way to start is of a kind scanned only near digits
    reach: int | None  # its digit reach (when windowed and the prefixes are known)
    token_barriers: str  # see _token_barriers
    weight: int | None  # its read weight


@remembered
def _pattern_facts(rx: re.Pattern[str]) -> tuple:
    """One pattern's analysis for :meth:`MultiFinditer.build` (the fields of :class:`_Facts`), from its parsed form.

    Plain data (a tuple), so it is kept with the compiled patterns between runs
    (:func:`.compiled.remembered`): analysing the rules' patterns is a good part
    of loading them.
    """
    part = _embeddable(rx)
    parsed = parse(rx.pattern, rx.flags)  # None: an unreadable pattern is searched on its own
    weight = _read_weight(parsed) if parsed is not None else None
    barriers = _token_barriers(rx, parsed)
    got = _entries(list(parsed), rx.flags | parsed.state.flags) if parsed is not None else None
    kinds = tuple((_entry_kind(e), e.items) for e in got[0]) if got is not None else ()
    if (part is None or parsed is None or got is None or not kinds or parsed.getwidth()[0] < 1
            or any(kd is None for kd, _ in kinds)
            # "www." in a scan would stop it at every "w": search the tokens holding its literals
            or (barriers and any(kind == "class" and any(len(x) == 1 and x.isalpha() for x in items or ())
                                 for kind, items in kinds))):
        return tuple(_Facts(alone=True, part=None, kinds=(), digit_break=False, starts=None, windowed=False,
                            reach=None, token_barriers=barriers, weight=weight))
    starts = _match_prefixes(parsed, rx.flags | parsed.state.flags)
    windowed = any(kind in _WINDOWED_KINDS for kind, _ in kinds)
    reach = _digit_reach(parsed) if starts is not None and windowed else None
    return tuple(_Facts(alone=False, part=part, kinds=kinds, digit_break=_no_digit_after_digit(list(parsed)),
                        starts=frozenset(starts) if starts is not None else None, windowed=windowed, reach=reach,
                        token_barriers=barriers, weight=weight))


class MultiFinditer:
    """``[list(rx.finditer(text)) for rx in patterns]``, with the same match objects, faster.

    Searching a text with many regexes costs one pass of the regex engine over every
    character per regex, and most characters start no match of any. Here each regex's
    possible first characters are read from its parsed form (a digit, a letter after a word
    boundary, a line start ...), a few combined scans stop only at characters where some
    regex actually matches (each regex sits in a look-ahead there), and a regex is run with
    ``match`` only at those places, skipping places inside its previous match just as
    ``finditer`` does. The places found are a superset of the real match starts (every
    look-ahead is the regex itself), so the matches are exactly ``finditer``'s. Regexes
    that cannot be analysed (back-references, verbose mode, empty matches, a first
    character that could be almost anything) are searched on their own, skipped when the
    text lacks their :func:`required_literals`.

    Building the combined scans costs about as much as searching :data:`BUILD_AFTER`
    characters one regex at a time, so the first texts are searched that way and the
    scans are built once that many characters have gone by (a short run never pays).
    """

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        self.patterns = tuple(patterns)
        self._built = False
        self._seen = 0  # characters searched one regex at a time so far
        self._scans: tuple[_Scan, ...] = ()
        self._alone: tuple[int, ...] = ()
        self._alone_literals: dict[int, tuple[str, ...] | None] = {}
        self._reach = 0  # the digit reach of the windowed scans' windows
        self._alone_barriers: dict[int, str] = {}  # of the patterns searched only in the stretches holding their literals
        self._near_weight: int | None = None  # the largest read_weight of the patterns (for found_near)

    @property
    def scans(self) -> tuple[_Scan, ...]:
        """The combined scans (built on first use)."""
        self.build()
        return self._scans

    @property
    def alone(self) -> tuple[int, ...]:
        """Indexes of the patterns searched on their own."""
        self.build()
        return self._alone

    def build(self) -> None:
        """Analyse the patterns and compile the combined scans, once."""
        if self._built:
            return
        self._built = True
        plans: dict[str, list[tuple[int, frozenset[str] | None]]] = {}
        prefixes: dict[str, set[tuple[frozenset[str], ...]]] = {}
        alone: list[int] = []
        parts: dict[int, str] = {}
        windows_reach = 0
        reaches: dict[int, int | None] = {}
        breaks: dict[int, bool] = {}
        facts = [_Facts._make(_pattern_facts(rx)) for rx in self.patterns]
        for k, fact in enumerate(facts):
            if fact.alone:
                alone.append(k)
                continue
            parts[k] = fact.part  # type: ignore[assignment]
            breaks[k] = fact.digit_break
            if fact.starts is not None and fact.windowed:
                reaches[k] = fact.reach
            for kind, items in fact.kinds:
                if kind != "line" and fact.starts is not None:
                    kind += "+"  # scanned with a cheap test of the first characters in front
                plans.setdefault(kind, []).append((k, items))
                if kind.endswith("+"):
                    prefixes.setdefault(kind, set()).update(fact.starts)  # type: ignore[arg-type]

        def near_digits(kind: str, rows: list[tuple[int, frozenset[str] | None]]) -> bool:
            # a scan stopping at most words, whose every pattern starts near a digit, runs only near digits
            return (
                kind.endswith("+")
                and kind[:-1] in _WINDOWED_KINDS
                and _many_letters(frozenset().union(*(items for _k, items in rows if items)))
                and all(reaches.get(k) is not None for k, _ in rows)
            )

        windowed_kinds = [kind for kind, rows in plans.items() if near_digits(kind, rows)]
        if len(windowed_kinds) > 1:
            # they all search the same windows: one scan for them passes over the windows once
            # (its places are those of any of them, and ``which`` still tells each pattern's own)
            merged = _WINDOWED_KINDS[0] + "+"
            rows_of = [plans.pop(kind) for kind in windowed_kinds]
            plans[merged] = [row for rows in rows_of for row in rows]
            prefixes[merged] = set().union(*(prefixes.pop(kind, set()) for kind in windowed_kinds))
        scans = []
        for kind, rows in plans.items():
            windowed = near_digits(kind, rows)
            if windowed:
                windows_reach = max(windows_reach, *(reaches[k] or 0 for k, _ in rows))
            digit_break = all(breaks.get(k, False) for k, _ in rows)
            scan = _combined_scan(kind, rows, parts, prefixes.get(kind), windowed, digit_break)
            if scan is None:  # some pattern does not embed: those are searched on their own
                bad = {k for k, _ in rows if not _embeds(parts[k])}
                rows = [r for r in rows if r[0] not in bad]
                alone.extend(bad)
                scan = _combined_scan(kind, rows, parts, prefixes.get(kind), windowed, digit_break) if bad else None
            if scan is not None:
                scans.append(scan)
            else:  # no single pattern to blame (or the rest still fail): search them all on their own
                alone.extend(k for k, _ in rows)
        self._scans = tuple(scans)
        self._reach = windows_reach
        self._alone = tuple(sorted(set(alone)))
        self._alone_literals = {k: required_literals(self.patterns[k]) for k in self._alone}
        self._alone_barriers = {k: b for k in self._alone if (b := facts[k].token_barriers)}
        weights = [fact.weight for fact in facts]
        self._near_weight = None if None in weights or any(s.windowed for s in self._scans) else max(weights, default=0)  # type: ignore[type-var]

    @staticmethod
    def _window_places(s: _Scan, text: str, windows: list[tuple[int, int]], stop: int) -> list[int]:
        """Where a windowed scan's members may start: its ``find`` run in each window.

        ``find`` reads at most :data:`_PREFIX_LENGTH` characters from a place, so it is
        searched up to that far past a window's end and sees there what it sees in the
        whole text; look-behinds and word boundaries see the text before the window."""
        n = len(text)
        places: list[int] = []
        search = s.find.search
        for a, b in windows:
            end = min(b, stop)
            if a >= end:
                break
            limit = min(n, end + _PREFIX_LENGTH)
            m = search(text, a, limit)
            while m is not None and m.start() < end:
                places.append(m.start())
                m = search(text, m.end(), limit)  # ``find`` consumes the first character: go on after it
        return places

    def found_near(self, text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, list[re.Match[str]]]] | None:
        """Like :meth:`found`, but searching little more than ``spans`` (sorted start, end pairs):
        each pattern's ``finditer`` matches that start between the first and the last of a
        group of close spans (so every one that starts inside a span, and every one that
        could overlap it). None when that cannot be done exactly (a pattern of unbounded
        :func:`read_weight`, one searched on its own, or a match that starts before a group
        and runs into it): then search the whole text.

        Each group is searched from a point far enough before it (the most any match reads,
        :func:`read_weight`) that a match running into it would start after that point;
        every place a match can start there is tried on its own, and if none runs into the
        group the matches from the group on are ``finditer``'s (those before it end before
        it). Each search may stop where no match starting in the group can read, so the
        engine sees what it sees in the whole text.
        """
        self.build()
        weight = self._near_weight
        if weight is None or self._alone or not spans:
            return None
        n = len(text)
        rev = reversed_text(text)
        stretch = _stretch_rx(weight).match
        windows: list[list[int]] = []  # [search from, first span start, last span end]
        for a, b in spans:
            z = a - (stretch(rev, n - a).end() - (n - a))
            if windows and z <= windows[-1][2]:
                windows[-1][2] = max(windows[-1][2], b)
            else:
                windows.append([z, a, b])
        out: dict[int, list[re.Match[str]]] = {}
        for z, a, b in windows:
            limit = min(n, stretch(text, b).end() + 1)  # nothing a match starting before b reads is cut off
            starts: dict[int, list[int]] = {}
            for s in self._scans:
                line = s.kind == "line"
                places = [0] if line and z == 0 else []
                for m in s.find.finditer(text, max(0, z - 1) if line else z, limit):  # a line start: after its "\n"
                    p = m.end() if line else m.start()
                    if p >= b:
                        break
                    places.append(p)
                _note_starts(s, text, places, starts)
            for k in sorted(starts):
                rx = self.patterns[k]
                places = sorted(set(starts[k]))
                end = 0
                for p in places:
                    if p < a:
                        m = rx.match(text, p)  # a place before the span: where would its match end?
                        if m is not None and m.end() > a:
                            return None  # it may run into the span
                        continue
                    if p < end:
                        continue  # inside the previous match, as finditer skips it
                    m = rx.match(text, p)
                    if m is not None:
                        out.setdefault(k, []).append(m)
                        end = m.end()
        return sorted(out.items())

    def _one_by_one(self, text: str, stop: int) -> list[tuple[int, list[re.Match[str]]]]:
        out: list[tuple[int, list[re.Match[str]]]] = []
        for k, rx in enumerate(self.patterns):
            found: list[re.Match[str]] = []
            for m in rx.finditer(text):
                if m.start() >= stop:
                    break
                found.append(m)
            if found:
                out.append((k, found))
        return out

    def scan(self, text: str) -> list[list[re.Match[str]]]:
        """Each pattern's ``finditer`` matches in ``text``, in pattern order."""
        out: list[list[re.Match[str]]] = [[] for _ in self.patterns]
        for k, found in self.found(text):
            out[k] = found
        return out

    def found(self, text: str, until: int | None = None) -> list[tuple[int, list[re.Match[str]]]]:
        """(pattern index, its ``finditer`` matches) for the patterns that match ``text``, in order.

        With ``until``, only the matches that start before it (the scans stop there; the
        matches before are the same, as ``finditer`` finds them left to right).
        """
        stop = len(text) + 1 if until is None else until  # a match may be empty at the very end
        if not self._built:
            if self._seen + len(text) < BUILD_AFTER:
                self._seen += len(text)
                return self._one_by_one(text, stop)
            self.build()
        starts: dict[int, list[int]] = {}
        windows: list[tuple[int, int]] | None = None
        for s in self._scans:
            if s.windowed:
                if windows is None:
                    windows = digit_windows(text, self._reach)
                places = self._window_places(s, text, windows, stop)
            else:
                places = [0] if s.kind == "line" and stop > 0 else []
                for m in s.find.finditer(text):
                    p = m.end() if s.kind == "line" else m.start()
                    if p >= stop:
                        break
                    places.append(p)
            _note_starts(s, text, places, starts)
        for k, lits in self._alone_literals.items():
            if could_match(lits, text):
                starts.setdefault(k, [])
        out: list[tuple[int, list[re.Match[str]]]] = []
        for k in sorted(starts):
            rx = self.patterns[k]
            if k in self._alone_literals:
                found = []
                barriers = self._alone_barriers.get(k)
                lits = self._alone_literals[k]
                matches = window_matches(rx, text, text, frozenset(lits), barriers) if barriers and lits else rx.finditer(text)
                for m in matches:
                    if m.start() >= stop:
                        break
                    found.append(m)
            else:
                places = starts[k]
                if len(places) > 1:
                    places = sorted(set(places))
                found = []
                end = 0
                for p in places:
                    if p < end:
                        continue  # inside the previous match, as finditer skips it
                    m = rx.match(text, p)
                    if m is not None:
                        found.append(m)
                        end = m.end()
            if found:
                out.append((k, found))
        return out


__all__ = [
    "MultiFinditer",
    "by_first_char",
    "char_class",
    "could_match",
    "first_chars",
    "guarded",
    "guarded_source",
    "required_folded_literals",
    "required_literals",
]
