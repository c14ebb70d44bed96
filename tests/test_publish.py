"""Publishing: metadata, canned queries, search, feeds and escaping, against the real server.

The metadata checks run without a server; the rest use the demo corpus served by
``minutes serve`` on a free loopback port (the session fixtures in conftest.py), plus a
second archive built here from two hostile documents to prove that document text is
always shown as text.
"""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml
from conftest import REPO, checkpointed, run_minutes, serve_in_process, start_server, stop_server
from markupsafe import Markup

from extract import publish
from extract.store import FOREIGN_KEYS, FTS, TABLES, open_db

METADATA = yaml.safe_load((REPO / "db" / "metadata.yml").read_text(encoding="utf-8"))
DB = METADATA["databases"]["minutes"]
QUERIES: dict[str, dict] = DB["queries"]
TABLE_META: dict[str, dict] = DB["tables"]
PLUGIN = METADATA["plugins"][publish.PLUGIN_NAME]

# Parameters that find rows in the demo corpus (corpus/documents, a fictional council).
DEMO_PARAMS = {
    "owner": "Halloran", "person": "Halloran", "metric": "burglary", "period": "2023",
    "body": "Northmere", "document": "Strategic",
}

# What issue 7 asks each kind of user to find on the home page.
REQUIRED = {
    "clerks": {"outstanding_actions", "actions_due_soon", "actions_by_owner"},
    "researchers": {"figure_history", "figures_by_period", "report_tables"},
    "scrutiny": {"commitments_by_person", "decisions_by_meeting", "targets_with_latest_figure"},
}

FEED_QUERIES = {name for name, q in QUERIES.items() if publish.feed_format(q)}
LIST_QUERIES = sorted(set(QUERIES) - FEED_QUERIES)


NAMED_PARAM = re.compile(r"(?<![\w:]):([A-Za-z_]\w*)")


def query_params(name: str) -> dict[str, str]:
    names = set(NAMED_PARAM.findall(QUERIES[name]["sql"]))
    return {p: DEMO_PARAMS[p] for p in sorted(names)}


# --------------------------------------------------------------------------- metadata


def fresh_schema() -> dict[str, list[str]]:
    """Columns of every table and view a new archive has (FTS tables are hidden by Datasette)."""
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "minutes.db")
        names = [n for n in db.table_names() + db.view_names() if not n.startswith("_") and "_fts" not in n]
        schema = {n: [c.name for c in db[n].columns] for n in names}
        db.conn.close()
    return schema


SCHEMA = fresh_schema()


@pytest.mark.parametrize("table", sorted(SCHEMA))
def test_every_table_view_and_column_is_described(table):
    meta = TABLE_META.get(table)
    assert meta and meta.get("description"), f"{table} has no description in db/metadata.yml"
    described = set(meta.get("columns") or {})
    missing = [c for c in SCHEMA[table] if c not in described]
    assert not missing, f"{table}: columns without a description: {missing}"
    unknown = described - set(SCHEMA[table])
    assert not unknown, f"{table}: descriptions for columns that do not exist: {unknown}"


@pytest.mark.parametrize("table", sorted({other for fks in FOREIGN_KEYS.values() for _, other, _ in fks}))
def test_tables_pointed_at_have_a_label_column(table):
    label = (TABLE_META.get(table) or {}).get("label_column")
    assert label in TABLES[table], f"{table} needs a label_column so foreign keys show names, not ids"


@pytest.mark.parametrize("table", sorted(TABLE_META))
def test_facets_and_sorts_name_real_columns(table):
    meta = TABLE_META[table]
    if table not in SCHEMA:
        assert meta.get("hidden") is True, f"{table} is not in the schema and not hidden"
        return
    for col in list(meta.get("facets") or []) + [meta.get("sort"), meta.get("sort_desc")]:
        assert col is None or col in SCHEMA[table], f"{table}: unknown column {col!r}"


def test_internal_tables_are_hidden():
    assert TABLE_META["_meta"]["hidden"] is True


@pytest.mark.parametrize("audience", sorted(REQUIRED))
def test_home_page_lists_the_queries_each_user_needs(audience):
    sections = {s["key"]: s for s in publish.audiences(METADATA, PLUGIN)}
    listed = {q["name"] for q in sections[audience]["queries"]}
    assert REQUIRED[audience] <= listed


def test_every_audience_entry_exists_and_every_query_is_listed():
    named = set()
    for aud in PLUGIN["audiences"]:
        for name in list(aud.get("queries") or []) + list(aud.get("feeds") or []):
            assert name in QUERIES, f"audience {aud['key']} names unknown query {name}"
            named.add(name)
    assert set(QUERIES) == named, f"queries on no audience's list: {set(QUERIES) - named}"


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_queries_link_rows_to_their_source_and_declare_params(name):
    q = QUERIES[name]
    assert q.get("title") and (q.get("description") or q.get("description_html"))
    assert "as document_link" in q["sql"], f"{name} must return document_link"
    used = set(NAMED_PARAM.findall(q["sql"]))
    assert set(q.get("params") or []) == used


@pytest.mark.parametrize("table", sorted(FTS))
def test_search_page_columns_exist(table):
    cols = PLUGIN["search_columns"][table]
    assert cols and set(cols) <= set(TABLES[table])


def test_search_columns_json_cannot_close_the_script():
    out = publish.search_columns_json({"search_columns": {"documents": ["</script><b>"], "x": "not a list"}})
    assert "<" not in out and ">" not in out
    assert json.loads(out) == {"documents": {"show": ["</script><b>"], "fetch": ["</script><b>"]}}


def test_search_fetches_the_default_sort_column():
    """Datasette 0.65 answers 500 when _col drops the sort column and there is a next page."""
    out = json.loads(publish.search_columns_json(PLUGIN, TABLE_META))
    for table, cols in out.items():
        sort = TABLE_META[table].get("sort") or TABLE_META[table].get("sort_desc")
        assert sort is None or sort in cols["fetch"]


def test_feed_queries_have_the_columns_the_plugins_need():
    assert {publish.feed_format(QUERIES[n]) for n in FEED_QUERIES} == {"ics", "atom"}


# --------------------------------------------------------------------------- plugin functions


@pytest.mark.parametrize("value, expected", [
    ("/minutes/documents/7f6eb4a53b5768b8", "/minutes/documents/7f6eb4a53b5768b8"),
    ("/minutes/pages/7f6eb4a53b5768b8,2", "/minutes/pages/7f6eb4a53b5768b8,2"),
    (" /minutes/meetings/b4a4 ", "/minutes/meetings/b4a4"),
    ("javascript:alert(1)", None),
    ("//evil.example/x", None),
    ("https://evil.example/", None),
    ("/minutes/../etc/passwd", None),
    ("/minutes/documents/x\"><script>", None),
    ("/minutes/documents/x y", None),
    ("", None),
    (None, None),
    (42, None),
])
def test_only_local_paths_become_links(value, expected):
    assert publish.safe_local_path(value) == expected


@pytest.mark.parametrize("path, column, row, label", [
    ("/minutes/pages/abc,3", "document_link", None, "page 3"),
    ("/minutes/documents/abc", "document_link", None, "document"),
    ("/minutes/meetings/m1", "meeting_link", {"meeting_date": "2024-06-12"}, "meeting 2024-06-12"),
    ("/minutes/meetings/m1", "meeting_link", {}, "meeting"),
    ("/minutes/figures/f1", "latest_figure_link", None, "figure"),
])
def test_link_labels(path, column, row, label):
    assert publish.link_label(path, column, row) == label


def _fake_datasette():
    return SimpleNamespace(urls=SimpleNamespace(path=lambda p: "/base" + p))


def test_render_cell_links_and_escapes():
    ds = _fake_datasette()
    row = {"document": "<b>Minutes</b>", "document_link": "/minutes/pages/abc,2"}
    link = publish.render_cell(row, "/minutes/pages/abc,2", "document_link", None, "minutes", ds)
    assert isinstance(link, Markup) and str(link) == '<a href="/base/minutes/pages/abc,2">page 2</a>'
    title = str(publish.render_cell(row, row["document"], "document", None, "minutes", ds))
    assert "<b>" not in title and "&lt;b&gt;Minutes&lt;/b&gt;" in title and 'href="/base/minutes/pages/abc,2"' in title
    # Not a local path, not a link column, or a table view: Datasette's own (escaped) rendering.
    assert publish.render_cell(row, "javascript:alert(1)", "document_link", None, "minutes", ds) is None
    assert publish.render_cell(row, "<script>", "sentence", None, "minutes", ds) is None
    assert publish.render_cell(row, "/minutes/documents/a", "document_link", "actions", "minutes", ds) is None


@pytest.mark.parametrize("title", [
    "Agenda and minutes - Safer Northmere Partnership Board - Wednesday, 12th June, 2024 2.00 pm",
    "Minutes of the Overview and Scrutiny Committee of the County Council held on 3 March 2025",
    "x" * 200,
])
def test_long_titles_keep_both_ends(title):
    short = publish.shorten(title)
    head, sep, tail = short.partition(" \u2026 ")
    assert sep and len(short) <= publish.TITLE_LIMIT + 3
    assert title.startswith(head) and title.endswith(tail) and len(head) > 10 and len(tail) > 10
    assert publish.shorten("Short title") == "Short title"


# --------------------------------------------------------------------------- the served demo archive


@pytest.mark.slow
@pytest.mark.parametrize("name", LIST_QUERIES + sorted(FEED_QUERIES))
def test_every_canned_query_returns_linked_rows(demo_server, name):
    rows = demo_server.json(f"/minutes/{name}.json", _shape="array", **query_params(name))
    assert rows, f"{name} returned no rows on the demo corpus with {query_params(name)}"
    first = rows[0]
    assert first["document_link"], f"{name}: row without a document link"
    for col in ("document_link", "meeting_link"):
        if first.get(col):
            assert demo_server.get(first[col]).status_code == 200, f"{name}: {col} {first[col]} is broken"


@pytest.mark.slow
def test_query_page_renders_links_to_document_page_and_meeting(demo_server):
    html = demo_server.get("/minutes/figures_by_period", params={"period": "2023"}).text
    assert re.search(r'<a href="/minutes/pages/[0-9a-f]+,\d+">page \d+</a>', html), "no page link"
    html = demo_server.get("/minutes/outstanding_actions").text
    assert re.search(r'<a href="/minutes/(documents|pages)/[0-9a-f,]+"[^>]*>', html), "no document link"
    assert re.search(r'<a href="/minutes/meetings/[0-9a-f]+">meeting \d{4}-\d\d-\d\d</a>', html), "no meeting link"


@pytest.mark.slow
def test_targets_show_their_latest_figure(demo_server):
    """The strategy's burglary target sits beside a later burglary figure (the report's)."""
    rows = demo_server.json("/minutes/targets_with_latest_figure.json", _shape="array", metric="burglary")
    assert rows and rows[0]["baseline_value"] is not None
    linked = [r for r in rows if r["latest_figure"]]
    assert linked, "no target is linked to a later figure (extract/resolve/targets.link_targets not run?)"
    assert demo_server.get(linked[0]["latest_figure_link"]).status_code == 200


def _corpus_mentions(kind: str, word: str) -> bool:
    """Whether the demo corpus answer key has an item of ``kind`` whose evidence mentions ``word``."""
    key = json.loads((REPO / "corpus" / "expected.json").read_text(encoding="utf-8"))
    return any(word in json.dumps(item).lower() for doc in key["documents"] for item in doc.get(kind, []))


@pytest.mark.slow
@pytest.mark.parametrize("table", ["documents", "figures", "actions", "decisions"])
def test_search_burglary_finds_rows(demo_server, table):
    if table in ("actions", "decisions") and not _corpus_mentions(table, "burglar"):
        pytest.skip(f"the demo corpus has no {table[:-1]} about burglary yet (add one in corpus/src)")
    rows = demo_server.json(f"/minutes/{table}.json", _search="burglary", _shape="array")
    assert rows, f"searching burglary found no {table}"


@pytest.mark.slow
def test_search_all_covers_every_fts_table(demo_server):
    html = demo_server.get("/-/search", params={"q": "burglary"}).text
    listed = set(re.findall(r'data-searchable-url="/minutes/(\w+)"', html))
    assert set(FTS) <= listed
    columns = json.loads(publish.search_columns_json(PLUGIN, TABLE_META))
    hits = []
    for t in FTS:
        # The request the search page makes, with _size=1 so there is a next page to point at.
        data = demo_server.json(f"/minutes/{t}.json", _shape="objects", _labels="on", _size=1,
                                _col=columns[t]["fetch"], _search="burglary")
        if data["rows"]:
            hits.append(t)
            assert set(columns[t]["show"]) <= set(data["rows"][0])
    assert len(hits) >= 3, f"burglary found only in {hits}"


@pytest.mark.slow
def test_home_page_has_search_and_audiences(demo_server):
    html = demo_server.get("/").text
    assert 'action="/-/search"' in html and 'name="q"' in html
    for audience, names in REQUIRED.items():
        assert f'id="for-{audience}"' in html
        for name in names:
            assert f'href="/minutes/{name}"' in html
    assert 'href="/minutes/action_due_dates.ics"' in html
    assert 'href="/minutes/new_actions_and_decisions.atom"' in html


def _unfold_ics(text: str) -> list[str]:
    """RFC 5545 content lines: CRLF or LF, continuation lines start with a space or tab."""
    lines: list[str] = []
    for raw in text.replace("\r\n", "\n").split("\n"):
        if raw[:1] in (" ", "\t") and lines:
            lines[-1] += raw[1:]
        elif raw:
            lines.append(raw)
    return lines


@pytest.mark.slow
def test_ics_feed_of_due_dates_parses(demo_server):
    r = demo_server.get("/minutes/action_due_dates.ics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
    lines = _unfold_ics(r.text)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    events, current = [], None
    for line in lines[1:-1]:
        if line == "BEGIN:VEVENT":
            assert current is None
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None:
            name, _, value = line.partition(":")
            current[name.split(";")[0]] = value
    assert current is None
    expected = demo_server.json("/minutes/action_due_dates.json", _shape="array")
    assert len(events) == len(expected) > 0
    for ev in events:
        assert {"UID", "SUMMARY", "DTSTART"} <= set(ev)
        assert re.fullmatch(r"\d{8}T\d{6}Z?", ev["DTSTART"])
    assert {ev["UID"] for ev in events} == {row["event_uid"] for row in expected}


@pytest.mark.slow
def test_atom_feed_of_actions_and_decisions_parses(demo_server):
    r = demo_server.get("/minutes/new_actions_and_decisions.atom")
    assert r.status_code == 200
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.fromstring(r.content)
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    entries = feed.findall("a:entry", ns)
    ids = [e.findtext("a:id", namespaces=ns) for e in entries]
    assert any(":action/" in i for i in ids) and any(":decision/" in i for i in ids)
    assert len(ids) == len(set(ids))
    for e in entries:
        assert e.findtext("a:title", namespaces=ns) and e.findtext("a:updated", namespaces=ns)


@pytest.mark.slow
def test_foreign_keys_show_names(demo_server):
    figures = demo_server.json("/minutes/figures.json", _shape="array", _labels="on", _size=5)
    assert figures and all(isinstance(f["document_id"], dict) and f["document_id"]["label"] for f in figures)
    owned = demo_server.json("/minutes/actions.json", _shape="array", _labels="on", owner_id__notblank=1, _size=5)
    assert owned, "no action has a resolved owner"
    assert all(a["owner_id"]["label"] != a["owner_id"]["value"] for a in owned)


@pytest.mark.slow
def test_served_read_only_with_time_limit_and_no_write_plugins(demo_server):
    dbs = demo_server.json("/-/databases.json")
    assert [d["is_mutable"] for d in dbs if d["name"] == "minutes"] == [False]
    assert demo_server.json("/-/settings.json")["sql_time_limit_ms"] == 3000
    plugins = {p["name"] for p in demo_server.json("/-/plugins.json")}
    assert {"datasette-search-all", "datasette-ics", "datasette-atom", "minutes-extract"} <= plugins
    assert not [p for p in plugins if re.search(r"write|insert|upload|edit|delete|import|auth-tokens", p)]
    tables = {t["name"]: t for t in demo_server.json("/minutes.json")["tables"]}
    assert tables["_meta"]["hidden"] and tables["documents_fts"]["hidden"]


# --------------------------------------------------------------------------- escaping document text

HOSTILE_TEXT = """Westbrook Town Council
Minutes of the Finance Committee held on 3 March 2025

1. Apologies
Apologies were received from Councillor Avery.

2. Public participation
A resident submitted a comment reading <script>alert(1)</script> through the web form.
Action: Ms Carter to report the web form fault to the supplier by 31 March 2025.
RESOLVED - That the <script>alert(1)</script> report be noted.
"""

HOSTILE_HTML = """<!DOCTYPE html>
<html><head><title>Agenda - Westbrook Town Council Planning Committee - 10 March 2025</title>
<script>alert("page script")</script></head>
<body><h1>Planning Committee, 10 March 2025</h1>
<p>1. The committee considered an objection quoting &lt;script&gt;alert(1)&lt;/script&gt;
and a link &lt;a href="javascript:alert(2)"&gt;click&lt;/a&gt;.</p>
<p>RESOLVED - That the objection quoting &lt;script&gt;alert(1)&lt;/script&gt; be noted.</p>
</body></html>
"""


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    docs = root / "docs"
    docs.mkdir()
    (docs / "westbrook-finance-2025-03-03-minutes.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    (docs / "westbrook-planning-2025-03-10-agenda.html").write_text(HOSTILE_HTML, encoding="utf-8")
    db = root / "minutes.db"
    run_minutes("ingest", str(docs), "--db", str(db), "--quiet", "--workers", "1")
    server = start_server(db)
    yield server
    stop_server(server)


def _assert_shown_as_text(html: str, where: str) -> None:
    assert "<script>alert(1)" not in html, f"{where}: document text reached the page as a live script"
    assert 'href="javascript:' not in html, f"{where}: a javascript: link"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, f"{where}: the text is missing, not escaped"


@pytest.mark.slow
def test_document_text_is_always_escaped(hostile_server):
    conn = sqlite3.connect(hostile_server.db)
    doc_ids = [r[0] for r in conn.execute("select id from documents where text like '%<script>alert(1)%'")]
    n_decisions = conn.execute("select count(*) from decisions where text like '%<script>%'").fetchone()[0]
    conn.close()
    assert len(doc_ids) == 2, "both hostile documents should keep the script text as text"
    pages = [f"/minutes/documents/{i}" for i in doc_ids]
    pages += ["/minutes/documents?_search=alert", "/minutes/documents?_facet=kind"]
    if n_decisions:
        pages += ["/minutes/decisions", "/minutes/decisions_by_meeting?body="]
    for path in pages:
        r = hostile_server.get(path)
        assert r.status_code == 200, path
        _assert_shown_as_text(r.text, path)
    search_rows = hostile_server.json("/minutes/documents.json", _search="alert", _shape="array")
    assert any("<script>alert(1)</script>" in row["text"] for row in search_rows)


@pytest.mark.slow
def test_feeds_escape_document_text(hostile_server):
    conn = sqlite3.connect(hostile_server.db)
    n = conn.execute("select count(*) from decisions where text like '%<script>%'").fetchone()[0]
    conn.close()
    if not n:
        pytest.skip("no decision was extracted from the hostile minutes")
    r = hostile_server.get("/minutes/new_actions_and_decisions.atom")
    assert r.status_code == 200
    assert "<script>" not in r.text
    ns = {"a": "http://www.w3.org/2005/Atom"}
    contents = [e.findtext("a:content", namespaces=ns) or "" for e in ET.fromstring(r.content).findall("a:entry", ns)]
    assert any("<script>alert(1)</script>" in c for c in contents), "the feed should carry the text, escaped"


def test_pyproject_registers_the_plugin_and_pins_feed_plugins():
    text = Path(REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^\[project\.entry-points\.datasette\]\s*\n\s*minutes_publish = "extract\.publish"', text, re.M)
    for pin in ("datasette-search-all==", "datasette-ics==", "datasette-atom=="):
        assert pin in text


def test_figure_history_page_offers_a_chart(demo_server):
    """datasette-vega adds charting to query pages; the description links a preset chart."""
    page = demo_server.get("/minutes/figure_history", params={"metric": "burglary"})
    assert page.status_code == 200
    assert "/-/static-plugins/datasette_vega/" in page.text
    assert "g.y_column=value" in page.text


# --------------------------------------------------------------------------- serving fast (issue 9)


@pytest.mark.parametrize("sql, expected", [
    ("select count(*) from figures ", True),
    ("select count(*) from figures where rowid in (select rowid from figures_fts where figures_fts "
     "match escape_fts(:search))", True),
    ("select unit as value, count(*) as count from (\n select id, unit from figures \n)\n"
     " where unit is not null group by unit order by count desc, value limit 31", True),
    ("select * from figures order by metric limit 101", False),  # a page of rows: never remembered
    ("select count(*) from actions where due_date < date('now')", False),  # changes with the clock
    ("select count(*) from figures where random() > 0", False),
    ("select count(*) from meetings where date > current_date", False),
    ("select name from sqlite_master", False),
])
def test_only_frozen_counts_and_facets_are_memoizable(sql, expected):
    assert publish.is_memoizable(sql) is expected


def test_memo_keeps_recent_results_within_its_row_budget():
    memo = publish.AggregateMemo(max_rows=10)
    rows = SimpleNamespace(rows=[1, 2, 3])  # 3 rows + 1 = 4 units each
    memo.put(("a",), rows)
    memo.put(("b",), rows)
    assert memo.get(("a",)) is rows  # a is now the most recent
    memo.put(("c",), rows)  # 12 > 10: the least recently used (b) goes
    assert memo.get(("b",)) is None and memo.get(("a",)) is rows and memo.get(("c",)) is rows
    assert memo.rows == 8 and (memo.hits, memo.misses) == (3, 1)


def _serve_in_process(db: Path, paths: list[str]) -> tuple[Any, list[dict]]:
    """Datasette as ``minutes serve`` runs it, in this process (conftest.serve_in_process); JSON of each path."""
    ds, responses = serve_in_process(db, paths)
    for path, r in zip(paths, responses, strict=True):
        assert r.status_code == 200, f"{path}: {r.status_code} {r.text[:300]}"
    ds.test_mmap_size = asyncio.run(ds.databases["minutes"].execute("pragma mmap_size")).rows[0][0]
    return ds, [r.json() for r in responses]


def _live_facet(conn: sqlite3.Connection, table: str, column: str, where: str = "", params=(), limit=31):
    return [tuple(r) for r in conn.execute(
        f"select [{column}], count(*) from [{table}] where [{column}] is not null {where} "
        f"group by [{column}] order by count(*) desc, [{column}] limit {limit}", params)]


FACETED = sorted(t for t, m in TABLE_META.items() if t in SCHEMA and m.get("facets"))


@pytest.mark.slow
def test_counts_and_default_facets_are_precomputed_and_equal_live_sql(demo_db):
    """Whole-table pages run no COUNT and no GROUP BY, and show exactly what those would."""
    db = checkpointed(demo_db)
    paths = [f"/minutes/{t}.json?_size=1" for t in FACETED]
    ds, pages = _serve_in_process(db, [])
    memo = ds.databases["minutes"].execute.memo
    assert memo is not None and len(memo) >= len(FACETED)
    before = memo.misses

    async def again():
        return [(await ds.client.get(p)).json() for p in paths]

    pages = asyncio.run(again())
    assert memo.misses == before, "a whole-table page ran a count or facet query"
    conn = sqlite3.connect(db)
    try:
        for table, page in zip(FACETED, pages, strict=True):
            assert page["filtered_table_rows_count"] == conn.execute(f"select count(*) from [{table}]").fetchone()[0]
            assert set(page["facet_results"]) == set(TABLE_META[table]["facets"])
            for column, facet in page["facet_results"].items():
                shown = [(v["value"], v["count"]) for v in facet["results"]]
                assert shown == _live_facet(conn, table, column)[:len(shown)], f"{table}.{column}"
    finally:
        conn.close()
    assert ds.test_mmap_size > 0, "the immutable archive should be read through a memory map"


@pytest.mark.slow
@pytest.mark.parametrize("path, table, where, params", [
    ("/minutes/figures.json?_search=burglary", "figures",
     "and rowid in (select rowid from figures_fts where figures_fts match ?)", ['"burglary"']),
    ("/minutes/documents.json?_search=budget", "documents",
     "and rowid in (select rowid from documents_fts where documents_fts match ?)", ['"budget"']),
    ("/minutes/figures.json?unit=percent", "figures", "and unit = ?", ["percent"]),
    ("/minutes/actions.json?kind=action", "actions", "and kind = ?", ["action"]),
])
def test_filtered_counts_and_facets_are_right_first_time_and_when_remembered(demo_db, path, table, where,
                                                                              params):
    db = checkpointed(demo_db)
    ds, (first, second) = _serve_in_process(db, [path, path])
    memo = ds.databases["minutes"].execute.memo
    conn = sqlite3.connect(db)
    try:
        count = conn.execute(f"select count(*) from [{table}] where 1 {where}", params).fetchone()[0]
        assert count > 0, f"the demo corpus has nothing for {path}"
        for page in (first, second):
            assert page["filtered_table_rows_count"] == count
            for column, facet in page["facet_results"].items():
                shown = [(v["value"], v["count"]) for v in facet["results"]]
                assert shown == _live_facet(conn, table, column, where, params)[:len(shown)]
        assert first["rows"] == second["rows"]
    finally:
        conn.close()
    assert memo.hits >= 1 + len(second["facet_results"])


def test_inspect_file_is_reused_until_the_database_changes(tmp_path):
    db = tmp_path / "minutes.db"
    conn = sqlite3.connect(db)
    conn.execute("create table t (x)")
    conn.executemany("insert into t values (?)", [(i,) for i in range(5)])
    conn.commit()
    first = publish.cached_inspect_file(db, tmp_path / "cache")
    data = json.loads(first.read_text())
    assert data["minutes"]["tables"]["t"] == {"count": 5} and data["minutes"]["size"] == db.stat().st_size
    assert len(data["minutes"]["hash"]) == 64
    mtime = first.stat().st_mtime_ns
    assert publish.cached_inspect_file(db, tmp_path / "cache") == first and first.stat().st_mtime_ns == mtime
    conn.executemany("insert into t values (?)", [(i,) for i in range(5000)])
    conn.commit()
    conn.close()
    again = json.loads(publish.cached_inspect_file(db, tmp_path / "cache").read_text())
    assert again["minutes"]["tables"]["t"] == {"count": 5005}


@pytest.mark.slow
def test_served_archive_uses_the_inspect_file(demo_server):
    """``minutes serve`` passes --inspect-file: Datasette reports the file's real SHA-256."""
    import hashlib

    dbs = {d["name"]: d for d in demo_server.json("/-/databases.json")}
    assert dbs["minutes"]["hash"] == hashlib.sha256(Path(demo_server.db).read_bytes()).hexdigest()
    conn = sqlite3.connect(demo_server.db)
    n = conn.execute("select count(*) from figures").fetchone()[0]
    conn.close()
    assert demo_server.json("/minutes/figures.json", _size=1)["filtered_table_rows_count"] == n


def test_a_click_on_the_unit_facet_walks_an_index():
    """?unit=... in the default order (metric) must not sort every figure of that unit."""
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "minutes.db")
        plan = [r[3] for r in db.execute(
            "explain query plan select * from figures where unit = 'percent' order by metric limit 101")]
        db.conn.close()
    assert any("USING INDEX" in step for step in plan) and not any("TEMP B-TREE" in step for step in plan), plan


@pytest.mark.parametrize("sql, rewritten", [
    ("select count(*) from figures where rowid in (select rowid from figures_fts where figures_fts match "
     "escape_fts(:search)) ", "select count(*) from figures_fts where figures_fts match escape_fts(:search)"),
    ("select count(*) from [figures] where rowid in (select rowid from [figures_fts] where [figures_fts] match "
     ":search)", "select count(*) from [figures_fts] where [figures_fts] match :search"),
    # another filter beside the search, another table's index, or a table not known to be in sync: as written
    ("select count(*) from figures where unit = :p0 and rowid in (select rowid from figures_fts where "
     "figures_fts match escape_fts(:search))", None),
    ("select count(*) from figures where rowid in (select rowid from actions_fts where actions_fts match "
     ":search)", None),
    ("select count(*) from decisions where rowid in (select rowid from decisions_fts where decisions_fts match "
     ":search)", None),
])
def test_search_counts_read_from_the_index_only_in_their_exact_shape(sql, rewritten):
    assert publish.search_count_from_index(sql, {("figures", "figures_fts")}) == rewritten


def test_index_counts_are_trusted_only_while_the_index_matches_its_table(demo_db, tmp_path):
    db = tmp_path / "copy.db"
    src = sqlite3.connect(checkpointed(demo_db))
    conn = sqlite3.connect(db)
    src.backup(conn)
    src.close()
    try:
        synced = publish.fts_in_sync(conn)
        assert {("figures", "figures_fts"), ("documents", "documents_fts"), ("actions", "actions_fts")} <= synced
        for term in ("burglary", "report", "crime"):
            through_table = conn.execute(
                "select count(*) from figures where rowid in (select rowid from figures_fts where figures_fts match ?)",
                [term]).fetchone()[0]
            sql = publish.search_count_from_index(
                "select count(*) from figures where rowid in (select rowid from figures_fts where figures_fts "
                "match :search)", synced)
            assert conn.execute(sql, {"search": term}).fetchone()[0] == through_table
        # counts known beforehand (the inspect file's) are used instead of counting again
        counts = {t: conn.execute(f"select count(*) from [{t}]").fetchone()[0] for t in ("figures", "documents")}
        assert publish.fts_in_sync(conn, counts) == synced
        assert ("figures", "figures_fts") not in publish.fts_in_sync(conn, {**counts, "figures": counts["figures"] + 1})
        # a damaged index record loses only its own pair
        conn.execute("create virtual table broken_fts using fts5(x)")
        conn.execute("create table broken (x)")
        conn.execute("insert or replace into broken_fts_data (id, block) values (1, x'80')")
        assert publish.fts_in_sync(conn) == synced
        # a row deleted: the index's triggers remove its entry, and the index is still trusted
        conn.execute("delete from figures where rowid = (select min(rowid) from figures)")
        assert ("figures", "figures_fts") in publish.fts_in_sync(conn)
        # a row gone while the triggers were off (a batch that paused them, see store.pause_fts) and the
        # index not rebuilt: that table's index is no longer trusted
        conn.execute("drop trigger figures_ad")
        conn.execute("delete from figures where rowid = (select min(rowid) from figures)")
        assert ("figures", "figures_fts") not in publish.fts_in_sync(conn)
        assert ("documents", "documents_fts") in publish.fts_in_sync(conn)
        # an unfinished batch: nothing is trusted
        conn.execute("insert or replace into _meta (key, value) values ('batch_unfinished', 'x')")
        assert publish.fts_in_sync(conn) == set()
    finally:
        conn.close()
