"""Datasette plugin for the archive: links in canned queries and the audience home page.

Registered as a plain module through ``[project.entry-points.datasette]`` in
pyproject.toml, so ``minutes serve`` (``python -m datasette serve``) loads it
with no plugins directory to ship.

Why a plugin at all: the canned queries in ``db/metadata.yml`` return
``document_link`` / ``meeting_link`` columns holding local paths (so JSON and
CSV users get a usable path), and people browsing need them as links; the home
page lists the queries per kind of user from the metadata, so a query added
there appears on the home page without editing HTML.

Safety: every value that reaches HTML here is escaped with markupsafe; a value
becomes a link only when it is a plain local path (no scheme, no ``//``), so
text copied from a document can never become a live script or a link off-site.

Speed: the archive is served immutable, so counts and facet counts are computed
once (an inspect file, start-up facets, a memo) and the file is memory-mapped;
see "serving a large archive fast" below and benchmarks/archive.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import hashlib
import json
import os
import re
import sqlite3
import tempfile
import warnings
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from datasette import hookimpl
from markupsafe import Markup, escape

from .search_order import NAME, SEARCH_CLAUSE, RowOrder, bare, first_rowids, parse_search_page

PLUGIN_NAME = "minutes-publish"

# ics 0.7.2 (pinned by datasette-ics) warns on every feed request that str(Calendar) will
# change in ics 0.9; the pin keeps 0.7 behaviour, and the warning only floods the server log.
warnings.filterwarnings("ignore", message=r"Behaviour of str\(Component\)", category=FutureWarning)

# A local path of the archive: /db/table/pk or /db/table/pk1,pk2 (ids are hex or simple words).
_LOCAL_PATH = re.compile(r"^/[A-Za-z0-9_][A-Za-z0-9_\-./,%~]*$")
_PAGE_PATH = re.compile(r"^/[^/]+/pages/[^/]+,(\d+)$")

TITLE_LIMIT = 60
LINK_COLUMNS = ("document_link", "meeting_link")
"""Columns always rendered as links; any other column ending in ``_link`` is too."""


def safe_local_path(value: object) -> str | None:
    """The value as a local path worth linking to, or None when it is anything else.

    Refuses schemes (``javascript:``), protocol-relative ``//host`` and parent
    segments, so only paths inside this Datasette can become links.
    """
    if not isinstance(value, str):
        return None
    path = value.strip()
    if not _LOCAL_PATH.match(path) or "//" in path or "/../" in path or path.endswith("/.."):
        return None
    return path


def link_label(path: str, column: str, row: Mapping[str, Any] | None = None) -> str:
    """Short text for a link: ``page 3`` for a PDF page, ``meeting 2024-06-12`` for a meeting."""
    page = _PAGE_PATH.match(path)
    if page:
        return f"page {page.group(1)}"
    segments = path.strip("/").split("/")
    kind = segments[1] if len(segments) >= 3 else ""
    if kind == "meetings":
        date = _row_get(row, "meeting_date")
        return f"meeting {date}" if date else "meeting"
    if kind == "documents":
        return "document"
    if kind == "figures":
        return "figure"
    name = column.removesuffix("_link").replace("_", " ").strip()
    return name or "open"


def _row_get(row: Mapping[str, Any] | None, key: str) -> Any:
    """``row[key]`` for dicts and sqlite3.Row alike, None when the column is absent."""
    if row is None:
        return None
    try:
        keys = row.keys()
    except AttributeError:
        return None
    return row[key] if key in keys else None


def link_html(href: str, label: str, title: str | None = None) -> Markup:
    """An escaped ``<a>``; ``href`` must already have passed :func:`safe_local_path`."""
    attr = f' title="{escape(title)}"' if title else ""
    return Markup(f'<a href="{escape(href)}"{attr}>{escape(label)}</a>')


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """Link columns of canned queries (``*_link``) and a query's ``document`` title.

    Table views are left to Datasette (foreign keys already show labels there);
    this only acts on query results (``table`` is None) and returns None to let
    Datasette render anything it does not recognise, escaped as usual.
    """
    if table is not None or not isinstance(column, str):
        return None
    if column in LINK_COLUMNS or column.endswith("_link"):
        path = safe_local_path(value)
        if path is None:
            return None
        return link_html(datasette.urls.path(path), link_label(path, column, row))
    if column == "document" and isinstance(value, str) and value:
        path = safe_local_path(_row_get(row, "document_link"))
        if path is not None:
            return link_html(datasette.urls.path(path), shorten(value), title=value)
    return None


def shorten(text: str, limit: int = TITLE_LIMIT) -> str:
    """Cut a long title in the middle, at words, so the columns after it stay on screen.

    The middle goes because titles put the distinctive part at both ends: the
    kind of paper first, the body and date last ("Agenda and minutes - ... -
    Wednesday, 12th June, 2024").
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    half = limit // 2
    head = text[:half].rsplit(" ", 1)[0].rstrip(" -,;:")
    tail = text[-half:].split(" ", 1)[-1].lstrip(" -,;:")
    return f"{head} \u2026 {tail}"


def audiences(metadata: Mapping[str, Any], plugin_config: Mapping[str, Any] | None,
              database: str = "minutes") -> list[dict[str, Any]]:
    """The home page's sections: per audience, its canned queries and feeds with titles.

    Queries named in the config but missing from the metadata are skipped (a
    typo should not break the home page; tests/test_publish.py catches it).
    """
    queries = ((metadata.get("databases") or {}).get(database) or {}).get("queries") or {}
    sections = []
    for aud in (plugin_config or {}).get("audiences") or []:
        def entries(names: list[str] | None) -> list[dict[str, Any]]:
            out = []
            for name in names or []:
                q = queries.get(name)
                if not isinstance(q, Mapping):
                    continue
                out.append({
                    "name": name,
                    "title": q.get("title") or name.replace("_", " "),
                    "description": q.get("description") or "",
                    "params": list(q.get("params") or []),
                    "path": f"/{database}/{name}",
                })
            return out

        sections.append({
            "key": aud.get("key", ""),
            "title": aud.get("title", ""),
            "description": aud.get("description", ""),
            "queries": entries(aud.get("queries")),
            "feeds": entries(aud.get("feeds")),
        })
    return sections


def feed_format(query: Mapping[str, Any]) -> str | None:
    """``ics`` or ``atom`` when a canned query's SQL returns the columns that plugin needs."""
    sql = str(query.get("sql") or "")
    if "event_name" in sql and "event_dtstart" in sql:
        return "ics"
    if all(col in sql for col in ("atom_id", "atom_title", "atom_updated")):
        return "atom"
    return None


def search_columns_json(plugin_config: Mapping[str, Any] | None,
                        table_meta: Mapping[str, Any] | None = None) -> str:
    """Per table, the columns the search page shows and fetches, as JSON safe in a ``<script>``.

    ``fetch`` adds the table's default sort column: Datasette 0.65 fails (500)
    building the next-page token when ``_col`` leaves the sort column out.
    """
    cols = (plugin_config or {}).get("search_columns") or {}
    out = {}
    for table, shown in cols.items():
        if not isinstance(shown, list):
            continue
        shown = [str(c) for c in shown]
        meta = (table_meta or {}).get(table) or {}
        sort = [str(c) for c in (meta.get("sort"), meta.get("sort_desc")) if c and c not in shown]
        out[str(table)] = {"show": shown, "fetch": shown + sort}
    return json.dumps(out).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@hookimpl
def extra_template_vars(template, database, datasette, request):
    """Give index.html the audience sections, feeds and tables; search_all.html its columns."""
    if template == "search_all.html":
        metadata = datasette.metadata() or {}
        db_name = "minutes" if "minutes" in datasette.databases else next(iter(datasette.databases), "minutes")
        table_meta = ((metadata.get("databases") or {}).get(db_name) or {}).get("tables") or {}
        return {"minutes_search_columns_json":
                search_columns_json(datasette.plugin_config(PLUGIN_NAME), table_meta)}
    if template != "index.html":
        return None

    async def inner() -> dict[str, Any]:
        metadata = datasette.metadata() or {}
        db_name = "minutes" if "minutes" in datasette.databases else next(iter(datasette.databases), "minutes")
        sections = audiences(metadata, datasette.plugin_config(PLUGIN_NAME), db_name)
        queries = ((metadata.get("databases") or {}).get(db_name) or {}).get("queries") or {}
        for section in sections:
            for feed in section["feeds"]:
                fmt = feed_format(queries.get(feed["name"]) or {})
                feed["format"] = fmt
                feed["feed_path"] = f"{feed['path']}.{fmt}" if fmt else feed["path"]
        tables = []
        if db_name in datasette.databases:
            db = datasette.databases[db_name]
            hidden = set(await db.hidden_table_names())
            table_meta = ((metadata.get("databases") or {}).get(db_name) or {}).get("tables") or {}
            for name in await db.table_names():
                if name in hidden or name.startswith("_"):
                    continue
                tables.append({
                    "name": name,
                    "description": (table_meta.get(name) or {}).get("description") or "",
                    "path": f"/{db_name}/{name}",
                })
        return {"minutes_sections": sections, "minutes_tables": tables, "minutes_database": db_name}

    return inner


# --------------------------------------------------------------------------- serving a large archive fast
#
# ``minutes serve`` opens the archive immutable: nothing can change it while it is served. Three
# things follow, and together they keep a million-figure archive's table, facet and search pages
# quick (benchmarks/archive.py measures them):
#
# 1. Row counts of whole tables are computed once, before serving, into a Datasette inspect file
#    (``inspect_archive`` / ``cached_inspect_file``; ``serve`` passes ``--inspect-file``). Datasette
#    0.65 then shows "1,000,000 rows" without a COUNT(*) per page view.
# 2. COUNT(*) and facet-count results are remembered per process (``memoize_aggregates``): the
#    same search or filter asked again (its HTML and JSON, each page of its results, the facet
#    links around it) costs no second pass over the matching rows. The facet counts of every table's
#    default facets (metadata.yml ``facets``) are computed at start-up (``warm_default_facets``),
#    so a table's front page never groups a million rows.
#    A search's count is read from the full-text index alone when the index is known to hold
#    exactly its table's rows (``fts_in_sync``, ``search_count_from_index``): 1 ms, not 30.
#    A search's first page is chosen from the index and each row's rank in the table's order,
#    read once (``extract/search_order.py``, ``warm_search_orders``): only its 101 rows are read.
# 3. SQLite reads the file through a memory map (``prepare_connection``) instead of copying pages
#    through its small per-connection cache: searches touch thousands of scattered rows.
#
# None of this caches a page: rows, sorting and rendering run for every request, and a memo is
# only ever used for an immutable database, whose answers cannot go stale while it is served.

MMAP_BYTES = 2_000_000_000
"""Upper bound for ``PRAGMA mmap_size`` (SQLite caps it at its compile-time maximum, 2 GB here)."""

MEMO_ROWS = 200_000
MEMO_MAX_ROWS = 1001
"""Memo size: rows kept in all (least recently used results dropped first), rows per result."""

_AGGREGATE_SQL = re.compile(
    r"^\s*select\s+count\(\*\)\s+from\s"  # a table or filter count
    r"|\bcount\(\*\)\s+as\s+count\s+from\s*\(",  # a facet: select <col> as value, count(*) as count from (...)
    re.I,
)
# Results that depend on the clock or on chance must not be remembered, even on a frozen file.
_VOLATILE_SQL = re.compile(
    r"'now'|\bcurrent_(date|time|timestamp)\b"
    r"|\b(random|randomblob|date|time|datetime|julianday|unixepoch|strftime|changes|total_changes"
    r"|last_insert_rowid)\s*\(",
    re.I,
)
_WARMING: contextvars.ContextVar[bool] = contextvars.ContextVar("minutes_warming", default=False)


def is_memoizable(sql: str) -> bool:
    """True for the COUNT(*) and facet-count statements Datasette runs, when they cannot change."""
    return bool(_AGGREGATE_SQL.search(sql)) and not _VOLATILE_SQL.search(sql)


def _params_key(params: Any) -> tuple:
    if not params:
        return ()
    if isinstance(params, Mapping):
        return tuple(sorted((str(k), repr(v)) for k, v in params.items()))
    return tuple(repr(v) for v in params)


class AggregateMemo:
    """Least-recently-used memo of small query results, bounded by the rows it holds."""

    def __init__(self, max_rows: int = MEMO_ROWS) -> None:
        self.max_rows = max_rows
        self.rows = 0
        self.hits = 0
        self.misses = 0
        self._data: OrderedDict[tuple, Any] = OrderedDict()

    def get(self, key: tuple) -> Any:
        value = self._data.get(key)
        if value is None:
            self.misses += 1
            return None
        self._data.move_to_end(key)
        self.hits += 1
        return value

    def put(self, key: tuple, value: Any) -> None:
        old = self._data.pop(key, None)
        if old is not None:
            self.rows -= _size(old)
        self._data[key] = value
        self.rows += _size(value)
        while self.rows > self.max_rows and len(self._data) > 1:
            _, dropped = self._data.popitem(last=False)
            self.rows -= _size(dropped)

    def __len__(self) -> int:
        return len(self._data)


def _size(results: Any) -> int:
    return len(getattr(results, "rows", ())) + 1


def memoize_aggregates(db: Any, memo: AggregateMemo | None = None) -> AggregateMemo | None:
    """Route an immutable database's COUNT and facet statements through a memo; return the memo.

    Wraps ``execute`` of this one Database object (Datasette 0.65 has no hook around the count
    a table page runs); the key is the statement, its parameters and the result options, and the
    object stands for one immutable file, so equal keys always have equal answers. Mutable and
    in-memory databases are left alone (None returned): their counts change. A statement that
    fails or runs out of time is not remembered.
    """
    if getattr(db, "is_mutable", True) or getattr(db, "is_memory", False):
        return None
    existing = getattr(db.execute, "memo", None)
    if existing is not None:
        return existing
    memo = memo or AggregateMemo()
    original = db.execute
    synced: set[tuple[str, str]] = set()  # (table, fts table) pairs whose index matches the table

    async def execute(sql, params=None, truncate=False, custom_time_limit=None, page_size=None,
                      log_sql_errors=True):
        key = None
        run = sql
        if isinstance(sql, str) and is_memoizable(sql):
            key = (sql.strip(), _params_key(params), bool(truncate), page_size)
            hit = memo.get(key)
            if hit is not None:
                return hit
            if _WARMING.get():
                custom_time_limit = None  # start-up precomputation may use the full sql_time_limit_ms
            run = search_count_from_index(sql, synced) or sql
        elif isinstance(sql, str) and (page := parse_search_page(sql)) is not None:
            order = await row_order(db, page.key)
            if order is not None:
                # A query the index refuses (raw mode's syntax) runs as written, for Datasette's message.
                with contextlib.suppress(sqlite3.Error):
                    run = page.rows_sql(await db.execute_fn(functools.partial(
                        first_rowids, page=page, params=params, order=order)))
        results = await original(run, params, truncate=truncate, custom_time_limit=custom_time_limit,
                                 page_size=page_size, log_sql_errors=log_sql_errors)
        if key is not None and len(results.rows) <= MEMO_MAX_ROWS:
            memo.put(key, results)
        return results

    execute.memo = memo
    execute.synced = synced
    execute.orders = {}
    db.execute = execute
    return memo


async def row_order(db: Any, key: tuple[str, str, bool]) -> RowOrder | None:
    """The ranks of ``db``'s rows for one (table, column, descending) order, read once per file.

    Only for a database whose ``execute`` :func:`memoize_aggregates` wrapped (an immutable
    file); None for any other, and for an order too costly to hold (see ``RowOrder.read``).
    Concurrent first searches share one read. Orders are kept while the file is served: at most
    one per direction of each indexed column (or any column of a small table) that a search
    is sorted by.
    """
    orders = getattr(db.execute, "orders", None)
    if orders is None:
        return None
    task = orders.get(key)
    if task is None:
        table, column, desc = key
        task = orders[key] = asyncio.ensure_future(db.execute_fn(
            lambda conn: RowOrder.read(conn, table, column, desc)))
    try:
        return await asyncio.shield(task)
    except Exception:  # noqa: BLE001 - a failed read only means searches run as written
        return None


async def warm_search_orders(datasette: Any, database: str) -> list[str]:
    """Read the row order of each searchable table's default sort (metadata ``sort``/``sort_desc``).

    So the first search of a served archive is as quick as the next; returns ``table.column``
    for each order now held.
    """
    db = datasette.databases[database]
    done = []
    for table, meta in (datasette.metadata("tables", database=database) or {}).items():
        meta = meta or {}
        column = meta.get("sort") or meta.get("sort_desc")
        if not isinstance(column, str) or not await db.table_exists(f"{table}_fts"):
            continue
        if await row_order(db, (table, column, not meta.get("sort"))) is not None:
            done.append(f"{table}.{column}")
    return done


# The count a table page runs for ?_search= with no other filter (Datasette 0.65's TableView).
_SEARCH_COUNT = re.compile(rf"\s*select count\(\*\) from (?P<table>{NAME}) where {SEARCH_CLAUSE}\s*", re.I)


def search_count_from_index(sql: str, synced: set[tuple[str, str]]) -> str | None:
    """The same count read from the full-text index alone, when the index is known to match its table.

    Counting "burglary" through the table looks up all 39k matching rows of a
    million (about 30 ms); the index knows how many documents match without
    reading them (about 1 ms). Equal only while the index holds exactly the
    table's rows, which :func:`fts_in_sync` checks once per served file.
    """
    m = _SEARCH_COUNT.fullmatch(sql)
    if not m or (bare(m["table"]), bare(m["fts"])) not in synced:
        return None
    return f"select count(*) from {m['fts']} where {m['fts']} match {m['query']}"


def _fts_rows(block: bytes) -> int:
    """The row count at the start of an FTS5 index's averages record (an SQLite varint).

    Raises IndexError for a record too short to hold one.
    """
    value = 0
    for i in range(8):
        byte = block[i]
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            return value
    return (value << 8) | block[8]


def fts_in_sync(conn: sqlite3.Connection, counts: Mapping[str, int] | None = None) -> set[tuple[str, str]]:
    """(table, fts table) pairs whose FTS5 index holds exactly as many rows as the table.

    The store rebuilds every index from its table at the end of each batch and
    marks a batch that has not got there (``_meta`` ``batch_unfinished``), so a
    database without that mark whose index and table counts agree has an index
    that matches its table. Nothing is trusted after an unfinished batch.
    ``counts`` are the tables' row counts when known (the inspect file has
    them: counting a million figures again costs half a second cold); a table
    missing from them is counted. A damaged index record only loses the pair.
    """
    counts = counts or {}
    names = {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}
    if "_meta" in names and conn.execute("select 1 from _meta where key = 'batch_unfinished'").fetchone():
        return set()
    out = set()
    for fts in names:
        table = fts[:-4]
        if not fts.endswith("_fts") or table not in names or f"{fts}_data" not in names:
            continue
        try:
            row = conn.execute(f"select block from [{fts}_data] where id = 1").fetchone()
            count = counts.get(table)
            if count is None:
                count = conn.execute(f"select count(*) from [{table}]").fetchone()[0]
            if row and row[0] and _fts_rows(row[0]) == count:
                out.add((table, fts))
        except (sqlite3.DatabaseError, IndexError):
            continue
    return out


async def warm_default_facets(datasette: Any, database: str) -> list[str]:
    """Compute each table's metadata facets (whole table) into the memo; return ``table.column`` done.

    Runs Datasette's own ColumnFacet on the statement a table page builds for the unfiltered
    table, so the page's first view finds its facet counts ready. Here a facet may take the
    whole ``sql_time_limit_ms`` instead of ``facet_time_limit_ms``: it runs once, not per view.
    """
    from datasette.facets import ColumnFacet
    from datasette.utils import escape_sqlite
    from datasette.utils.asgi import Request

    db = datasette.databases[database]
    done: list[str] = []
    token = _WARMING.set(True)
    try:
        for table, meta in (datasette.metadata("tables", database=database) or {}).items():
            if not any(isinstance(f, str) for f in (meta or {}).get("facets") or []):
                continue
            if not await db.table_exists(table):
                continue
            columns = ", ".join(escape_sqlite(c) for c in await db.table_columns(table))
            if not await db.primary_keys(table):
                columns = f"rowid, {columns}"
            # The statement TableView builds for the facets of the unfiltered table (trailing space too).
            sql = f"select {columns} from {escape_sqlite(table)} "
            facet = ColumnFacet(datasette, Request.fake(datasette.urls.table(database, table)), database,
                                sql=sql, table=table, params={}, metadata=meta)
            results, _timed_out = await facet.facet_results()
            done += [f"{table}.{r['name']}" for r in results]
    finally:
        _WARMING.reset(token)
    return done


@hookimpl
def prepare_connection(conn, database, datasette):
    """Memory-map an immutable archive: scattered row reads cost no copy through the page cache."""
    db = datasette.databases.get(database)
    if db is None or db.is_mutable or db.is_memory:
        return
    conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")


@hookimpl
def startup(datasette):
    """Memoize counts and facets of immutable databases, and warm the default facets."""

    async def inner() -> None:
        for name, db in list(datasette.databases.items()):
            if memoize_aggregates(db) is not None:
                tables = ((datasette.inspect_data or {}).get(name) or {}).get("tables") or {}
                counts = {t: info["count"] for t, info in tables.items() if isinstance(info.get("count"), int)}
                db.execute.synced.update(await db.execute_fn(functools.partial(fts_in_sync, counts=counts)))
                await warm_default_facets(datasette, name)
                await warm_search_orders(datasette, name)

    return inner


def inspect_archive(db_path: str | Path) -> dict[str, Any]:
    """Datasette inspect data for one database file: its hash, size and every table's row count.

    The same shape ``datasette inspect`` writes, computed without starting Datasette; the
    database's Datasette name is the file's stem (``minutes`` for ``minutes.db``).
    """
    path = Path(db_path)
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    conn = sqlite3.connect(f"file:{path.resolve()}?immutable=1", uri=True)
    try:
        names = [r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")]
        tables = {}
        for name in names:
            try:
                count = conn.execute(f"select count(*) from [{name}]").fetchone()[0]
            except sqlite3.DatabaseError:
                continue
            tables[name] = {"count": count}
    finally:
        conn.close()
    return {path.stem: {"hash": digest.hexdigest(), "size": path.stat().st_size, "file": str(path),
                        "tables": tables}}


def cached_inspect_file(db_path: str | Path, cache_dir: str | Path | None = None) -> Path:
    """Path of an inspect file for ``db_path``, recomputed only when the file changed.

    Kept outside the archive's folder (which may be read-only), named after the file's absolute
    path; the file's size and modification time are stored in it and must match for reuse.
    """
    path = Path(db_path).resolve()
    stat = path.stat()
    stamp = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    user = getattr(os, "getuid", lambda: "")()
    folder = Path(cache_dir) if cache_dir else Path(tempfile.gettempdir()) / f"minutes-serve-{user}"
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / f"inspect-{hashlib.sha1(str(path).encode()).hexdigest()[:16]}.json"
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        if json.loads(out.read_text(encoding="utf-8"))[path.stem]["stamp"] == stamp:
            return out
    data = inspect_archive(path)
    data[path.stem]["stamp"] = stamp
    tmp = out.with_name(f"{out.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data), encoding="utf-8")
    os.replace(tmp, out)  # atomic: two servers starting together never read half a file
    return out
