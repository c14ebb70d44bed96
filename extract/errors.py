"""Domain errors. Only the CLI turns them into messages for people."""

from __future__ import annotations


class MinutesError(Exception):
    """Base class for errors this package raises on purpose."""


class DatabaseError(MinutesError):
    """The database cannot be opened or written; the batch cannot go on."""
