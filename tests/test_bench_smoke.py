"""Smoke run of the benchmark code (benchmarks/) on a tiny corpus: it runs and reports what it should.

Not a timed test: no figure is compared with a target here (``make bench`` prints those).
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # benchmarks/ is not an installed package: import it from the checkout
    sys.path.insert(0, str(REPO))

from benchmarks import corpus, measure  # noqa: E402
from benchmarks.run import parse_args, report, run  # noqa: E402


@pytest.fixture(scope="module")
def tiny_shard(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, corpus.ShardStats]:
    root = tmp_path_factory.mktemp("bench-corpus")
    return corpus.corpus_shards(root, 1, pdf_pages=10, html_files=2, text_files=2, log=lambda _m: None)[0]


def test_shard_holds_distinct_pdf_html_and_text_files(tiny_shard):
    folder, stats = tiny_shard
    files = measure.files_under([folder])
    assert stats.pdf_pages >= 10
    assert (stats.html_files, stats.text_files) == (2, 2)
    assert len(files) == stats.files == stats.pdf_files + 4
    digests = {f.read_bytes() for f in files}
    assert len(digests) == len(files)  # identical bytes would be stored once and measure nothing


def test_shard_is_cached_and_reproducible(tiny_shard, tmp_path):
    folder, stats = tiny_shard
    again = corpus.corpus_shards(folder.parent.parent, 1, pdf_pages=10, html_files=2, text_files=2)[0]
    assert again == (folder, stats)  # marker found: nothing rebuilt
    fresh = tmp_path / "fresh"
    rebuilt = corpus.build_shard(fresh, 0, pdf_pages=10, html_files=2, text_files=2)
    assert rebuilt == stats
    for f in sorted((folder / "html").iterdir()):
        assert (fresh / "html" / f.name).read_bytes() == f.read_bytes()


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("In 2023/24 there were 14,552 crimes", ["2023/24"]),
        ("a fall from 412 to 389 offences in 2022", ["2022"]),
        ("item 4.1 rose by 4.1% to 2,131", ["item 4.1"]),
        ("12 June 2024 at 2.00 pm", ["12 June 2024 at 2.00 pm"]),
    ],
)
def test_numbers_vary_but_keep_their_width_and_dates(text, kept):
    v = corpus.Variant(random.Random(3), [("Helen", "Marsh")])
    out = v.numbers(text)
    assert len(out) == len(text)
    assert [len(n) for n in re.findall(r"\d+", out)] == [len(n) for n in re.findall(r"\d+", text)]
    for part in kept:
        assert part in out


def test_names_follow_case_and_place():
    v = corpus.Variant(random.Random(5), [("Naomi", "Strand")])
    out = v.names("Naomi Strand, naomi.strand@northmere.gov.uk, Northmere Civic Centre, Ms Strand")
    assert "Strand" not in out and "strand" not in out and "Northmere" not in out
    assert v.place in out and v.place.lower() + ".gov.uk" in out


def test_stage_pass_times_every_stage(tiny_shard, tmp_path):
    folder, _ = tiny_shard
    files = [f for f in measure.files_under([folder]) if f.suffix != ".pdf"][:2]
    out = measure.stage_pass(files, tmp_path / "stages.db")
    assert out["documents"] == 2
    assert set(out["stages"]) == {"read", "parse", "segment", "nlp", "resolve", "store", "fts"}
    assert out["stages"]["parse"]["seconds"] > 0 and out["stages"]["nlp"]["seconds"] > 0


@pytest.mark.slow  # ingests in a child process and starts `minutes serve` (about 6 s)
def test_quick_run_writes_the_result_keys(tmp_path):
    out = tmp_path / "latest.json"
    args = parse_args(["--quick", "--skip-stages", "--skip-pdf-only", "--workdir", str(tmp_path / "work"),
                       "--out", str(out)])
    res = run(args)
    data = json.loads(out.read_text())
    for key in ("pages_per_s", "words_per_s", "documents_per_s", "ratio_to_floor", "peak_rss_mb", "db_mb"):
        assert isinstance(data[key], int | float) and data[key] > 0, key
    assert set(data["datasette"]) >= {"fts_search", "faceted_table", "outstanding_actions"}
    for name in ("fts_search", "faceted_table", "outstanding_actions"):
        q = data["datasette"][name]
        assert q["status"] == 200, (name, q)
        assert 0 < q["p50_ms"] <= q["p95_ms"]
    assert data["scales"][0]["pages"] == data["ingest_all"]["pages"] > 0
    assert data["archive"]["rows"]["figures"] == 3_000 and data["archive"]["rows"]["actions"] == 300
    assert {"fts_search", "facet_unit", "outstanding_actions"} <= set(data["query_plans"])
    assert "targets:" in report(res)
