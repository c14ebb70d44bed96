"""``Pattern.finditer`` with the same matches, found faster (the segmenter layer).

The segmenter runs its rule patterns (kind cues, body head words, council
names, boilerplate) over whole documents. Python's ``re`` scans a pattern
that starts with ``\\b`` or a lookbehind, or that ignores case, by trying the
whole pattern at every position, which is slow on long text. What a pattern
must contain can be read from the pattern itself (``re``'s own parser), and
:func:`finditer` uses it three ways, cheapest first:

* **Required words.** Every match contains one of a few literal words
  ("correct" in "... approved as a correct record"). A text holding none of
  them (a substring test, on the lower-cased text when the pattern ignores
  case) has no match at all. This test runs for every plan, even where the
  rest is left to ``re`` (short texts, patterns ``re`` scans quickly).
* **Line windows.** A pattern that can never match a line break, and whose
  look-arounds cannot tell a line's end from the text's end, matches within
  single lines; only the lines holding a required word are scanned.
* **Line starts.** Every match of a multi-line ``^`` pattern starts a line,
  but ``re`` tries the ``^`` at every position; a fast literal search for the
  line breaks, with the pattern in a look-ahead, stops only where it matches.
* **Start words.** Every match starts with one of a few words ("board",
  "committee"); a case-sensitive literal search, which ``re`` runs as a fast
  scan, finds them and the real pattern is tried only there, left to right,
  going on after each match from its end as ``finditer`` does. Where the
  words turn out to be common ("the") it goes on the plain way.

The real pattern decides every match, and candidates are supersets of where
it can match, so the matches are exactly those of ``pattern.finditer(text)``.
Patterns that can match the empty string or use scoped inline flags, words
shorter than three characters, and texts holding the few characters whose
lower-case form differs from ``re``'s case folding take the plain path.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import astuple, dataclass
from functools import cache, lru_cache

from .compiled import remembered
from .fold import CACHE_MAX as _CACHE_MAX
from .fold import fold_safe_lower
from .sre import REPEATS as _REPEATS
from .sre import C as _sre
from .sre import parse

_MIN_WORD = 3  # shorter words (a digit, one letter) would say too little
_MAX_WORDS = 400
_MAX_SET = 40  # a character class is expanded into single characters only up to this size
_CHARS_PER_CANDIDATE = 150  # denser start-word candidates than this: the plain scan is cheaper
_SLACK = 20  # candidates tried before their density is judged
_MIN_TEXT = 200  # shorter texts (titles, file names) are scanned the plain way


@dataclass(frozen=True)
class Plan:
    """What is known about where a pattern can match (words lower case when ignore_case)."""

    ignore_case: bool
    required: frozenset[str] | None  # every match contains one of these
    barriers: str  # characters no match can hold: stretches between them can be scanned alone
    starts: frozenset[str] | None  # every match starts with one of these
    fast: bool  # re itself skips ahead to where a match can start: scan the plain way
    line_start: bool = False  # every match starts a line (a multi-line ``^`` first): see _line_matches


def finditer(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """The matches of ``pattern.finditer(text)``, in order (see the module docstring)."""
    plan = plan_for(pattern)
    if plan is None:
        yield from pattern.finditer(text)
        return
    hay: str | None = text
    if plan.ignore_case:
        hay = fold_safe_lower(text)
        if hay is None:
            yield from pattern.finditer(text)
            return
    if plan.required is not None and not any(w in hay for w in plan.required):
        return  # no match can be without one of them (tested first: it is cheaper than any scan)
    if len(text) < _MIN_TEXT:
        yield from pattern.finditer(text)
    elif plan.line_start:  # before ``fast``: re tries a multi-line "^" at every position
        yield from _line_matches(pattern, text)
    elif plan.fast:
        yield from pattern.finditer(text)
    elif plan.starts is not None:
        yield from _start_matches(pattern, text, hay, plan)
    else:
        yield from _rest(pattern, text, hay, plan, 0)


def _rest(pattern: re.Pattern[str], text: str, hay: str, plan: Plan, floor: int) -> Iterator[re.Match[str]]:
    """The matches from ``floor`` on, by windows when the plan has them, else the plain way."""
    if plan.required is not None and plan.barriers:
        yield from window_matches(pattern, text, hay, plan.required, plan.barriers, floor)
    else:
        yield from pattern.finditer(text, floor)


def may_match(pattern: re.Pattern[str], text: str) -> bool:
    """False only when ``pattern`` certainly has no match in ``text`` (a required word is missing)."""
    plan = plan_for(pattern)
    if plan is None or plan.required is None:
        return True
    hay: str | None = text
    if plan.ignore_case:
        hay = fold_safe_lower(text)
        if hay is None:
            return True
    return any(w in hay for w in plan.required)


def window_matches(
    pattern: re.Pattern[str], text: str, hay: str, words: frozenset[str], barriers: str, floor: int = 0
) -> Iterator[re.Match[str]]:
    """Matches from ``floor`` on, in the stretches between ``barriers`` that hold one of ``words``.

    No match can hold a barrier character, so every match lies in one
    stretch, and it holds a required word (at or after its start, so at or
    after ``floor``). ``finditer`` with a start and end position sees the
    text before the stretch (look-behinds, ``\\b``) and takes the stretch's
    end for the text's end, which the plan checked makes no difference to
    this pattern (see barriers_of); starting it at ``floor`` inside a stretch
    is how ``finditer`` itself goes on after a match.
    """
    stop = _barrier_search(barriers)
    back = stop.search
    rev = reversed_text(text)
    n = len(text)
    done = floor  # end of the last stretch scanned
    for hit in word_search(words).finditer(hay, floor):
        at = hit.start()
        if at < done:
            continue
        before = back(rev, n - at)  # the nearest barrier before the word, found in the reversed text
        start = max(n - before.start() if before else 0, floor)
        after = stop.search(text, at)
        end = after.start() if after else n
        yield from pattern.finditer(text, start, end)
        done = end


def reversed_text(text: str) -> str:
    """``text[::-1]`` (cached like the lower-cased text)."""
    return _reversed(text) if len(text) <= _CACHE_MAX else text[::-1]


@lru_cache(maxsize=4)
def _reversed(text: str) -> str:
    return text[::-1]


@cache
def _barrier_search(barriers: str) -> re.Pattern[str]:
    return re.compile("[" + re.escape(barriers) + "]")


def _start_matches(pattern: re.Pattern[str], text: str, hay: str, plan: Plan) -> Iterator[re.Match[str]]:
    """Matches tried only where one of the plan's start words begins (every match does)."""
    assert plan.starts is not None
    search = word_search(plan.starts).search
    match = pattern.match
    floor = 0  # no match may start before the end of the previous one
    tried = 0
    cand = search(hay, 0)
    while cand is not None:
        start = cand.start()
        tried += 1
        if tried > _SLACK and tried * _CHARS_PER_CANDIDATE > start:
            # Common words ("the"): a Python step per candidate costs more than a
            # scan, so go on another way from where the last match ended.
            yield from _rest(pattern, text, hay, plan, floor)
            return
        m = match(text, start) if start >= floor else None
        if m is not None:
            yield m
            floor = m.end()  # never empty: patterns that can match "" have no plan
        # one word may begin inside another ("executive" ... "e"): step one character on
        cand = search(hay, max(start + 1, floor))


def _line_matches(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """Matches of a pattern whose every match starts a line, tried only where it matches.

    ``re`` tries a multi-line ``^`` at every position of the text. Here the
    line breaks are found by ``re``'s fast literal search, with the pattern
    itself in a look-ahead after each (:func:`_after_line_break`), so only the
    line starts where it matches stop the scan; the pattern is then run there
    (and at the text's start), left to right, skipping starts inside the
    previous match as ``finditer`` does.
    """
    match = pattern.match
    floor = 0
    m = match(text)
    if m is not None:
        yield m
        floor = m.end()  # never empty: patterns that can match "" have no plan
    for cand in _after_line_break(pattern).finditer(text):
        start = cand.end()
        if start < floor:
            continue
        m = match(text, start)
        if m is not None:  # always: the look-ahead is the pattern, on the same text
            yield m
            floor = m.end()


_LEADING_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")


@lru_cache(maxsize=256)
def _after_line_break(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``\\n`` followed by a look-ahead for ``pattern`` (its flags kept; leading inline flags
    move out of the source, where 3.11 rejects them once they are not first)."""
    source = pattern.pattern
    lead = _LEADING_FLAGS.match(source)
    while lead:
        source = source[lead.end() :]
        lead = _LEADING_FLAGS.match(source)
    return re.compile(f"\\n(?=(?:{source}))", pattern.flags)


@cache
def word_search(words: frozenset[str]) -> re.Pattern[str]:
    """A search for ``words`` (compiled once per set): each match is the longest of them at the
    first place one occurs, as with their alternation longest first.

    The words are written as a :func:`prefix_tree`: where a place begins like none of them,
    ``re`` rejects it with one test of its first character instead of one per word; at one
    place the text fits at most one branch of each fork.
    """
    plain = "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))
    if not words or "" in words:  # (no word, or one matching everywhere: the alternation as it is)
        return re.compile(plain)
    try:
        return re.compile(prefix_tree(words))
    except (re.error, RecursionError):  # (a tree too deep for re's parser)
        return re.compile(plain)


def prefix_tree(words: Iterable[str], edge: Callable[[str, bool], str] | None = None) -> str:
    """The alternation of ``words`` as a tree of their shared starts ("c(?:abinet|o(?:mmittee|uncil))").

    At a place where the text begins like none of them, ``re`` rejects it with
    one test of its first character instead of one per word. Where a word
    ends and longer ones go on ("board", "boards"), the longer are tried
    first, so the longest word at a place matches, as with the alternation
    longest first. ``edge(character, branching)`` writes one character of a
    word (default: the character escaped); ``branching`` says whether the
    tree forks there.
    """
    write = edge or (lambda ch, _branching: re.escape(ch))
    root: dict[str, dict] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here ("" is no character)

    def emit(node: dict[str, dict]) -> str:
        branching = len(node) > 1
        parts = [write(ch, branching) + emit(child) for ch, child in sorted(node.items()) if ch]
        if "" in node:
            parts.append("")  # stopping here is tried after every longer word
        return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"

    return "(?:" + emit(root) + ")"


@lru_cache(maxsize=1024)
def plan_for(pattern: re.Pattern[str]) -> Plan | None:
    """What :func:`finditer` can use for ``pattern``, or None for the plain path."""
    facts = _plan_facts(pattern)
    return Plan(*facts) if facts is not None else None


@remembered
def _plan_facts(pattern: re.Pattern[str]) -> tuple | None:
    """The fields of :func:`plan_for`'s plan (plain data, kept between runs: see :func:`.compiled.remembered`)."""
    if not isinstance(pattern.pattern, str):
        return None
    parsed = parse(pattern.pattern, pattern.flags)
    if parsed is None:  # whatever the private parser does, fall back
        return None
    flags = parsed.state.flags
    ignore_case = bool(flags & re.IGNORECASE)
    if ignore_case and flags & (re.LOCALE | re.ASCII):
        return None
    if parsed.getwidth()[0] == 0:
        return None  # can match the empty string
    items = list(parsed.data)
    required = _usable(_required(items), ignore_case)
    barriers = barriers_of(items, flags) if required is not None else ""
    try:
        starts = _usable(_starts(items, 0), ignore_case)
    except _Unknown:
        starts = None
    if required is None and starts is None:
        return None
    line_start = bool(flags & re.MULTILINE) and not flags & re.VERBOSE and _first_item(items) == (_sre.AT, _sre.AT_BEGINNING)
    return astuple(Plan(ignore_case, required, barriers, starts, _scans_fast(items, ignore_case), line_start))


def start_words(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Words one of which every match of ``pattern`` starts with, when they are used."""
    plan = plan_for(pattern)
    return plan.starts if plan is not None else None


def required_words(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Words one of which every match of ``pattern`` contains, when they are used."""
    plan = plan_for(pattern)
    return plan.required if plan is not None else None


def _usable(words: set[str] | None, ignore_case: bool) -> frozenset[str] | None:
    if not words or "" in words or len(words) > _MAX_WORDS:
        return None
    if ignore_case:
        if not all(w.isascii() for w in words):
            return None
        words = {w.lower() for w in words}
    if min(len(w) for w in words) < _MIN_WORD:
        return None
    return frozenset(words)


class _Unknown(Exception):
    """The start of the pattern cannot be pinned to literal words."""


def _starts(items: list, i: int) -> set[str]:
    """Literal strings one of which every match of ``items[i:]`` starts with ("" = may be empty)."""
    if i >= len(items):
        return {""}
    op, av = items[i]
    if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):  # zero width: the match starts after it
        return _starts(items, i + 1)
    if op is _sre.LITERAL:
        j = i
        run = []
        while j < len(items) and items[j][0] is _sre.LITERAL:
            run.append(chr(items[j][1]))
            j += 1
        word = "".join(run)
        if len(word) >= _MIN_WORD:
            return {word}
        try:  # a short run ("R" before "ESOLVED|esolved"): extend it with what follows
            rest = _starts(items, j)
        except _Unknown:
            return {word}
        if len(rest) > _MAX_WORDS:
            return {word}
        return {word + w for w in rest}
    if op is _sre.IN:
        return _class_chars(av)
    if op is _sre.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        if add_flags or del_flags:
            raise _Unknown
        return _then(_starts(list(sub.data), 0), items, i)
    if op is _sre.ATOMIC_GROUP:
        return _then(_starts(list(av.data), 0), items, i)
    if op is _sre.BRANCH:
        out: set[str] = set()
        for alt in av[1]:
            out |= _starts(list(alt.data), 0)
        return _then(out, items, i)
    if op in _REPEATS:
        low, _high, sub = av
        inner = _starts(list(sub.data), 0)
        if low == 0:
            inner = inner | {""}
        return _then(inner, items, i)
    raise _Unknown


def _then(words: set[str], items: list, i: int) -> set[str]:
    """``words`` with "" (the element may match nothing) replaced by what follows it."""
    if "" not in words:
        return words
    return (words - {""}) | _starts(items, i + 1)


def _class_chars(av: list) -> set[str]:
    chars: set[str] = set()
    for op, arg in av:
        if op is _sre.LITERAL:
            chars.add(chr(arg))
        elif op is _sre.RANGE and arg[1] - arg[0] < _MAX_SET:
            chars.update(chr(c) for c in range(arg[0], arg[1] + 1))
        else:  # NEGATE, CATEGORY, big ranges
            raise _Unknown
        if len(chars) > _MAX_SET:
            raise _Unknown
    return chars


def _required(items: list) -> set[str] | None:
    """Literal strings one of which every match of the sequence contains (the most telling
    of its elements' requirements, see _strength), or None."""
    best: set[str] | None = None
    i = 0
    while i < len(items):
        op, av = items[i]
        req: set[str] | None = None
        if op is _sre.LITERAL:
            j = i
            while j < len(items) and items[j][0] is _sre.LITERAL:
                j += 1
            req = {"".join(chr(items[k][1]) for k in range(i, j))}
            i = j
        else:
            if op is _sre.SUBPATTERN and not av[1] and not av[2]:
                req = _required(list(av[3].data))
            elif op is _sre.ATOMIC_GROUP:
                req = _required(list(av.data))
            elif op is _sre.BRANCH:
                alts = [_required(list(alt.data)) for alt in av[1]]
                if all(alts):
                    req = set().union(*alts)  # type: ignore[arg-type]
            elif op in _REPEATS and av[0] >= 1:
                req = _required(list(av[2].data))
            i += 1
        if req and (best is None or _strength(req) > _strength(best)):
            best = req
    return best


def _strength(words: set[str]) -> tuple[int, int, int]:
    """How telling a requirement is: letters and digits of its shortest word (" of " is
    common), then that word's length, then fewer alternatives."""
    return (min(sum(ch.isalnum() for ch in w) for w in words), min(len(w) for w in words), -len(words))


# Candidate barriers: the line break and ASCII punctuation. All are non-word characters,
# so ``\\b`` reads a barrier after a stretch as it reads the end of the text.
BARRIER_CANDIDATES = "\n.,;:!?()[]{}\"/\\|<>=+*&^%$#@~`"
_ZERO_WIDTH_SAFE = ("AT_BEGINNING", "AT_BEGINNING_STRING", "AT_BOUNDARY", "AT_NON_BOUNDARY")


def barriers_of(items: list, flags: int, candidates: str = BARRIER_CANDIDATES) -> str:
    """The candidate barriers that no element of the pattern, look-arounds included, can match.

    Scanning a stretch alone changes nothing when the pattern cannot consume
    the barrier that ends it: a look-ahead finds neither that character nor
    anything beyond, just as at the end of the text. ``$`` is the exception
    (true at the end, false before most barriers): with it only the line
    break can be a barrier, and only in multi-line mode. Back-references and
    anything unforeseen give no barriers.
    """
    atoms: list[tuple] = []
    anchors: set[str] = set()
    try:
        _collect(items, atoms, anchors)
    except _Unknown:
        return ""
    if anchors - {*_ZERO_WIDTH_SAFE, "AT_END"}:
        return ""
    if "AT_END" in anchors:
        if not flags & re.MULTILINE:
            return ""
        candidates = "\n" if "\n" in candidates else ""
    ignore_case = bool(flags & re.IGNORECASE)
    dotall = bool(flags & re.DOTALL)
    # single characters (most atoms) as one set; the candidates have no case
    literals = {chr(av) for op, av in atoms if op is _sre.LITERAL}
    if ignore_case:
        literals |= {ch.lower() for ch in literals} | {ch.upper() for ch in literals}
    others = [a for a in atoms if a[0] is not _sre.LITERAL]
    return "".join(
        c for c in candidates
        if c not in literals and not any(_atom_matches(a, c, ignore_case, dotall) for a in others)
    )


def _collect(items: list, atoms: list[tuple], anchors: set[str]) -> None:
    for op, av in items:
        if op in (_sre.LITERAL, _sre.NOT_LITERAL, _sre.IN, _sre.ANY):
            atoms.append((op, av))
        elif op is _sre.AT:
            anchors.add(str(av))
        elif op in (_sre.ASSERT, _sre.ASSERT_NOT):
            _collect(list(av[1].data), atoms, anchors)
        elif op is _sre.SUBPATTERN:
            if av[1] or av[2]:
                raise _Unknown
            _collect(list(av[3].data), atoms, anchors)
        elif op is _sre.ATOMIC_GROUP:
            _collect(list(av.data), atoms, anchors)
        elif op is _sre.BRANCH:
            for alt in av[1]:
                _collect(list(alt.data), atoms, anchors)
        elif op in _REPEATS:
            _collect(list(av[2].data), atoms, anchors)
        else:  # group references, conditionals, anything unforeseen
            raise _Unknown


def _atom_matches(atom: tuple, c: str, ignore_case: bool, dotall: bool) -> bool:
    """Whether one character-consuming element could match the ASCII character ``c``."""
    op, av = atom
    forms = {c, c.lower(), c.upper()} if ignore_case else {c}
    if op is _sre.LITERAL:
        return chr(av) in forms or (ignore_case and chr(av).lower() in forms)
    if op is _sre.NOT_LITERAL:
        return True  # anything but one character: assume it can
    if op is _sre.ANY:
        return c != "\n" or dotall
    negate = False
    hit = False
    for o, a in av:
        if o is _sre.NEGATE:
            negate = True
        elif o is _sre.LITERAL:
            hit = hit or chr(a) in forms or (ignore_case and chr(a).lower() in forms)
        elif o is _sre.RANGE:
            hit = hit or any(a[0] <= ord(f) <= a[1] for f in forms)
        elif o is _sre.CATEGORY:
            hit = hit or _category_matches(str(a), c)
        else:
            return True  # unforeseen: assume it can
    return hit != negate


def _category_matches(name: str, c: str) -> bool:
    """Class escapes on an ASCII character (\\d, \\w, \\s and their negations)."""
    digit = c.isdigit()
    word = c.isalnum() or c == "_"
    space = c.isspace()
    table = {
        "CATEGORY_DIGIT": digit, "CATEGORY_NOT_DIGIT": not digit,
        "CATEGORY_WORD": word, "CATEGORY_NOT_WORD": not word,
        "CATEGORY_SPACE": space, "CATEGORY_NOT_SPACE": not space,
        "CATEGORY_LINEBREAK": c == "\n", "CATEGORY_NOT_LINEBREAK": c != "\n",
    }
    name = name.replace("_UNI_", "_").replace("_LOC_", "_")
    return table.get(name, True)


def _first_item(items: list) -> tuple:
    """The first element of the pattern, looking into groups that set no flags."""
    op, av = items[0]
    while op is _sre.SUBPATTERN and not av[1] and not av[2] and av[3].data:
        op, av = av[3].data[0]
    return op, av


def _scans_fast(items: list, ignore_case: bool) -> bool:
    """Whether ``re`` itself skips ahead to where the pattern can start.

    It does for a start anchored at ``^`` and, like re._compiler's info
    block, for a first literal, class or alternation of literals that case
    does not affect. (A multi-line ``^`` is tried at every position, but such
    a plan has ``line_start``, which :func:`finditer` takes first.)
    """
    op, av = _first_item(items)
    if op is _sre.AT:
        return av in (_sre.AT_BEGINNING, _sre.AT_BEGINNING_STRING)

    def uncased(code: int) -> bool:
        ch = chr(code)
        return not ignore_case or ch.lower() == ch.upper() == ch

    if op is _sre.LITERAL:
        return uncased(av)
    if op is _sre.IN:
        return all(
            (o is _sre.LITERAL and uncased(a))
            or (o is _sre.RANGE and all(uncased(c) for c in range(a[0], a[1] + 1)))
            or o is _sre.CATEGORY
            for o, a in av
        )
    if op is _sre.BRANCH:
        return all(alt.data and alt.data[0][0] is _sre.LITERAL and uncased(alt.data[0][1]) for alt in av[1])
    return False
