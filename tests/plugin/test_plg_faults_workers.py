"""worker_hangs, worker_crashes and decider_misses_deadline: tasks taken and never answered."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ConnectionClosedError
from plg_support import (
    ACTIVITIES,
    DECISIONS,
    DOMAIN,
    SCENARIOS,
    SHOP,
    charge_started,
    decide,
    event_types,
    last_event,
    schedule_charge,
    start,
)

NO_HEARTBEAT = {"domains": [DOMAIN], "workflow_types": ["order"], "activity_types": ["charge"]}


def seconds_between(first: dict[str, Any], then: dict[str, Any]) -> float:
    return float(then["eventTimestamp"] - first["eventTimestamp"])


@pytest.mark.swf(**NO_HEARTBEAT)
@pytest.mark.swf_faults(SCENARIOS / "hung-worker.yaml")
def test_worker_hangs_until_start_to_close(swf: Any, swf_client: Any, swf_clock: Any) -> None:
    task = charge_started(swf_client)
    assert "taskToken" not in task  # the worker that took it hangs; this poll got nothing
    assert event_types(swf)[-1] == "ActivityTaskStarted"

    swf_clock.advance(299)
    assert event_types(swf)[-1] == "ActivityTaskStarted"
    swf_clock.advance(1)  # the type's start-to-close timeout: 300 s
    timed_out = last_event(swf, "ActivityTaskTimedOut")
    assert timed_out["activityTaskTimedOutEventAttributes"]["timeoutType"] == "START_TO_CLOSE"
    assert seconds_between(last_event(swf, "ActivityTaskStarted"), timed_out) == 300

    # The decider hears of it and tries again; only the first task hangs (nth: 1).
    decide(swf_client, schedule_charge("charge-2"))
    retry = swf_client.poll_for_activity_task(domain=DOMAIN, taskList=ACTIVITIES)
    assert retry["activityId"] == "charge-2"
    swf_client.respond_activity_task_completed(taskToken=retry["taskToken"], result="paid")
    assert event_types(swf)[-2] == "ActivityTaskCompleted"


@pytest.mark.swf(**SHOP)
@pytest.mark.swf_faults(SCENARIOS / "crashing-worker.yaml")
def test_worker_crashes_after_its_heartbeats(swf: Any, swf_client: Any, swf_clock: Any) -> None:
    task = charge_started(swf_client)
    token = task["taskToken"]
    for _ in range(2):  # afterHeartbeats: 2
        swf_clock.advance(30)
        swf_client.record_activity_task_heartbeat(taskToken=token, details="alive")

    # From now on the worker's calls never arrive, its answer included: boto3 retries, then
    # gives up.
    with pytest.raises(ConnectionClosedError):
        swf_client.respond_activity_task_completed(taskToken=token, result="paid")
    with pytest.raises(ConnectionClosedError):
        swf_client.record_activity_task_heartbeat(taskToken=token)
    assert "ActivityTaskCompleted" not in event_types(swf)

    swf_clock.advance(60)  # the heartbeat timeout, counted from the last heartbeat that arrived
    timed_out = last_event(swf, "ActivityTaskTimedOut")
    attributes = timed_out["activityTaskTimedOutEventAttributes"]
    assert attributes["timeoutType"] == "HEARTBEAT"
    assert attributes["details"] == "alive"  # the last heartbeat's details
    assert seconds_between(last_event(swf, "ActivityTaskStarted"), timed_out) == 60 + 60


@pytest.mark.swf(**SHOP)
@pytest.mark.swf_faults({"faults": [{"type": "worker_crashes", "afterHeartbeats": 0}]})
def test_worker_crashes_at_once(swf: Any, swf_client: Any, swf_clock: Any) -> None:
    token = charge_started(swf_client)["taskToken"]
    with pytest.raises(ConnectionClosedError):
        swf_client.record_activity_task_heartbeat(taskToken=token)
    swf_clock.advance(60)
    timed_out = last_event(swf, "ActivityTaskTimedOut")
    assert timed_out["activityTaskTimedOutEventAttributes"]["timeoutType"] == "HEARTBEAT"


@pytest.mark.swf(**SHOP)
@pytest.mark.swf_faults(SCENARIOS / "slow-decider.yaml")
def test_decider_misses_its_deadline(swf: Any, swf_client: Any, swf_clock: Any) -> None:
    start(swf_client)
    missed = swf_client.poll_for_decision_task(domain=DOMAIN, taskList=DECISIONS)
    assert "taskToken" not in missed  # taken by the decider that never answers

    # The next poll waits (in virtual time) for the timeout and gets the new task.
    task = swf_client.poll_for_decision_task(domain=DOMAIN, taskList=DECISIONS)
    assert [event["eventType"] for event in task["events"]] == [
        "WorkflowExecutionStarted",
        "DecisionTaskScheduled",
        "DecisionTaskStarted",
        "DecisionTaskTimedOut",
        "DecisionTaskScheduled",
        "DecisionTaskStarted",
    ]
    timed_out = task["events"][3]["decisionTaskTimedOutEventAttributes"]
    assert timed_out["timeoutType"] == "START_TO_CLOSE"
    assert swf_clock.now().isoformat() == "2026-01-01T00:01:00+00:00"  # the task's 60 s
