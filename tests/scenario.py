"""A scripted workflow through ``Simulator.handle``, for tests that need real responses."""

from __future__ import annotations

from typing import Any

from swfsim import Simulator

Call = tuple[str, dict[str, Any], dict[str, Any]]

DOMAIN = "scenario"
WORKFLOW = {"name": "order", "version": "1"}
ACTIVITY = {"name": "charge", "version": "1"}


def run_scenario(sim: Simulator) -> list[Call]:
    """Register, start, decide, work, signal, time and close one run; every call and answer."""
    calls: list[Call] = []

    def call(operation: str, **params: Any) -> dict[str, Any]:
        response = sim.handle(operation, params)
        calls.append((operation, params, response))
        return response

    call(
        "RegisterDomain",
        name=DOMAIN,
        workflowExecutionRetentionPeriodInDays="1",
        description="orders",
        tags=[{"key": "team", "value": "payments"}],
    )
    call(
        "RegisterWorkflowType",
        domain=DOMAIN,
        **WORKFLOW,
        defaultTaskList={"name": "deciders"},
        defaultExecutionStartToCloseTimeout="86400",
        defaultTaskStartToCloseTimeout="30",
        defaultChildPolicy="TERMINATE",
    )
    call(
        "RegisterActivityType",
        domain=DOMAIN,
        **ACTIVITY,
        defaultTaskList={"name": "workers"},
        defaultTaskScheduleToStartTimeout="NONE",
        defaultTaskScheduleToCloseTimeout="NONE",
        defaultTaskStartToCloseTimeout="600",
        defaultTaskHeartbeatTimeout="NONE",
    )
    run_id = call(
        "StartWorkflowExecution",
        domain=DOMAIN,
        workflowId="order-1",
        workflowType=WORKFLOW,
        input="{}",
        tagList=["vip"],
    )["runId"]
    execution = {"workflowId": "order-1", "runId": run_id}
    task = call(
        "PollForDecisionTask", domain=DOMAIN, taskList={"name": "deciders"}, identity="decider-1"
    )
    call(
        "RespondDecisionTaskCompleted",
        taskToken=task["taskToken"],
        executionContext="ctx",
        decisions=[
            {
                "decisionType": "ScheduleActivityTask",
                "scheduleActivityTaskDecisionAttributes": {
                    "activityType": ACTIVITY,
                    "activityId": "charge-1",
                    "input": "42",
                },
            },
            {
                "decisionType": "StartTimer",
                "startTimerDecisionAttributes": {"timerId": "remind", "startToFireTimeout": "3600"},
            },
            {
                "decisionType": "RecordMarker",
                "recordMarkerDecisionAttributes": {"markerName": "began"},
            },
        ],
    )
    work = call(
        "PollForActivityTask", domain=DOMAIN, taskList={"name": "workers"}, identity="worker-1"
    )
    call("RecordActivityTaskHeartbeat", taskToken=work["taskToken"], details="50%")
    call("RespondActivityTaskCompleted", taskToken=work["taskToken"], result="charged")
    call(
        "SignalWorkflowExecution",
        domain=DOMAIN,
        workflowId="order-1",
        signalName="ship",
        input="now",
    )
    sim.clock.advance(3600)
    for operation in ("DescribeWorkflowExecution", "GetWorkflowExecutionHistory"):
        call(operation, domain=DOMAIN, execution=execution)
    call("CountPendingDecisionTasks", domain=DOMAIN, taskList={"name": "deciders"})
    task = call("PollForDecisionTask", domain=DOMAIN, taskList={"name": "deciders"})
    call(
        "RespondDecisionTaskCompleted",
        taskToken=task["taskToken"],
        decisions=[
            {
                "decisionType": "CompleteWorkflowExecution",
                "completeWorkflowExecutionDecisionAttributes": {"result": "done"},
            }
        ],
    )
    for operation in ("DescribeWorkflowExecution", "GetWorkflowExecutionHistory"):
        call(operation, domain=DOMAIN, execution=execution)
    call("ListClosedWorkflowExecutions", domain=DOMAIN, startTimeFilter={"oldestDate": 0})
    call("ListOpenWorkflowExecutions", domain=DOMAIN, startTimeFilter={"oldestDate": 0})
    call("ListWorkflowTypes", domain=DOMAIN, registrationStatus="REGISTERED")
    call("DescribeActivityType", domain=DOMAIN, activityType=ACTIVITY)
    call("DescribeDomain", name=DOMAIN)
    call("ListDomains", registrationStatus="REGISTERED")
    call("PollForActivityTask", domain=DOMAIN, taskList={"name": "workers"})
    return calls
