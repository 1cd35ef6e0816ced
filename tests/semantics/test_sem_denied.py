"""A simulated IAM policy (Options.denied): denied decisions fail with OPERATION_NOT_PERMITTED,
denied operations answer OperationNotPermittedFault (the causes and faults botocore's SWF model
lists)."""

from __future__ import annotations

from typing import Any

import pytest
from sem_support import (
    ACTIVITY,
    CHILD,
    Flow,
    cancel,
    cancel_timer,
    complete,
    continue_as_new,
    covers,
    fail,
    fault,
    record_marker,
    request_cancel_activity,
    request_cancel_external,
    schedule_activity,
    schedule_lambda,
    signal_external,
    start_child,
    start_timer,
)

DENIED = frozenset(
    {
        "ScheduleActivityTask",
        "RequestCancelActivityTask",
        "CompleteWorkflowExecution",
        "FailWorkflowExecution",
        "CancelWorkflowExecution",
        "ContinueAsNewWorkflowExecution",
        "RecordMarker",
        "StartTimer",
        "CancelTimer",
        "SignalExternalWorkflowExecution",
        "RequestCancelExternalWorkflowExecution",
        "StartChildWorkflowExecution",
        "ScheduleLambdaFunction",
        "RespondActivityTaskCompleted",
    }
)
denied = pytest.mark.sim_options(denied=DENIED)


def _failure(flow: Flow, decision: dict[str, Any]) -> dict[str, Any]:
    """Answer the first decision task with ``decision``; the attributes of the event after
    DecisionTaskCompleted, which must be followed by a new DecisionTaskScheduled."""
    run_id = flow.start("w")
    flow.decide(decision)
    history = flow.history("w", run_id)
    assert history.types[4:] == [history.types[4], "DecisionTaskScheduled"]
    assert history.types[4].endswith("Failed")
    return history[5]


def _cause(decision_type: str) -> str:
    return f"{decision_type}FailedCause.OPERATION_NOT_PERMITTED"


@denied
@covers("ScheduleActivityTaskFailed", causes=(_cause("ScheduleActivityTask"),))
def test_denied_schedule_activity_task(flow: Flow) -> None:
    assert _failure(flow, schedule_activity("a1")) == {
        "activityType": ACTIVITY,
        "activityId": "a1",
        "cause": "OPERATION_NOT_PERMITTED",
        "decisionTaskCompletedEventId": 4,
    }


@denied
@covers("RequestCancelActivityTaskFailed", causes=(_cause("RequestCancelActivityTask"),))
def test_denied_request_cancel_activity_task(flow: Flow) -> None:
    assert _failure(flow, request_cancel_activity("a1")) == {
        "activityId": "a1",
        "cause": "OPERATION_NOT_PERMITTED",
        "decisionTaskCompletedEventId": 4,
    }


@denied
@covers(
    "CompleteWorkflowExecutionFailed",
    "FailWorkflowExecutionFailed",
    "CancelWorkflowExecutionFailed",
    "ContinueAsNewWorkflowExecutionFailed",
    causes=(
        _cause("CompleteWorkflowExecution"),
        _cause("FailWorkflowExecution"),
        _cause("CancelWorkflowExecution"),
        _cause("ContinueAsNewWorkflowExecution"),
    ),
)
def test_denied_close_decisions_leave_the_run_open(flow: Flow) -> None:
    run_id = flow.start("w")
    for decision in (complete(), fail(), cancel(), continue_as_new()):
        flow.decide(decision)
    history = flow.history("w", run_id)
    failures = [t for t in history.types if t.endswith("WorkflowExecutionFailed")]
    assert failures == [
        "CompleteWorkflowExecutionFailed",
        "FailWorkflowExecutionFailed",
        "CancelWorkflowExecutionFailed",
        "ContinueAsNewWorkflowExecutionFailed",
    ]
    assert flow.describe("w", run_id)["executionInfo"]["executionStatus"] == "OPEN"


@denied
@covers("RecordMarkerFailed", causes=(_cause("RecordMarker"),))
def test_denied_record_marker(flow: Flow) -> None:
    assert _failure(flow, record_marker("m")) == {
        "markerName": "m",
        "cause": "OPERATION_NOT_PERMITTED",
        "decisionTaskCompletedEventId": 4,
    }


@denied
@covers(
    "StartTimerFailed", "CancelTimerFailed", causes=(_cause("StartTimer"), _cause("CancelTimer"))
)
def test_denied_timer_decisions(flow: Flow) -> None:
    run_id = flow.start("w")
    flow.decide(start_timer("t", 5))
    flow.decide(cancel_timer("t"))
    history = flow.history("w", run_id)
    assert history[5] == {
        "timerId": "t",
        "cause": "OPERATION_NOT_PERMITTED",
        "decisionTaskCompletedEventId": 4,
    }
    assert history[9] == {
        "timerId": "t",
        "cause": "OPERATION_NOT_PERMITTED",
        "decisionTaskCompletedEventId": 8,
    }


@denied
@covers(
    "SignalExternalWorkflowExecutionFailed",
    causes=(_cause("SignalExternalWorkflowExecution"),),
)
def test_denied_signal_external(flow: Flow) -> None:
    assert _failure(flow, signal_external("other", "go", control="c")) == {
        "workflowId": "other",
        "cause": "OPERATION_NOT_PERMITTED",
        "initiatedEventId": 0,
        "decisionTaskCompletedEventId": 4,
        "control": "c",
    }


@denied
@covers(
    "RequestCancelExternalWorkflowExecutionFailed",
    causes=(_cause("RequestCancelExternalWorkflowExecution"),),
)
def test_denied_request_cancel_external(flow: Flow) -> None:
    assert _failure(flow, request_cancel_external("other")) == {
        "workflowId": "other",
        "cause": "OPERATION_NOT_PERMITTED",
        "initiatedEventId": 0,
        "decisionTaskCompletedEventId": 4,
    }


@denied
@covers("StartChildWorkflowExecutionFailed", causes=(_cause("StartChildWorkflowExecution"),))
def test_denied_start_child(flow: Flow) -> None:
    assert _failure(flow, start_child("kid")) == {
        "workflowType": CHILD,
        "cause": "OPERATION_NOT_PERMITTED",
        "workflowId": "kid",
        "initiatedEventId": 0,
        "decisionTaskCompletedEventId": 4,
    }


@denied
def test_a_lambda_decision_cannot_be_denied(flow: Flow) -> None:
    # ScheduleLambdaFunctionFailedCause has no OPERATION_NOT_PERMITTED: the decision goes on
    # (here to fail for the run's missing lambdaRole, as without the policy).
    assert _failure(flow, schedule_lambda("l1", "fn"))["cause"] == (
        "LAMBDA_SERVICE_NOT_AVAILABLE_IN_REGION"
    )


@denied
def test_denied_operation_answers_operation_not_permitted(flow: Flow) -> None:
    flow.start("w")
    with fault("OperationNotPermittedFault"):
        flow.client.respond_activity_task_completed(taskToken="any")


@pytest.mark.sim_options(operator_initiated_cause=True)
@covers(
    "WorkflowExecutionTerminated", causes=("WorkflowExecutionTerminatedCause.OPERATOR_INITIATED",)
)
def test_operator_initiated_cause_when_asked(flow: Flow) -> None:
    run_id = flow.start("w")
    flow.terminate("w", reason="ops")
    assert flow.history("w", run_id)[3] == {
        "reason": "ops",
        "childPolicy": "TERMINATE",
        "cause": "OPERATOR_INITIATED",
    }
