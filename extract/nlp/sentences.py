"""Sentence boundaries that follow the layout of minutes.

Minutes are not prose: one line may be a heading, a bullet, an "Action:"
marker, a signature line or a list of names, and a PDF wraps long sentences
over several lines. spaCy's punctuation sentencizer gets both wrong, so this
component decides per token from the text between it and the previous word:

* a blank line always ends a sentence;
* a single line break ends one when the next line starts a bullet, a numbered
  point or a label such as "Action:", when the line ends with ":" or with
  sentence punctuation, or when the line is short (a heading, a name or a
  title line); a long line is taken as wrapped text and the sentence runs on;
* ". ! ?" end a sentence before a capital, a digit or a bullet, except after
  abbreviations ("Mr.", "Cllr.", "e.g.", "No.") and initials ("R. W. Gough").

The cue lists (abbreviations, bullets, line labels) are data in
``models/patterns/sentences.jsonl``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from .pipeline import resolve_model_path

_FINAL = frozenset({".", "!", "?", "…"})
_CLOSERS = frozenset({'"', "'", "”", "’", ")", "]"})
# A line ending in one of these runs on into the next line even when short.
_CONTINUATION = frozenset(
    {",", "and", "&", "-", "of", "the", "to", "for", "or", "with", "in", "on", "by", "a", "an"}
)


@dataclass(frozen=True)
class SentenceRules:
    """Cue words from ``sentences.jsonl``, lower-cased."""

    abbreviations: frozenset[str]
    bullets: frozenset[str]
    line_labels: frozenset[str]


def read_jsonl(paths: Iterable[Path]) -> list[dict]:
    """Rows of JSONL pattern files; every row needs ``label`` and ``pattern``."""
    rows: list[dict] = []
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                row = json.loads(line)
                if not isinstance(row, dict) or "label" not in row or "pattern" not in row:
                    raise ValueError(
                        f"{path}:{n}: a pattern row needs 'label' and 'pattern': {line.strip()[:80]}"
                    )
                rows.append(row)
    return rows


def expand_patterns(spec: str) -> list[Path]:
    """Files named by a config value: a path or a glob, relative to ``models/``."""
    path = resolve_model_path(spec)
    if any(ch in path.name for ch in "*?["):
        files = sorted(path.parent.glob(path.name))
    else:
        files = [path] if path.is_file() else []
    if not files:
        raise FileNotFoundError(f"no pattern file matches {spec!r} (looked for {path})")
    return files


@lru_cache(maxsize=8)
def load_sentence_rules(patterns: str) -> SentenceRules:
    rows = read_jsonl(expand_patterns(patterns))

    def of(label: str) -> frozenset[str]:
        return frozenset(str(r["pattern"]).lower() for r in rows if r["label"] == label)

    return SentenceRules(of("ABBREV"), of("BULLET"), of("LINE_LABEL"))


def _at_line_start(doc: Doc, j: int) -> bool:
    """Is token ``j`` the first word on its line?"""
    if j == 0:
        return True
    prev = doc[j - 1]
    return "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text)


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, (len(text) if end < 0 else end)


def _starts_numbered_point(doc: Doc, i: int) -> bool:
    """ "1." "2)" "(a)" "a." "iv)" at the start of a line."""
    t = doc[i].text
    nxt = doc[i + 1].text if i + 1 < len(doc) else ""
    if t == "(" and i + 2 < len(doc) and doc[i + 2].text == ")" and len(doc[i + 1].text) <= 4:
        return True
    if t.isdigit() and len(t) <= 3 and nxt in {".", ")"}:
        return True
    if len(t) <= 4 and t.rstrip(".)").isalnum() and t[-1:] in {".", ")"} and len(t) >= 2:
        return True
    return bool(len(t) == 1 and t.isalpha() and nxt in {".", ")"})


def set_sentence_starts(doc: Doc, rules: SentenceRules, short_line: int = 50) -> Doc:
    """Mark ``is_sent_start`` on every token of ``doc`` (see the module docstring)."""
    n = len(doc)
    if n == 0:
        return doc
    text = doc.text
    starts = numpy.full((n, 1), -1, dtype="int64")  # 1 starts a sentence, -1 does not
    starts[0, 0] = 1
    prev = -1  # index of the previous non-space token
    for i, tok in enumerate(doc):
        if tok.is_space:
            continue
        if prev < 0 or _boundary(doc, text, prev, i, rules, short_line):
            starts[i, 0] = 1
        prev = i
    # one array write: setting Token.is_sent_start token by token re-checks the whole doc each time
    doc.from_array([SENT_START], starts.astype("uint64"))
    return doc


def _final_punct(doc: Doc, p: int, rules: SentenceRules) -> bool:
    """Does the token at ``p`` end a sentence by punctuation (not an abbreviation or initial)?"""
    t = doc[p].text
    if t in _CLOSERS and p > 0 and not doc[p - 1].whitespace_:
        return _final_punct(doc, p - 1, rules)
    if t in {"!", "?", "…"}:
        return True
    if t == ".":
        if p == 0:
            return False
        before = doc[p - 1]
        if before.whitespace_:
            return True
        word = before.text.lower()
        if word in rules.abbreviations:
            return False
        if (word.isdigit() and len(word) <= 3 or len(word) == 1) and _at_line_start(doc, p - 1):
            return False  # "1." "a." list labels
        return not (len(before.text) == 1 and before.text.isupper())
    if t.endswith(".") and len(t) > 1:
        # tokenizer kept the dot: "Mr." "e.g." "R.W." are abbreviations, "etc." may end a sentence
        stem = t[:-1].lower()
        if stem in rules.abbreviations or "." in stem or (len(stem) == 1 and stem.isalpha()):
            return False
        return stem in {"etc", "ltd", "plc", "inc"}
    return False


def _boundary(doc: Doc, text: str, p: int, i: int, rules: SentenceRules, short_line: int) -> bool:
    prev_tok, tok = doc[p], doc[i]
    gap = text[prev_tok.idx + len(prev_tok.text) : tok.idx]
    breaks = gap.count("\n")
    t = tok.text
    if breaks >= 2:
        return True
    final = _final_punct(doc, p, rules)
    if breaks == 1:
        if final or prev_tok.text in {":", ";"}:
            return True
        if t.lower() in rules.bullets and (t != "o" or tok.whitespace_):
            return True
        if _starts_numbered_point(doc, i):
            return True
        nxt = doc[i + 1].text if i + 1 < len(doc) else ""
        if nxt == ":" and t.lower() in rules.line_labels:
            return True
        if t.isupper() and len(t) > 3 and t.isalpha():
            return True  # "RESOLVED", "PRESENT:" headings
        ls, le = _line_bounds(text, prev_tok.idx)
        line = text[ls:le].strip()
        if len(line) < short_line and prev_tok.lower_ not in _CONTINUATION:
            return t[:1].isupper() or t[:1].isdigit() or t[:1] in "\"'“‘(£$"
        return False
    if final:
        return t[:1].isupper() or t[:1].isdigit() or t[:1] in "\"'“‘(£$" or t.lower() in rules.bullets
    # an inline bullet after a run of spaces
    return t in {"·", "•", "▪", "●", "■", "➢", "►"} and gap.count(" ") >= 2


class MinutesSentences:
    """spaCy component: sets ``Token.is_sent_start`` for the whole doc."""

    def __init__(self, nlp: Language, name: str, patterns: str, short_line: int) -> None:
        self.name = name
        self.rules = load_sentence_rules(patterns)
        self.short_line = short_line

    def __call__(self, doc: Doc) -> Doc:
        return set_sentence_starts(doc, self.rules, self.short_line)


@Language.factory(
    "minutes_sentences",
    default_config={"patterns": "patterns/sentences.jsonl", "short_line": 50},
    assigns=["token.is_sent_start"],
)
def make_minutes_sentences(nlp: Language, name: str, patterns: str, short_line: int) -> MinutesSentences:
    """Layout-aware sentence boundaries; ``patterns`` is relative to ``models/``."""
    return MinutesSentences(nlp, name, patterns, short_line)
