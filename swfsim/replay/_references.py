"""How the events of one history refer to each other: each ``...EventId`` member and the event
type it must point back to.

The links follow the SWF API reference for each ``...EventAttributes`` structure (e.g.
``ActivityTaskStartedEventAttributes.scheduledEventId``: "The ID of the ActivityTaskScheduled
event that was recorded when this activity task was scheduled").
"""

from __future__ import annotations

# Members that name an event of another run's history: nothing to check here.
EXTERNAL_REFERENCES = frozenset({"parentInitiatedEventId", "externalInitiatedEventId"})

_DECISION = "DecisionTaskCompleted"
_CHILD = "StartChildWorkflowExecutionInitiated"
_SIGNAL = "SignalExternalWorkflowExecutionInitiated"
_CANCEL = "RequestCancelExternalWorkflowExecutionInitiated"


def _task(prefix: str) -> dict[str, str]:
    return {"scheduledEventId": f"{prefix}Scheduled", "startedEventId": f"{prefix}Started"}


def _child() -> dict[str, str]:
    return {"initiatedEventId": _CHILD, "startedEventId": "ChildWorkflowExecutionStarted"}


# For each event type, each of its ``...EventId`` members (but the decision task's one, below)
# and the type of event it must name.
REFERENCES: dict[str, dict[str, str]] = {
    "DecisionTaskStarted": {"scheduledEventId": "DecisionTaskScheduled"},
    "DecisionTaskCompleted": _task("DecisionTask"),
    "DecisionTaskTimedOut": _task("DecisionTask"),
    "ActivityTaskStarted": {"scheduledEventId": "ActivityTaskScheduled"},
    "ActivityTaskCompleted": _task("ActivityTask"),
    "ActivityTaskFailed": _task("ActivityTask"),
    "ActivityTaskTimedOut": _task("ActivityTask"),
    "ActivityTaskCanceled": {
        **_task("ActivityTask"),
        "latestCancelRequestedEventId": "ActivityTaskCancelRequested",
    },
    "TimerFired": {"startedEventId": "TimerStarted"},
    "TimerCanceled": {"startedEventId": "TimerStarted"},
    "StartChildWorkflowExecutionFailed": {"initiatedEventId": _CHILD},
    "ChildWorkflowExecutionStarted": {"initiatedEventId": _CHILD},
    "ChildWorkflowExecutionCompleted": _child(),
    "ChildWorkflowExecutionFailed": _child(),
    "ChildWorkflowExecutionTimedOut": _child(),
    "ChildWorkflowExecutionCanceled": _child(),
    "ChildWorkflowExecutionTerminated": _child(),
    "SignalExternalWorkflowExecutionFailed": {"initiatedEventId": _SIGNAL},
    "ExternalWorkflowExecutionSignaled": {"initiatedEventId": _SIGNAL},
    "RequestCancelExternalWorkflowExecutionFailed": {"initiatedEventId": _CANCEL},
    "ExternalWorkflowExecutionCancelRequested": {"initiatedEventId": _CANCEL},
    "LambdaFunctionStarted": {"scheduledEventId": "LambdaFunctionScheduled"},
    "LambdaFunctionCompleted": _task("LambdaFunction"),
    "LambdaFunctionFailed": _task("LambdaFunction"),
    "LambdaFunctionTimedOut": _task("LambdaFunction"),
    "StartLambdaFunctionFailed": {"scheduledEventId": "LambdaFunctionScheduled"},
}

# Where 0 stands for "no such event" (the API reference: a task that timed out or was canceled
# before it started; a start or request that failed before anything was initiated).
ZERO_ALLOWED: dict[str, frozenset[str]] = {
    "DecisionTaskTimedOut": frozenset({"startedEventId"}),
    "ActivityTaskTimedOut": frozenset({"startedEventId"}),
    "ActivityTaskCanceled": frozenset({"startedEventId", "latestCancelRequestedEventId"}),
    "StartChildWorkflowExecutionFailed": frozenset({"initiatedEventId"}),
    "SignalExternalWorkflowExecutionFailed": frozenset({"initiatedEventId"}),
    "RequestCancelExternalWorkflowExecutionFailed": frozenset({"initiatedEventId"}),
}


def targets(event_type: str) -> dict[str, str]:
    """The ``...EventId`` members of an event type and the event type each must name."""
    found = REFERENCES.get(event_type, {})
    return {**found, "decisionTaskCompletedEventId": _DECISION}


def may_be_zero(event_type: str, member: str) -> bool:
    """Whether ``member`` of ``event_type`` may be 0 (it names no event)."""
    return member in ZERO_ALLOWED.get(event_type, frozenset())
