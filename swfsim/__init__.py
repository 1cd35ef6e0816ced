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
from swfsim.transport.boto import mock_swf
from swfsim.waiting import ClockMode

__version__ = "0.1.0"

__all__ = [
    "ClockMode",
    "Options",
    "ReplayResult",
    "SWFError",
    "Simulator",
    "VirtualClock",
    "__version__",
    "load_history",
    "mock_swf",
    "replay_history",
    "run_pollers",
    "validate_history",
]
