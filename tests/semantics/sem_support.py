"""Helpers of the semantics suite: a boto3 driver, decision builders and history views.

Every scenario goes through a real boto3 SWF client routed to a Simulator by ``mock_swf``;
histories are read back with ``GetWorkflowExecutionHistory`` (all pages), so what the tests
check is what a boto3 user would see.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import botocore.session
import pytest
from botocore.exceptions import ClientError

import swfsim

JsonDict = dict[str, Any]

START = datetime(2026, 1, 1, tzinfo=timezone.utc)

DOMAIN = "semantics"
DECIDERS = {"name": "deciders"}
WORKERS = {"name": "workers"}
WORKFLOW = {"name": "Flow", "version": "1"}
CHILD = {"name": "Child", "version": "1"}
ACTIVITY = {"name": "Work", "version": "1"}

# The resolved settings every run of WORKFLOW / CHILD gets from its type's defaults.
WORKFLOW_DEFAULTS = {
    "defaultTaskList": DECIDERS,
    "defaultExecutionStartToCloseTimeout": "3600",
    "defaultTaskStartToCloseTimeout": "60",
    "defaultChildPolicy": "TERMINATE",
}
CHILD_DEFAULTS = {
    "defaultTaskList": {"name": "children"},
    "defaultExecutionStartToCloseTimeout": "1800",
    "defaultTaskStartToCloseTimeout": "30",
    "defaultChildPolicy": "TERMINATE",
}
ACTIVITY_DEFAULTS = {
    "defaultTaskList": WORKERS,
    "defaultTaskScheduleToStartTimeout": "300",
    "defaultTaskScheduleToCloseTimeout": "600",
    "defaultTaskStartToCloseTimeout": "300",
    "defaultTaskHeartbeatTimeout": "NONE",
}


def at(seconds: float) -> datetime:
    """The virtual moment ``seconds`` after the suite's start time."""
    return START + timedelta(seconds=seconds)


# ---- decisions ------------------------------------------------------------------------------


def decision(decision_type: str, **attributes: Any) -> JsonDict:
    """A wire Decision: its type and its attributes under the type's own member."""
    key = decision_type[0].lower() + decision_type[1:] + "DecisionAttributes"
    return {"decisionType": decision_type, key: attributes}


def schedule_activity(
    activity_id: str, activity_type: JsonDict = ACTIVITY, **attrs: Any
) -> JsonDict:
    return decision(
        "ScheduleActivityTask", activityType=activity_type, activityId=activity_id, **attrs
    )


def request_cancel_activity(activity_id: str) -> JsonDict:
    return decision("RequestCancelActivityTask", activityId=activity_id)


def complete(**attrs: Any) -> JsonDict:
    return decision("CompleteWorkflowExecution", **attrs)


def fail(**attrs: Any) -> JsonDict:
    return decision("FailWorkflowExecution", **attrs)


def cancel(**attrs: Any) -> JsonDict:
    return decision("CancelWorkflowExecution", **attrs)


def continue_as_new(**attrs: Any) -> JsonDict:
    return decision("ContinueAsNewWorkflowExecution", **attrs)


def record_marker(name: str, **attrs: Any) -> JsonDict:
    return decision("RecordMarker", markerName=name, **attrs)


def start_timer(timer_id: str, seconds: int, **attrs: Any) -> JsonDict:
    return decision("StartTimer", timerId=timer_id, startToFireTimeout=str(seconds), **attrs)


def cancel_timer(timer_id: str) -> JsonDict:
    return decision("CancelTimer", timerId=timer_id)


def signal_external(workflow_id: str, signal_name: str, **attrs: Any) -> JsonDict:
    return decision(
        "SignalExternalWorkflowExecution", workflowId=workflow_id, signalName=signal_name, **attrs
    )


def request_cancel_external(workflow_id: str, **attrs: Any) -> JsonDict:
    return decision("RequestCancelExternalWorkflowExecution", workflowId=workflow_id, **attrs)


def start_child(workflow_id: str, workflow_type: JsonDict = CHILD, **attrs: Any) -> JsonDict:
    return decision(
        "StartChildWorkflowExecution", workflowType=workflow_type, workflowId=workflow_id, **attrs
    )


def schedule_lambda(lambda_id: str, name: str, **attrs: Any) -> JsonDict:
    return decision("ScheduleLambdaFunction", id=lambda_id, name=name, **attrs)


# ---- histories ------------------------------------------------------------------------------


def attributes_of(event: JsonDict) -> JsonDict:
    """The attributes member of a history event."""
    event_type = event["eventType"]
    attrs: JsonDict = event[event_type[0].lower() + event_type[1:] + "EventAttributes"]
    return attrs


class History:
    """A run's events as GetWorkflowExecutionHistory returned them, oldest first."""

    def __init__(self, events: list[JsonDict]) -> None:
        self.events = events
        ids = [event["eventId"] for event in events]
        assert ids == list(range(1, len(events) + 1)), f"event ids are not 1..n: {ids}"

    @property
    def types(self) -> list[str]:
        """The event types, in order."""
        return [event["eventType"] for event in self.events]

    def __len__(self) -> int:
        return len(self.events)

    def __getitem__(self, event_id: int) -> JsonDict:
        """The attributes of event ``event_id`` (1-based, as SWF numbers events)."""
        return attributes_of(self.events[event_id - 1])

    def event(self, event_id: int) -> JsonDict:
        """The whole event ``event_id``."""
        return self.events[event_id - 1]

    def time(self, event_id: int) -> datetime:
        """The timestamp of event ``event_id``."""
        stamp: datetime = self.events[event_id - 1]["eventTimestamp"]
        return stamp

    def ids(self, event_type: str) -> list[int]:
        """The ids of the events of ``event_type``."""
        return [event["eventId"] for event in self.events if event["eventType"] == event_type]

    def last(self) -> JsonDict:
        """The newest event."""
        return self.events[-1]


# ---- the driver -----------------------------------------------------------------------------


class Flow:
    """Drives one Simulator through a boto3 client, as deciders and workers would.

    Every event it reads (histories, decision tasks) is kept in ``seen``, for the suite's
    coverage bookkeeping (conftest.py).
    """

    def __init__(self, client: Any, sim: swfsim.Simulator) -> None:
        self.client = client
        self.sim = sim
        self.seen: list[JsonDict] = []

    # registration

    def setup(self) -> Flow:
        """Register the suite's domain, WORKFLOW, CHILD and ACTIVITY."""
        self.client.register_domain(name=DOMAIN, workflowExecutionRetentionPeriodInDays="1")
        self.register_workflow_type(WORKFLOW, **WORKFLOW_DEFAULTS)
        self.register_workflow_type(CHILD, **CHILD_DEFAULTS)
        self.register_activity_type(ACTIVITY, **ACTIVITY_DEFAULTS)
        return self

    def register_workflow_type(self, workflow_type: JsonDict, **defaults: Any) -> None:
        self.client.register_workflow_type(domain=DOMAIN, **workflow_type, **defaults)

    def register_activity_type(self, activity_type: JsonDict, **defaults: Any) -> None:
        self.client.register_activity_type(domain=DOMAIN, **activity_type, **defaults)

    # executions

    def start(self, workflow_id: str, workflow_type: JsonDict = WORKFLOW, **params: Any) -> str:
        """Start an execution; its runId."""
        response = self.client.start_workflow_execution(
            domain=DOMAIN, workflowId=workflow_id, workflowType=workflow_type, **params
        )
        run_id: str = response["runId"]
        return run_id

    def signal(self, workflow_id: str, signal_name: str, **params: Any) -> None:
        self.client.signal_workflow_execution(
            domain=DOMAIN, workflowId=workflow_id, signalName=signal_name, **params
        )

    def terminate(self, workflow_id: str, **params: Any) -> None:
        self.client.terminate_workflow_execution(domain=DOMAIN, workflowId=workflow_id, **params)

    def request_cancel(self, workflow_id: str, **params: Any) -> None:
        self.client.request_cancel_workflow_execution(
            domain=DOMAIN, workflowId=workflow_id, **params
        )

    def describe(self, workflow_id: str, run_id: str) -> JsonDict:
        response: JsonDict = self.client.describe_workflow_execution(
            domain=DOMAIN, execution={"workflowId": workflow_id, "runId": run_id}
        )
        return response

    def history(self, workflow_id: str, run_id: str) -> History:
        """The run's whole history, every page read through boto3."""
        paginator = self.client.get_paginator("get_workflow_execution_history")
        pages = paginator.paginate(
            domain=DOMAIN, execution={"workflowId": workflow_id, "runId": run_id}
        )
        events = [event for page in pages for event in page["events"]]
        self.seen.extend(events)
        return History(events)

    # decision tasks

    def poll_decision(self, task_list: JsonDict = DECIDERS, **params: Any) -> JsonDict:
        """Poll for a decision task that must be there (no virtual time passes)."""
        task: JsonDict = self.client.poll_for_decision_task(
            domain=DOMAIN, taskList=task_list, **params
        )
        assert task.get("taskToken"), f"no decision task on {task_list['name']}"
        self.seen.extend(task["events"])
        return task

    def respond(self, task: JsonDict, *decisions: JsonDict, **params: Any) -> None:
        """Answer a decision task with ``decisions``."""
        self.client.respond_decision_task_completed(
            taskToken=task["taskToken"], decisions=list(decisions), **params
        )

    def decide(
        self, *decisions: JsonDict, task_list: JsonDict = DECIDERS, **params: Any
    ) -> JsonDict:
        """Poll for the next decision task and answer it with ``decisions``; the task."""
        task = self.poll_decision(task_list)
        self.respond(task, *decisions, **params)
        return task

    # activity tasks

    def poll_activity(self, task_list: JsonDict = WORKERS, **params: Any) -> JsonDict:
        """Poll for an activity task that must be there."""
        task: JsonDict = self.client.poll_for_activity_task(
            domain=DOMAIN, taskList=task_list, **params
        )
        assert task.get("taskToken"), f"no activity task on {task_list['name']}"
        return task

    def pending_activities(self, task_list: JsonDict = WORKERS) -> int:
        count: int = self.client.count_pending_activity_tasks(domain=DOMAIN, taskList=task_list)[
            "count"
        ]
        return count

    def pending_decisions(self, task_list: JsonDict = DECIDERS) -> int:
        count: int = self.client.count_pending_decision_tasks(domain=DOMAIN, taskList=task_list)[
            "count"
        ]
        return count


def fault(code: str) -> Any:
    """``pytest.raises`` for an SWF fault with wire code ``code``."""
    return pytest.raises(ClientError, match=rf"\({code}\)")


# ---- coverage bookkeeping -------------------------------------------------------------------

# Event attribute members whose enum values the suite must cover: failure causes and timeout
# types.
COVERED_MEMBERS = ("cause", "timeoutType")


def covers(
    *event_types: str, causes: tuple[str, ...] = (), timeouts: tuple[str, ...] = ()
) -> pytest.MarkDecorator:
    """Declare what a scenario test exercises: event types, and enum values written
    ``"<EnumShape>.<VALUE>"`` (e.g. ``"StartTimerFailedCause.TIMER_ID_UNKNOWN"``).

    After the test passes, conftest.py checks that the histories it read hold each declared
    event type and an event carrying each declared value.
    """
    return pytest.mark.covers(*event_types, causes=causes, timeouts=timeouts)


def service_model() -> Any:
    return botocore.session.get_session().get_service_model("swf")


def enum_users() -> dict[str, list[tuple[str, str]]]:
    """Each enum shape of an event's ``cause``/``timeoutType`` member, and the
    (eventType, member) pairs that use it."""
    model = service_model()
    users: dict[str, list[tuple[str, str]]] = {}
    for event_type in model.shape_for("EventType").enum:
        attributes = model.shape_for("HistoryEvent").members[
            event_type[0].lower() + event_type[1:] + "EventAttributes"
        ]
        for member in COVERED_MEMBERS:
            shape = attributes.members.get(member)
            if shape is not None:
                users.setdefault(shape.name, []).append((event_type, member))
    return users


def missing_coverage(declared: pytest.Mark, seen: list[JsonDict]) -> list[str]:
    """What a ``covers`` declaration names that no event in ``seen`` shows."""
    seen_types = {event["eventType"] for event in seen}
    missing = [event_type for event_type in declared.args if event_type not in seen_types]
    users = enum_users()
    for value in (*declared.kwargs["causes"], *declared.kwargs["timeouts"]):
        shape, _, literal = value.partition(".")
        shown = any(
            event["eventType"] == event_type and attributes_of(event).get(member) == literal
            for event_type, member in users.get(shape, [])
            for event in seen
        )
        if not shown:
            missing.append(value)
    return missing
