"""Traces of SWF calls: record them, replay them as a stub, import them, check swfsim on them.

The format is described in ``docs/traces.md`` and published as
``swfsim/schemas/trace.schema.json``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from swfsim.trace._checker import CheckResult, check_trace
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

if TYPE_CHECKING:
    from swfsim.trace._importer import import_source


def __getattr__(name: str) -> Any:
    # The importer reads YAML: loaded on first use, so `import swfsim` does not load PyYAML.
    if name == "import_source":
        from swfsim.trace._importer import import_source

        return import_source
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "Call",
    "CheckResult",
    "Header",
    "Response",
    "Trace",
    "TraceError",
    "TraceFormatError",
    "TraceMismatchError",
    "TraceNotExhaustedError",
    "TraceSecretError",
    "check_trace",
    "import_source",
    "load_trace",
    "record",
    "replay_trace",
    "schema",
    "write_trace",
]
