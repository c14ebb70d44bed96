"""Load the segmenter's vocabularies from ``models/segment/*.jsonl``.

Body head words, kind cues, labelled fields and boilerplate are rules, so they
live as data beside the other pattern files rather than as regexes in code.
Every entry carries a stable ``id`` so a bad pattern can be named in the
error. Files are read once per process (``lru_cache``) and never at import.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import MinutesError

MODELS_DIR = Path(__file__).resolve().parents[2] / "models" / "segment"

_FLAG_LETTERS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL}


class PatternFileError(MinutesError):
    """A segmenter data file is missing or has an invalid entry."""

    def __init__(self, path: Path, line: int, entry_id: str | None, reason: str) -> None:
        self.path = path
        self.line = line
        self.entry_id = entry_id
        where = f"{path}:{line}" + (f" (id {entry_id})" if entry_id else "")
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class Cue:
    """A weighted regex cue (kind cues and body/date context rules)."""

    id: str
    group: str  # kind for kind cues, type for context rules
    scope: str
    weight: float
    max: int
    regex: re.Pattern[str]
    top_exempt: bool = False  # context rules: not applied on an unnumbered line at the very top


@dataclass(frozen=True, eq=False)
class Vocab:
    """Everything the segmenter reads from ``models/segment``.

    Compared and hashed by identity (``eq=False``): one is loaded per process,
    and caches of what is derived from it key on it.
    """

    heads: dict[str, float]  # head word -> weight
    post_ok: frozenset[str]
    post_of: frozenset[str]
    stops: frozenset[str]  # lower-cased
    not_body: frozenset[str]  # lower-cased full names
    council_modifiers: frozenset[str]  # lower-cased first words that make "X Council" a body
    fields: dict[str, str]  # lower-cased label -> role
    page_headings: dict[str, bool]  # lower-cased heading -> single_item
    title_noise: tuple[re.Pattern[str], ...]
    text_noise: tuple[re.Pattern[str], ...]
    minutes_label: tuple[re.Pattern[str], ...]
    skip_line: tuple[re.Pattern[str], ...]
    title_stop: tuple[re.Pattern[str], ...]
    venue_word: tuple[re.Pattern[str], ...]
    sentence_start: tuple[re.Pattern[str], ...]
    reporting_verb: tuple[re.Pattern[str], ...]
    kind_cues: tuple[Cue, ...]
    contexts: dict[str, tuple[Cue, ...]] = field(default_factory=dict)


def _read_jsonl(name: str, required: tuple[str, ...]) -> list[tuple[int, dict]]:
    path = MODELS_DIR / name
    if not path.is_file():
        raise PatternFileError(path, 0, None, "file not found; the segmenter needs models/segment/ beside extract/")
    out: list[tuple[int, dict]] = []
    with path.open(encoding="utf-8") as fh:
        for n, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            try:
                entry = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise PatternFileError(path, n, None, f"invalid JSON: {exc}") from exc
            missing = [k for k in ("id", *required) if k not in entry]
            if missing:
                raise PatternFileError(path, n, entry.get("id"), f"missing keys {missing}")
            out.append((n, entry))
    return out


def _compile(name: str, n: int, entry: dict, default_flags: str = "") -> re.Pattern[str]:
    flags = 0
    for ch in entry.get("flags", default_flags):
        if ch not in _FLAG_LETTERS:
            raise PatternFileError(MODELS_DIR / name, n, entry["id"], f"unknown regex flag {ch!r}")
        flags |= _FLAG_LETTERS[ch]
    try:
        return re.compile(entry["pattern"], flags)
    except re.error as exc:
        raise PatternFileError(MODELS_DIR / name, n, entry["id"], f"bad regex: {exc}") from exc


@lru_cache(maxsize=1)
def load_vocab() -> Vocab:
    """Read and validate all segmenter data files (cached)."""
    heads: dict[str, float] = {}
    post_ok: set[str] = set()
    post_of: set[str] = set()
    stops: set[str] = set()
    not_body: set[str] = set()
    council_modifiers: set[str] = set()
    for n, e in _read_jsonl("bodies.jsonl", ("type", "text")):
        t = e["type"]
        if t == "head":
            heads[e["text"]] = float(e.get("weight", 1.0))
        elif t == "post_ok":
            post_ok.add(e["text"])
        elif t == "post_of":
            post_of.add(e["text"])
        elif t == "stop":
            stops.add(e["text"].lower())
        elif t == "not_body":
            not_body.add(e["text"].lower())
        elif t == "council_modifier":
            council_modifiers.add(e["text"].lower())
        else:
            raise PatternFileError(MODELS_DIR / "bodies.jsonl", n, e["id"], f"unknown type {t!r}")

    fields: dict[str, str] = {}
    roles = {"body", "date", "time", "venue", "contact", "title", "other_date"}
    for n, e in _read_jsonl("fields.jsonl", ("label", "role")):
        if e["role"] not in roles:
            raise PatternFileError(MODELS_DIR / "fields.jsonl", n, e["id"], f"unknown role {e['role']!r}")
        fields[e["label"].lower()] = e["role"]

    page_headings: dict[str, bool] = {}
    groups: dict[str, list[re.Pattern[str]]] = {
        "title_noise": [],
        "text_noise": [],
        "minutes_label": [],
        "skip_line": [],
        "title_stop": [],
        "venue_word": [],
        "sentence_start": [],
        "reporting_verb": [],
    }
    for n, e in _read_jsonl("boilerplate.jsonl", ("type",)):
        t = e["type"]
        if t == "page_heading":
            page_headings[e["text"].lower()] = bool(e.get("single_item", False))
        elif t in groups:
            default = "m" if t in ("text_noise", "minutes_label") else ""
            groups[t].append(_compile("boilerplate.jsonl", n, e, "i" + default))  # "flags" in the entry overrides
        else:
            raise PatternFileError(MODELS_DIR / "boilerplate.jsonl", n, e["id"], f"unknown type {t!r}")

    kind_cues: list[Cue] = []
    for n, e in _read_jsonl("kind_cues.jsonl", ("kind", "scope", "weight", "pattern")):
        if e["scope"] not in ("head", "all", "title", "filename"):
            raise PatternFileError(MODELS_DIR / "kind_cues.jsonl", n, e["id"], f"unknown scope {e['scope']!r}")
        kind_cues.append(
            Cue(e["id"], e["kind"], e["scope"], float(e["weight"]), int(e.get("max", 1)),
                _compile("kind_cues.jsonl", n, e, "im"))
        )

    contexts: dict[str, list[Cue]] = {}
    for n, e in _read_jsonl("contexts.jsonl", ("type", "weight", "pattern")):
        cue = Cue(e["id"], e["type"], e.get("scope", "all"), float(e["weight"]), 1,
                  _compile("contexts.jsonl", n, e, "i"), bool(e.get("top_exempt", False)))
        contexts.setdefault(e["type"], []).append(cue)

    return Vocab(
        heads=heads,
        post_ok=frozenset(post_ok),
        post_of=frozenset(post_of),
        stops=frozenset(stops),
        not_body=frozenset(not_body),
        council_modifiers=frozenset(council_modifiers),
        fields=fields,
        page_headings=page_headings,
        title_noise=tuple(groups["title_noise"]),
        text_noise=tuple(groups["text_noise"]),
        minutes_label=tuple(groups["minutes_label"]),
        skip_line=tuple(groups["skip_line"]),
        title_stop=tuple(groups["title_stop"]),
        venue_word=tuple(groups["venue_word"]),
        sentence_start=tuple(groups["sentence_start"]),
        reporting_verb=tuple(groups["reporting_verb"]),
        kind_cues=tuple(kind_cues),
        contexts={k: tuple(v) for k, v in contexts.items()},
    )
