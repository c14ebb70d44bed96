"""Put each strategy target beside the figures later quoted on the same metric.

Scrutiny members ask "was the 2005 burglary target met?". A target's metric
("residential burglary") and a later figure's metric ("reduction in
residential burglary", "Residential burglary" as a table row) are written
differently, so the link is made by fuzzy word matching after dropping change
and framing words, and only with figures whose unit can say something about
the target's level. The ``target_progress`` view (see :data:`VIEW_SQL`) then
picks the latest linked figure and says whether it meets the implied level.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import sqlite_utils
from rapidfuzz import fuzz

MODELS = Path(__file__).resolve().parents[2] / "models"

VIEW_SQL = """
CREATE VIEW IF NOT EXISTS target_progress AS
WITH linked AS (
  SELECT tf.target_id, f.id AS figure_id, f.value, f.unit, f.raw, f.period, f.direction AS figure_direction,
         f.document_id AS figure_document_id, f.page AS figure_page, f.sentence, m.date AS figure_date,
         ROW_NUMBER() OVER (
           PARTITION BY tf.target_id ORDER BY m.date DESC, f.period DESC, tf.similarity DESC, f.rowid
         ) AS rn
  FROM target_figures tf
  JOIN figures f ON f.id = tf.figure_id
  LEFT JOIN meetings m ON m.id = f.meeting_id
),
levels AS (
  SELECT t.*,
    CASE
      WHEN t.baseline_value IS NOT NULL AND t.amount_unit = 'percent' AND t.direction = 'reduce'
        THEN t.baseline_value * (1 - t.amount / 100.0)
      WHEN t.baseline_value IS NOT NULL AND t.amount_unit = 'percent' AND t.direction = 'increase'
        THEN t.baseline_value * (1 + t.amount / 100.0)
      WHEN t.baseline_value IS NOT NULL AND t.amount_unit = 'percentage_points' AND t.direction = 'increase'
        THEN t.baseline_value + t.amount
      WHEN t.baseline_value IS NOT NULL AND t.amount_unit = 'percentage_points' AND t.direction = 'reduce'
        THEN t.baseline_value - t.amount
      WHEN t.direction IN ('reach', 'maintain') THEN t.amount
      WHEN t.amount_unit = 'count' THEN t.amount
    END AS implied_level
  FROM targets t
)
SELECT
  t.id AS target_id, t.document_id, t.metric, t.direction, t.amount, t.amount_unit,
  t.baseline_value, t.baseline_text, t.period, t.start_date, t.end_date, t.implied_level,
  l.figure_id AS latest_figure_id, l.raw AS latest_raw, l.value AS latest_value, l.unit AS latest_unit,
  l.period AS latest_period, l.figure_date AS latest_date, l.figure_document_id AS latest_document_id,
  l.figure_page AS latest_page, l.sentence AS latest_sentence,
  CASE
    WHEN l.figure_id IS NULL THEN NULL
    -- a stated change ("a 12% reduction") against a change target ("reduce by 10%")
    WHEN t.amount_unit = 'percent' AND t.direction IN ('reduce', 'increase')
         AND l.unit = 'percent' AND l.figure_direction IS NOT NULL
      THEN CASE WHEN (t.direction = 'reduce' AND l.figure_direction = 'decrease')
                  OR (t.direction = 'increase' AND l.figure_direction = 'increase')
                THEN abs(l.value) >= t.amount ELSE 0 END
    WHEN t.implied_level IS NULL THEN NULL
    WHEN t.direction = 'reduce' OR (t.direction = 'reach' AND t.baseline_value > t.amount)
      THEN l.value <= t.implied_level
    ELSE l.value >= t.implied_level
  END AS meets
FROM levels t
LEFT JOIN linked l ON l.target_id = t.id AND l.rn = 1
"""


@dataclass(frozen=True)
class LinkRules:
    ignore_words: frozenset[str]
    min_similarity: float


@lru_cache(maxsize=1)
def load_link_rules(path: Path = MODELS / "vocab" / "target_links.json") -> LinkRules:
    data = json.loads(path.read_text(encoding="utf-8"))
    return LinkRules(frozenset(w.lower() for w in data["ignore_words"]), float(data["min_similarity"]))


def metric_words(text: str | None, rules: LinkRules) -> str:
    """Content words of a metric, without change/framing words ("reduction in", "target")."""
    words = re.findall(r"[a-z][a-z'\-]+", (text or "").lower())
    return " ".join(w for w in words if w not in rules.ignore_words)


def _stem(word: str) -> str:
    for suffix in ("ies", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


_NEAR_RATIO = 90  # two stems agree at this fuzz.ratio or above


@lru_cache(maxsize=1 << 14)
def _stems(text: str) -> tuple[str, ...]:
    """The sorted distinct stems of a metric's content words (a metric is compared with many others)."""
    return tuple(sorted({_stem(w) for w in text.split()}))


class _Agreement:
    """The similarity (0-100) of many target metrics with many figure metrics, worked out stem by stem.

    The similarity of two metrics' content words is the share of the longer
    one's distinct stems that agree with one of the other's: most words of
    *both* must agree ("robbery" is not "personal robbery"; "crime" is not
    "knife crime"). Stems agree when equal or nearly so (fuzz.ratio >= 90:
    spelling variants, "re-offending"/"reoffending"). fuzz.ratio is
    100 * (1 - indel distance / total length), and the indel distance is at
    least the length difference, so only stems of near lengths are compared.

    The words of a target agree with a figure's metric through stems, and an
    archive has few distinct stems: each figure stem is compared once with
    the targets' stems of a near enough length, and a
    pair of metrics is then scored by counting the target stems that agree
    with one of the figure's. Only targets sharing an agreeing stem with a
    metric are scored against it, where comparing every target with every
    metric of its area was most of the time linking took.
    """

    def __init__(self, words: Iterable[str], floor: float) -> None:
        self.floor = floor
        self.stems = {w: _stems(w) for w in words}  # target words -> their stems
        self.with_stem: dict[str, list[str]] = {}  # target stem -> the target words that have it
        for w, stems in self.stems.items():
            for stem in stems:
                self.with_stem.setdefault(stem, []).append(w)
        self.of_length: dict[int, list[str]] = {}
        for stem in self.with_stem:
            self.of_length.setdefault(len(stem), []).append(stem)
        self.agreeing: dict[str, list[str]] = {}  # figure stem -> the target stems that agree with it
        self.scores: dict[str, dict[str, float]] = {}  # figure words -> {target words: score >= floor}

    def _agreeing(self, v: str) -> list[str]:
        """The target stems equal or near to ``v``: only those whose length allows fuzz.ratio >= 90."""
        if v not in self.agreeing:
            lv = len(v)
            self.agreeing[v] = [
                w for lw in range(-(-9 * lv // 11), 11 * lv // 9 + 1)  # 10 * |lw - lv| <= lw + lv
                for w in self.of_length.get(lw, ()) if w == v or fuzz.ratio(w, v) >= _NEAR_RATIO
            ]
        return self.agreeing[v]

    def passing(self, fw: str) -> dict[str, float]:
        """{target words: their similarity with ``fw``} for the target words whose similarity reaches the floor."""
        if fw not in self.scores:
            fs = _stems(fw)
            agree = {w for v in fs for w in self._agreeing(v)}
            if self.floor > 0:  # a score of 0 never passes: only targets with an agreeing stem can
                candidates = {words for w in agree for words in self.with_stem[w]}
            else:
                candidates = set(self.stems)
            out = {}
            for words in candidates:
                ts = self.stems[words]
                # the count of words' stems equal or near one of fw's
                score = 100.0 * len(agree.intersection(ts)) / max(len(ts), len(fs))
                if score >= self.floor:
                    out[words] = score
            self.scores[fw] = out
        return self.scores[fw]


_TARGET_WORD = re.compile(r"\b(target|baseline)\b", re.I)


# Every (unit, is_change) a figure must have to show progress towards some target (see _compatible_units).
_LINKABLE_UNITS = frozenset({("percent", False), ("count", False), ("percent", True)})


def _compatible_units(target: dict) -> set[tuple[str, bool]]:
    """(unit, is_change) pairs of figures that can show progress towards ``target``."""
    unit, baseline_text = target["amount_unit"], target["baseline_text"] or ""
    if unit == "percent" and target["direction"] in ("reduce", "increase"):
        if "%" in baseline_text or "per cent" in baseline_text:
            return {("percent", False)}
        return {("count", False), ("percent", True)}
    if unit in ("percent", "percentage_points"):
        return {("percent", False)}
    return {("count", False)}


# A figure as linking needs it: (scan order, id, document id, (unit, is_change), meeting date).
_Fig = tuple[int, str, str, tuple[str, bool], str | None]

# The areas a figure is in, as (kind, key): kind _PLACE by its place; _BODY by its body, for targets
# without a place; _UNPLACED by its body when it has no place, for targets with a place (case aside).
_PLACE, _BODY, _UNPLACED = 0, 1, 2


def link_targets(db: sqlite_utils.Database, documents: Iterable[str] | None = None) -> int:
    """Bring ``target_figures`` up to date: every later figure that speaks to each target.

    ``documents`` are the ids of the documents a batch stored: only the links
    they can change are made again (those of their targets and figures, and
    of the other documents of their meetings, whose dates and bodies they may
    change), so adding a week's minutes to an archive of a million figures
    does not read them all: only a document with targets needs every figure
    of its area. None links the whole archive again.

    Returns the number of links made. :func:`plan_links` then :meth:`LinkPlan.apply`.
    """
    return plan_links(db, documents).apply(db)


@dataclass
class LinkPlan:
    """The links :func:`link_targets` makes, and which of the old ones they replace."""

    rows: list[tuple[str, str, float]]  # (target id, figure id, similarity)
    touched: str | None  # JSON list of the documents whose links are replaced; None: every link

    def apply(self, db: sqlite_utils.Database) -> int:
        """Replace the links in one transaction; return how many were made."""
        with db.conn:
            if self.touched is None:
                db.execute("delete from target_figures")
            else:
                # links of the touched documents' targets and figures, and of targets or figures gone since
                db.execute(
                    "delete from target_figures where target_id in (select id from targets where document_id in "
                    "(select value from json_each(:d))) or figure_id in (select id from figures where document_id "
                    "in (select value from json_each(:d))) or target_id not in (select id from targets) "
                    "or figure_id not in (select id from figures)", {"d": self.touched})
            db.conn.executemany(_INSERT_LINKS, self.rows)
        return len(self.rows)


def plan_links(db: sqlite_utils.Database, documents: Iterable[str] | None = None) -> LinkPlan:
    """What :func:`link_targets` writes, worked out by reading only (targets, figures, documents and
    meetings: a batch works it out while its search indexes are rebuilt beside it)."""
    rules = load_link_rules()
    if documents is None:
        return LinkPlan(_links(_targets(db), _figures(db), rules), None)
    touched = json.dumps(sorted({
        *documents,
        *(r[0] for r in db.execute(
            "select d.id from documents d join document_meetings dm on dm.meeting_id = d.meeting_id "
            "where dm.document_id in (select value from json_each(?))", [json.dumps(sorted(set(documents)))])),
    }))
    new_targets = _targets(db, "where t.document_id in (select value from json_each(?))", [touched])
    rows = _links(new_targets, _figures(db), rules) if new_targets else []
    old_targets = _targets(db, "where t.document_id not in (select value from json_each(?))", [touched])
    if old_targets:
        rows += _links(old_targets, _figures(db, "and f.document_id in (select value from json_each(?))", [touched]),
                       rules)
    return LinkPlan(rows, touched)


_INSERT_LINKS = "insert or replace into target_figures (target_id, figure_id, similarity) values (?, ?, ?)"


def _targets(db: sqlite_utils.Database, where: str = "", params: Sequence[object] = ()) -> list[dict]:
    return list(db.query(
        "select t.id, t.document_id, t.metric, t.direction, t.amount_unit, t.baseline_text, t.start_date, "
        "m.date as doc_date, m.body, d.place from targets t join documents d on d.id = t.document_id "
        f"left join meetings m on m.id = d.meeting_id {where}", params
    ))


# _LINKABLE_UNITS as SQL ("+": no index on the unit, so the scan keeps the plan, hence the row order, it has without it)
_LINKABLE_SQL = " or ".join(f"(+f.unit = '{unit}' and f.direction is {'not ' if change else ''}null)"
                            for unit, change in sorted(_LINKABLE_UNITS))


def _figures(db: sqlite_utils.Database, where: str = "", params: Sequence[object] = ()) -> Iterable[tuple]:
    """(id, document id, metric, unit, 1 if it states a change else 0, meeting date, body, place) of the
    figures some target could take (a metric, a linkable unit), in the order of the scan."""
    return db.execute(
        "select f.id, f.document_id, f.metric, f.unit, f.direction is not null, m.date, m.body, d.place from figures f "
        "join documents d on d.id = f.document_id "
        f"left join meetings m on m.id = f.meeting_id where f.metric is not null and ({_LINKABLE_SQL}) {where}", params
    )


def _links(targets: list[dict], figures: Iterable[tuple], rules: LinkRules) -> list[tuple[str, str, float]]:
    """(target id, figure id, similarity) for every figure that speaks to one of ``targets``.

    Burglary in Barnet says nothing about a target for Kent: a figure is in a
    target's area when its place is the target's (case aside), or, when either
    has no place, its body is the target's; a target with a place takes from
    its body only the figures without one.

    The targets are read first, so a figure is kept only in the groups (area,
    content words of its metric) that some target of the area can link: an
    archive quotes a few hundred metrics many thousand times and a target
    agrees with few of them. ``figures`` are :func:`_figures` rows; links come
    in the order a figure-by-figure scan gives.
    """
    target_words: dict[str, str] = {}  # metric -> content words
    asked: dict[tuple[int, str], set[str]] = {}  # area -> the words of its targets
    todo = []
    for t in targets:
        metric = t["metric"]
        if metric not in target_words:
            target_words[metric] = metric_words(metric, rules)
        words = target_words[metric]
        if not words:
            continue
        place, body = t["place"], t["body"]
        areas = []  # (source: 0 place, 1 body, area)
        if place:
            areas.append((0, (_PLACE, place.lower())))
        if body:
            areas.append((1, (_UNPLACED if place else _BODY, body.lower())))
        for _, area in areas:
            asked.setdefault(area, set()).add(words)
        todo.append((t, words, areas))
    agreement = _Agreement({words for _, words, _ in todo}, rules.min_similarity)

    groups: dict[tuple[int, str], dict[str, list[_Fig]]] = {}  # area -> figure words -> figures
    kept: dict[tuple[tuple[int, str], str], list[_Fig] | None] = {}  # None: no target of the area takes them

    def group(area: tuple[int, str], fw: str) -> list[_Fig] | None:
        """The figures of ``area`` with metric words ``fw``, when a target of the area can take them."""
        key = (area, fw)
        if key not in kept:
            wanted = not agreement.passing(fw).keys().isdisjoint(asked.get(area, ()))
            kept[key] = groups.setdefault(area, {}).setdefault(fw, []) if wanted else None
        return kept[key]

    figure_words: dict[str, str | None] = {}  # metric -> content words (None: a target or baseline itself)
    sinks_of: dict[tuple[str, str | None, str | None], tuple[list[_Fig], ...]] = {}
    for n, (fid, doc_id, metric, unit, change, date, body, place) in enumerate(figures):
        key = (metric, place, body)
        sinks = sinks_of.get(key)
        if sinks is None:  # the groups of the figures with this metric, place and body
            if metric not in figure_words:
                figure_words[metric] = None if _TARGET_WORD.search(metric) else metric_words(metric, rules)
            fw = figure_words[metric]
            found = []
            if fw is not None and place:
                found.append(group((_PLACE, place.lower()), fw))
            if fw is not None and body:
                found.append(group((_BODY, body.lower()), fw))
                if not place:
                    found.append(group((_UNPLACED, body.lower()), fw))
            sinks = sinks_of[key] = tuple(g for g in found if g is not None)
        if not sinks:
            continue
        units = (unit, bool(change))
        if units not in _LINKABLE_UNITS:
            continue  # no target can take it
        fig = (n, fid, doc_id, units, date)
        for sink in sinks:
            sink.append(fig)

    rows = []
    taken: dict[tuple[str, tuple[int, str]], list[tuple[float, list[_Fig]]]] = {}  # (words, area) -> its groups
    for t, words, areas in todo:
        units = _compatible_units(t)
        since = t["start_date"] or t["doc_date"]
        tid, tdoc = t["id"], t["document_id"]
        found = []
        for source, area in areas:
            key = (words, area)
            if key not in taken:
                taken[key] = [(round(scores[words], 1), figs) for fw, figs in groups.get(area, {}).items()
                              if words in (scores := agreement.passing(fw))]
            for score, figs in taken[key]:
                for order, fid, doc_id, unit, date in figs:
                    if doc_id == tdoc:
                        continue  # the target's own baseline and amount
                    # A figure with a direction states a change ("700 fewer robberies"), not a level.
                    if unit not in units:
                        continue
                    if since and date and date < since:
                        continue
                    found.append((source, order, fid, score))
        found.sort()  # (source, order) is one figure's own: the order a figure-by-figure scan gives
        rows += [(tid, fid, score) for _, _, fid, score in found]
    return rows
