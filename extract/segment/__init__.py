"""Segmenter: ParsedDocument -> Segmentation (kind, title, meeting, agenda items).

Structure the parser read from markup (ModernGov HTML fills ``doc.meeting``
and ``doc.items``) is trusted; text heuristics only fill the gaps. Every
offset in the result points into ``doc.text``.
"""

from __future__ import annotations

from dataclasses import fields as dc_fields
from dataclasses import replace

from ..records import AgendaItem, MeetingInfo, ParsedDocument, Segmentation
from .dates import find_dates, parse_date, parse_time
from .items import find_items, head_candidates, head_chain, is_compact_list
from .kind import detect_kind, make_title, meaningful_title, only_body_name, opening_title, page_heading
from .meeting import detect_meeting, find_fields
from .resources import load_vocab
from .textutil import first_line_from, normalise, split_lines

__all__ = ["segment", "parse_date", "find_dates", "parse_time"]

_HEAD_MIN = 1500
_HEAD_MAX = 5000
_HEAD_TEXT = 3000


def head_end_for(doc: ParsedDocument, text: str) -> int:
    """Where "the opening of the document" ends: its first page, within sane bounds."""
    if len(doc.pages) > 1:
        first = len(doc.pages[0].text)
        return min(len(text), max(_HEAD_MIN, min(first, _HEAD_MAX)))
    return min(len(text), _HEAD_TEXT)


def _merge_meeting(given: MeetingInfo | None, derived: MeetingInfo | None) -> MeetingInfo | None:
    if given is None:
        return derived
    if derived is None:
        return replace(given)
    values = {f.name: getattr(given, f.name) or getattr(derived, f.name) for f in dc_fields(MeetingInfo)}
    return MeetingInfo(**values)


def _locate_items(text: str, given: list[AgendaItem]) -> list[AgendaItem]:
    """Copy markup-given items, filling missing offsets by finding each title in the text."""
    lower = text.lower()
    out: list[AgendaItem] = []
    pos = 0
    for it in given:
        start = it.start
        if start is None and it.title:
            found = lower.find(it.title.lower()[:80], pos)
            start = found if found >= 0 else None
        if start is not None:
            pos = start + 1
        out.append(replace(it, start=start))
    for k, it in enumerate(out):
        if it.start is not None and it.end is None:
            nxt = next((o.start for o in out[k + 1 :] if o.start is not None), len(text.rstrip()))
            it.end = max(nxt, it.start)
    return out


from .place import detect_place  # noqa: E402


def segment(doc: ParsedDocument, filename: str = "") -> Segmentation:
    """Derive kind, title, meeting and agenda items for one parsed document."""
    vocab = load_vocab()
    text = normalise(doc.text)
    if not text.strip():
        return Segmentation(kind="other", title=meaningful_title(doc.title), meeting=doc.meeting,
                            items=list(doc.items or []))
    lines = split_lines(text)
    head_end = head_end_for(doc, text)
    max_line = first_line_from(lines, head_end)
    fields = find_fields(lines, vocab, max_line)
    heading = page_heading(lines, vocab)
    opening = opening_title(lines, vocab)
    doc_title = meaningful_title(doc.title, vocab)
    if doc_title and opening and opening.lower().startswith(doc_title.lower()) and len(opening) <= 160:
        # The text parser's title is the first line of a longer title block.
        doc_title = meaningful_title(opening, vocab)
    field_title = next((f.value for f in fields if f.role == "title"), None)
    # A ModernGov page heading says what the page is; item titles below it would mislead.
    title_text = heading or " | ".join(t for t in (doc_title, field_title, opening) if t)
    head_cands = head_candidates(lines, head_end, vocab, text)  # (find_items reuses them)
    kind = detect_kind(
        text,
        head_end=head_end,
        title_text=title_text,
        filename=filename,
        compact_list_in_head=is_compact_list(head_chain(lines, head_end, vocab, text, head_cands), lines),
        vocab=vocab,
    )
    derived = detect_meeting(text, lines, head_end=head_end, kind=kind, vocab=vocab, fields=fields)
    meeting = _merge_meeting(doc.meeting, derived)
    if doc.items:
        items = _locate_items(text, doc.items)
    else:
        items = find_items(text, lines, kind=kind, head_end=head_end, vocab=vocab, head=head_cands)
    if doc_title and only_body_name(doc_title, vocab):
        doc_title = None  # "Cabinet" names the meeting, not the document: build a title instead
    title = make_title(
        kind=kind,
        doc_title=doc_title,
        fields=fields,
        heading=heading,
        opening=opening,
        meeting=meeting,
        items=items,
        vocab=vocab,
    )
    return Segmentation(kind=kind, title=title, meeting=meeting, items=items, place=detect_place(text))
