"""Publishing benchmark: a large synthetic archive served by the real ``minutes serve``.

The archive is written through the real store code (``ensure_schema``,
``write_document`` one transaction per document, ``rebuild_fts`` once), with
synthetic :class:`~extract.records.DocumentRecord` objects that carry many
figures and actions, so its tables, indexes and full-text indexes are exactly
what ingest makes. Latency is measured over loopback HTTP against
``python -m extract.cli serve`` (Datasette, immutable, with the project's
metadata and canned queries), sequentially, after one warm-up request.
"""

from __future__ import annotations

import contextlib
import http.client
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from extract.records import (
    ActionItem,
    AgendaItem,
    DocumentRecord,
    Extraction,
    FigureItem,
    MeetingInfo,
    Page,
    ParsedDocument,
    PersonMention,
    Segmentation,
    Span,
)

REPO = Path(__file__).resolve().parent.parent

BODIES = [
    "Safer {p} Partnership Board", "{p} Health and Wellbeing Board", "Cabinet", "Full Council",
    "Overview and Scrutiny Committee", "Audit and Governance Committee", "Planning Committee",
    "Licensing Committee", "Children's Services Scrutiny Panel", "Adult Social Care Committee",
    "Housing and Growth Committee", "Environment Committee",
]
PLACES = ["Brackmoor", "Oakhollow", "Caldermer", "Linthwick", "Westerlow", "Ravenholt", "Stonemere", "Ashworthy"]
METRICS = [
    "residential burglary", "burglary of business premises", "personal robbery", "vehicle crime",
    "violence with injury", "knife crime", "criminal damage and arson", "anti-social behaviour reports",
    "repeat callers reporting anti-social behaviour", "domestic abuse incidents", "MARAC cases",
    "first time entrants to the youth justice system", "proven reoffending rate", "hate crime",
    "residents who feel safe after dark", "residents who feel safe during the day", "fraud reports",
    "deliberate secondary fires", "hospital admissions for assault", "street drinking reports",
    "households in temporary accommodation", "rough sleepers", "affordable homes delivered",
    "planning applications decided in time", "council tax collection rate", "business rates collected",
    "missed bin collections", "household waste recycled", "fly-tipping incidents", "library visits",
    "children in care", "child protection plans", "care leavers in education, employment or training",
    "delayed transfers of care", "adults receiving long-term support", "smoking prevalence",
    "childhood obesity", "vaccination uptake", "overspend on the revenue budget", "capital programme spend",
    "agency staff costs", "sickness absence days per employee", "complaints upheld", "FOI requests answered on time",
    "potholes repaired", "road casualties", "bus punctuality", "air quality exceedances",
    "vacant shop units", "employment rate", "claimant count", "apprenticeship starts",
]
PERIODS = (
    [f"{y}/{(y + 1) % 100:02d}" for y in range(2012, 2025)]
    + [f"Quarter {q} {y}/{(y + 1) % 100:02d}" for y in range(2018, 2025) for q in (1, 2, 3, 4)]
    + [f"12 months to March {y}" for y in range(2014, 2026)]
    + [f"{m} {y}" for y in range(2019, 2025) for m in ("March", "June", "September", "December")]
)
UNIT_WEIGHTS = {"percent": 35, "count": 35, "gbp": 12, "percentage_points": 6, "rate": 6, "rank": 2,
                "hours": 2, "other": 2}
VERBS = ["rose", "fell", "was", "stood at", "increased", "decreased", "reached"]
FIRST = ["Alice", "Amira", "Callum", "Deborah", "Eleanor", "Farid", "Graham", "Hannah", "Ian", "Karen",
         "Liam", "Marcus", "Nadia", "Oliver", "Priya", "Rachel", "Simon", "Tariq", "Wendy", "Yusuf"]
LAST = ["Ashdown", "Carvell", "Delaney", "Ellery", "Gilchrist", "Hartigan", "Iqbal", "Jessop", "Lomax",
        "Nuttall", "Osei", "Quayle", "Rowntree", "Sahota", "Thackeray", "Varga", "Wainwright", "Zielinski"]
TASKS = [
    "circulate the revised performance dashboard to Board members", "report back on the outcome of the bid",
    "arrange a joint walkabout with ward councillors", "provide a named contact for referrals",
    "bring the refreshed strategy to the next meeting", "share the equality impact assessment",
    "write to the Home Office about funding", "update the risk register", "review the commissioning timetable",
    "circulate the consultation findings", "confirm the budget allocation for 2025/26",
]
DUE = ["by the next meeting", "by 31 March", "before the end of July", "in September", "within six weeks", None]


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def synthetic_record(rng: random.Random, n: int, figures: int, actions: int, mentions: int = 2) -> DocumentRecord:
    """A document of a fictional archive: a meeting, pages, agenda items, figures, actions, people."""
    place = rng.choice(PLACES)
    body = rng.choice(BODIES).format(p=place)
    year = rng.randint(2012, 2024)
    meeting_date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    sentences_f: list[tuple[str, FigureItem]] = []
    pos = 0
    items = [AgendaItem(number=str(k + 1), title=f"Item {k + 1}: {rng.choice(METRICS).capitalize()} update")
             for k in range(6)]
    for _ in range(figures):
        metric = rng.choice(METRICS)
        unit = _weighted(rng, UNIT_WEIGHTS)
        value = round(rng.uniform(1, 100), 1) if unit in ("percent", "percentage_points", "rate") \
            else float(rng.randint(1, 50000))
        raw = {"percent": f"{value:g}%", "percentage_points": f"{value:g} percentage points",
               "gbp": f"£{value:,.0f}", "rate": f"{value:g} per 1,000"}.get(unit, f"{value:,.0f}")
        period = rng.choice(PERIODS)
        verb = rng.choice(VERBS)
        sentence = f"{metric.capitalize()} {verb} {raw} in {period}, compared with the previous year."
        span = Span(sentence=sentence, start=pos, end=pos + len(sentence), page=1 + pos // 3000,
                    agenda_item=rng.choice(items).number)
        direction = {"rose": "increase", "increased": "increase", "fell": "decrease",
                     "decreased": "decrease"}.get(verb)
        sentences_f.append((sentence, FigureItem(value=value, unit=unit, raw=raw, span=span, metric=metric,
                                                 direction=direction, period=period)))
        pos += len(sentence) + 1
    people = []
    for _ in range(mentions):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        sentence = f"{first} {last} presented the report."
        people.append(PersonMention(text=f"{first} {last}", span=Span(sentence, pos, pos + len(first) + len(last) + 1,
                                                                      page=1), first_name=first, surname=last))
        pos += len(sentence) + 1
    acts = []
    for _ in range(actions):
        owner = rng.choice(people).text if people and rng.random() < 0.7 else f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        task = rng.choice(TASKS)
        due = rng.choice(DUE)
        sentence = f"{owner} to {task}{' ' + due if due else ''} (Action)."
        due_date = f"{year}-{rng.randint(1, 12):02d}-28" if due else None
        acts.append(ActionItem(kind=rng.choice(("action", "action", "commitment", "request")), owner_text=owner,
                               description=f"{task} #{rng.randint(1, 10**6)}", due_text=due, due_date=due_date,
                               span=Span(sentence, pos, pos + len(sentence), page=1,
                                         agenda_item=rng.choice(items).number)))
        pos += len(sentence) + 1
    text = " ".join(s for s, _ in sentences_f[:40])
    pages = [Page(1, text[: len(text) // 2]), Page(2, text[len(text) // 2:])]
    doc_id = f"{n:016x}"
    return DocumentRecord(
        id=doc_id, source=f"/archive/{place.lower()}/{meeting_date}-{n}.pdf", filename=f"{meeting_date}-{n}.pdf",
        sha256=f"{n:064x}", size=len(text), seconds=0.1,
        parsed=ParsedDocument(format="pdf", pages=pages, page_count=2, title=f"{body} minutes {meeting_date}"),
        segmentation=Segmentation(kind="minutes", title=f"Minutes of the {body}",
                                  meeting=MeetingInfo(body=body, date=meeting_date, start_time="14:00"), items=items),
        extraction=Extraction(people=people, figures=[f for _, f in sentences_f], actions=acts),
    )


def build_archive(db_path: Path, *, figures: int = 1_000_000, actions: int = 100_000, documents: int = 5_000,
                  seed: int = 7, log: Callable[[str], object] = print) -> dict[str, Any]:
    """Write the synthetic archive through the store (one transaction per document), then the figures'
    sort and facet indexes and the FTS once, as a batch that writes most of an archive does."""
    import extract.resolve.people as people_mod
    from extract.store import DEFERRED_INDEXES, index_sql, open_db, pause_indexes, rebuild_fts, write_document

    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    t0 = time.perf_counter()
    db = open_db(db_path)
    pause_indexes(db)
    per_doc_f, per_doc_a = figures // documents, actions // documents
    resolve = [0.0]
    original = people_mod.assign_people

    def timed_assign(*a: Any, **k: Any) -> Any:
        t = time.perf_counter()
        try:
            return original(*a, **k)
        finally:
            resolve[0] += time.perf_counter() - t

    people_mod.assign_people = timed_assign
    gen = write = 0.0
    try:
        for n in range(documents):
            t = time.perf_counter()
            rec = synthetic_record(rng, n, per_doc_f, per_doc_a)
            t1 = time.perf_counter()
            write_document(db, rec, extractor="bench-archive")
            t2 = time.perf_counter()
            gen += t1 - t
            write += t2 - t1
            if n and n % 1000 == 0:
                log(f"  archive: {n}/{documents} documents written ({t2 - t0:.0f} s)")
    finally:
        people_mod.assign_people = original
    t = time.perf_counter()
    with db.conn:
        for table, cols in DEFERRED_INDEXES:
            db.execute(index_sql(table, cols))
    indexes = time.perf_counter() - t
    fts: dict[str, float] = {}
    from extract.store import FTS

    for table in FTS:
        t = time.perf_counter()
        rebuild_fts(db, [table])
        fts[table] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    checkpoint = time.perf_counter() - t
    counts = {t: db.execute(f"select count(*) from [{t}]").fetchone()[0]
              for t in ("documents", "meetings", "figures", "actions", "people", "mentions")}
    db.conn.close()
    total = time.perf_counter() - t0
    return {
        "seconds": round(total, 1), "generate_seconds": round(gen, 1),
        "write_document_seconds": round(write, 1), "assign_people_seconds": round(resolve[0], 1),
        "figure_rows_per_s": round(counts["figures"] / write) if write else None,
        "indexes_seconds": round(indexes, 2), "fts_seconds": fts, "checkpoint_seconds": round(checkpoint, 2),
        "rows": counts,
        "db_mb": round(db_path.stat().st_size / 1024 / 1024, 1),
    }


# --------------------------------------------------------------------------- serving and latency


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(db_path: Path, port: int, timeout: float = 90.0) -> Iterator[subprocess.Popen]:
    """``minutes serve`` on 127.0.0.1:``port`` until the block ends (then stopped by its pid)."""
    cmd = [sys.executable, "-m", "extract.cli", "serve", "--db", str(db_path), "--host", "127.0.0.1",
           "--port", str(port)]
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
                raise RuntimeError(f"minutes serve exited ({proc.returncode}): {err[-2000:]}")
            try:
                status, _, _ = get(port, "/-/versions.json")
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"minutes serve did not answer on port {port} within {timeout:.0f} s")
            time.sleep(0.25)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def get(port: int, path: str, conn: http.client.HTTPConnection | None = None) -> tuple[int, int, float]:
    """(status, body bytes, seconds) of one GET over loopback."""
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        t = time.perf_counter()
        conn.request("GET", path)
        resp = conn.getresponse()
        body = resp.read()
        return resp.status, len(body), time.perf_counter() - t
    finally:
        if own:
            conn.close()


def latency(port: int, path: str, n: int = 50, budget_s: float = 20.0, min_n: int = 10) -> dict[str, Any]:
    """Median and p95 of ``n`` sequential requests (after one warm-up), keep-alive connection.

    A page so slow that ``n`` requests would overrun ``budget_s`` seconds is
    sampled ``min_n`` times instead (the result says how many), so one slow
    query cannot stretch ``make bench`` by minutes.
    """
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        status, size, first = get(port, path, conn)
        times: list[float] = []
        start = time.perf_counter()
        for i in range(n):
            if i >= min_n and time.perf_counter() - start > budget_s:
                break
            status, size, secs = get(port, path, conn)
            times.append(secs * 1000)
    finally:
        conn.close()
    times.sort()
    return {
        "path": path, "status": status, "bytes": size, "n": len(times), "first_ms": round(first * 1000, 1),
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)], 1),
        "max_ms": round(times[-1], 1),
    }


# The three pages of the target. The faceted page is the figures table as a user opens it,
# with the facets metadata.yml configures (unit, metric, period): asking for them again with
# ?_facet=unit&_facet=period makes Datasette 0.65 compute those facets twice.
QUERIES = {
    "fts_search": "/minutes/figures.json?_search=burglary",
    "faceted_table": "/minutes/figures",
    "outstanding_actions": "/minutes/outstanding_actions.json",
}
# Diagnostic variants (not targets): the same search without count and facets, as a search page's
# fetch can ask for it; the actions table with its default facets and sort; the figures table after
# a click on a unit facet value (a filtered count and facets, sorted by metric); and the search as a
# page in a browser. ``first_ms`` of each is its first request, before any count or facet of that
# filter was remembered (extract/publish.py).
EXTRA_QUERIES = {
    "fts_search_lean": "/minutes/figures.json?_search=burglary&_nocount=1&_nofacet=1",
    "actions_table": "/minutes/actions",
    "facet_selected": "/minutes/figures?unit=percent",
    "fts_search_html": "/minutes/figures?_search=burglary",
}


def canned_sql(name: str, metadata: Path = REPO / "db" / "metadata.yml") -> str | None:
    """The SQL of a canned query in the project's Datasette metadata."""
    import yaml

    data = yaml.safe_load(metadata.read_text())
    return (data.get("databases", {}).get("minutes", {}).get("queries", {}).get(name) or {}).get("sql")


def plan_sql() -> dict[str, str]:
    """The statements Datasette 0.65 builds for the pages measured.

    Served, whole-table counts come from the inspect file and default facets are computed at
    start-up (extract/publish.py), so ``table_count`` and ``facet_*`` show the work that saves.
    """
    out = {
        "fts_search": ("select * from figures where rowid in (select rowid from figures_fts "
                       "where figures_fts match 'burglary') order by metric limit 101"),
        "fts_search_count": ("select count(*) from figures where rowid in (select rowid from figures_fts "
                             "where figures_fts match 'burglary')"),
        "table_count": "select count(*) from figures",
        "actions_facet_kind": ("select kind as value, count(*) as count from (select * from actions) "
                               "where kind is not null group by kind order by count desc, value limit 31"),
        "actions_sort_due": "select * from actions order by due_date limit 101",
        "table_page": "select * from figures order by metric limit 101",
        # The match alone: the search's cost is in reading the matching rows, not in FTS.
        "fts_match_count": "select count(*) from figures_fts where figures_fts match 'burglary'",
        "facet_selected_page": "select * from figures where unit = 'percent' order by metric limit 101",
        "facet_unit": ("select unit as value, count(*) as count from (select * from figures) "
                       "where unit is not null group by unit order by count desc, value limit 31"),
        "facet_period": ("select period as value, count(*) as count from (select * from figures) "
                         "where period is not null group by period order by count desc, value limit 31"),
        "facet_metric": ("select metric as value, count(*) as count from (select * from figures) "
                         "where metric is not null group by metric order by count desc, value limit 31"),
    }
    sql = canned_sql("outstanding_actions")
    if sql:
        out["outstanding_actions"] = sql
    return out


def query_plans(db_path: Path) -> dict[str, dict[str, Any]]:
    """EXPLAIN QUERY PLAN and the direct SQLite time of each statement (no HTTP, no Datasette)."""
    conn = sqlite3.connect(f"file:{db_path}?immutable=1", uri=True)
    out = {}
    try:
        for name, sql in plan_sql().items():
            plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql)]
            t = time.perf_counter()
            rows = conn.execute(sql).fetchmany(1001)
            secs = time.perf_counter() - t
            out[name] = {"plan": plan, "sqlite_ms": round(secs * 1000, 1), "rows": len(rows)}
    finally:
        conn.close()
    return out


# Searches for terms not asked before (one request each): what a researcher's first search costs,
# before any count or facet count of it is remembered (see extract/publish.py).
COLD_TERMS = ["robbery", "knife", "fires", "recycled", "potholes", "vaccination", "apprenticeship", "claimant",
              "library", "complaints", "arson", "obesity", "agency", "punctuality", "fraud", "sleepers",
              "casualties", "reoffending", "smoking", "bin"]


def cold_searches(port: int, terms: list[str] = COLD_TERMS) -> dict[str, Any]:
    """p50/p95 of one full-text search per new term (count and facets computed afresh)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    times = []
    try:
        for term in terms:
            status, _size, secs = get(port, f"/minutes/figures.json?_search={term}", conn)
            times.append(secs * 1000)
    finally:
        conn.close()
    times.sort()
    return {"path": "/minutes/figures.json?_search=<new term>", "status": status, "n": len(times),
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)], 1),
            "max_ms": round(times[-1], 1)}


def measure_publishing(db_path: Path, n: int = 50,
                       queries: dict[str, str] | None = None) -> tuple[dict[str, Any], float]:
    """Serve ``db_path`` with ``minutes serve``; (latency per query over loopback HTTP, start-up seconds)."""
    port = free_port()
    out: dict[str, Any] = {}
    t = time.perf_counter()
    with serving(db_path, port):
        startup = time.perf_counter() - t
        if queries is None:
            out["fts_search_cold"] = cold_searches(port)
        for name, path in (queries or {**QUERIES, **EXTRA_QUERIES}).items():
            out[name] = latency(port, path, n)
    return out, round(startup, 2)

