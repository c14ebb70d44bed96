"""Measure extraction quality against hand-made gold keys.

``evaluate(db, gold_dir)`` scores what the pipeline stored; ``format_table``,
``format_errors`` and ``to_json`` present the result; the floors helpers back
the quality gate in the test suite. The match rules live in
:mod:`extract.evaluate.matching`.
"""

from __future__ import annotations

from extract.evaluate.report import (
    check_floors,
    format_errors,
    format_floors,
    format_table,
    gated_metrics,
    read_floors,
    to_json,
    write_floors,
)
from extract.evaluate.score import (
    ATTRIBUTES,
    AttributeScore,
    DocumentResult,
    ErrorItem,
    EvalResult,
    EvaluationError,
    FamilyScore,
    evaluate,
)

__all__ = [
    "ATTRIBUTES",
    "AttributeScore",
    "DocumentResult",
    "ErrorItem",
    "EvalResult",
    "EvaluationError",
    "FamilyScore",
    "check_floors",
    "evaluate",
    "format_errors",
    "format_floors",
    "format_table",
    "gated_metrics",
    "read_floors",
    "to_json",
    "write_floors",
]
