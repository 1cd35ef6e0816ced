"""boto3 through the HTTP endpoint: a whole workflow, faults as modeled exceptions, paginators."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
from srv_helpers import ACTIVITIES, ACTIVITY, DECISIONS, DOMAIN, WORKFLOW, client

from swfsim.server import Server

EPOCH_FILTER = {"oldestDate": datetime(2000, 1, 1, tzinfo=timezone.utc)}


def register(swf: Any) -> None:
    swf.register_domain(name=DOMAIN, workflowExecutionRetentionPeriodInDays="1")
    swf.register_workflow_type(
        domain=DOMAIN,
        **WORKFLOW,
        defaultTaskList=DECISIONS,
        defaultExecutionStartToCloseTimeout="3600",
        defaultTaskStartToCloseTimeout="300",
        defaultChildPolicy="TERMINATE",
    )
    swf.register_activity_type(
        domain=DOMAIN,
        **ACTIVITY,
        defaultTaskList=ACTIVITIES,
        defaultTaskScheduleToStartTimeout="300",
        defaultTaskScheduleToCloseTimeout="600",
        defaultTaskStartToCloseTimeout="300",
        defaultTaskHeartbeatTimeout="NONE",
    )


def test_a_complete_workflow_through_boto3(server: Server) -> None:
    swf = client(server.url)
    register(swf)
    run_id = swf.start_workflow_execution(
        domain=DOMAIN, workflowId="order-1", workflowType=WORKFLOW, input="42"
    )["runId"]
    execution = {"workflowId": "order-1", "runId": run_id}

    task = swf.poll_for_decision_task(domain=DOMAIN, taskList=DECISIONS, identity="decider")
    assert task["workflowExecution"] == execution
    assert [e["eventType"] for e in task["events"]] == [
        "WorkflowExecutionStarted",
        "DecisionTaskScheduled",
        "DecisionTaskStarted",
    ]
    swf.respond_decision_task_completed(
        taskToken=task["taskToken"],
        decisions=[
            {
                "decisionType": "ScheduleActivityTask",
                "scheduleActivityTaskDecisionAttributes": {
                    "activityType": ACTIVITY,
                    "activityId": "charge",
                    "input": "42",
                },
            }
        ],
    )

    work = swf.poll_for_activity_task(domain=DOMAIN, taskList=ACTIVITIES, identity="worker")
    assert (work["activityId"], work["input"]) == ("charge", "42")
    swf.record_activity_task_heartbeat(taskToken=work["taskToken"], details="half")
    swf.respond_activity_task_completed(taskToken=work["taskToken"], result="charged")

    task = swf.poll_for_decision_task(domain=DOMAIN, taskList=DECISIONS, identity="decider")
    assert task["events"][-3]["eventType"] == "ActivityTaskCompleted"
    assert task["events"][-3]["activityTaskCompletedEventAttributes"]["result"] == "charged"
    swf.respond_decision_task_completed(
        taskToken=task["taskToken"],
        decisions=[
            {
                "decisionType": "CompleteWorkflowExecution",
                "completeWorkflowExecutionDecisionAttributes": {"result": "done"},
            }
        ],
    )

    described = swf.describe_workflow_execution(domain=DOMAIN, execution=execution)
    info = described["executionInfo"]
    assert (info["executionStatus"], info["closeStatus"]) == ("CLOSED", "COMPLETED")
    assert isinstance(info["startTimestamp"], datetime)
    assert described["openCounts"] == {
        "openActivityTasks": 0,
        "openDecisionTasks": 0,
        "openTimers": 0,
        "openChildWorkflowExecutions": 0,
        "openLambdaFunctions": 0,
    }
    events = swf.get_workflow_execution_history(domain=DOMAIN, execution=execution)["events"]
    assert [e["eventType"] for e in events] == [
        "WorkflowExecutionStarted",
        "DecisionTaskScheduled",
        "DecisionTaskStarted",
        "DecisionTaskCompleted",
        "ActivityTaskScheduled",
        "ActivityTaskStarted",
        "ActivityTaskCompleted",
        "DecisionTaskScheduled",
        "DecisionTaskStarted",
        "DecisionTaskCompleted",
        "WorkflowExecutionCompleted",
    ]
    assert [e["eventId"] for e in events] == list(range(1, 12))
    assert events[-1]["workflowExecutionCompletedEventAttributes"]["result"] == "done"
    closed = swf.list_closed_workflow_executions(domain=DOMAIN, startTimeFilter=EPOCH_FILTER)
    assert [i["execution"] for i in closed["executionInfos"]] == [execution]
    counted = swf.count_closed_workflow_executions(
        domain=DOMAIN, startTimeFilter=EPOCH_FILTER, closeStatusFilter={"status": "COMPLETED"}
    )
    assert (counted["count"], counted["truncated"]) == (1, False)


def test_faults_arrive_as_the_modeled_exceptions(server: Server) -> None:
    swf = client(server.url)
    register(swf)

    with pytest.raises(swf.exceptions.DomainAlreadyExistsFault) as exists:
        swf.register_domain(name=DOMAIN, workflowExecutionRetentionPeriodInDays="1")
    assert exists.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert exists.value.response["Error"]["Message"]
    with pytest.raises(swf.exceptions.TypeAlreadyExistsFault):
        swf.register_workflow_type(domain=DOMAIN, **WORKFLOW)
    with pytest.raises(swf.exceptions.UnknownResourceFault):
        swf.describe_domain(name="nowhere")
    with pytest.raises(swf.exceptions.UnknownResourceFault):
        swf.describe_workflow_execution(
            domain=DOMAIN, execution={"workflowId": "nobody", "runId": "22x="}
        )

    swf.start_workflow_execution(domain=DOMAIN, workflowId="once", workflowType=WORKFLOW)
    with pytest.raises(swf.exceptions.WorkflowExecutionAlreadyStartedFault):
        swf.start_workflow_execution(domain=DOMAIN, workflowId="once", workflowType=WORKFLOW)

    swf.deprecate_activity_type(domain=DOMAIN, activityType=ACTIVITY)
    with pytest.raises(swf.exceptions.TypeDeprecatedFault):
        swf.deprecate_activity_type(domain=DOMAIN, activityType=ACTIVITY)

    # A request botocore lets through that the service refuses: a ValidationException.
    with pytest.raises(swf.exceptions.ClientError) as invalid:
        swf.start_workflow_execution(
            domain=DOMAIN, workflowId="bad", workflowType=WORKFLOW, executionStartToCloseTimeout="x"
        )
    assert invalid.value.response["Error"]["Code"] == "ValidationException"

    # An unknown task token.
    with pytest.raises(swf.exceptions.UnknownResourceFault):
        swf.respond_activity_task_completed(taskToken="bm90LWEtdG9rZW4=")

    # Nothing the faults touched was lost: the run started before them is still open.
    listed = swf.list_open_workflow_executions(domain=DOMAIN, startTimeFilter=EPOCH_FILTER)
    assert [i["execution"]["workflowId"] for i in listed["executionInfos"]] == ["once"]


def test_paginators_over_http(server: Server) -> None:
    swf = client(server.url)
    names = [f"domain-{n:02}" for n in range(7)]
    for name in names:
        swf.register_domain(name=name, workflowExecutionRetentionPeriodInDays="1")

    pages = list(
        swf.get_paginator("list_domains").paginate(
            registrationStatus="REGISTERED", maximumPageSize=2
        )
    )
    assert len(pages) == 4
    assert all("nextPageToken" in page for page in pages[:-1])
    assert "nextPageToken" not in pages[-1]
    assert [d["name"] for page in pages for d in page["domainInfos"]] == names

    register(swf)
    run_id = swf.start_workflow_execution(domain=DOMAIN, workflowId="paged", workflowType=WORKFLOW)[
        "runId"
    ]
    for _ in range(5):  # each marker round adds DecisionTaskStarted/Completed + MarkerRecorded
        task = swf.poll_for_decision_task(domain=DOMAIN, taskList=DECISIONS)
        swf.respond_decision_task_completed(
            taskToken=task["taskToken"],
            decisions=[
                {
                    "decisionType": "RecordMarker",
                    "recordMarkerDecisionAttributes": {"markerName": "m"},
                }
            ],
        )
        swf.signal_workflow_execution(domain=DOMAIN, workflowId="paged", signalName="again")
    execution = {"workflowId": "paged", "runId": run_id}
    whole = swf.get_workflow_execution_history(domain=DOMAIN, execution=execution)["events"]
    paged = [
        event
        for page in swf.get_paginator("get_workflow_execution_history").paginate(
            domain=DOMAIN, execution=execution, maximumPageSize=3
        )
        for event in page["events"]
    ]
    assert len(whole) > 20
    assert paged == whole
    reverse = swf.get_paginator("get_workflow_execution_history").paginate(
        domain=DOMAIN, execution=execution, maximumPageSize=4, reverseOrder=True
    )
    assert [e["eventId"] for page in reverse for e in page["events"]] == list(
        range(len(whole), 0, -1)
    )

    # The decision-task paginator merges the pages of one task's history.
    task_pages = list(
        swf.get_paginator("poll_for_decision_task").paginate(
            domain=DOMAIN, taskList=DECISIONS, maximumPageSize=5
        )
    )
    assert len(task_pages) > 1
    assert len({page["taskToken"] for page in task_pages}) == 1
    merged = [e for page in task_pages for e in page["events"]]
    assert [e["eventId"] for e in merged] == list(range(1, len(merged) + 1))
