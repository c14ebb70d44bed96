"""Checks that the held-out answer key is internally sound (not extraction quality).

The held-out corpus (tests/fixtures/heldout/documents) and its key
(tests/fixtures/heldout/expected.json) were written apart from the extraction
rules so that the team can measure how the extractors generalise. A key with a
typo in an evidence string, a value that is not in its sentence or a unit
outside the vocabulary would silently cost recall, so these tests hold the key
to the format of shared/docs/ANNOTATION.md before anyone scores against it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import cache
from pathlib import Path

import pytest

from extract import vocab

HELDOUT = Path(__file__).resolve().parent / "fixtures" / "heldout"
DOCUMENTS = HELDOUT / "documents"
KEY_PATH = HELDOUT / "expected.json"

DOC_FIELDS = {"document", "kind", "meeting", "people", "actions", "decisions", "figures", "targets", "notes"}
FIELDS = {
    "people": {"name", "surname", "honorific", "role", "organisation"},
    "actions": {"owner", "kind", "description", "due", "evidence"},
    "decisions": {"kind", "evidence"},
    "figures": {"value", "unit", "metric", "direction", "period", "evidence"},
    "targets": {"metric", "direction", "amount", "amount_unit", "baseline", "period", "evidence"},
}
EVIDENCE_FAMILIES = ("actions", "decisions", "figures", "targets")

# Amounts a target may state in words rather than digits ("halve", "five percentage points").
WORD_AMOUNTS = {
    "halve": 50.0, "half": 50.0, "double": 100.0, "one": 1.0, "two": 2.0, "three": 3.0, "four": 4.0,
    "five": 5.0, "six": 6.0, "seven": 7.0, "eight": 8.0, "nine": 9.0, "ten": 10.0,
}  # fmt: skip

_NUMBER = re.compile(r"(\d[\d,]*(?:\.\d+)?)(?:\s*(million|bn|billion|m|k)\b)?", re.I)
_SCALE = {"million": 1e6, "m": 1e6, "bn": 1e9, "billion": 1e9, "k": 1e3}
_WS = re.compile(r"\s+")


def _squash(text: str) -> str:
    """Whitespace-insensitive form: evidence may wrap differently from the document."""
    return _WS.sub(" ", text).strip()


def _load_key() -> dict:
    return json.loads(KEY_PATH.read_text(encoding="utf-8"))


KEY = _load_key()
DOC_KEYS = {d["document"]: d for d in KEY["documents"]}


@cache
def document_text(name: str) -> str:
    """Plain text of a held-out document, read independently of the project's parsers."""
    path = DOCUMENTS / name
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        import pypdfium2

        pdf = pypdfium2.PdfDocument(str(path))
        try:
            return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
        finally:
            pdf.close()
    if suffix in (".html", ".htm"):
        from bs4 import BeautifulSoup

        return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml").get_text(" ")
    return path.read_text(encoding="utf-8")


def numbers_in(text: str) -> set[float]:
    """Every number written with digits in ``text``, scaled by million/m/k suffixes."""
    out: set[float] = set()
    for digits, scale in _NUMBER.findall(text):
        value = float(digits.replace(",", ""))
        out.add(value)
        if scale:
            out.add(value * _SCALE[scale.lower()])
    return out


def _items(family: str) -> list[tuple[str, int, dict]]:
    return [(d["document"], i, it) for d in KEY["documents"] for i, it in enumerate(d[family])]


def _evidence_items() -> list:
    return [
        pytest.param(doc, fam, item, id=f"{doc}:{fam}[{i}]")
        for fam in EVIDENCE_FAMILIES
        for doc, i, item in _items(fam)
    ]


# ----------------------------------------------------------------- bundle shape


def test_bundle_names_the_corpus_and_lists_keys():
    assert KEY["corpus"] == "heldout"
    assert isinstance(KEY["documents"], list) and len(KEY["documents"]) >= 6


def test_keys_and_documents_correspond_one_to_one():
    on_disk = sorted(p.name for p in DOCUMENTS.iterdir() if p.is_file())
    keyed = [d["document"] for d in KEY["documents"]]
    assert len(keyed) == len(set(keyed)), "a document has two keys"
    assert sorted(keyed) == on_disk


@pytest.mark.parametrize("doc", list(DOC_KEYS), ids=list(DOC_KEYS))
def test_key_has_exactly_the_gold_fields(doc):
    key = DOC_KEYS[doc]
    assert DOC_FIELDS - {"notes"} <= set(key) <= DOC_FIELDS
    assert set(key["meeting"]) == {"body", "date"}
    date = key["meeting"]["date"]
    assert date is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", date)
    assert key["kind"] in vocab.KINDS
    for family, fields in FIELDS.items():
        for item in key[family]:
            assert set(item) == fields, f"{family} item {item} has fields {sorted(item)}"
    assert all(isinstance(n, str) and n for n in key.get("notes", []))


DATED = [d for d, k in DOC_KEYS.items() if k["meeting"]["date"]]


@pytest.mark.parametrize("doc", DATED, ids=DATED)
def test_meeting_date_is_written_in_the_document(doc):
    """The ISO date must be the meeting date the document states (day, month name, year)."""
    d = dt.date.fromisoformat(DOC_KEYS[doc]["meeting"]["date"])
    text = _squash(document_text(doc))
    uk = f"{d.day} {d:%B} {d.year}"
    us = f"{d:%B} {d.day}, {d.year}"
    assert uk in text or us in text


# ----------------------------------------------------------------- evidence


@pytest.mark.parametrize(("doc", "family", "item"), _evidence_items())
def test_evidence_is_a_substring_of_the_document(doc, family, item):
    evidence = item["evidence"]
    assert isinstance(evidence, str) and evidence.strip()
    assert _squash(evidence) in _squash(document_text(doc))


@pytest.mark.parametrize(
    ("doc", "item"), [pytest.param(d, it, id=f"{d}:figures[{i}]") for d, i, it in _items("figures")]
)
def test_figure_value_is_written_in_its_evidence(doc, item):
    value = item["value"]
    assert isinstance(value, int | float) and not isinstance(value, bool)
    assert any(abs(abs(value) - n) < 1e-6 for n in numbers_in(item["evidence"])), item


@pytest.mark.parametrize(
    ("doc", "item"), [pytest.param(d, it, id=f"{d}:targets[{i}]") for d, i, it in _items("targets")]
)
def test_target_amount_and_baseline_are_written_in_its_evidence(doc, item):
    numbers = numbers_in(item["evidence"])
    words = {w.lower() for w in re.findall(r"[A-Za-z]+", item["evidence"])}
    amount = item["amount"]
    assert isinstance(amount, int | float)
    stated = any(abs(amount - n) < 1e-6 for n in numbers) or any(WORD_AMOUNTS.get(w) == amount for w in words)
    assert stated, f"amount {amount} not in {item['evidence']!r}"
    if item["baseline"] is not None:
        assert any(abs(item["baseline"] - n) < 1e-6 for n in numbers), item


# ----------------------------------------------------------------- vocabularies


@pytest.mark.parametrize(
    ("family", "field", "allowed", "nullable"),
    [
        ("actions", "kind", vocab.ACTION_KINDS, False),
        ("decisions", "kind", vocab.DECISION_KINDS, False),
        ("figures", "unit", vocab.UNITS, False),
        ("figures", "direction", vocab.DIRECTIONS, True),
        ("targets", "direction", vocab.TARGET_DIRECTIONS, False),
        ("targets", "amount_unit", vocab.TARGET_UNITS, False),
    ],
)
def test_labels_come_from_the_vocabularies(family, field, allowed, nullable):
    bad = [
        (doc, it[field])
        for doc, _, it in _items(family)
        if not (it[field] in allowed or (nullable and it[field] is None))
    ]
    assert not bad


def test_figure_direction_agrees_with_the_sign_of_negative_values():
    wrong = [(d, it) for d, _, it in _items("figures") if it["value"] < 0 and it["direction"] != "decrease"]
    assert not wrong


# ----------------------------------------------------------------- people and owners


def _first_name(person: dict) -> str | None:
    words = person["name"].split()
    return words[0] if len(words) > 1 else None


def _first_names_agree(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return True
    a, b = a.lower().rstrip("."), b.lower().rstrip(".")
    return a == b or (min(len(a), len(b)) == 1 and a[0] == b[0]) or a.startswith(b) or b.startswith(a)


@pytest.mark.parametrize("doc", list(DOC_KEYS), ids=list(DOC_KEYS))
def test_one_entry_per_person_per_document(doc):
    people = DOC_KEYS[doc]["people"]
    clashes = [
        (p["name"], q["name"])
        for i, p in enumerate(people)
        for q in people[i + 1 :]
        if p["surname"].lower() == q["surname"].lower() and _first_names_agree(_first_name(p), _first_name(q))
    ]
    assert not clashes


@pytest.mark.parametrize("doc", list(DOC_KEYS), ids=list(DOC_KEYS))
def test_people_are_named_in_their_document(doc):
    """Surname is the last word of the name, and the name is written in the document."""
    text = _squash(document_text(doc))
    for p in DOC_KEYS[doc]["people"]:
        assert p["name"].split()[-1] == p["surname"], p
        assert p["name"] in text, p
        for field in ("role", "organisation", "honorific"):
            assert p[field] is None or (isinstance(p[field], str) and p[field].strip()), p


@pytest.mark.parametrize("doc", list(DOC_KEYS), ids=list(DOC_KEYS))
def test_action_owners_are_people_of_the_same_document(doc):
    surnames = {p["surname"] for p in DOC_KEYS[doc]["people"]}
    for a in DOC_KEYS[doc]["actions"]:
        assert a["owner"] in surnames, a
        assert a["description"].strip(), a


def test_key_covers_every_family_generously():
    """The held-out set is only useful if each family has enough items to score."""
    totals = {fam: sum(len(d[fam]) for d in KEY["documents"]) for fam in FIELDS}
    assert totals["people"] >= 40
    assert totals["actions"] >= 15
    assert totals["decisions"] >= 15
    assert totals["figures"] >= 80
    assert totals["targets"] >= 10


# ----------------------------------------------------------------- generated PDFs


def test_committed_pdfs_equal_a_fresh_build(tmp_path):
    """build_pdfs.py is deterministic; the committed PDFs must be what it writes."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("heldout_build_pdfs", HELDOUT / "build_pdfs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    built = module.build(tmp_path)
    assert built
    for path in built:
        assert path.read_bytes() == (DOCUMENTS / path.name).read_bytes(), (
            f"{path.name} differs from a fresh build"
        )
