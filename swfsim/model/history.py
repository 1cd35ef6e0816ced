"""A run's history: the ordered, append-only list of wire-shaped events."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from swfsim import spec
from swfsim.model.registry import JsonDict, wire_time

EventListener = Callable[["History", JsonDict], None]


@functools.cache
def attributes_member(event_type: str) -> str:
    """The HistoryEvent member holding an event type's attributes."""
    if event_type not in spec.event_types():
        raise ValueError(f"{event_type!r} is not an SWF event type")
    return spec.attributes_key(event_type, "EventAttributes")


class History:
    """Events of one run, numbered from 1, each stamped by the clock when appended."""

    __slots__ = ("events", "listeners", "now_ms")

    def __init__(self, now_ms: Callable[[], int], listeners: list[EventListener]) -> None:
        self.events: list[JsonDict] = []
        self.now_ms = now_ms
        self.listeners = listeners

    def append(self, event_type: str, attributes: JsonDict) -> int:
        """Append an event and return its id."""
        event_id = len(self.events) + 1
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
