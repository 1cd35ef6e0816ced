"""Replaying captured workflow histories: load them, validate them, and check a decider against
the decisions production recorded.

:func:`load_history`, :func:`validate_history` and :func:`replay_history` (with
:class:`ReplayResult`) are also exported from :mod:`swfsim`. See docs/replay.md.
"""

from __future__ import annotations

from swfsim.replay._compare import Difference, Mismatch
from swfsim.replay._divergence import Divergence
from swfsim.replay._history import DecisionTaskSpan, History
from swfsim.replay._load import HistoryError, HistorySource, load_history
from swfsim.replay._parametrize import parametrize_histories
from swfsim.replay._recorded import RecordedDecision, recorded_decision
from swfsim.replay._replay import Decider, ReplayResult, replay_history
from swfsim.replay._resume import ResumedRun
from swfsim.replay._simpleflow import simpleflow_decider
from swfsim.replay._validate import Problem, validate_history

__all__ = [
    "Decider",
    "DecisionTaskSpan",
    "Difference",
    "Divergence",
    "History",
    "HistoryError",
    "HistorySource",
    "Mismatch",
    "Problem",
    "RecordedDecision",
    "ReplayResult",
    "ResumedRun",
    "load_history",
    "parametrize_histories",
    "recorded_decision",
    "replay_history",
    "simpleflow_decider",
    "validate_history",
]
