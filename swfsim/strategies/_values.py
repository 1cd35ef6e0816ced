"""Value strategies read from botocore's model: identifiers, durations, task lists, and the
decisions SWF would carry out on a given history.

Lengths come from the model's shapes; the characters SWF forbids in identifiers (``:``, ``/``,
``|``, control characters, the literal ``arn``) are those its API reference names for every
name and identifier member (e.g. ``ScheduleActivityTaskDecisionAttributes.activityId``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from hypothesis import strategies as st

from swfsim import spec

JsonDict = dict[str, Any]
_FORBIDDEN = ":/|"
# Identifiers keep to printable characters without whitespace (SWF forbids it at the edges).
_IDENTIFIER_CHARACTERS = st.characters(
    blacklist_categories=("Cc", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"),
    blacklist_characters=_FORBIDDEN,
)
_CLOSED_ACTIVITY = (
    "ActivityTaskCompleted",
    "ActivityTaskFailed",
    "ActivityTaskTimedOut",
    "ActivityTaskCanceled",
)


def identifiers(
    shape: str = "ActivityId", *, max_size: int | None = None
) -> st.SearchStrategy[str]:
    """Valid values of an SWF name or identifier shape (``ActivityId``, ``TimerId``, ``Name``,
    ``WorkflowId``, ``SignalName``, ``MarkerName``, ...).

    Args:
        shape: the shape's name in botocore's SWF model; its ``min`` and ``max`` bound the length.
        max_size: a tighter upper bound on the length, if wanted.
    """
    metadata = spec.shape(shape).metadata
    upper = (
        metadata.get("max", 256) if max_size is None else min(max_size, metadata.get("max", 256))
    )
    text = st.text(_IDENTIFIER_CHARACTERS, min_size=max(1, metadata.get("min", 1)), max_size=upper)
    return text.filter(lambda value: value != "arn")


def durations(
    *, allow_none: bool = False, min_seconds: int = 0, max_seconds: int | None = None
) -> st.SearchStrategy[str]:
    """Durations as SWF takes them: whole seconds as a string of at most 8 digits
    (``DurationInSeconds``), or ``"NONE"`` if ``allow_none``."""
    digits = spec.shape("DurationInSeconds").metadata["max"]
    upper = 10**digits - 1 if max_seconds is None else max_seconds
    seconds = st.integers(min_seconds, upper).map(str)
    return st.one_of(seconds, st.just("NONE")) if allow_none else seconds


def task_lists() -> st.SearchStrategy[JsonDict]:
    """``TaskList`` structures: ``{"name": ...}`` with a valid name."""
    return st.builds(lambda name: {"name": name}, identifiers("Name", max_size=64))


def decisions(
    events: Sequence[JsonDict],
    *,
    activity_types: Iterable[tuple[str, str]] = (("work", "1"),),
    child_workflow_types: Iterable[tuple[str, str]] = (),
    workflow_id: str | None = None,
    max_decisions: int = 4,
    close: bool = True,
) -> st.SearchStrategy[list[JsonDict]]:
    """Decision lists SWF would carry out on ``events`` (a history, boto3's or the wire form).

    Schedules activities of ``activity_types`` (registered with default timeouts and task list)
    and starts timers under ids not open, cancels open ones, records markers, starts children
    of ``child_workflow_types`` under fresh workflow ids, signals ``workflow_id`` (the run
    itself, if given); with ``close``, the list may end with completing or failing the run.
    No decision in a list reuses an id another one takes.
    """
    state = _OpenWork(events)
    activity_types = list(activity_types)
    child_types = list(child_workflow_types)

    @st.composite
    def lists(draw: st.DrawFn) -> list[JsonDict]:
        taken: set[str] = set()  # ids the list's decisions take (new, or cancelled)
        made: list[JsonDict] = []
        for _ in range(draw(st.integers(0, max_decisions))):
            kinds = ["marker", "timer"]
            kinds += ["activity"] if activity_types else []
            kinds += ["child"] if child_types else []
            kinds += ["signal"] if workflow_id else []
            kinds += ["cancel-activity"] if state.cancellable - taken else []
            kinds += ["cancel-timer"] if set(state.timers) - taken else []
            kind = draw(st.sampled_from(kinds))
            made.append(
                draw(_decision(kind, state, taken, activity_types, child_types, workflow_id))
            )
        if close and draw(st.integers(0, 3)) == 3:  # one list in four closes the run
            made.append(draw(_closing()))
        return made

    return lists()


class _OpenWork:
    """What a history leaves open that decisions may refer to."""

    def __init__(self, events: Sequence[JsonDict]) -> None:
        scheduled: dict[int, str] = {}
        self.activities: dict[str, int] = {}
        self.timers: dict[str, int] = {}
        self.children: set[str] = set()
        cancel_requested: set[str] = set()
        for event in events:
            kind, attributes = event["eventType"], _attributes(event)
            if kind == "ActivityTaskScheduled":
                scheduled[event["eventId"]] = attributes["activityId"]
                self.activities[attributes["activityId"]] = event["eventId"]
            elif kind in _CLOSED_ACTIVITY:
                self.activities.pop(scheduled.get(attributes["scheduledEventId"], ""), None)
            elif kind == "ActivityTaskCancelRequested":
                cancel_requested.add(attributes["activityId"])
            elif kind == "TimerStarted":
                self.timers[attributes["timerId"]] = event["eventId"]
            elif kind in ("TimerFired", "TimerCanceled"):
                self.timers.pop(attributes["timerId"], None)
            elif kind == "StartChildWorkflowExecutionInitiated":
                self.children.add(attributes["workflowId"])
        self.cancellable = set(self.activities) - cancel_requested


def _attributes(event: JsonDict) -> JsonDict:
    return next((value for key, value in event.items() if key.endswith("Attributes")), {})


def _fresh(shape: str, taken: set[str], state: _OpenWork) -> st.SearchStrategy[str]:
    # An id may be used again once its activity or timer closed, as SWF allows; never while open.
    in_use = taken | set(state.activities) | set(state.timers) | state.children
    return identifiers(shape, max_size=16).filter(lambda value: value not in in_use)


@st.composite
def _decision(
    draw: st.DrawFn,
    kind: str,
    state: _OpenWork,
    taken: set[str],
    activity_types: list[tuple[str, str]],
    child_types: list[tuple[str, str]],
    workflow_id: str | None,
) -> JsonDict:
    if kind == "activity":
        activity_id = draw(_fresh("ActivityId", taken, state))
        taken.add(activity_id)
        name, version = draw(st.sampled_from(activity_types))
        return _make(
            "ScheduleActivityTask",
            activityId=activity_id,
            activityType={"name": name, "version": version},
            input=draw(st.none() | st.text(max_size=20)),
        )
    if kind == "timer":
        timer_id = draw(_fresh("TimerId", taken, state))
        taken.add(timer_id)
        return _make(
            "StartTimer", timerId=timer_id, startToFireTimeout=draw(durations(max_seconds=600))
        )
    if kind == "cancel-activity":
        activity_id = draw(st.sampled_from(sorted(state.cancellable - taken)))
        taken.add(activity_id)
        return _make("RequestCancelActivityTask", activityId=activity_id)
    if kind == "cancel-timer":
        timer_id = draw(st.sampled_from(sorted(set(state.timers) - taken)))
        taken.add(timer_id)
        return _make("CancelTimer", timerId=timer_id)
    if kind == "child":
        child_id = draw(_fresh("WorkflowId", taken | {workflow_id or ""}, state))
        taken.add(child_id)
        name, version = draw(st.sampled_from(child_types))
        return _make(
            "StartChildWorkflowExecution",
            workflowId=child_id,
            workflowType={"name": name, "version": version},
        )
    if kind == "signal":
        return _make(
            "SignalExternalWorkflowExecution",
            workflowId=workflow_id,
            signalName=draw(identifiers("SignalName", max_size=16)),
        )
    return _make("RecordMarker", markerName=draw(identifiers("MarkerName", max_size=16)))


def _closing() -> st.SearchStrategy[JsonDict]:
    return st.one_of(
        st.builds(
            lambda result: _make("CompleteWorkflowExecution", result=result),
            st.none() | st.text(max_size=20),
        ),
        st.builds(
            lambda reason: _make("FailWorkflowExecution", reason=reason),
            st.none() | st.text(max_size=20),
        ),
    )


def _make(decision_type: str, **attributes: Any) -> JsonDict:
    member = decision_type[0].lower() + decision_type[1:] + "DecisionAttributes"
    present = {name: value for name, value in attributes.items() if value is not None}
    return {"decisionType": decision_type, member: present}
