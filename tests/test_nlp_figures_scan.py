"""The speed machinery of figures and targets changes no result.

:class:`~extract.rx.literals.MultiFinditer` must give every regex's own
``finditer`` matches, prefix trees (:func:`~extract.nlp.figures.trie_alternation`)
the plain alternation's matches, folded literals (:func:`~extract.rx.literals.required_folded_literals`)
must be in every text a rule matches, and the sentence prefilters of targets
must drop no target. Each is checked against the slow way on the project's
fixtures, on ../shared seeds when present (read only), and on generated text
that mixes the rules' own words with awkward characters.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import re
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.nlp import figures as fig
from extract.nlp import tables
from extract.nlp.figures import (
    MODELS_DIR,
    _mask_spans,
    _period_spans,
    clean_ws,
    compile_pattern,
    extract_figures,
    find_numbers,
    load_figure_rules,
    load_vocab,
    number_starts,
    split_sentences,
    trie_alternation,
)
from extract.nlp.targets import extract_targets, load_target_rules
from extract.rx.fold import fold_case
from extract.rx.literals import (
    BUILD_AFTER,
    MultiFinditer,
    _class_of,
    could_match,
    required_folded_literals,
)

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared"
RULES = load_figure_rules()
TRULES = load_target_rules()


def _texts() -> list[str]:
    out = []
    for folder in (ROOT / "tests" / "fixtures" / "tracking", ROOT / "tests" / "fixtures" / "heldout" / "documents", ROOT / "tests" / "fixtures" / "html"):
        for p in sorted(folder.glob("*")):
            if p.suffix in (".txt", ".md", ".html"):
                out.append(p.read_text(encoding="utf-8", errors="replace"))
    return out


TEXTS = _texts()
_TRICKY = "The Board noted 12 items: item 3, Item 4(b), Section 17 of the Act; İtem ſection 5 K 9 ı 7.\n\n\t  1. Reduce crime by 12% by March 2026.\n"
TEXTS.append(_TRICKY)


def _shared_texts() -> list[str]:
    seeds = SHARED / "corpus" / "seeds"
    if not seeds.is_dir():
        pytest.skip("../shared not present: no seed documents to check against")
    return [p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))]


# generated text: the rules' own words, numbers written every way, and characters that
# fold to ASCII letters ignoring case (the İ ı ſ K that a lower-cased copy must treat right)
_WORDS = [
    "Reduce", "reduce", "by", "BY", "to", "from", "at", "least", "target", "Target:", "Latest:", "baseline",
    "(Baseline figure -", ")", "will", "be", "below", "ensure", "that", "halve", "double", "treble", "we will",
    "March", "mar", "Sept", "Friday", "2016/17", "2024-25", "1 April 2005", "Q3", "Quarter 1", "the last 12 months",
    "per", "1000", "aged", "18-24", "65+", "year olds", "Section", "s.", "No.", "item", "Item 4", "Page", "p.",
    "Tel:", "020 8359 7113", "NW4 4BQ", "www.x.org", "a@b.org", "ISO 9001", "101", "dial", "covid-19", "24/7",
    "£1.2m", "$3,400", "15%", "12.5", "3", "40", "1,234", "7pm", "10:30", "per cent", "percentage points", "5th",
    "highest", "fell", "rose", "increase", "of", "the", "and", "İ", "ı", "ſ", "K", "Kelvin", "ſeven", "İN",
    "one", "hundred", "a hundred", "twenty-five", "half", "\u2013", "-", ",", ".", ";", ":", "(", "•", "|",
]
_GAPS = [" ", "", "\n", "  ", "\t", "\n\n", " \n "]
_GENERATED = st.builds(
    lambda words, gaps: "".join(w + g for w, g in zip(words, gaps, strict=False)),
    st.lists(st.one_of(st.sampled_from(_WORDS), st.sampled_from(_WORDS), st.text(max_size=3)), min_size=4, max_size=50),
    st.lists(st.sampled_from(_GAPS), min_size=50, max_size=50),
)


def _families() -> list[tuple[str, list[re.Pattern[str]]]]:
    return [
        ("masks", [m.regex for m in RULES.masks]),
        ("periods", [rx for _id, rx in RULES.periods]),
        ("anchors", [rx for _id, _kind, rx in TRULES.anchors]),
        ("target-periods", [rx for _id, rx in TRULES.periods] + list(TRULES.baselines)),
    ]


def _built(patterns: list[re.Pattern[str]]) -> MultiFinditer:
    scanner = MultiFinditer(patterns)
    scanner.build()  # scan together from the first text (a fresh one goes regex by regex at first)
    return scanner


FAMILIES = [(name, pats, _built(pats)) for name, pats in _families()]


def _same_as_finditer(scanner: MultiFinditer, patterns: list[re.Pattern[str]], text: str) -> None:
    got = scanner.scan(text)
    for k, rx in enumerate(patterns):
        want = [(m.span(), m.groups()) for m in rx.finditer(text)]
        assert [(m.span(), m.groups()) for m in got[k]] == want, (rx.pattern[:80], text[:200])
    cut = len(text) // 2
    early = dict(scanner.found(text, cut))
    for k, rx in enumerate(patterns):
        want = [m.span() for m in rx.finditer(text) if m.start() < cut]
        assert [m.span() for m in early.get(k, [])] == want


# ------------------------------------------------------------------- case folding


def test_case_folds_are_every_non_ascii_character_an_ascii_letter_matches():
    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    extra = {c for c in re.findall("[a-z]", everything, re.IGNORECASE) if not c.isascii()}
    assert extra == set("".join(fig._CASE_FOLDS.values()))
    folded = fold_case(everything)
    assert len(folded) == len(everything)  # same offsets
    assert not re.search("[A-Z]", folded)
    for ch in extra:
        assert fold_case(ch) in fig._CASE_FOLDS


@pytest.mark.parametrize("word", ["jan", "item", "section", "k", "s", "i"])
def test_a_case_closed_class_matches_what_the_letter_matches_ignoring_case(word):
    tree = re.compile(trie_alternation([word, word + "x"], True), re.IGNORECASE)
    for cand in (word, word.upper(), word.title(), word.replace("i", "\u0130").replace("s", "\u017f").replace("k", "\u212a")):
        assert bool(tree.fullmatch(cand)) == bool(re.fullmatch(re.escape(word), cand, re.IGNORECASE)), cand


# ---------------------------------------------------------------------- prefix trees


@pytest.mark.parametrize(
    ("items", "ignore_case", "expected"),
    [
        (["jan", "january", "june"], False, "(?:j(?:an(?:uary|)|une))"),
        (["one hundred", "one"], False, r"(?:one(?:\s+hundred|))"),
        (["a  b"], False, None),  # two spaces: no tree
        (["caf\u00e9"], False, None),  # not ASCII: no tree
        ([], False, None),
    ],
)
def test_trie_alternation_shape(items, ignore_case, expected):
    assert trie_alternation(items, ignore_case) == expected


def _rows(name: str) -> list[dict]:
    return [json.loads(x) for x in (MODELS_DIR / "patterns" / name).read_text(encoding="utf-8").splitlines() if x.strip()]


PLACEHOLDER_ROWS = [
    (name, r)
    for name in ("figures.jsonl", "targets.jsonl")
    for r in _rows(name)
    if fig._PLACEHOLDER.search(r["pattern"]) and r["label"] not in ("CHANGE_VERB", "CHANGE_PARTICIPLE")
]


def _both_ways(row: dict, flags: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    voc = load_vocab()
    tree = compile_pattern(row["pattern"], voc, flags)
    plain_mod = sys.modules[compile_pattern.__module__]
    keep = plain_mod.trie_alternation
    try:
        plain_mod.trie_alternation = lambda items, ignore_case: None
        plain = compile_pattern(row["pattern"], voc, flags)
    finally:
        plain_mod.trie_alternation = keep
    return tree, plain


def _flags(name: str, row: dict) -> str:
    if name == "targets.jsonl" and "flags" not in row and row["label"] in ("FRAME", "NOT_FRAME", "SENTENCE_FRAME", "ANCHOR", "SPLIT_VERB", "IMPLIED_AMOUNT"):
        return "i"
    return row.get("flags", "")


@pytest.mark.parametrize(("name", "row"), PLACEHOLDER_ROWS, ids=[r["id"] for _n, r in PLACEHOLDER_ROWS])
def test_prefix_trees_match_like_the_plain_alternation(name, row):
    tree, plain = _both_ways(row, _flags(name, row))
    for text in TEXTS:
        assert [(m.span(), m.groupdict()) for m in tree.finditer(text)] == [(m.span(), m.groupdict()) for m in plain.finditer(text)]


def test_placeholders_become_prefix_trees():
    trees = sum(1 for name, row in PLACEHOLDER_ROWS if _both_ways(row, _flags(name, row))[0].pattern != _both_ways(row, _flags(name, row))[1].pattern)
    assert trees >= len(PLACEHOLDER_ROWS) * 3 // 4


@settings(max_examples=60, deadline=None)
@given(_GENERATED)
def test_prefix_trees_match_like_the_plain_alternation_on_generated_text(text):
    for name, row in PLACEHOLDER_ROWS:
        tree, plain = _both_ways(row, _flags(name, row))
        assert [(m.span(), m.groupdict()) for m in tree.finditer(text)] == [(m.span(), m.groupdict()) for m in plain.finditer(text)], row["id"]


# ---------------------------------------------------------------- many regexes at once


@pytest.mark.parametrize(("name", "patterns", "scanner"), FAMILIES, ids=[f[0] for f in FAMILIES])
def test_multi_finditer_is_finditer_on_fixtures(name, patterns, scanner):
    assert scanner.scans, name  # the family is really scanned together
    for text in TEXTS:
        _same_as_finditer(scanner, patterns, text)


@pytest.mark.parametrize(("name", "patterns", "scanner"), FAMILIES, ids=[f[0] for f in FAMILIES])
def test_multi_finditer_is_finditer_on_shared_seeds(name, patterns, scanner):
    for text in _shared_texts():
        _same_as_finditer(scanner, patterns, text)


@settings(max_examples=150, deadline=None)
@given(_GENERATED)
def test_multi_finditer_is_finditer_on_generated_text(text):
    for _name, patterns, scanner in FAMILIES:
        _same_as_finditer(scanner, patterns, text)


@pytest.mark.parametrize(
    "pattern",
    [
        r"(a)\1",  # back-reference: searched on its own
        r"(?x) a b ",  # verbose
        r"x*",  # may match empty
        r"\S+@",  # starts anywhere
        r"(?m)^\d+\.",  # line start
        r"\bfoo(?P<x>\d)",  # word start, a named group
        r"(?i)\bstraße\b",  # a cased letter that is not ASCII
        r"[^a]b",  # negated first class
    ],
)
def test_multi_finditer_handles_every_kind_of_pattern(pattern):
    rx = re.compile(pattern)
    for scanner in (_built([rx, re.compile(r"\d{2}")]), MultiFinditer([rx, re.compile(r"\d{2}")])):
        for text in ("aa ab foo7 12 STRASSE straße 3. x\n4. ab@c  foo", "", "\n1. a b", "bb"):
            assert [m.span() for m in scanner.scan(text)[0]] == [m.span() for m in rx.finditer(text)], (pattern, text)


def test_multi_finditer_searches_one_regex_at_a_time_until_it_pays_to_build():
    patterns = [m.regex for m in RULES.masks]
    scanner = MultiFinditer(patterns)
    text = TEXTS[0]
    _same_as_finditer(scanner, patterns, text)
    assert not scanner._built
    scanner.found("x" * BUILD_AFTER)
    assert scanner._built
    _same_as_finditer(scanner, patterns, text)


def test_class_of_keeps_any_character():
    assert _class_of(frozenset({"a", r"[\s\S]"})) == r"[\s\S]"
    assert re.fullmatch(_class_of(frozenset({"]", "-", "^", "a", r"\d"})) + "+", "]-^a5")


# ---------------------------------------------------------------- folded literals


def _rule_patterns() -> list[tuple[str, re.Pattern[str]]]:
    out = [(f"figures:{m.id}", m.regex) for m in RULES.masks] + [(f"figures:{i}", rx) for i, rx in RULES.periods]
    out += [(f"targets:{i}", rx) for i, _kind, rx in TRULES.anchors]
    out += [(f"targets:implied:{k}", rx) for k, (rx, *_rest) in enumerate(TRULES.implied)]
    out += [(f"targets:doc:{k}", rx) for k, rx in enumerate(TRULES.doc_periods + TRULES.doc_baseline_periods)]
    return out


RULE_PATTERNS = _rule_patterns()


@pytest.mark.parametrize(
    ("pattern", "flags", "expected"),
    [
        (r"\bby\s+\d", re.I, ("by",)),
        (r"(?:Target|goal)\s*:", 0, ("goal", "target")),
        (r"[Tt]he\s+\w+\s+noted", 0, ("noted",)),
        (r"\d+", 0, None),
        (r"(?i:stra\u00dfe)", 0, ("stra",)),
    ],
)
def test_required_folded_literals(pattern, flags, expected):
    assert required_folded_literals(re.compile(pattern, flags)) == expected


@settings(max_examples=150, deadline=None)
@given(_GENERATED)
def test_folded_literals_are_in_every_text_a_rule_matches(text):
    folded = fold_case(text)
    for name, rx in RULE_PATTERNS:
        if rx.search(text):
            assert could_match(required_folded_literals(rx), folded), (name, text)


# --------------------------------------------------------------- figures internals


def _mask_spans_slowly(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    hard: list[tuple[int, int]] = []
    soft: list[tuple[int, int]] = []
    cont = RULES.w("CONTINUATION_WORD")
    for mask in RULES.masks:
        for m in mask.regex.finditer(text):
            if mask.unless_continued and fig._continues_line(text, m.start(), cont):
                continue
            groups = [g for g in ("x", "y") if g in mask.regex.groupindex and m.group(g) is not None]
            (soft if mask.plain_only else hard).extend([m.span(g) for g in groups] or [m.span()])
    return hard, soft


def _period_spans_slowly(text: str) -> list[tuple[int, int, str]]:
    spans = [(m.start(), m.end(), clean_ws(m.group())) for _id, rx in RULES.periods for m in rx.finditer(text)]
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    out: list[tuple[int, int, str]] = []
    for s in spans:
        if not (out and s[0] < out[-1][1]):
            out.append(s)
    return out


_PAGE_RANGE_AS_WRITTEN = re.compile(r"(?<![0-9.,£$€/])([0-9]{1,3})[ \t]*[-–][ \t]*([0-9]{1,3})(?![0-9.,%/])")


_NUM_AS_WRITTEN = fig._NUM
_ENDS_IN_NUMBER_AS_WRITTEN = re.compile(r"[ \t.…][0-9]{1,4}[ \t]*$", re.M)


def _is_key_line_slowly(line: str) -> bool:
    pair, lead, _before = fig._key_label_rx(RULES.w("KEY_LABEL"))
    return sum(1 for _m in pair.finditer(line)) >= 2 or lead.match(line) is not None


def _check_rewrites(text: str) -> None:
    """Regexes and helpers rewritten for speed give what the plain form gives."""
    assert [(m.span(), m.groupdict()) for m in fig._num_matches(text)] == [(m.span(), m.groupdict()) for m in _NUM_AS_WRITTEN.finditer(text)]
    ends = [(m.start() - 1, m.end()) for m in fig._ENDS_IN_NUMBER.finditer(text)]
    assert ends == [m.span() for m in _ENDS_IN_NUMBER_AS_WRITTEN.finditer(text)]
    assert clean_ws(text) == re.sub(r"\s+", " ", text).strip()
    for line in text.split("\n")[:200]:
        assert fig._is_key_line(line, RULES.w("KEY_LABEL")) == _is_key_line_slowly(line), line
    for cell in {*re.split(r"[\t\n|]", text), *text.split()}:
        for heading in ("", "% change", "£000", "Rate per 1,000", "2023/24"):
            assert tables.parse_cell(cell, heading) == tables._parse_cell.__wrapped__(cell, heading), (cell, heading)
    _check_sentence_tokens(text)
    for m in fig._NUM.finditer(text):
        before = text[max(0, m.start() - 60) : m.start()]
        if fig._TALLY_BEFORE.search(before):
            assert could_match(fig._TALLY_WORDS, fold_case(before)), before
    sents = split_sentences(text)
    for chosen in (sents, sents[::2], sents[1::3]):
        near = fig._period_spans_in(text, RULES, chosen)
        slow = _period_spans_slowly(text)
        for a, b in chosen:
            assert [s for s in near if a <= s[0] and s[1] <= b] == [s for s in slow if a <= s[0] and s[1] <= b], (a, b)


def _tok_fields(toks) -> list[tuple]:
    return [(t.text, t.start, t.end, t.kind, t.low) for t in toks]


def _check_sentence_tokens(text: str) -> None:
    """A sentence's tokens read in place are those of its copy; the chunker's token index is
    ``list.index``; a remembered weakness is a fresh one."""
    cuts = sorted({0, len(text), *(a for a, _b in split_sentences(text)), *range(0, len(text), 37)})
    spans = list(zip(cuts, cuts[1:], strict=False)) + [(a, b) for a, b in split_sentences(text)]
    for a, b in spans:
        toks = fig._tokens_in(text, a, b)
        assert _tok_fields(toks) == _tok_fields(fig.tokenize(text[a:b], a)), (a, b)
        if not toks:
            continue
        mb = fig._MetricBuilder(text, (a, b), RULES, find_numbers(text[a:b], RULES))
        for tok in mb.toks:
            assert mb.ch.index(tok) == mb.toks.index(tok)
        for n in find_numbers(text[a:b], RULES):
            n.start, n.end = n.start + a, n.end + a
            assert mb.span_tokens(n) == mb._span_tokens(n) == mb.span_tokens(n)
        for x in range(0, len(mb.toks), 3):
            phrase = mb.ch.join(mb.toks[x : x + 1 + x % 4])
            assert mb._weakness(phrase) == mb._weakness_now(phrase) == mb._weakness(phrase), phrase
        for x, tok in enumerate(mb.toks):  # every token as a figure: the sentence's change words decide as the loop does
            for unit in ("count", "rank"):
                f = fig._Fig(num=fig.Number(start=tok.start, end=tok.end, value=1.0, raw=tok.text, unit=unit), sent=(a, b))
                i1 = x + 1 + x % 2
                shared = fig._direction(f, mb.toks, x, i1, RULES, mb.fig_starts, mb.change_words_at(unit == "rank"))
                assert shared == fig._direction(f, mb.toks, x, i1, RULES, mb.fig_starts), (tok, unit)


def _check_internals(text: str) -> None:
    _check_rewrites(text)
    assert [(m.span(), m.groups()) for m in fig._PAGE_RANGE.finditer(text)] == [(m.span(), m.groups()) for m in _PAGE_RANGE_AS_WRITTEN.finditer(text)]
    hard, soft = _mask_spans(text, RULES)
    slow_hard, slow_soft = _mask_spans_slowly(text)
    merged = fig._Intervals(slow_hard), fig._Intervals(slow_soft)
    assert (hard.starts, hard.ends, soft.starts, soft.ends) == (merged[0].starts, merged[0].ends, merged[1].starts, merged[1].ends)
    assert _period_spans(text, RULES) == _period_spans_slowly(text)
    cut = len(text) // 2
    assert _period_spans(text, RULES, cut) == [s for s in _period_spans_slowly(text) if s[0] < cut]
    nums = find_numbers(text, RULES)
    starts = {n.start for n in nums}
    for through in (0, cut, len(text)):
        got = number_starts(text, RULES, through)
        assert got <= starts
        assert {n.start for n in nums if n.start + 1 <= through} <= got


def test_figure_internals_are_the_slow_ones_on_fixtures():
    for text in TEXTS:
        _check_internals(text)


def test_figure_internals_are_the_slow_ones_on_shared_seeds():
    for text in _shared_texts():
        _check_internals(text)


@settings(max_examples=100, deadline=None)
@given(_GENERATED)
def test_figure_internals_are_the_slow_ones_on_generated_text(text):
    _check_internals(text)


# ---------------------------------------------------------------- target prefilters

UNFILTERED = dataclasses.replace(
    TRULES, anchor_cues=None, amount_words=None, amount_search=None, implied_cues=(), doc_period_cues=(), doc_baseline_cues=()
)


def _targets_both_ways(text: str) -> None:
    sents = split_sentences(text)
    figures = extract_figures(text, sents)
    fast_figs, slow_figs = copy.deepcopy(figures), copy.deepcopy(figures)
    fast = extract_targets(text, sents, TRULES, fast_figs)
    slow = extract_targets(text, sents, UNFILTERED, slow_figs)
    assert fast == slow
    assert fast_figs == slow_figs  # the same figures relabelled as target amounts and baselines


def test_target_prefilters_drop_nothing_on_fixtures():
    assert TRULES.anchor_cues is not None and TRULES.amount_words  # the prefilters are on
    for text in TEXTS:
        _targets_both_ways(text)


def test_target_prefilters_drop_nothing_on_shared_seeds():
    for text in _shared_texts():
        _targets_both_ways(text)


@settings(max_examples=100, deadline=None)
@given(_GENERATED)
def test_target_prefilters_drop_nothing_on_generated_text(text):
    _targets_both_ways(text)


@pytest.mark.parametrize("row", _rows("figures.jsonl"), ids=lambda r: r["id"])
def test_compile_pattern_guard_is_guarded(row):
    """Compiling only the guarded form (start-up saving) gives literals.guarded's regex exactly."""
    from extract.rx.literals import guarded

    voc = load_vocab()
    plain = compile_pattern(row["pattern"], voc, row.get("flags", ""), row["id"])
    fast = compile_pattern(row["pattern"], voc, row.get("flags", ""), row["id"], guard=True)
    want = guarded(plain)
    assert (fast.pattern, fast.flags) == (want.pattern, want.flags)


def test_compile_pattern_guard_reports_bad_regex():
    with pytest.raises(ValueError, match="bad regex"):
        compile_pattern("(?:[0-9]+", {}, "", "rule x", guard=True)


# ----------------------------------------------------------------- memo of short texts


def _short_texts() -> list[str]:
    out = []
    for text in TEXTS:
        out += [text[a:b] for a, b in split_sentences(text) if fig._ANY_DIGIT.search(text, a, b)]
    return out


def test_memoized_masks_and_number_starts_are_fresh_ones(monkeypatch):
    shorts = _short_texts()
    assert len(shorts) > 20
    remembered = [(number_starts(t, RULES, len(t)), _mask_spans(t, RULES)) for t in shorts + shorts]  # second round from the memo
    assert any(("starts", t, len(t)) in RULES._memo for t in shorts)
    monkeypatch.setattr(fig, "_MEMO_TEXT", -1)  # nothing remembered: computed afresh
    for t, (starts, (hard, soft)) in zip(shorts + shorts, remembered, strict=True):
        fresh_hard, fresh_soft = _mask_spans(t, RULES)
        assert starts == number_starts(t, RULES, len(t))
        assert (hard.starts, hard.ends, soft.starts, soft.ends) == (fresh_hard.starts, fresh_hard.ends, fresh_soft.starts, fresh_soft.ends)


def test_memo_stays_small(monkeypatch):
    monkeypatch.setattr(fig, "_MEMO_SIZE", 5)
    RULES._memo.clear()
    for k in range(40):
        number_starts(f"Item {k}: 12 of {k} residents", RULES, 30)
        assert len(RULES._memo) <= 5
    long = "The Board noted 45 items. " * 200
    number_starts(long, RULES, len(long))
    assert not any(long in key for key in RULES._memo)  # a long text is not kept


