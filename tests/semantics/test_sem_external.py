"""Signalling and canceling other executions from decisions (SWF API Reference: the
SignalExternalWorkflowExecution and RequestCancelExternalWorkflowExecution decisions and events)."""

from __future__ import annotations

from sem_support import (
    Flow,
    complete,
    covers,
    request_cancel_external,
    signal_external,
)

BLOCK = [
    "WorkflowExecutionStarted",
    "DecisionTaskScheduled",
    "DecisionTaskStarted",
    "DecisionTaskCompleted",
]


def _two_runs(flow: Flow) -> tuple[str, str]:
    """Target "b" (its first task answered, so it has none pending) and sender "a"."""
    target_run = flow.start("b")
    flow.decide()
    sender_run = flow.start("a")
    return sender_run, target_run


@covers("SignalExternalWorkflowExecutionInitiated", "ExternalWorkflowExecutionSignaled")
def test_signal_external_workflow_execution(flow: Flow) -> None:
    sender_run, target_run = _two_runs(flow)
    flow.decide(signal_external("b", "ping", runId=target_run, input="data", control="ctl"))
    sender = flow.history("a", sender_run)
    # Initiated in the block, then the outcome once delivered.
    assert sender.types == [
        *BLOCK,
        "SignalExternalWorkflowExecutionInitiated",
        "ExternalWorkflowExecutionSignaled",
        "DecisionTaskScheduled",
    ]
    assert sender[5] == {
        "workflowId": "b",
        "runId": target_run,
        "signalName": "ping",
        "input": "data",
        "decisionTaskCompletedEventId": 4,
        "control": "ctl",
    }
    assert sender[6] == {
        "workflowExecution": {"workflowId": "b", "runId": target_run},
        "initiatedEventId": 5,
    }
    target = flow.history("b", target_run)
    assert target.types[4:] == ["WorkflowExecutionSignaled", "DecisionTaskScheduled"]
    assert target[5] == {
        "signalName": "ping",
        "input": "data",
        "externalWorkflowExecution": {"workflowId": "a", "runId": sender_run},
        "externalInitiatedEventId": 5,
    }


@covers(
    "SignalExternalWorkflowExecutionFailed",
    causes=("SignalExternalWorkflowExecutionFailedCause.UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION",),
)
def test_signal_external_workflow_execution_that_is_not_open(flow: Flow) -> None:
    sender_run, target_run = _two_runs(flow)
    flow.terminate("b")
    flow.decide(
        signal_external("b", "ping", control="ctl"),
        signal_external("nobody", "ping", runId=target_run),
    )
    sender = flow.history("a", sender_run)
    assert sender.types == [
        *BLOCK,
        "SignalExternalWorkflowExecutionInitiated",
        "SignalExternalWorkflowExecutionInitiated",
        "SignalExternalWorkflowExecutionFailed",
        "DecisionTaskScheduled",
        "SignalExternalWorkflowExecutionFailed",
    ]
    assert sender[7] == {
        "workflowId": "b",
        "cause": "UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION",
        "initiatedEventId": 5,
        "decisionTaskCompletedEventId": 4,
        "control": "ctl",
    }
    assert sender[9] == {
        "workflowId": "nobody",
        "runId": target_run,
        "cause": "UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION",
        "initiatedEventId": 6,
        "decisionTaskCompletedEventId": 4,
    }
    assert flow.history("b", target_run).types[-1] == "WorkflowExecutionTerminated"


def test_signal_to_itself(flow: Flow) -> None:
    # AWS does not say; swfsim allows it, and both pairs of events land in the one history.
    run_id = flow.start("a")
    flow.decide(signal_external("a", "self", runId=run_id))
    history = flow.history("a", run_id)
    assert history.types[3:] == [
        "DecisionTaskCompleted",
        "SignalExternalWorkflowExecutionInitiated",
        "WorkflowExecutionSignaled",
        "DecisionTaskScheduled",
        "ExternalWorkflowExecutionSignaled",
    ]
    assert history[6] == {
        "signalName": "self",
        "externalWorkflowExecution": {"workflowId": "a", "runId": run_id},
        "externalInitiatedEventId": 5,
    }


@covers(
    "RequestCancelExternalWorkflowExecutionInitiated",
    "ExternalWorkflowExecutionCancelRequested",
    "WorkflowExecutionCancelRequested",
)
def test_request_cancel_external_workflow_execution(flow: Flow) -> None:
    sender_run, target_run = _two_runs(flow)
    flow.decide(request_cancel_external("b", control="ctl"))
    sender = flow.history("a", sender_run)
    assert sender.types == [
        *BLOCK,
        "RequestCancelExternalWorkflowExecutionInitiated",
        "ExternalWorkflowExecutionCancelRequested",
        "DecisionTaskScheduled",
    ]
    assert sender[5] == {"workflowId": "b", "decisionTaskCompletedEventId": 4, "control": "ctl"}
    assert sender[6] == {
        "workflowExecution": {"workflowId": "b", "runId": target_run},
        "initiatedEventId": 5,
    }
    target = flow.history("b", target_run)
    assert target.types[4:] == ["WorkflowExecutionCancelRequested", "DecisionTaskScheduled"]
    assert target[5] == {
        "externalWorkflowExecution": {"workflowId": "a", "runId": sender_run},
        "externalInitiatedEventId": 5,
    }
    # Only a request: the target stays open until its decider closes it.
    info = flow.describe("b", target_run)["executionInfo"]
    assert (info["executionStatus"], info["cancelRequested"]) == ("OPEN", True)


@covers(
    "RequestCancelExternalWorkflowExecutionFailed",
    causes=(
        "RequestCancelExternalWorkflowExecutionFailedCause.UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION",
    ),
)
def test_request_cancel_external_workflow_execution_that_is_not_open(flow: Flow) -> None:
    sender_run, target_run = _two_runs(flow)
    flow.terminate("b")
    flow.decide(request_cancel_external("b", runId=target_run, control="ctl"))
    sender = flow.history("a", sender_run)
    assert sender.types == [
        *BLOCK,
        "RequestCancelExternalWorkflowExecutionInitiated",
        "RequestCancelExternalWorkflowExecutionFailed",
        "DecisionTaskScheduled",
    ]
    assert sender[6] == {
        "workflowId": "b",
        "runId": target_run,
        "cause": "UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION",
        "initiatedEventId": 5,
        "decisionTaskCompletedEventId": 4,
        "control": "ctl",
    }


def test_signal_from_a_run_that_closes_in_the_same_answer(flow: Flow) -> None:
    # AWS does not say; swfsim delivers it anyway, and the closed sender records nothing more.
    sender_run, target_run = _two_runs(flow)
    flow.decide(signal_external("b", "bye"), complete())
    sender = flow.history("a", sender_run)
    assert sender.types == [
        *BLOCK,
        "SignalExternalWorkflowExecutionInitiated",
        "WorkflowExecutionCompleted",
    ]
    target = flow.history("b", target_run)
    assert target.types[4:] == ["WorkflowExecutionSignaled", "DecisionTaskScheduled"]
    assert target[5] == {
        "signalName": "bye",
        "externalWorkflowExecution": {"workflowId": "a", "runId": sender_run},
        "externalInitiatedEventId": 5,
    }
