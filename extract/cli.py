"""The ``minutes`` command: a thin click layer over the library.

Commands parse options and call plain functions; only here do domain errors
become messages and exit codes.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
from pathlib import Path

import click

from . import __version__
from .actions_cli import actions_group
from .errors import DatabaseError
from .evaluate.cli import evaluate_command
from .pipeline import Limits

DEFAULT_DB = "db/minutes.db"
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_METADATA = REPO_ROOT / "db" / "metadata.yml"

# Set by main(), the ``minutes`` console script, whose process ends with the command: ingest then leaves
# without tearing the interpreter down, once its output is flushed and its database closed. Freeing the
# spaCy pipeline, the patterns and the batch's objects one by one took 0.35-0.45 s after every ingest of
# the bench's PDFs (whatever the batch's size). Under a test runner (click's CliRunner) it returns as usual.
_EXIT_WHEN_DONE = False


def main() -> None:
    """The ``minutes`` command (console script and ``python -m extract.cli``)."""
    global _EXIT_WHEN_DONE
    _EXIT_WHEN_DONE = True
    cli()


def _exit_now_if_done(code: int = 0) -> None:
    """End the process at once when it ends with this command (see :func:`main`); else return."""
    if _EXIT_WHEN_DONE:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


db_option = click.option(
    "--db",
    "db_path",
    default=DEFAULT_DB,
    show_default=True,
    type=click.Path(dir_okay=False),
    help="SQLite database file of the archive.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="minutes")
def cli() -> None:
    """minutes-extract: turn council minutes, agendas, reports and strategies into a
    searchable SQLite archive, published with Datasette.

    \b
    Typical use:
      minutes ingest ~/Downloads/council-papers --db db/minutes.db
      minutes doctor --db db/minutes.db        # what could not be read, and why
      minutes serve --db db/minutes.db          # browse it at http://127.0.0.1:8001

    \b
    Environment:
      MINUTES_CACHE_DIR  folder where the rules' compiled patterns are kept between
                         runs (default: ~/.cache/minutes-extract); "off" turns it off
    """


def _open(db_path: str, *, create: bool = True):
    from .store import open_db

    try:
        return open_db(db_path, create=create)
    except DatabaseError as exc:
        raise click.ClickException(str(exc)) from exc


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@db_option
@click.option("--workers", type=int, default=None,
              help="Worker processes for parsing and NLP (default: all cores).")
@click.option("--password", default=None, help="Password for encrypted PDFs in this batch.")
@click.option("--max-mb", type=float, default=200, show_default=True,
              help="Skip (record as failed) files larger than this many megabytes.")
@click.option("--max-pages", type=int, default=2000, show_default=True,
              help="Record PDFs with more pages than this as failed.")
@click.option("--timeout", type=float, default=600, show_default=True,
              help="Seconds allowed per document (read, parse, extract); a slower document is recorded "
                   "as failed and the batch goes on. 0 = no limit.")
@click.option("--max-chars", type=int, default=20_000_000, show_default=True,
              help="Documents with more text characters than this are stored and searchable but not "
                   "segmented or extracted (status partial).")
@click.option("--force", is_flag=True,
              help="Re-process every file, even those already ingested unchanged by this version.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar; print only the summary.")
def ingest(paths, db_path, workers, password, max_mb, max_pages, timeout, max_chars, force, quiet):
    """Ingest documents (files or folders, recursively) into the archive.

    The format is detected from each file's content (PDF, HTML, text/Markdown),
    not its extension. Every document is recorded with a status: ok, partial,
    needs_ocr (scanned PDF without text) or failed (with the reason). The batch
    always completes; the exit code is non-zero only for usage errors or an
    unusable database.

    Re-running is safe: unchanged files are skipped, changed files replace their
    old rows, files that failed are tried again, identical files under several
    names are stored once (every name is kept as a source), and clerks'
    decisions on actions are kept. Interrupting a batch (even kill -9) loses at
    most the document being written; run the same command again to finish.

    \b
    Examples:
      minutes ingest corpus/documents
      minutes ingest minutes/*.pdf reports/ --db archive.db --workers 2
      minutes ingest locked.pdf --password s3cret
      minutes ingest huge-pack.pdf --max-pages 5000 --timeout 3600
    """
    from tqdm import tqdm

    from .ingest import ingest as run_ingest

    db = _open(db_path)
    if workers is not None and workers < 1:
        raise click.BadParameter("must be 1 or more", param_hint="--workers")
    limits = Limits(max_bytes=int(max_mb * 1024 * 1024), max_pages=max_pages, password=password,
                    timeout=timeout if timeout and timeout > 0 else None, max_chars=max_chars)
    bar = tqdm(total=0, unit="doc", disable=quiet, file=sys.stderr, desc="ingest", dynamic_ncols=True)

    def on_total(n: int) -> None:
        bar.total = n
        bar.refresh()

    try:
        result = run_ingest(db, paths, limits=limits, workers=workers, force=force,
                            progress=bar.update, on_total=on_total)
    except sqlite3.DatabaseError as exc:
        raise click.ClickException(f"database error on {db_path}: {exc}") from exc
    except KeyboardInterrupt:
        bar.close()
        click.echo("interrupted: the documents stored so far are complete; run the same command again "
                   "to finish the batch", err=True)
        sys.exit(130)
    finally:
        bar.close()
    with contextlib.suppress(sqlite3.DatabaseError):  # a concurrent reader may hold the WAL
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    s = result.statuses
    secs = max(result.seconds, 1e-9)
    click.echo(
        f"{result.documents + result.unchanged} documents: "
        f"{s['ok']} ok, {s['partial']} partial, {s['needs_ocr']} needs_ocr, {s['failed']} failed"
        + (f", {result.unchanged} unchanged (skipped)" if result.unchanged else "")
        + (f", {result.duplicates} identical copies (stored once)" if result.duplicates else "")
    )
    if result.documents:
        click.echo(
            f"processed {result.documents} documents, {result.pages} pages, {result.words} words in "
            f"{result.seconds:.1f} s ({result.documents / secs:.1f} documents/s, {result.pages / secs:.1f} pages/s)"
        )
    for source, status, error in result.failures:
        click.echo(f"  {status:9} {source}: {error}", err=True)
    for sk in result.skipped:
        click.echo(f"  skipped   {sk.path}: {sk.reason}", err=True)
    for warning in result.warnings:
        click.echo(f"  warning   {warning}", err=True)
    click.echo(f"database: {db_path}" + (f"  (what needs attention: minutes doctor --db {db_path})" if result.failures else ""))
    db.conn.close()  # a clean close: SQLite removes the WAL and shared-memory files
    _exit_now_if_done()


@cli.command()
@db_option
@click.option("--all", "show_all", is_flag=True, help="List ok documents too.")
@click.option("--status", "statuses", multiple=True, type=click.Choice(["ok", "partial", "needs_ocr", "failed"]),
              help="Only documents with this status (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json: one object with counts and documents, for scripts.")
def doctor(db_path, show_all, statuses, fmt):
    """List documents that need attention (failed, needs_ocr, partial) with the reason.

    Each document is listed once with the reason it could not be fully read
    and what to do next; other file names holding the same bytes are listed
    under it.

    \b
    Examples:
      minutes doctor --db db/minutes.db
      minutes doctor --status failed --format json
    """
    import json

    db = _open(db_path, create=False)
    order = "CASE status WHEN 'failed' THEN 0 WHEN 'needs_ocr' THEN 1 WHEN 'partial' THEN 2 ELSE 3 END, source"
    if statuses:
        where = f"WHERE status IN ({', '.join('?' for _ in statuses)}) "
        params = list(statuses)
    else:
        where, params = ("" if show_all else "WHERE status != 'ok' "), []
    try:
        rows = list(db.query(
            f"SELECT id, status, source, error, pages, format FROM documents {where}ORDER BY {order}", params
        ))
        counts = {r["status"]: r["n"] for r in db.query("SELECT status, count(*) n FROM documents GROUP BY status")}
        copies: dict[str, list[str]] = {}
        for r in db.query("SELECT document_id, source FROM document_sources ORDER BY source"):
            copies.setdefault(r["document_id"], []).append(r["source"])
    except sqlite3.DatabaseError as exc:
        raise click.ClickException(f"cannot read {db_path}: {exc}") from exc
    advice = {
        "failed": "fix or replace the file (or change the option the reason names), then ingest it again",
        "needs_ocr": "scanned pages: run OCR (e.g. ocrmypdf in.pdf out.pdf) and ingest the result",
        "partial": "some content could not be read; check the reason",
    }
    statuses_all = ("ok", "partial", "needs_ocr", "failed")
    if fmt == "json":
        docs = [{
            "id": r["id"], "status": r["status"], "source": r["source"], "format": r["format"],
            "pages": r["pages"], "error": r["error"], "next": advice.get(r["status"]),
            "other_sources": [c for c in copies.get(r["id"], []) if c != r["source"]],
        } for r in rows]
        click.echo(json.dumps({"counts": {k: counts.get(k, 0) for k in statuses_all}, "documents": docs},
                              indent=2, ensure_ascii=False))
        return
    click.echo(", ".join(f"{counts.get(k, 0)} {k}" for k in statuses_all))
    for r in rows:
        click.echo(f"{r['status']:9} {r['source']}")
        for other in copies.get(r["id"], []):
            if other != r["source"]:
                click.echo(f"          same file: {other}")
        if r["error"]:
            click.echo(f"          {r['error']}")
        if r["status"] in advice:
            click.echo(f"          next: {advice[r['status']]}")
    if not rows:
        click.echo("nothing needs attention")


@cli.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on. Keep 127.0.0.1 unless you mean to publish.")
@click.option("--port", default=8001, show_default=True, type=int, help="Port to listen on.")
@click.option("--metadata", "metadata_path", default=str(DEFAULT_METADATA), show_default=True,
              type=click.Path(dir_okay=False), help="Datasette metadata (titles, descriptions, queries).")
def serve(db_path, host, port, metadata_path):
    """Publish the archive with Datasette, read-only.

    The database is opened immutable: nothing served can change it. So its
    row counts are computed once before serving (a Datasette inspect file, kept
    in the temporary folder until the database changes), and counts and facet
    counts, once computed, are reused while it is served (extract/publish.py).
    At start-up each searchable table's place of every row in its default order
    is read from the sort column's index (8 MB per million rows), so a search's
    first page reads only its own rows (extract/search_order.py).

    \b
    Example:
      minutes serve --db db/minutes.db --port 8001
    """
    if not Path(db_path).exists():
        raise click.ClickException(
            f"database {db_path} does not exist; run 'minutes ingest PATH --db {db_path}' first"
        )
    # Immutable mode ignores the WAL file: fold it into the database first.
    try:
        conn = sqlite3.connect(db_path)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
    except sqlite3.DatabaseError as exc:
        raise click.ClickException(f"cannot open {db_path}: {exc}") from exc
    args = [sys.executable, "-m", "datasette", "serve", "--immutable", db_path,
            "--host", host, "--port", str(port),
            "--setting", "sql_time_limit_ms", "3000",
            "--setting", "facet_time_limit_ms", "500",
            # Facet suggestions run dozens of queries per page: seconds on a million-row table.
            "--setting", "suggest_facets", "off"]
    if metadata_path and Path(metadata_path).exists():
        args += ["--metadata", metadata_path]
    # Row counts of the (immutable) file, computed once: Datasette then counts no whole table per page.
    from .publish import cached_inspect_file

    try:
        args += ["--inspect-file", str(cached_inspect_file(db_path))]
    except (OSError, sqlite3.DatabaseError) as exc:
        click.echo(f"warning: no inspect file ({exc}); whole-table counts run per page", err=True)
    templates = REPO_ROOT / "db" / "templates"
    if templates.is_dir():
        args += ["--template-dir", str(templates)]
    click.echo(f"serving {db_path} at http://{host}:{port}/ (Ctrl+C to stop)", err=True)
    sys.stdout.flush()
    os.execv(sys.executable, args)


format_option = click.option(
    "--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True,
    help="Output format.",
)


@cli.command()
@db_option
@click.option("--search", "-s", default=None, help="Part of a name or alias, e.g. 'Clifton' or 'Mr Clifton'.")
@format_option
def people(db_path, search, fmt):
    """List named people with roles, organisations, first and last meeting and mentions.

    One row per person across the whole archive: "Mr Clifton", "Peter Clifton"
    and "Peter Clifton, Community Safety Manager" are one person.

    \b
    Examples:
      minutes people
      minutes people --search Leach
      minutes people --format csv > people.csv
    """
    from .queries import list_people, render

    rows = list_people(_open(db_path, create=False), search)
    cols = ["name", "role", "organisation", "first_meeting", "last_meeting", "mentions", "documents"]
    if search:
        cols.append("aliases")
    click.echo(render(rows, fmt, cols, widths={"role": 45, "organisation": 35, "aliases": 60}))


@cli.command()
@db_option
@click.option("--metric", "-m", required=True, help="Words of what is measured, e.g. 'burglary' or 'ASB reports'.")
@format_option
def figures(db_path, metric, fmt):
    """Print the history of a metric: every figure quoted on it, oldest first.

    Matches the words (stemmed: 'burglaries' finds 'burglary') in the figure's
    metric or its sentence, and shows the number, unit, period, document and page.

    \b
    Examples:
      minutes figures --metric burglary
      minutes figures --metric "ASB reports" --format csv
    """
    from .queries import figure_history, render

    rows = figure_history(_open(db_path, create=False), metric)
    cols = ["date", "place", "metric", "raw", "unit", "direction", "period", "document", "page"]
    click.echo(render(rows, fmt, cols if fmt == "table" else None, widths={"metric": 45, "document": 40}))


@cli.command()
@db_option
@click.option("--search", "-s", default=None, help="Only targets whose metric contains this text.")
@format_option
def targets(db_path, search, fmt):
    """Print strategy targets with their baseline, the level they imply and progress.

    Progress compares the latest later figure on the same metric (same place
    or body) with the level the target implies: 'met', 'not met', or empty when
    no later figure speaks to it.

    \b
    Examples:
      minutes targets
      minutes targets --search burglary
    """
    from .queries import render, targets_with_progress

    rows = targets_with_progress(_open(db_path, create=False), search)
    cols = ["metric", "direction", "amount", "amount_unit", "baseline_value", "period", "implied_level",
            "latest_raw", "latest_date", "progress"]
    click.echo(render(rows, fmt, cols if fmt == "table" else None, widths={"metric": 50, "period": 25}))


cli.add_command(actions_group, "actions")
cli.add_command(evaluate_command, "evaluate")


if __name__ == "__main__":  # pragma: no cover
    main()
