"""Replaying captured workflow histories: load them, validate them, and check a decider against
what production recorded.

The main names are re-exported from :mod:`swfsim`: :func:`load_history`,
:func:`validate_history`. See docs/replay.md.
"""

from __future__ import annotations

from swfsim.replay._history import DecisionTaskSpan, History
from swfsim.replay._load import HistoryError, HistorySource, load_history
from swfsim.replay._validate import Problem, validate_history

__all__ = [
    "DecisionTaskSpan",
    "History",
    "HistoryError",
    "HistorySource",
    "Problem",
    "load_history",
    "validate_history",
]
