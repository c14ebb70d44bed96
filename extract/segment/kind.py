"""What kind of document this is, and a human title for it.

Kind is a vote of weighted cues from ``models/segment/kind_cues.jsonl``:
"Minutes:" labels and "MINUTES of a meeting" for minutes, an "AGENDA"
heading, "will be held" and a compact numbered list for agendas, cover-sheet
fields ("Report Author:") for reports, "Strategy" in the title for
strategies, "AI Generated" for meeting summaries. The file name only adds a
small weight, because council file names are often wrong or opaque.
"""

from __future__ import annotations

import re

from ..records import AgendaItem, MeetingInfo
from ..rx.scan import finditer
from ..vocab import KINDS
from .bodies import find_bodies
from .dates import human_date
from .meeting import Field
from .resources import Vocab, load_vocab
from .textutil import Line, smart_title, squash

_ALL_SCOPE_CHARS = 100_000
_PRIORITY = {"summary": 5, "minutes": 4, "agenda": 3, "report": 2, "strategy": 1, "other": 0}
_KIND_LABEL = {"minutes": "Minutes", "agenda": "Agenda", "summary": "Meeting summary"}
_NUMBERED = re.compile(r"^\d{1,3}[.)]?\s+\S|^\d{1,3}[.)]?$")
_FIELDISH = re.compile(r"^[ \t]*[A-Za-z][A-Za-z /()'’-]{0,40}?[ \t]*(?::|\t)")
_BAD_DOC_TITLE = re.compile(r"^(?:untitled|document\d*|microsoft word|page \d+|title|none|null|slide \d+)$", re.IGNORECASE)


def page_heading(lines: list[Line], vocab: Vocab | None = None) -> str | None:
    """The ModernGov page heading ("Agenda and minutes", "Agenda item") if the text starts with one."""
    vocab = vocab or load_vocab()
    for line in lines[:8]:
        s = line.stripped
        if not s:
            continue
        if any(rx.match(s) for rx in vocab.skip_line):
            continue
        key = s.rstrip(":").lower()
        if key in vocab.page_headings and not s.isupper():  # "AGENDA" on a printed cover is not a web page heading
            return s.rstrip(":")
        return None
    return None


def opening_title(lines: list[Line], vocab: Vocab | None = None, max_lines: int = 40) -> str | None:
    """The title block at the top of a document, e.g. a strategy's cover lines.

    Collects short lines before the first field, prose paragraph or standard
    section heading ("Introduction", "Contents"); blocks separated by blank
    lines are joined with ": " ("Safer Communities in Barnet: A crime and ...").
    """
    vocab = vocab or load_vocab()
    blocks: list[list[str]] = []
    cur: list[str] = []
    total = 0
    for line in lines[:max_lines]:
        s = line.stripped
        if not s:
            if cur:
                blocks.append(cur)
                cur = []
            continue
        if any(rx.match(s) for rx in vocab.skip_line) or s.rstrip(":").lower() in vocab.page_headings:
            continue
        label = _FIELDISH.match(line.text)
        if label and squash(label.group(0).rstrip(":\t ")).lower() in vocab.fields:
            break
        if any(rx.match(s) for rx in vocab.title_stop) or _NUMBERED.match(s):
            break
        prose = len(s) > 100 or (len(s) > 40 and s.endswith("."))
        if prose:
            if cur or blocks:
                break
            continue
        cur.append(s)
        total += len(s)
        if total > 160 or sum(len(b) for b in blocks) + len(cur) >= 6:
            break
    if cur:
        blocks.append(cur)
    if not blocks:
        return None
    parts = [squash(" ".join(b)) for b in blocks[:2]]
    title = ": ".join(p.rstrip(":") for p in parts if p)
    return title[:200] or None


def meaningful_title(title: str | None, vocab: Vocab | None = None) -> str | None:
    """``doc.title`` cleaned of "Microsoft Word - " and file extensions, or None if generic.

    Page headings ("Agenda and minutes"), furniture lines ("ITEM _",
    "Subscribe to updates") and file names are not titles; a shouted title is
    turned into title case.
    """
    if not title:
        return None
    vocab = vocab or load_vocab()
    t = squash(title)
    if t.rstrip(":").lower() in vocab.page_headings or any(rx.match(t) for rx in vocab.skip_line):
        return None
    t = re.sub(r"^microsoft\s+(?:word|powerpoint|excel)\s*-\s*", "", t, flags=re.IGNORECASE)
    t = re.sub(r"\.(?:docx?|pdf|rtf|odt|pptx?|xlsx?)$", "", t, flags=re.IGNORECASE)
    t = t.strip(" -_")
    if len(t) < 4 or not re.search(r"[A-Za-z]{3}", t) or _BAD_DOC_TITLE.match(t):
        return None
    if " " not in t and re.search(r"[_\d]", t):
        return None  # a file name such as "CAB_300125_mins"
    letters = [c for c in t if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) / len(letters) >= 0.75:
        t = smart_title(t)
    return t


def only_body_name(title: str, vocab: Vocab | None = None) -> bool:
    """True when a title is nothing but a body name ("CCLBA Land Transactions Committee")."""
    t = title.strip()
    return any(m.start == 0 and m.end >= len(t) - 1 and not m.generic for m in find_bodies(t, vocab))


def detect_kind(
    text: str,
    *,
    head_end: int,
    title_text: str = "",
    filename: str = "",
    compact_list_in_head: bool = False,
    vocab: Vocab | None = None,
) -> str:
    """Vote for one of :data:`extract.vocab.KINDS`; "other" when no cue is strong enough."""
    vocab = vocab or load_vocab()
    head = text[:head_end]
    # The kind shows long before page 40; capping the scan keeps huge packs fast.
    scopes = {"head": head, "all": text[:_ALL_SCOPE_CHARS], "title": title_text, "filename": filename}
    cues = vocab.kind_cues
    # What each kind can still gain (high) or lose (low) from the cues not yet counted:
    # the whole-text cues are the costly ones, and once one kind is sure to win with
    # a score over the threshold they cannot change the answer, so they are skipped.
    low = dict.fromkeys(KINDS, 0.0)
    high = dict.fromkeys(KINDS, 0.0)
    if compact_list_in_head:
        low["agenda"] += 4.0
        high["agenda"] += 4.0
    for cue in cues:
        if scopes[cue.scope]:
            most = cue.weight * cue.max
            low[cue.group] = low.get(cue.group, 0.0) + min(most, 0.0)
            high[cue.group] = high.get(cue.group, 0.0) + max(most, 0.0)
    counts: dict[int, int] = {}
    for k in sorted(range(len(cues)), key=lambda k: cues[k].scope == "all"):  # cheap scopes first
        cue = cues[k]
        target = scopes[cue.scope]
        if not target:
            continue
        if cue.scope == "all":
            winner = _settled(low, high)
            if winner is not None:
                return winner
        n = 0
        for _ in finditer(cue.regex, target):
            n += 1
            if n >= cue.max:
                break
        counts[k] = n
        most = cue.weight * cue.max
        low[cue.group] += cue.weight * n - min(most, 0.0)
        high[cue.group] += cue.weight * n - max(most, 0.0)
    # every cue counted: the scores summed in the data file's order, as always
    scores = dict.fromkeys(KINDS, 0.0)
    for k, cue in enumerate(cues):
        if k in counts:
            scores[cue.group] = scores.get(cue.group, 0.0) + cue.weight * counts[k]
    if compact_list_in_head:
        scores["agenda"] += 4.0
    best = max(scores, key=lambda k: (scores[k], _PRIORITY.get(k, 0)))
    return best if scores[best] >= _KIND_MIN else "other"


_KIND_MIN = 2.0  # the winning kind needs at least this score
_MARGIN = 1e-6  # bounds are summed in another order than the scores: never decide on a near tie


def _settled(low: dict[str, float], high: dict[str, float]) -> str | None:
    """The kind that wins whatever the uncounted cues find, or None while that is open.

    ``low``/``high`` bound each kind's final score. The kind with the highest
    lower bound has won when that bound passes the threshold and no other
    kind can reach it, even at its upper bound.
    """
    leader = max(low, key=lambda k: low[k])
    floor = low[leader]
    if floor < _KIND_MIN + _MARGIN:
        return None
    if any(k != leader and high[k] + _MARGIN >= floor for k in high):
        return None
    return leader


def make_title(
    *,
    kind: str,
    doc_title: str | None,
    fields: list[Field],
    heading: str | None,
    opening: str | None,
    meeting: MeetingInfo | None,
    items: list[AgendaItem],
    vocab: Vocab | None = None,
) -> str | None:
    """A human title: the document's own when it has one, else built from what was found."""
    vocab = vocab or load_vocab()
    if doc_title:
        return doc_title
    field_title = next((squash(f.value) for f in fields if f.role == "title"), None)
    if field_title:
        return field_title
    body = meeting.body if meeting else None
    if heading:
        if vocab.page_headings.get(heading.lower(), False) and items:
            return f"{heading}: {items[0].title}"
        if body:
            return f"{heading}: {body}"
    if kind in _KIND_LABEL and body:
        title = f"{_KIND_LABEL[kind]}: {body}"
        if meeting and meeting.date:
            title += f", {human_date(meeting.date)}"
        return title
    return opening or heading
