"""Actions across meetings (issue 5): due dates, closing by later minutes, clerks' decisions.

The multi-meeting corpus is fictional and ours: three meetings of the
Eastwick Community Safety Board in tests/fixtures/tracking/.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from pathlib import Path

import pytest
import sqlite_utils

from extract.nlp.actions import find_actions
from extract.nlp.decisions import find_decisions
from extract.resolve.actions import (
    close_action,
    completes,
    list_actions,
    merge_action_logs,
    reopen_action,
    resolve_due,
    supersede_action,
    track_actions,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "tracking"
BODY = "Eastwick Community Safety Board"
MEETINGS = [  # (file, meeting date)
    ("eastwick-csb-2024-01-15-minutes.txt", "2024-01-15"),
    ("eastwick-csb-2024-03-18-minutes.txt", "2024-03-18"),
    ("eastwick-csb-2024-05-20-minutes.txt", "2024-05-20"),
]


@pytest.mark.parametrize(
    ("due_text", "meeting", "next_meeting", "expected"),
    [
        ("the next meeting", "2024-01-15", "2024-03-18", "2024-03-18"),  # the body's next meeting in the archive
        ("the next meeting", "2024-01-15", None, None),  # not known yet
        ("the following Board meeting", "2024-01-15", "2024-03-18", "2024-03-18"),
        ("a future meeting", "2024-01-15", "2024-03-18", None),  # open-ended
        ("as soon as it is available", "2024-01-15", None, None),
        ("March 2025", "2024-11-20", None, "2025-03-31"),  # "by March 2025": the end of that month
        ("October", "2024-11-20", None, "2025-10-31"),  # "in October": the next October after the meeting
        ("October", "2024-09-02", None, "2024-10-31"),
        ("within two weeks", "2024-05-20", None, "2024-06-03"),
        ("within 10 working days", "2024-05-20", None, "2024-05-30"),
        ("within three months", "2024-11-30", None, "2025-02-28"),
        ("31 March", "2024-11-20", None, "2025-03-31"),
        ("14 February 2025", "2024-11-20", None, "2025-02-14"),
        ("the end of the month", "2024-11-05", None, "2024-11-30"),
        ("the end of the financial year", "2024-11-05", None, "2025-03-31"),
        ("next quarter", "2024-11-05", None, "2025-03-31"),
        ("the autumn", "2024-05-05", None, "2024-11-30"),
        ("early June", "2024-05-05", None, "2024-06-30"),
        ("the new approach", "2024-05-05", None, None),  # not a date at all
        # a meeting named by its month: the body's meeting in that month when known, else the month's end
        ("the March 2025 meeting", "2024-12-04", "2025-03-12", "2025-03-12"),
        ("the March 2025 meeting", "2024-12-04", None, "2025-03-31"),
        ("the Committee's October meeting", "2025-05-14", "2025-07-09", "2025-10-31"),
        ("the April 8 meeting", "2025-03-11", None, "2025-04-08"),
        ("the same meeting", "2025-03-11", "2025-04-08", None),  # which meeting depends on the sentence before
        ("the marketing meeting", "2025-03-11", None, None),
        (None, "2024-05-05", None, None),
    ],
)
def test_resolve_due(due_text, meeting, next_meeting, expected):
    assert resolve_due(due_text, meeting, next_meeting) == expected


@pytest.mark.parametrize(
    ("sentence", "done"),
    [
        ("Inspector Okafor confirmed that the ward breakdown had been circulated to members.", True),
        ("The ward breakdown had been circulated by Inspector Okafor.", True),
        ("Inspector Okafor said the ward breakdown would be circulated next week.", False),  # future
        ("Inspector Okafor reported that the ward breakdown had not yet been circulated.", False),  # negated
        ("The ward breakdown remained outstanding; Inspector Okafor apologised.", False),  # still open
        ("Mr Baxter confirmed that the ward breakdown had been circulated.", False),  # someone else
        ("Inspector Okafor had circulated the burglary leaflet to residents.", False),  # another task
        ("Inspector Okafor said more could be done to circulate the ward breakdown.", False),  # not done
        ("Inspector Okafor would complete the ward breakdown once the figures were in.", False),  # future
        ("Action complete: ward breakdown circulated by Inspector Okafor.", True),  # an action log line
    ],
)
def test_completion_wording(sentence, done):
    task = "circulate the ward breakdown of anti-social behaviour reports to Board members"
    assert completes(task, {"okafor"}, sentence, "") is done


# --------------------------------------------------------------------------- scenario


def _doc_id(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _build_archive(db: sqlite_utils.Database) -> None:
    """The three meetings in the contract's table shapes, actions extracted by our component."""
    for name, day in MEETINGS:
        text = (FIXTURES / name).read_text()
        doc_id, meeting_id = _doc_id(text), f"m-{day}"
        db["meetings"].insert({"id": meeting_id, "body": BODY, "date": day, "start_time": "10:00", "venue": None,
                               "title": None}, pk="id", replace=True)
        db["documents"].insert({"id": doc_id, "filename": name, "kind": "minutes", "meeting_id": meeting_id,
                                "text": text}, pk="id", replace=True)
        for n, a in enumerate(find_actions(text, meeting_date=day)):
            db["actions"].insert({
                "id": f"{doc_id}-{n}", "meeting_id": meeting_id, "document_id": doc_id, "agenda_item_id": None,
                "kind": a.kind, "owner_text": a.owner_text, "owner_id": None, "description": a.description,
                "due_text": a.due_text, "due_date": a.due_date, "status": "open", "sentence": a.span.sentence,
                "page": None, "closed_by_document_id": None, "closed_by_meeting_id": None, "closed_evidence": None,
            }, pk="id", replace=True)


def _by_task(rows: list[dict], word: str) -> dict:
    [row] = [r for r in rows if word in r["description"]]
    return row


def test_three_meetings_open_close_carry_forward(tmp_path):
    db = sqlite_utils.Database(tmp_path / "t.db")
    _build_archive(db)
    rows = list_actions(db)
    # opened at the first meeting: Okafor's action, Baxter's undertaking and the request to him
    first = [r for r in rows if r["meeting_date"] == "2024-01-15"]
    assert sorted((r["kind"], r["owner_text"].split()[-1]) for r in first) == [
        ("action", "Okafor"), ("commitment", "Baxter"), ("request", "Baxter")]

    assert track_actions(db) == 1
    rows = list_actions(db, today=date(2024, 5, 21))
    ward = _by_task(rows, "ward breakdown")
    assert ward["status"] == "done"
    assert ward["closed_by_meeting_id"] == "m-2024-03-18"  # the second meeting's minutes closed it
    assert "had been circulated" in ward["closed_evidence"]
    assert ward["days_open"] is None

    evaluation = _by_task(rows, "evaluation report")  # carried forward: outstanding at meetings 2 and 3
    assert evaluation["status"] == "open"
    assert evaluation["due_date"] == "2024-03-18"  # "the next meeting", now that the archive knows it
    assert evaluation["days_open"] == (date(2024, 5, 21) - date(2024, 1, 15)).days

    summer = _by_task(rows, "summer operations plan")  # raised at the third meeting
    assert (summer["status"], summer["due_date"]) == ("open", "2024-06-03")

    # listing: open only, oldest first; by owner; by body
    open_rows = list_actions(db, open_only=True)
    assert [r["meeting_date"] for r in open_rows] == sorted(r["meeting_date"] for r in open_rows)
    assert "ward breakdown" not in " ".join(r["description"] for r in open_rows)
    assert {r["owner_text"].split()[-1] for r in list_actions(db, owner="okafor")} == {"Okafor"}
    assert list_actions(db, body="no such board") == []

    # the action_log view (for Datasette's canned queries) agrees with the listing
    log = {r["id"]: r for r in db.query("select * from action_log")}
    assert log[ward["id"]]["status"] == "done" and log[evaluation["id"]]["days_open"] > 0

    # a clerk closes the request; tracking never touches it again, even when re-run
    req = _by_task(rows, "funding bid")
    close_action(db, req["id"], "Update given by email on 2 April", "clerk")
    assert track_actions(db) == 0
    req = _by_task(list_actions(db), "funding bid")
    assert (req["status"], req["extracted_status"], req["override_note"]) == (
        "done", "open", "Update given by email on 2 April")
    reopen_action(db, req["id"], "Email bounced")
    assert _by_task(list_actions(db, open_only=True), "funding bid")["override_note"] == "Email bounced"
    with pytest.raises(LookupError):
        close_action(db, "no-such-id", "x")


def test_tracking_only_looks_at_later_meetings_of_the_same_body(tmp_path):
    db = sqlite_utils.Database(tmp_path / "t.db")
    _build_archive(db)
    # the second meeting belongs to another body: nothing can close the first meeting's actions
    db.execute("UPDATE meetings SET body = 'Eastwick Health and Wellbeing Board' WHERE id = 'm-2024-03-18'")
    assert track_actions(db) == 0
    assert track_actions(db, body=BODY) == 0


def _records(meeting_filter=None):
    from extract.records import (
        DocumentRecord,
        Extraction,
        MeetingInfo,
        Page,
        ParsedDocument,
        Segmentation,
    )

    recs = []
    for name, day in MEETINGS:
        text = (FIXTURES / name).read_text()
        data = text.encode()
        parsed = ParsedDocument(format="text", pages=[Page(None, text)])
        seg = Segmentation(kind="minutes", meeting=MeetingInfo(body=BODY, date=day))
        ext = Extraction(actions=find_actions(text, meeting_date=day), decisions=find_decisions(text, kind="minutes"))
        recs.append(DocumentRecord(id=_doc_id(text), source=str(FIXTURES / name), filename=name,
                                   sha256=hashlib.sha256(data).hexdigest(), size=len(data), parsed=parsed,
                                   segmentation=seg, extraction=ext))
    return recs


def test_clerk_close_survives_full_reingest(tmp_path):
    """Written through the real store: re-ingesting every document keeps the clerk's decision."""
    store = pytest.importorskip("extract.store", reason="extract.store (the lead's store) is not present yet")
    db = store.open_db(tmp_path / "archive.db")
    for rec in _records():
        store.write_document(db, rec)
    track_actions(db)
    rows = list_actions(db)
    req = _by_task(rows, "funding bid")
    close_action(db, req["id"], "Update given by email on 2 April", "clerk")
    reopen_id = _by_task(rows, "ward breakdown")["id"]
    reopen_action(db, reopen_id, "Breakdown missed two wards")
    supersede_action(db, _by_task(rows, "evaluation report")["id"], "Part of the ward breakdown now", "clerk",
                     replaced_by=reopen_id)

    for rec in _records():  # a full re-ingest: every row of every document rewritten
        store.write_document(db, rec)
    track_actions(db)

    rows = list_actions(db)
    assert db["action_overrides"].count == 3
    req = _by_task(rows, "funding bid")
    assert (req["status"], req["override_note"], req["decided_by"]) == ("done", "Update given by email on 2 April",
                                                                          "clerk")
    ward = _by_task(rows, "ward breakdown")
    assert ward["status"] == "open"  # the clerk's reopen wins over the completion wording ...
    assert ward["closed_by_meeting_id"] is None  # ... and tracking left the row alone
    evaluation = _by_task(rows, "evaluation report")
    assert (evaluation["status"], evaluation["superseded_by"]) == ("superseded", reopen_id)
    assert len(rows) == 4


def test_full_ingest_tracks_and_keeps_the_clerks_close(tmp_path):
    """The issue's acceptance path: `minutes ingest` of the three meetings, a clerk's close, `ingest --force`."""
    from extract.ingest import ingest
    from extract.store import open_db

    db = open_db(tmp_path / "archive.db")
    ingest(db, [FIXTURES], workers=1)
    rows = list_actions(db)
    assert {r["body"] for r in rows} == {BODY}
    ward = _by_task(rows, "ward breakdown")
    assert (ward["status"], ward["meeting_date"]) == ("done", "2024-01-15")
    [second] = [r["id"] for r in db.query("select id from meetings where date = '2024-03-18'")]
    assert ward["closed_by_meeting_id"] == second  # closed by the second meeting's minutes
    assert ward["closed_by_document_id"] in {r["id"] for r in db.query("select id from documents")}
    evaluation = _by_task(rows, "evaluation report")
    assert (evaluation["status"], evaluation["due_date"]) == ("open", "2024-03-18")

    close_action(db, _by_task(rows, "funding bid")["id"], "Update given by email on 2 April", "clerk")
    ingest(db, [FIXTURES], workers=1, force=True)  # every document re-extracted and rewritten
    rows = list_actions(db)
    req = _by_task(rows, "funding bid")
    assert (req["status"], req["override_note"]) == ("done", "Update given by email on 2 April")
    assert _by_task(rows, "ward breakdown")["status"] == "done"
    assert _by_task(rows, "evaluation report")["status"] == "open"


_PLAIN_CASES = [
    (text, base)
    for base in (date(2024, 1, 15), date(2024, 10, 31), date(2023, 3, 31), date(2024, 12, 31), date(2025, 6, 1))
    for text in ("october", "march", "january", "december", "30 may", "1 october", "31 december", "15 june 2025",
                 "1 september 2025", "december 2025", "february 2024", "31 january 2026")
]


@pytest.mark.parametrize(("text", "base"), _PLAIN_CASES)
def test_plain_deadlines_read_as_dateparser_reads_them(text, base):
    """The fast reading of "october" / "30 may" / "13 june 2025" agrees with dateparser (it is not loaded)."""
    import dateparser

    from extract.resolve.actions import _plain_date

    want = dateparser.parse(text, languages=["en"], settings={
        "RELATIVE_BASE": datetime(base.year, base.month, base.day), "PREFER_DATES_FROM": "future",
        "PREFER_DAY_OF_MONTH": "last", "DATE_ORDER": "DMY"})
    assert _plain_date(text, base) == want.date()


@pytest.mark.parametrize(("text", "base", "expected"), [
    ("february", date(2024, 3, 29), date(2025, 2, 28)),  # dateparser says 2028-02-29
    ("29 february", date(2024, 3, 1), None),  # not in every year: left to dateparser
    ("31 june", date(2024, 3, 1), None),
    ("sept", date(2024, 3, 1), None),
    ("the spring", date(2024, 3, 1), None),
])
def test_plain_deadline_edges(text, base, expected):
    from extract.resolve.actions import _plain_date

    assert _plain_date(text, base) == expected


def test_tracking_reads_the_evidence_workers_stored_and_agrees_with_the_text(tmp_path):
    """Workers store each document's completion sentences; tracking from them closes exactly
    what tracking from the documents' text closes (the fallback for rows without them)."""
    from extract.ingest import ingest
    from extract.resolve.actions import evidence_sentences
    from extract.store import open_db

    db = open_db(tmp_path / "archive.db")
    ingest(db, [FIXTURES], workers=1)
    stored = {r["document_id"]: r["sentences"] for r in db.query("select * from tracking_evidence")}
    assert len(stored) == len(MEETINGS)
    for doc in db.query("select id, text from documents"):
        assert [list(s) for s in evidence_sentences(doc["text"])] == json.loads(stored[doc["id"]])
    assert any("had been circulated" in s[0] for v in stored.values() for s in json.loads(v))

    def statuses() -> dict:
        return {r["id"]: (r["status"], r["closed_by_meeting_id"], r["closed_evidence"])
                for r in db.query("select * from actions")}

    from_stored = statuses()
    assert any(v[0] == "done" for v in from_stored.values())
    db.execute("update actions set status = 'open', closed_by_meeting_id = null, closed_by_document_id = null, "
               "closed_evidence = null")
    db.execute("delete from tracking_evidence")
    db.conn.commit()
    track_actions(db)
    assert statuses() == from_stored


# --------------------------------------------------------------------------- action logs

LOG_MINUTES = """WESTBRAY DISTRICT COUNCIL
LICENSING AND COMMUNITY SAFETY COMMITTEE

Minutes of the meeting held on 10 June 2025

1. TAXI LICENSING POLICY

Ms Nadia Karim presented the draft policy. Ms Karim said that she would write to
the taxi trade associations about the consultation.

The Committee NOTED the report.

2. STREET DRINKING

Inspector Carl Boyce reported on the dispersal order. Cllr Ruth Ames asked for a
map of incidents.

3. ACTION LOG

Action | Owner | Deadline
Write to the taxi trade associations about the consultation | Nadia Karim | 27 June 2025
Provide a map of street drinking incidents | Carl Boyce | 15 July 2025
"""


def test_log_rows_restating_the_minutes_are_folded_in_across_agenda_items(tmp_path):
    """The log (item 3) restates Ms Karim's undertaking (item 1): one action, the log's deadline and kind."""
    from extract.ingest import ingest
    from extract.store import open_db

    src = tmp_path / "docs"
    src.mkdir()
    (src / "westbray-lcsc-2025-06-10-minutes.txt").write_text(LOG_MINUTES)
    db = open_db(tmp_path / "archive.db")
    ingest(db, [src], workers=1)
    rows = sorted(db.query("select kind, owner_text, description, due_text, due_date from actions"),
                  key=lambda r: r["owner_text"])
    assert [(r["kind"], r["owner_text"].split()[-1], r["due_text"], r["due_date"]) for r in rows] == [
        ("action", "Boyce", "15 July 2025", "2025-07-15"),  # only the log names him: the row stands
        ("action", "Karim", "27 June 2025", "2025-06-27"),  # the body sentence, with the row's deadline
    ]
    assert "would write to the taxi trade" in next(
        r["sentence"] for r in db.query("select sentence from actions where owner_text like '%Karim%'"))
    assert merge_action_logs(db) == 0  # nothing left to fold: idempotent


@pytest.mark.parametrize(
    ("task", "sentence", "done"),
    [
        # an event the owner was to arrange has taken place
        ("arrange a site visit to the Riverside estate with ward councillors",
         "Inspector Okafor reported that the site visit to the Riverside estate had taken place on 3 May.", True),
        # a task to report back is done when the owner reports on it
        ("report back in March on the outcome of the lottery bid",
         "Mr Okafor reported that the lottery bid had been successful.", True),
        ("give an update on the tenancy audit",
         "Mr Okafor gave an update on the tenancy audit, which had found 12 cases of fraud.", True),
        # ... but reporting is not doing any other task
        ("update the risk register for the lottery bid",
         "Mr Okafor reported that the lottery bid had been unsuccessful.", False),
        ("circulate the crime figures for the estate",
         "Mr Okafor reported that crime figures for the estate had risen.", False),
        # the month May is not the modal "may"
        ("circulate the estate survey results", "Mr Okafor had circulated the estate survey results on 2 May.", True),
        ("circulate the estate survey results", "Mr Okafor may have circulated the estate survey results.", False),
        # still open
        ("report back on the outcome of the lottery bid",
         "Mr Okafor reported that the outcome of the lottery bid was still awaited.", False),
    ],
)
def test_completion_of_events_and_reporting_tasks(task, sentence, done):
    assert completes(task, {"okafor"}, sentence, "") is done
