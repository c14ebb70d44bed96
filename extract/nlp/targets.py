"""Targets: the aims a strategy or plan states with a number.

Scrutiny members compare what a board promised with what later figures show,
so each target becomes a :class:`TargetItem`: direction (reduce, increase,
maintain, reach a level), amount and unit, the baseline it starts from, the
period it covers (as written, and as dates when the text gives them).

A number alone is not a target: "burglary fell by 15%" reports, "Reduce
burglary by 15%" aims. The rules therefore look for an *anchor* that holds the
amount ("by 17.8%", "to 45%", "from 65.8% ... to at least 70%", "Target:
92%") and the change verb that governs it, and accept the verb only where it
aims: an imperative at the start of a clause or list item ("Reduce robbery
by ..."), after a frame ("to", "we will", "aim to", "continue to", "the
priority is to"), or a future perfect ("will have improved from ... to ...").
Verbs that describe ("has been proven to reduce burglaries by 85%") are
refused. Baselines come from "(Baseline figure - 2689)" style notes, possibly
listing several ("82%, 52% and 39% ... respectively": one target each).

Also: verbs whose amount is the verb itself ("halve" = 50%, "double" =
100%), verbs split around their object ("bring <the rate> down to 28%"), a
level after any aiming verb ("We will train at least 600 staff"), "against a
local ambition of N" (the measure is the figure it is set against), current
levels as baselines ("(currently 88%)", ", from 96 in 2023/24"), notes and
units wrapped onto the next line. "from 71% to 80%" states the level to
reach; "from 70-200" a change in the verb's direction.

The verbs, frames, anchors, baseline and period patterns are data in
``models/patterns/targets.jsonl``. Sentences are searched for anchors only when
they can hold one (a digit or number word, and the anchor's cue word, read from
its pattern): necessary conditions, so no target is lost. The amounts and baselines are figures too:
this component relabels the matching ``Doc._.figure_items`` ("target
reduction in residential burglary", "residential burglary (baseline)").
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from ..records import FigureItem, Span, TargetItem
from ..rx.fold import fold_case
from ..rx.literals import could_match, guarded, required_folded_literals
from ..rx.scan import finditer as scan_finditer
from ..rx.sre import C as _re_ops
from ..rx.sre import parse as parse_regex
from ..rx.words import alternation, longest_first
from .figures import (
    _rows,
    clean_ws,
    compile_pattern,
    find_numbers,
    key_label,
    kpi_title,
    load_figure_rules,
    load_vocab,
    number_starts,
    trie_alternation,
)
from .sentences import doc_sentences, doc_text, split_sentences

DEFAULT_PATTERNS = "patterns/targets.jsonl"

_MONTHS = {
    m.lower(): i
    for i, m in enumerate(calendar.month_name)
    if m
} | {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m} | {"sept": 9}


@dataclass(frozen=True)
class TargetRules:
    """Compiled target patterns (loaded once per process)."""

    verbs: dict[str, str]  # base form -> direction
    participles: dict[str, str]
    verb_re: re.Pattern[str]
    frames: tuple[re.Pattern[str], ...]
    sentence_frames: tuple[re.Pattern[str], ...]
    not_frames: tuple[re.Pattern[str], ...]
    anchors: tuple[tuple[str, str, re.Pattern[str]], ...]  # (id, kind, regex)
    baselines: tuple[re.Pattern[str], ...]
    baseline_unknown: re.Pattern[str]
    periods: tuple[tuple[str, re.Pattern[str]], ...]
    doc_periods: tuple[re.Pattern[str], ...]
    doc_baseline_periods: tuple[re.Pattern[str], ...]
    number_words: dict[str, float]
    split_verbs: tuple[tuple[re.Pattern[str], str], ...] = ()  # ("bring X down", direction)
    implied: tuple[tuple[re.Pattern[str], float, str, str], ...] = ()  # ("halve", 50, percent, reduce)

    # exact prefilters (see :meth:`_Finder.anchors`): the case-folded cue words one of which
    # each anchor's matches contain, and the number words an amount may be instead of digits
    anchor_cues: _Cues | None = None  # None: every anchor is searched in every sentence
    amount_words: tuple[str, ...] | None = None  # None: no amount prefilter; (): digits only
    amount_search: re.Pattern[str] | None = None  # any of ``amount_words``
    # per pattern, the case-folded words one of which each match holds (None: no test; see could_match)
    implied_cues: tuple[tuple[str, ...] | None, ...] = ()
    doc_period_cues: tuple[tuple[str, ...] | None, ...] = ()
    doc_baseline_cues: tuple[tuple[str, ...] | None, ...] = ()
    # per split verb, the case-folded words one of which each match holds (see :meth:`_Finder._cannot_aim`);
    # None: unknown for some split verb, or some change verb does not end with a word character
    split_verb_cues: tuple[tuple[str, ...], ...] | None = None


@dataclass(frozen=True)
class _Cues:
    """The cue words of the anchor regexes (:func:`required_folded_literals`), found in one scan.

    ``bits[word]`` has bit ``k`` set when anchor ``k`` has a cue word inside ``word`` (a scan
    reports one word where several overlap); anchors in ``always`` have no cue words.
    """

    search: re.Pattern[str] | None
    bits: dict[str, int]
    always: int

    @classmethod
    def of(cls, literals: Sequence[tuple[str, ...] | None]) -> _Cues:
        words = longest_first(w for lits in literals if lits for w in lits)
        always = sum(1 << k for k, lits in enumerate(literals) if not lits)
        bits = {w: sum(1 << k for k, lits in enumerate(literals) if lits and any(c in w for c in lits)) for w in words}
        return cls(_word_tree_search(tuple(words)), bits, always)

    def in_span(self, folded: str, s0: int, s1: int) -> int:
        """Bit ``k`` set when anchor ``k`` may match in ``folded[s0:s1]`` (a cue word of it is there)."""
        bits = self.always
        if self.search is not None:
            cue_bits = self.bits
            for word in self.search.findall(folded, s0, s1):  # plain words: the span's edges change nothing
                bits |= cue_bits[word]
        return bits


def _literal_search(literals: tuple[str, ...] | None) -> re.Pattern[str] | None:
    """A search for any of ``literals`` (in :func:`fold_case` text); None when there are none."""
    return re.compile("|".join(re.escape(x) for x in longest_first(literals))) if literals else None


def _word_tree_search(literals: tuple[str, ...]) -> re.Pattern[str] | None:
    """:func:`_literal_search` as a prefix tree: the same matches, the same word at each place.

    Words that match at one place are prefixes of each other, and both forms take the
    longest (the plain one lists the words longest first, the tree tries the longer
    continuation before stopping); the tree tries one branch per letter at each place
    instead of every word (the cue scan of :meth:`_Cues.in_span` reads every sentence
    holding an amount). Only for words without white space (the tree reads a space as
    ``\\s+``, the plain search as a space); else the plain search.
    """
    if any(ch.isspace() for w in literals for ch in w):
        return _literal_search(literals)
    return _any_word_search(literals)


def _verb_alternation(words: Sequence[str]) -> str:
    """The change verbs for :attr:`TargetRules.verb_re` (matched ignoring case): a prefix tree
    (:func:`trie_alternation`, the same matches in the same order of preference as the
    plain alternation, one branch per letter instead of every verb at each word start),
    else the plain :func:`alternation`."""
    return trie_alternation(words, True) or alternation(words)


def _any_word_search(words: tuple[str, ...] | None) -> re.Pattern[str] | None:
    """A search that finds a match where the text holds any of ``words`` (a prefix tree:
    fewer tries per position than the plain alternation; only whether it matches is read)."""
    if not words:
        return None
    tree = trie_alternation(words, False)
    return re.compile(tree) if tree else _literal_search(words)


# the amount group every anchor pattern uses: digits, or (with the placeholder) a number word
_AMOUNT_DIGITS = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"
_AMOUNT_WORDS = _AMOUNT_DIGITS + "|{NUMBER_WORD}"
_DIGIT = re.compile(r"[0-9]")


def _group_source(src: str, name: str) -> str | None:
    """The source of the named group ``(?P<name>...)`` in ``src`` (escapes and classes respected)."""
    start = src.find(f"(?P<{name}>")
    if start < 0:
        return None
    depth, i, in_class = 0, start, False
    while i < len(src):
        ch = src[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if src[i + 1 : i + 2] == "^":
                i += 1
            if src[i + 1 : i + 2] == "]":
                i += 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return src[start + len(name) + 5 : i]
        i += 1
    return None


def _amount_words(rows: list[dict], compiled: list[re.Pattern[str]], vocab: dict) -> tuple[str, ...] | None:
    """What a sentence must hold for any anchor to match in it: a digit, or one of these words.

    Only when every anchor's ``num`` group is a top-level part of its pattern (so each match
    has one) and reads digits or ``{NUMBER_WORD}``; each number word contributes its longest
    word (the text "a  hundred" holds "hundred"). None: no such prefilter.
    """
    words: set[str] = set()
    for row, rx in zip(rows, compiled, strict=True):
        body = _group_source(row["pattern"], "num")
        num = rx.groupindex.get("num")
        if body not in (_AMOUNT_DIGITS, _AMOUNT_WORDS) or num is None:
            return None
        parsed = parse_regex(rx.pattern, rx.flags)
        if parsed is None or not any(op is _re_ops.SUBPATTERN and av[0] == num for op, av in parsed):
            return None  # inside an optional part: a match may have no amount
        if body == _AMOUNT_WORDS:
            words |= {max(w.lower().split(), key=len) for w in vocab.get("NUMBER_WORD", {}) if w.strip()}
    return tuple(sorted(words))


@lru_cache(maxsize=8)
def load_target_rules(patterns: str | None = None, vocab: str | None = None) -> TargetRules:
    """Read and compile ``targets.jsonl``; errors name the file and rule id."""
    from .figures import _resolve

    voc = load_vocab(vocab)
    p = _resolve(patterns, DEFAULT_PATTERNS)
    verbs: dict[str, str] = {}
    participles: dict[str, str] = {}
    by: dict[str, list[tuple[str, re.Pattern[str], dict]]] = {}
    for row in _rows(p):
        where = f"{p}: rule {row.get('id')!r}"
        label = row["label"]
        if label == "CHANGE_VERB":
            verbs[row["pattern"]] = row["direction"]
            continue
        if label == "CHANGE_PARTICIPLE":
            participles[row["pattern"]] = row["direction"]
            continue
        if label in ("SPLIT_VERB", "IMPLIED_AMOUNT"):
            flags = row.get("flags", "i")
        else:
            flags = row.get("flags", "i" if label in ("FRAME", "NOT_FRAME", "SENTENCE_FRAME", "ANCHOR") else "")
        # patterns searched within sentences are compiled behind a look-ahead for their first
        # characters (the same matches, sooner; the prefilters below read that form); the
        # document-wide ones keep their plain form for rx.scan.finditer's own plans
        rx = compile_pattern(row["pattern"], voc, flags, where, guard=label not in ("DOC_PERIOD", "DOC_BASELINE_PERIOD"))
        by.setdefault(label, []).append((row["id"], rx, row))
    known = {"FRAME", "SENTENCE_FRAME", "NOT_FRAME", "ANCHOR", "BASELINE", "BASELINE_UNKNOWN", "PERIOD", "DOC_PERIOD", "DOC_BASELINE_PERIOD", "SPLIT_VERB", "IMPLIED_AMOUNT"}
    for label in by:
        if label not in known:
            raise ValueError(f"{p}: unknown label {label!r}")
    words = [*verbs, *participles]
    verb_re = guarded(re.compile(r"(?<!\w)(?<!\w-)(?:" + _verb_alternation(words) + r")(?![\w-])", re.I))
    unknown = by.get("BASELINE_UNKNOWN", [])
    anchors = by.get("ANCHOR", [])
    amount_words = _amount_words([r for _i, _rx, r in anchors], [rx for _i, rx, _r in anchors], voc)
    return TargetRules(
        verbs=verbs,
        participles=participles,
        verb_re=verb_re,
        frames=tuple(rx for _i, rx, _r in by.get("FRAME", [])),
        sentence_frames=tuple(rx for _i, rx, _r in by.get("SENTENCE_FRAME", [])),
        not_frames=tuple(rx for _i, rx, _r in by.get("NOT_FRAME", [])),
        anchors=tuple((i, r["kind"], rx) for i, rx, r in anchors),
        baselines=tuple(rx for _i, rx, _r in by.get("BASELINE", [])),
        baseline_unknown=unknown[0][1] if unknown else re.compile(r"(?!)"),
        periods=tuple((i, rx) for i, rx, _r in by.get("PERIOD", [])),
        doc_periods=tuple(rx for _i, rx, _r in by.get("DOC_PERIOD", [])),
        doc_baseline_periods=tuple(rx for _i, rx, _r in by.get("DOC_BASELINE_PERIOD", [])),
        number_words={k.lower(): float(v) for k, v in voc.get("NUMBER_WORD", {}).items()},
        split_verbs=tuple((rx, r["direction"]) for _i, rx, r in by.get("SPLIT_VERB", [])),
        implied=tuple((rx, float(r["amount"]), r["unit"], r["direction"]) for _i, rx, r in by.get("IMPLIED_AMOUNT", [])),
        anchor_cues=_Cues.of([required_folded_literals(rx) for _i, rx, _r in anchors]),
        amount_words=amount_words,
        amount_search=_any_word_search(amount_words),
        implied_cues=tuple(required_folded_literals(rx) or None for _i, rx, _r in by.get("IMPLIED_AMOUNT", [])),
        doc_period_cues=tuple(required_folded_literals(rx) or None for _i, rx, _r in by.get("DOC_PERIOD", [])),
        doc_baseline_cues=tuple(required_folded_literals(rx) or None for _i, rx, _r in by.get("DOC_BASELINE_PERIOD", [])),
        split_verb_cues=_split_verb_cues([rx for _i, rx, _r in by.get("SPLIT_VERB", [])], words),
    )


def _split_verb_cues(split: list[re.Pattern[str]], verb_words: list[str]) -> tuple[tuple[str, ...], ...] | None:
    """What :attr:`TargetRules.split_verb_cues` holds: each split verb's required words, when every
    change verb ends with a word character (so a verb never ends where an anchor starts)."""
    if not all(re.search(r"\w$", w) for w in verb_words):
        return None
    cues = [required_folded_literals(rx) for rx in split]
    if any(not lits for lits in cues):
        return None
    return tuple(lits for lits in cues if lits)


# ---------------------------------------------------------------------------- dates


_DATE_NUMERIC = re.compile(r"([0-9]{1,2})[/.]([0-9]{1,2})[/.]((?:19|20)?[0-9]{2})")
_DATE_MONTH = re.compile(r"(?:([0-9]{1,2})(?:st|nd|rd|th)?\s+)?([A-Za-z]+)\.?,?\s+((?:19|20)[0-9]{2})")
_DATE_YEAR = re.compile(r"((?:19|20)[0-9]{2})")
_DATE_YEAR_SPAN = re.compile(r"((?:19|20)[0-9]{2})\s?[/–-]\s?((?:19|20)?[0-9]{2})")


def parse_date(text: str, end: bool = False) -> str | None:
    """ISO date of "1 April 2005", "April 2005", "31/03/2008", "2008" (UK day-first).

    With ``end`` a month or year without a day resolves to its last day.
    """
    s = clean_ws(text).strip(" ,.")
    m = _DATE_NUMERIC.fullmatch(s)
    if m:
        d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        y = y + 2000 if y < 100 else y
        return _iso(y, mo, d)
    m = _DATE_MONTH.fullmatch(s)
    if m and m.group(2).lower() in _MONTHS:
        y, mo = int(m.group(3)), _MONTHS[m.group(2).lower()]
        if m.group(1):
            return _iso(y, mo, int(m.group(1)))
        return _iso(y, mo, calendar.monthrange(y, mo)[1] if end else 1)
    m = _DATE_YEAR.fullmatch(s)
    if m:
        return f"{m.group(1)}-12-31" if end else f"{m.group(1)}-01-01"
    m = _DATE_YEAR_SPAN.fullmatch(s)
    if m:
        a, b = _financial_year(m.group(1), m.group(2))
        return b if end else a
    return None


def _iso(y: int, mo: int, d: int) -> str | None:
    try:
        return f"{y:04d}-{mo:02d}-{min(d, calendar.monthrange(y, mo)[1]):02d}" if 1 <= mo <= 12 and d >= 1 else None
    except ValueError:
        return None


def _financial_year(first: str, second: str) -> tuple[str, str]:
    """'2005-2006', '2016/17', '2005-2008': UK financial years run 1 April to 31 March."""
    y1 = int(first)
    y2 = int(second)
    if y2 < 100:
        y2 += (y1 // 100) * 100
        if y2 < y1:
            y2 += 100
    if y2 <= y1:
        y2 = y1 + 1
    return f"{y1}-04-01", f"{y2}-03-31"


# ------------------------------------------------------------------------- matching


@dataclass
class _Anchor:
    kind: str
    start: int  # offsets in the document text
    end: int
    amount: float
    unit: str
    amount_span: tuple[int, int]
    qual: str
    baseline: float | None = None  # "from A to B"
    baseline_span: tuple[int, int] | None = None
    explicit_to: bool = False  # "from 71% to 80%" states the level to reach; "from 70-200" a change
    digits: bool = True  # the amount is written in digits (else a number word: "by two percent")


# what _Finder.aim says of an anchor: a plan entry (verb start, direction, verb as written,
# split verb's object), or one of these
_REJECTED = object()  # no target: the next anchor is read as if this one were not there
_NO_PLAN = object()  # an anchor of a kind the rules do not know: it ends the stretch, no target
_AIM_KINDS = frozenset({"by", "to", "from_to", "at", "ensure", "count_aim", "target", "will_be"})
_Plan = tuple[int, str, str, "tuple[int, int] | None"]


_UNIT_PP = re.compile(r"point|pp|p\.p\.", re.I)
_NOT_TARGET_UNIT = re.compile(r"\s*(?:k|m|bn|million|billion|years?|months?|weeks?|days?|hours?|minutes?|miles?|km|tonnes?|degrees?)\b", re.I)
_YEAR = re.compile(r"(?:19|20)[0-9]{2}")
_TO_WORD = re.compile(r"\bto\b")


def _amount(m: re.Match[str], rules: TargetRules, text: str) -> tuple[float, str] | None:
    num = m.group("num")
    unit_txt = (m.group("unit") or "").strip().lower()
    if num[0].isdigit():
        value = float(num.replace(",", ""))
    else:
        if not unit_txt:
            return None  # "by two" with no unit is not an amount we can trust
        value = rules.number_words.get(num.lower().replace(" ", " "))
        if value is None:
            return None
    a = m.start("num")
    if a > 0 and text[a - 1] in "£$€" or (a > 1 and text[a - 2] in "£$€"):
        return None  # money targets have no unit in the contract
    after = text[m.end("num") : m.end("num") + 16]
    if not unit_txt and _NOT_TARGET_UNIT.match(after):
        return None  # money, durations and measures have no target unit in the contract
    if _UNIT_PP.search(unit_txt) and ("percent" in unit_txt or "%" in unit_txt or "point" in unit_txt or unit_txt in ("pp", "p.p.")):
        return value, "percentage_points"
    if unit_txt:
        return value, "percent"
    if num[0].isdigit() and _YEAR.fullmatch(num):
        return None  # "by 2028" is a date
    return value, "count"


@dataclass
class _Verb:
    """A change verb in the text: "reduce", or a split one "bring <object> down"."""

    start: int
    end: int
    word: str  # as written for a plain verb, "bring down" (first letter as written) for a split one
    obj: tuple[int, int] | None = None  # the object between a split verb's parts


def _verbs(text: str, lo: int, hi: int, rules: TargetRules) -> list[_Verb]:
    out = [_Verb(m.start(), m.end(), m.group()) for m in rules.verb_re.finditer(text, lo, hi)]
    for rx, _d in rules.split_verbs:
        for m in rx.finditer(text, lo, min(len(text), hi + 12)):  # the lookahead reads past hi
            if m.end() > hi:
                continue
            word = f"{m.group('verb')} {m.group('part').lower()}"
            out.append(_Verb(m.start(), m.end(), word, (m.start("obj"), m.end("obj"))))
    out.sort(key=lambda v: v.start)
    return out


_LAST_WORD_BEFORE = re.compile(r"\b([A-Za-z]+)\s+$")
_ITEM_START = re.compile(r"(?:^|\n)[ \t]*(?:[-–•*>][ \t]*)?(?:[0-9]{1,2}[.)]?[ \t]+|[a-z][.)][ \t]+)?(?:to[ \t]+)?$", re.I)


def _count_aim_verb(text: str, a: _Anchor, s0: int, rules: TargetRules) -> int | None:
    """Start of the verb in "We will train at least 600 staff", "to recruit no fewer than 40
    volunteers": any verb right after a frame that aims; None when the verb only describes."""
    before = text[max(s0, a.start - 120) : a.start]
    m = _LAST_WORD_BEFORE.search(before)
    if m is None:
        return None
    word = m.group(1).lower()
    if word in rules.verbs or word in _NOT_AIM_VERB or word.endswith(("ed", "ing")):
        return None  # a change verb governs its own anchors; "were", "had", "trained" describe
    pre = before[: m.start()]
    starts_item = _ITEM_START.search(pre) is not None
    if not (any(rx.search(pre) for rx in rules.frames) or (starts_item and (m.group(1)[:1].isupper() or pre.strip().lower().endswith("to")))):
        return None  # "we will train", "aim to recruit", a list item "Train at least 600 ..."; not "saw over 100"
    return a.start - len(before) + m.start(1)


_NOT_OBJECT = frozenset({"if", "when", "unless", "by", "in", "over", "within", "during", "from", "to", "again", "and", "or", "but", "as", "since", "after", "before", "while", "whilst"})
_NOT_AIM_VERB = frozenset({"be", "been", "is", "are", "was", "were", "have", "has", "had", "with", "of", "for", "in", "on", "at", "by", "and", "or", "the", "a", "an"})


_STARS = re.compile(r"\*+")
_FURNITURE_END = re.compile(r"(?:^|\n)[\s\-–•*>]*(?:[0-9]{1,2}[.)]?|[a-z][.)])?$")


def _clause_initial(before: str) -> bool:
    """Nothing but list furniture, punctuation or a dependent opener before the verb."""
    b = before.rstrip()
    if not b:
        return True
    b = _STARS.sub("", b).rstrip()
    if not b:
        return True
    return bool(b[-1] in ":;(-–—•,\n" or _FURNITURE_END.search(b))


_WILL_HAVE_END = re.compile(r"\b(?:will|shall)\s+(?:have|be)\s+(?:been\s+)?$", re.I)
_NEW_LINE_END = re.compile(r"\n[ \t]*$")
_CONJ_END = re.compile(r"(?:^|[\s,(])(and|or|to|and\s+to)\s*$", re.I)
_TO_HAVE_BE_END = re.compile(r"\b(?:will|shall|should|must|to|would)\s+(?:also\s+)?(?:have\s+|be\s+)(?:been\s+)?$", re.I)


class _Finder:
    def __init__(self, text: str, rules: TargetRules):
        self.text = text
        self.rules = rules
        self.frules = load_figure_rules()
        self.folded = fold_case(text)  # for the literal prefilters (same offsets)

    def verb_ok(self, vstart: int, vword: str, s0: int, kind: str, accepted_before: bool) -> str | None:
        """Direction when the verb at vstart aims (see module docstring), else None."""
        r = self.rules
        text = self.text
        before = text[max(s0, vstart - 120) : vstart]
        low = clean_ws(vword).lower()
        if any(rx.search(before) for rx in r.not_frames) and not _WILL_HAVE_END.search(before):
            return None
        if low in r.verbs:
            d = r.verbs[low]
            if _clause_initial(before) or any(rx.search(before) for rx in r.frames):
                return d
            if vword[:1].isupper() and _NEW_LINE_END.search(before):
                return d  # "...(Baseline figure - 1,850)\nReduce vehicle crime by 8%": a new list line
            m = _CONJ_END.search(before)
            if m:
                pre = before[: m.start(1)]
                if m.group(1).lower().startswith("to") and (_clause_initial(pre) or any(rx.search(pre) for rx in r.frames)):
                    return d
                if accepted_before or self._imperative_earlier(s0, vstart):
                    return d
            return None
        if low in r.participles:
            d = r.participles[low]
            if _TO_HAVE_BE_END.search(before):
                return d
            if kind == "from_to" and any(rx.search(text[s0:vstart]) for rx in r.sentence_frames):
                return d  # "one of the priorities is to reduce re-offending and increased the cohort from 70-200"
        return None

    def _imperative_earlier(self, s0: int, vstart: int) -> bool:
        """ "Hate crime: increase reporting ... and reduce repeat victims by 10%": a list item of aims."""
        for vm in _verbs(self.text, s0, vstart, self.rules):
            if clean_ws(vm.word).lower() in self.rules.verbs:
                before = self.text[max(s0, vm.start - 120) : vm.start]
                if _clause_initial(before) or any(rx.search(before) for rx in self.rules.frames):
                    return True
        return False

    def may_hold_amount(self, s0: int, s1: int) -> bool:
        """False when no anchor can match in the sentence: it has no digit and no number word."""
        if self.rules.amount_words is None or _DIGIT.search(self.text, s0, s1):
            return True
        return self.rules.amount_search is not None and self.rules.amount_search.search(self.folded, s0, s1) is not None


    def with_amount(self, sentences: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
        """The sentences for which :meth:`may_hold_amount` holds, tested in one pass."""
        rules, text, digit = self.rules, self.text, _DIGIT.search
        if rules.amount_words is None:
            return list(sentences)
        if rules.amount_search is None:
            return [(s0, s1) for s0, s1 in sentences if digit(text, s0, s1)]
        word, folded = rules.amount_search.search, self.folded
        return [(s0, s1) for s0, s1 in sentences if digit(text, s0, s1) or word(folded, s0, s1)]

    def anchors(self, s0: int, s1: int) -> list[_Anchor]:
        """The amounts a sentence states with the phrase that holds each ("by 15%", "to 45%").

        Each anchor regex runs on the sentence only if it can match there: the sentence
        has an amount (:meth:`may_hold_amount`) and the anchor's cue word
        (:func:`~extract.rx.literals.required_folded_literals`); both are necessary, so
        the result is that of running every regex.
        """
        stext, hits = self._hits(s0, s1)
        return self._kept(s0, stext, hits) if hits else []

    def target_anchors(self, s0: int, s1: int, amount_known: bool = False) -> tuple[list[_Anchor], dict[tuple[str, int], object]]:
        """:meth:`anchors`, or [] when no target comes of any of them, with what
        :meth:`aim` said of each at the start of the sentence (by kind and start).

        :func:`extract_targets` reads the anchors in order; until one is accepted it reads
        each as the sentence's first (``prev_end`` the sentence start, nothing accepted
        before). So when :meth:`aim` rejects every anchor of :meth:`_hits` read that way,
        whichever of them :meth:`_kept` keeps, none becomes a target, and telling amounts
        from dates (:func:`number_starts`) is skipped; most sentences with an anchor
        report ("went from 12% to 9%", "rose by 15%"). ``amount_known`` as for :meth:`_hits`.
        """
        stext, hits = self._hits(s0, s1, amount_known)
        if not hits or self._cannot_aim(hits, s0, s1):
            return [], {}
        anchors = [self._anchor(s0, kind, m, am) for kind, m, am in hits]
        first: dict[tuple[str, int], object] = {}
        for a in anchors:
            if a.kind not in _AIM_KINDS:
                break  # a kind this test does not know: keep them all
            entry = first[a.kind, a.start] = self.aim(a, s0, s0, False)
            if entry is not _REJECTED:
                break  # a target may come of them
        else:
            return [], {}
        return self._kept_anchors(s0, stext, anchors), first

    def aim(self, a: _Anchor, s0: int, prev_end: int, accepted_before: bool) -> _Plan | object:
        """Whether anchor ``a`` of the sentence from ``s0`` states a target, and how.

        A plan entry (verb start, direction, verb as written, a split verb's object), or
        :data:`_REJECTED`; ``prev_end`` is the end of the last accepted anchor (else ``s0``),
        ``accepted_before`` whether there is one. :data:`_NO_PLAN` for a kind not known here.
        """
        text, rules = self.text, self.rules
        if a.kind in ("by", "to", "from_to", "at"):
            # the nearest verb that aims: "increase the percentage of those who report
            # reduced drug use by 5%" governs by "increase", not the adjective "reduced"
            verb = None
            direction = None
            for vm in reversed(_verbs(text, prev_end, a.start, rules)):
                direction = self.verb_ok(vm.start, vm.word, s0, a.kind, accepted_before)
                if direction is not None:
                    verb = vm
                    break
            if verb is None or (a.kind == "at" and direction != "maintain"):
                aim = _count_aim_verb(text, a, s0, rules) if a.kind == "at" and _MIN_QUAL.search(a.qual) else None
                if aim is not None:
                    return aim, "reach", "", None  # "We will train at least 600 staff"
            if verb is None:
                if a.kind == "from_to" and any(rx.search(text[s0 : a.start]) for rx in rules.sentence_frames):
                    return a.start, "increase" if a.amount >= (a.baseline or 0) else "reduce", "", None
                return _REJECTED
            if a.kind == "at" and direction != "maintain":
                return _REJECTED
            if a.kind == "to" and direction != "maintain":
                direction = "reach"
            if a.kind == "from_to":
                if a.qual or direction == "reach" or (a.explicit_to and direction != "maintain"):
                    direction = "reach"  # "from 71% to 80%": the level is the aim
                elif a.baseline is not None:
                    direction = "increase" if a.amount > a.baseline else "reduce" if a.amount < a.baseline else direction
            assert direction is not None
            return verb.start, direction, verb.word, verb.obj
        if a.kind == "ensure":
            before = text[max(s0, a.start - 80) : a.start]
            if not (_clause_initial(before) or re.search(r"(?:^|[\s,(])to\s*$", before, re.I) or any(rx.search(before) for rx in rules.frames)):
                return _REJECTED
            return a.start, "reach", "", None
        if a.kind == "count_aim":
            aim = _count_aim_verb(text, a, s0, rules)
            return _REJECTED if aim is None else (aim, "reach", "", None)
        if a.kind in ("target", "will_be"):
            before = text[max(s0, a.start - 80) : a.start]
            if a.kind == "will_be" and any(rx.search(before + "x") for rx in rules.not_frames[:1]) and not re.search(r"\b(?:will|shall|should|must)\b", text[a.start : a.end], re.I):
                return _REJECTED
            return a.start, "maintain" if "maintain" in before.lower()[-40:] else "reach", "", None
        return _NO_PLAN

    def _cannot_aim(self, hits: list[tuple[str, re.Match[str], tuple[float, str]]], s0: int, s1: int) -> bool:
        """True only when :func:`extract_targets` makes nothing of these anchors, whichever are kept.

        An anchor "by N", "to N" or "at N" (without "at least", which a bare aiming verb
        may govern: :func:`_count_aim_verb`) becomes a target only through a change
        verb before it in the sentence (:func:`_verbs`). None can be there when the
        verb regex finds nothing in the whole sentence (a verb found between two places
        of it is found there too: each verb ends with a word character, and an anchor
        starts after a non-word one, so the end of the narrower search reads the same)
        and the sentence holds none of the words every split verb ("bring ... down") needs.
        """
        r = self.rules
        if r.split_verb_cues is None:
            return False
        for kind, m, _am in hits:
            if kind not in ("by", "to", "at"):
                return False
            if kind == "at" and _MIN_QUAL.search(clean_ws(m.group("qual") or "").lower()):
                return False
        folded = self.folded
        if any(folded.find(word, s0, s1) >= 0 for words in r.split_verb_cues for word in words):
            return False
        return r.verb_re.search(self.text, s0, s1) is None

    def _hits(self, s0: int, s1: int, amount_known: bool = False) -> tuple[str, list[tuple[str, re.Match[str], tuple[float, str]]]]:
        """The sentence text and the anchor regex matches in it that read as an amount (kind, match, amount).

        ``amount_known``: :meth:`may_hold_amount` already holds (see :meth:`with_amount`).
        """
        if not (amount_known or self.may_hold_amount(s0, s1)):
            return "", []
        rules = self.rules
        may = rules.anchor_cues.in_span(self.folded, s0, s1) if rules.anchor_cues is not None else -1
        if not may:
            return "", []
        hits: list[tuple[str, re.Match[str], tuple[float, str]]] = []
        stext = self.text[s0:s1]
        for k, (_id, kind, rx) in enumerate(rules.anchors):
            if may >> k & 1:  # else the anchor's cue word is not in the sentence
                for m in rx.finditer(stext):
                    am = _amount(m, rules, stext)
                    if am is not None:
                        hits.append((kind, m, am))
        return stext, hits

    def _anchor(self, s0: int, kind: str, m: re.Match[str], am: tuple[float, str]) -> _Anchor:
        """The :class:`_Anchor` of one of :meth:`_hits`' matches (offsets into the document text)."""
        a = _Anchor(
            kind=kind,
            start=s0 + m.start(),
            end=s0 + m.end(),
            amount=am[0],
            unit=am[1],
            amount_span=(s0 + m.start("num"), s0 + m.end()),
            qual=clean_ws(m.group("qual") or "").lower(),
            digits=m.group("num")[0].isdigit(),
        )
        if kind == "from_to":
            a.explicit_to = "sep" not in m.re.groupindex or bool(_TO_WORD.search(m.group("sep") or ""))
            a.baseline = float(m.group("base").replace(",", ""))
            a.baseline_span = (s0 + m.start("base"), s0 + m.end("bunit" if m.group("bunit") else "base"))
        return a

    def _kept(self, s0: int, stext: str, hits: list[tuple[str, re.Match[str], tuple[float, str]]]) -> list[_Anchor]:
        """The anchors of :meth:`_hits` whose number is an amount, one per amount, in text order."""
        return self._kept_anchors(s0, stext, [self._anchor(s0, kind, m, am) for kind, m, am in hits])

    def _kept_anchors(self, s0: int, stext: str, anchors: list[_Anchor]) -> list[_Anchor]:
        """:meth:`_kept` of the anchors built from the hits."""
        # a number in digits must be one find_numbers keeps (not a date, an age band, a reference)
        digits = [a.amount_span[0] - s0 for a in anchors if a.digits]
        starts = number_starts(stext, self.frules, max(digits)) if digits else set()
        found = [a for a in anchors if not a.digits or a.amount_span[0] - s0 in starts or a.amount_span[0] - s0 - 1 in starts]
        # one anchor per amount: "from A to B" beats "to B"; "ensure N% of" beats others
        priority = {"from_to": 0, "ensure": 1, "target": 2, "will_be": 3, "by": 4, "to": 5, "at": 6}
        found.sort(key=lambda a: (priority.get(a.kind, 9), a.start))
        kept: list[_Anchor] = []
        for a in found:
            if any(a.amount_span[0] < k.amount_span[1] and k.amount_span[0] < a.amount_span[1] for k in kept):
                continue
            if a.kind == "to" and any(k.kind == "from_to" and k.start <= a.start < k.end for k in kept):
                continue
            kept.append(a)
        kept.sort(key=lambda a: a.start)
        return kept


_AGAINST = re.compile(r"^[^.;]{0,60}?(?:against|compared\s+(?:with|to)|versus|vs\.?)\s+(?:an?\s+|the\s+|its\s+|their\s+)?(?:[A-Za-z-]+\s+){0,2}$", re.I)


def _compared_figure_metric(text: str, a: _Anchor, s0: int, figures: list[FigureItem]) -> str | None:
    """ "87% of calls were answered in time, against a target of 90%": the target is for the
    measure of the figure it is set against."""
    best = None
    for f in figures:
        if f.table_index is None and s0 <= f.span.start < a.start and f.metric and (best is None or f.span.start > best.span.start):
            best = f
    if best is None or not _AGAINST.match(text[best.span.end : a.start]):
        return None
    return best.metric


_LEAD_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)
_TRAILING_PREP = re.compile(r"\s+(?:by|to|at|from|and|of|in)$", re.I)


def _strip_metric(s: str) -> str:
    s = _STARS.sub("", s)
    s = clean_ws(s).strip(" ,;:-–")
    s = _LEAD_ARTICLE.sub("", s)
    s = _TRAILING_PREP.sub("", s)
    return s.strip(" ,;:-–")


_PERIOD_PREP = re.compile(r"^(?:in|during|for)\s+", re.I)


def _period(
    text: str, a: _Anchor, vstart: int, s0: int, s1: int, rules: TargetRules, exclude: tuple[int, int] | None = None
) -> tuple[str | None, str | None, str | None, tuple[int, int] | None]:
    """(period as written, start date, end date, span) nearest after the amount, else before the verb.

    ``s0``/``s1`` bound the search to this target's own stretch of text (not its neighbours');
    ``exclude`` is the baseline note, whose year is the baseline's, not the target's.
    """
    best = None
    for pid, rx in rules.periods:
        for m in rx.finditer(text, s0, s1):
            if m.start() < a.amount_span[1] and m.end() > a.amount_span[0]:
                continue
            if a.baseline_span and m.start() < a.baseline_span[1] and m.end() > a.baseline_span[0]:
                continue
            if exclude and m.start() < exclude[1] and m.end() > exclude[0]:
                continue
            if m.start() >= a.end:
                dist = m.start() - a.end
            elif m.end() <= vstart:
                dist = 1000 + (vstart - m.end())
            elif a.kind == "from_to" and a.start <= m.start() < a.end:
                dist = 500  # "from 65.8% in 2021/22 to ..." is the baseline's year
                continue
            else:
                dist = 200 + abs(m.start() - a.end)
            if best is None or dist < best[0]:
                best = (dist, pid, m)
    if best is None:
        return None, None, None, None
    _d, pid, m = best
    written = clean_ws(m.group())
    written = _PERIOD_PREP.sub("", written)
    start = end = None
    gd = m.groupdict()
    if gd.get("start"):
        start = parse_date(gd["start"])
    if gd.get("end"):
        end = parse_date(gd["end"], end=True)
    if gd.get("fy"):
        start, end = parse_date(gd["fy"]), parse_date(gd["fy"], end=True)
    return written, start, end, m.span()


_FROM_AFTER = re.compile(r"\s*,?\s*from\s+(?:a\s+baseline\s+of\s+)?(?P<text>[0-9][0-9,.]*\s?(?:%|per\s?cent)?)")


_BASELINE_CUT = re.compile(r"\s(?:from|out\s+of|of\s+which|compared\s+(?:to|with))\s")


def _baselines(
    text: str, a: _Anchor, window_end: int, rules: TargetRules, frules
) -> tuple[list[tuple[float, tuple[int, int]]], str | None, tuple[int, int] | None]:
    """Baseline numbers (with spans), baseline text as written, and the span of the note."""
    if a.baseline is not None and a.baseline_span is not None:
        return [(a.baseline, a.baseline_span)], clean_ws(text[a.baseline_span[0] : a.baseline_span[1]]), a.baseline_span
    best = _FROM_AFTER.match(text, a.end, window_end)  # "decreased by 9 percentage points from 28.1%"
    if best is None:
        for rx in rules.baselines:
            m = rx.search(text, a.end, window_end)
            if m and (best is None or m.start() < best.start()):
                best = m
    if best is None:
        return [], None, None
    body = best.group("text")
    written = clean_ws(_STARS.sub("", best.group().strip("() ,")))
    if rules.baseline_unknown.search(body) or rules.baseline_unknown.search(written):
        return [], written, best.span()
    b0 = best.start("text")
    cut = _BASELINE_CUT.search(body)
    if cut:
        body = body[: cut.start()]
    probe = "Baseline: " + body  # a bare "39" would look like a page number on its own
    nums = find_numbers(probe, frules)
    out = [(n.value, (b0 + n.start - 10, b0 + n.end - 10)) for n in nums if n.unit in ("count", "percent", "percentage_points", "rate")]
    return out, written, best.span()


_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_BASELINE_LINE = re.compile(r"\n[ \t]*\n?[ \t]*\(\s*\**\s*baseline", re.I)


def _window_end(text: str, pos: int, limit: int, sent_end: int) -> int:
    """Where a target's baseline note may end: the end of its sentence or line (whichever is
    later, so a wrapped PDF line still reaches its "(Baseline figure - 118)"), extended over a
    following "(Baseline ...)" line, never past the next target or a blank line."""
    nl = text.find("\n", pos)
    if nl < 0:
        return min(len(text), limit) if limit > pos else len(text)
    end = max(nl, sent_end)
    blank = _BLANK_LINE.search(text[pos:end])
    if blank:
        end = pos + blank.start()
    opened = text.rfind("(", pos, end)
    if opened >= 0 and text.find(")", opened, end) < 0:
        close = text.find(")", end, end + 120)
        if close >= 0 and "\n\n" not in text[end:close]:
            end = close + 1  # "(baseline:\n1,020 in 2023/24)": a note wrapped onto the next line
    nxt = _BASELINE_LINE.match(text[nl : nl + 40])
    if nxt:
        nl2 = text.find("\n", nl + nxt.end())
        end = nl2 if nl2 >= 0 else len(text)
    return min(end, limit) if limit > pos else end


def extract_targets(
    text: str,
    sentences: Sequence[tuple[int, int]] | None = None,
    rules: TargetRules | None = None,
    figures: list[FigureItem] | None = None,
) -> list[TargetItem]:
    """All targets in ``text`` (offsets into ``text``).

    When ``figures`` (the same text's figure items) are given, the amounts and
    baselines among them are relabelled in place as target figures.
    """
    rules = rules or load_target_rules()
    frules = load_figure_rules()
    finder = _Finder(text, rules)
    # the implied-amount verbs that could match somewhere in the text ("halve", "double" ...)
    implied = [
        rx
        for (rx, _a, _u, _d), cue in zip(rules.implied, rules.implied_cues or [None] * len(rules.implied), strict=True)
        if could_match(cue, finder.folded)
    ]
    if not implied and not finder.may_hold_amount(0, len(text)):
        return []  # no sentence can state an amount
    sents = list(sentences) if sentences is not None else split_sentences(text)
    doc_start = doc_end = None
    for rx, cue in zip(rules.doc_periods, rules.doc_period_cues or [None] * len(rules.doc_periods), strict=True):
        m = next(scan_finditer(rx, text), None) if could_match(cue, finder.folded) else None  # rx.search
        if m:
            doc_start, doc_end = parse_date(m.group("start")), parse_date(m.group("end"), end=True)
            break
    baseline_period = None
    for rx, cue in zip(rules.doc_baseline_periods, rules.doc_baseline_cues or [None] * len(rules.doc_baseline_periods), strict=True):
        m = next(scan_finditer(rx, text), None) if could_match(cue, finder.folded) else None  # rx.search
        if m:
            baseline_period = clean_ws(m.group("period"))
            break
    out: list[TargetItem] = []
    relabel: list[tuple[tuple[int, int], str, str | None, str | None]] = []  # span, metric, direction, period
    if not implied:
        sents = finder.with_amount(sents)  # (only an anchor can make a target: it needs an amount)
    for s0, s1 in sents:
        anchors, first = finder.target_anchors(s0, s1, not implied)  # (none when no target can come of them)
        if not anchors:
            if not implied:
                continue
            stext = text[s0:s1]
            if not any(rx.search(stext) for rx in implied):
                continue
        stext = text[s0:s1]
        accepted_before = False
        prev_end = s0
        plan: list[tuple[_Anchor, int, str, str, tuple[int, int] | None]] = []
        used_verbs: set[int] = set()
        for a in anchors:
            entry = first.get((a.kind, a.start)) if prev_end == s0 and not accepted_before else None
            if entry is None:
                entry = finder.aim(a, s0, prev_end, accepted_before)
            if entry is _REJECTED:
                continue
            if entry is not _NO_PLAN:
                vstart, direction, verb_text, obj = entry
                if verb_text:
                    used_verbs.add(vstart)  # a change verb governs this amount, not an implied one
                plan.append((a, vstart, direction, verb_text, obj))
            accepted_before = True
            prev_end = a.end
        # "We will halve the number of ...": an aim whose amount is in the verb (50%)
        for rx, amount, unit, implied_dir in rules.implied:
            for m in rx.finditer(text, s0, s1):
                if m.start() in used_verbs or any(p[1] <= m.start() < p[0].end for p in plan):
                    continue
                if finder.verb_ok(m.start(), m.group(), s0, "by", bool(plan)) is None:
                    continue
                obj_m = re.match(r"\s+([A-Za-z][\w'’-]*)", text[m.end() : m.end() + 40])
                if obj_m is None or obj_m.group(1).lower() in _NOT_OBJECT:
                    continue  # "costs will double if ...": no object, so no aim
                a = _Anchor(kind="implied", start=m.start(), end=m.end(), amount=amount, unit=unit, amount_span=(m.start(), m.start()), qual="")
                plan.append((a, m.start(), implied_dir, m.group(), None))
        plan.sort(key=lambda p: p[1])
        for idx, (a, vstart, direction, verb_text, obj) in enumerate(plan):
            nxt = plan[idx + 1][1] if idx + 1 < len(plan) else len(text)
            metric = _metric(text, a, vstart, verb_text, s0, s1, rules, obj)
            if a.kind == "target" and figures:
                metric = _compared_figure_metric(text, a, s0, figures) or metric
            wend = _window_end(text, a.end, nxt, s1)
            values, btext, bspan_all = _baselines(text, a, wend, rules, frules)
            lo = plan[idx - 1][0].end if idx > 0 else s0
            period, start, end, _pspan = _period(text, a, vstart, lo, max(wend, a.end), rules, bspan_all)
            if start is None and end is None and doc_start and doc_end:
                start, end = doc_start, doc_end
            base_list: list[tuple[float | None, tuple[int, int] | None]] = list(values) or [(None, None)]  # type: ignore[list-item]
            sentence = clean_ws(stext)
            for bval, bspan in base_list:
                out.append(
                    TargetItem(
                        metric=metric or None,
                        direction=direction,
                        amount=a.amount,
                        amount_unit=a.unit,
                        span=Span(sentence=sentence, start=vstart, end=a.end),
                        baseline_value=bval,
                        baseline_text=btext,
                        period=period,
                        start_date=start,
                        end_date=end,
                    )
                )
                if bspan is not None and metric:
                    # "from 71% to 80%": the first number of a stated change moves with it
                    bdir = None
                    if a.kind == "from_to" and a.baseline is not None:
                        bdir = "increase" if a.amount > a.baseline else "decrease" if a.amount < a.baseline else None
                    relabel.append((bspan, f"{metric} (baseline)", bdir, baseline_period if a.baseline is None else None))
            if metric:
                noun = {"reduce": "target reduction in", "increase": "target increase in", "maintain": "target level to maintain for", "reach": "target level of"}[direction]
                if a.kind == "ensure" and a.unit == "percent":
                    noun = "target share of"  # "ensure that 95% of victims are contacted"
                elif direction in ("maintain", "reach") and _MIN_QUAL.search(a.qual):
                    noun = "target minimum level of"  # "at no fewer than 240", "at least 600"
                elif direction in ("maintain", "reach") and _MAX_QUAL.search(a.qual):
                    noun = "target maximum level of"  # "to below 30%", "no more than 5%"
                fig_dir = {"reduce": "decrease", "increase": "increase"}.get(direction)
                if direction == "reach":
                    # a level to reach moves the way its verb says ("reduce X to below 30%",
                    # "increase X to 45%"); "ensure that 95%", "a target of 90%" state no change
                    verb_dir = (rules.verbs.get(clean_ws(verb_text).lower()) or rules.participles.get(clean_ws(verb_text).lower())) if verb_text else None
                    fig_dir = {"reduce": "decrease", "increase": "increase"}.get(verb_dir or "")
                relabel.append((a.amount_span, f"{noun} {metric}", fig_dir, period))
    if figures:
        _relabel_figures(figures, relabel, frules)
    return _dedupe(out)


_MIN_QUAL = re.compile(r"least|no\s+(?:fewer|less)|minimum|or\s+(?:above|more)")
_MAX_QUAL = re.compile(r"no\s+more|at\s+most|maximum|below|under|(?:less|fewer)\s+than|or\s+(?:below|less|fewer)|up\s+to")


_ASIDE = re.compile(r"\s*\([^()]{0,40}\)(?=\s+[a-z])")
_ENSURE_END = re.compile(r"\(|;|\.(?:\s|$)|\band\s+that\b")
_TO_BE = re.compile(r"\b(?:will|shall|should|must|would|to)\s+be\b")
_BY_YEAR_LEAD = re.compile(r"^\W*by\s+(?:the\s+end\s+of\s+)?(?:\w+\s+)?(?:19|20)[0-9]{2}(?:/[0-9]{2,4})?\s*,", re.I)
_FROM_WORD = re.compile(r"\bfrom\b")
_FUTURE_PERFECT_END = re.compile(r"\b(?:will|shall|should|must|would)\s+(?:also\s+)?(?:have|be)\s+(?:been\s+)?$", re.I)
_MODAL_WORD = re.compile(r"\b(?:will|shall|should|must|would)\b")
_LIST_LEAD = re.compile(r"^[\s\-–•*0-9.)]*")
_WORD_CHAR = re.compile(r"\w")
_THREE_LETTERS = re.compile(r"[A-Za-z]{3}")


def _metric(
    text: str, a: _Anchor, vstart: int, verb_text: str, s0: int, s1: int, rules: TargetRules, obj: tuple[int, int] | None = None
) -> str | None:
    """What the target is about: the object between verb and amount, else what follows the amount,
    else (future perfect, "Target:") the subject before the verb."""
    if obj is not None:
        return _strip_metric(text[obj[0] : obj[1]]) or None  # "bring <the reoffending rate> down"
    if a.kind in ("implied", "count_aim"):
        return _after_amount(text, a, s1, rules)
    if a.kind == "ensure":
        # an aside in brackets ("(eg burglary)") is skipped, a note at the end ("(currently 88%)") ends it
        rest = _ASIDE.sub("", text[a.end : s1])
        rest = _ENSURE_END.split(rest)[0]
        return _strip_metric(" ".join(rest.split()[:25])) or None
    if a.kind == "will_be":
        subj = _TO_BE.split(text[s0 : a.start + 12])[0]
        subj = _BY_YEAR_LEAD.sub("", subj)
        return _strip_metric(subj) or None
    if a.kind == "target":
        frules = load_figure_rules()
        if key_label(text, a.amount_span[0], frules):
            return kpi_title(text, a.amount_span[0], frules)
        return _subject_before(text[s0 : a.start])
    if verb_text:
        vend = vstart + len(verb_text)
        between = text[vend : a.start]
        if a.kind == "from_to":
            between = _FROM_WORD.split(between)[0]
        if _FUTURE_PERFECT_END.search(text[max(s0, vstart - 40) : vstart]):
            # "Pupils achieving ... will have improved from": the subject is the measure
            subj = _MODAL_WORD.split(text[s0:vstart])[0]
            subj = _BY_YEAR_LEAD.sub("", subj)
            subj = _LIST_LEAD.sub("", subj)
            if a.kind in ("by", "from_to", "to") and not _WORD_CHAR.search(between):
                after = _after_amount(text, a, s1, rules)
                if after and not _strip_metric(subj):
                    return after
            return _strip_metric(subj) or _after_amount(text, a, s1, rules)
        cleaned = _strip_metric(between)
        if _THREE_LETTERS.search(cleaned):
            return cleaned
        return _after_amount(text, a, s1, rules)
    return _after_amount(text, a, s1, rules)


_SUBJECT_END = re.compile(
    r"\s(?:is|was|are|were|has|have|had|remains?|remained|continues?|continued|stood|stands|been|against|compared|"
    r"surpass\w*|exceed\w*|meet|met|meeting|achiev\w*|miss\w*|below|above|moving|at|which|of\s+[0-9])\b",
    re.I,
)


_CLAUSE_JOIN = re.compile(r",\s+(?:with|and|which|while|whilst)\s+")
_SETTING_LEAD = re.compile(r"^\W*(?:(?:in|during|for|over|by|as\s+(?:of|at)|at\s+the\s+end\s+of|since|on)\s+[^,]{1,40},\s*)", re.I)
_THERE_WERE = re.compile(r"^(?:there\s+(?:were|was|are|is|have\s+been|has\s+been)\s+)", re.I)
_AMOUNT_LEAD = re.compile(r"^(?:a\s+total\s+of\s+|an?\s+average\s+of\s+|over\s+|around\s+|about\s+)?[-0-9][0-9,.]*%?\s+", re.I)
_ADVERB_LEAD = re.compile(r"^(?:however|therefore|overall|additionally|also|furthermore|moreover|again|currently|now)\b,?\s*", re.I)
_ALPHA_RUN = re.compile(r"[A-Za-z]+")


def _subject_before(before: str) -> str | None:
    """The measure named before "... against a target of 700": the subject of the last clause."""
    before = _CLAUSE_JOIN.split(before)[-1]
    before = _SETTING_LEAD.sub("", before)
    before = _THERE_WERE.sub("", before)
    before = _AMOUNT_LEAD.sub("", before)
    cut = _SUBJECT_END.search(" " + before)
    if cut:
        before = (" " + before)[: cut.start()]
    before = _ADVERB_LEAD.sub("", before.strip())
    out = _strip_metric(before)
    words = [w.lower() for w in _ALPHA_RUN.findall(out or "")]
    if not words or all(w in ("the", "a", "an", "this", "that", "it", "which", "these", "those", "measure", "kpi", "our", "its") or w.endswith("ed") for w in words):
        return None
    return out


_AFTER_AMOUNT_END = re.compile(r"\(|;|\.(?:\s|$)|\n(?=[ \t]*[A-Z0-9•*(\-–])|\bfrom\s+(?:a\s+)?baselines?\b|,\s*from\s+[0-9]")


def _after_amount(text: str, a: _Anchor, s1: int, rules: TargetRules) -> str | None:
    """ "Reduce by 10% over three years calls to the Police regarding ASB (Baseline ...)" """
    rest = text[a.end : s1]
    for _pid, rx in rules.periods:
        m = rx.match(rest.lstrip())
        if m:
            rest = rest.lstrip()[m.end() :]
            break
    rest = _AFTER_AMOUNT_END.split(rest)[0]
    cut = min((m.start() for _pid, rx in rules.periods for m in [rx.search(rest)] if m and m.start() > 0), default=None)
    if cut is not None and _THREE_LETTERS.search(rest[:cut]):
        rest = rest[:cut]  # "... in vulnerability awareness by March 2026": the deadline is the period
    words = rest.split()
    return _strip_metric(" ".join(words[:25])) or None


_LOWER_RUN = re.compile(r"[a-z]+")


def _relabel_figures(figures: list[FigureItem], relabel, frules) -> None:
    """Target amounts and baselines are figures too: say so in their metric.

    Each relabelling reads the text figures starting in its span (found by bisection;
    the order among them does not matter, each figure's change depends on it alone).
    """
    if not relabel:
        return
    in_text = sorted((f.span.start, i) for i, f in enumerate(figures) if f.table_index is None)
    starts = [start for start, _i in in_text]
    for (a, b), metric, direction, period in relabel:
        for _start, i in in_text[bisect_left(starts, a) : bisect_left(starts, b)]:
            f = figures[i]
            own = f.metric or ""
            if metric.endswith("(baseline)"):
                content = [w for w in _LOWER_RUN.findall(own.lower()) if w not in ("baseline", "baselines", "figure", "the", "of", "and")]
                note = f.span.sentence.lower()
                if len(content) >= 2 and not own.lower().startswith("target") and _own_metric_in_note(own, f, note):
                    f.metric = f"{own} (baseline)"
                else:
                    f.metric = metric
                f.direction = direction
            else:
                f.metric = metric
                f.direction = direction
            if period:
                f.period = period


_BASELINE_NOTE = re.compile(r"baselines?\b[^()]*", re.I)


def _own_metric_in_note(own: str, f: FigureItem, sentence: str) -> bool:
    """ "(Baseline figure - 415 domestic violence repeat incidents ...)": the note names the figure itself."""
    m = _BASELINE_NOTE.search(sentence)
    if not m:
        return False
    note = set(_LOWER_RUN.findall(m.group().lower()))
    words = [w for w in _LOWER_RUN.findall(own.lower()) if w not in ("the", "of", "and", "to", "in", "for")]
    return bool(words) and sum(w in note for w in words) * 2 >= len(words) and len(words) >= 2


def _dedupe(items: list[TargetItem]) -> list[TargetItem]:
    seen = set()
    out = []
    for t in items:
        key = (t.amount, t.amount_unit, t.baseline_value, t.span.start)
        if key in seen:
            continue
        seen.add(key)
        out.append(t)
    return out


# ---------------------------------------------------------------------- component


class TargetsComponent:
    """spaCy component: fills ``Doc._.target_items``; run it after ``minutes_figures``."""

    def __init__(self, nlp: Language, name: str, patterns: str, vocab: str) -> None:
        self.name = name
        self.rules = load_target_rules(patterns, vocab)
        if not Doc.has_extension("target_items"):
            Doc.set_extension("target_items", default=None, force=True)

    def __call__(self, doc: Doc) -> Doc:
        figures = doc._.figure_items if Doc.has_extension("figure_items") else None
        doc._.target_items = extract_targets(doc_text(doc), doc_sentences(doc), self.rules, figures)
        return doc


@Language.factory(
    "minutes_targets",
    default_config={"patterns": DEFAULT_PATTERNS, "vocab": "vocab/figures.json"},
    assigns=["doc._.target_items"],
)
def make_minutes_targets(nlp: Language, name: str, patterns: str, vocab: str) -> TargetsComponent:
    """Targets with direction, amount, baseline and period; paths are relative to ``models/``."""
    return TargetsComponent(nlp, name, patterns, vocab)


__all__ = ["TargetRules", "extract_targets", "load_target_rules", "make_minutes_targets", "parse_date"]
