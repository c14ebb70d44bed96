"""Actions across meetings: due dates, closing by later minutes, clerks' decisions.

Extraction sees one document; whether an action is still open is a question
about the archive. This module answers it after each ingest batch:

* :func:`resolve_due` turns "the next meeting", "by March 2025", "in October",
  "within two weeks" into an ISO date relative to the meeting;
* :func:`track_actions` closes an open action when a *later* meeting of the
  same body reports it done (same owner, similar task, completion wording from
  ``models/tracking.json``), recording which minutes closed it and why;
* clerks' decisions (:func:`close_action`, :func:`reopen_action`) live in
  ``action_overrides``, which extraction never writes, so they survive every
  re-ingest; :func:`list_actions` shows the override when there is one.
"""

from __future__ import annotations

import bisect
import calendar
import contextlib
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import sqlite_utils
from rapidfuzz import fuzz

from ..rx.fold import fold_case
from ..rx.scan import word_search
from ..rx.sre import ATOMIC_GROUP as _ATOMIC_GROUP
from ..rx.sre import REPEATS as _REPEATS
from ..rx.sre import C as _sre
from ..rx.sre import parse as _parse_regex
from ..store import TABLES, add_missing_columns

MODELS_DIR = Path(__file__).resolve().parents[2] / "models"

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14, "twenty": 20,
    "thirty": 30, "a couple of": 2, "a few": 3,
}
SEASON_END = {"spring": (5, 31), "summer": (8, 31), "autumn": (11, 30), "fall": (11, 30), "winter": (2, 28)}

OVERRIDE_COLUMNS = TABLES["action_overrides"]
TRACKING_COLUMNS = {"closed_by_document_id": str, "closed_by_meeting_id": str, "closed_evidence": str}


# -------------------------------------------------------------------- due dates


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    y += d.year
    m += 1
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


_MEETING_IN_MONTH = re.compile(
    r"(?:the |its |their )?(?:[\w&-]+(?:'s|’s) )?"
    r"(?P<when>(?:january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\b(?: \d{1,2}(?:st|nd|rd|th)?)?(?:,? \d{4})?)"
    r"(?: [a-z]+){0,2} (?:meeting|session)"
)
"""A meeting named by its month (lower-cased due text): "the march 2025 meeting", "the panel's september meeting"."""

# the wordings resolve_due reads, per deadline (compiled once)
_DUE_WS = re.compile(r"\s+")
_DUE_LEAD_PREP = re.compile(r"^(?:at|by|before|for|to|until|in|during|on|no later than|on or before)\s+")
_DUE_NEXT_MEETING = re.compile(r"\b(?:next|following|subsequent)\b.*\b(?:meeting|session|board|committee|panel|cabinet)\b")
_DUE_OPEN_ENDED = re.compile(r"\b(?:future|later|forthcoming|coming)\b")
_DUE_DAY_DIGITS = re.compile(r"\d{1,2}")
_DUE_YEAR_DIGITS = re.compile(r"\d{4}")
_DUE_MEETING_END = re.compile(r"\b(?:meeting|session)$")
_DUE_WITHIN = re.compile(r"within (?:the next )?(\d+|[a-z]+(?: [a-z]+ of| few)?) (?:working )?(day|week|month|year)s?$")
_DUE_LEAD_THE = re.compile(r"^the ")
_DUE_NEXT_QUARTER = re.compile(r"(?:next|the following) quarter")
_DUE_END_OF = re.compile(r"end of (?:the |this )?(week|month|quarter|year|calendar year|financial year)")
_DUE_END_OF_NEXT = re.compile(r"end of next (week|month|year)")
_DUE_SEASON = re.compile(r"(?:the )?(spring|summer|autumn|fall|winter)(?: (\d{4}))?")
_DUE_LEAD_END_OF = re.compile(r"^end of ")
_DUE_LEAD_PART = re.compile(r"^(?:early|mid|late|mid-)\s*")
_DUE_ORDINAL = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\b")
_DUE_DATE_WORD = re.compile(r"\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec")


def resolve_due(due_text: str | None, meeting_date: str | None, next_meeting_date: str | None = None) -> str | None:
    """The ISO date a deadline written as ``due_text`` falls on, or None.

    Dates are read relative to the meeting: "the next meeting" is the date of
    the body's next meeting when the archive holds it; a month alone ("in
    October", "by March 2025") is the last day of the first such month on or
    after the meeting (a deadline "in October" is met by the end of October);
    "within two weeks" counts from the meeting. Open-ended wording ("a future
    meeting", "as soon as it is available") has no date.
    """
    if not due_text:
        return None
    t = _DUE_WS.sub(" ", due_text.strip().lower())
    t = _DUE_LEAD_PREP.sub("", t)
    if _DUE_NEXT_MEETING.search(t):
        return next_meeting_date
    if _DUE_OPEN_ENDED.search(t) or t.startswith("as soon as"):
        return None
    if not meeting_date:
        return None
    try:
        base = date.fromisoformat(meeting_date[:10])
    except ValueError:
        return None

    named = _MEETING_IN_MONTH.fullmatch(t)
    if named:  # "the March 2025 meeting", "the Panel's September meeting", "the April 8 meeting"
        when = named.group("when")
        if not _DUE_DAY_DIGITS.search(_DUE_YEAR_DIGITS.sub("", when)):
            month_end = resolve_due(when, meeting_date)
            if month_end and next_meeting_date and next_meeting_date[:7] == month_end[:7]:
                return next_meeting_date  # the body's meeting in that month, when the archive holds it
            return month_end
        t = when
    elif _DUE_MEETING_END.search(t):
        return None  # "the same meeting", "the annual meeting": no date in the words

    m = _DUE_WITHIN.match(t)
    if m:
        n = int(m.group(1)) if m.group(1).isdigit() else NUMBER_WORDS.get(m.group(1))
        if n is None:
            return None
        unit = m.group(2)
        if unit == "day":
            return (base + timedelta(days=n)).isoformat()
        if unit == "week":
            return (base + timedelta(weeks=n)).isoformat()
        return _add_months(base, n * (12 if unit == "year" else 1)).isoformat()

    t = _DUE_LEAD_THE.sub("", t)
    if t in ("next week",):
        return (base + timedelta(days=7)).isoformat()
    if t in ("next month", "the following month"):
        nxt = _add_months(base.replace(day=1), 1)
        return _month_end(nxt.year, nxt.month).isoformat()
    if t in ("next year",):
        return date(base.year + 1, 12, 31).isoformat()
    if _DUE_NEXT_QUARTER.fullmatch(t):
        q_end = ((base.month - 1) // 3 + 2) * 3
        y = base.year + (q_end - 1) // 12
        q_end = (q_end - 1) % 12 + 1
        return _month_end(y, q_end).isoformat()
    m = _DUE_END_OF.fullmatch(t)
    if m:
        what = m.group(1)
        if what == "week":
            return (base + timedelta(days=(4 - base.weekday()) % 7)).isoformat()
        if what == "month":
            return _month_end(base.year, base.month).isoformat()
        if what == "quarter":
            q_end = ((base.month - 1) // 3 + 1) * 3
            return _month_end(base.year, q_end).isoformat()
        if what == "financial year":  # UK local government: April to March
            return date(base.year + (1 if base.month > 3 else 0), 3, 31).isoformat()
        return date(base.year, 12, 31).isoformat()
    m = _DUE_END_OF_NEXT.fullmatch(t)
    if m:
        if m.group(1) == "week":
            return (base + timedelta(days=7 + (4 - base.weekday()) % 7)).isoformat()
        if m.group(1) == "month":
            nxt = _add_months(base.replace(day=1), 1)
            return _month_end(nxt.year, nxt.month).isoformat()
        return date(base.year + 1, 12, 31).isoformat()
    m = _DUE_SEASON.fullmatch(t)
    if m:
        mon, day = SEASON_END[m.group(1)]
        y = int(m.group(2)) if m.group(2) else base.year + (1 if mon == 2 else 0)
        d = date(y, mon, day)
        if not m.group(2) and d < base:
            d = date(y + 1, mon, day)
        return d.isoformat()
    t = _DUE_LEAD_END_OF.sub("", t)
    t = _DUE_LEAD_PART.sub("", t)
    t = _DUE_ORDINAL.sub(r"\1", t).replace(" of ", " ")
    if not _DUE_DATE_WORD.search(t):
        return None
    parsed = _dateparse(t, base)
    if parsed is None or parsed < base - timedelta(days=1) or parsed > base + timedelta(days=5 * 366):
        return None
    return parsed.isoformat()


_MONTH_NUMBERS = {name.lower(): n for n, name in enumerate(calendar.month_name) if name}
_PLAIN_DUE = re.compile(r"(?:(\d{1,2}) )?([a-z]+)(?: (\d{4}))?")


def _plain_date(text: str, base: date) -> date | None:
    """The common deadlines ("october", "30 may", "13 june 2025", "december 2025") read directly.

    Same answers as dateparser with the settings :func:`_dateparse` uses
    (checked on 16,750 cases: a month alone is its last day, the first such
    day after the meeting; a day and month without a year, the first after
    the meeting), without loading dateparser, which costs a process about
    0.4 s. One deliberate difference: dateparser reads "february" after the
    29th of a month in a leap year as 29 February four years on; this gives
    the next 28 (or 29) February. None: not a plain date, ask dateparser.
    """
    m = _PLAIN_DUE.fullmatch(text)
    if not m or m.group(2) not in _MONTH_NUMBERS:
        return None
    day, month, year = m.group(1), _MONTH_NUMBERS[m.group(2)], m.group(3)
    try:
        if year:
            return _month_end(int(year), month) if day is None else date(int(year), month, int(day))
        if day is None:
            this = _month_end(base.year, month)
            return this if this > base else _month_end(base.year + 1, month)
        this, following = date(base.year, month, int(day)), date(base.year + 1, month, int(day))
    except ValueError:
        return None  # "31 june", "29 february": dateparser decides
    return this if this > base else following


@lru_cache(maxsize=4096)
def _dateparse(text: str, base: date) -> date | None:
    """dateparser's reading of ``text`` relative to ``base`` (cached: tracking re-reads
    every due date of a body after each batch, and dateparser takes milliseconds a call)."""
    plain = _plain_date(text, base)
    if plain is not None:
        return plain
    import dateparser  # slow to import: only when a due date needs it

    dt = dateparser.parse(
        text,
        languages=["en"],
        settings={
            "RELATIVE_BASE": datetime(base.year, base.month, base.day),
            "PREFER_DATES_FROM": "future",
            "PREFER_DAY_OF_MONTH": "last",
            "DATE_ORDER": "DMY",
        },
    )
    return dt.date() if dt else None


# --------------------------------------------------------------------- schema


def ensure_tracking_schema(db: sqlite_utils.Database) -> None:
    """The override table and the tracking columns, if the store has not made them yet."""
    if not db["action_overrides"].exists():
        db["action_overrides"].create(OVERRIDE_COLUMNS, pk="action_id")
    else:
        add_missing_columns(db["action_overrides"], OVERRIDE_COLUMNS)
    if db["actions"].exists():
        add_missing_columns(db["actions"], TRACKING_COLUMNS)


def ensure_action_log_view(db: sqlite_utils.Database) -> None:
    """``action_log``: every action with its effective status, owner name and days open.

    The view Datasette's canned queries ("Outstanding actions", "Actions by
    owner") can select from: the clerk's override wins over the extracted or
    tracked status, exactly as ``minutes actions`` shows it.
    """
    if not (db["actions"].exists() and db["meetings"].exists()):
        return
    ensure_tracking_schema(db)
    people = db["people"].exists()
    docs = db["documents"].exists() and "filename" in db["documents"].columns_dict
    sql = f"""CREATE VIEW action_log AS
SELECT a.id, COALESCE(o.status, a.status, 'open') AS status, a.kind,
       COALESCE({'p.name' if people else 'NULL'}, a.owner_text) AS owner, a.description AS task,
       m.body, m.date AS meeting_date, a.due_text, a.due_date,
       CASE WHEN COALESCE(o.status, a.status, 'open') = 'open' AND m.date IS NOT NULL
            THEN CAST(julianday('now') - julianday(m.date) AS INTEGER) END AS days_open,
       o.note AS clerk_note, o.decided_at, o.decided_by, o.superseded_by,
       a.closed_by_meeting_id, a.closed_by_document_id, a.closed_evidence,
       a.meeting_id, a.document_id, {'d.filename' if docs else 'NULL'} AS document, a.page, a.sentence,
       a.owner_id, a.owner_text
  FROM actions a
  LEFT JOIN action_overrides o ON o.action_id = a.id
  LEFT JOIN meetings m ON m.id = a.meeting_id
  {'LEFT JOIN people p ON p.id = a.owner_id' if people else ''}
  {'LEFT JOIN documents d ON d.id = a.document_id' if docs else ''}"""
    current = db.execute("SELECT sql FROM sqlite_master WHERE type = 'view' AND name = 'action_log'").fetchone()
    if current and current[0] == sql:
        return
    with db.conn:
        db.execute("DROP VIEW IF EXISTS action_log")
        db.execute(sql)


# ------------------------------------------------------------------- tracking


@dataclass(frozen=True)
class TrackingRules:
    completion: tuple[re.Pattern[str], ...]
    still_open: tuple[re.Pattern[str], ...]
    stopwords: frozenset[str]
    irregular: dict[str, str]
    min_coverage: float
    min_shared_words: int
    min_ratio: float
    report_task: re.Pattern[str] | None = None  # a task to report back / give an update
    report_cues: tuple[re.Pattern[str], ...] = ()  # the owner reporting: completes a report_task only
    # word -> its stem (see _stem), filled as words come: a batch stems the same few thousand words many times
    stems: dict[str, str] = field(default_factory=dict, init=False, compare=False, repr=False)


@lru_cache(maxsize=4)
def load_tracking_rules(path: str | None = None) -> TrackingRules:
    """Read ``models/tracking.json`` (cues are data, not code)."""
    p = Path(path) if path else MODELS_DIR / "tracking.json"
    try:
        cfg = json.loads(p.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{p}: invalid JSON: {exc}") from exc
    return TrackingRules(
        completion=tuple(re.compile(c, re.IGNORECASE) for c in cfg["completion_cues"]),
        still_open=tuple(re.compile(c, re.IGNORECASE) for c in cfg["open_cues"]),
        stopwords=frozenset(cfg["stopwords"]),
        irregular=dict(cfg.get("irregular", {})),
        min_coverage=float(cfg.get("min_coverage", 0.5)),
        min_shared_words=int(cfg.get("min_shared_words", 2)),
        min_ratio=float(cfg.get("min_ratio", 60)),
        report_task=re.compile(cfg["report_task"], re.IGNORECASE) if cfg.get("report_task") else None,
        report_cues=tuple(re.compile(c, re.IGNORECASE) for c in cfg.get("report_cues", [])),
    )


def _stem(word: str, rules: TrackingRules) -> str:
    stem = rules.stems.get(word)
    if stem is None:
        stem = rules.stems[word] = _stem_of(word, rules)
    return stem


def _stem_of(word: str, rules: TrackingRules) -> str:
    w = rules.irregular.get(word, word)
    for suf in ("ations", "ation", "ings", "ing", "ies", "ed", "es", "s", "e"):
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            return w[: -len(suf)] + ("y" if suf == "ies" else "")
    return w


def _content(text: str, rules: TrackingRules, drop: set[str]) -> list[str]:
    words = re.findall(r"[a-z][a-z'\-]+", text.lower())
    return [_stem(w, rules) for w in words if w not in rules.stopwords and w not in drop]


def task_similarity(task: str, sentence: str, owner_words: set[str], rules: TrackingRules | None = None) -> tuple[float, int, float]:
    """(share of content words in common, words in common, rapidfuzz token_set_ratio) after crude stemming."""
    rules = rules or load_tracking_rules()
    a = _content(task, rules, owner_words)
    b = _content(sentence, rules, owner_words)
    if not a or not b:
        return 0.0, 0, 0.0
    shared = set(a) & set(b)
    # A confirmation often repeats only part of the task ("the ward breakdown had been circulated"), and a
    # task may be shorter than the sentence reporting it: the better of the two coverages counts.
    coverage = max(len(shared) / len(set(a)), len(shared) / len(set(b)))
    return coverage, len(shared), fuzz.token_set_ratio(" ".join(a), " ".join(b))


def completes(
    task: str, owner_words: set[str], sentence: str, context: str, rules: TrackingRules | None = None
) -> bool:
    """Does ``sentence`` (with ``context``, the sentence before) report the owner's task done?"""
    rules = rules or load_tracking_rules()
    low = sentence.lower()
    if not _has_completion(sentence, rules, task):
        return False
    named = any(re.search(rf"\b{re.escape(w)}\b", low) for w in owner_words)
    if not named:
        if not re.search(r"\b(?:he|she)\b", low):
            return False
        if not any(re.search(rf"\b{re.escape(w)}\b", context.lower()) for w in owner_words):
            return False
    coverage, shared, ratio = task_similarity(task, sentence, owner_words, rules)
    need = min(rules.min_shared_words, len(set(_content(task, rules, owner_words))))
    return need > 0 and shared >= need and coverage >= rules.min_coverage and ratio >= rules.min_ratio


def _owner_words(owner_text: str | None, surname: str | None) -> set[str]:
    words: set[str] = set()
    if surname:
        words.add(surname.lower())
    if owner_text:
        toks = re.findall(r"[A-Za-z][A-Za-z'\-]+", owner_text)
        if toks:
            words.add(toks[-1].lower())
    return {w for w in words if len(w) > 1}


def merge_action_logs(db: sqlite_utils.Database) -> int:
    """Fold action-log rows into the body actions they restate, per document; return how many rows went.

    Extraction reads a document in chunks (one per agenda item), so the log
    at the end of the minutes and the sentences it restates are often seen
    apart; this is :func:`extract.nlp.actions.merge_log_rows` over the whole
    document. Actions a clerk has decided on are left alone.
    """
    from ..nlp.actions import is_log_row, log_row_pairs, merged_with_row
    from ..records import ActionItem, Span

    if not db["actions"].exists():
        return 0
    overrides = "SELECT action_id FROM action_overrides" if db["action_overrides"].exists() else "SELECT NULL"
    docs = [r["document_id"] for r in db.query(
        f"SELECT DISTINCT document_id FROM actions WHERE kind = 'action' AND sentence LIKE '% | %' "
        f"AND id NOT IN ({overrides})")]
    removed = 0
    with db.conn:
        for doc_id in docs:
            rows = list(db.query(
                f"SELECT id, meeting_id, kind, owner_text, description, sentence, due_text, due_date FROM actions "
                f"WHERE document_id = ? AND id NOT IN ({overrides}) ORDER BY start, id", [doc_id]))
            items = [ActionItem(kind=r["kind"], owner_text=r["owner_text"], description=r["description"] or "",
                                span=Span(sentence=r["sentence"] or "", start=0, end=0), due_text=r["due_text"],
                                due_date=r["due_date"]) for r in rows]
            if not any(is_log_row(it) for it in items):
                continue
            for li, bi in log_row_pairs(items):
                merged = merged_with_row(items[bi], items[li])  # a due date still missing: filled below
                db.execute("UPDATE actions SET kind = ?, due_text = ?, due_date = ? WHERE id = ?",
                           [merged.kind, merged.due_text, merged.due_date, rows[bi]["id"]])
                db.execute("DELETE FROM actions WHERE id = ?", [rows[li]["id"]])
                removed += 1
    return removed


def track_actions(
    db: sqlite_utils.Database, body: str | None = None, bodies: Iterable[str] | None = None
) -> int:
    """Close open actions that a later meeting of the same body reports done; return how many.

    :func:`plan_tracking` then :meth:`TrackingPlan.apply` (see there).
    """
    return plan_tracking(db, body, bodies).apply(db)


@dataclass
class TrackingPlan:
    """What tracking changes: each action's new column values, written by :meth:`apply`."""

    updates: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (action id, column -> value)
    closed: int = 0

    def apply(self, db: sqlite_utils.Database) -> int:
        """Write the changes in one transaction; return how many actions were closed."""
        if self.updates:
            with db.conn:
                for action_id, update in self.updates:
                    cols = ", ".join(f"[{k}] = ?" for k in update)
                    db.execute(f"UPDATE actions SET {cols} WHERE id = ?", [*update.values(), action_id])
        return self.closed


def plan_tracking(
    db: sqlite_utils.Database, body: str | None = None, bodies: Iterable[str] | None = None
) -> TrackingPlan:
    """What :func:`track_actions` would change, worked out without writing it (but action logs are
    merged first: see :func:`merge_action_logs`).

    Tracking reads documents, meetings, people and its stored evidence, never
    the columns it changes, so writing at the end gives the same result, and
    a batch works it out while its search indexes are rebuilt beside it.

    Also fills ``due_date`` where only the archive can tell it ("the next
    meeting"). Actions a clerk has decided on (a row in ``action_overrides``)
    are never touched. Meetings are compared by ``meetings.body`` (case and
    spacing ignored) and ``meetings.date``.

    ``body`` tracks one body only; ``bodies`` (names as stored in
    ``meetings.body``) limits tracking to those bodies, which is how a batch
    re-tracks only the bodies whose documents it wrote: an action's status
    depends only on documents of its own body, and tracking never reopens.
    """
    plan = TrackingPlan()
    if not db["actions"].exists():
        return plan
    merge_action_logs(db)
    if not db["meetings"].exists():
        return plan
    ensure_action_log_view(db)
    rules = load_tracking_rules()
    has_people = db["people"].exists()
    wanted = None if bodies is None else {_body_key(b) for b in bodies if b}
    sql = """
        SELECT a.id, a.meeting_id, a.owner_text, a.owner_id, a.description, a.sentence, a.due_text,
               a.due_date, a.status, m.body, m.date AS meeting_date
          FROM actions a JOIN meetings m ON a.meeting_id = m.id
         WHERE a.id NOT IN (SELECT action_id FROM action_overrides)
           AND m.body IS NOT NULL AND m.date IS NOT NULL
    """
    params: list[Any] = []
    if body:
        sql += " AND lower(trim(m.body)) = lower(trim(?))"
        params.append(body)
    actions = [a for a in db.query(sql, params) if wanted is None or _body_key(a["body"]) in wanted]
    if not actions:
        return plan

    meetings: dict[str, list[tuple[str, str]]] = {}
    for r in db.query("SELECT id, body, date FROM meetings WHERE body IS NOT NULL AND date IS NOT NULL"):
        key = _body_key(r["body"])
        if wanted is None or key in wanted:
            meetings.setdefault(key, []).append((r["date"], r["id"]))
    for v in meetings.values():
        v.sort()
    # only meetings after a body's earliest open action can close anything
    earliest: dict[str, str] = {}
    for a in actions:
        if a["status"] == "open":
            key = _body_key(a["body"])
            earliest[key] = min(earliest.get(key, a["meeting_date"]), a["meeting_date"])
    evidence = _Evidence(db, {k: [m for m in v if m[0] > earliest[k]] for k, v in meetings.items() if k in earliest},
                         rules)

    surnames: dict[str, str] = {}
    if has_people:
        ids = sorted({a["owner_id"] for a in actions if a["owner_id"]})
        for i in range(0, len(ids), 500):
            chunk = ids[i: i + 500]
            for p in db.query(f"SELECT id, surname FROM people WHERE id IN ({','.join('?' * len(chunk))})", chunk):
                if p["surname"]:
                    surnames[p["id"]] = p["surname"]

    for a in actions:
        key = _body_key(a["body"])
        held = meetings.get(key, [])
        # meetings are sorted by (date, id): the later ones are a suffix
        first_later = bisect.bisect_right(held, (a["meeting_date"], "\uffff"))
        while first_later < len(held) and not held[first_later][0] > a["meeting_date"]:
            first_later += 1
        update: dict[str, Any] = {}
        if a["due_text"] and not a["due_date"]:
            nxt = held[first_later][0] if first_later < len(held) else None
            due = resolve_due(a["due_text"], a["meeting_date"], nxt)
            if due:
                update["due_date"] = due
        if a["status"] == "open" and first_later < len(held):
            owner_words = _owner_words(a["owner_text"], surnames.get(a["owner_id"] or ""))
            task = a["description"] or ""
            if len(set(_content(task, rules, owner_words))) < 2:
                task = f"{task} {_strip_marker(a['sentence'] or '')}"
            hit = evidence.find(key, a["meeting_date"], task, owner_words) if owner_words else None
            if hit:
                doc_id, meeting_id, sentence = hit
                update.update(status="done", closed_by_document_id=doc_id, closed_by_meeting_id=meeting_id,
                              closed_evidence=sentence)
                plan.closed += 1
        if update:
            plan.updates.append((a["id"], update))
    return plan


def touched_bodies(db: sqlite_utils.Database, document_ids: Iterable[str]) -> set[str]:
    """The bodies whose tracking may change because these documents were (re)written.

    Tracking an action reads only its own body's meetings and documents and
    its owner's surname, and never reopens an action, so only two kinds of
    body can change: those of the meetings the documents belong to, and
    those with open actions owned by a person the documents named (writing a
    document rewrites its people's rows, surname included). Every other body
    would be tracked to exactly what it already holds.
    """
    ids = sorted(set(document_ids))
    out: set[str] = set()
    has_people_links = db["mentions"].exists()
    for i in range(0, len(ids), 500):
        chunk = ids[i: i + 500]
        marks = ",".join("?" * len(chunk))
        queries = [f"SELECT DISTINCT m.body FROM documents d JOIN meetings m ON m.id = d.meeting_id "
                   f"WHERE d.id IN ({marks}) AND m.body IS NOT NULL"]
        if has_people_links:
            queries.append(
                f"SELECT DISTINCT m.body FROM actions a JOIN meetings m ON m.id = a.meeting_id "
                f"WHERE a.status = 'open' AND m.body IS NOT NULL AND a.owner_id IN "
                f"(SELECT person_id FROM mentions WHERE document_id IN ({marks}))")
        for q in queries:
            for (body,) in db.execute(q, chunk):
                out.add(body)
    return out


def _strip_marker(sentence: str) -> str:
    return re.sub(r"\(?\s*\bactions?\b\s*(?:by|for)?\s*[:\-–]?[^.]*$", "", sentence, flags=re.IGNORECASE)


_RUN = re.compile(r"\w+")
_BACKREF = re.compile(r"\\[1-9]|\(\?P=")


def _any_of(patterns: tuple[re.Pattern[str], ...]) -> Callable[[str], bool]:
    """``any(p.search(text) for p in patterns)`` as one regex: one scan of the text instead of one per cue.

    An alternation finds a match wherever any alternative would, so the
    answer is the same; patterns with different flags or back-references
    keep the loop.
    """
    if not patterns:
        return lambda _text: False
    flags = {p.flags for p in patterns}
    if len(flags) == 1 and not any(_BACKREF.search(p.pattern) for p in patterns):
        with contextlib.suppress(re.error):
            one = re.compile(_any_source(patterns), flags.pop())
            return lambda text: one.search(text) is not None
    return lambda text: any(p.search(text) for p in patterns)


def _any_source(patterns: tuple[re.Pattern[str], ...]) -> str:
    """The alternation of ``patterns`` (one set of flags), behind the tests every match starts with.

    Cues ("\\bnot\\s+yet\\b", "\\bwould\\b", ...) start with a word boundary and one of a
    few letters: when every pattern does, a place is tested for the boundary
    once and then only against the patterns its letter can start (see
    :func:`~extract.rx.literals.by_first_char`), instead of against every
    pattern; only whether something matches is asked, so grouping changes nothing.
    """
    from ..rx.literals import by_first_char, char_class, first_chars

    parts = [f"(?:{p.pattern})" for p in patterns]
    firsts = [first_chars(p.pattern, p.flags) for p in patterns]
    guard = r"\b" if all(_boundary_first(p) for p in patterns) else ""
    if all(firsts):
        guard += f"(?={char_class(set().union(*(f for f in firsts if f)))})"
    return f"{guard}(?:{by_first_char(parts, firsts)})"


def _boundary_first(pattern: re.Pattern[str]) -> bool:
    """Does every match of ``pattern`` start at a word boundary (a leading ``\\b`` in every branch)?"""
    parsed = _parse_regex(pattern.pattern, pattern.flags) if isinstance(pattern.pattern, str) else None

    def first(items: list[tuple[Any, Any]]) -> bool:
        if not items:
            return False
        op, av = items[0]
        if op is _sre.AT:
            return av is _sre.AT_BOUNDARY
        if op is _sre.BRANCH:
            return all(first(list(branch)) for branch in av[1])
        if op is _sre.SUBPATTERN and not (av[1] or av[2]):  # a group switching flags may change "\\b"
            return first(list(av[3]))
        return False

    return parsed is not None and first(list(parsed))


def _index_key(word: str) -> str | None:
    """The word run any sentence naming ``word`` (as ``\\bword\\b``) must hold whole, if there is one.

    A match of ``\\bword\\b`` that starts with a word character starts a
    ``\\w+`` run of the sentence, and that run is exactly ``word``'s first run.
    """
    m = _RUN.match(word)
    return m.group() if m else None


@dataclass
class _Kept:
    """A sentence with completion wording from a later meeting's document, read once per batch."""

    meeting_date: str
    meeting_id: str
    document_id: str
    text: str  # whitespace collapsed, as recorded in closed_evidence
    low: str
    before_low: str
    completion: bool  # completion wording (it never has "still open" wording: see documents_of)
    report: bool  # the owner reporting (completes a reporting task only)
    # (word, stem) of every content word, before dropping owner words: worked out when a task is first
    # compared with the sentence (most sentences never are: they name no action's owner)
    content: list[tuple[str, str]] | None = None

    def content_words(self, rules: TrackingRules) -> list[tuple[str, str]]:
        if self.content is None:
            self.content = [(w, _stem(w, rules)) for w in re.findall(r"[a-z][a-z'\-]+", self.low)
                            if w not in rules.stopwords]
        return self.content


@dataclass(frozen=True)
class _Cue:
    """A cue regex and what a sentence must hold for it to match (see :func:`_cue_needs`)."""

    regex: re.Pattern[str]
    needs: tuple[re.Pattern[str], ...]  # word searches, all of which find something in a sentence it matches
    words: tuple[frozenset[str], ...]  # the words of each of ``needs``, in the same order


@dataclass(frozen=True)
class _CueSet:
    """The cue tests of one :class:`TrackingRules`, built once (see :func:`_cues`)."""

    report_back: bool  # "report back" is a report task: report cues alone can keep a sentence
    still_open: Callable[[str], bool]
    completion_cues: tuple[_Cue, ...]
    report_cues: tuple[_Cue, ...]


_CUES: dict[int, tuple[TrackingRules, _CueSet]] = {}


def _cues(rules: TrackingRules) -> _CueSet:
    """The cue tests of ``rules``, built once."""
    held = _CUES.get(id(rules))
    if held is None or held[0] is not rules:
        report_back = bool(rules.report_task and rules.report_task.search("report back"))
        needs = {c: _cue_needs(c) for c in rules.completion + rules.report_cues}
        held = _CUES[id(rules)] = (rules, _CueSet(
            report_back, _any_of(rules.still_open),
            tuple(_Cue(c, tuple(word_search(n) for n in needs[c]), tuple(needs[c])) for c in rules.completion),
            tuple(_Cue(c, tuple(word_search(n) for n in needs[c]), tuple(needs[c])) for c in rules.report_cues)))
    return held[1]


# ------------------------------------------------ words a cue's every match holds
#
# Read from the parsed pattern (the parser re.compile itself uses, through
# extract.rx.sre). A cue can match a sentence only if the sentence holds one
# word of each of its word sets, so the worker collapses and tests only the
# few sentences that hold them.

_Strings = frozenset[str]
_MAX_STRINGS = 64  # a run of literals with more spellings than this is not followed
_MAX_NEEDS = 2  # word sets tested per cue (the most selective)
_MIN_WORD = 3  # a set with a shorter word says too little to be worth a search


def _selectivity(words: _Strings) -> tuple[int, int]:
    """Longer shortest word first, then fewer words: the set a sentence is least likely to hold."""
    return min(map(len, words)), -len(words)


def _concat(a: _Strings, b: _Strings) -> _Strings | None:
    out = frozenset(x + y for x in a for y in b)
    return out if len(out) <= _MAX_STRINGS else None


def _needs_of_seq(items: Iterable[tuple[Any, Any]]) -> tuple[_Strings | None, list[_Strings]]:
    """(exact, needs) of a sequence of parsed items.

    ``exact``: every string the sequence can match (None: not a small finite
    set of strings of ASCII non-blank characters). ``needs``: sets of
    non-empty strings such that every match holds one string of each set. A
    run of consecutive exact items matches one of the concatenations of their
    strings (a zero-width assertion matches ""), so a run whose
    concatenations are all non-empty is such a set; so is every set an item
    that is not exact needs.
    """
    exact: _Strings | None = frozenset({""})
    run: _Strings = frozenset({""})
    needs: list[_Strings] = []
    for op, av in items:
        e, item_needs = _needs_of_node(op, av)
        exact = _concat(exact, e) if exact is not None and e is not None else None
        joined = _concat(run, e) if e is not None else None
        if joined is not None:
            run = joined
            continue
        if "" not in run:
            needs.append(run)
        if e is None:
            needs.extend(item_needs)
            run = frozenset({""})
        else:
            run = e  # too many spellings joined: a new run starts with this item
    if "" not in run:
        needs.append(run)
    return exact, needs


def _plain_char(code: int) -> bool:
    """An ASCII character that is not whitespace: collapsing whitespace keeps it, in order."""
    return code < 128 and not chr(code).isspace()


def _needs_of_node(op: Any, av: Any) -> tuple[_Strings | None, list[_Strings]]:
    """(exact, needs) of one parsed item (see :func:`_needs_of_seq`); unknown kinds are (None, [])."""
    if op is _sre.LITERAL:
        return (frozenset({chr(av)}), []) if _plain_char(av) else (None, [])
    if op is _sre.IN:
        if all(o is _sre.LITERAL and _plain_char(v) for o, v in av):
            return frozenset(chr(v) for _o, v in av), []
        return None, []
    if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
        return frozenset({""}), []  # zero-width: adds nothing to the matched text
    if op is _sre.BRANCH:
        exact: _Strings | None = frozenset()
        alts: list[list[_Strings]] = []
        for e, alt_needs in (_needs_of_seq(alt) for alt in av[1]):
            exact = exact | e if exact is not None and e is not None and len(exact | e) <= _MAX_STRINGS else None
            alts.append([n for n in alt_needs if min(map(len, n)) >= _MIN_WORD])
        # One alternative matches, so taking one set from each alternative, their union is needed;
        # taking each alternative's k-th set gives one such union per k. A set several alternatives
        # need comes first ("gave an update", "provided an update": "update" for both).
        shared = Counter(n for alt in alts for n in set(alt))
        ranked = [sorted(set(alt), key=lambda n: (shared[n], _selectivity(n)), reverse=True) for alt in alts]
        depth = min((len(r) for r in ranked), default=0)
        return exact, [frozenset().union(*(r[k] for r in ranked)) for k in range(depth)]
    if op is _sre.SUBPATTERN:  # (group, flags added, flags removed, pattern): flags, see _cue_needs
        return _needs_of_seq(av[3])
    if op is _ATOMIC_GROUP:
        return _needs_of_seq(av)
    if op in _REPEATS:
        lo, hi, sub = av
        e, sub_needs = _needs_of_seq(sub)
        if lo == 0:
            return (e | {""} if e is not None and hi == 1 else None), []
        return (e if lo == hi == 1 else None), sub_needs
    return None, []


def _cue_needs(cue: re.Pattern[str]) -> list[_Strings]:
    """Sets of lower-case ASCII words without whitespace; every match of ``cue`` holds one word of each.

    The most selective first, at most :data:`_MAX_NEEDS`; [] when none is
    known. A word is looked for in :func:`~extract.rx.fold.fold_case` text,
    where it stands wherever re's case-insensitive matching would find it; a
    case-sensitive match (the cue's, or a group's, flags) is found there too.
    """
    parsed = _parse_regex(cue.pattern, cue.flags) if isinstance(cue.pattern, str) else None
    if parsed is None:
        return []
    exact, needs = _needs_of_seq(parsed)
    if exact is not None and "" not in exact:
        needs.append(exact)
    sets = {frozenset(w.lower() for w in s) for s in needs}
    useful = sorted((s for s in sets if min(map(len, s)) >= _MIN_WORD), key=_selectivity, reverse=True)
    return useful[:_MAX_NEEDS]


_BLANKS = re.compile(r"\s+")


def _holding(words: frozenset[str], folded: str, starts: list[int], ends: list[int]) -> set[int]:
    """The sentences (indexes into sorted, disjoint ``starts``/``ends``) holding one of ``words`` whole:
    those where ``word_search(words).search(folded, a, b)`` finds something.

    ``str.find`` runs at C speed where re tries every word of an alternation at each
    place; after a word is found in a sentence, the search for it goes on from the
    sentence's end, so a common word costs one call per sentence holding it.
    """
    out: set[int] = set()
    for word in words:
        size = len(word)
        pos = folded.find(word)
        while pos >= 0:
            k = bisect.bisect_right(starts, pos) - 1
            if k >= 0 and pos + size <= ends[k]:
                out.add(k)
                pos = folded.find(word, ends[k])
            else:
                pos = folded.find(word, pos + 1)  # between sentences, or running out of one
    return out


_WHOLE_TEXT_WORDS = 8  # word sets up to this size are found in the whole text at once


def _collapse(s: str) -> str:
    """``_BLANKS.sub(" ", s)``: white space runs made one space (split and joined when ``s`` has none
    at either end, as a sentence has: the same string, four times faster)."""
    if s and not s[0].isspace() and not s[-1].isspace():
        return " ".join(s.split())
    return _BLANKS.sub(" ", s)


def evidence_sentences(text: str, rules: TrackingRules | None = None) -> list[tuple[str, str, bool, bool]]:
    """The sentences of one document that may report an action done.

    Each is ``(sentence, sentence before, completion, report)``, whitespace
    collapsed. They depend on the document alone, so workers find them at
    ingest (:class:`~extract.records.Extraction` ``evidence``, stored in
    ``tracking_evidence``) and tracking reads them back instead of splitting
    every document of a body again after each batch.

    Most sentences hold no cue, and a cue matches only a sentence holding the
    words it needs (:func:`_cue_needs`). Which sentences hold each set of
    words is found once for the whole document (:func:`_holding`), so only
    the sentences holding every word set a cue needs are collapsed, and only
    the cues whose words they hold are run. The
    list is the one collapsing and testing every sentence gives (the
    reference in tests/test_resolve_evidence_fast.py), at a fraction of the cost.
    """
    from ..nlp.sentences import split_sentences

    rules = rules or load_tracking_rules()
    cues = _cues(rules)
    spans = split_sentences(text)
    folded = fold_case(text)  # same offsets as text
    # (split_sentences' spans are non-empty, in order and apart, as _holding needs)
    starts = [a for a, _b in spans]
    ends = [b for _a, b in spans]
    holding: dict[frozenset[str], set[int]] = {}  # per word set, found once for all the cues needing it
    few = len(spans) // 8  # fewer (sentence, word) pairs than this are searched sentence by sentence

    def whole(words: frozenset[str]) -> set[int]:
        if words not in holding:
            holding[words] = _holding(words, folded, starts, ends)
        return holding[words]

    def candidates(cue: _Cue) -> set[int] | None:
        """The sentences holding a word of each set ``cue`` needs (None: any sentence may match).

        Each find reads the whole text, so a long list of words, or one the shorter lists
        left few sentences for, is searched only in those sentences (sentence by sentence,
        with the same result).
        """
        if not cue.needs:
            return None
        needs = sorted(zip(cue.words, cue.needs, strict=True), key=lambda n: len(n[0]))
        at = set(whole(needs[0][0]))
        for words, search in needs[1:]:
            if words in holding or (len(words) <= _WHOLE_TEXT_WORDS and len(at) * len(words) > few):
                at &= whole(words)
            else:  # few sentences left: each is searched, not the whole text
                at = {i for i in at if search.search(folded, starts[i], ends[i])}
        return at

    report_task = bool(rules.report_task)
    completion_at = [(cue, candidates(cue)) for cue in cues.completion_cues]
    report_at = [(cue, candidates(cue)) for cue in cues.report_cues] if report_task else []
    keeping = completion_at + (report_at if cues.report_back else [])
    if any(at is None for _cue, at in keeping):
        order: Iterable[int] = range(len(spans))
    else:
        order = sorted(set().union(*(at for _cue, at in keeping)))  # type: ignore[arg-type]

    def holds(cue_list: list[tuple[_Cue, set[int] | None]], i: int, collapsed: list[str]) -> bool:
        for cue, at in cue_list:
            if at is None or i in at:
                if not collapsed:
                    a, b = spans[i]
                    collapsed.append(_collapse(text[a:b]))
                if cue.regex.search(collapsed[0]):
                    return True
        return False

    out = []
    for i in order:
        collapsed: list[str] = []  # the sentence with its white space collapsed, made when first needed
        completion = holds(completion_at, i, collapsed)
        if not (completion or cues.report_back):
            continue  # kept only by a completion cue, and none matches
        report = report_task and holds(report_at, i, collapsed)
        if not (completion or (cues.report_back and report)):
            continue
        sent = collapsed[0]  # made: a cue matched it
        if cues.still_open(sent):
            continue
        before = _collapse(text[spans[i - 1][0]:spans[i - 1][1]]) if i else ""
        out.append((sent, before, completion, report))
    return out


class _Evidence:
    """Completion sentences of each body's meetings, indexed by the words they name.

    :func:`completes` needs the owner named in the sentence (or "he"/"she"
    there and the owner in the sentence before): only sentences holding the
    owner's word, or a pronoun after a sentence holding it, can close an
    action, so each action reads those few instead of every later sentence
    (which made tracking grow with the square of the archive). Candidates
    are checked by exactly the test :func:`completes` makes, in the order the
    meetings, documents and sentences come, so the first hit is the same.
    """

    def __init__(self, db: sqlite_utils.Database, meetings: dict[str, list[tuple[str, str]]],
                 rules: TrackingRules) -> None:
        self.db = db
        self.meetings = meetings
        self.rules = rules
        self.stored = db["tracking_evidence"].exists()  # absent in databases not made by the store
        self.bodies: dict[str, tuple[list[_Kept], list[str], dict[str, list[int]], dict[str, list[int]]]] = {}

    def _load(self, key: str) -> tuple[list[_Kept], list[str], dict[str, list[int]], dict[str, list[int]]]:
        rules = self.rules
        kept: list[_Kept] = []
        named: dict[str, list[int]] = {}
        after_named: dict[str, list[int]] = {}
        for meeting_date, meeting_id in self.meetings.get(key, []):
            sql = ("SELECT d.id, CASE WHEN e.sentences IS NULL THEN d.text END, e.sentences FROM documents d "
                   "LEFT JOIN tracking_evidence e ON e.document_id = d.id "
                   "WHERE d.meeting_id = ? AND d.text IS NOT NULL ORDER BY d.id") if self.stored else (
                   "SELECT id, text, NULL FROM documents WHERE meeting_id = ? AND text IS NOT NULL ORDER BY id")
            for doc_id, text, stored in self.db.execute(sql, [meeting_id]):
                found = json.loads(stored) if stored is not None else evidence_sentences(text, rules)
                for sent, before, completion, report in found:
                    low = sent.lower()
                    before_low = before.lower()
                    n = len(kept)
                    kept.append(_Kept(meeting_date, meeting_id, doc_id, sent, low, before_low, completion, report))
                    runs = set(_RUN.findall(low))
                    for w in runs:
                        named.setdefault(w, []).append(n)
                    if "he" in runs or "she" in runs:
                        for w in set(_RUN.findall(before_low)):
                            after_named.setdefault(w, []).append(n)
        dates = [k.meeting_date for k in kept]
        out = (kept, dates, named, after_named)
        self.bodies[key] = out
        return out

    def find(self, key: str, meeting_date: str, task: str, owner_words: set[str]) -> tuple[str, str, str] | None:
        """(document id, meeting id, sentence) of the first later sentence that reports the task done."""
        kept, dates, named, after_named = self.bodies.get(key) or self._load(key)
        start = bisect.bisect_right(dates, meeting_date)
        if start >= len(kept):
            return None
        keys = [_index_key(w) for w in owner_words]
        if any(k is None for k in keys):
            candidates: Iterable[int] = range(start, len(kept))
        else:
            pool: set[int] = set()
            for k in keys:
                for postings in (named.get(k, ()), after_named.get(k, ())):
                    pool.update(postings[bisect.bisect_left(postings, start):])
            candidates = sorted(pool)
        rules = self.rules
        report_task = bool(task and rules.report_task and rules.report_task.search(task))
        task_words = _content(task, rules, owner_words)
        need = min(rules.min_shared_words, len(set(task_words)))
        if need <= 0:
            return None
        task_set = set(task_words)
        patterns = [re.compile(rf"\b{re.escape(w)}\b") for w in owner_words]
        for n in candidates:
            k = kept[n]
            if not (k.completion or (report_task and k.report)):
                continue
            if not any(p.search(k.low) for p in patterns):
                if not re.search(r"\b(?:he|she)\b", k.low):
                    continue
                if not any(p.search(k.before_low) for p in patterns):
                    continue
            b = [stem for w, stem in k.content_words(rules) if w not in owner_words]
            if not b:
                continue
            b_set = set(b)
            shared = task_set & b_set
            if len(shared) < need:
                continue
            coverage = max(len(shared) / len(task_set), len(shared) / len(b_set))
            if coverage < rules.min_coverage:
                continue
            if fuzz.token_set_ratio(" ".join(task_words), " ".join(b)) >= rules.min_ratio:
                return k.document_id, k.meeting_id, k.text
        return None


def _has_completion(sentence: str, rules: TrackingRules, task: str | None = None) -> bool:
    """Completion wording and no "still open" wording; for a reporting ``task`` the owner's report counts too."""
    if any(c.search(sentence) for c in rules.still_open):
        return False
    if any(c.search(sentence) for c in rules.completion):
        return True
    return bool(task and rules.report_task and rules.report_task.search(task)
                and any(c.search(sentence) for c in rules.report_cues))


def _body_key(body: str) -> str:
    return re.sub(r"\s+", " ", body.strip().lower())


# ---------------------------------------------------------------- clerk's view


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def find_action_id(db: sqlite_utils.Database, action_id: str) -> str:
    """The full id for ``action_id`` or a unique prefix of it; LookupError says why not."""
    rows = [r["id"] for r in db.query("SELECT id FROM actions WHERE id = ? OR id LIKE ? LIMIT 3",
                                      [action_id, f"{action_id}%"])] if db["actions"].exists() else []
    if action_id in rows:
        return action_id
    if len(rows) == 1:
        return rows[0]
    if not rows:
        raise LookupError(f"no action with id {action_id!r}; run 'minutes actions' to list action ids")
    raise LookupError(f"{action_id!r} matches several actions; give more of the id")


def set_override(
    db: sqlite_utils.Database,
    action_id: str,
    status: str,
    note: str | None = None,
    decided_by: str | None = None,
    superseded_by: str | None = None,
) -> dict[str, Any]:
    """Record a clerk's decision on an action; it wins over extraction and tracking from now on.

    ``superseded_by`` (an id or unique prefix) names the action that replaces
    this one, for status ``superseded`` only. A later decision replaces the
    whole earlier one, so reopening an action forgets what superseded it.
    """
    from ..vocab import ACTION_STATUSES

    if status not in ACTION_STATUSES:
        raise ValueError(f"status must be one of {', '.join(ACTION_STATUSES)}, not {status!r}")
    if superseded_by is not None and status != "superseded":
        raise ValueError(f"only a superseded action has a replacement, not one that is {status}")
    ensure_tracking_schema(db)
    full = find_action_id(db, action_id)
    replacement = find_action_id(db, superseded_by) if superseded_by is not None else None
    if replacement == full:
        raise LookupError(f"{superseded_by!r} is the action itself; give the id of the action that replaces it")
    row = {"action_id": full, "status": status, "note": note, "decided_at": _now(), "decided_by": decided_by,
           "superseded_by": replacement}
    with db.conn:
        db.execute(
            "INSERT OR REPLACE INTO action_overrides (action_id, status, note, decided_at, decided_by, superseded_by) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [row["action_id"], row["status"], row["note"], row["decided_at"], row["decided_by"],
             row["superseded_by"]],
        )
    return row


def close_action(db: sqlite_utils.Database, action_id: str, note: str, decided_by: str | None = None) -> dict[str, Any]:
    """A clerk closes an action (status done) with a note saying why."""
    return set_override(db, action_id, "done", note, decided_by)


def reopen_action(
    db: sqlite_utils.Database, action_id: str, note: str | None = None, decided_by: str | None = None
) -> dict[str, Any]:
    """A clerk reopens an action, overriding whatever tracking concluded."""
    return set_override(db, action_id, "open", note, decided_by)


def supersede_action(
    db: sqlite_utils.Database,
    action_id: str,
    note: str,
    decided_by: str | None = None,
    replaced_by: str | None = None,
) -> dict[str, Any]:
    """A clerk marks an action superseded (replaced or overtaken, no longer to be done), with a note.

    ``replaced_by`` names the action that takes its place, e.g. the same task
    given again with a new owner or date at a later meeting.
    """
    return set_override(db, action_id, "superseded", note, decided_by, superseded_by=replaced_by)


def list_actions(
    db: sqlite_utils.Database,
    *,
    open_only: bool = False,
    owner: str | None = None,
    body: str | None = None,
    today: date | None = None,
) -> list[dict[str, Any]]:
    """Actions with their effective status (clerk's override, else extracted/tracked), oldest first.

    ``owner`` matches owner_text or the resolved person's name (case-insensitive
    substring); ``body`` matches the meeting's body the same way. ``days_open``
    is today minus the meeting date for open actions, else None.
    """
    if not db["actions"].exists():
        return []
    ensure_tracking_schema(db)
    today = today or date.today()
    has_people = db["people"].exists()
    has_meetings = db["meetings"].exists()
    has_docs = db["documents"].exists()
    doc_cols = db["documents"].columns_dict if has_docs else {}
    person = "p.name" if has_people else "NULL"
    sql = f"""
        SELECT a.id, a.kind, a.owner_text, {person} AS owner_name, a.description, a.due_text, a.due_date,
               a.status AS extracted_status, o.status AS override_status, o.note AS override_note,
               o.decided_at, o.decided_by, o.superseded_by,
               COALESCE(o.status, a.status, 'open') AS status,
               {'m.body' if has_meetings else 'NULL'} AS body,
               {'m.date' if has_meetings else 'NULL'} AS meeting_date,
               a.meeting_id, a.document_id, {'d.filename' if 'filename' in doc_cols else 'NULL'} AS document,
               {'d.source' if 'source' in doc_cols else 'NULL'} AS source, a.page, a.sentence,
               a.closed_by_document_id, a.closed_by_meeting_id, a.closed_evidence
          FROM actions a
          LEFT JOIN action_overrides o ON o.action_id = a.id
          {'LEFT JOIN meetings m ON m.id = a.meeting_id' if has_meetings else ''}
          {'LEFT JOIN documents d ON d.id = a.document_id' if has_docs else ''}
          {'LEFT JOIN people p ON p.id = a.owner_id' if has_people else ''}
         WHERE 1 = 1
    """
    params: list[Any] = []
    if open_only:
        sql += " AND COALESCE(o.status, a.status, 'open') = 'open'"
    if owner:
        sql += f" AND (lower(a.owner_text) LIKE ? OR lower(COALESCE({person}, '')) LIKE ?)"
        params += [f"%{owner.lower()}%"] * 2
    if body and has_meetings:
        sql += " AND lower(COALESCE(m.body, '')) LIKE ?"
        params.append(f"%{body.lower()}%")
    position = "a.start, " if "start" in db["actions"].columns_dict else ""
    sql += f" ORDER BY {'m.date IS NULL, m.date' if has_meetings else 'a.id'}, a.document_id, {position}a.id"
    rows = [dict(r) for r in db.query(sql, params)]
    for r in rows:
        r["days_open"] = None
        if r["status"] == "open" and r["meeting_date"]:
            with contextlib.suppress(ValueError):
                r["days_open"] = (today - date.fromisoformat(r["meeting_date"][:10])).days
    return rows
