"""Documents are stored in one order whatever the number of workers, so the archive is the same.

People are resolved against the people already stored: the first document that
names someone founds the person (and the id), and later name forms merge into
it. Stored as workers finished them, the same files gave different people with
one worker and with two.
"""

from __future__ import annotations

import random

import pytest

from extract.ingest import in_job_order, ingest
from extract.records import DocumentRecord, Page, ParsedDocument, Segmentation
from extract.store import open_db


def _rec(source: str, chars: int = 10) -> DocumentRecord:
    return DocumentRecord(id=source, source=source, filename=source, sha256="", size=0,
                          parsed=ParsedDocument(format="text", pages=[Page(None, "x" * chars)]), segmentation=Segmentation())


JOBS = [f"job-{i}" for i in range(8)]


@pytest.mark.parametrize("seed", range(6))
def test_records_come_out_in_job_order_however_they_finish(seed):
    arrivals = JOBS[:]
    random.Random(seed).shuffle(arrivals)
    out = [r.source for r in in_job_order((_rec(j) for j in arrivals), JOBS)]
    assert out == JOBS


def test_a_record_is_passed_on_as_soon_as_every_earlier_job_is_stored():
    seen: list[str] = []

    def arrivals():
        for j in ["job-1", "job-0", "job-3", "job-2"]:
            seen.append(j)
            yield _rec(j)

    got = []
    for rec in in_job_order(arrivals(), JOBS[:4]):
        got.append((rec.source, len(seen)))
    # job-0 and job-1 leave when job-0 arrives (2nd), job-2 and job-3 when job-2 does (4th)
    assert got == [("job-0", 2), ("job-1", 2), ("job-2", 4), ("job-3", 4)]


def test_waiting_records_are_bounded_by_their_text():
    """One slow first document: the rest may not all wait for it; the earliest waiting go first."""
    arrivals = [_rec(j, chars=100) for j in JOBS[1:]] + [_rec("job-0", chars=100)]
    out = [r.source for r in in_job_order(arrivals, JOBS, hold_chars=250)]
    assert sorted(out) == sorted(JOBS)  # nothing lost, nothing twice
    assert out[0] == "job-1"  # it could not wait: three records (300 chars) would have been held
    assert out.index("job-0") > 0


def test_records_of_other_paths_and_missing_jobs_are_not_lost():
    arrivals = [_rec("job-2"), _rec("not-a-job"), _rec("job-0")]
    out = [r.source for r in in_job_order(arrivals, JOBS[:4])]
    assert sorted(out) == ["job-0", "job-2", "not-a-job"]
    assert out.index("job-0") < out.index("job-2")  # job-1 never came back: job-2 still follows job-0


# Fictional minutes: the same officer named three ways, in files whose sizes
# differ from their names' order, so the order they finish in varies.
_FILLER = (
    "The Board noted the quarterly performance report on anti-social behaviour, "
    "street lighting, licensing and the community trigger, and agreed the forward plan.\n"
)
DOCS = {
    "a-briefing.txt": (
        "Northfield Community Safety Partnership\nBriefing note, 3 March 2025\n\n"
        "Priya Okonjo, Head of Community Safety, reported that reports of burglary fell by 12% in the year.\n"
        "Action: Priya Okonjo to circulate the ward figures by 31 March 2025.\n"
    ),
    "b-minutes.txt": (
        "Northfield Community Safety Partnership\nMinutes of the meeting held on 10 April 2025\n\n"
        "1. Minutes of the last meeting\nThe minutes were agreed as a correct record.\n\n"
        "2. Burglary reduction plan\nMs Okonjo presented the plan. Councillor Tom Reyes asked about "
        "the funding. P. Okonjo agreed to report back in June.\n\n"
        + "3. Performance\n" + _FILLER * 400
    ),
    "c-summary.txt": (
        "Northfield Community Safety Partnership\nMeeting summary, 12 May 2025\n\n"
        "Ms Okonjo said the burglary reduction plan was on track. Cllr Reyes thanked her.\n"
        + _FILLER * 40
    ),
}


def _people(db_path) -> tuple[list, list]:
    db = open_db(db_path)
    people = db.execute(
        "SELECT id, name, honorific, first_name, surname, role FROM people ORDER BY id").fetchall()
    mentions = db.execute(
        "SELECT document_id, start, person_id FROM mentions ORDER BY document_id, start").fetchall()
    db.conn.close()
    return people, mentions


def test_one_worker_and_two_store_the_same_people(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in DOCS.items():
        (folder / name).write_text(text, encoding="utf-8")
    results = []
    for workers in (1, 2, 2):
        db_path = tmp_path / f"w{workers}-{len(results)}.db"
        ingest(open_db(db_path), [folder], workers=workers)
        results.append(_people(db_path))
    people, mentions = results[0]
    assert any(row[4] == "Okonjo" for row in people), people  # the fixture does name her
    assert len({pid for _d, _s, pid in mentions if pid}) >= 2
    assert results[1] == results[0]
    assert results[2] == results[0]
