"""A month of workflow in milliseconds: the issue-3 scenario through Simulator.run.

The workflow starts a 30-day timer, a child workflow that times out after 2 days (the parent's
child policy is TERMINATE), and an activity whose worker stops heartbeating (HEARTBEAT timeout);
when the timer fires it continues as new, and the new run completes. Prints the wall time per
complete scenario (median of several repeats) beside the virtual time it covers.

Run: python benchmarks/bench_long_workflow.py [--repeats 20]
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

from swfsim import Simulator
from swfsim.harness import ActivityContext, DecisionTask

DOMAIN = "bench"
MONTH = str(30 * 86400)


def _decide(task: DecisionTask) -> list[dict[str, Any]]:
    seen = {event["eventType"] for event in task.events}
    if task.input == "second run":
        return [{"decisionType": "CompleteWorkflowExecution"}]
    if "TimerFired" in seen:
        return [
            {
                "decisionType": "ContinueAsNewWorkflowExecution",
                "continueAsNewWorkflowExecutionDecisionAttributes": {"input": "second run"},
            }
        ]
    if "TimerStarted" in seen:
        return []
    return [
        {
            "decisionType": "StartTimer",
            "startTimerDecisionAttributes": {"timerId": "month", "startToFireTimeout": MONTH},
        },
        {
            "decisionType": "StartChildWorkflowExecution",
            "startChildWorkflowExecutionDecisionAttributes": {
                "workflowType": {"name": "child", "version": "1"},
                "workflowId": "child",
                "executionStartToCloseTimeout": str(2 * 86400),
            },
        },
        {
            "decisionType": "ScheduleActivityTask",
            "scheduleActivityTaskDecisionAttributes": {
                "activityType": {"name": "poll-partner", "version": "1"},
                "activityId": "poll",
            },
        },
    ]


def _stops_heartbeating(ctx: ActivityContext) -> None:
    ctx.heartbeat()
    ctx.sleep(120)  # past the 60 s heartbeat timeout
    ctx.heartbeat()  # the task is gone: the harness drops the late answer


def _setup() -> Simulator:
    sim = Simulator(seed=1)
    sim.handle("RegisterDomain", {"name": DOMAIN, "workflowExecutionRetentionPeriodInDays": "30"})
    for name in ("parent", "child"):
        sim.handle(
            "RegisterWorkflowType",
            {
                "domain": DOMAIN,
                "name": name,
                "version": "1",
                "defaultTaskList": {"name": name},
                "defaultExecutionStartToCloseTimeout": str(365 * 86400),
                "defaultTaskStartToCloseTimeout": "60",
                "defaultChildPolicy": "TERMINATE",
            },
        )
    sim.handle(
        "RegisterActivityType",
        {
            "domain": DOMAIN,
            "name": "poll-partner",
            "version": "1",
            "defaultTaskList": {"name": "workers"},
            "defaultTaskScheduleToStartTimeout": "NONE",
            "defaultTaskScheduleToCloseTimeout": "NONE",
            "defaultTaskStartToCloseTimeout": "3600",
            "defaultTaskHeartbeatTimeout": "60",
        },
    )
    sim.decider(DOMAIN, "parent", _decide)
    sim.decider(DOMAIN, "child", lambda _task: [])
    sim.activity(DOMAIN, "poll-partner", _stops_heartbeating)
    return sim


def run_once() -> tuple[float, Simulator]:
    """One complete scenario; returns its wall time (seconds, setup excluded) and simulator."""
    sim = _setup()
    sim.handle(
        "StartWorkflowExecution",
        {
            "domain": DOMAIN,
            "workflowId": "parent",
            "workflowType": {"name": "parent", "version": "1"},
        },
    )
    began = time.perf_counter()
    report = sim.run(workflow_ids=["parent"])
    elapsed = time.perf_counter() - began
    assert report.closed == {"parent": "COMPLETED"}, report
    kinds = [e["eventType"] for run in sim.engine.runs.values() for e in run.history.events]
    for expected in (
        "ChildWorkflowExecutionTimedOut",
        "ActivityTaskTimedOut",
        "TimerFired",
        "WorkflowExecutionContinuedAsNew",
        "WorkflowExecutionCompleted",
    ):
        assert expected in kinds, expected
    return elapsed, sim


def main() -> None:
    """Run the scenario several times and print wall time against virtual time."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    timings = []
    for _ in range(args.repeats):
        elapsed, sim = run_once()
        timings.append(elapsed)
    virtual = sim.clock.now() - _setup().clock.now()
    print(
        f"scenario: 30-day timer, 2-day child timeout (TERMINATE), heartbeat timeout, "
        f"continue-as-new; {virtual} of virtual time"
    )
    print(
        f"wall time per scenario: median {statistics.median(timings) * 1000:.2f} ms, "
        f"max {max(timings) * 1000:.2f} ms over {args.repeats} runs (target: < 100 ms)"
    )


if __name__ == "__main__":
    main()
