"""Child workflows, and signals sent, waited for and propagated as simpleflow does."""

from __future__ import annotations

from e2e_helpers import E2E, of_type, result, types


def test_child_workflows_return_their_results_to_the_parent(e2e: E2E) -> None:
    events = e2e.standalone("e2e_flows.ParentWorkflow", "parent", input=[1])

    first = {"pipeline": 4, "chain": [5, 10]}  # ChainWorkflow(1)
    second = {"pipeline": 24, "chain": [25, 50]}  # ChainWorkflow(11)
    last = {"pipeline": 58, "chain": [59, 118]}  # ChainWorkflow(4 + 24)
    assert result(events) == {"children": [first, second], "last": last}

    started = of_type(events, "ChildWorkflowExecutionStarted")
    completed = of_type(events, "ChildWorkflowExecutionCompleted")
    assert len(started) == len(completed) == 3
    assert {c["workflowType"]["name"] for c in completed} == {"e2e_flows.ChainWorkflow"}
    # A fresh domain lacks the child's type: simpleflow registers it on the failure and
    # starts the children again.
    failed = of_type(events, "StartChildWorkflowExecutionFailed")
    assert [f["cause"] for f in failed] == ["WORKFLOW_TYPE_DOES_NOT_EXIST"] * 2

    parent_run = e2e.swf.describe_workflow_execution(
        domain=e2e.domain,
        execution={"workflowId": "parent", "runId": _run_id(e2e, "parent")},
    )["executionInfo"]
    assert parent_run["closeStatus"] == "COMPLETED"
    for child in started:
        execution = child["workflowExecution"]
        child_events = e2e.history(execution["workflowId"], execution["runId"])
        start = of_type(child_events, "WorkflowExecutionStarted")[0]
        assert start["parentWorkflowExecution"] == {
            "workflowId": "parent",
            "runId": parent_run["execution"]["runId"],
        }
        assert child_events[-1]["eventType"] == "WorkflowExecutionCompleted"
        assert types(child_events).count("ActivityTaskCompleted") == 4


def test_a_workflow_waits_for_a_signal_it_sends_itself(e2e: E2E) -> None:
    events = e2e.standalone("e2e_flows.SignalSelfWorkflow", "signal-self")

    payload = {"__propagate": False, "args": [], "kwargs": {"payload": 42}}
    assert result(events) == payload  # wait_signal's result: the signal's input
    signaled = of_type(events, "WorkflowExecutionSignaled")
    assert [(s["signalName"], s["externalWorkflowExecution"]["workflowId"]) for s in signaled] == [
        ("go", "signal-self")
    ]
    assert of_type(events, "SignalExternalWorkflowExecutionInitiated")[0]["signalName"] == "go"
    assert "ExternalWorkflowExecutionSignaled" in types(events)
    # The signal came after the activity it waited on: the run waited for it.
    order = types(events)
    assert order.index("ActivityTaskCompleted") < order.index("WorkflowExecutionSignaled")


def test_signals_propagate_to_children_and_to_the_parent(e2e: E2E) -> None:
    events = e2e.standalone("e2e_flows.SignalFamilyWorkflow", "family")

    ping = {"__propagate": True, "args": [], "kwargs": {"who": "parent"}}
    pong = {"__propagate": True, "args": [], "kwargs": {"who": "child"}}
    assert result(events) == {"child": {"ping": ping, "work": 42}, "pong": pong}

    children = {
        c["workflowType"]["name"].split(".")[-1]: c["workflowExecution"]
        for c in of_type(events, "ChildWorkflowExecutionStarted")
    }
    waiter, sender = children["ChildWaitsForSignal"], children["ChildSignals"]
    assert len(of_type(events, "ChildWorkflowExecutionCompleted")) == 2

    # The parent signalled itself `ping`, then passed it on to each child it started...
    sent = [
        (s["signalName"], s["workflowId"])
        for s in of_type(events, "SignalExternalWorkflowExecutionInitiated")
    ]
    assert ("ping", "family") in sent
    assert ("ping", waiter["workflowId"]) in sent
    assert ("ping", sender["workflowId"]) in sent
    # ...got `pong` from the child that sent it to itself, and passed it on to the other.
    received = {
        (s["signalName"], s["externalWorkflowExecution"]["workflowId"])
        for s in of_type(events, "WorkflowExecutionSignaled")
    }
    assert received == {("ping", "family"), ("pong", sender["workflowId"])}
    assert ("pong", waiter["workflowId"]) in sent
    assert ("pong", sender["workflowId"]) not in sent  # never back to its sender

    waiter_events = e2e.history(waiter["workflowId"], waiter["runId"])
    waiter_received = {
        (s["signalName"], s["externalWorkflowExecution"]["workflowId"])
        for s in of_type(waiter_events, "WorkflowExecutionSignaled")
    }
    # (`pong` reaches it too if it is still open when the parent passes it on)
    assert ("ping", "family") in waiter_received
    assert result(waiter_events) == {"ping": ping, "work": 42}

    sender_events = e2e.history(sender["workflowId"], sender["runId"])
    sender_sent = [
        (s["signalName"], s["workflowId"])
        for s in of_type(sender_events, "SignalExternalWorkflowExecutionInitiated")
    ]
    assert ("pong", sender["workflowId"]) in sender_sent  # to itself,
    assert ("pong", "family") in sender_sent  # then on to its parent
    assert result(sender_events) == "pong sent"


def _run_id(e2e: E2E, workflow_id: str) -> str:
    listed = e2e.swf.list_closed_workflow_executions(
        domain=e2e.domain,
        startTimeFilter={"oldestDate": 0},
        executionFilter={"workflowId": workflow_id},
    )["executionInfos"]
    assert len(listed) == 1
    return str(listed[0]["execution"]["runId"])
