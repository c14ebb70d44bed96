"""``minutes evaluate``: the thin command over :func:`extract.evaluate.evaluate`.

The CLI group registers it with ``cli.add_command(evaluate_command, "evaluate")``.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from extract.evaluate.report import format_errors, format_table, to_json, write_floors
from extract.evaluate.score import EvaluationError, evaluate

DEFAULT_DB = "db/minutes.db"


@click.command(
    "evaluate",
    epilog="""\b
Examples:
  # score the archive against the gold keys
  minutes evaluate --gold ../shared/gold
\b
  # score a scratch database and see every miss and false positive
  minutes ingest ../shared/corpus/seeds --db /tmp/eval.db
  minutes evaluate --gold ../shared/gold --db /tmp/eval.db --show-errors
\b
  # numbers for tools (use - for standard output)
  minutes evaluate --gold ../shared/gold --json eval.json

  # score the demo corpus against its own answer key
  minutes evaluate --gold corpus/expected.json --db db/minutes.db
\b
  # record today's scores as the test-suite floors (raises floors only)
  minutes evaluate --gold ../shared/gold --db /tmp/eval.db --write-floors tests/quality_floors.toml
""",
)
@click.option(
    "--gold",
    "gold_dir",
    required=True,
    type=click.Path(path_type=Path),
    help="Directory of gold keys (*.json, format in shared/docs/ANNOTATION.md), or one bundle file "
    'with a "documents" list of keys (corpus/expected.json).',
)
@click.option(
    "--db",
    "db_path",
    default=DEFAULT_DB,
    show_default=True,
    type=click.Path(path_type=Path),
    help="Archive database to score.",
)
@click.option(
    "--json",
    "json_out",
    type=click.Path(path_type=Path, allow_dash=True),
    help="Also write the numbers, per-document counts and errors as JSON to this file (- for stdout).",
)
@click.option(
    "--show-errors",
    is_flag=True,
    help="List each miss (gold evidence), false positive (stored sentence) and wrong attribute, by document.",
)
@click.option(
    "--write-floors",
    "floors_out",
    type=click.Path(path_type=Path),
    help="Write the F1s and attribute accuracies as quality floors to this TOML file; existing floors are only raised.",
)
def evaluate_command(
    gold_dir: Path, db_path: Path, json_out: Path | None, show_errors: bool, floors_out: Path | None
) -> None:
    """Score what the database stored against hand-made gold keys.

    Each key names its document by file name; the document is looked up in
    the database and its people, actions, decisions, figures and targets are
    matched one-to-one with the key (rules in shared/docs/ANNOTATION.md).
    Prints precision, recall, F1 and tp/fp/fn per item family, and the
    accuracy of person roles, figure metrics and directions, action owners
    and due dates, and target directions over matched items.
    """
    if not gold_dir.exists():
        raise click.UsageError(f"gold directory {gold_dir} does not exist", ctx=click.get_current_context())
    if not db_path.is_file():
        raise click.UsageError(
            f"database {db_path} does not exist; create it with `minutes ingest PATH --db {db_path}`",
            ctx=click.get_current_context(),
        )
    try:
        result = evaluate(db_path, gold_dir)
    except EvaluationError as exc:
        raise click.ClickException(str(exc)) from exc

    to_stdout = json_out is not None and str(json_out) == "-"
    if show_errors and not to_stdout:
        click.echo(format_errors(result))
    if not to_stdout:
        click.echo(format_table(result), nl=False)
    if json_out is not None:
        text = json.dumps(to_json(result), indent=2, ensure_ascii=False)
        if to_stdout:
            click.echo(text)
        else:
            json_out.write_text(text + "\n", encoding="utf-8")
            click.echo(f"wrote {json_out}", err=True)
    if floors_out is not None:
        try:
            write_floors(result, floors_out)
        except EvaluationError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"wrote floors to {floors_out}", err=True)
