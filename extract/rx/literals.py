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
its own ``finditer``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .fold import CASE_FOLD_EXTRAS, fold_case
from .sre import ATOMIC_GROUP as _ATOMIC
from .sre import REPEATS as _REPEATS
from .sre import C as _c
from .sre import parse

_MAX_EXPANSIONS = 16  # alternatives a literal run may expand to ("[Tt]he" -> "The", "the")
_MAX_CLASS = 4  # a character class of at most this many literal characters is expanded


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
        parts = [_class_of(unit) + rest for rest, unit in by_rest.items()]
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
    """One combined scan: ``find`` stops where some member can match, ``which`` says which."""

    kind: str
    members: tuple[int, ...]
    find: re.Pattern[str]
    which: re.Pattern[str]


def _combined_scan(
    kind: str, rows: list[tuple[int, frozenset[str] | None]], parts: dict[int, str], prefixes: set[tuple[frozenset[str], ...]] | None
) -> _Scan | None:
    """The scan for one kind of start; None when a pattern does not embed (or no rows)."""
    if not rows:
        return None
    members = tuple(sorted({k for k, _ in rows}))
    either = "|".join(parts[k] for k in members)
    try:
        if kind == "line":
            find = re.compile(f"\\n(?={either})")  # the line start after it; 0 is tried too
        else:
            first = _class_of(frozenset().union(*(items for _k, items in rows if items)))
            boundary = r"(?<!\w\w)" if kind.startswith(("word", "caps")) else ""  # the word starts here
            guard = f"(?={_prefix_regex(prefixes)})" if prefixes else ""
            find = re.compile(f"{first}{boundary}(?<={guard}(?={either})[\\s\\S])")
        which = re.compile("".join(f"(?:(?=({parts[k]}))|)" for k in members))
    except re.error:
        return None
    return _Scan(kind, members, find, which) if which.groups == len(members) else None


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
        for k, rx in enumerate(self.patterns):
            part = _embeddable(rx)
            parsed = parse(rx.pattern, rx.flags)  # None: an unreadable pattern is searched on its own
            got = _entries(list(parsed), rx.flags | parsed.state.flags) if parsed is not None else None
            kinds = [(_entry_kind(e), e.items) for e in got[0]] if got is not None else []
            if part is None or parsed is None or got is None or not kinds or parsed.getwidth()[0] < 1 or any(kd is None for kd, _ in kinds):
                alone.append(k)
                continue
            parts[k] = part
            starts = _match_prefixes(parsed, rx.flags | parsed.state.flags)
            for kind, items in kinds:
                if kind != "line" and starts is not None:
                    kind += "+"  # scanned with a cheap test of the first characters in front
                plans.setdefault(kind, []).append((k, items))
                if kind.endswith("+"):
                    prefixes.setdefault(kind, set()).update(starts)  # type: ignore[arg-type]
        scans = []
        for kind, rows in plans.items():
            scan = _combined_scan(kind, rows, parts, prefixes.get(kind))
            if scan is None:  # some pattern does not embed: those are searched on their own
                bad = {k for k, _ in rows if not _embeds(parts[k])}
                alone.extend(sorted(bad - set(alone)))
                scan = _combined_scan(kind, [r for r in rows if r[0] not in bad], parts, prefixes.get(kind))
            if scan is not None:
                scans.append(scan)
        self._scans = tuple(scans)
        self._alone = tuple(sorted(set(alone)))
        self._alone_literals = {k: required_literals(self.patterns[k]) for k in self._alone}

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
        for s in self._scans:
            places = [0] if s.kind == "line" and stop > 0 else []
            for m in s.find.finditer(text):
                p = m.end() if s.kind == "line" else m.start()
                if p >= stop:
                    break
                places.append(p)
            which = s.which.match
            for p in places:
                got = which(text, p)
                if got is None:
                    continue
                for k, hit in zip(s.members, got.groups(), strict=True):
                    if hit is not None:
                        starts.setdefault(k, []).append(p)
        for k, lits in self._alone_literals.items():
            if could_match(lits, text):
                starts.setdefault(k, [])
        out: list[tuple[int, list[re.Match[str]]]] = []
        for k in sorted(starts):
            rx = self.patterns[k]
            if k in self._alone_literals:
                found = []
                for m in rx.finditer(text):
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
    "char_class",
    "could_match",
    "first_chars",
    "guarded",
    "guarded_source",
    "required_folded_literals",
    "required_literals",
]
