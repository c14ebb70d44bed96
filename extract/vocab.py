"""Controlled vocabularies shared by parsers, extractors, the store and tests.

Every label written to the database comes from here, so a typo in one module
cannot invent a new status or unit that Datasette facets would then show.
"""

from __future__ import annotations

FORMATS = ("html", "pdf", "text", "docx")

KINDS = ("minutes", "agenda", "report", "strategy", "summary", "other")

STATUS_OK = "ok"
STATUS_PARTIAL = "partial"
STATUS_NEEDS_OCR = "needs_ocr"
STATUS_FAILED = "failed"
STATUSES = (STATUS_OK, STATUS_PARTIAL, STATUS_NEEDS_OCR, STATUS_FAILED)

ACTION_KINDS = ("action", "commitment", "request")
ACTION_STATUSES = ("open", "done", "superseded")
DECISION_KINDS = ("resolved", "agreed", "approved", "noted", "recommended")

UNITS = (
    "percent",
    "percentage_points",
    "count",
    "gbp",
    "rate",
    "rank",
    "hours",
    "other",
)
DIRECTIONS = ("increase", "decrease")
TARGET_DIRECTIONS = ("reduce", "increase", "maintain", "reach")
TARGET_UNITS = ("percent", "percentage_points", "count")
