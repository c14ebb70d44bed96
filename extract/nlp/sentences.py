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

import bisect
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from typing import NamedTuple

import numpy
from spacy.attrs import IDX, IS_SPACE, ORTH, SENT_START, SPACY
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

from .pipeline import resolve_model_path

_FINAL = frozenset({".", "!", "?", "…"})
_CLOSERS = frozenset({'"', "'", "”", "’", ")", "]"})
_MAY_END = _FINAL | _CLOSERS
"""Last characters of the words :func:`_final_punct` can accept (most line ends are plain words)."""
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

    Equal words are one string object (see :func:`_texts_by_hash`). ``low``
    is None in the arrays the sentence component keeps, whose readers
    lower-case the few tokens they test (``LOWER[txt[i]]``);
    :func:`token_arrays` fills it in.
    """

    text: str
    n: int
    idx: list[int]
    end: list[int]
    txt: list[str]
    low: list[str] | None
    ws: list[str]
    space: list[bool]


_COLUMNS = [IDX, SPACY, IS_SPACE, ORTH]
"""What :func:`_columns_of` reads from spaCy; a token's length follows from the next token's ``IDX``."""


class _Columns(NamedTuple):
    """Per-token numpy columns of one or more docs laid end to end.

    ``idx`` and ``end`` are offsets into the docs' texts joined in order;
    ``base`` is the offset of each token's own doc in that joined text, so
    ``idx - base`` are the doc's own offsets (``Token.idx``); None for one doc.
    """

    idx: numpy.ndarray
    end: numpy.ndarray
    spacy: numpy.ndarray
    space: numpy.ndarray
    base: numpy.ndarray | None
    orth: numpy.ndarray


def _columns_of(docs: Sequence[Doc], texts: Sequence[str]) -> _Columns:
    """:class:`_Columns` of non-empty ``docs`` (with texts ``texts``), one ``Doc.to_array`` call each.

    A Doc places each token right after the previous one and its trailing
    space (``idx[i + 1] == idx[i] + len(txt[i]) + spacy[i]``, the first token
    at 0, the last ending the text), so the ends need no ``LENGTH`` column,
    and in the joined text a doc's last token ends where the next doc starts.
    """
    if len(docs) == 1:
        arr = docs[0].to_array(_COLUMNS).reshape(len(docs[0]), len(_COLUMNS))
        base = None
        idx = arr[:, 0].astype(numpy.int64)
    else:
        ns = [len(doc) for doc in docs]
        arr = numpy.concatenate(
            [doc.to_array(_COLUMNS).reshape(n, len(_COLUMNS)) for doc, n in zip(docs, ns, strict=True)]
        )
        starts = numpy.array([0, *accumulate(map(len, texts[:-1]))], dtype=numpy.int64)
        base = numpy.repeat(starts, ns)
        idx = arr[:, 0].astype(numpy.int64) + base
    spacy = arr[:, 1].astype(bool)
    end = numpy.empty(len(idx), dtype=numpy.int64)
    end[:-1] = idx[1:]
    if len(end):
        end[-1] = len(texts[0]) if len(texts) == 1 else sum(map(len, texts))
    end -= spacy
    return _Columns(idx, end, spacy, arr[:, 2].astype(bool), base, arr[:, 3])


_WHITESPACE = numpy.array(["", " "], dtype=object)


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


def _cached_arrays(doc: Doc) -> TokenArrays | None:
    cached = doc.user_data.get("token_arrays")
    return cached if isinstance(cached, TokenArrays) and cached.n == len(doc) else None


def _build_arrays(doc: Doc, cols: _Columns) -> TokenArrays:
    """The :class:`TokenArrays` of ``doc`` from its :class:`_Columns` (of it alone), kept in ``doc.user_data``."""
    return _make_arrays(
        doc,
        doc_text(doc),
        cols.idx.tolist(),
        cols.end.tolist(),
        _WHITESPACE[cols.spacy.view(numpy.uint8)].tolist(),
        cols.space.tolist(),
        cols.orth.tolist(),
    )


def _make_arrays(
    doc: Doc, text: str, idx: list[int], end: list[int], ws: list[str], space: list[bool], orth: list[int]
) -> TokenArrays:
    """The :class:`TokenArrays` of ``doc`` (``low`` left None) from its offsets, trailing spaces,
    space flags and ``ORTH`` hashes, kept in ``doc.user_data``."""
    out = TokenArrays(text, len(idx), idx, end, _texts_by_hash(orth, text, idx, end), None, ws, space)
    doc.user_data["token_arrays"] = out
    return out


_TEXTS: dict[int, str] = {}
"""Token text by ``ORTH`` hash, for every word met so far (see :func:`_texts_by_hash`)."""
_TABLE_MAX = 500_000
"""Entries a table of words keeps before it starts again (memory stays flat over a long batch)."""


def _texts_by_hash(orth: list[int], text: str, idx: list[int], end: list[int]) -> list[str]:
    """The text of each token, found by its ``ORTH`` hash.

    Minutes repeat a few thousand words over and over: looking each token up
    by its hash (one C-level ``map``) costs less than slicing the text at
    every token, and gives every occurrence of a word the same string object,
    whose hash the later set and dict lookups then reuse. The hash identifies
    the string (spaCy's ``StringStore`` relies on it), so an entry is valid
    for any doc; a word not in the table yet is sliced from ``text`` (its
    token's text by definition) and added.
    """
    table = _TEXTS
    out = list(map(table.get, orth))
    if None in out:
        if len(table) >= _TABLE_MAX:
            table.clear()
        i = out.index(None)
        try:
            while True:
                word = table.get(orth[i])  # (met earlier in this doc)
                if word is None:
                    word = table[orth[i]] = text[idx[i] : end[i]]
                out[i] = word
                i = out.index(None, i + 1)
        except ValueError:
            pass
    return out


class _LowerCase(dict):
    """``word.lower()`` by word, kept: ``LOWER[word]``."""

    def __missing__(self, word: str) -> str:
        if len(self) >= _TABLE_MAX:
            self.clear()
        low = self[word] = word.lower()
        return low


LOWER: dict[str, str] = _LowerCase()
"""``LOWER[word] == word.lower()``, one string object per word (its hash computed once).

The rule components test a lower-cased token against word lists at a few
places per sentence: looking the (shared) token text up here costs less than
lower-casing every token of every doc in advance.
"""


def token_arrays(doc: Doc, low: bool = True) -> TokenArrays:
    """The :class:`TokenArrays` of ``doc``, built once and kept in ``doc.user_data``.

    With ``low`` False, ``low`` may be None (the pipeline's components read
    ``LOWER[txt[i]]`` for the few tokens they test; see :class:`TokenArrays`).
    """
    tk = _cached_arrays(doc) or _build_arrays(doc, _columns_of([doc], [doc_text(doc)]))
    if low and tk.low is None:
        tk = tk._replace(low=list(map(LOWER.__getitem__, tk.txt)))
        doc.user_data["token_arrays"] = tk
    return tk


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
    return list(spans)  # (a new list of the same immutable pairs)


def sentences_holding(
    text: str, sents: Sequence[tuple[int, int]], literals: Iterable[str]
) -> dict[int, set[str]] | None:
    """For each sentence ``text[a:b]`` holding one of ``literals``, its index and the literals it holds.

    The rule components search each sentence with cue regexes that need a
    literal word in any match (:func:`extract.rx.literals.required_literals`);
    finding where each literal occurs once per chunk, instead of testing every
    sentence for every cue, leaves only the sentences a cue can match.
    ``sents`` must be sorted and disjoint (as the sentence component makes
    them); None when they are not (test each sentence then).
    """
    starts = [a for a, _b in sents]
    prev_end = 0
    for a, b in sents:
        if a < prev_end or b < a:
            return None
        prev_end = b
    out: dict[int, set[str]] = {}
    for lit in set(literals):
        if not lit:
            for k in range(len(sents)):
                out.setdefault(k, set()).add(lit)
            continue
        size = len(lit)
        pos = text.find(lit)
        while pos >= 0:
            k = bisect.bisect_right(starts, pos) - 1
            if k >= 0 and pos + size <= sents[k][1]:
                out.setdefault(k, set()).add(lit)
            pos = text.find(lit, pos + 1)
    return out


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


def _end_classes() -> numpy.ndarray:
    """A lookup table by code point: 1 for a sentence-final character (``_FINAL``), 2 for a
    closing quote or bracket (``_CLOSERS``), else 0; its last entry (every larger code point) is 0."""
    chars = _FINAL | _CLOSERS
    table = numpy.zeros(max(map(ord, chars)) + 2, dtype=numpy.uint8)
    table[[ord(c) for c in _FINAL]] = 1
    table[[ord(c) for c in _CLOSERS]] = 2
    return table


_END_CLASS = _end_classes()


def _code_points(text: str) -> numpy.ndarray:
    """The code point of each character of ``text`` (spaCy offsets count characters, as Python does)."""
    return numpy.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=numpy.uint32)


_UPPER_LIMIT = 0x0590
"""Code points below this (Latin, Greek, Cyrillic, Armenian) are in :data:`_UPPER_TABLE`."""
_UPPER_TABLE = numpy.array([chr(c).isupper() for c in range(_UPPER_LIMIT)] + [False], dtype=bool)


def _capitalised(cols: _Columns, codes: numpy.ndarray) -> numpy.ndarray:
    """Indices of the tokens whose first character is a capital (``txt[i][:1].isupper()``).

    One table lookup per token; the few tokens starting past the table
    (dashes, quotes, bullets: rarely a capital) are tested one by one.
    """
    if not len(codes):
        return numpy.zeros(0, dtype=numpy.intp)
    first = codes.take(cols.idx, mode="clip")  # (clip: an index past the text reads its last character)
    upper = _UPPER_TABLE.take(first, mode="clip")
    past = numpy.flatnonzero(first >= _UPPER_LIMIT)
    if len(past):
        capitals = [i for i, c in zip(past.tolist(), first[past].tolist(), strict=True) if chr(c).isupper()]
        if capitals:
            upper[capitals] = True
    empty = cols.end <= cols.idx
    if empty.any():
        upper &= ~empty
    return numpy.flatnonzero(upper)


def capitalised_tokens(doc: Doc) -> list[int]:
    """Indices of the tokens of ``doc`` that start with a capital letter, in order.

    The sentence component leaves them in ``doc.user_data["cap_tokens"]``
    (found with one array pass); for a doc it did not see they are found here.
    """
    caps = doc.user_data.get("cap_tokens")
    if caps is None:
        caps = [i for i, t in enumerate(token_arrays(doc, low=False).txt) if t[:1].isupper()]
        doc.user_data["cap_tokens"] = caps
    return caps


def _boundary_candidates(cols: _Columns, codes: numpy.ndarray, doc_starts: Sequence[int] = (0,)) -> numpy.ndarray:
    """Indices of the tokens that may start a sentence (all but the first of each doc, ``doc_starts``).

    A word right after another word (no space token between) is separated
    from it by at most one space, so it starts a sentence only when that word
    ends one by punctuation (ends in ". ! ? …" or is a closing quote or
    bracket): only words after a space token or after a possible sentence end
    need the full rule, about one word in ten.
    """
    n = len(cols.idx)
    if n < 2:
        return numpy.zeros(0, dtype=numpy.intp)
    length = cols.end - cols.idx
    space = cols.space
    if len(codes):  # (clip: the last character of a token, the first of the text for an empty one at 0)
        end_class = _END_CLASS.take(codes.take(cols.end - 1, mode="clip"), mode="clip")
    else:
        end_class = numpy.zeros(n, dtype=numpy.uint8)
    final = ((end_class == 1) & (length > 0)) | ((end_class == 2) & (length == 1))
    may_start = numpy.empty(n, dtype=bool)
    may_start[1:] = ~space[1:] & (space[:-1] | final[:-1])
    may_start[doc_starts[0] if len(doc_starts) == 1 else list(doc_starts)] = False
    return numpy.flatnonzero(may_start)


def set_sentence_starts(doc: Doc, rules: SentenceRules, short_line: int = 50) -> Doc:
    """Mark ``is_sent_start`` on every token of ``doc`` (see the module docstring).

    Also leaves in ``doc.user_data``: ``"sent_tokens"``, the index of the first
    token of every sentence, and ``"sent_spans"``, the character spans of the
    non-blank sentences (see :func:`doc_sentence_spans`), so later components
    need not walk ``doc.sents`` again; and ``"cap_tokens"`` (see
    :func:`capitalised_tokens`), found in the same array pass.
    """
    set_sentence_starts_many([doc], rules, short_line)
    return doc


def set_sentence_starts_many(docs: Iterable[Doc], rules: SentenceRules, short_line: int = 50) -> None:
    """:func:`set_sentence_starts` for several docs, with one array pass over all of them.

    A document is cut into chunks of a few hundred tokens (agenda items), and
    each numpy call costs about a microsecond whatever its size: over a
    chunk at a time the fixed costs were a third of this component.
    """
    todo: list[Doc] = []
    for doc in docs:
        if len(doc):
            todo.append(doc)
        else:
            doc.user_data["sent_tokens"] = []
            doc.user_data["sent_spans"] = []
            doc.user_data["cap_tokens"] = []
    if not todo:
        return
    texts = [doc_text(doc) for doc in todo]
    tok_starts = [0, *accumulate(len(doc) for doc in todo)]
    cols = _columns_of(todo, texts)
    joined = texts[0] if len(texts) == 1 else "".join(texts)
    codes = _code_points(joined)
    caps = _capitalised(cols, codes)
    cands = _boundary_candidates(cols, codes, tok_starts[:-1])
    if len(todo) == 1:
        local_idx, local_end = cols.idx, cols.end
        caps_local, cands_local = caps.tolist(), cands.tolist()
        caps_cut, cands_cut = [0, len(caps_local)], [0, len(cands_local)]
    else:  # token indices and offsets in each doc's own terms, and where each doc's share starts
        local_idx, local_end = cols.idx - cols.base, cols.end - cols.base
        tok_base = numpy.repeat(numpy.array(tok_starts[:-1], dtype=numpy.int64), numpy.diff(tok_starts))
        caps_local, cands_local = (caps - tok_base[caps]).tolist(), (cands - tok_base[cands]).tolist()
        caps_cut = numpy.searchsorted(caps, tok_starts).tolist()
        cands_cut = numpy.searchsorted(cands, tok_starts).tolist()
    idx_all, end_all = local_idx.tolist(), local_end.tolist()
    ws_all = _WHITESPACE[cols.spacy.view(numpy.uint8)].tolist()
    space_all = cols.space.tolist()
    orth_all = cols.orth.tolist()
    starts = numpy.full((tok_starts[-1], 1), _NOT_START, dtype=numpy.uint64)  # 1 starts a sentence, -1 does not
    heads: list[int] = []
    for k, doc in enumerate(todo):
        lo, hi = tok_starts[k], tok_starts[k + 1]
        tk = _cached_arrays(doc) or _make_arrays(
            doc, texts[k], idx_all[lo:hi], end_all[lo:hi], ws_all[lo:hi], space_all[lo:hi], orth_all[lo:hi]
        )
        doc.user_data["cap_tokens"] = caps_local[caps_cut[k] : caps_cut[k + 1]]
        first = _sentence_firsts(tk, cands_local[cands_cut[k] : cands_cut[k + 1]], rules, short_line)
        doc.user_data["sent_tokens"] = first
        heads.extend([lo + f for f in first] if lo else first)
    starts[heads, 0] = 1
    if len(todo) == 1:  # (the one doc's few sentences: a loop costs less than the array calls)
        spans = [_sentence_spans(tk, first)]
    else:
        heads_arr = numpy.array(heads, dtype=numpy.intp)
        spans = _sentence_spans_many(heads_arr, local_idx, local_end, cols.space, texts, tok_starts)
    for k, doc in enumerate(todo):
        doc.user_data["sent_spans"] = spans[k]
        # one array write per doc: setting Token.is_sent_start token by token re-checks the whole doc each time
        doc.from_array([SENT_START], starts[tok_starts[k] : tok_starts[k + 1]])


_NOT_START = numpy.uint64(2**64 - 1)
"""-1 as the unsigned value ``Doc.from_array`` takes: "not a sentence start"."""


def _sentence_spans(tk: TokenArrays, first: list[int]) -> list[tuple[int, int]]:
    """Character spans of the non-blank sentences starting at the tokens ``first`` (one doc).

    A sentence whose first token is a word (not a space token, not empty)
    is not blank: only the others (at most the first sentence of a
    tokenised text) need their text tested.
    """
    idx, end, space, text = tk.idx, tk.end, tk.space, tk.text
    last = tk.n - 1
    spans = []
    for k, a in enumerate(first):
        b = first[k + 1] - 1 if k + 1 < len(first) else last
        s, e = idx[a], end[b]
        if (not space[a] and end[a] > s) or text[s:e].strip():
            spans.append((s, e))
    return spans


def _sentence_spans_many(
    heads: numpy.ndarray,
    idx: numpy.ndarray,
    end: numpy.ndarray,
    space: numpy.ndarray,
    texts: Sequence[str],
    tok_starts: Sequence[int],
) -> list[list[tuple[int, int]]]:
    """Per doc, the character spans of its non-blank sentences (:func:`_sentence_spans` of a batch).

    ``heads`` are the first tokens of all sentences of docs laid end to end
    (``tok_starts``: where each doc's tokens start; every doc's first token is
    a head), ``idx``/``end``/``space`` the token columns with offsets in each
    doc's own text (``texts``). A sentence runs from its head to the token
    before the next head. One whose first token is a word (not a space token,
    not empty) is not blank: only the others (at most the first sentence of a
    tokenised text) need their text tested.
    """
    n = tok_starts[-1]
    last = numpy.empty_like(heads)
    last[:-1] = heads[1:] - 1
    last[-1:] = n - 1
    s, e = idx[heads], end[last]
    maybe_blank = numpy.flatnonzero(space[heads] | (end[heads] <= s)).tolist()
    pairs = list(zip(s.tolist(), e.tolist(), strict=True))
    cut = numpy.searchsorted(heads, tok_starts).tolist()
    out = [pairs[cut[k] : cut[k + 1]] for k in range(len(texts))]
    for j in reversed(maybe_blank):  # (from the back: deleting keeps the earlier positions)
        k = bisect.bisect_right(cut, j) - 1
        a, b = pairs[j]
        if not texts[k][a:b].strip():
            del out[k][j - cut[k]]
    return out


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


_INLINE_BULLETS = frozenset({"·", "•", "▪", "●", "■", "➢", "►"})


def _opens_sentence(t: str) -> bool:
    """May ``t`` open a sentence after a sentence end or a short line (capital, digit, quote, "(£$")?"""
    return t[:1].isupper() or t[:1].isdigit() or t[:1] in "\"'“‘(£$"


def _sentence_firsts(tk: TokenArrays, candidates: list[int], rules: SentenceRules, short_line: int) -> list[int]:
    """Token 0 and every candidate where a sentence starts, in order.

    The boundary rule (its plain, token-by-token form is the reference in
    tests/test_nlp_people.py), with its tests ordered cheapest first
    and each skipped when its answer cannot change the outcome: the line
    length is measured only for a word that may open a sentence, and the
    previous word's punctuation is read only when the word could follow one.
    """
    text, n, txt, ws, space, idx, end = tk.text, tk.n, tk.txt, tk.ws, tk.space, tk.idx, tk.end
    lower = LOWER
    bullets, labels = rules.bullets, rules.line_labels
    first = [0]
    append = first.append
    for i in candidates:
        p = i - 1  # the previous non-space token
        while p >= 0 and space[p]:
            p -= 1
        if p < 0:
            append(i)
            continue
        a, b = end[p], idx[i]
        # (next to each other, two words have at most one space between them: line breaks are space tokens)
        breaks = text.count("\n", a, b) if p + 1 < i else 0
        if breaks >= 2:
            append(i)
            continue
        t = txt[i]
        if breaks == 1:
            pt = txt[p]
            if pt == ":" or pt == ";" or (pt[-1:] in _MAY_END and _final_punct(tk, p, rules)):
                append(i)
                continue
            t_low = lower[t]
            if (
                (t_low in bullets and (t != "o" or ws[i]))
                or (len(t) <= 4 and _starts_numbered_point(tk, i))  # (no point label is longer)
                or (t_low in labels and i + 1 < n and txt[i + 1] == ":")
                or (t.isupper() and len(t) > 3 and t.isalpha())
            ):
                append(i)
                continue
            if _opens_sentence(t) and lower[txt[p]] not in _CONTINUATION:
                ls, le = _line_bounds(text, idx[p])
                if len(text[ls:le].strip()) < short_line:
                    append(i)
            continue
        # on the same line: after a sentence end, or an inline bullet after a run of spaces
        opens = _opens_sentence(t) or lower[t] in bullets
        inline = t in _INLINE_BULLETS
        if not (opens or inline):
            continue
        if _final_punct(tk, p, rules):
            if opens:
                append(i)
        elif inline and text.count(" ", a, b) >= 2:
            append(i)
    return first


class MinutesSentences:
    """spaCy component: sets ``Token.is_sent_start`` for the whole doc."""

    def __init__(self, nlp: Language, name: str, patterns: str, short_line: int) -> None:
        self.name = name
        self.rules = load_sentence_rules(patterns)
        self.short_line = short_line

    def __call__(self, doc: Doc) -> Doc:
        return set_sentence_starts(doc, self.rules, self.short_line)

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        """``nlp.pipe`` hands docs over in batches: their array passes run once per batch."""
        for batch in minibatch(docs, size=batch_size):
            set_sentence_starts_many(batch, self.rules, self.short_line)
            yield from batch


@Language.factory(
    "minutes_sentences",
    default_config={"patterns": "patterns/sentences.jsonl", "short_line": 50},
    assigns=["token.is_sent_start"],
)
def make_minutes_sentences(nlp: Language, name: str, patterns: str, short_line: int) -> MinutesSentences:
    """Layout-aware sentence boundaries; ``patterns`` is relative to ``models/``."""
    return MinutesSentences(nlp, name, patterns, short_line)


# ------------------------------------------------------------------- fallback splitter
# For text that did not go through the pipeline (action tracking reads stored document text;
# tests and scripts call the extractors on plain strings). One splitter for every component.

_ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Cllr|Prof|Supt|Insp|Sgt|St|No|Nos|vs|etc|e\.g|eg|i\.e|ie|approx|para|paras|Rev|Revd"
    r"|Co|Ltd|Inc|al|Fig|p|pp|ref)|\b[A-Z])\.$"
)
_SENT_END = re.compile(r"[.!?][\"'’”)]*\s+(?=[\"'‘“(]?[A-Z0-9•·£])")
MARKER_LINE = re.compile(r"\s*(?:ACTIONS?|Actions?)\b\s*(?:by|for)?\s*[:\-–]")
"""A line that starts an action ("Action: …", "ACTIONS for …"): always a sentence of its own."""
BULLET = re.compile(
    r"^\s*(?:[-•·*o●▪◦‣–\uf0b7\uf0a7\uf076\uf0d8\u25aa\u25cf\u25e6\u2043\u2219]\s|\(?[0-9]{1,3}[.)]\s"
    r"|\(?[a-zA-Z][.)]\s|\([ivxIVX]+\)\s)"
)
"""A bulleted or numbered line: starts a new sentence."""
_ABBREV_REACH = 16
"""Characters before a sentence-end dot that ``_ABBREV`` can match ("approx." is 7): no match starts earlier."""
_LIST_LABEL = re.compile(r"\s*\(?\w{1,3}[.)]")
_NEXT_LINE = re.compile(r"\n([^\n]+)")
_MAY_CUT = re.compile(
    r"\n(?=[^\S\n]*+(?:[-•·*o●▪◦‣–\uf0b7\uf0a7\uf076\uf0d8\u25aa\u25cf\u25e6\u2043\u2219(0-9A]|[a-zA-Z][.)]))"
)
"""A line break before a line that ``BULLET`` or ``MARKER_LINE`` may match: after any spaces, a
bullet, "(", a digit, a letter and ". )" (a list label) or "A" ("Action"). Most lines start
otherwise, and one search finds the few to test instead of a test per line."""
_PARA_BREAK = re.compile(r"\n(?=\s*\n)")
_NON_SPACE = re.compile(r"\S")  # (``\s`` is what ``str.strip`` removes)


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each match of ``(?:[^\\n]|\\n(?!\\s*\\n))+`` in ``text``: the runs between
    the line breaks that a blank line follows, found by jumping from one such break to the next."""
    out = []
    prev = 0
    for m in _PARA_BREAK.finditer(text):
        if m.start() > prev:
            out.append((prev, m.start()))
        prev = m.end()
    if len(text) > prev:
        out.append((prev, len(text)))
    return out


def _line_cuts(ptxt: str) -> list[int]:
    """0, the start of every line of the paragraph ``ptxt`` that starts a sentence by layout
    (a bullet, an "Action:" line, a table row: a tab on it or on the line before), and its end."""
    cuts = [0]
    if "\t" in ptxt:
        first = ptxt.find("\n")
        tab = "\t" in (ptxt if first < 0 else ptxt[:first])  # a tab since the last cut: a table row ended
        for ln in _NEXT_LINE.finditer(ptxt):
            line = ln.group(1)
            has_tab = "\t" in line
            if tab or has_tab or BULLET.match(line) or MARKER_LINE.match(line):
                cuts.append(ln.start(1))
                tab = has_tab
    else:  # only bullets and markers cut: test just the lines that may start with one
        for m in _MAY_CUT.finditer(ptxt):
            start = m.end()
            end = ptxt.find("\n", start)
            line = ptxt[start:] if end < 0 else ptxt[start:end]
            if BULLET.match(line) or MARKER_LINE.match(line):
                cuts.append(start)
    cuts.append(len(ptxt))
    return cuts


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans for minutes text that no sentence component saw.

    Blank lines, bullets, "Action:" lines and tab-separated (table) lines
    always start a new sentence; a single line break inside a paragraph (a
    PDF's hard wrap) does not; "Mr.", "e.g." and list labels ("1.", "b)")
    do not end one.
    """
    spans: list[tuple[int, int]] = []
    for p0, p1 in _paragraphs(text):
        ptxt = text[p0:p1]
        cuts = _line_cuts(ptxt)
        for a, b in zip(cuts, cuts[1:], strict=False):
            seg = ptxt[a:b]
            start = 0
            for m in _SENT_END.finditer(seg):
                dot = m.start() + 1
                # (an abbreviation ends at the dot: only the last few characters can hold it)
                if _ABBREV.search(seg, max(0, dot - _ABBREV_REACH), dot) or _LIST_LABEL.fullmatch(seg, start, dot):
                    continue  # "Mr.", "e.g.", or a list label "1." / "b."
                end = m.start() + len(m.group().rstrip())
                spans.append((p0 + a + start, p0 + a + end))
                start = m.end()
            spans.append((p0 + a + start, p0 + a + len(seg.rstrip())))
    out = []
    first_char = _NON_SPACE.search
    for s, e in spans:
        m = first_char(text, s, e)  # (where ``text[s:e].lstrip()`` starts, without copying it; None: blank)
        if m is not None:
            out.append((m.start(), e))
    return out


def doc_sentences(doc: Doc) -> list[tuple[int, int]]:
    """Sentence spans from the pipeline's sentence component (:func:`doc_sentence_spans`),
    else :func:`split_sentences` of the doc's text."""
    spans = doc_sentence_spans(doc)
    return spans if spans is not None else split_sentences(doc_text(doc))
