"""Activity tasks through boto3: workers' calls, cancellation and the four timeouts (their pages in
the SWF API Reference; swf-timeout-types.html)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from api_helpers import (
    ACTIVITIES,
    DOMAIN,
    START,
    attributes,
    event_types,
    schedule_activity,
)


def request_cancel_activity(activity_id: str) -> dict:
    return {
        "decisionType": "RequestCancelActivityTask",
        "requestCancelActivityTaskDecisionAttributes": {"activityId": activity_id},
    }


def test_activity_completed(ready):
    execution, task = ready.run_to_activity()

    ready.swf.respond_activity_task_completed(taskToken=task["taskToken"], result="ok")

    events = ready.history(execution)
    assert event_types(events)[-2:] == ["ActivityTaskCompleted", "DecisionTaskScheduled"]
    assert attributes(events[-2]) == {"result": "ok", "scheduledEventId": 5, "startedEventId": 6}


def test_activity_failed(ready):
    execution, task = ready.run_to_activity()

    ready.swf.respond_activity_task_failed(
        taskToken=task["taskToken"], reason="declined", details="insufficient funds"
    )

    events = ready.history(execution)
    assert event_types(events)[-2:] == ["ActivityTaskFailed", "DecisionTaskScheduled"]
    assert attributes(events[-2]) == {
        "reason": "declined",
        "details": "insufficient funds",
        "scheduledEventId": 5,
        "startedEventId": 6,
    }
    decision = ready.poll_decision()
    assert event_types(decision["events"])[-3:] == [
        "ActivityTaskFailed",
        "DecisionTaskScheduled",
        "DecisionTaskStarted",
    ]


def test_activity_canceled_without_request_is_accepted(ready):
    """Accepted, with no latestCancelRequestedEventId when nobody asked."""
    execution, task = ready.run_to_activity()

    ready.swf.respond_activity_task_canceled(taskToken=task["taskToken"], details="gave up")

    events = ready.history(execution)
    assert event_types(events)[-2:] == ["ActivityTaskCanceled", "DecisionTaskScheduled"]
    assert attributes(events[-2]) == {
        "details": "gave up",
        "scheduledEventId": 5,
        "startedEventId": 6,
    }


@pytest.mark.parametrize("answer", ["completed", "failed", "canceled"])
def test_activity_token_is_single_use(ready, answer):
    swf = ready.swf
    respond = {
        "completed": swf.respond_activity_task_completed,
        "failed": swf.respond_activity_task_failed,
        "canceled": swf.respond_activity_task_canceled,
    }[answer]
    _, task = ready.run_to_activity()
    respond(taskToken=task["taskToken"])

    for call in (
        swf.respond_activity_task_completed,
        swf.respond_activity_task_failed,
        swf.respond_activity_task_canceled,
        swf.record_activity_task_heartbeat,
    ):
        with pytest.raises(swf.exceptions.UnknownResourceFault, match="task token"):
            call(taskToken=task["taskToken"])


def test_heartbeat_records_no_event(ready):
    execution, task = ready.run_to_activity()
    length = len(ready.history(execution))

    status = ready.swf.record_activity_task_heartbeat(taskToken=task["taskToken"], details="50%")

    assert status["cancelRequested"] is False
    assert len(ready.history(execution)) == length


def test_workflow_cancel_request_is_not_an_activity_cancel(ready):
    """cancelRequested reports an ActivityTaskCancelRequested only (RecordActivityTaskHeartbeat)."""
    _, task = ready.run_to_activity()

    ready.swf.request_cancel_workflow_execution(domain=DOMAIN, workflowId="order-1")

    status = ready.swf.record_activity_task_heartbeat(taskToken=task["taskToken"])
    assert status["cancelRequested"] is False


def test_cancel_started_activity(ready):
    """Started: the worker learns of the request from its heartbeat (swf-dg-task-cancellation)."""
    execution, task = ready.run_to_activity()
    ready.swf.signal_workflow_execution(domain=DOMAIN, workflowId="order-1", signalName="stop")
    ready.decide(ready.poll_decision(), request_cancel_activity("a1"))

    assert ready.swf.record_activity_task_heartbeat(taskToken=task["taskToken"])["cancelRequested"]
    ready.swf.respond_activity_task_canceled(taskToken=task["taskToken"], details="stopped")

    events = ready.history(execution)
    assert event_types(events)[9:] == [
        "DecisionTaskCompleted",
        "ActivityTaskCancelRequested",
        "ActivityTaskCanceled",
        "DecisionTaskScheduled",
    ]
    assert attributes(events[10]) == {"activityId": "a1", "decisionTaskCompletedEventId": 10}
    assert attributes(events[11]) == {
        "details": "stopped",
        "scheduledEventId": 5,
        "startedEventId": 6,
        "latestCancelRequestedEventId": 11,
    }


def test_cancel_scheduled_activity(ready):
    """Not started: the service cancels it at once (swf-dg-task-cancellation.html)."""
    execution = ready.start()
    ready.decide(ready.poll_decision(), schedule_activity("a1"))
    ready.swf.signal_workflow_execution(domain=DOMAIN, workflowId="order-1", signalName="stop")

    ready.decide(ready.poll_decision(), request_cancel_activity("a1"))

    events = ready.history(execution)
    assert event_types(events)[8:] == [
        "DecisionTaskCompleted",
        "ActivityTaskCancelRequested",
        "ActivityTaskCanceled",
        "DecisionTaskScheduled",
    ]
    assert attributes(events[10]) == {
        "scheduledEventId": 5,
        "startedEventId": 0,
        "latestCancelRequestedEventId": 10,
    }
    assert ready.swf.count_pending_activity_tasks(domain=DOMAIN, taskList=ACTIVITIES)["count"] == 0


def test_cancel_unknown_activity(ready):
    execution = ready.start()

    ready.decide(ready.poll_decision(), request_cancel_activity("ghost"))

    events = ready.history(execution)
    assert event_types(events)[3:] == [
        "DecisionTaskCompleted",
        "RequestCancelActivityTaskFailed",
        "DecisionTaskScheduled",
    ]
    assert attributes(events[4]) == {
        "activityId": "ghost",
        "cause": "ACTIVITY_ID_UNKNOWN",
        "decisionTaskCompletedEventId": 4,
    }


def test_activity_tasks_by_priority_then_age(ready):
    ready.start()
    ready.decide(
        ready.poll_decision(),
        schedule_activity("low"),
        schedule_activity("high", taskPriority="10"),
        schedule_activity("low-2"),
        schedule_activity("negative", taskPriority="-5"),
    )
    assert ready.swf.count_pending_activity_tasks(domain=DOMAIN, taskList=ACTIVITIES)["count"] == 4

    order = [ready.poll_activity()["activityId"] for _ in range(4)]

    assert order == ["high", "low", "low-2", "negative"]
    assert ready.swf.count_pending_activity_tasks(domain=DOMAIN, taskList=ACTIVITIES)["count"] == 0


def test_count_pending_of_unused_list_and_unknown_domain(ready):
    pending = ready.swf.count_pending_activity_tasks(domain=DOMAIN, taskList={"name": "never"})
    assert (pending["count"], pending["truncated"]) == (0, False)
    for call in (ready.swf.count_pending_activity_tasks, ready.swf.count_pending_decision_tasks):
        with pytest.raises(ready.swf.exceptions.UnknownResourceFault, match="Unknown domain: x"):
            call(domain="x", taskList=ACTIVITIES)


# ---- timeouts -------------------------------------------------------------------------------


def timed_out(driver, execution, timeout_type, at_seconds, started_event_id, **extra):
    events = driver.history(execution)
    assert [(e["eventType"], e["eventTimestamp"]) for e in events[-2:]] == [
        ("ActivityTaskTimedOut", START + timedelta(seconds=at_seconds)),
        ("DecisionTaskScheduled", START + timedelta(seconds=at_seconds)),
    ]
    assert attributes(events[-2]) == {
        "timeoutType": timeout_type,
        "scheduledEventId": 5,
        "startedEventId": started_event_id,
        **extra,
    }


def test_schedule_to_start_timeout(ready):
    execution = ready.start()
    ready.decide(ready.poll_decision(), schedule_activity("a1", scheduleToStartTimeout="60"))

    ready.sim.clock.advance(60)

    timed_out(ready, execution, "SCHEDULE_TO_START", 60, 0)
    # The task is never handed out afterwards.
    assert ready.swf.count_pending_activity_tasks(domain=DOMAIN, taskList=ACTIVITIES)["count"] == 0
    assert "taskToken" not in ready.swf.poll_for_activity_task(domain=DOMAIN, taskList=ACTIVITIES)


def test_start_to_close_timeout(ready):
    execution = ready.start()
    ready.decide(ready.poll_decision(), schedule_activity("a1", startToCloseTimeout="100"))
    ready.sim.clock.advance(10)
    task = ready.poll_activity()

    ready.sim.clock.advance(99)
    ready.swf.record_activity_task_heartbeat(taskToken=task["taskToken"])  # does not extend it
    ready.sim.clock.advance(1)

    timed_out(ready, execution, "START_TO_CLOSE", 110, 6)
    with pytest.raises(ready.swf.exceptions.UnknownResourceFault, match="task token"):
        ready.swf.respond_activity_task_completed(taskToken=task["taskToken"])


def test_heartbeat_timeout_resets_and_reports_last_details(ready):
    execution = ready.start()
    ready.decide(ready.poll_decision(), schedule_activity("a1", heartbeatTimeout="30"))
    task = ready.poll_activity()

    ready.sim.clock.advance(20)
    ready.swf.record_activity_task_heartbeat(taskToken=task["taskToken"], details="40%")
    ready.sim.clock.advance(20)
    ready.swf.record_activity_task_heartbeat(taskToken=task["taskToken"])  # keeps "40%"
    ready.sim.clock.advance(29)
    assert ready.types(execution)[-1] == "ActivityTaskStarted"
    ready.sim.clock.advance(1)

    timed_out(ready, execution, "HEARTBEAT", 70, 6, details="40%")


def test_schedule_to_close_timeout(ready):
    execution = ready.start()
    ready.decide(ready.poll_decision(), schedule_activity("a1", scheduleToCloseTimeout="50"))
    ready.sim.clock.advance(30)
    ready.poll_activity()

    ready.sim.clock.advance(20)

    timed_out(ready, execution, "SCHEDULE_TO_CLOSE", 50, 6)
