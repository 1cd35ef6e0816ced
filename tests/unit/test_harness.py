"""Simulator.run: registered deciders and activities run themselves in virtual time."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from swfsim import Simulator
from swfsim.errors import UnknownResourceFault
from swfsim.harness import (
    ActivityCanceled,
    ActivityContext,
    ActivityFailed,
    DecisionTask,
    Hang,
    StuckRun,
)

DOMAIN = "h"
WORK = {"name": "work", "version": "1"}


def _schedule(activity_id: str) -> dict[str, Any]:
    return {
        "decisionType": "ScheduleActivityTask",
        "scheduleActivityTaskDecisionAttributes": {"activityType": WORK, "activityId": activity_id},
    }


COMPLETE = {
    "decisionType": "CompleteWorkflowExecution",
    "completeWorkflowExecutionDecisionAttributes": {"result": "ok"},
}


@pytest.fixture
def sim() -> Simulator:
    sim = Simulator(seed=9)
    sim.handle("RegisterDomain", {"name": DOMAIN, "workflowExecutionRetentionPeriodInDays": "1"})
    sim.handle(
        "RegisterWorkflowType",
        {
            "domain": DOMAIN,
            "name": "flow",
            "version": "1",
            "defaultTaskList": {"name": "deciders"},
            "defaultExecutionStartToCloseTimeout": "864000",
            "defaultTaskStartToCloseTimeout": "60",
            "defaultChildPolicy": "TERMINATE",
        },
    )
    sim.handle(
        "RegisterActivityType",
        {
            "domain": DOMAIN,
            **WORK,
            "defaultTaskList": {"name": "workers"},
            "defaultTaskScheduleToStartTimeout": "NONE",
            "defaultTaskScheduleToCloseTimeout": "NONE",
            "defaultTaskStartToCloseTimeout": "600",
            "defaultTaskHeartbeatTimeout": "30",
        },
    )
    return sim


def _start(sim: Simulator, workflow_id: str = "w") -> None:
    sim.handle(
        "StartWorkflowExecution",
        {
            "domain": DOMAIN,
            "workflowId": workflow_id,
            "workflowType": {"name": "flow", "version": "1"},
        },
    )


def _outcomes(task: DecisionTask) -> list[str]:
    return [e["eventType"] for e in task.events if e["eventType"].startswith("ActivityTask")]


def _once_then_complete(task: DecisionTask) -> list[dict[str, Any]]:
    closed = [
        t for t in _outcomes(task) if t not in ("ActivityTaskScheduled", "ActivityTaskStarted")
    ]
    return [COMPLETE] if closed else ([] if _outcomes(task) else [_schedule("a")])


def _event_types(sim: Simulator) -> list[str]:
    return [event["eventType"] for event in sim.history(DOMAIN, "w")]


def test_a_workflow_runs_to_completion(sim: Simulator) -> None:
    sim.decider(DOMAIN, "flow", _once_then_complete)
    sim.activity(DOMAIN, "work", lambda ctx: f"did {ctx.activity_id}")
    _start(sim)
    report = sim.run()
    assert report.closed == {"w": "COMPLETED"}
    assert report.decisions == 2
    assert report.activities == 1
    assert "ActivityTaskCompleted" in _event_types(sim)


def test_failures_cancellation_and_hangs_become_their_events(sim: Simulator) -> None:
    outcomes: list[Any] = [
        ActivityFailed("card declined", "code 51"),
        ActivityCanceled("stop"),
        Hang(),
        ValueError("bug"),
    ]
    expected = [
        "ActivityTaskFailed",
        "ActivityTaskCanceled",
        "ActivityTaskTimedOut",
        "ActivityTaskFailed",
    ]

    def work(ctx: ActivityContext) -> str:
        raise outcomes.pop(0)

    def decide(task: DecisionTask) -> list[dict[str, Any]]:
        done = [
            t for t in _outcomes(task) if t not in ("ActivityTaskScheduled", "ActivityTaskStarted")
        ]
        return [COMPLETE] if len(done) == 4 else [_schedule(f"a{len(done)}")]

    sim.decider(DOMAIN, "flow", decide)
    sim.activity(DOMAIN, "work", work)
    _start(sim)
    sim.run()
    closings = [t for t in _event_types(sim) if t in set(expected)]
    assert closings == expected
    failed = [e for e in sim.history(DOMAIN, "w") if e["eventType"] == "ActivityTaskFailed"]
    assert failed[0]["activityTaskFailedEventAttributes"]["reason"] == "card declined"
    assert failed[1]["activityTaskFailedEventAttributes"]["reason"] == "ValueError"


def test_a_worker_that_stops_heartbeating_times_out(sim: Simulator) -> None:
    def slow(ctx: ActivityContext) -> str:
        ctx.heartbeat("starting")
        ctx.sleep(45)  # past the 30 s heartbeat timeout
        ctx.heartbeat("too late")  # raises TaskLost, which the harness absorbs
        return "never delivered"

    sim.decider(DOMAIN, "flow", _once_then_complete)
    sim.activity(DOMAIN, "work", slow)
    _start(sim)
    sim.run()
    timed_out = next(
        e for e in sim.history(DOMAIN, "w") if e["eventType"] == "ActivityTaskTimedOut"
    )
    attrs = timed_out["activityTaskTimedOutEventAttributes"]
    assert attrs["timeoutType"] == "HEARTBEAT"
    assert attrs["details"] == "starting"


def test_a_stuck_run_says_which_tasks_wait_where(sim: Simulator) -> None:
    sim.decider(DOMAIN, "flow", lambda task: [_schedule("a")] if len(task.events) == 3 else [])
    _start(sim)
    with pytest.raises(StuckRun) as stuck:
        sim.run()
    message = str(stuck.value)
    assert "1 activity task(s) wait on list 'workers' of domain 'h'" in message
    assert "open executions: w" in message


def test_run_stops_at_a_virtual_deadline(sim: Simulator) -> None:
    sim.decider(
        DOMAIN,
        "flow",
        lambda task: (
            [
                {
                    "decisionType": "StartTimer",
                    "startTimerDecisionAttributes": {"timerId": "t", "startToFireTimeout": "86400"},
                }
            ]
            if len(task.events) == 3
            else [COMPLETE]
        ),
    )
    _start(sim)
    start = sim.clock.now()
    report = sim.run(until=timedelta(hours=1))
    assert sim.clock.now() == start + timedelta(hours=1)
    assert report.closed == {}
    assert sim.run().closed == {"w": "COMPLETED"}
    assert sim.clock.now() == start + timedelta(days=1)


def test_a_decider_that_hangs_misses_its_deadline(sim: Simulator) -> None:
    calls = []

    def decide(task: DecisionTask) -> list[dict[str, Any]]:
        calls.append(task.previous_started_event_id)
        if len(calls) == 1:
            raise Hang
        return [COMPLETE]

    sim.decider(DOMAIN, "flow", decide)
    _start(sim)
    sim.run()
    assert "DecisionTaskTimedOut" in _event_types(sim)
    assert calls == [0, 0]


def test_history_says_which_name_is_unknown(sim: Simulator) -> None:
    _start(sim)
    with pytest.raises(UnknownResourceFault, match=r"^Unknown domain: nope$"):
        sim.history("nope", "w")
    with pytest.raises(
        UnknownResourceFault,
        match=r"^Unknown execution: WorkflowExecution=\[workflowId=nobody\] in domain h$",
    ):
        sim.history(DOMAIN, "nobody")
    with pytest.raises(UnknownResourceFault, match=r"workflowId=w, runId=22nope="):
        sim.history(DOMAIN, "w", "22nope=")
