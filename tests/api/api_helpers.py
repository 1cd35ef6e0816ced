"""Small helpers for driving swfsim through boto3 the way a decider and a worker would."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any

import boto3
import pytest
from api_shapes import assert_matches_output_shape
from botocore.exceptions import ClientError

START = datetime(2026, 1, 1, tzinfo=timezone.utc)
EPOCH_FILTER = {"oldestDate": datetime(2000, 1, 1, tzinfo=timezone.utc)}

DOMAIN = "orders"
DECISIONS = {"name": "deciders"}
ACTIVITIES = {"name": "workers"}
WORKFLOW = {"name": "OrderWorkflow", "version": "1.0"}
ACTIVITY = {"name": "ChargeCard", "version": "1.0"}

WORKFLOW_DEFAULTS = {
    "defaultTaskList": DECISIONS,
    "defaultExecutionStartToCloseTimeout": "3600",
    "defaultTaskStartToCloseTimeout": "30",
    "defaultChildPolicy": "TERMINATE",
}
ACTIVITY_DEFAULTS = {
    "defaultTaskList": ACTIVITIES,
    "defaultTaskScheduleToStartTimeout": "300",
    "defaultTaskScheduleToCloseTimeout": "600",
    "defaultTaskStartToCloseTimeout": "300",
    "defaultTaskHeartbeatTimeout": "NONE",
}

# Operations answered successfully (and shape-checked) in this process, and what the session
# collected (filled in by conftest.py), for the end-of-suite check in test_coverage.py.
SUCCESSFUL_OPERATIONS: set[str] = set()
SESSION: dict[str, Any] = {"modules": set(), "deselected": False}


def checked_client() -> Any:
    """A boto3 SWF client whose every answer is checked: successful responses against the
    model's output shape, errors for a code and a non-empty message."""
    client = boto3.client("swf", region_name="us-east-1")

    def after_call(http_response: Any, parsed: dict[str, Any], model: Any, **_: Any) -> None:
        if http_response.status_code >= 300:
            error = parsed.get("Error", {})
            assert error.get("Code"), f"{model.name} answered an error without a code: {parsed}"
            assert error.get("Message", "").strip(), f"{model.name}: {error['Code']} has no message"
            return
        assert_matches_output_shape(client, model.name, parsed)
        SUCCESSFUL_OPERATIONS.add(model.name)

    client.meta.events.register("after-call.swf", after_call)
    return client


@contextmanager
def raises_validation(match: str) -> Iterator[pytest.ExceptionInfo[ClientError]]:
    """Expect a ``ValidationException`` whose message matches ``match`` (a regex)."""
    with pytest.raises(ClientError, match=match) as info:
        yield info
    assert info.value.response["Error"]["Code"] == "ValidationException"


def attributes(event: dict[str, Any]) -> dict[str, Any]:
    """The ``<eventType>EventAttributes`` member of a history event."""
    event_type = event["eventType"]
    result: dict[str, Any] = event[event_type[0].lower() + event_type[1:] + "EventAttributes"]
    return result


def event_types(events: list[dict[str, Any]]) -> list[str]:
    """The eventType of each event."""
    return [event["eventType"] for event in events]


def without(mapping: dict[str, Any], *keys: str) -> dict[str, Any]:
    """``mapping`` minus ``keys``."""
    return {key: value for key, value in mapping.items() if key not in keys}


# ---- decisions ------------------------------------------------------------------------------


def schedule_activity(
    activity_id: str, activity_type: dict[str, str] = ACTIVITY, **attrs: Any
) -> dict[str, Any]:
    return {
        "decisionType": "ScheduleActivityTask",
        "scheduleActivityTaskDecisionAttributes": {
            "activityType": activity_type,
            "activityId": activity_id,
            **attrs,
        },
    }


def start_timer(timer_id: str, seconds: int, **attrs: Any) -> dict[str, Any]:
    return {
        "decisionType": "StartTimer",
        "startTimerDecisionAttributes": {
            "timerId": timer_id,
            "startToFireTimeout": str(seconds),
            **attrs,
        },
    }


def cancel_timer(timer_id: str) -> dict[str, Any]:
    return {"decisionType": "CancelTimer", "cancelTimerDecisionAttributes": {"timerId": timer_id}}


def record_marker(name: str, **attrs: Any) -> dict[str, Any]:
    return {
        "decisionType": "RecordMarker",
        "recordMarkerDecisionAttributes": {"markerName": name, **attrs},
    }


def complete(**attrs: Any) -> dict[str, Any]:
    return {
        "decisionType": "CompleteWorkflowExecution",
        "completeWorkflowExecutionDecisionAttributes": attrs,
    }


def fail(**attrs: Any) -> dict[str, Any]:
    return {
        "decisionType": "FailWorkflowExecution",
        "failWorkflowExecutionDecisionAttributes": attrs,
    }


def cancel(**attrs: Any) -> dict[str, Any]:
    return {
        "decisionType": "CancelWorkflowExecution",
        "cancelWorkflowExecutionDecisionAttributes": attrs,
    }


# ---- the driver -------------------------------------------------------------------------------


def _drop_none(params: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in params.items() if value is not None}


class Driver:
    """Registers the usual domain and types, starts runs and plays decider and worker."""

    def __init__(self, swf: Any, sim: Any) -> None:
        self.swf = swf
        self.sim = sim

    def register_domain(self, name: str = DOMAIN, retention: str = "1", **params: Any) -> None:
        self.swf.register_domain(
            name=name, workflowExecutionRetentionPeriodInDays=retention, **params
        )

    def register_workflow_type(
        self, workflow: dict[str, str] = WORKFLOW, domain: str = DOMAIN, **defaults: Any
    ) -> None:
        """Register a workflow type; defaults given as None are left out."""
        self.swf.register_workflow_type(
            domain=domain, **workflow, **_drop_none({**WORKFLOW_DEFAULTS, **defaults})
        )

    def register_activity_type(
        self, activity: dict[str, str] = ACTIVITY, domain: str = DOMAIN, **defaults: Any
    ) -> None:
        """Register an activity type; defaults given as None are left out."""
        self.swf.register_activity_type(
            domain=domain, **activity, **_drop_none({**ACTIVITY_DEFAULTS, **defaults})
        )

    def setup(self) -> Driver:
        """The domain, the workflow type and the activity type most tests use."""
        self.register_domain()
        self.register_workflow_type()
        self.register_activity_type()
        return self

    def start(self, workflow_id: str = "order-1", **params: Any) -> dict[str, str]:
        """Start a run of WORKFLOW; returns its ``{workflowId, runId}``."""
        params = {"domain": DOMAIN, "workflowType": WORKFLOW, **params}
        run_id = self.swf.start_workflow_execution(workflowId=workflow_id, **params)["runId"]
        return {"workflowId": workflow_id, "runId": run_id}

    def poll_decision(self, task_list: dict[str, str] = DECISIONS, **params: Any) -> dict[str, Any]:
        """Poll for a decision task that must be there."""
        task = self.swf.poll_for_decision_task(domain=DOMAIN, taskList=task_list, **params)
        assert task.get("taskToken"), f"expected a decision task, got {task}"
        return task

    def decide(self, task: dict[str, Any], *decisions: dict[str, Any], **params: Any) -> None:
        self.swf.respond_decision_task_completed(
            taskToken=task["taskToken"], decisions=list(decisions), **params
        )

    def poll_activity(
        self, task_list: dict[str, str] = ACTIVITIES, **params: Any
    ) -> dict[str, Any]:
        """Poll for an activity task that must be there."""
        task = self.swf.poll_for_activity_task(domain=DOMAIN, taskList=task_list, **params)
        assert task.get("taskToken"), f"expected an activity task, got {task}"
        return task

    def history(self, execution: dict[str, str], **params: Any) -> list[dict[str, Any]]:
        """Every event of a run, read with boto3's paginator."""
        paginator = self.swf.get_paginator("get_workflow_execution_history")
        pages = paginator.paginate(domain=DOMAIN, execution=execution, **params)
        return [event for page in pages for event in page["events"]]

    def types(self, execution: dict[str, str]) -> list[str]:
        return event_types(self.history(execution))

    def describe(self, execution: dict[str, str]) -> dict[str, Any]:
        return self.swf.describe_workflow_execution(domain=DOMAIN, execution=execution)

    def run_to_activity(
        self, workflow_id: str = "order-1"
    ) -> tuple[dict[str, str], dict[str, Any]]:
        """Start a run, schedule activity ``a1`` and start it; returns (run, activity task)."""
        execution = self.start(workflow_id)
        self.decide(self.poll_decision(), schedule_activity("a1", input="card-42"))
        return execution, self.poll_activity(identity="worker-1")
