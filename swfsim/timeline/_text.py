"""A history as text: one line per event, on the run's own clock (see :mod:`swfsim.timeline`)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

Event = Mapping[str, Any]

# The attributes worth a reader's eye, in the order they are shown; the rest (event links, task
# lists, identities, timeouts nobody hit) would drown them.
KEY_ATTRIBUTES = (
    "workflowType",
    "workflowId",
    "newExecutionRunId",
    "activityId",
    "activityType",
    "id",
    "name",
    "timerId",
    "startToFireTimeout",
    "markerName",
    "signalName",
    "input",
    "result",
    "reason",
    "details",
    "cause",
    "timeoutType",
)
MAX_VALUE_CHARS = 60
_NAMING_EVENTS = {"ActivityTaskScheduled": "activityId", "LambdaFunctionScheduled": "id"}
_BARE = re.compile(r"^[\w.:/@+=-]+$")
_MS_PER_DAY = 86_400_000


def format_timeline(events: Sequence[Event]) -> str:
    """Render a history as one line per event, times measured from the first event.

    Args:
        events: history events in order, as wire dicts (``eventTimestamp`` in epoch seconds)
            or as boto3 returns them (``eventTimestamp`` a datetime).

    Returns:
        The lines joined by newlines, without a trailing newline; ``""`` for no events.
    """
    if not events:
        return ""
    origin_ms = _millis(events[0]["eventTimestamp"])
    task_names = _task_names(events)
    id_width = len(str(max(event["eventId"] for event in events)))
    type_width = max(len(event["eventType"]) for event in events)
    lines = []
    for event in events:
        offset = format_offset(_millis(event["eventTimestamp"]) - origin_ms)
        summary = " ".join(_key_values(event, task_names))
        line = f"{offset}  {event['eventId']:>{id_width}}  {event['eventType']:<{type_width}}"
        lines.append(f"{line}  {summary}".rstrip())
    return "\n".join(lines)


def format_offset(millis: int) -> str:
    """A duration in milliseconds as ``+Nd HH:MM:SS.mmm`` (``-`` for negative durations)."""
    sign = "-" if millis < 0 else "+"
    days, rest = divmod(abs(millis), _MS_PER_DAY)
    hours, rest = divmod(rest, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, ms = divmod(rest, 1000)
    return f"{sign}{days}d {hours:02}:{minutes:02}:{secs:02}.{ms:03}"


def event_attributes(event: Event) -> Mapping[str, Any]:
    """The ``<x>EventAttributes`` member of an event (empty if it has none)."""
    for key, value in event.items():
        if key.endswith("EventAttributes") and isinstance(value, Mapping):
            return value
    return {}


def _millis(timestamp: float | datetime | str) -> int:
    # Text is how a boto3 history saved with json.dumps(default=str) holds its datetimes.
    if isinstance(timestamp, str):
        timestamp = datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    seconds = timestamp.timestamp() if isinstance(timestamp, datetime) else timestamp
    return round(seconds * 1000)


def _task_names(events: Sequence[Event]) -> dict[int, tuple[str, str]]:
    """The id of each activity and Lambda task by its scheduled event's id, to name the later
    events of the task, whose attributes carry only that event id."""
    names = {}
    for event in events:
        if event["eventType"] in _NAMING_EVENTS:
            key = _NAMING_EVENTS[event["eventType"]]
            names[event["eventId"]] = (key, event_attributes(event)[key])
    return names


def _key_values(event: Event, task_names: Mapping[int, tuple[str, str]]) -> list[str]:
    attributes = dict(event_attributes(event))
    named = task_names.get(attributes.get("scheduledEventId", 0))
    if named is not None:
        attributes.setdefault(*named)
    # Child and external workflow events name the other run by a {workflowId, runId} structure.
    other_run = attributes.get("workflowExecution") or attributes.get("externalWorkflowExecution")
    if isinstance(other_run, Mapping):
        attributes.setdefault("workflowId", other_run.get("workflowId"))
    return [
        f"{name}={format_value(attributes[name])}"
        for name in KEY_ATTRIBUTES
        if attributes.get(name) is not None
    ]


def format_value(value: Any) -> str:
    """An attribute value as timelines show it: a type as name/version, JSON compact, free
    text quoted, long values cut."""
    if isinstance(value, Mapping) and set(value) == {"name", "version"}:
        return f"{value['name']}/{value['version']}"
    text = _compact_json(value)
    quote = text is None
    if text is None:
        text = str(value)
        # Free text is quoted so that a reader can tell where one value ends and the next starts.
        quote = not _BARE.match(text)
    if len(text) > MAX_VALUE_CHARS:
        text = text[: MAX_VALUE_CHARS - 3] + "..."
    return json.dumps(text, ensure_ascii=False) if quote else text


def _compact_json(value: Any) -> str | None:
    """JSON values and JSON documents in strings, without spaces; None for anything else."""
    if isinstance(value, str):
        if not value.startswith(("{", "[")):
            return None
        try:
            value = json.loads(value)
        except ValueError:
            return None
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
