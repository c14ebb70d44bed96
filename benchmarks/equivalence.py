"""Check that a speed change left extraction identical: snapshot, then compare.

``python -m benchmarks.equivalence snapshot OUT.json [PATHS...]`` runs the
per-file pipeline (parse, segment, NLP; no database) over every file under
PATHS and writes each document's record, minus timings, as JSON.
``python -m benchmarks.equivalence compare OLD.json NEW.json`` lists every
document whose record differs, with the first differing field. Speed work in
issue 9 was accepted only when ``compare`` printed no differences on the demo
corpus, the held-out fixtures, ``../shared`` and one benchmark shard.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_PATHS = [REPO / "corpus" / "documents", REPO / "tests" / "fixtures" / "heldout" / "documents",
                 REPO.parent / "shared" / "corpus"]


def snapshot(paths: list[Path]) -> dict[str, Any]:
    """``{relative path: record as plain data}`` for every file under ``paths``."""
    from extract.pipeline import process_file

    from .measure import files_under

    out: dict[str, Any] = {}
    for f in files_under(paths):
        rec = dataclasses.asdict(process_file(f))
        rec.pop("seconds", None)
        out[str(f)] = rec
    return out


# Fields added after a snapshot was taken: compared only when both snapshots have them.
NEW_FIELDS = {"evidence"}


def _first_diff(a: Any, b: Any, path: str = "") -> str | None:
    if type(a) is not type(b):
        return f"{path}: {a!r:.120} != {b!r:.120}"
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k in NEW_FIELDS and (k not in a or k not in b):
                continue
            if k not in a or k not in b:
                return f"{path}.{k}: only in {'new' if k in b else 'old'}"
            d = _first_diff(a[k], b[k], f"{path}.{k}")
            if d:
                return d
        return None
    if isinstance(a, list):
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            d = _first_diff(x, y, f"{path}[{i}]")
            if d:
                return d
        return f"{path}: {len(a)} items != {len(b)}" if len(a) != len(b) else None
    return None if a == b else f"{path}: {a!r:.120} != {b!r:.120}"


def compare(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """One line per document that differs (or is only in one snapshot)."""
    lines = []
    for k in sorted(set(old) | set(new)):
        if k not in old or k not in new:
            lines.append(f"{k}: only in {'new' if k in new else 'old'}")
            continue
        d = _first_diff(old[k], new[k])
        if d:
            lines.append(f"{k}: {d}")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.equivalence", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("snapshot", help="write the records of every file under PATHS")
    s.add_argument("out", type=Path)
    s.add_argument("paths", type=Path, nargs="*")
    c = sub.add_parser("compare", help="list documents whose records differ")
    c.add_argument("old", type=Path)
    c.add_argument("new", type=Path)
    args = ap.parse_args(argv)
    if args.cmd == "snapshot":
        paths = args.paths or [p for p in DEFAULT_PATHS if p.exists()]
        data = snapshot(paths)
        args.out.write_text(json.dumps(data, sort_keys=True, default=str))
        print(f"{len(data)} documents -> {args.out}")
        return 0
    lines = compare(json.loads(args.old.read_text()), json.loads(args.new.read_text()))
    for line in lines:
        print(line)
    print(f"{len(lines)} documents differ")
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main())
