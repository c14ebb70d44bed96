"""The cached deadline pattern of ``_without_due`` finds what the regex built on every call found."""

import re

import pytest

from extract.nlp.actions import _due_at_end, _without_due


def _plain(due: str) -> re.Pattern[str]:
    """The pattern as ``_without_due`` used to build it, call by call."""
    return re.compile(
        r"[\s,]*\b(?:(?:by|before|at|in|for|to|until|during|no\s+later\s+than|ahead\s+of|prior\s+to)\s+)?"
        + re.escape(due).replace(r"\ ", r"\s+") + r"[\s.,;]*$")


CASES = [
    ("circulate the revised parking plan by 30 May 2025.", "30 May 2025", "circulate the revised parking plan"),
    ("report back on the library review no later than\nthe end of March", "the end of March", "report back on the library review"),
    ("attend the next meeting", "the next meeting", "attend the next meeting"),
    ("send the (draft) budget to members before 1.4.2026", "1.4.2026", "send the (draft) budget to members"),
    ("review the figures in September, with officers", "September", "review the figures in September, with officers"),
    ("By Friday", "Friday", "By Friday"),
]


@pytest.mark.parametrize(("desc", "due", "expected"), CASES)
def test_cached_pattern_matches_like_the_plain_one(desc: str, due: str, expected: str) -> None:
    got, want = _due_at_end(due).search(desc), _plain(due).search(desc)
    assert (got.span() if got else None) == (want.span() if want else None)
    assert _due_at_end(due) is _due_at_end(due)  # compiled once per deadline
    assert _without_due(desc, due) == expected
