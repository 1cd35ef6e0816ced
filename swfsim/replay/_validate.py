"""Checking a history against what SWF guarantees of every history it writes.

Event ids run 1, 2, 3, ... and timestamps never go back; the first event is
WorkflowExecutionStarted and a closing event, if any, is the last; every ``...EventId`` points
back to an earlier event of the right type (:mod:`._references`); and decision tasks, activity
and Lambda tasks, timers, child runs and requests to other runs each follow their life cycle
(:mod:`._lifecycles`). Every problem found is reported, each naming its event.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from swfsim import spec
from swfsim.clock import from_millis
from swfsim.model.history import CLOSING_EVENTS, attributes_member
from swfsim.replay import _lifecycles, _references
from swfsim.replay._history import JsonDict, attributes
from swfsim.replay._load import HistorySource, load_history


class Problem(str):
    """One thing wrong with a history: reads as ``"event 7 (TimerFired): ..."``.

    A ``str``, so that problems print, compare and search as text; ``event_id`` names the event.
    """

    event_id: int

    def __new__(cls, event_id: int, event_type: str, message: str) -> Problem:
        problem = super().__new__(cls, f"event {event_id} ({event_type}): {message}")
        problem.event_id = event_id
        return problem


def validate_history(history: HistorySource) -> list[Problem]:
    """Check a history against what SWF guarantees; an empty list means it is valid.

    Args:
        history: a :class:`swfsim.replay.History`, or any source :func:`swfsim.load_history`
            reads.

    Returns:
        Every problem found, in event order, each naming its event.

    Raises:
        swfsim.replay.HistoryError: the source is not a history at all (see
            :func:`swfsim.load_history`).
    """
    return _Validator().run(load_history(history).events)


@functools.cache
def _required(event_type: str) -> frozenset[str]:
    shape = spec.structure("HistoryEvent").members[attributes_member(event_type)]
    return frozenset(getattr(shape, "required_members", ()))


class _Validator:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.types: dict[int, str] = {}  # the events seen so far, by id
        self.ids_broken = False
        self.closed_by: JsonDict | None = None
        self.reported_after_close = False
        self.previous: JsonDict | None = None
        activities = _lifecycles.Tasks("ActivityTask", "activityId")
        lambdas = _lifecycles.Tasks("LambdaFunction", "id")
        self.steps: dict[str, _lifecycles.Step] = {
            "ActivityTaskCancelRequested": activities.request_cancel,
            "StartLambdaFunctionFailed": lambdas.fail_to_start,
        }
        for tracker in (
            _lifecycles.DecisionTasks(),
            activities,
            lambdas,
            _lifecycles.Timers(),
            _lifecycles.Children(),
            _lifecycles.Requests(
                "SignalExternalWorkflowExecutionInitiated",
                ("ExternalWorkflowExecutionSignaled", "SignalExternalWorkflowExecutionFailed"),
            ),
            _lifecycles.Requests(
                "RequestCancelExternalWorkflowExecutionInitiated",
                (
                    "ExternalWorkflowExecutionCancelRequested",
                    "RequestCancelExternalWorkflowExecutionFailed",
                ),
            ),
        ):
            self.steps.update(tracker.steps())

    def run(self, events: Sequence[JsonDict]) -> list[Problem]:
        for position, event in enumerate(events, start=1):
            self._check(position, event)
            self.types[event["eventId"]] = event["eventType"]
            self.previous = event
        return self.problems

    def _report(self, event: JsonDict, message: str | None) -> None:
        if message is not None:
            self.problems.append(Problem(event["eventId"], event["eventType"], message))

    def _check(self, position: int, event: JsonDict) -> None:
        self._report(event, self._order(position, event))
        self._report(event, self._time(event))
        self._report(event, self._open_run(position, event))
        attrs = attributes(event)
        broken_links = self._references(event, attrs)
        for message in broken_links:
            self._report(event, message)
        step = self.steps.get(event["eventType"])
        if step is not None:
            problem = step(event["eventId"], attrs)  # always taken: it moves the life cycle on
            if not broken_links:  # else the problem is the broken link, already reported
                self._report(event, problem)

    def _order(self, position: int, event: JsonDict) -> str | None:
        if self.ids_broken or event["eventId"] == position:
            return None
        self.ids_broken = True  # one report: every later id would be off too
        found = event["eventId"]
        return f"event ids must run 1, 2, 3, ... without gaps: event {position} has id {found}"

    def _time(self, event: JsonDict) -> str | None:
        previous = self.previous
        if previous is None or event["eventTimestamp"] >= previous["eventTimestamp"]:
            return None
        return (
            f"eventTimestamp {_moment(event)} is earlier than event {previous['eventId']}'s "
            f"({_moment(previous)})"
        )

    def _open_run(self, position: int, event: JsonDict) -> str | None:
        event_type = event["eventType"]
        if (position == 1) != (event_type == "WorkflowExecutionStarted"):
            return "a history starts with WorkflowExecutionStarted, and has only that one"
        closed_by = self.closed_by
        if closed_by is None:
            if event_type in CLOSING_EVENTS:
                self.closed_by = event
            return None
        if self.reported_after_close:
            return None
        self.reported_after_close = True  # one report: the first event after the close
        return (
            f"follows the closing event {closed_by['eventId']} ({closed_by['eventType']}); "
            "nothing is recorded after a run closes"
        )

    def _references(self, event: JsonDict, attrs: JsonDict) -> list[str]:
        event_type, event_id = event["eventType"], event["eventId"]
        messages = []
        for member, target in _references.targets(event_type).items():
            if member not in attrs:
                if member in _required(event_type):
                    messages.append(f"{member} is missing")
                continue
            value = attrs[member]
            if value == 0 and _references.may_be_zero(event_type, member):
                continue
            found = self.types.get(value) if isinstance(value, int) and value < event_id else None
            if found is None:
                messages.append(f"{member} {value!r} does not name an earlier event")
            elif found != target:
                messages.append(f"{member} must name a {target} event, not event {value} ({found})")
        return messages


def _moment(event: JsonDict) -> str:
    millis = round(event["eventTimestamp"] * 1000)
    return from_millis(millis).isoformat(timespec="milliseconds").replace("+00:00", "Z")
