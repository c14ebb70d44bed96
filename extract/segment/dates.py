"""Dates and times as council documents write them.

UK documents are day-first ("27 th October 2017", "20/09/2024"); US ones put
the month first ("January 27, 2020", "01/27/2020"). Written-out dates are
unambiguous and go through ``dateparser`` (settings: day-first, and all of
day, month and year required unless a reference date is given). Purely
numeric dates are read here directly: day-first, falling back to month-first
only when day-first is impossible (or when the caller says the document is
month-first), so the result never depends on dateparser's guesses.

``dateparser`` costs about a millisecond a call, so :func:`find_dates` only
hands it strings a cheap regex has already recognised, and results are cached.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from functools import lru_cache

from ..rx.fold import fold_safe_lower

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+(?:the\s+)?)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:\s?(?:st|nd|rd|th))?"
_YEAR = r"(?:1[89]\d\d|2[01]\d\d)"

_DMY = rf"{_WEEKDAY}?{_DAY}(?:\s+of)?[\s,]+{_MONTH}[\s,]+{_YEAR}"
_MDY = rf"{_WEEKDAY}?{_MONTH}\s+{_DAY},?\s+{_YEAR}"
_NUMERIC = r"(?<![\d/.])(?:\d{1,2})/(?:\d{1,2})/(?:\d{4}|\d{2})(?![\d/])|(?<![\d.])\d{1,2}[.-]\d{1,2}[.-](?:1[89]|2[01])\d\d(?![\d.-])"
_ISO = r"(?<!\d)(?:1[89]|2[01])\d\d-[01]\d-[0-3]\d(?!\d)"

DATE_RE = re.compile(rf"\b(?:{_DMY}|{_MDY})\b|{_NUMERIC}|{_ISO}", re.IGNORECASE)
"""Cheap pre-filter: full dates (day, month and year) in the common shapes."""

# Where a DATE_RE, _MDY_RE or _DMY_RE match can start, found by fast scans of the
# lower-cased text: a digit that follows no digit (every alternative that starts with a
# digit is preceded by \b or by a look-behind refusing a digit) or a weekday or month
# name (always after \b, so never inside a longer run of these letters).
_DIGIT_RUN = re.compile(r"\d+")
_MONTH_NAME = re.compile(r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec")
_DAY_OR_MONTH_NAME = re.compile(r"mon|tue|wed|thu|fri|sat|sun|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec")
_SCAN_MIN = 200  # shorter texts are scanned the plain way


def _date_starts(text: str, names: re.Pattern[str], digits: bool) -> list[int] | None:
    """Offsets where a date can start (see above), or None to scan ``text`` the plain way."""
    low = fold_safe_lower(text) if len(text) >= _SCAN_MIN else None
    if low is None:
        return None
    if digits:
        # one scan for names and digit runs: they never overlap, so its matches start
        # exactly where the two scans' matches do, already in order
        return [m.start() for m in _with_digits(names, _ascii_digits(low)).finditer(low)]
    return [m.start() for m in names.finditer(low)]


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _ascii_digits(text: str) -> bool:
    """Whether every digit ``\\d`` matches in ``text`` is one of 0-9 (``\\d`` is any Unicode
    decimal digit, ``str.isdecimal``): always so in ASCII text; else its other characters
    (few, found by a fast scan) are looked at."""
    return text.isascii() or not any(map(str.isdecimal, set(_NON_ASCII.findall(text))))


@lru_cache(maxsize=8)
def _with_digits(names: re.Pattern[str], ascii_digits: bool = False) -> re.Pattern[str]:
    """``names`` (letters only) or a run of digits, as one pattern.

    With ``ascii_digits`` (the text has no other digits) the run is spelt as ten
    alternatives "0[0-9]*|1[0-9]*|...": every alternative then starts with a
    letter or digit of its own, and ``re`` skips the positions holding none of
    them at C speed instead of trying every alternative there (about 2.5 times
    faster on council text). A run matches the same way (greedy, whole run).
    """
    if ascii_digits:
        runs = "|".join(f"{d}[0-9]*" for d in "0123456789")
        return re.compile(runs + "|" + names.pattern, names.flags)
    return re.compile(_DIGIT_RUN.pattern + "|" + names.pattern, names.flags)


def _matches(rx: re.Pattern[str], text: str, starts: list[int] | None) -> Iterator[re.Match[str]]:
    """``rx.finditer(text)`` for a date pattern, trying it only at ``starts``."""
    if starts is None:
        yield from rx.finditer(text)
        return
    floor = 0  # as finditer: the next match starts after the previous one
    for start in starts:
        if start >= floor:
            m = rx.match(text, start)
            if m is not None:
                yield m
                floor = m.end()

_PARTIAL_RE = re.compile(rf"\b{_WEEKDAY}?(?:{_DAY}(?:\s+of)?\s+{_MONTH}|{_MONTH}\s+{_DAY})\b", re.IGNORECASE)

_ORDINAL = re.compile(r"(\d)\s?(?:st|nd|rd|th)\b", re.IGNORECASE)
_OF = re.compile(r"(\d)\s+of\s+", re.IGNORECASE)
_LEADING_THE = re.compile(r"\bthe\s+(?=\d)", re.IGNORECASE)
_NUM_PARTS = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})\s*$")
_ISO_PARTS = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")

_SETTINGS_FULL = {
    "DATE_ORDER": "DMY",
    "REQUIRE_PARTS": ["day", "month", "year"],
    "PREFER_DAY_OF_MONTH": "first",
    "RETURN_AS_TIMEZONE_AWARE": False,
}


def _valid(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def _numeric(text: str, month_first: bool) -> str | None:
    m = _NUM_PARTS.match(text)
    if not m:
        return None
    a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if len(m.group(3)) == 2:
        y += 2000 if y < 70 else 1900
    first, second = ((b, a), (a, b)) if month_first else ((a, b), (b, a))
    # (day, month) orders to try: preferred first, the other only if the first is impossible.
    for day, month in (first, second):
        iso = _valid(y, month, day)
        if iso:
            return iso
    return None


_WS_RUN = re.compile(r"\s+")
_ANY_LETTER = re.compile(r"[A-Za-z]")


def _clean(text: str) -> str:
    text = _ORDINAL.sub(r"\1", text)
    text = _OF.sub(r"\1 ", text)
    text = _LEADING_THE.sub("", text)
    return _WS_RUN.sub(" ", text.replace(",", " ")).strip()


@lru_cache(maxsize=4096)
def _dateparser(text: str, base: date | None) -> str | None:
    import dateparser  # imported lazily: loading it costs ~50 ms

    settings = dict(_SETTINGS_FULL)
    if base is not None:
        settings["REQUIRE_PARTS"] = ["day", "month"]
        settings["RELATIVE_BASE"] = datetime(base.year, base.month, base.day)
        settings["PREFER_DATES_FROM"] = "current_period"
    try:
        result = dateparser.parse(text, languages=["en"], settings=settings)
    except (ValueError, OverflowError, TypeError):
        return None
    if result is None or not 1800 <= result.year <= 2199:
        return None
    return result.date().isoformat()


def parse_date(text: str, *, relative_to: date | None = None, month_first: bool = False) -> str | None:
    """Return the ISO date written in ``text`` (e.g. "27 th October 2017"), or None.

    Without ``relative_to`` the day, month and year must all be given; with
    it, a missing year ("22 July") is taken from the reference date. Numeric
    dates are day-first unless ``month_first`` (a US document) and fall back
    to the other order only when the preferred one is not a real date.
    """
    if not text or not text.strip():
        return None
    return _parse_date(text, relative_to, month_first)


@lru_cache(maxsize=4096)
def _parse_date(text: str, relative_to: date | None, month_first: bool) -> str | None:
    """:func:`parse_date` of a non-blank text; cached, because a document repeats its dates
    (cover, heading, minutes) and find_dates reads the opening more than once."""
    m = _ISO_PARTS.match(text)
    if m:
        return _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    iso = _numeric(text, month_first)
    if iso:
        return iso
    if _NUM_PARTS.match(text):
        return None
    cleaned = _clean(text)
    if not cleaned or not _ANY_LETTER.search(cleaned):
        return None
    if relative_to is None:
        iso = _plain_full_date(cleaned)
        if iso is not None:
            return iso
    return _dateparser(cleaned, relative_to)


def _spellings(words: list[str]) -> frozenset[str]:
    return frozenset(f"{c}{dot}" for w in words for c in (w, w.title(), w.upper()) for dot in ("", "."))


# Day and month names that dateparser reads in a full date exactly as date(y, m, d) does
# (checked against it for every form, case and day, with and without a weekday, both
# orders, years 1800-2199; "Thurs", "Wednes" and "Satur" are not among them: dateparser
# gives up on those). It ignores a weekday that does not fit the date.
_PLAIN_WEEKDAYS = _spellings(["mon", "tue", "tues", "wed", "thu", "fri", "sat", "sun", *[
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]])
_PLAIN_MONTHS = {
    form: n
    for n, words in enumerate(
        (["jan", "january"], ["feb", "february"], ["mar", "march"], ["apr", "april"], ["may"], ["jun", "june"],
         ["jul", "july"], ["aug", "august"], ["sep", "sept", "september"], ["oct", "october"],
         ["nov", "november"], ["dec", "december"]),
        1,
    )
    for form in _spellings(words)
}
_PLAIN_DAY = re.compile(r"(?:0?[1-9]|[12][0-9]|3[01])")
_PLAIN_YEAR = re.compile(r"(?:1[89]|2[01])[0-9][0-9]")


def _plain_full_date(cleaned: str) -> str | None:
    """The ISO date of a cleaned "[Weekday] 30 January 2025" / "[Weekday] January 30 2025",
    without dateparser (about a millisecond a call, a tenth of a second to start), or None
    when the text has another shape or is not a real date (dateparser then decides)."""
    parts = cleaned.split(" ")
    if len(parts) == 4 and parts[0] in _PLAIN_WEEKDAYS:
        parts = parts[1:]
    if len(parts) != 3 or not _PLAIN_YEAR.fullmatch(parts[2]):
        return None
    first, second, year = parts
    if _PLAIN_DAY.fullmatch(first) and second in _PLAIN_MONTHS:
        day, month = int(first), _PLAIN_MONTHS[second]
    elif first in _PLAIN_MONTHS and _PLAIN_DAY.fullmatch(second):
        day, month = int(second), _PLAIN_MONTHS[first]
    else:
        return None
    return _valid(int(year), month, day)


def find_dates(text: str, *, month_first: bool = False) -> list[tuple[int, int, str]]:
    """All full dates in ``text`` as ``(start, end, iso)``, in order.

    The span includes a leading weekday ("Friday 20th September, 2024") so
    callers can see the whole expression as written.
    """
    out: list[tuple[int, int, str]] = []
    if _DIGIT_RUN.search(text) is None:
        return out  # every alternative of DATE_RE holds a digit (a day, a year)
    for m in _matches(DATE_RE, text, _date_starts(text, _DAY_OR_MONTH_NAME, digits=True)):
        iso = parse_date(m.group(0), month_first=month_first)
        if iso:
            out.append((m.start(), m.end(), iso))
    return out


def opening_dates(text: str, head_end: int) -> list[tuple[int, int, str]]:
    """The full dates in the opening ``text[:head_end]``, read in the document's order.

    Equal to ``find_dates(text[:head_end], month_first=month_first_document(text[:max(head_end * 2,
    20000)]))``: only a purely numeric date ("03/05/2024") reads differently month-first, so
    the order is asked (a scan of up to 20,000 characters) only when such a date is found.
    """
    head = text[:head_end]
    dates = find_dates(head)
    if any(_NUM_PARTS.match(head[s:e]) for s, e, _ in dates) and month_first_document(
        text[: max(head_end * 2, 20000)]
    ):
        return find_dates(head, month_first=True)
    return dates


def find_partial_dates(text: str, relative_to: date) -> list[tuple[int, int, str]]:
    """Day-and-month dates without a year ("22 July"), resolved against ``relative_to``."""
    full = [(s, e) for s, e, _ in find_dates(text)]
    out: list[tuple[int, int, str]] = []
    for m in _PARTIAL_RE.finditer(text):
        if any(s <= m.start() < e for s, e in full):
            continue
        iso = parse_date(m.group(0), relative_to=relative_to)
        if iso:
            out.append((m.start(), m.end(), iso))
    return out


_WEEKDAY_PARTIAL_RE = re.compile(
    rf"\b(?P<wd>(?:mon|tues|wednes|thurs|fri|satur|sun)day),?\s+(?:the\s+)?"
    rf"(?:(?P<d1>{_DAY})(?:\s+of)?\s+(?P<m1>{_MONTH})|(?P<m2>{_MONTH})\s+(?P<d2>{_DAY}))\b(?![\s,]+{_YEAR})",
    re.IGNORECASE,
)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_YEAR_RE = re.compile(rf"(?<![\d/-]){_YEAR}(?![\d/-])")


def find_weekday_dates(text: str, years: list[int] | None = None) -> list[tuple[int, int, str]]:
    """Dates written with a weekday but no year ("Friday, September 13th").

    The year is the one among ``years`` (default: the years written in
    ``text``) on which that day and month fall on that weekday; when no year
    or more than one fits, the date is left out rather than guessed.
    """
    out: list[tuple[int, int, str]] = []
    for m in _weekday_partials(text):
        if years is None:  # (read at the first match: most texts have none)
            years = sorted({int(y) for y in _YEAR_RE.findall(text)})
        if not years:
            return out
        day = int(re.match(r"\d+", m.group("d1") or m.group("d2")).group(0))  # type: ignore[union-attr]
        month = _MONTHS.get((m.group("m1") or m.group("m2")).lower().rstrip("."))
        if month is None:
            continue
        want = _WEEKDAYS.index(m.group("wd").lower())
        fits = []
        for y in years:
            iso = _valid(y, month, day)
            if iso and date.fromisoformat(iso).weekday() == want:
                fits.append(iso)
        if len(fits) == 1:
            out.append((m.start(), m.end(), fits[0]))
    return out


_WEEKDAY_STEMS = ("mon", "tues", "wednes", "thurs", "fri", "satur", "sun")  # _WEEKDAY_PARTIAL_RE's, before "day"


def _weekday_partials(text: str) -> Iterator[re.Match[str]]:
    """``_WEEKDAY_PARTIAL_RE.finditer(text)``, the pattern tried only where a weekday name starts.

    Every match starts with a weekday name; each "day" in the lower-cased text
    (found with ``str.find``) that ends one gives a place to try, so the
    pattern, whose opening ``\\b`` and alternation ``re`` tries at every
    position, is not run over the whole text.
    """
    low = fold_safe_lower(text)
    if low is None:
        yield from _WEEKDAY_PARTIAL_RE.finditer(text)
        return
    starts = []
    at = low.find("day")
    while at >= 0:
        for stem in _WEEKDAY_STEMS:
            if at >= len(stem) and low.startswith(stem, at - len(stem)):
                starts.append(at - len(stem))
                break
        at = low.find("day", at + 3)
    floor = 0  # as finditer: the next match starts after the previous one
    for start in starts:
        if start >= floor and (m := _WEEKDAY_PARTIAL_RE.match(text, start)) is not None:
            yield m
            floor = m.end()


_TIME_12 = re.compile(r"(?<![\d.:])(\d{1,2})(?:[.:](\d{2}))?\s?([ap])\.?\s?m\b\.?", re.IGNORECASE)
_TIME_24 = re.compile(r"(?<![\d.:/])([01]?\d|2[0-3]):([0-5]\d)(?![\d:])")
_TIME_HRS = re.compile(r"(?<![\d.:])([01]?\d|2[0-3])[.:]?([0-5]\d)\s?(?:hrs|hours|h)\b", re.IGNORECASE)
_TIME_WORD = re.compile(r"\b(noon|midday|midnight)\b", re.IGNORECASE)
_TIME_DOT_ALONE = re.compile(r"^\s*([01]?\d|2[0-3])\.([0-5]\d)\s*$")


_TIME_WORDS = ("noon", "midday", "midnight")


def _may_name_time(text: str) -> bool:
    """False only when ``_TIME_WORD`` cannot match: in ASCII text (where ``re``'s case folding
    is ``str.lower``) none of its words occurs in the lower-cased text."""
    if not text.isascii():
        return True
    low = text.lower()
    return any(w in low for w in _TIME_WORDS)


def find_times(text: str) -> list[tuple[int, int, str]]:
    """All clock times in ``text`` as ``(start, end, "HH:MM")``, in order."""
    found: list[tuple[int, int, str]] = []
    # Most texts asked (the rest of a line after a date, a heading) hold no time: the
    # three numeric patterns need a digit, the word pattern one of its words, and both
    # are ruled out by a scan at C speed before ``re`` tries its patterns at every position.
    if _DIGIT_RUN.search(text) is not None:  # every numeric time holds a digit
        for m in _TIME_12.finditer(text):
            h, mins = int(m.group(1)), int(m.group(2) or 0)
            if not 1 <= h <= 12 or mins > 59:
                continue
            pm = m.group(3).lower() == "p"
            h = (h % 12) + (12 if pm else 0)
            found.append((m.start(), m.end(), f"{h:02d}:{mins:02d}"))
        for rx in (_TIME_24, _TIME_HRS):
            for m in rx.finditer(text):
                found.append((m.start(), m.end(), f"{int(m.group(1)):02d}:{m.group(2)}"))
    if _may_name_time(text):
        for m in _TIME_WORD.finditer(text):
            found.append((m.start(), m.end(), "00:00" if m.group(1).lower() == "midnight" else "12:00"))
    if not found:
        return found
    found.sort(key=lambda t: (t[0], -t[1]))
    out: list[tuple[int, int, str]] = []
    for item in found:  # drop overlaps: "10:00 am" matches both 12h and 24h patterns
        if out and item[0] < out[-1][1]:
            continue
        out.append(item)
    return out


def parse_time(text: str) -> str | None:
    """Return the first clock time in ``text`` as 24-hour "HH:MM", or None.

    "10.00 am" -> "10:00", "2pm" -> "14:00", "7:30 p.m." -> "19:30",
    "19:15" -> "19:15". A bare "10.00" counts only when it is the whole text,
    because inside prose it is as likely to be a number.
    """
    if not text:
        return None
    times = find_times(text)
    if times:
        return times[0][2]
    m = _TIME_DOT_ALONE.match(text)
    if m:
        return f"{int(m.group(1)):02d}:{m.group(2)}"
    return None


def month_first_document(text: str) -> bool:
    """Guess whether a document writes dates month-first (US style).

    Counts written-out dates in each order; numeric dates then follow the
    majority. Ties and documents without written dates stay day-first.
    """
    mdy = sum(1 for _ in _matches(_MDY_RE, text, _date_starts(text, _MONTH_NAME, digits=False)))
    if not mdy:
        return False  # (most documents) no count of day-first dates can be below zero
    for dmy, _ in enumerate(_matches(_DMY_RE, text, _date_starts(text, _MONTH_NAME, digits=True)), 1):
        if dmy >= mdy:
            return False
    return True


_MDY_RE = re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE)
_DMY_RE = re.compile(rf"\b{_DAY}(?:\s+of)?[\s,]+{_MONTH}[\s,]+{_YEAR}\b", re.IGNORECASE)


def human_date(iso: str) -> str:
    """'2025-01-30' -> '30 January 2025' (for titles)."""
    d = date.fromisoformat(iso)
    return f"{d.day} {d.strftime('%B')} {d.year}"
