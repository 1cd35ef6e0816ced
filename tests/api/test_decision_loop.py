"""The decision loop through boto3: exact event sequences, as in AWS histories (fixtures/real-aws)
and the Developer Guide's swf-dg-dev-deciders.html and swf-timeout-types.html."""

from __future__ import annotations

from datetime import timedelta

import pytest
from api_helpers import (
    ACTIVITIES,
    ACTIVITY,
    DECISIONS,
    DOMAIN,
    START,
    WORKFLOW,
    attributes,
    cancel,
    complete,
    event_types,
    fail,
    record_marker,
    schedule_activity,
    start_timer,
)


def at(seconds: float):
    return START + timedelta(seconds=seconds)


def test_happy_path_one_activity(ready):
    """The happy path of swf-dev-workflow-exec-lifecycle.html, event by event."""
    swf, clock = ready.swf, ready.sim.clock
    execution = ready.start(input="order #1")

    clock.advance(1)
    first = ready.poll_decision(identity="D1")
    assert first["startedEventId"] == 3
    assert first["previousStartedEventId"] == 0
    assert first["workflowExecution"] == execution
    assert first["workflowType"] == WORKFLOW
    assert event_types(first["events"]) == [
        "WorkflowExecutionStarted",
        "DecisionTaskScheduled",
        "DecisionTaskStarted",
    ]

    clock.advance(1)
    ready.decide(first, schedule_activity("A1", input="card-42", control="not for the worker"))
    clock.advance(1)
    activity = ready.poll_activity(identity="W1")
    assert activity["activityId"] == "A1"
    assert activity["startedEventId"] == 6
    assert activity["workflowExecution"] == execution
    assert activity["activityType"] == ACTIVITY
    assert activity["input"] == "card-42"
    assert "control" not in activity

    clock.advance(1)
    swf.respond_activity_task_completed(taskToken=activity["taskToken"], result="charged")
    clock.advance(1)
    second = ready.poll_decision(identity="D1")
    assert (second["startedEventId"], second["previousStartedEventId"]) == (9, 3)
    assert second["taskToken"] != first["taskToken"]
    clock.advance(1)
    ready.decide(second, complete(result="shipped"))

    events = ready.history(execution)
    assert [(e["eventId"], e["eventType"], e["eventTimestamp"]) for e in events] == [
        (1, "WorkflowExecutionStarted", at(0)),
        (2, "DecisionTaskScheduled", at(0)),
        (3, "DecisionTaskStarted", at(1)),
        (4, "DecisionTaskCompleted", at(2)),
        (5, "ActivityTaskScheduled", at(2)),
        (6, "ActivityTaskStarted", at(3)),
        (7, "ActivityTaskCompleted", at(4)),
        (8, "DecisionTaskScheduled", at(4)),
        (9, "DecisionTaskStarted", at(5)),
        (10, "DecisionTaskCompleted", at(6)),
        (11, "WorkflowExecutionCompleted", at(6)),
    ]
    assert second["events"] == events[:9]
    assert [attributes(e) for e in events[2:]] == [
        {"identity": "D1", "scheduledEventId": 2},
        {"scheduledEventId": 2, "startedEventId": 3},
        {
            "activityType": ACTIVITY,
            "activityId": "A1",
            "input": "card-42",
            "control": "not for the worker",
            "scheduleToStartTimeout": "300",
            "scheduleToCloseTimeout": "600",
            "startToCloseTimeout": "300",
            "heartbeatTimeout": "NONE",
            "taskList": ACTIVITIES,
            "decisionTaskCompletedEventId": 4,
        },
        {"identity": "W1", "scheduledEventId": 5},
        {"result": "charged", "scheduledEventId": 5, "startedEventId": 6},
        {"taskList": DECISIONS, "startToCloseTimeout": "30", "scheduleToStartTimeout": "NONE"},
        {"identity": "D1", "scheduledEventId": 8},
        {"scheduledEventId": 8, "startedEventId": 9},
        {"result": "shipped", "decisionTaskCompletedEventId": 10},
    ]
    info = ready.describe(execution)["executionInfo"]
    assert info == {
        "execution": execution,
        "workflowType": WORKFLOW,
        "startTimestamp": at(0),
        "closeTimestamp": at(6),
        "executionStatus": "CLOSED",
        "closeStatus": "COMPLETED",
        "cancelRequested": False,
    }


@pytest.mark.parametrize(
    ("close", "failed_event"),
    [
        (complete(result="r"), "CompleteWorkflowExecutionFailed"),
        (fail(reason="r"), "FailWorkflowExecutionFailed"),
        (cancel(details="d"), "CancelWorkflowExecutionFailed"),
    ],
)
def test_signal_while_deciding_makes_close_unhandled(ready, close, failed_event):
    """A DecisionTaskScheduled written while the task was started blocks a close (Decision)."""
    execution = ready.start()
    task = ready.poll_decision()
    ready.swf.signal_workflow_execution(domain=DOMAIN, workflowId="order-1", signalName="s")

    ready.decide(task, record_marker("before-close"), close)

    events = ready.history(execution)
    assert event_types(events)[3:] == [
        "WorkflowExecutionSignaled",
        "DecisionTaskScheduled",
        "DecisionTaskCompleted",
        "MarkerRecorded",  # decisions before the failing close are still applied (AWS is silent)
        failed_event,
    ]
    assert attributes(events[5]) == {"scheduledEventId": 2, "startedEventId": 3}
    assert attributes(events[7]) == {
        "cause": "UNHANDLED_DECISION",
        "decisionTaskCompletedEventId": 6,
    }
    assert ready.describe(execution)["executionInfo"]["executionStatus"] == "OPEN"

    retry = ready.poll_decision()  # the task scheduled by the signal, no new one
    assert retry["events"][-1] == {
        "eventId": 9,
        "eventTimestamp": START,
        "eventType": "DecisionTaskStarted",
        "decisionTaskStartedEventAttributes": {"scheduledEventId": 5},
    }
    assert retry["previousStartedEventId"] == 3
    ready.decide(retry, close)
    assert ready.describe(execution)["executionInfo"]["executionStatus"] == "CLOSED"


def test_failed_decision_in_same_response_does_not_block_close(ready):
    """Only outside events make a close decision unhandled (AWS does not say)."""
    execution = ready.start()

    ready.decide(
        ready.poll_decision(),
        schedule_activity("a1", {"name": "Missing", "version": "1"}),
        complete(),
    )

    assert event_types(ready.history(execution))[3:] == [
        "DecisionTaskCompleted",
        "ScheduleActivityTaskFailed",
        "WorkflowExecutionCompleted",
    ]


def test_decision_task_timeout_and_stale_token(ready):
    """A decision task timing out, and its stale token (swf-timeout-types.html)."""
    execution = ready.start()
    task = ready.poll_decision()

    ready.sim.clock.advance(timedelta(seconds=30) - timedelta(milliseconds=1))
    assert ready.describe(execution)["openCounts"]["openDecisionTasks"] == 1
    assert len(ready.history(execution)) == 3
    ready.sim.clock.advance(timedelta(milliseconds=1))

    events = ready.history(execution)
    assert [(e["eventType"], e["eventTimestamp"]) for e in events[3:]] == [
        ("DecisionTaskTimedOut", at(30)),
        ("DecisionTaskScheduled", at(30)),
    ]
    assert attributes(events[3]) == {
        "timeoutType": "START_TO_CLOSE",
        "scheduledEventId": 2,
        "startedEventId": 3,
    }
    with pytest.raises(ready.swf.exceptions.UnknownResourceFault, match="task token"):
        ready.decide(task, complete())

    retry = ready.poll_decision()
    assert retry["startedEventId"] == 6
    # The timed-out task was never processed (PollForDecisionTask: previousStartedEventId).
    assert retry["previousStartedEventId"] == 0
    assert attributes(retry["events"][-1])["scheduledEventId"] == 5


def test_one_scheduled_and_one_started_at_most(ready):
    """As in AWS histories (fixtures/real-aws/traces/test_wait_signal.json, events 9-15): a
    trigger during a started task schedules one task at once; further triggers add nothing; the
    new task starts only after the first closes."""
    execution = ready.start()
    task = ready.poll_decision()
    for name in ("s1", "s2", "s3"):
        ready.swf.signal_workflow_execution(domain=DOMAIN, workflowId="order-1", signalName=name)

    assert event_types(ready.history(execution))[3:] == [
        "WorkflowExecutionSignaled",
        "DecisionTaskScheduled",
        "WorkflowExecutionSignaled",
        "WorkflowExecutionSignaled",
    ]
    assert ready.describe(execution)["openCounts"]["openDecisionTasks"] == 1

    ready.decide(task)
    assert ready.swf.count_pending_decision_tasks(domain=DOMAIN, taskList=DECISIONS)["count"] == 1
    follow_up = ready.poll_decision()

    events = ready.history(execution)
    assert event_types(events)[7:] == ["DecisionTaskCompleted", "DecisionTaskStarted"]
    assert attributes(events[8])["scheduledEventId"] == 5
    assert follow_up["startedEventId"] == 9


def test_long_poll_waits_for_the_started_task_to_time_out(ready):
    execution = ready.start()
    ready.poll_decision()
    ready.swf.signal_workflow_execution(domain=DOMAIN, workflowId="order-1", signalName="s")

    task = ready.poll_decision()  # waits in virtual time until the first task times out

    assert ready.sim.clock.now() == at(30)
    assert event_types(ready.history(execution))[3:] == [
        "WorkflowExecutionSignaled",
        "DecisionTaskScheduled",
        "DecisionTaskTimedOut",
        "DecisionTaskStarted",
    ]
    assert attributes(task["events"][-1])["scheduledEventId"] == 5


def test_empty_polls_wait_sixty_virtual_seconds(ready):
    empty_decision = ready.swf.poll_for_decision_task(domain=DOMAIN, taskList=DECISIONS)
    assert ready.sim.clock.now() == at(60)
    empty_activity = ready.swf.poll_for_activity_task(domain=DOMAIN, taskList=ACTIVITIES)
    assert ready.sim.clock.now() == at(120)

    assert "taskToken" not in empty_decision
    assert (empty_decision["startedEventId"], empty_decision["previousStartedEventId"]) == (0, 0)
    assert "events" not in empty_decision
    assert "taskToken" not in empty_activity
    assert empty_activity["startedEventId"] == 0


def test_polls_only_see_their_own_task_list_and_domain(ready):
    ready.register_domain("other")
    ready.start()

    other_list = ready.swf.poll_for_decision_task(domain=DOMAIN, taskList={"name": "other"})
    other_domain = ready.swf.poll_for_decision_task(domain="other", taskList=DECISIONS)

    assert "taskToken" not in other_list
    assert "taskToken" not in other_domain
    assert ready.poll_decision()["startedEventId"] == 3
    with pytest.raises(ready.swf.exceptions.UnknownResourceFault, match="Unknown domain: nope"):
        ready.swf.poll_for_decision_task(domain="nope", taskList=DECISIONS)
    with pytest.raises(ready.swf.exceptions.UnknownResourceFault, match="Unknown domain: nope"):
        ready.swf.poll_for_activity_task(domain="nope", taskList=ACTIVITIES)


def test_decision_tasks_handed_out_by_priority_then_age(ready):
    ready.start("low", taskPriority="1")
    ready.start("high", taskPriority="5")
    ready.start("low-2", taskPriority="1")

    order = [ready.poll_decision()["workflowExecution"]["workflowId"] for _ in range(3)]

    assert order == ["high", "low", "low-2"]


def test_token_is_single_use(ready):
    execution = ready.start()
    task = ready.poll_decision()
    ready.decide(task, record_marker("m"))

    with pytest.raises(ready.swf.exceptions.UnknownResourceFault, match="task token"):
        ready.decide(task, record_marker("again"))
    with pytest.raises(ready.swf.exceptions.UnknownResourceFault, match="task token"):
        ready.swf.respond_decision_task_completed(taskToken="no-such-token")
    assert event_types(ready.history(execution))[-1] == "MarkerRecorded"


def test_start_at_previous_started_event(ready):
    execution = ready.start()
    ready.decide(ready.poll_decision(), record_marker("m"))
    ready.swf.signal_workflow_execution(domain=DOMAIN, workflowId="order-1", signalName="s")

    task = ready.poll_decision(startAtPreviousStartedEvent=True)

    assert task["previousStartedEventId"] == 3
    assert [e["eventId"] for e in task["events"]] == [3, 4, 5, 6, 7, 8]
    assert task["events"] == ready.history(execution)[2:]


def test_decision_task_list_override(ready):
    execution = ready.start()

    ready.decide(ready.poll_decision(), schedule_activity("a1"), taskList={"name": "moved"})
    ready.swf.respond_activity_task_completed(taskToken=ready.poll_activity()["taskToken"])

    events = ready.history(execution)
    assert attributes(events[3]) == {
        "scheduledEventId": 2,
        "startedEventId": 3,
        "taskList": {"name": "moved"},
    }
    assert attributes(events[-1])["taskList"] == {"name": "moved"}
    assert ready.swf.count_pending_decision_tasks(domain=DOMAIN, taskList=DECISIONS)["count"] == 0
    assert ready.poll_decision({"name": "moved"})["startedEventId"] == 9


def test_temporary_task_list_override_reverts_after_schedule_to_start(ready):
    """RespondDecisionTaskCompleted's taskListScheduleToStartTimeout: a task not started on the
    override list within the timeout times out with SCHEDULE_TO_START, and SWF schedules the next
    one on the original list."""
    execution = ready.start()
    ready.decide(
        ready.poll_decision(),
        start_timer("t", 5),
        taskList={"name": "moved"},
        taskListScheduleToStartTimeout="10",
    )

    ready.sim.clock.advance(15)

    events = ready.history(execution)
    assert [(e["eventType"], e["eventTimestamp"]) for e in events[5:]] == [
        ("TimerFired", at(5)),
        ("DecisionTaskScheduled", at(5)),
        ("DecisionTaskTimedOut", at(15)),
        ("DecisionTaskScheduled", at(15)),
    ]
    assert attributes(events[3])["taskListScheduleToStartTimeout"] == "10"
    assert attributes(events[6]) == {
        "taskList": {"name": "moved"},
        "startToCloseTimeout": "30",
        "scheduleToStartTimeout": "10",
    }
    assert attributes(events[7]) == {
        "timeoutType": "SCHEDULE_TO_START",
        "scheduledEventId": 7,
        "startedEventId": 0,
    }
    assert attributes(events[8])["taskList"] == DECISIONS
    assert ready.poll_decision()["startedEventId"] == 10
