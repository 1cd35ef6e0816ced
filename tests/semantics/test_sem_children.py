"""Child workflows, child policies and continue-as-new (SWF API Reference: the decisions'
attributes, their events and childPolicy; Developer Guide: swf-dev-adv-child-workflows.html)."""

from __future__ import annotations

from typing import Any

import pytest
from sem_support import (
    CHILD,
    DECIDERS,
    DOMAIN,
    WORKFLOW,
    Flow,
    History,
    JsonDict,
    at,
    cancel,
    complete,
    continue_as_new,
    covers,
    fail,
    start_child,
)

import swfsim.model.children

CHILDREN = {"name": "children"}
ONE_YEAR = 365 * 24 * 3600
BLOCK = [
    "WorkflowExecutionStarted",
    "DecisionTaskScheduled",
    "DecisionTaskStarted",
    "DecisionTaskCompleted",
]
# StartChildWorkflowExecutionInitiated for start_child("c", input="ci", control="ctl") with
# CHILD's defaults.
INITIATED = {
    "workflowId": "c",
    "workflowType": CHILD,
    "control": "ctl",
    "input": "ci",
    "executionStartToCloseTimeout": "1800",
    "taskList": CHILDREN,
    "decisionTaskCompletedEventId": 4,
    "childPolicy": "TERMINATE",
    "taskStartToCloseTimeout": "30",
}


def _parent_and_child(flow: Flow, **child_attrs: Any) -> tuple[str, str]:
    """Parent "p" starts child "c" in its first decision; both runIds (the child's from the
    parent's ChildWorkflowExecutionStarted). The parent then answers its pending task (events
    8, 9); the child's first decision task (event 2) stays scheduled."""
    parent_run = flow.start("p")
    flow.decide(start_child("c", input="ci", control="ctl", **child_attrs))
    parent = flow.history("p", parent_run)
    assert parent.types == [
        *BLOCK,
        "StartChildWorkflowExecutionInitiated",
        "ChildWorkflowExecutionStarted",
        "DecisionTaskScheduled",
    ]
    child_run: str = parent[6]["workflowExecution"]["runId"]
    assert parent[6] == {
        "workflowExecution": {"workflowId": "c", "runId": child_run},
        "workflowType": CHILD,
        "initiatedEventId": 5,
    }
    flow.decide()
    return parent_run, child_run


def _child_closed(parent: History, event_type: str, child_run: str, **members: Any) -> None:
    """The parent's last events: the child's closing event, then a decision task."""
    assert parent.types[9:] == [event_type, "DecisionTaskScheduled"]
    assert parent[10] == {
        "workflowExecution": {"workflowId": "c", "runId": child_run},
        "workflowType": CHILD,
        "initiatedEventId": 5,
        "startedEventId": 6,
        **members,
    }


@covers(
    "StartChildWorkflowExecutionInitiated",
    "ChildWorkflowExecutionStarted",
    "ChildWorkflowExecutionCompleted",
)
def test_child_started_and_completed(flow: Flow) -> None:
    parent_run, child_run = _parent_and_child(flow)
    parent = flow.history("p", parent_run)
    assert parent[5] == INITIATED
    child = flow.history("c", child_run)
    assert child[1] == {
        "input": "ci",
        "executionStartToCloseTimeout": "1800",
        "taskStartToCloseTimeout": "30",
        "childPolicy": "TERMINATE",
        "taskList": CHILDREN,
        "workflowType": CHILD,
        "parentWorkflowExecution": {"workflowId": "p", "runId": parent_run},
        "parentInitiatedEventId": 5,
    }
    assert child[2] == {
        "taskList": CHILDREN,
        "startToCloseTimeout": "30",
        "scheduleToStartTimeout": "NONE",
    }
    info = flow.describe("c", child_run)["executionInfo"]
    assert info["parent"] == {"workflowId": "p", "runId": parent_run}
    assert flow.describe("p", parent_run)["openCounts"]["openChildWorkflowExecutions"] == 1

    flow.decide(complete(result="child result"), task_list=CHILDREN)
    _child_closed(
        flow.history("p", parent_run),
        "ChildWorkflowExecutionCompleted",
        child_run,
        result="child result",
    )
    assert flow.describe("p", parent_run)["openCounts"]["openChildWorkflowExecutions"] == 0


@covers("ChildWorkflowExecutionFailed")
def test_child_failed(flow: Flow) -> None:
    parent_run, child_run = _parent_and_child(flow)
    flow.decide(fail(reason="child broke", details="d"), task_list=CHILDREN)
    _child_closed(
        flow.history("p", parent_run),
        "ChildWorkflowExecutionFailed",
        child_run,
        reason="child broke",
        details="d",
    )


@covers("ChildWorkflowExecutionCanceled")
def test_child_canceled(flow: Flow) -> None:
    parent_run, child_run = _parent_and_child(flow)
    flow.request_cancel("c")
    flow.decide(cancel(details="bye"), task_list=CHILDREN)
    _child_closed(
        flow.history("p", parent_run), "ChildWorkflowExecutionCanceled", child_run, details="bye"
    )


@covers("ChildWorkflowExecutionTerminated")
def test_child_terminated(flow: Flow) -> None:
    parent_run, child_run = _parent_and_child(flow)
    flow.terminate("c", reason="stop")
    _child_closed(flow.history("p", parent_run), "ChildWorkflowExecutionTerminated", child_run)


@covers("ChildWorkflowExecutionTimedOut", timeouts=("WorkflowExecutionTimeoutType.START_TO_CLOSE",))
def test_child_timed_out(flow: Flow) -> None:
    parent_run, child_run = _parent_and_child(flow, executionStartToCloseTimeout="100")
    flow.sim.clock.advance(100)
    child = flow.history("c", child_run)
    assert child.types == [
        "WorkflowExecutionStarted",
        "DecisionTaskScheduled",
        "WorkflowExecutionTimedOut",
    ]
    assert child[3] == {"timeoutType": "START_TO_CLOSE", "childPolicy": "TERMINATE"}
    parent = flow.history("p", parent_run)
    _child_closed(parent, "ChildWorkflowExecutionTimedOut", child_run, timeoutType="START_TO_CLOSE")
    assert parent.time(10) == at(100)


def test_start_child_with_execution_timeout_none(flow: Flow) -> None:
    # The decision's model documentation: "You can use NONE to specify unlimited duration".
    # SWF's one-year hard quota on an execution still applies (developer guide, "Setting
    # Timeout Values": "the maximum limit of a year still applies").
    parent_run, child_run = _parent_and_child(flow, executionStartToCloseTimeout="NONE")
    assert flow.history("p", parent_run)[5] == {**INITIATED, "executionStartToCloseTimeout": "NONE"}
    assert flow.history("c", child_run)[1]["executionStartToCloseTimeout"] == "NONE"
    configuration = flow.describe("c", child_run)["executionConfiguration"]
    assert configuration["executionStartToCloseTimeout"] == "NONE"
    flow.terminate("p", childPolicy="ABANDON")  # so that only the child's own limit is left
    flow.sim.clock.advance(ONE_YEAR - 0.001)  # far beyond CHILD's default of 1800 s
    assert flow.describe("c", child_run)["executionInfo"]["executionStatus"] == "OPEN"
    flow.sim.clock.advance(0.001)
    child = flow.history("c", child_run)
    assert child.types == [
        "WorkflowExecutionStarted",
        "DecisionTaskScheduled",
        "WorkflowExecutionTimedOut",
    ]
    assert child[3] == {"timeoutType": "START_TO_CLOSE", "childPolicy": "TERMINATE"}
    assert child.time(3) == at(ONE_YEAR)


def test_child_that_continues_as_new_reports_its_last_run_to_the_parent(flow: Flow) -> None:
    # SWF has no "child continued" event: the new run keeps the parent link, and the parent
    # hears of the last run.
    parent_run, child_run = _parent_and_child(flow)
    flow.decide(continue_as_new(input="again"), task_list=CHILDREN)
    new_run = flow.history("c", child_run)[5]["newExecutionRunId"]
    successor = flow.history("c", new_run)
    assert successor[1]["parentWorkflowExecution"] == {"workflowId": "p", "runId": parent_run}
    assert successor[1]["parentInitiatedEventId"] == 5
    assert flow.history("p", parent_run).types[-1] == "DecisionTaskCompleted"
    flow.decide(complete(result="from the new run"), task_list=CHILDREN)
    _child_closed(
        flow.history("p", parent_run),
        "ChildWorkflowExecutionCompleted",
        new_run,
        result="from the new run",
    )


# ---- child policies (API Reference: childPolicy; swf-dev-workflow-exec-closure.html) ----------


def _child_policy_scene(flow: Flow, policy: str, closing: str) -> tuple[History, str]:
    """Parent "p" with child "c" (own policy ABANDON) closes by ``closing`` ("terminate" or
    "timeout") under child policy ``policy`` (given to the terminate call, or the run's own
    for a timeout); the child's history and runId."""
    configured = policy
    if closing == "terminate":
        # The policy given to TerminateWorkflowExecution wins over the run's own.
        configured = "ABANDON" if policy != "ABANDON" else "TERMINATE"
    parent_run = flow.start("p", executionStartToCloseTimeout="100", childPolicy=configured)
    flow.decide(start_child("c", childPolicy="ABANDON"))
    child_run = flow.history("p", parent_run)[6]["workflowExecution"]["runId"]
    flow.decide(task_list=CHILDREN)  # the child's first task: events 3, 4
    if closing == "terminate":
        flow.terminate("p", childPolicy=policy)
    else:
        flow.sim.clock.advance(100)
    parent = flow.history("p", parent_run)
    expected_close = (
        {"childPolicy": policy}
        if closing == "terminate"
        else {"timeoutType": "START_TO_CLOSE", "childPolicy": policy}
    )
    closing_type = (
        "WorkflowExecutionTerminated" if closing == "terminate" else "WorkflowExecutionTimedOut"
    )
    assert parent.types[7:] == [closing_type]
    assert parent[8] == expected_close
    assert parent.time(8) == at(0 if closing == "terminate" else 100)
    return flow.history("c", child_run), child_run


CHILD_SO_FAR = BLOCK  # the child's events before the parent closed


@covers(
    "WorkflowExecutionTerminated",
    causes=("WorkflowExecutionTerminatedCause.CHILD_POLICY_APPLIED",),
)
def test_child_policy_terminate_on_parent_termination(flow: Flow) -> None:
    child, _ = _child_policy_scene(flow, "TERMINATE", "terminate")
    assert child.types == [*CHILD_SO_FAR, "WorkflowExecutionTerminated"]
    # The child's own policy, and the cause (WorkflowExecutionTerminatedEventAttributes).
    assert child[5] == {"childPolicy": "ABANDON", "cause": "CHILD_POLICY_APPLIED"}


@covers(
    "WorkflowExecutionTerminated",
    causes=("WorkflowExecutionTerminatedCause.CHILD_POLICY_APPLIED",),
)
def test_child_policy_terminate_on_parent_timeout(flow: Flow) -> None:
    child, _ = _child_policy_scene(flow, "TERMINATE", "timeout")
    assert child.types == [*CHILD_SO_FAR, "WorkflowExecutionTerminated"]
    assert child[5] == {"childPolicy": "ABANDON", "cause": "CHILD_POLICY_APPLIED"}
    assert child.time(5) == at(100)


@covers(
    "WorkflowExecutionCancelRequested",
    causes=("WorkflowExecutionCancelRequestedCause.CHILD_POLICY_APPLIED",),
)
def test_child_policy_request_cancel_on_parent_termination(flow: Flow) -> None:
    child, child_run = _child_policy_scene(flow, "REQUEST_CANCEL", "terminate")
    assert child.types == [
        *CHILD_SO_FAR,
        "WorkflowExecutionCancelRequested",
        "DecisionTaskScheduled",
    ]
    assert child[5] == {"cause": "CHILD_POLICY_APPLIED"}
    info = flow.describe("c", child_run)["executionInfo"]
    assert (info["executionStatus"], info["cancelRequested"]) == ("OPEN", True)


@covers(
    "WorkflowExecutionCancelRequested",
    causes=("WorkflowExecutionCancelRequestedCause.CHILD_POLICY_APPLIED",),
)
def test_child_policy_request_cancel_on_parent_timeout(flow: Flow) -> None:
    child, child_run = _child_policy_scene(flow, "REQUEST_CANCEL", "timeout")
    assert child.types == [
        *CHILD_SO_FAR,
        "WorkflowExecutionCancelRequested",
        "DecisionTaskScheduled",
    ]
    assert child[5] == {"cause": "CHILD_POLICY_APPLIED"}
    # The child's decider decides; the closed parent hears nothing more.
    flow.decide(cancel(), task_list=CHILDREN)
    assert flow.describe("c", child_run)["executionInfo"]["closeStatus"] == "CANCELED"
    assert _open_ids(flow) == []


def test_child_policy_abandon_on_parent_termination(flow: Flow) -> None:
    child, _ = _child_policy_scene(flow, "ABANDON", "terminate")
    assert child.types == CHILD_SO_FAR
    assert _open_ids(flow) == ["c"]


def test_child_policy_abandon_on_parent_timeout(flow: Flow) -> None:
    child, _ = _child_policy_scene(flow, "ABANDON", "timeout")
    assert child.types == CHILD_SO_FAR
    assert _open_ids(flow) == ["c"]


def test_parent_completion_applies_no_child_policy(flow: Flow) -> None:
    # Only termination and time-out apply the policy (the only closings AWS documents it for).
    parent_run, _child_run = _parent_and_child(flow)
    flow.signal("p", "finish")
    flow.decide(complete())
    assert flow.history("p", parent_run).types[-1] == "WorkflowExecutionCompleted"
    assert _open_ids(flow) == ["c"]


def _open_ids(flow: Flow) -> list[str]:
    infos = flow.client.list_open_workflow_executions(
        domain=DOMAIN, startTimeFilter={"oldestDate": at(-1)}
    )["executionInfos"]
    return sorted(info["execution"]["workflowId"] for info in infos)


# ---- StartChildWorkflowExecutionFailed (its EventAttributes in the API Reference) -------------


@covers(
    "StartChildWorkflowExecutionFailed",
    causes=("StartChildWorkflowExecutionFailedCause.WORKFLOW_ALREADY_RUNNING",),
)
def test_start_child_with_a_workflow_id_already_running(flow: Flow) -> None:
    flow.start("c", CHILD)
    parent_run = flow.start("p")
    flow.decide(start_child("c", input="ci", control="ctl"))
    parent = flow.history("p", parent_run)
    assert parent.types == [
        *BLOCK,
        "StartChildWorkflowExecutionInitiated",
        "StartChildWorkflowExecutionFailed",
        "DecisionTaskScheduled",
    ]
    assert parent[5] == INITIATED
    # Initiated first, so the failure points at it (model docs).
    assert parent[6] == {
        "workflowType": CHILD,
        "cause": "WORKFLOW_ALREADY_RUNNING",
        "workflowId": "c",
        "initiatedEventId": 5,
        "decisionTaskCompletedEventId": 4,
        "control": "ctl",
    }
    assert flow.describe("p", parent_run)["openCounts"]["openChildWorkflowExecutions"] == 0


def _start_child_fails(
    flow: Flow, decision: JsonDict, cause: str, workflow_type: JsonDict = CHILD
) -> None:
    """The decision fails at once: no Initiated event, so initiatedEventId is 0."""
    parent_run = flow.start("p")
    flow.decide(decision)
    parent = flow.history("p", parent_run)
    assert parent.types == [*BLOCK, "StartChildWorkflowExecutionFailed", "DecisionTaskScheduled"]
    assert parent[5] == {
        "workflowType": workflow_type,
        "cause": cause,
        "workflowId": "c",
        "initiatedEventId": 0,
        "decisionTaskCompletedEventId": 4,
        "control": "ctl",
    }
    assert _open_ids(flow) == ["p"]


@covers(
    "StartChildWorkflowExecutionFailed",
    causes=("StartChildWorkflowExecutionFailedCause.WORKFLOW_TYPE_DOES_NOT_EXIST",),
)
def test_start_child_of_an_unknown_type(flow: Flow) -> None:
    unknown = {"name": "Child", "version": "9"}
    _start_child_fails(
        flow, start_child("c", unknown, control="ctl"), "WORKFLOW_TYPE_DOES_NOT_EXIST", unknown
    )


@covers(
    "StartChildWorkflowExecutionFailed",
    causes=("StartChildWorkflowExecutionFailedCause.WORKFLOW_TYPE_DEPRECATED",),
)
def test_start_child_of_a_deprecated_type(flow: Flow) -> None:
    flow.client.deprecate_workflow_type(domain=DOMAIN, workflowType=CHILD)
    _start_child_fails(flow, start_child("c", control="ctl"), "WORKFLOW_TYPE_DEPRECATED")


@covers(
    "StartChildWorkflowExecutionFailed",
    causes=("StartChildWorkflowExecutionFailedCause.OPEN_CHILDREN_LIMIT_EXCEEDED",),
)
def test_start_child_beyond_1000_open_children(flow: Flow) -> None:
    parent_run = flow.start("p")
    flow.decide(*(start_child(f"c{index}") for index in range(1001)))
    parent = flow.history("p", parent_run)
    # Counted from the Initiated event: the 1001st fails inside the decision block; the
    # children start after it.
    assert parent.types == [
        *BLOCK,
        *["StartChildWorkflowExecutionInitiated"] * 1000,
        "StartChildWorkflowExecutionFailed",
        "DecisionTaskScheduled",
        *["ChildWorkflowExecutionStarted"] * 1000,
    ]
    assert parent[1005] == {
        "workflowType": CHILD,
        "cause": "OPEN_CHILDREN_LIMIT_EXCEEDED",
        "workflowId": "c1000",
        "initiatedEventId": 0,
        "decisionTaskCompletedEventId": 4,
    }
    assert flow.describe("p", parent_run)["openCounts"]["openChildWorkflowExecutions"] == 1000


@covers(
    "StartChildWorkflowExecutionFailed",
    causes=("StartChildWorkflowExecutionFailedCause.OPEN_WORKFLOWS_LIMIT_EXCEEDED",),
)
def test_start_child_beyond_the_open_executions_of_the_domain(
    flow: Flow, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The quota is 100,000 open executions per domain (swf-dg-limits.html); three stand in for it
    # here, the behaviour at the limit being the same.
    monkeypatch.setattr(swfsim.model.children, "MAX_OPEN_RUNS_PER_DOMAIN", 3)
    parent_run = flow.start("p")
    flow.start("other-1")
    flow.start("other-2")
    flow.decide(start_child("c", control="ctl"))
    parent = flow.history("p", parent_run)
    assert parent.types == [*BLOCK, "StartChildWorkflowExecutionFailed", "DecisionTaskScheduled"]
    assert parent[5] == {
        "workflowType": CHILD,
        "cause": "OPEN_WORKFLOWS_LIMIT_EXCEEDED",
        "workflowId": "c",
        "initiatedEventId": 0,
        "decisionTaskCompletedEventId": 4,
        "control": "ctl",
    }


BARE = {"name": "Bare", "version": "1"}  # a workflow type registered without any default
EVERY_SETTING = {
    "executionStartToCloseTimeout": "1800",
    "taskList": CHILDREN,
    "taskStartToCloseTimeout": "30",
    "childPolicy": "TERMINATE",
}


def _child_without(flow: Flow, setting: str) -> JsonDict:
    flow.register_workflow_type(BARE)
    values = {key: value for key, value in EVERY_SETTING.items() if key != setting}
    return start_child("c", BARE, control="ctl", **values)


@covers(
    "StartChildWorkflowExecutionFailed",
    causes=(
        "StartChildWorkflowExecutionFailedCause.DEFAULT_EXECUTION_START_TO_CLOSE_TIMEOUT_UNDEFINED",
    ),
)
def test_start_child_without_an_execution_timeout(flow: Flow) -> None:
    decision = _child_without(flow, "executionStartToCloseTimeout")
    _start_child_fails(flow, decision, "DEFAULT_EXECUTION_START_TO_CLOSE_TIMEOUT_UNDEFINED", BARE)


@covers(
    "StartChildWorkflowExecutionFailed",
    causes=("StartChildWorkflowExecutionFailedCause.DEFAULT_TASK_LIST_UNDEFINED",),
)
def test_start_child_without_a_task_list(flow: Flow) -> None:
    decision = _child_without(flow, "taskList")
    _start_child_fails(flow, decision, "DEFAULT_TASK_LIST_UNDEFINED", BARE)


@covers(
    "StartChildWorkflowExecutionFailed",
    causes=(
        "StartChildWorkflowExecutionFailedCause.DEFAULT_TASK_START_TO_CLOSE_TIMEOUT_UNDEFINED",
    ),
)
def test_start_child_without_a_task_timeout(flow: Flow) -> None:
    decision = _child_without(flow, "taskStartToCloseTimeout")
    _start_child_fails(flow, decision, "DEFAULT_TASK_START_TO_CLOSE_TIMEOUT_UNDEFINED", BARE)


@covers(
    "StartChildWorkflowExecutionFailed",
    causes=("StartChildWorkflowExecutionFailedCause.DEFAULT_CHILD_POLICY_UNDEFINED",),
)
def test_start_child_without_a_child_policy(flow: Flow) -> None:
    decision = _child_without(flow, "childPolicy")
    _start_child_fails(flow, decision, "DEFAULT_CHILD_POLICY_UNDEFINED", BARE)


# ---- continue-as-new (API Reference: ContinueAsNewWorkflowExecutionDecisionAttributes) ---------


@covers("WorkflowExecutionContinuedAsNew")
def test_continue_as_new(flow: Flow) -> None:
    elsewhere = {"name": "elsewhere"}
    old_run = flow.start(
        "w",
        input="old input",
        executionStartToCloseTimeout="500",
        taskList=elsewhere,
        taskStartToCloseTimeout="20",
        childPolicy="ABANDON",
        tagList=["old"],
        taskPriority="7",
    )
    flow.decide(continue_as_new(input="new input"), task_list=elsewhere)
    old = flow.history("w", old_run)
    assert old.types == [*BLOCK, "WorkflowExecutionContinuedAsNew"]
    new_run = old[5]["newExecutionRunId"]
    assert new_run != old_run
    # Settings come from the type's defaults, not from the old run (the attributes' documentation).
    defaults = {
        "executionStartToCloseTimeout": "3600",
        "taskList": DECIDERS,
        "taskStartToCloseTimeout": "60",
        "childPolicy": "TERMINATE",
        "workflowType": WORKFLOW,
    }
    assert old[5] == {
        "input": "new input",
        "decisionTaskCompletedEventId": 4,
        "newExecutionRunId": new_run,
        **defaults,
    }
    new = flow.history("w", new_run)
    assert new.types == ["WorkflowExecutionStarted", "DecisionTaskScheduled"]
    assert new[1] == {
        "input": "new input",
        **defaults,
        "continuedExecutionRunId": old_run,
        "parentInitiatedEventId": 0,
    }
    assert flow.describe("w", old_run)["executionInfo"]["closeStatus"] == "CONTINUED_AS_NEW"
    described = flow.describe("w", new_run)
    assert described["executionInfo"]["execution"] == {"workflowId": "w", "runId": new_run}
    assert described["executionInfo"]["executionStatus"] == "OPEN"
    assert "tagList" not in described["executionInfo"]
    # The new run's decision task waits on the default list, and its clock starts afresh.
    assert flow.poll_decision()["workflowExecution"]["runId"] == new_run
    flow.sim.clock.advance(3599)
    assert flow.describe("w", new_run)["executionInfo"]["executionStatus"] == "OPEN"


def test_continue_as_new_with_execution_timeout_none(flow: Flow) -> None:
    # The decision's model documentation allows NONE, and AWS recorded it as "NONE" on both
    # events (clarioanalytics/SWiFt, examples/workflows/ContinuousWorkflowHistory.json, 2014).
    # SWF's one-year hard quota still applies ("Setting Timeout Values in Amazon SWF").
    old_run = flow.start("w")
    flow.decide(continue_as_new(executionStartToCloseTimeout="NONE"))
    old = flow.history("w", old_run)
    new_run = old[5]["newExecutionRunId"]
    settings = {
        "executionStartToCloseTimeout": "NONE",
        "taskList": DECIDERS,
        "taskStartToCloseTimeout": "60",
        "childPolicy": "TERMINATE",
        "workflowType": WORKFLOW,
    }
    assert old[5] == {**settings, "newExecutionRunId": new_run, "decisionTaskCompletedEventId": 4}
    assert flow.history("w", new_run)[1] == {
        **settings,
        "continuedExecutionRunId": old_run,
        "parentInitiatedEventId": 0,
    }
    configuration = flow.describe("w", new_run)["executionConfiguration"]
    assert configuration["executionStartToCloseTimeout"] == "NONE"
    flow.sim.clock.advance(ONE_YEAR - 0.001)  # far beyond the type's default of 3600 s
    assert flow.describe("w", new_run)["executionInfo"]["executionStatus"] == "OPEN"
    flow.sim.clock.advance(0.001)
    new = flow.history("w", new_run)
    assert new.types[2:] == ["WorkflowExecutionTimedOut"]
    assert new[3] == {"timeoutType": "START_TO_CLOSE", "childPolicy": "TERMINATE"}
    assert new.time(3) == at(ONE_YEAR)


def test_continue_as_new_to_another_version_uses_that_versions_defaults(flow: Flow) -> None:
    version_2 = {"name": WORKFLOW["name"], "version": "2"}
    flow.register_workflow_type(
        version_2,
        defaultTaskList={"name": "v2"},
        defaultExecutionStartToCloseTimeout="7200",
        defaultTaskStartToCloseTimeout="15",
        defaultChildPolicy="REQUEST_CANCEL",
        defaultTaskPriority="3",
        defaultLambdaRole="arn:aws:iam::123456789012:role/v2",
    )
    old_run = flow.start("w")
    flow.decide(continue_as_new(workflowTypeVersion="2", tagList=["given"]))
    new_run = flow.history("w", old_run)[5]["newExecutionRunId"]
    assert flow.history("w", new_run)[1] == {
        "executionStartToCloseTimeout": "7200",
        "taskStartToCloseTimeout": "15",
        "childPolicy": "REQUEST_CANCEL",
        "taskList": {"name": "v2"},
        "taskPriority": "3",
        "workflowType": version_2,
        "tagList": ["given"],
        "lambdaRole": "arn:aws:iam::123456789012:role/v2",
        "continuedExecutionRunId": old_run,
        "parentInitiatedEventId": 0,
    }


def _continue_fails(
    flow: Flow, decision: JsonDict, cause: str, workflow_type: JsonDict = WORKFLOW, **start: Any
) -> None:
    run_id = flow.start("w", workflow_type, **start)
    task_list = start.get("taskList", DECIDERS)
    flow.decide(decision, task_list=task_list)
    history = flow.history("w", run_id)
    assert history.types == [
        *BLOCK,
        "ContinueAsNewWorkflowExecutionFailed",
        "DecisionTaskScheduled",
    ]
    assert history[5] == {"cause": cause, "decisionTaskCompletedEventId": 4}
    assert _open_ids(flow) == ["w"]


@covers(
    "ContinueAsNewWorkflowExecutionFailed",
    causes=("ContinueAsNewWorkflowExecutionFailedCause.WORKFLOW_TYPE_DOES_NOT_EXIST",),
)
def test_continue_as_new_to_an_unknown_version(flow: Flow) -> None:
    _continue_fails(flow, continue_as_new(workflowTypeVersion="9"), "WORKFLOW_TYPE_DOES_NOT_EXIST")


@covers(
    "ContinueAsNewWorkflowExecutionFailed",
    causes=("ContinueAsNewWorkflowExecutionFailedCause.WORKFLOW_TYPE_DEPRECATED",),
)
def test_continue_as_new_of_a_deprecated_type(flow: Flow) -> None:
    run_id = flow.start("w")
    flow.client.deprecate_workflow_type(domain=DOMAIN, workflowType=WORKFLOW)
    flow.decide(continue_as_new())
    history = flow.history("w", run_id)
    assert history.types[4:] == ["ContinueAsNewWorkflowExecutionFailed", "DecisionTaskScheduled"]
    assert history[5] == {"cause": "WORKFLOW_TYPE_DEPRECATED", "decisionTaskCompletedEventId": 4}


def _bare_continue(flow: Flow, setting: str, cause: str) -> None:
    flow.register_workflow_type(BARE)
    values = {key: value for key, value in EVERY_SETTING.items() if key != setting}
    _continue_fails(flow, continue_as_new(**values), cause, BARE, **EVERY_SETTING)


@covers(
    "ContinueAsNewWorkflowExecutionFailed",
    causes=(
        "ContinueAsNewWorkflowExecutionFailedCause.DEFAULT_EXECUTION_START_TO_CLOSE_TIMEOUT_UNDEFINED",
    ),
)
def test_continue_as_new_without_an_execution_timeout(flow: Flow) -> None:
    _bare_continue(
        flow, "executionStartToCloseTimeout", "DEFAULT_EXECUTION_START_TO_CLOSE_TIMEOUT_UNDEFINED"
    )


@covers(
    "ContinueAsNewWorkflowExecutionFailed",
    causes=("ContinueAsNewWorkflowExecutionFailedCause.DEFAULT_TASK_LIST_UNDEFINED",),
)
def test_continue_as_new_without_a_task_list(flow: Flow) -> None:
    _bare_continue(flow, "taskList", "DEFAULT_TASK_LIST_UNDEFINED")


@covers(
    "ContinueAsNewWorkflowExecutionFailed",
    causes=(
        "ContinueAsNewWorkflowExecutionFailedCause.DEFAULT_TASK_START_TO_CLOSE_TIMEOUT_UNDEFINED",
    ),
)
def test_continue_as_new_without_a_task_timeout(flow: Flow) -> None:
    _bare_continue(flow, "taskStartToCloseTimeout", "DEFAULT_TASK_START_TO_CLOSE_TIMEOUT_UNDEFINED")


@covers(
    "ContinueAsNewWorkflowExecutionFailed",
    causes=("ContinueAsNewWorkflowExecutionFailedCause.DEFAULT_CHILD_POLICY_UNDEFINED",),
)
def test_continue_as_new_without_a_child_policy(flow: Flow) -> None:
    _bare_continue(flow, "childPolicy", "DEFAULT_CHILD_POLICY_UNDEFINED")


def test_terminate_policy_reaches_grandchildren_through_the_childs_own_policy(
    flow: Flow,
) -> None:
    # The child's own children are handled by the child's policy.
    parent_run = flow.start("p")
    flow.decide(start_child("c", childPolicy="TERMINATE"))
    child_run = flow.history("p", parent_run)[6]["workflowExecution"]["runId"]
    flow.decide(start_child("g", childPolicy="ABANDON"), task_list=CHILDREN)
    grandchild_run = flow.history("c", child_run)[6]["workflowExecution"]["runId"]
    flow.terminate("p")
    child = flow.history("c", child_run)
    assert child.types[-1] == "WorkflowExecutionTerminated"
    assert child[len(child)] == {"childPolicy": "TERMINATE", "cause": "CHILD_POLICY_APPLIED"}
    grandchild = flow.history("g", grandchild_run)
    assert grandchild.types == [
        "WorkflowExecutionStarted",
        "DecisionTaskScheduled",
        "WorkflowExecutionTerminated",
    ]
    assert grandchild[3] == {"childPolicy": "ABANDON", "cause": "CHILD_POLICY_APPLIED"}
    assert _open_ids(flow) == []


def test_two_children_with_the_same_workflow_id_in_one_answer(flow: Flow) -> None:
    parent_run = flow.start("p")
    flow.decide(start_child("c"), start_child("c", control="second"))
    parent = flow.history("p", parent_run)
    # Both are initiated; the first starts, so the second finds its workflowId in use.
    assert parent.types == [
        *BLOCK,
        "StartChildWorkflowExecutionInitiated",
        "StartChildWorkflowExecutionInitiated",
        "ChildWorkflowExecutionStarted",
        "DecisionTaskScheduled",
        "StartChildWorkflowExecutionFailed",
    ]
    assert parent[7]["initiatedEventId"] == 5
    assert parent[9] == {
        "workflowType": CHILD,
        "cause": "WORKFLOW_ALREADY_RUNNING",
        "workflowId": "c",
        "initiatedEventId": 6,
        "decisionTaskCompletedEventId": 4,
        "control": "second",
    }
