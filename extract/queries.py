"""Read-side questions users ask of the archive, as plain functions over SQL.

The CLI prints these; tests call them directly. Datasette's canned queries in
``db/metadata.yml`` ask the same questions in the browser.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

import sqlite_utils


def list_people(db: sqlite_utils.Database, search: str | None = None) -> list[dict[str, Any]]:
    """People with role, organisation, first and last meeting and mention count.

    ``search`` matches any part of the name or of any alias ("Clifton",
    "Mr Clifton", "Peter").
    """
    where, params = "", []
    if search:
        where = (
            "where p.name like :q or p.id in (select person_id from person_aliases where alias like :q)"
        )
        params = {"q": f"%{search}%"}
    sql = f"""
        select p.id, p.name, p.honorific, p.role, p.organisation,
               min(m.date) as first_meeting, max(m.date) as last_meeting,
               count(mn.id) as mentions, count(distinct mn.document_id) as documents,
               (select group_concat(alias, '; ') from person_aliases a where a.person_id = p.id) as aliases
        from people p
        left join mentions mn on mn.person_id = p.id
        left join meetings m on m.id = mn.meeting_id
        {where}
        group by p.id
        order by mentions desc, p.name
    """
    return list(db.query(sql, params or None))


def figure_history(db: sqlite_utils.Database, metric: str) -> list[dict[str, Any]]:
    """Every figure whose metric or sentence mentions ``metric`` words, oldest first."""
    words = " ".join(f'"{w}"' for w in metric.replace('"', " ").split())
    if not words:
        return []
    sql = """
        select coalesce(m.date, '') as date, d.place, f.metric, f.value, f.unit, f.raw, f.direction,
               f.period, d.filename as document, f.page, f.sentence
        from figures f
        join documents d on d.id = f.document_id
        left join meetings m on m.id = f.meeting_id
        where f.rowid in (select rowid from figures_fts where figures_fts match :q)
        order by m.date is null, m.date, f.period, f.start
    """
    return list(db.query(sql, {"q": words}))


def targets_with_progress(db: sqlite_utils.Database, search: str | None = None) -> list[dict[str, Any]]:
    """Targets beside the latest later figure on the same metric (the target_progress view)."""
    sql = """
        select tp.metric, tp.direction, tp.amount, tp.amount_unit, tp.baseline_value, tp.period,
               tp.end_date, round(tp.implied_level, 2) as implied_level, tp.latest_raw, tp.latest_date,
               case tp.meets when 1 then 'met' when 0 then 'not met' else null end as progress,
               d.filename as document
        from target_progress tp join documents d on d.id = tp.document_id
        where :q is null or tp.metric like '%' || :q || '%'
        order by d.filename, tp.metric
    """
    return list(db.query(sql, {"q": search}))


def render(rows: Sequence[dict[str, Any]], fmt: str, columns: Sequence[str] | None = None,
           widths: dict[str, int] | None = None) -> str:
    """Rows as an aligned text table, CSV or JSON."""
    columns = list(columns or (rows[0].keys() if rows else []))
    if fmt == "json":
        return json.dumps([{c: r.get(c) for c in columns} for r in rows], indent=2, ensure_ascii=False)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
        return buf.getvalue()
    if not rows:
        return "(no rows)"
    widths = widths or {}

    def cell(value: Any, col: str) -> str:
        text = "" if value is None else str(value)
        text = " ".join(text.split())
        limit = widths.get(col, 40)
        return text if len(text) <= limit else text[: limit - 1] + "…"

    table = [[cell(r.get(c), c) for c in columns] for r in rows]
    size = [max(len(c), *(len(row[i]) for row in table)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(size[i]) for i, c in enumerate(columns)),
             "  ".join("-" * s for s in size)]
    lines += ["  ".join(v.ljust(size[i]) for i, v in enumerate(row)) for row in table]
    return "\n".join(lines)
