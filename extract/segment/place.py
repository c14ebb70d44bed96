"""The place a document is about: the council area that publishes it.

Figures and targets are only comparable within one place ("burglary" in
Barnet and in Kent are different series), and a strategy has no meeting body
to tie it to, so the place is read from how councils name themselves:
"Barnet Council", "Kent County Council", "London Borough of Merton". The most
frequent name wins; patterns live in ``models/segment/place.json``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from ..rx.scan import finditer

PLACE_RULES = Path(__file__).resolve().parents[2] / "models" / "segment" / "place.json"


HEAD_CHARS = 2000


@lru_cache(maxsize=1)
def _rules() -> tuple[list[re.Pattern[str]], frozenset[str]]:
    data = json.loads(PLACE_RULES.read_text(encoding="utf-8"))
    patterns = [re.compile(p) for p in data["patterns"]]
    return patterns, frozenset(w.lower() for w in data["not_places"])


def detect_place(text: str) -> str | None:
    """Most often named council area in ``text``, or None."""
    patterns = _rules()[0]
    counts: Counter[str] = Counter()
    # Headings are often in capitals ("KENT COUNTY COUNCIL"): read them title-cased.
    head = "\n".join(ln.title() if ln.isupper() else ln for ln in text[:HEAD_CHARS].split("\n"))
    text = head + text[HEAD_CHARS:]
    for pattern in patterns:
        for m in finditer(pattern, text):
            name = _place_name(m.group("place"))
            if name:
                # The publisher names itself in the heading; other councils come up in passing.
                counts[name] += 3 if m.start() < HEAD_CHARS else 1
    if not counts:
        return None
    return counts.most_common(1)[0][0]


@lru_cache(maxsize=1024)
def _place_name(place: str) -> str | None:
    """The area a matched name gives, or None; cached, because a document names its council again and again."""
    not_places = _rules()[1]
    words = re.sub(r"\s+", " ", place).strip().split(" ")
    while words and words[0].lower() in not_places:
        words = words[1:]  # "If Full Council", "Chief Executive Council"
    while words and words[-1].lower() in not_places:
        words = words[:-1]  # "Kent County" Council
    name = " ".join(words)
    if name and not any(w.lower() in not_places for w in words):
        return name
    return None
