"""What exploring costs: swfsim.strategies examples per second beside a plain Simulator.run.

The workflow schedules three activities and a 60-second timer in its first decision, records a
marker when its signal arrives, and completes once the three activities completed and the timer
fired (it fails if an activity fails or times out). Three figures, each per complete run
(a fresh Simulator, the domain and types registered, one execution to its close):

- ``Simulator.run``: the harness runs the same decider and activities, the signal sent after the
  start (the baseline);
- ``run_schedule([])``: the strategies' driver, the plain schedule (every choice point asked);
- ``executions()`` under ``@given``: Hypothesis examples, every kind of choice explored
  (Hypothesis's own work included; these runs take more steps, as activities time out).

Each round measures the three one after the other; the ratio reported is the median over the
rounds, as the machine's load drifts.

Run: python benchmarks/bench_strategies.py [--runs 300] [--examples 300] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

from hypothesis import HealthCheck, given, settings

from swfsim import Simulator
from swfsim.harness import DecisionTask
from swfsim.strategies import executions, run_schedule

JsonDict = dict[str, Any]
DOMAIN = "bench"
ACTIVITIES = ("fetch", "resize", "store")


def decide(task: JsonDict) -> list[JsonDict]:
    """The workflow, given what boto3's poll returns."""
    events = task["events"]
    kinds = [event["eventType"] for event in events]
    markers = [
        {"decisionType": "RecordMarker", "recordMarkerDecisionAttributes": {"markerName": "noted"}}
        for event in events[task["previousStartedEventId"] :]
        if event["eventType"] == "WorkflowExecutionSignaled"
    ]
    if "ActivityTaskFailed" in kinds or "ActivityTaskTimedOut" in kinds:
        fail = {"reason": "an activity did not complete"}
        return [
            {
                "decisionType": "FailWorkflowExecution",
                "failWorkflowExecutionDecisionAttributes": fail,
            }
        ]
    if task["previousStartedEventId"] == 0:
        return [*(_schedule(name) for name in ACTIVITIES), _timer(), *markers]
    if kinds.count("ActivityTaskCompleted") == len(ACTIVITIES) and "TimerFired" in kinds:
        return [*markers, {"decisionType": "CompleteWorkflowExecution"}]
    return markers


def _schedule(name: str) -> JsonDict:
    attributes = {"activityId": name, "activityType": {"name": name, "version": "1"}}
    return {
        "decisionType": "ScheduleActivityTask",
        "scheduleActivityTaskDecisionAttributes": attributes,
    }


def _timer() -> JsonDict:
    attributes = {"timerId": "settle", "startToFireTimeout": "60"}
    return {"decisionType": "StartTimer", "startTimerDecisionAttributes": attributes}


def work(_value: str | None) -> str:
    return "done"


def plain_run() -> None:
    """One run through Simulator.run, registering as executions() does."""
    sim = Simulator()
    sim.handle("RegisterDomain", {"name": DOMAIN, "workflowExecutionRetentionPeriodInDays": "1"})
    sim.handle(
        "RegisterWorkflowType",
        {
            "domain": DOMAIN,
            "name": "images",
            "version": "1",
            "defaultTaskList": {"name": "decisions"},
            "defaultChildPolicy": "TERMINATE",
            "defaultExecutionStartToCloseTimeout": "3600",
            "defaultTaskStartToCloseTimeout": "10",
        },
    )
    for name in ACTIVITIES:
        sim.handle(
            "RegisterActivityType",
            {
                "domain": DOMAIN,
                "name": name,
                "version": "1",
                "defaultTaskList": {"name": "activities"},
                "defaultTaskScheduleToStartTimeout": "60",
                "defaultTaskScheduleToCloseTimeout": "150",
                "defaultTaskStartToCloseTimeout": "120",
                "defaultTaskHeartbeatTimeout": "30",
            },
        )
        sim.activity(DOMAIN, name, lambda context: work(context.input))

    def harness_decider(task: DecisionTask) -> list[JsonDict]:
        return decide(
            {"events": task.events, "previousStartedEventId": task.previous_started_event_id}
        )

    sim.decider(DOMAIN, "images", harness_decider)
    start = {
        "domain": DOMAIN,
        "workflowId": "w",
        "workflowType": {"name": "images", "version": "1"},
    }
    sim.handle("StartWorkflowExecution", start)
    sim.handle(
        "SignalWorkflowExecution", {"domain": DOMAIN, "workflowId": "w", "signalName": "note"}
    )
    report = sim.run()
    assert report.closed == {"w": "COMPLETED"}, report


ARGUMENTS: JsonDict = {
    "decider": decide,
    "activities": dict.fromkeys(ACTIVITIES, work),
    "workflow_type": "images",
    "signals": ["note"],
}


def ms_per_run(runs: int, seconds: float) -> float:
    return seconds * 1000 / runs


def one_round(runs: int, examples: int) -> tuple[float, float, float, list[str | None]]:
    """Milliseconds per run of the baseline, the driver and an explored example, measured one
    after the other; and how the explored runs closed."""
    began = time.perf_counter()
    for _ in range(runs):
        plain_run()
    baseline = ms_per_run(runs, time.perf_counter() - began)

    began = time.perf_counter()
    for _ in range(runs):
        assert run_schedule([], **ARGUMENTS).close_status == "COMPLETED"
    driver = ms_per_run(runs, time.perf_counter() - began)

    closed: list[str | None] = []

    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(executions(**ARGUMENTS))
    def explore(execution: Any) -> None:
        closed.append(execution.close_status)

    began = time.perf_counter()
    explore()
    explored = ms_per_run(len(closed), time.perf_counter() - began)
    return baseline, driver, explored, closed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--examples", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()

    for _ in range(20):  # warm up imports and caches
        plain_run()
        run_schedule([], **ARGUMENTS)

    print("round  Simulator.run  driver, plain  explored example  explored / Simulator.run")
    ratios = []
    for number in range(1, options.rounds + 1):
        baseline, driver, explored, closed = one_round(options.runs, options.examples)
        ratios.append(explored / baseline)
        print(
            f"{number:>5}  {baseline:10.3f} ms  {driver:10.3f} ms  {explored:13.3f} ms"
            f"  {explored / baseline:10.2f}x"
        )
    print(f"explored runs closed: {sorted((s, closed.count(s)) for s in set(closed))}")
    print(f"median: an explored example costs {statistics.median(ratios):.2f}x a Simulator.run")


if __name__ == "__main__":
    main()
