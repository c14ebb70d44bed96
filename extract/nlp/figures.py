"""Figures: every statistic a document states, with what it measures.

Researchers ask "what was the board told about burglary?", so each number
written with digits that measures something becomes a :class:`FigureItem`
with its unit, the noun phrase it measures (``metric``), the direction of a
stated change and the period it covers.

How it works, and why this way:

* Numbers are found with one structural regex over the raw text (offsets must
  stay exact), then every number inside a *mask* is dropped: dates, times,
  years and year ranges, phone numbers, postcodes, file sizes, paragraph and
  list labels, section/act references, age bands, footnote markers. The
  masks, label words and period phrases are data in
  ``models/patterns/figures.jsonl`` and ``models/vocab/figures.json``.
* A blank spaCy pipeline has no tagger or parser, so the metric comes from a
  small hand-written chunker over word lists (``NP_STOP``, ``NP_INNER_PREP``
  ...): the noun phrase after the number ("9198 *ASB reports made to the
  police*"), "N% of X", "N% reduction in X", or the subject before a copula
  ("*the proven adult reoffending rate* is 19.6%"). A figure whose own phrase
  is empty or generic ("a reduction of 61%", "from 79 to 74") borrows the
  phrase of the figure before it in the same sentence.
* Tab-separated table rows are left to :mod:`extract.nlp.tables` (one figure
  per cell, metric = row label), so a table is never read twice.
* Speed without changing a result: the ~50 masks and the period patterns are
  searched together (:class:`~extract.rx.literals.MultiFinditer`: each runs
  only where a combined scan shows it matches, with its own ``finditer``'s
  matches; masks that start at words are looked for only near digits, which
  every one of them holds), word lists in patterns become prefix trees
  (:func:`trie_alternation`, same matches), nothing is searched past the
  last number (masks), periods are searched only around the sentences with
  figures (:meth:`~extract.rx.literals.MultiFinditer.found_near`), and the
  combined scans are compiled when the pipeline loads
  (:meth:`FigureRules.prepare`), so forked workers share them. A figure
  sentence is tokenized in place, once; its change words are found once
  for all its figures (a figure with none in reach skips the direction
  loop), and how generic a phrase is is remembered per phrase. A number's
  unit suffixes (and a plain number's duration, next word and rate) are
  only tried when the character after it can start them, and the mask
  tests walk the masks once, as the numbers come in order.

Rules for the genre (UK and US council papers), with their cue words in
``models/vocab/figures.json``:

* not figures: lettered item labels ("5.a"), an agenda's chained page ranges
  ("3 - 10", "11 - 14"), labels with a colon ("Agenda item: 7"), service
  numbers ("the 101 non-emergency line", "dial 999"), class labels ("category
  1"), thresholds that define a measure ("within 15 minutes"); a number that
  finishes a hard-wrapped line's phrase ("average of\n86.9.") is no list label;
* measured times (a level "was 61.8 years", a change "fell from 19 working
  days to 11", a coordinated "... and 62.9 years") have unit ``other`` and
  their unit in the metric, as do dollar sums ("(US dollars)");
* vote tallies ("For (14)", "Motion carried 5-2") give one count per side,
  named with what was voted on;
* metrics are noun phrases of what is counted: numbers that are not figures
  stay in names ("Part I crimes", "category 1 defects", "the 101 service"),
  relative clauses and predicates that restrict the count are kept ("312
  volunteers who supported ...", "cameras currently deployed", "calls
  answered within 3 minutes by X"), money takes its head ("an overspend of
  £N", "a contract ... in the amount of $N", "S saved £N in X", "X cost the
  Council £N"), shares name the whole ("X accounted for 17% of Y", "or 0.6%
  of the budget"), elided and coordinated figures borrow what they share
  ("286 women and 341 children", "84% ... during the day, 57% after dark");
* directions: both numbers of "from A to B" move together, a level followed by
  its change (", a fall of 9%", ", up from 147") moves with it, a level reached
  after a change ("rose by 6.5% ... to $78.60") follows it, a change word that
  leads to a later number ("would fall to £7.7m") is that number's, and
  phrasal "made up", noun modifiers ("improvement notices") and "additional"
  state no change.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import islice
from pathlib import Path
from typing import TypeVar

from spacy.language import Language
from spacy.tokens import Doc

from ..records import FigureItem, Span
from ..rx.fold import CASE_FOLD_EXTRAS, fold_case
from ..rx.literals import MultiFinditer, could_match, guarded_source, required_folded_literals
from ..rx.scan import prefix_tree, word_search
from ..rx.words import alternation
from .sentences import doc_sentences, doc_text, read_jsonl, split_sentences
from .tables import table_blocks

MODELS_DIR = Path(__file__).resolve().parents[2] / "models"
_T = TypeVar("_T")
DEFAULT_PATTERNS = "patterns/figures.jsonl"
DEFAULT_VOCAB = "vocab/figures.json"

MAX_METRIC_WORDS = 16

# --------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class Mask:
    id: str
    regex: re.Pattern[str]
    plain_only: bool  # only masks numbers without a unit ("Section 17", not "target of 45%")
    unless_continued: bool = False  # not when the line before ends mid-phrase (a PDF's hard wrap)

    @cached_property
    def parts(self) -> tuple[str, ...]:
        """The named groups ("x", "y") that hold the masked part, when the pattern names it."""
        return tuple(g for g in ("x", "y") if g in self.regex.groupindex)


_NO_WORDS: frozenset[str] = frozenset()


class _WordLists(dict[str, frozenset[str]]):
    """The vocabulary's word lists, with an empty list for a name it lacks (:meth:`FigureRules.w`)."""

    def __missing__(self, name: str) -> frozenset[str]:
        return _NO_WORDS


@dataclass(frozen=True)
class FigureRules:
    """Compiled masks, period patterns and word lists (loaded once per process)."""

    words: dict[str, frozenset[str]]
    maps: dict[str, dict]
    masks: tuple[Mask, ...]
    periods: tuple[tuple[str, re.Pattern[str]], ...]

    @cached_property
    def w(self) -> Callable[[str], frozenset[str]]:
        """``w(name)``: the word list ``name`` of the vocabulary (empty when it has none).

        A dictionary's own look-up, made once per rules: the rules ask for their lists
        some 70,000 times on a bench of PDFs, and a method call per ask cost more than the look-up.
        """
        return _WordLists(self.words).__getitem__

    @cached_property
    def _unions(self) -> dict[tuple, frozenset[str]]:
        return {}

    def union(self, *names: str, plus: tuple[str, ...] = (), minus: tuple[str, ...] = ()) -> frozenset[str]:
        """``w(a) | w(b) | ... | plus - minus``, built once per rules (hot paths ask repeatedly)."""
        key = (names, plus, minus)
        got = self._unions.get(key)
        if got is None:
            got = self._unions[key] = frozenset().union(*(self.w(n) for n in names), plus) - frozenset(minus)
        return got

    @cached_property
    def mask_scan(self) -> MultiFinditer:
        """All mask regexes searched together (same matches as each one's ``finditer``)."""
        return MultiFinditer([m.regex for m in self.masks])

    @cached_property
    def period_scan(self) -> MultiFinditer:
        return MultiFinditer([rx for _id, rx in self.periods])

    @cached_property
    def chunk_words(self) -> tuple:
        """The word lists of the noun-phrase chunker (:func:`_chunk_words`), built once, not per sentence."""
        return _chunk_words(self)

    @cached_property
    def _memo(self) -> dict[tuple, object]:
        """Results of pure functions of a short text (masks, number starts), see :func:`_memoized`."""
        return {}

    def prepare(self) -> FigureRules:
        """Compile now what documents would otherwise compile on first use (the combined mask and
        period scans, the word-list regexes), so worker processes forked after loading share it.

        Changes no result: the same regexes, built earlier. A scan built lazily is paid by
        every worker again (about 0.15 s of CPU each), and until then masks are searched one
        regex at a time, four times slower.
        """
        self.mask_scan.build()
        self.period_scan.build()
        w = self.w
        _key_label_rx(w("KEY_LABEL"))
        _key_label_words(w("KEY_LABEL"))
        for kind, words, more in (
            ("vote_label", "VOTE_LABEL", None),
            ("amount_frame", "AMOUNT_FRAME", None),
            ("share_of", "SHARE_OF_VERB", "QUANT_PREFIX"),
            ("change_topic", "CHANGE_NOUN", None),
            ("appositive", "CHANGE_NOUN", "QUANT_PREFIX"),
            ("change_gap", "CHANGE_NOUN", None),
            ("earlier_level", "EARLIER_LEVEL", None),
        ):
            if more is None:
                _words_rx(kind, w(words))
            else:
                _words_rx(kind, w(words), w(more))
        return self


def _rows(path: Path) -> list[dict]:
    return read_jsonl([path], required=())  # one reader for every pattern file


def _resolve(path: str | None, default: str) -> Path:
    p = Path(path or default)
    return p if p.is_absolute() else MODELS_DIR / p


def _alternation(items: Iterable[str]) -> str:
    if isinstance(items, frozenset):
        return _alternation_cached(items)
    return alternation(items)


@lru_cache(maxsize=256)
def _alternation_cached(items: frozenset[str]) -> str:
    return alternation(items)


@lru_cache(maxsize=64)
def _words_rx(kind: str, words: frozenset[str], more: frozenset[str] = frozenset()) -> re.Pattern[str]:
    """The in-code regexes built around word lists, compiled once per list (case-insensitive)."""
    a = _alternation(words)
    if kind == "vote_label":
        return re.compile(r"(?:^|[\s,;(])(" + a + r")\s*[:(\-–]?\s*$", re.I)
    if kind == "amount_frame":
        return re.compile(r"\b(?:" + a + r")\s*$", re.I)
    if kind == "share_of":
        return re.compile(r"\b(?:" + a + r")\s+(?:(?:" + _alternation(more) + r")\s+)?$", re.I)
    if kind == "change_topic":
        return re.compile(rf"\b(?:(?:{a})\s+(?:in|of)|regarding|in\s+relation\s+to|with\s+regard\s+to|concerning)\s+((?:the\s+)?[A-Za-z][^,.;:()0-9]{{2,80}})", re.I)
    if kind == "appositive":
        return re.compile(
            r"^[^.;:()]{0,90}?(?:,|\s[–—-])\s*(?:(?:this|which|that)\s+(?:is|was|were|represents?|represented)\s+)?(?:(?:an?|the)\s+(?:\w+\s+)?)?"
            r"(?:(?:" + a + r")\s+of\s+|up\s+(?:by\s+|from\s+|on\s+)?|down\s+(?:by\s+|from\s+|on\s+)?)?(?:(?:" + _alternation(more) + r")\s+)?$",
            re.I,
        )
    if kind == "change_gap":
        return re.compile(r"\s*,\s*(?:(up|down)\s+(?:by\s+)?|(?:an?\s+)?(" + a + r")\s+of\s+)", re.I)
    if kind == "earlier_level":
        return re.compile(r"\b(?:" + a + r")\b")
    raise ValueError(kind)


_PLACEHOLDER = re.compile(r"\{([A-Z][A-Z_]+)\}")
# a placeholder that is a whole alternative of its group: "(?:{MONTH})", "(?:{A}|{B})", "(?P<x>{B})"
_WHOLE_LEFT = re.compile(r"(?:^|[^\\])(?:\((?:\?:|\?P<\w+>)?|\|)$")
_INLINE_CASE_FLAG = re.compile(r"\(\?[a-zA-Z]*-?[a-zA-Z]*i")
# characters that match an ASCII letter case-insensitively besides its two cases (checked by
# tests/test_nlp_figures_scan.py over every code point)
_CASE_FOLDS = CASE_FOLD_EXTRAS


def _trie_edge(unit: str, ignore_case: bool, branching: bool) -> str:
    if unit == " ":
        return r"\s+"
    if ignore_case and branching and unit.isalpha():
        # a case-sensitive class of every character the letter matches ignoring case: the
        # regex engine rejects a branch that starts with a class at C speed, not a folded letter
        return "(?-i:[" + "".join(sorted({unit.lower(), unit.upper(), *_CASE_FOLDS.get(unit, "")})) + "])"
    return re.escape(unit)


def trie_alternation(items: Iterable[str], ignore_case: bool) -> str | None:
    """The words of ``items`` as a prefix tree ("jan(?:uary|)|..."), or None when it cannot be one.

    Same matches as :func:`_alternation` (longest word first, spaces as ``\\s+``) in the same
    order of preference: words that match at one place are prefixes of each other (ASCII,
    single inner spaces, case folded when ``ignore_case``), and the tree tries the longer
    continuation before stopping. Faster because each position tries one branch per letter
    instead of every word.
    """
    words = sorted({w.lower() if ignore_case else w for w in items if w})
    if not words:
        return None
    for w in words:
        if not w.isascii() or w != w.strip(" ") or "  " in w or any(c.isspace() and c != " " for c in w):
            return None
    return prefix_tree(words, lambda unit, branching: _trie_edge(unit, ignore_case, branching))


def compile_pattern(
    pattern: str, vocab: dict, flags: str = "", where: str = "", guard: bool = False
) -> re.Pattern[str]:
    """Compile a JSONL regex, expanding ``{LIST}`` placeholders from the vocabulary file.

    A placeholder that is a whole alternative of a group becomes a prefix tree
    (:func:`trie_alternation`, same matches), others the plain alternation.
    With ``guard`` the result is :func:`extract.rx.literals.guarded`'s, compiling only the
    guarded form (each compile costs a parse of the whole expanded text).
    """
    ignore_case = "i" in flags
    mixed_case = _INLINE_CASE_FLAG.search(pattern) is not None

    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name.endswith("_CAP") and name not in vocab and name[:-4] in vocab:
            # "{STREET_WORD_CAP}": the list's words capitalised, for a case-sensitive pattern
            items: Iterable[str] = [w[:1].upper() + w[1:] for w in vocab[name[:-4]]]
        elif name not in vocab:
            raise ValueError(f"{where}: unknown placeholder {{{name}}}")
        else:
            value = vocab[name]
            items = list(value.keys() if isinstance(value, dict) else value)
        whole = _WHOLE_LEFT.search(pattern, 0, m.start()) is not None and pattern[m.end() : m.end() + 1] in ("|", ")")
        tree = trie_alternation(items, ignore_case) if whole and not mixed_case else None
        return tree or _alternation(items)

    f = 0
    if "i" in flags:
        f |= re.IGNORECASE
    if "m" in flags:
        f |= re.MULTILINE
    source = _PLACEHOLDER.sub(sub, pattern)
    if guard:
        guarded = guarded_source(source, f)
        if guarded is not None:
            try:
                return re.compile(guarded, f)
            except re.error:
                pass  # compiled plain below, which reports the error if it has one
    try:
        return re.compile(source, f)
    except re.error as exc:
        raise ValueError(f"{where}: bad regex: {exc}") from exc


@lru_cache(maxsize=8)
def load_vocab(path: str | None = None) -> dict:
    """The word lists in ``models/vocab/figures.json`` (shared with targets)."""
    p = _resolve(path, DEFAULT_VOCAB)
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{p}: invalid JSON vocabulary: {exc}") from exc


@lru_cache(maxsize=16)
def load_figure_rules(patterns: str | None = None, vocab: str | None = None) -> FigureRules:
    """Read and compile ``figures.jsonl`` and the vocabulary; errors name the file and rule id.

    One instance per pair of files however they are named (the default, relative to
    ``models/`` or absolute), so the pipeline component and the targets family share it.
    Cached by the names as given too: callers ask for it per document, and resolving
    the paths each time cost more than a dictionary look-up.
    """
    return _load_figure_rules(str(_resolve(patterns, DEFAULT_PATTERNS)), str(_resolve(vocab, DEFAULT_VOCAB)))


@lru_cache(maxsize=8)
def _load_figure_rules(patterns: str, vocab: str) -> FigureRules:
    voc = load_vocab(vocab)
    p = Path(patterns)
    masks: list[Mask] = []
    periods: list[tuple[str, re.Pattern[str]]] = []
    for row in _rows(p):
        where = f"{p}: rule {row.get('id')!r}"
        rx = compile_pattern(row["pattern"], voc, row.get("flags", ""), where, guard=True)
        if row["label"] in ("MASK", "LABEL"):
            masks.append(Mask(row["id"], rx, bool(row.get("plain_only")), bool(row.get("unless_continued"))))
        elif row["label"] == "PERIOD":
            periods.append((row["id"], rx))
        else:
            raise ValueError(f"{where}: unknown label {row['label']!r}")
    words = {k: frozenset(x.lower() for x in v) for k, v in voc.items() if isinstance(v, list)}
    maps = {k: v for k, v in voc.items() if isinstance(v, dict)}
    return FigureRules(words=words, maps=maps, masks=tuple(masks), periods=tuple(periods))


# ------------------------------------------------------------------------ numbers

_NUM = re.compile(
    r"(?<![0-9A-Za-z_^{#.,/\\)\]])(?:(?P<cur>[£$€])[ \t]?)?"
    r"(?P<num>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)(?![0-9])"
)
# where a match of _NUM can start: a currency sign or digit after none of its look-behind's characters
_NUM_START = re.compile(r"[£$€0-9](?<![0-9A-Za-z_^{#.,/\\)\]][£$€0-9])")


def _num_matches(text: str) -> list[re.Match[str]]:
    """``list(_NUM.finditer(text))``, tried only where a match can start (a scan that starts with a
    look-behind tries every position; this one skips to currency signs and digits)."""
    out: list[re.Match[str]] = []
    end = 0
    match = _NUM.match
    for c in _NUM_START.finditer(text):
        p = c.start()
        if p < end:
            continue  # inside the previous match, as finditer skips it
        m = match(text, p)
        if m is not None:
            out.append(m)
            end = m.end()
    return out


_MULT = re.compile(r"\s{0,2}(?:million|billion|thousand|bn|mn)\b|(?:k|K|m|M|bn)(?![A-Za-z0-9])")
_PCT = re.compile(r"\s?(?:%|per\s?cent\b|percent\b)")
_PP_AFTER_PCT = re.compile(r"[ \t]?(?:points?\b|pts?\b|p\.p\.?|pp\b)")
_PP = re.compile(r"(?:[ \t]|\n(?![ \t]*\n))?(?:percentage(?:[ \t-]|\n(?![ \t]*\n))?points?\b|p\.p\.?|pp\b)")
_ORD = re.compile(r"(?:st|nd|rd|th)\b")
# the characters each suffix pattern can start with besides whitespace ("\s", which _PP only
# allows as " ", "\t" or "\n"): a number followed by anything else has none of those suffixes
_MULT_FIRST = "mbtkKM"  # million, billion, thousand, bn, mn, k, K, m, M
_PCT_FIRST = "%p"
_PP_FIRST = " \t\np"
_ORD_FIRST = "snrt"
_SIGN = "-−–+"
_DIGIT_END = re.compile(r"[0-9]%?$")
_ANY_DIGIT = re.compile(r"[0-9]")


@dataclass
class Number:
    """One number in the text with its unit as written."""

    start: int  # offsets of ``raw`` in the text
    end: int
    value: float
    raw: str
    unit: str | None = None  # vocab.UNITS once classified
    plain: bool = True  # no currency, multiplier, percent or ordinal
    ordinal: bool = False
    integer_text: bool = False  # digits only, no comma or decimal point
    unit_word: str | None = None  # what an 'other' unit is ("years", "working days", "US dollars")


def _parse_number(text: str, m: re.Match[str], rules: FigureRules) -> Number | None:
    num = m.group("num")
    cur = m.group("cur")
    value = float(num.replace(",", ""))
    start, end = m.start(), m.end()
    unit: str | None = None
    plain = cur is None
    ordinal = False
    # _MULT, _PCT, _PP_AFTER_PCT and _ORD read at most a dozen characters, so matching them in
    # place is matching them in the 40 characters after the number; _PP's look-ahead is unbounded
    # and keeps reading only those 40. Each is tried only when the next character can start it
    # (:data:`_MULT_FIRST` ...: most numbers end before a mark or a word that starts none)
    c = text[end : end + 1]
    space = c.isspace()  # what "\s" matches (checked for every code point by the tests)
    mm = _MULT.match(text, end) if space or (c and c in _MULT_FIRST) else None
    if mm and (cur or not mm.group()[:1].isspace() or mm.group().strip() in ("million", "billion", "thousand")):
        word = mm.group().strip()
        value = round(value * rules.maps["MULTIPLIER"].get(word, rules.maps["MULTIPLIER"].get(word.lower(), 1)), 6)
        end = mm.end()
        plain = False
        c = text[end : end + 1]
        space = c.isspace()
    pm = _PCT.match(text, end) if space or (c and c in _PCT_FIRST) else None
    if pm:
        end = pm.end()
        unit = "percent"
        plain = False
        pp = _PP_AFTER_PCT.match(text, end)
        if pp:
            end = pp.end()
            unit = "percentage_points"
    else:
        pp = _PP.match(text[end : end + 40]) if c and c in _PP_FIRST else None
        if pp:
            end += pp.end()
            unit = "percentage_points"
            plain = False
        elif cur is None:
            om = _ORD.match(text, end) if c and c in _ORD_FIRST else None
            if om:
                end = om.end()
                ordinal = True
                plain = False
    unit_word = None
    if cur:
        unit = rules.maps["CURRENCY"].get(cur, "other")
        if unit == "other":
            unit_word = rules.maps.get("CURRENCY_NAME", {}).get(cur)
    # glued letters after the number make it a code ("4BQ", "5G", "20mph"); a hyphen makes
    # it part of a compound adjective ("3-year", "24-hour")
    nxt = text[end : end + 2]
    if nxt[:1].isalpha() or (nxt[:1] in "-–" and nxt[1:2].isalpha()):
        return None
    # sign: "-25.6%" in a change column, never the hyphen of a range "70-200"
    if start > 0 and text[start - 1] in _SIGN:
        before = text[max(0, start - 12) : start - 1]
        # "1.2 -14.5", "(-£124.5m)" are signs; "70-200" is a range
        if (not before or before[-1] in " \t\n(|:") and (text[start - 1] == "+" or not _DIGIT_END.search(before)):
            start -= 1
            if text[start] != "+":
                value = -value
    return Number(
        start=start,
        end=end,
        value=value,
        raw=text[start:end],
        unit=unit,
        plain=plain and unit is None,
        ordinal=ordinal,
        integer_text=num.isdigit(),  # the group holds ASCII digits, "," and "." only
        unit_word=unit_word,
    )


class _Intervals:
    """Sorted, merged character intervals with a fast overlap test."""

    def __init__(self, spans: Iterable[tuple[int, int]]):
        merged: list[list[int]] = []
        for a, b in sorted(spans):
            if merged and a <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        self.starts = [a for a, _ in merged]
        self.ends = [b for _, b in merged]

    def hits(self, a: int, b: int) -> bool:
        i = bisect.bisect_right(self.starts, b - 1) - 1
        return i >= 0 and self.ends[i] > a

    def walker(self) -> Callable[[int, int], bool]:
        """:meth:`hits` for spans asked about in order (each starting after the one before):
        the intervals are walked once instead of bisected per span.

        The intervals are apart and sorted, so the first one ending after ``a`` is the only
        one that can hold ``[a, b)`` if any does; it only moves forward as ``a`` grows."""
        starts, ends = self.starts, self.ends
        n = len(ends)
        i = 0

        def hits(a: int, b: int) -> bool:
            nonlocal i
            while i < n and ends[i] <= a:
                i += 1
            return i < n and starts[i] < b

        return hits


_MEMO_TEXT = 2_000  # texts this short are remembered (sentences and cells recur: boilerplate, tables)
_MEMO_SIZE = 4_096  # entries kept before the memo starts afresh


def _memoized(rules: FigureRules, key: tuple, text: str, compute: Callable[[], _T]) -> _T:
    """``compute()``, remembered for a short ``text`` under ``key`` (which holds the text).

    Only for results that are a pure function of the key and the rules, and that
    callers only read: the same sentence or table cell is often searched again
    (by targets' anchors, by a second document with the same boilerplate).
    """
    if len(text) > _MEMO_TEXT:
        return compute()
    memo = rules._memo
    got = memo.get(key, _MISSING)
    if got is _MISSING:
        got = compute()  # may remember an inner result first (number starts -> masks)
        if len(memo) >= _MEMO_SIZE:
            memo.clear()
        memo[key] = got
    return got  # type: ignore[return-value]


_MISSING = object()


def _mask_spans(text: str, rules: FigureRules, until: int | None = None) -> tuple[_Intervals, _Intervals]:
    """(masks for every number, masks for plain numbers only); ``until``: those starting before it.

    Read-only results, remembered for short texts (:func:`_memoized`)."""
    return _memoized(rules, ("masks", text, until), text, lambda: _mask_spans_now(text, rules, until))


def _mask_spans_now(text: str, rules: FigureRules, until: int | None) -> tuple[_Intervals, _Intervals]:
    hard: list[tuple[int, int]] = []
    soft: list[tuple[int, int]] = []
    cont = rules.w("CONTINUATION_WORD")
    masks = rules.masks
    for k, found in rules.mask_scan.found(text, until):
        mask = masks[k]
        out = soft if mask.plain_only else hard
        names = mask.parts
        if not names and not mask.unless_continued:
            out.extend([m.span() for m in found])  # the whole match is masked
            continue
        for m in found:
            if mask.unless_continued and _continues_line(text, m.start(), cont):
                continue
            spans = [m.span(g) for g in names if m.group(g) is not None] if names else None
            if spans:
                out.extend(spans)
            else:
                out.append(m.span())
    return _Intervals(hard), _Intervals(soft)


_LAST_WORD = re.compile(r"([A-Za-z]+|[£$€])[ \t]*\n[ \t]*$")


def _continues_line(text: str, pos: int, words: frozenset[str]) -> bool:
    """The line before ``pos`` ends with a word that needs more ("... the average of\n86.9."):
    the number at the start of this line finishes that phrase and is no list label."""
    a = text.rfind("\n", 0, pos)
    if a < 0 or _DIGIT_AHEAD.match(text, pos, pos + 8) is None:
        return False
    lo = max(0, a - 30)
    last = text[lo:a].rstrip(" \t")[-1:]
    if not last or not (last in "£$€" or ("a" <= last <= "z") or ("A" <= last <= "Z")):
        return False  # _LAST_WORD's word or sign is the line's last character before spaces
    m = _LAST_WORD.search(text[lo:pos])
    return bool(m) and m.group(1).lower() in words


_DIGIT_AHEAD = re.compile(r"[ \t]*[0-9]")


_WORD_AFTER = re.compile(r"[ \t]*[-–]?[ \t]*([A-Za-z][A-Za-z'’-]*)")
_WORDS_AFTER = re.compile(r"(?:[ \t\n]+(?:[A-Za-z][A-Za-z'’-]*))")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z'’.-]*)[ \t\n]*$")


def _next_words(text: str, pos: int, n: int = 3) -> list[str]:
    """The ``n`` words right after ``pos`` (each after spaces), lower case.

    Each is matched where the one before ended (``finditer``'s matches from ``pos``, as long as
    they follow on, without its search ahead for a first match that is then dropped)."""
    out = []
    match = _WORDS_AFTER.match
    m = match(text, pos)
    while m is not None:
        out.append(m.group().strip().lower())
        if len(out) >= n:
            break
        m = match(text, m.end())
    return out


def _prev_word(text: str, pos: int) -> str:
    m = _WORD_BEFORE.search(text[max(0, pos - 40) : pos])
    return m.group(1).lower().rstrip(".") if m else ""


_WORD_OR_MARK = re.compile(r"[A-Za-z][A-Za-z'’-]*|[^\sA-Za-z]")


def _prev_words(text: str, pos: int, n: int = 3) -> list[str]:
    chunk = text[max(0, pos - 80) : pos]
    words = _WORD_OR_MARK.findall(chunk)
    return [w.lower() for w in words[-n:]]


_RATE_AFTER = re.compile(
    r"^(?:\s+[A-Za-z][A-Za-z'’&-]*){0,8}?\s+per\s+(?:[0-9][0-9,]*(?:\.[0-9]+)?[ \t]?[kK]?|a\s+thousand|thousand|hundred|head|capita)\b"
)


def _is_year(text: str, n: Number, rules: FigureRules) -> bool:
    if not (n.plain and n.integer_text and len(n.raw.lstrip(_SIGN)) == 4 and 1900 <= abs(n.value) <= 2100):
        return False
    after = _next_words(text, n.end, 1)
    prev = _prev_word(text, n.start)
    if after and prev not in rules.w("YEAR_BEFORE"):
        w = after[0]
        if w in rules.w("COUNT_NOUN_SINGULAR"):
            return False
        if (
            w.endswith("s")
            and len(w) > 3
            and not w.endswith(("ss", "us", "is"))
            and w not in rules.w("NP_STOP")
            and w not in rules.w("NP_INNER_PREP")
            and w not in rules.w("TIME_UNIT")
            and w not in rules.w("MONTH")
            and text[n.end : n.end + 2].strip()[:1].islower()
        ):
            return False
    return True


_DURATION_WORD = re.compile(
    r"\s+((?:calendar|working|financial|full|school|academic|consecutive|clear|business)\s+)?([A-Za-z]+)(?![A-Za-z])"
)


_RANGE_AFTER = re.compile(r"\s*(?:-|–|to)\s*[0-9]{1,3}(?:\.[0-9]+)?(?![0-9/]|\.[0-9])")


def _duration(text: str, n: Number, rules: FigureRules, prev_measured: Number | None = None) -> str | None:
    """'exclude', a unit ('hours', 'other'), or None when the number is not a duration.

    A duration that frames a statement ("in the last 12 months", "within 2 working days")
    is no figure; one that is measured ("took 23 days", "life expectancy was 61.8 years",
    "had fallen from 19 working days") is, with unit 'other' (or 'hours').
    ``prev_measured`` is the measured duration just before, for "61.8 years for men and
    62.9 years for women".
    """
    m = _DURATION_WORD.match(text[n.end : n.end + 40])
    if not m:
        return None
    unit_word = m.group(2).lower()
    time_kind = (
        "time" if unit_word in rules.w("TIME_UNIT")
        else "hours" if unit_word in rules.w("HOUR_UNIT")
        else "minutes" if unit_word in rules.w("MINUTE_UNIT")
        else None
    )
    if time_kind is None:
        return None
    prev = _prev_words(text, n.start, 4)
    framed = bool(prev) and prev[-1] in rules.w("DURATION_FRAME_BEFORE")
    after = " ".join(_next_words(text, n.end + m.end(), 2))
    framed_after = any(after.startswith(w) for w in rules.w("DURATION_FRAME_AFTER"))
    if framed_after and _RANGE_AFTER.match(text[n.end + m.end() : n.end + m.end() + 14]):
        framed_after = False  # "from 19 working days to 11": a range of measured values
    # a measured duration: "took 23 days", "an average of 14 days" (not "waiting over 12 months")
    measure = bool(prev) and (
        prev[-1] in rules.w("DURATION_MEASURE_BEFORE") or (prev[-1] == "of" and len(prev) > 1 and prev[-2] in rules.w("DURATION_MEASURE_BEFORE"))
    )
    if not measure and prev and not framed_after:
        changed = rules.union("INCREASE", "DECREASE", "DURATION_CHANGE_VERB", minus=("up", "down", "more", "less", "higher", "lower", "fewer"))
        if prev[-1] in rules.w("DURATION_LEVEL_BEFORE") and not n.integer_text:
            measure = True  # "life expectancy was 61.8 years": a level, not a frame
        elif prev[-1] in ("to", "from", "by") and any(w in changed for w in prev[:-1]):
            measure = True  # "had fallen from 19 working days", "widened to 8.4 years"
        elif prev[-1] in ("and", "or", ",") and prev_measured is not None and n.start - prev_measured.end < 60:
            measure = True  # "61.8 years for men and 62.9 years for women"
    if measure:
        n.unit_word = clean_ws(m.group(0)).lower()
    if time_kind == "time":
        return "other" if measure and not framed_after else "exclude"
    if time_kind == "hours":
        return "exclude" if (framed and not measure) or framed_after else "hours"
    return "exclude" if (framed and not measure) or framed_after else "other"


def _is_rank(text: str, n: Number, rules: FigureRules) -> bool:
    after = " ".join(_next_words(text, n.end, 3))
    first = after.split(" ")[:2]
    if first and (first[0] in rules.w("RANK_ADJ") or (first[0] in ("most", "least") and len(first) > 1)):
        return True
    if any(after.startswith(p) for p in rules.w("RANK_AFTER")):
        return True
    return _prev_word(text, n.start) in rules.w("RANK_BEFORE")


def find_numbers(
    text: str,
    rules: FigureRules,
    skip: Sequence[tuple[int, int]] = (),
) -> list[Number]:
    """Every number in ``text`` that is a quantity, with its unit; masks and ``skip`` spans dropped."""
    out = _numbers(text, rules, skip)
    _propagate_range_units(text, out)
    return out


def number_starts(text: str, rules: FigureRules, through: int) -> frozenset[int]:
    """Where :func:`find_numbers` has a number starting, among those starting by ``through``.

    The text after the last of them is not searched: a number is decided by what comes
    before it and the masks over it. The set is remembered for a short text: callers only read it.
    """
    return _memoized(rules, ("starts", text, through), text, lambda: frozenset(n.start for n in _numbers(text, rules, (), through)))


def _numbers(text: str, rules: FigureRules, skip: Sequence[tuple[int, int]] = (), through: int | None = None) -> list[Number]:
    """:func:`find_numbers` before range units are shared; with ``through``, only the candidates
    that start by it (a number's sign or currency starts it)."""
    cands = _num_matches(text)
    if through is not None:
        cands = [m for m in cands if m.start() <= through]
    if not cands:
        return []
    # later masks cover no number (the candidates are in order and apart: the last ends last)
    hard, soft = _mask_spans(text, rules, cands[-1].end("num"))
    # the candidates are in order and apart: each mask test walks its intervals once
    hard_hits = hard.walker()
    skip_hits = _Intervals(skip).walker() if skip else None
    soft_hits = soft.walker()
    out: list[Number] = []
    last_duration: Number | None = None
    for m in cands:
        a, b = m.span("num")
        if hard_hits(a, b) or (skip_hits is not None and skip_hits(a, b)):
            continue  # masked whatever it parses to (parsing reads and changes nothing)
        n = _parse_number(text, m, rules)
        if n is None or (n.plain and soft_hits(a, b)):
            continue
        if n.plain and b - a == 2 and _short_financial_year(text, a, b):
            continue  # (a number of other lengths is never one of its two-digit years)
        if n.ordinal:
            if not _is_rank(text, n, rules):
                continue
            n.unit = "rank"
        elif n.plain:
            if _is_year(text, n, rules):
                continue
            if not text[n.end : n.end + 1].isspace():
                # _duration, the next word and _RATE_AFTER all start with whitespace ("\s"): none
                # of them is after this number, which is a count
                n.unit = "count"
                out.append(n)
                continue
            dur = _duration(text, n, rules, last_duration)
            if dur == "exclude":
                continue
            nxt = _next_words(text, n.end, 1)
            if dur:
                n.unit = dur
                if n.unit_word:
                    last_duration = n
                elif dur == "other":
                    uw = re.match(r"\s*([A-Za-z]+)", text[n.end : n.end + 40])
                    n.unit_word = uw.group(1).lower() if uw else None
            elif nxt and nxt[0] in rules.w("MEASURE_UNIT"):
                n.unit = "other"  # "30 miles", "10,323 tonnes", "1.5 degrees"
                n.unit_word = nxt[0]
            elif _RATE_AFTER.match(text[n.end : n.end + 160]):
                n.unit = "rate"
            else:
                n.unit = "count"
        out.append(n)
    return out


_SHORT_FY = re.compile(r"(?<![0-9.,£$])([0-9]{2})\s?[-/–]\s?([0-9]{2})(?![0-9%.,])")


def _short_financial_year(text: str, a: int, b: int) -> bool:
    """ "the fans in 25-26", "FY 23/24": two-digit consecutive years, not a range of counts."""
    lo = max(0, a - 6)
    for m in _SHORT_FY.finditer(text, lo, min(len(text), b + 6)):
        if m.start() <= a < m.end() and int(m.group(2)) == (int(m.group(1)) + 1) % 100:
            return True
    return False


_RANGE_GAP = re.compile(r"^[ \t]*(?:-|–|—|to|and)[ \t]*$")
_UNIT_RANGE_GAP = re.compile(r"^\s+(?:[A-Za-z]+\s+){1,2}(?:-|–|to)\s+$")


def _propagate_range_units(text: str, nums: list[Number]) -> None:
    """'10-15%', 'between £2 and £3m': the first number of a range takes the second's unit."""
    for a, b in zip(nums, nums[1:], strict=False):
        if a.unit == "count" and b.unit in ("percent", "percentage_points", "gbp", "other", "hours", "rate"):
            if _RANGE_GAP.match(text[a.end : b.start]):
                a.unit = b.unit
                if b.unit in ("gbp", "other") and b.value and "£" in b.raw or "$" in b.raw:
                    mult = re.search(r"(k|m|bn|million|billion|thousand)\s*$", b.raw, re.I)
                    if mult:
                        a.value *= b.value / float(re.sub(r"[^0-9.]", "", b.raw.split(mult.group())[0]) or 1)
        elif a.unit == "rate" and b.unit == "count" and _RANGE_GAP.match(text[a.end : b.start]):
            b.unit = "rate"
        elif a.unit in ("other", "hours") and a.unit_word and b.unit == "count" and b.plain and _UNIT_RANGE_GAP.match(text[a.end : b.start]):
            b.unit, b.unit_word = a.unit, a.unit_word  # "from 19 working days to 11"


_TOC_LINE = re.compile(r"^[ \t]*(?:[0-9]{1,3}[.)]?[ \t]+)?(?P<body>[^\n]*?[A-Za-z)][^\n]*?)[ \t.…]+(?P<num>[0-9]{1,4})[ \t]*$", re.M)
_YEARISH = re.compile(r"\b(?:19|20)[0-9]{2}(?:\s?[/–-]\s?[0-9]{2,4})?\b")


# "(?<![0-9.,£$€/])([0-9]{1,3})...", written to start with the digit so the engine skips to digits
_PAGE_RANGE = re.compile(r"([0-9](?<![0-9.,£$€/][0-9])[0-9]{0,2})[ \t]*[-–][ \t]*([0-9]{1,3})(?![0-9.,%/])")


_ITEM_AFTER_RANGE = re.compile(r"[ \t]+([0-9]{1,2})\.?[ \t]+(?=[A-Z])")


def page_range_chains(text: str) -> list[tuple[int, int]]:
    """Page ranges of an agenda's "Pages" column ("3 - 10", "11 - 14", "15 - 18"): runs of
    ranges where each starts on the page after the last one ended. Counts never chain so."""
    out: list[tuple[int, int]] = []
    run: list[re.Match[str]] = []

    def flush() -> None:
        if len(run) >= 2:
            for m in run:
                out.append(m.span())
                item = _ITEM_AFTER_RANGE.match(text, m.end())
                if item:
                    out.append(item.span(1))  # "... 5 - 8 4 Minutes": the next item's number

    for m in _PAGE_RANGE.finditer(text):
        a, b = int(m.group(1)), int(m.group(2))
        if a > b:
            flush()
            run = []
            continue
        if run and a == int(run[-1].group(2)) + 1 and m.start() - run[-1].end() < 400:
            run.append(m)
            continue
        flush()
        run = [m]
    flush()
    return out


# a number of 1-4 digits after a space or dot that ends a line: "[ \t.…][0-9]{1,4}[ \t]*$", written to
# start with the digit (the engine skips to digits instead of stopping at every space)
_ENDS_IN_NUMBER = re.compile(r"[0-9](?<=[ \t.…][0-9])[0-9]{0,3}[ \t]*$", re.M)


def _toc_lines(text: str) -> Iterable[re.Match[str]]:
    """:data:`_TOC_LINE` matches, tried only on lines that end in a number (the regex is slow)."""
    for e in _ENDS_IN_NUMBER.finditer(text):
        a = text.rfind("\n", 0, e.start() - 1) + 1  # the line holding the space or dot before the number
        m = _TOC_LINE.match(text, a, e.end())
        if m is not None:
            yield m


def contents_page_numbers(text: str) -> list[tuple[int, int]]:
    """Page numbers of a table of contents: 3+ consecutive lines ending in rising numbers."""
    out: list[tuple[int, int]] = []
    run: list[tuple[int, int, int]] = []  # (value, start, end)
    last_end = -1

    def flush() -> None:
        if len(run) >= 3 and all(a[0] < b[0] for a, b in zip(run, run[1:], strict=False)):
            out.extend((a, b) for _v, a, b in run)

    for m in _toc_lines(text):
        if _ANY_DIGIT.search(_YEARISH.sub("", m.group("body"))):
            continue  # a table row, not a contents line
        gap = text[last_end : m.start()] if last_end >= 0 else ""
        if run and gap.strip():
            flush()
            run = []
        run.append((int(m.group("num")), m.start("num"), m.end("num")))
        last_end = m.end()
    flush()
    return out


def clean_ws(text: str) -> str:
    """Whitespace runs as one space, none at the ends (``str.split`` splits on exactly what ``\\s`` matches)."""
    return " ".join(text.split())


# ------------------------------------------------------------------------ tokens


@dataclass(slots=True, init=False)
class Tok:
    text: str
    start: int
    end: int
    kind: str  # "w" word, "n" number, "p" punctuation
    low: str = field(compare=False, repr=False)  # ``text.lower()``, read many times per token

    def __init__(self, text: str, start: int, end: int, kind: str) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.kind = kind
        self.low = text.lower()


_TOK_NUMBER = r"(?P<n>[£$€]?[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?(?:%|k\b|m\b|bn\b|st\b|nd\b|rd\b|th\b)?)"
_TOK_WORD = r"(?P<w>[A-Za-z][A-Za-z0-9'’&\-–/]*[A-Za-z0-9]|[A-Za-z])"
_TOK_PUNCT = r"(?P<p>[^\sA-Za-z0-9¹²³⁴⁵⁶⁷⁸⁹⁰])"
# a number, a word or a mark. Every token starts with a non-space, so "(?=\S)" only fails sooner
# at spaces; a word starts with a letter, which starts no other kind, so trying it first (the
# commonest) changes no match (a number must stay before a mark: both may start with "£")
_TOK = re.compile(rf"(?=\S)(?:{_TOK_WORD}|{_TOK_NUMBER}|{_TOK_PUNCT})")


def tokenize(text: str, offset: int = 0) -> list[Tok]:
    """The tokens of ``text``, their offsets shifted by ``offset`` (built by ``Tok`` itself, as in :func:`_tokens_in`)."""
    return [Tok(m.group(), m.start() + offset, m.end() + offset, m.lastgroup or "p") for m in _TOK.finditer(text)]


def _tokens_in(text: str, a: int, b: int) -> list[Tok]:
    """``tokenize(text[a:b], a)`` without the copy: ``_TOK`` has no look-behind and reads the end
    (``\\b``) as a match bounded by ``b`` does, so the scan between ``a`` and ``b`` is the same."""
    return _sentence_tokens(text, a, b)[0]


def _sentence_tokens(text: str, a: int, b: int) -> tuple[list[Tok], list[int], list[int]]:
    """(:func:`_tokens_in`, their starts, the indexes of the number tokens), in one pass.

    A figure sentence's tokens are the chunker's whole input (some 70,000 of them on a
    bench of PDFs), so they are made without ``Tok.__init__``'s call: the same fields,
    set directly. Every match of ``_TOK`` is in one of its named groups, so
    ``lastgroup`` is the kind. The starts (for bisection) and the number tokens (all
    that :func:`_names_numbers` looks at) are noted on the way.
    """
    toks: list[Tok] = []
    starts: list[int] = []
    numbers: list[int] = []
    new = object.__new__
    for m in _TOK.finditer(text, a, b):
        tok = new(Tok)
        tok.text = word = m.group()
        tok.low = word.lower()
        tok.start, tok.end = m.span()
        tok.kind = kind = m.lastgroup
        if kind == "n":
            numbers.append(len(toks))
        starts.append(tok.start)
        toks.append(tok)
    return toks, starts, numbers


# ------------------------------------------------------------------------ metric


@dataclass
class _Fig:
    num: Number
    sent: tuple[int, int]
    metric: str | None = None
    weak: str | None = None  # None (strong), "empty", "pronoun", "change", "generic", "count_noun"
    change: str | None = None  # the change noun of a weak "reduction of N%"
    direction: str | None = None
    period: str | None = None
    np_end: int = -1  # character offset where the figure's own phrase ends
    clause_before: str = ""  # for "X, so that's 56%": the clause the pronoun points back to
    subject: str = ""  # the subject noun phrase a coordinated figure shares ("... for men and ... for women")
    np_suffix: str = ""  # what follows the counted noun ("supported by the Trust"), for "286 women and 341 children"
    share_np: str = ""  # the X of "N% of X", for a later share that leaves it out
    ellipsis_pred: bool = False  # the elliptical share has its own predicate ("74% were attended ...")


_AUX = frozenset({"are", "were", "is", "was", "had", "have", "has", "been", "being", "be", "will", "would", "could", "should", "can", "may", "might", "already", "now", "also", "still", "just"})
_LY_NOUNS = frozenset({"family", "early", "weekly", "monthly", "quarterly", "daily", "yearly", "elderly", "friendly", "assembly", "supply", "rally", "italy", "july", "bully", "ally", "anomaly", "only"})


_ROMAN = re.compile(r"I{1,3}|IV|VI{0,3}|IX|XI{0,3}")


def _chunk_words(rules: FigureRules) -> tuple:
    """The word lists :class:`_Chunker` reads, in its attributes' order (built once per rules)."""
    participle: dict[str, str] = rules.maps.get("PARTICIPLE", {})
    return (
        rules.w("NP_STOP"),
        rules.w("NP_INNER_PREP"),
        rules.w("DETERMINER"),
        rules.union("TEMPORAL_NP_START", "MONTH"),
        rules.w("TIME_UNIT"),
        rules.union("TIME_UNIT", "HOUR_UNIT", "MINUTE_UNIT"),
        rules.w("NP_AFTER_VERB_OK"),
        participle,
        frozenset(participle.values()),
        rules.w("INFINITIVE_VERB"),
        rules.w("ADVERB"),
        rules.w("PRONOUN"),
        rules.w("RELATIVE"),
        rules.w("CONNECTIVE_HEAD"),
        rules.w("QUANT_PREFIX"),
        rules.union("COPULA_ZONE", "CHANGE_NOUN", "QUANT_PREFIX"),
        rules.maps.get("CHANGE_VERB_BASE", {}),
    )


_YEAR_OR_SMALL = re.compile(r"(?:19|20)[0-9]{2}(?:/[0-9]{2,4})?|[0-9]{1,2}")  # _Chunker._is_temporal_after


class _Chunker:
    """Noun-phrase rules over one sentence's tokens (no tagger needed)."""

    def __init__(self, toks: list[Tok], rules: FigureRules, starts: list[int] | None = None):
        self.t = toks
        self.r = rules
        self.starts = starts if starts is not None else [x.start for x in toks]  # in order, one per token
        (
            self.stop, self.prep, self.det, self.temporal, self.units, self.time_words,
            self.verb_ok, self.participle, self.participle_values, self.infinitive, self.adverb,
            self.pronoun, self.relative, self.connective_head, self.quant_prefix, self.zone_words,
            self.change_verbs,
        ) = rules.chunk_words

    def index(self, tok: Tok) -> int:
        """``self.t.index(tok)`` for one of the sentence's tokens: tokens start at distinct places,
        so the one starting where ``tok`` does is the first equal to it (found by bisection)."""
        i = bisect.bisect_left(self.starts, tok.start)
        if i < len(self.t) and self.t[i] is tok:
            return i
        return self.t.index(tok)

    def is_adverb(self, tok: Tok) -> bool:
        low = tok.low
        return low in self.adverb or (low.endswith("ly") and low not in _LY_NOUNS and len(low) > 4)

    def is_verbish(self, tok: Tok) -> bool:
        low = tok.low
        return tok.kind == "w" and (low in self.verb_ok or low.endswith("ed") or low in self.participle or low in self.participle_values)

    def threshold(self, k: int) -> int | None:
        """ "within 24 hours", "within 2 working days": a service standard that defines the
        measure ("calls answered within 3 minutes"); returns the index after it."""
        t = self.t
        if k + 2 >= len(t) or t[k].low != "within" or t[k + 1].kind != "n":
            return None
        j = k + 2
        if t[j].low in ("working", "calendar", "business", "clear", "school"):
            j += 1
        if j < len(t) and t[j].low in self.time_words:
            return j + 1
        return None

    def _is_temporal_after(self, k: int) -> bool:
        """Token k starts a time phrase ("the last 12 months", "2016/17", "Quarter 1")."""
        t = self.t
        while k < len(t) and t[k].low in ("the", "a", "an", "this", "that"):
            k += 1
        if k >= len(t):
            return True
        if t[k].kind == "n":
            return bool(_YEAR_OR_SMALL.fullmatch(t[k].text))
        return t[k].low in self.temporal

    def forward(self, j: int, *, max_words: int = MAX_METRIC_WORDS) -> tuple[str, int]:
        """Noun phrase starting at token j; returns (text, index after it)."""
        t = self.t
        words: list[Tok] = []
        k = j
        while k < len(t) and len(words) < max_words:
            tok = t[k]
            low = tok.low
            if tok.kind == "p" and tok.text == "&" and words and k + 1 < len(t) and t[k + 1].kind == "w":
                words.append(tok)
                k += 1
                continue
            if tok.kind == "p":
                if tok.text == "(" and words:
                    close = self._close(k)
                    if close is not None and close - k <= 8 and not any(x.kind == "n" for x in t[k:close]):
                        words.extend(t[k : close + 1])
                        k = close + 1
                        continue
                if tok.text in "'’" and words:
                    words.append(tok)
                    k += 1
                    continue
                break
            if tok.kind == "n":
                if words and words[-1].low == "per":
                    words.append(tok)
                    k += 1
                    continue
                break
            if not words and (low in self.verb_ok or self.is_verbish(tok)) and low not in _AUX:
                # "717 reported Racist and Religious Hate Crimes": a participle used as an adjective
                words.append(tok)
                k += 1
                continue
            if not words and self.is_adverb(tok):
                break
            if words and tok.text[:1] in "IVX" and _ROMAN.fullmatch(tok.text) and words[-1].text[:1].isupper():
                words.append(tok)  # "Part I crimes"
                k += 1
                continue
            if low in self.det and words and words[-1].low in self.prep:
                words.append(tok)
                k += 1
                continue
            if low in self.stop and low.endswith("ed") and (not words or words[-1].low in self.det) and k + 1 < len(t) and t[k + 1].kind == "w" and t[k + 1].low not in self.stop and t[k + 1].low not in self.prep and t[k + 1].low not in self.det:
                words.append(tok)  # "all reported crime": a participle used as an adjective
                k += 1
                continue
            if low in self.stop:
                break
            if words and low.endswith("ed") and k + 1 < len(t) and t[k + 1].low in ("its", "their", "his", "her", "our", "the", "a", "an", "this", "these"):
                break  # "64 people reduced its offending": an active verb, not a participle
            if low in ("each", "every", "a", "per") and k + 1 < len(t) and t[k + 1].low in self.units and words:
                # frequency belongs to the measure: "ASB cases per month", "26 young people each quarter"
                words.extend(t[k : k + 2])
                k += 2
                break
            if low in self.prep:
                if not words:
                    break
                th = self.threshold(k)
                if th is not None:
                    words.extend(t[k:th])
                    k = th
                    continue
                if self._is_temporal_after(k + 1):
                    break
                if low == "to" and k + 1 < len(t) and t[k + 1].low in self.infinitive:
                    break
                words.append(tok)
                k += 1
                continue
            if low in self.det:
                if words and words[-1].low not in self.prep:
                    break
                words.append(tok)
                k += 1
                continue
            if low in ("and", "&", "or"):
                nxt = t[k + 1] if k + 1 < len(t) else None
                if (
                    not words
                    or nxt is None
                    or nxt.kind != "w"
                    or nxt.low in self.stop
                    or nxt.low in self.det
                    or nxt.low in self.quant_prefix
                    or nxt.low in self.prep
                    # "inspected 389 properties and served 57 notices": a second verb, not a noun
                    or (self.is_verbish(nxt) and not self.is_verbish(words[-1]))
                ):
                    break
                words.append(tok)
                k += 1
                continue
            words.append(tok)
            k += 1
        while words and (words[-1].low in self.prep or words[-1].low in self.det or words[-1].low in ("and", "&", "or") or words[-1].text in ",'’"):
            words.pop()
        end = k
        return self.join(words), end

    def backward(self, i: int) -> tuple[str, list[Tok], int]:
        """Subject noun phrase before token i, skipping the verb zone ("... rate is", "rose from").

        Returns (phrase, zone tokens, token index where the phrase starts, or -1).
        """
        t = self.t
        zone_words = self.zone_words
        verbs = self.change_verbs
        k = i - 1
        zone: list[Tok] = []
        while k >= 0 and t[k].kind == "w" and (t[k].low in zone_words or t[k].low in verbs):
            zone.append(t[k])
            k -= 1
            if zone[-1].low in verbs:
                break
        # "X, which were up 125%": the antecedent before the relative pronoun
        if zone and zone[-1].low in self.relative and k >= 0 and t[k].text == ",":
            k -= 1
        words: list[Tok] = []
        coordinated = False
        # "repaired within 28 days this quarter was 3,058": a time phrase next to the verb is not the subject
        if k >= 1 and t[k].low in self.units and t[k - 1].low in ("this", "last", "that", "next", "each", "every", "the"):
            k -= 2
            if k >= 0 and t[k].low in ("in", "during", "over", "for"):
                k -= 1
        while k >= 0 and len(words) < MAX_METRIC_WORDS:
            tok = t[k]
            low = tok.low
            if tok.kind == "n" and words and words[-1].low in self.units and k > 0 and t[k - 1].low in ("within", "over", "under", "after", "for", "in"):
                words.append(tok)  # "repaired within 28 days"
                k -= 1
                continue
            if tok.kind == "p" and tok.text == "&" and words and k > 0 and t[k - 1].kind == "w":
                words.append(tok)
                k -= 1
                continue
            if tok.kind == "p":
                if tok.text == ")":
                    open_ = self._open(k)
                    if open_ is not None and k - open_ <= 8:
                        words.extend(reversed(t[open_ : k + 1]))
                        k = open_ - 1
                        continue
                if tok.text in "'’" and words:
                    words.append(tok)
                    k -= 1
                    continue
                if tok.text == "," and coordinated and k > 0 and t[k - 1].kind == "w" and t[k - 1].low not in self.stop:
                    # "mixed, unclear and unspecified ideologies"
                    words.append(tok)
                    k -= 1
                    continue
                break
            if tok.kind == "n":
                if k > 0 and t[k - 1].low == "per":
                    words.append(tok)
                    k -= 1
                    continue
                break
            if low in verbs and words:
                zone.append(tok)  # "proven to reduce burglaries by 85%": the verb before the object
                break
            if tok.text[:1] in "IVX" and _ROMAN.fullmatch(tok.text) and k > 0 and t[k - 1].kind == "w" and t[k - 1].text[:1].isupper():
                words.append(tok)  # "Part I crimes", "Phase II": a numeral in a name
                k -= 1
                continue
            if low in self.pronoun and not words and not (low in self.det and k > 0 and t[k - 1].low in self.prep):
                words.append(tok)
                break
            if low in self.stop and words and self._inner_stop(k, words):
                words.append(tok)
                k -= 1
                continue
            if low in self.stop:
                break
            if low == "with" and words and words[-1].low in self.det and (k == 0 or t[k - 1].text in ",;(" or t[k - 1].low in self.stop):
                break  # "..., with the burglary occurring at a rate 8% higher"
            if low in ("and", "or", "&"):
                coordinated = True
            if low in self.det:
                words.append(tok)
                if k > 0 and t[k - 1].low in ("during", "after", "before"):
                    words.append(t[k - 1])  # "Feeling safe during the day"
                    k -= 2
                    continue
                if k > 0 and t[k - 1].low in self.prep:
                    k -= 1
                    continue
                k -= 1
                break
            words.append(tok)
            k -= 1
        words.reverse()
        while words and (words[0].low in self.prep or words[0].low in self.det or words[0].low in ("and", "&", "or") or words[0].text == ","):
            words.pop(0)
        while words and self.is_adverb(words[0]):
            words.pop(0)
        if len(words) > 1 and words[0].low in self.connective_head:
            x = self.index(words[0])
            if x > 0 and (t[x - 1].low in self.prep or (t[x - 1].low in ("a", "an") and x > 1 and t[x - 2].low in self.prep)):
                words.pop(0)  # "as a result VWI is ...", "in total 40 ..." (not "the general reserve")
        # "Over the last three years recorded crime fell by 9%": drop the opening time phrase
        for x in range(min(len(words) - 1, 6)):
            if words[x].low in self.units and x + 1 < len(words) and all(w.low in self.temporal or w.low in self.det or w.low in self.units or w.kind == "n" for w in words[: x + 1]):
                words = words[x + 1 :]
                while words and (words[0].low in self.prep or words[0].low in self.det):
                    words.pop(0)  # "... the financial year with a surplus" -> "surplus"
                break
        start = self.index(words[0]) if words else -1
        return self.join(words), list(reversed(zone)), start

    def _inner_stop(self, k: int, words: list[Tok]) -> bool:
        """A stop word that belongs inside a noun phrase read backwards: "budget for the three
        years of this strategy", "the gap between the most and least deprived wards",
        "incidents reported to the police", "with reported losses"."""
        t = self.t
        tok = t[k]
        low = tok.low
        prev = t[k - 1] if k > 0 else None
        if low in ("this", "these", "those", "being") and prev is not None and prev.low in self.prep:
            return True  # "budget for the three years of this strategy", "satisfaction with being kept informed"
        if low == "between" and not self._is_temporal_after(k + 1):
            return True
        if low.endswith("ed") and prev is not None and prev.kind == "w":
            nxt = words[-1].low
            if nxt in self.prep and prev.low not in self.stop and prev.low not in self.det and prev.low not in self.prep and not prev.text[:1].isupper():
                return True  # "incidents reported to the police": a reduced relative clause
            if prev.low in self.prep and nxt not in self.prep and nxt not in self.det:
                return True  # "with reported losses": an adjective
        return False

    def _close(self, k: int) -> int | None:
        depth = 0
        for x in range(k, min(len(self.t), k + 30)):
            if self.t[x].text == "(":
                depth += 1
            elif self.t[x].text == ")":
                depth -= 1
                if depth == 0:
                    return x
        return None

    def _open(self, k: int) -> int | None:
        depth = 0
        for x in range(k, max(-1, k - 30), -1):
            if self.t[x].text == ")":
                depth += 1
            elif self.t[x].text == "(":
                depth -= 1
                if depth == 0:
                    return x
        return None

    def join(self, words: Sequence[Tok]) -> str:
        out = ""
        prev: Tok | None = None
        for w in words:
            if w.text in "'’\"“”‘":
                continue
            if prev is not None and w.start > prev.end and prev.text != "(" and w.text not in ")'’,":
                out += " "
            out += w.text
            prev = w
        return out.strip()

    def clause_rest(self, j: int, max_words: int = MAX_METRIC_WORDS, *, stop_at_figure: bool = False) -> str:
        """Words from j to the end of the clause (numbers kept), for "saying that ..." or "lower than X".

        ``stop_at_figure`` (ranks): stop before another figure ("... with 5.9 offences"), a
        subordinate clause or a coordinated one, keeping "out of all 32 London boroughs".
        """
        t = self.t
        words: list[Tok] = []
        k = j
        while k < len(t) and len(words) < max_words:
            tok = t[k]
            if tok.kind == "p" and tok.text not in "'’-–/":
                break
            if stop_at_figure:
                if tok.low in ("and", "though", "although", "but", "while", "whilst", "whereas", "which", "who", "that", "despite"):
                    break
                kept_number = t[k - 1].low in ("of", "all", "the", "per", "among", "amongst") or (
                    t[k - 1].low == "with" and k > 1 and t[k - 2].low in ("comparison", "compared", "comparing")
                )
                if tok.kind == "n" and k > j and not kept_number:
                    break
            words.append(tok)
            k += 1
        while words and (words[-1].low in self.prep or words[-1].low in self.det or words[-1].low in ("and", "or")):
            words.pop()
        return self.join(words)

    def clause_before(self, k: int, max_words: int = 12) -> str:
        """The clause ending before token k ("the majority of engagement is with males" in "..., so that's 56%")."""
        t = self.t
        while k > 0 and (t[k - 1].text in ",;" or t[k - 1].low in ("so", "and", "but", "which")):
            k -= 1
        words: list[Tok] = []
        j = k - 1
        while j >= 0 and len(words) < max_words:
            tok = t[j]
            if tok.kind == "p" and tok.text not in "'’-–":
                break
            if tok.low in ("that", "which", "because", "while", "whilst", "so", "and") and words:
                break
            if tok.kind == "n":
                break
            words.append(tok)
            j -= 1
        words.reverse()
        return self.join(words)


def key_label(text: str, pos: int, rules: FigureRules, key_lines: dict[int, bool] | None = None) -> str | None:
    """The label of a value in a performance-report line ("Latest: 84%", "Target 92%"), else None.

    Only lines made of label/value pairs count, so "the target of 45%" in prose is not one.
    ``key_lines`` remembers that test by line start, for callers that ask about several
    values of one text (figures share lines).
    """
    a = text.rfind("\n", 0, pos) + 1
    labels = rules.w("KEY_LABEL")
    key = key_lines.get(a) if key_lines is not None else None
    if key is None:
        b = text.find("\n", pos)  # the line's end (no line break lies between a and pos)
        key = _is_key_line(text[a : b if b >= 0 else len(text)], labels)
        if key_lines is not None:
            key_lines[a] = key
    if not key:
        return None
    m = _key_label_rx(labels)[2].search(text[a:pos])
    return m.group(1) if m else None


@lru_cache(maxsize=16)
def _key_label_rx(labels: frozenset[str]) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(a label/value pair, a line that opens with "Label:", a label right before a value)."""
    alt = trie_alternation(labels, True) or f"(?:{_alternation(labels)})"
    return (
        re.compile(rf"{alt}\s*[:=]?\s*[-+£$€]?[0-9][0-9,.]*\s*(?:%|[kmb]n?\b)?", re.I),
        re.compile(rf"\W*{alt}\s*:", re.I),
        re.compile(rf"(?:^|[\s,;(|])({alt})\s*[:=]?\s*[-+£$€]?$", re.I),
    )


@lru_cache(maxsize=16)
def _key_label_words(labels: frozenset[str]) -> re.Pattern[str] | None:
    """The first words of the labels: every match of :func:`_key_label_rx`'s patterns holds one,
    as written in :func:`~extract.rx.fold.fold_case` text (a label's spaces match any whitespace).
    None when a label is not plain ASCII words (then fold_case may not stand for ignoring case)."""
    firsts = frozenset(label.split(" ")[0] for label in labels)
    if not firsts or not all(w and w.isascii() and w == w.lower() for w in firsts):
        return None
    return word_search(firsts)


@lru_cache(maxsize=4096)
def _is_key_line(line: str, labels: frozenset[str]) -> bool:
    """Two label/value pairs on the line, or it opens with "Label:" (figures share lines: cached)."""
    words = _key_label_words(labels)
    if words is not None and not words.search(fold_case(line)):
        return False  # no label on the line (a quick test before the slow case-insensitive search)
    pair, lead, _before = _key_label_rx(labels)
    return sum(1 for _m in islice(pair.finditer(line), 2)) >= 2 or lead.match(line) is not None


def kpi_title(text: str, pos: int, rules: FigureRules, max_lines: int = 4) -> str | None:
    """The indicator's name on the lines above a label/value line (rating words like RED dropped)."""
    a = text.rfind("\n", 0, pos)
    lines: list[str] = []
    rating = rules.w("RATING_WORD")
    lead = _key_label_rx(rules.w("KEY_LABEL"))[1]
    k = 0
    while a > 0 and k < max_lines:
        b = a
        a = text.rfind("\n", 0, b)
        line = text[a + 1 : b]
        k += 1
        cells = [c.strip() for c in re.split(r"\t+", line) if c.strip()]
        cells = [c for c in cells if c.lower() not in rating]
        if not cells:
            if lines or not line.strip():
                if not line.strip() and not lines:
                    continue
                break
            continue
        if lead.match(cells[0]) or re.search(r"[.!?]$", cells[-1]):
            break
        lines.insert(0, " ".join(cells))
        if len(" ".join(lines).split()) > 30:
            break
    title = clean_ws(" ".join(lines))
    if not title or len(title.split()) > 40:
        return None
    return title


_TALLY_BEFORE = re.compile(
    r"\b(?:carried|passed|approved|adopted|agreed|failed|defeated|lost|rejected|fell|vote\s+of|voted|votes?)\s+"
    r"(?:(?:by|on)\s+)?(?:(?:a|the)\s+)?(?:(?:recorded|roll[- ]call|unanimous)\s+)?(?:vote\s+(?:of\s+)?)?(?P<done>(?:[0-9]{1,3}\s*[-–]\s*){0,2})$",
    re.I,
)
_VOTE_ON = re.compile(r"\bvote\s+(?:was\s+|were\s+)?(?:then\s+|also\s+)?(?:taken|held|called|recorded)\s+on\s+(?:the\s+)?(?P<x>[^:.;()\n]{3,80}?)\s*[:.;\n]", re.I)
_MOTION_TO = re.compile(r"\b(?:motion|moved|proposal)\b[^.;]{0,160}?\bto\s+(?P<x>[a-z](?:[^.;()]|\b(?:No|Nos|Inc|Ltd|Co|St)\.){3,160}?)(?=\s+in\s+(?:the|an)\s+amount\b|\s+as\s+presented\b|(?<!\bNo)(?<!\bNos)(?<!\bInc)(?<!\bLtd)(?<!\bCo)(?<!\bSt)\.|[;(]|$)", re.I)


_TALLY_WORDS = required_folded_literals(_TALLY_BEFORE)  # one of them is in every match (None: no test)
_VOTE_GAP = ":(-–"  # the mark the vote-label pattern allows between a label and its number


def _may_end_in_label(window: str, labels: frozenset[str]) -> bool:
    """False when the "vote_label" pattern of ``labels`` (:func:`_words_rx`) cannot match ``window``.

    That pattern is a label at the end of the window, before spaces and one optional mark,
    after the window's start, a space, "," ";" or "(". So the window's last word (cut at
    those) must be a label's last word; only when it is, or when it is not ASCII (where
    ignoring case is more than ``lower``), is the pattern searched. Most numbers follow a
    word that is no label, and this test is cheaper than the search.
    """
    w = window.rstrip()
    if w and w[-1] in _VOTE_GAP:
        w = w[:-1].rstrip()
    last = w.rsplit(None, 1)[-1] if w else ""
    for mark in ",;(":
        last = last.rpartition(mark)[2]
    return not last.isascii() or last.lower() in _last_words(labels)


@lru_cache(maxsize=16)
def _last_words(labels: frozenset[str]) -> frozenset[str]:
    return frozenset(label.split(" ")[-1] for label in labels)


def _vote_subject(text: str, pos: int, rules: FigureRules) -> str | None:
    """What a vote was on: "a recorded vote was taken on the amendment:", else the motion just
    before ("Motion by X, seconded by Y, to approve the Consent Calendar as presented")."""
    window = text[max(0, pos - 500) : pos]
    best = None
    for rx in (_VOTE_ON, _MOTION_TO):
        for m in rx.finditer(window):
            if best is None or m.start() > best.start():
                best = m
    if best is None:
        return None
    words = clean_ws(best.group("x")).split(" ")
    while words and words[0].lower() in rules.w("DETERMINER"):
        words.pop(0)
    return " ".join(words[:16]) or None


def _strip_leading(phrase: str, words: frozenset[str]) -> str:
    parts = phrase.split(" ")
    while parts and parts[0].lower() in words:
        parts.pop(0)
    return " ".join(parts)


def _content(phrase: str | None, rules: FigureRules) -> list[str]:
    if not phrase:
        return []
    skip = rules.union("DETERMINER", "NP_INNER_PREP", plus=("and", "or", "&"))
    return [w for w in _ALNUM_RUN.findall(phrase.lower()) if w not in skip]


_ALNUM_RUN = re.compile(r"[a-z0-9]+")


_YEAR_TOKEN = re.compile(r"(?:19|20)[0-9]{2}")


def _names_numbers(toks: list[Tok], figures: Sequence[Number], rules: FigureRules, numbers: Iterable[int] | None = None) -> None:
    """Numbers that are not figures and not dates are part of a name ("category 1 defects",
    "the 101 non-emergency service", "Section 151 Officer", "the 10 to 17 population"):
    the chunker reads them as words, so a metric keeps them.

    ``numbers``: the indexes of the number tokens, in order, when known (the others are
    not read: a token's test reads its neighbours' text, never their kind)."""
    spans = [(n.start, n.end) for n in figures]
    time_words = rules.union("TIME_UNIT", "HOUR_UNIT", "MINUTE_UNIT", "MONTH")
    for k in range(len(toks)) if numbers is None else numbers:
        tok = toks[k]
        if tok.kind != "n" or not tok.text.isdigit() or _YEAR_TOKEN.fullmatch(tok.text):
            continue
        if any(a < tok.end and tok.start < b for a, b in spans):
            continue
        prev = toks[k - 1] if k > 0 else None
        nxt = toks[k + 1] if k + 1 < len(toks) else None
        if prev is not None and (prev.text in "/:.-–" or prev.low in time_words or prev.low == "per"):
            continue
        if nxt is not None and (nxt.text in "/:.-–" or nxt.low in time_words or nxt.low in ("working", "calendar", "am", "pm")):
            continue
        tok.kind = "w"


# copula-zone words that do not end a verb phrase read backwards ("the cohort stood at 64")
_NOT_COPULA = ("by", "to", "of", "a", "an", "the", "from", "at", "up", "down", "over", "under", "about", "around", "some", "more", "less", "than", "no", "well", "very", "just", "only", "now", "further", "still", "currently", "total")


# phrases the _MetricBuilder methods look for, per figure (compiled once)
_LEAD_COPULA = re.compile(r"^(?:were|was|are|is|had|have|has)\s+(?:been\s+)?", re.I)
_REPORTING_LEAD = re.compile(r"^(?:saying|stating|reporting|said|say)\s+(?:that\s+)?(?:they\s+|he\s+|she\s+)?", re.I)
_WHO_LEAD = re.compile(r"^who\s+", re.I)
_TIME_UNIT_WORD = re.compile(r"\b(?:hours?|hrs?|minutes?|mins|days?|weeks?)\b", re.I)
_BE_HAVE = re.compile(r"\b(?:are|is|was|were|be|been|being|have|has|had)\b\s*(?:now\s+|currently\s+|still\s+)?")
_RATES_OF = re.compile(r"\brates?\s+of\b")
_RATE_PHRASE_END = re.compile(r"\s+(?:out|of|in|among|amongst|compared)\b")
_RATES_OF_WHAT = re.compile(r"\brates?\s+of\s+([A-Za-z][A-Za-z '’-]{2,60}?)(?=\s+(?:of|in|among|across|for|per|was|is|with|by)\b|[,.;:(]|$)")
_RATE_WORD = re.compile(r"\b(rates?)\b")
_AMOUNT_OF = re.compile(r"^(?:the\s+)?(?:total\s+)?(?:number|numbers|level|levels|volume|amount)\s+of\s+", re.I)
_PARTICIPLE_PREP = re.compile(r"\s(?:within|in|for|on|at|from|to|under|over)\s")
_PER_HEAD = re.compile(r"\b(?:rate\s+)?per\s+(?:[0-9][0-9,]*|thousand|head|capita)\b", re.I)


class _MetricBuilder:
    def __init__(
        self,
        text: str,
        sent: tuple[int, int],
        rules: FigureRules,
        figures: Sequence[Number] = (),
        key_lines: dict[int, bool] | None = None,
    ):
        self.text = text
        self.sent = sent
        self.key_lines = key_lines if key_lines is not None else {}  # for key_label, by line start
        self.rules = rules
        self.toks, self.starts, numbers = _sentence_tokens(text, sent[0], sent[1])
        self.fig_starts = {n.start for n in figures}
        if figures and numbers:
            _names_numbers(self.toks, figures, rules, numbers)
        self.ch = _Chunker(self.toks, rules, self.starts)
        self._spans: dict[tuple[int, int], tuple[int, int]] = {}
        self._change_at: dict[bool, list[int]] = {}
        self._tally: bool | None = None  # see _tally_words

    def change_words_at(self, rank: bool) -> list[int]:
        """:func:`_change_words_at` of the sentence, found once for its figures."""
        got = self._change_at.get(rank)
        if got is None:
            got = self._change_at[rank] = _change_words_at(self.toks, self.rules, rank)
        return got

    def span_tokens(self, n: Number) -> tuple[int, int]:
        """The tokens (i0, i1) that ``n`` covers: read by the metric and the direction, found once."""
        key = (n.start, n.end)
        got = self._spans.get(key)
        if got is None:
            got = self._spans[key] = self._span_tokens(n)
        return got

    def _span_tokens(self, n: Number) -> tuple[int, int]:
        i0 = bisect.bisect_left(self.starts, n.start)
        if i0 > 0 and self.toks[i0 - 1].end > n.start:
            i0 -= 1
        i1 = i0
        while i1 < len(self.toks) and self.toks[i1].start < n.end:
            i1 += 1
        return i0, max(i1, i0 + 1)

    def sentence_subject(self, f: _Fig) -> str | None:
        """Last resort: the noun phrase the sentence opens with ("Violence with injury remained a
        concern, having risen by 4.1%"), after any opening adverbial ("In 2023/24, ...")."""
        t = self.toks
        j = 0
        while j < len(t) and (t[j].kind != "w" or t[j].low in self.rules.w("DETERMINER")):
            if t[j].kind == "n" and (j > 0 or t[j].start in self.fig_starts):
                return None  # a figure before any words; a leading "4.2" is a paragraph label
            j += 1
        if j < len(t) and (t[j].low in self.ch.prep or t[j].low in ("during", "since", "over", "after", "before", "following", "between")):
            comma = next((k for k in range(j, min(len(t), j + 12)) if t[k].text == ","), None)
            if comma is None:
                return None
            j = comma + 1
        while j < len(t) and t[j].low in self.rules.w("DETERMINER"):
            j += 1
        # "Ms Brennan reported that the patrols ...": the reported clause has the subject
        for x in range(j, min(len(t) - 1, j + 8)):
            if t[x].low in self.rules.w("REPORTING_VERB") and t[x + 1].low == "that" and t[x + 1].start < f.num.start:
                j = x + 2
                while j < len(t) and t[j].low in self.rules.w("DETERMINER"):
                    j += 1
                break
        if j >= len(t) or t[j].start >= f.num.start:
            return None
        np, end = self.ch.forward(j, max_words=10)
        # the subject ends before its verb: "The Victim Care Service received 9,872 referrals"
        for x in range(j + 1, min(end, len(t) - 1)):
            if self.ch.is_verbish(t[x]) and (t[x + 1].kind == "n" or t[x + 1].low in self.rules.w("DETERMINER")):
                np = self.ch.join(t[j:x])
                break
        if not np or self._weakness(np) == "empty" or np.lower() in self.rules.w("PRONOUN"):
            return None
        return np

    def _weakness(self, phrase: str) -> str | None:
        """How little ``phrase`` says (see :class:`_Fig`): a pure function of the phrase, remembered
        per rules (count nouns and subjects recur across figures and documents)."""
        return _memoized(self.rules, ("weakness", phrase), phrase, lambda: self._weakness_now(phrase))

    def _weakness_now(self, phrase: str) -> str | None:
        c = set(_content(phrase, self.rules))
        if not c:
            return "empty"
        if c <= self.rules.union("GENERIC_HEAD", "RANK_ADJ"):
            return "generic"
        if c <= self.rules.union("GENERIC_COUNT_NOUN", "GENERIC_HEAD"):
            return "count_noun"
        return None

    def metric(self, f: _Fig) -> None:
        n = f.num
        r = self.rules
        t = self.toks
        i0, i1 = self.span_tokens(n)
        if self._vote(f):
            return
        label = key_label(self.text, n.start, r, self.key_lines)  # the line's test shared by its figures
        if label:
            # "Latest: 84%  Target: 92%, Floor 90%": the measure is the indicator named above
            title = kpi_title(self.text, n.start, r)
            f.metric = f"{title} ({label.lower()})" if title else label
            return
        nxt = t[i1] if i1 < len(t) else None
        nlow = nxt.low if nxt else ""
        if n.unit == "rank":
            self._rank(f, i0, i1)
            return
        if self._of_which(f, i0, i1):
            return
        of = self._of_those_np(i0)
        if of:
            j = i1 + 1 if i1 < len(t) and t[i1].low == "of" else i1
            rest = self.ch.clause_rest(j, 10)
            rest = _LEAD_COPULA.sub("", rest)
            f.metric = f"{of} {rest}".strip()
            return
        if n.unit in ("percent", "percentage_points"):
            if nlow in r.w("CHANGE_NOUN"):
                np, end = self._forward_pp(i1 + 1)
                if np:
                    f.metric = f"{nxt.text} {np}"
                    f.np_end = t[end - 1].end if end > 0 else -1
                else:
                    f.metric, f.weak, f.change = nxt.text, "change", nxt.text
                return
            if nlow == "of":
                self._share(f, i0, i1 + 1)
                return
            if nlow in r.w("COMPARATIVE") or nlow in ("above", "below"):
                subj, _, _ = self.ch.backward(i0)
                comp = self.ch.clause_rest(i1, 8)
                if not subj or subj.lower() in r.w("PRONOUN"):
                    f.metric, f.weak = comp, "pronoun"
                else:
                    f.metric = f"{subj} {comp}"
                return
            if nlow in r.w("SHARE_VERB_ING") or nlow in ("who", "that", "said", "reported", "felt", "agreed", "believe", "believed", "say", "feel", "think", "thought"):
                rest = self.ch.clause_rest(i1, 14)
                rest = _REPORTING_LEAD.sub("", rest)
                rest = _WHO_LEAD.sub("", rest)
                f.metric = rest or None
                return
            if n.unit == "percent" and self._ellipsis(f, i0, i1):
                return
            if nxt is not None and nxt.kind == "w" and nlow not in self.ch.stop and nlow not in self.ch.prep and nlow not in self.ch.det and not self.ch.is_adverb(nxt) and nlow not in self.ch.temporal:
                np, end = self.ch.forward(i1)
                if np:
                    f.metric = np
                    return
            self._backward(f, i0, i1)
            return
        if self._measured_time(f, i0, i1):
            return
        if n.unit == "count" and i1 < len(t) and t[i1].kind == "w" and _RANKED_AMONG.search(self.text, max(self.sent[0], n.start - 70), n.start):
            np, _end = self.ch.forward(i1)
            if np:
                f.metric = f"{np} (comparison group)"  # "ranked 12th of 43 forces": the group ranked
                return
        if n.unit == "count" and i0 >= 3 and t[i0 - 1].low in self.ch.det and t[i0 - 2].low == "of" and t[i0 - 3].kind == "n" and i1 < len(t) and t[i1].kind == "w":
            np, _end = self.ch.forward(i1)
            if np:
                f.metric = np  # "4 of the 7 cameras were deployed": the whole, without the predicate
                return
        if (n.unit == "gbp" or (n.unit == "other" and n.unit_word and "£$€".find(n.raw.lstrip("-+")[:1]) >= 0)) and self._money(f, i0, i1):
            return
        # counts, money, rates, hours
        j = i1
        # money "£150k per year for two years secured from ...": skip the frequency framing
        while j + 1 < len(t) and t[j].low in ("per", "a", "each", "every") and t[j + 1].low in self.ch.units:
            j += 2
        if j < len(t) and t[j].low == "for" and j + 2 < len(t) and t[j + 2].low in self.ch.units:
            j += 3
        if n.unit == "rate" and j + 1 < len(t) and t[j].low == "per":
            # "8.66 per 1000 population": the denominator is all the phrase says
            np, end = self.ch.forward(j + 2) if t[j + 1].kind == "n" else self.ch.forward(j + 1)
            f.metric = self.ch.join(t[j : j + 2]) + (f" {np}" if np and t[j + 1].kind == "n" else "")
            f.weak = "generic"
            return
        if j < len(t) and t[j].low == "of" and n.unit == "count":
            if j + 1 < len(t) and t[j + 1].low in ("these", "those", "which", "whom", "them"):
                # "19,036 of these were identified as faults": a part of something named before
                rest = self.ch.clause_rest(j + 2, 10)
                f.metric = _LEAD_COPULA.sub("", rest) or None
                f.weak = "pronoun"
                return
            k = j + 1
            while k < len(t) and t[k].low in self.ch.det:
                k += 1
            if k < len(t) and t[k].kind == "n" and k + 1 < len(t) and t[k + 1].kind == "w":
                k += 1  # "17 of the 38 indicators"
            np, end = self.ch.forward(k if k > j + 1 and t[k - 1].kind == "n" else j + 1)
            if np:
                pred = self._predicate(end) if k > j + 1 and t[k - 1].kind == "n" else ""
                f.metric = f"{np} {pred}".strip()  # "4 of the 7 cameras were deployed": the part
                if not pred:
                    self._passive(f, i0, np)
                return
        if j < len(t) and t[j].kind == "w" and (t[j].low not in self.ch.stop or self.ch.is_verbish(t[j])) and t[j].low not in self.ch.det and (t[j].low not in self.ch.prep or t[j].low == "per"):
            np, end = self.ch.forward(j)
            if np:
                pred = self._predicate(end) or self._relative(end)
                f.np_end = t[end - 1].end if end > 0 else -1
                if pred:
                    f.metric = f"{np} {pred}"
                elif i0 >= 2 and t[i0 - 1].low == "and" and any(x.start in self.fig_starts for x in t[max(0, i0 - 6) : i0 - 1]):
                    f.metric, f.weak = np, "coord"  # "supported 286 women and 341 children": the verb is shared
                else:
                    f.metric = np
                    self._passive(f, i0, np)
                if n.unit in ("hours", "other") and len(_content(np, r)) <= 3 and self._weakness(_TIME_UNIT_WORD.sub("", np)) == "empty":
                    # "24 hours a day": the unit alone says nothing; add what happens in them
                    before = self.ch.clause_before(i0, 12)
                    parts = _BE_HAVE.split(before)
                    f.metric = f"{np} {parts[-1]}".strip()
                if f.metric and f.metric.split(" ")[0].lower() in r.union("COMPARATIVE", plus=("additional", "extra")):
                    # "590 fewer burglaries in Barnet than a year ago"
                    rest = self.ch.clause_rest(end, 8)
                    if rest.lower().startswith("than"):
                        f.metric = f"{f.metric} {rest}"
                weak = self._weakness(np)
                if weak in ("generic", "count_noun") and f.metric == np and f.weak != "coord":
                    f.weak = weak
                    subj, _zone, _start = self.ch.backward(i0)
                    if subj and subj.lower() not in r.w("PRONOUN") and self._weakness(subj) is None:
                        f.clause_before = subj  # "The cohort stood at 64 people"
                return
        self._backward(f, i0, i1)

    def _vote(self, f: _Fig) -> bool:
        """Recorded votes: "For (14) / Against (40) / Abstain (3)" and tallies "Motion carried
        5-2" give one count per side; the metric names the side and what was voted on."""
        n, r = f.num, self.rules
        side = None
        window = self.text[max(self.sent[0], n.start - 20) : n.start]
        labels = r.w("VOTE_LABEL")
        labelled = _words_rx("vote_label", labels).search(window) if _may_end_in_label(window, labels) else None
        if labelled and labelled.group(1)[0].isupper():
            side = labelled.group(1).lower()  # "For (52)", "Against: 3"
        else:
            if n.unit != "count" or not n.integer_text or not self._tally_words():
                return False
            before = self.text[max(self.sent[0], n.start - 60) : n.start]
            m = _TALLY_BEFORE.search(before) if could_match(_TALLY_WORDS, fold_case(before)) else None
            if m is None or not (m.group("done") or re.match(r"\s*[-–]\s*[0-9]{1,3}(?![0-9%]|[.,][0-9])", self.text[n.end : n.end + 8])):
                return False
            parts = len(re.findall(r"[0-9]+", m.group("done") or ""))
            side = ("for", "against", "abstain")[min(parts, 2)]
        nouns: dict[str, str] = r.maps.get("VOTE_LABEL_NOUN", {})
        noun = nouns.get(side, f"votes {side}")
        subject = _vote_subject(self.text, n.start, r)
        f.metric = f"{noun} ({subject})" if subject else noun
        return True

    def _tally_words(self) -> bool:
        """Whether the sentence holds a word every vote tally needs (:data:`_TALLY_WORDS`), found once
        for its figures: a tally's window lies inside the sentence, and :func:`fold_case` maps each
        character on its own, so a word in a window's folded text is in the sentence's too."""
        got = self._tally
        if got is None:
            got = self._tally = could_match(_TALLY_WORDS, fold_case(self.text[self.sent[0] : self.sent[1]]))
        return got

    def _pp_after(self, j: int) -> tuple[str, int]:
        """ "from the Transformation Reserve to the Children's Services budget", "for rural crime
        prevention": a prepositional phrase after a sum that says what it is for (not a time)."""
        t = self.toks
        if j < len(t) and t[j].low in ("from", "to", "for", "on", "towards", "into") and not self.ch._is_temporal_after(j + 1):
            if t[j].low == "to" and j + 1 < len(t) and t[j + 1].low in self.ch.infinitive:
                return "", j
            np, end = self.ch.forward(j + 1)
            if np and self._weakness(np) != "empty":
                return f"{t[j].text} {np}", end
        return "", j

    def _money(self, f: _Fig, i0: int, i1: int) -> bool:
        """Sums of money: "an overspend of £23.5m", "the transfer of £1.2m from X to Y",
        "S had saved £212,000 in custody costs", "X cost the Council £186,000", "a contract
        for X in the amount of $1.25 million", "including £620,000 for X"."""
        t, r = self.toks, self.rules
        before = self.text[max(self.sent[0], f.num.start - 60) : f.num.start]
        quant = r.union("QUANT_PREFIX", plus=("more", "less", "than", "least", "further", "additional", "extra", "total", "estimated"))
        k = i0 - 1
        while k >= 0 and t[k].low in quant and t[k].low not in ("the", "under", "below", "above"):
            k -= 1
        if k >= 0 and t[k].low == "of" and k + 1 < i0 and t[k + 1].low in ("a", "an"):
            k += 1  # "of a further £2m" is no "X of £N"
        pp, pp_end = self._pp_after(i1)
        # "a $2.4 million state grant for X", "£150k funding": the sum is a modifier of its noun
        if i1 < len(t) and t[i1].kind == "w" and t[i1].low not in self.ch.stop and t[i1].low not in self.ch.prep and t[i1].low not in self.ch.det and not self.ch.is_verbish(t[i1]) and t[i1].low not in ("and", "or", "per", "each", "a", "an"):
            np, _end = self.ch.forward(i1)
            if np and self._weakness(np) is None:
                f.metric = np
                return True
        # "a contract for X in the amount of $N", "the programme totalling £188.6m"
        frame = _words_rx("amount_frame", r.w("AMOUNT_FRAME")).search(before)
        if frame:
            fk = k
            frame_start = f.num.start - len(before) + frame.start()
            while fk >= 0 and t[fk].start >= frame_start:
                fk -= 1
            # skip a period between the thing and the frame ("Capital Programme 2025/26 to 2027/28 totalling")
            while fk >= 0 and (t[fk].kind == "n" or t[fk].text in "/-–" or (t[fk].low in ("to", "and") and fk > 0 and t[fk - 1].kind == "n")):
                fk -= 1
            subj, _z, _s = self.ch.backward(fk + 1)
            if subj and self._weakness(subj) != "empty" and subj.lower() not in r.w("PRONOUN"):
                f.metric = subj
                return True
            return False
        # "including £620,000 for rural crime prevention": a part of the sum named before
        if k >= 0 and t[k].low in ("including", "includes", "include", "inc"):
            f.metric, f.weak = pp or None, "part_of_previous"
            return True
        # "... of which £17.9m related to X and £4.1m to Y": the second part shares the first's head
        if k >= 0 and t[k].low == "and" and pp and k > 0 and t[k - 1].kind == "w":
            f.metric, f.weak = pp, "pronoun"
            return True
        # "an overspend of £23.5m", "Savings of £1.2m had been secured through a freeze on X"
        if k >= 0 and t[k].low == "of":
            head, zone, hstart = self.ch.backward(k)
            nouns = [z.text for z in zone if z.low in r.w("CHANGE_NOUN")]
            if nouns:
                head = " ".join(x for x in (head, *nouns) if x)  # "a real variance of", "spending growth of"
            if head and self._weakness(head) != "empty" and head.lower() not in r.w("PRONOUN"):
                est = r.maps.get("ESTIMATE_VERB", {})
                v = hstart - 1
                while v >= 0 and t[v].low in r.w("DETERMINER"):
                    v -= 1
                if v >= 0 and t[v].low in est and est[t[v].low] not in head.lower():
                    head = f"{est[t[v].low]} {head}"  # "forecasting an overspend" -> "forecast overspend"
                rest = self._predicate(i1) or pp
                f.metric = f"{head} {rest}".strip()
                return True
            return False
        # a verb before the sum: "S had saved £N in X", "S requires $N in X", "S awarded £N to P"
        money_verbs = r.w("MONEY_VERB")
        v = k
        iobj: list[Tok] = []
        while v >= 0 and t[v].low in ("out", "away", "back", "up", "over", "aside"):
            v -= 1  # "gave out £600,000": a particle
        while v >= 0 and t[v].low not in money_verbs and t[v].kind == "w" and len(iobj) < 5 and t[v].low not in self.ch.stop:
            iobj.insert(0, t[v])  # "cost the Council £186,000": the one who paid
            v -= 1
        if v < 0 or t[v].low not in money_verbs or (iobj and not t[v].low.startswith("cost")):
            if i1 + 1 < len(t) and t[i1].low == "in" and not self.ch._is_temporal_after(i1 + 1):
                np, end = self.ch.forward(i1 + 1)  # "£80.3 million in savings would be delivered"
                if np and self._weakness(np) != "empty":
                    f.metric = f"{np} {self._predicate(end)}".strip()
                    return True
            return False
        verb = t[v]
        s_i = v - 1
        aux: list[str] = []
        while s_i >= 0 and (t[s_i].low in _AUX or t[s_i].low in ("would", "will", "could", "should", "may", "might", "must")):
            aux.append(t[s_i].low)
            s_i -= 1
        subj = ""
        if s_i >= 1 and t[s_i].low in r.w("RELATIVE") and t[s_i - 1].text == ",":
            subj, _z, _s = self.ch.backward(s_i - 1)
        elif s_i >= 0 and t[s_i].kind == "w" and t[s_i].low not in self.ch.stop:
            subj, _z, _s = self.ch.backward(s_i + 1)
        if subj.lower() in r.w("PRONOUN") or (subj and self._weakness(subj) == "empty"):
            subj = ""
        part = self.ch.participle.get(verb.low) or (verb.text if verb.low.endswith(("ed", "en")) else (verb.text + "d" if verb.low.endswith("e") else verb.text + "ed"))
        obj = ""
        j = i1
        if j < len(t) and t[j].low in ("in", "as") and not self.ch._is_temporal_after(j + 1):
            obj, j = self.ch.forward(j + 1)  # "£212,000 in custody costs", "£35,000 as match funding"
            pp, pp_end = self._pp_after(j)
        if verb.low.startswith("cost"):
            who = self.ch.join(iobj)
            f.metric = f"cost of {subj} to {who}" if subj and who else f"cost of {subj}" if subj else None
        elif "been" in aux or "be" in aux:
            f.metric = " ".join(x for x in (part, f"to {subj}" if subj else "", pp) if x)  # "had been awarded £150k from X"
        elif obj:
            f.metric = " ".join(x for x in (obj, part, f"by {subj}" if subj else "", pp) if x)
        elif subj:
            f.metric = " ".join(x for x in (subj, part, pp) if x)
        return bool(f.metric)

    def _measured_time(self, f: _Fig, i0: int, i1: int) -> bool:
        """ "life expectancy was 61.8 years for men", "the average wait had fallen from 19
        working days": the subject is the measure, the time unit goes in brackets."""
        n, t, r = f.num, self.toks, self.rules
        if n.unit not in ("other", "hours") or not n.unit_word:
            return False
        unit_words = n.unit_word.split(" ")
        if unit_words[-1] not in r.union("TIME_UNIT", "HOUR_UNIT", "MINUTE_UNIT"):
            return False
        j = i1
        # skip the unit words after the number ("19 working days"); a bare "to 11" has none
        if j < len(t) and t[j].low in unit_words:
            j += len(unit_words)
        if j < len(t) and t[j].low == "of":
            return False  # "1,046 hours of targeted patrol": the phrase after says what
        tail = ""
        if j < len(t) and t[j].low in ("for", "among", "amongst", "in") and not self.ch._is_temporal_after(j + 1):
            np, _end = self.ch.forward(j + 1)  # "for men", "in rural areas"
            tail = f"{t[j].text} {np}" if np else ""
        before = self.text[self.sent[0] : n.start]
        if re.search(r"[0-9]\s+(?:[A-Za-z]+\s+){1,2}(?:to|-|–)\s*$", before):
            f.weak = "empty"  # "from 19 working days to 11": the same measure as the first number
            return True
        if re.search(r"[0-9]\s+(?:[A-Za-z]+\s+){1,2}(?:for|in)\s+[A-Za-z ]{1,30}(?:,\s*|\s+)(?:and|or)\s*$|[0-9]\s+[A-Za-z]+\s*,\s*$", before):
            # "61.8 years for men and 62.9 years for women": the subject of the first number
            f.weak = "same_subject"
            f.metric = " ".join(x for x in (tail, f"({n.unit_word})") if x)
            return True
        subj, _zone, _start = self.ch.backward(i0)
        if not subj or subj.lower() in r.w("PRONOUN") or self._weakness(subj) == "empty":
            return False
        f.subject = subj
        f.metric = " ".join(x for x in (subj, tail, f"({n.unit_word})") if x)
        return True

    def _rank(self, f: _Fig, i0: int, i1: int) -> None:
        r = self.rules
        t = self.toks
        j = i1
        if j < len(t) and t[j].low in ("most", "least") and j + 1 < len(t):
            j += 1
        if j < len(t) and t[j].low in r.w("RANK_ADJ"):
            adj = t[j].text if t[j - 1].low not in ("most", "least") else f"{t[j - 1].text} {t[j].text}"
            rest = self.ch.clause_rest(j + 1, 14, stop_at_figure=True)
            first = rest.split(" ")[0].lower() if rest else ""
            phrase = f"{adj} {rest}".strip()
            if not rest or first in self.ch.prep or first in ("out", "among", "amongst", "in", "compared", "comparing"):
                subj, _, _ = self.ch.backward(i0)
                if subj and subj.lower() not in r.w("PRONOUN"):
                    phrase = f"{subj} {phrase}"
            if not _RATES_OF.search(phrase) and self._weakness(_RATE_PHRASE_END.split(phrase)[0]) in ("generic", "empty"):
                # "falling to the 5th highest rate": the rate named earlier in the sentence
                m = _RATES_OF_WHAT.search(self.text[self.sent[0] : self.sent[1]])
                if m:
                    phrase = _RATE_WORD.sub(rf"\1 of {m.group(1)}", phrase, count=1)
            f.metric = phrase
            return
        rest = self.ch.clause_rest(i1, 10, stop_at_figure=True)
        subj = ""
        if i0 > 0 and (t[i0 - 1].low in self.ch.det or t[i0 - 1].low in _AUX):
            subj, _, _ = self.ch.backward(i0)
            if subj.lower() in r.w("PRONOUN"):
                subj = ""
        f.metric = " ".join(x for x in (subj, rest) if x) or None
        if not f.metric:
            f.weak = "empty"

    def _forward_pp(self, j: int) -> tuple[str, int]:
        """ "in X" / "of X" / "across X" after a change noun, unless it is a time phrase."""
        t = self.toks
        if j < len(t) and t[j].low in ("in", "of", "across", "among", "amongst", "for", "on", "to", "within"):
            if self.ch._is_temporal_after(j + 1):
                return "", j
            np, end = self.ch.forward(j + 1)
            if np:
                np = _AMOUNT_OF.sub("", np)
                return f"{t[j].text} {np}", end
        return "", j

    def _fronted_locative(self, i0: int) -> str:
        """ "In urban areas 87% of ...", "; in rural areas 74% were ...": a place phrase that opens
        the clause right before the figure narrows what it measures."""
        t = self.toks
        p = i0 - 1
        while p >= 0 and t[p].kind == "w" and t[p].low not in self.ch.stop and i0 - p <= 6:
            if t[p].low in ("in", "across", "among", "amongst", "within"):
                break
            p -= 1
        if p < 0 or i0 - p < 2 or t[p].low not in ("in", "across", "among", "amongst", "within"):
            return ""
        if not (p == 0 or t[p - 1].text in ";:," or (p == 1 and t[0].kind == "n")):
            return ""
        if self.ch._is_temporal_after(p + 1):
            return ""
        return self.ch.join(t[p:i0]).lower() if t[p].text[:1].isupper() else self.ch.join(t[p:i0])

    def _ellipsis(self, f: _Fig, i0: int, i1: int) -> bool:
        """ "84% of residents felt safe during the day, 57% after dark and 41% late at night",
        "; in rural areas 74% were attended within 20 minutes": a share whose noun is left out
        takes the noun of the share before it, with its own qualifier."""
        t = self.toks
        loc = self._fronted_locative(i0)
        if not loc and not (i0 > 0 and t[i0 - 1].text in (",", ";") or (i0 > 0 and t[i0 - 1].low == "and")):
            return False
        if not any(x.start in self.fig_starts and x.start < f.num.start for x in t[:i0]):
            return False
        pred = self._predicate(i1)
        qual = ""
        if not pred and i1 < len(t) and (t[i1].low in self.rules.w("QUALIFIER_START") or t[i1].low in self.ch.prep):
            qual = self.ch.clause_rest(i1, 8, stop_at_figure=True)
        if not pred and not qual:
            return False
        f.weak = "ellipsis"
        f.metric = " ".join(x for x in (loc, pred or qual) if x)
        f.ellipsis_pred = bool(pred)
        return True

    def _share(self, f: _Fig, i0: int, j: int) -> None:
        """ "82% of residents are satisfied with their local area" """
        t = self.toks
        if j < len(t) and t[j].low == "what":
            f.metric = self.ch.clause_rest(j, 16)
            return
        if j < len(t) and t[j].low in ("these", "those", "them", "which", "this"):
            f.weak = "pronoun"
            rest = self.ch.clause_rest(j + 1, 10)
            f.metric = re.sub(r"^(?:are|were|is|was|had|have)\s+", "", rest) or None
            return
        np, end = self.ch.forward(j)
        if not np:
            self._backward(f, i0, j - 1)
            return
        last = np.split(" ")[-1].lower()
        if last in self.rules.w("SHARE_VERB_ING") and end < len(t) and t[end].low == "that":
            rest = self.ch.clause_rest(end + 1, 14)
            f.metric = f"{np} that {rest}"
            return
        pred = self._predicate(end)
        if not pred and end < len(t) and t[end].kind == "w" and t[end].low not in self.ch.prep and t[end].low not in ("and", "or", "but", "which", "who", "that"):
            pred = self.ch.clause_rest(end, 10)  # "84% of residents felt safe in their local area"
        f.share_np = np
        loc = self._fronted_locative(i0)
        if loc:
            np = f"{np} {loc}"  # "In urban areas 87% of emergency calls were attended ..."
        before = self.text[max(self.sent[0], f.num.start - 60) : f.num.start]
        sv = _words_rx("share_of", self.rules.w("SHARE_OF_VERB"), self.rules.w("QUANT_PREFIX")).search(before)
        if sv:
            # "Domestic abuse accounted for 17% of all recorded crime": the subject as a share of the whole
            k = i0
            while k > 0 and self.toks[k - 1].start >= f.num.start - len(before) + sv.start():
                k -= 1
            subj, _zone, _start = self.ch.backward(k)
            if subj and subj.lower() not in self.rules.w("PRONOUN") and self._weakness(subj) != "empty":
                f.metric = f"{subj} as a share of {np}"
                f.subject = subj
                return
        if i0 > 0 and t[i0 - 1].low in ("but", "and", "while", "whilst") and not pred:
            f.metric, f.weak = np, "share_same_subject"  # "made up 14% of X but 6% of Y"
            return
        f.metric = f"{np} {pred}".strip()
        # "374 perpetrators cautioned (66% of total charged)", "£1.3m ..., or 0.6% of the budget":
        # a share of the figure just before
        if i0 > 0 and (t[i0 - 1].text == "(" or (t[i0 - 1].low == "or" and i0 > 1 and t[i0 - 2].text == ",")):
            f.weak = "share_of_previous"
            return
        if not pred:
            self._passive(f, i0, np)  # "The service answered 78% of calls within 3 minutes"

    def _relative(self, k: int) -> str:
        """ "312 volunteers who had supported the half marathon": a restrictive relative clause
        says which ones were counted (no comma before it, so not an aside)."""
        t = self.toks
        if k >= len(t) or t[k].low not in ("who", "that") or k + 1 >= len(t) or t[k + 1].kind != "w":
            return ""
        if t[k + 1].low in self.ch.det or t[k + 1].low in self.rules.w("PRONOUN"):
            return ""  # "... 42 referrals that the team ..." is not a subject relative
        rest = self.ch.clause_rest(k + 1, 12)
        return f"{t[k].text} {rest}" if rest else ""

    def _predicate(self, k: int) -> str:
        """After a subject NP: "were (being) supervised by X", "had signed up to OWL", "are satisfied with X"."""
        t = self.toks
        j = k
        while j < len(t) and (t[j].low in _AUX or (j > k and self.ch.is_adverb(t[j]))):
            j += 1
        if j == k or j >= len(t) or t[j].kind != "w":
            return ""
        ahead = " ".join(x.low for x in t[j : j + 3])
        state = next((p for p in self.rules.w("STATE_PREDICATE") if ahead == p or ahead.startswith(p + " ")), None)
        if state:
            return self.ch.join(t[j : j + len(state.split(" "))])  # "were under way", "is in place"
        w = t[j].low
        if not (w.endswith(("ed", "en")) or w in self.rules.w("NP_AFTER_VERB_OK")):
            return ""
        adverbs = [x for x in t[k:j] if x.low not in _AUX and x.low not in ("now", "still", "already", "also", "just")]
        words = [*adverbs, t[j]]
        m = j + 1
        while m < len(t) and len(words) < 12:
            tok = t[m]
            th = self.ch.threshold(m)
            if th is not None:
                words.extend(t[m:th])
                m = th
                continue
            if tok.kind == "n" or (tok.kind == "p" and tok.text not in "'’-–"):
                break
            if tok.low in ("which", "that", "who", "and", "but", "while", "whilst", "although", "because", "compared", "than", "since", "during"):
                break
            if tok.low in self.ch.prep and self.ch._is_temporal_after(m + 1):
                break
            words.append(tok)
            m += 1
        while len(words) > 1 and (words[-1].low in self.ch.prep or words[-1].low in self.ch.det):
            words.pop()
        return self.ch.join(words)

    def _passive(self, f: _Fig, i0: int, np: str) -> None:
        """ "the programme received 42 referrals" -> "referrals received by the programme".

        A bare count noun says little; the verb and its subject say what was counted.
        """
        t = self.toks
        np_words = np.split(" ")
        if len(np_words) > 4 or any(self.ch.is_verbish(Tok(w, 0, 0, "w")) for w in np_words[1:]):
            return
        k = i0 - 1
        quant = self.rules.union("QUANT_PREFIX", plus=("a", "an", "total", "of", "average", "more", "less", "fewer", "than", "least", "excess", "upwards"))
        while k >= 0 and t[k].kind == "w" and t[k].low in quant and t[k].low not in ("to", "with", "in", "for"):
            k -= 1
        if k < 0 or (t[k].low == "with" and not (k > 0 and (self.ch.is_verbish(t[k - 1]) or t[k - 1].low.endswith("ing")))):
            return  # "with 86 incidents" (but "working with 30 cases")
        if self._infinitive_object(f, k, np):
            return
        # the verb phrase: verb [object words] [to|with|in|for]
        vp_end = k
        j = k
        not_verb = self.rules.union("COPULA_ZONE", minus=(*self.rules.w("TRANSITIVE_COUNT_VERB"), *_NOT_COPULA))
        while j >= 0 and vp_end - j < 9:
            tok = t[j]
            if tok.kind != "w" and tok.text not in "'’":
                return
            if tok.low in _AUX or tok.low in not_verb:
                return  # "the cohort stood at 64 people": the subject is the measure
            if tok.kind == "w" and tok.text[:1].isupper() and j > 0:
                j -= 1
                continue  # a name, not a verb ("Integrated Offender Management")
            if (self.ch.is_verbish(tok) or (tok.low.endswith("ing") and len(tok.low) > 5)) and tok.low not in _AUX and not self._stop_not_ok(tok.low):
                break
            if tok.low in self.ch.stop and tok.low not in ("to", "with"):
                return
            j -= 1
        else:
            return
        if j < 0:
            return
        # "gave enhanced support to": the verb is the first word, "enhanced" an adjective
        while j > 0 and self.ch.is_verbish(t[j - 1]) and t[j - 1].low not in _AUX and not self._stop_not_ok(t[j - 1].low) and vp_end - j < 6:
            j -= 1
        verb_i = j
        if t[verb_i].low in self.rules.union("COPULA_ZONE", minus=tuple(self.rules.w("TRANSITIVE_COUNT_VERB"))):
            return  # "totalled", "reached": the subject is the measure, not the counter
        vp = t[verb_i : vp_end + 1]
        s = verb_i - 1
        while s >= 0 and t[s].low in _AUX:
            s -= 1
        subj = ""
        cand = ""
        if s >= 1 and t[s].low in self.rules.w("RELATIVE") and t[s - 1].text == ",":
            cand, _zone, _start = self.ch.backward(s - 1)  # "collections, which had reached 22,500 households"
        elif s >= 0 and t[s].low in ("and", "but"):
            cand = self.sentence_subject(f) or ""  # "X received 9,872 referrals and gave support to 3,140 victims"
        elif s >= 0 and t[s].kind == "w" and t[s].low not in self.ch.stop and t[s].low not in ("or", "&"):
            cand, _zone, _start = self.ch.backward(s + 1)
        if cand and cand.lower() not in self.rules.w("PRONOUN") and not set(_content(cand, self.rules)) & self.rules.union("TEMPORAL_NP_START", "PERIOD_SUBJECT"):
            subj = cand
        if not subj and (len(np_words) > 2 or vp_end > verb_i):
            return  # nothing to add but a verb phrase
        if vp[-1].low == "by":
            return  # "funded by a £1.9 million grant": the figure is the agent, not the object
        words = [x.text for x in vp]
        if len(words) > 1 and words[-1].lower() in ("to", "in", "for", "with", "on") and not vp[0].low.endswith("ing"):
            words = words[:-1]
        words[0] = self.ch.participle.get(words[0].lower(), words[0])  # "gave" -> "given"
        vp_text = " ".join(words)
        if vp[0].low.endswith("ing"):
            f.metric = f"{subj} {vp_text} {np}".strip() if subj else f"{np} ({vp_text})"
        else:
            # the participle goes after the head noun: "calls answered within 3 minutes by X"
            head, rest = np, ""
            m = _PARTICIPLE_PREP.search(np)
            if m and m.start() > 0:
                head, rest = np[: m.start()], np[m.start() :]
            f.metric = f"{head} {vp_text}{rest}" + (f" by {subj}" if subj else "")
            f.np_suffix = f" {vp_text}{rest}" + (f" by {subj}" if subj else "")

    def _stop_not_ok(self, low: str) -> bool:
        """``low in w("NP_STOP") - w("NP_AFTER_VERB_OK")``, without building the difference."""
        return low in self.ch.stop and low not in self.ch.verb_ok

    def _infinitive_object(self, f: _Fig, k: int, np: str) -> bool:
        """ "the refuge had been unable to accept 43 women" -> "women the refuge had been unable
        to accept": the object of an infinitive, with the clause that governs it."""
        t, r = self.toks, self.rules
        v = k
        if v > 0 and t[v].low in ("away", "up", "off", "out", "back", "down", "in"):
            v -= 1  # "turn away"
        if v < 2 or t[v].kind != "w" or t[v - 1].low != "to" or t[v].low in self.ch.stop:
            return False
        s = v - 2
        frame = r.w("INFINITIVE_FRAME")
        while s >= 0 and (t[s].low in frame or t[s].low in _AUX):
            s -= 1
        if s == v - 2 or s < 0 or t[s].kind != "w" or t[s].low in self.ch.stop:
            return False
        subj, _z, start = self.ch.backward(s + 1)
        if not subj or subj.lower() in r.w("PRONOUN"):
            return False
        clause = self.ch.join(t[start if start >= 0 else s + 1 : k + 1])
        f.metric = f"{np} {clause}"
        f.np_suffix = f" {clause}"
        return True

    def _of_those_np(self, i0: int) -> str:
        """ "Of those calls, 221 ..." -> "calls"; "Of the high-risk victims referred to X, 42% ..." """
        t = self.toks
        k = i0 - 1
        if k >= 0 and t[k].text == ",":
            k -= 1
        words: list[Tok] = []
        while k >= 0 and (t[k].kind == "w" or t[k].text in "'’-") and t[k].low != "of" and len(words) < 12:
            words.append(t[k])
            k -= 1
        if k >= 0 and t[k].low == "of" and words and (k == 0 or t[k - 1].kind == "p" or t[k - 1].low in ("and", "but")):
            words.reverse()
            if words[0].low in ("those", "these", "the", "which", "all"):
                return self.ch.join(words[1:])
        return ""

    def _of_which(self, f: _Fig, i0: int, i1: int) -> bool:
        """ "402 cases, of which 29% were repeat referrals": a part of the figure before."""
        t = self.toks
        if i0 >= 2 and t[i0 - 2].low == "of" and t[i0 - 1].low in ("which", "whom", "these", "those", "them"):
            rest = self.ch.clause_rest(i1, 10, stop_at_figure=True)
            f.metric = _LEAD_COPULA.sub("", rest) or None
            f.weak = "pronoun"
            return True
        return False

    def _backward(self, f: _Fig, i0: int, i1: int) -> None:
        r = self.rules
        subj, zone, start = self.ch.backward(i0)
        if not subj and i0 > 0 and self.toks[i0 - 1].text == "(":
            # "Adult Social Care & Health (+£35.4m)": the name before the bracket
            subj, zone, start = self.ch.backward(i0 - 1)
        if not subj:
            # "The general reserve, currently £31.2m, ...": an aside after the noun it measures
            k = i0 - 1
            while k >= 0 and (self.ch.is_adverb(self.toks[k]) or self.toks[k].low in ("at", "now", "currently", "then", "of")):
                k -= 1
            if k > 0 and k < i0 - 1 and self.toks[k].text == ",":
                subj, zone, start = self.ch.backward(k)
                # "Satisfaction with X remained the weakest area, at 58%": the subject, not the complement
                c = start - 1
                while c >= 0 and self.toks[c].low in r.w("DETERMINER"):
                    c -= 1
                if subj and c > 0 and self.toks[c].low in r.w("COPULA_VERB"):
                    s2, _z2, st2 = self.ch.backward(c)
                    if s2 and self._weakness(s2) is None and s2.lower() not in r.w("PRONOUN"):
                        subj, start = s2, st2
        change = next((z for z in zone if z.low in r.w("CHANGE_NOUN")), None)
        verb = next((z for z in zone if z.low in r.maps.get("CHANGE_VERB_BASE", {})), None)
        pronoun = subj.lower() in r.w("PRONOUN")
        if pronoun and start >= 0:
            f.clause_before = self.ch.clause_before(start)
        if pronoun or not subj:
            subj = ""
        if change is not None:
            np, _ = self._forward_pp(i1)
            if np:
                f.metric = f"{change.text} {np}"
            elif subj and self._weakness(subj) is None:
                f.metric = f"{change.text} in {subj}"
            else:
                f.metric, f.weak, f.change = change.text, "change", change.text
            return
        if verb is not None and subj:
            noun = r.maps["CHANGE_VERB_BASE"][verb.low]
            f.metric = f"{noun} in {subj}"
            return
        if subj and start >= 2 and self.toks[start - 1].low in ("its", "their") and self.ch.is_verbish(self.toks[start - 2]):
            # "The cohort of 64 people reduced its offending by 27%": whose offending
            owner = self.sentence_subject(f)
            if owner and owner.lower() not in subj.lower():
                subj = f"{subj} by {owner}"
        if not subj:
            f.weak = "pronoun" if pronoun else "empty"
            return
        f.metric = subj
        if f.num.unit == "count" and _PER_HEAD.search(subj):
            f.num.unit = "rate"  # "First-Time Entrants per 100,000 was 175"
        weak = self._weakness(subj)
        if weak:
            f.weak = weak


def _strip_qualifier(metric: str, rules: FigureRules) -> str:
    """ "residents felt safe in their local area during the day" -> "... local area": the
    qualifier a coordinated share replaces with its own ("57% after dark")."""
    words = metric.split(" ")
    for x in range(len(words) - 1, 0, -1):
        if words[x].lower() in rules.w("QUALIFIER_START"):
            return " ".join(words[:x])
    return metric


def _weakness_of(phrase: str, rules: FigureRules) -> str | None:
    c = set(_content(phrase, rules))
    if not c:
        return "empty"
    if c <= rules.union("GENERIC_HEAD", "RANK_ADJ", "GENERIC_COUNT_NOUN", plus=("below", "above", "strategy", "baseline")):
        return "generic"
    return None


_TRAILING_COMPARISON = re.compile(r"\s+(?:than|compared|below|above)\b.*$", re.I)


def _topic(metric: str, rules: FigureRules) -> str:
    """What a metric is about, without "fewer", a change noun or a trailing comparison."""
    m = _TRAILING_COMPARISON.sub("", metric)
    m = _strip_leading(m, rules.union("COMPARATIVE", plus=("additional", "extra", "further", "new")))
    parts = m.split(" ")
    if parts and parts[0].lower() in rules.w("CHANGE_NOUN"):
        parts = parts[1:]
        if parts and parts[0].lower() in ("in", "of", "across", "for", "on"):
            parts = parts[1:]
    return " ".join(parts)


_TOPIC_PERIOD = re.compile(r"\s+(?:in|over|during|since|compared|for)\s+(?:the\s+)?(?:last|past|first|quarter|year|[0-9])", re.I)
_TOPIC_CLAUSE = re.compile(r"\s+(?:which|that|who|compared|than|there|has|have|had|is|was|were|are)\b", re.I)


def _change_topic(sent_text: str, rules: FigureRules, exclude: tuple[int, int] | None = None) -> str | None:
    """ "... a significant reduction in MARIC referrals in quarter one" -> "MARIC referrals"; "Regarding X" -> X."""
    for m in _words_rx("change_topic", rules.w("CHANGE_NOUN")).finditer(sent_text):
        if exclude and exclude[0] <= m.start() <= exclude[1]:
            continue
        topic = _TOPIC_PERIOD.split(m.group(1).strip())[0]
        topic = _TOPIC_CLAUSE.split(topic)[0]
        topic = _strip_leading(topic, rules.union("DETERMINER", "QUANT_PREFIX"))
        first = topic.split(" ")[0].lower() if topic else ""
        if first in rules.w("TEMPORAL_NP_START") or first in rules.w("TIME_UNIT"):
            continue
        if topic and _content(topic, rules):
            return topic
    return None


def _borrow(
    figs: list[_Fig],
    text: str,
    rules: FigureRules,
    prev_sentence: dict[tuple[int, int], str],
    subject_of: Callable[[_Fig], str | None] | None = None,
) -> None:
    """Weak metrics ("reduction", "offences", "this") take the topic of the figure before them."""
    derived: set[int] = set()  # figures whose metric was itself borrowed from a pronoun's antecedent
    for i, f in enumerate(figs):
        if f.weak is None:
            continue
        source = None
        for g in reversed(figs[:i]):
            if g.sent == f.sent and g.metric and g.weak is None and not (f.weak == "pronoun" and id(g) in derived):
                source = g
                break
        if f.weak == "pronoun":
            derived.add(id(f))
        # a pronoun pointing back past a long clause refers to that clause, not to the last figure
        if f.weak in ("pronoun", "empty") and f.clause_before and source is not None:
            between = text[source.np_end if source.np_end > 0 else source.num.end : f.num.start]
            if len(re.findall(r"[A-Za-z]+", between)) > 8:
                source = None
        sent_text = text[f.sent[0] : f.sent[1]]
        if f.weak == "change":
            topic = None
            if source is not None:
                topic = _topic(source.metric, rules)
            if not topic:
                rel = (f.num.start - f.sent[0] - 30, f.num.end - f.sent[0] + 2)
                topic = _change_topic(sent_text, rules, rel) or _change_topic(prev_sentence.get(f.sent, ""), rules)
            if topic:
                f.metric = f"{f.change} in {topic}"
                f.weak = None
            continue
        if f.weak == "share_same_subject":
            if source is not None and source.subject and " as a share of " in (source.metric or ""):
                f.metric = f"{source.subject} as a share of {f.metric}"
            f.weak = None
            continue
        if f.weak == "ellipsis":
            src = next((g for g in reversed(figs[:i]) if g.sent == f.sent and g.share_np), None)
            if src is not None and f.ellipsis_pred:
                f.metric = f"{src.share_np} {f.metric}"
            elif src is not None and src.metric:
                f.metric = f"{_strip_qualifier(src.metric, rules)} {f.metric}"
            else:
                f.metric = f"{source.metric} {f.metric}" if source is not None and source.metric else f.metric
            f.share_np = src.share_np if src is not None else ""
            f.weak = None
            continue
        if f.weak == "coord":
            if source is not None and source.np_suffix:
                f.metric = f"{f.metric}{source.np_suffix}"
                f.np_suffix = source.np_suffix
            f.weak = None
            continue
        if f.weak == "part_of_previous":
            if source is not None:
                f.metric = f"{source.metric} {f.metric or ''}".strip()
            f.weak = None
            continue
        if f.weak == "same_subject":
            if source is not None and source.subject:
                f.metric = f"{source.subject} {f.metric or ''}".strip()
            elif source is not None:
                f.metric = source.metric
            f.weak = None
            continue
        if f.weak == "share_of_previous":
            # the figure this is a share of: the latest one that is not the whole itself
            whole = set(_content(f.metric, rules))
            part = next(
                (g for g in reversed(figs[:i]) if g.sent == f.sent and g.metric and g.weak is None and not whole & set(_content(g.metric, rules))),
                source,
            )
            if part is not None and f.metric:
                f.metric = f"{part.metric} as a share of {f.metric}"
            f.weak = None
            continue
        if source is None and f.weak in ("count_noun", "generic") and not f.clause_before:
            # "At 1,514 offences, residential burglary is now 18.2% below ...": what comes next names it
            later = next((g for g in figs[i + 1 :] if g.sent == f.sent and g.metric and g.weak is None), None)
            if later is not None and _weakness_of(later.metric, rules) is None:
                f.clause_before = _topic(later.metric, rules)
            else:
                f.clause_before = _change_topic(text[f.sent[0] : f.sent[1]], rules) or (subject_of(f) if subject_of else None) or ""
        if source is None:
            if f.weak in ("pronoun", "empty") and f.clause_before:
                f.metric = f"{f.clause_before} {f.metric or ''}".strip()
            elif f.weak in ("count_noun", "generic") and f.clause_before and f.metric:
                f.metric = f"{f.metric} ({f.clause_before})"
            elif f.weak == "generic" and f.metric and f.num.unit != "rate":
                topic = _change_topic(sent_text, rules)
                if topic:
                    f.metric = f"{topic} ({f.metric})"
            f.weak = None
            continue
        topic = _topic(source.metric, rules)
        if f.weak == "count_noun" and f.metric:
            head = f.metric
            f.metric = topic if topic.lower().endswith(head.lower()) else f"{topic} {head}"
        elif f.weak == "generic" and f.metric:
            f.metric = f"{f.metric} ({topic})" if f.num.unit == "rate" or source.num.unit == "rate" else f"{topic} ({f.metric})"
        elif f.weak == "pronoun" and f.metric:
            f.metric = f"{topic} {f.metric}"
        else:
            f.metric = source.metric
        f.weak = None


_FROM_BEFORE = re.compile(r"\bfrom\s+(?:a\s+(?:baseline|level|high|low|peak)\s+of\s+)?$", re.I)
_FROM_TO_GAP = re.compile(r"^\s*(?:[A-Za-z][A-Za-z'’-]*\s+){0,3}?(?:(?:in|at|during)\s+[^,;()]{1,25}?\s+)?(?:to|-|–)\s*(?:(?:around|about|approximately|just|only|a\s+(?:new\s+)?(?:low|high)\s+of)\s+)?$", re.I)
_TO_BEFORE = re.compile(r"(?:,\s*)?\bto\s+(?:around\s+|about\s+|approximately\s+|just\s+|only\s+)?$", re.I)


_RESTATED = re.compile(r"\s*,?\s*(?:or|i\.e\.?|that\s+is)\s+(?:around\s+|about\s+|approximately\s+)?")
_CLAUSE_BREAK = re.compile(r"[.;]|\b(?:and|but|while|whilst)\b")


def _sentence_directions(group: list[_Fig], text: str, rules: FigureRules) -> None:
    """Directions that need the sentence, not a word next to the number.

    * "from 218 offences to 191": both numbers of a stated change move the same way;
    * "rose by 6.5% ... to $78.60": the level reached after a change follows it;
    * "1,184 incidents, a fall of 9%", "9198 reports, this is up from 8237": a level whose
      change is stated right after it moves with the change.
    """
    appositive = _words_rx("appositive", rules.w("CHANGE_NOUN"), rules.w("QUANT_PREFIX"))
    for a, b in zip(group, group[1:], strict=False):
        same_unit = a.num.unit == b.num.unit or (b.num.unit == "count" and a.num.unit in ("other", "hours"))
        if same_unit and _FROM_BEFORE.search(text[max(a.sent[0], a.num.start - 40) : a.num.start]) and _FROM_TO_GAP.match(text[a.num.end : b.num.start]):
            if b.num.value != a.num.value:
                a.direction = b.direction = "increase" if b.num.value > a.num.value else "decrease"
            continue
        if b.direction is None and a.direction and _RESTATED.fullmatch(text[a.num.end : b.num.start]):
            b.direction = a.direction  # "rise by 6.5%, or $4.80 per month": the same change restated
        if b.direction is None and a.direction and _TO_BEFORE.search(text[max(a.num.end, b.num.start - 30) : b.num.start]) and b.num.start - a.num.end < 90:
            between = text[a.num.end : b.num.start]
            if not _CLAUSE_BREAK.search(between):
                b.direction = a.direction  # "decreased 8% compared with ..., to 412 incidents"
        if a.direction is None and b.direction:
            gap = text[a.num.end : b.num.start]
            if appositive.match(gap):
                a.direction = b.direction


_RANKED_AMONG = re.compile(
    r"\b[0-9]{1,3}(?:st|nd|rd|th)\b[^.;:0-9]{0,45}?\b(?:of|out\s+of|among|amongst|compared\s+(?:with|to)|in\s+comparison\s+with|group\s+of)\s+(?:the\s+|all\s+|its\s+)?$",
    re.I,
)
_COMPARISON_AFTER = re.compile(r"\s+((?:on|from|since|compared\s+(?:with|to)|against)\s+(?:the\s+)?[^,;.()0-9]{3,40}?)(?=[,;.()]|\s+(?:and|but|while)\b|$)", re.I)


def _change_after_level(group: list[_Fig], text: str, rules: FigureRules) -> None:
    """ "The charge rate was 11.2%, up 1.9 percentage points on the previous year": the second
    figure measures the change in the first one's measure, against the stated comparison."""
    gap_rx = _words_rx("change_gap", rules.w("CHANGE_NOUN"))
    for a, b in zip(group, group[1:], strict=False):
        m = gap_rx.fullmatch(text, a.num.end, b.num.start)
        if m is None or not a.metric or b.num.unit not in ("percent", "percentage_points", a.num.unit):
            continue
        topic = _topic(a.metric, rules)
        if not topic or _weakness_of(topic, rules):
            continue
        noun = {"up": "increase", "down": "decrease"}.get((m.group(1) or "").lower(), (m.group(2) or "").lower())
        comp = _COMPARISON_AFTER.match(text, b.num.end, min(len(text), b.num.end + 60))
        b.metric = f"{noun} in {topic}" + (f" {clean_ws(comp.group(1))}" if comp else "")


_ACRONYM = re.compile(r"\(([A-Z][A-Za-z]{1,7}?)s?\)")
_ACRONYM_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*(?:[-–][A-Za-z]+)*")
_DASH = re.compile(r"[-–]")


def acronyms(text: str) -> dict[str, str]:
    """ "violence with injury (VWI)" -> {"VWI": "violence with injury"}: initials must spell it."""
    out: dict[str, str] = {}
    minor = {"and", "of", "the", "for", "with", "in", "to", "&", "on", "a"}
    for m in _ACRONYM.finditer(text):
        acr = m.group(1)
        if not acr.isupper() or acr in out:
            continue
        words = _ACRONYM_WORD.findall(text[max(0, m.start() - 120) : m.start()])
        for take in range(1, min(len(words), len(acr) + 4) + 1):
            cand = words[-take:]
            if cand[0].lower() in minor:
                continue
            major = "".join("".join(p[0] for p in _DASH.split(w) if p) for w in cand if w.lower() not in minor)
            every = "".join("".join(p[0] for p in _DASH.split(w) if p) for w in cand)
            if acr.upper() in (major.upper(), every.upper()):
                out[acr] = " ".join(cand)
                break
            if len(major) > len(acr):
                break
    return out


# ---------------------------------------------------------------- direction, period


def _change_words_at(toks: Sequence[Tok], rules: FigureRules, rank: bool) -> list[int]:
    """Indices of the tokens :func:`_direction` can take a direction from (its ``inc`` and ``dec``
    words), in order: found once per sentence and shared by its figures."""
    either = _change_words(rules, rank)
    return [k for k, tok in enumerate(toks) if tok.low in either]


def _change_words(rules: FigureRules, rank: bool) -> frozenset[str]:
    """Both sets of :func:`_direction_words` in one (one look-up per token instead of two)."""
    if rank:
        return rules.union("RANK_VERB_INCREASE", "RANK_VERB_DECREASE")
    return rules.union("INCREASE", "DECREASE")


def _direction_words(rules: FigureRules, rank: bool) -> tuple[frozenset[str], frozenset[str]]:
    if rank:  # "falling to the 5th highest": only a movement verb is a change
        return rules.w("RANK_VERB_INCREASE"), rules.w("RANK_VERB_DECREASE")
    return rules.w("INCREASE"), rules.w("DECREASE")


def _any_outside(at: Sequence[int], lo: int, hi: int, i0: int, i1: int) -> bool:
    """Whether a sorted ``at`` holds an index in ``[lo, hi)`` outside ``[i0, i1)``."""
    x = bisect.bisect_left(at, lo)
    while x < len(at) and at[x] < hi:
        if not i0 <= at[x] < i1:
            return True
        x += 1
    return False


def _direction(
    f: _Fig,
    toks: list[Tok],
    i0: int,
    i1: int,
    rules: FigureRules,
    fig_starts: frozenset[int] | set[int] = frozenset(),
    change_at: Sequence[int] | None = None,
) -> str | None:
    """The stated change of the figure, from the change words around it.

    ``change_at``: :func:`_change_words_at` for the sentence. Only a change word sets a
    direction in :func:`_direction_near`'s loop (the rest of it only forgets or stops), so
    without one in reach that loop is skipped: the same result, found without reading the tokens.
    """
    if f.num.value < 0:
        return "decrease"
    if f.num.raw.startswith("+"):
        return "increase"  # "(+£6.3m)", "+72": a signed change
    best: tuple[int, str] | None = None
    lo = max(0, i0 - 8)
    hi = min(len(toks), i1 + 8)
    if change_at is None or _any_outside(change_at, lo, hi, i0, i1):
        best = _direction_near(f, toks, i0, i1, lo, hi, rules, fig_starts)
    if best is None and i1 + 1 < len(toks) and toks[i1].low in ("below", "above", "under", "over", "lower", "higher"):
        # "18.2% below the strategy baseline": a change against an earlier level, not a benchmark
        after = " ".join(x.low for x in toks[i1 + 1 : i1 + 7])
        if _words_rx("earlier_level", rules.w("EARLIER_LEVEL")).search(after):
            return "decrease" if toks[i1].low in ("below", "under", "lower") else "increase"
    return best[1] if best else None


_COMPARATOR_WORD = re.compile(r"average|national|london|england|region|neighbour|similar|comparator|other|rest|borough|count(?:y|ies)|areas|target")


def _direction_near(
    f: _Fig, toks: list[Tok], i0: int, i1: int, lo: int, hi: int, rules: FigureRules, fig_starts: frozenset[int] | set[int]
) -> tuple[int, str] | None:
    """The nearest change word in ``toks[lo:hi]`` that states the figure's change, as (distance, direction)."""
    inc, dec = _direction_words(rules, f.num.unit == "rank")
    best: tuple[int, str] | None = None
    phrasal = rules.w("PHRASAL_UP_VERB")
    for k in range(lo, hi):
        if i0 <= k < i1:
            continue
        tok = toks[k]
        if tok.kind == "n" and k != i0 and abs(k - i0) > 1 and (not fig_starts or tok.start in fig_starts or k > i0):
            # do not read across another figure
            if k < i0:
                lo = k
                if not all(x.low in ("to", "-", "–", "and", "or") for x in toks[k + 1 : i0]):
                    best = None  # "10 to 11 percent" is one range; another figure is not
            else:
                break
        if tok.text in ";:" or (tok.text in "()" and (k < i0) == (tok.text == ")")):
            if k < i0:
                best = None
            else:
                break
        low = tok.low
        d = "increase" if low in inc else "decrease" if low in dec else None
        if d is None:
            continue
        if low in ("up", "down") and not (k + 1 < len(toks) and (toks[k + 1].kind == "n" or toks[k + 1].low in ("from", "by", "on"))):
            continue
        if low in ("up", "down") and k > 0 and toks[k - 1].low in phrasal:
            continue  # "made up 14% of the caseload", "signed up 40 members"
        if k < i0 and low in rules.w("COMPARATIVE") and any(toks[x].low == "than" for x in range(k + 1, i0)):
            continue  # "a lower rate than 3 of the five boroughs": 3 is what is compared with
        if k > i0 and _governs_later(toks, k, i1, fig_starts):
            continue  # "£31.2m, would fall to £7.7m": the verb belongs to the later figure
        if k == i1 and low in rules.w("CHANGE_NOUN") and k + 1 < len(toks) and toks[k + 1].kind == "w" and toks[k + 1].low not in rules.w("NP_INNER_PREP") and toks[k + 1].low not in rules.w("NP_STOP") and toks[k + 1].low not in rules.w("TEMPORAL_NP_START") and toks[k + 1].low not in rules.w("DETERMINER") and not toks[k + 1].low.endswith(("ed", "ing")):
            continue  # "57 improvement notices": a noun modifier, not a change
        if low in ("more", "less", "fewer", "additional", "extra") and not (k == i1 or (k + 1 < len(toks) and toks[k + 1].low not in ("than",))):
            continue
        if low in ("more", "less") and k + 1 < len(toks) and toks[k + 1].low == "than":
            continue
        if low in rules.w("COMPARATIVE") and k + 1 < len(toks) and toks[k + 1].low == "than":
            after = " ".join(x.low for x in toks[k + 2 : k + 7])
            if _COMPARATOR_WORD.search(after):
                continue
        dist = abs(k - i0) if k < i0 else abs(k - i1) + 0.5
        if best is None or dist < best[0]:
            best = (int(dist * 2), d)
    return best


def _governs_later(toks: list[Tok], k: int, i1: int, fig_starts: frozenset[int] | set[int] = frozenset()) -> bool:
    """A change word after the figure that leads to another number ("would fall to £7.7m",
    "reduced its offending by 27%", "an increase of 4.99%") describes that number."""
    for x in range(k + 1, min(len(toks) - 1, k + 5)):
        if toks[x].text in ",;:()" or toks[x].low in ("and", "but", "while", "whilst"):
            return False
        if toks[x].low in ("to", "by", "of", "than") and toks[x + 1].kind == "n" and (not fig_starts or toks[x + 1].start in fig_starts):
            return True
    return False


def _period(
    f: _Fig, text: str, rules: FigureRules, period_spans: list[tuple[int, int, str]], span_starts: Sequence[int] | None = None
) -> str | None:
    """The period phrase in the figure's sentence nearest to it (``span_starts``: the spans' starts, to
    skip the spans before the sentence; they are in order)."""
    s0, s1 = f.sent
    best: tuple[int, str] | None = None
    lo = bisect.bisect_left(span_starts, s0) if span_starts is not None else 0
    for i in range(lo, len(period_spans)):
        a, b, p = period_spans[i]
        if a >= s1:
            break  # later spans start after the sentence (a span must lie inside it)
        if a < s0 or b > s1:
            continue
        if a <= f.num.start < b:
            continue
        dist = f.num.start - b if b <= f.num.start else a - f.num.end
        if best is None or dist < best[0]:
            best = (dist, p)
    return best[1] if best else None


def _period_spans(text: str, rules: FigureRules, until: int | None = None) -> list[tuple[int, int, str]]:
    """Period phrases in ``text``, longest first where they overlap; with ``until``, those that start
    before it (the same: the choice among overlapping phrases runs left to right)."""
    return _kept_periods(rules.period_scan.found(text, until))


def _period_spans_in(text: str, rules: FigureRules, sentences: Iterable[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """The phrases of :func:`_period_spans` around ``sentences``: the same inside each sentence (all
    that :func:`_period` reads), found by searching little more than those sentences when that is
    exact (:meth:`~extract.rx.literals.MultiFinditer.found_near`), else the whole text up to them."""
    spans = sorted(set(sentences))  # found_near groups overlapping and close ones itself
    found = rules.period_scan.found_near(text, spans)
    if found is None:
        return _period_spans(text, rules, max((b for _a, b in spans), default=0))
    return _kept_periods(found)


def _kept_periods(found: Iterable[tuple[int, list[re.Match[str]]]]) -> list[tuple[int, int, str]]:
    """The period matches (per pattern, in order) as spans, longest first where they overlap."""
    spans: list[tuple[int, int, str]] = []
    for _k, matches in found:
        for m in matches:
            spans.append((m.start(), m.end(), clean_ws(m.group())))
    # longest first, drop periods inside a longer one
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    out: list[tuple[int, int, str]] = []
    for s in spans:
        if out and s[0] < out[-1][1]:
            continue
        out.append(s)
    return out


# ---------------------------------------------------------------------- main entry


def extract_figures(
    text: str,
    sentences: Sequence[tuple[int, int]] | None = None,
    rules: FigureRules | None = None,
    skip: Sequence[tuple[int, int]] | None = None,
) -> list[FigureItem]:
    """All figures in ``text`` (offsets are into ``text``).

    ``sentences`` are (start, end) spans (default: :func:`split_sentences`);
    ``skip`` spans are not read (default: the tab-separated data tables that
    :mod:`extract.nlp.tables` turns into figures).
    """
    rules = rules or load_figure_rules()
    if not _ANY_DIGIT.search(text):
        return []  # every number has a digit
    sents = list(sentences) if sentences is not None else split_sentences(text)
    if skip is None:
        skip = [(a, b) for a, b, _ in table_blocks(text)] + contents_page_numbers(text) + page_range_chains(text)
    nums = find_numbers(text, rules, skip)
    if not nums:
        return []
    sent_starts = [s for s, _ in sents]
    figs: list[_Fig] = []
    for n in nums:
        i = bisect.bisect_right(sent_starts, n.start) - 1
        if i >= 0 and sents[i][0] <= n.start < sents[i][1]:
            sent = sents[i]
        else:  # not inside any sentence: the line is the context
            a = text.rfind("\n", 0, n.start) + 1
            b = text.find("\n", n.end)
            sent = (a, b if b >= 0 else len(text))
        figs.append(_Fig(num=n, sent=sent))
    # metric, direction per sentence
    by_sent: dict[tuple[int, int], list[_Fig]] = {}
    for f in figs:
        by_sent.setdefault(f.sent, []).append(f)
    rate_sents = {f.sent for f in figs if f.num.unit == "rate"}
    prev_sentence: dict[tuple[int, int], str] = {}  # read only for sentences with figures
    for k, sent in enumerate(sents):
        if k > 0 and sent in by_sent:
            gap = text[sents[k - 1][1] : sent[0]]
            if "\n\n" not in gap and not gap.strip():
                prev_sentence[sent] = text[sents[k - 1][0] : sents[k - 1][1]]
    key_lines: dict[int, bool] = {}  # shared by the sentences' builders (lines hold several)
    for sent, group in by_sent.items():
        mb = _MetricBuilder(text, sent, rules, [f.num for f in group], key_lines)
        for f in group:
            if sent in rate_sents and f.num.unit == "count" and not f.num.integer_text and "," not in f.num.raw:
                f.num.unit = "rate"  # "8.66 per 1000 population vs. London average of 7.99"
            mb.metric(f)
            i0, i1 = mb.span_tokens(f.num)
            f.direction = _direction(f, mb.toks, i0, i1, rules, mb.fig_starts, mb.change_words_at(f.num.unit == "rank"))
        _borrow(group, text, rules, prev_sentence, mb.sentence_subject)
        _sentence_directions(group, text, rules)
        _change_after_level(group, text, rules)
        for f in group:
            if not f.metric:
                f.metric = mb.sentence_subject(f)
        _share_rate_denominator(group)
        _fronted_topic(group, text, rules)
    acr = acronyms(text)
    periods = _period_spans_in(text, rules, [f.sent for f in figs])  # _period reads spans in sentences
    period_starts = [a for a, _b, _p in periods]
    out: list[FigureItem] = []
    sentence_text: dict[tuple[int, int], str] = {}
    for f in figs:
        metric = f.metric
        if metric:
            metric = _expand_acronym(metric, acr)
            metric = clean_ws(metric).strip(" ,;:-–")
            cond = _CONDITION.match(text, f.num.end, min(len(text), f.num.end + 90)) if text[f.num.end : f.num.end + 1] in _SPACE_OR_TAB else None
            if cond and cond.group(1).lower() not in metric.lower():
                metric = f"{metric} {clean_ws(cond.group(1))}"  # "would fall to £7.7m if no further action were taken"
        if f.num.unit == "other" and f.num.unit_word and f.num.unit_word.lower() not in (metric or "").lower():
            metric = f"{metric} ({f.num.unit_word})" if metric else f"({f.num.unit_word})"  # "5.6 minutes", "$385,000"
        f.period = _period(f, text, rules, periods, period_starts)
        out.append(
            FigureItem(
                value=f.num.value,
                unit=f.num.unit or "count",
                raw=f.num.raw,
                span=Span(sentence=_sentence_text(text, f.sent, sentence_text), start=f.num.start, end=f.num.end),
                metric=metric or None,
                direction=f.direction,
                period=f.period,
            )
        )
    return out


_CONDITION = re.compile(r"[ \t]+((?:if|unless)\s+[^,;.()\n]{3,60})")
_SPACE_OR_TAB = (" ", "\t")  # what _CONDITION starts with


def _sentence_text(text: str, sent: tuple[int, int], seen: dict[tuple[int, int], str]) -> str:
    got = seen.get(sent)
    if got is None:
        got = seen[sent] = clean_ws(text[sent[0] : sent[1]])
    return got


_CAPS_WORD = re.compile(r"\b[A-Z]{2,8}\b")


def _expand_acronym(metric: str, acr: dict[str, str]) -> str:
    """Spell out an acronym the document defined ("VWI" -> "violence with injury (VWI)")."""
    if not acr:
        return metric  # most documents define none
    for word in _CAPS_WORD.findall(metric):
        long = acr.get(word)
        if long and long.lower() not in metric.lower() and f"({word})" not in metric:
            metric = re.sub(rf"\b{word}\b", f"{long} ({word})", metric, count=1)
    return metric


_FRONTED = re.compile(
    r"^\W*(?:in\s+terms\s+of|regarding|with\s+regards?\s+to|as\s+regards|in\s+relation\s+to|turning\s+to)\s+([^,;:]{3,80}?),",
    re.IGNORECASE,
)


def _fronted_topic(group: list[_Fig], text: str, rules: FigureRules) -> None:
    """ "In terms of the victim's care hub, Quarter 1 had seen 54 referrals": the topic goes with the count."""
    if not group:
        return
    m = _FRONTED.match(text[group[0].sent[0] : group[0].sent[1]])
    if not m:
        return
    topic = clean_ws(m.group(1))
    want = set(_content(topic, rules))
    for f in group:
        if f.metric and len(_content(f.metric, rules)) <= 3 and not want <= set(_content(f.metric, rules)):
            f.metric = f"{f.metric} ({topic})"


def _share_rate_denominator(group: list[_Fig]) -> None:
    """ "8.66 per 1000 population vs. London average of 7.99": both are per 1000 population."""
    per = next((f.metric for f in group if f.num.unit == "rate" and f.metric and " per " in f" {f.metric} "), None)
    if not per:
        return
    phrase = per[per.lower().index("per ") if per.lower().startswith("per ") else per.lower().index(" per ") + 1 :]
    for f in group:
        if f.num.unit == "rate" and f.metric and " per " not in f" {f.metric} ":
            f.metric = f"{f.metric} ({phrase})"


# ---------------------------------------------------------------------- component


class FiguresComponent:
    """spaCy component: fills ``Doc._.figure_items`` from the doc text and its sentences."""

    def __init__(self, nlp: Language, name: str, patterns: str, vocab: str) -> None:
        self.name = name
        self.rules = load_figure_rules(patterns, vocab).prepare()  # once, before workers fork
        if not Doc.has_extension("figure_items"):
            Doc.set_extension("figure_items", default=None, force=True)

    def __call__(self, doc: Doc) -> Doc:
        doc._.figure_items = extract_figures(doc_text(doc), doc_sentences(doc), self.rules)
        return doc


@Language.factory(
    "minutes_figures",
    default_config={"patterns": DEFAULT_PATTERNS, "vocab": DEFAULT_VOCAB},
    assigns=["doc._.figure_items"],
)
def make_minutes_figures(nlp: Language, name: str, patterns: str, vocab: str) -> FiguresComponent:
    """Figures (counts, percentages, money, rates, ranks, hours); paths are relative to ``models/``."""
    return FiguresComponent(nlp, name, patterns, vocab)


__all__ = [
    "FigureRules",
    "contents_page_numbers",
    "key_label",
    "kpi_title",
    "Number",
    "extract_figures",
    "find_numbers",
    "load_figure_rules",
    "load_vocab",
    "make_minutes_figures",
    "page_range_chains",
    "tokenize",
]
