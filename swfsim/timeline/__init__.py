"""A workflow history as a readable timeline: text, one line per event, or an HTML page.

:func:`to_html` draws runs as a self-contained HTML page (lanes of bars on the virtual time
axis; see docs/timeline.md); :func:`format_timeline` writes one line per event, on the run's
own clock.

Each line shows how long after the first event the event happened, its id, its type and the few
attributes a reader looks for (ids, results, reasons, causes, timeout types). It reads the wire
events of :meth:`swfsim.Simulator.history` as well as the events boto3 returns from
``get_workflow_execution_history`` (whose timestamps are datetimes).

Example:
    >>> events = [
    ...     {"eventId": 1, "eventTimestamp": 0.0, "eventType": "TimerStarted",
    ...      "timerStartedEventAttributes": {"timerId": "t", "startToFireTimeout": "90"}},
    ...     {"eventId": 2, "eventTimestamp": 90.0, "eventType": "TimerFired",
    ...      "timerFiredEventAttributes": {"timerId": "t", "startedEventId": 1}},
    ... ]
    >>> print(format_timeline(events))
    +0d 00:00:00.000  1  TimerStarted  timerId=t startToFireTimeout=90
    +0d 00:01:30.000  2  TimerFired    timerId=t
"""

from __future__ import annotations

from swfsim.timeline._page import simulator_to_html, to_html
from swfsim.timeline._text import (
    KEY_ATTRIBUTES,
    MAX_VALUE_CHARS,
    event_attributes,
    format_offset,
    format_timeline,
    format_value,
)

__all__ = [
    "KEY_ATTRIBUTES",
    "MAX_VALUE_CHARS",
    "event_attributes",
    "format_offset",
    "format_timeline",
    "format_value",
    "simulator_to_html",
    "to_html",
]
