"""A run's history: the ordered, append-only list of wire-shaped events."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from swfsim import spec
from swfsim.model.registry import JsonDict, wire_time

EventListener = Callable[["History", JsonDict], None]

MAX_EVENTS = 25_000
CLOSING_EVENTS = frozenset(
    {
        "WorkflowExecutionCompleted",
        "WorkflowExecutionFailed",
        "WorkflowExecutionCanceled",
        "WorkflowExecutionContinuedAsNew",
        "WorkflowExecutionTerminated",
        "WorkflowExecutionTimedOut",
    }
)


class HistoryFull(Exception):  # noqa: N818 - a signal to the engine, never seen by callers
    """Appending would take a history past SWF's hard limit of 25,000 events.

    The limit is on the SWF Developer Guide's quotas page (swf-dg-limits.html). The event is not
    appended; the engine terminates the run with EVENT_LIMIT_EXCEEDED, whose closing event is the
    25,000th.
    """

    def __init__(self, history: History) -> None:
        super().__init__(f"history of {history.owner} is full")
        self.history = history


@functools.cache
def attributes_member(event_type: str) -> str:
    """The HistoryEvent member holding an event type's attributes."""
    if event_type not in spec.event_types():
        raise ValueError(f"{event_type!r} is not an SWF event type")
    return spec.attributes_key(event_type, "EventAttributes")


class History:
    """Events of one run, numbered from 1, each stamped by the clock when appended."""

    __slots__ = ("events", "listeners", "now_ms", "owner")

    def __init__(self, now_ms: Callable[[], int], listeners: list[EventListener]) -> None:
        self.events: list[JsonDict] = []
        self.now_ms = now_ms
        self.listeners = listeners
        self.owner: Any = None

    def append(self, event_type: str, attributes: JsonDict) -> int:
        """Append an event and return its id.

        Raises:
            HistoryFull: only a closing event may be the 25,000th.
        """
        event_id = len(self.events) + 1
        if event_id >= MAX_EVENTS and event_type not in CLOSING_EVENTS:
            raise HistoryFull(self)
        event: dict[str, Any] = {
            "eventId": event_id,
            "eventTimestamp": wire_time(self.now_ms()),
            "eventType": event_type,
            attributes_member(event_type): attributes,
        }
        self.events.append(event)
        for listener in self.listeners:
            listener(self, event)
        return event_id

    def __len__(self) -> int:
        return len(self.events)

    def last_id(self) -> int:
        """The id of the newest event (0 when empty)."""
        return len(self.events)

    def attributes(self, event_id: int) -> JsonDict:
        """The attributes of event ``event_id``."""
        event = self.events[event_id - 1]
        result: JsonDict = event[attributes_member(event["eventType"])]
        return result
