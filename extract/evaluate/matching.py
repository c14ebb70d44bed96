"""Match stored items against a gold key, one document at a time.

This module is the executable form of "How items are matched" in
``shared/docs/ANNOTATION.md``. Everything here is pure (no database, no
files), so the rules can be unit-tested with hand-made items.

Definitions the guideline leaves open, fixed here so scores are comparable
from one run to the next:

* **Normalisation** (:func:`normalise`): Unicode NFKC, curly quotes to
  straight ones, every dash (``‐ ‑ ‒ – — ― − ﹘ ﹣``) to ``-``, whitespace
  collapsed, case folded. **Tokens** (:func:`tokens`) are the ``\\w+`` runs of
  the normalised text, so punctuation and spacing never decide a match.
* **Contains** (:func:`contains`): the needle's token sequence occurs
  contiguously in the haystack's (string containment after normalisation,
  except that a word is never matched inside a longer word).
* **Overlap** (:func:`overlaps`): the longest contiguous run of tokens the two
  texts share covers at least half of the shorter text's tokens, and at least
  ``min(3, len(shorter))`` tokens. Containment either way is the special case
  where the run covers the whole shorter text; the half rule lets a sentence
  split differently from the annotator's evidence still match, while a few
  shared function words never do.
* **Surnames** (:func:`surname_key`): accents, case, spaces, hyphens and
  apostrophes are ignored (``O-Dwyer`` = ``O'Dwyer`` = ``ODwyer``).
* **First names agree** (:func:`first_names_agree`) when either is missing,
  when they are equal, when one is an initial of the other (``P`` / ``P.`` and
  ``Peter``: documents often give only initials), or when one is a prefix of
  the other of at least three letters (``Chris``/``Christopher``; it also
  forgives the one-letter typos minutes contain, ``Paul``/``Paula``).
  ``Peter`` and ``Paul`` do not agree.
* **Content words** (:func:`content_words`): tokens minus a short list of
  English function words. Role and metric are judged on them
  (:func:`words_cover`): the prediction must contain at least half of the
  gold phrase's content words. Action descriptions "share at least half their
  words" (:func:`descriptions_share`) when the shared content words are at
  least half of *each* description's content words.
* **One-to-one** (:func:`assign`): a maximum-cardinality matching between
  gold and predicted items (so a duplicate prediction is one true positive
  and one false positive, and no gold item is lost to a greedy first-come
  choice); among the maximum matchings the one with the highest total pair
  score is taken (better evidence overlap, then better attributes), which
  decides which prediction's attributes are scored.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

FLOAT_TOLERANCE = 1e-6
"""Values, amounts and baselines are equal when they differ by at most this."""

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u0060": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        # dashes and minus signs
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\ufe58": "-",
        "\ufe63": "-",
        "\uff0d": "-",
    }
)
_WS = re.compile(r"\s+")
_WORD = re.compile(r"\w+")

STOPWORDS = frozenset(
    {
        "a", "an", "and", "are", "as", "at", "be", "been", "by", "for", "from", "has", "have",
        "in", "into", "is", "it", "its", "of", "on", "or", "per", "so", "than", "that", "the",
        "their", "there", "these", "this", "those", "to", "was", "were", "which", "who", "with",
    }
)  # fmt: skip
"""Function words ignored when judging word overlap (scorer definition, not an extraction rule)."""

_HONORIFICS = frozenset(
    {
        "mr", "mrs", "ms", "miss", "mx", "dr", "cllr", "councillor", "sir", "dame", "lord", "lady",
        "prof", "professor", "rev", "revd", "supt", "superintendent", "chief", "inspector", "insp",
        "sergeant", "sgt", "det", "pc", "constable", "commander", "cmdr",
    }
)  # fmt: skip
"""Titles skipped when a first name has to be read off a stored ``name``."""


# --------------------------------------------------------------------------- text


def normalise(text: str | None) -> str:
    """Fold the differences the guideline says never matter: quotes, dashes, spacing, case."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return _WS.sub(" ", text).strip().casefold()


def tokens(text: str | None) -> list[str]:
    """Word tokens of the normalised text; punctuation is dropped."""
    return _WORD.findall(normalise(text))


@lru_cache(maxsize=16384)
def _token_tuple(text: str | None) -> tuple[str, ...]:
    # every pair check re-reads the same sentences; tokenise each text once
    return tuple(tokens(text))


def content_words(text: str | None) -> set[str]:
    """Distinct tokens that carry meaning (function words removed; all tokens if that leaves none)."""
    toks = _token_tuple(text)
    words = {t for t in toks if t not in STOPWORDS}
    return words or set(toks)


def _longest_run(a: Sequence[str], b: Sequence[str]) -> int:
    if not a or not b:
        return 0
    m = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return m.size


def contains(haystack: str | None, needle: str | None) -> bool:
    """True when the needle's tokens occur contiguously in the haystack (after normalisation)."""
    n = _token_tuple(needle)
    h = _token_tuple(haystack)
    return bool(n) and _longest_run(h, n) == len(n)


def overlap_score(a: str | None, b: str | None) -> float:
    """Share of the shorter text's tokens covered by the longest common run (0 when not overlapping).

    The run must also reach ``min(3, len(shorter))`` tokens and half of the
    shorter text, see the module docstring.
    """
    ta, tb = _token_tuple(a), _token_tuple(b)
    shorter = min(len(ta), len(tb))
    if shorter == 0:
        return 0.0
    run = _longest_run(ta, tb)
    needed = max(math.ceil(shorter / 2), min(shorter, 3))
    return run / shorter if run >= needed else 0.0


def overlaps(a: str | None, b: str | None) -> bool:
    """The guideline's "overlaps": see :func:`overlap_score`."""
    return overlap_score(a, b) > 0.0


def words_cover(gold: str | None, predicted: str | None) -> bool:
    """True when the prediction holds at least half of the gold phrase's content words.

    Used for person roles and figure metrics. A missing prediction never covers
    a gold phrase.
    """
    g = content_words(gold)
    if not g:
        return False
    p = content_words(predicted)
    return len(g & p) * 2 >= len(g)


def words_similarity(a: str | None, b: str | None) -> float:
    """Dice coefficient of content words, used only to break ties between candidate pairs."""
    wa, wb = content_words(a), content_words(b)
    if not wa or not wb:
        return 0.0
    return 2 * len(wa & wb) / (len(wa) + len(wb))


def descriptions_share(gold: str | None, predicted: str | None) -> bool:
    """True when the shared content words are at least half of each description's content words."""
    g, p = content_words(gold), content_words(predicted)
    if not g or not p:
        return False
    shared = len(g & p) * 2
    return shared >= len(g) and shared >= len(p)


def values_equal(a: float | None, b: float | None) -> bool:
    """Equal within :data:`FLOAT_TOLERANCE`; two missing values are equal, one missing is not."""
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= FLOAT_TOLERANCE


def _same_label(a: str | None, b: str | None) -> bool:
    return normalise(a) == normalise(b)


# ------------------------------------------------------------------------- names


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def surname_key(surname: str | None) -> str:
    """Comparable form of a surname: no accents, case, spaces, hyphens or apostrophes."""
    if not surname:
        return ""
    return "".join(ch for ch in _strip_accents(normalise(surname)) if ch.isalnum())


def _name_key(word: str | None) -> str:
    return surname_key(word)


def first_names_agree(a: str | None, b: str | None) -> bool:
    """The guideline's "first names must agree where both are given" (see the module docstring)."""
    ka, kb = _name_key(a), _name_key(b)
    if not ka or not kb or ka == kb:
        return True
    short, long_ = sorted((ka, kb), key=len)
    if len(short) == 1:
        return long_.startswith(short)
    return len(short) >= 3 and long_.startswith(short)


def _first_name_quality(a: str | None, b: str | None) -> float:
    """How well two first names agree, for tie-breaking: 1 equal, 0.75 compatible, 0.5 one missing."""
    ka, kb = _name_key(a), _name_key(b)
    if not ka or not kb:
        return 0.5
    if ka == kb:
        return 1.0
    return 0.75 if first_names_agree(a, b) else 0.0


def last_word(text: str | None) -> str | None:
    """Last word of a name as written ("Superintendent Leach" -> "Leach"), keeping O'Dwyer whole."""
    if not text:
        return None
    words = [w.strip('.,;:()[]"') for w in normalise(text).split(" ")]
    words = [w for w in words if w]
    return words[-1] if words else None


def first_name_from(name: str | None, surname: str | None, honorific: str | None = None) -> str | None:
    """First given name read off a full name: titles and the surname removed.

    ``first_name_from("Councillor David Longstaff", "Longstaff")`` is ``"david"``.
    ``first_name_from("O-Dwyer", "O-Dwyer")`` is None.
    """
    if not name:
        return None
    words = [w.strip('.,;:()[]"') for w in normalise(name).split(" ")]
    words = [w for w in words if w]
    skey = surname_key(surname)
    # drop the surname from the end, however many words it spans ("Van Der Berg")
    if skey:
        for cut in range(len(words), 0, -1):
            if surname_key("".join(words[cut - 1 :])) == skey:
                words = words[: cut - 1]
                break
    title = {surname_key(w) for w in normalise(honorific).split(" ")} if honorific else set()
    for w in words:
        k = surname_key(w)
        if not k or k in _HONORIFICS or k in title:
            continue
        return w
    return None


# ----------------------------------------------------------------------- records


@dataclass
class PersonRec:
    """A person on either side. ``first_name`` None means "not given"."""

    surname: str
    first_name: str | None = None
    name: str | None = None
    role: str | None = None
    ref: str | None = None  # people.id for predictions


@dataclass
class ActionRec:
    """An action; ``texts`` holds the gold evidence or the stored sentence."""

    owner: str | None
    description: str | None
    texts: tuple[str, ...] = ()
    due: str | None = None
    kind: str | None = None
    owner_resolved: bool = False  # predictions: owner_id is not NULL
    ref: str | None = None


@dataclass
class DecisionRec:
    """A decision; ``texts`` holds the gold evidence, or the stored text and sentence."""

    kind: str | None
    texts: tuple[str, ...] = ()
    ref: str | None = None


@dataclass
class FigureRec:
    value: float | None
    unit: str | None
    texts: tuple[str, ...] = ()
    metric: str | None = None
    direction: str | None = None
    period: str | None = None
    ref: str | None = None


@dataclass
class TargetRec:
    amount: float | None
    amount_unit: str | None
    baseline: float | None
    texts: tuple[str, ...] = ()
    metric: str | None = None
    direction: str | None = None
    period: str | None = None
    ref: str | None = None


def _best_overlap(gold_texts: Sequence[str], pred_texts: Sequence[str]) -> float:
    return max((overlap_score(g, p) for g in gold_texts for p in pred_texts), default=0.0)


# ------------------------------------------------------------ pair predicates
# Each returns None when the pair may not be matched, else a tie-break score in [0, 1].


def person_pair(gold: PersonRec, pred: PersonRec) -> float | None:
    """Same surname (accents/case ignored) and agreeing first names."""
    if not surname_key(gold.surname) or surname_key(gold.surname) != surname_key(pred.surname):
        return None
    quality = _first_name_quality(gold.first_name, pred.first_name)
    if quality == 0.0:
        return None
    role = 1.0 if gold.role and words_cover(gold.role, pred.role) else 0.0
    return 0.9 * quality + 0.1 * role


def action_pair(gold: ActionRec, pred: ActionRec) -> float | None:
    """Same owner surname, and the stored sentence contains the evidence or the descriptions share half their words."""
    if not gold.owner or surname_key(gold.owner) != surname_key(pred.owner):
        return None
    contained = any(contains(p, g) for g in gold.texts for p in pred.texts)
    shared = descriptions_share(gold.description, pred.description)
    if not (contained or shared):
        return None
    return (
        0.5 * contained
        + 0.3 * words_similarity(gold.description, pred.description)
        + 0.2 * _best_overlap(gold.texts, pred.texts)
    )


def decision_pair(gold: DecisionRec, pred: DecisionRec) -> float | None:
    """Same kind, and the stored text or sentence overlaps the evidence."""
    if not _same_label(gold.kind, pred.kind):
        return None
    score = _best_overlap(gold.texts, pred.texts)
    return score if score > 0 else None


def _quoted_pair_score(gold: FigureRec | TargetRec, pred: FigureRec | TargetRec) -> float | None:
    """Evidence overlap first, then metric words and direction: how well a figure or target pair fits."""
    score = _best_overlap(gold.texts, pred.texts)
    if score <= 0:
        return None
    return (
        0.8 * score
        + 0.15 * words_similarity(gold.metric, pred.metric)
        + 0.05 * (gold.direction == pred.direction)
    )


def figure_pair(gold: FigureRec, pred: FigureRec) -> float | None:
    """Same value (to 1e-6) and unit, and the stored sentence overlaps the evidence."""
    if gold.value is None or not values_equal(gold.value, pred.value):
        return None
    if not _same_label(gold.unit, pred.unit):
        return None
    return _quoted_pair_score(gold, pred)


def target_pair(gold: TargetRec, pred: TargetRec) -> float | None:
    """Same amount, unit and baseline (both missing or equal to 1e-6), and the sentence overlaps the evidence."""
    if not values_equal(gold.amount, pred.amount) or not values_equal(gold.baseline, pred.baseline):
        return None
    if not _same_label(gold.amount_unit, pred.amount_unit):
        return None
    return _quoted_pair_score(gold, pred)


# ------------------------------------------------------------------ attributes


def role_correct(gold: PersonRec, pred: PersonRec) -> bool | None:
    """None when the gold role is null (not scored), else whether the prediction covers it."""
    if not gold.role:
        return None
    return words_cover(gold.role, pred.role)


def metric_correct(gold: FigureRec, pred: FigureRec) -> bool | None:
    """None when the gold metric is null (not scored), else whether the prediction covers it."""
    if not gold.metric:
        return None
    return words_cover(gold.metric, pred.metric)


def due_correct(gold: ActionRec, pred: ActionRec) -> bool:
    """Both due texts missing, or both present and overlapping."""
    if not gold.due or not pred.due:
        return not gold.due and not pred.due
    return overlaps(gold.due, pred.due)


def direction_correct(gold_direction: str | None, pred_direction: str | None) -> bool:
    """Equal labels; a null gold direction ("no change stated") must be predicted null."""
    return normalise(gold_direction) == normalise(pred_direction)


# ------------------------------------------------------------------ assignment


PairFn = Callable[[object, object], "float | None"]


@dataclass
class Matching:
    """Result of one-to-one matching: index pairs (gold, predicted) and what was left over."""

    pairs: list[tuple[int, int]] = field(default_factory=list)
    missed: list[int] = field(default_factory=list)  # gold indices without a partner (fn)
    extra: list[int] = field(default_factory=list)  # predicted indices without a partner (fp)


def _hungarian_max(weights: list[list[float]]) -> list[int]:
    """Maximum-weight assignment for an n x m matrix with n <= m; returns the column of each row.

    Classic O(n^2 m) potentials algorithm (Kuhn-Munkres), minimising the negated weights.
    """
    n, m = len(weights), len(weights[0])
    inf = float("inf")
    u = [0.0] * (n + 1)
    v = [0.0] * (m + 1)
    p = [0] * (m + 1)
    way = [0] * (m + 1)
    for i in range(1, n + 1):
        p[0] = i
        j0 = 0
        minv = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0 = p[j0]
            delta = inf
            j1 = 0
            for j in range(1, m + 1):
                if not used[j]:
                    cur = -weights[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j] = cur
                        way[j] = j0
                    if minv[j] < delta:
                        delta = minv[j]
                        j1 = j
            for j in range(m + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while True:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
            if j0 == 0:
                break
    assignment = [-1] * n
    for j in range(1, m + 1):
        if p[j]:
            assignment[p[j] - 1] = j - 1
    return assignment


def assign(gold: Sequence[object], pred: Sequence[object], pair: PairFn) -> Matching:
    """One-to-one matching: most pairs first, then the highest total pair score.

    The eligibility graph is split into connected components and each is solved
    exactly, so a document with hundreds of figures stays fast (components are
    tiny: same value and unit, overlapping sentences).
    """
    edges: dict[tuple[int, int], float] = {}
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            s = pair(g, p)
            if s is not None:
                edges[(gi, pi)] = float(s)

    # union-find over gold nodes ("g", i) and predicted nodes ("p", j)
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(x: tuple[str, int]) -> tuple[str, int]:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for gi, pi in edges:
        ra, rb = find(("g", gi)), find(("p", pi))
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    components: dict[tuple[str, int], tuple[list[int], list[int]]] = {}
    for gi, pi in edges:
        root = find(("g", gi))
        gs, ps = components.setdefault(root, ([], []))
        if gi not in gs:
            gs.append(gi)
        if pi not in ps:
            ps.append(pi)

    pairs: list[tuple[int, int]] = []
    for root in sorted(components):
        gs, ps = components[root]
        gs.sort()
        ps.sort()
        big = min(len(gs), len(ps)) + 1.0  # any extra pair outweighs any score gain
        rows, cols, transposed = (gs, ps, False) if len(gs) <= len(ps) else (ps, gs, True)
        weights = []
        for r in rows:
            row = []
            for c in cols:
                key = (c, r) if transposed else (r, c)
                row.append(big + edges[key] if key in edges else 0.0)
            weights.append(row)
        for ri, ci in enumerate(_hungarian_max(weights)):
            if ci < 0:
                continue
            key = (cols[ci], rows[ri]) if transposed else (rows[ri], cols[ci])
            if key in edges:
                pairs.append(key)

    pairs.sort()
    matched_g = {g for g, _ in pairs}
    matched_p = {p for _, p in pairs}
    return Matching(
        pairs=pairs,
        missed=[i for i in range(len(gold)) if i not in matched_g],
        extra=[j for j in range(len(pred)) if j not in matched_p],
    )


PAIR_FUNCTIONS: dict[str, PairFn] = {
    "people": person_pair,  # type: ignore[dict-item]
    "actions": action_pair,  # type: ignore[dict-item]
    "decisions": decision_pair,  # type: ignore[dict-item]
    "figures": figure_pair,  # type: ignore[dict-item]
    "targets": target_pair,  # type: ignore[dict-item]
}
"""The match rule of each item family, by family name."""

FAMILIES = tuple(PAIR_FUNCTIONS)
