"""Structural shortcuts of the orchestrator, the sentence and the people components equal the plain
computations they replace (issue 9, session h).

* :func:`extract.nlp.pipe_component_major` runs each batch of chunks through one component after
  another instead of handing every chunk along the whole pipeline (``nlp.pipe``): same results.
* The orchestrator's locator answers once per stretch between page and item boundaries, copies an
  item and moves its span in one step (:func:`extract.nlp._moved`).
* The people component reads the lines under a name from the text on demand
  (:func:`extract.nlp.people._lines_after`), visits only the lines that may be a block's name line
  (:func:`extract.nlp.people._name_lines`), finds the longest honorific per start once, and
  remembers which matched word is used as which honorific.
* The sentence component looks capitals up in one table (the few tokens past it one by one).

All text is fictional minutes written for these tests, plus generated strings.
"""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import extract.nlp as N
from extract.nlp import people as P
from extract.nlp import sentences as S
from extract.nlp.pipeline import load_nlp
from extract.records import (
    ActionItem,
    AgendaItem,
    DecisionItem,
    FigureItem,
    Page,
    ParsedDocument,
    PersonMention,
    Segmentation,
    Span,
    TargetItem,
)

ITEM_1 = (
    "1. Apologies and attendance\n"
    "PRESENT: Councillor Ann Prior (Chair), Mr R. W. Gough, Ms O-Dwyer, Cllr. Dev Patel\n"
    "IN ATTENDANCE: Dr Amara Okafor (Director of Public Health), Superintendent Leach\n"
    "Apologies were received from Councillors Hale, Ng and Brookes.\n\n"
)
ITEM_2 = (
    "2. Community safety update\n"
    "Peter Lindqvist, Community Safety Manager, introduced the report. Lindqvist said that\n"
    "reported incidents had fallen by 12% to 1,450 in 2024/25 against a target of 1,300.\n"
    "Douglas said the Board would review the figures. Douglas Ferrars agreed to report back.\n"
    "ACTION: Head of Finance to circulate the budget by 30 June 2025.\n\n"
)
ITEM_3 = (
    "3. Signatures\n\n"
    "Élodie Marchand\n"
    "Head of Partnerships\n"
    "Kettlebay Borough Council\n\n"
    "Łukasz Nowak\n"
    "Senior Partnership Performance\n"
    "Kettlebay Borough Council\n\n"
    "RESOLVED: that the Board agreed the plan (£2.5m, 3 years).\n"
)
DOCUMENT = ITEM_1 + ITEM_2 + ITEM_3


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def _document(text: str, cut_at: list[str], pages: int = 1) -> tuple[ParsedDocument, Segmentation]:
    """A parsed document of ``text`` on ``pages`` pages, with an agenda item starting at each of ``cut_at``."""
    size = -(-len(text) // pages) if text else 0
    parts = [text[k : k + size] for k in range(0, len(text), size)] if text else [""]
    parsed = ParsedDocument(format="pdf", pages=[Page(n + 1, part) for n, part in enumerate(parts)],
                            page_count=len(parts))
    full = parsed.text
    starts = sorted({full.index(c) for c in cut_at if c in full})
    items = [AgendaItem(number=str(n + 1), title=f"Item {n + 1}", start=s,
                        end=starts[n + 1] if n + 1 < len(starts) else len(full))
             for n, s in enumerate(starts)]
    return parsed, Segmentation(kind="minutes", items=items)


MANY_ITEMS = "".join(f"{n}. Item {n}\nCllr Rosa Quint noted that {n * 7}% of cases closed.\n\n" for n in range(1, 41))


@pytest.mark.parametrize(
    ("text", "cut_at", "pages"),
    [
        (DOCUMENT, ["1. Apol", "2. Comm", "3. Sign"], 2),
        (DOCUMENT, [], 3),  # one chunk
        (DOCUMENT.upper(), ["1. APOL", "3. SIGN"], 1),
        (MANY_ITEMS, [f"{n}. Item {n}\n" for n in range(1, 41)], 4),  # more chunks than a batch (32)
        ("", [], 1),  # no text, no chunk
        ("Ms Patel agreed.", [], 1),
        ("\n\n   \n", [], 1),  # blank chunk
    ],
)
def test_run_nlp_component_major_equals_nlp_pipe(nlp, monkeypatch, text, cut_at, pages):
    parsed, seg = _document(text, cut_at, pages)
    fast = N.run_nlp(parsed, seg, nlp=nlp)
    monkeypatch.setattr(N, "pipe_component_major", lambda nlp_, docs: nlp_.pipe(docs))
    plain = N.run_nlp(parsed, seg, nlp=nlp)
    assert fast == plain
    if "Quint" in text:  # (the chunks did hold people)
        assert sum(m.surname == "Quint" for m in fast.people) >= text.count("Quint") - 4


def _doc_state(doc) -> tuple:
    return (
        doc.user_data.get("sent_spans"),
        doc.user_data.get("cap_tokens"),
        [t.is_sent_start for t in doc],
        *(getattr(doc._, ext) for ext in (*N.FAMILIES, "person_candidates")),
    )


@pytest.mark.parametrize("count", [0, 1, 5, 33, 70])
def test_pipe_component_major_gives_each_doc_what_nlp_pipe_gives(nlp, count):
    texts = [[ITEM_1, ITEM_2, ITEM_3, "", "A.", "Łukasz Nowak\nHead of Finance\n"][k % 6] for k in range(count)]
    plain = [_doc_state(d) for d in nlp.pipe(nlp.make_doc(t) for t in texts)]
    fast = [_doc_state(d) for d in N.pipe_component_major(nlp, (nlp.make_doc(t) for t in texts))]
    assert fast == plain


def test_pipe_component_major_holds_a_bounded_batch_and_keeps_the_error_handler():
    from spacy.util import ignore_error, raise_error

    made: list[int] = []
    calls: list[tuple[str, int, int]] = []  # (component, doc, docs made so far)

    def source(n):
        for k in range(n):
            made.append(k)
            yield k

    class Fake:
        batch_size = 1000

        def __init__(self):
            self.default_error_handler = raise_error  # (as spaCy keeps it: on the instance)
            self.pipeline = [(name, self.probe(name)) for name in ("first", "second")]

        @staticmethod
        def probe(name):
            def component(doc):
                calls.append((name, doc, len(made)))
                return doc

            return component

        def pipe(self, docs):
            return (f"own pipe {d}" for d in docs)

    fake = Fake()
    assert list(N.pipe_component_major(fake, source(70))) == list(range(70))
    assert max(seen - d for _name, d, seen in calls) <= N.MAX_BATCH
    # component by component within a batch: the second sees a doc only after the first saw the batch
    assert [name for name, d, _seen in calls if d < N.MAX_BATCH] == ["first"] * N.MAX_BATCH + ["second"] * N.MAX_BATCH
    fake.default_error_handler = ignore_error
    assert list(N.pipe_component_major(fake, range(2))) == ["own pipe 0", "own pipe 1"]


def test_pipe_component_major_runs_a_plain_pipe_object():
    class Echo:
        def pipe(self, docs):
            return (d.upper() for d in docs)

    assert list(N.pipe_component_major(Echo(), ["a", "b"])) == ["A", "B"]


# ---------------------------------------------------------------------- locator


def _plain_locate(parsed: ParsedDocument, seg: Segmentation, pos: int) -> tuple[int | None, str | None]:
    """Page and agenda item of a document offset, page by page and item by item: the last page starting
    at or before it, and of the items holding it the one latest in (start, end, number) order."""
    page = None
    for num, start, _end in parsed.page_offsets():
        if start <= pos:
            page = num
    item, best = None, None
    for it in seg.items:
        if it.start is None:
            continue
        end = it.end if it.end is not None else 10**12
        if it.start <= pos < end and (best is None or (it.start, end, it.number) > best):
            item, best = it.number, (it.start, end, it.number)
    return page, item


_spans = st.lists(
    st.tuples(st.integers(0, 60), st.one_of(st.none(), st.integers(0, 60)), st.text("abc", min_size=1, max_size=2)),
    max_size=6,
)


@settings(max_examples=150, deadline=None)
@given(page_sizes=st.lists(st.integers(0, 25), min_size=1, max_size=4), items=_spans)
def test_locator_equals_the_plain_lookup(page_sizes, items):
    parsed = ParsedDocument(format="pdf", pages=[Page(n + 1, "x" * size) for n, size in enumerate(page_sizes)],
                            page_count=len(page_sizes))
    seg = Segmentation(items=[AgendaItem(number=num, title="t", start=s, end=e) for s, e, num in items])
    locate = N._locator(parsed, seg)
    # each offset twice, in two orders: the answer kept for a stretch is the answer anywhere in it
    offsets = list(range(-2, len(parsed.text) + 3))
    for pos in offsets + offsets[::-1]:
        assert locate(pos) == _plain_locate(parsed, seg, pos), pos


# ---------------------------------------------------------------------- moving items


@dataclasses.dataclass
class _Checked:
    value: int
    span: Span
    double: int = 0

    def __post_init__(self) -> None:
        self.double = 2 * self.value


@dataclasses.dataclass
class _WideSpan(Span):
    note: str = ""


def _items() -> list:
    span = Span("Ms Patel agreed.", 3, 9)
    extra = PersonMention("Ms Patel", span, honorific="Ms", surname="Patel")
    extra.cached = "not a field"  # an attribute beyond the fields: a copy holds the fields only
    return [
        PersonMention("Ms Patel", span, honorific="Ms", surname="Patel"),
        FigureItem(1450.0, "count", "1,450", span, metric="incidents"),
        TargetItem("incidents", "decrease", 1300.0, "count", span, period="2024/25"),
        ActionItem("commitment", "Ms Patel", "send the terms", span, due_text="June"),
        DecisionItem("agreed", "The Board agreed.", span),
        extra,
        _Checked(3, span),
        PersonMention("Ms Patel", _WideSpan("Ms Patel agreed.", 3, 9, note="wide"), surname="Patel"),
    ]


@pytest.mark.parametrize("offset", [0, 7, 120])
def test_moved_equals_replace_with_a_shifted_span(offset):
    parsed, seg = _document("x" * 200, [], 2)
    seg.items = [AgendaItem("4", "t", start=100, end=None)]
    locate = N._locator(parsed, seg)
    for item in _items():
        page, agenda_item = locate(item.span.start + offset)
        span = dataclasses.replace(item.span, start=item.span.start + offset, end=item.span.end + offset,
                                   page=page, agenda_item=agenda_item)
        want = dataclasses.replace(item, span=span)
        got = N._moved(item, offset, locate)
        assert got == want and type(got) is type(item) and type(got.span) is type(item.span)
        assert got is not item and got.span is not item.span
        assert vars(got).keys() == {f.name for f in dataclasses.fields(item)}
        assert item.span.start == 3  # the original is left alone


# ---------------------------------------------------------------------- people: lines and honorifics

LINE_TEXTS = [
    ITEM_3,
    DOCUMENT,
    "",
    "\n",
    "Name Only",
    "Rosa Quint\n\n\n\nHead of Legal\n",
    "Rosa Quint\n \n\t\n\u2003\nHead of Legal\nKettlebay Council\nNHS Kettlebay\nPolice\nFire",
    "  Rosa Quint  \r\n  Head of Legal\r\n\r\nKettlebay Borough Council",
    "Dr A. Okafor\u00a0\nDirector of Public Health\nKettlebay Borough Council\n\n\n",
    "a line much longer than forty-five characters, so it is not a name line\nRosa Quint.\nÉlodie Marchand:",
    "ÉLODIE MARCHAND\n" + "x" * 44 + "\n" + "X" * 45 + "\n" + "X" * 46 + "\n   " + "Y" * 45 + "   \n",
]


def _plain_lines(text: str) -> list[tuple[int, int, str]]:
    """The component's own table of every line (``_lines``), which the shortcuts must agree with."""
    return P._lines(SimpleNamespace(text=text, _lines=None, _line_starts=[]))  # type: ignore[arg-type]


@pytest.mark.parametrize("text", LINE_TEXTS)
def test_lines_after_equals_the_table_of_lines(text):
    lines = _plain_lines(text)
    starts = [0, *(k + 1 for k, ch in enumerate(text) if ch == "\n")]
    for li, line_start in enumerate(starts):
        eol = text.find("\n", line_start)
        want, blanks = [], 0
        for lj in range(li + 1, len(lines)):
            if len(want) >= 4:
                break
            s, e, stripped = lines[lj]
            if not stripped:
                blanks += 1
                if blanks > 2:
                    break
            else:
                want.append((s, e, stripped, blanks))
                blanks = 0
        assert P._lines_after(text, eol, 4, 2) == want


@pytest.mark.parametrize("text", LINE_TEXTS)
def test_name_lines_are_the_short_capitalised_lines(text):
    want = [(s, e) for s, e, stripped in _plain_lines(text)
            if stripped and len(stripped) <= 45 and stripped[-1] not in ".:;?!" and stripped[0].isupper()]
    assert list(P._name_lines(text)) == want


@pytest.mark.parametrize("text", [DOCUMENT, DOCUMENT.upper(), "DR. MR Cllr. Cllr CLLR Supt. Chief Supt Leach\nMs.\n"])
def test_honorific_at_is_the_longest_match_at_each_start(nlp, text):
    doc = nlp(text)
    comp = nlp.get_pipe("minutes_people")
    view = P._View(doc, comp.vocab, comp.wrapped_line)
    spans: dict[int, list] = {}
    for match_id, a, b in comp.matcher(doc):
        if nlp.vocab.strings[match_id] == "HONORIFIC":
            hon = comp._honorific(view.txt[a] if b == a + 1 else tuple(view.txt[a:b]))
            if hon is not None:
                spans.setdefault(a, []).append((b, hon))
    view.set_honorifics(spans)
    for i in range(view.n):
        best = None
        for j, hon in spans.get(i, ()):
            if best is None or j > best[0]:
                best = (j, hon)
        if best is not None:
            j, hon = best
            if j < view.n and view.txt[j] == "." and not view.ws[j - 1] and len(hon.text) <= 4:
                j += 1
            best = (j, hon)
        assert view.honorific_at(i) == best


def test_remembered_honorifics_do_not_depend_on_what_came_first(nlp):
    """The matched word -> honorific table is filled as words are met: two components fed the same
    texts in opposite orders find the same people in each."""
    texts = [DOCUMENT, DOCUMENT.upper(), DOCUMENT.lower(), "MR SMITH and Mr Smith met Dr Jones and DR JONES."]
    first = P.MinutesPeople(nlp, "people_a", "patterns/people_*.jsonl", 50)
    second = P.MinutesPeople(nlp, "people_b", "patterns/people_*.jsonl", 50)
    one = {t: first.find(nlp(t)) for t in texts}
    other = {t: second.find(nlp(t)) for t in reversed(texts)}
    assert one == other
    assert any(m.surname == "Smith" for m in one[texts[3]].mentions)


# ---------------------------------------------------------------------- sentences: capitals and the one-doc path

UNICODE_TEXTS = [
    "Ǆemal Ⅻ and Ａnna met 𝐀lex, Ⴀna and Ꭰavid. ǅ Ⱥ Ɐ ℂ ℍ ℕ.\n• Ωmega Δelta Жанна ПЕТРОВ",
    "“Quoted” ‘Single’ – Dash … Ellipsis ’Tis ℓ ẞig ǈ\n\nÉtienne O’Neill — 2024–25 £1.2m",
    "no capitals at all here\n\n\t  \n",
    "",
    "A",
]


@pytest.mark.parametrize("text", UNICODE_TEXTS)
def test_capitals_past_the_table_are_found(nlp, text):
    doc = nlp(text)
    assert S.capitalised_tokens(doc) == [t.i for t in doc if t.text[:1].isupper()]


@pytest.mark.parametrize("text", [*UNICODE_TEXTS, DOCUMENT, ITEM_3])
def test_one_doc_path_equals_a_batch(nlp, text):
    comp = nlp.get_pipe("minutes_sentences")
    alone = comp(nlp.make_doc(text))
    batch = list(comp.pipe([nlp.make_doc(text), nlp.make_doc(DOCUMENT)], batch_size=2))[0]
    for key in ("sent_tokens", "sent_spans", "cap_tokens"):
        assert alone.user_data[key] == batch.user_data[key]
    assert tuple(S.token_arrays(alone)) == tuple(S.token_arrays(batch))
    assert [t.is_sent_start for t in alone] == [t.is_sent_start for t in batch]
