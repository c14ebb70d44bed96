"""``minutes actions``: the clerk's action log, from the archive.

A thin click layer over :mod:`extract.resolve.actions`: list actions (open
ones, by owner, by body) as a table, CSV, JSON or an iCalendar file of
to-dos, and record a clerk's close/reopen decision, which every later ingest
keeps.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import click

DEFAULT_DB = "db/minutes.db"

EXPORT_FIELDS = (
    "id", "status", "kind", "meeting_date", "body", "owner", "owner_text", "description", "due_text",
    "due_date", "days_open", "document", "page", "sentence", "closed_by_meeting_id", "closed_by_document_id",
    "closed_evidence", "override_note", "decided_at", "decided_by", "superseded_by",
)


def _open_db(db_path: str):
    """Open an existing archive; say what to do when there is none."""
    if not Path(db_path).exists():
        raise click.ClickException(f"database {db_path} does not exist; run 'minutes ingest PATH --db {db_path}' first")
    from .errors import DatabaseError
    from .store import open_db

    try:
        return open_db(db_path, create=False)
    except DatabaseError as exc:
        raise click.ClickException(str(exc)) from exc


def export_rows(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with the fields every export format shares (owner = resolved name, else as written)."""
    out = []
    for r in rows:
        row = {k: r.get(k) for k in EXPORT_FIELDS}
        row["owner"] = r.get("owner_name") or r.get("owner_text")
        out.append(row)
    return out


def render_table(rows: Sequence[dict[str, Any]]) -> str:
    """A plain-text table for the terminal, oldest meeting first."""
    from tabulate import tabulate

    def cut(s: str | None, n: int) -> str:
        s = " ".join((s or "").split())
        return s if len(s) <= n else s[: n - 1] + "…"

    table = [
        [r["id"], r["meeting_date"] or "", cut(r["body"], 24), cut(r["owner"], 24), cut(r["description"], 60),
         r["due_date"] or cut(r["due_text"], 18) or "", r["status"], "" if r["days_open"] is None else r["days_open"]]
        for r in export_rows(rows)
    ]
    return tabulate(table, headers=["id", "meeting", "body", "owner", "task", "due", "status", "days open"])


def render_csv(rows: Sequence[dict[str, Any]]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(EXPORT_FIELDS), lineterminator="\n")
    w.writeheader()
    w.writerows(export_rows(rows))
    return buf.getvalue()


def render_json(rows: Sequence[dict[str, Any]]) -> str:
    return json.dumps(export_rows(rows), indent=2, ensure_ascii=False) + "\n"


def ics_escape(text: str) -> str:
    """TEXT value escaping of RFC 5545 §3.3.11: backslash, semicolon, comma, newline."""
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
        .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    )


def ics_fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 §3.1), never inside a UTF-8 character."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts: list[str] = []
    start, limit = 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # don't split a multi-byte character
            end -= 1
        parts.append(data[start:end].decode("utf-8"))
        start, limit = end, 74  # continuation lines start with one space
    return "\r\n ".join(parts)


def render_ics(rows: Sequence[dict[str, Any]], now: datetime | None = None) -> str:
    """An iCalendar (RFC 5545) file with one VTODO per action that has a due date."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//minutes-extract//actions//EN", "CALSCALE:GREGORIAN",
             "X-WR-CALNAME:Actions from minutes"]
    for r in export_rows(rows):
        if not r["due_date"]:
            continue
        try:
            due = date.fromisoformat(r["due_date"][:10]).strftime("%Y%m%d")
        except ValueError:
            continue
        summary = f"{r['owner'] or 'Unassigned'}: {r['description'] or ''}"
        where = " ".join(x for x in (r["body"], r["meeting_date"]) if x)
        desc = "\n".join(x for x in (
            r["sentence"],
            f"Meeting: {where}" if where else None,
            f"Source: {r['document']}" + (f", page {r['page']}" if r["page"] else "") if r["document"] else None,
            f"Due as written: {r['due_text']}" if r["due_text"] else None,
            f"Clerk's note: {r['override_note']}" if r["override_note"] else None,
            f"Replaced by action {r['superseded_by']}" if r["superseded_by"] else None,
        ) if x)
        lines += [
            "BEGIN:VTODO",
            f"UID:{r['id']}@minutes-extract",
            f"DTSTAMP:{stamp}",
            f"DUE;VALUE=DATE:{due}",
            f"SUMMARY:{ics_escape(summary)}",
            f"DESCRIPTION:{ics_escape(desc)}",
            f"STATUS:{'COMPLETED' if r['status'] == 'done' else 'CANCELLED' if r['status'] == 'superseded' else 'NEEDS-ACTION'}",
            "END:VTODO",
        ]
    lines.append("END:VCALENDAR")
    return "".join(ics_fold(line) + "\r\n" for line in lines)


RENDERERS = {"table": render_table, "csv": render_csv, "json": render_json, "ics": render_ics}

db_option = click.option(
    "--db", "db_path", default=None, type=click.Path(dir_okay=False),
    help=f"SQLite database file of the archive [default: {DEFAULT_DB}].",
)


@click.group("actions", invoke_without_command=True)
@click.option("--open", "open_only", is_flag=True, help="Only actions still open (after clerks' decisions).")
@click.option("--owner", default=None, help="Owner name contains this (case-insensitive), e.g. 'Leach'.")
@click.option("--body", default=None, help="Meeting body contains this, e.g. 'Safer Communities'.")
@click.option("--format", "fmt", type=click.Choice(list(RENDERERS)), default="table", show_default=True,
              help="table for reading, csv/json for spreadsheets and scripts, ics for a calendar of to-dos.")
@db_option
@click.pass_context
def actions_group(ctx: click.Context, open_only: bool, owner: str | None, body: str | None, fmt: str,
                  db_path: str | None) -> None:
    """List actions recorded in minutes, oldest meeting first, with owner, due date and days open.

    Status is the clerk's decision when there is one, else what extraction and
    cross-meeting tracking concluded. Clerks' decisions survive every re-ingest.

    \b
    Examples:
      minutes actions --open --body "Safer Communities"
      minutes actions --owner Leach --format csv > leach.csv
      minutes actions --open --format ics > actions.ics
      minutes actions close 3f9a2c81d0e4b7a1 --note "Contact sent by email 2 May"
      minutes actions reopen 3f9a2c81d0e4b7a1 --note "Contact bounced"
    """
    ctx.ensure_object(dict)
    ctx.obj["db_path"] = db_path
    if ctx.invoked_subcommand is not None:
        return
    # imported here, not at the top: every `minutes` command imports this module, and this one
    # imports sqlite-utils (and numpy), 0.15 s that `minutes --help` or `serve` need not pay
    from .resolve.actions import list_actions

    db = _open_db(db_path or DEFAULT_DB)
    rows = list_actions(db, open_only=open_only, owner=owner, body=body)
    out = RENDERERS[fmt](rows)
    if fmt == "ics":  # bytes, so CRLF line endings survive any text-mode newline translation
        sys.stdout.flush()
        sys.stdout.buffer.write(out.encode("utf-8"))
        sys.stdout.buffer.flush()
    else:
        click.echo(out, nl=not out.endswith("\n"))
    if fmt == "ics":
        undated = sum(1 for r in rows if not r["due_date"])
        if undated:
            click.echo(f"{undated} action(s) without a due date are not in the calendar", err=True)
    elif fmt == "table" and not rows:
        click.echo("no actions match", err=True)


def _db_for(ctx: click.Context, db_path: str | None) -> str:
    return db_path or (ctx.obj or {}).get("db_path") or DEFAULT_DB


@actions_group.command("close")
@click.argument("action_id")
@click.option("--note", required=True, help="Why the action is closed (kept with the decision).")
@click.option("--by", "decided_by", default=None, help="Who decided [default: $USER].")
@db_option
@click.pass_context
def close_command(ctx: click.Context, action_id: str, note: str, decided_by: str | None, db_path: str | None) -> None:
    """Close an action (status done). ACTION_ID is the id from 'minutes actions' (a unique prefix is enough).

    The clerk's decision is kept in action_overrides and survives every re-ingest.

    \b
    Example:
      minutes actions close 3fa9c2 --note "Contact provided by email on 3 July"
    """
    from .resolve.actions import close_action

    db = _open_db(_db_for(ctx, db_path))
    try:
        row = close_action(db, action_id, note, decided_by or os.environ.get("USER"))
    except LookupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"closed {row['action_id']}: {note}")


@actions_group.command("reopen")
@click.argument("action_id")
@click.option("--note", default=None, help="Why it is open again.")
@click.option("--by", "decided_by", default=None, help="Who decided [default: $USER].")
@db_option
@click.pass_context
def reopen_command(ctx: click.Context, action_id: str, note: str | None, decided_by: str | None,
                   db_path: str | None) -> None:
    """Reopen an action, whatever tracking concluded. ACTION_ID as for close.

    \b
    Example:
      minutes actions reopen 3fa9c2 --note "Still waiting for the figures"
    """
    from .resolve.actions import reopen_action

    db = _open_db(_db_for(ctx, db_path))
    try:
        row = reopen_action(db, action_id, note, decided_by or os.environ.get("USER"))
    except LookupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"reopened {row['action_id']}" + (f": {note}" if note else ""))


@actions_group.command("supersede")
@click.argument("action_id")
@click.option("--note", required=True, help="Why it no longer stands (kept with the decision).")
@click.option("--replaced-by", "replaced_by", default=None, metavar="ACTION_ID",
              help="The action that takes its place (an id or unique prefix from 'minutes actions').")
@click.option("--by", "decided_by", default=None, help="Who decided [default: $USER].")
@db_option
@click.pass_context
def supersede_command(ctx: click.Context, action_id: str, note: str, replaced_by: str | None,
                      decided_by: str | None, db_path: str | None) -> None:
    """Mark an action superseded: replaced or overtaken, no longer to be done. ACTION_ID as for close.

    It leaves the open lists like a closed action, but is not counted as done
    (the iCalendar export marks it CANCELLED). The clerk's decision survives
    every re-ingest; 'reopen' undoes it.

    \b
    Examples:
      minutes actions supersede 3fa9c2 --note "Overtaken by the new strategy"
      minutes actions supersede 3fa9c2 --replaced-by 77d01e --note "Given again to the new lead officer"
    """
    from .resolve.actions import supersede_action

    db = _open_db(_db_for(ctx, db_path))
    try:
        row = supersede_action(db, action_id, note, decided_by or os.environ.get("USER"), replaced_by)
    except LookupError as exc:
        raise click.ClickException(str(exc)) from exc
    by = f" by {row['superseded_by']}" if row["superseded_by"] else ""
    click.echo(f"superseded {row['action_id']}{by}: {note}")
