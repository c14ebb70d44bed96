"""Tables: one figure per numeric cell, labelled by its row and column.

A performance table ("Robbery | 1199 | 622 | 463 | -25.6%") states many
figures at once; read as prose it would be word soup. Here each numeric cell
becomes a :class:`FigureItem` whose metric is the row label and whose period
is the column heading ("2016/17", "% change vs. 5 years ago"); when the row
labels are the periods (a "Year" column) the two are swapped.

Tables reach us two ways: parsers that see structure (PDF ruling lines, HTML
``<table>``) return :class:`Table` records, and text renderings keep a table
as tab-separated lines. :func:`tables_from_text` recovers the latter. Both
parsers also write table rows into the page text as tab-separated lines, so
the prose extractor (:mod:`extract.nlp.figures`) skips exactly the blocks
that :func:`is_data_table` accepts here, and no cell is counted twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from ..records import FigureItem, Span, Table

_CELL = re.compile(
    r"^(?P<sign>[-−–+])?[ ]?(?P<cur>[£$€])?[ ]?"
    r"(?P<num>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?|\.[0-9]+)"
    r"[ ]?(?P<mult>k|K|m|bn|million|billion)?[ ]?"
    r"(?P<pct>%|per ?cent|pp|p\.p\.?|ppts?|% ?points?)?(?P<ord>st|nd|rd|th)?[ ]?\*?$"
)
_PERIODISH = re.compile(
    r"^(?:.*\b(?:19|20)[0-9]{2}\b.*|(?:19|20)[0-9]{2}\s?[/–-]\s?[0-9]{2,4}|Q[1-4]\b.*|(?:quarter|qtr|year|month|week)\b.*"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?:\s.*)?|(?:spring|summer|autumn|winter)\b.*)$",
    re.IGNORECASE,
)
_CHANGE_HEADING = re.compile(r"change|differen|variance|\bvar\b|\bvs\.?|versus|compared|\+/-|movement|increase|decrease", re.I)


_YEAR = re.compile(r"(?:19|20)[0-9]{2}")
_PP_HEADING = re.compile(r"percentage points|\bpp\b|\bppts?\b")
_PERCENT_HEADING = re.compile(r"\bper ?cent|\bpercent|\bpercentage\b|\bproportion\b")
_THOUSANDS_HEADING = re.compile(r"£\s?'?000|£k|\(k\)|thousands")
_MILLIONS_HEADING = re.compile(r"£\s?m\b|£millions?|\(m\)|millions")
_RATE_HEADING = re.compile(r"\bper\s+(?:[0-9][0-9,]*|thousand|head|capita)")
_HOURS_HEADING = re.compile(r"\bhours?\b|\bhrs\b")
_RANK_HEADING = re.compile(r"\brank(?:ing)?\b|\bposition\b")
_COUNT_HEADING = re.compile(r"\b(?:no\.?|number|count|total)\b")


def _year_label(m: re.Match[str], head: str) -> bool:
    """A plain year in a cell ("2023") is a label, not a count, unless the heading says it counts."""
    plain = not any(m.group(g) for g in ("cur", "mult", "pct", "ord")) and not m.group("sign")
    return plain and _YEAR.fullmatch(m.group("num")) is not None and not _COUNT_HEADING.search(head)


def parse_cell(cell: str, heading: str = "") -> tuple[float, str] | None:
    """(value, unit) of a numeric table cell, or None for text, years, dates and codes.

    A pure function of the cell and its heading, remembered: the same cells come back
    under the same headings (a column of dashes, repeated tables)."""
    return _parse_cell(cell, heading)


@lru_cache(maxsize=8192)
def _parse_cell(cell: str, heading: str) -> tuple[float, str] | None:
    c = cell.strip().replace("\u2212", "-")
    m = _CELL.match(c)
    if not m:
        return None
    num = m.group("num")
    value = float(num.replace(",", ""))
    head = heading.lower()
    if _year_label(m, head):
        return None  # a year in a cell is a label, not a count
    mult = m.group("mult")
    if mult:
        value *= {"k": 1e3, "K": 1e3, "m": 1e6, "bn": 1e9, "million": 1e6, "billion": 1e9}[mult]
    unit = "count"
    pct = (m.group("pct") or "").lower()
    if pct.startswith(("pp", "p.p", "ppt")) or "point" in pct:
        unit = "percentage_points"
    elif pct:
        unit = "percent"
    elif m.group("cur"):
        unit = "gbp" if m.group("cur") == "£" else "other"
    elif m.group("ord"):
        unit = "rank"
    elif _PP_HEADING.search(head):
        unit = "percentage_points"
    elif "%" in head or _PERCENT_HEADING.search(head):
        unit = "percent"
    elif "£" in head:
        unit = "gbp"
        if _THOUSANDS_HEADING.search(head):
            value *= 1e3
        elif _MILLIONS_HEADING.search(head):
            value *= 1e6
    elif _RATE_HEADING.search(head):
        unit = "rate"
    elif _HOURS_HEADING.search(head):
        unit = "hours"
    elif _RANK_HEADING.search(head):
        unit = "rank"
    if m.group("sign") in ("-", "–", "−"):
        value = -value
    return value, unit


def _label(cell: str) -> bool:
    return bool(cell.strip()) and parse_cell(cell) is None


def is_data_table(table: Table) -> bool:
    """A table of statistics, not a layout grid of labels ("Report Author | Peter Clifton")."""
    body = table.rows[table.header_rows :]
    numeric_rows = 0
    numeric = 0
    cells = 0
    most_in_row = 0
    for row in body:
        vals = row[1:] if row and _label(row[0]) else row
        k = 0
        for c in vals:
            if not c.strip():
                continue
            cells += 1
            if parse_cell(c) is not None:
                k += 1
        numeric += k
        most_in_row = max(most_in_row, k)
        numeric_rows += k > 0
    if numeric < 2 or cells == 0:
        return False
    return (numeric_rows >= 2 or most_in_row >= 2) and numeric / cells >= 0.3


def _numbered_first_column(table: Table) -> bool:
    """The first column numbers the rows (1, 2, 3 / 2.2, 2.3 / "No.") rather than measuring anything."""
    body = [r for r in table.rows[table.header_rows :] if r and r[0].strip()]
    if len(body) < 2:
        return False
    head = " ".join(r[0] for r in table.rows[: table.header_rows]).strip().lower().rstrip(".")
    firsts = [r[0].strip().rstrip(".") for r in body]
    if not all(re.fullmatch(r"[0-9]{1,3}(?:\.[0-9]{1,3})?", f) for f in firsts):
        return False
    if head in ("no", "item", "ref", "#", "number", "para", "paragraph", "section", "rec", "recommendation"):
        return True
    keys = [tuple(int(x) for x in f.split(".")) for f in firsts]
    ascending = all(a < b for a, b in zip(keys, keys[1:], strict=False))
    rest_text = all(not any(parse_cell(c) is not None for c in r[1:]) for r in body)
    return ascending and rest_text


def _headings(table: Table, width: int) -> list[str]:
    heads = [""] * width
    for r in table.rows[: table.header_rows]:
        cells = list(r)
        if len(cells) == width - 1:  # header row without the label column
            cells = [""] + cells
        for c, text in enumerate(cells[:width]):
            if text.strip():
                heads[c] = f"{heads[c]} {text.strip()}".strip()
    return heads


def figures_from_tables(tables: Sequence[Table]) -> list[FigureItem]:
    """One figure per numeric cell of every data table: metric = row label, period = column heading."""
    out: list[FigureItem] = []
    for table in tables:
        if not table.rows or not is_data_table(table):
            continue
        width = max(len(r) for r in table.rows)
        heads = _headings(table, width)
        body = table.rows[table.header_rows :]
        skip_first = _numbered_first_column(table)
        labels = [r[0].strip() if r and _label(r[0]) else "" for r in body]
        if skip_first:  # "2.3 | Note the forecast ... | Please refer to Section 6": item numbers
            labels = [r[1].strip() if len(r) > 1 and _label(r[1]) else "" for r in body]
        # a "Year" column: the rows are periods and the columns are the measures
        period_rows = sum(bool(_PERIODISH.match(lab)) for lab in labels if lab)
        period_heads = sum(bool(_PERIODISH.match(h)) for h in heads[1:] if h)
        swapped = bool(labels) and period_rows >= max(1, 0.6 * sum(1 for lab in labels if lab)) and period_heads == 0
        for row, label in zip(body, labels, strict=True):
            sentence = " | ".join(c.strip() for c in row if c.strip())
            for c, cell in enumerate(row):
                if c == 0 and (label or skip_first):
                    continue
                if c == 1 and skip_first and label:
                    continue
                head = heads[c] if c < len(heads) else ""
                parsed = parse_cell(cell, head)
                if parsed is None:
                    continue
                value, unit = parsed
                metric, period = (head or None, label or None) if swapped else (label or None, head or None)
                direction = None
                if _CHANGE_HEADING.search(head) and value:
                    direction = "increase" if value > 0 else "decrease"
                elif value < 0:
                    direction = "decrease"
                out.append(
                    FigureItem(
                        value=value,
                        unit=unit,
                        raw=cell.strip(),
                        span=Span(sentence=sentence, start=0, end=0, page=table.page),
                        metric=metric,
                        direction=direction,
                        period=period,
                        table_index=table.index,
                    )
                )
    return out


def _tab_blocks(text: str) -> Iterable[tuple[int, int, list[list[str]]]]:
    """Runs of tab-separated lines (blank lines inside a run allowed): (start, end, rows)."""
    if "\t" not in text:
        return  # no row without a tab
    rows: list[list[str]] = []
    start = end = -1
    pos = 0
    for line in text.split("\n"):
        a, b = pos, pos + len(line)
        pos = b + 1
        if "\t" in line and line.strip():
            cells = [c.strip() for c in line.split("\t")]
            while cells and not cells[-1]:
                cells.pop()
            if len(cells) >= 2:
                if start < 0:
                    start = a
                rows.append(cells)
                end = b
                continue
        if not line.strip() and rows:
            continue
        if rows:
            yield start, end, rows
        rows, start, end = [], -1, -1
    if rows:
        yield start, end, rows


def _header_rows(rows: list[list[str]]) -> int:
    if len(rows) < 2:
        return 0
    first = rows[0]
    if not first[0]:
        return 1
    nums = [c for c in first[1:] if parse_cell(c) is not None]
    if not nums:
        return 1
    return 0


def table_blocks(text: str) -> list[tuple[int, int, Table]]:
    """(start, end, table) of each tab-separated *data* table in ``text`` (see :func:`is_data_table`)."""
    out = []
    for i, (a, b, rows) in enumerate(_tab_blocks(text)):
        table = Table(page=None, index=i, rows=rows, header_rows=_header_rows(rows))
        if is_data_table(table):
            out.append((a, b, table))
    return out


def tables_from_text(text: str) -> list[Table]:
    """Tab-separated table blocks of a text rendering, as :class:`Table` records (page None).

    For text and HTML documents whose parser kept tables as tab-separated
    lines; pair with :func:`figures_from_tables`.
    """
    tables = []
    for i, (_a, _b, rows) in enumerate(_tab_blocks(text)):
        tables.append(Table(page=None, index=i, rows=rows, header_rows=_header_rows(rows)))
    return tables


def table_figures(parsed_tables: Sequence[Table], text: str) -> list[FigureItem]:
    """Figures from a document's tables: the parser's tables, else the tab-separated blocks of its text."""
    tables = list(parsed_tables) if parsed_tables else tables_from_text(text)
    return figures_from_tables(tables)


__all__ = ["figures_from_tables", "is_data_table", "parse_cell", "table_blocks", "table_figures", "tables_from_text"]
