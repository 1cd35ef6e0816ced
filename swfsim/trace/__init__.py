"""Traces of SWF calls: record them, replay them as a stub, import them, check swfsim on them.

The format is described in ``docs/traces.md`` and published as
``swfsim/schemas/trace.schema.json``.
"""

from __future__ import annotations

from swfsim.trace._errors import (
    TraceError,
    TraceFormatError,
    TraceMismatch,
    TraceNotExhausted,
    TraceSecretError,
)
from swfsim.trace._format import Call, Header, Response, Trace, load_trace, schema, write_trace
from swfsim.trace._recorder import record

__all__ = [
    "Call",
    "Header",
    "Response",
    "Trace",
    "TraceError",
    "TraceFormatError",
    "TraceMismatch",
    "TraceNotExhausted",
    "TraceSecretError",
    "load_trace",
    "record",
    "schema",
    "write_trace",
]
