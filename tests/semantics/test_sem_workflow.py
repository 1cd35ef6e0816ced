"""Workflow executions and decision tasks: start, close, signal, cancel, terminate, time out
(SWF API Reference: the operations and decisions of each; Developer Guide:
swf-dev-workflow-exec-lifecycle.html, swf-dg-dev-deciders.html, swf-timeout-types.html)."""

from __future__ import annotations

from sem_support import (
    DECIDERS,
    DOMAIN,
    WORKFLOW,
    Flow,
    at,
    cancel,
    cancel_timer,
    complete,
    continue_as_new,
    covers,
    fail,
    fault,
    record_marker,
    start_timer,
)

STARTED = {
    "executionStartToCloseTimeout": "3600",
    "taskStartToCloseTimeout": "60",
    "childPolicy": "TERMINATE",
    "taskList": DECIDERS,
    "workflowType": WORKFLOW,
    "parentInitiatedEventId": 0,
}
SCHEDULED = {"taskList": DECIDERS, "startToCloseTimeout": "60", "scheduleToStartTimeout": "NONE"}


@covers(
    "WorkflowExecutionStarted",
    "DecisionTaskScheduled",
    "DecisionTaskStarted",
    "DecisionTaskCompleted",
    "WorkflowExecutionCompleted",
)
def test_start_decide_and_complete(flow: Flow) -> None:
    run_id = flow.start("w", input="in", tagList=["t1"])
    first = flow.poll_decision(identity="decider-1")
    assert (first["startedEventId"], first["previousStartedEventId"]) == (3, 0)
    assert first["workflowExecution"] == {"workflowId": "w", "runId": run_id}
    assert [event["eventType"] for event in first["events"]] == [
        "WorkflowExecutionStarted",
        "DecisionTaskScheduled",
        "DecisionTaskStarted",
    ]
    flow.respond(first, start_timer("tick", 10), executionContext="ctx-1")
    flow.sim.clock.advance(10)
    second = flow.decide(complete(result="done"))
    assert (second["startedEventId"], second["previousStartedEventId"]) == (8, 3)

    history = flow.history("w", run_id)
    assert history.types == [
        "WorkflowExecutionStarted",
        "DecisionTaskScheduled",
        "DecisionTaskStarted",
        "DecisionTaskCompleted",
        "TimerStarted",
        "TimerFired",
        "DecisionTaskScheduled",
        "DecisionTaskStarted",
        "DecisionTaskCompleted",
        "WorkflowExecutionCompleted",
    ]
    assert history[1] == {**STARTED, "input": "in", "tagList": ["t1"]}
    assert history[2] == SCHEDULED
    assert history[3] == {"identity": "decider-1", "scheduledEventId": 2}
    assert history[4] == {"executionContext": "ctx-1", "scheduledEventId": 2, "startedEventId": 3}
    assert history[8] == {"scheduledEventId": 7}
    assert history[9] == {"scheduledEventId": 7, "startedEventId": 8}
    assert history[10] == {"result": "done", "decisionTaskCompletedEventId": 9}
    assert history.time(10) == at(10)
    info = flow.describe("w", run_id)["executionInfo"]
    assert (info["executionStatus"], info["closeStatus"]) == ("CLOSED", "COMPLETED")


@covers("WorkflowExecutionFailed")
def test_fail_workflow_execution(flow: Flow) -> None:
    run_id = flow.start("w")
    flow.decide(fail(reason="broken", details="stack"))
    history = flow.history("w", run_id)
    assert history.types[3:] == ["DecisionTaskCompleted", "WorkflowExecutionFailed"]
    assert history[5] == {"reason": "broken", "details": "stack", "decisionTaskCompletedEventId": 4}
    assert flow.describe("w", run_id)["executionInfo"]["closeStatus"] == "FAILED"


@covers("WorkflowExecutionCancelRequested", "WorkflowExecutionCanceled")
def test_cancel_request_then_cancel_workflow_execution(flow: Flow) -> None:
    run_id = flow.start("w")
    flow.decide()
    flow.request_cancel("w")
    assert flow.describe("w", run_id)["executionInfo"]["cancelRequested"] is True
    flow.decide(cancel(details="cleaned up"))
    history = flow.history("w", run_id)
    assert history.types[3:] == [
        "DecisionTaskCompleted",
        "WorkflowExecutionCancelRequested",
        "DecisionTaskScheduled",
        "DecisionTaskStarted",
        "DecisionTaskCompleted",
        "WorkflowExecutionCanceled",
    ]
    # From the API: no external execution, no cause (real AWS histories, real-aws README #19).
    assert history[5] == {"externalInitiatedEventId": 0}
    assert history[9] == {"details": "cleaned up", "decisionTaskCompletedEventId": 8}
    info = flow.describe("w", run_id)["executionInfo"]
    assert info["closeStatus"] == "CANCELED"
    assert info["cancelRequested"] is False  # real AWS reports false once closed


@covers("WorkflowExecutionSignaled")
def test_signal_workflow_execution(flow: Flow) -> None:
    run_id = flow.start("w")
    flow.decide()
    flow.signal("w", "go", input="payload")
    flow.signal("w", "again")  # a decision task is already scheduled: no second one
    history = flow.history("w", run_id)
    assert history.types[4:] == [
        "WorkflowExecutionSignaled",
        "DecisionTaskScheduled",
        "WorkflowExecutionSignaled",
    ]
    assert history[5] == {"signalName": "go", "input": "payload", "externalInitiatedEventId": 0}
    assert history[7] == {"signalName": "again", "externalInitiatedEventId": 0}


@covers("WorkflowExecutionTerminated")
def test_terminate_workflow_execution(flow: Flow) -> None:
    run_id = flow.start("w")
    task = flow.poll_decision()
    flow.terminate("w", reason="operator", details="why")
    history = flow.history("w", run_id)
    assert history.types == [
        "WorkflowExecutionStarted",
        "DecisionTaskScheduled",
        "DecisionTaskStarted",
        "WorkflowExecutionTerminated",
    ]
    # An API termination carries no cause: its documentation sets one for automatic ones only.
    assert history[4] == {"reason": "operator", "details": "why", "childPolicy": "TERMINATE"}
    with fault("UnknownResourceFault"):
        flow.respond(task, complete())
    assert flow.describe("w", run_id)["executionInfo"]["closeStatus"] == "TERMINATED"


@covers("WorkflowExecutionTimedOut", timeouts=("WorkflowExecutionTimeoutType.START_TO_CLOSE",))
def test_workflow_execution_start_to_close_timeout(flow: Flow) -> None:
    run_id = flow.start("w", executionStartToCloseTimeout="100", childPolicy="ABANDON")
    flow.decide(start_timer("late", 500))
    flow.sim.clock.advance(99)
    task = None
    flow.signal("w", "s")
    task = flow.poll_decision()
    flow.sim.clock.advance(1)
    history = flow.history("w", run_id)
    assert history.types[4:] == [
        "TimerStarted",
        "WorkflowExecutionSignaled",
        "DecisionTaskScheduled",
        "DecisionTaskStarted",
        "WorkflowExecutionTimedOut",
    ]
    assert history[9] == {"timeoutType": "START_TO_CLOSE", "childPolicy": "ABANDON"}
    assert history.time(9) == at(100)
    # The started decision task died with the run; the timer never fires.
    with fault("UnknownResourceFault"):
        flow.respond(task, complete())
    flow.sim.clock.advance(1000)
    assert len(flow.history("w", run_id)) == 9
    assert flow.describe("w", run_id)["executionInfo"]["closeStatus"] == "TIMED_OUT"


@covers("MarkerRecorded")
def test_record_marker(flow: Flow) -> None:
    run_id = flow.start("w")
    flow.decide(record_marker("m", details="d1"), record_marker("m"))
    history = flow.history("w", run_id)
    # Duplicate names are fine, and a marker does not ask for a decision (swf-dev-adv-markers).
    assert history.types[3:] == ["DecisionTaskCompleted", "MarkerRecorded", "MarkerRecorded"]
    assert history[5] == {"markerName": "m", "details": "d1", "decisionTaskCompletedEventId": 4}
    assert history[6] == {"markerName": "m", "decisionTaskCompletedEventId": 4}
    assert flow.pending_decisions() == 0


# ---- decision task timeouts (swf-timeout-types.html; RespondDecisionTaskCompleted) -----------


@covers("DecisionTaskTimedOut", timeouts=("DecisionTaskTimeoutType.START_TO_CLOSE",))
def test_decision_task_start_to_close_timeout(flow: Flow) -> None:
    run_id = flow.start("w")
    task = flow.poll_decision()
    flow.sim.clock.advance(59.999)
    assert len(flow.history("w", run_id)) == 3
    flow.sim.clock.advance(0.001)
    history = flow.history("w", run_id)
    assert history.types[3:] == ["DecisionTaskTimedOut", "DecisionTaskScheduled"]
    assert history[4] == {
        "timeoutType": "START_TO_CLOSE",
        "scheduledEventId": 2,
        "startedEventId": 3,
    }
    assert history[5] == SCHEDULED
    assert history.time(4) == history.time(5) == at(60)
    # The late answer is refused; the next task counts no processed task before it
    # (PollForDecisionTask: previousStartedEventId names the previous task *processed*).
    with fault("UnknownResourceFault"):
        flow.respond(task, complete())
    retry = flow.decide(complete())
    assert (retry["startedEventId"], retry["previousStartedEventId"]) == (6, 0)
    assert flow.history("w", run_id).types[5:] == [
        "DecisionTaskStarted",
        "DecisionTaskCompleted",
        "WorkflowExecutionCompleted",
    ]


@covers("DecisionTaskTimedOut", timeouts=("DecisionTaskTimeoutType.SCHEDULE_TO_START",))
def test_decision_task_schedule_to_start_timeout_on_a_temporary_task_list(flow: Flow) -> None:
    run_id = flow.start("w")
    temporary = {"name": "temporary"}
    flow.decide(start_timer("t", 5), taskList=temporary, taskListScheduleToStartTimeout="10")
    flow.sim.clock.advance(5)
    assert flow.pending_decisions(temporary) == 1
    flow.sim.clock.advance(10)
    history = flow.history("w", run_id)
    assert history.types[3:] == [
        "DecisionTaskCompleted",
        "TimerStarted",
        "TimerFired",
        "DecisionTaskScheduled",
        "DecisionTaskTimedOut",
        "DecisionTaskScheduled",
    ]
    assert history[4] == {
        "scheduledEventId": 2,
        "startedEventId": 3,
        "taskList": temporary,
        "taskListScheduleToStartTimeout": "10",
    }
    assert history[7] == {**SCHEDULED, "taskList": temporary, "scheduleToStartTimeout": "10"}
    assert history[8] == {
        "timeoutType": "SCHEDULE_TO_START",
        "scheduledEventId": 7,
        "startedEventId": 0,
    }
    assert history.time(8) == at(15)
    # Back on the run's own list (RespondDecisionTaskCompleted's taskListScheduleToStartTimeout).
    assert history[9] == SCHEDULED
    assert flow.pending_decisions(temporary) == 0
    assert flow.poll_decision()["startedEventId"] == 10


def test_decision_tasks_are_handed_out_by_priority_then_in_order(flow: Flow) -> None:
    priorities = {"low": "1", "high-1": "5", "none": None, "high-2": "5", "negative": "-3"}
    for workflow_id, priority in priorities.items():
        flow.start(workflow_id, **({"taskPriority": priority} if priority else {}))
    tasks = [flow.poll_decision() for _ in priorities]
    handed_out = [task["workflowExecution"]["workflowId"] for task in tasks]
    assert handed_out == ["high-1", "high-2", "low", "none", "negative"]
    # The run's priority is on its DecisionTaskScheduled events (absent when unset).
    assert tasks[0]["events"][1]["decisionTaskScheduledEventAttributes"] == {
        **SCHEDULED,
        "taskPriority": "5",
    }
    assert tasks[3]["events"][1]["decisionTaskScheduledEventAttributes"] == SCHEDULED


# ---- close decisions (API Reference: Decision; UNHANDLED_DECISION) ---------------------------


def _close_with_unhandled_event(flow: Flow, close_decision: dict[str, object]) -> str:
    """A close decision answered while a signal arrived: the close fails, the run stays open,
    and the already scheduled decision task is the next one."""
    run_id = flow.start("w")
    task = flow.poll_decision()
    flow.signal("w", "surprise")
    flow.respond(task, close_decision)
    retry = flow.poll_decision()
    # The failed answer still counts as processed (PollForDecisionTask: previousStartedEventId).
    assert (retry["startedEventId"], retry["previousStartedEventId"]) == (8, 3)
    assert flow.describe("w", run_id)["executionInfo"]["executionStatus"] == "OPEN"
    return run_id


UNHANDLED_TYPES = [
    "WorkflowExecutionStarted",
    "DecisionTaskScheduled",
    "DecisionTaskStarted",
    "WorkflowExecutionSignaled",
    "DecisionTaskScheduled",
    "DecisionTaskCompleted",
]
UNHANDLED = {"cause": "UNHANDLED_DECISION", "decisionTaskCompletedEventId": 6}


@covers(
    "CompleteWorkflowExecutionFailed",
    causes=("CompleteWorkflowExecutionFailedCause.UNHANDLED_DECISION",),
)
def test_complete_fails_with_unhandled_decision(flow: Flow) -> None:
    run_id = _close_with_unhandled_event(flow, complete(result="too early"))
    history = flow.history("w", run_id)
    assert history.types == [
        *UNHANDLED_TYPES,
        "CompleteWorkflowExecutionFailed",
        "DecisionTaskStarted",
    ]
    assert history[7] == UNHANDLED
    assert history[8] == {"scheduledEventId": 5}


@covers(
    "FailWorkflowExecutionFailed", causes=("FailWorkflowExecutionFailedCause.UNHANDLED_DECISION",)
)
def test_fail_fails_with_unhandled_decision(flow: Flow) -> None:
    run_id = _close_with_unhandled_event(flow, fail(reason="r"))
    history = flow.history("w", run_id)
    assert history.types == [*UNHANDLED_TYPES, "FailWorkflowExecutionFailed", "DecisionTaskStarted"]
    assert history[7] == UNHANDLED


@covers(
    "CancelWorkflowExecutionFailed",
    causes=("CancelWorkflowExecutionFailedCause.UNHANDLED_DECISION",),
)
def test_cancel_fails_with_unhandled_decision(flow: Flow) -> None:
    run_id = _close_with_unhandled_event(flow, cancel(details="d"))
    history = flow.history("w", run_id)
    assert history.types == [
        *UNHANDLED_TYPES,
        "CancelWorkflowExecutionFailed",
        "DecisionTaskStarted",
    ]
    assert history[7] == UNHANDLED


@covers(
    "ContinueAsNewWorkflowExecutionFailed",
    causes=("ContinueAsNewWorkflowExecutionFailedCause.UNHANDLED_DECISION",),
)
def test_continue_as_new_fails_with_unhandled_decision(flow: Flow) -> None:
    run_id = _close_with_unhandled_event(flow, continue_as_new(input="next"))
    history = flow.history("w", run_id)
    assert history.types == [
        *UNHANDLED_TYPES,
        "ContinueAsNewWorkflowExecutionFailed",
        "DecisionTaskStarted",
    ]
    assert history[7] == UNHANDLED
    open_runs = flow.client.list_open_workflow_executions(
        domain=DOMAIN, startTimeFilter={"oldestDate": at(-1)}
    )["executionInfos"]
    assert [info["execution"]["runId"] for info in open_runs] == [run_id]


def test_failed_decision_earlier_in_the_same_answer_does_not_block_the_close(flow: Flow) -> None:
    # AWS does not say; in swfsim only events from outside the answer make a close unhandled.
    run_id = flow.start("w")
    flow.decide(cancel_timer("never-started"), complete(result="ok"))
    history = flow.history("w", run_id)
    assert history.types[3:] == [
        "DecisionTaskCompleted",
        "CancelTimerFailed",
        "WorkflowExecutionCompleted",
    ]
    assert history[6] == {"result": "ok", "decisionTaskCompletedEventId": 4}


# ---- the history limit (swf-dg-limits.html) --------------------------------------------------


@covers(
    "WorkflowExecutionTerminated",
    causes=("WorkflowExecutionTerminatedCause.EVENT_LIMIT_EXCEEDED",),
)
def test_history_of_25000_events_terminates_the_run(flow: Flow) -> None:
    run_id = flow.start("w")
    markers = [record_marker("m")] * 998
    for round_number in range(25):
        if round_number:
            flow.signal("w", "more")
        # Only the newest event of each task, to keep the test fast.
        task = flow.poll_decision(maximumPageSize=1, reverseOrder=True)
        flow.respond(task, *markers)
    # The 25th answer overflows: its 948th marker would be event 25,000, which only a closing
    # event may be.
    history = flow.history("w", run_id)
    first = ["WorkflowExecutionStarted", "DecisionTaskScheduled", "DecisionTaskStarted"]
    later = ["WorkflowExecutionSignaled", "DecisionTaskScheduled", "DecisionTaskStarted"]
    answer = ["DecisionTaskCompleted", *["MarkerRecorded"] * 998]
    assert history.types == [
        *first,
        *answer,
        *(later + answer) * 23,
        *later,
        *answer[:948],
        "WorkflowExecutionTerminated",
    ]
    assert len(history) == 25_000
    assert history[25_000] == {"childPolicy": "TERMINATE", "cause": "EVENT_LIMIT_EXCEEDED"}
    with fault("UnknownResourceFault"):
        flow.signal("w", "more")


# ---- decision task lists (RespondDecisionTaskCompleted's taskList) ---------------------------


def test_decision_task_timing_out_on_a_temporary_task_list_reverts_to_the_run_list(
    flow: Flow,
) -> None:
    run_id = flow.start("w")
    temporary = {"name": "temporary"}
    flow.decide(start_timer("t", 5), taskList=temporary, taskListScheduleToStartTimeout="10")
    flow.sim.clock.advance(5)
    flow.poll_decision(temporary)  # started in time, then never answered
    flow.sim.clock.advance(60)
    history = flow.history("w", run_id)
    assert history.types[5:] == [
        "TimerFired",
        "DecisionTaskScheduled",
        "DecisionTaskStarted",
        "DecisionTaskTimedOut",
        "DecisionTaskScheduled",
    ]
    assert history[9] == {
        "timeoutType": "START_TO_CLOSE",
        "scheduledEventId": 7,
        "startedEventId": 8,
    }
    assert history[10] == SCHEDULED
    assert flow.pending_decisions() == 1


def test_permanent_decision_task_list_override(flow: Flow) -> None:
    run_id = flow.start("w")
    moved = {"name": "moved"}
    flow.decide(start_timer("t", 5), taskList=moved)
    flow.sim.clock.advance(5)
    flow.sim.clock.advance(1000)  # no schedule-to-start timeout: the task just waits
    flow.decide(start_timer("t", 5), task_list=moved)
    flow.sim.clock.advance(5)
    history = flow.history("w", run_id)
    assert history[4] == {"scheduledEventId": 2, "startedEventId": 3, "taskList": moved}
    assert history.ids("DecisionTaskScheduled") == [2, 7, 12]
    assert history[7] == history[12] == {**SCHEDULED, "taskList": moved}
    assert flow.pending_decisions(moved) == 1
    assert flow.pending_decisions() == 0


def test_a_closed_run_refuses_signals_and_cancel_requests(flow: Flow) -> None:
    run_id = flow.start("w")
    flow.decide(complete())
    with fault("UnknownResourceFault"):
        flow.signal("w", "late")
    with fault("UnknownResourceFault"):
        flow.request_cancel("w")
    with fault("UnknownResourceFault"):
        flow.terminate("w")
    assert len(flow.history("w", run_id)) == 5
