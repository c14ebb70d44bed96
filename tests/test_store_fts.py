"""Search indexes stay exact whether a batch indexes row by row or rebuilds at its end.

A batch that writes a large share of the archive (a new archive, a rule
change that re-reads everything) pauses the per-row triggers and rebuilds
the indexes once; a small batch into a large archive keeps them, so adding
this week's minutes does not re-index a million figures. Either way the
indexes must hold exactly what a rebuild from the tables gives: compared
here through ``fts5vocab``, every (term, row, column, offset) instance.
"""

from __future__ import annotations

import sqlite3
import sys
import threading
import time
from pathlib import Path

import pytest
import sqlite_utils

import extract.ingest as ingest_mod
import extract.store as store_mod
from extract.ingest import _batch_flag, ingest
from extract.store import FTS, fts_live, open_db, pause_fts, rebuild_fts

MINUTES = """Minutes of the Community Safety Board, {date}

Present: Councillor {chair} (Chair), Inspector Ruth Okafor, Daniel Pryce (Head of Community Safety)

1. Minutes of the last meeting
The minutes were AGREED as a correct record.

2. Performance report
Daniel Pryce reported that {topic} had fallen by {pct}% to {count} offences in the year to March.
The Board NOTED the report.
ACTION: Inspector Ruth Okafor to circulate the {topic} briefing by {due}.
"""


def _write(folder: Path, name: str, **kw: object) -> Path:
    path = folder / name
    path.write_text(MINUTES.format(**kw), encoding="utf-8")
    return path


def _docs(folder: Path, n: int, start: int = 0) -> list[Path]:
    topics = ["burglary", "shoplifting", "vehicle crime", "criminal damage", "robbery", "arson"]
    return [
        _write(folder, f"minutes-{i:02d}.txt", date=f"{1 + i % 27} June 2023", chair=["Mara Ellis", "Tom Vance"][i % 2],
               topic=topics[i % len(topics)], pct=3 + i, count=100 + 7 * i, due=f"{1 + i % 27} July 2023")
        for i in range(start, start + n)
    ]


def _instances(conn: sqlite3.Connection, table: str) -> list[tuple]:
    conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.[v_{table}] USING fts5vocab(main, [{table}_fts], 'instance')")
    return sorted(conn.execute(f"SELECT term, doc, col, offset FROM temp.[v_{table}]").fetchall())


def _assert_exact(db_path: Path) -> None:
    """Every index holds what a rebuild from its table holds (compared on a copy, rebuilt there)."""
    conn = sqlite3.connect(db_path)
    copy = sqlite3.connect(":memory:")
    conn.backup(copy)
    live = {t: _instances(conn, t) for t in FTS}
    for t in FTS:
        copy.execute(f"INSERT INTO [{t}_fts] ([{t}_fts]) VALUES ('rebuild')")
    rebuilt = {t: _instances(copy, t) for t in FTS}
    conn.close()
    for t in FTS:
        assert live[t] == rebuilt[t], f"{t}_fts differs from a rebuild of {t}"


def _hits(db, table: str, term: str) -> int:
    return db.execute(f"SELECT count(*) FROM [{table}_fts] WHERE [{table}_fts] MATCH ?", [term]).fetchone()[0]


def _archive(tmp_path: Path, n: int) -> tuple[Path, object]:
    """A folder of ``n`` minutes and an archive that ingested it."""
    folder = tmp_path / "docs"
    folder.mkdir()
    _docs(folder, n)
    db = open_db(tmp_path / "a.db")
    ingest(db, [folder], workers=1)
    return folder, db


@pytest.fixture
def rebuilds(monkeypatch) -> list[int]:
    """Counts the batch's full rebuilds of the search indexes."""
    calls: list[int] = []
    real = ingest_mod.rebuilding_indexes

    def counted(db, **kwargs):
        calls.append(1)
        return real(db, **kwargs)

    monkeypatch.setattr(ingest_mod, "rebuilding_indexes", counted)
    return calls


def test_a_new_archive_is_indexed_once_at_the_end_and_then_kept_up_to_date(tmp_path, rebuilds):
    folder = tmp_path / "docs"
    folder.mkdir()
    _docs(folder, 4)
    db = open_db(tmp_path / "a.db")
    assert not fts_live(db)  # a new archive: nothing to keep up to date yet
    ingest(db, [folder], workers=1)
    assert len(rebuilds) == 1 and fts_live(db)
    assert _hits(db, "documents", "shoplifting") == 1
    _assert_exact(tmp_path / "a.db")


def test_a_small_batch_into_a_larger_archive_is_indexed_row_by_row(tmp_path, rebuilds):
    folder, db = _archive(tmp_path, 20)
    assert len(rebuilds) == 1
    # one new document, and one changed: its old words leave the index, its new ones enter it
    _docs(folder, 1, start=20)
    _write(folder, "minutes-03.txt", date="4 June 2023", chair="Tom Vance", topic="fly-tipping", pct=9,
           count=55, due="4 July 2023")
    before = _hits(db, "figures", "robbery")
    assert _hits(db, "documents", "criminal") == 3  # minutes-03, -09 and -15
    result = ingest(db, [folder], workers=1)
    assert result.documents == 2
    assert len(rebuilds) == 1, "a batch of 2 documents into 20 rebuilt every index"
    assert fts_live(db)
    assert _hits(db, "documents", "tipping") == 1
    assert _hits(db, "actions", "tipping") == 1
    assert _hits(db, "figures", "robbery") == before  # minutes-04, -10 and -16 still hold it
    assert _hits(db, "documents", "criminal") == 2  # minutes-03 held it; minutes-09 and -15 still do
    _assert_exact(tmp_path / "a.db")


def test_a_large_batch_into_an_archive_pauses_the_triggers_and_rebuilds(tmp_path, rebuilds):
    folder, db = _archive(tmp_path, 3)
    _docs(folder, 3, start=3)  # as many new documents as the archive holds
    ingest(db, [folder], workers=1)
    assert len(rebuilds) == 2 and fts_live(db)
    _assert_exact(tmp_path / "a.db")


def test_a_batch_killed_while_the_triggers_were_paused_is_rebuilt_by_the_next(tmp_path, rebuilds):
    folder, db = _archive(tmp_path, 12)
    # the state a kill -9 leaves: triggers dropped, the batch marked unfinished, a document stored unindexed
    _batch_flag(db, set_to="2023-06-30T10:00:00")
    pause_fts(db)
    db.execute("UPDATE documents SET text = text || ' zanzibar' WHERE filename = 'minutes-00.txt'")
    db.conn.commit()
    assert _hits(db, "documents", "zanzibar") == 0
    _docs(folder, 1, start=12)
    ingest(db, [folder], workers=1)
    assert fts_live(db) and len(rebuilds) == 2
    assert _hits(db, "documents", "zanzibar") == 1
    _assert_exact(tmp_path / "a.db")


def test_replacing_a_row_replaces_its_index_entry(tmp_path):
    """INSERT OR REPLACE (people are re-stored with each document naming them) fires the delete trigger."""
    db = open_db(tmp_path / "a.db")
    rebuild_fts(db)
    with db.conn:
        db.execute("INSERT OR REPLACE INTO people (id, name, role) VALUES ('p1', 'Ruth Okafor', 'Inspector')")
        db.execute("INSERT OR REPLACE INTO people (id, name, role) VALUES ('p1', 'Ruth Okafor', 'Chief Inspector')")
        db.execute("UPDATE people SET surname_key = 'okafor' WHERE id = 'p1'")  # not an indexed column
        db.execute("UPDATE people SET organisation = 'Metropolitan Police' WHERE id = 'p1'")
    assert _hits(db, "people", "chief") == 1
    assert _hits(db, "people", "metropolitan") == 1
    assert _hits(db, "people", "ruth") == 1
    _assert_exact(tmp_path / "a.db")


# ------------------------------------------------------------ rebuilding beside the finishing stages


def _deferred_present(db) -> bool:
    names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    present = [store_mod.index_name(t, c) in names for t, c in store_mod.DEFERRED_INDEXES]
    assert all(present) or not any(present), "some deferred indexes made, some not"
    return all(present)


def _paused_archive(tmp_path: Path, n: int = 6) -> tuple[Path, object]:
    """An archive of ``n`` minutes whose search indexes are paused and stale, and whose deferred indexes
    are dropped (as a large batch leaves them)."""
    folder, db = _archive(tmp_path, n)
    pause_fts(db)
    store_mod.pause_indexes(db)
    assert not _deferred_present(db)
    with db.conn:
        db.execute("UPDATE documents SET text = text || ' zanzibar' WHERE filename = 'minutes-00.txt'")
    assert _hits(db, "documents", "zanzibar") == 0
    return tmp_path / "a.db", db


@pytest.mark.parametrize("where", ["file", "memory"])
def test_indexes_rebuilt_beside_a_block_that_writes_hold_its_writes(tmp_path, where):
    """The block deletes an action while the other indexes are rebuilt beside it: the actions index,
    rebuilt after the block, does not keep it; every index is exact and kept up to date afterwards."""
    path, db = _paused_archive(tmp_path)
    if where == "memory":
        mem = sqlite3.connect(":memory:")
        db.conn.backup(mem)
        db = sqlite_utils.Database(mem)
    assert _hits(db, "actions", "shoplifting") == 1  # the deleted row's entry stays while the triggers are paused
    with store_mod.rebuilding_indexes(db, after=["actions"]), db.conn:  # the delete waits for the rebuild's commit
        db.execute("DELETE FROM actions WHERE description LIKE '%shoplifting%'")
    assert fts_live(db) and _deferred_present(db)
    assert _hits(db, "documents", "zanzibar") == 1
    assert _hits(db, "actions", "shoplifting") == 0 and _hits(db, "actions", "burglary") == 1
    if where == "file":
        _assert_exact(path)


def test_a_file_archive_is_rebuilt_on_a_second_connection_while_the_block_runs(tmp_path, monkeypatch):
    path, db = _paused_archive(tmp_path)
    real = store_mod._run_beside
    block_running = threading.Event()
    calls: list[tuple[str, str, list[str], bool, float]] = []  # (thread, file, statements, block ran, interval)

    def watched(file, statements):
        # waits for the block: a rebuild run before it, in its thread, would find it not yet begun
        calls.append((threading.current_thread().name, file, list(statements), block_running.wait(5),
                      sys.getswitchinterval()))
        return real(file, statements)

    monkeypatch.setattr(store_mod, "_run_beside", watched)
    interval = sys.getswitchinterval()
    with store_mod.rebuilding_indexes(db, after=["actions"]):
        block_running.set()
    made = [store_mod.index_sql(t, c) for t, c in store_mod.DEFERRED_INDEXES]
    rebuilt = [sql for t in FTS if t != "actions"
               for sql in (f"INSERT INTO [{t}_fts] ([{t}_fts]) VALUES ('rebuild')", *store_mod._fts_triggers(t).values())]
    assert calls == [("minutes-search-rebuild", str(path), rebuilt + made, True, store_mod.REBUILD_SWITCH_INTERVAL)]
    assert _deferred_present(db)
    assert sys.getswitchinterval() == interval  # given back
    assert not any(t.name == "minutes-search-rebuild" for t in threading.enumerate())
    assert fts_live(db) and _hits(db, "documents", "zanzibar") == 1
    _assert_exact(path)


def test_a_failed_rebuild_beside_the_block_is_raised_after_it_and_leaves_the_indexes_stale(tmp_path, monkeypatch):
    path, db = _paused_archive(tmp_path)

    def failing(file, statements):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(store_mod, "_run_beside", failing)
    ran: list[int] = []
    with pytest.raises(sqlite3.OperationalError, match="disk is full"), store_mod.rebuilding_indexes(db, after=["actions"]):
        ran.append(1)
    assert ran == [1]  # the block ran in full; the error came after it
    assert not fts_live(db)  # the next batch rebuilds
    assert _hits(db, "documents", "zanzibar") == 0


def test_an_error_in_the_block_waits_for_the_rebuild_and_skips_the_indexes_the_block_writes(tmp_path):
    path, db = _paused_archive(tmp_path)
    with pytest.raises(RuntimeError, match="tracking broke"), store_mod.rebuilding_indexes(db, after=["actions"]):
        raise RuntimeError("tracking broke")
    assert not any(t.name == "minutes-search-rebuild" for t in threading.enumerate())
    assert _hits(db, "documents", "zanzibar") == 1  # rebuilt beside the block
    assert not fts_live(db)  # the actions index was not: the next batch rebuilds it


@pytest.fixture
def seen(monkeypatch) -> list[bool]:
    """Whether the deferred indexes were there as each document of a batch was stored."""
    out: list[bool] = []
    real = ingest_mod._store

    def store(db, *args, **kwargs):
        out.append(_deferred_present(db))
        return real(db, *args, **kwargs)

    monkeypatch.setattr(ingest_mod, "_store", store)
    return out


def test_a_large_batch_builds_the_deferred_indexes_at_its_end_and_a_killed_one_has_them_made_at_the_next_open(
        tmp_path, seen):
    folder, db = _archive(tmp_path, 3)
    assert _deferred_present(db)
    _docs(folder, 3, start=3)  # as many new documents as the archive holds: a large batch
    seen.clear()  # (the archive's own first batch)
    ingest(db, [folder], workers=1)
    assert seen == [False, False, False]  # dropped while the batch wrote
    assert _deferred_present(db)
    # killed while they were dropped: opening the archive makes them again
    store_mod.pause_indexes(db)
    db.conn.close()
    assert _deferred_present(open_db(tmp_path / "a.db"))


def test_index_statements_are_those_sqlite_utils_writes(tmp_path):
    """The archive's indexes are made by our statements and were made by sqlite-utils: the same text."""
    made = sqlite_utils.Database(tmp_path / "u.db")
    made["figures"].create({"id": str, "unit": str, "metric": str})
    made["figures"].create_index(("unit", "metric"), if_not_exists=True)
    ours = sqlite_utils.Database(tmp_path / "o.db")
    ours["figures"].create({"id": str, "unit": str, "metric": str})
    ours.execute(store_mod.index_sql("figures", ("unit", "metric")))
    query = "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
    assert ours.execute(query).fetchall() == made.execute(query).fetchall() != []


def test_a_row_another_connection_writes_during_the_rebuild_is_indexed(tmp_path):
    """The rebuild and its triggers are one transaction: a second ingest's row written meanwhile waits for
    it and is then indexed by the triggers, not lost between the rebuild and the triggers."""
    path, db = _paused_archive(tmp_path)
    other = sqlite3.connect(path, timeout=60)
    with store_mod.rebuilding_indexes(db, after=["actions"]), other:
        # written once the rebuild has committed, while the block still runs (the gap triggers made after
        # the block would leave)
        deadline = time.monotonic() + 30
        while any(t.name == "minutes-search-rebuild" for t in threading.enumerate()) and time.monotonic() < deadline:
            time.sleep(0.01)
        other.execute("INSERT INTO documents (id, filename, text) VALUES ('late', 'late.txt', 'quokka sighting')")
    other.close()
    assert fts_live(db)
    assert _hits(db, "documents", "quokka") == 1
    _assert_exact(path)


def test_a_new_archive_writes_its_first_batch_without_the_deferred_indexes(tmp_path, seen):
    folder = tmp_path / "docs"
    folder.mkdir()
    _docs(folder, 3)
    db = open_db(tmp_path / "a.db")
    assert _deferred_present(db) and not fts_live(db)  # made by open_db; a new archive's search is not live
    ingest(db, [folder], workers=1)
    assert seen == [False, False, False]
    assert _deferred_present(db) and fts_live(db)
    _assert_exact(tmp_path / "a.db")
