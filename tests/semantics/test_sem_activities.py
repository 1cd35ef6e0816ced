"""Activity tasks: scheduling, results, the four timeouts, heartbeats, cancellation, quotas and
dispatch order (SWF API Reference: the activity operations and decisions; Developer Guide:
swf-timeout-types.html, swf-dg-task-cancellation.html, swf-dev-task-lists.html)."""

from __future__ import annotations

from typing import Any

from sem_support import (
    ACTIVITY,
    ACTIVITY_DEFAULTS,
    DOMAIN,
    WORKERS,
    Flow,
    JsonDict,
    at,
    covers,
    fault,
    request_cancel_activity,
    schedule_activity,
)

# What ActivityTaskScheduled holds for ACTIVITY scheduled by the first decision task (event 4)
# with nothing but its id: every value resolved from the type's defaults.
SCHEDULED = {
    "activityType": ACTIVITY,
    "activityId": "a1",
    "taskList": WORKERS,
    "scheduleToStartTimeout": "300",
    "scheduleToCloseTimeout": "600",
    "startToCloseTimeout": "300",
    "heartbeatTimeout": "NONE",
    "decisionTaskCompletedEventId": 4,
}
BLOCK = ["WorkflowExecutionStarted", "DecisionTaskScheduled", "DecisionTaskStarted"]


def _scheduled(flow: Flow, **attrs: Any) -> str:
    """A run whose first decision scheduled activity a1 (event 5); its runId."""
    run_id = flow.start("w")
    flow.decide(schedule_activity("a1", **attrs))
    return run_id


@covers("ActivityTaskScheduled", "ActivityTaskStarted", "ActivityTaskCompleted")
def test_activity_completed(flow: Flow) -> None:
    run_id = _scheduled(flow, input="in", control="ctl")
    task = flow.poll_activity(identity="worker-1")
    assert {key: task[key] for key in ("activityId", "startedEventId", "input")} == {
        "activityId": "a1",
        "startedEventId": 6,
        "input": "in",
    }
    assert task["workflowExecution"] == {"workflowId": "w", "runId": run_id}
    assert "control" not in task  # never sent to workers
    flow.client.respond_activity_task_completed(taskToken=task["taskToken"], result="out")
    history = flow.history("w", run_id)
    assert history.types == [
        *BLOCK,
        "DecisionTaskCompleted",
        "ActivityTaskScheduled",
        "ActivityTaskStarted",
        "ActivityTaskCompleted",
        "DecisionTaskScheduled",
    ]
    assert history[5] == {**SCHEDULED, "input": "in", "control": "ctl"}
    assert history[6] == {"identity": "worker-1", "scheduledEventId": 5}
    assert history[7] == {"result": "out", "scheduledEventId": 5, "startedEventId": 6}
    with fault("UnknownResourceFault"):
        flow.client.respond_activity_task_completed(taskToken=task["taskToken"])


@covers("ActivityTaskFailed")
def test_activity_failed(flow: Flow) -> None:
    run_id = _scheduled(flow)
    task = flow.poll_activity()
    flow.client.respond_activity_task_failed(
        taskToken=task["taskToken"], reason="bad input", details="trace"
    )
    history = flow.history("w", run_id)
    assert history.types[6:] == ["ActivityTaskFailed", "DecisionTaskScheduled"]
    assert history[7] == {
        "reason": "bad input",
        "details": "trace",
        "scheduledEventId": 5,
        "startedEventId": 6,
    }


# ---- the four timeouts (swf-timeout-types.html) --------------------------------------------


def _assert_refused(flow: Flow, token: str) -> None:
    """Every call with the token of a timed-out task answers UnknownResourceFault."""
    with fault("UnknownResourceFault"):
        flow.client.record_activity_task_heartbeat(taskToken=token)
    with fault("UnknownResourceFault"):
        flow.client.respond_activity_task_completed(taskToken=token, result="late")
    with fault("UnknownResourceFault"):
        flow.client.respond_activity_task_failed(taskToken=token)
    with fault("UnknownResourceFault"):
        flow.client.respond_activity_task_canceled(taskToken=token)


@covers("ActivityTaskTimedOut", timeouts=("ActivityTaskTimeoutType.SCHEDULE_TO_START",))
def test_activity_schedule_to_start_timeout(flow: Flow) -> None:
    run_id = _scheduled(flow, scheduleToStartTimeout="30")
    flow.sim.clock.advance(29)
    assert flow.pending_activities() == 1
    flow.sim.clock.advance(1)
    history = flow.history("w", run_id)
    assert history.types[4:] == [
        "ActivityTaskScheduled",
        "ActivityTaskTimedOut",
        "DecisionTaskScheduled",
    ]
    assert history[5] == {**SCHEDULED, "scheduleToStartTimeout": "30"}
    assert history[6] == {
        "timeoutType": "SCHEDULE_TO_START",
        "scheduledEventId": 5,
        "startedEventId": 0,
    }
    assert history.time(6) == history.time(7) == at(30)
    # Never handed to a worker afterwards.
    assert flow.pending_activities() == 0
    empty = flow.client.poll_for_activity_task(domain=DOMAIN, taskList=WORKERS)
    assert "taskToken" not in empty


@covers("ActivityTaskTimedOut", timeouts=("ActivityTaskTimeoutType.SCHEDULE_TO_CLOSE",))
def test_activity_schedule_to_close_timeout(flow: Flow) -> None:
    run_id = _scheduled(flow, scheduleToCloseTimeout="100")
    flow.sim.clock.advance(40)
    task = flow.poll_activity()
    flow.sim.clock.advance(60)
    history = flow.history("w", run_id)
    assert history.types[4:] == [
        "ActivityTaskScheduled",
        "ActivityTaskStarted",
        "ActivityTaskTimedOut",
        "DecisionTaskScheduled",
    ]
    assert history[7] == {
        "timeoutType": "SCHEDULE_TO_CLOSE",
        "scheduledEventId": 5,
        "startedEventId": 6,
    }
    assert (history.time(6), history.time(7)) == (at(40), at(100))
    _assert_refused(flow, task["taskToken"])


@covers("ActivityTaskTimedOut", timeouts=("ActivityTaskTimeoutType.START_TO_CLOSE",))
def test_activity_start_to_close_timeout_is_not_extended_by_heartbeats(flow: Flow) -> None:
    run_id = _scheduled(flow, startToCloseTimeout="50")
    task = flow.poll_activity()
    flow.sim.clock.advance(45)
    beat = flow.client.record_activity_task_heartbeat(taskToken=task["taskToken"], details="90%")
    assert beat["cancelRequested"] is False
    flow.sim.clock.advance(5)
    history = flow.history("w", run_id)
    assert history.types[6:] == ["ActivityTaskTimedOut", "DecisionTaskScheduled"]
    assert history[7] == {
        "timeoutType": "START_TO_CLOSE",
        "scheduledEventId": 5,
        "startedEventId": 6,
        "details": "90%",
    }
    assert history.time(7) == at(50)
    _assert_refused(flow, task["taskToken"])


@covers("ActivityTaskTimedOut", timeouts=("ActivityTaskTimeoutType.HEARTBEAT",))
def test_activity_heartbeat_timeout_reset_by_each_heartbeat(flow: Flow) -> None:
    run_id = _scheduled(flow, heartbeatTimeout="20")
    task = flow.poll_activity()
    token = task["taskToken"]
    flow.sim.clock.advance(15)
    flow.client.record_activity_task_heartbeat(taskToken=token, details="25%")
    flow.sim.clock.advance(15)  # 30 s after the start: alive thanks to the heartbeat at 15
    flow.client.record_activity_task_heartbeat(taskToken=token, details="50%")
    flow.client.record_activity_task_heartbeat(taskToken=token)  # no details: keeps "50%"
    flow.sim.clock.advance(19.999)
    assert len(flow.history("w", run_id)) == 6
    flow.sim.clock.advance(0.001)
    history = flow.history("w", run_id)
    assert history.types[6:] == ["ActivityTaskTimedOut", "DecisionTaskScheduled"]
    assert history[7] == {
        "timeoutType": "HEARTBEAT",
        "scheduledEventId": 5,
        "startedEventId": 6,
        "details": "50%",
    }
    assert history.time(7) == at(50)
    _assert_refused(flow, token)


# ---- cancellation (swf-dg-task-cancellation.html) ------------------------------------------


@covers("ActivityTaskCancelRequested", "ActivityTaskCanceled")
def test_cancel_of_an_activity_not_yet_started(flow: Flow) -> None:
    run_id = _scheduled(flow)
    flow.signal("w", "cancel it")
    flow.decide(request_cancel_activity("a1"))
    history = flow.history("w", run_id)
    assert history.types[4:] == [
        "ActivityTaskScheduled",
        "WorkflowExecutionSignaled",
        "DecisionTaskScheduled",
        "DecisionTaskStarted",
        "DecisionTaskCompleted",
        "ActivityTaskCancelRequested",
        "ActivityTaskCanceled",
        "DecisionTaskScheduled",
    ]
    assert history[10] == {"activityId": "a1", "decisionTaskCompletedEventId": 9}
    assert history[11] == {
        "scheduledEventId": 5,
        "startedEventId": 0,
        "latestCancelRequestedEventId": 10,
    }
    assert flow.pending_activities() == 0


@covers("ActivityTaskCancelRequested", "ActivityTaskCanceled")
def test_cancel_of_a_started_activity(flow: Flow) -> None:
    run_id = _scheduled(flow)
    task = flow.poll_activity()
    token = task["taskToken"]
    assert flow.client.record_activity_task_heartbeat(taskToken=token)["cancelRequested"] is False
    flow.signal("w", "cancel it")
    flow.decide(request_cancel_activity("a1"))
    # Still open: only the worker can cancel it now.
    assert flow.history("w", run_id).types[-1] == "ActivityTaskCancelRequested"
    assert flow.client.record_activity_task_heartbeat(taskToken=token)["cancelRequested"] is True
    flow.client.respond_activity_task_canceled(taskToken=token, details="stopped")
    history = flow.history("w", run_id)
    assert history.types[4:] == [
        "ActivityTaskScheduled",
        "ActivityTaskStarted",
        "WorkflowExecutionSignaled",
        "DecisionTaskScheduled",
        "DecisionTaskStarted",
        "DecisionTaskCompleted",
        "ActivityTaskCancelRequested",
        "ActivityTaskCanceled",
        "DecisionTaskScheduled",
    ]
    assert history[11] == {"activityId": "a1", "decisionTaskCompletedEventId": 10}
    assert history[12] == {
        "details": "stopped",
        "scheduledEventId": 5,
        "startedEventId": 6,
        "latestCancelRequestedEventId": 11,
    }


@covers(
    "RequestCancelActivityTaskFailed",
    causes=("RequestCancelActivityTaskFailedCause.ACTIVITY_ID_UNKNOWN",),
)
def test_request_cancel_of_an_unknown_activity_fails(flow: Flow) -> None:
    run_id = _scheduled(flow)
    task = flow.poll_activity()
    flow.client.respond_activity_task_completed(taskToken=task["taskToken"])
    # a1 is closed now: canceling it is canceling an unknown activity.
    flow.decide(request_cancel_activity("a1"), request_cancel_activity("ghost"))
    history = flow.history("w", run_id)
    assert history.types[7:] == [
        "DecisionTaskScheduled",
        "DecisionTaskStarted",
        "DecisionTaskCompleted",
        "RequestCancelActivityTaskFailed",
        "RequestCancelActivityTaskFailed",
        "DecisionTaskScheduled",
    ]
    assert history[11] == {
        "activityId": "a1",
        "cause": "ACTIVITY_ID_UNKNOWN",
        "decisionTaskCompletedEventId": 10,
    }
    assert history[12] == {
        "activityId": "ghost",
        "cause": "ACTIVITY_ID_UNKNOWN",
        "decisionTaskCompletedEventId": 10,
    }


# ---- ScheduleActivityTaskFailed (API Reference: ScheduleActivityTaskFailedEventAttributes) --

BARE = {"name": "Bare", "version": "1"}  # an activity type registered without any default
EVERY_SETTING = {
    "taskList": WORKERS,
    "scheduleToCloseTimeout": "600",
    "scheduleToStartTimeout": "300",
    "startToCloseTimeout": "300",
    "heartbeatTimeout": "NONE",
}


def _schedule_fails(flow: Flow, decision: JsonDict, cause: str, activity_type: JsonDict) -> None:
    run_id = flow.start("w")
    flow.decide(decision)
    history = flow.history("w", run_id)
    assert history.types == [
        *BLOCK,
        "DecisionTaskCompleted",
        "ScheduleActivityTaskFailed",
        "DecisionTaskScheduled",
    ]
    assert history[5] == {
        "activityType": activity_type,
        "activityId": "a1",
        "cause": cause,
        "decisionTaskCompletedEventId": 4,
    }
    assert flow.pending_activities() == 0


@covers(
    "ScheduleActivityTaskFailed",
    causes=("ScheduleActivityTaskFailedCause.ACTIVITY_TYPE_DOES_NOT_EXIST",),
)
def test_schedule_activity_of_an_unknown_type(flow: Flow) -> None:
    unknown = {"name": "Work", "version": "2"}
    _schedule_fails(flow, schedule_activity("a1", unknown), "ACTIVITY_TYPE_DOES_NOT_EXIST", unknown)


@covers(
    "ScheduleActivityTaskFailed",
    causes=("ScheduleActivityTaskFailedCause.ACTIVITY_TYPE_DEPRECATED",),
)
def test_schedule_activity_of_a_deprecated_type(flow: Flow) -> None:
    flow.client.deprecate_activity_type(domain=DOMAIN, activityType=ACTIVITY)
    _schedule_fails(flow, schedule_activity("a1"), "ACTIVITY_TYPE_DEPRECATED", ACTIVITY)


@covers(
    "ScheduleActivityTaskFailed",
    causes=("ScheduleActivityTaskFailedCause.ACTIVITY_ID_ALREADY_IN_USE",),
)
def test_schedule_activity_with_an_open_activity_id(flow: Flow) -> None:
    run_id = flow.start("w")
    flow.decide(schedule_activity("a1"), schedule_activity("a1", input="second"))
    history = flow.history("w", run_id)
    assert history.types[3:] == [
        "DecisionTaskCompleted",
        "ActivityTaskScheduled",
        "ScheduleActivityTaskFailed",
        "DecisionTaskScheduled",
    ]
    assert history[6] == {
        "activityType": ACTIVITY,
        "activityId": "a1",
        "cause": "ACTIVITY_ID_ALREADY_IN_USE",
        "decisionTaskCompletedEventId": 4,
    }
    # Once closed, the id may be used again: AWS does not say; swfsim checks open activities,
    # as StartTimer's TIMER_ID_ALREADY_IN_USE does for timers.
    task = flow.poll_activity()
    flow.client.respond_activity_task_completed(taskToken=task["taskToken"])
    flow.decide(schedule_activity("a1"))
    assert flow.history("w", run_id).types[-1] == "ActivityTaskScheduled"


@covers(
    "ScheduleActivityTaskFailed",
    causes=("ScheduleActivityTaskFailedCause.OPEN_ACTIVITIES_LIMIT_EXCEEDED",),
)
def test_schedule_activity_beyond_1000_open_activities(flow: Flow) -> None:
    run_id = flow.start("w")
    flow.decide(*(schedule_activity(f"a{index}") for index in range(1001)))
    history = flow.history("w", run_id)
    assert history.types == [
        *BLOCK,
        "DecisionTaskCompleted",
        *["ActivityTaskScheduled"] * 1000,
        "ScheduleActivityTaskFailed",
        "DecisionTaskScheduled",
    ]
    assert history[1005] == {
        "activityType": ACTIVITY,
        "activityId": "a1000",
        "cause": "OPEN_ACTIVITIES_LIMIT_EXCEEDED",
        "decisionTaskCompletedEventId": 4,
    }
    # Scheduled and started tasks both count (swf-dg-limits.html).
    flow.poll_activity()
    assert flow.describe("w", run_id)["openCounts"]["openActivityTasks"] == 1000


def _without(setting: str) -> JsonDict:
    values = {key: value for key, value in EVERY_SETTING.items() if key != setting}
    return schedule_activity("a1", BARE, **values)


def _register_bare(flow: Flow) -> None:
    flow.register_activity_type(BARE)


@covers(
    "ScheduleActivityTaskFailed",
    causes=("ScheduleActivityTaskFailedCause.DEFAULT_TASK_LIST_UNDEFINED",),
)
def test_schedule_activity_without_a_task_list(flow: Flow) -> None:
    _register_bare(flow)
    _schedule_fails(flow, _without("taskList"), "DEFAULT_TASK_LIST_UNDEFINED", BARE)


@covers(
    "ScheduleActivityTaskFailed",
    causes=("ScheduleActivityTaskFailedCause.DEFAULT_SCHEDULE_TO_CLOSE_TIMEOUT_UNDEFINED",),
)
def test_schedule_activity_without_a_schedule_to_close_timeout(flow: Flow) -> None:
    _register_bare(flow)
    _schedule_fails(
        flow,
        _without("scheduleToCloseTimeout"),
        "DEFAULT_SCHEDULE_TO_CLOSE_TIMEOUT_UNDEFINED",
        BARE,
    )


@covers(
    "ScheduleActivityTaskFailed",
    causes=("ScheduleActivityTaskFailedCause.DEFAULT_SCHEDULE_TO_START_TIMEOUT_UNDEFINED",),
)
def test_schedule_activity_without_a_schedule_to_start_timeout(flow: Flow) -> None:
    _register_bare(flow)
    _schedule_fails(
        flow,
        _without("scheduleToStartTimeout"),
        "DEFAULT_SCHEDULE_TO_START_TIMEOUT_UNDEFINED",
        BARE,
    )


@covers(
    "ScheduleActivityTaskFailed",
    causes=("ScheduleActivityTaskFailedCause.DEFAULT_START_TO_CLOSE_TIMEOUT_UNDEFINED",),
)
def test_schedule_activity_without_a_start_to_close_timeout(flow: Flow) -> None:
    _register_bare(flow)
    _schedule_fails(
        flow, _without("startToCloseTimeout"), "DEFAULT_START_TO_CLOSE_TIMEOUT_UNDEFINED", BARE
    )


@covers(
    "ScheduleActivityTaskFailed",
    causes=("ScheduleActivityTaskFailedCause.DEFAULT_HEARTBEAT_TIMEOUT_UNDEFINED",),
)
def test_schedule_activity_without_a_heartbeat_timeout(flow: Flow) -> None:
    # The heartbeat timeout must be resolvable, like the others (the model has
    # DEFAULT_HEARTBEAT_TIMEOUT_UNDEFINED).
    _register_bare(flow)
    _schedule_fails(flow, _without("heartbeatTimeout"), "DEFAULT_HEARTBEAT_TIMEOUT_UNDEFINED", BARE)


# ---- dispatch order (programming-priority.html, swf-dev-task-lists.html) ----------------------


def test_activity_tasks_are_handed_out_by_priority_then_in_order(flow: Flow) -> None:
    run_id = flow.start("w")
    priorities = {"low": "1", "high-1": "10", "mid": "5", "high-2": "10", "none": None}
    priorities["negative"] = "-2"
    flow.decide(
        *(
            schedule_activity(activity_id, **({"taskPriority": p} if p else {}))
            for activity_id, p in priorities.items()
        )
    )
    handed_out = [flow.poll_activity()["activityId"] for _ in priorities]
    assert handed_out == ["high-1", "high-2", "mid", "low", "none", "negative"]
    history = flow.history("w", run_id)
    assert history[5] == {**SCHEDULED, "activityId": "low", "taskPriority": "1"}
    # No priority given and none defaulted: the member is absent (real-aws README #17).
    assert history[9] == {**SCHEDULED, "activityId": "none"}


def test_activity_type_default_priority_applies(flow: Flow) -> None:
    ranked = {"name": "Ranked", "version": "1"}
    flow.register_activity_type(ranked, **ACTIVITY_DEFAULTS, defaultTaskPriority="4")
    run_id = flow.start("w")
    flow.decide(
        schedule_activity("plain", taskPriority="3"),
        schedule_activity("ranked", ranked),
        schedule_activity("overridden", ranked, taskPriority="2"),
    )
    assert [flow.poll_activity()["activityId"] for _ in range(3)] == [
        "ranked",
        "plain",
        "overridden",
    ]
    history = flow.history("w", run_id)
    assert [history[event_id].get("taskPriority") for event_id in (5, 6, 7)] == ["3", "4", "2"]


# ---- more cancellation and closing rules ------------------------------------------------------


def test_repeated_cancel_requests_point_at_the_latest(flow: Flow) -> None:
    run_id = _scheduled(flow)
    token = flow.poll_activity()["taskToken"]
    for signal_name in ("first", "second"):
        flow.signal("w", signal_name)
        flow.decide(request_cancel_activity("a1"))
    flow.client.respond_activity_task_canceled(taskToken=token)
    history = flow.history("w", run_id)
    requests = history.ids("ActivityTaskCancelRequested")
    assert requests == [11, 16]
    assert history.last()["eventType"] == "DecisionTaskScheduled"
    assert history[17] == {
        "scheduledEventId": 5,
        "startedEventId": 6,
        "latestCancelRequestedEventId": 16,
    }


def test_activity_canceled_without_a_request(flow: Flow) -> None:
    # Accepted (AWS advises against it, but does not say it refuses it); no request to point at.
    run_id = _scheduled(flow)
    token = flow.poll_activity()["taskToken"]
    flow.client.respond_activity_task_canceled(taskToken=token, details="gave up")
    history = flow.history("w", run_id)
    assert history.types[6:] == ["ActivityTaskCanceled", "DecisionTaskScheduled"]
    assert history[7] == {"details": "gave up", "scheduledEventId": 5, "startedEventId": 6}


def test_simultaneous_expiry_reports_schedule_to_start(flow: Flow) -> None:
    # AWS does not say; swfsim reports SCHEDULE_TO_START > SCHEDULE_TO_CLOSE > START_TO_CLOSE >
    # HEARTBEAT.
    run_id = _scheduled(flow, scheduleToStartTimeout="30", scheduleToCloseTimeout="30")
    flow.sim.clock.advance(30)
    history = flow.history("w", run_id)
    assert history.types[5:] == ["ActivityTaskTimedOut", "DecisionTaskScheduled"]
    assert history[6]["timeoutType"] == "SCHEDULE_TO_START"


def test_start_to_close_and_heartbeat_due_together_report_start_to_close(flow: Flow) -> None:
    run_id = _scheduled(flow, startToCloseTimeout="40", heartbeatTimeout="40")
    flow.poll_activity()
    flow.sim.clock.advance(40)
    history = flow.history("w", run_id)
    assert history.types[6:] == ["ActivityTaskTimedOut", "DecisionTaskScheduled"]
    assert history[7]["timeoutType"] == "START_TO_CLOSE"


def test_closing_the_run_ends_its_activity_tasks(flow: Flow) -> None:
    # Waiting tasks leave their list, started ones lose their token (a closed run takes only
    # visibility calls, swf-timeout-types.html).
    run_id = flow.start("w")
    flow.decide(schedule_activity("started"), schedule_activity("waiting"))
    token = flow.poll_activity()["taskToken"]
    assert flow.pending_activities() == 1
    flow.terminate("w")
    assert flow.pending_activities() == 0
    _assert_refused(flow, token)
    assert flow.history("w", run_id).types[-1] == "WorkflowExecutionTerminated"
