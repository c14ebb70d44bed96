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
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Mapping
from typing import Any

from datasette import hookimpl
from markupsafe import Markup, escape

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
