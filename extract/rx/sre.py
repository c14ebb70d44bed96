"""The one place that reaches into ``re``'s private parser (shared by :mod:`.literals` and :mod:`.scan`).

Both analysers read the parsed form ``re.compile`` itself builds, so what they
conclude is about the very pattern that runs. The parser is private: a pattern
it cannot read (or any surprise from it) gets no analysis, never an error.
"""

from __future__ import annotations

try:  # Python 3.11+
    from re import _constants as C
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_constants as C  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

ATOMIC_GROUP = getattr(C, "ATOMIC_GROUP", None)
REPEATS = frozenset(
    op for op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)) if op is not None
)


def parse(source: str, flags: int = 0):  # noqa: ANN201 - re._parser.SubPattern is private
    """``source`` as ``re``'s parser reads it (``.data`` items, ``.state.flags``), or None if it cannot."""
    try:
        return _sre_parse.parse(source, flags)
    except Exception:  # noqa: BLE001 - whatever the private parser does, the caller falls back
        return None


__all__ = ["ATOMIC_GROUP", "REPEATS", "C", "parse"]
