"""A search's first page in its table's order, without reading every matching row.

Datasette 0.65 shows the first page of ``?_search=`` on a table as::

    select <columns> from T where rowid in (select rowid from T_fts where T_fts match :search)
    order by C limit N

SQLite answers it by reading every matching row of ``T`` to learn its ``C``, then keeping the
first ``N``. On a million-figure archive "burglary" matches 39k rows, and those scattered reads
are most of the request (about 37 ms of 57). The full-text index alone finds the 39k rowids in
1 ms; what is missing is each row's place in the order.

A served archive is immutable, so that place never changes. :class:`RowOrder` reads it once,
for each table and sort that searches use: ``select rowid from T order by C, rowid`` walks C's
index, and row k of that walk has rank k. A search then ranks the index's rowids in memory,
keeps the ``N`` best and reads only those ``N`` rows (about 8 ms in all).

The answer is the same rows in the same order as SQLite's own statement: SQLite does the
ordering (collation, NULLs first or last), and its sorter leaves rows that tie on ``C`` in
rowid order, which is the tie order of the ranks; tests compare the two on ties, NULLs and both
directions. Anything else Datasette builds (another filter beside the search, a next page, a
sort with no index to walk) runs as written.

Memory: two 4-byte integers per row of each ordered table (8 MB for a million figures).
"""

from __future__ import annotations

import heapq
import re
import sqlite3
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

MAX_ROWS = 20_000_000
"""Tables larger than this are not ranked (160 MB of ranks); their searches run as written."""

SMALL_TABLE = 200_000
"""A table this small is ranked even when its sort has no index to walk (sorting it takes ~0.2 s)."""

_MISSING = 2**31 - 1  # rank of a rowid the table does not hold

NAME = r"\[[^\]]+\]|\w+"
"""A table or column name as Datasette writes it into SQL: bare, or in brackets."""

SEARCH_CLAUSE = (rf"rowid in \(select rowid from (?P<fts>{NAME}) where (?P=fts) match "
                 rf"(?P<query>escape_fts\(:search\)|:search)\)")
"""The condition Datasette 0.65 adds for ``?_search=`` (``_searchmode=raw`` drops ``escape_fts``)."""

_SEARCH_PAGE = re.compile(
    rf"\s*select (?P<columns>.+?) from (?P<table>{NAME}) where {SEARCH_CLAUSE} "
    rf"order by (?P<column>{NAME})(?P<desc> desc)? limit (?P<limit>\d+)\s*",
    re.I | re.S,
)


@dataclass(frozen=True)
class SearchPage:
    """The parts of a search's first page that the ranked statement needs."""

    columns: str
    table: str
    fts: str
    query: str
    column: str
    desc: bool
    limit: int

    @property
    def key(self) -> tuple[str, str, bool]:
        """The ordering this page needs: (table, column, descending), names without brackets."""
        return bare(self.table), bare(self.column), self.desc

    def match_sql(self) -> str:
        """The page's own full-text subquery, alone: the matching rowids, from the index only."""
        return f"select rowid from {self.fts} where {self.fts} match {self.query}"

    def rows_sql(self, rowids: Sequence[int]) -> str:
        """The page read from the chosen rows only, in the same order."""
        ids = ",".join(str(int(r)) for r in rowids)
        desc = " desc" if self.desc else ""
        return (f"select {self.columns} from {self.table} where rowid in ({ids}) "
                f"order by {self.column}{desc}, rowid limit {self.limit}")


def parse_search_page(sql: str) -> SearchPage | None:
    """The statement's parts when it is exactly a search's first page, else None."""
    m = _SEARCH_PAGE.fullmatch(sql)
    if not m or bare(m["column"]).lower() == "rowid":
        return None
    return SearchPage(columns=m["columns"], table=m["table"], fts=m["fts"], query=m["query"],
                      column=m["column"], desc=bool(m["desc"]), limit=int(m["limit"]))


def bare(name: str) -> str:
    """A name as :data:`NAME` matched it, without its brackets."""
    return name[1:-1] if name.startswith("[") and name.endswith("]") else name


def order_sql(table: str, column: str, desc: bool) -> str:
    """Every rowid of ``table`` in the order a search page sorts by, ties in rowid order."""
    return f"select rowid from [{table}] order by [{column}]{' desc' if desc else ''}, rowid"


@dataclass(frozen=True)
class RowOrder:
    """Each row's place in one ordering of an immutable table.

    ``rank[rowid]`` is the row's position (``_MISSING`` for a rowid the table lacks) and
    ``order[position]`` the rowid at that position.
    """

    rank: array
    order: array

    @classmethod
    def read(cls, conn: sqlite3.Connection, table: str, column: str, desc: bool,
             max_rows: int = MAX_ROWS) -> RowOrder | None:
        """Read the ordering from SQLite, or None when it would cost too much to hold or build.

        Too much: more than ``max_rows`` rows, rowids too sparse or too large for the arrays,
        or a table larger than :data:`SMALL_TABLE` whose order needs a full sort (no index).
        """
        try:
            # three subqueries: each is then answered from the b-tree's ends or page counts, where
            # one "select count(*), min(rowid), max(rowid)" reads every row (70 ms for a million)
            count, low, top = conn.execute(f"select (select count(*) from [{table}]), (select min(rowid) from "
                                           f"[{table}]), (select max(rowid) from [{table}])").fetchone()
            if not count or count > max_rows or low < 0 or top >= _MISSING or top > 4 * count + 1024:
                return None
            sql = order_sql(table, column, desc)
            plan = " ".join(str(r[-1]) for r in conn.execute(f"explain query plan {sql}"))
            if count > SMALL_TABLE and "TEMP B-TREE FOR ORDER BY" in plan:
                return None
            cursor = conn.execute(sql)
            cursor.row_factory = None
            order = array("i", (r for (r,) in cursor))
        except sqlite3.Error:
            return None
        rank = array("i", [_MISSING]) * (top + 1)
        for position, rowid in enumerate(order):
            rank[rowid] = position
        return cls(rank, order)

    def first(self, rowids: Sequence[int], n: int) -> list[int]:
        """The ``n`` rowids among ``rowids`` that come first in this order, in that order."""
        rank = self.rank
        if rowids and (min(rowids) < 0 or max(rowids) >= len(rank)):
            rowids = [r for r in rowids if 0 <= r < len(rank)]
        best = heapq.nsmallest(n, map(rank.__getitem__, rowids))
        return [self.order[k] for k in best if k != _MISSING]


def first_rowids(conn: sqlite3.Connection, page: SearchPage, params: Mapping[str, Any] | Sequence[Any] | None,
                 order: RowOrder) -> list[int]:
    """The rowids of ``page``'s rows, from the full-text index and the ranks alone."""
    cursor = conn.execute(page.match_sql(), params or {})
    cursor.row_factory = None
    return order.first([r for (r,) in cursor], page.limit)
