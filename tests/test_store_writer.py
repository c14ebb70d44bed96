"""The writer's speed-ups (issue 9) leave exactly the rows the plain definitions give.

* the store skips the deletes of a document id never stored: child rows only
  ever exist beside their ``documents`` row (checked), and a rewrite still
  replaces everything;
* people resolution reads the candidates of a whole document at once and
  writes each person's best role with its row: the tables equal those of
  reading each person's candidates alone, and the best role equals the
  two-query definition;
* target linking keeps only figures whose unit can show progress and reads
  them as tuples: its rows equal a figure-by-figure scan of the definition.

Documents are the project's own fictional fixtures; names and metrics are made up here.
"""

from __future__ import annotations

import dataclasses
import random
import re
import sqlite3

import pytest
import sqlite_utils
from conftest import plain_best_role, plain_similarity

from extract.records import PersonMention, Span
from extract.resolve import people as P
from extract.resolve import targets as T
from extract.store import (
    DOCUMENT_CHILD_TABLES,
    FOREIGN_KEYS,
    PRIMARY_KEYS,
    TABLES,
    _insert,
    _referenced_first,
    open_db,
    write_document,
)
from extract.vocab import TARGET_DIRECTIONS, TARGET_UNITS

# ---------------------------------------------------------------------- store


@pytest.fixture(scope="module")
def records():
    from conftest import CORPUS

    from extract.pipeline import process_file

    return [process_file(p) for p in sorted(CORPUS.iterdir()) if p.is_file()]


def _dump(db: sqlite_utils.Database) -> dict[str, list]:
    skip = {"ingested_at", "first_seen", "last_seen", "seconds"}
    out = {}
    for t in db.table_names():
        if "_fts" in t:
            continue
        cols = [c.name for c in db[t].columns if c.name not in skip]
        out[t] = db.execute(f"select {', '.join(f'[{c}]' for c in cols)} from [{t}] order by rowid").fetchall()
    return out


def _deletes(db: sqlite_utils.Database, rec) -> list[str]:
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    write_document(db, rec, extractor="test")
    db.conn.set_trace_callback(None)
    return [s for s in statements if s.lstrip().upper().startswith("DELETE FROM [")]


def test_new_documents_skip_the_deletes_and_a_rewrite_replaces_everything(records, tmp_path):
    db = open_db(tmp_path / "a.db")
    assert records and all(r.extraction.people or r.extraction.figures for r in records[:3])
    for rec in records:
        assert _deletes(db, rec) == []  # never stored: nothing to delete
    first = _dump(db)
    for rec in records:
        assert len(_deletes(db, rec)) == len(DOCUMENT_CHILD_TABLES)  # stored: every child table cleared
    again = _dump(db)
    for t in first:
        # a rewrite gives the same rows (people rows are re-inserted, so only their order may move)
        assert sorted(map(repr, again[t])) == sorted(map(repr, first[t])), t


def test_child_rows_only_exist_beside_their_document(records, tmp_path):
    """What skipping the deletes relies on, after rewrites, a changed file and a dropped document."""
    db = open_db(tmp_path / "b.db")
    for rec in records:
        write_document(db, rec, extractor="test")
    write_document(db, records[0], extractor="test")
    # the file of records[1] changed: its source now points at new content, the old document goes
    changed = dataclasses.replace(records[1], id="changed-" + records[1].id)
    write_document(db, changed, extractor="test")
    ids = {r[0] for r in db.execute("select id from documents")}
    assert records[1].id not in ids and changed.id in ids
    for table in DOCUMENT_CHILD_TABLES:
        orphans = db.execute(f"select count(*) from [{table}] where document_id not in (select id from documents)")
        assert orphans.fetchone()[0] == 0, table


def test_insert_fills_left_out_columns_with_null(tmp_path):
    db = open_db(tmp_path / "c.db")
    with db.conn:
        _insert(db.conn, "meetings", [{"id": "m1", "body": "Eastwick Panel", "date": "2023-01-05"},
                                      {"id": "m2", "body": "Westwick Panel", "date": "2023-02-05", "venue": "Hall",
                                       "start_time": "18:00", "title": "Panel"}])
        _insert(db.conn, "meetings", [{"id": "m3", "body": None, "date": None, "start_time": None,
                                       "venue": None, "title": "Only a title"}])
    rows = db.execute("select id, body, date, start_time, venue, title from meetings order by id").fetchall()
    assert rows == [("m1", "Eastwick Panel", "2023-01-05", None, None, None),
                    ("m2", "Westwick Panel", "2023-02-05", "18:00", "Hall", "Panel"),
                    ("m3", None, None, None, None, "Only a title")]


# ---------------------------------------------------------------------- people


def _m(text: str, pos: int, honorific=None, first=None, surname=None, role=None, org=None) -> PersonMention:
    return PersonMention(text=text, span=Span(sentence=text, start=pos, end=pos + len(text)), honorific=honorific,
                         first_name=first, surname=surname, role=role, organisation=org)


# Several people of one surname in a document, the same people again later, a spelling
# variant, roles and organisations over time, a re-ingested document.
PEOPLE_DOCS = [
    ("d1", "2021-03-01", [
        _m("Mr P Cole", 0, "Mr", "P", "Cole"), _m("Mrs P T Cole", 30, "Mrs", "P", "Cole"),
        _m("Ruth Amberley, Head of Housing", 60, None, "Ruth", "Amberley", role="Head of Housing"),
        _m("Superintendent Paula Light", 120, "Superintendent", "Paula", "Light"),
    ]),
    ("d2", "2021-06-01", [
        _m("Peter Cole", 0, None, "Peter", "Cole", role="Report Author"),
        _m("Ms Amberley", 40, "Ms", None, "Amberley"),
        _m("Superintendent Paul Light", 80, "Superintendent", "Paul", "Light", org="Eastwick Police"),
        _m("Dan Brook", 130, None, "Dan", "Brook", role="Head of Parks"),
        _m("Dominic Brook", 160, None, "Dominic", "Brook", role="Head of Parks"),
    ]),
    ("d3", "2022-01-10", [
        _m("Ruth Amberley", 0, None, "Ruth", "Amberley", role="Director of Place", org="Westwick Council"),
        _m("Daniel Brook", 40, None, "Daniel", "Brook", role="Parks Manager", org="Westwick Council"),
        _m("Mrs Cole", 90, "Mrs", None, "Cole"), _m("Mr Cole", 120, "Mr", None, "Cole"),
    ]),
    ("d2", "2021-06-01", [  # re-ingested with one mention fewer
        _m("Peter Cole", 0, None, "Peter", "Cole", role="Report Author"),
        _m("Superintendent Paul Light", 80, "Superintendent", "Paul", "Light", org="Eastwick Police"),
        _m("Dan Brook", 130, None, "Dan", "Brook", role="Head of Parks"),
    ]),
    ("d4", "2022-01-10", [
        _m("Ruth Amberley", 0, None, "Ruth", "Amberley", role="Head of Housing", org="Eastwick Council"),
        _m("Carl Winter", 50, None, "Carl", "Winter"), _m("Carol Winter", 80, None, "Carol", "Winter"),
        _m("Sam Okoro", 110, None, "Sam", "Okoro"),
    ]),
    # Mr Sam Okoro is the Sam Okoro above, and his title then tells Mrs S Okoro apart from him:
    # she must see what was just written for him.
    ("d5", "2022-03-10", [_m("Mr Sam Okoro", 0, "Mr", "Sam", "Okoro"), _m("Mrs S Okoro", 40, "Mrs", "S", "Okoro")]),
]


def _people_tables(db: sqlite_utils.Database) -> dict[str, list]:
    return {t: db.execute(f"select rowid, * from {t} order by rowid").fetchall()
            for t in ("people", "person_aliases", "person_roles")}


def test_candidates_read_per_document_equal_reading_each_person_alone(tmp_path, monkeypatch):
    fast = sqlite_utils.Database(tmp_path / "fast.db")
    fast_ids = [P.assign_people(fast, doc, day, ms) for doc, day, ms in PEOPLE_DOCS]
    match = P._match
    monkeypatch.setattr(P, "_match", lambda db, person, candidates=None: match(db, person))
    plain = sqlite_utils.Database(tmp_path / "plain.db")
    plain_ids = [P.assign_people(plain, doc, day, ms) for doc, day, ms in PEOPLE_DOCS]
    assert fast_ids == plain_ids
    assert _people_tables(fast) == _people_tables(plain)
    assert len({i for ids in fast_ids for i in ids if i}) >= 6  # the documents name many people


def test_best_role_equals_its_definition(tmp_path):
    db = sqlite_utils.Database(tmp_path / "roles.db")
    rng = random.Random(11)
    roles = ["Head of Housing", "Report Author", "Director of Place", "Chair", None]
    orgs = ["Eastwick Council", "Westwick Council", None]
    for n in range(40):  # ties on date and count, labels and job titles, missing values
        role, org = rng.choice(roles), rng.choice(orgs)
        day = rng.choice(["2020-01-01", "2021-01-01", None, ""])
        P.assign_people(db, f"doc{n}", day, [_m("Sam Okoro", 0, None, "Sam", "Okoro", role=role, org=org)])
        (pid, role_now, org_now), = db.execute("select id, role, organisation from people").fetchall()
        assert (role_now, org_now) == plain_best_role(db, pid)


@pytest.mark.parametrize("pair", [("Paula", "Paul"), ("Dave", "David"), ("R", "Roger"), ("Mark", "Mary"),
                                  ("Zoë", "Zoe"), ("Chris", "Christopher"), ("Steven", "Stephen")])
def test_remembered_first_name_answers_equal_computed_ones(pair):
    a, b = pair
    for x, y in ((a, b), (b, a), (a, a)):
        assert P.first_names_compatible(x, y) == P.first_names_compatible.__wrapped__(x, y)
        assert P.first_names_compatible(x, y) == P.first_names_compatible(x, y)


# ---------------------------------------------------------------------- targets


METRICS = [
    "residential burglary", "reduction in residential burglary", "Residential burglaries", "knife crime",
    "crime", "re-offending rate", "reoffending", "target for burglary", "personal robbery", "robbery",
    "anti-social behaviour incidents", "number of anti-social behaviour incidents", "total", "repeat victims",
    "repeat victimisation", "first time entrants", "first-time entrants to the youth justice system",
]


@pytest.mark.parametrize("a", METRICS)
def test_linking_scores_metrics_as_defined(a):
    rules = T.load_link_rules()
    wa = T.metric_words(a, rules)
    if not wa:
        pytest.skip(f"{a!r} has no content words: no target with it is linked")
    agreement = T._Agreement([wa], 0.0)
    for b in METRICS:
        wb = T.metric_words(b, rules)
        assert agreement.passing(wb) == {wa: plain_similarity(wa, wb)}


def test_every_target_takes_only_linkable_units():
    for unit in (*TARGET_UNITS, None):
        for direction in (*TARGET_DIRECTIONS, None):
            for baseline in (None, "", "12%", "12 per cent", "1,200 offences"):
                t = {"amount_unit": unit, "direction": direction, "baseline_text": baseline}
                assert T._compatible_units(t) <= T._LINKABLE_UNITS


TARGETS_SQL = (
    "select t.id, t.document_id, t.metric, t.direction, t.amount_unit, t.baseline_text, t.start_date, "
    "m.date as doc_date, m.body, d.place from targets t join documents d on d.id = t.document_id "
    "left join meetings m on m.id = d.meeting_id"
)
FIGURES_SQL = (
    "select f.id, f.document_id, f.metric, f.unit, f.direction, m.date, m.body, d.place from figures f "
    "join documents d on d.id = f.document_id left join meetings m on m.id = f.meeting_id where f.metric is not null"
)


def _same_area(target: dict, figure: dict) -> bool:
    """Burglary in Barnet says nothing about a target for Kent: same place, else same body."""
    if target["place"] and figure["place"]:
        return target["place"].lower() == figure["place"].lower()
    return bool(target["body"] and figure["body"] and target["body"].lower() == figure["body"].lower())


def _plain_links(db: sqlite_utils.Database) -> set[tuple[str, str, float]]:
    """The definition, figure by figure: same area, another document, a unit that can show progress, not earlier."""
    rules = T.load_link_rules()
    out = set()
    figures = list(db.query(FIGURES_SQL))
    for t in db.query(TARGETS_SQL):
        words = T.metric_words(t["metric"], rules)
        if not words:
            continue
        since = t["start_date"] or t["doc_date"]
        for f in figures:
            if re.search(r"\b(target|baseline)\b", f["metric"], re.I) or f["document_id"] == t["document_id"]:
                continue
            if not _same_area(t, f) or (f["unit"], f["direction"] is not None) not in T._compatible_units(t):
                continue
            if since and f["date"] and f["date"] < since:
                continue
            score = plain_similarity(words, T.metric_words(f["metric"], rules))
            if score >= rules.min_similarity:
                out.add((t["id"], f["id"], round(score, 1)))
    return out


def test_link_targets_equals_a_figure_by_figure_scan(tmp_path):
    db = open_db(tmp_path / "t.db")
    _random_documents(db, random.Random(5), 0, 40, [f"m{i}" for i in range(8)] + [None, None])
    expected = _plain_links(db)
    assert len(expected) > 20  # the archive links plenty, through places and bodies
    assert T.link_targets(db) == len(expected)
    assert set(db.execute("select target_id, figure_id, similarity from target_figures").fetchall()) == expected


def _random_documents(db: sqlite_utils.Database, rng: random.Random, first: int, n: int,
                      meetings: list[str | None]) -> list[str]:
    bodies = ["Eastwick Community Safety Board", "eastwick community safety board", "Northwick Panel", None]
    places = ["Eastwick", "EASTWICK", "Northwick", None]
    ids = []
    with db.conn:
        for d in range(first, first + n):
            meeting = rng.choice(meetings)
            if meeting and not db.execute("select 1 from meetings where id = ?", [meeting]).fetchone():
                _insert(db.conn, "meetings", [{"id": meeting, "body": rng.choice(bodies),
                                               "date": f"20{18 + d % 6}-0{1 + d % 9}-15"}])
            _insert(db.conn, "documents", [{"id": f"d{d}", "meeting_id": meeting, "place": rng.choice(places)}])
            if meeting:
                _insert(db.conn, "document_meetings", [{"document_id": f"d{d}", "meeting_id": meeting}])
            for k in range(rng.choice([0, 0, 1, 3])):
                _insert(db.conn, "targets", [{
                    "id": f"t{d}-{k}", "document_id": f"d{d}", "metric": rng.choice(METRICS),
                    "direction": rng.choice([*TARGET_DIRECTIONS, None]), "amount_unit": rng.choice([*TARGET_UNITS, None]),
                    "baseline_text": rng.choice([None, "14%", "1,200 offences"]),
                    "start_date": rng.choice([None, None, "2020-04-01"]),
                }])
            for k in range(rng.randint(5, 20)):
                _insert(db.conn, "figures", [{
                    "id": f"f{d}-{k}", "document_id": f"d{d}", "meeting_id": meeting,
                    "metric": rng.choice([*METRICS, None]), "unit": rng.choice(["percent", "count", "gbp", "rate"]),
                    "direction": rng.choice([None, None, "increase", "decrease"]),
                }])
            ids.append(f"d{d}")
    return ids


@pytest.mark.parametrize("seed", range(4))
def test_linking_a_batch_equals_linking_the_whole_archive_again(tmp_path, seed):
    """Adding documents (some in existing meetings) and removing one: the batch's links are the full set."""
    db = open_db(tmp_path / "t.db")
    rng = random.Random(seed)
    meetings = [f"m{i}" for i in range(6)] + [None]
    _random_documents(db, rng, 0, 25, meetings)
    assert T.link_targets(db) == len(_plain_links(db))
    with db.conn:  # a document replaced by a changed file: its rows are gone
        for table in ("targets", "figures", "document_meetings", "documents"):
            db.execute(f"delete from {table} where {'id' if table == 'documents' else 'document_id'} = 'd3'")
    written = _random_documents(db, rng, 25, 3, meetings)
    T.link_targets(db, written)
    expected = _plain_links(db)
    assert len(expected) > 20
    assert set(db.execute("select target_id, figure_id, similarity from target_figures").fetchall()) == expected
    assert db.execute("select count(*) from target_figures").fetchone()[0] == len(expected)


def test_linkable_units_are_every_pair_a_target_accepts():
    """link_targets drops figures outside _LINKABLE_UNITS early: it must hold all _compatible_units can give."""
    from extract.resolve import targets as T

    given = set()
    for unit in ("percent", "percentage_points", "count", "gbp", "rank", None):
        for direction in ("reduce", "increase", None):
            for baseline in ("", "12%", "12 per cent", "1,204 offences"):
                given |= T._compatible_units({"amount_unit": unit, "direction": direction, "baseline_text": baseline})
    assert given == T._LINKABLE_UNITS


def test_an_older_target_progress_view_is_replaced_when_the_archive_is_opened(tmp_path):
    """Ties between equally recent figures go to the one stored first (f.rowid), in archives made before too."""
    path = tmp_path / "t.db"
    db = open_db(path)
    old = T.VIEW_SQL.replace(", f.rowid\n", "\n")
    assert old != T.VIEW_SQL
    db.execute("DROP VIEW target_progress")
    db.execute(old)
    db.conn.commit()
    db.conn.close()
    db = open_db(path)
    sql = db.execute("select sql from sqlite_master where name = 'target_progress'").fetchone()[0]
    assert "tf.similarity DESC, f.rowid" in sql
    before = db.execute("select count(*) from sqlite_master").fetchone()[0]
    open_db(path)  # the current definition is left alone
    assert db.execute("select count(*) from sqlite_master").fetchone()[0] == before


# ---------------------------------------------------------------------- schema


def _declared_keys(db: sqlite_utils.Database) -> dict[str, set[tuple[str, str, str]]]:
    return {t: {(fk.column, fk.other_table, fk.other_column) for fk in db[t].foreign_keys} for t in FOREIGN_KEYS}


def test_a_new_archive_declares_every_foreign_key_without_rebuilding_a_table(tmp_path):
    """New tables are created with their keys (referenced tables first); none is rebuilt to add them."""
    statements: list[str] = []
    real_connect = sqlite3.connect

    def traced(*args, **kwargs):
        conn = real_connect(*args, **kwargs)
        conn.set_trace_callback(statements.append)
        return conn

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(sqlite3, "connect", traced)
        db = open_db(tmp_path / "new.db")
    assert _declared_keys(db) == {t: set(fks) for t, fks in FOREIGN_KEYS.items()}
    assert not [s for s in statements if "_new_" in s or s.lstrip().upper().startswith("ALTER TABLE")]
    order = _referenced_first(TABLES)
    assert sorted(order) == sorted(TABLES)
    for table, fks in FOREIGN_KEYS.items():
        assert all(order.index(other) < order.index(table) for _c, other, _o in fks if other in TABLES)


def test_an_archive_made_without_foreign_keys_gains_them_and_keeps_its_rows(tmp_path):
    """An archive from a release that declared no keys gets them on opening, rows and columns as they were."""
    path = tmp_path / "old.db"
    old = sqlite_utils.Database(path)
    for name in TABLES:
        old[name].create(TABLES[name], pk=PRIMARY_KEYS.get(name), not_null=set())
    old["meetings"].insert({"id": "m1", "body": "Kestrel Vale Board"})
    old["documents"].insert({"id": "d1", "meeting_id": "m1", "title": "Minutes"})
    old.conn.close()
    db = open_db(path)
    assert _declared_keys(db) == {t: set(fks) for t, fks in FOREIGN_KEYS.items()}
    assert db.execute("select id, meeting_id, title from documents").fetchall() == [("d1", "m1", "Minutes")]
    assert [c.name for c in db["documents"].columns] == list(TABLES["documents"])
