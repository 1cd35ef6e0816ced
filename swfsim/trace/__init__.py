"""Traces of SWF calls: record them, replay them as a stub, import them, check swfsim on them.

The format is described in ``docs/traces.md`` and published as
``swfsim/schemas/trace.schema.json``.
"""

from __future__ import annotations

from swfsim.trace._errors import (
    TraceError,
    TraceFormatError,
    TraceMismatchError,
    TraceNotExhaustedError,
    TraceSecretError,
)
from swfsim.trace._format import Call, Header, Response, Trace, load_trace, schema, write_trace
from swfsim.trace._recorder import record
from swfsim.trace._stub import replay_trace

__all__ = [
    "Call",
    "Header",
    "Response",
    "Trace",
    "TraceError",
    "TraceFormatError",
    "TraceMismatchError",
    "TraceNotExhaustedError",
    "TraceSecretError",
    "load_trace",
    "record",
    "replay_trace",
    "schema",
    "write_trace",
]
