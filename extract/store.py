"""The archive database: its shape, declared once, and one transaction per document.

The tables and columns of ``../shared/docs/DATA-CONTRACT.md`` are created
here (plus provenance tables the contract allows us to add). Writes for one
document happen inside a single SQLite transaction with plain ``executemany``
calls: sqlite-utils' ``insert_all`` commits on its own, which would leave a
half-written document behind after a crash.

Ids are derived from content (document bytes, positions, normalised text), so
re-ingesting the same files leaves exactly the same rows, and clerk decisions
kept in ``action_overrides`` are never touched by extraction.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import sqlite3
import sys
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlite_utils

from .errors import DatabaseError
from .records import DocumentRecord, Span

if TYPE_CHECKING:
    from .resolve.people import PeopleMemo

SCHEMA_VERSION = 1

# Columns per table: name -> SQL type. Order is the order Datasette shows them.
TABLES: dict[str, dict[str, type]] = {
    "documents": {
        "id": str, "source": str, "filename": str, "format": str, "kind": str, "title": str,
        "meeting_id": str, "pages": int, "text": str, "status": str, "error": str,
        "ingested_at": str, "sha256": str, "size": int, "seconds": float, "extractor": str, "place": str,
    },
    "document_sources": {"source": str, "document_id": str, "filename": str, "first_seen": str, "last_seen": str},
    "pages": {"document_id": str, "page": int, "start": int, "end": int, "text": str},
    "document_tables": {
        "id": str, "document_id": str, "page": int, "idx": int, "n_rows": int, "n_cols": int,
        "header": str, "rows_json": str,
    },
    "meetings": {"id": str, "body": str, "date": str, "start_time": str, "venue": str, "title": str},
    "document_meetings": {
        "document_id": str, "meeting_id": str, "kind": str, "body": str, "date": str, "start_time": str,
        "venue": str, "title": str,
    },
    "agenda_items": {
        "id": str, "meeting_id": str, "document_id": str, "number": str, "title": str, "text": str,
        "start": int, "end": int,
    },
    "people": {
        "id": str, "name": str, "honorific": str, "first_name": str, "surname": str, "role": str,
        "organisation": str, "surname_key": str,  # resolve.people.name_key(surname): finds candidates by index
    },
    "person_aliases": {"person_id": str, "alias": str},
    "person_roles": {
        "person_id": str, "role": str, "organisation": str, "document_id": str, "meeting_date": str,
    },
    "mentions": {
        "id": str, "person_id": str, "document_id": str, "meeting_id": str, "surface": str,
        "sentence": str, "start": int, "end": int, "page": int,
    },
    "actions": {
        "id": str, "meeting_id": str, "document_id": str, "agenda_item_id": str, "kind": str,
        "owner_text": str, "owner_id": str, "description": str, "due_text": str, "due_date": str,
        "status": str, "sentence": str, "page": int, "start": int, "end": int,
        "closed_by_document_id": str, "closed_by_meeting_id": str, "closed_evidence": str,
        "meeting_date": str,
    },
    # superseded_by: the action that replaces a superseded one, when the clerk names it
    "action_overrides": {"action_id": str, "status": str, "note": str, "decided_at": str, "decided_by": str,
                         "superseded_by": str},
    "decisions": {
        "id": str, "meeting_id": str, "document_id": str, "agenda_item_id": str, "kind": str,
        "text": str, "sentence": str, "page": int, "start": int, "end": int,
    },
    "figures": {
        "id": str, "document_id": str, "meeting_id": str, "value": float, "unit": str, "raw": str,
        "metric": str, "direction": str, "period": str, "sentence": str, "page": int,
        "start": int, "end": int, "table_id": str,
    },
    "targets": {
        "id": str, "document_id": str, "metric": str, "direction": str, "amount": float,
        "amount_unit": str, "baseline_value": float, "baseline_text": str, "period": str,
        "start_date": str, "end_date": str, "sentence": str, "page": int, "start": int, "end": int,
    },
    "target_figures": {"target_id": str, "figure_id": str, "similarity": float},
    # Found by the worker, read by action tracking (see resolve.actions.evidence_sentences).
    "tracking_evidence": {"document_id": str, "sentences": str},
}

PRIMARY_KEYS: dict[str, str | tuple[str, ...]] = {
    "documents": "id",
    "document_sources": "source",
    "pages": ("document_id", "page"),
    "document_tables": "id",
    "meetings": "id",
    "document_meetings": "document_id",
    "agenda_items": "id",
    "people": "id",
    "person_aliases": ("person_id", "alias"),
    "mentions": "id",
    "actions": "id",
    "action_overrides": "action_id",
    "decisions": "id",
    "figures": "id",
    "targets": "id",
    "target_figures": ("target_id", "figure_id"),
    "tracking_evidence": "document_id",
}

FOREIGN_KEYS: dict[str, list[tuple[str, str, str]]] = {
    "documents": [("meeting_id", "meetings", "id")],
    "document_sources": [("document_id", "documents", "id")],
    "document_meetings": [("document_id", "documents", "id"), ("meeting_id", "meetings", "id")],
    "pages": [("document_id", "documents", "id")],
    "document_tables": [("document_id", "documents", "id")],
    "agenda_items": [("meeting_id", "meetings", "id"), ("document_id", "documents", "id")],
    "person_aliases": [("person_id", "people", "id")],
    "person_roles": [("person_id", "people", "id"), ("document_id", "documents", "id")],
    "mentions": [
        ("person_id", "people", "id"), ("document_id", "documents", "id"), ("meeting_id", "meetings", "id"),
    ],
    "actions": [
        ("meeting_id", "meetings", "id"), ("document_id", "documents", "id"),
        ("agenda_item_id", "agenda_items", "id"), ("owner_id", "people", "id"),
    ],
    "decisions": [
        ("meeting_id", "meetings", "id"), ("document_id", "documents", "id"),
        ("agenda_item_id", "agenda_items", "id"),
    ],
    "figures": [("document_id", "documents", "id"), ("meeting_id", "meetings", "id")],
    "targets": [("document_id", "documents", "id")],
    "target_figures": [("target_id", "targets", "id"), ("figure_id", "figures", "id")],
    "tracking_evidence": [("document_id", "documents", "id")],
}

INDEXES: list[tuple[str, tuple[str, ...]]] = [
    ("documents", ("meeting_id",)),
    ("documents", ("status",)),
    ("documents", ("sha256",)),
    # Datasette's default facets and sort of the documents table (metadata.yml): without them
    # each page scans every document row.
    ("documents", ("kind",)),
    ("documents", ("format",)),
    ("documents", ("ingested_at",)),
    ("document_sources", ("document_id",)),
    ("document_tables", ("document_id",)),
    ("meetings", ("body", "date")),
    ("meetings", ("date",)),  # default sort of the meetings table
    ("agenda_items", ("document_id",)),
    ("agenda_items", ("meeting_id",)),
    ("people", ("surname",)),
    ("people", ("surname_key",)),  # people resolution looks every document's people up by it
    ("person_roles", ("person_id",)),
    # Every document write deletes its roles by document (twice): without this, a full scan each time.
    ("person_roles", ("document_id",)),
    ("mentions", ("person_id",)),
    ("mentions", ("document_id",)),
    ("actions", ("document_id",)),
    ("actions", ("owner_id",)),
    ("actions", ("status", "due_date")),
    ("actions", ("meeting_id",)),
    ("actions", ("kind",)),  # default facet: 43 ms -> 5 ms on 100k actions (benchmarks/)
    ("actions", ("due_date",)),  # default sort: 12 ms temp B-tree -> index walk on 100k actions
    ("decisions", ("document_id",)),
    ("decisions", ("meeting_id",)),
    ("decisions", ("kind",)),  # default facet
    ("figures", ("document_id",)),
    ("figures", ("metric",)),
    # Default facet (unit) and what a click on it asks: unit = ? in the default order (metric).
    # 1M figures: ?unit=percent 177 ms sorting 350k rows -> an index walk of 101 (benchmarks/).
    ("figures", ("unit", "metric")),
    ("figures", ("period",)),
    ("targets", ("document_id",)),
]

# Indexes that only the published archive reads (the figures table's default sort, facets and their
# clicks): no query of ingest needs them. A batch that writes a large share of the archive drops them at
# its start and builds each once at its end, beside the search rebuild (see :func:`pause_indexes`): a
# figure's metric and period are in no order, so keeping them up to date put nearly every page of each
# index in every document's transaction. On the bench's 91 PDFs: 79 MB of WAL written for a 10.5 MB
# archive, 52 MB without these three; the writer's CPU -0.08 s, the three built at the end in 0.016 s.
DEFERRED_INDEXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("figures", ("metric",)),
    ("figures", ("unit", "metric")),
    ("figures", ("period",)),
)


def index_name(table: str, cols: tuple[str, ...]) -> str:
    """The name sqlite-utils gives an index of ``cols`` on ``table`` (and the archive has always used)."""
    return f"idx_{table.replace(' ', '_')}_{'_'.join(cols)}"


def index_sql(table: str, cols: tuple[str, ...]) -> str:
    """``CREATE INDEX IF NOT EXISTS`` for an index of :data:`INDEXES`, as sqlite-utils writes it."""
    columns = ", ".join(f"[{c}]" for c in cols)
    return f"CREATE INDEX IF NOT EXISTS [{index_name(table, cols)}]\n    ON [{table}] ({columns});"

FTS: dict[str, list[str]] = {
    "documents": ["title", "text"],
    "actions": ["description", "sentence", "owner_text"],
    "decisions": ["text", "sentence"],
    "figures": ["metric", "sentence"],
    "people": ["name", "role", "organisation"],
    "targets": ["metric", "sentence"],
    "agenda_items": ["title", "text"],
}

# Tables whose rows belong to one document and are replaced when it is re-ingested.
DOCUMENT_CHILD_TABLES = (
    "document_meetings", "pages", "document_tables", "agenda_items", "mentions", "person_roles", "actions",
    "decisions", "figures", "targets", "tracking_evidence",
)


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def stable_id(*parts: object, length: int = 16) -> str:
    """A short hex id derived from its parts; the same parts always give the same id."""
    h = hashlib.sha256("\x1f".join(["" if p is None else str(p) for p in parts]).encode("utf-8"))
    return h.hexdigest()[:length]


_SPACES = re.compile(r"\s+")


def _norm(text: str | None) -> str:
    return _SPACES.sub(" ", (text or "").strip().lower())


def open_db(path: str | Path, *, create: bool = True) -> sqlite_utils.Database:
    """Open (and if needed create) the archive database in WAL mode.

    Raises :class:`DatabaseError` with a message that says what to do when the
    file cannot be used (not a database, read-only folder, locked).
    """
    path = Path(path)
    if not create and not path.exists():
        raise DatabaseError(f"database {path} does not exist; run 'minutes ingest PATH --db {path}' first")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), timeout=60)
        db = sqlite_utils.Database(conn)
        db.execute("PRAGMA busy_timeout = 60000")
        # Switching to WAL needs the database to itself and SQLite does not always wait
        # for that: hold the schema lock (another ingest may be creating the tables)
        # and retry while a writer finishes.
        with _schema_lock(path) if create else contextlib.nullcontext():
            _set_wal(db)
            db.execute("PRAGMA synchronous = NORMAL")
            db.execute("PRAGMA foreign_keys = OFF")
            # INSERT OR REPLACE fires the delete triggers of the rows it replaces only with this on
            # (the full-text indexes' triggers, see _fts_triggers)
            db.execute("PRAGMA recursive_triggers = ON")
            if create:
                ensure_schema(db)
    except (sqlite3.DatabaseError, OSError) as exc:
        raise DatabaseError(
            f"cannot use database {path}: {exc}. Check the path is a writable SQLite file "
            "(or choose another with --db)."
        ) from exc
    return db


def _set_wal(db: sqlite_utils.Database, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


@contextlib.contextmanager
def _schema_lock(path: Path) -> Iterator[None]:
    """Let one process at a time create or upgrade the schema.

    Two ``minutes ingest`` started together on a new database would otherwise
    both create tables, and one's table rebuild (adding foreign keys) breaks
    the other's views. SQLite's own locks cannot cover this because
    sqlite-utils commits between steps, so an advisory ``flock`` on the
    database's folder is held instead (never on the database file itself,
    whose POSIX locks belong to SQLite). Where ``flock`` is unavailable the
    schema is created unlocked, as before.
    """
    try:
        import fcntl
    except ImportError:  # Windows
        yield
        return
    try:
        fd = os.open(path.parent, os.O_RDONLY)
    except OSError:
        yield
        return
    try:
        with contextlib.suppress(OSError):  # e.g. a network file system without flock
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def add_missing_columns(table: sqlite_utils.db.Table, columns: dict[str, type]) -> None:
    """Add those of ``columns`` that ``table`` lacks: an archive made by an earlier release keeps its rows."""
    have = table.columns_dict
    for col, typ in columns.items():
        if col not in have:
            table.add_column(col, typ)


def _referenced_first(tables: dict[str, Any]) -> list[str]:
    """``tables`` in an order where each comes after the tables its foreign keys point to."""
    order: list[str] = []

    def visit(name: str, path: tuple[str, ...] = ()) -> None:
        if name in order or name in path or name not in tables:
            return
        for _col, other, _other_col in FOREIGN_KEYS.get(name, []):
            visit(other, (*path, name))
        order.append(name)

    for name in tables:
        visit(name)
    return order


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create missing tables, columns, indexes and FTS; safe to call on every run."""
    with db.conn:
        for name in _referenced_first(TABLES):
            table, columns = db[name], TABLES[name]
            if not table.exists():
                # declared now, so a new archive needs no table rebuild to add them (_ensure_foreign_keys)
                table.create(columns, pk=PRIMARY_KEYS.get(name), not_null=set(),
                             foreign_keys=FOREIGN_KEYS.get(name, []))
            else:
                add_missing_columns(table, columns)
        for name, cols in INDEXES:
            db.execute(index_sql(name, cols))
    _ensure_foreign_keys(db)
    for name, cols in FTS.items():
        if not db[f"{name}_fts"].exists():
            db[name].enable_fts(cols, create_triggers=False, tokenize="porter")
    # The outstanding-actions page lists open actions oldest meeting first; an index in
    # exactly that order lets SQLite stream the first page instead of sorting them all.
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_actions_oldest_first ON actions("
        "coalesce(meeting_date, '9999-99-99'), coalesce(due_date, '9999-99-99'), start)"
    )
    from .resolve.targets import VIEW_SQL

    _ensure_view(db, "target_progress", VIEW_SQL)
    db.execute("CREATE TABLE IF NOT EXISTS _meta (key TEXT PRIMARY KEY, value TEXT)")
    db.execute("INSERT OR REPLACE INTO _meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
    db.conn.commit()


def _ensure_view(db: sqlite_utils.Database, name: str, sql: str) -> None:
    """Create view ``name`` from ``sql`` (``CREATE VIEW IF NOT EXISTS name AS ...``), replacing an older definition."""
    row = db.execute("SELECT sql FROM sqlite_master WHERE type = 'view' AND name = ?", [name]).fetchone()
    if row is not None and row[0].partition(" AS")[2].strip() != sql.partition(" AS")[2].strip():
        db.execute(f"DROP VIEW [{name}]")
    db.execute(sql)


def _ensure_foreign_keys(db: sqlite_utils.Database) -> None:
    """Declare foreign keys so Datasette links ids to their rows (labels, not hashes).

    New tables are created with theirs; this adds those an archive made by an
    earlier release lacks (SQLite adds one by rebuilding the table).
    """
    wanted = []
    for table, fks in FOREIGN_KEYS.items():
        existing = {(fk.column, fk.other_table) for fk in db[table].foreign_keys}
        for col, other, other_col in fks:
            if (col, other) not in existing:
                wanted.append((table, col, other, other_col))
    if wanted:
        db.add_foreign_keys(wanted)


def _fts_triggers(table: str) -> dict[str, str]:
    """The triggers that keep ``table``'s full-text index in step with it, by name.

    Named as sqlite-utils names its own, so its ``disable_fts`` removes them.
    The update trigger fires only when an indexed column is set: action
    tracking updates statuses and dates of many rows, which the index does not
    hold. ``INSERT OR REPLACE`` removes the replaced row's entry only with
    ``PRAGMA recursive_triggers`` on (see :func:`open_db`).
    """
    fts = f"{table}_fts"
    cols = ", ".join(f"[{c}]" for c in FTS[table])
    new = ", ".join(f"new.[{c}]" for c in FTS[table])
    old = ", ".join(f"old.[{c}]" for c in FTS[table])
    add = f"INSERT INTO [{fts}] (rowid, {cols}) VALUES (new.rowid, {new});"
    drop = f"INSERT INTO [{fts}] ([{fts}], rowid, {cols}) VALUES ('delete', old.rowid, {old});"
    return {
        f"{table}_ai": f"CREATE TRIGGER IF NOT EXISTS [{table}_ai] AFTER INSERT ON [{table}] BEGIN {add} END",
        f"{table}_ad": f"CREATE TRIGGER IF NOT EXISTS [{table}_ad] AFTER DELETE ON [{table}] BEGIN {drop} END",
        f"{table}_au": f"CREATE TRIGGER IF NOT EXISTS [{table}_au] AFTER UPDATE OF {cols} ON [{table}] "
                       f"BEGIN {drop} {add} END",
    }


def fts_live(db: sqlite_utils.Database) -> bool:
    """Whether every full-text index is kept up to date row by row (its triggers are in place).

    Without them an index is stale until :func:`rebuild_fts`: a new
    database, one made before the triggers existed, or a batch that paused
    them (:func:`pause_fts`) and has not finished.
    """
    have = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    return all(name in have for table in FTS for name in _fts_triggers(table))


def pause_indexes(db: sqlite_utils.Database) -> None:
    """Drop the :data:`DEFERRED_INDEXES` until the batch's end builds them again (:func:`rebuilding_indexes`).

    A batch killed before then leaves them missing (queries are right, only slower) until the next
    ingest: its :func:`open_db` (``ensure_schema``) makes them again.
    """
    with db.conn:
        for table, cols in DEFERRED_INDEXES:
            db.execute(f"DROP INDEX IF EXISTS [{index_name(table, cols)}]")


def pause_fts(db: sqlite_utils.Database) -> None:
    """Stop maintaining the full-text indexes row by row, until the next :func:`rebuild_fts`.

    For a batch that writes most of the archive: one rebuild at its end reads
    each row once, where the triggers would index every row as it is written
    and remove it again when a document is replaced.
    """
    with db.conn:
        for table in FTS:
            for name in _fts_triggers(table):
                db.execute(f"DROP TRIGGER IF EXISTS [{name}]")


def rebuild_fts(db: sqlite_utils.Database, tables: Iterable[str] | None = None) -> None:
    """Rebuild full-text indexes from their tables, and keep them up to date from then on.

    The rebuild and the triggers are one transaction: a batch killed before
    it leaves the indexes stale and :func:`fts_live` false, so the next
    batch rebuilds them.
    """
    with db.conn:
        for name in FTS if tables is None else tables:
            if db[f"{name}_fts"].exists():
                for sql in _rebuild_sql(name):
                    db.execute(sql)


def _rebuild_sql(table: str) -> list[str]:
    """Rebuild ``table``'s full-text index and make its triggers (in one transaction: the first statement
    is an INSERT, so it opens the transaction the others join)."""
    return [f"INSERT INTO [{table}_fts] ([{table}_fts]) VALUES ('rebuild')", *_fts_triggers(table).values()]


@contextlib.contextmanager
def rebuilding_indexes(db: sqlite_utils.Database, *, after: Iterable[str] = ()) -> Iterator[None]:
    """Rebuild every full-text index (as :func:`rebuild_fts`), and make the :data:`DEFERRED_INDEXES`,
    while the block runs; the full-text indexes of ``after`` once it has finished.

    ``after`` are the tables the block writes. The rest is done on a second
    connection in a thread: SQLite does it without Python's lock, so a block
    that spends its time computing in Python (a batch's target linking and
    action tracking) runs beside it on the other core, and its writes wait
    for the thread's transaction (the busy timeout). The thread runs a few
    SQL statements per index and nothing else: it takes Python's lock back
    after each, and waits for it up to the switch interval while the block
    computes, so that interval is shortened while they run together (at the
    default 5 ms the rebuild took twice as long). Each full-text index is
    rebuilt and given its triggers in that one transaction, so a row another
    connection writes meanwhile is indexed; the block itself does not write
    those tables.

    An in-memory or non-WAL database, where a second connection cannot read
    beside a writer, does it all before the block instead. An error in the
    block or in the thread is raised once both have ended; a full-text index
    left unbuilt, or without its triggers, keeps :func:`fts_live` false, so
    the next batch rebuilds it, and :func:`open_db` makes missing indexes.
    """
    after = set(after)
    tables = set(db.table_names())
    first = [t for t in FTS if t not in after and f"{t}_fts" in tables]  # the thread only runs SQL
    # each index's rebuild with its triggers, in one transaction: a row another connection writes
    # meanwhile waits for it, and is then indexed by the triggers
    statements = [sql for t in first for sql in _rebuild_sql(t)]
    statements += [index_sql(table, cols) for table, cols in DEFERRED_INDEXES]
    path = _file_beside(db)
    if path is None:
        with db.conn:
            for sql in statements:
                db.execute(sql)
        yield
    else:
        failed: list[BaseException] = []

        def run() -> None:
            try:
                _run_beside(path, statements)
            except BaseException as exc:  # noqa: BLE001 - raised in the caller's thread, below
                failed.append(exc)

        interval = sys.getswitchinterval()
        thread = threading.Thread(target=run, name="minutes-search-rebuild", daemon=True)
        sys.setswitchinterval(min(interval, REBUILD_SWITCH_INTERVAL))
        try:
            thread.start()
            try:
                yield
            except BaseException as exc:
                thread.join()
                if failed:
                    exc.add_note(f"the search rebuild beside it failed too: {failed[0]!r}")
                raise
            thread.join()
        finally:
            sys.setswitchinterval(interval)
        if failed:
            raise failed[0]
    if after:
        rebuild_fts(db, [t for t in FTS if t in after])


def _file_beside(db: sqlite_utils.Database) -> str | None:
    """The file of ``db`` when a second connection can read it beside a writer; None for a database
    that has no file or is not in WAL mode (a writer there blocks every reader)."""
    row = db.execute("PRAGMA database_list").fetchone()
    path = row[2] if row else ""
    if not path or str(db.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
        return None
    return path


def _run_beside(path: str, statements: list[str]) -> None:
    """Run ``statements`` in one transaction on a connection of this thread's own: SQL only."""
    conn = sqlite3.connect(path, timeout=60, isolation_level=None)  # the transaction is explicit
    try:
        conn.execute("PRAGMA synchronous = NORMAL")  # as open_db: WAL commits without a sync
        conn.execute("BEGIN IMMEDIATE")
        try:
            for sql in statements:
                conn.execute(sql)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    finally:
        conn.close()


REBUILD_SWITCH_INTERVAL = 0.0005
"""Seconds a thread may run Python before another that wants the lock gets it, while a rebuild runs
beside the finishing stages (see :func:`rebuilding_indexes`; the default is 0.005)."""


@functools.cache
def _insert_plan(table: str, replace: bool) -> tuple[tuple[str, ...], str, Callable[[dict[str, Any]], Any]]:
    """The INSERT statement of a table and a getter of a row's values in column order, made once.

    (Every table has several columns, so the getter returns a tuple.)
    """
    cols = tuple(TABLES[table])
    return cols, _insert_sql(table, cols, replace), itemgetter(*cols)


@functools.cache
def _insert_sql(table: str, cols: tuple[str, ...], replace: bool = True) -> str:
    """``INSERT OR REPLACE`` (or ``OR IGNORE``) of ``cols`` into ``table``, made once."""
    verb = "INSERT OR REPLACE" if replace else "INSERT OR IGNORE"
    return f"{verb} INTO [{table}] ({', '.join(f'[{c}]' for c in cols)}) VALUES ({', '.join('?' for _ in cols)})"


def _insert(conn: sqlite3.Connection, table: str, rows: Sequence[dict[str, Any]], *, replace: bool = True) -> None:
    if not rows:
        return
    cols, sql, values_of = _insert_plan(table, replace)
    try:
        values = [values_of(r) for r in rows]  # every column given (the writer's rows): one C call per row
    except KeyError:  # a row leaves some columns out: they are NULL
        values = [[r.get(c) for c in cols] for r in rows]
    conn.executemany(sql, values)


def delete_document_rows(db: sqlite_utils.Database, document_id: str) -> None:
    """Remove everything extracted from one document (not clerk overrides)."""
    meetings = [r[0] for r in db.execute(
        "SELECT meeting_id FROM document_meetings WHERE document_id = ?", [document_id])]
    for table in DOCUMENT_CHILD_TABLES:
        db.execute(f"DELETE FROM [{table}] WHERE document_id = ?", [document_id])
    db.execute("DELETE FROM documents WHERE id = ?", [document_id])
    for meeting_id in meetings:
        _refresh_meeting(db, meeting_id)


def known_document(db: sqlite_utils.Database, document_id: str) -> dict[str, Any] | None:
    rows = list(db.query("SELECT id, status, error, extractor FROM documents WHERE id = ?", [document_id]))
    return rows[0] if rows else None


def record_source(db: sqlite_utils.Database, document_id: str, source: str, filename: str) -> str | None:
    """Point ``source`` at ``document_id``; return the id it pointed at before if different."""
    prev = list(db.query("SELECT document_id, first_seen FROM document_sources WHERE source = ?", [source]))
    ts = now_iso()
    first = prev[0]["first_seen"] if prev else ts
    _insert(db.conn, "document_sources", [
        {"source": source, "document_id": document_id, "filename": filename, "first_seen": first, "last_seen": ts}
    ])
    if prev and prev[0]["document_id"] != document_id:
        return prev[0]["document_id"]
    return None


def drop_if_orphaned(db: sqlite_utils.Database, document_id: str) -> bool:
    """Delete a document no source points at any more (a file that changed)."""
    n = db.execute("SELECT count(*) FROM document_sources WHERE document_id = ?", [document_id]).fetchone()[0]
    if n == 0:
        delete_document_rows(db, document_id)
        return True
    return False


def meeting_id_for(meeting_body: str | None, meeting_date: str | None, document_id: str) -> str:
    """Documents of the same body on the same date share one meeting row."""
    if meeting_date and meeting_body:
        return stable_id("meeting", _norm(meeting_body), meeting_date)
    return stable_id("meeting", document_id)


MEETING_FIELDS = ("body", "date", "start_time", "venue", "title")
# Which document's account of a meeting to prefer when several disagree.
KIND_PRIORITY = {"minutes": 0, "agenda": 1, "summary": 2, "report": 3, "strategy": 4, "other": 5}


def _refresh_meeting(db: sqlite_utils.Database, meeting_id: str) -> None:
    """Rebuild a meeting row from every document of that meeting.

    Each field comes from the first document that gives it, minutes before
    agendas before reports (then by document id), so the row does not depend
    on the order the documents were ingested in.
    """
    docs = list(db.query("SELECT * FROM document_meetings WHERE meeting_id = ?", [meeting_id]))
    if not docs:
        db.execute("DELETE FROM meetings WHERE id = ?", [meeting_id])
        return
    docs.sort(key=lambda d: (KIND_PRIORITY.get(d["kind"], 9), d["document_id"]))
    row = {"id": meeting_id}
    for f in MEETING_FIELDS:
        row[f] = next((d[f] for d in docs if d[f]), None)
    _insert(db.conn, "meetings", [row])


# The extraction tables' rows are written as tuples, in the order of these columns (the statement
# names them): a dict per row cost more than the rest of building it.
_SPAN_COLUMNS = ("sentence", "page", "start", "end")
_SPAN_OF = attrgetter(*_SPAN_COLUMNS)
_MENTION_COLUMNS = ("id", "person_id", "document_id", "meeting_id", "surface", *_SPAN_COLUMNS)
_ACTION_COLUMNS = (
    "id", "meeting_id", "document_id", "agenda_item_id", "kind", "owner_text", "owner_id", "description",
    "due_text", "due_date", "status", "meeting_date", "closed_by_document_id", "closed_by_meeting_id",
    "closed_evidence", *_SPAN_COLUMNS,
)
_DECISION_COLUMNS = ("id", "meeting_id", "document_id", "agenda_item_id", "kind", "text", *_SPAN_COLUMNS)
_FIGURE_COLUMNS = (
    "id", "document_id", "meeting_id", "value", "unit", "raw", "metric", "direction", "period", "table_id",
    *_SPAN_COLUMNS,
)
_TARGET_COLUMNS = (
    "id", "document_id", "metric", "direction", "amount", "amount_unit", "baseline_value", "baseline_text",
    "period", "start_date", "end_date", *_SPAN_COLUMNS,
)


def _insert_tuples(conn: sqlite3.Connection, table: str, cols: tuple[str, ...], rows: list[tuple]) -> None:
    """Write rows given as tuples of ``cols`` (the table's other columns are NULL), replacing rows of the same key."""
    if rows:
        conn.executemany(_insert_sql(table, cols), rows)


# What people resolution read and wrote on a connection, with the state it matches
# (see _people_memo): kept between documents, dropped whenever anything else may have written.
_PEOPLE_MEMOS: weakref.WeakKeyDictionary[sqlite_utils.Database, tuple[tuple, PeopleMemo]] = (
    weakref.WeakKeyDictionary()
)


def _db_state(conn: sqlite3.Connection, changes: int) -> tuple:
    """What tells whether the database changed since: this connection's change count and the
    data and schema versions, which move when another connection commits or the schema changes."""
    return (conn, changes, *conn.execute("select * from pragma_data_version, pragma_schema_version").fetchone())


def _people_memo(db: sqlite_utils.Database, held: tuple[tuple, PeopleMemo] | None, changes: int) -> PeopleMemo:
    """The memo kept from the last document if nothing has written since, else a new one.

    Called inside the document's transaction once it has written (it holds
    the write lock: no other connection can commit until it ends).
    ``changes`` is the connection's change count before the transaction
    began, when the last document's was recorded.
    """
    from .resolve.people import PeopleMemo

    conn = db.conn
    if held is not None and conn.in_transaction and held[0] == _db_state(conn, changes):
        return held[1]
    return PeopleMemo()


def forget_people_memo(db: sqlite_utils.Database) -> None:
    """Drop what people resolution kept between the documents written on ``db`` (at the end of a batch:
    the next batch would read it all again anyway, as anything written meanwhile invalidates it)."""
    _PEOPLE_MEMOS.pop(db, None)


def write_document(db: sqlite_utils.Database, rec: DocumentRecord, *, extractor: str | None = None) -> None:
    """Replace everything known about ``rec`` in one transaction.

    The caller has already pointed the record's source at it; rows from an
    older version of the same source are dropped here too, in the same
    transaction, so a crash never leaves both or neither.
    """
    from .resolve.people import PeopleMemo

    conn = db.conn
    parsed, seg = rec.parsed, rec.segmentation
    changes = conn.total_changes
    held = _PEOPLE_MEMOS.pop(db, None)  # not valid while this transaction is open, nor if it fails
    with conn:
        previous = record_source(db, rec.id, rec.source, rec.filename)
        memo = _people_memo(db, held, changes)
        # Rows of a document are only ever written here, with its documents row, in one transaction:
        # a document id never stored has nothing to delete (most of a batch), which one lookup tells.
        if conn.execute("SELECT 1 FROM documents WHERE id = ?", [rec.id]).fetchone():
            delete_document_rows(db, rec.id)
            memo = PeopleMemo()  # its role rows went
        if previous and drop_if_orphaned(db, previous):
            memo = PeopleMemo()

        meeting_id = None
        meeting_date = None
        m = seg.meeting
        if m and (m.body or m.date):
            meeting_id = meeting_id_for(m.body, m.date, rec.id)
            meeting_date = m.date
            _insert(conn, "document_meetings", [{
                "document_id": rec.id, "meeting_id": meeting_id, "kind": seg.kind, "body": m.body,
                "date": m.date, "start_time": m.start_time, "venue": m.venue, "title": m.title,
            }])
            _refresh_meeting(db, meeting_id)

        _insert(conn, "documents", [{
            "id": rec.id, "source": rec.source, "filename": rec.filename, "format": parsed.format,
            "kind": seg.kind, "title": seg.title or parsed.title, "meeting_id": meeting_id,
            "pages": parsed.page_count, "text": parsed.text, "status": parsed.status,
            "error": parsed.error, "ingested_at": now_iso(), "sha256": rec.sha256, "size": rec.size,
            "seconds": round(rec.seconds, 4), "extractor": extractor, "place": seg.place,
        }])
        _insert(conn, "pages", [
            {"document_id": rec.id, "page": num, "start": start, "end": end, "text": page.text}
            for (num, start, end), page in zip(parsed.page_offsets(), parsed.pages, strict=True)
            if num is not None
        ])
        table_ids = {}
        trows = []
        for t in parsed.tables:
            tid = stable_id(rec.id, "table", t.index)
            table_ids[t.index] = tid
            trows.append({
                "id": tid, "document_id": rec.id, "page": t.page, "idx": t.index, "n_rows": len(t.rows),
                "n_cols": max((len(r) for r in t.rows), default=0),
                "header": " | ".join(t.rows[0]) if t.rows and t.header_rows else None,
                "rows_json": json.dumps(t.rows, ensure_ascii=False),
            })
        _insert(conn, "document_tables", trows)

        item_ids: dict[str, str] = {}
        irows = []
        for pos, item in enumerate(seg.items):
            iid = stable_id(rec.id, "item", pos, item.number)
            item_ids.setdefault(item.number, iid)
            irows.append({"id": iid, "meeting_id": meeting_id, "document_id": rec.id, "number": item.number,
                          "title": item.title, "text": item.text, "start": item.start, "end": item.end})
        _insert(conn, "agenda_items", irows)

        _write_extraction(db, rec, meeting_id, meeting_date, item_ids, table_ids, memo)
        state = _db_state(conn, conn.total_changes)
    _PEOPLE_MEMOS[db] = (state, memo)


def _write_extraction(
    db: sqlite_utils.Database,
    rec: DocumentRecord,
    meeting_id: str | None,
    meeting_date: str | None,
    item_ids: dict[str, str],
    table_ids: dict[int, str],
    memo: PeopleMemo | None = None,
) -> None:
    conn = db.conn
    ext = rec.extraction
    person_ids: list[str | None] = []
    if ext.people:
        from .resolve.people import assign_people

        person_ids = assign_people(db, rec.id, meeting_date, ext.people, memo=memo)
    span_of = _SPAN_OF
    _insert_tuples(conn, "mentions", _MENTION_COLUMNS, [
        (stable_id(rec.id, "mention", m.span.start, m.span.end), pid, rec.id, meeting_id, m.text,
         *span_of(m.span))
        for m, pid in zip(ext.people, person_ids, strict=False) if pid
    ])

    owner_lookup = _owner_lookup(ext.people, person_ids)
    _insert_tuples(conn, "actions", _ACTION_COLUMNS, [
        (stable_id(rec.id, "action", a.kind, _norm(a.owner_text), _norm(a.description)), meeting_id, rec.id,
         item_ids.get(a.span.agenda_item or ""), a.kind, a.owner_text, owner_lookup(a.owner_text, a.span),
         a.description, a.due_text, a.due_date, "open", meeting_date, None, None, None, *span_of(a.span))
        for a in ext.actions
    ])

    _insert_tuples(conn, "decisions", _DECISION_COLUMNS, [
        (stable_id(rec.id, "decision", d.kind, d.span.start, _norm(d.text)[:200]), meeting_id, rec.id,
         item_ids.get(d.span.agenda_item or ""), d.kind, d.text, *span_of(d.span))
        for d in ext.decisions
    ])

    _insert_tuples(conn, "figures", _FIGURE_COLUMNS, [
        (stable_id(rec.id, "figure", f.span.start, f.span.end, f.raw, f.table_index, n), rec.id, meeting_id,
         f.value, f.unit, f.raw, f.metric, f.direction, f.period,
         table_ids.get(f.table_index) if f.table_index is not None else None, *span_of(f.span))
        for n, f in enumerate(ext.figures)
    ])

    if ext.evidence is not None:
        _insert(conn, "tracking_evidence", [{"document_id": rec.id,
                                             "sentences": json.dumps(ext.evidence, ensure_ascii=False)}])

    _insert_tuples(conn, "targets", _TARGET_COLUMNS, [
        (stable_id(rec.id, "target", t.span.start, t.amount, t.metric, n), rec.id, t.metric, t.direction,
         t.amount, t.amount_unit, t.baseline_value, t.baseline_text, t.period, t.start_date, t.end_date,
         *span_of(t.span))
        for n, t in enumerate(ext.targets)
    ])


def _owner_lookup(mentions, person_ids):
    """Resolve an action's owner text to the person a mention of it resolved to.

    The owner text is matched against mentions by surname (last word), the
    nearest mention before the action winning, so "Ms Leach" picks the Leach
    of that passage.
    """
    by_surname: dict[str, list[tuple[int, str]]] = {}
    for m, pid in zip(mentions, person_ids, strict=False):
        if pid and m.surname:
            by_surname.setdefault(m.surname.lower(), []).append((m.span.start, pid))

    def lookup(owner_text: str | None, span: Span) -> str | None:
        if not owner_text:
            return None
        words = re.findall(r"[A-Za-z][A-Za-z'\-]+", owner_text)
        for word in reversed(words):
            cands = by_surname.get(word.lower())
            if cands:
                before = [c for c in cands if c[0] <= span.end]
                return (max(before) if before else min(cands))[1]
        # A first name alone ("Duncan"): the person whose first name it is.
        for m, pid in zip(mentions, person_ids, strict=False):
            if pid and m.first_name and words and m.first_name.lower() == words[0].lower():
                return pid
        return None

    return lookup


def remove_orphans(db: sqlite_utils.Database) -> None:
    """Drop meetings and people nothing refers to any more (after files changed)."""
    with db.conn:
        db.execute(
            "DELETE FROM meetings WHERE id NOT IN (SELECT meeting_id FROM documents WHERE meeting_id IS NOT NULL)"
        )
        db.execute("DELETE FROM person_aliases WHERE person_id NOT IN (SELECT person_id FROM mentions)")
        db.execute(
            "DELETE FROM person_roles WHERE person_id NOT IN (SELECT person_id FROM mentions)"
        )
        db.execute("DELETE FROM people WHERE id NOT IN (SELECT person_id FROM mentions)")
