"""Compiled patterns kept between runs (extract.rx.compiled) are the patterns ``re`` compiles.

``re.Pattern`` equality compares the source, the flags and the compiled code,
so a pattern served from the cache that equals a fresh compile runs exactly
as the fresh one. Every pattern the real pipeline compiles while loading is
checked that way, then the ways the cache must not matter: an edited rule, a
damaged or foreign file, the cache turned off.
"""

from __future__ import annotations

import json
import marshal
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from extract.rx import compiled as C
from extract.rx.compiled import cache_file, code_of, compiled_patterns
from extract.rx.words import alternation, longest_first

pytestmark = pytest.mark.skipif(cache_file(Path("x")) is None, reason="this Python's re has no cacheable code")

FRESH = C._compiler.compile  # the compiler itself, past re's own in-memory cache

SOURCES = [
    (r"(?P<amount>£?[0-9]+(?:,[0-9]{3})*)\s*(?P<unit>%|per cent)?", 0),
    (r"\b(?:burglar(?:y|ies)|robber(?:y|ies))\b", re.I),
    (r"^\s*(?:RESOLVED|AGREED)\s*[:\-–]", re.M),
    (r"(?<![0-9])(20[0-9]{2})/([0-9]{2})(?![0-9])", 0),
    (r"(?=[A-Z])(?:[A-Z][a-z]+\s){1,3}(?:Council|Partnership|Board)", 0),
    (r"caf[eé]s?\b", re.I | re.X),
]


def _entries(path: Path) -> dict:
    return marshal.loads(path.read_bytes())["entries"]


def _compile_all(sources) -> list[re.Pattern[str]]:
    return [re.compile(s, f) for s, f in sources]


@pytest.fixture(autouse=True)
def _no_re_cache():
    re.purge()  # re's own cache would answer before the compiler is reached
    yield
    re.purge()


def test_served_patterns_equal_fresh_compiles(tmp_path):
    with compiled_patterns(tmp_path):
        first = _compile_all(SOURCES)
    path = cache_file(tmp_path)
    assert set(_entries(path)) == {(s, int(f)) for s, f in SOURCES}
    re.purge()
    calls = []
    real = C.code_of
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(C, "code_of", lambda *a: calls.append(a) or real(*a))
        with compiled_patterns(tmp_path):
            served = _compile_all(SOURCES)
    assert calls == [], "every pattern came from the file"
    for (source, flags), a, b in zip(SOURCES, first, served, strict=True):
        fresh = FRESH(source, flags)
        assert a == fresh and b == fresh and b.groupindex == fresh.groupindex and b.groups == fresh.groups
    m = served[0].search("a rise to £1,204 per cent")
    assert m and m.group("amount") == "£1,204" and m.group("unit") == "per cent"
    assert C._compiler.compile is FRESH, "the hook is gone once the block ends"


def test_every_pattern_the_pipeline_loads_is_served_as_compiled(tmp_path):
    """A fresh interpreter loading the pipeline stores its patterns; the next one compiles none of them."""
    probe = r"""
import json
from extract.rx import compiled as C
calls = []
real = C.code_of
C.code_of = lambda *a: calls.append(a) or real(*a)
worked = []  # remembered calls not served from the file
from extract.rx import literals, scan
for module, name in [(literals, n) for n in ("required_literals", "required_folded_literals", "first_chars",
                     "guarded_source", "_pattern_facts")] + [(scan, "_plan_facts")]:
    wrapper = getattr(module, name)
    inner = wrapper.__wrapped__
    cell = wrapper.__closure__[[c.cell_contents for c in wrapper.__closure__].index(inner)]
    cell.cell_contents = (lambda inner, name: lambda *a: worked.append(name) or inner(*a))(inner, name)
from extract.nlp.pipeline import build_nlp
build_nlp()
print(json.dumps([len(calls), len(worked)]))
"""
    def load(hash_seed: int) -> int:
        # another string-hash seed each time: a regex built from a set must read the same in every process
        env = {**os.environ, C.ENV: str(tmp_path), "PYTHONHASHSEED": str(hash_seed)}
        run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=300,
                             check=True, cwd=Path(__file__).resolve().parents[1])
        return json.loads(run.stdout.strip().splitlines()[-1])

    compiles, analyses = load(1)
    assert compiles > 300 and analyses > 300
    assert load(2) == [0, 0], "a new process reads every pattern, and what was worked out about it, from the file"
    entries = _entries(cache_file(tmp_path))
    for source, flags in entries:
        assert C._pattern(source, entries[(source, flags)]) == FRESH(source, flags), source[:80]
    _assert_results_equal_fresh_analyses(cache_file(tmp_path))


def _assert_results_equal_fresh_analyses(path: Path) -> None:
    """Every result in the file is what its function works out now, from the same arguments."""
    import importlib

    results = marshal.loads(path.read_bytes())["results"]
    assert results
    for (_fingerprint, name, parts), stored in results.items():
        module, _, function = name.rpartition(".")
        fn = getattr(importlib.import_module(module), function).__wrapped__
        args = [re.compile(p[1], p[2]) if isinstance(p, tuple) and p[:1] == ("re.Pattern",) else p for p in parts]
        assert fn(*args) == stored, (name, parts)


def test_an_edited_pattern_is_compiled_again_and_stored(tmp_path):
    with compiled_patterns(tmp_path):
        _compile_all(SOURCES[:2])
    edited = (SOURCES[1][0].replace("robber", "theft|robber"), SOURCES[1][1])
    re.purge()
    with compiled_patterns(tmp_path):
        (rx,) = _compile_all([edited])
    assert rx == FRESH(*edited) and rx.search("a theft was reported")
    assert {(s, int(f)) for s, f in [*SOURCES[:2], edited]} == set(_entries(cache_file(tmp_path)))


@pytest.mark.parametrize("damage", [b"", b"not marshal data", marshal.dumps({"engine": "another-python", "entries": {
    (SOURCES[0][0], 0): (0, b"\x01\x00\x00\x00", 0, {}, ())}}), marshal.dumps({"engine": C._engine(), "entries": [1, 2]})],
    ids=["empty", "garbage", "other engine", "entries not a table"])
def test_a_damaged_or_foreign_file_is_ignored_and_replaced(tmp_path, damage):
    path = cache_file(tmp_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(damage)
    with compiled_patterns(tmp_path):
        patterns = _compile_all(SOURCES)
    assert patterns == [FRESH(s, f) for s, f in SOURCES]
    assert set(_entries(path)) == {(s, int(f)) for s, f in SOURCES}


def test_an_entry_the_engine_rejects_is_compiled_afresh(tmp_path):
    path = cache_file(tmp_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    source, flags = SOURCES[0]
    path.write_bytes(marshal.dumps({"engine": C._engine(), "entries": {(source, flags): (0, b"\xff\xff", 0, {}, ())}}))
    with compiled_patterns(tmp_path):
        (rx,) = _compile_all([SOURCES[0]])
    assert rx == FRESH(source, flags)
    assert _entries(path)[(source, flags)] == code_of(source, flags)


def test_errors_are_those_of_re(tmp_path):
    with compiled_patterns(tmp_path), pytest.raises(re.error, match="missing \\)"):
        re.compile(r"(unclosed")
    path = cache_file(tmp_path)
    assert not path.exists() or all(source != "(unclosed" for source, _ in _entries(path))


def test_turned_off_it_writes_nothing_and_changes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv(C.ENV, "off")
    assert C.cache_dir() is None and cache_file() is None
    with compiled_patterns():
        assert C._compiler.compile is FRESH
        assert _compile_all(SOURCES) == [FRESH(s, f) for s, f in SOURCES]
    monkeypatch.setenv(C.ENV, str(tmp_path / "here"))
    assert cache_file() == tmp_path / "here" / cache_file(Path("")).name


def test_nested_blocks_share_one_cache_and_write_once(tmp_path):
    writes = []
    real = C._Cache.save
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(C._Cache, "save", lambda self: writes.append(self.added) or real(self))
        with compiled_patterns(tmp_path):
            _compile_all(SOURCES[:3])
            with compiled_patterns(tmp_path / "elsewhere"):
                _compile_all(SOURCES[3:])
            assert C._compiler.compile is not FRESH
    assert writes == [len(SOURCES)]
    assert not (tmp_path / "elsewhere").exists()


def test_a_grown_file_keeps_only_the_last_loads_patterns(tmp_path, monkeypatch):
    monkeypatch.setattr(C, "MAX_ENTRIES", 4)
    with compiled_patterns(tmp_path):
        _compile_all(SOURCES[:4])
    re.purge()
    with compiled_patterns(tmp_path):
        _compile_all(SOURCES[4:])
    assert set(_entries(cache_file(tmp_path))) == {(s, int(f)) for s, f in SOURCES[4:]}


def test_longest_first_is_one_order_whatever_the_set_order():
    words = {"per cent", "per", "percent", "pc", "cent", "rate", "fell"}
    assert longest_first(words) == ["per cent", "percent", "cent", "fell", "rate", "per", "pc"]
    assert longest_first(list(reversed(longest_first(words)))) == longest_first(words)
    assert longest_first(["a", "a", "bb"]) == ["bb", "a"]


def test_a_read_only_block_serves_the_file_and_writes_nothing(tmp_path):
    with compiled_patterns(tmp_path):
        _compile_all(SOURCES[:2])
    before = cache_file(tmp_path).read_bytes()
    re.purge()
    with compiled_patterns(tmp_path, save=False):
        assert _compile_all(SOURCES) == [FRESH(s, f) for s, f in SOURCES]
    assert cache_file(tmp_path).read_bytes() == before


def test_debug_and_bytes_patterns_bypass_the_cache(tmp_path, capsys):
    with compiled_patterns(tmp_path):
        rb = re.compile(rb"(?P<n>[0-9]+)%")
        re.compile(r"x[0-9]", re.DEBUG)
        _compile_all(SOURCES[:1])
    assert rb.search(b"up 12%").group("n") == b"12"
    assert "LITERAL" in capsys.readouterr().out, "re.DEBUG still prints the compiled code"
    assert set(_entries(cache_file(tmp_path))) == {(SOURCES[0][0], int(SOURCES[0][1]))}


def test_alternation_escapes_orders_and_lets_spaces_stretch():
    rx = re.compile(rf"\b(?:{alternation(['per', '', 'per cent', 'a+b'])})\b")
    assert alternation(["per", "", "per cent", "a+b"]) == r"per\s+cent|a\+b|per"
    assert rx.search("up 3 per\ncent").group() == "per\ncent"
    assert rx.search("a+b rule").group() == "a+b"


# ------------------------------------------------------------------ remembered analyses


def _spy_remembered(calls: list):
    @C.remembered
    def analysis(pattern, flags=0):
        calls.append((pattern, flags))
        source = pattern.pattern if isinstance(pattern, re.Pattern) else pattern
        return (source.upper(), frozenset(source[:2]), int(flags), None, True)

    return analysis


def test_a_remembered_result_is_read_back_from_the_file(tmp_path):
    calls: list = []
    analysis = _spy_remembered(calls)
    rx = re.compile(r"burglar(?:y|ies)", re.I)
    with compiled_patterns(tmp_path):
        first = [analysis(rx), analysis("robbery", re.M), analysis("robbery", int(re.M))]
    assert len(calls) == 2, "re.RegexFlag and int flags are one key"
    with compiled_patterns(tmp_path):
        again = [analysis(rx), analysis("robbery", re.M)]
    assert len(calls) == 2, "both came from the file"
    assert again == first[:2] and again[0] == ("BURGLAR(?:Y|IES)", frozenset("bu"), 0, None, True)
    assert type(again[0][4]) is bool and type(again[0][1]) is frozenset
    analysis(rx)
    assert len(calls) == 3, "outside a block the function just runs"


@pytest.mark.parametrize("result", [["a list"], {"a": 1}, ("x", ["inner list"]), re.RegexFlag.IGNORECASE, {1, 2}])
def test_results_that_are_not_immutable_plain_data_are_not_kept(tmp_path, result):
    calls: list = []

    @C.remembered
    def analysis(source):
        calls.append(source)
        return result

    with compiled_patterns(tmp_path):
        assert analysis("x") == result
    with compiled_patterns(tmp_path):
        assert analysis("x") == result
    assert len(calls) == 2


def test_calls_with_unkeyable_arguments_run_as_written(tmp_path):
    calls: list = []

    @C.remembered
    def analysis(items, flags=0):
        calls.append(items)
        return repr(items)

    with compiled_patterns(tmp_path):
        assert analysis(["a", "b"]) == "['a', 'b']"  # a list is no key
        assert analysis(re.compile(b"bytes")) == "re.compile(b'bytes')"  # nor a bytes pattern
        assert analysis("ab", flags=re.I) == "'ab'"  # keyword arguments: not kept
    with compiled_patterns(tmp_path):
        analysis(["a", "b"])
        analysis("ab", flags=re.I)
    assert len(calls) == 5


def test_a_damaged_result_is_worked_out_again(tmp_path):
    calls: list = []
    analysis = _spy_remembered(calls)
    with compiled_patterns(tmp_path):
        good = analysis("theft")
    path = cache_file(tmp_path)
    data = marshal.loads(path.read_bytes())
    data["results"] = {key: ["not", "plain"] for key in data["results"]}
    path.write_bytes(marshal.dumps(data))
    with compiled_patterns(tmp_path):
        assert analysis("theft") == good
    assert len(calls) == 2


def test_the_fingerprint_follows_the_analysing_code(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "a.py").write_text("X = 1\n")
    before = C.code_fingerprint.__wrapped__(str(package))
    (package / "a.py").write_text("X = 2\n")
    edited = C.code_fingerprint.__wrapped__(str(package))
    assert edited != before
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(sys, "version", sys.version + " (another release)")  # re's parser may differ
        assert C.code_fingerprint.__wrapped__(str(package)) != edited
    assert C.code_fingerprint.__wrapped__(str(tmp_path / "empty")) is None, "no source to read: nothing is kept"


def test_changed_analysing_code_works_results_out_again_and_keeps_the_others(tmp_path, monkeypatch):
    """Two checkouts sharing the cache folder each find their own results there."""
    calls: list = []
    analysis = _spy_remembered(calls)
    with compiled_patterns(tmp_path):
        analysis("theft")
    original = C.code_fingerprint()
    monkeypatch.setattr(C, "code_fingerprint", lambda folder=None: "edited")
    with compiled_patterns(tmp_path):
        analysis("theft")
    assert len(calls) == 2, "another fingerprint: worked out again"
    results = marshal.loads(cache_file(tmp_path).read_bytes())["results"]
    assert sorted(key[0] for key in results) == sorted([original, "edited"])
    monkeypatch.undo()
    with compiled_patterns(tmp_path):
        analysis("theft")
    assert len(calls) == 2, "the first checkout's result is still there"
