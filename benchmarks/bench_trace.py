"""The trace stub's speed beside mock_swf's, in one run.

One workload (N executions, 7 calls each: start, poll and decide, poll and complete an
activity, poll and complete the workflow) runs three ways through boto3: under ``mock_swf``,
under ``mock_swf`` while ``swfsim.record`` writes the trace, and under ``swfsim.replay_trace``
answering from that trace (strict: every recorded call must be made). Prints calls per second
for each, best of --repeats runs, and the ratios.

Run: python benchmarks/bench_trace.py [--executions 300] [--repeats 3]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

import swfsim

DOMAIN = "bench"
TASK_LIST = {"name": "bench-tl"}
CALLS_PER_EXECUTION = 7


def _setup(swf: Any) -> None:
    swf.register_domain(name=DOMAIN, workflowExecutionRetentionPeriodInDays="1")
    swf.register_workflow_type(
        domain=DOMAIN,
        name="flow",
        version="1",
        defaultTaskList=TASK_LIST,
        defaultExecutionStartToCloseTimeout="3600",
        defaultTaskStartToCloseTimeout="600",
        defaultChildPolicy="TERMINATE",
    )
    swf.register_activity_type(
        domain=DOMAIN,
        name="work",
        version="1",
        defaultTaskList=TASK_LIST,
        defaultTaskScheduleToStartTimeout="NONE",
        defaultTaskScheduleToCloseTimeout="NONE",
        defaultTaskStartToCloseTimeout="600",
        defaultTaskHeartbeatTimeout="NONE",
    )


def _execution(swf: Any, number: int) -> None:
    workflow_id = f"wf-{number}"
    swf.start_workflow_execution(
        domain=DOMAIN, workflowId=workflow_id, workflowType={"name": "flow", "version": "1"}
    )
    task = swf.poll_for_decision_task(domain=DOMAIN, taskList=TASK_LIST, identity="decider")
    assert task["workflowExecution"]["workflowId"] == workflow_id
    schedule = {
        "decisionType": "ScheduleActivityTask",
        "scheduleActivityTaskDecisionAttributes": {
            "activityType": {"name": "work", "version": "1"},
            "activityId": "a",
        },
    }
    swf.respond_decision_task_completed(taskToken=task["taskToken"], decisions=[schedule])
    work = swf.poll_for_activity_task(domain=DOMAIN, taskList=TASK_LIST, identity="worker")
    swf.respond_activity_task_completed(taskToken=work["taskToken"], result="ok")
    task = swf.poll_for_decision_task(domain=DOMAIN, taskList=TASK_LIST, identity="decider")
    complete = {"decisionType": "CompleteWorkflowExecution"}
    swf.respond_decision_task_completed(taskToken=task["taskToken"], decisions=[complete])


def _client() -> Any:
    return boto3.client(
        "swf", region_name="us-east-1", config=Config(retries={"total_max_attempts": 1})
    )


def _timed(context: Callable[[], AbstractContextManager[Any]], executions: int) -> float:
    """Calls per second of the N executions (setup and client creation not timed)."""
    with context():
        swf = _client()
        _setup(swf)
        started = time.perf_counter()
        for number in range(executions):
            _execution(swf, number)
        elapsed = time.perf_counter() - started
    return executions * CALLS_PER_EXECUTION / elapsed


class _Recorded:
    """mock_swf with record() around it."""

    def __init__(self, path: Path) -> None:
        self._mock = swfsim.mock_swf()
        self._record = swfsim.record(path)

    def __enter__(self) -> None:
        self._mock.__enter__()
        self._record.__enter__()

    def __exit__(self, *exc: object) -> None:
        self._record.__exit__(None, None, None)
        self._mock.__exit__(None, None, None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--executions", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    path = Path(tempfile.mkdtemp()) / "bench.jsonl"
    runs = {"mock_swf": [], "mock_swf + record": [], "replay_trace": []}
    for _ in range(args.repeats):
        runs["mock_swf"].append(_timed(swfsim.mock_swf, args.executions))
        runs["mock_swf + record"].append(_timed(lambda: _Recorded(path), args.executions))
        runs["replay_trace"].append(
            _timed(lambda: swfsim.replay_trace(path, strict=True), args.executions)
        )
    calls = args.executions * CALLS_PER_EXECUTION
    print(f"{args.executions} executions, {calls} timed calls, best of {args.repeats} runs")
    best = {name: max(rates) for name, rates in runs.items()}
    for name, rate in best.items():
        print(f"  {name:<18} {rate:8.0f} calls/s  ({rate / best['mock_swf']:.2f}x mock_swf)")
    print(f"  trace size: {path.stat().st_size / 1024:.0f} KiB, {calls + 3} calls")


if __name__ == "__main__":
    main()
