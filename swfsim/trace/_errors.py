"""The errors of the trace package."""

from __future__ import annotations


class TraceError(Exception):
    """Base of the trace package's errors."""


class TraceFormatError(TraceError):
    """A file is not a trace this swfsim can read: not JSON Lines, breaks the schema, or is of
    a newer or unknown format version."""


class TraceSecretError(TraceError):
    """Recording refused to write a line that holds a value declared secret."""


class TraceMismatchError(TraceError, AssertionError):
    """A call that the trace being replayed does not hold (or no longer holds)."""


class TraceNotExhaustedError(TraceError, AssertionError):
    """Strict replay: recorded calls that were never made."""
