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
from typing import NamedTuple

import numpy
from spacy.attrs import IDX, IS_SPACE, LENGTH, SENT_START, SPACY
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


def read_jsonl(paths: Iterable[Path], required: tuple[str, ...] = ("label", "pattern")) -> list[dict]:
    """Rows of JSONL pattern files, shared by every rule component.

    Errors name the file and line: a row that is not JSON, or lacks a
    ``required`` key.
    """
    rows: list[dict] = []
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path}:{n}: invalid JSON in pattern file: {exc}") from exc
                if not isinstance(row, dict) or any(k not in row for k in required):
                    raise ValueError(
                        f"{path}:{n}: a pattern row needs {', '.join(map(repr, required))}: {line.strip()[:80]}"
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


class TokenArrays(NamedTuple):
    """Plain lists of what the rules read from each token of a doc.

    Reading ``Token`` attributes creates a Python ``Token`` object per access,
    and ``Doc.text`` joins every token again on each read: over a whole
    archive that was a fifth of the NLP time. One ``Doc.to_array`` call and a
    few list comprehensions give the same values for the cost of one pass.
    ``txt[i]``, ``low[i]``, ``idx[i]``, ``ws[i]`` and ``space[i]`` equal
    ``doc[i].text``, ``.lower_``, ``.idx``, ``.whitespace_`` and ``.is_space``;
    ``end[i]`` is ``idx[i] + len(txt[i])``. (A named tuple, so a doc whose
    ``user_data`` holds it still serialises.)
    """

    text: str
    n: int
    idx: list[int]
    end: list[int]
    txt: list[str]
    low: list[str]
    ws: list[str]
    space: list[bool]


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per doc and kept in ``doc.user_data["text"]``.

    :func:`extract.nlp.run_nlp` puts each chunk's text there before the
    pipeline runs (``nlp.make_doc`` keeps the text exactly, so it equals
    ``doc.text``); for a doc made elsewhere it is built here on first use.
    """
    text = doc.user_data.get("text")
    if text is None:
        text = doc.text
        doc.user_data["text"] = text
    return text


def token_arrays(doc: Doc) -> TokenArrays:
    """The :class:`TokenArrays` of ``doc``, built once and kept in ``doc.user_data``."""
    cached = doc.user_data.get("token_arrays")
    if isinstance(cached, TokenArrays) and cached.n == len(doc):
        return cached
    text = doc_text(doc)
    n = len(doc)
    if n:
        arr = doc.to_array([IDX, LENGTH, SPACY, IS_SPACE])
        idx = arr[:, 0].tolist()
        lengths = arr[:, 1].tolist()
        ws = [" " if s else "" for s in arr[:, 2].tolist()]
        space = [bool(s) for s in arr[:, 3].tolist()]
    else:
        idx, lengths, ws, space = [], [], [], []
    end = [i + k for i, k in zip(idx, lengths, strict=True)]
    txt = [text[a:b] for a, b in zip(idx, end, strict=True)]
    out = TokenArrays(text, n, idx, end, txt, [t.lower() for t in txt], ws, space)
    doc.user_data["token_arrays"] = out
    return out


def doc_sentence_spans(doc: Doc) -> list[tuple[int, int]] | None:
    """Character spans of the doc's non-blank sentences as ``minutes_sentences`` set them.

    Equal to ``[(s.start_char, s.end_char) for s in doc.sents if s.text.strip()]``
    without building a ``Span`` per sentence; None when the sentence component
    has not run on this doc (callers then split sentences themselves). Each
    call returns a new list, so a caller may change it.
    """
    spans = doc.user_data.get("sent_spans")
    if spans is None:
        if not doc.has_annotation("SENT_START"):
            return None
        text = doc_text(doc)
        spans = [(s.start_char, s.end_char) for s in doc.sents if text[s.start_char : s.end_char].strip()]
        doc.user_data["sent_spans"] = spans
    return [(a, b) for a, b in spans]


def _at_line_start(tk: TokenArrays, j: int) -> bool:
    """Is token ``j`` the first word on its line?"""
    if j == 0:
        return True
    return tk.space[j - 1] and "\n" in tk.txt[j - 1]


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, (len(text) if end < 0 else end)


def _starts_numbered_point(tk: TokenArrays, i: int) -> bool:
    """ "1." "2)" "(a)" "a." "iv)" at the start of a line."""
    txt = tk.txt
    t = txt[i]
    nxt = txt[i + 1] if i + 1 < tk.n else ""
    if t == "(" and i + 2 < tk.n and txt[i + 2] == ")" and len(txt[i + 1]) <= 4:
        return True
    if t.isdigit() and len(t) <= 3 and nxt in {".", ")"}:
        return True
    if len(t) <= 4 and t.rstrip(".)").isalnum() and t[-1:] in {".", ")"} and len(t) >= 2:
        return True
    return bool(len(t) == 1 and t.isalpha() and nxt in {".", ")"})


def set_sentence_starts(doc: Doc, rules: SentenceRules, short_line: int = 50) -> Doc:
    """Mark ``is_sent_start`` on every token of ``doc`` (see the module docstring).

    Also leaves in ``doc.user_data``: ``"sent_tokens"``, the index of the first
    token of every sentence, and ``"sent_spans"``, the character spans of the
    non-blank sentences (see :func:`doc_sentence_spans`), so later components
    need not walk ``doc.sents`` again.
    """
    n = len(doc)
    if n == 0:
        doc.user_data["sent_tokens"] = []
        doc.user_data["sent_spans"] = []
        return doc
    tk = token_arrays(doc)
    text = tk.text
    space = tk.space
    first = [0]
    prev = -1  # index of the previous non-space token
    for i in range(n):
        if space[i]:
            continue
        if i and (prev < 0 or _boundary(tk, text, prev, i, rules, short_line)):
            first.append(i)
        prev = i
    starts = numpy.full((n, 1), -1, dtype="int64")  # 1 starts a sentence, -1 does not
    starts[first, 0] = 1
    # one array write: setting Token.is_sent_start token by token re-checks the whole doc each time
    doc.from_array([SENT_START], starts.astype("uint64"))
    idx, end = tk.idx, tk.end
    spans = []
    for k, a in enumerate(first):
        b = first[k + 1] - 1 if k + 1 < len(first) else n - 1
        s, e = idx[a], end[b]
        if text[s:e].strip():
            spans.append((s, e))
    doc.user_data["sent_tokens"] = first
    doc.user_data["sent_spans"] = spans
    return doc


def _final_punct(tk: TokenArrays, p: int, rules: SentenceRules) -> bool:
    """Does the token at ``p`` end a sentence by punctuation (not an abbreviation or initial)?"""
    t = tk.txt[p]
    if t in _CLOSERS and p > 0 and not tk.ws[p - 1]:
        return _final_punct(tk, p - 1, rules)
    if t in {"!", "?", "…"}:
        return True
    if t == ".":
        if p == 0:
            return False
        if tk.ws[p - 1]:
            return True
        before = tk.txt[p - 1]
        word = before.lower()
        if word in rules.abbreviations:
            return False
        if (word.isdigit() and len(word) <= 3 or len(word) == 1) and _at_line_start(tk, p - 1):
            return False  # "1." "a." list labels
        return not (len(before) == 1 and before.isupper())
    if t.endswith(".") and len(t) > 1:
        # tokenizer kept the dot: "Mr." "e.g." "R.W." are abbreviations, "etc." may end a sentence
        stem = t[:-1].lower()
        if stem in rules.abbreviations or "." in stem or (len(stem) == 1 and stem.isalpha()):
            return False
        return stem in {"etc", "ltd", "plc", "inc"}
    return False


def _boundary(tk: TokenArrays, text: str, p: int, i: int, rules: SentenceRules, short_line: int) -> bool:
    gap = text[tk.end[p] : tk.idx[i]]
    breaks = gap.count("\n")
    t = tk.txt[i]
    if breaks >= 2:
        return True
    final = _final_punct(tk, p, rules)
    if breaks == 1:
        prev_text = tk.txt[p]
        if final or prev_text in {":", ";"}:
            return True
        t_low = tk.low[i]
        if t_low in rules.bullets and (t != "o" or tk.ws[i]):
            return True
        if _starts_numbered_point(tk, i):
            return True
        nxt = tk.txt[i + 1] if i + 1 < tk.n else ""
        if nxt == ":" and t_low in rules.line_labels:
            return True
        if t.isupper() and len(t) > 3 and t.isalpha():
            return True  # "RESOLVED", "PRESENT:" headings
        ls, le = _line_bounds(text, tk.idx[p])
        line = text[ls:le].strip()
        if len(line) < short_line and tk.low[p] not in _CONTINUATION:
            return t[:1].isupper() or t[:1].isdigit() or t[:1] in "\"'“‘(£$"
        return False
    if final:
        return t[:1].isupper() or t[:1].isdigit() or t[:1] in "\"'“‘(£$" or tk.low[i] in rules.bullets
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
