"""Plain-text parser: decoding, normalisation, Markdown, link noise, failures."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import pytest

from extract.parse import parse_bytes
from extract.parse.text import decode_bytes, parse_text, strip_link_noise

SEEDS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "seeds"

SENTENCE = "Councillor O’Neill said the “Safer Streets” fund – £25,000 – was café-led…"


@pytest.mark.parametrize(
    "data, encoding",
    [
        (SENTENCE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SENTENCE.encode("utf-8"), "utf-8"),
        (SENTENCE.encode("utf-16"), "utf-16-le"),  # BOM + little-endian
        (codecs.BOM_UTF16_BE + SENTENCE.encode("utf-16-be"), "utf-16-be"),
        (SENTENCE.encode("utf-16-le"), "utf-16-le"),  # no BOM: recognised from the NUL pattern
        (SENTENCE.encode("cp1252"), "cp1252"),  # Word "save as text"
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16be-bom", "utf16le-no-bom", "cp1252"],
)
def test_decoding(data, encoding):
    text, used = decode_bytes(data)
    assert text == SENTENCE
    assert used == encoding
    doc = parse_text(data)
    assert (doc.format, doc.status, doc.error) == ("text", "ok", None)
    assert doc.text == SENTENCE


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_ascii_utf16_without_bom_is_not_binary(encoding):
    doc = parse_text("Minutes of the Audit Committee\nItem 1. Apologies".encode(encoding))
    assert (doc.status, doc.text) == ("ok", "Minutes of the Audit Committee\nItem 1. Apologies")


@pytest.mark.parametrize(
    "data, declared, expected",
    [
        (SENTENCE.encode("utf-8"), "windows-1252", SENTENCE),  # valid UTF-8 wins over a wrong declaration
        (SENTENCE.encode("cp1252"), "utf-8", SENTENCE),  # undecodable declaration falls back
        ("Ελληνικά".encode("iso8859_7"), "iso-8859-7", "Ελληνικά"),  # a correct declaration is used
    ],
)
def test_declared_encoding(data, declared, expected):
    assert decode_bytes(data, declared)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "It’s done.",  # charset-normalizer alone guesses Big5 for this
        "Café",  # ... and UTF-16-BE for this
        "The Board’s “view” was noted … and agreed.",  # ... and cp852 for this
        "£500 – approved",
    ],
)
def test_short_cp1252_text(text):
    assert decode_bytes(text.encode("cp1252")) == (text, "cp1252")


def test_non_western_legacy_encoding_still_detected():
    text = "Заседание совета состоялось в понедельник. " * 10
    decoded, encoding = decode_bytes(text.encode("cp1251"))
    assert decoded == text and encoding == "cp1251"


def test_latin1_text_without_windows_characters():
    data = "Café culture in Würzburg; 3½ hours.".encode("latin-1")
    assert parse_text(data).text == "Café culture in Würzburg; 3½ hours."


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("line one\r\nline two\rline three", "line one\nline two\nline three"),  # CRLF and CR
        ("20\u00a0per\u00a0cent and\u202fmore", "20 per cent and more"),  # NBSP, narrow NBSP
        ("zero\u200bwidth\u200d join\u2060er and soft\u00adhyphen", "zerowidth joiner and softhyphen"),
        ("Word manual\x0bline break", "Word manual\nline break"),
        ("trailing spaces   \nnext", "trailing spaces\nnext"),
        ("para one\n\n\n\n\npara two", "para one\n\npara two"),  # blank runs collapse to one
        ("\n\n  indented first line\n", "  indented first line"),
        ("page one\fpage two", "page one\n\npage two"),
    ],
)
def test_normalisation_keeps_line_breaks(raw, expected):
    assert parse_text(raw.encode("utf-8")).text == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("# Minutes\n\n## 3. Finance ##\nText", "Minutes\n\n3. Finance\nText"),
        ("**RESOLVED** that the report be __noted__.", "RESOLVED that the report be noted."),
        ("Reduce robbery by 15% (*Baseline figure - 1132*)", "Reduce robbery by 15% (Baseline figure - 1132)"),
        ("Lead Member LBB *\tChief Executive", "Lead Member LBB *\tChief Executive"),  # footnote star stays
        ("Ward\tCrimes\n---\t------\nCastle\t1,204", "Ward\tCrimes\nCastle\t1,204"),  # tab-table rule
        ("- first action\n- second action\n1. numbered\n2. list", "- first action\n- second action\n1. numbered\n2. list"),
        ("See [the report](https://example.org/r.pdf) for detail.", "See the report for detail."),
        ("| Ward | Crimes |\n|------|-------:|\n| Castle | 1,204 |", "Ward\tCrimes\nCastle\t1,204"),
        ("Above\n\n---\n\nBelow", "Above\n\nBelow"),
        ("Item 3 #hashtag and C# stay", "Item 3 #hashtag and C# stay"),
        ("2 * 3 * 4 = 24", "2 * 3 * 4 = 24"),
    ],
)
def test_markdown(raw, expected):
    assert parse_text(raw.encode()).text == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Hate Crime - Reporting pdf icon PDF 287 KB", "Hate Crime - Reporting"),
        ("Developing the Framework (PDF 401 KB)", "Developing the Framework"),
        ("Agenda frontsheet (PDF, 132 KB) attached", "Agenda frontsheet attached"),
        ("Pimlico District HeatingPDF 500 KB", "Pimlico District Heating"),
        ("Appendix B Word 45 KB", "Appendix B"),
        ("asked how the police  ...  view the full minutes text for item 3.", "asked how the police  ..."),
        ("View the reasons why item 7. is restricted", ""),
        ("View the decision for item 4b.", ""),
        # content that only looks similar stays
        ("The PDF version of the plan will follow.", "The PDF version of the plan will follow."),
        ("a 73 KB file was circulated", "a 73 KB file was circulated"),
        ("Members wished to view the full report before item 3.", "Members wished to view the full report before item 3."),
    ],
)
def test_strip_link_noise(raw, expected):
    assert strip_link_noise(raw).rstrip() == expected


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 40,
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(2000),
        b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)) * 8,
        b"Minutes of the meeting\x00\x00\x00\x01\x02\x03\x04" * 50,
    ],
    ids=["all-bytes", "png", "zip", "text-with-nuls"],
)
def test_binary_data_fails(data):
    doc = parse_text(data)
    assert (doc.format, doc.status, doc.error, doc.pages) == ("text", "failed", "not a text document (binary data)", [])


@pytest.mark.parametrize("data", [b"", b"   ", b"\n\r\n\t \n", "\u00a0\u200b\n".encode(), codecs.BOM_UTF8])
def test_empty_document_fails(data):
    doc = parse_text(data)
    assert (doc.status, doc.error) == ("failed", "document has no text")


def test_page_and_title():
    doc = parse_text(b"\n\nAgenda and minutes\n\nVenue: Civic Centre\n")
    assert [(p.number, p.text) for p in doc.pages] == [(None, "Agenda and minutes\n\nVenue: Civic Centre")]
    assert doc.title == "Agenda and minutes"
    assert doc.meeting is None and doc.items is None


def test_parse_bytes_dispatches_text():
    doc = parse_bytes("Minutes:\r\nThe Board AGREED.".encode("cp1252"), "notes.txt")
    assert (doc.format, doc.text) == ("text", "Minutes:\nThe Board AGREED.")


# --------------------------------------------------------------------------
# Real text renderings in ../shared (read at run time, never copied)
# --------------------------------------------------------------------------


def seeds() -> list[Path]:
    if not SEEDS.is_dir():
        pytest.skip(f"../shared not present: {SEEDS.resolve()} holds the seed documents")
    return sorted(SEEDS.glob("*.txt"))


def test_seed_documents_parse_and_keep_their_lines():
    for path in seeds():
        raw = path.read_text(encoding="utf-8")
        doc = parse_text(path.read_bytes())
        assert doc.status == "ok", path.name
        # rule lines ("---", "---\t-----") are Markdown table furniture and go
        raw_lines = [ln.strip() for ln in raw.splitlines() if ln.strip() and not re.fullmatch(r"[-=_*\s]{3,}", ln)]
        got_lines = [ln.strip() for ln in doc.text.split("\n") if ln.strip()]
        assert len(got_lines) == len(raw_lines), path.name  # line structure kept
        assert "\u00a0" not in doc.text and "\r" not in doc.text


def test_seed_moderngov_rendering_loses_link_noise():
    paths = [p for p in seeds() if p.name == "barnet-scpb-2015-agenda-and-minutes.txt"]
    if not paths:
        pytest.skip("../shared not present: barnet-scpb-2015-agenda-and-minutes.txt is missing")
    raw = paths[0].read_text(encoding="utf-8")
    text = parse_text(paths[0].read_bytes()).text
    assert re.search(r"pdf icon PDF \d+ KB", raw) and "view the full minutes text" in raw
    assert not re.search(r"PDF \d+ KB|pdf icon|view the full minutes text", text)
    assert text.count("Minutes:") == raw.count("Minutes:")
    assert "\nIntroductions, Apologies for Absence and Minutes of the previous meeting\n" in text
