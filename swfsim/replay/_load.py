"""Reading a history from whatever form a user has it in.

Accepted: boto3's ``get_workflow_execution_history`` output (one page, or the pages of its
paginator), the AWS CLI's JSON output, SWF's wire form ``{"events": [...]}`` (other top-level
keys are ignored), a plain list of events, ``swfsim serve``'s history export (``GET
/_swfsim/history`` and ``swfsim history --json``), and a path to a JSON file holding any of
these. Timestamps may be datetimes (boto3), epoch seconds (the wire, as ``1.487851963534E9`` or
``1487851963.534``; the AWS CLI v1) or ISO 8601 text (the AWS CLI v2).

Only what makes something an SWF event is checked here (an id, a known type, its attributes under
its own key); how events refer to each other is :func:`swfsim.validate_history`'s job.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeAlias

from swfsim import spec
from swfsim.model.history import attributes_member
from swfsim.replay._history import History, JsonDict

HistorySource: TypeAlias = (
    "History | str | os.PathLike[str] | bytes | Mapping[str, Any] | Iterable[Mapping[str, Any]]"
)
_ATTRIBUTES_SUFFIX = "EventAttributes"


class HistoryError(ValueError):
    """The source is not a workflow history; the message names the event and what is wrong."""


def load_history(source: HistorySource, *, execution: Mapping[str, str] | None = None) -> History:
    """Read a workflow history from any of the forms SWF tools produce.

    Args:
        source: a :class:`History`; a path (``str`` or ``Path``) to a JSON file; JSON bytes; a
            ``{"events": [...]}`` mapping (boto3's response, the AWS CLI's output, the wire
            form); a list of events; or a list or iterator of response pages (boto3's
            paginator). Events newest-first (``reverseOrder=True``) are put in order.
        execution: the run's ``{"workflowId", "runId"}``, when the source does not name it (a
            top-level ``"execution"`` member, as in ``fixtures/real-aws/histories``, does).

    Returns:
        The history, events oldest first, each ``eventTimestamp`` in epoch seconds.

    Raises:
        HistoryError: the source holds something that is not an SWF event (the message names
            its eventId), or no events at all.
        OSError: the path cannot be read.
    """
    if isinstance(source, History):
        return source
    origin = None
    if isinstance(source, str | os.PathLike):
        origin = os.fspath(source)
        source = Path(origin).read_bytes()
    if isinstance(source, bytes):
        try:
            source = json.loads(source)
        except ValueError as error:
            raise HistoryError(f"{origin or 'the source'} is not JSON: {error}") from None
    raw_events, named = _raw_events(source)
    events = [_event(raw, position) for position, raw in enumerate(raw_events, start=1)]
    if not events:
        raise HistoryError(f"{origin or 'the source'} holds no events")
    if len(events) > 1 and events[0]["eventId"] > events[-1]["eventId"]:
        events.reverse()  # newest first, as reverseOrder=True returns them
    return History(events, execution=execution or named, source=origin)


def _raw_events(source: Any) -> tuple[list[Any], JsonDict | None]:
    """The events of a parsed source, and the run it names (if it does)."""
    if isinstance(source, Mapping):
        if not isinstance(source.get("events"), list):
            raise HistoryError(
                "a history must have an 'events' list (as get_workflow_execution_history "
                f"returns it); found the keys {sorted(source)}"
            )
        named = source.get("execution") or source.get("workflowExecution")
        return list(source["events"]), dict(named) if isinstance(named, Mapping) else None
    if isinstance(source, Iterable) and not isinstance(source, str | bytes):
        items = list(source)
        if items and all(isinstance(item, Mapping) and "events" in item for item in items):
            return [event for page in items for event in page["events"]], None  # pages
        return items, None
    raise HistoryError(f"cannot read a history from a {type(source).__name__}")


def _event(raw: Any, position: int) -> JsonDict:
    """One event, normalized to the wire shape; HistoryError if it is not an SWF event."""
    if not isinstance(raw, Mapping):
        raise HistoryError(f"item {position} of the events is a {type(raw).__name__}, not an event")
    event_id = raw.get("eventId")
    if not isinstance(event_id, int) or isinstance(event_id, bool):
        raise HistoryError(f"item {position} of the events has no integer eventId: {event_id!r}")
    event_type = raw.get("eventType")
    if event_type not in spec.event_types():
        raise HistoryError(f"event {event_id}: {event_type!r} is not an SWF event type")
    key = attributes_member(event_type)
    misplaced = [name for name in raw if name.endswith(_ATTRIBUTES_SUFFIX) and name != key]
    if misplaced:
        raise HistoryError(
            f"event {event_id} ({event_type}): its attributes belong under {key!r}, not "
            f"{', '.join(repr(name) for name in misplaced)}"
        )
    attrs = raw.get(key)
    if not isinstance(attrs, Mapping):
        raise HistoryError(f"event {event_id} ({event_type}): {key!r} is missing")
    return {
        "eventId": event_id,
        "eventTimestamp": _epoch_seconds(raw.get("eventTimestamp"), event_id),
        "eventType": event_type,
        key: dict(attrs),
    }


def _epoch_seconds(value: Any, event_id: int) -> float:
    """A timestamp in any of its forms, as epoch seconds to the millisecond (SWF's precision)."""
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        seconds = moment.timestamp()
    elif isinstance(value, int | float) and not isinstance(value, bool):
        seconds = float(value)
    elif isinstance(value, str):
        seconds = _parse_text(value, event_id)
    else:
        raise HistoryError(f"event {event_id}: eventTimestamp {value!r} is not a timestamp")
    return round(seconds * 1000) / 1000


def _parse_text(text: str, event_id: int) -> float:
    try:
        return float(text)  # the wire's 1.487851963534E9, as text
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise HistoryError(
            f"event {event_id}: eventTimestamp {text!r} is neither epoch seconds nor ISO 8601"
        ) from None
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).timestamp()
