"""delay_signal, delay_task and clock_jump: things that happen later than the code expects."""

from __future__ import annotations

from typing import Any

import pytest
from plg_support import (
    ACTIVITIES,
    DECISIONS,
    DOMAIN,
    SCENARIOS,
    SHOP,
    decide,
    event_types,
    last_event,
    schedule_charge,
    start,
)


def seconds_since_start(swf: Any, event: dict[str, Any]) -> float:
    return float(event["eventTimestamp"] - swf.history(DOMAIN, "order-1")[0]["eventTimestamp"])


@pytest.mark.swf(**SHOP)
@pytest.mark.swf_faults(SCENARIOS / "late-signal.yaml")
def test_delay_signal_lands_later(swf: Any, swf_client: Any, swf_clock: Any) -> None:
    start(swf_client)
    decide(swf_client)  # no decisions: the run waits for its signal
    answer = swf_client.signal_workflow_execution(
        domain=DOMAIN, workflowId="order-1", signalName="approved", input="yes"
    )
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 200  # accepted at once...
    assert "WorkflowExecutionSignaled" not in event_types(swf)  # ...but not delivered yet

    # The decider's poll waits, in virtual time, for the signal.
    task = swf_client.poll_for_decision_task(domain=DOMAIN, taskList=DECISIONS)
    signaled = [e for e in task["events"] if e["eventType"] == "WorkflowExecutionSignaled"]
    assert signaled[0]["workflowExecutionSignaledEventAttributes"]["input"] == "yes"
    assert seconds_since_start(swf, last_event(swf, "WorkflowExecutionSignaled")) == 30
    assert swf_clock.now().isoformat() == "2026-01-01T00:00:30+00:00"


@pytest.mark.swf(**SHOP)
@pytest.mark.swf_faults(SCENARIOS / "late-signal.yaml")
def test_delay_signal_spares_other_signals_and_unknown_runs(swf: Any, swf_client: Any) -> None:
    start(swf_client)
    swf_client.signal_workflow_execution(domain=DOMAIN, workflowId="order-1", signalName="other")
    assert event_types(swf)[-1] == "WorkflowExecutionSignaled"  # not delayed: another name
    # A signal to no run is refused as always, not accepted for later.
    with pytest.raises(swf_client.exceptions.UnknownResourceFault):
        swf_client.signal_workflow_execution(
            domain=DOMAIN, workflowId="nobody", signalName="approved"
        )


@pytest.mark.swf(**SHOP)
@pytest.mark.swf_faults(SCENARIOS / "late-signal.yaml")
def test_delayed_signal_to_a_run_closed_meanwhile_is_dropped(
    swf: Any, swf_client: Any, swf_clock: Any
) -> None:
    start(swf_client)
    swf_client.signal_workflow_execution(domain=DOMAIN, workflowId="order-1", signalName="approved")
    swf_client.terminate_workflow_execution(domain=DOMAIN, workflowId="order-1")
    swf_clock.advance(30)
    assert "WorkflowExecutionSignaled" not in event_types(swf)


@pytest.mark.swf(**SHOP)
@pytest.mark.swf_faults(SCENARIOS / "late-task.json")
def test_delay_task(swf: Any, swf_client: Any) -> None:
    start(swf_client)
    decide(swf_client, schedule_charge())
    task = swf_client.poll_for_activity_task(domain=DOMAIN, taskList=ACTIVITIES)
    assert task["activityId"] == "charge-1"
    started = last_event(swf, "ActivityTaskStarted")
    scheduled = last_event(swf, "ActivityTaskScheduled")
    assert started["eventTimestamp"] - scheduled["eventTimestamp"] == 90


@pytest.mark.swf(
    domains=[DOMAIN],
    workflow_types=["order"],
    activity_types=[{"name": "charge", "defaultTaskScheduleToStartTimeout": "60"}],
)
@pytest.mark.swf_faults(SCENARIOS / "late-task.json")
def test_delay_task_past_schedule_to_start(swf: Any, swf_client: Any) -> None:
    start(swf_client)
    decide(swf_client, schedule_charge())
    task = swf_client.poll_for_activity_task(domain=DOMAIN, taskList=ACTIVITIES)
    # 90 s late is too late: the task timed out waiting for a worker.
    assert "taskToken" not in task
    timed_out = last_event(swf, "ActivityTaskTimedOut")
    assert timed_out["activityTaskTimedOutEventAttributes"]["timeoutType"] == "SCHEDULE_TO_START"


@pytest.mark.swf(**SHOP)
@pytest.mark.swf_faults(SCENARIOS / "clock-jump.yaml")
def test_clock_jump_before_the_third_request(swf: Any, swf_client: Any, swf_clock: Any) -> None:
    start(swf_client)  # request 1 (the marker's registrations do not count)
    task = swf_client.poll_for_decision_task(domain=DOMAIN, taskList=DECISIONS)  # request 2
    assert swf_clock.now().isoformat() == "2026-01-01T00:00:00+00:00"
    # Request 3: an hour passes first, as if the decider's process had been paused; its task
    # timed out (start-to-close 60 s) meanwhile.
    with pytest.raises(swf_client.exceptions.UnknownResourceFault):
        swf_client.respond_decision_task_completed(taskToken=task["taskToken"], decisions=[])
    assert swf_clock.now().isoformat() == "2026-01-01T01:00:00+00:00"
    timed_out = last_event(swf, "DecisionTaskTimedOut")
    assert seconds_since_start(swf, timed_out) == 60
