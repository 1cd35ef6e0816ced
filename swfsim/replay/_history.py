"""A workflow history as a typed value: its events, its run, and where its decision tasks are.

Events stay wire-shaped dicts (``eventTimestamp`` in epoch seconds), as
:meth:`swfsim.Simulator.history` returns them and :func:`swfsim.timeline.format_timeline` reads
them; :class:`History` adds what replay and validation need to find in them.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from swfsim import spec
from swfsim.clock import from_millis
from swfsim.model.history import CLOSING_EVENTS, attributes_member

JsonDict = dict[str, Any]
Event = Mapping[str, Any]

# Failures that arrive after the decision block, for a start or a request that was recorded as
# initiated (initiatedEventId > 0): the Initiated event is that decision's record, not these.
_LATE_FAILURES = frozenset(
    {
        "StartChildWorkflowExecutionFailed",
        "SignalExternalWorkflowExecutionFailed",
        "RequestCancelExternalWorkflowExecutionFailed",
    }
)
_UNKNOWN_RUN = {"workflowId": "unknown", "runId": "unknown"}


@functools.cache
def decision_event_types() -> frozenset[str]:
    """Event types that record a decision (their attributes carry decisionTaskCompletedEventId)."""
    history_event = spec.structure("HistoryEvent")
    return frozenset(
        event_type
        for event_type in spec.event_types()
        if "decisionTaskCompletedEventId"
        in getattr(history_event.members[attributes_member(event_type)], "members", {})
    )


def attributes(event: Event) -> JsonDict:
    """The attributes of a wire-shaped event (``{}`` if it has none)."""
    found: JsonDict = event.get(attributes_member(event["eventType"])) or {}
    return found


def records_decision(event: Event) -> bool:
    """Whether ``event`` is the record of one decision of a decision task."""
    event_type = event["eventType"]
    if event_type not in decision_event_types():
        return False
    return event_type not in _LATE_FAILURES or not attributes(event).get("initiatedEventId")


@dataclass(frozen=True)
class DecisionTaskSpan:
    """One decision task of a history, from DecisionTaskStarted to its end.

    Attributes:
        index: 0 for the run's first started decision task, then 1, 2, ...
        scheduled_id: its DecisionTaskScheduled event.
        started_id: its DecisionTaskStarted event: the decider saw the events up to this one.
        previous_started_id: the DecisionTaskStarted of the previous completed decision task
            (0 for none), the ``previousStartedEventId`` of the poll that handed it out.
        closed_id: its DecisionTaskCompleted or DecisionTaskTimedOut event, None while open.
        completed: whether the decider answered it (DecisionTaskCompleted).
        decision_ids: the events recording its decisions, in order (empty unless completed).
    """

    index: int
    scheduled_id: int
    started_id: int
    previous_started_id: int
    closed_id: int | None
    completed: bool
    decision_ids: tuple[int, ...]


class History:
    """A workflow execution's history: its events in order, with the run they belong to.

    Build one with :func:`swfsim.load_history`. Event ``n`` is ``history.events[n - 1]``.

    Attributes:
        events: the wire-shaped events (``eventTimestamp`` in epoch seconds), oldest first.
        execution: the run's ``{"workflowId", "runId"}``, when the source named it.
        source: where the history was loaded from (a path), for messages.
    """

    def __init__(
        self,
        events: Sequence[JsonDict],
        *,
        execution: Mapping[str, str] | None = None,
        source: str | None = None,
    ) -> None:
        self.events: tuple[JsonDict, ...] = tuple(events)
        self.execution: JsonDict | None = dict(execution) if execution else None
        self.source = source

    def __len__(self) -> int:
        return len(self.events)

    def __repr__(self) -> str:
        where = f" from {self.source}" if self.source else ""
        return f"<History of {self.label}: {len(self.events)} events{where}>"

    @property
    def label(self) -> str:
        """How messages name the run: its workflowId and runId, or where it came from."""
        if self.execution:
            return f"workflowId={self.execution['workflowId']} runId={self.execution['runId']}"
        return self.source or "an unnamed run"

    @property
    def workflow_execution(self) -> JsonDict:
        """The ``WorkflowExecution`` structure a poll names the run by (placeholders if unknown)."""
        return dict(self.execution or _UNKNOWN_RUN)

    @property
    def started(self) -> JsonDict:
        """The attributes of WorkflowExecutionStarted (``{}`` if the first event is not one)."""
        if self.events and self.events[0]["eventType"] == "WorkflowExecutionStarted":
            return attributes(self.events[0])
        return {}

    @property
    def workflow_type(self) -> JsonDict | None:
        """The run's ``{"name", "version"}`` workflow type, from WorkflowExecutionStarted."""
        found: JsonDict | None = self.started.get("workflowType")
        return found

    @property
    def close_event(self) -> JsonDict | None:
        """The event that closed the run, or None while it is open."""
        if self.events and self.events[-1]["eventType"] in CLOSING_EVENTS:
            return self.events[-1]
        return None

    @property
    def last_time(self) -> datetime:
        """When the last event happened (UTC): the moment :meth:`swfsim.Simulator.resume`
        continues the run from, e.g. ``Simulator(start=history.last_time)``."""
        return from_millis(round(self.events[-1]["eventTimestamp"] * 1000))

    def event(self, event_id: int) -> JsonDict:
        """Event ``event_id`` (1-based).

        Raises:
            IndexError: there is no such event.
        """
        if not 1 <= event_id <= len(self.events):
            raise IndexError(f"{self.label} has no event {event_id} (it has {len(self.events)})")
        return self.events[event_id - 1]

    def attributes(self, event_id: int) -> JsonDict:
        """The attributes of event ``event_id``."""
        return attributes(self.event(event_id))

    @functools.cached_property
    def decision_tasks(self) -> tuple[DecisionTaskSpan, ...]:
        """Every started decision task, in order, with the events of its decisions."""
        return tuple(_spans(self.events))


def _spans(events: Sequence[Event]) -> list[DecisionTaskSpan]:
    """Decision tasks from their events; tolerant of broken histories (validation reports)."""
    spans: list[DecisionTaskSpan] = []
    open_task: tuple[int, int] | None = None  # (scheduled_id, started_id)
    previous_started = 0
    by_completed: dict[int, list[int]] = {}
    for event in events:
        event_type, event_id = event["eventType"], event["eventId"]
        if event_type == "DecisionTaskStarted":
            open_task = (attributes(event).get("scheduledEventId", 0), event_id)
        elif event_type in ("DecisionTaskCompleted", "DecisionTaskTimedOut") and open_task:
            if attributes(event).get("startedEventId") != open_task[1]:
                continue  # a schedule-to-start timeout, or a broken link
            completed = event_type == "DecisionTaskCompleted"
            by_completed[event_id] = []
            spans.append(
                DecisionTaskSpan(len(spans), *open_task, previous_started, event_id, completed, ())
            )
            if completed:
                previous_started = open_task[1]
            open_task = None
        elif records_decision(event):
            completed_id = attributes(event).get("decisionTaskCompletedEventId", 0)
            by_completed.get(completed_id, []).append(event_id)
    if open_task is not None:
        spans.append(DecisionTaskSpan(len(spans), *open_task, previous_started, None, False, ()))
    return [
        replace(span, decision_ids=tuple(by_completed[span.closed_id or 0]))
        if span.completed
        else span
        for span in spans
    ]
