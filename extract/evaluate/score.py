"""Score a database against the gold keys: load both sides, match, aggregate.

Gold keys are ``*.json`` files (format in ``shared/docs/ANNOTATION.md``).
Each key names its document; the document is found in the database by
``documents.filename`` and its stored items are read from the contract tables
(``shared/docs/DATA-CONTRACT.md``). Counts are summed over documents before
precision, recall and F1 are computed (micro-average), so a long report
weighs more than a one-page summary, as it does for a user.

A gold document missing from the database is not skipped: all its items count
as misses, and the result says which documents were missing. Stored documents
without a key are ignored.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extract.errors import MinutesError
from extract.evaluate import matching as m

ATTRIBUTES = (
    "person_role",
    "figure_metric",
    "figure_direction",
    "action_owner_resolved",
    "action_due",
    "target_direction",
)
"""Attribute accuracies, each scored over matched pairs only."""

ATTRIBUTE_METRIC_KEYS = {
    "person_role": "people.role_accuracy",
    "figure_metric": "figures.metric_accuracy",
    "figure_direction": "figures.direction_accuracy",
    "action_owner_resolved": "actions.owner_resolved_accuracy",
    "action_due": "actions.due_accuracy",
    "target_direction": "targets.direction_accuracy",
}
"""Flat metric names (as used in ``tests/quality_floors.toml``) of the attribute accuracies."""


class EvaluationError(MinutesError):
    """The evaluation cannot run: missing database or gold directory, unreadable key."""


@dataclass
class FamilyScore:
    """Counts for one item family; the ratios are 0.0 when their denominator is 0."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: FamilyScore) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


@dataclass
class AttributeScore:
    """Share of scored matched pairs whose attribute is right (0.0 when none were scored)."""

    correct: int = 0
    total: int = 0

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    def record(self, ok: bool) -> None:
        self.total += 1
        self.correct += int(ok)


@dataclass
class ErrorItem:
    """One thing a developer should look at.

    ``kind`` is ``miss`` (gold item not found: ``text`` is the gold evidence or
    name), ``false_positive`` (stored item with no gold partner: ``text`` is the
    stored sentence or name) or ``attribute`` (matched, but an attribute is
    wrong: ``detail`` says gold vs stored).
    """

    family: str
    kind: str
    text: str
    detail: str | None = None


@dataclass
class DocumentResult:
    document: str  # gold["document"], the file name
    gold_file: str
    found: bool
    document_id: str | None = None
    families: dict[str, FamilyScore] = field(default_factory=dict)
    errors: list[ErrorItem] = field(default_factory=list)


@dataclass
class EvalResult:
    """Scores over all gold keys, per-document details and any warnings about the data."""

    families: dict[str, FamilyScore] = field(default_factory=lambda: {f: FamilyScore() for f in m.FAMILIES})
    attributes: dict[str, AttributeScore] = field(
        default_factory=lambda: {a: AttributeScore() for a in ATTRIBUTES}
    )
    documents: list[DocumentResult] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def metrics(self) -> dict[str, float]:
        """Flat ``family.precision/recall/f1`` and attribute ``*_accuracy`` values, for gates and tools."""
        out: dict[str, float] = {}
        for fam, s in self.families.items():
            out[f"{fam}.precision"] = s.precision
            out[f"{fam}.recall"] = s.recall
            out[f"{fam}.f1"] = s.f1
        for attr, a in self.attributes.items():
            out[ATTRIBUTE_METRIC_KEYS[attr]] = a.accuracy
        return out


# ------------------------------------------------------------------------ gold


def _num(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _texts(*values: Any) -> tuple[str, ...]:
    return tuple(v for v in values if isinstance(v, str) and v.strip())


def gold_people(items: Iterable[dict]) -> list[m.PersonRec]:
    out = []
    for it in items:
        surname = it.get("surname") or m.last_word(it.get("name")) or ""
        out.append(
            m.PersonRec(
                surname=surname,
                first_name=it.get("first_name")
                or m.first_name_from(it.get("name"), surname, it.get("honorific")),
                name=it.get("name") or surname,
                role=it.get("role"),
            )
        )
    return out


def gold_actions(items: Iterable[dict]) -> list[m.ActionRec]:
    return [
        m.ActionRec(
            owner=it.get("owner"),
            description=it.get("description"),
            texts=_texts(it.get("evidence")),
            due=it.get("due"),
            kind=it.get("kind"),
        )
        for it in items
    ]


def gold_decisions(items: Iterable[dict]) -> list[m.DecisionRec]:
    return [m.DecisionRec(kind=it.get("kind"), texts=_texts(it.get("evidence"))) for it in items]


def gold_figures(items: Iterable[dict]) -> list[m.FigureRec]:
    return [
        m.FigureRec(
            value=_num(it.get("value")),
            unit=it.get("unit"),
            texts=_texts(it.get("evidence")),
            metric=it.get("metric"),
            direction=it.get("direction"),
            period=it.get("period"),
        )
        for it in items
    ]


def gold_targets(items: Iterable[dict]) -> list[m.TargetRec]:
    return [
        m.TargetRec(
            amount=_num(it.get("amount")),
            amount_unit=it.get("amount_unit"),
            baseline=_num(it.get("baseline")),
            texts=_texts(it.get("evidence")),
            metric=it.get("metric"),
            direction=it.get("direction"),
            period=it.get("period"),
        )
        for it in items
    ]


_GOLD_READERS = {
    "people": gold_people,
    "actions": gold_actions,
    "decisions": gold_decisions,
    "figures": gold_figures,
    "targets": gold_targets,
}


def load_gold(path: Path) -> dict:
    """Read one key; a clear error names the file when it is not a usable key."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EvaluationError(f"cannot read gold key {path}: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("document"), str):
        raise EvaluationError(f'gold key {path} has no "document" file name')
    for fam in m.FAMILIES:
        if not isinstance(data.get(fam, []), list):
            raise EvaluationError(f'gold key {path}: "{fam}" must be a list')
    return data


# ----------------------------------------------------------------- predictions


class _Store:
    """Read-only view of the contract tables; tolerates tables or columns not created yet."""

    def __init__(self, conn: sqlite3.Connection, warnings: list[str]) -> None:
        self.conn = conn
        self.warnings = warnings
        self.columns: dict[str, set[str]] = {}
        for (name,) in conn.execute("select name from sqlite_master where type in ('table', 'view')"):
            self.columns[name] = {r[1] for r in conn.execute(f'pragma table_info("{name}")')}

    def select(self, table: str, wanted: list[str], where: str, args: tuple) -> list[dict]:
        if table not in self.columns:
            self._warn(f"table {table!r} is missing: its items count as not extracted")
            return []
        have = self.columns[table]
        missing = [c for c in wanted if c not in have]
        if missing:
            self._warn(f"table {table!r} lacks contract column(s) {', '.join(missing)}: read as NULL")
        cols = ", ".join(f'"{c}"' if c in have else f'NULL as "{c}"' for c in wanted)
        rows = self.conn.execute(f'select {cols} from "{table}" where {where}', args).fetchall()
        return [dict(zip(wanted, r, strict=True)) for r in rows]

    def _warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)


def _find_document(store: _Store, filename: str) -> str | None:
    rows = store.select("documents", ["id", "ingested_at"], "filename = ?", (filename,))
    if not rows:
        return None
    rows.sort(key=lambda r: (str(r["ingested_at"] or ""), str(r["id"])), reverse=True)
    if len(rows) > 1:
        store._warn(
            f"{len(rows)} documents named {filename!r}: scored the most recently ingested ({rows[0]['id']})"
        )
    return str(rows[0]["id"])


def predicted_people(store: _Store, doc_id: str) -> list[m.PersonRec]:
    """Distinct people rows with at least one mention in the document."""
    if "mentions" not in store.columns:
        store._warn("table 'mentions' is missing: no people can be attributed to documents")
        return []
    rows = store.select(
        "people",
        ["id", "name", "honorific", "first_name", "surname", "role"],
        "id in (select person_id from mentions where document_id = ?) order by id",
        (doc_id,),
    )
    # Gold keys give the role a person has in *this* document; people.role is the
    # archive-wide best, so prefer the document's own person_roles rows.
    doc_roles: dict[str, str] = {}
    if "person_roles" in store.columns:
        for r in store.select("person_roles", ["person_id", "role"], "document_id = ? and role is not null",
                              (doc_id,)):
            if len(r["role"] or "") > len(doc_roles.get(r["person_id"], "")):
                doc_roles[r["person_id"]] = r["role"]
    out = []
    for r in rows:
        surname = r["surname"] or m.last_word(r["name"]) or ""
        first = r["first_name"] or m.first_name_from(r["name"], surname, r["honorific"])
        role = doc_roles.get(r["id"], r["role"])
        out.append(
            m.PersonRec(surname=surname, first_name=first, name=r["name"] or surname, role=role, ref=r["id"])
        )
    return out


def predicted_actions(store: _Store, doc_id: str) -> list[m.ActionRec]:
    """Owner surname is the resolved person's surname, else the last word of owner_text."""
    rows = store.select(
        "actions",
        ["id", "kind", "owner_text", "owner_id", "description", "due_text", "sentence"],
        "document_id = ? order by id",
        (doc_id,),
    )
    surnames: dict[str, str | None] = {}
    owner_ids = sorted({r["owner_id"] for r in rows if r["owner_id"] is not None})
    if owner_ids:
        marks = ",".join("?" * len(owner_ids))
        for p in store.select("people", ["id", "name", "surname"], f"id in ({marks})", tuple(owner_ids)):
            surnames[p["id"]] = p["surname"] or m.last_word(p["name"])
    out = []
    for r in rows:
        owner = surnames.get(r["owner_id"]) if r["owner_id"] is not None else None
        out.append(
            m.ActionRec(
                owner=owner or m.last_word(r["owner_text"]),
                description=r["description"],
                texts=_texts(r["sentence"]),
                due=r["due_text"],
                kind=r["kind"],
                owner_resolved=r["owner_id"] is not None,
                ref=r["id"],
            )
        )
    return out


def predicted_decisions(store: _Store, doc_id: str) -> list[m.DecisionRec]:
    rows = store.select(
        "decisions", ["id", "kind", "text", "sentence"], "document_id = ? order by id", (doc_id,)
    )
    return [m.DecisionRec(kind=r["kind"], texts=_texts(r["text"], r["sentence"]), ref=r["id"]) for r in rows]


def predicted_figures(store: _Store, doc_id: str) -> list[m.FigureRec]:
    rows = store.select(
        "figures",
        ["id", "value", "unit", "sentence", "metric", "direction", "period"],
        "document_id = ? order by id",
        (doc_id,),
    )
    return [
        m.FigureRec(
            value=_num(r["value"]),
            unit=r["unit"],
            texts=_texts(r["sentence"]),
            metric=r["metric"],
            direction=r["direction"],
            period=r["period"],
            ref=r["id"],
        )
        for r in rows
    ]


def predicted_targets(store: _Store, doc_id: str) -> list[m.TargetRec]:
    rows = store.select(
        "targets",
        ["id", "amount", "amount_unit", "baseline_value", "sentence", "metric", "direction", "period"],
        "document_id = ? order by id",
        (doc_id,),
    )
    return [
        m.TargetRec(
            amount=_num(r["amount"]),
            amount_unit=r["amount_unit"],
            baseline=_num(r["baseline_value"]),
            texts=_texts(r["sentence"]),
            metric=r["metric"],
            direction=r["direction"],
            period=r["period"],
            ref=r["id"],
        )
        for r in rows
    ]


_PRED_READERS = {
    "people": predicted_people,
    "actions": predicted_actions,
    "decisions": predicted_decisions,
    "figures": predicted_figures,
    "targets": predicted_targets,
}


# --------------------------------------------------------------------- scoring


def _label(family: str, item: Any) -> str:
    """What a developer needs to recognise an item: the name, or the evidence / stored sentence."""
    if family == "people":
        return item.name or item.surname
    # decisions store text and sentence: show the fuller one
    return max(item.texts, key=len) if item.texts else "(no sentence stored)"


def _short(family: str, item: Any) -> str:
    if family == "actions":
        return f"owner={item.owner!r} description={item.description!r}"
    if family == "decisions":
        return f"kind={item.kind!r}"
    if family == "figures":
        return f"value={item.value!r} unit={item.unit!r} metric={item.metric!r}"
    if family == "targets":
        return f"amount={item.amount!r} unit={item.amount_unit!r} baseline={item.baseline!r} metric={item.metric!r}"
    return f"role={item.role!r}"


def score_document(
    gold: dict[str, list], pred: dict[str, list], attributes: dict[str, AttributeScore]
) -> tuple[dict[str, FamilyScore], list[ErrorItem]]:
    """Match one document's gold and predicted records (by family); update ``attributes`` in place."""
    families: dict[str, FamilyScore] = {}
    errors: list[ErrorItem] = []
    for fam in m.FAMILIES:
        g_items, p_items = gold.get(fam, []), pred.get(fam, [])
        res = m.assign(g_items, p_items, m.PAIR_FUNCTIONS[fam])
        families[fam] = FamilyScore(tp=len(res.pairs), fp=len(res.extra), fn=len(res.missed))
        for gi in res.missed:
            errors.append(ErrorItem(fam, "miss", _label(fam, g_items[gi]), _short(fam, g_items[gi])))
        for pi in res.extra:
            errors.append(
                ErrorItem(fam, "false_positive", _label(fam, p_items[pi]), _short(fam, p_items[pi]))
            )
        for gi, pi in res.pairs:
            errors.extend(_score_attributes(fam, g_items[gi], p_items[pi], attributes))
    return families, errors


def _score_attributes(fam: str, g: Any, p: Any, attributes: dict[str, AttributeScore]) -> list[ErrorItem]:
    checks: list[tuple[str, bool | None, str]] = []
    if fam == "people":
        checks.append(("person_role", m.role_correct(g, p), f"role: gold {g.role!r}, stored {p.role!r}"))
    elif fam == "figures":
        checks.append(
            ("figure_metric", m.metric_correct(g, p), f"metric: gold {g.metric!r}, stored {p.metric!r}")
        )
        checks.append(
            (
                "figure_direction",
                m.direction_correct(g.direction, p.direction),
                f"direction: gold {g.direction!r}, stored {p.direction!r}",
            )
        )
    elif fam == "actions":
        checks.append(
            ("action_owner_resolved", p.owner_resolved, f"owner {p.owner!r} not resolved to a person")
        )
        checks.append(("action_due", m.due_correct(g, p), f"due: gold {g.due!r}, stored {p.due!r}"))
    elif fam == "targets":
        checks.append(
            (
                "target_direction",
                m.direction_correct(g.direction, p.direction),
                f"direction: gold {g.direction!r}, stored {p.direction!r}",
            )
        )
    errors = []
    for attr, ok, detail in checks:
        if ok is None:
            continue
        attributes[attr].record(ok)
        if not ok:
            errors.append(ErrorItem(fam, "attribute", _label(fam, g), detail))
    return errors


def load_keys(gold: Path) -> list[tuple[str, dict]]:
    """(label, key) pairs from a folder of keys or one bundle file.

    A bundle is a JSON object whose ``documents`` list holds keys in the same
    format (the demo corpus's ``corpus/expected.json``), so a corpus written
    apart from the rules can be scored like the seeds.
    """
    if gold.is_dir():
        key_files = sorted(gold.glob("*.json"))
        if not key_files:
            raise EvaluationError(f"gold directory {gold} holds no *.json keys")
        return [(path.name, load_gold(path)) for path in key_files]
    if not gold.is_file():
        raise EvaluationError(f"gold directory {gold} does not exist")
    try:
        bundle = json.loads(gold.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EvaluationError(f"cannot read gold bundle {gold}: {exc}") from exc
    docs = bundle.get("documents") if isinstance(bundle, dict) else None
    if not isinstance(docs, list) or not docs:
        raise EvaluationError(f'gold file {gold} is neither a key folder nor a bundle with a "documents" list')
    out = []
    for n, key in enumerate(docs):
        if not isinstance(key, dict) or not isinstance(key.get("document"), str):
            raise EvaluationError(f'gold bundle {gold}: entry {n} has no "document" file name')
        out.append((f"{gold.name}#{n}", key))
    return out


def evaluate(db_path: str | Path, gold_dir: str | Path) -> EvalResult:
    """Compare what the database stored with every gold key in ``gold_dir``.

    ``gold_dir`` is a folder of keys or one bundle file (see :func:`load_keys`).
    Raises :class:`EvaluationError` when the database or the gold keys are
    missing or unreadable.
    """
    db_path, gold_dir = Path(db_path), Path(gold_dir)
    if not db_path.is_file():
        raise EvaluationError(
            f"database {db_path} does not exist; run `minutes ingest ... --db {db_path}` first"
        )
    keys = load_keys(gold_dir)

    result = EvalResult()
    try:
        conn = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise EvaluationError(f"cannot open database {db_path}: {exc}") from exc
    try:
        try:
            store = _Store(conn, result.warnings)
        except sqlite3.DatabaseError as exc:
            raise EvaluationError(f"{db_path} is not a readable SQLite database: {exc}") from exc
        if "documents" not in store.columns:
            raise EvaluationError(f"{db_path} has no documents table; is it a minutes-extract database?")
        for label, key in keys:
            gold = {fam: _GOLD_READERS[fam](key.get(fam, [])) for fam in m.FAMILIES}
            doc_id = _find_document(store, key["document"])
            doc = DocumentResult(
                document=key["document"], gold_file=label, found=doc_id is not None, document_id=doc_id
            )
            if doc_id is None:
                result.warnings.append(
                    f"{key['document']} (key {label}) is not in the database: all its items count as misses"
                )
                pred: dict[str, list] = {fam: [] for fam in m.FAMILIES}
            else:
                pred = {fam: _PRED_READERS[fam](store, doc_id) for fam in m.FAMILIES}
            doc.families, doc.errors = score_document(gold, pred, result.attributes)
            for fam, s in doc.families.items():
                result.families[fam].add(s)
            result.documents.append(doc)
    finally:
        conn.close()
    return result
