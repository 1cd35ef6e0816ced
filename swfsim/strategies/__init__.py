"""Hypothesis strategies that explore the orders of events SWF can produce around a decider.

``import swfsim.strategies`` needs Hypothesis (``pip install 'swfsim[hypothesis]'``);
``import swfsim`` does not. See docs/strategies.md.

- :func:`executions`: complete runs of your decider and activity functions in a fresh
  Simulator, the environment's choices (activity outcomes and timeouts, delivery orders, signals,
  decision task timeouts, same-instant events, child runs) drawn by Hypothesis, shrinking
  towards the plain run.
- :func:`run_schedule`: one run with the choices of a printed schedule, to reproduce a failure.
- :func:`histories`: valid histories from random valid decisions, for code that reads histories.
- one-line invariants on a run (:func:`closes_within`, :func:`no_failed_decisions`, ...).
"""

from __future__ import annotations

from swfsim.strategies._api import executions, run_schedule
from swfsim.strategies._execution import Execution
from swfsim.strategies._histories import histories
from swfsim.strategies._invariants import (
    check,
    closes_within,
    decider_never_raised,
    no_activity_id_reused_while_open,
    no_failed_decisions,
)
from swfsim.strategies._schedule import KINDS, Choice
from swfsim.strategies._values import decisions, durations, identifiers, task_lists

__all__ = [
    "KINDS",
    "Choice",
    "Execution",
    "check",
    "closes_within",
    "decider_never_raised",
    "decisions",
    "durations",
    "executions",
    "histories",
    "identifiers",
    "no_activity_id_reused_while_open",
    "no_failed_decisions",
    "run_schedule",
    "task_lists",
]
