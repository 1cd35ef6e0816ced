"""SWF coverage: which parts of Amazon SWF's behaviour a test suite reached.

coverage.py says which lines ran; this says which of SWF's 54 history event types, 13 decision
types, failure causes and timeout types (the enums of botocore's SWF model) appeared in the
histories of the Simulators a suite created, and which never did.

A decision counts when the event it leads to, or the event that refuses it, is in a history
(``StartTimer``: ``TimerStarted`` or ``StartTimerFailed``); a cause or timeout type counts per
event type (``StartTimerFailed: TIMER_ID_ALREADY_IN_USE``).

Example:
    >>> from swfsim import Simulator
    >>> coverage = SwfCoverage()
    >>> with coverage.collecting():
    ...     sim = Simulator()  # counted: a test would drive its workflows here
    >>> coverage.percent(["events"])
    0.0

``pytest --swf-coverage`` collects over a whole run (see docs/coverage.md).
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from botocore.model import StringShape, StructureShape

from swfsim import spec

if TYPE_CHECKING:
    from swfsim.simulator import Simulator

SETS = ("events", "decisions", "causes", "timeouts")
JsonDict = dict[str, Any]
# Each decision and the events that show it was made: the one it leads to, the one refusing it.
_DECISION_EVENTS = {
    "ScheduleActivityTask": ("ActivityTaskScheduled", "ScheduleActivityTaskFailed"),
    "RequestCancelActivityTask": ("ActivityTaskCancelRequested", "RequestCancelActivityTaskFailed"),
    "CompleteWorkflowExecution": ("WorkflowExecutionCompleted", "CompleteWorkflowExecutionFailed"),
    "FailWorkflowExecution": ("WorkflowExecutionFailed", "FailWorkflowExecutionFailed"),
    "CancelWorkflowExecution": ("WorkflowExecutionCanceled", "CancelWorkflowExecutionFailed"),
    "ContinueAsNewWorkflowExecution": (
        "WorkflowExecutionContinuedAsNew",
        "ContinueAsNewWorkflowExecutionFailed",
    ),
    "RecordMarker": ("MarkerRecorded", "RecordMarkerFailed"),
    "StartTimer": ("TimerStarted", "StartTimerFailed"),
    "CancelTimer": ("TimerCanceled", "CancelTimerFailed"),
    "SignalExternalWorkflowExecution": (
        "SignalExternalWorkflowExecutionInitiated",
        "SignalExternalWorkflowExecutionFailed",
    ),
    "RequestCancelExternalWorkflowExecution": (
        "RequestCancelExternalWorkflowExecutionInitiated",
        "RequestCancelExternalWorkflowExecutionFailed",
    ),
    "StartChildWorkflowExecution": (
        "StartChildWorkflowExecutionInitiated",
        "StartChildWorkflowExecutionFailed",
    ),
    "ScheduleLambdaFunction": ("LambdaFunctionScheduled", "ScheduleLambdaFunctionFailed"),
}
_DECISION_OF = {
    event: decision for decision, events in _DECISION_EVENTS.items() for event in events
}
_ACTIVE: list[SwfCoverage] = []


@functools.cache
def catalogue() -> Mapping[str, tuple[str, ...]]:
    """Every item of each set, from botocore's SWF model, in the model's order.

    ``causes`` and ``timeouts`` name the event type and the value, e.g.
    ``ActivityTaskTimedOut: HEARTBEAT``.
    """
    causes: list[str] = []
    timeouts: list[str] = []
    for member, attributes in spec.structure("HistoryEvent").members.items():
        if not member.endswith("EventAttributes") or not isinstance(attributes, StructureShape):
            continue
        event_type = member[0].upper() + member[1 : -len("EventAttributes")]
        for name, found in (("cause", causes), ("timeoutType", timeouts)):
            field = attributes.members.get(name)
            if isinstance(field, StringShape) and field.enum:
                found.extend(f"{event_type}: {value}" for value in field.enum)
    return {
        "events": spec.event_types(),
        "decisions": spec.decision_types(),
        "causes": tuple(causes),
        "timeouts": tuple(timeouts),
    }


def items_of(event: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """The (set, item) pairs one history event reaches."""
    event_type = event["eventType"]
    yield "events", event_type
    if event_type in _DECISION_OF:
        yield "decisions", _DECISION_OF[event_type]
    attributes: Mapping[str, Any] = next(
        (value for key, value in event.items() if key.endswith("EventAttributes")), {}
    )
    if "cause" in attributes:
        yield "causes", f"{event_type}: {attributes['cause']}"
    if "timeoutType" in attributes:
        yield "timeouts", f"{event_type}: {attributes['timeoutType']}"


@dataclass(frozen=True)
class SetSummary:
    """One set's coverage: the items reached (with how often) and those never reached."""

    name: str
    reached: Mapping[str, int]
    missed: tuple[str, ...]

    @property
    def total(self) -> int:
        """How many items the set has."""
        return len(self.reached) + len(self.missed)

    @property
    def percent(self) -> float:
        """The share of items reached, 0 to 100."""
        return 100.0 * len(self.reached) / self.total if self.total else 100.0


class SwfCoverage:
    """Counts what the histories of Simulators reach, item by item.

    Call :meth:`start` (or use :meth:`collecting`) to count every Simulator created until
    :meth:`stop`; :meth:`observe` counts one Simulator, :meth:`add_events` one history.
    """

    def __init__(self) -> None:
        self.counts: dict[str, Counter[str]] = {name: Counter() for name in SETS}

    def start(self) -> None:
        """Count every Simulator created from now on (until :meth:`stop`)."""
        if self not in _ACTIVE:
            _ACTIVE.append(self)

    def stop(self) -> None:
        """Stop counting Simulators created from now on (those observed keep being counted)."""
        if self in _ACTIVE:
            _ACTIVE.remove(self)

    @contextmanager
    def collecting(self) -> Iterator[SwfCoverage]:
        """Count every Simulator created inside the ``with`` block."""
        self.start()
        try:
            yield self
        finally:
            self.stop()

    def observe(self, simulator: Simulator) -> None:
        """Count the events ``simulator`` appends to any history from now on."""

        def appended(_history: object, event: Mapping[str, Any]) -> None:
            self.add_events([event])

        simulator.engine.event_listeners.append(appended)

    def add_events(self, events: Iterable[Mapping[str, Any]]) -> None:
        """Count the events of a history (from a Simulator, a snapshot, or AWS itself)."""
        for event in events:
            for name, item in items_of(event):
                self.counts[name][item] += 1

    def merge(self, data: Mapping[str, Mapping[str, int]]) -> None:
        """Add counts saved by :meth:`to_dict` (another process's, say)."""
        for name in SETS:
            self.counts[name].update(data.get(name, {}))

    def to_dict(self) -> dict[str, dict[str, int]]:
        """The counts as JSON-ready data (what :meth:`merge` reads)."""
        return {name: dict(sorted(self.counts[name].items())) for name in SETS}

    def summary(self) -> list[SetSummary]:
        """Each set's items reached and missed, in the model's order."""
        return [
            SetSummary(
                name,
                {item: self.counts[name][item] for item in items if self.counts[name][item]},
                tuple(item for item in items if not self.counts[name][item]),
            )
            for name, items in catalogue().items()
        ]

    def percent(self, sets: Iterable[str] = SETS) -> float:
        """The share of the items of ``sets`` (taken together) reached, 0 to 100.

        Raises:
            ValueError: a set name that is not one of ``events``, ``decisions``, ``causes``,
                ``timeouts``.
        """
        chosen = set(sets)
        unknown = sorted(chosen - set(SETS))
        if unknown:
            raise ValueError(f"no coverage set {unknown[0]!r}; the sets are {', '.join(SETS)}")
        summaries = [s for s in self.summary() if s.name in chosen]
        total = sum(s.total for s in summaries)
        return 100.0 * sum(len(s.reached) for s in summaries) / total if total else 100.0


def simulator_created(simulator: Simulator) -> None:
    """Called by every new Simulator: the collecting SwfCoverage objects observe it."""
    for coverage in _ACTIVE:
        coverage.observe(simulator)
