"""Target linking's speed-ups give exactly the links of the plain scan they replaced.

``_links`` now reads the targets first, keeps a figure only in the groups
(area, metric words) some target of the area can take, scores metrics stem by
stem (``_Agreement``) and reads only figures of a linkable unit in SQL. The
oracle below is the former code, kept verbatim in spirit: every target is
scored against every metric of its area with ``fuzz.ratio`` on each pair of
stems. Rows must be equal as lists: same links, same order, same scores.

Archives are fictional, made here: places, bodies, metrics and dates are invented.
"""

from __future__ import annotations

import json
import random
import re

import pytest
import sqlite_utils
from conftest import plain_similarity

from extract.resolve import targets as T
from extract.store import open_db

# ------------------------------------------------------------------ the oracle (the code before the speed-ups)

_OLD_FIGURES_SQL = (
    "select f.id, f.document_id, f.metric, f.unit, f.direction, m.date, m.body, d.place from figures f "
    "join documents d on d.id = f.document_id "
    "left join meetings m on m.id = f.meeting_id where f.metric is not null {where}"
)


def _old_metric_words(text: str | None, rules: T.LinkRules) -> str:
    words = re.findall(r"[a-z][a-z'\-]+", (text or "").lower())
    return " ".join(w for w in words if w not in rules.ignore_words)


_OLD_TARGET_WORD = re.compile(r"\b(target|baseline)\b", re.I)
_OLD_LINKABLE = frozenset({("percent", False), ("count", False), ("percent", True)})


def _old_compatible_units(target: dict) -> set[tuple[str, bool]]:
    unit, baseline_text = target["amount_unit"], target["baseline_text"] or ""
    if unit == "percent" and target["direction"] in ("reduce", "increase"):
        if "%" in baseline_text or "per cent" in baseline_text:
            return {("percent", False)}
        return {("count", False), ("percent", True)}
    if unit in ("percent", "percentage_points"):
        return {("percent", False)}
    return {("count", False)}


def _old_candidates(target, by_place, by_body, by_body_unplaced):
    out = []
    if target["place"]:
        out += [(fw, 0, group) for fw, group in by_place.get(target["place"].lower(), {}).items()]
    if target["body"]:
        body = (by_body_unplaced if target["place"] else by_body).get(target["body"].lower(), {})
        out += [(fw, 1, group) for fw, group in body.items()]
    return out


def _old_links(targets: list[dict], figures, rules: T.LinkRules) -> list[tuple[str, str, float]]:
    by_place: dict = {}
    by_body: dict = {}
    by_body_unplaced: dict = {}
    words_of: dict = {}
    n = 0
    for fid, doc_id, metric, unit, direction, date, body, place in figures:
        if metric not in words_of:
            words_of[metric] = None if _OLD_TARGET_WORD.search(metric) else _old_metric_words(metric, rules)
        fw = words_of[metric]
        if fw is None:
            continue
        n += 1
        units = (unit, direction is not None)
        if units not in _OLD_LINKABLE or not (place or body):
            continue
        fig = (n, fid, doc_id, units, date)
        if place:
            by_place.setdefault(place.lower(), {}).setdefault(fw, []).append(fig)
        if body:
            by_body.setdefault(body.lower(), {}).setdefault(fw, []).append(fig)
            if not place:
                by_body_unplaced.setdefault(body.lower(), {}).setdefault(fw, []).append(fig)
    rows = []
    for t in targets:
        words = _old_metric_words(t["metric"], rules)
        if not words:
            continue
        units = _old_compatible_units(t)
        since = t["start_date"] or t["doc_date"]
        tid, tdoc = t["id"], t["document_id"]
        found = []
        for fw, source, group in _old_candidates(t, by_place, by_body, by_body_unplaced):
            score = plain_similarity(words, fw)
            if score < rules.min_similarity:
                continue
            score = round(score, 1)
            for order, fid, doc_id, unit, date in group:
                if doc_id == tdoc:
                    continue
                if unit not in units:
                    continue
                if since and date and date < since:
                    continue
                found.append((source, order, fid, score))
        found.sort()
        rows += [(tid, fid, score) for _, _, fid, score in found]
    return rows


def _old_figures(db: sqlite_utils.Database, where: str = "", params=()) -> list[tuple]:
    return db.execute(_OLD_FIGURES_SQL.format(where=where), params).fetchall()


def _old_plan_rows(db: sqlite_utils.Database, documents: list[str], rules: T.LinkRules) -> list[tuple]:
    """plan_links' rows for a batch, with the old figure reading and linking (plan_links itself is unchanged)."""
    touched = json.dumps(sorted({
        *documents,
        *(r[0] for r in db.execute(
            "select d.id from documents d join document_meetings dm on dm.meeting_id = d.meeting_id "
            "where dm.document_id in (select value from json_each(?))", [json.dumps(sorted(set(documents)))])),
    }))
    new_targets = T._targets(db, "where t.document_id in (select value from json_each(?))", [touched])
    rows = _old_links(new_targets, _old_figures(db), rules) if new_targets else []
    old_targets = T._targets(db, "where t.document_id not in (select value from json_each(?))", [touched])
    if old_targets:
        rows += _old_links(old_targets, _old_figures(db, "and f.document_id in (select value from json_each(?))",
                                                     [touched]), rules)
    return rows


# ------------------------------------------------------------------ fictional archives

PLACES = ["Harrowfield", "HARROWFIELD", "harrowfield", "Milbury", "Quenford", "", None, None]
BODIES = ["Harrowfield Community Safety Partnership", "harrowfield community safety partnership",
          "Milbury Health and Wellbeing Board", "Quenford Children's Trust", "", None]
# spelling variants, plurals, hyphens, framing words, near-misses of length (fuzz.ratio exactly 90:
# "employment"/"employmant"), and metrics that are targets or baselines themselves
TARGET_METRICS = [
    "residential burglary", "burglaries of dwellings", "knife crime", "violent crime", "re-offending rate",
    "reoffending rate among young people", "anti-social behaviour incidents", "antisocial behavior incidents",
    "first time entrants to the youth justice system", "repeat victims of domestic abuse", "employment rate",
    "employmant rate", "proportion of residents who feel safe after dark", "delayed transfers of care",
    "total", "the number of",
]
FIGURE_METRICS = TARGET_METRICS + [
    "reduction in residential burglary", "Residential burglaries", "residential burglarys", "burglary",
    "knife crimes recorded", "crime", "re-offending", "reoffending", "repeat victimisation",
    "anti-social behaviour", "ASB incidents", "youth justice first time entrants", "employment",
    "employmentt rate", "rate of employment", "target for burglary", "baseline knife crime",
    "Residents feeling safe after dark (proportion)", "delayed transfer of care", "number of delayed transfers",
    "hospital admissions", "a total", "Target", "",
]
UNITS = ["percent", "percent", "count", "count", "percentage_points", "gbp", "rate", None]
DIRECTIONS = [None, None, None, "increase", "decrease"]
DATES = ["2019-03-14", "2020-04-01", "2020-06-30", "2021-01-20", "2022-11-05", None]


def _archive(tmp_path, seed: int, n_docs: int = 45) -> sqlite_utils.Database:
    """An archive of ``n_docs`` documents in a few meetings, with targets and figures drawn at random."""
    rng = random.Random(seed)
    db = open_db(tmp_path / f"links-{seed}.db")
    meetings = [{"id": f"m{i}", "body": rng.choice(BODIES), "date": rng.choice(DATES)} for i in range(8)]
    db["meetings"].insert_all(meetings)
    docs, links, targets, figures = [], [], [], []
    for d in range(n_docs):
        meeting = rng.choice([*(m["id"] for m in meetings), None])
        docs.append({"id": f"d{d:03}", "meeting_id": meeting, "place": rng.choice(PLACES), "kind": "minutes"})
        if meeting:
            links.append({"document_id": f"d{d:03}", "meeting_id": meeting})
        for k in range(rng.choice([0, 0, 1, 2, 4])):
            targets.append({
                "id": f"t{d:03}-{k}", "document_id": f"d{d:03}", "metric": rng.choice(TARGET_METRICS),
                "direction": rng.choice(["reduce", "increase", "maintain", "reach", None]),
                "amount": 10.0, "amount_unit": rng.choice(["percent", "percentage_points", "count", None]),
                "baseline_text": rng.choice([None, "", "14%", "14 per cent", "1,200 offences"]),
                "start_date": rng.choice([None, None, "2020-04-01", "2021-01-01"]),
            })
        for k in range(rng.randint(3, 25)):
            # a figure's meeting is usually its document's, sometimes another (a report to a later meeting)
            fmeeting = meeting if rng.random() < 0.8 else rng.choice([*(m["id"] for m in meetings), None])
            figures.append({
                "id": f"f{d:03}-{k:02}", "document_id": f"d{d:03}", "meeting_id": fmeeting,
                "metric": rng.choice([*FIGURE_METRICS, None]), "unit": rng.choice(UNITS),
                "direction": rng.choice(DIRECTIONS), "value": float(rng.randint(1, 900)),
            })
    rng.shuffle(figures)  # rowid order is not document order
    db["documents"].insert_all(docs)
    db["document_meetings"].insert_all(links)
    db["targets"].insert_all(targets)
    db["figures"].insert_all(figures)
    return db


def _rules(floor: float) -> T.LinkRules:
    return T.LinkRules(T.load_link_rules().ignore_words, floor)


# ------------------------------------------------------------------ the tests


@pytest.mark.parametrize("floor", [75.0, 50.0, 100.0, 0.0])
@pytest.mark.parametrize("seed", range(6))
def test_links_equal_the_old_scan_row_for_row(tmp_path, seed, floor):
    db = _archive(tmp_path, seed)
    rules = _rules(floor)
    targets = T._targets(db)
    expected = _old_links(targets, _old_figures(db), rules)
    if floor == 75.0:
        assert len(expected) > 15, "the archive should link plenty"
    assert T._links(targets, list(T._figures(db)), rules) == expected
    assert T._links(targets, T._figures(db), rules) == expected  # as plan_links passes it: a cursor


@pytest.mark.parametrize("seed", range(4))
def test_a_batch_plan_equals_the_old_one_row_for_row(tmp_path, seed):
    """plan_links reads figures of some documents only (another index, another scan order): same rows."""
    db = _archive(tmp_path, 100 + seed)
    rng = random.Random(seed)
    docs = [r[0] for r in db.execute("select id from documents")]
    rules = T.load_link_rules()
    for batch in (docs, rng.sample(docs, 5), rng.sample(docs, 1)):
        assert T.plan_links(db, batch).rows == _old_plan_rows(db, batch, rules)


@pytest.mark.parametrize("where", ["", "and f.document_id in (select value from json_each(?))"])
@pytest.mark.parametrize("seed", range(3))
def test_figures_come_in_the_old_scan_order(tmp_path, seed, where):
    """Reading only linkable units in SQL keeps the query plan, so the kept rows keep their order."""
    db = _archive(tmp_path, 200 + seed)
    params = [json.dumps([f"d{d:03}" for d in range(0, 45, 3)])] if where else []
    old = [r for r in _old_figures(db, where, params) if (r[3], r[4] is not None) in T._LINKABLE_UNITS]
    new = list(T._figures(db, where, params))
    assert [r[0] for r in new] == [r[0] for r in old]
    assert [(r[3], bool(r[4])) for r in new] == [(r[3], r[4] is not None) for r in old]


def _mutants(rng: random.Random, word: str) -> list[str]:
    """Misspellings of ``word``: a letter changed, dropped, doubled or added (around fuzz.ratio 90)."""
    out = []
    for _ in range(3):
        i = rng.randrange(len(word))
        letter = rng.choice("aeioustr")
        out += [word[:i] + letter + word[i + 1:], word[:i] + word[i + 1:], word[:i] + word[i] + word[i:],
                word + letter]
    return [w for w in out if len(w) >= 2]


@pytest.mark.parametrize("seed", range(5))
def test_similarity_and_agreement_equal_the_plain_definition(seed):
    """Scores of words a letter or two apart, where skipping fuzz.ratio by length could go wrong."""
    rng = random.Random(seed)
    base = ["employment", "burglary", "offending", "behaviour", "entrants", "crime", "victim", "rate", "safe",
            "transfers", "admissions", "wellbeing", "ab", "abc"]
    vocab = sorted({*base, *(m for w in base for m in _mutants(rng, w))})
    metrics = sorted({" ".join(rng.sample(vocab, rng.randint(1, 4))) for _ in range(120)})
    target_words, figure_words = metrics[::2], metrics[1::2] + [""]
    for floor in (75.0, 50.0, 90.0, 0.0):
        agreement = T._Agreement(target_words, floor)
        for fw in figure_words:
            expected = {w: s for w in target_words if (s := plain_similarity(w, fw)) >= floor}
            assert agreement.passing(fw) == expected
