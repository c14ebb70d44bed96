"""minutes people / figures / targets on the demo corpus, through the real CLI."""

from __future__ import annotations

import json
import sqlite3

from conftest import run_minutes


def test_people_search_shows_one_person_under_all_their_names(demo_db):
    rows = json.loads(run_minutes("people", "--db", str(demo_db), "--search", "Halloran", "--format", "json").stdout)
    assert len(rows) == 1
    person = rows[0]
    assert person["name"] == "Peter Halloran"
    assert person["role"] == "Community Safety Manager"
    assert person["first_meeting"] < person["last_meeting"]
    assert person["documents"] >= 3
    aliases = set(person["aliases"].split("; "))
    assert {"Mr Halloran", "Peter Halloran"} <= aliases


def test_people_table_lists_roles_and_meetings(demo_db):
    out = run_minutes("people", "--db", str(demo_db)).stdout
    header = out.splitlines()[0].split()
    assert header[:3] == ["name", "role", "organisation"]
    assert "Halloran" in out


def test_figure_history_is_chronological_with_provenance(demo_db):
    rows = json.loads(run_minutes("figures", "--db", str(demo_db), "--metric", "burglary", "--format", "json").stdout)
    assert len(rows) >= 5
    dates = [r["date"] for r in rows if r["date"]]
    assert dates == sorted(dates)
    assert all(r["sentence"] and "urglar" in (r["metric"] + r["sentence"]) for r in rows)
    assert any(r["page"] for r in rows), "figures from the PDF report carry their page"


def test_targets_show_progress_against_later_figures(demo_db):
    rows = json.loads(run_minutes("targets", "--db", str(demo_db), "--format", "json").stdout)
    assert len(rows) >= 8
    judged = [r for r in rows if r["progress"]]
    assert judged, "at least one target has a later figure on the same metric"
    for r in judged:
        # judged against the level the target implies, or change against change ("27% reduction")
        assert r["latest_raw"] and (r["implied_level"] is not None or r["latest_raw"].endswith("%"))


def test_target_progress_view_links_only_the_same_place(demo_db):
    conn = sqlite3.connect(demo_db)
    mixed = conn.execute(
        "select count(*) from target_figures tf join targets t on t.id = tf.target_id "
        "join figures f on f.id = tf.figure_id join documents dt on dt.id = t.document_id "
        "join documents df on df.id = f.document_id where dt.place != df.place"
    ).fetchone()[0]
    assert mixed == 0
