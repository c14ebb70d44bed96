"""A reproducible benchmark corpus built from the demo corpus sources, without the network.

Why generated rather than collected: the benchmark needs hundreds of PDF pages
whose bytes all differ (the archive stores identical bytes once, so copies
would be skipped and measure nothing) and that read like council papers, so
every stage does its real work on them. The text comes from ``corpus/src``
(the fictional Northmere council): its meetings, report and strategy are
re-rendered with reportlab, with place names, people and numbers varied by a
seeded RNG, and mixed into the shapes real archives hold:

* short report and strategy PDFs (fixed pages, footnotes, ruled tables),
* printed-minutes PDFs (flowing text over several pages),
* long "agenda reports pack" PDFs that bind several minutes and reports,
* ModernGov "agenda and minutes" HTML pages and plain-text minutes and summaries.

The corpus is built in shards of about ``pdf_pages`` PDF pages each; shard
``k`` uses seed ``(seed, k)``, so the 1x corpus is shard 0, 2x is shards 0-1
and 4x shards 0-3: larger runs contain the smaller ones and each shard is
built once and cached (keyed by the generator and the demo sources). Files
are written one at a time and never held together in memory.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import random
import re
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CORPUS_SRC = REPO / "corpus" / "src"
GENERATOR_VERSION = 1

# Invented places, all as long as "Northmere" so fixed-page PDFs keep their layout.
PLACES = [
    "Brackmoor", "Oakhollow", "Caldermer", "Linthwick", "Westerlow", "Ravenholt",
    "Stonemere", "Ashworthy", "Kettlebay", "Hollinsby", "Marrowden", "Eastwater",
]
FIRST_NAMES = [
    "Alice", "Amira", "Bethan", "Callum", "Daniel", "Deborah", "Eleanor", "Farid", "Fiona", "Graham",
    "Hannah", "Ian", "Jasmine", "Karen", "Liam", "Marcus", "Nadia", "Oliver", "Priya", "Rachel",
    "Simon", "Tariq", "Ursula", "Victor", "Wendy", "Yusuf", "Zoe", "Gareth", "Moira", "Colin",
]
SURNAMES = [
    "Ashdown", "Barraclough", "Carvell", "Delaney", "Ellery", "Fanshawe", "Gilchrist", "Hartigan",
    "Iqbal", "Jessop", "Kowalski", "Lomax", "Mbeki", "Nuttall", "Osei", "Prendergast", "Quayle",
    "Rowntree", "Sahota", "Thackeray", "Underwood", "Varga", "Wainwright", "Yeats", "Zielinski",
    "Oduya", "Harcourt", "Pemberton", "Tranter", "Voss",
]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

# Per shard: PDF kinds in rotation until the page budget is spent, then this many HTML/text files.
PDF_ROTATION = ("pack", "report", "minutes", "strategy", "minutes", "report")
HTML_PER_SHARD = 30
TEXT_PER_SHARD = 20

_NUMBER = re.compile(r"(?<![\w./\-])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(%?)(?![\w/])")
_LIMB = re.compile(r"^\((\d+)\)\s+(.*)$", re.S)


@dataclass
class ShardStats:
    """What one shard holds (read from its cache marker when already built)."""

    shard: int
    files: int = 0
    pdf_files: int = 0
    pdf_pages: int = 0
    html_files: int = 0
    text_files: int = 0
    bytes: int = 0


def _build_module() -> ModuleType:
    """corpus/src/build.py, imported the way it imports its own content modules."""
    if str(CORPUS_SRC) not in sys.path:
        sys.path.insert(0, str(CORPUS_SRC))
    import build  # noqa: PLC0415 - lives beside the corpus sources, not in a package

    return build


def source_fingerprint() -> str:
    """Hash of the demo sources and this generator: a change rebuilds the cached corpus."""
    h = hashlib.sha256(f"generator-{GENERATOR_VERSION}".encode())
    for p in sorted(CORPUS_SRC.glob("*.py")) + [Path(__file__)]:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:10]


# --------------------------------------------------------------------------- variation


def _people(build: ModuleType) -> list[tuple[str, str]]:
    """(first name, surname) of everyone the answer key names, so they can be renamed."""
    key = build.source("answer_key").answer_key()
    out: dict[str, tuple[str, str]] = {}
    for doc in key["documents"]:
        for person in doc["people"]:
            words = (person.get("name") or "").split()
            surname = person["surname"]
            first = words[0] if len(words) >= 2 and words[-1] == surname else ""
            out.setdefault(surname, (first, surname))
    return sorted(out.values(), key=lambda p: p[1])


class Variant:
    """One consistent rewrite of the demo text: a place, a cast of people, perturbed numbers."""

    def __init__(self, rng: random.Random, people: list[tuple[str, str]]):
        self.rng = rng
        self.place = rng.choice(PLACES)
        subs: dict[str, str] = {"Northmere": self.place}
        firsts = rng.sample(FIRST_NAMES, k=min(len(FIRST_NAMES), len(people)))
        lasts = rng.sample(SURNAMES, k=min(len(SURNAMES), len(people)))
        for (first, last), new_first, new_last in zip(people, firsts, lasts, strict=False):
            subs[last] = new_last
            if first:
                subs[first] = new_first
        self._subs = subs
        self._names = re.compile(r"\b(" + "|".join(map(re.escape, sorted(subs, key=len, reverse=True))) + r")\b",
                                 re.I)

    def names(self, text: str) -> str:
        """Place and people renamed, keeping case (``naomi.strand@`` follows ``Naomi Strand``)."""
        def repl(m: re.Match[str]) -> str:
            word = m[0]
            new = self._subs.get(word) or self._subs.get(word.capitalize()) or word
            return new.lower() if word.islower() else new

        return self._names.sub(repl, text)

    def numbers(self, text: str) -> str:
        """Counts, amounts and percentages redrawn with the same number of digits (same width in Helvetica).

        Years, item numbers and other one- or two-digit numbers stay, so dates and
        structure still read as they did.
        """
        def repl(m: re.Match[str]) -> str:
            whole, frac, pct = m[1], m[2] or "", m[3]
            digits = whole.replace(",", "")
            n = len(digits)
            is_year = n == 4 and "," not in whole and 1900 <= int(digits) <= 2099
            if is_year or (not pct and "," not in whole and n < 3):
                return m[0]
            new = str(self.rng.randint(10 ** (n - 1) if n > 1 else 1, 10**n - 1))
            if "," in whole:
                new = f"{int(new):,}"
            if frac:
                frac = "." + "".join(str(self.rng.randint(0, 9)) for _ in frac[1:])
            return new + frac + pct

        return _NUMBER.sub(repl, text)

    def text(self, text: str) -> str:
        return self.numbers(self.names(text))

    def apply(self, obj: Any) -> Any:
        """:meth:`text` over every string in a nest of tuples, lists and dicts."""
        if isinstance(obj, str):
            return self.text(obj)
        if isinstance(obj, tuple | list):
            return type(obj)(self.apply(x) for x in obj)
        if isinstance(obj, dict):
            return {k: self.apply(v) for k, v in obj.items()}
        return obj

    def pages(self, pages: list[dict]) -> list[dict]:
        """A content module's PAGES rewritten; block kinds ("p", "np" ...) kept as they are."""
        return [{"blocks": [(b[0], *self.apply(b[1:])) for b in page["blocks"]],
                 "footnotes": self.apply(page["footnotes"])} for page in pages]

    def meeting(self, meeting: dict) -> dict:
        """A meeting moved to another year (same day of the year), its minutes rewritten."""
        m = copy.deepcopy(meeting)
        old = date.fromisoformat(m["date"])
        new = old.replace(year=self.rng.randint(2012, 2024))
        m["date"] = new.isoformat()
        time_part = m["when"].rsplit(" ", 2)[-2:]
        m["when"] = f"{WEEKDAYS[new.weekday()]}, {_ordinal(new.day)} {MONTHS[new.month - 1]}, {new.year} " \
                    + " ".join(time_part)
        m["meeting_id"] = self.rng.randint(1000, 99999)
        for item in m["items"]:
            item["minutes"] = [self.text(p) for p in item["minutes"]]
            if "purpose" in item:
                item["purpose"] = self.text(item["purpose"])
        return m


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# --------------------------------------------------------------------------- rendering


def render_flow(blocks: list[tuple], title: str, header: str, author: str) -> tuple[bytes, int]:
    """Blocks set as flowing pages (as minutes and report packs are), with running header and page footer."""
    build = _build_module()
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    width, height = A4
    margin = build.MARGIN

    def decorate(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8.5)
        canvas.setFillColor(colors.HexColor("#404040"))
        canvas.drawString(margin, height - 1.5 * cm, header)
        canvas.line(margin, height - 1.7 * cm, width - margin, height - 1.7 * cm)
        canvas.line(margin, 1.6 * cm, width - margin, 1.6 * cm)
        canvas.drawString(margin, 1.1 * cm, title[:90])
        canvas.drawRightString(width - margin, 1.1 * cm, f"Page {doc.page}")
        canvas.restoreState()

    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf, pagesize=A4, leftMargin=margin, rightMargin=margin, topMargin=2.2 * cm, bottomMargin=2.2 * cm,
        title=title, author=author, subject=title, creator="minutes-extract benchmark corpus (reportlab)",
        invariant=1,
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=decorate)])
    story: list = []
    for block in blocks:
        story += build._flowables(block)
    doc.build(story)
    return buf.getvalue(), doc.page


def meeting_blocks(meeting: dict, body: str, venue: str, *, heading: str = "title") -> list[tuple]:
    """A meeting's minutes as PDF blocks: title, venue, numbered items, paragraphs, bullets, limbs."""
    blocks: list[tuple] = [
        (heading, f"Minutes of the {body}" if heading != "title" else body),
        ("p", f"Minutes of the meeting held on {meeting['when']}") if heading == "title" else
        ("p", f"Held on {meeting['when']}"),
        ("p", f"Venue: {venue}"),
    ]
    for item in meeting["items"]:
        blocks.append(("h", f"{item['number']}. {item['title']}"))
        if "purpose" in item:
            blocks.append(("p", item["purpose"]))
        for para in item["minutes"]:
            limb = _LIMB.match(para)
            if para.startswith("- "):
                blocks.append(("bullet", para[2:]))
            elif limb:
                blocks.append(("np", f"({limb[1]})", limb[2]))
            else:
                blocks.append(("p", para))
    return blocks


def paged_blocks(module: Any, *, with_title: bool = True) -> list[tuple]:
    """A fixed-page document's blocks run together, its footnotes as closing notes."""
    blocks: list[tuple] = [("h", module.TITLE)] if with_title else []
    notes: list[tuple] = []
    for page in module.PAGES:
        blocks += page["blocks"]
        notes += [("p", f"{n}. {t}") for n, t in sorted(page["footnotes"].items())]
    return blocks + notes


def _module_variant(module: ModuleType, v: Variant, name: str) -> SimpleNamespace:
    return SimpleNamespace(
        FILE=name, PAGES=v.pages(module.PAGES), TITLE=v.names(module.TITLE), AUTHOR=v.names(module.AUTHOR),
        HEADER_LEFT=v.names(module.HEADER_LEFT),
        HEADER_RIGHT=v.names(getattr(module, "HEADER_RIGHT", module.TITLE)),
        FOOTER_LEFT=v.names(module.FOOTER_LEFT),
    )


def _paged_pdf(build: ModuleType, module: ModuleType, v: Variant, name: str) -> tuple[bytes, int]:
    """A report or strategy with its fixed pages; if a variant overflows a page, set it flowing instead."""
    mod = _module_variant(module, v, name)
    try:
        return build.render_pdf(mod), len(mod.PAGES)
    except build.CorpusBuildError:
        return render_flow(paged_blocks(mod), mod.TITLE, mod.HEADER_LEFT, mod.AUTHOR)


# --------------------------------------------------------------------------- shards


class _Writer:
    """Writes files of one shard, re-rolling any whose bytes repeat an earlier file."""

    def __init__(self, root: Path, stats: ShardStats):
        self.root = root
        self.stats = stats
        self.seen: set[str] = set()

    def write(self, sub: str, name: str, make: Callable[[], tuple[bytes, int]], tries: int = 5) -> bool:
        for _ in range(tries):
            data, pages = make()
            digest = hashlib.sha256(data).hexdigest()
            if digest in self.seen:
                continue
            self.seen.add(digest)
            folder = self.root / sub
            folder.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(data)
            s = self.stats
            s.files += 1
            s.bytes += len(data)
            if sub == "pdf":
                s.pdf_files += 1
                s.pdf_pages += pages
            elif sub == "html":
                s.html_files += 1
            else:
                s.text_files += 1
            return True
        return False


def build_shard(out: Path, shard: int, *, seed: int = 20240612, pdf_pages: int = 500,
                html_files: int = HTML_PER_SHARD, text_files: int = TEXT_PER_SHARD) -> ShardStats:
    """Write one shard (``pdf/``, ``html/``, ``text/`` under ``out``) and return what it holds."""
    build = _build_module()
    meetings = build.source("content_meetings")
    report = build.source("content_report")
    strategy = build.source("content_strategy")
    summary = build.source("content_summary")
    people = _people(build)
    rng = random.Random(f"{seed}:{shard}")
    stats = ShardStats(shard=shard)
    w = _Writer(out, stats)

    def new_variant() -> Variant:
        return Variant(rng, people)

    n = 0
    while stats.pdf_pages < pdf_pages:
        kind = PDF_ROTATION[n % len(PDF_ROTATION)]
        n += 1
        v = new_variant()
        place = v.place.lower()
        if kind == "report":
            name = f"{place}-report-{shard:02d}-{n:04d}.pdf"
            w.write("pdf", name, lambda v=v, name=name: _paged_pdf(build, report, v, name))
        elif kind == "strategy":
            name = f"{place}-strategy-{shard:02d}-{n:04d}.pdf"
            w.write("pdf", name, lambda v=v, name=name: _paged_pdf(build, strategy, v, name))
        elif kind == "minutes":
            src = rng.choice(meetings.MEETINGS)

            def make(v=v, src=src) -> tuple[bytes, int]:
                m = v.meeting(src)
                body, venue = v.names(meetings.BODY), v.names(meetings.VENUE)
                return render_flow(meeting_blocks(m, body, venue), f"{body} - minutes - {m['date']}",
                                   f"{body} - {m['when']}", v.names(meetings.COUNCIL))

            w.write("pdf", f"{place}-minutes-{shard:02d}-{n:04d}.pdf", make)
        else:  # pack: several meetings' minutes and reports bound as one long PDF
            def make(v=v) -> tuple[bytes, int]:
                body, venue = v.names(meetings.BODY), v.names(meetings.VENUE)
                m0 = v.meeting(rng.choice(meetings.MEETINGS))
                blocks: list[tuple] = [("title", body), ("subtitle", f"Agenda reports pack - {m0['when']}")]
                for _ in range(rng.randint(5, 9)):
                    part = rng.choice(("minutes", "minutes", "report", "strategy"))
                    if part == "minutes":
                        blocks += meeting_blocks(v.meeting(rng.choice(meetings.MEETINGS)), body, venue, heading="h")
                    else:
                        mod = _module_variant(report if part == "report" else strategy, v, "")
                        blocks += paged_blocks(mod)
                return render_flow(blocks, f"{body} - agenda reports pack - {m0['date']}",
                                   f"{body} - {m0['when']}", v.names(meetings.COUNCIL))

            w.write("pdf", f"{place}-reports-pack-{shard:02d}-{n:04d}.pdf", make)

    for i in range(html_files):
        v = new_variant()
        src = meetings.MEETINGS[i % len(meetings.MEETINGS)]

        def make_html(v=v, src=src) -> tuple[bytes, int]:
            return v.names(build.meeting_html(v.meeting(src))).encode("utf-8"), 0

        w.write("html", f"{v.place.lower()}-agenda-and-minutes-{shard:02d}-{i:04d}.html", make_html)
    for i in range(text_files):
        v = new_variant()
        if i % 2:
            def make_text(v=v) -> tuple[bytes, int]:
                return v.text(summary.TEXT).encode("utf-8"), 0
            name = f"{v.place.lower()}-meeting-summary-{shard:02d}-{i:04d}.txt"
        else:
            src = meetings.MEETINGS[(i // 2) % len(meetings.MEETINGS)]

            def make_text(v=v, src=src) -> tuple[bytes, int]:
                return v.names(build.meeting_text(v.meeting(src))).encode("utf-8"), 0
            name = f"{v.place.lower()}-minutes-{shard:02d}-{i:04d}.txt"
        w.write("text", name, make_text)
    return stats


def corpus_shards(root: Path, shards: int, *, seed: int = 20240612, pdf_pages: int = 500,
                  html_files: int = HTML_PER_SHARD, text_files: int = TEXT_PER_SHARD,
                  log: Callable[[str], object] = print) -> list[tuple[Path, ShardStats]]:
    """Shards ``0..shards-1`` under ``root``, building those not cached yet."""
    key = f"v{source_fingerprint()}-s{seed}-p{pdf_pages}-h{html_files}-t{text_files}"
    base = root / key
    out = []
    for k in range(shards):
        folder = base / f"shard-{k:02d}"
        marker = folder / ".built.json"
        if marker.is_file():
            stats = ShardStats(**json.loads(marker.read_text()))
        else:
            if folder.exists():
                for p in sorted(folder.rglob("*"), reverse=True):
                    p.unlink() if p.is_file() else p.rmdir()
            log(f"building corpus shard {k} in {folder} ...")
            stats = build_shard(folder, k, seed=seed, pdf_pages=pdf_pages, html_files=html_files,
                                text_files=text_files)
            marker.write_text(json.dumps(asdict(stats)))
        out.append((folder, stats))
    return out
