"""People resolution: within one document and across the archive (fictional names)."""

from __future__ import annotations

import pytest
import sqlite_utils

from extract.nlp.pipeline import load_nlp
from extract.records import PersonMention, Span
from extract.resolve.people import (
    assign_people,
    cluster_mentions,
    first_names_compatible,
    name_key,
    person_id_for,
)


def mention(
    text: str, pos: int, honorific=None, first=None, surname=None, role=None, org=None
) -> PersonMention:
    return PersonMention(
        text=text,
        span=Span(sentence=text, start=pos, end=pos + len(text)),
        honorific=honorific,
        first_name=first,
        surname=surname,
        role=role,
        organisation=org,
    )


@pytest.fixture
def db(tmp_path):
    return sqlite_utils.Database(tmp_path / "people.db")


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def mentions_of(nlp, text: str) -> list[PersonMention]:
    return list(nlp(text)._.person_mentions)


@pytest.mark.parametrize(
    ("a", "b", "score"),
    [
        ("Paula", "Paula", 3),
        ("Paula", "Paul", 2),  # one spelling slip
        ("Dave", "David", 2),  # nickname table
        ("Chris", "Christopher", 2),  # prefix
        ("R", "Roger", 1),  # initial
        ("Steven", "Stephen", 2),  # both shorten to "Steve"
        ("Chris", "Corinna", -1),  # a different person
        ("Mark", "Mary", -1),
        (None, "Mary", 0),
    ],
)
def test_first_names_compatible(a, b, score):
    assert first_names_compatible(a, b) == score


def test_name_key_ignores_punctuation_case_and_accents():
    assert name_key("O'Dwyer") == name_key("O-Dwyer") == name_key("odwyer")
    assert name_key("Zoë") == name_key("Zoe")


# ---------------------------------------------------------------------- within a document


def test_within_document_clusters(nlp):
    text = (
        "Peter Lindqvist, Community Safety Manager, spoke to the report. Mr Lindqvist reported progress.\n\n"
        "Superintendent Hana Roper said that burglary was down. Ms Roper would update the Board.\n\n"
        "Superintendent Rebecca Pike replied. Superintendent Rebeca Pike said the unit had moved.\n\n"
        "Douglas Fenwick from the Probation Service added that data would follow. Douglas said he will report back.\n"
    )
    people, owner = cluster_mentions(mentions_of(nlp, text))
    got = sorted((p.name(), p.honorific(), p.best_role(), p.best_org(), len(p.members)) for p in people)
    assert got == [
        ("Douglas Fenwick", None, None, "Probation Service", 2),
        ("Hana Roper", "Superintendent", None, None, 2),
        ("Peter Lindqvist", "Mr", "Community Safety Manager", None, 2),
        ("Rebecca Pike", "Superintendent", None, None, 2),
    ]
    assert all(o is not None for o in owner)


def test_gendered_titles_and_initials_keep_people_apart():
    ms = [
        mention("Mrs P T Cole", 0, "Mrs", "P", "Cole"),
        mention("Mr P Cole", 20, "Mr", "P", "Cole"),
        mention("Ms J Meade", 40, "Ms", "J", "Meade"),
        mention("Mr J Meade", 60, "Mr", "J", "Meade"),
        mention("Mr Cole", 80, "Mr", None, "Cole"),
        mention("Councillor Chris Edge", 100, "Councillor", "Chris", "Edge"),
        mention("Councillor Corinna Edge", 130, "Councillor", "Corinna", "Edge"),
        mention("Mr R W Gough", 160, "Mr", "R", "Gough"),
        mention("Mr R C Gough", 180, "Mr", "R", "Gough"),
    ]
    people, owner = cluster_mentions(ms)
    assert len(people) == 8
    assert owner[4] is owner[1]  # "Mr Cole" is the Mr, not the Mrs


def test_surname_alone_joins_the_nearest_person_named_before():
    ms = [
        mention("Councillor Chris Edge", 0, "Councillor", "Chris", "Edge"),
        mention("Councillor Corinna Edge", 100, "Councillor", "Corinna", "Edge"),
        mention("Councillor Edge", 150, "Councillor", None, "Edge"),
        mention("Duncan", 200, None, "Duncan", None),  # no Duncan in the document: dropped
    ]
    people, owner = cluster_mentions(ms)
    assert owner[2] is owner[1]
    assert owner[3] is None


# ---------------------------------------------------------------------- across the archive


def test_one_person_named_differently_in_two_documents_is_one_row(db, nlp):
    doc_a = mentions_of(nlp, "Rowena Tallis, Community Safety Manager, presented the annual assessment.")
    doc_b = mentions_of(
        nlp, "Ms R Tallis reported that the plan was on track. Ms Tallis agreed to report back."
    )
    ids_a = assign_people(db, "doc-a", "2019-03-01", doc_a)
    ids_b = assign_people(db, "doc-b", "2019-06-01", doc_b)
    assert len(set(ids_a + ids_b)) == 1
    rows = list(db["people"].rows)
    assert len(rows) == 1
    row = rows[0]
    assert (row["name"], row["first_name"], row["surname"], row["honorific"], row["role"]) == (
        "Rowena Tallis",
        "Rowena",
        "Tallis",
        "Ms",
        "Community Safety Manager",
    )
    aliases = {r["alias"] for r in db["person_aliases"].rows}
    assert aliases == {"Rowena Tallis", "Ms R Tallis", "Ms Tallis"}


def test_surname_first_then_full_name_upgrades_the_row(db):
    assign_people(
        db, "doc-a", "2020-01-10", [mention("Superintendent Pike", 0, "Superintendent", None, "Pike")]
    )
    assign_people(
        db,
        "doc-b",
        "2020-02-10",
        [mention("Superintendent Joanna Pike", 0, "Superintendent", "Joanna", "Pike")],
    )
    rows = list(db["people"].rows)
    assert [(r["name"], r["first_name"]) for r in rows] == [("Joanna Pike", "Joanna")]


def test_spelling_variant_across_documents_needs_shared_evidence(db):
    a = assign_people(
        db, "doc-a", None, [mention("Superintendent Paula Light", 0, "Superintendent", "Paula", "Light")]
    )
    b = assign_people(
        db, "doc-b", None, [mention("Superintendent Paul Light", 0, "Superintendent", "Paul", "Light")]
    )
    assert a == b  # same rank
    c = assign_people(db, "doc-c", None, [mention("Carl Winter", 0, None, "Carl", "Winter")])
    d = assign_people(db, "doc-d", None, [mention("Carol Winter", 0, None, "Carol", "Winter")])
    assert c != d  # close spelling alone is not enough across documents


def test_conflicting_first_name_stays_separate(db):
    a = assign_people(
        db, "doc-a", None, [mention("Daniel Brook", 0, None, "Daniel", "Brook", role="Head of Parks")]
    )
    b = assign_people(
        db, "doc-b", None, [mention("Dominic Brook", 0, None, "Dominic", "Brook", role="Head of Parks")]
    )
    c = assign_people(db, "doc-c", None, [mention("Mrs Brook", 0, "Mrs", None, "Brook")])
    assert a != b
    assert db["people"].count == 2
    assert c[0] in (a[0], b[0])  # a surname alone joins someone already known


def test_gender_conflict_across_documents_stays_separate(db):
    a = assign_people(db, "doc-a", None, [mention("Mr J Meade", 0, "Mr", "J", "Meade")])
    b = assign_people(db, "doc-b", None, [mention("Ms J Meade", 0, "Ms", "J", "Meade")])
    assert a != b


def test_roles_over_time_and_best_role(db):
    assign_people(
        db, "doc-2019", "2019-05-01", [mention("Sam Okoro", 0, None, "Sam", "Okoro", role="Head of Housing")]
    )
    assign_people(
        db,
        "doc-2021",
        "2021-05-01",
        [mention("Sam Okoro", 0, None, "Sam", "Okoro", role="Director of Place", org="Northbrook Council")],
    )
    # a line label is weaker evidence than a job title, even when more recent
    assign_people(
        db, "doc-2022", "2022-05-01", [mention("Sam Okoro", 0, None, "Sam", "Okoro", role="Report Author")]
    )
    row = next(iter(db["people"].rows))
    assert (row["role"], row["organisation"]) == ("Director of Place", "Northbrook Council")
    roles = sorted((r["meeting_date"], r["role"]) for r in db["person_roles"].rows)
    assert roles == [
        ("2019-05-01", "Head of Housing"),
        ("2021-05-01", "Director of Place"),
        ("2022-05-01", "Report Author"),
    ]


def test_reingesting_a_document_is_idempotent(db):
    ms = [
        mention("Sam Okoro", 0, None, "Sam", "Okoro", role="Head of Housing"),
        mention("Mr Okoro", 40, "Mr", None, "Okoro"),
    ]
    first = assign_people(db, "doc-a", "2019-05-01", ms)
    again = assign_people(db, "doc-a", "2019-05-01", ms)
    assert first == again
    assert db["people"].count == 1
    assert db["person_roles"].count == 1
    assert db["person_aliases"].count == 2


def test_person_ids_are_stable_and_disambiguated(db):
    assert person_id_for("O'Dwyer", "Kate") == person_id_for("O-Dwyer", "kate")
    assert person_id_for("Brook", "Daniel") != person_id_for("Brook", "Daniel", 2)
    a = assign_people(db, "doc-a", None, [mention("Mr J Meade", 0, "Mr", "J", "Meade")])
    b = assign_people(db, "doc-b", None, [mention("Ms J Meade", 0, "Ms", "J", "Meade")])
    assert a[0] == person_id_for("Meade", "J") and b[0] == person_id_for("Meade", "J", 2)


def test_tables_are_created_with_primary_keys(db):
    assign_people(db, "doc-a", None, [mention("Sam Okoro", 0, None, "Sam", "Okoro")])
    assert db["people"].pks == ["id"]
    assert db["person_aliases"].pks == ["person_id", "alias"]
    assert set(db["person_roles"].columns_dict) == {
        "person_id",
        "role",
        "organisation",
        "document_id",
        "meeting_date",
    }


def test_accented_surname_is_one_person_across_documents(tmp_path):
    """A surname starting with an accented capital resolves like any other."""
    import sqlite_utils

    from extract.records import PersonMention, Span
    from extract.resolve.people import assign_people

    db = sqlite_utils.Database(tmp_path / "a.db")

    def mention(text, first, surname):
        return PersonMention(text=text, span=Span(sentence=text + " said.", start=0, end=len(text)),
                             honorific="Ms", first_name=first, surname=surname)

    a = assign_people(db, "doc-a", "2024-01-10", [mention("Ms Órla Éadaoin", "Órla", "Éadaoin")])
    b = assign_people(db, "doc-b", "2024-03-10", [mention("Ms Éadaoin", None, "Éadaoin")])
    assert a == b and a[0] is not None
    assert db.execute("select count(*) from people").fetchone()[0] == 1


@pytest.mark.parametrize("first_role", [None, "Head of Housing"])
@pytest.mark.parametrize("second_role", [None, "Director of Place"])
def test_assign_people_with_foreign_keys_on(tmp_path, first_role, second_role):
    """assign_people is public: on the store's schema with ``PRAGMA foreign_keys`` on, the people row
    comes before its aliases and roles, for a new person and for one already in the archive."""
    from extract.store import ensure_schema

    db = sqlite_utils.Database(tmp_path / "fk.db")
    ensure_schema(db)
    assert {fk.other_table for fk in db["person_aliases"].foreign_keys} == {"people"}
    assert "people" in {fk.other_table for fk in db["person_roles"].foreign_keys}
    db.conn.executemany("insert into documents (id) values (?)", [("doc-a",), ("doc-b",)])
    db.conn.commit()
    db.execute("PRAGMA foreign_keys = ON")
    assert db.execute("PRAGMA foreign_keys").fetchone() == (1,)
    new = assign_people(
        db, "doc-a", "2019-05-01", [mention("Sam Okoro", 0, None, "Sam", "Okoro", role=first_role)]
    )
    # the same person again: the row is replaced and gains an alias (and maybe a role)
    again = assign_people(
        db, "doc-b", "2021-05-01",
        [mention("Mr Sam Okoro", 0, "Mr", "Sam", "Okoro", role=second_role, org="Northbrook Council")],
    )
    db.conn.commit()
    assert new == again and new[0] is not None
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db["people"].count == 1
    assert db["person_aliases"].count == 2
    row = next(iter(db["people"].rows))
    assert (row["role"], row["organisation"]) == (second_role or first_role, "Northbrook Council")
