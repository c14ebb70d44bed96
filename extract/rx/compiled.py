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
"""

from __future__ import annotations

import contextlib
import marshal
import os
import re
import sys
import tempfile
import threading
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import Any

try:  # Python 3.11+: the modules re compiles with
    import _sre
    from re import _compiler, _parser
except ImportError:  # pragma: no cover - another Python: no cache
    _sre = _compiler = _parser = None  # type: ignore[assignment]

ENV = "MINUTES_CACHE_DIR"
# More entries than this (rules edited many times over): keep only those of the last load.
MAX_ENTRIES = 20_000
_DEBUG = getattr(re, "DEBUG", 128)  # re prints the compiled code: no cache
_FORMAT = 2  # of the file's contents; a change makes older files unreadable, hence unused

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
        self.original = _compiler.compile
        with contextlib.suppress(Exception):  # missing, unreadable or damaged: start empty
            data = marshal.loads(path.read_bytes())
            if isinstance(data, dict) and data.get("engine") == _engine() and isinstance(data.get("entries"), dict):
                self.entries = data["entries"]

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
        with contextlib.suppress(OSError, ValueError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=self.path.name, suffix=".tmp", dir=self.path.parent)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(marshal.dumps({"engine": _engine(), "entries": entries}))
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


__all__ = ["ENV", "cache_dir", "cache_file", "code_of", "compiled_patterns"]
