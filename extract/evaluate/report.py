"""Present an :class:`EvalResult`: a plain table, an error list, JSON, and quality floors.

The floors file (``tests/quality_floors.toml``) holds the lowest acceptable
value of each metric; the test suite fails when a score drops below it.
:func:`write_floors` only ever raises a floor, so re-running it after an
improvement records the gain and can never hide a regression.
"""

from __future__ import annotations

import math
import tomllib
from pathlib import Path
from typing import Any

from extract.evaluate.matching import FAMILIES
from extract.evaluate.score import ATTRIBUTE_METRIC_KEYS, ATTRIBUTES, EvalResult, EvaluationError

_ATTRIBUTE_LABELS = {
    "person_role": "person role",
    "figure_metric": "figure metric",
    "figure_direction": "figure direction",
    "action_owner_resolved": "action owner resolved",
    "action_due": "action due",
    "target_direction": "target direction",
}

_ERROR_KINDS = (("miss", "missed"), ("false_positive", "false positive"), ("attribute", "wrong attribute"))


def _render(rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for r in rows:
        cells = [
            c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return lines


def format_table(result: EvalResult) -> str:
    """Aligned plain text: per family P/R/F1 and counts, then attribute accuracies over matched pairs.

    An accuracy with nothing scored (no matched pair carries the attribute) shows as ``-``.
    """
    found = sum(d.found for d in result.documents)
    fam_rows = [["item", "precision", "recall", "f1", "tp", "fp", "fn"]]
    for fam in FAMILIES:
        s = result.families[fam]
        fam_rows.append(
            [fam, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}", str(s.tp), str(s.fp), str(s.fn)]
        )
    attr_rows = [["attribute", "accuracy", "correct", "scored"]]
    for attr in ATTRIBUTES:
        a = result.attributes[attr]
        acc = f"{a.accuracy:.3f}" if a.total else "-"
        attr_rows.append([_ATTRIBUTE_LABELS[attr], acc, str(a.correct), str(a.total)])
    first_col = max(len(r[0]) for r in fam_rows + attr_rows)
    for rows in (fam_rows, attr_rows):
        for r in rows:
            r[0] = r[0].ljust(first_col)
    fam_lines = _render(fam_rows, right={1, 2, 3, 4, 5, 6})
    attr_lines = _render(attr_rows, right={1, 2, 3})
    rule = "-" * max(len(line) for line in fam_lines + attr_lines)
    out = [f"{len(result.documents)} gold documents, {found} found in the database", rule]
    out += [fam_lines[0], rule, *fam_lines[1:], rule, attr_lines[0], rule, *attr_lines[1:], rule]
    out += [f"warning: {w}" for w in result.warnings]
    return "\n".join(out) + "\n"


def format_errors(result: EvalResult) -> str:
    """Every miss, false positive and wrong attribute, grouped by document, then family."""
    out: list[str] = []
    for doc in result.documents:
        out.append(f"== {doc.document}" + ("" if doc.found else "  (NOT IN DATABASE)"))
        if not doc.errors:
            out.append("   no errors")
        for fam in FAMILIES:
            for kind, label in _ERROR_KINDS:
                items = [e for e in doc.errors if e.family == fam and e.kind == kind]
                if not items:
                    continue
                out.append(f"  {fam}: {len(items)} {label}")
                for e in items:
                    out.append(f"    - {' '.join(e.text.split())}")
                    if e.detail:
                        out.append(f"      {e.detail}")
        out.append("")
    return "\n".join(out)


def to_json(result: EvalResult) -> dict[str, Any]:
    """The same numbers as the table, plus per-document counts and errors, as plain JSON data."""

    def fam(s: Any) -> dict[str, Any]:
        return {"tp": s.tp, "fp": s.fp, "fn": s.fn, "precision": s.precision, "recall": s.recall, "f1": s.f1}

    return {
        "documents_total": len(result.documents),
        "documents_found": sum(d.found for d in result.documents),
        "families": {f: fam(result.families[f]) for f in FAMILIES},
        "attributes": {
            a: {"correct": s.correct, "total": s.total, "accuracy": s.accuracy}
            for a, s in result.attributes.items()
        },
        "metrics": result.metrics(),
        "documents": [
            {
                "document": d.document,
                "gold_file": d.gold_file,
                "found": d.found,
                "document_id": d.document_id,
                "families": {f: fam(s) for f, s in d.families.items()},
                "errors": [
                    {"family": e.family, "kind": e.kind, "text": e.text, "detail": e.detail} for e in d.errors
                ],
            }
            for d in result.documents
        ],
        "warnings": list(result.warnings),
    }


# ---------------------------------------------------------------------- floors


def gated_metrics(result: EvalResult) -> dict[str, float]:
    """The metrics the quality gate records: every family's F1 and every attribute accuracy."""
    metrics = result.metrics()
    keys = [f"{f}.f1" for f in FAMILIES] + [ATTRIBUTE_METRIC_KEYS[a] for a in ATTRIBUTES]
    return {k: metrics[k] for k in keys}


def _round_down(value: float) -> float:
    # 4 decimals, rounded down, so the recorded floor never exceeds the measured value
    return math.floor(value * 10_000 + 1e-9) / 10_000


def read_floors(path: str | Path) -> dict[str, float]:
    """Flat ``{"people.f1": 0.5, ...}`` from a floors TOML file (tables are families)."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise EvaluationError(f"cannot read quality floors {path}: {exc}") from exc
    flat: dict[str, float] = {}

    def walk(prefix: str, node: Any) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(f"{prefix}.{k}" if prefix else k, v)
        elif isinstance(node, int | float) and not isinstance(node, bool):
            flat[prefix] = float(node)
        else:
            raise EvaluationError(f"quality floor {prefix!r} in {path} is not a number")

    walk("", data)
    return flat


DEFAULT_FLOORS_HEADER = [
    "# Quality floors: the lowest acceptable score of each metric on the seed corpus.",
    "# tests/test_quality_gate.py fails when a score falls below its floor.",
    "# Raise a floor when an issue improves a score; never lower one.",
    "# A metric without a line here has floor 0. Regenerate (raises only) with:",
    "#   minutes evaluate --gold ../shared/gold --db DB --write-floors tests/quality_floors.toml",
]


def format_floors(floors: dict[str, float], header: list[str] | None = None) -> str:
    """TOML text for the floors: one table per family, keys in a fixed order.

    ``header`` is the file's leading comment block (kept when a file is rewritten).
    """
    lines = list(header or DEFAULT_FLOORS_HEADER)
    groups: dict[str, list[tuple[str, float]]] = {}
    for key, value in floors.items():
        table, _, name = key.partition(".")
        groups.setdefault(table, []).append((name, value))
    order = list(FAMILIES) + sorted(t for t in groups if t not in FAMILIES)
    for table in order:
        if table not in groups:
            continue
        lines += ["", f"[{table}]"]
        lines += [f"{name} = {value:.4f}" for name, value in sorted(groups[table])]
    return "\n".join(lines) + "\n"


def write_floors(result: EvalResult, path: str | Path) -> dict[str, float]:
    """Write the current F1s and accuracies as floors, never lowering one already in ``path``.

    Returns the floors written. Keys already in the file but not measured
    (e.g. a precision floor added by hand) are kept as they are.
    """
    path = Path(path)
    old = read_floors(path) if path.exists() else {}
    header = None
    if path.exists():
        lines = path.read_text(encoding="utf-8").splitlines()
        header = [ln for ln in lines[: next((i for i, ln in enumerate(lines) if not ln.startswith("#")),
                                          len(lines))]] or None
    new = dict(old)
    for key, value in gated_metrics(result).items():
        new[key] = max(old.get(key, 0.0), _round_down(value))
    path.write_text(format_floors(new, header), encoding="utf-8")
    return new


def check_floors(result: EvalResult, floors: dict[str, float]) -> list[str]:
    """Human-readable failures: each metric below its floor, and each floor naming no metric."""
    metrics = result.metrics()
    failures = [
        f"{k}: floor {floors[k]} names no metric (known: {', '.join(metrics)})"
        for k in floors
        if k not in metrics
    ]
    for key, value in metrics.items():
        floor = floors.get(key, 0.0)
        if value + 1e-9 < floor:
            failures.append(f"{key}: {value:.4f} is below its floor {floor:.4f}")
    return failures
