"""The decisions production made, as far as their events tell them.

SWF does not record decisions, only what each one did: ScheduleActivityTask became
ActivityTaskScheduled (or ScheduleActivityTaskFailed), StartTimer became TimerStarted (or
StartTimerFailed), and so on. Each such event repeats the decision's attributes, resolved: where
the decision left out a setting its type has a default for (an activity's task list and
timeouts, a child's or a new run's task list, timeouts, child policy, Lambda role), the event
holds the default. A ``*Failed`` event repeats only the attributes that name what failed
(``ScheduleActivityTaskFailed``: activityType and activityId).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from swfsim import spec
from swfsim.model.decisions import attributes_member as decision_member
from swfsim.model.history import attributes_member as event_member
from swfsim.replay._history import JsonDict, attributes

# Each event that records a decision, and the decision type it records.
DECISION_OF_EVENT: dict[str, str] = {
    "ActivityTaskScheduled": "ScheduleActivityTask",
    "ScheduleActivityTaskFailed": "ScheduleActivityTask",
    "ActivityTaskCancelRequested": "RequestCancelActivityTask",
    "RequestCancelActivityTaskFailed": "RequestCancelActivityTask",
    "MarkerRecorded": "RecordMarker",
    "RecordMarkerFailed": "RecordMarker",
    "TimerStarted": "StartTimer",
    "StartTimerFailed": "StartTimer",
    "TimerCanceled": "CancelTimer",
    "CancelTimerFailed": "CancelTimer",
    "WorkflowExecutionCompleted": "CompleteWorkflowExecution",
    "CompleteWorkflowExecutionFailed": "CompleteWorkflowExecution",
    "WorkflowExecutionFailed": "FailWorkflowExecution",
    "FailWorkflowExecutionFailed": "FailWorkflowExecution",
    "WorkflowExecutionCanceled": "CancelWorkflowExecution",
    "CancelWorkflowExecutionFailed": "CancelWorkflowExecution",
    "WorkflowExecutionContinuedAsNew": "ContinueAsNewWorkflowExecution",
    "ContinueAsNewWorkflowExecutionFailed": "ContinueAsNewWorkflowExecution",
    "StartChildWorkflowExecutionInitiated": "StartChildWorkflowExecution",
    "StartChildWorkflowExecutionFailed": "StartChildWorkflowExecution",
    "SignalExternalWorkflowExecutionInitiated": "SignalExternalWorkflowExecution",
    "SignalExternalWorkflowExecutionFailed": "SignalExternalWorkflowExecution",
    "RequestCancelExternalWorkflowExecutionInitiated": "RequestCancelExternalWorkflowExecution",
    "RequestCancelExternalWorkflowExecutionFailed": "RequestCancelExternalWorkflowExecution",
    "LambdaFunctionScheduled": "ScheduleLambdaFunction",
    "ScheduleLambdaFunctionFailed": "ScheduleLambdaFunction",
}

# What SWF fills in from the type's registered defaults when a decision leaves it out (API
# reference, ScheduleActivityTaskDecisionAttributes, StartChildWorkflowExecutionDecisionAttributes,
# ContinueAsNewWorkflowExecutionDecisionAttributes); a new run's version defaults to the current.
_RUN_DEFAULTS = frozenset(
    {
        "executionStartToCloseTimeout",
        "taskList",
        "taskPriority",
        "taskStartToCloseTimeout",
        "childPolicy",
        "lambdaRole",
    }
)
DEFAULTED: dict[str, frozenset[str]] = {
    "ScheduleActivityTask": frozenset(
        {
            "taskList",
            "taskPriority",
            "scheduleToCloseTimeout",
            "scheduleToStartTimeout",
            "startToCloseTimeout",
            "heartbeatTimeout",
        }
    ),
    "StartChildWorkflowExecution": _RUN_DEFAULTS,
    "ContinueAsNewWorkflowExecution": _RUN_DEFAULTS | {"workflowTypeVersion"},
}


@functools.cache
def decision_members(decision_type: str) -> tuple[str, ...]:
    """The attributes a decision of this type may set, in the model's order."""
    shape: Any = spec.structure("Decision").members[decision_member(decision_type)]
    return tuple(shape.members)


@functools.cache
def _event_members(event_type: str) -> frozenset[str]:
    shape: Any = spec.structure("HistoryEvent").members[event_member(event_type)]
    members = frozenset(shape.members)
    if event_type == "WorkflowExecutionContinuedAsNew":
        members |= {"workflowTypeVersion"}  # the event's workflowType.version
    return members


@dataclass(frozen=True)
class RecordedDecision:
    """A decision as production's history recorded it.

    Attributes:
        event_id: the event that records it.
        event_type: that event's type (``ActivityTaskScheduled``, ``StartTimerFailed``, ...).
        decision_type: the decision's type (``ScheduleActivityTask``, ``StartTimer``, ...).
        attributes: the decision's attributes the event holds (defaults resolved).
        checked: the attributes the event can tell: a ``*Failed`` event repeats only a few.
        defaulted: the attributes SWF fills from the type's defaults when a decision omits them.
        cause: the failure's cause, for a ``*Failed`` event.
    """

    event_id: int
    event_type: str
    decision_type: str
    attributes: JsonDict
    checked: tuple[str, ...]
    defaulted: frozenset[str]
    cause: str | None = None

    @property
    def decision(self) -> JsonDict:
        """The decision as a decider would have returned it (what the event tells of it)."""
        return {
            "decisionType": self.decision_type,
            decision_member(self.decision_type): dict(self.attributes),
        }

    @property
    def label(self) -> str:
        """How reports name it: ``event 12 TimerStarted``."""
        return f"event {self.event_id} {self.event_type}"


def recorded_decision(event: Mapping[str, Any]) -> RecordedDecision:
    """The decision an event records.

    Raises:
        KeyError: the event does not record a decision.
    """
    event_type = event["eventType"]
    decision_type = DECISION_OF_EVENT[event_type]
    found = dict(attributes(event))
    if event_type == "WorkflowExecutionContinuedAsNew":
        found["workflowTypeVersion"] = found["workflowType"]["version"]
    members = _event_members(event_type)
    checked = tuple(m for m in decision_members(decision_type) if m in members)
    return RecordedDecision(
        event_id=event["eventId"],
        event_type=event_type,
        decision_type=decision_type,
        attributes={m: found[m] for m in checked if m in found},
        checked=checked,
        defaulted=DEFAULTED.get(decision_type, frozenset()),
        cause=found.get("cause") if event_type.endswith("Failed") else None,
    )
