"""The writer's batch shortcuts leave exactly the rows the plain computation gives.

* people resolution keeps what it read and wrote (``PeopleMemo``) from one
  document to the next on a connection: the ids and the people tables equal
  those of reading everything from the database for every document, and the
  memo's rows, aliases, role counts and best roles equal a fresh reading after
  each document;
* the store keeps that memo only while nothing else wrote: another
  connection's commit, a write of its own outside ``write_document`` or a
  rolled-back document drops it;
* the extraction tables' rows are built as tuples of named columns.

Names, bodies and documents are made up here.
"""

from __future__ import annotations

import dataclasses
import sqlite3

import pytest
import sqlite_utils
from conftest import plain_best_role

from extract import store as S
from extract.records import (
    ActionItem,
    DecisionItem,
    DocumentRecord,
    Extraction,
    FigureItem,
    MeetingInfo,
    Page,
    ParsedDocument,
    PersonMention,
    Segmentation,
    Span,
    TargetItem,
)
from extract.resolve import people as P


def _m(text: str, pos: int, honorific=None, first=None, surname=None, role=None, org=None) -> PersonMention:
    return PersonMention(text=text, span=Span(sentence=f"{text} reported.", start=pos, end=pos + len(text)),
                         honorific=honorific, first_name=first, surname=surname, role=role, organisation=org)


# Each scenario: documents in the order written, (document id, meeting date, mentions).
SCENARIOS = {
    "seen_in_an_earlier_document": [
        ("a", "2021-03-01", [_m("Ruth Amberley, Head of Housing", 0, None, "Ruth", "Amberley", role="Head of Housing")]),
        ("b", "2021-06-01", [_m("Ms Amberley", 0, "Ms", None, "Amberley"),
                             _m("Cllr Ruth Amberley", 40, "Cllr", "Ruth", "Amberley", org="Eastwick Council")]),
        ("c", "2021-09-01", [_m("R Amberley", 0, None, "R", "Amberley", role="Report Author")]),
    ],
    "one_surname_many_people": [
        ("a", "2020-01-10", [_m("Mr P Cole", 0, "Mr", "P", "Cole"), _m("Mrs P T Cole", 30, "Mrs", "P", "Cole"),
                             _m("Peter Cole", 60, None, "Peter", "Cole", role="Parks Manager")]),
        ("b", "2020-02-10", [_m("Mrs Cole", 0, "Mrs", None, "Cole"), _m("Mr Cole", 20, "Mr", None, "Cole"),
                             _m("Pat Cole", 40, None, "Pat", "Cole"), _m("Paula Cole", 70, None, "Paula", "Cole")]),
        ("c", "2020-03-10", [_m("Mr Sam Okoro", 0, "Mr", "Sam", "Okoro"), _m("Mrs S Okoro", 40, "Mrs", "S", "Okoro"),
                             _m("Sam Okoro", 80, None, "Sam", "Okoro", role="Chair")]),
    ],
    "reingested_document": [
        ("a", "2019-05-01", [_m("Dan Brook", 0, None, "Dan", "Brook", role="Head of Parks"),
                             _m("Dominic Brook", 30, None, "Dominic", "Brook", role="Head of Parks")]),
        ("b", "2019-07-01", [_m("Daniel Brook", 0, None, "Daniel", "Brook", role="Parks Manager",
                                org="Westwick Council")]),
        ("a", "2019-05-01", [_m("Dan Brook", 0, None, "Dan", "Brook", role="Director of Place")]),  # fewer, changed
        ("c", "2019-09-01", [_m("Mr Brook", 0, "Mr", None, "Brook"), _m("Dan Brook", 20, None, "Dan", "Brook")]),
        ("a", "2019-05-01", []),  # re-ingested with nobody left
    ],
    "roles_ties_labels_and_missing_dates": [
        (f"d{n}", day, [_m("Sam Okoro", 0, None, "Sam", "Okoro", role=role, org=org)])
        for n, (day, role, org) in enumerate([
            ("2020-01-01", "Head of Housing", None), ("", "Report Author", "Eastwick Council"),
            (None, "Chair", "Westwick Council"), ("2020-01-01", "Chair", None), ("2021-01-01", None, "Eastwick Council"),
            ("2021-01-01", "Report Author", None), (None, None, None), ("2019-01-01", "Head of Housing", "Westwick Council"),
        ])
    ],
    "accents_and_glued_names": [
        ("a", "2024-01-10", [_m("Ms Órla Éadaoin", 0, "Ms", "Órla", "Éadaoin"), _m("Zoë O'Dwyer", 30, None, "Zoë", "O'Dwyer")]),
        ("b", "2024-03-10", [_m("Ms Éadaoin", 0, "Ms", None, "Éadaoin"), _m("Zoe O-Dwyer", 20, None, "Zoe", "O-Dwyer")]),
        ("c", "2024-05-10", [_m("Mrs Eadaoin", 0, "Mrs", None, "Eadaoin"), _m("Carl Winter", 20, None, "Carl", "Winter"),
                             _m("Carol Winter", 50, None, "Carol", "Winter")]),
    ],
    "empty_documents": [("a", None, []), ("b", "2022-01-01", [_m("Dr Amira Shah", 0, "Dr", "Amira", "Shah")]),
                        ("c", None, [])],
}


def _people_tables(db: sqlite_utils.Database) -> dict[str, list]:
    return {t: db.execute(f"select rowid, * from {t} order by rowid").fetchall()
            for t in ("people", "person_aliases", "person_roles")}


def _assert_memo_equals_a_fresh_reading(db: sqlite_utils.Database, memo: P.PeopleMemo) -> None:
    fresh = P.PeopleMemo()
    fresh.load_keys(db, list(memo.rows))
    assert fresh.rows == memo.rows
    assert {pid: key for pid, key in memo.key_of.items() if key in memo.rows} == fresh.key_of
    fresh.load_details(db, list(memo.details))
    for pid, held in memo.details.items():
        read = fresh.details[pid]
        assert (held.aliases, held.genders, held.latest) == (read.aliases, read.genders, read.latest)
        for mine, theirs in zip(held.stats, read.stats, strict=True):
            # counts and dates equal; a value first seen here stands after every stored one
            assert {v: s[1:] for v, s in mine.items()} == {v: s[1:] for v, s in theirs.items()}
            assert sorted(mine, key=lambda v: mine[v][0]) == sorted(theirs, key=lambda v: theirs[v][0])
        assert memo.best_role(pid) == fresh.best_role(pid) == plain_best_role(db, pid)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
@pytest.mark.parametrize("foreign_keys", [False, True])
def test_memo_kept_across_documents_equals_reading_afresh(tmp_path, name, foreign_keys):
    kept_db, plain_db = (sqlite_utils.Database(tmp_path / f"{n}.db") for n in ("kept", "plain"))
    if foreign_keys:
        for db in (kept_db, plain_db):
            S.ensure_schema(db)
            db.conn.executemany("insert or ignore into documents (id) values (?)", [(d,) for d, _, _ in SCENARIOS[name]])
            db.conn.commit()
            db.execute("PRAGMA foreign_keys = ON")
    memo = P.PeopleMemo()
    for doc, day, mentions in SCENARIOS[name]:
        kept = P.assign_people(kept_db, doc, day, mentions, memo=memo)
        plain = P.assign_people(plain_db, doc, day, mentions)  # a new memo: everything read from the database
        assert kept == plain
        assert _people_tables(kept_db) == _people_tables(plain_db)
        _assert_memo_equals_a_fresh_reading(kept_db, memo)
    for db in (kept_db, plain_db):
        db.conn.commit()
        if foreign_keys:
            assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    # the people rows hold the best role by its definition (a re-ingest leaves the others' until seen again)
    for pid, role, org in kept_db.execute("select id, role, organisation from people"):
        assert (role, org) == plain_best_role(kept_db, pid) or name == "reingested_document"


def test_memo_starts_afresh_past_its_limit(tmp_path, monkeypatch):
    db = sqlite_utils.Database(tmp_path / "p.db")
    monkeypatch.setattr(P.PeopleMemo, "LIMIT", 1)
    memo = P.PeopleMemo()
    docs = SCENARIOS["one_surname_many_people"]
    for doc, day, mentions in docs:
        P.assign_people(db, doc, day, mentions, memo=memo)
        _assert_memo_equals_a_fresh_reading(db, memo)
    plain = sqlite_utils.Database(tmp_path / "plain.db")
    for doc, day, mentions in docs:
        P.assign_people(plain, doc, day, mentions)
    assert _people_tables(db) == _people_tables(plain)


# ---------------------------------------------------------------------- the store


def _record(doc: str, n: int, mentions: list[PersonMention], *, source: str | None = None) -> DocumentRecord:
    """A fictional committee document naming ``mentions``, with actions, decisions, figures and a target."""
    text = " ".join(m.span.sentence for m in mentions) or "No attendance was recorded."
    owner = next((m for m in mentions if m.surname), None)
    owner_text = f"{owner.honorific or ''} {owner.surname}".strip() if owner else None
    span = Span(sentence=text[:80], start=0, end=min(len(text), 40), page=1)
    return DocumentRecord(
        id=doc, source=source or f"/archive/{doc}.txt", filename=f"{doc}.txt", sha256=doc * 4, size=len(text),
        parsed=ParsedDocument(format="text", pages=[Page(1, text)], page_count=1),
        segmentation=Segmentation(kind="minutes", title=f"Parks Committee {n}",
                                  meeting=MeetingInfo(body="Parks Committee", date=f"2023-0{1 + n % 9}-12")),
        extraction=Extraction(
            people=mentions,
            actions=[ActionItem("action", owner_text, f"Report on tree planting phase {n}.", span,
                                due_text="by March", due_date="2024-03-31")],
            decisions=[DecisionItem("resolved", f"The committee noted report {n}.", span)],
            figures=[FigureItem(float(n + 12), "percent", f"{n + 12}%", span, metric="canopy cover",
                                direction="up", period="2023/24"),
                     FigureItem(1200.0, "gbp", "£1,200", span)],
            targets=[TargetItem("canopy cover", "increase", 20.0, "percent", span, end_date="2030-12-31")],
        ),
    )


def _store_docs() -> list[DocumentRecord]:
    out = []
    for name in ("seen_in_an_earlier_document", "one_surname_many_people", "reingested_document"):
        for n, (doc, _day, mentions) in enumerate(SCENARIOS[name]):
            out.append(_record(f"{name[:4]}-{doc}", n, mentions))
    # a changed file: the same source now holds another document, the old one goes
    out.append(_record("seen-changed", 7, SCENARIOS["one_surname_many_people"][1][2], source="/archive/seen-a.txt"))
    # re-ingested, and a changed file, each naming a shorter role than before: the longer one must go
    # with the rows it came from (it would win the tie on length if anything still counted it)
    long_role, short_role = "Interim Strategic Director of Place", "Head of Parks"
    for doc, surname, role, source in (("role-a", "Marsh", long_role, None), ("role-a", "Marsh", short_role, None),
                                       ("role-b1", "Quill", long_role, "/archive/role-b.txt"),
                                       ("role-b2", "Quill", short_role, "/archive/role-b.txt")):
        out.append(_record(doc, 8, [_m(f"Lena {surname}, {role}", 0, None, "Lena", surname, role=role)], source=source))
    return out


class _Forgetful(dict):
    """A memo store that keeps nothing: every document reads everything from the database."""

    def __setitem__(self, key, value) -> None:
        pass


def _dump(db: sqlite_utils.Database) -> dict[str, list]:
    skip = {"ingested_at", "first_seen", "last_seen", "seconds"}
    out = {}
    for t in db.table_names():
        if "_fts" in t or t == "_meta":
            continue
        cols = [c.name for c in db[t].columns if c.name not in skip]
        out[t] = sorted(map(repr, db.execute(f"select {', '.join(f'[{c}]' for c in cols)} from [{t}]").fetchall()))
    return out


def _write_all(path, records, between=None) -> sqlite_utils.Database:
    db = S.open_db(path)
    for n, rec in enumerate(records):
        S.write_document(db, rec, extractor="x")
        if between:
            between(db, n)
    return db


def _override(db: sqlite_utils.Database, n: int) -> None:
    """A clerk closes the first action written (on the batch's own connection)."""
    if n == 1:
        aid = db.execute("select id from actions order by id limit 1").fetchone()[0]
        with db.conn:
            db.execute("insert into action_overrides (action_id, status, note) values (?, 'done', 'by hand')", [aid])


@pytest.mark.parametrize("between", [None, _override], ids=["batch", "clerk_override"])
def test_store_keeping_the_memo_equals_reading_afresh(tmp_path, monkeypatch, between):
    records = _store_docs()
    kept = _write_all(tmp_path / "kept.db", records, between)
    monkeypatch.setattr(S, "_PEOPLE_MEMOS", _Forgetful())
    plain = _write_all(tmp_path / "plain.db", records, between)
    assert _dump(kept) == _dump(plain)
    assert kept.execute("select count(*) from people").fetchone()[0] >= 8
    assert kept.execute("select count(*) from documents where id = 'seen-a'").fetchone()[0] == 0
    assert dict(kept.execute("select surname, role from people where surname in ('Marsh', 'Quill')")) == {
        "Marsh": "Head of Parks", "Quill": "Head of Parks"}
    if between:
        assert kept.execute("select status, note from action_overrides").fetchall() == [("done", "by hand")]


def _held_memo(db: sqlite_utils.Database) -> P.PeopleMemo | None:
    held = S._PEOPLE_MEMOS.get(db)
    return held[1] if held else None


def test_memo_is_kept_between_documents_of_a_batch(tmp_path):
    records = _store_docs()
    db = S.open_db(tmp_path / "a.db")
    S.write_document(db, records[0])
    memo = _held_memo(db)
    assert memo is not None and memo.rows
    S.write_document(db, records[1])
    assert _held_memo(db) is memo


def _rename_by_other_connection(db: sqlite_utils.Database, path) -> None:
    other = sqlite3.connect(str(path))
    with other:
        other.execute("update people set first_name = 'Rosalind', name = 'Rosalind Amberley' where surname = 'Amberley'")
    other.close()


def _rename_on_same_connection(db: sqlite_utils.Database, path) -> None:
    with db.conn:
        db.execute("update people set first_name = 'Rosalind', name = 'Rosalind Amberley' where surname = 'Amberley'")


def _add_index(db: sqlite_utils.Database, path) -> None:
    other = sqlite3.connect(str(path))
    other.execute("create index if not exists idx_people_name_test on people (name)")
    other.close()


@pytest.mark.parametrize("change", [_rename_by_other_connection, _rename_on_same_connection, _add_index])
def test_memo_is_dropped_when_something_else_wrote(tmp_path, change):
    """What another connection (or this one, outside the writer) changed is seen by the next document."""
    records = [_record(f"doc{n}", n, ms) for n, (_d, _day, ms) in enumerate(SCENARIOS["seen_in_an_earlier_document"])]
    dbs = []
    for name in ("kept", "plain"):
        path = tmp_path / f"{name}.db"
        db = S.open_db(path)
        S.write_document(db, records[0])
        before = _held_memo(db)
        change(db, path)
        if name == "plain":
            S._PEOPLE_MEMOS.pop(db, None)
        S.write_document(db, records[1])
        assert _held_memo(db) is not before
        S.write_document(db, records[2])
        dbs.append(db)
    assert _dump(dbs[0]) == _dump(dbs[1])
    if change is not _add_index:
        assert ("Rosalind",) in dbs[0].execute("select first_name from people where surname = 'Amberley'").fetchall()


def test_memo_is_dropped_when_a_document_is_rolled_back(tmp_path, monkeypatch):
    records = [_record(f"doc{n}", n, ms) for n, (_d, _day, ms) in enumerate(SCENARIOS["one_surname_many_people"])]
    db = S.open_db(tmp_path / "a.db")
    S.write_document(db, records[0])
    real = S._owner_lookup

    def broken(*args):  # fails after people resolution wrote (and the memo followed) inside the transaction
        raise RuntimeError("a bug while writing actions")

    monkeypatch.setattr(S, "_owner_lookup", broken)
    with pytest.raises(RuntimeError):
        S.write_document(db, records[1])
    assert _held_memo(db) is None
    monkeypatch.setattr(S, "_owner_lookup", real)
    for rec in records[1:]:
        S.write_document(db, rec)
    plain = S.open_db(tmp_path / "plain.db")
    for rec in records:
        S.write_document(plain, rec)
        S._PEOPLE_MEMOS.pop(plain, None)
    assert _dump(db) == _dump(plain)


@pytest.mark.parametrize(("table", "columns"), [
    ("mentions", S._MENTION_COLUMNS), ("actions", S._ACTION_COLUMNS), ("decisions", S._DECISION_COLUMNS),
    ("figures", S._FIGURE_COLUMNS), ("targets", S._TARGET_COLUMNS),
])
def test_tuple_rows_name_every_column_once(table, columns):
    assert len(set(columns)) == len(columns)
    assert set(columns) == set(S.TABLES[table])


def _span(k: int) -> Span:
    """A span whose four stored values differ from each other and from every other span's."""
    return Span(sentence=f"Sentence {k} of the minutes.", start=100 * k + 7, end=100 * k + 61, page=k + 2)


def test_tuple_rows_hold_each_value_in_its_column(tmp_path):
    """Every extraction column holds the record's own value (all values differ, so a swap shows)."""
    mention = PersonMention("Cllr Amira Holt", _span(1), honorific="Cllr", first_name="Amira", surname="Holt")
    action = ActionItem("action", "Cllr Holt", "Circulate the play-area audit.", _span(2),
                        due_text="by the end of March", due_date="2024-03-31")
    decision = DecisionItem("resolved", "The committee approved the audit.", _span(3))
    figure = FigureItem(37.5, "percent", "37.5%", _span(4), metric="canopy cover", direction="up",
                        period="2023/24")
    target = TargetItem("tree planting", "increase", 2000.0, "count", _span(5), baseline_value=1200.0,
                        baseline_text="1,200 trees in 2020", period="2020-2030", start_date="2020-04-01",
                        end_date="2030-03-31")
    rec = DocumentRecord(
        id="doc", source="/archive/doc.txt", filename="doc.txt", sha256="f" * 64, size=10,
        parsed=ParsedDocument(format="text", pages=[Page(1, "x " * 400)], page_count=1),
        segmentation=Segmentation(kind="minutes", meeting=MeetingInfo(body="Parks Committee", date="2024-01-12")),
        extraction=Extraction(people=[mention], actions=[action], decisions=[decision], figures=[figure],
                              targets=[target]),
    )
    db = S.open_db(tmp_path / "a.db")
    S.write_document(db, rec)
    span_cols = ("sentence", "start", "end", "page")

    def row(table: str, cols: tuple[str, ...]) -> tuple:
        got = db.execute(f"select {', '.join(f'[{c}]' for c in cols + span_cols)} from [{table}]").fetchall()
        assert len(got) == 1, table
        return got[0]

    def spanned(item, values: tuple) -> tuple:
        return (*values, item.span.sentence, item.span.start, item.span.end, item.span.page)

    assert row("mentions", ("surface", "document_id")) == spanned(mention, ("Cllr Amira Holt", "doc"))
    assert row("actions", ("kind", "owner_text", "description", "due_text", "due_date", "status",
                           "meeting_date", "document_id")) == spanned(
        action, ("action", "Cllr Holt", "Circulate the play-area audit.", "by the end of March", "2024-03-31",
                 "open", "2024-01-12", "doc"))
    assert row("decisions", ("kind", "text", "document_id")) == spanned(
        decision, ("resolved", "The committee approved the audit.", "doc"))
    assert row("figures", ("value", "unit", "raw", "metric", "direction", "period", "table_id",
                           "document_id")) == spanned(
        figure, (37.5, "percent", "37.5%", "canopy cover", "up", "2023/24", None, "doc"))
    assert row("targets", ("metric", "direction", "amount", "amount_unit", "baseline_value", "baseline_text",
                           "period", "start_date", "end_date", "document_id")) == spanned(
        target, ("tree planting", "increase", 2000.0, "count", 1200.0, "1,200 trees in 2020", "2020-2030",
                 "2020-04-01", "2030-03-31", "doc"))
    meeting = db.execute("select meeting_id from documents").fetchone()[0]
    assert meeting and {db.execute(f"select meeting_id from [{t}]").fetchone()[0]
                        for t in ("mentions", "actions", "decisions", "figures")} == {meeting}


def test_a_reingested_record_replaces_its_rows(tmp_path):
    rec = _record("doc", 3, SCENARIOS["one_surname_many_people"][0][2])
    db = S.open_db(tmp_path / "a.db")
    S.write_document(db, rec)
    assert db.execute("select count(*) from figures").fetchone()[0] == 2
    # and a re-ingested record (one figure fewer) replaces them all
    fewer = dataclasses.replace(rec, extraction=dataclasses.replace(rec.extraction, figures=rec.extraction.figures[:1]))
    S.write_document(db, fewer)
    assert db.execute("select count(*) from figures").fetchone()[0] == 1


def test_a_batch_lets_go_of_the_memo_at_its_end(tmp_path, monkeypatch):
    """The memo lives for a batch: after ingest, nothing is held for the archive's connection."""
    from extract.ingest import ingest

    folder = tmp_path / "papers"
    folder.mkdir()
    for n in range(2):
        (folder / f"minutes-{n}.txt").write_text(
            f"Parks Committee\nMinutes of the meeting held on {n + 3} May 2024\n\nPresent: Cllr Lena Marsh (Chair), "
            "Tom Quill (Head of Parks)\n\n1. Play areas\nCllr Marsh asked Mr Quill to report on repairs.\n")
    db = S.open_db(tmp_path / "a.db")
    written = []
    real = S.write_document

    def spy(db, rec, **kw):
        real(db, rec, **kw)
        written.append(_held_memo(db) is not None)

    import extract.ingest as ingest_mod

    monkeypatch.setattr(ingest_mod, "write_document", spy)
    result = ingest(db, [folder], workers=1)
    assert result.documents == 2 and written == [True, True]
    assert _held_memo(db) is None
