"""A search's first page chosen from the full-text index and the table's row ranks (extract/search_order.py).

The ranked statement must give exactly what Datasette's own statement gives: the same rows in
the same order, ties and NULLs included, in both directions, whatever the index holds.
"""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest
from conftest import checkpointed, serve_in_process
from datasette.utils import escape_fts

from extract import search_order
from extract.search_order import RowOrder, SearchPage, first_rowids, parse_search_page

# The statement Datasette 0.65's table view builds for the first page of /db/t?_search=...
DATASETTE_PAGE = ("select id, metric, period, note from t where rowid in (select rowid from t_fts where t_fts "
                  "match escape_fts(:search)) order by {order} limit {limit}")

METRICS = ["Burglary", "burglary", "Robbery", "anti-social behaviour", "Arson", "vehicle crime", None]
WORDS = ["burglary", "dwelling", "rose", "fell", "ward", "quarter", "offences", "reported", "police", "youth"]


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> sqlite3.Connection:
    """Figures-like rows with many ties, NULLs and gaps, and an index that is not quite in step."""
    rng = random.Random(20241)
    path = tmp_path_factory.mktemp("order") / "t.db"
    conn = sqlite3.connect(path)
    conn.execute("create table t (id text primary key, metric text, period text, note text)")
    conn.execute("create index t_metric on t (metric)")
    rows = []
    for _ in range(3000):
        metric = rng.choice(METRICS)
        period = rng.choice(["2021/22", "2022/23", "Quarter 1", None])
        note = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 9)))
        rows.append((f"{rng.getrandbits(40):010x}", metric, period, note))
    conn.executemany("insert into t values (?, ?, ?, ?)", rows)
    conn.execute("delete from t where rowid % 7 = 3")  # gaps in the rowids
    conn.execute("create virtual table t_fts using fts5 (metric, note)")
    conn.execute("insert into t_fts (rowid, metric, note) select rowid, metric, note from t")
    # an index entry with no row, inside and beyond the table's rowids
    conn.execute("insert into t_fts (rowid, metric, note) values (3, 'burglary', 'burglary'), "
                 "(999999, 'burglary', 'burglary')")
    conn.create_function("escape_fts", 1, escape_fts)  # as Datasette registers it on its connections
    conn.commit()
    yield conn
    conn.close()


@pytest.mark.parametrize("order", ["metric", "metric desc", "period", "period desc"])
@pytest.mark.parametrize("term", ["burglary", "youth police", "rose", "nothing"])
@pytest.mark.parametrize("limit", [1, 11, 101])
def test_ranked_page_is_the_statement_datasette_runs(archive, order, term, limit):
    sql = DATASETTE_PAGE.format(order=order, limit=limit)
    page = parse_search_page(sql)
    assert page is not None
    table, column, desc = page.key
    row_order = RowOrder.read(archive, table, column, desc)
    assert row_order is not None
    params = {"search": term}
    expected = archive.execute(sql, params).fetchall()
    got = archive.execute(page.rows_sql(first_rowids(archive, page, params, row_order)), params).fetchall()
    assert got == expected
    if term == "burglary":
        assert len(expected) == limit  # the case that matters: more matches than the page holds


def test_raw_mode_query_and_ties_in_rowid_order(archive):
    sql = DATASETTE_PAGE.format(order="metric", limit=51).replace("escape_fts(:search)", ":search")
    page = parse_search_page(sql)
    order = RowOrder.read(archive, *page.key)
    params = {"search": "burglary OR youth"}
    got = archive.execute(page.rows_sql(first_rowids(archive, page, params, order)), params).fetchall()
    assert got == archive.execute(sql, params).fetchall()
    metrics = [r[1] for r in got]
    assert metrics[0] is None and metrics.count(None) > 1, "NULL metrics come first, as SQLite sorts them"


@pytest.mark.parametrize("sql, key", [
    (DATASETTE_PAGE.format(order="metric", limit=101), ("t", "metric", False)),
    (DATASETTE_PAGE.format(order="[period] desc", limit=21), ("t", "period", True)),
    ("select id, [end] from [figures] where rowid in (select rowid from [figures_fts] where [figures_fts] match "
     ":search) order by [metric] limit 101", ("figures", "metric", False)),
])
def test_search_pages_are_recognised(sql, key):
    page = parse_search_page(sql)
    assert page is not None and page.key == key


@pytest.mark.parametrize("sql", [
    # another filter beside the search
    "select * from t where unit = :p0 and rowid in (select rowid from t_fts where t_fts match :search) "
    "order by metric limit 101",
    # a next page (keyset condition before the search)
    "select * from t where (metric > :p0 or (metric = :p0 and id > :p1)) and rowid in (select rowid from t_fts "
    "where t_fts match :search) order by metric, id limit 101",
    # a second sort key, an offset, rowid order, no order, a count
    "select * from t where rowid in (select rowid from t_fts where t_fts match :search) order by metric, id limit 101",
    "select * from t where rowid in (select rowid from t_fts where t_fts match :search) order by metric limit 101 "
    "offset 100",
    "select * from t where rowid in (select rowid from t_fts where t_fts match :search) order by rowid limit 101",
    "select * from t where rowid in (select rowid from t_fts where t_fts match :search) limit 101",
    "select count(*) from t where rowid in (select rowid from t_fts where t_fts match :search)",
    # the subquery names another index than its own match
    "select * from t where rowid in (select rowid from t_fts where u_fts match :search) order by metric limit 101",
])
def test_other_statements_run_as_written(sql):
    assert parse_search_page(sql) is None


def test_rows_are_read_by_rowid_only():
    page = SearchPage(columns="*", table="t", fts="t_fts", query=":search", column="[end]", desc=True, limit=3)
    assert page.rows_sql([5, 2]) == "select * from t where rowid in (5,2) order by [end] desc, rowid limit 3"
    assert page.rows_sql([]).startswith("select * from t where rowid in () ")


def _table(rows: list[tuple[int, str | None]], index: bool = True) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("create table t (metric text)")
    if index:
        conn.execute("create index t_metric on t (metric)")
    conn.executemany("insert into t (rowid, metric) values (?, ?)", rows)
    return conn


@pytest.mark.parametrize("rows, reason", [
    ([], "an empty table"),
    ([(-4, "a"), (1, "b")], "a negative rowid"),
    ([(1, "a"), (10_000_000, "b")], "rowids too sparse to index by"),
    ([(1, "a"), (2**31, "b")], "a rowid beyond a 4-byte rank"),
])
def test_orders_not_worth_holding_are_refused(rows, reason):
    assert RowOrder.read(_table(rows), "t", "metric", False) is None, reason


def test_a_large_table_needs_an_index_to_walk(monkeypatch):
    rows = [(i, f"m{i % 13}") for i in range(1, 400)]
    monkeypatch.setattr(search_order, "SMALL_TABLE", 100)
    assert RowOrder.read(_table(rows, index=False), "t", "metric", False) is None
    walked = RowOrder.read(_table(rows), "t", "metric", True)
    assert walked is not None and walked.first(list(range(1, 400)), 3) == [9, 22, 35]  # "m9" first
    assert RowOrder.read(_table(rows), "t", "metric", False, max_rows=300) is None
    monkeypatch.setattr(search_order, "SMALL_TABLE", 1000)
    assert RowOrder.read(_table(rows, index=False), "t", "metric", False) is not None
    assert RowOrder.read(_table(rows), "t", "no_such_column", False) is None


# --------------------------------------------------------------------------- served by Datasette


def _served(db: Path, paths: list[str]) -> tuple[dict, list, list[str]]:
    """Datasette as ``minutes serve`` runs it, in process: its row orders, each path's response, the SQL run."""
    ran: list[str] = []

    def record(ds) -> None:  # under the plugin's wrapper, which start-up adds
        database = ds.databases["minutes"]
        inner = database.execute

        async def recorded(sql, *args, **kwargs):
            ran.append(sql)
            return await inner(sql, *args, **kwargs)

        database.execute = recorded

    ds, responses = serve_in_process(checkpointed(db), paths, before_startup=record)
    return ds.databases["minutes"].execute.orders, responses, ran


@pytest.mark.slow
def test_served_searches_read_only_their_page_and_match_sqlite(demo_db):
    conn = sqlite3.connect(checkpointed(demo_db))
    cases = [  # path, table, term, order, the limit Datasette sets (a page and one more)
        ("/minutes/figures.json?_search=burglary&_shape=arrays&_size=20", "figures", "burglary", "metric", 21),
        ("/minutes/documents.json?_search=report&_shape=arrays", "documents", "report", "ingested_at desc", 101),
        ("/minutes/actions.json?_search=report&_sort_desc=status&_shape=arrays", "actions", "report", "status desc",
         101),
    ]
    try:
        orders, responses, ran = _served(demo_db, [c[0] for c in cases])
        expected = []
        for _path, table, term, order, limit in cases:
            cols = ", ".join(f"[{r[1]}]" for r in conn.execute(f"pragma table_info([{table}])"))
            rows = conn.execute(f"select {cols} from [{table}] where rowid in (select rowid from [{table}_fts] "
                                f"where [{table}_fts] match ?) order by {order} limit {limit}", [f'"{term}"']).fetchall()
            expected.append([list(r) for r in rows])
    finally:
        conn.close()
    # the default sorts of the searchable tables were read at start-up
    assert {("figures", "metric", False), ("documents", "ingested_at", True), ("actions", "due_date", False),
            ("people", "surname", False)} <= set(orders)
    for (path, table, _term, order, _limit), response, rows in zip(cases, responses, expected, strict=True):
        assert response.status_code == 200, path
        shown = response.json()["rows"]
        assert len(rows) > 1, f"the demo corpus has too little for {path}"
        assert shown == rows[:len(shown)], path
        # the page's rows were read by rowid, not by scanning every match
        column = order.split()[0]
        assert any(f"from {table} where rowid in (" in s and f"order by {column}" in s
                   and "match" not in s for s in ran), path


@pytest.mark.slow
def test_a_raw_query_the_index_refuses_gets_datasettes_own_error(demo_db):
    _orders, (response,), _ran = _served(demo_db, ['/minutes/figures.json?_search="unclosed&_searchmode=raw'])
    assert response.status_code == 400 and response.json()["error"] == "unterminated string"
