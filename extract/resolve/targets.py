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


@lru_cache(maxsize=1 << 16)
def similarity(a: str, b: str) -> float:
    """Agreement (0-100) of two metrics' content words, symmetric.

    Most words of *both* metrics must agree ("robbery" is not "personal
    robbery"; "crime" is not "knife crime"); words agree when their stems are
    equal or nearly so (spelling variants, "re-offending"/"reoffending").
    Cached: an archive quotes the same few hundred metrics thousands of times,
    and linking compares every target with every figure in its area.
    """
    if not a or not b:
        return 0.0
    sa, sb = _stems(a), _stems(b)
    shared = sum(1 for w in sa if w in sb or any(fuzz.ratio(w, v) >= 90 for v in sb))
    return 100.0 * shared / max(len(sa), len(sb))


@lru_cache(maxsize=1 << 14)
def _stems(text: str) -> tuple[str, ...]:
    """The sorted distinct stems of a metric's content words (a metric is compared with many others)."""
    return tuple(sorted({_stem(w) for w in text.split()}))


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
Area = dict[str, dict[str, list[_Fig]]]  # place or body -> metric words -> figures


def _candidates(target: dict, by_place: Area, by_body: Area, by_body_unplaced: Area) -> list[tuple[str, int, list[_Fig]]]:
    """Figures in the target's area, grouped by metric words, found by lookup.

    Burglary in Barnet says nothing about a target for Kent: a figure is in
    the area when its place is the target's (case aside), or, when either
    has no place, its body is the target's.

    Each group comes as (metric words, 0 for the place's figures or 1 for the body's, figures); a
    target with a place takes from its body only the figures without one (``by_body_unplaced``).
    """
    out: list[tuple[str, int, list[_Fig]]] = []
    if target["place"]:
        out += [(fw, 0, group) for fw, group in by_place.get(target["place"].lower(), {}).items()]
    if target["body"]:
        body = (by_body_unplaced if target["place"] else by_body).get(target["body"].lower(), {})
        out += [(fw, 1, group) for fw, group in body.items()]
    return out


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


def _figures(db: sqlite_utils.Database, where: str = "", params: Sequence[object] = ()) -> Iterable[tuple]:
    return db.execute(
        "select f.id, f.document_id, f.metric, f.unit, f.direction, m.date, m.body, d.place from figures f "
        "join documents d on d.id = f.document_id "
        f"left join meetings m on m.id = f.meeting_id where f.metric is not null {where}", params
    )


def _links(targets: list[dict], figures: Iterable[tuple], rules: LinkRules) -> list[tuple[str, str, float]]:
    """(target id, figure id, similarity) for every figure that speaks to one of ``targets``.

    Figures are grouped by area and by the content words of their metric, so
    each target is scored once per distinct metric in its area rather than
    once per figure (an archive quotes a few hundred metrics many thousand
    times); links come in the order a figure-by-figure scan gives.
    Figures are read as plain tuples, and only those whose unit can show
    progress towards some target are kept: an archive has many thousand.
    """
    by_place: Area = {}
    by_body: Area = {}
    by_body_unplaced: Area = {}
    words_of: dict[str, str | None] = {}  # metric -> content words (None: a target or baseline itself)
    n = 0
    for fid, doc_id, metric, unit, direction, date, body, place in figures:
        if metric not in words_of:
            words_of[metric] = None if _TARGET_WORD.search(metric) else metric_words(metric, rules)
        fw = words_of[metric]
        if fw is None:
            continue
        n += 1
        units = (unit, direction is not None)
        if units not in _LINKABLE_UNITS or not (place or body):
            continue  # no target can take it
        fig = (n, fid, doc_id, units, date)
        if place:
            by_place.setdefault(place.lower(), {}).setdefault(fw, []).append(fig)
        if body:
            by_body.setdefault(body.lower(), {}).setdefault(fw, []).append(fig)
            if not place:
                by_body_unplaced.setdefault(body.lower(), {}).setdefault(fw, []).append(fig)
    rows = []
    for t in targets:
        words = metric_words(t["metric"], rules)
        if not words:
            continue
        units = _compatible_units(t)
        since = t["start_date"] or t["doc_date"]
        tid, tdoc = t["id"], t["document_id"]
        found = []
        for fw, source, group in _candidates(t, by_place, by_body, by_body_unplaced):
            score = similarity(words, fw)
            if score < rules.min_similarity:
                continue
            score = round(score, 1)
            for order, fid, doc_id, unit, date in group:
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
