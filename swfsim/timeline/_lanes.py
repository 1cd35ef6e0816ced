"""A history read as lanes: what each activity, timer, child run and Lambda task did, and when.

Each task is a bar from the event that scheduled it to the one that closed it, with the event
that started it in between. A retried activity or a restarted timer keeps its lane: the lane is
named by the id the decider gave it (``activityId``, ``timerId``, the child's ``workflowId``, the
Lambda task's ``id``). Decision tasks become ticks and signals, markers and cancel requests flags.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from swfsim.timeline._text import event_attributes

Event = Mapping[str, Any]

# Lane kinds, in the order lanes are drawn.
WORKFLOW, ACTIVITY, LAMBDA, TIMER, CHILD = "workflow", "activity", "lambda", "timer", "child"
KINDS = (WORKFLOW, ACTIVITY, LAMBDA, TIMER, CHILD)

# Outcomes, each a colour of the page.
COMPLETED, FAILED, TIMED_OUT, CANCELED = "completed", "failed", "timed-out", "canceled"
TERMINATED, CONTINUED, OPEN = "terminated", "continued", "open"

# The event opening a bar: its lane kind and the attribute naming the lane.
_OPENERS = {
    "WorkflowExecutionStarted": (WORKFLOW, ""),
    "ActivityTaskScheduled": (ACTIVITY, "activityId"),
    "LambdaFunctionScheduled": (LAMBDA, "id"),
    "TimerStarted": (TIMER, "timerId"),
    "StartChildWorkflowExecutionInitiated": (CHILD, "workflowId"),
}
# Decisions the service refused: a bar of no length in the task's lane, failed with a cause.
_REFUSED = {
    "ScheduleActivityTaskFailed": (ACTIVITY, "activityId"),
    "ScheduleLambdaFunctionFailed": (LAMBDA, "id"),
    "StartTimerFailed": (TIMER, "timerId"),
}
# The attribute of later events that names their bar's opening event.
_LINKS = ("scheduledEventId", "startedEventId", "initiatedEventId")
_STARTS = {
    "ActivityTaskStarted",
    "LambdaFunctionStarted",
    "ChildWorkflowExecutionStarted",
}
_CLOSES = {
    "Completed": COMPLETED,
    "Fired": COMPLETED,
    "Failed": FAILED,
    "TimedOut": TIMED_OUT,
    "Canceled": CANCELED,
    "Terminated": TERMINATED,
    "ContinuedAsNew": CONTINUED,
}
_FLAGS = {
    "WorkflowExecutionSignaled": "signalName",
    "MarkerRecorded": "markerName",
    "RecordMarkerFailed": "markerName",
    "WorkflowExecutionCancelRequested": "cause",
    "SignalExternalWorkflowExecutionInitiated": "signalName",
    "RequestCancelExternalWorkflowExecutionInitiated": "workflowId",
    "ActivityTaskCancelRequested": "activityId",
}


@dataclass
class Bar:
    """One task (or the run itself) from the event that opened it to the one that closed it.

    Attributes:
        opened: id of the event that scheduled (started, initiated) it.
        started: id of the event that started it, if any.
        closed: id of the event that closed it; None while it is open.
        outcome: one of the outcome names (``completed``, ``failed``, ``timed-out``, ...).
        detail: the timeout type or failure cause, when there is one.
        child_run: the run id of a child run, once it started.
        events: ids of every event of the bar, in order.
    """

    opened: int
    started: int | None = None
    closed: int | None = None
    outcome: str = OPEN
    detail: str = ""
    child_run: str | None = None
    events: list[int] = field(default_factory=list)


@dataclass
class Lane:
    """The bars of one activity, timer, child workflow or Lambda task id (or the run)."""

    kind: str
    name: str
    bars: list[Bar] = field(default_factory=list)


@dataclass(frozen=True)
class Mark:
    """A decision task (a tick) or a signal, marker or cancel request (a flag)."""

    event_id: int
    event_type: str
    label: str
    outcome: str = COMPLETED


@dataclass
class RunLanes:
    """A run's history read as lanes, ticks and flags."""

    events: Sequence[Event]
    lanes: list[Lane]
    ticks: list[Mark]
    flags: list[Mark]

    @property
    def outcome(self) -> str:
        """How the run ended (``open`` while it runs)."""
        return self.lanes[0].bars[0].outcome if self.lanes and self.lanes[0].bars else OPEN

    @property
    def child_runs(self) -> list[str]:
        """Run ids of the child runs this run started, in order."""
        return [
            bar.child_run
            for lane in self.lanes
            for bar in lane.bars
            if lane.kind == CHILD and bar.child_run
        ]


def read_lanes(events: Sequence[Event]) -> RunLanes:
    """Read a history (wire dicts or boto3's events) as lanes, ticks and flags."""
    lanes: dict[tuple[str, str], Lane] = {}
    bars: dict[int, Bar] = {}
    ticks: list[Mark] = []
    flags: list[Mark] = []
    for event in events:
        event_type, event_id = event["eventType"], event["eventId"]
        attributes = event_attributes(event)
        if event_type in _OPENERS or event_type in _REFUSED:
            _open(lanes, bars, event_type, event_id, attributes)
        elif event_type.startswith("DecisionTask"):
            _tick(ticks, event_type, event_id, attributes)
        elif event_type in _FLAGS:
            label = str(attributes.get(_FLAGS[event_type]) or event_type)
            flags.append(Mark(event_id, event_type, label))
        elif not _advance(bars, lanes, event_type, event_id, attributes):
            # Whatever belongs to no bar (a refused decision, an external signal) still shows.
            label = str(attributes.get("cause") or event_type)
            flags.append(
                Mark(event_id, event_type, label, FAILED if "Failed" in event_type else COMPLETED)
            )
    ordered = sorted(lanes.values(), key=lambda lane: KINDS.index(lane.kind))
    return RunLanes(events, ordered, ticks, flags)


def _open(
    lanes: dict[tuple[str, str], Lane],
    bars: dict[int, Bar],
    event_type: str,
    event_id: int,
    attributes: Mapping[str, Any],
) -> None:
    kind, key = _OPENERS.get(event_type) or _REFUSED[event_type]
    name = str(attributes.get(key, "")) if key else "workflow run"
    lane = lanes.setdefault((kind, name), Lane(kind, name))
    bar = Bar(opened=event_id, events=[event_id])
    if kind in (WORKFLOW, TIMER):  # nothing waits for a worker: they run from the first event
        bar.started = event_id
    if event_type in _REFUSED:
        bar.closed, bar.outcome, bar.detail = event_id, FAILED, str(attributes.get("cause", ""))
    lane.bars.append(bar)
    bars[event_id] = bar


def _advance(
    bars: dict[int, Bar],
    lanes: dict[tuple[str, str], Lane],
    event_type: str,
    event_id: int,
    attributes: Mapping[str, Any],
) -> bool:
    """Add the event to its bar; False when it belongs to none."""
    bar = _bar_of(bars, lanes, event_type, attributes)
    if bar is None:
        return False
    bar.events.append(event_id)
    if event_type in _STARTS:
        bar.started = event_id
        child = attributes.get("workflowExecution")
        if isinstance(child, Mapping):
            bar.child_run = child.get("runId")
        return True
    outcome = next((name for suffix, name in _CLOSES.items() if event_type.endswith(suffix)), None)
    if outcome is not None:
        bar.closed, bar.outcome = event_id, outcome
        bar.detail = str(attributes.get("timeoutType") or attributes.get("cause") or "")
    return True


def _bar_of(
    bars: dict[int, Bar],
    lanes: dict[tuple[str, str], Lane],
    event_type: str,
    attributes: Mapping[str, Any],
) -> Bar | None:
    """The bar an event belongs to: by the opening event it names, or the run's own bar."""
    if event_type.startswith("WorkflowExecution"):
        run = lanes.get((WORKFLOW, "workflow run"))
        return run.bars[-1] if run else None
    # A child's events name both its initiated and its started event: the first is the bar's.
    linked = (bars.get(attributes[link]) for link in _LINKS if link in attributes)
    return next((bar for bar in linked if bar is not None), None)


def _tick(ticks: list[Mark], event_type: str, event_id: int, attributes: Mapping[str, Any]) -> None:
    # A decision task shows once, when it closed: completed, or timed out.
    if event_type == "DecisionTaskCompleted":
        ticks.append(Mark(event_id, event_type, "decision"))
    elif event_type == "DecisionTaskTimedOut":
        label = f"decision timed out ({attributes.get('timeoutType', '')})"
        ticks.append(Mark(event_id, event_type, label, TIMED_OUT))
