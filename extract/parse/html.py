"""HTML parser: visible content as text, plus ModernGov structure when present.

Council pages wrap a few paragraphs of minutes in a lot of site furniture:
menus, breadcrumbs, cookie banners, search forms, "pdf icon PDF 73 KB" link
labels. The parser removes that furniture, renders what is left the way a
reader sees it (block elements on their own lines, table rows as
tab-separated cells) and, for ModernGov pages (the committee system most UK
councils use), reads the meeting header and agenda items straight from the
markup so the segmenter does not have to guess them from text.

ModernGov markup this relies on (class names seen in public scrapers of
``ieListDocuments.aspx`` and ``mgAi.aspx`` pages):

* ``h1.mgMainTitleTxt`` page kind ("Agenda and minutes", "Agenda item"),
  ``h2.mgSubTitleTxt`` "<body> - <weekday>, <date> <time>";
* ``table.mgItemTable`` rows, each with ``td.mgItemNumberCell`` ("4.") and a
  content cell holding ``p.mgAiTitleTxt`` (title, often a link with a
  "PDF 500 KB" label), ``div.mgWordPara`` blocks and ``p.mgSubItemTitleTxt``
  labels ("Minutes:", "Decision:", "Additional documents:");
* ``ul.mgActionList`` / ``ul.mgBulletList`` link lists (navigation and
  attached documents), ``span.mgLabel`` for "Venue:" / "Contact:".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PreformattedString

from ..records import AgendaItem, MeetingInfo, Page, ParsedDocument, Table
from ..segment.dates import parse_date, parse_time
from ..vocab import STATUS_FAILED, STATUS_OK
from .text import decode_bytes, normalise_chars, strip_link_noise

# --------------------------------------------------------------------------
# Element classes
# --------------------------------------------------------------------------

# Never visible or never content.
_DROP_TAGS = {
    "script", "style", "noscript", "iframe", "frame", "frameset", "template", "svg", "canvas",
    "object", "embed", "video", "audio", "map", "button", "select", "input", "textarea", "label",
    "option", "datalist", "dialog", "head", "title", "meta", "link", "base", "img", "picture",
    "source", "track", "math",
}
# Site furniture by element name; removed unless they hold most of the page
# (broken markup can leave a whole page inside an unclosed <header>).
_FURNITURE_TAGS = {"nav", "aside", "footer", "form", "menu"}
_FURNITURE_ROLES = {"navigation", "contentinfo", "complementary", "search", "menu", "menubar", "dialog",
                    "alertdialog", "banner"}
# Words in class/id names that mark site furniture.
_FURNITURE_WORDS = {
    "nav", "navbar", "navigation", "menu", "menus", "submenu", "megamenu", "menubar", "breadcrumb",
    "breadcrumbs", "crumbs", "crumb", "cookie", "cookies", "consent", "gdpr", "skip", "skiplink",
    "skiplinks", "sidebar", "social", "socialmedia", "share", "sharing", "sharethis", "masthead",
    "footer", "toolbar", "pagination", "pager", "search", "searchform", "searchbox", "subscribe",
    "newsletter", "advert", "advertisement", "backtotop", "sitemap", "accessibility",
}
# Furniture only outside the main content (an article's <header> holds its title).
_OUTER_ONLY_WORDS = {"header", "banner"}
_FURNITURE_CLASSES = {"mgactionlist", "mglinks", "mgsearch", "mguserbar", "sr-only", "visually-hidden",
                      "screen-reader-text", "visuallyhidden", "hidden", "hide", "print-only"}

_PARA_BLOCKS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "dl", "blockquote", "pre", "hr",
    "figure", "section", "article", "main", "header", "address", "fieldset", "details",
}
_LINE_BLOCKS = {
    "div", "li", "tr", "dt", "dd", "caption", "figcaption", "summary", "legend", "center", "td", "th",
    "tbody", "thead", "tfoot", "body", "html", "nav", "aside", "footer", "form", "option", "noframes",
}
_BLOCK_TAGS = (_PARA_BLOCKS | _LINE_BLOCKS) - {"td", "th", "tbody", "thead", "tfoot", "tr"}

# ModernGov content classes: their presence marks the page as ModernGov and
# protects the elements holding them from furniture removal.
_MG_CLASSES = ("mgItemTable", "mgItemNumberCell", "mgAiTitleTxt", "mgSubItemTitleTxt", "mgWordPara",
               "mgMainTitleTxt", "mgSubTitleTxt")
_MG_CLASS_RE = re.compile(r"""class\s*=\s*["']?[^"'>]*\bmg(?:ItemTable|ItemNumberCell|AiTitleTxt|"""
                          r"""SubItemTitleTxt|WordPara|MainTitleTxt|SubTitleTxt)\b""", re.I)

_SCRIPT_RE = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.I | re.S)
_COMMENT_RE = re.compile(r"<!--.*?-->", re.S)
_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_WS = re.compile(r"\s+")
_CAMEL = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_SKIP_LINK = re.compile(r"^\s*(?:skip\s+(?:to|navigation)|jump\s+to\s+(?:main\s+)?content|back\s+to\s+top)",
                        re.I)
_DOC_HREF = re.compile(r"\.(?:pdf|docx?|xlsx?|pptx?|rtf|odt|csv)(?:$|[?#])", re.I)
# Labels of ModernGov attachment lists; the lists themselves are removed.
_ATTACHMENT_LABEL = re.compile(
    r"^\s*(?:(?:additional|supporting|background)\s+documents?|documents?\s+links?)\s*:?\s*$", re.I
)
_TITLE_OPEN = re.compile(r"<title\b[^>]*>", re.I)
_TITLE_CLOSE = re.compile(r"</title\s*>", re.I)
_ORG_WORDS = re.compile(
    r"\b(?:council|authority|board|county|city|borough|district|parish|government|assembly|"
    r"committee\s+system|democracy)\b|\.gov\b|\.org\b|\.uk\b",
    re.I,
)

# --------------------------------------------------------------------------
# Header patterns (ModernGov headings and <title>)
# --------------------------------------------------------------------------

_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_DATE_IN_HEADING = re.compile(
    rf"(?:{_WEEKDAY},?\s+)?(?:\d{{1,2}}\s*(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}/\d{{1,2}}/\d{{2,4}})",
    re.I,
)
_TIME_AFTER = re.compile(
    r"^[\s,]*(?:at\s+)?(\d{1,2}(?:[.:]\d{2})?\s*[ap]\.?\s?m\.?|\d{1,2}:\d{2}|noon|midday)", re.I
)
_KIND_PREFIX = re.compile(
    r"^\s*(?:agenda\s+and\s+(?:draft\s+)?minutes|(?:draft\s+|printed\s+|approved\s+)?minutes|agenda\s+item|"
    r"agenda|decisions?|meeting\s+details|meeting|notice\s+of\s+meeting)\b\s*(?:for|of|:|-|–|—)?\s*",
    re.I,
)
_STATUS_PREFIX = re.compile(r"^\s*(?:cancelled|postponed|provisional|rearranged|new)\b\s*[-–—:]?\s*", re.I)
_ITEM_REF = re.compile(r"\(\s*item\s+([\w.]+?)\.?\s*\)", re.I)
_SEPARATORS = " \t-–—:,|"
_TITLE_SITE_SPLIT = re.compile(r"\s+(?:\||::)\s+")
_TITLE_DASH_SPLIT = re.compile(r"\s+[–—]\s+")
_LABEL_LINE = re.compile(r"^\s*(venue|place|location|contact|contact\s+officer)\s*:\s*(.*)$", re.I)
_NUMBER = re.compile(r"^\s*(\d{1,3}[a-z]?(?:\.\d{1,2}[a-z]?)?|[A-Z]\d{0,2}|[ivxlc]{1,6})[.)]?\s*$", re.I)
_LEADING_NUMBER = re.compile(r"^\s*(\d{1,3}[a-z]?(?:\.\d{1,2})?)[.)]?\s+(?=\S)", re.I)


# --------------------------------------------------------------------------
# Public entry point
# --------------------------------------------------------------------------


def parse_html(data: bytes) -> ParsedDocument:
    """Parse an HTML page into visible text (one page) and ModernGov structure.

    Never raises: failures come back as ``status="failed"`` with a reason.
    ``meeting``/``items`` are filled only for ModernGov markup; other pages
    leave them None for the text segmenter.
    """
    try:
        return _parse_html(data)
    except Exception as exc:  # a parser must not stop the batch; record why
        return ParsedDocument(
            format="html", status=STATUS_FAILED, error=f"could not parse HTML: {type(exc).__name__}: {exc}"
        )


def _parse_html(data: bytes) -> ParsedDocument:
    if not data or not data.strip():
        return ParsedDocument(format="html", status=STATUS_FAILED, error="document has no text")
    markup = decode_html(data)
    markup = _COMMENT_RE.sub(" ", markup)
    markup = _SCRIPT_RE.sub(" ", markup)
    markup = _repair_title(markup)
    is_moderngov = bool(_MG_CLASS_RE.search(markup))
    soup = BeautifulSoup(markup, "lxml")
    page_title = _clean_title(soup.title.get_text(" ") if soup.title else "")
    body = soup.body or soup

    _remove_furniture(body)
    if is_moderngov:
        root = _moderngov_root(body)
    else:
        root = _main_content(body)
        _prune_link_blocks(root)
    mg = _MgMarks.collect(root) if is_moderngov else None

    renderer = _Renderer(mg.marks if mg else {})
    text = renderer.render(root)
    if not text.strip():
        return ParsedDocument(format="html", title=page_title or None, status=STATUS_FAILED,
                              error="HTML page has no visible text")

    doc = ParsedDocument(format="html", pages=[Page(number=None, text=text)], tables=renderer.tables,
                         title=page_title or None, status=STATUS_OK)
    if mg is not None:
        doc.items = _moderngov_items(text, mg, renderer.positions)
        first_item = min((it.start for it in doc.items if it.start is not None), default=len(text))
        doc.meeting, heading_title = _moderngov_meeting(soup, text[:first_item], page_title,
                                                        {it.title for it in doc.items if it.title})
        doc.title = heading_title or page_title or None
    return doc


def decode_html(data: bytes) -> str:
    """Decode HTML bytes using BOM, declared meta/XML charset, then detection."""
    head = data[:4096]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    declared = m.group(1).decode("ascii", "replace") if m else None
    text, _enc = decode_bytes(data, declared)
    return text


# --------------------------------------------------------------------------
# Furniture removal and content selection
# --------------------------------------------------------------------------


def _class_words(tag) -> tuple[frozenset[str], frozenset[str]]:
    """Lower-cased words of the tag's class and id (split on -, _ and camelCase)."""
    names: list[str] = []
    cls = tag.get("class")
    if cls:
        names.extend(cls if isinstance(cls, list) else str(cls).split())
    ident = tag.get("id")
    if ident:
        names.append(str(ident))
    return _split_names(tuple(names))


@lru_cache(maxsize=4096)
def _split_names(names: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
    words: set[str] = set()
    for name in names:
        for part in re.split(r"[-_\s]+", name):
            words.update(w.lower() for w in _CAMEL.findall(part))
        words.add(name.lower().replace("_", "-"))
    return frozenset(words), frozenset(n.lower() for n in names)


def _gone(tag) -> bool:
    """True once bs4 has decomposed the element.

    bs4's public ``decomposed`` property reads a private attribute through
    ``getattr``, which on a live Tag falls back to a subtree search
    (``Tag.__getattr__``) and makes a pass over the page quadratic.
    """
    return "_decomposed" in tag.__dict__


@dataclass
class _Stats:
    """Per-element measures from one bottom-up pass (keys are id(element))."""

    text: dict[int, int] = field(default_factory=dict)  # characters, ends of strings stripped
    link_text: dict[int, int] = field(default_factory=dict)
    links: dict[int, int] = field(default_factory=dict)
    heading: set[int] = field(default_factory=set)
    moderngov: set[int] = field(default_factory=set)
    in_content: set[int] = field(default_factory=set)  # inside <main>/<article>/role=main


def _measure(root) -> _Stats:
    """Text, link and heading measures for every element, in linear time.

    Deeply nested broken markup (thousands of unclosed tags) made per-element
    ``get_text()`` calls quadratic; this pass visits each node once.
    """
    st = _Stats()
    nodes = [root, *root.descendants]
    for node in nodes:  # top-down: inherited "inside main content"
        if isinstance(node, NavigableString) or node is root:
            continue
        parent = node.parent
        if parent is not None and (id(parent) in st.in_content or parent.name in ("main", "article")
                                   or parent.get("role") == "main"):
            st.in_content.add(id(node))
    text, link_text, links = st.text, st.link_text, st.links
    mg = set(_MG_CLASSES)
    for node in reversed(nodes):  # bottom-up: children before parents
        parent = node.parent
        if isinstance(node, NavigableString):
            if parent is not None and not isinstance(node, PreformattedString):
                pid = id(parent)
                text[pid] = text.get(pid, 0) + len(node.strip())
            continue
        nid = id(node)
        if node.name == "a":
            link_text[nid] = text.get(nid, 0)
            links[nid] = links.get(nid, 0) + 1
        elif node.name in ("h1", "h2", "h3", "h4", "h5", "h6"):
            st.heading.add(nid)
        classes = node.get("class")
        if classes and mg.intersection(classes):
            st.moderngov.add(nid)
        if parent is None or node is root:
            continue
        pid = id(parent)
        text[pid] = text.get(pid, 0) + text.get(nid, 0)
        if nid in link_text:
            link_text[pid] = link_text.get(pid, 0) + link_text[nid]
        if nid in links:
            links[pid] = links.get(pid, 0) + links[nid]
        if nid in st.heading:
            st.heading.add(pid)
        if nid in st.moderngov:
            st.moderngov.add(pid)
    return st


def _remove_furniture(body) -> None:
    """Drop invisible elements and site furniture, keeping the page's content.

    Elements that would take more than half the page's text with them (text
    that is mostly not links), or any ModernGov content, are unwrapped instead
    of removed: broken markup can put the whole page inside an unclosed <nav>,
    and ASP.NET pages (ModernGov) wrap everything in one <form>.
    """
    for tag in [t for t in _tags(body) if t.name in _DROP_TAGS]:
        if not _gone(tag):
            tag.decompose()
    st = _measure(body)
    total = max(st.text.get(id(body), 0), 1)
    for tag in list(_tags(body)):
        if _gone(tag):
            continue
        if _is_furniture(tag, id(tag) in st.in_content):
            size = st.text.get(id(tag), 0)
            if id(tag) in st.moderngov or (size > 0.5 * total and st.link_text.get(id(tag), 0) < 0.5 * size):
                tag.unwrap()
            else:
                tag.decompose()
    for a in [t for t in _tags(body) if t.name == "a"]:
        if _gone(a):
            continue
        label = a.get_text(" ")
        if _SKIP_LINK.match(label):
            a.decompose()
        elif len(a.contents) > 1 and strip_link_noise(label) != label:
            a.string = strip_link_noise(_WS.sub(" ", label))
    _remove_attachment_lists(body)


def _is_furniture(tag, in_content: bool) -> bool:
    name = tag.name
    attrs = tag.attrs
    if "hidden" in attrs or attrs.get("aria-hidden") == "true":
        return True
    style = attrs.get("style")
    if style and _HIDDEN_STYLE.search(str(style)):
        return True
    if name in _FURNITURE_TAGS:
        return True
    if name == "header":
        return not in_content
    role = attrs.get("role")
    if role and str(role).lower() in _FURNITURE_ROLES:
        return role != "banner" or not in_content
    if "class" not in attrs and "id" not in attrs:
        aria = str(attrs.get("aria-label", "")).lower()
        return "cookie" in aria
    words, names = _class_words(tag)
    if names & _FURNITURE_CLASSES or words & _FURNITURE_WORDS:
        return True
    return bool(words & _OUTER_ONLY_WORDS) and not in_content


def _remove_attachment_lists(body) -> None:
    """Remove lists whose every entry is a link to a document (attachments).

    Also removes a preceding "Additional documents:" style label, which is
    meaningless once its list is gone.
    """
    for lst in [t for t in _tags(body) if t.name in ("ul", "ol")]:
        if _gone(lst):
            continue
        items = [c for c in lst.children if getattr(c, "name", None) == "li"]
        if not items:
            continue
        doc_links = 0
        for li in items:
            links = [t for t in _tags(li) if t.name == "a"]
            if not links:
                break
            link_text = "".join(a.get_text() for a in links).strip()
            if _WS.sub("", link_text) != _WS.sub("", li.get_text()):
                break
            if any(_DOC_HREF.search(str(a.get("href", ""))) or strip_link_noise(a.get_text()) != a.get_text()
                   for a in links):
                doc_links += 1
        else:
            if doc_links:
                label = lst.find_previous_sibling()
                if label is not None and _ATTACHMENT_LABEL.match(label.get_text()):
                    label.decompose()
                lst.decompose()
    for label in [t for t in _tags(body) if _has_class(t, {"mgSubItemTitleTxt"})]:
        if not _gone(label) and _ATTACHMENT_LABEL.match(label.get_text()):
            label.decompose()


def _main_content(body):
    """The element holding the page's main content, or ``body``.

    Prefers <main>, role=main, a single <article>, then common content ids and
    classes; a candidate must hold a fair share of the page's text, so an empty
    <main> in a broken template does not hide the content.
    """
    total = len(_WS.sub("", body.get_text()))
    if total == 0:
        return body
    candidates = [body.find("main"), body.find(attrs={"role": "main"})]
    articles = body.find_all("article")
    if len(articles) == 1:
        candidates.append(articles[0])
    for ident in ("content", "main-content", "maincontent", "main", "primary", "page-content"):
        candidates.append(body.find(id=ident))
    for cls in ("entry-content", "post-content", "article-body", "page-content", "main-content", "content"):
        candidates.append(body.find(class_=cls))
    for cand in candidates:
        if cand is not None and len(_WS.sub("", cand.get_text())) >= 0.25 * total:
            return cand
    return body


def _prune_link_blocks(root) -> None:
    """Remove blocks that are nothing but short links (menus without <nav>).

    Used on non-ModernGov pages only: ModernGov agenda titles are links too.
    """
    st = _measure(root)
    for block in [t for t in _tags(root) if t.name in ("ul", "ol", "p", "div", "section", "table")]:
        if _gone(block):
            continue
        bid = id(block)
        n_links = st.links.get(bid, 0)
        if n_links < 2 or bid in st.heading:
            continue
        text = st.text.get(bid, 0)
        link_text = st.link_text.get(bid, 0)
        if text and link_text >= 0.9 * text and link_text / n_links < 40:
            block.decompose()


def _moderngov_root(body):
    """Smallest element holding the ModernGov heading and all items."""
    mg = set(_MG_CLASSES)
    marks = [t for t in _tags(body) if _has_class(t, mg)]
    if not marks:
        return body
    first, last = marks[0], marks[-1]
    last_ancestors = {id(p) for p in last.parents}
    last_ancestors.add(id(last))
    node = first
    while node is not None and id(node) not in last_ancestors:
        node = node.parent
    root = node or body
    # Venue/Contact lines usually sit beside the heading, not inside it.
    while root is not body and root.parent is not None and root.name in ("h1", "h2", "p", "span", "a", "td",
                                                                         "tr", "tbody", "table"):
        root = root.parent
    return root


# --------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------


class _Renderer:
    """Render a tree as text: blocks on their own lines, rows as tab-separated cells.

    Iterative (no recursion limit on deeply nested broken markup). Records the
    text offsets of marked elements so ModernGov items get start/end offsets
    that index the very text it returns.
    """

    def __init__(self, marks: dict[int, str]):
        self.marks = marks
        self.positions: dict[str, tuple[int, int]] = {}
        self.tables: list[Table] = []
        self._out: list[str] = []
        self._pos = 0
        self._pending = 0
        self._starts: list[str] = []
        self._open: dict[str, int] = {}
        self._row_text: dict[int, str] = {}

    def render(self, root) -> str:
        stack: list[tuple[object, bool]] = [(root, False)]
        pre_depth = 0
        while stack:
            node, exiting = stack.pop()
            if exiting:
                name = node.name
                if name == "pre":
                    pre_depth -= 1
                brk = 2 if name in _PARA_BLOCKS else 1 if name in _LINE_BLOCKS else 0
                if brk:
                    self._break(brk)
                self._end_mark(node)
                continue
            if isinstance(node, NavigableString):
                if isinstance(node, PreformattedString):
                    continue  # comments, CDATA, doctype, processing instructions
                self._text(str(node), keep_lines=pre_depth > 0)
                continue
            if not isinstance(node, Tag) or node.name in _DROP_TAGS:
                continue
            name = node.name
            if id(node) in self.marks:
                self._starts.append(self.marks[id(node)])
            if name == "br":
                self._break(1)
                self._end_mark(node)
                continue
            if name == "hr":
                self._break(2)
                self._end_mark(node)
                continue
            if name == "table":
                self._scan_table(node)
            if name == "tr":
                row = self._row_text.get(id(node))
                if row is None and id(node) not in self._row_text:
                    row = _simple_row_text(node)
                if row is not None:
                    self._break(1)
                    self._text(row, keep_tabs=True)
                    self._break(1)
                    self._end_mark(node)
                    continue
            if name == "pre":
                pre_depth += 1
            brk = 2 if name in _PARA_BLOCKS else 1 if name in _LINE_BLOCKS else 0
            if brk:
                self._break(brk)
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(node.contents))
        text = "".join(self._out).rstrip()
        for key, (start, end) in self.positions.items():
            self.positions[key] = (min(start, len(text)), min(end, len(text)))
        return text

    # -- output primitives -------------------------------------------------

    def _break(self, kind: int) -> None:
        if self._pos:
            self._pending = max(self._pending, kind)

    def _text(self, raw: str, *, keep_lines: bool = False, keep_tabs: bool = False) -> None:
        if keep_lines:
            for i, line in enumerate(normalise_chars(raw).split("\n")):
                if i:
                    self._break(1)
                self._text(line)
            return
        if keep_tabs:
            s = raw
            if not s.strip():
                return
        else:
            s = _WS.sub(" ", normalise_chars(raw))
            if not s.strip():
                if s and self._out and not self._pending and not self._out[-1].endswith((" ", "\n")):
                    self._write(" ")
                return
            s = strip_link_noise(s)
            if not s.strip():
                return
        if self._pending:
            last = self._out[-1] if self._out else ""
            if last.endswith(" "):
                self._out[-1] = last.rstrip(" ")
                self._pos -= len(last) - len(self._out[-1])
            self._write("\n" * self._pending)
            self._pending = 0
        if not self._out or self._out[-1].endswith("\n"):
            s = s.lstrip(" ") if keep_tabs else s.lstrip()
        elif s.startswith(" ") and self._out[-1].endswith(" "):
            s = s[1:]
        if not s:
            return
        if self._starts:
            for key in self._starts:
                self._open[key] = self._pos
            self._starts.clear()
        self._write(s)

    def _write(self, s: str) -> None:
        self._out.append(s)
        self._pos += len(s)

    def _end_mark(self, node) -> None:
        key = self.marks.get(id(node)) if self.marks else None
        if key is None:
            return
        if key in self._starts:
            self._starts.remove(key)
            start = self._pos
        else:
            start = self._open.pop(key, self._pos)
        self.positions[key] = (start, self._pos)

    # -- tables ------------------------------------------------------------

    def _scan_table(self, table) -> None:
        """Cache simple rows' text; record data tables as :class:`Table`."""
        rows = [tr for tr in _tags(table) if tr.name == "tr" and _nearest_table(tr) is table]
        texts: list[list[str] | None] = []
        for tr in rows:
            cells = _simple_row_cells(tr)
            texts.append(cells)
            self._row_text[id(tr)] = "\t".join(cells) if cells is not None else None
        data_rows = [cells for cells in texts if cells is not None and any(cells)]
        if len(data_rows) == len(texts) and len(data_rows) >= 2 and max(len(r) for r in data_rows) >= 2:
            first = rows[0]
            header = 1 if (first.parent is not None and first.parent.name == "thead"
                           or all(c.name == "th" for c in _cells(first))) else 0
            self.tables.append(Table(page=None, index=len(self.tables), rows=data_rows, header_rows=header))


def _tags(root):
    """Descendant elements in document order (faster than bs4's find_all filters)."""
    for node in root.descendants:
        if isinstance(node, Tag):
            yield node


def _has_class(tag, classes: set[str]) -> bool:
    cls = tag.get("class")
    return bool(cls) and not classes.isdisjoint(cls)


def _cells(tr) -> list:
    return [c for c in tr.children if getattr(c, "name", None) in ("td", "th")]


def _in_item_table(tr) -> bool:
    table = _nearest_table(tr)
    return table is not None and (_has_class(table, {"mgItemTable"}) or table.get("id") == "mgItemTable")


def _nearest_table(tr):
    for parent in tr.parents:
        if parent.name == "table":
            return parent
    return None


def _simple_row_cells(tr) -> list[str] | None:
    """Cell texts of a row without block content, or None for a layout row."""
    cells = _cells(tr)
    if not cells:
        return None
    if any(_has_class(c, {"mgItemNumberCell"}) for c in cells):
        return None
    out = []
    for cell in cells:
        if any(t.name in _BLOCK_TAGS for t in _tags(cell)):
            return None
        out.append(_inline_text(cell))
    return out


def _simple_row_text(tr) -> str | None:
    cells = _simple_row_cells(tr)
    return "\t".join(cells) if cells is not None else None


def _inline_text(tag) -> str:
    parts: list[str] = []
    for node in tag.descendants:
        if isinstance(node, NavigableString):
            if not isinstance(node, PreformattedString):
                parts.append(str(node))
        elif node.name == "br":
            parts.append(" ")
    return strip_link_noise(_WS.sub(" ", normalise_chars("".join(parts)))).strip()


# --------------------------------------------------------------------------
# ModernGov structure
# --------------------------------------------------------------------------


@dataclass
class _MgItem:
    number: str
    title: str
    row_key: str
    minutes_key: str | None = None  # the "Minutes:" label
    next_key: str | None = None  # the label after it, which ends the minutes


@dataclass
class _MgMarks:
    """Elements whose text offsets we need, keyed by id(element)."""

    marks: dict[int, str] = field(default_factory=dict)
    items: list[_MgItem] = field(default_factory=list)
    root_key: str = "root"

    @classmethod
    def collect(cls, root) -> _MgMarks:
        self = cls()
        self.marks[id(root)] = self.root_key
        rows = []
        for tr in [t for t in _tags(root) if t.name == "tr"]:
            cells = [c for c in tr.children if getattr(c, "name", None) == "td"]
            num_cell = next((c for c in cells if _has_class(c, {"mgItemNumberCell"})), None)
            if num_cell is None and len(cells) >= 2 and _in_item_table(tr):
                # some templates drop the number-cell class: "<td><p class=mgAiTitleTxt>5.</p></td>"
                first = cells[0]
                if _NUMBER.match(first.get_text(" ")) and any(_has_class(t, {"mgAiTitleTxt"})
                                                              for t in _tags(cells[1])):
                    num_cell = first
            if num_cell is not None:
                rows.append((tr, num_cell, next((c for c in cells if c is not num_cell), None)))
        labels = _labels_by_row(root, {id(tr): i for i, (tr, _n, _c) in enumerate(rows)})
        for i, (tr, num_cell, content) in enumerate(rows):
            number = _clean_number(num_cell.get_text(" "))
            title_el = content.find(class_="mgAiTitleTxt") if content is not None else None
            title = _clean_heading(title_el.get_text(" ")) if title_el is not None else ""
            if not number:
                m = _LEADING_NUMBER.match(title)
                number = m.group(1) if m else ""
            title = _strip_number(title, number)
            item = _MgItem(number=number, title=title, row_key=f"row{i}")
            self.marks[id(tr)] = item.row_key
            self._mark_minutes(labels.get(i, []), item, f"r{i}")
            self.items.append(item)
        if not rows:
            self._single_item(root, labels.get(None, []))
        return self

    def _mark_minutes(self, labels: list, item: _MgItem, prefix: str) -> None:
        """Mark the "Minutes:" label and the label after it (end of the minutes)."""
        for j, label in enumerate(labels):
            if label.get_text(" ").strip().rstrip(":").strip().lower() in ("minutes", "minute"):
                item.minutes_key = f"{prefix}m"
                self.marks[id(label)] = item.minutes_key
                if j + 1 < len(labels):
                    item.next_key = f"{prefix}n"
                    self.marks[id(labels[j + 1])] = item.next_key
                break

    def _single_item(self, root, labels: list) -> None:
        """An ``mgAi.aspx`` "Agenda item" page: one item, title in the heading."""
        title_el = root.find(class_="mgAiTitleTxt")
        if title_el is None:
            for sub in root.find_all(class_="mgSubTitleTxt"):
                text = sub.get_text(" ")
                if not _DATE_IN_HEADING.search(text) and not re.match(r"\s*meeting\s*:", text, re.I):
                    title_el = sub
                    break
        has_minutes = any(lab.get_text(" ").strip().rstrip(":").strip().lower() == "minutes" for lab in labels)
        if title_el is None and not has_minutes:
            return
        title = _clean_heading(title_el.get_text(" ")) if title_el is not None else ""
        number = ""
        for el in root.find_all(class_=("mgSubTitleTxt", "mgSubSubTitleTxt", "mgMainTitleTxt")):
            m = _ITEM_REF.search(el.get_text(" "))
            if m:
                number = _clean_number(m.group(1))
                break
        m = _LEADING_NUMBER.match(title)
        if m and not number:
            number = m.group(1)
        title = _strip_number(title, number)
        item = _MgItem(number=number, title=title, row_key="item0")
        self.marks[id(title_el if title_el is not None else root)] = "item0_title"
        self._mark_minutes(labels, item, "s0")
        self.items.append(item)


def _labels_by_row(root, row_index: dict[int, int]) -> dict[int | None, list]:
    """ModernGov sub-item labels ("Minutes:") grouped by their nearest item row.

    One pass over the labels (not one search per row), so nested or unclosed
    rows cannot make it quadratic. Labels outside any item row go under None.
    """
    groups: dict[int | None, list] = {}
    for label in [t for t in _tags(root) if _has_class(t, {"mgSubItemTitleTxt"})]:
        owner = None
        for parent in label.parents:
            if parent.name == "tr" and id(parent) in row_index:
                owner = row_index[id(parent)]
                break
        groups.setdefault(owner, []).append(label)
    return groups


def _clean_number(text: str) -> str:
    text = _WS.sub(" ", normalise_chars(text)).strip()
    m = _NUMBER.match(text)
    if m:
        return m.group(1)
    return text.rstrip(".").strip()


def _strip_number(title: str, number: str) -> str:
    if number:
        m = _LEADING_NUMBER.match(title)
        if m and m.group(1).rstrip(".").lower() == number.lower():
            return title[m.end():].strip()
    return title


def _clean_heading(text: str) -> str:
    text = strip_link_noise(_WS.sub(" ", normalise_chars(text)))
    return _WS.sub(" ", text).strip(" \t-–—|")


def _clean_title(text: str) -> str:
    """Page <title> without the site name ("... | Northmere Council")."""
    text = _clean_heading(text)
    parts = _TITLE_SITE_SPLIT.split(text)
    if len(parts) > 1:
        text = parts[0] if len(parts[0]) >= 8 else max(parts, key=len)
    parts = _TITLE_DASH_SPLIT.split(text)
    if len(parts) == 2 and _ORG_WORDS.search(parts[1]) and len(parts[0]) >= 8:
        text = parts[0]
    return text.strip()


def _repair_title(markup: str) -> str:
    """Close an unclosed <title>, which would otherwise swallow the whole page."""
    m = _TITLE_OPEN.search(markup, 0, 20000)
    if not m:
        return markup
    close = _TITLE_CLOSE.search(markup, m.end(), m.end() + 2000)
    if close and "<" not in markup[m.end():close.start()]:
        return markup
    nxt = markup.find("<", m.end())
    end = nxt if nxt != -1 else len(markup)
    line_end = markup.find("\n", m.end(), end)
    if line_end != -1 and markup[m.end():line_end].strip():
        end = line_end
    return markup[:end] + "</title>" + markup[end:]


def _moderngov_items(text: str, mg: _MgMarks, positions: dict[str, tuple[int, int]]) -> list[AgendaItem]:
    items: list[AgendaItem] = []
    root_end = positions.get(mg.root_key, (0, len(text)))[1]
    for it in mg.items:
        if it.row_key == "item0":
            start = positions.get("item0_title", (0, 0))[0]
            end = root_end
        else:
            start, end = positions.get(it.row_key, (None, None))
        minutes = ""
        if it.minutes_key and it.minutes_key in positions:
            m_start = positions[it.minutes_key][1]
            m_end = positions[it.next_key][0] if it.next_key and it.next_key in positions else end
            if m_end is not None and m_end > m_start:
                raw = text[m_start:m_end]
                minutes = raw.strip()
        if start is not None and end is not None:
            while end > start and text[end - 1].isspace():
                end -= 1
        items.append(AgendaItem(number=it.number, title=it.title, text=minutes, start=start, end=end))
    return items


def _moderngov_meeting(soup, header_text: str, page_title: str,
                       item_titles: set[str]) -> tuple[MeetingInfo, str | None]:
    """Meeting header from ModernGov headings, the <title> and Venue/Contact lines.

    ``header_text`` is the rendered text before the first agenda item.
    """
    main_el = soup.find(class_="mgMainTitleTxt") or soup.find("h1")
    main_heading = _clean_heading(main_el.get_text(" ")) if main_el is not None else ""
    subtitles = [_clean_heading(el.get_text(" ")) for el in soup.find_all(class_=("mgSubTitleTxt",
                                                                                    "mgSubSubTitleTxt"))]
    candidates = [s for s in subtitles if s] + [main_heading, page_title]
    # Headings that carry no meeting (an item page's title) are skipped by
    # requiring a date; "Meeting: 17/10/2018 - Board (Item 4)" lines count.
    for line in header_text.split("\n")[:60]:
        if re.match(r"\s*meeting\s*:", line, re.I):
            candidates.insert(0, line.strip())
    info = MeetingInfo()
    heading_used = None
    for cand in candidates:
        if cand in item_titles:
            continue  # an item page's title may hold a date ("Minutes of 15 January 2025")
        parsed = parse_meeting_heading(cand)
        if not parsed.date:
            continue
        if heading_used is None:
            heading_used = cand
        info.body = info.body or parsed.body
        info.date = info.date or parsed.date
        info.start_time = info.start_time or parsed.start_time
        if info.body and info.start_time:
            break
    venue, contact = _label_values(header_text)
    info.venue = info.venue or venue
    info.contact = contact
    title_parts = [main_heading] if main_heading else []
    sub = next((s for s in subtitles if s and s != main_heading), None)
    if sub:
        title_parts.append(sub)
    heading_title = " - ".join(title_parts) or None
    if heading_used and heading_used != main_heading and not heading_used.lower().startswith("meeting"):
        info.title = heading_used
    return info, heading_title


def _label_values(header: str) -> tuple[str | None, str | None]:
    venue = contact = None
    lines = header.split("\n")
    for i, line in enumerate(lines):
        m = _LABEL_LINE.match(line)
        if not m:
            continue
        value = m.group(2).strip()
        if not value:
            value = next((ln.strip() for ln in lines[i + 1:i + 3] if ln.strip()), "")
        value = value.replace("\t", " ").strip()
        if not value:
            continue
        if m.group(1).lower().startswith("contact"):
            contact = contact or value
        else:
            venue = venue or value
    return venue, contact


def parse_meeting_heading(heading: str) -> MeetingInfo:
    """Read body, date and start time from a ModernGov-style heading.

    Handles "Agenda and minutes - Safer Communities Partnership Board -
    Thursday, 5th November, 2015 2.00 pm", "Agenda for Cabinet on Tuesday,
    14th January, 2020, 7.00 pm" and "Meeting: 17/10/2018 - Safer Communities
    Partnership Board (Item 47)".
    """
    heading = _WS.sub(" ", heading).strip()
    info = MeetingInfo()
    m = _DATE_IN_HEADING.search(heading)
    if not m:
        return info
    info.date = parse_date(m.group(0))
    after = heading[m.end():]
    tm = _TIME_AFTER.match(after)
    if tm:
        info.start_time = parse_time(tm.group(1))
        after = after[tm.end():]
    before = _STATUS_PREFIX.sub("", heading[:m.start()], count=1)
    before = _KIND_PREFIX.sub("", before, count=1)
    before = re.sub(r"\s+(?:on|held\s+on)\s*$", "", before.strip(_SEPARATORS), flags=re.I).strip(_SEPARATORS)
    body = before
    if not body:
        body = _ITEM_REF.sub("", after).strip(_SEPARATORS)
    info.body = body or None
    return info
