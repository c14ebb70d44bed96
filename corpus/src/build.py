"""Regenerate the Northmere demo corpus from its sources, byte for byte.

The demo corpus (``corpus/documents/``) is generated, not hand-edited: the
text lives in ``content_*.py`` beside this script and the answer key in
``answer_key.py``. Building writes

* three ModernGov-style "Agenda and minutes" HTML pages,
* a 4-page committee report PDF with a cover table, running header and
  footer, a data table and superscript footnote markers,
* a 3-page strategy PDF with targets and a signed foreword,
* a plain-text meeting summary,
* ``corpus/expected.json``, the answer key in the shared gold format.

Output is deterministic (fixed metadata, reportlab ``invariant=1``) so the
committed files can be checked against a fresh build. Before writing the key
the build checks that every evidence string and surname in it occurs in its
document, so the key cannot drift from the text.

Usage: ``python corpus/src/build.py [--out DIR] [--expected FILE]``
"""

from __future__ import annotations

import argparse
import html
import importlib
import io
import json
import re
import sys
from pathlib import Path
from string import Template
from types import ModuleType
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

SRC = Path(__file__).resolve().parent
CORPUS = SRC.parent
DOCUMENTS = CORPUS / "documents"
EXPECTED = CORPUS / "expected.json"


class CorpusBuildError(ValueError):
    """The sources are inconsistent (page overflow, evidence not in its document ...)."""


def source(name: str) -> ModuleType:
    """Import one of the source modules that live beside this script."""
    if str(SRC) not in sys.path:
        sys.path.insert(0, str(SRC))
    return importlib.import_module(name)


# --------------------------------------------------------------------------- markup

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_FOOTNOTE = re.compile(r"\[\^(\d+)\]")
_LIMB = re.compile(r"^\((\d+)\)\s+(.*)$", re.S)


def plain(text: str) -> str:
    """Source markup removed: the words a reader (and a parser) sees."""
    return _FOOTNOTE.sub("", _BOLD.sub(r"\1", text))


def inline_html(text: str) -> str:
    return _BOLD.sub(r"<b>\1</b>", html.escape(text, quote=False))


def inline_rl(text: str) -> str:
    """Reportlab paragraph markup: bold, and footnote markers raised and smaller as Word sets them."""
    out = _BOLD.sub(r"<b>\1</b>", html.escape(text, quote=False))
    return _FOOTNOTE.sub(r'<super rise="3.5" size="7">\1</super>', out)


# --------------------------------------------------------------------------- HTML (ModernGov)

PAGE = Template("""\
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>Agenda and minutes - $body - $when | $council</title>
<meta name="DC.title" content="Agenda for $body on $when_meta" />
<meta name="DC.date" scheme="W3CDTF" content="$date" />
<meta name="DC.creator" content="$council" />
<meta name="DC.subject" scheme="eGMS.IPSV" content="Government, politics and public administration" />
<link type="text/css" href="SiteSpecific/ssMgStyles.css" rel="stylesheet" />
<link type="text/css" href="SiteSpecific/ssWordStyles.css" rel="stylesheet" />
<link type="text/css" href="jquery-ui/css/Smoothness/jquery-ui-1.13.2.custom.css" rel="stylesheet" />
<script type="text/javascript" src="jquery-ui/js/jquery-3.7.1.min.js"></script>
<script type="text/javascript" src="jquery-ui/js/jquery-ui-1.13.2.custom.min.js"></script>
<script type="text/javascript">
  var mgJsVars = { committeeId: $committee_id, meetingId: $meeting_id, version: 4 };
  jQuery(document).ready(function () {
    jQuery(".mgAiTitleLnk").attr("aria-describedby", "mgItemHelp");
    if (window.localStorage && localStorage.getItem("ssCookieChoice") === null) {
      jQuery("#ssCookieBanner").show();
    }
  });
</script>
<style type="text/css">
  .mgHide { position: absolute; left: -9999px; }
  #ssCookieBanner { display: none; }
</style>
</head>
<body>
<div id="ssCookieBanner" role="region" aria-label="Cookie banner">
  <p>We use cookies to make this site work and to understand how it is used.
  <a href="/cookies">Read our cookie policy</a>.</p>
  <button type="button" id="ssCookieAccept">Accept all cookies</button>
  <button type="button" id="ssCookieReject">Reject optional cookies</button>
</div>
<div id="ssSkipLinks"><a href="#mgMainContent">Skip to main content</a></div>
<div id="ssHeader">
  <a id="ssLogo" href="https://www.northmere.gov.uk/"><img src="SiteSpecific/images/logo.png" alt="$council logo" /></a>
  <form id="ssSearch" action="https://www.northmere.gov.uk/search" method="get">
    <label for="ssSearchBox">Search this site</label>
    <input type="text" id="ssSearchBox" name="q" />
    <input type="submit" value="Search" />
  </form>
  <ul id="ssNav">
    <li><a href="https://www.northmere.gov.uk/">Home</a></li>
    <li><a href="https://www.northmere.gov.uk/bins-and-recycling">Bins and recycling</a></li>
    <li><a href="https://www.northmere.gov.uk/council-tax">Council tax</a></li>
    <li><a href="https://www.northmere.gov.uk/council-and-democracy">Council and democracy</a></li>
    <li><a href="mgMemberIndex.aspx?bcr=1">Councillors</a></li>
    <li><a href="ieDocHome.aspx?bcr=1">Committee meetings</a></li>
  </ul>
</div>
<div id="ssBreadcrumb">
  <ul>
    <li><a href="https://www.northmere.gov.uk/">Home</a></li>
    <li><a href="ieDocHome.aspx?bcr=1">Council and democracy</a></li>
    <li><a href="mgListCommittees.aspx?bcr=1">Committee structure</a></li>
    <li><a href="ieListMeetings.aspx?CommitteeId=$committee_id">$body</a></li>
    <li>Meeting</li>
  </ul>
</div>
<div id="modgov">
<div class="mgHeader"><h1 class="mgMainTitleTxt">Agenda and minutes</h1></div>
<div class="mgSubTitle"><h2 class="mgSubTitleTxt">$body - $when</h2></div>
<div class="mgLinks">
<ul class="mgActionList">
  <li><a href="mgMeetingAttendance.aspx?ID=$meeting_id">Attendance details</a></li>
  <li><a href="ieListMeetings.aspx?CommitteeId=$committee_id">Other meetings of this committee</a></li>
  <li><a href="mgCommitteeDetails.aspx?ID=$committee_id">Committee details</a></li>
  <li><a href="mgCalendarMonthView.aspx?GL=1&amp;bcr=1">Meetings calendar</a></li>
</ul>
</div>
<div class="mgContent" id="mgMainContent">
<p><span class="mgLabel">Venue: </span>$venue</p>
<p><span class="mgLabel">Contact: </span><a href="mgUserInfo.aspx?UID=2231">$contact_name</a>&nbsp; Tel: $contact_phone Email: <a href="mailto:$contact_email">$contact_email</a></p>
<h2 class="mgSectionTitle">Items</h2>
<table class="mgItemTable" summary="Table of items for meeting">
<tr>
<th abbr="No." scope="col">No.</th>
<th scope="col">Item</th>
</tr>
$items</table>
</div>
<div class="mgSideBar">
<h2 class="mgSideBarTitle">Meeting documents</h2>
<table class="mgMainTable" summary="Documents for this meeting">
$documents</table>
<p class="mgLastUpdated">Printed minutes published by Democratic Services.</p>
</div>
</div>
<div id="ssFooter">
  <ul>
    <li><a href="https://www.northmere.gov.uk/accessibility">Accessibility statement</a></li>
    <li><a href="https://www.northmere.gov.uk/privacy">Privacy notice</a></li>
    <li><a href="https://www.northmere.gov.uk/contact-us">Contact us</a></li>
  </ul>
  <p>&copy; $council. Powered by Modern.Gov.</p>
</div>
<script type="text/javascript">
  jQuery("#ssCookieAccept").on("click", function () { localStorage.setItem("ssCookieChoice", "all"); jQuery("#ssCookieBanner").hide(); });
  jQuery("#ssCookieReject").on("click", function () { localStorage.setItem("ssCookieChoice", "essential"); jQuery("#ssCookieBanner").hide(); });
</script>
</body>
</html>
""")


def _doc_href(ref: str, title: str) -> str:
    return "documents/" + ref + "/" + title.replace(" ", "%20") + ".pdf"


def _pdf_link(title: str, size: str, ref: str) -> str:
    return (f'<a href="{_doc_href(ref, title)}" title="{html.escape(title)} opens in new window" target="_blank">'
            f'<img class="mgPdfIcon" src="mgImages/logo-pdf.gif" alt="pdf icon" />&nbsp;{size}</a>')


def minutes_html(paragraphs: list[str]) -> str:
    """Word-pasted minutes as ModernGov shows them: MsoNormal paragraphs with blank spacers."""
    out: list[str] = []
    bullets: list[str] = []

    def flush() -> None:
        if bullets:
            out.append('<ul style="margin-top:0cm" type="disc">')
            out.extend(f'<li class="MsoNormal">{inline_html(b)}</li>' for b in bullets)
            out.append("</ul>")
            out.append('<p class="MsoNormal">&nbsp;</p>')
            bullets.clear()

    for para in paragraphs:
        if para.startswith("- "):
            bullets.append(para[2:])
            continue
        flush()
        limb = _LIMB.match(para)
        if limb:
            out.append(f'<p class="MsoNormal" style="margin-left:36.0pt;text-indent:-36.0pt">({limb[1]})'
                       f'<span style="mso-tab-count:1">&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; </span>'
                       f'{inline_html(limb[2])}</p>')
        else:
            out.append(f'<p class="MsoNormal">{inline_html(para)}</p>')
        out.append('<p class="MsoNormal">&nbsp;</p>')
    flush()
    return "\n".join(out)


def item_html(item: dict, ai_id: int) -> str:
    title = html.escape(item["title"], quote=False)
    head = (f'<a href="mgAi.aspx?ID={ai_id}" class="mgAiTitleLnk" '
            f'title="Link to further information for agenda item {item["number"]}.">{title}</a>')
    if "link" in item:
        head += "&nbsp;" + _pdf_link(*item["link"])
    parts = [
        "<tr>",
        f'<td class="mgItemNumberCell"><p class="mgAiTitleTxt">{item["number"]}.</p></td>',
        "<td>",
        f'<p class="mgAiTitleTxt">{head}</p>',
    ]
    if "purpose" in item:
        parts.append(f'<div class="mgWordPara"><p>{inline_html(item["purpose"])}</p></div>')
    if "additional" in item:
        links = "".join(f"<li>{_pdf_link(t, s, r).replace('&nbsp;', '&nbsp;' + html.escape(t) + ' ', 1)}</li>"
                        for t, s, r in item["additional"])
        parts.append('<div class="mgAdditionalDocs"><p class="mgSubItemTitleTxt">Additional documents:</p>'
                     f'<ul class="mgBulletList">{links}</ul></div>')
    parts += [
        '<p class="mgSubItemTitleTxt">Minutes:</p>',
        '<div class="mgWordPara">',
        minutes_html(item["minutes"]),
        "</div>",
        "</td>",
        "</tr>",
    ]
    return "\n".join(parts) + "\n"


def _when_meta(when: str) -> str:
    """'Wednesday, 12th June, 2024 2.00 pm' -> 'Wednesday, 12th June, 2024, 2.00 pm' (ModernGov DC.title)."""
    return re.sub(r"(\d{4}) ", r"\1, ", when, count=1)


def meeting_html(meeting: dict) -> str:
    m = source("content_meetings")
    items = "".join(item_html(it, meeting["first_item_id"] + i) for i, it in enumerate(meeting["items"]))
    documents = "".join(
        f'<tr><td><a href="{_doc_href(ref, title)}" target="_blank">{title}</a></td><td>{size}</td></tr>\n'
        for title, size, ref in meeting["documents"])
    return PAGE.substitute(
        body=m.BODY, council=m.COUNCIL, when=meeting["when"], when_meta=_when_meta(meeting["when"]),
        date=meeting["date"], committee_id=m.COMMITTEE_ID, meeting_id=meeting["meeting_id"],
        venue=html.escape(m.VENUE), contact_name=m.CONTACT_NAME, contact_phone=m.CONTACT_PHONE,
        contact_email=m.CONTACT_EMAIL, items=items, documents=documents)


def meeting_text(meeting: dict) -> str:
    """The words of a minutes page (without navigation), used to check the answer key."""
    m = source("content_meetings")
    lines = [f"{m.BODY} - {meeting['when']}", f"Venue: {m.VENUE}",
             f"Contact: {m.CONTACT_NAME} Tel: {m.CONTACT_PHONE} Email: {m.CONTACT_EMAIL}"]
    for it in meeting["items"]:
        lines.append(f"{it['number']}. {it['title']}")
        if "purpose" in it:
            lines.append(it["purpose"])
        lines += [plain(p[2:] if p.startswith("- ") else p) for p in it["minutes"]]
    return "\n".join(lines)


# --------------------------------------------------------------------------- PDF (reportlab)

BODY_SIZE = 10.5
STYLES = {
    "p": ParagraphStyle("p", fontName="Helvetica", fontSize=BODY_SIZE, leading=14, spaceAfter=6, alignment=TA_LEFT),
    "np": ParagraphStyle("np", fontName="Helvetica", fontSize=BODY_SIZE, leading=14, spaceAfter=6,
                         leftIndent=1.1 * cm, bulletIndent=0),
    "h": ParagraphStyle("h", fontName="Helvetica-Bold", fontSize=12.5, leading=16, spaceBefore=8, spaceAfter=5),
    "h2": ParagraphStyle("h2", fontName="Helvetica-Bold", fontSize=11, leading=14, spaceBefore=6, spaceAfter=3),
    "title": ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=22, leading=27, spaceAfter=6),
    "subtitle": ParagraphStyle("subtitle", fontName="Helvetica", fontSize=13, leading=17, spaceAfter=14,
                               textColor=colors.HexColor("#1f4e79")),
    "bullet": ParagraphStyle("bullet", fontName="Helvetica", fontSize=BODY_SIZE, leading=14, spaceAfter=4,
                             leftIndent=0.8 * cm, bulletIndent=0.2 * cm),
    "cell": ParagraphStyle("cell", fontName="Helvetica", fontSize=9.5, leading=12),
    "cellb": ParagraphStyle("cellb", fontName="Helvetica-Bold", fontSize=9.5, leading=12),
    "caption": ParagraphStyle("caption", fontName="Helvetica-Bold", fontSize=9.5, leading=12, spaceBefore=4,
                              spaceAfter=4),
    "note": ParagraphStyle("note", fontName="Helvetica-Oblique", fontSize=8.5, leading=11, spaceBefore=3,
                           spaceAfter=8),
    "sign": ParagraphStyle("sign", fontName="Helvetica", fontSize=BODY_SIZE, leading=14),
    "signname": ParagraphStyle("signname", fontName="Helvetica-Bold", fontSize=BODY_SIZE, leading=14,
                               spaceBefore=14),
    "footnote": ParagraphStyle("footnote", fontName="Helvetica", fontSize=8, leading=10),
}
MARGIN = 2.5 * cm
FOOTNOTE_AREA = 2.6 * cm


class Bulleted(Flowable):
    """A paragraph with a drawn bullet.

    Reportlab writes the text bullet of the standard fonts as code 127, which
    text extractors cannot map ("(cid:127)"); a drawn dot keeps the text layer
    clean, as in PDFs made by word processors that use a symbol font.
    """

    def __init__(self, para: Paragraph) -> None:
        super().__init__()
        self.para = para

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width, self.height = self.para.wrap(avail_width, avail_height)
        return self.width, self.height

    def getSpaceBefore(self) -> float:  # noqa: N802 - reportlab's API
        return self.para.getSpaceBefore()

    def getSpaceAfter(self) -> float:  # noqa: N802 - reportlab's API
        return self.para.getSpaceAfter()

    def draw(self) -> None:
        style = self.para.style
        self.para.drawOn(self.canv, 0, 0)
        first_baseline = self.height - style.fontSize
        self.canv.circle(style.bulletIndent + 2, first_baseline + style.fontSize * 0.3, 1.7, stroke=0, fill=1)


def _flowables(block: tuple) -> list:
    kind = block[0]
    if kind in ("p", "h", "h2", "title", "subtitle"):
        return [Paragraph(inline_rl(block[1]), STYLES[kind])]
    if kind in ("np", "rec"):
        return [Paragraph(inline_rl(block[2]), STYLES["np"], bulletText=block[1])]
    if kind == "bullet":
        return [Bulleted(Paragraph(inline_rl(block[1]), STYLES["bullet"]))]
    if kind == "cover":
        rows = [[Paragraph(html.escape(k), STYLES["cellb"]), Paragraph(html.escape(v), STYLES["cell"])]
                for k, v in block[1]]
        table = Table(rows, colWidths=[4.0 * cm, 12.0 * cm])
        table.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#e8eef5")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]))
        return [table, Spacer(1, 0.4 * cm)]
    if kind == "table":
        _, caption, header, rows, note = block
        data = [header, *rows]
        widths = [4.6 * cm] + [1.85 * cm] * (len(header) - 1)
        table = Table(data, colWidths=widths, repeatRows=1)
        table.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 9),
            ("FONT", (0, 1), (-1, -1), "Helvetica", 9),
            ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#d9e2ef")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]))
        return [KeepTogether([Paragraph(html.escape(caption), STYLES["caption"]), table,
                              Paragraph(html.escape(note), STYLES["note"])])]
    if kind == "sign":
        out: list = []
        for name, *lines in block[1]:
            out.append(Paragraph(html.escape(name), STYLES["signname"]))
            out += [Paragraph(html.escape(line), STYLES["sign"]) for line in lines]
        return out
    raise CorpusBuildError(f"unknown block kind {kind!r}")


def block_text(block: tuple) -> str:
    """What a block says, for checking the answer key."""
    kind = block[0]
    if kind in ("p", "h", "h2", "title", "subtitle", "bullet"):
        return plain(block[1])
    if kind in ("np", "rec"):
        return f"{block[1]} {plain(block[2])}"
    if kind == "cover":
        return "\n".join(f"{k} {v}" for k, v in block[1])
    if kind == "table":
        _, caption, header, rows, note = block
        return "\n".join([caption, " ".join(header), *(" ".join(r) for r in rows), note])
    if kind == "sign":
        return "\n".join(line for signer in block[1] for line in signer)
    raise CorpusBuildError(f"unknown block kind {kind!r}")


def pdf_text(module: ModuleType) -> str:
    parts = []
    for page in module.PAGES:
        parts += [block_text(b) for b in page["blocks"]]
        parts += [f"{n} {t}" for n, t in page["footnotes"].items()]
    return "\n".join(parts)


def render_pdf(module: ModuleType) -> bytes:
    """One PDF from a content module: PAGES, TITLE, AUTHOR, HEADER_*, FOOTER_LEFT."""
    pages = module.PAGES
    total = len(pages)
    width, height = A4

    def header(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8.5)
        canvas.setFillColor(colors.HexColor("#404040"))
        canvas.drawString(MARGIN, height - 1.5 * cm, module.HEADER_LEFT)
        canvas.drawRightString(width - MARGIN, height - 1.5 * cm, getattr(module, "HEADER_RIGHT", module.TITLE))
        canvas.line(MARGIN, height - 1.7 * cm, width - MARGIN, height - 1.7 * cm)
        canvas.restoreState()

    def footnotes_and_footer(canvas, doc) -> None:
        # Drawn after the body, top to bottom, so the content stream reads as a word processor writes it.
        canvas.saveState()
        notes = pages[doc.page - 1]["footnotes"] if doc.page <= total else {}
        paras = [Paragraph(f'<super rise="2.5" size="5.5">{n}</super> {html.escape(t)}', STYLES["footnote"])
                 for n, t in sorted(notes.items())]
        heights = [para.wrap(width - 2 * MARGIN, FOOTNOTE_AREA)[1] for para in paras]
        y = 1.9 * cm + sum(h + 2 for h in heights)
        if paras:
            canvas.line(MARGIN, y + 2, MARGIN + 5 * cm, y + 2)
        for para, h in zip(paras, heights, strict=True):
            y -= h + 2
            para.drawOn(canvas, MARGIN, y)
        canvas.setFont("Helvetica", 8.5)
        canvas.setFillColor(colors.HexColor("#404040"))
        canvas.line(MARGIN, 1.6 * cm, width - MARGIN, 1.6 * cm)
        canvas.drawString(MARGIN, 1.1 * cm, module.FOOTER_LEFT)
        canvas.drawRightString(width - MARGIN, 1.1 * cm, f"Page {doc.page} of {total}")
        canvas.restoreState()

    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=2.2 * cm,
        bottomMargin=1.8 * cm + FOOTNOTE_AREA, title=module.TITLE, author=module.AUTHOR,
        subject=module.TITLE, creator="Northmere demo corpus build (reportlab)", invariant=1,
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=header, onPageEnd=footnotes_and_footer)])
    story: list = []
    for i, page in enumerate(pages):
        if i:
            story.append(PageBreak())
        for block in page["blocks"]:
            story += _flowables(block)
    doc.build(story)
    if doc.page != total:
        raise CorpusBuildError(f"{module.FILE}: content ran to {doc.page} pages, sources define {total}; "
                               "shorten the page that overflows so footnotes stay on their page")
    return buf.getvalue()


# --------------------------------------------------------------------------- build

def documents() -> dict[str, tuple[bytes, str]]:
    """Every corpus document: file name -> (bytes, the text used to check the key)."""
    meetings = source("content_meetings")
    report = source("content_report")
    strategy = source("content_strategy")
    summary = source("content_summary")
    out: dict[str, tuple[bytes, str]] = {}
    for meeting in meetings.MEETINGS:
        out[meeting["file"]] = (meeting_html(meeting).encode("utf-8"), meeting_text(meeting))
    for module in (report, strategy):
        out[module.FILE] = (render_pdf(module), pdf_text(module))
    out[summary.FILE] = (summary.TEXT.encode("utf-8"), summary.TEXT)
    return out


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def check_key(key: dict[str, Any], texts: dict[str, str]) -> list[str]:
    """Problems with the answer key: evidence or surnames missing from their document."""
    problems = []
    for entry in key["documents"]:
        name = entry["document"]
        if name not in texts:
            problems.append(f"{name}: no such document")
            continue
        text = _norm(texts[name])
        for person in entry["people"]:
            if person["surname"] not in text:
                problems.append(f"{name}: surname {person['surname']!r} not in text")
        for family in ("actions", "decisions", "figures", "targets"):
            for item in entry[family]:
                if _norm(item["evidence"]) not in text:
                    problems.append(f"{name}: {family} evidence not in text: {item['evidence']!r}")
    for status in key["action_status"]:
        closed = status.get("closed_by")
        if closed and _norm(closed["evidence"]) not in _norm(texts[closed["document"]]):
            problems.append(f"action_status evidence not in {closed['document']}: {closed['evidence']!r}")
    return problems


def expected_json() -> str:
    return json.dumps(source("answer_key").answer_key(), indent=2, ensure_ascii=False) + "\n"


def build(out_dir: Path = DOCUMENTS, expected: Path | None = EXPECTED) -> list[Path]:
    """Write every document into ``out_dir`` (and the key to ``expected``); return the paths written."""
    docs = documents()
    problems = check_key(source("answer_key").answer_key(), {n: t for n, (_, t) in docs.items()})
    if problems:
        raise CorpusBuildError("answer key does not match the sources:\n  " + "\n  ".join(problems))
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (data, _) in sorted(docs.items()):
        path = out_dir / name
        path.write_bytes(data)
        written.append(path)
    if expected is not None:
        expected.write_text(expected_json(), encoding="utf-8", newline="\n")
        written.append(expected)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate the Northmere demo corpus.")
    parser.add_argument("--out", type=Path, default=DOCUMENTS, help="folder for the documents")
    parser.add_argument("--expected", type=Path, default=EXPECTED, help="where to write the answer key")
    args = parser.parse_args(argv)
    try:
        paths = build(args.out, args.expected)
    except CorpusBuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for path in paths:
        print(f"{path.stat().st_size:>8}  {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
