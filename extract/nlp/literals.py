"""Literal prefilters for rule regexes: skip a search that cannot match.

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
"""

from __future__ import annotations

import re
from collections.abc import Iterable

try:  # Python 3.11+
    from re import _constants as _c
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

_MAX_EXPANSIONS = 16  # alternatives a literal run may expand to ("[Tt]he" -> "The", "the")
_MAX_CLASS = 4  # a character class of at most this many literal characters is expanded
_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT}
if hasattr(_c, "POSSESSIVE_REPEAT"):
    _REPEATS.add(_c.POSSESSIVE_REPEAT)


def required_literals(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Strings of which every match of ``pattern`` contains at least one, or None.

    None when the pattern ignores case (anywhere it would matter), is a bytes
    pattern, or has a branch with no literal in it.
    """
    if not isinstance(pattern.pattern, str) or pattern.flags & re.IGNORECASE:
        return None
    try:
        parsed = _sre_parse.parse(pattern.pattern, pattern.flags)
    except Exception:  # noqa: BLE001 - an unreadable pattern just gets no prefilter
        return None
    if parsed.state.flags & re.IGNORECASE:
        return None
    best = _sequence(list(parsed))
    return tuple(sorted(best)) if best else None


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
    try:
        parsed = _sre_parse.parse(pattern, flags)
    except Exception:  # noqa: BLE001 - an unreadable pattern just gets no look-ahead
        return None
    ignore_case = bool((flags | parsed.state.flags) & re.IGNORECASE)
    out = _first(list(parsed), ignore_case)
    return frozenset(out) if out else None


def guarded(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` behind a look-ahead for its first characters (itself when there is none).

    The same matches at the same places, faster where a match can start
    at few positions: the check costs one class test per position.
    """
    first = first_chars(pattern.pattern, pattern.flags)
    if not first or first & _BROAD:
        return pattern  # a class that passes most characters would only add a test
    try:
        return re.compile(f"(?={char_class(first)})(?:{pattern.pattern})", pattern.flags)
    except re.error:
        return pattern


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
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return _first(list(av), ignore_case)
    if op in _REPEATS and av[0] >= 1:
        return _first(list(av[2]), ignore_case)
    return None


def char_class(items: Iterable[str]) -> str:
    """A regex character class of ``items`` as :func:`first_chars` gives them."""
    return "[" + "".join(sorted(items)) + "]"


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


def _sequence(items: list[tuple]) -> frozenset[str] | None:
    """A requirement set for a sequence of parsed items (None: none found)."""
    best: frozenset[str] | None = None
    run: set[str] = set()

    def close() -> None:
        nonlocal best, run
        if run and all(run):
            best = _better(best, frozenset(run))
        run = set()

    for op, av in items:
        if op is _c.LITERAL:
            ch = chr(av)
            run = {s + ch for s in run} if run else {ch}
            continue
        if op is _c.IN:
            chars = _class_chars(av)
            if chars is not None:
                grown = {s + ch for s in run for ch in chars} if run else set(chars)
                if len(grown) > _MAX_EXPANSIONS:
                    close()
                    grown = set(chars)
                run = grown
                continue
        close()
        if op is _c.SUBPATTERN:
            _group, add_flags, _del_flags, sub = av
            if not add_flags & re.IGNORECASE:
                best = _better(best, _sequence(list(sub)))
        elif op is getattr(_c, "ATOMIC_GROUP", None):
            best = _better(best, _sequence(list(av)))
        elif op in _REPEATS:
            lo, _hi, sub = av
            if lo >= 1:
                best = _better(best, _sequence(list(sub)))
        elif op is _c.BRANCH:
            union: set[str] = set()
            for branch in av[1]:
                req = _sequence(list(branch))
                if not req:
                    union = set()
                    break
                union |= req
            if union and len(union) <= _MAX_EXPANSIONS * 2:
                best = _better(best, frozenset(union))
        # anything else (anchors, look-arounds, wildcards, classes, back-references) requires nothing
    close()
    return best


__all__ = ["char_class", "could_match", "first_chars", "guarded", "required_literals"]
