"""The month-long scenario of benchmarks/bench_long_workflow.py runs to completion.

The benchmark measures its wall time; this test checks that what it measures is right.
"""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))

from bench_long_workflow import run_once

from swfsim.model.enums import CloseStatus


def test_month_long_workflow_completes_with_every_timeout_on_the_way() -> None:
    _, sim = run_once()
    parent_runs = [run for run in sim.engine.runs.values() if run.workflow_id == "parent"]
    first, second = sorted(parent_runs, key=lambda run: run.seq)
    assert (first.close_status, second.close_status) == (
        CloseStatus.CONTINUED_AS_NEW,
        CloseStatus.COMPLETED,
    )
    assert timedelta(milliseconds=second.start_ms - first.start_ms) == timedelta(days=30)
    child = next(run for run in sim.engine.runs.values() if run.workflow_id == "child")
    assert child.close_status is CloseStatus.TIMED_OUT
    assert timedelta(milliseconds=(child.close_ms or 0) - child.start_ms) == timedelta(days=2)
