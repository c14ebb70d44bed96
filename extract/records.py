"""Plain records passed between pipeline stages.

parse → ParsedDocument, segment → Segmentation, store writes them. Records
carry no I/O and no database handles, so every stage can be tested alone and
run in a worker process (records must stay picklable).
"""

from __future__ import annotations

from dataclasses import dataclass, field

PAGE_SEPARATOR = "\n\n"
"""Joins page texts into the document text; offsets are into the joined text."""


@dataclass
class Page:
    """Text of one page. ``number`` is 1-based for PDFs, None for HTML/text."""

    number: int | None
    text: str


@dataclass
class Table:
    """A table kept as rows and cells, never as word soup.

    ``rows[0]`` is the header row when ``header_rows`` is 1. Empty cells are "".
    """

    page: int | None
    index: int
    rows: list[list[str]]
    header_rows: int = 1


@dataclass
class AgendaItem:
    """One numbered agenda item; ``text`` holds its minutes (may be empty).

    ``start``/``end`` are character offsets of the item in the document text
    when known, so later extractors can tell which item a sentence belongs to.
    """

    number: str
    title: str
    text: str = ""
    start: int | None = None
    end: int | None = None


@dataclass
class MeetingInfo:
    """The meeting a document belongs to, as far as the document says."""

    body: str | None = None
    date: str | None = None  # ISO YYYY-MM-DD
    start_time: str | None = None  # HH:MM, 24-hour
    venue: str | None = None
    title: str | None = None
    contact: str | None = None


@dataclass
class ParsedDocument:
    """What a parser returns: text per page, tables and structural hints.

    Parsers never raise for bad input: they return ``status``/``error`` so the
    batch can record the document and go on.
    """

    format: str
    pages: list[Page] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    title: str | None = None
    page_count: int | None = None
    status: str = "ok"
    error: str | None = None
    # Structure the markup gave us directly (ModernGov HTML); when present the
    # segmenter trusts it over text heuristics.
    meeting: MeetingInfo | None = None
    items: list[AgendaItem] | None = None

    @property
    def text(self) -> str:
        return PAGE_SEPARATOR.join(p.text for p in self.pages)

    def page_offsets(self) -> list[tuple[int | None, int, int]]:
        """(page number, start, end) of each page in :attr:`text`."""
        out: list[tuple[int | None, int, int]] = []
        pos = 0
        for p in self.pages:
            out.append((p.number, pos, pos + len(p.text)))
            pos += len(p.text) + len(PAGE_SEPARATOR)
        return out


@dataclass
class Segmentation:
    """What the segmenter derives from a parsed document."""

    kind: str = "other"
    title: str | None = None
    meeting: MeetingInfo | None = None
    items: list[AgendaItem] = field(default_factory=list)
    place: str | None = None  # council area the document is about ("Barnet")


@dataclass
class Span:
    """Provenance shared by every extracted item: where in the document text it is."""

    sentence: str
    start: int  # offset of the item (or its sentence) in ParsedDocument.text
    end: int
    page: int | None = None
    agenda_item: str | None = None  # AgendaItem.number the item falls in


@dataclass
class PersonMention:
    """One place a person is named, with whatever the context says about them."""

    text: str  # surface form as written ("Mr Clifton")
    span: Span
    honorific: str | None = None
    first_name: str | None = None
    surname: str | None = None
    role: str | None = None
    organisation: str | None = None


@dataclass
class FigureItem:
    value: float
    unit: str  # vocab.UNITS
    raw: str
    span: Span
    metric: str | None = None
    direction: str | None = None  # vocab.DIRECTIONS
    period: str | None = None
    table_index: int | None = None  # Table.index when it came from a table cell


@dataclass
class TargetItem:
    metric: str | None
    direction: str | None  # vocab.TARGET_DIRECTIONS
    amount: float | None
    amount_unit: str | None  # vocab.TARGET_UNITS
    span: Span
    baseline_value: float | None = None
    baseline_text: str | None = None
    period: str | None = None
    start_date: str | None = None
    end_date: str | None = None


@dataclass
class ActionItem:
    kind: str  # vocab.ACTION_KINDS
    owner_text: str | None
    description: str
    span: Span
    due_text: str | None = None
    due_date: str | None = None


@dataclass
class DecisionItem:
    kind: str  # vocab.DECISION_KINDS
    text: str
    span: Span


@dataclass
class Extraction:
    """Everything the NLP stage found in one document."""

    people: list[PersonMention] = field(default_factory=list)
    figures: list[FigureItem] = field(default_factory=list)
    targets: list[TargetItem] = field(default_factory=list)
    actions: list[ActionItem] = field(default_factory=list)
    decisions: list[DecisionItem] = field(default_factory=list)
    # Sentences that may report an action done: (sentence, sentence before, completion, report).
    # Found in the worker so action tracking need not re-split every document of a body after
    # each batch; None when not computed (tracking then reads the document text).
    evidence: list[tuple[str, str, bool, bool]] | None = None


@dataclass
class DocumentRecord:
    """Everything the store needs to write one document in one transaction."""

    id: str
    source: str
    filename: str
    sha256: str
    size: int
    parsed: ParsedDocument
    segmentation: Segmentation
    extraction: Extraction = field(default_factory=Extraction)
    seconds: float = 0.0
