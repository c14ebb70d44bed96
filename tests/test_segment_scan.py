"""The segmenter's fast scans give exactly the matches of the plain ones (issue 9).

extract.rx.scan.finditer must equal ``Pattern.finditer`` for every rule
pattern the segmenter runs, the date scans must equal DATE_RE and the
month-first count, and the dateparser shortcut must agree with dateparser.
Texts are fictional council minutes written for these tests, plus generated
strings that stress the edges (windows, overlapping words, case folding).
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract.rx import fold, scan
from extract.rx.sre import parse
from extract.segment import dates
from extract.segment.bodies import _head_regex
from extract.segment.place import _rules
from extract.segment.resources import load_vocab

MINUTES = """KETTLEBAY BOROUGH COUNCIL
MINUTES of a meeting of the Health and Wellbeing Board held in the Council Chamber,
Town Hall, Kettlebay on Thursday, 30th January 2025 at 10.00 am

Present: Councillor A. Moss (Chair), Councillor B. Reyes, Ms C. Okafor (Kettlebay CCG)

1. Apologies for absence
Apologies were received from Councillor D. Hart. RESOLVED that the apologies be noted.

2. Minutes of the previous meeting (Pages 3 - 8)
The minutes of the meeting held on 14 November 2024 were approved as a correct record.

3. Safer Kettlebay Partnership: annual report
The Chair of the Safer Communities Partnership Board introduced the report. Members AGREED
the recommendations. Action: Director of Public Health to report back in March 2025.
The Cabinet Member noted that London Borough of Harrowfield and Kettlebay Council had signed the
protocol; the executive sub-committee would meet on Monday 3 March 2025 (AI-generated summary
not used). The meeting closed at 11.45 am. Motion carried. Seconded by Cllr Reyes.
"""

SHORT_TEXTS = [
    MINUTES,
    MINUTES.upper(),
    MINUTES.replace("\n", " "),
    MINUTES.replace(" ", "\n"),
    MINUTES.replace(".", ""),
    MINUTES * 3,
    "executivexecutive committeecommittee Boardboard teetee boardoar " * 20,
    # characters whose case folding differs from str.lower(): the plain path must be taken
    ("The Kelvin \u212a and long \u017f and dotless \u0131 and \u0130stanbul Board met. " * 10),
]


def _vocab_patterns() -> list[re.Pattern[str]]:
    vocab = load_vocab()
    out = [c.regex for c in vocab.kind_cues]
    out += [c.regex for cues in vocab.contexts.values() for c in cues]
    for group in ("title_noise", "text_noise", "minutes_label", "skip_line", "title_stop", "venue_word",
                  "sentence_start", "reporting_verb"):
        out += list(getattr(vocab, group))
    out += [_head_regex(), *_rules()[0]]
    return out


# Patterns built to stress each path: required words with barriers, look-aheads and
# anchors at window ends, start words that overlap, scoped flags (no shortcut).
EDGE_PATTERNS = [
    re.compile(r"\bexecutive(?![\w-])", re.IGNORECASE),
    re.compile(r"(?<![\w-])(?:executive|committee|tee)\b", re.IGNORECASE),
    re.compile(r"\bcouncil(?=\s)", re.IGNORECASE),
    re.compile(r"\bcouncil(?!\.)", re.IGNORECASE),
    re.compile(r"\bboard$", re.IGNORECASE | re.MULTILINE),
    re.compile(r"\bboard$", re.IGNORECASE),
    re.compile(r"^\s*minutes\b", re.IGNORECASE | re.MULTILINE),
    re.compile(r"\bapologies\s+were\s+received\b", re.IGNORECASE),
    re.compile(r"\b(?:approved|signed)\s+as\s+a\s+correct\s+record", re.IGNORECASE),
    re.compile(r"\b(?i:board)\s+met"),
    re.compile(r"\bmet[^x]*?closed", re.IGNORECASE | re.DOTALL),
    re.compile(r"\b(?:Borough|Council)\b"),
    re.compile(r"(?<=the )\bchair\b", re.IGNORECASE),
    re.compile(r"(?<!x)(?:board|oar|tee)", re.IGNORECASE),  # adjacent and nested matches
]


def _spans(matches) -> list[tuple[tuple[int, int], tuple]]:
    return [(m.span(), m.groups()) for m in matches]


@pytest.mark.parametrize("pattern", _vocab_patterns() + EDGE_PATTERNS, ids=lambda p: p.pattern[:40])
def test_finditer_equals_plain(pattern: re.Pattern[str]) -> None:
    for text in SHORT_TEXTS:
        assert _spans(scan.finditer(pattern, text)) == _spans(pattern.finditer(text))
        if not scan.may_match(pattern, text):
            assert pattern.search(text) is None


def test_shortcuts_are_used() -> None:
    """The vocabulary patterns that are slow to scan get a plan (else this work is moot)."""
    vocab = load_vocab()
    resolved = next(c.regex for c in vocab.kind_cues if c.id == "minutes-resolved")
    assert scan.start_words(resolved) == {"RESOLVED", "Resolved"}
    correct = next(c.regex for c in vocab.kind_cues if c.id == "minutes-correct-record")
    assert scan.required_words(correct) == {"correct"}
    assert scan.plan_for(_head_regex()) is not None
    assert scan.plan_for(re.compile(r"(?i:board)")) is None  # scoped flags: plain path


@pytest.mark.parametrize(
    ("pattern", "flags", "candidates", "expected"),
    [
        (r"board\.?$", re.M, ".,;\n", "\n"),  # "$": only the line break, in multi-line mode
        (r"board\.?$", re.M, ".,;", ""),  # ... and only when the caller offers it
        (r"board$", 0, ".,;\n", ""),
        (r"board", 0, ".,;\n", ".,;\n"),
        (r"board\.", 0, ".,;\n", ",;\n"),
    ],
)
def test_barriers_of(pattern: str, flags: int, candidates: str, expected: str) -> None:
    parsed = parse(pattern, flags)
    assert scan.barriers_of(list(parsed.data), parsed.state.flags, candidates) == expected


@pytest.mark.parametrize("text", ["", "Board", "x" * 300, "minutes of the Board\n" * 20, "notes\nBoard met\n" * 20])
def test_fast_patterns_and_short_texts_give_what_re_gives(text: str) -> None:
    """For a pattern re scans quickly ("^" in multi-line mode), with its required words tested
    first, finditer gives what Pattern.finditer gives, on short and long texts, with and without them."""
    pattern = re.compile(r"^Board\s+met", re.M)
    assert scan.plan_for(pattern) is not None and scan.plan_for(pattern).fast
    assert [m.span() for m in scan.finditer(pattern, text)] == [m.span() for m in pattern.finditer(text)]


_ALPHABET = st.sampled_from(
    ["Board", "board", "BOARD", "executive", "committee", "tee", "council", "Council", "minutes", "Minutes:",
     "apologies were received", "approved as a correct record", "RESOLVED", "Resolved that", "Action: X",
     "(Action)", "chair", "the ", "met", "closed", "Borough of Kettlebay", "Kettlebay Council", " ", "  ",
     "\n", "\n\n", ".", ",", "-", ":", "(", ")", "x", "1", "\u017f", "\u212a", "oar", "tee", "boardoar"]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_ALPHABET, max_size=120))
def test_finditer_equals_plain_generated(parts: list[str]) -> None:
    text = "".join(parts)
    old = scan._MIN_TEXT, scan._SLACK
    try:
        for min_text, slack in ((0, 10**6), (0, 0), (200, 20)):
            scan._MIN_TEXT, scan._SLACK = min_text, slack
            for pattern in EDGE_PATTERNS + [_head_regex()]:
                assert _spans(scan.finditer(pattern, text)) == _spans(pattern.finditer(text)), pattern.pattern
    finally:
        scan._MIN_TEXT, scan._SLACK = old


_DATE_TOKENS = st.sampled_from(
    ["Monday", "mon", "Tues", "Wednesday ", "thu", "FRIDAY", "sat", "sunday", "January", "jan", "Feb", "March",
     "mar", "May", "june", "Jul", "Aug.", "Sept", "sep", "October", "oct", "nov", "December", "dec", "1", "12",
     "31", "3rd", "21st", "2024", "1999", "24", "/", ".", "-", ",", " ", "\n", "of", "the", "summary",
     "decision", "2024-03-05", "12/03/2024", "5.6.2023", "\u017f", "\u0663", "January 5, 2024",
     "5 January 2024", "3rd of March, 2021"]
)


def _month_first_plain(text: str) -> bool:
    mdy = len(re.findall(rf"\b{dates._MONTH}\s+{dates._DAY},?\s+{dates._YEAR}\b", text, re.IGNORECASE))
    dmy = len(re.findall(rf"\b{dates._DAY}(?:\s+of)?[\s,]+{dates._MONTH}[\s,]+{dates._YEAR}\b", text, re.IGNORECASE))
    return mdy > dmy


@settings(max_examples=300, deadline=None)
@given(st.lists(_DATE_TOKENS, max_size=40))
def test_date_scans_equal_plain(parts: list[str]) -> None:
    text = " ".join(parts)
    old = dates._SCAN_MIN
    try:
        dates._SCAN_MIN = 0
        starts = dates._date_starts(text, dates._DAY_OR_MONTH_NAME, digits=True)
        assert _spans(dates._matches(dates.DATE_RE, text, starts)) == _spans(dates.DATE_RE.finditer(text))
        assert dates.month_first_document(text) == _month_first_plain(text)
    finally:
        dates._SCAN_MIN = old


@pytest.mark.parametrize("text", [MINUTES, MINUTES.upper(), MINUTES.replace("2025", "January 30, 2025")])
def test_month_first_equals_plain_on_minutes(text: str) -> None:
    assert dates.month_first_document(text) == _month_first_plain(text)


@pytest.mark.parametrize(
    "text",
    [
        "Thursday 30 January 2025", "Monday 30 January 2025", "Tues. 4 Feb. 2025", "SAT 1 MARCH 2025",
        "sunday 2 march 2025", "Wed 29 February 2024", "Wed 29 February 2023", "29 February 1900",
        "29 February 2000", "31 June 2024", "Sept 3 2024", "3 Sept. 2024", "December 31 2199", "1 Jan 1800",
        "03 May 2024", "May 03 2024",
        # shapes dateparser reads differently or not at all: never taken by the shortcut
        "Thurs. 30 Jan. 2025", "Thur 3 May 2024", "Wednes 3 March 2024", "Satur 3 May 2024", "3 Janu 2024",
        "jAnUaRy 3 2024",
    ],
)
def test_plain_full_date_agrees_with_dateparser(text: str) -> None:
    fast = dates._plain_full_date(text)
    slow = dates._dateparser.__wrapped__(text, None)
    assert fast is None or fast == slow
    assert dates.parse_date(text) == slow


def test_plain_full_date_shapes() -> None:
    assert dates._plain_full_date("Thursday 30 January 2025") == "2025-01-30"
    assert dates._plain_full_date("January 30 2025") == "2025-01-30"
    assert dates._plain_full_date("Thurs 30 January 2025") is None  # left to dateparser
    assert dates._plain_full_date("31 June 2024") is None  # not a date: dateparser decides


# ---------------------------------------------------------------- the shared case folding (extract.rx.fold)

_BMP = "".join(chr(c) for c in range(0x10000) if not 0xD800 <= c < 0xE000)


def test_fold_table_is_every_character_re_folds_onto_an_ascii_letter() -> None:
    """Both folding policies rest on CASE_FOLD_EXTRAS: it must list exactly what re.I adds."""
    extra = {ch for ch in re.findall("[a-z]", _BMP, re.IGNORECASE) if not ch.isascii()}
    assert extra == set("".join(fold.CASE_FOLD_EXTRAS.values()))
    for letter, chars in fold.CASE_FOLD_EXTRAS.items():
        assert all(re.fullmatch(letter, ch, re.IGNORECASE) for ch in chars)


@pytest.mark.parametrize("start", range(0, len(_BMP), 8192))
def test_fold_case_and_fold_safe_lower_agree(start: int) -> None:
    """fold_case keeps offsets and maps re's extra folds to their letter; fold_safe_lower is
    str.lower() or refuses, and agrees with fold_case wherever it does not refuse."""
    chunk = _BMP[start : start + 8192]
    for ch in chunk:
        folded = fold.fold_case(ch)
        assert len(folded) == 1, hex(ord(ch))
        low = fold.fold_safe_lower(ch)
        assert low is None or low == folded == ch.lower(), hex(ord(ch))
        assert (low is None) == bool(fold.FOLD_RISK.search(ch) or len(ch.lower()) != 1), hex(ord(ch))
    text = chunk * 2  # long: the other cache
    assert fold.fold_case(text) == "".join(map(fold.fold_case, text))
    safe = fold.fold_safe_lower(text)
    assert safe is None or safe == fold.fold_case(text)
