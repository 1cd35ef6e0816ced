"""Starting, signalling, canceling, terminating, timing out and describing runs (their pages in
the SWF API Reference; swf-timeout-types.html)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from api_helpers import (
    DECISIONS,
    DOMAIN,
    START,
    WORKFLOW,
    attributes,
    complete,
    raises_validation,
    record_marker,
    schedule_activity,
    start_timer,
)


def test_start_records_resolved_configuration(ready):
    execution = ready.start(input="order #1", tagList=["vip", "eu"])

    events = ready.history(execution)

    assert [e["eventType"] for e in events] == ["WorkflowExecutionStarted", "DecisionTaskScheduled"]
    assert all(e["eventTimestamp"] == START for e in events)
    assert attributes(events[0]) == {
        "input": "order #1",
        "executionStartToCloseTimeout": "3600",
        "taskStartToCloseTimeout": "30",
        "childPolicy": "TERMINATE",
        "taskList": DECISIONS,
        "workflowType": WORKFLOW,
        "tagList": ["vip", "eu"],
        "parentInitiatedEventId": 0,
    }
    assert attributes(events[1]) == {
        "taskList": DECISIONS,
        "startToCloseTimeout": "30",
        "scheduleToStartTimeout": "NONE",
    }


def test_start_arguments_override_type_defaults(ready):
    execution = ready.start(
        taskList={"name": "urgent"},
        executionStartToCloseTimeout="60",
        taskStartToCloseTimeout="5",
        childPolicy="ABANDON",
        taskPriority="7",
        lambdaRole="arn:aws:iam::123456789012:role/swf-lambda",
    )

    detail = ready.describe(execution)

    assert detail["executionConfiguration"] == {
        "taskStartToCloseTimeout": "5",
        "executionStartToCloseTimeout": "60",
        "taskList": {"name": "urgent"},
        "taskPriority": "7",
        "childPolicy": "ABANDON",
        "lambdaRole": "arn:aws:iam::123456789012:role/swf-lambda",
    }
    scheduled = attributes(ready.history(execution)[1])
    assert scheduled["taskList"] == {"name": "urgent"}
    assert scheduled["taskPriority"] == "7"
    pending = ready.swf.count_pending_decision_tasks(domain=DOMAIN, taskList={"name": "urgent"})
    assert (pending["count"], pending["truncated"]) == (1, False)
    assert ready.swf.count_pending_decision_tasks(domain=DOMAIN, taskList=DECISIONS)["count"] == 0


def test_run_ids_are_unique_and_aws_shaped(ready):
    first = ready.start("a")["runId"]
    second = ready.start("b")["runId"]

    assert first != second
    for run_id in (first, second):
        assert re.fullmatch(r"22[A-Za-z0-9+/]{43}=", run_id)


def test_already_started_then_reuse_after_close(ready):
    first = ready.start()
    with pytest.raises(ready.swf.exceptions.WorkflowExecutionAlreadyStartedFault, match="order-1"):
        ready.start()

    ready.swf.terminate_workflow_execution(domain=DOMAIN, workflowId="order-1")
    second = ready.start()

    assert second["runId"] != first["runId"]
    assert ready.describe(first)["executionInfo"]["executionStatus"] == "CLOSED"
    assert ready.describe(second)["executionInfo"]["executionStatus"] == "OPEN"


@pytest.mark.parametrize(
    "setting",
    ["executionStartToCloseTimeout", "taskList", "taskStartToCloseTimeout", "childPolicy"],
)
def test_default_undefined(wf, setting):
    wf.register_domain()
    default = "default" + setting[0].upper() + setting[1:]
    wf.register_workflow_type(**{default: None})

    with pytest.raises(wf.swf.exceptions.DefaultUndefinedFault, match=f"^.*: {setting}"):
        wf.start()
    assert (
        wf.swf.count_open_workflow_executions(domain=DOMAIN, startTimeFilter={"oldestDate": START})[
            "count"
        ]
        == 0
    )


def test_default_undefined_is_satisfied_by_the_request(wf):
    wf.register_domain()
    wf.register_workflow_type(defaultChildPolicy=None, defaultTaskList=None)

    execution = wf.start(childPolicy="REQUEST_CANCEL", taskList={"name": "given"})

    assert wf.describe(execution)["executionConfiguration"]["childPolicy"] == "REQUEST_CANCEL"


def test_start_faults_for_unknown_and_deprecated_types(ready):
    swf = ready.swf
    with pytest.raises(swf.exceptions.UnknownResourceFault, match="Unknown domain: nope"):
        swf.start_workflow_execution(domain="nope", workflowId="w", workflowType=WORKFLOW)
    with pytest.raises(swf.exceptions.UnknownResourceFault, match=re.escape("version=9")):
        ready.start(workflowType={"name": "OrderWorkflow", "version": "9"})

    swf.deprecate_workflow_type(domain=DOMAIN, workflowType=WORKFLOW)
    with pytest.raises(swf.exceptions.TypeDeprecatedFault, match="OrderWorkflow"):
        ready.start()


def test_validation_comes_before_other_faults(ready):
    with raises_validation("'BOGUS' at 'childPolicy'"):
        ready.swf.start_workflow_execution(
            domain="nope", workflowId="w", workflowType=WORKFLOW, childPolicy="BOGUS"
        )


def test_decision_tasks_without_a_timeout_never_time_out(ready):
    execution = ready.start(taskStartToCloseTimeout="NONE")
    task = ready.poll_decision()

    ready.sim.clock.advance(timedelta(minutes=59))

    ready.decide(task, complete())
    assert ready.types(execution)[-2:] == ["DecisionTaskCompleted", "WorkflowExecutionCompleted"]


@pytest.mark.parametrize(
    ("params", "match"),
    [
        ({"workflowId": "a:b"}, "Value 'a:b' at 'workflowId'"),
        ({"workflowId": "arn"}, "Value 'arn' at 'workflowId'"),
        ({"workflowId": "tab\there"}, "at 'workflowId'.*control characters"),
        (
            {"workflowId": "w" * 257},
            "Value '.*' at 'workflowId' failed to satisfy constraint: Member must have length less "
            "than or equal to 256",
        ),
        (
            {"tagList": ["t1", "t2", "t3", "t4", "t5", "t6"]},
            "at 'tagList' .*length less than or equal to 5",
        ),
        ({"tagList": ["x" * 257]}, "at 'tagList.1.member'"),
        (
            {"childPolicy": "BOGUS"},
            r"Value 'BOGUS' at 'childPolicy' .*enum value set: "
            r"\[TERMINATE, REQUEST_CANCEL, ABANDON\]",
        ),
        ({"executionStartToCloseTimeout": "abc"}, "'abc' at 'executionStartToCloseTimeout'"),
        (
            # Unlike the child and continue-as-new decisions (model docs).
            {"executionStartToCloseTimeout": "NONE"},
            r"1 validation error detected: Value 'NONE' at 'executionStartToCloseTimeout' failed "
            r"to satisfy constraint: Member must be a non-negative whole number of seconds$",
        ),
        ({"executionStartToCloseTimeout": "31536001"}, "one year"),
        ({"taskStartToCloseTimeout": "-1"}, "'-1' at 'taskStartToCloseTimeout'"),
        ({"taskList": {"name": "a|b"}}, "at 'taskList.name'"),
        ({"taskPriority": "1.5"}, "'1.5' at 'taskPriority'"),
        ({"input": "i" * 32769}, "at 'input' .*32768"),
    ],
)
def test_start_validation(ready, params, match):
    params = {"workflowId": "order-1", **params}
    with raises_validation(match):
        ready.start(params.pop("workflowId"), **params)
    assert (
        ready.swf.count_open_workflow_executions(
            domain=DOMAIN, startTimeFilter={"oldestDate": START}
        )["count"]
        == 0
    )


def test_signal(ready):
    execution = ready.start()
    ready.decide(ready.poll_decision())

    ready.swf.signal_workflow_execution(
        domain=DOMAIN, workflowId="order-1", signalName="shipped", input="parcel-9"
    )
    ready.swf.signal_workflow_execution(
        domain=DOMAIN, workflowId="order-1", runId=execution["runId"], signalName="paid"
    )

    events = ready.history(execution)
    assert [e["eventType"] for e in events[4:]] == [
        "WorkflowExecutionSignaled",
        "DecisionTaskScheduled",
        "WorkflowExecutionSignaled",
    ]
    # API signals carry externalInitiatedEventId 0 and nothing else external (real-aws #19).
    assert attributes(events[4]) == {
        "signalName": "shipped",
        "input": "parcel-9",
        "externalInitiatedEventId": 0,
    }
    assert attributes(events[6]) == {"signalName": "paid", "externalInitiatedEventId": 0}
    task = ready.poll_decision()
    assert [e["eventType"] for e in task["events"]][-3:] == [
        "DecisionTaskScheduled",
        "WorkflowExecutionSignaled",
        "DecisionTaskStarted",
    ]


@pytest.mark.parametrize("operation", ["signal", "request_cancel", "terminate"])
def test_external_calls_need_an_open_run(ready, operation):
    swf = ready.swf
    call = {
        "signal": lambda **kw: swf.signal_workflow_execution(signalName="s", **kw),
        "request_cancel": swf.request_cancel_workflow_execution,
        "terminate": swf.terminate_workflow_execution,
    }[operation]
    execution = ready.start()

    with pytest.raises(swf.exceptions.UnknownResourceFault, match="workflowId=unknown"):
        call(domain=DOMAIN, workflowId="unknown")
    with pytest.raises(swf.exceptions.UnknownResourceFault, match="runId=wrong-run"):
        call(domain=DOMAIN, workflowId="order-1", runId="wrong-run")
    with pytest.raises(swf.exceptions.UnknownResourceFault, match="Unknown domain: nope"):
        call(domain="nope", workflowId="order-1")
    swf.terminate_workflow_execution(domain=DOMAIN, workflowId="order-1")
    with pytest.raises(swf.exceptions.UnknownResourceFault, match="order-1"):
        call(domain=DOMAIN, **execution)


def test_request_cancel_then_cancel_decision(ready):
    execution = ready.start()
    ready.decide(ready.poll_decision())

    ready.swf.request_cancel_workflow_execution(domain=DOMAIN, workflowId="order-1")

    info = ready.describe(execution)["executionInfo"]
    assert info["cancelRequested"] is True
    task = ready.poll_decision()
    assert [e["eventType"] for e in task["events"]][-3:] == [
        "WorkflowExecutionCancelRequested",
        "DecisionTaskScheduled",
        "DecisionTaskStarted",
    ]
    assert attributes(task["events"][-3]) == {"externalInitiatedEventId": 0}

    ready.decide(
        task,
        {
            "decisionType": "CancelWorkflowExecution",
            "cancelWorkflowExecutionDecisionAttributes": {"details": "customer"},
        },
    )

    last = ready.history(execution)[-1]
    assert last["eventType"] == "WorkflowExecutionCanceled"
    assert attributes(last) == {"details": "customer", "decisionTaskCompletedEventId": 8}
    info = ready.describe(execution)["executionInfo"]
    assert (info["executionStatus"], info["closeStatus"]) == ("CLOSED", "CANCELED")
    assert info["cancelRequested"] is False  # real AWS reports false once closed (real-aws #9)


def test_terminate(ready):
    execution = ready.start()
    task = ready.poll_decision()
    ready.sim.clock.advance(10)

    ready.swf.terminate_workflow_execution(
        domain=DOMAIN, workflowId="order-1", reason="fraud", details="card stolen"
    )

    last = ready.history(execution)[-1]
    assert (last["eventId"], last["eventType"]) == (4, "WorkflowExecutionTerminated")
    assert attributes(last) == {
        "reason": "fraud",
        "details": "card stolen",
        "childPolicy": "TERMINATE",
    }
    info = ready.describe(execution)["executionInfo"]
    assert info["closeStatus"] == "TERMINATED"
    assert info["closeTimestamp"] == START + timedelta(seconds=10)
    # The decider's token died with the run.
    with pytest.raises(ready.swf.exceptions.UnknownResourceFault, match="task token"):
        ready.decide(task, complete())
    assert ready.swf.count_pending_decision_tasks(domain=DOMAIN, taskList=DECISIONS)["count"] == 0


def test_terminate_child_policy_argument_wins(ready):
    execution = ready.start()

    ready.swf.terminate_workflow_execution(
        domain=DOMAIN, workflowId="order-1", childPolicy="ABANDON"
    )

    assert attributes(ready.history(execution)[-1]) == {"childPolicy": "ABANDON"}


def test_execution_start_to_close_timeout(ready):
    execution = ready.start(executionStartToCloseTimeout="120")
    ready.decide(ready.poll_decision(), start_timer("t", 3600))

    ready.sim.clock.advance(119)
    assert ready.describe(execution)["executionInfo"]["executionStatus"] == "OPEN"
    ready.sim.clock.advance(1)

    events = ready.history(execution)
    assert [e["eventType"] for e in events[-2:]] == ["TimerStarted", "WorkflowExecutionTimedOut"]
    assert attributes(events[-1]) == {"timeoutType": "START_TO_CLOSE", "childPolicy": "TERMINATE"}
    assert events[-1]["eventTimestamp"] == START + timedelta(seconds=120)
    info = ready.describe(execution)["executionInfo"]
    assert (info["closeStatus"], info["closeTimestamp"]) == (
        "TIMED_OUT",
        events[-1]["eventTimestamp"],
    )
    ready.sim.clock.advance(3600)  # the open timer never fires on a closed run
    assert len(ready.history(execution)) == len(events)


def test_describe_open_counts_context_and_activity_timestamp(ready):
    execution = ready.start()
    assert ready.describe(execution)["openCounts"] == {
        "openActivityTasks": 0,
        "openDecisionTasks": 1,
        "openTimers": 0,
        "openChildWorkflowExecutions": 0,
        "openLambdaFunctions": 0,
    }
    assert "latestActivityTaskTimestamp" not in ready.describe(execution)

    ready.sim.clock.advance(5)
    ready.decide(
        ready.poll_decision(),
        schedule_activity("a1"),
        schedule_activity("a2"),
        start_timer("t", 60),
        executionContext="step-1",
    )
    detail = ready.describe(execution)
    assert detail["openCounts"] == {
        "openActivityTasks": 2,
        "openDecisionTasks": 0,
        "openTimers": 1,
        "openChildWorkflowExecutions": 0,
        "openLambdaFunctions": 0,
    }
    assert detail["latestExecutionContext"] == "step-1"
    assert detail["latestActivityTaskTimestamp"] == START + timedelta(seconds=5)

    ready.sim.clock.advance(5)
    activity = ready.poll_activity()
    ready.sim.clock.advance(5)
    ready.swf.respond_activity_task_completed(taskToken=activity["taskToken"])
    detail = ready.describe(execution)
    assert detail["openCounts"]["openActivityTasks"] == 1
    assert detail["openCounts"]["openDecisionTasks"] == 1
    # The most recent ActivityTask* event (real-aws #8).
    assert detail["latestActivityTaskTimestamp"] == START + timedelta(seconds=15)

    ready.decide(ready.poll_decision(), record_marker("m"))  # no executionContext: kept
    assert ready.describe(execution)["latestExecutionContext"] == "step-1"


def test_describe_and_history_of_unknown_run(ready):
    ready.start()
    for execution in (
        {"workflowId": "order-1", "runId": "nope"},
        {"workflowId": "other", "runId": "nope"},
    ):
        with pytest.raises(ready.swf.exceptions.UnknownResourceFault, match="runId=nope"):
            ready.describe(execution)
        with pytest.raises(ready.swf.exceptions.UnknownResourceFault, match="runId=nope"):
            ready.swf.get_workflow_execution_history(domain=DOMAIN, execution=execution)


def test_retention_removes_closed_runs(wf):
    wf.register_domain(retention="2")
    wf.register_workflow_type()
    execution = wf.start()
    wf.swf.terminate_workflow_execution(domain=DOMAIN, workflowId="order-1")
    closed = {"domain": DOMAIN, "startTimeFilter": {"oldestDate": START}}

    wf.sim.clock.advance(timedelta(days=2) - timedelta(milliseconds=1))
    assert wf.describe(execution)["executionInfo"]["closeStatus"] == "TERMINATED"
    assert wf.swf.count_closed_workflow_executions(**closed)["count"] == 1

    wf.sim.clock.advance(timedelta(milliseconds=1))
    with pytest.raises(wf.swf.exceptions.UnknownResourceFault, match="order-1"):
        wf.describe(execution)
    with pytest.raises(wf.swf.exceptions.UnknownResourceFault, match="order-1"):
        wf.history(execution)
    assert wf.swf.count_closed_workflow_executions(**closed)["count"] == 0
    assert wf.swf.list_closed_workflow_executions(**closed)["executionInfos"] == []


@pytest.mark.parametrize("retention", ["0", "NONE"])
def test_retention_zero_forgets_at_close(wf, retention):
    wf.register_domain(retention=retention)
    wf.register_workflow_type()
    execution = wf.start()

    wf.decide(wf.poll_decision(), complete(result="done"))

    with pytest.raises(wf.swf.exceptions.UnknownResourceFault):
        wf.describe(execution)


def test_open_runs_are_never_expired(wf):
    wf.register_domain(retention="1")
    wf.register_workflow_type(defaultExecutionStartToCloseTimeout="31536000")
    execution = wf.start()

    wf.sim.clock.advance(timedelta(days=30))

    assert wf.describe(execution)["executionInfo"]["executionStatus"] == "OPEN"
