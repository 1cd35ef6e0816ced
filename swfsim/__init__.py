"""swfsim: a deterministic, in-memory Amazon SWF service on a virtual clock.

Public names are re-exported here; everything else is internal.
"""

from __future__ import annotations

from swfsim.clock import VirtualClock
from swfsim.errors import SWFError
from swfsim.options import Options
from swfsim.pollers import run_pollers
from swfsim.replay import ReplayResult, load_history, replay_history, validate_history
from swfsim.simulator import Simulator
from swfsim.trace import (
    TraceError,
    TraceMismatchError,
    TraceNotExhaustedError,
    load_trace,
    record,
    replay_trace,
)
from swfsim.transport.boto import mock_swf
from swfsim.waiting import ClockMode

__version__ = "0.1.0"

__all__ = [
    "ClockMode",
    "Options",
    "ReplayResult",
    "SWFError",
    "Simulator",
    "TraceError",
    "TraceMismatchError",
    "TraceNotExhaustedError",
    "VirtualClock",
    "__version__",
    "load_history",
    "load_trace",
    "mock_swf",
    "record",
    "replay_history",
    "replay_trace",
    "run_pollers",
    "validate_history",
]
