"""Which meeting a document belongs to: body, date, time, venue, contact.

Evidence is scored rather than matched by one template, because the same
facts appear as cover-table fields ("Meeting Date: 27 th October 2017"),
headings ("CORPORATE PARENTING PANEL – 10th December 2024"), opening
sentences ("MINUTES of a meeting of the Cabinet held in ... on Thursday,
30 January 2025") and, failing those, only in running text ("The Chairman of
the Safer Communities Partnership Board welcomed ..."). The context rules and
their weights are data (``models/segment/contexts.jsonl``); labelled fields
come from ``fields.jsonl``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from ..records import MeetingInfo
from ..rx.fold import fold_safe_lower
from ..rx.scan import barriers_of, plan_for
from ..rx.sre import C as _sre
from ..rx.sre import parse
from ..rx.words import alternation
from .bodies import BodyMention, acronym, body_key, find_bodies
from .dates import find_dates, find_times, find_weekday_dates, human_date, opening_dates, parse_time
from .resources import Cue, Vocab, load_vocab
from .textutil import Line, is_shouting, line_index_at, slice_safe_lower, smart_title, squash

_FIELD = re.compile(r"^[ \t]*(?P<label>[A-Za-z][A-Za-z /()'’-]{0,40}?)[ \t]*(?::[ \t]*|\t+)(?P<value>.*)$")
_KINDS_WITH_MEETING = ("minutes", "agenda", "summary")
_TOP_LINES = 6  # non-blank lines that count as the document's own heading
_ACRONYM = re.compile(r"[A-Z]{3,8}")
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b|\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b")

# Meeting-sentence venue: "held in the Council Chamber, Sessions House, County Hall, Maidstone on Thursday"
_HELD_VENUE = re.compile(
    r"\bheld\s+(?:in|at)\s+(?:the\s+)?(?P<venue>[A-Z][^.;]{2,160}?)"
    r"(?=\s+on\s+(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|the\s+\d|\d)|\s+at\s+\d|[.;]\s|[.;]?\s*$|,\s*(?:commencing|starting|beginning))",
    re.IGNORECASE,
)
_AT_VENUE = re.compile(r"^\s*(?:,\s*)?(?:at|in|@)\s+(?:the\s+)?(?P<venue>[A-Z][^\n]{2,100}?)\s*$")
_NAME = re.compile(r"^(?:(?:Mr|Mrs|Ms|Miss|Dr|Cllr|Councillor)\.?\s+)?[A-Z][A-Za-z'’-]+(?:\s+[A-Z][A-Za-z'’-]*\.?){1,3}$")
_CONTACT_CUT = re.compile(r"[,;(\t]|\d|\s[-–—]\s|\b(?:e-?mail|tel|telephone|phone|mobile|ext)\b|@", re.IGNORECASE)
_HEADING_FILLER = re.compile(
    r"\b(?:minutes|agenda|meeting|regular|special|extraordinary|summary|notice|of|the|a|an|on|at|held|and|for)\b"
    r"|[-–—:|,.()]",
    re.IGNORECASE,
)


@dataclass
class Field:
    role: str
    label: str
    value: str
    start: int  # offset of the value
    end: int
    line: int


def find_fields(lines: list[Line], vocab: Vocab, max_line: int) -> list[Field]:
    """Labelled cover-sheet fields ("Meeting Date:\\t27 th October 2017") near the top."""
    out: list[Field] = []
    labelled = _labelled(lines[:max_line])
    for i, line in labelled:
        m = _FIELD.match(line.text)
        if not m:
            continue
        label = squash(m.group("label")).lower()
        role = vocab.fields.get(label)
        if role is None:
            continue
        value = m.group("value").strip(" \t")
        vstart = line.start + m.start("value")
        vend = line.start + m.end("value")
        if not value:
            # Value on the next non-blank line ("Date:\n22 October 2009").
            for nxt in lines[i + 1 : i + 3]:
                if nxt.blank:
                    continue
                if _FIELD.match(nxt.text) and squash(_FIELD.match(nxt.text).group("label")).lower() in vocab.fields:
                    break
                value, vstart, vend = nxt.stripped, nxt.start, nxt.end
                break
        elif role == "venue":
            # Addresses run onto following short lines until a blank line or another field.
            blanks = 0
            for nxt in lines[i + 1 : i + 5]:
                if nxt.blank:
                    blanks += 1
                    if blanks > 1:
                        break
                    continue
                if not _addressy(nxt.stripped) or _FIELD.match(nxt.text):
                    break
                if blanks and not _POSTCODE.search(nxt.text):
                    break  # after a blank line only an address line with a postcode continues
                value = value.rstrip(" ,") + ", " + nxt.stripped
                vend = nxt.end
                if blanks:
                    break
        # Cells rendered with tabs: the value is the first cell.
        value = value.split("\t")[0].strip()
        if value:
            out.append(Field(role, label, value, vstart, vend, i))
    # Labels later in a line ("Thursday, 30th January, 2025, at 10.00 am Ask for: Georgina Little").
    inline = _inline_label_regex()
    for i, line in labelled:
        for m in inline.finditer(line.text):
            if m.start() == 0 or not line.text[: m.start()].strip():
                continue  # already read as a line-start field
            role = vocab.fields[squash(m.group("label")).lower()]
            value = m.group("value").split("\t")[0].strip()
            if value:
                out.append(Field(role, m.group("label").lower(), value, line.start + m.start("value"),
                                 line.start + m.end("value"), i))
    return out


def _labelled(lines: list[Line]) -> list[tuple[int, Line]]:
    """The lines (with their index) that can hold a field: both patterns need a ":" or a tab."""
    return [(i, line) for i, line in enumerate(lines) if ":" in line.text or "\t" in line.text]


@lru_cache(maxsize=1)
def _inline_label_regex() -> re.Pattern[str]:
    """Multi-word contact/venue labels may appear mid-line; one-word labels ("To:") may not."""
    vocab = load_vocab()
    labels = [lab for lab, role in vocab.fields.items() if role in ("contact", "venue") and " " in lab]
    alts = alternation(labels)
    return re.compile(rf"(?<![\w-])(?P<label>{alts})\s*:\s*(?P<value>[^\n]*)", re.IGNORECASE)


_ADDRESS_WORD = re.compile(r"[A-Za-z][\w'’-]*")


def _addressy(s: str) -> bool:
    """A short line that reads like part of an address, not a sentence."""
    if len(s) > 70 or s.endswith("."):
        return False
    words = _ADDRESS_WORD.findall(s)
    lower = [w for w in words if w[0].islower() and w not in ("and", "of", "the", "on", "upon")]
    return len(lower) <= 1


def _line_of(lines: list[Line], pos: int) -> Line:
    """The last line starting at or before ``pos`` (the first line when none does)."""
    return lines[max(line_index_at(lines, pos), 0)]


@lru_cache(maxsize=8)
def _context_rules(vocab: Vocab, family: str) -> tuple[tuple[tuple[Cue, frozenset[str] | None, bool], ...], ...]:
    """The ``{family}_before`` and ``{family}_after`` rules, each with what ``may_match``
    reads from its plan (required words, whether case is ignored), looked up once."""
    out = []
    for side in ("before", "after"):
        rules = []
        for cue in vocab.contexts.get(f"{family}_{side}", ()):
            plan = plan_for(cue.regex)
            rules.append((cue, plan.required if plan else None, plan.ignore_case if plan else False))
        out.append(tuple(rules))
    return tuple(out)


@lru_cache(maxsize=8)
def _before_tails(vocab: Vocab, family: str) -> tuple[re.Pattern[str] | None, ...]:
    """The _tail_finder of each ``{family}_before`` rule, in _context_rules' order."""
    return tuple(_tail_finder(cue.regex) for cue, _, _ in _context_rules(vocab, family)[0])


def _tail_finder(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """For a rule whose every match ends where the text does ("... chairman of the $"):
    a pattern matching from the text's start to its last character that no match of
    the rule can hold (see :func:`.scan.barriers_of`), or None.

    Such a match lies after that character, so the rule is searched for from
    there on (``search`` with a start position still sees the text before it,
    for ``\\b`` and look-behinds) instead of from each of the window's places.
    Without multi-line mode ``$`` matches at the end or before a final line break.
    """
    parsed = parse(pattern.pattern, pattern.flags)
    if parsed is None or parsed.state.flags & re.MULTILINE:
        return None
    items = list(parsed.data)
    if not items or items[-1] != (_sre.AT, _sre.AT_END):
        return None
    barriers = barriers_of(items[:-1], parsed.state.flags)
    return re.compile("(?s:.*[" + re.escape(barriers) + "])") if barriers else None


def _search_tail(rx: re.Pattern[str], tail: re.Pattern[str] | None, text: str, starts: dict) -> bool:
    """``rx.search(text) is not None`` for a rule with ``_tail_finder`` ``tail``; ``starts``
    keeps where each finder puts the search's start in ``text`` (rules share finders)."""
    if tail is None:
        return rx.search(text) is not None
    pos = starts.get(tail)
    if pos is None:
        m = tail.match(text, 0, len(text) - 1 if text.endswith("\n") else len(text))
        pos = starts[tail] = m.end() if m else 0
    return rx.search(text, pos) is not None


def _may_match(words: frozenset[str] | None, ignore_case: bool, text: str, low: str | None) -> bool:
    """``may_match(rule, text)`` from the rule's required words; ``low`` is ``fold_safe_lower(text)``."""
    if words is None:
        return True
    hay = low if ignore_case else text
    return hay is None or any(w in hay for w in words)


def _context_score(
    vocab: Vocab,
    kind: str,
    before: str,
    after: str,
    in_head: bool,
    top: bool = False,
    lows: tuple[str, str] | None = None,
) -> tuple[float, bool]:
    """Sum of context rules of one family; also whether a strong (>= 4) rule fired.

    ``top`` marks a date on an unnumbered line at the very top of the document,
    where "MINUTES OF THE MEETING HELD ON 14 NOVEMBER 2023" is the heading of
    this meeting rather than an item approving an earlier one. ``lows``, when
    given, are ``fold_safe_lower`` of ``before`` and ``after`` (cut from the
    lower-cased document: see textutil.slice_safe_lower).
    """
    total = 0.0
    strong = False
    before_rules, after_rules = _context_rules(vocab, kind)
    low = fold_safe_lower(before) if lows is None else lows[0]
    starts: dict = {}
    for (cue, words, ignore_case), tail in zip(before_rules, _before_tails(vocab, kind), strict=True):
        if (cue.scope == "head" and not in_head) or (top and cue.top_exempt):
            continue
        # most lack the rule's words; the rest are searched only after the window's last barrier
        if _may_match(words, ignore_case, before, low) and _search_tail(cue.regex, tail, before, starts):
            total += cue.weight
            strong = strong or cue.weight >= 4
    low = fold_safe_lower(after) if lows is None else lows[1]
    for cue, words, ignore_case in after_rules:
        if cue.scope == "head" and not in_head:
            continue
        if _may_match(words, ignore_case, after, low) and cue.regex.search(after):
            total += cue.weight
            strong = strong or cue.weight >= 4
    return total, strong


_WEEKDAY_WORD = re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b", re.IGNORECASE)


def _is_heading(line: Line, mention: BodyMention, text: str) -> bool:
    """A short line that is essentially the body name (plus date/time/kind words)."""
    if len(line.stripped) > 110:
        return False
    rest = text[line.start : mention.start] + " " + text[mention.end : line.end]
    for s, e, _ in reversed(find_dates(rest)):
        rest = rest[:s] + " " + rest[e:]
    for s, e, _ in reversed(find_times(rest)):
        rest = rest[:s] + " " + rest[e:]
    rest = _HEADING_FILLER.sub(" ", rest)
    rest = _WEEKDAY_WORD.sub(" ", rest)
    return len(rest.strip()) <= 2


@dataclass
class _BodyScore:
    key: str
    head: str
    score: float = 0.0
    strong: bool = False  # a field, heading or "meeting of the X" cue, not just mentions
    mentions: int = 0
    first: int = 10**9


def choose_body(
    text: str,
    lines: list[Line],
    fields: list[Field],
    head_end: int,
    kind: str,
    vocab: Vocab,
) -> tuple[str | None, list[BodyMention]]:
    """Pick the meeting body; return its display name and its mentions."""
    mentions = find_bodies(text, vocab)
    low_text = slice_safe_lower(text) if mentions else None
    field_spans = [(f.start, f.end) for f in fields if f.role == "body"]
    scores: dict[str, _BodyScore] = {}
    by_key: dict[str, list[BodyMention]] = defaultdict(list)
    generic: dict[str, int] = defaultdict(int)
    for m in mentions:
        if m.generic:
            generic[m.head.lower()] += 1
            continue
        in_head = m.start < head_end
        sc = scores.setdefault(m.key, _BodyScore(m.key, m.head))
        by_key[m.key].append(m)
        sc.mentions += 1
        sc.first = min(sc.first, m.start)
        b0, a1 = max(0, m.start - 160), m.end + 60
        lows = None if low_text is None else (low_text[b0 : m.start], low_text[m.end : a1])
        ctx, strong = _context_score(vocab, "body", text[b0 : m.start], text[m.end : a1], in_head, False, lows)
        sc.score += ctx
        sc.strong = sc.strong or strong
        if any(s <= m.start < e for s, e in field_spans):
            sc.score += 10
            sc.strong = True
        if in_head:
            line = _line_of(lines, m.start)
            if _is_heading(line, m, text):
                sc.score += 5 * vocab.heads.get(m.head, 1.0)
                sc.strong = True
    # A body field whose value the finder did not recognise ("Meeting: Full Council").
    field_body = next((f.value for f in fields if f.role == "body"), None)
    if not scores:
        if field_body and len(field_body) <= 80:
            return _clean_field_body(field_body), mentions
        return None, mentions
    for key, sc in scores.items():
        weight = vocab.heads.get(sc.head, 1.0)
        plain = min(sc.mentions, 5) + (1.0 if sc.first < head_end else 0.0)
        sc.score += plain * weight
        acr = acronym(by_key[key][0].name)
        if len(acr) >= 3:
            sc.score += min(_capitals_count(text, acr), 3)  # "SCPB" supports "Safer Communities Partnership Board"
        if sc.score > 0:
            sc.score += min(generic.get(sc.head.lower(), 0) * 0.5, 3.0)
    best = max(scores.values(), key=lambda s: (s.score, -s.first))
    # Minutes and agendas are about one meeting; other kinds need a cover-sheet style cue.
    ok = (best.strong or best.score >= 4) if kind in _KINDS_WITH_MEETING else (best.strong and best.score >= 5)
    if not ok:
        if field_body and len(field_body) <= 80:
            return _clean_field_body(field_body), mentions
        return None, mentions
    # Prefer the form as written in running text over a shouted heading.
    written = [m.name for m in by_key[best.key] if not m.shouting] or [m.name for m in by_key[best.key]]
    name = max(set(written), key=lambda n: (written.count(n), -len(n)))
    return name, by_key[best.key]


def _capitals_count(text: str, word: str) -> int:
    """How often ``word`` (an acronym, 3 to 8 capitals) occurs as a whole word in ``text``.

    Only the acronyms of candidate bodies are ever looked up, so they are
    counted one by one (skipping texts without them at ``str`` speed) rather
    than by listing every capitals word of the document.
    """
    if not _ACRONYM.fullmatch(word) or word not in text:
        return 0
    # ``len(re.findall(rf"\b{word}\b", text))`` without compiling a pattern per acronym:
    # each occurrence counts when no word character (``\w``: ``str.isalnum`` or "_")
    # touches it; two such occurrences cannot overlap, so all are findall's matches.
    count = 0
    size = len(word)
    at = text.find(word)
    while at >= 0:
        if not (at and _is_word_char(text[at - 1])) and not _is_word_char(text[at + size : at + size + 1]):
            count += 1
        at = text.find(word, at + 1)
    return count


def _is_word_char(ch: str) -> bool:
    """Whether ``ch`` (one character, or "" past the text's ends) is one ``\\w`` matches."""
    return ch.isalnum() or ch == "_"


def _clean_field_body(value: str) -> str:
    value = re.split(r"\s[-–—]\s|\t", value)[0]
    return squash(value)


@dataclass
class _DateCand:
    start: int
    end: int
    iso: str
    score: float


_ITEM_NUMBER_LINE = re.compile(r"\s*(?:item\s+)?\d{1,3}\b", re.IGNORECASE)
_WEEKDAY_START = re.compile(r"\s*(?:mon|tues|wednes|thurs|fri|satur|sun)", re.IGNORECASE)


def choose_date(
    text: str,
    lines: list[Line],
    fields: list[Field],
    head_end: int,
    kind: str,
    body_mentions: list[BodyMention],
    vocab: Vocab,
    head_dates: list[tuple[int, int, str]],
) -> _DateCand | None:
    """Pick the meeting date among ``head_dates``, the full dates in the opening of the document
    (``find_dates(text[:head_end])``, read month first where the document writes dates that way:
    see :func:`.dates.opening_dates`), and the weekday dates there."""
    cands: list[_DateCand] = []
    body_lines = {_line_of(lines, m.start).index for m in body_mentions if m.start < head_end}
    top_lines = [ln.index for ln in lines[:40] if not ln.blank][:_TOP_LINES]
    full = head_dates
    # A weekday date without a year ("Friday, September 13th") only counts when its
    # weekday pins the year down, and it starts with a handicap against full dates.
    partial = [(s, e, iso, -1.5) for s, e, iso in find_weekday_dates(text[:head_end])]
    low_text = slice_safe_lower(text) if full or partial else None
    for s, e, iso, bonus in [(s, e, iso, 0.0) for s, e, iso in full] + partial:
        line = _line_of(lines, s)
        score = 2.0 * (1.0 - s / max(head_end, 1))
        role = next((f.role for f in fields if f.start <= s < f.end), None)
        if role == "date":
            score += 10
        elif role in ("other_date", "contact", "title"):
            score -= 10
        before = text[max(0, s - 200) : s]
        top = line.index in top_lines and not _ITEM_NUMBER_LINE.match(line.text)
        lows = None if low_text is None else (low_text[max(0, s - 200) : s], low_text[e : e + 120])
        ctx, _ = _context_score(vocab, "date", before, text[e : e + 120], True, top, lows)
        score += ctx + bonus
        for cue in vocab.contexts.get("date_line", ()):
            if cue.regex.search(line.text):
                score += cue.weight
        if line.index in body_lines:
            score += 5
        if _WEEKDAY_START.match(text[s:e]):
            score += 0.5
        if find_times(text[e : min(line.end, e + 40)]):
            score += 1
        cands.append(_DateCand(s, e, iso, score))
    if not cands:
        return None
    best = max(cands, key=lambda c: (c.score, -c.start))
    threshold = 1.5 if kind in _KINDS_WITH_MEETING else 2.5
    return best if best.score >= threshold else None


def _contact_name(value: str) -> str | None:
    cut = _CONTACT_CUT.search(value)
    name = squash(value[: cut.start()] if cut else value).rstrip(" .:-")
    return name if _NAME.match(name) else None


def _venue_from_text(
    text: str, head_end: int, date: _DateCand | None, lines: list[Line], vocab: Vocab
) -> str | None:
    """Venue from "held in the X on <date>", "<date> at X", or address lines under the date."""
    head = text[:head_end].replace("\n", " ")
    m = _HELD_VENUE.search(head)
    if m:
        return squash(m.group("venue")).rstrip(" ,")
    if date is None:
        return None
    line = _line_of(lines, date.start)
    rest = text[date.end : line.end]
    times = find_times(rest)
    if times:
        rest = rest[times[0][1] :]
    m2 = _AT_VENUE.match(rest)
    if m2:
        return squash(m2.group("venue")).rstrip(" ,.")
    # Address block on the lines just under the date ("Council Chamber, Sessions House,\nCounty Hall").
    parts: list[str] = []
    blanks = 0
    for nxt in lines[line.index + 1 : line.index + 6]:
        s = nxt.stripped
        if not s:
            blanks += 1
            if blanks > 1 or parts:
                break
            continue
        if len(parts) >= 3 or not _addressy(s) or _FIELD.match(nxt.text) or re.match(r"\d{1,3}[.)]?\s", s):
            break
        if re.search(r"\b(?:minutes|agenda|present|apologies)\b", s, re.IGNORECASE):
            break
        parts.append(s.rstrip(" ,"))
    if parts and any(rx.search(" ".join(parts)) for rx in vocab.venue_word):
        return squash(", ".join(parts))
    return None


_PAGE_OF = re.compile(r"\bpage\s+\d+(?:\s+of\s+\d+)?\b", re.IGNORECASE)


def _time_near_date(
    text: str, lines: list[Line], date: _DateCand, head_dates: list[tuple[int, int, str]]
) -> str | None:
    """A clock time written just after the meeting date (any of its mentions near the top).

    ``head_dates`` are the full dates in the opening of the document.
    """
    spans = [(date.start, date.end)] + [(s, e) for s, e, iso in head_dates if iso == date.iso]
    for s, e in spans:
        line = _line_of(lines, s)
        times = find_times(text[e : min(line.end, e + 60)])
        if not times:
            nxt = lines[line.index + 1] if line.index + 1 < len(lines) else None
            if nxt is not None and len(nxt.stripped) <= 30:
                times = find_times(nxt.text)
        if times:
            return times[0][2]
    return None


def detect_meeting(
    text: str,
    lines: list[Line],
    *,
    head_end: int,
    kind: str,
    vocab: Vocab | None = None,
    fields: list[Field] | None = None,
) -> MeetingInfo | None:
    """Derive :class:`MeetingInfo` from normalised text; None when neither body nor date is found."""
    vocab = vocab or load_vocab()
    if fields is None:
        max_line = _line_of(lines, max(head_end - 1, 0)).index + 1 if lines else 0
        fields = find_fields(lines, vocab, max_line)
    body, body_mentions = choose_body(text, lines, fields, head_end, kind, vocab)
    head_dates = opening_dates(text, head_end)
    # (month_first is only read when the opening's dates are not given)
    date = choose_date(text, lines, fields, head_end, kind, body_mentions, vocab, head_dates)
    if body is None and date is None:
        return None

    start_time: str | None = None
    for f in fields:
        if f.role == "time":
            start_time = parse_time(f.value)
            if start_time:
                break
    if start_time is None and date is not None:
        start_time = _time_near_date(text, lines, date, head_dates)

    venue = next((squash(f.value) for f in fields if f.role == "venue"), None)
    if venue is None:
        venue = _venue_from_text(text, head_end, date, lines, vocab)

    contact = None
    for f in fields:
        if f.role == "contact":
            contact = _contact_name(f.value)
            if contact:
                break

    title = None
    if date is not None:
        line_text = _PAGE_OF.sub("", text[_line_of(lines, date.start).start : _line_of(lines, date.start).end])
        if body and body_key(line_text).startswith(body_key(body)) and len(line_text.strip()) <= 120:
            title = squash(line_text)
            if is_shouting(title):
                title = smart_title(title)
        elif body:
            title = f"{body} – {human_date(date.iso)}"
    return MeetingInfo(
        body=body,
        date=date.iso if date else None,
        start_time=start_time,
        venue=venue,
        title=title,
        contact=contact,
    )
