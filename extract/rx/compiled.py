"""Compiled regular expressions kept between runs, so loading the rules does not compile them again.

Loading the pipeline and warming the stages compiles about 700 patterns:
0.2 s of CPU, before any worker can start and on every ``minutes`` command
that reads documents. Python compiles a pattern in two steps: its parser and
code generator, written in Python (``re._parser``, ``re._compiler._code``),
turn the source into a list of integers (the slow part), and ``_sre.compile``
(C) makes the ``re.Pattern`` from that list. The list depends only on the
source, the flags and the regular expression engine, so it can be stored and
handed to ``_sre.compile`` again: the same pattern object, in about a tenth
of the time.

* An entry is used only for the very same source and flags, so an edited
  rule is simply compiled (and stored) again; the file is kept per Python
  version and engine (``_sre.MAGIC``), whose code lists differ.
* Hits are checked in the tests against compiling afresh.
* The file is plain data (``marshal`` of strings, integers, lists, tuples
  and dicts), written whole and then renamed, so two batches writing at once
  leave one or the other. Anything unexpected (a Python whose internals
  differ, an unreadable or damaged file, a read-only home) means compiling
  as usual: the cache only ever saves time.
* ``MINUTES_CACHE_DIR`` names the folder (default: the user's cache folder,
  ``~/.cache/minutes-extract`` on Linux); ``off`` turns the cache off.

The cache is installed only while the pipeline loads (:func:`compiled_patterns`
around the load and the batch's warm-up), not for the life of the process.

The same file keeps what the rule loaders work out *about* patterns
(:func:`remembered`): the literals every match holds, the characters a match
starts with, the stretches a scan can skip. Those analyses read ``re``'s
parsed form in Python and cost about as much again as compiling. Their
results are plain data too, but unlike a code list they depend on our own
analysing code as well: each is stored with a fingerprint of the source of
its package (``extract/rx``), so an edited analysis is simply worked out again.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import marshal
import os
import re
import sys
import tempfile
import threading
from array import array
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

try:  # Python 3.11+: the modules re compiles with
    import _sre
    from re import _compiler, _parser
except ImportError:  # pragma: no cover - another Python: no cache
    _sre = _compiler = _parser = None  # type: ignore[assignment]

ENV = "MINUTES_CACHE_DIR"
# More entries than this (rules edited many times over): keep only those of the last load.
MAX_ENTRIES = 20_000
_DEBUG = getattr(re, "DEBUG", 128)  # re prints the compiled code: no cache
_FORMAT = 3  # of the file's contents; a change makes older files unreadable, hence unused

# (flags, code as 4-byte words, groups, group index, index group): the arguments of _sre.compile after the source,
# the code list kept as bytes (a list of ints takes 9 times the memory, and _sre.compile copies it anyway)
Entry = tuple[int, bytes, int, dict[str, int], tuple[str | None, ...]]
_WORD = "I"  # C unsigned int: _sre's code word where their sizes agree (cache_file checks _sre.CODESIZE)


def cache_dir() -> Path | None:
    """The folder for the cache (see the module text), or None when it is turned off."""
    given = os.environ.get(ENV)
    if given is not None:
        return None if given.strip().lower() in ("", "off", "0", "no") else Path(given).expanduser()
    try:
        import platformdirs

        return Path(platformdirs.user_cache_dir("minutes-extract", appauthor=False))
    except Exception:  # noqa: BLE001 - no cache folder: no cache
        return None


def _engine() -> str:
    return f"{sys.implementation.cache_tag}-{_sre.MAGIC}-{_sre.CODESIZE}-{_FORMAT}"


def cache_file(folder: Path | None = None) -> Path | None:
    """The cache file for this Python and engine in ``folder`` (default :func:`cache_dir`)."""
    folder = folder or cache_dir()
    if folder is None or _sre is None or array(_WORD).itemsize != _sre.CODESIZE:
        return None
    return folder / f"re-{_engine()}.marshal"


def code_of(source: str, flags: int) -> Entry:
    """What ``re._compiler.compile`` hands ``_sre.compile`` for ``source`` (after the source), code as bytes."""
    parsed = _parser.parse(source, flags)
    code = _compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    return (int(flags | parsed.state.flags), array(_WORD, code).tobytes(), parsed.state.groups - 1, groupindex,
            tuple(indexgroup))


def _pattern(source: str, entry: Entry) -> Any:
    flags, code, groups, groupindex, indexgroup = entry
    words = array(_WORD)
    words.frombytes(code)
    return _sre.compile(source, flags, words.tolist(), groups, groupindex, indexgroup)


class _Cache:
    """The entries read from the file, those this load used, and the hook that serves them."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: dict[tuple[str, int], Entry] = {}
        self.used: set[tuple[str, int]] = set()
        self.added = 0
        # (fingerprint of the analysing code, function, arguments) -> result (see remembered)
        self.results: dict[tuple, Any] = {}
        self.results_used: set[tuple] = set()
        self.original = _compiler.compile
        with contextlib.suppress(Exception):  # missing, unreadable or damaged: start empty
            data = marshal.loads(path.read_bytes())
            if isinstance(data, dict) and data.get("engine") == _engine() and isinstance(data.get("entries"), dict):
                self.entries = data["entries"]
                if isinstance(data.get("results"), dict):
                    # checked here once, not on every hit; only this code's results (others are kept for
                    # the code that made them, which checks them when it loads: see remembered)
                    mine = code_fingerprint()
                    self.results = {k: v for k, v in data["results"].items()
                                    if type(k) is tuple and len(k) == 3 and (k[0] != mine or _plain(v))}

    def compile(self, p: Any, flags: int = 0) -> Any:
        """``re._compiler.compile``, from the stored code list when there is one."""
        if type(p) is not str or flags & _DEBUG:  # bytes, parsed or str-subclass patterns, re.DEBUG: as usual
            return self.original(p, flags)
        key = (p, int(flags))
        entry = self.entries.get(key)
        if entry is not None:
            try:
                pattern = _pattern(p, entry)
            except Exception:  # noqa: BLE001 - a stored entry this engine rejects: compile afresh
                self.entries.pop(key, None)
            else:
                self.used.add(key)
                return pattern
        try:
            entry = code_of(p, int(flags))
            pattern = _pattern(p, entry)
        except Exception:  # noqa: BLE001 - let re itself raise (or succeed) as it would
            return self.original(p, flags)
        self.entries[key] = entry
        self.used.add(key)
        self.added += 1
        return pattern

    def save(self) -> None:
        """Write the entries if this load added any (whole file, then renamed)."""
        if not self.added:
            return
        entries = self.entries
        if len(entries) > MAX_ENTRIES:
            entries = {k: v for k, v in entries.items() if k in self.used}
        # (results of older analysing code stay until the file grows past the limit: two checkouts
        # sharing the cache folder would otherwise drop each other's on every load)
        results = self.results
        if len(results) > MAX_ENTRIES:
            results = {k: v for k, v in results.items() if k in self.results_used}
        with contextlib.suppress(OSError, ValueError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=self.path.name, suffix=".tmp", dir=self.path.parent)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(marshal.dumps({"engine": _engine(), "entries": entries, "results": results}))
                os.replace(tmp, self.path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise


_lock = threading.Lock()
_active: list[_Cache] = []  # the installed cache, while a load runs (nested loads share it)


@contextlib.contextmanager
def compiled_patterns(folder: Path | None = None, *, save: bool = True) -> Iterator[None]:
    """Serve ``re.compile`` from the cache while the block runs; store what it compiled anew at its end.

    ``save=False`` only reads (a helper process whose patterns its parent
    stores). Nested blocks share the outer one's cache. With the cache turned
    off, or on a Python whose ``re`` differs, the block runs as it would without.
    """
    path = cache_file(folder)
    cache = None
    with _lock:
        if not _active and path is not None:
            cache = _Cache(path)
            _active.append(cache)
            _compiler.compile = cache.compile
    try:
        yield
    finally:
        if cache is not None:
            with _lock:
                _compiler.compile = cache.original
                _active.clear()
            if save:
                cache.save()


_PLAIN_ATOMS = (str, int, float, bytes, type(None))  # bool is an int


def _plain(value: object) -> bool:
    """Whether ``value`` is immutable plain data that marshal gives back equal (and of the same types)."""
    if isinstance(value, _PLAIN_ATOMS):
        return type(value) in (str, int, float, bytes, bool, type(None))  # no subclasses: marshal drops them
    if type(value) in (tuple, frozenset):
        return all(_plain(v) for v in value)  # type: ignore[attr-defined]
    return False


def _argument(value: object) -> object:
    """An argument as part of a result's key: a str pattern as (source, flags), flags (``re.RegexFlag``)
    as the number they are, other plain data as itself."""
    if isinstance(value, re.Pattern):
        return ("re.Pattern", value.pattern, int(value.flags)) if type(value.pattern) is str else _NO_KEY
    if isinstance(value, re.RegexFlag):
        return int(value)
    return value if _plain(value) else _NO_KEY


_NO_KEY = object()  # an argument that cannot be part of a key: the call is not remembered


@functools.cache
def code_fingerprint(package_dir: str = str(Path(__file__).resolve().parent)) -> str | None:
    """A hash of the Python version and the source files of a package folder (by default this one,
    ``extract/rx``, whose analyses are remembered and which imports nothing else of the project):
    what an analysis's result depends on, ``re``'s parser included. None when there are no sources
    to read (then nothing is remembered: a change could not be seen)."""
    digest = hashlib.blake2b(sys.version.encode(), digest_size=12)
    paths = sorted(Path(package_dir).glob("*.py"))
    try:
        for path in paths:
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    except OSError:
        return None
    return digest.hexdigest() if paths else None


F = TypeVar("F", bound=Callable[..., Any])


def remembered(fn: F) -> F:
    """Keep ``fn``'s results in the pattern cache while one is installed (see the module text).

    For pure functions in ``extract/rx`` (whose source the fingerprint covers)
    of patterns and plain data whose results are plain, immutable data (strings, numbers, None, tuples and frozensets of them):
    a call with other arguments, or a result of another kind, is simply not
    kept. Outside :func:`compiled_patterns`, ``fn`` runs as written.
    """
    name = f"{fn.__module__}.{fn.__qualname__}"

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        cache = _active[0] if _active else None
        if cache is None or kwargs:
            return fn(*args, **kwargs)
        parts = tuple(_argument(a) for a in args)
        fingerprint = code_fingerprint()
        if fingerprint is None or any(p is _NO_KEY for p in parts):
            return fn(*args)
        key = (fingerprint, name, parts)
        stored = cache.results.get(key, _NO_KEY)
        if stored is not _NO_KEY:
            cache.results_used.add(key)
            return stored
        result = fn(*args)
        if _plain(result):
            cache.results[key] = result
            cache.results_used.add(key)
            cache.added += 1
        return result

    return wrapper  # type: ignore[return-value]


__all__ = ["ENV", "cache_dir", "cache_file", "code_fingerprint", "code_of", "compiled_patterns", "remembered"]
