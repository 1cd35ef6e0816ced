"""Individual decisions: their events, their failure causes, and whole-request rejection
(SWF API Reference: Decision, RespondDecisionTaskCompleted; swf-dg-error-handling.html)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from api_helpers import (
    ACTIVITIES,
    ACTIVITY,
    DECISIONS,
    DOMAIN,
    START,
    attributes,
    cancel_timer,
    complete,
    event_types,
    fail,
    raises_validation,
    record_marker,
    schedule_activity,
    start_timer,
)


def decide_once(driver, *decisions, **params):
    """Start a run, answer its first decision task; returns (run, events from event 4 on)."""
    execution = driver.start()
    driver.decide(driver.poll_decision(), *decisions, **params)
    return execution, driver.history(execution)[3:]


# ---- ScheduleActivityTask -------------------------------------------------------------------


def test_schedule_activity_explicit_values_override_defaults(ready):
    _, events = decide_once(
        ready,
        schedule_activity(
            "a1",
            taskList={"name": "gpu"},
            scheduleToStartTimeout="10",
            startToCloseTimeout="NONE",
            heartbeatTimeout="20",
            taskPriority="9",
        ),
    )

    assert event_types(events) == ["DecisionTaskCompleted", "ActivityTaskScheduled"]
    assert attributes(events[1]) == {
        "activityType": ACTIVITY,
        "activityId": "a1",
        "taskList": {"name": "gpu"},
        "scheduleToStartTimeout": "10",
        "scheduleToCloseTimeout": "600",
        "startToCloseTimeout": "NONE",
        "heartbeatTimeout": "20",
        "taskPriority": "9",
        "decisionTaskCompletedEventId": 4,
    }
    gpu = ready.swf.count_pending_activity_tasks(domain=DOMAIN, taskList={"name": "gpu"})
    assert (gpu["count"], gpu["truncated"]) == (1, False)
    assert ready.swf.count_pending_activity_tasks(domain=DOMAIN, taskList=ACTIVITIES)["count"] == 0


def test_schedule_activity_uses_type_default_priority(ready):
    ready.register_activity_type({"name": "Ranked", "version": "1"}, defaultTaskPriority="3")

    _, events = decide_once(ready, schedule_activity("a1", {"name": "Ranked", "version": "1"}))

    assert attributes(events[1])["taskPriority"] == "3"


def failed_schedule(events, activity_id="a1", activity_type=ACTIVITY):
    """The attributes of the one ScheduleActivityTaskFailed, after checking the sequence."""
    assert event_types(events) == [
        "DecisionTaskCompleted",
        "ScheduleActivityTaskFailed",
        "DecisionTaskScheduled",
    ]
    failed = attributes(events[1])
    assert failed["activityId"] == activity_id
    assert failed["activityType"] == activity_type
    assert failed["decisionTaskCompletedEventId"] == 4
    return failed["cause"]


def test_schedule_unknown_activity_type(ready):
    missing = {"name": "Missing", "version": "1"}
    _, events = decide_once(ready, schedule_activity("a1", missing))

    assert failed_schedule(events, activity_type=missing) == "ACTIVITY_TYPE_DOES_NOT_EXIST"


def test_schedule_deleted_activity_type(ready):
    ready.swf.deprecate_activity_type(domain=DOMAIN, activityType=ACTIVITY)
    ready.swf.delete_activity_type(domain=DOMAIN, activityType=ACTIVITY)

    _, events = decide_once(ready, schedule_activity("a1"))

    assert failed_schedule(events) == "ACTIVITY_TYPE_DOES_NOT_EXIST"


def test_schedule_deprecated_activity_type(ready):
    ready.swf.deprecate_activity_type(domain=DOMAIN, activityType=ACTIVITY)

    _, events = decide_once(ready, schedule_activity("a1"))

    assert failed_schedule(events) == "ACTIVITY_TYPE_DEPRECATED"
    assert ready.swf.count_pending_activity_tasks(domain=DOMAIN, taskList=ACTIVITIES)["count"] == 0


def test_activity_id_in_use_while_open_only(ready):
    execution, events = decide_once(ready, schedule_activity("a1"), schedule_activity("a1"))

    assert event_types(events) == [
        "DecisionTaskCompleted",
        "ActivityTaskScheduled",
        "ScheduleActivityTaskFailed",
        "DecisionTaskScheduled",
    ]
    assert attributes(events[2])["cause"] == "ACTIVITY_ID_ALREADY_IN_USE"

    # Once a1 has closed, the id may be used again (AWS is silent; swfsim checks open ones).
    ready.swf.respond_activity_task_completed(taskToken=ready.poll_activity()["taskToken"])
    ready.decide(ready.poll_decision(), schedule_activity("a1"))
    assert ready.types(execution)[-1] == "ActivityTaskScheduled"


@pytest.mark.parametrize(
    ("default", "member", "cause"),
    [
        ("defaultTaskList", "taskList", "DEFAULT_TASK_LIST_UNDEFINED"),
        (
            "defaultTaskScheduleToCloseTimeout",
            "scheduleToCloseTimeout",
            "DEFAULT_SCHEDULE_TO_CLOSE_TIMEOUT_UNDEFINED",
        ),
        (
            "defaultTaskScheduleToStartTimeout",
            "scheduleToStartTimeout",
            "DEFAULT_SCHEDULE_TO_START_TIMEOUT_UNDEFINED",
        ),
        (
            "defaultTaskStartToCloseTimeout",
            "startToCloseTimeout",
            "DEFAULT_START_TO_CLOSE_TIMEOUT_UNDEFINED",
        ),
        ("defaultTaskHeartbeatTimeout", "heartbeatTimeout", "DEFAULT_HEARTBEAT_TIMEOUT_UNDEFINED"),
    ],
)
def test_schedule_activity_default_undefined(wf, default, member, cause):
    wf.register_domain()
    wf.register_workflow_type()
    wf.register_activity_type(**{default: None})
    value = {"name": "given"} if member == "taskList" else "100"

    _, events = decide_once(wf, schedule_activity("a1"), schedule_activity("a2", **{member: value}))

    assert event_types(events) == [
        "DecisionTaskCompleted",
        "ScheduleActivityTaskFailed",
        "ActivityTaskScheduled",
        "DecisionTaskScheduled",
    ]
    assert attributes(events[1])["cause"] == cause
    assert attributes(events[2])[member] == value


# ---- timers ---------------------------------------------------------------------------------


def test_timer_fires_after_its_delay(ready):
    execution, events = decide_once(ready, start_timer("t1", 60, control="retry-1"))

    assert event_types(events) == ["DecisionTaskCompleted", "TimerStarted"]
    assert attributes(events[1]) == {
        "timerId": "t1",
        "control": "retry-1",
        "startToFireTimeout": "60",
        "decisionTaskCompletedEventId": 4,
    }
    assert ready.describe(execution)["openCounts"]["openTimers"] == 1

    ready.sim.clock.advance(59)
    assert len(ready.history(execution)) == 5
    ready.sim.clock.advance(1)

    fired = ready.history(execution)[5:]
    assert [(e["eventType"], e["eventTimestamp"]) for e in fired] == [
        ("TimerFired", START + timedelta(seconds=60)),
        ("DecisionTaskScheduled", START + timedelta(seconds=60)),
    ]
    assert attributes(fired[0]) == {"timerId": "t1", "startedEventId": 5}
    assert ready.describe(execution)["openCounts"]["openTimers"] == 0


def test_long_poll_returns_when_a_timer_fires(ready):
    decide_once(ready, start_timer("t1", 45))

    task = ready.poll_decision()

    assert ready.sim.clock.now() == START + timedelta(seconds=45)
    assert event_types(task["events"])[-3:] == [
        "TimerFired",
        "DecisionTaskScheduled",
        "DecisionTaskStarted",
    ]


def test_zero_second_timer_fires_at_once(ready):
    execution, _ = decide_once(ready, start_timer("now", 0))

    assert ready.types(execution)[-2:] == ["TimerFired", "DecisionTaskScheduled"]
    assert ready.sim.clock.now() == START


def test_timer_id_in_use_while_open_only(ready):
    execution, events = decide_once(ready, start_timer("t", 10), start_timer("t", 20))

    assert event_types(events) == [
        "DecisionTaskCompleted",
        "TimerStarted",
        "StartTimerFailed",
        "DecisionTaskScheduled",
    ]
    assert attributes(events[2]) == {
        "timerId": "t",
        "cause": "TIMER_ID_ALREADY_IN_USE",
        "decisionTaskCompletedEventId": 4,
    }

    ready.decide(ready.poll_decision())  # handles the failure
    ready.sim.clock.advance(10)
    ready.decide(ready.poll_decision(), start_timer("t", 10))  # fired timers free their id
    assert ready.types(execution)[-1] == "TimerStarted"


def test_cancel_timer(ready):
    execution, events = decide_once(ready, start_timer("t", 60), cancel_timer("t"))

    assert event_types(events) == ["DecisionTaskCompleted", "TimerStarted", "TimerCanceled"]
    assert attributes(events[2]) == {
        "timerId": "t",
        "startedEventId": 5,
        "decisionTaskCompletedEventId": 4,
    }
    ready.sim.clock.advance(600)
    assert len(ready.history(execution)) == 6  # never fires, no decision task
    assert ready.describe(execution)["openCounts"]["openTimers"] == 0


def test_cancel_unknown_or_fired_timer(ready):
    execution, events = decide_once(ready, cancel_timer("never"), start_timer("t", 5))

    assert event_types(events) == [
        "DecisionTaskCompleted",
        "CancelTimerFailed",
        "TimerStarted",
        "DecisionTaskScheduled",
    ]
    assert attributes(events[1]) == {
        "timerId": "never",
        "cause": "TIMER_ID_UNKNOWN",
        "decisionTaskCompletedEventId": 4,
    }

    ready.sim.clock.advance(5)
    task = ready.poll_decision()
    ready.decide(task, cancel_timer("t"))
    assert ready.types(execution)[-3:] == [
        "DecisionTaskCompleted",
        "CancelTimerFailed",
        "DecisionTaskScheduled",
    ]


# ---- markers and closing ----------------------------------------------------------------------


def test_markers_do_not_schedule_a_decision_task(ready):
    execution, events = decide_once(
        ready, record_marker("checkpoint", details="step 1"), record_marker("checkpoint")
    )

    assert event_types(events) == ["DecisionTaskCompleted", "MarkerRecorded", "MarkerRecorded"]
    assert attributes(events[1]) == {
        "markerName": "checkpoint",
        "details": "step 1",
        "decisionTaskCompletedEventId": 4,
    }
    assert attributes(events[2]) == {"markerName": "checkpoint", "decisionTaskCompletedEventId": 4}
    assert ready.swf.count_pending_decision_tasks(domain=DOMAIN, taskList=DECISIONS)["count"] == 0
    assert ready.describe(execution)["openCounts"]["openDecisionTasks"] == 0


def test_fail_workflow_execution(ready):
    execution, events = decide_once(ready, fail(reason="card declined", details="code 51"))

    assert event_types(events) == ["DecisionTaskCompleted", "WorkflowExecutionFailed"]
    assert attributes(events[1]) == {
        "reason": "card declined",
        "details": "code 51",
        "decisionTaskCompletedEventId": 4,
    }
    assert ready.describe(execution)["executionInfo"]["closeStatus"] == "FAILED"


def test_closing_discards_open_work(ready):
    execution, _ = decide_once(
        ready, schedule_activity("a1"), schedule_activity("a2"), start_timer("t", 5)
    )
    started = ready.poll_activity()
    ready.swf.signal_workflow_execution(domain=DOMAIN, workflowId="order-1", signalName="s")
    ready.swf.terminate_workflow_execution(domain=DOMAIN, workflowId="order-1")
    length = len(ready.history(execution))

    ready.sim.clock.advance(10)

    assert len(ready.history(execution)) == length
    assert ready.swf.count_pending_activity_tasks(domain=DOMAIN, taskList=ACTIVITIES)["count"] == 0
    assert ready.swf.count_pending_decision_tasks(domain=DOMAIN, taskList=DECISIONS)["count"] == 0
    with pytest.raises(ready.swf.exceptions.UnknownResourceFault, match="task token"):
        ready.swf.respond_activity_task_completed(taskToken=started["taskToken"])
    with pytest.raises(ready.swf.exceptions.UnknownResourceFault, match="task token"):
        ready.swf.record_activity_task_heartbeat(taskToken=started["taskToken"])


def test_execution_context_is_recorded(ready):
    _, events = decide_once(ready, executionContext='{"step": 1}')

    assert attributes(events[0]) == {
        "executionContext": '{"step": 1}',
        "scheduledEventId": 2,
        "startedEventId": 3,
    }


# ---- whole-request rejection ------------------------------------------------------------------


def assert_rejected_without_effect(driver, decisions, match, **params):
    """The call is refused as a whole: no event, and the task stays started and answerable."""
    execution = driver.start()
    task = driver.poll_decision()
    with raises_validation(match):
        driver.decide(task, *decisions, **params)
    assert len(driver.history(execution)) == 3
    driver.decide(task, complete())
    assert driver.types(execution)[-1] == "WorkflowExecutionCompleted"


def test_close_decision_must_be_last(ready):
    assert_rejected_without_effect(
        ready,
        [record_marker("a"), complete(), record_marker("b")],
        "CompleteWorkflowExecution.*decisions.2.member.*must be the last decision",
    )


def test_two_close_decisions_are_rejected(ready):
    assert_rejected_without_effect(ready, [complete(), fail()], "decisions.1.member.*last decision")


def test_unknown_decision_type(ready):
    assert_rejected_without_effect(
        ready,
        [{"decisionType": "LaunchRocket"}],
        "Value 'LaunchRocket' at 'decisions.1.member.decisionType' .*enum value set",
    )


def test_attributes_of_another_decision_type(ready):
    decision = {
        **record_marker("m"),
        "startTimerDecisionAttributes": {"timerId": "t", "startToFireTimeout": "1"},
    }
    assert_rejected_without_effect(
        ready, [decision], "decisions.1.member.startTimerDecisionAttributes"
    )


def test_missing_attributes(ready):
    assert_rejected_without_effect(
        ready,
        [{"decisionType": "StartTimer"}],
        "Value null at 'decisions.1.member.startTimerDecisionAttributes' .*must not be null",
    )


@pytest.mark.parametrize(
    ("decision", "match"),
    [
        (
            start_timer("a:b", 5),
            "'a:b' at 'decisions.1.member.startTimerDecisionAttributes.timerId'",
        ),
        (
            start_timer("arn", 5),
            "'arn' at 'decisions.1.member.startTimerDecisionAttributes.timerId'",
        ),
        (
            {
                **start_timer("t", 5),
                "startTimerDecisionAttributes": {"timerId": "t", "startToFireTimeout": "soon"},
            },
            "'soon' at .*startToFireTimeout",
        ),
        (
            {
                **start_timer("t", 5),
                "startTimerDecisionAttributes": {"timerId": "t", "startToFireTimeout": "NONE"},
            },
            "'NONE' at .*startToFireTimeout",
        ),
        (schedule_activity("a/1"), "'a/1' at .*scheduleActivityTaskDecisionAttributes.activityId"),
        (schedule_activity("a1", taskList={"name": "x|y"}), "at .*taskList.name"),
        (schedule_activity("a1", heartbeatTimeout="1h"), "'1h' at .*heartbeatTimeout"),
        (record_marker("m" * 257), "markerName' .*256"),
        (fail(reason="r" * 257), "failWorkflowExecutionDecisionAttributes.reason' .*256"),
    ],
)
def test_invalid_decision_attributes(ready, decision, match):
    assert_rejected_without_effect(ready, [decision], match)


def test_invalid_execution_context(ready):
    assert_rejected_without_effect(
        ready, [], "at 'executionContext' .*32768", executionContext="x" * 32769
    )
