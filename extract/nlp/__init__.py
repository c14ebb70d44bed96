"""The NLP stage: run the spaCy rule pipeline over a parsed document.

:func:`run_nlp` is the only entry point the rest of the package uses. It
splits the document text into chunks (agenda items where the segmenter found
them, else paragraph-aligned blocks under :data:`MAX_CHUNK` characters), runs
``nlp.pipe`` over them, and turns what each family's component left on
``Doc._`` into one :class:`~extract.records.Extraction` with offsets into the
whole document, page numbers and agenda item numbers filled in.

People need one more step across chunks: a lone first name or surname in a
speaker position ("Douglas said") is only a candidate until the document
names that person in full, which may happen in another chunk.
"""

from __future__ import annotations

import bisect
import importlib.util
from collections.abc import Iterable, Iterator
from dataclasses import fields, is_dataclass, replace
from itertools import accumulate
from typing import TYPE_CHECKING, Any

from ..records import Extraction, ParsedDocument, PersonMention, Segmentation, Span
from ._spacy import import_spacy

import_spacy()  # before any component module imports spaCy: without its command-line interface (see _spacy)

if TYPE_CHECKING:
    from spacy.tokens import Doc

MAX_CHUNK = 50_000
"""Characters per chunk; well under spaCy's limit and small enough to keep memory flat."""

MAX_BATCH = 32
"""Chunks that go through the pipeline together (see :func:`pipe_component_major`): at most
``MAX_BATCH * MAX_CHUNK`` characters of docs in memory, whatever the pipeline's ``batch_size``."""

# Doc extension -> Extraction field, for every extraction family.
FAMILIES: dict[str, str] = {
    "person_mentions": "people",
    "figure_items": "figures",
    "target_items": "targets",
    "action_items": "actions",
    "decision_items": "decisions",
}


def chunk_bounds(text: str, seg: Segmentation | None, max_chunk: int = MAX_CHUNK) -> list[tuple[int, int]]:
    """(start, end) character ranges covering ``text``.

    Agenda item starts are cut points (an item's minutes belong together);
    a range longer than ``max_chunk`` is cut again at the last blank line
    (else line break, else space) before the limit, never inside a word.
    """
    n = len(text)
    cuts = {0, n}
    if seg is not None:
        for item in seg.items:
            if item.start is not None and 0 < item.start < n:
                cuts.add(item.start)
    points = sorted(cuts)
    out: list[tuple[int, int]] = []
    for a, b in zip(points, points[1:], strict=False):
        while b - a > max_chunk:
            limit = a + max_chunk
            cut = -1
            for sep in ("\n\n", "\n", " "):
                cut = text.rfind(sep, a + max_chunk // 2, limit)
                if cut > a:
                    cut += len(sep)
                    break
            if cut <= a:
                cut = limit
            out.append((a, cut))
            a = cut
        if b > a:
            out.append((a, b))
    return out


def _locator(parsed: ParsedDocument, seg: Segmentation | None):
    """A function giving (page, agenda item number) for a document offset."""
    pages = parsed.page_offsets()
    page_starts = [start for _num, start, _end in pages]
    items = sorted(
        (
            (it.start, it.end if it.end is not None else 10**12, it.number)
            for it in (seg.items if seg else [])
            if it.start is not None
        ),
    )
    item_starts = [s for s, _e, _n in items]
    # the latest end among the items up to each one: below it, no item can hold a later offset
    reach = list(accumulate((e for _s, e, _n in items), max))

    def find(pos: int) -> tuple[int | None, str | None]:
        page = None
        if pages:
            i = bisect.bisect_right(page_starts, pos) - 1
            if i >= 0:
                page = pages[i][0]
        item = None
        j = bisect.bisect_right(item_starts, pos) - 1
        while j >= 0 and reach[j] > pos:
            s, e, num = items[j]
            if s <= pos < e:
                item = num
                break
            j -= 1
        return page, item

    # The answer changes only where a page or an item starts or an item ends: between two such
    # points it is found once (most items of a chunk share a page and an agenda item).
    points = sorted({*page_starts, *item_starts, *(e for _s, e, _n in items)})
    known: dict[int, tuple[int | None, str | None]] = {}

    def locate(pos: int) -> tuple[int | None, str | None]:
        k = bisect.bisect_right(points, pos)
        got = known.get(k)
        if got is None:
            got = known[k] = find(pos)
        return got

    return locate


def _plain_fields(cls: type) -> tuple[str, ...] | None:
    """Field names of a dataclass whose ``replace`` only copies fields (no ``__post_init__``,
    every field set by ``__init__``, no slots); None for any other class."""
    got = _PLAIN.get(cls, _UNKNOWN)
    if got is _UNKNOWN:
        fs = fields(cls) if is_dataclass(cls) else ()
        plain = (
            bool(fs)
            and len(fs) == len(cls.__dataclass_fields__)  # no ClassVar / InitVar pseudo-fields
            and all(f.init for f in fs)
            and not hasattr(cls, "__post_init__")
            and not hasattr(cls, "__slots__")
        )
        got = tuple(f.name for f in fs) if plain else None
        _PLAIN[cls] = got
    return got  # type: ignore[return-value]


_PLAIN: dict[type, object] = {}
_UNKNOWN = object()


def _replace(obj: Any, **changes: Any) -> Any:
    """``dataclasses.replace(obj, **changes)``, without the generic ``__init__`` call for plain records.

    Every extracted item is copied twice on its way out (item and span), and
    ``replace`` builds keyword arguments for every field each time.
    """
    names = _plain_fields(type(obj))
    if names is None:
        return replace(obj, **changes)
    new = object.__new__(type(obj))
    old = obj.__dict__
    # (all the instance holds are its fields when there are as many entries: ``__init__`` set them all)
    state = old.copy() if len(old) == len(names) else {name: old[name] for name in names}
    state.update(changes)
    new.__dict__ = state
    return new


_SPAN_IS_PLAIN = _plain_fields(Span) is not None and [f.name for f in fields(Span)] == [
    "sentence",
    "start",
    "end",
    "page",
    "agenda_item",
]
"""A :class:`Span` can be built by position from its five fields (checked, in case a field is added)."""


def _shift(span: Span, offset: int, locate) -> Span:
    """``span`` moved by ``offset`` characters, with the page and agenda item of its new start."""
    start = span.start + offset
    page, item = locate(start)
    if type(span) is Span and _SPAN_IS_PLAIN:
        return Span(span.sentence, start, span.end + offset, page, item)
    return _replace(span, start=start, end=span.end + offset, page=page, agenda_item=item)


def _moved(item: Any, offset: int, locate) -> Any:
    """``_replace(item, span=_shift(item.span, offset, locate))``: a copy of an extracted item whose
    span is moved to document offsets, with one call per item instead of three."""
    names = _plain_fields(type(item))
    old = item.__dict__
    if names is None or len(old) != len(names):
        return _replace(item, span=_shift(item.span, offset, locate))
    state = old.copy()
    state["span"] = _shift(old["span"], offset, locate)
    new = object.__new__(type(item))
    new.__dict__ = state
    return new


def _table_figures(parsed: ParsedDocument, text: str) -> list[Any]:
    """Figures from tables, when the tables module of the figures family is present."""
    if importlib.util.find_spec("extract.nlp.tables") is None:
        return []
    from . import tables

    if hasattr(tables, "table_figures"):
        return list(tables.table_figures(parsed.tables, text))
    return list(tables.figures_from_tables(parsed.tables))


def pipe_component_major(nlp: Any, docs: Iterable[Doc]) -> Iterator[Doc]:
    """``nlp.pipe(docs)``, but each batch of docs goes through one component after another.

    ``nlp.pipe`` hands each doc from component to component (a component
    with a ``pipe`` method takes a batch first): every chunk runs the code of
    all six components in turn, and each meets caches the others have just
    filled with their own code and data. Here a batch of ``nlp.batch_size``
    docs, at most :data:`MAX_BATCH` (the chunks of most documents), runs
    through the first component, then the next: the same calls with the same
    docs, so the same results, for about a tenth less CPU over the whole
    pipeline. No more docs are held at once than the sentence component's
    ``pipe`` holds under ``nlp.pipe``. Errors are raised, as spaCy's default
    error handler raises them; an ``nlp`` with another error handler, or one
    that is not a spaCy pipeline (no ``pipeline``), runs its own ``pipe``.
    """
    from spacy.util import minibatch, raise_error

    pipeline = getattr(nlp, "pipeline", None)
    if pipeline is None or getattr(nlp, "default_error_handler", raise_error) is not raise_error:
        yield from nlp.pipe(docs)
        return

    size = max(1, min(nlp.batch_size, MAX_BATCH))
    for batch in minibatch(docs, size=size):
        for _name, proc in pipeline:
            if hasattr(proc, "pipe"):
                batch = list(proc.pipe(batch, batch_size=size))
            else:
                batch = [proc(doc) for doc in batch]
        yield from batch


def run_nlp(parsed: ParsedDocument, seg: Segmentation, nlp: Any = None) -> Extraction:
    """Everything the rule pipeline finds in one document, with document offsets.

    ``nlp`` defaults to :func:`extract.nlp.pipeline.load_nlp` (cached per
    process). ``doc.user_data`` carries ``kind`` and ``meeting_date`` to the
    components that need them, and ``text``, the chunk text (equal to
    ``doc.text``, which spaCy rebuilds from the tokens on every read: read
    it through :func:`extract.nlp.sentences.doc_text`).
    """
    if nlp is None:
        from .pipeline import load_nlp

        nlp = load_nlp()
    from spacy.tokens import Doc

    from .people import confirm_candidates

    text = parsed.text
    locate = _locator(parsed, seg)
    bounds = chunk_bounds(text, seg)
    meeting_date = seg.meeting.date if seg and seg.meeting else None

    def docs() -> Iterable[Doc]:
        for a, b in bounds:
            chunk = text[a:b]
            doc = nlp.make_doc(chunk)
            # the chunk text itself: Doc.text rebuilds it from the tokens on every read
            doc.user_data["text"] = chunk
            doc.user_data["kind"] = seg.kind if seg else None
            doc.user_data["meeting_date"] = meeting_date
            doc.user_data["offset"] = a
            yield doc

    out = Extraction()
    candidates: list[PersonMention] = []
    # (extension, list it fills) for the extensions the pipeline's components registered (each
    # registers its own when built, so ``nlp`` already has them all)
    sinks = [(ext, getattr(out, field_name)) for ext, field_name in FAMILIES.items()]
    sinks.append(("person_candidates", candidates))
    sinks = [(ext, found) for ext, found in sinks if Doc.has_extension(ext)]
    for doc, (a, _b) in zip(pipe_component_major(nlp, docs()), bounds, strict=True):
        underscore = doc._
        for ext, found in sinks:
            for item in getattr(underscore, ext) or ():
                found.append(_moved(item, a, locate))
    if candidates:
        out.people.extend(confirm_candidates(out.people, candidates))
    out.people.sort(key=lambda m: m.span.start)
    # table cells carry their table's page and no text offsets: kept as the tables module made them
    out.figures.extend(_table_figures(parsed, text))
    return out


__all__ = ["FAMILIES", "MAX_BATCH", "MAX_CHUNK", "chunk_bounds", "pipe_component_major", "run_nlp"]
