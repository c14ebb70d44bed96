"""The rx layer's faster paths give exactly what the plain ``re`` calls give (issue 9).

* :func:`extract.rx.fold.has_fold_risk` answers as ``FOLD_RISK.search`` does;
* :func:`extract.rx.scan.finditer` on a multi-line ``^`` pattern (the line-start
  scan) gives ``Pattern.finditer``'s matches: same spans and groups, at the text's
  start, across lines, ignoring case, with leading inline flags.

Texts are fictional minutes written for these tests plus generated strings.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract.rx import fold, scan

_LINES = """Minutes:
Kettlebay Borough Council - Audit Committee
  Minutes:
Decision: the Board AGREED the report.
RESOLVED:
notes:\t
1. Apologies for absence
Minutes of the meeting held on 3 March 2025 were approved.
Report title: Annual governance statement
Decisions:
"""

_PATTERNS = [
    (r"^[ \t]*(?:Minutes|Decision|Decisions|Resolved|Notes):[ \t]*$", re.M | re.I),
    (r"(?m)^[ \t]*Minutes:[ \t]*$", re.I),
    (r"(?im)^[ \t]*minutes\s+of\s+(?:a|an|the)\s+(?P<what>\w+)", 0),
    (r"^(?:Report\s+(?:title|author)):\s*(?P<value>[^\n]*)", re.M),
    (r"^\d+\.\s+Apologies\s+for\s+absence\s+Minutes", re.M),  # a match running onto the next line
    (r"^(Decision|RESOLVED):?", re.M),  # a capturing group
]


@pytest.mark.parametrize(("source", "flags"), _PATTERNS)
@pytest.mark.parametrize("text", [_LINES, _LINES * 3, "x" * 250 + "\n" + _LINES, _LINES.replace("\n", "\r\n")])
def test_line_start_scan_gives_finditer(source: str, flags: int, text: str) -> None:
    pattern = re.compile(source, flags)
    plan = scan.plan_for(pattern)
    assert plan is not None and plan.line_start
    got = [(m.span(), m.groups()) for m in scan.finditer(pattern, text)]
    assert got == [(m.span(), m.groups()) for m in pattern.finditer(text)]


@pytest.mark.parametrize(
    ("source", "flags"),
    [(r"^Minutes:", 0), (r"\AMinutes:", re.M), (r"(?:^|\n)Minutes:", re.M), (r"^Minutes:(?#x)", re.M | re.X)],
)
def test_line_start_needs_a_multiline_caret_first(source: str, flags: int) -> None:
    """Only a pattern whose every match starts a line takes the line-start scan."""
    plan = scan.plan_for(re.compile(source, flags))
    assert plan is None or not plan.line_start


_PIECES = st.sampled_from(
    ["Minutes:", "minutes:", "MINUTES:", "Decision:", "Decisions:", "notes:", " ", "\t", "\n", "\n\n", "x",
     "Minutes of the meeting", "Report title: Budget", "RESOLVED", "Resolved:", "\u017f", "1. Apologies for absence"]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, min_size=40, max_size=140))
def test_line_start_scan_on_generated_texts(pieces: list[str]) -> None:
    text = "".join(pieces)
    for source, flags in _PATTERNS:
        pattern = re.compile(source, flags)
        got = [(m.span(), m.groups()) for m in scan.finditer(pattern, text)]
        assert got == [(m.span(), m.groups()) for m in pattern.finditer(text)], source


@pytest.mark.parametrize(
    "text",
    ["", "plain ascii", "caf\u00e9 \u2019quoted\u2019", "dotless \u0131", "capital \u0130", "long \u017f",
     "kelvin \u212a", "\u00e9\u2019\u212a", "\U0001f600 emoji"],
)
def test_has_fold_risk_agrees_with_the_regex(text: str) -> None:
    assert fold.has_fold_risk(text) == bool(fold.FOLD_RISK.search(text))
    assert fold.fold_safe_lower(text) == (None if fold.FOLD_RISK.search(text) else text.lower())
