"""Agenda items from text: numbered headings, "(Item N)" markers, ModernGov pages.

Minutes and agendas number their items, but so do the lists inside them
("Ms X outlined what is required: 1. Relevant victim data ...") and reports
number their paragraphs ("1.1.1"). Every line that could start an item is
scored on how much it looks like an item heading (a short capitalised title
without a final full stop, a "Minutes:" label after it, a number on a line
of its own, ALL CAPS) and the items are the best chain of consecutive
numbers through the document (dynamic programming over candidates), so a
nested "1..5" list loses to the document's "1..10" even when it sits inside
item 3. Printed minutes that mark items "(Item 3)" are read from the markers.
"""

from __future__ import annotations

import re
import statistics
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from ..records import AgendaItem
from ..rx.scan import finditer, may_match, plan_for
from .resources import Vocab, load_vocab
from .textutil import Line, first_line_from, is_shouting, line_index_at, slice_safe_lower, squash

# "3." alone on a line (ModernGov text rendering), then the title on a later line.
_NUM_ALONE = re.compile(r"^[ \t]*(?:item[ \t]+)?(\d{1,3})([a-z])?[.)]?[ \t]*$", re.IGNORECASE)
# "84. Apologies", "1. CALL TO ORDER", "Item 5: Budget", "1 DECLARATIONS OF INTEREST"
_NUM_INLINE = re.compile(
    r"^[ \t]*(?P<item>item[ \t]+)?(?P<num>\d{1,3})(?P<sub>[a-z])?"
    r"(?P<sep>\.(?!\d)|\)|[ \t]*[:–—-](?!\d)|(?=[ \t]))[ \t]+(?P<title>[A-Za-z\"“‘'(£].*|(?<=[.)][ \t])\d.*)$",
    re.IGNORECASE,
)
_ITEM_MARKER = re.compile(r"\((?:agenda[ \t]+)?item[ \t]+(?P<num>\d{1,3}[a-z]?)\)[ \t]*$", re.IGNORECASE)
_NUM_PREFIX = re.compile(r"^[ \t]*(\d{1,3}[a-z]?)\.?[ \t]+(?=\S)")
_MAX_HEADING = 250
_LIST_LABEL = re.compile(r"^(?:[a-z]|[ivx]+)[.)]\s")  # "a. Minutes of ..." is a sub-item, not a wrapped title
_SENTENCE_END = re.compile(r"[.;:!?][\"”’']?$")


@dataclass
class _Cand:
    start: int  # offset of the heading's first line
    heading_end: int  # offset after the title (and its continuation lines)
    number: int
    label: str
    title: str
    score: float
    first_line: int
    last_line: int
    alone: bool = False


def _next_nonblank(lines: list[Line], i: int, limit: int = 4) -> int | None:
    for j in range(i + 1, min(len(lines), i + 1 + limit)):
        if not lines[j].blank:
            return j
    return None


@lru_cache(maxsize=1)
def _noise_regex() -> re.Pattern[str]:
    """All title-noise patterns as one alternation: one pass per title instead of one per pattern."""
    return re.compile("|".join(f"(?:{rx.pattern})" for rx in load_vocab().title_noise), re.IGNORECASE)


def _clean_title(title: str) -> tuple[str, bool]:
    """Strip attachment links and page references; report whether any were there."""
    # The noise scan costs ~10 µs a title, and headings repeat (in the opening's
    # chain and the whole document's, and across documents): short ones are cached.
    return _clean_title_cached(title) if len(title) <= _CACHED_TITLE else _clean_title_text(title)


def _clean_title_text(title: str) -> tuple[str, bool]:
    title, n = _noise_regex().subn("", title)
    if n:
        title, _ = _noise_regex().subn("", title)  # a dash left behind by "(Pages 1 - 8)" etc.
    title = squash(title).rstrip(" ,;")
    return title, n > 0


_CACHED_TITLE = 300  # longer "titles" are paragraphs: not worth keeping
_clean_title_cached = lru_cache(maxsize=4096)(_clean_title_text)


def _minutes_label_follows(
    lines: list[Line], j: int, vocab: Vocab, labels: tuple[re.Pattern[str], ...] | None = None
) -> bool:
    """Whether a "Minutes:" label line follows line ``j`` (among the next three non-blank).

    ``labels``: the label patterns that can match in the document (see _candidates);
    by default all of them.
    """
    if labels is None:
        labels = vocab.minutes_label
    if not labels:
        return False  # (no line of the document can be a label)
    seen = 0
    for line in lines[j + 1 : j + 12]:
        if line.blank:
            continue
        if len(line.text) <= 40 and any(rx.match(line.text) for rx in labels):
            return True  # labels are short lines of their own
        seen += 1
        if seen >= 3:
            break
    return False


def _score_title(title: str, wrapped: bool, vocab: Vocab) -> float:
    """How much a line looks like an item heading rather than a list entry or sentence."""
    if len(title) <= _CACHED_TITLE:  # headings repeat: cached
        return _score_title_cached(title, wrapped, vocab)
    return _title_score(title, wrapped, vocab)


@lru_cache(maxsize=4096)
def _score_title_cached(title: str, wrapped: bool, vocab: Vocab) -> float:
    return _title_score(title, wrapped, vocab)


def _title_score(title: str, wrapped: bool, vocab: Vocab) -> float:
    words = len(title.split())
    if words == 0:
        return -5.0
    sentence_like = False
    score = 2.0 if words <= 12 else (0.5 if words <= 20 else -1.0)
    if title[0].islower():
        score -= 2.0
    if title.endswith(".") and not title.endswith("etc."):
        score -= 0.3 if words <= 8 else 1.2
        sentence_like = words > 8
    if title.endswith(":"):
        score -= 1.0
        sentence_like = True
    if any(rx.match(title) for rx in vocab.sentence_start):
        score -= 1.5
        sentence_like = True
    if any(rx.search(title) for rx in vocab.reporting_verb):
        score -= 1.5
        sentence_like = True
    if wrapped and (sentence_like or words > 25):
        score -= 2.0
    if title.count(". ") >= 1 and words > 8:
        score -= 1.0
    if is_shouting(title):
        score += 1.0
    return score


def _is_noise(s: str) -> bool:
    return not _noise_regex().sub("", s).strip()


def _continuation(lines: list[Line], i: int, title: str) -> tuple[str, int, bool]:
    """Join wrapped title lines (lower-case start or "(Pages ...)"); return title, last line, wrapped."""
    last = i
    wrapped = False
    for j in range(i + 1, min(len(lines), i + 4)):
        nxt = lines[j].stripped
        if not nxt or _SENTENCE_END.search(title.rstrip()) or _LIST_LABEL.match(nxt):
            break
        unbalanced = title.count("(") > title.count(")")
        if nxt[0].islower() or unbalanced or (nxt.startswith("(") and _is_noise(nxt)):
            wrapped = wrapped or nxt[0].islower()
            title = title.rstrip() + " " + nxt
            last = j
        else:
            break
    return title, last, wrapped


# A line that may start with a number or "item": after its blanks a digit, an "i" or a
# character outside ASCII (str.isdigit() is true for other scripts' digits and for "²").
_MAY_BE_NUMBERED = re.compile(r"[^\S\n]*(?:[0-9iI]|[^\x00-\x7f])")
_MAY_BE_NUMBERED_AFTER_BREAK = re.compile(r"\n" + _MAY_BE_NUMBERED.pattern)


def _numbered_lines(text: str, n_lines: int) -> list[int]:
    """Indices (below ``n_lines``) of the lines of ``text`` that may start with a number
    or "item": every line _candidates takes, found by one scan from the line breaks."""
    out = [0] if n_lines and _MAY_BE_NUMBERED.match(text) else []
    index, counted = 0, 0  # line index of offset ``counted``
    for m in _MAY_BE_NUMBERED_AFTER_BREAK.finditer(text):
        start = m.start() + 1
        index += text.count("\n", counted, start)
        counted = start
        if index >= n_lines:
            break
        out.append(index)
    return out


_RANGE_LINE = re.compile(r"[ \t]*\d{1,3}[ \t]*[-–—][ \t]*\d")  # "1 - 10": a range, not an item number


def _candidates(
    lines: list[Line],
    vocab: Vocab,
    text: str | None = None,
    from_line: int = 0,
    labels: tuple[re.Pattern[str], ...] | None = None,
) -> list[_Cand]:
    """Lines that may head an item, scored. ``text``, when given, is the text ``lines``
    were split from (they may be its first lines only): the lines that cannot start
    with a number are then skipped without being looked at. Lines before
    ``from_line`` are left out. ``labels``: the minutes labels that can match in
    the document (see _possible_patterns), by default all; about half of all
    documents have none, and then no line after a heading is looked at for one."""
    out: list[_Cand] = []
    indices = range(len(lines)) if text is None else _numbered_lines(text, len(lines))
    for i in indices[bisect_left(indices, from_line) :] if from_line else indices:
        line = lines[i]
        t = line.text
        if not t or not (t.lstrip()[:1].isdigit() or t.lstrip()[:4].lower() == "item"):
            continue
        m = _NUM_ALONE.match(t)
        if m and ("." in t or ")" in t or t.lstrip().lower().startswith("item")):
            j = _next_nonblank(lines, i, 4)
            if j is None or _NUM_ALONE.match(lines[j].text):
                continue
            raw = lines[j].stripped
            if not raw[:1].isalnum() and raw[:1] not in "\"“‘'(":
                continue
            title, noisy = _clean_title(raw)
            score = _score_title(title, False, vocab) + 1.0 + (1.0 if noisy else 0.0)
            if _minutes_label_follows(lines, j, vocab, labels):
                score += 3.0
            out.append(
                _Cand(line.start, lines[j].end, int(m.group(1)), m.group(1) + (m.group(2) or ""), title,
                      score, i, j, alone=True)
            )
            continue
        if len(t) > _MAX_HEADING:
            continue  # a paragraph, never a heading (and costly to score)
        m = _NUM_INLINE.match(t)
        if not m:
            continue
        raw = m.group("title")
        sep = m.group("sep")
        has_sep = bool(sep and sep.strip()) or bool(m.group("item"))
        if not has_sep and not (is_shouting(raw) or "\t" in t[: m.start("title")] or "  " in t[: m.start("title")]):
            continue  # "3 Members ..." without a dot: only ALL-CAPS or tabbed headings count
        if _RANGE_LINE.match(t):
            continue  # ranges "1 - 10"
        title, last, wrapped = _continuation(lines, i, raw)
        title, noisy = _clean_title(title)
        score = _score_title(title, wrapped, vocab)
        if noisy:
            score += 1.0
        if not has_sep:
            score -= 0.5
        if _minutes_label_follows(lines, last, vocab, labels):
            score += 3.0
        out.append(
            _Cand(line.start, lines[last].end, int(m.group("num")), m.group("num") + (m.group("sub") or ""),
                  title, score, i, last)
        )
    return out


def _best_chain(cands: list[_Cand], start_before: int | None = None) -> list[_Cand]:
    """Highest-scoring run of consecutive numbers (one skipped number allowed, at a cost).

    With ``start_before``, only chains whose first item starts before that
    offset count (an agenda pack's own list, not the old minutes inside it).
    """
    if not cands:
        return []
    best_end: dict[int, tuple[float, int]] = {}
    value: list[float] = []
    parent: list[int | None] = []
    first: list[int] = []
    for idx, c in enumerate(cands):
        if c.label[-1:].isalpha():  # "4a" sub-items never carry the chain
            value.append(float("-inf"))
            parent.append(None)
            first.append(idx)
            continue
        opts: list[tuple[float, int | None]] = []
        if start_before is None or c.start < start_before:
            opts.append((c.score - (0.0 if c.number == 1 else 1.0), None))
        if c.number - 1 in best_end:
            v, p = best_end[c.number - 1]
            opts.append((v + c.score, p))
        if c.number - 2 in best_end:
            v, p = best_end[c.number - 2]
            opts.append((v + c.score - 2.0, p))
        if not opts:
            value.append(float("-inf"))
            parent.append(None)
            first.append(idx)
            continue
        v, p = max(opts, key=lambda o: o[0])
        value.append(v)
        parent.append(p)
        first.append(first[p] if p is not None else idx)
        if c.number not in best_end or v > best_end[c.number][0]:
            best_end[c.number] = (v, idx)
    end = max(range(len(cands)), key=lambda k: value[k])
    if value[end] == float("-inf"):
        return []
    chain: list[_Cand] = []
    k: int | None = end
    while k is not None:
        chain.append(cands[k])
        k = parent[k]
    chain.reverse()
    return chain


def _accept(chain: list[_Cand]) -> bool:
    if not chain:
        return False
    mean = sum(c.score for c in chain) / len(chain)
    if len(chain) == 1:
        return chain[0].score >= 4.5
    return mean >= 1.0 and sum(c.score for c in chain) >= 3.0


def _marker_title_lines(lines: list[Line], i: int, vocab: Vocab) -> list[int]:
    """Lines above an "(Item N)" marker that hold the item's heading.

    Up to three lines back to a numbered line ("90. 24/00109 - Transfer ...")
    when there is one; otherwise only the line just above, plus lines it
    continues (lower-case start), so the previous item's last sentence is
    never taken for a title.
    """
    above: list[int] = []
    j = i - 1
    while j >= 0 and len(above) < 3 and i - j <= 5:
        prev = lines[j]
        if prev.blank:
            j -= 1
            continue
        s = prev.stripped
        if (
            any(rx.match(s) for rx in vocab.skip_line)
            or _SENTENCE_END.search(s)
            or len(s) > 150
            or _ITEM_MARKER.search(prev.text)
        ):
            break
        above.insert(0, j)
        if _NUM_PREFIX.match(prev.text):
            return above
        j -= 1
    if not above:
        return []
    keep = [above[-1]]
    for k in reversed(above[:-1]):
        if lines[keep[0]].stripped[:1].islower():
            keep.insert(0, k)
        else:
            break
    return keep


# _ITEM_MARKER over a whole text: it cannot match a line break, so "$" at a line's end is
# where the line's own search ends, and each match lies in one line.
_ITEM_MARKER_LINES = re.compile(_ITEM_MARKER.pattern, re.IGNORECASE | re.MULTILINE)


def _markers(lines: list[Line], text: str | None) -> Iterator[tuple[int, int, str]]:
    """``(line index, offset in the line, number)`` of each line's first "(Item N)" marker.

    ``text`` (optional) is the text ``lines`` were split from: then one scan of it
    finds the markers (the first match in a line is the one ``search`` finds
    there, and ``finditer`` goes on from the end of that line), instead of a
    search of every line.
    """
    if text is None:
        for i, line in enumerate(lines):
            m = _ITEM_MARKER.search(line.text) if "(" in line.text else None  # a marker starts with "("
            if m:
                yield i, m.start(), m.group("num")
        return
    for m in _ITEM_MARKER_LINES.finditer(text):
        i = line_index_at(lines, m.start())
        yield i, m.start() - lines[i].start, m.group("num")


def _marker_items(lines: list[Line], vocab: Vocab, text: str | None = None) -> list[_Cand]:
    """Items of printed minutes that mark each heading with "(Item N)" (``text``: see _markers)."""
    out: list[_Cand] = []
    for i, at, num in _markers(lines, text):
        line = lines[i]
        before = line.text[:at].strip()
        title_lines = [i] if before else _marker_title_lines(lines, i, vocab)
        if not title_lines:
            continue
        first = lines[title_lines[0]]
        raw = " ".join(lines[k].stripped for k in title_lines)
        if before:
            raw = before
        pm = _NUM_PREFIX.match(raw)
        label = pm.group(1) if pm else num
        if pm:
            raw = raw[pm.end() :]
        title, _ = _clean_title(raw)
        number = int(re.match(r"\d+", label).group(0))  # type: ignore[union-attr]
        out.append(_Cand(first.start, line.end, number, label, title, 5.0, title_lines[0], i))
    # A marker repeated in a cross-reference keeps its first heading.
    seen: set[str] = set()
    unique = []
    for c in out:
        if c.label in seen:
            continue
        seen.add(c.label)
        unique.append(c)
    return unique


def _single_item_page(lines: list[Line], vocab: Vocab) -> list[_Cand]:
    """ModernGov "Agenda item" pages: one item whose title is the next line."""
    first = next((ln for ln in lines if not ln.blank), None)
    if first is None or not vocab.page_headings.get(first.stripped.lower().rstrip(":"), False):
        return []
    j = _next_nonblank(lines, first.index, 4)
    if j is None:
        return []
    num = ""
    m = _NUM_INLINE.match(lines[j].text)
    raw = lines[j].stripped
    if m:
        num, raw = m.group("num"), m.group("title")
    title, _ = _clean_title(raw)
    return [_Cand(lines[j].start, lines[j].end, int(num or 0), num, title, 5.0, j, j)]


def _body_text(
    text: str,
    start: int,
    end: int,
    vocab: Vocab,
    patterns: tuple[tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...]] | None = None,
    low: str | None = None,
) -> str:
    """The item's minutes: after a "Minutes:" label when there is one, boilerplate removed.

    ``patterns`` are the minutes labels and text noise that can match somewhere
    in ``text`` (see _possible_patterns); by default all of them. ``low``, when
    given, is ``slice_safe_lower(text)``.
    """
    labels, noise = patterns if patterns is not None else (vocab.minutes_label, vocab.text_noise)
    chunk = text[start:end]
    # fold_safe_lower(chunk) cut from the lower-cased document (``low``, see slice_safe_lower):
    # finditer and may_match would lower each item's text only to find most lack the words.
    low_chunk = low[start:end] if low is not None else None
    for rx in labels:
        if low_chunk is not None and _lacks_words(rx, chunk, low_chunk):
            continue
        m = next(finditer(rx, chunk), None)  # the first match, as rx.search; most chunks lack the label's words
        if m:
            chunk = chunk[m.end() :]
            low_chunk = low_chunk[m.end() :] if low_chunk is not None else None
            break
    for rx in noise:
        if low_chunk is not None and _lacks_words(rx, chunk, low_chunk):
            continue
        if may_match(rx, chunk):  # most chunks lack the pattern's words: no scan needed
            chunk = rx.sub("", chunk)
            low_chunk = None  # (no longer the same text)
    kept = [ln.strip() for ln in chunk.split("\n")]
    return "\n".join(ln for ln in kept if ln)


def _lacks_words(rx: re.Pattern[str], chunk: str, low_chunk: str) -> bool:
    """True when ``rx`` lacks a required word in ``chunk`` (``low_chunk`` is ``fold_safe_lower(chunk)``):
    then ``finditer(rx, chunk)`` finds nothing and ``may_match(rx, chunk)`` is False."""
    plan = plan_for(rx)
    if plan is None or plan.required is None:
        return False
    hay = low_chunk if plan.ignore_case else chunk
    return not any(w in hay for w in plan.required)


def _possible_patterns(
    text: str, vocab: Vocab
) -> tuple[tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...]]:
    """The minutes labels and text noise whose required words occur in ``text``.

    Every item's text is cut from the document, so a pattern lacking its words
    in the whole document is never tried on an item (one test per document
    instead of one per item).
    """
    labels = tuple(rx for rx in vocab.minutes_label if may_match(rx, text))
    noise = tuple(rx for rx in vocab.text_noise if may_match(rx, text))
    return labels, noise


_PAGE_COLUMN = re.compile(r"^(.*\S)\s+(\d{1,3})$")
_NOT_PAGE_WORD = re.compile(r"\b(?:item|phase|part|no\.?|quarter|q|year|schedule|appendix|stage|tranche)$", re.IGNORECASE)


def _strip_page_column(chain: list[_Cand]) -> None:
    """Agenda lists that end each title with its page number: drop that column."""
    hits = [c for c in chain if _PAGE_COLUMN.match(c.title)]
    if len(chain) >= 3 and len(hits) >= max(2, len(chain) // 2):
        for c in hits:
            m = _PAGE_COLUMN.match(c.title)
            if m and not _NOT_PAGE_WORD.search(m.group(1)):
                c.title = m.group(1).rstrip(" .,")


class HeadCandidates(NamedTuple):
    """``_candidates(lines[:n], ...)``: the item-heading candidates of a document's first lines."""

    cands: list[_Cand]
    n: int  # how many lines they were read from

    def reusable_below(self, n_lines: int) -> int:
        """The line index below which these candidates are those of all ``n_lines`` lines.

        A candidate on line i reads the lines up to i + 15 (the next non-blank line
        within four, a title continued over three, a "Minutes:" label in the eleven
        after either), so cutting the lines at ``n`` changes none before n - 15.
        """
        return n_lines if self.n >= n_lines else max(self.n - 15, 0)


def head_candidates(
    lines: list[Line], head_end: int, vocab: Vocab | None = None, text: str | None = None
) -> HeadCandidates:
    """The candidates head_chain chooses from (before its cut at ``head_end``)."""
    vocab = vocab or load_vocab()
    last = first_line_from(lines, head_end)
    head = lines[: last + 4]
    return HeadCandidates(_candidates(head, vocab, text), len(head))


def head_chain(
    lines: list[Line],
    head_end: int,
    vocab: Vocab | None = None,
    text: str | None = None,
    found: HeadCandidates | None = None,
) -> list[_Cand]:
    """Best numbered chain using only candidates in the opening of the document.

    ``text`` (optional) is the text ``lines`` were split from; ``found``, when
    given, is ``head_candidates`` of the same arguments.
    """
    if found is None:
        found = head_candidates(lines, head_end, vocab, text)
    cands = [c for c in found.cands if c.start < head_end]
    chain = _best_chain(cands)
    return chain if _accept(chain) else []


def is_compact_list(chain: list[_Cand], lines: list[Line]) -> bool:
    """True for an agenda-style list: most items have no text at all before the next one."""
    if len(chain) < 3:
        return False
    between = [
        sum(1 for ln in lines[a.last_line + 1 : b.first_line] if not ln.blank)
        for a, b in zip(chain, chain[1:], strict=False)
    ]
    return statistics.median(between) == 0


def find_items(
    text: str,
    lines: list[Line],
    *,
    kind: str,
    head_end: int,
    vocab: Vocab | None = None,
    head: HeadCandidates | None = None,
) -> list[AgendaItem]:
    """Agenda items with offsets into ``text`` and their minutes text (``lines`` are ``split_lines(text)``).

    ``head``, when given, is ``head_candidates(lines, ..., text)``, already worked
    out for the kind: its candidates are kept where cutting the lines made no
    difference, and only the lines after those are read again.
    """
    vocab = vocab or load_vocab()
    if kind == "strategy":
        return []
    markers = _marker_items(lines, vocab, text)
    patterns = _possible_patterns(text, vocab)
    if head is None:
        cands = _candidates(lines, vocab, text, 0, patterns[0])
    else:
        below = head.reusable_below(len(lines))
        cands = [c for c in head.cands if c.first_line < below] + _candidates(lines, vocab, text, below, patterns[0])
    chain = _best_chain(cands)
    if not _accept(chain):
        chain = []
    if kind == "agenda":
        first = _best_chain(cands, start_before=head_end)
        if _accept(first) and len(first) >= 3:
            chain = first
    if len(markers) >= 2 and not (kind == "agenda" and chain and chain[0].start < markers[0].start):
        chosen = markers
    elif chain:
        chosen = chain
    elif markers:
        chosen = markers
    else:
        chosen = _single_item_page(lines, vocab)
    if not chosen:
        return []
    if chosen is chain:
        _strip_page_column(chosen)
    compact = is_compact_list(chosen, lines)
    doc_end = len(text.rstrip())
    low = slice_safe_lower(text) if any(patterns) else None
    items: list[AgendaItem] = []
    for k, c in enumerate(chosen):
        if k + 1 < len(chosen):
            end = chosen[k + 1].start
        elif compact:
            end = c.heading_end  # last entry of an agenda list: the rest is not its minutes
        else:
            end = doc_end
        end = max(end, c.heading_end)
        while end > c.start and text[end - 1].isspace():
            end -= 1
        body = _body_text(text, min(c.heading_end, end), end, vocab, patterns, low)
        items.append(AgendaItem(number=c.label, title=c.title, text=body, start=c.start, end=end))
    return items
