"""Decisions that reach other runs: children, continue-as-new, external signals and cancels
(SWF API Reference: the decisions' attributes and events; swf-dev-adv-child-workflows.html)."""

from __future__ import annotations

import pytest
from api_helpers import (
    DOMAIN,
    START,
    WORKFLOW,
    attributes,
    complete,
    event_types,
    raises_validation,
)

CHILDREN = {"name": "children"}


def start_child(workflow_id: str, workflow_type: dict = WORKFLOW, **attrs) -> dict:
    return {
        "decisionType": "StartChildWorkflowExecution",
        "startChildWorkflowExecutionDecisionAttributes": {
            "workflowType": workflow_type,
            "workflowId": workflow_id,
            **attrs,
        },
    }


def signal_external(workflow_id: str, signal_name: str, **attrs) -> dict:
    return {
        "decisionType": "SignalExternalWorkflowExecution",
        "signalExternalWorkflowExecutionDecisionAttributes": {
            "workflowId": workflow_id,
            "signalName": signal_name,
            **attrs,
        },
    }


def cancel_external(workflow_id: str, **attrs) -> dict:
    return {
        "decisionType": "RequestCancelExternalWorkflowExecution",
        "requestCancelExternalWorkflowExecutionDecisionAttributes": {
            "workflowId": workflow_id,
            **attrs,
        },
    }


def continue_as_new(**attrs) -> dict:
    return {
        "decisionType": "ContinueAsNewWorkflowExecution",
        "continueAsNewWorkflowExecutionDecisionAttributes": attrs,
    }


def test_child_workflow(ready):
    parent = ready.start("parent")
    ready.decide(
        ready.poll_decision(),
        start_child("child", input="part 1", control="mine", taskList=CHILDREN),
    )

    events = ready.history(parent)
    assert event_types(events)[3:] == [
        "DecisionTaskCompleted",
        "StartChildWorkflowExecutionInitiated",
        "ChildWorkflowExecutionStarted",
        "DecisionTaskScheduled",
    ]
    assert attributes(events[4]) == {
        "workflowId": "child",
        "workflowType": WORKFLOW,
        "control": "mine",
        "input": "part 1",
        "executionStartToCloseTimeout": "3600",
        "taskList": CHILDREN,
        "decisionTaskCompletedEventId": 4,
        "childPolicy": "TERMINATE",
        "taskStartToCloseTimeout": "30",
    }
    child_started = attributes(events[5])
    child = child_started["workflowExecution"]
    assert child_started == {
        "workflowExecution": child,
        "workflowType": WORKFLOW,
        "initiatedEventId": 5,
    }
    assert child["workflowId"] == "child"

    child_events = ready.history(child)
    assert event_types(child_events) == ["WorkflowExecutionStarted", "DecisionTaskScheduled"]
    started = attributes(child_events[0])
    assert started["parentWorkflowExecution"] == parent
    assert started["parentInitiatedEventId"] == 5
    assert started["input"] == "part 1"  # control stays with the parent
    assert ready.describe(child)["executionInfo"]["parent"] == parent
    assert ready.describe(parent)["openCounts"]["openChildWorkflowExecutions"] == 1

    ready.decide(ready.poll_decision(CHILDREN), complete(result="part done"))

    events = ready.history(parent)
    assert event_types(events)[6:] == ["DecisionTaskScheduled", "ChildWorkflowExecutionCompleted"]
    assert attributes(events[7]) == {
        "workflowExecution": child,
        "workflowType": WORKFLOW,
        "result": "part done",
        "initiatedEventId": 5,
        "startedEventId": 6,
    }
    assert ready.describe(parent)["openCounts"]["openChildWorkflowExecutions"] == 0


def test_child_workflow_id_already_running(ready):
    ready.start("busy")
    parent = ready.start("parent")
    task = ready.poll_decision()
    assert task["workflowExecution"]["workflowId"] == "busy"
    ready.decide(task)
    ready.decide(ready.poll_decision(), start_child("busy"))

    events = ready.history(parent)
    assert event_types(events)[3:] == [
        "DecisionTaskCompleted",
        "StartChildWorkflowExecutionInitiated",
        "StartChildWorkflowExecutionFailed",
        "DecisionTaskScheduled",
    ]
    assert attributes(events[5]) == {
        "workflowType": WORKFLOW,
        "cause": "WORKFLOW_ALREADY_RUNNING",
        "workflowId": "busy",
        "initiatedEventId": 5,
        "decisionTaskCompletedEventId": 4,
    }


def test_child_of_unknown_type_fails_at_once(ready):
    parent = ready.start("parent")
    missing = {"name": "Missing", "version": "1"}

    ready.decide(ready.poll_decision(), start_child("child", missing))

    events = ready.history(parent)
    assert event_types(events)[3:] == [
        "DecisionTaskCompleted",
        "StartChildWorkflowExecutionFailed",
        "DecisionTaskScheduled",
    ]
    assert attributes(events[4]) == {
        "workflowType": missing,
        "cause": "WORKFLOW_TYPE_DOES_NOT_EXIST",
        "workflowId": "child",
        "initiatedEventId": 0,
        "decisionTaskCompletedEventId": 4,
    }


def test_terminating_the_parent_applies_the_child_policy(ready):
    parent = ready.start("parent")
    ready.decide(
        ready.poll_decision(), start_child("child", taskList=CHILDREN, childPolicy="ABANDON")
    )
    child = attributes(ready.history(parent)[5])["workflowExecution"]

    ready.swf.terminate_workflow_execution(domain=DOMAIN, workflowId="parent")

    last = ready.history(child)[-1]
    assert last["eventType"] == "WorkflowExecutionTerminated"
    assert attributes(last) == {"childPolicy": "ABANDON", "cause": "CHILD_POLICY_APPLIED"}
    assert event_types(ready.history(parent))[-1] == "WorkflowExecutionTerminated"


def test_continue_as_new(ready):
    first = ready.start(tagList=["vip"])

    ready.decide(ready.poll_decision(), continue_as_new(input="page 2"))

    closing = ready.history(first)[-1]
    assert closing["eventType"] == "WorkflowExecutionContinuedAsNew"
    new_run_id = attributes(closing)["newExecutionRunId"]
    assert attributes(closing) == {
        "input": "page 2",
        "decisionTaskCompletedEventId": 4,
        "newExecutionRunId": new_run_id,
        "executionStartToCloseTimeout": "3600",
        "taskList": {"name": "deciders"},
        "taskStartToCloseTimeout": "30",
        "childPolicy": "TERMINATE",
        "workflowType": WORKFLOW,
    }
    assert ready.describe(first)["executionInfo"]["closeStatus"] == "CONTINUED_AS_NEW"
    second = {"workflowId": "order-1", "runId": new_run_id}
    events = ready.history(second)
    assert event_types(events) == ["WorkflowExecutionStarted", "DecisionTaskScheduled"]
    assert attributes(events[0])["continuedExecutionRunId"] == first["runId"]
    assert attributes(events[0])["input"] == "page 2"
    assert "tagList" not in attributes(events[0])  # tags are set at creation (swf-dev-adv-tags)
    open_runs = ready.swf.list_open_workflow_executions(
        domain=DOMAIN, startTimeFilter={"oldestDate": START}
    )["executionInfos"]
    assert [info["execution"] for info in open_runs] == [second]


def test_signal_external(ready):
    target = ready.start("target")
    sender = ready.start("sender")
    ready.decide(ready.poll_decision())  # target's first task
    ready.decide(ready.poll_decision(), signal_external("target", "ping", input="x", control="c"))

    events = ready.history(sender)
    assert event_types(events)[3:] == [
        "DecisionTaskCompleted",
        "SignalExternalWorkflowExecutionInitiated",
        "ExternalWorkflowExecutionSignaled",
        "DecisionTaskScheduled",
    ]
    assert attributes(events[4]) == {
        "workflowId": "target",
        "signalName": "ping",
        "input": "x",
        "control": "c",
        "decisionTaskCompletedEventId": 4,
    }
    assert attributes(events[5]) == {"workflowExecution": target, "initiatedEventId": 5}
    signaled = ready.history(target)[4]
    assert attributes(signaled) == {
        "signalName": "ping",
        "input": "x",
        "externalWorkflowExecution": sender,
        "externalInitiatedEventId": 5,
    }


def test_signal_unknown_external(ready):
    sender = ready.start("sender")

    ready.decide(ready.poll_decision(), signal_external("nobody", "ping", control="c"))

    events = ready.history(sender)
    assert event_types(events)[3:] == [
        "DecisionTaskCompleted",
        "SignalExternalWorkflowExecutionInitiated",
        "SignalExternalWorkflowExecutionFailed",
        "DecisionTaskScheduled",
    ]
    assert attributes(events[5]) == {
        "workflowId": "nobody",
        "cause": "UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION",
        "initiatedEventId": 5,
        "decisionTaskCompletedEventId": 4,
        "control": "c",
    }


def test_request_cancel_external(ready):
    target = ready.start("target")
    sender = ready.start("sender")
    ready.decide(ready.poll_decision())  # target's first task
    ready.decide(ready.poll_decision(), cancel_external("target"))

    events = ready.history(sender)
    assert event_types(events)[3:] == [
        "DecisionTaskCompleted",
        "RequestCancelExternalWorkflowExecutionInitiated",
        "ExternalWorkflowExecutionCancelRequested",
        "DecisionTaskScheduled",
    ]
    assert attributes(events[5]) == {"workflowExecution": target, "initiatedEventId": 5}
    requested = ready.history(target)[4]
    assert requested["eventType"] == "WorkflowExecutionCancelRequested"
    assert attributes(requested) == {
        "externalWorkflowExecution": sender,
        "externalInitiatedEventId": 5,
    }
    assert ready.describe(target)["executionInfo"]["cancelRequested"] is True


def test_lambda_without_a_role_fails(ready):
    execution = ready.start()

    ready.decide(
        ready.poll_decision(),
        {
            "decisionType": "ScheduleLambdaFunction",
            "scheduleLambdaFunctionDecisionAttributes": {"id": "l1", "name": "resize"},
        },
    )

    events = ready.history(execution)
    assert event_types(events)[3:] == [
        "DecisionTaskCompleted",
        "ScheduleLambdaFunctionFailed",
        "DecisionTaskScheduled",
    ]
    failed = attributes(events[4])
    assert (failed["id"], failed["name"], failed["decisionTaskCompletedEventId"]) == (
        "l1",
        "resize",
        4,
    )


@pytest.mark.parametrize(
    "decision",
    [start_child("a:b"), signal_external("w", "s" * 257), continue_as_new(childPolicy="BOGUS")],
)
def test_invalid_cross_execution_decisions_are_rejected(ready, decision):
    execution = ready.start()
    task = ready.poll_decision()
    with raises_validation("decisions.1.member"):
        ready.decide(task, decision)
    assert len(ready.history(execution)) == 3
