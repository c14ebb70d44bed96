"""Property-based fuzzing of the parsers, the segmenter and the whole per-file pipeline.

Inputs are random bytes and real documents mutated (bytes flipped, cut,
duplicated; markup and minutes cues spliced in): the demo corpus, the
project's HTML fixtures and, when present, ``../shared/corpus``. Properties:
no exception escapes, no parser reaches its catch-all "unexpected error"
branch (that branch hides bugs), statuses are from the vocabulary, and every
offset (agenda items, extracted spans) lies inside the document text.

Examples are few, deterministic (``derandomize``) and deadline-free, so the
file runs in seconds and never flakes in CI. For a deep, random run set
``MINUTES_FUZZ_SCALE`` (e.g. ``MINUTES_FUZZ_SCALE=20 pytest tests/test_fuzz_parsers.py``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import CORPUS, REPO, SHARED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract.detect import detect_format, unsupported_format
from extract.parse.html import parse_html
from extract.parse.pdf import parse_pdf
from extract.parse.text import parse_text
from extract.pipeline import Limits, process_bytes
from extract.records import ParsedDocument
from extract.segment import segment
from extract.vocab import FORMATS, STATUSES

FIXTURES = REPO / "tests" / "fixtures"
MAX_SEED = 30_000  # bytes of each text seed: enough structure, fast examples


def _files(*patterns: tuple[Path, str]) -> list[Path]:
    out: list[Path] = []
    for folder, pattern in patterns:
        if folder.is_dir():
            out += sorted(folder.glob(pattern))
    return out


TEXT_SEEDS = [p.read_bytes()[:MAX_SEED] for p in _files(
    (CORPUS, "*.txt"), (SHARED / "corpus" / "seeds", "*.txt"))]
HTML_SEEDS = [p.read_bytes()[:MAX_SEED * 2] for p in _files(
    (CORPUS, "*.html"), (FIXTURES / "html", "*.html"), (SHARED / "corpus" / "html", "*.htm*"))]
PDF_SEEDS = [p.read_bytes() for p in _files((CORPUS, "*.pdf"), (SHARED / "corpus" / "pdf", "*.pdf"))
             if p.stat().st_size < 200_000]

# Fragments that have broken parsers and line-based rules before: control characters, odd
# line ends, BOMs mid-file, markup, minutes cues, numbers, and very long tokens.
SPLICES = [
    b"\x00", b"\r", b"\r\n", b"\x0c", b"\xef\xbb\xbf", b"\xff\xfe", b"\xe2\x80\xa8", b"\xc2\xa0", b"\xe2\x80\x8b",
    b"\xc2\xad", b"\x80", b"\xed\xa0\x80", b"<p>", b"</td></tr></table>", b"<br/>", b"<script>", b"<!--", b"]]>",
    b"&nbsp;", b"&#0;", b"&#xD800;", b"\n1. ", b"\n12.3 ", b"\n(a) ", b"\nRESOLVED: ", b"\nAction: ",
    b"\nPresent: ", b"\nMinutes of the meeting held on 31 February 2024 at 25.61 pm\n", b"\xc2\xa3",
    b"\xe2\x80\x93", b"%", b"9" * 400, b"x" * 5000, b" \t" * 300, b"\n" * 200, b"%PDF-", b"%%EOF",
    b"endstream", b"/Count 0", b"/Encrypt", b"obj <<",
]


@st.composite
def mutated(draw, seeds: list[bytes], max_ops: int = 6) -> bytes:
    """A seed with a few random edits: flip, delete, insert a splice, duplicate, truncate."""
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(0, max_ops))):
        op = draw(st.sampled_from(["flip", "delete", "splice", "dup", "truncate"]))
        pos = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "flip" and data:
            data[pos] ^= 1 << draw(st.integers(0, 7))
        elif op == "delete":
            del data[pos: pos + draw(st.integers(1, 64))]
        elif op == "splice":
            data[pos:pos] = draw(st.sampled_from(SPLICES))
        elif op == "dup":
            data[pos:pos] = data[pos: pos + draw(st.integers(1, 2000))]
        elif op == "truncate" and draw(st.integers(0, 3)) == 0:
            del data[pos:]
    return bytes(data)


FUZZ_SCALE = float(os.environ.get("MINUTES_FUZZ_SCALE", "1"))


def fuzz(n: int):
    return settings(max_examples=max(1, int(n * FUZZ_SCALE)), deadline=None, derandomize=FUZZ_SCALE == 1,
                    database=None, print_blob=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])


RANDOM_TEXT = st.one_of(
    st.binary(max_size=3000),
    st.text(max_size=2000).map(lambda s: s.encode("utf-8", "surrogatepass")),
    st.text(alphabet=st.characters(max_codepoint=0x2FF), max_size=2000).map(
        lambda s: s.encode("utf-16" if len(s) % 2 else "cp1252", "replace")),
)


def check_parsed(doc: ParsedDocument, catch_all: str) -> None:
    """What every parser result must satisfy."""
    assert isinstance(doc, ParsedDocument)
    assert doc.format in FORMATS
    assert doc.status in STATUSES
    assert not (doc.error or "").startswith(catch_all), f"parser reached its catch-all: {doc.error}"
    if doc.status != "ok":
        assert doc.error, "a document that is not ok says why"
    text = doc.text
    for _num, start, end in doc.page_offsets():
        assert 0 <= start <= end <= len(text)
    for item in doc.items or []:
        if item.start is not None:
            assert 0 <= item.start <= len(text)
        if item.end is not None:
            assert item.start is None or item.start <= item.end <= len(text)
    for table in doc.tables:
        assert all(isinstance(cell, str) for row in table.rows for cell in row)


def check_segmentation(doc: ParsedDocument) -> None:
    seg = segment(doc, "fuzz.txt")
    n = len(doc.text)
    for item in seg.items:
        assert item.start is None or 0 <= item.start <= n, f"item {item.number} starts outside the text"
        assert item.end is None or (item.start or 0) <= item.end <= n, f"item {item.number} ends outside the text"
    if seg.meeting and seg.meeting.date:
        assert len(seg.meeting.date) == 10 and seg.meeting.date[4] == "-"


@fuzz(200)
@given(st.one_of(RANDOM_TEXT, mutated(TEXT_SEEDS + HTML_SEEDS)))
def test_parse_text_never_raises(data):
    check_parsed(parse_text(data), "could not read text:")


@fuzz(120)
@given(st.one_of(RANDOM_TEXT, mutated(HTML_SEEDS)))
def test_parse_html_never_raises(data):
    check_parsed(parse_html(data), "could not parse HTML:")


@pytest.mark.skipif(not PDF_SEEDS, reason="no PDF in corpus/documents")
@fuzz(150)
@given(mutated(PDF_SEEDS, max_ops=4))
def test_parse_pdf_never_raises_on_damaged_pdfs(data):
    check_parsed(parse_pdf(data), "could not read the PDF:")


@fuzz(80)
@given(mutated(TEXT_SEEDS + HTML_SEEDS))
def test_segment_offsets_lie_inside_the_text(data):
    doc = parse_html(data) if detect_format(data) == "html" else parse_text(data)
    if doc.status == "failed":
        return
    check_segmentation(doc)


@fuzz(300)
@given(st.one_of(st.binary(max_size=4096), mutated(TEXT_SEEDS + HTML_SEEDS + PDF_SEEDS, max_ops=3)))
def test_detect_format_always_answers(data):
    assert detect_format(data, "x.pdf") in FORMATS
    unsupported_format(data)


@given(st.text(min_size=1, max_size=400))
@fuzz(60)
def test_detect_format_reads_utf16_html(body):
    data = f"<html><body><p>{body}</p></body></html>".encode("utf-16", "surrogatepass")
    assert detect_format(data) == "html"


@fuzz(40)
@given(mutated(TEXT_SEEDS + HTML_SEEDS + PDF_SEEDS, max_ops=4))
def test_pipeline_offsets_lie_inside_the_text(data):
    """The whole per-file pipeline, NLP included: extracted spans point into the stored text."""
    rec = process_bytes(data, "fuzz", Limits())
    assert rec.parsed.status in STATUSES
    assert "a bug, please report it" not in (rec.parsed.error or ""), rec.parsed.error
    n = len(rec.parsed.text)
    for item in rec.segmentation.items:
        assert item.start is None or 0 <= item.start <= (item.end if item.end is not None else n) <= n
    for family in ("people", "figures", "targets", "actions", "decisions"):
        for x in getattr(rec.extraction, family):
            if getattr(x, "table_index", None) is not None:
                continue
            assert 0 <= x.span.start <= x.span.end <= n, f"{family} span outside the text"
