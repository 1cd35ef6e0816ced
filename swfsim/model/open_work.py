"""What a recorded history leaves open: the run's decision task, activity and Lambda tasks,
timers, child runs and requests to other runs, read event by event.

The history is taken to be valid (``swfsim.validate_history``): each event closes what it names.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from swfsim.model.history import attributes_member
from swfsim.model.registry import JsonDict
from swfsim.model.run import TaskListOverride

Event = JsonDict
_ACTIVITY_CLOSES = ("Completed", "Failed", "TimedOut", "Canceled")
_CHILD_CLOSES = ("Completed", "Failed", "TimedOut", "Canceled", "Terminated")
_LAMBDA_CLOSES = ("Completed", "Failed", "TimedOut")
_REQUEST_ANSWERS = (
    "ExternalWorkflowExecutionSignaled",
    "SignalExternalWorkflowExecutionFailed",
    "ExternalWorkflowExecutionCancelRequested",
    "RequestCancelExternalWorkflowExecutionFailed",
)


def attrs_of(event: Event) -> JsonDict:
    """The attributes of a wire event."""
    found: JsonDict = event[attributes_member(event["eventType"])]
    return found


@dataclass
class Opened:
    """Something opened by an event and not closed yet, with the event that started it."""

    opened: Event
    started: Event | None = None


@dataclass
class OpenWork:
    """What the history leaves open, each keyed by the id of the event that opened it.

    Attributes:
        decision_scheduled: a DecisionTaskScheduled not started yet.
        decision_started: a DecisionTaskStarted not closed yet.
        previous_started_id: the DecisionTaskStarted of the last completed decision task.
        override: the decision task list set by RespondDecisionTaskCompleted, if in force.
        activities: ActivityTaskScheduled (and Started) events of open activity tasks.
        cancel_requests: ActivityTaskCancelRequested ids, by the activity's scheduled id.
        timers: TimerStarted events of open timers.
        children: StartChildWorkflowExecutionInitiated (and Started) events of open children.
        lambdas: LambdaFunctionScheduled (and Started) events of open Lambda tasks.
        requests: Initiated events of signals and cancel requests not answered yet.
        cancel_requested: whether WorkflowExecutionCancelRequested was recorded.
        latest_context: the last executionContext a decider gave.
        latest_activity: the last ActivityTask* event.
    """

    decision_scheduled: Event | None = None
    decision_started: Event | None = None
    previous_started_id: int = 0
    override: TaskListOverride | None = None
    activities: dict[int, Opened] = field(default_factory=dict)
    cancel_requests: dict[int, int] = field(default_factory=dict)
    timers: dict[str, Event] = field(default_factory=dict)
    children: dict[int, Opened] = field(default_factory=dict)
    lambdas: dict[int, Opened] = field(default_factory=dict)
    requests: dict[int, Event] = field(default_factory=dict)
    cancel_requested: bool = False
    latest_context: str | None = None
    latest_activity: Event | None = None


def open_work(events: Sequence[Event]) -> OpenWork:
    """What ``events`` (a valid history) leave open."""
    reader = _Reader()
    for event in events:
        event_type = event["eventType"]
        if event_type.startswith("ActivityTask") and event_type != "ActivityTaskCancelRequested":
            reader.work.latest_activity = event  # what latestActivityTaskTimestamp reports
        step = reader.steps.get(event_type)
        if step is not None:
            step(event)
    return reader.work


class _Reader:
    def __init__(self) -> None:
        self.work = OpenWork()
        work = self.work
        self.steps: dict[str, Callable[[Event], None]] = {
            "DecisionTaskScheduled": self._decision_scheduled,
            "DecisionTaskStarted": self._decision_started,
            "DecisionTaskCompleted": self._decision_completed,
            "DecisionTaskTimedOut": self._decision_timed_out,
            "ActivityTaskScheduled": _opener(work.activities),
            "ActivityTaskStarted": _starter(work.activities, "scheduledEventId"),
            "ActivityTaskCancelRequested": self._activity_cancel_requested,
            "TimerStarted": self._timer_started,
            "TimerFired": self._timer_ended,
            "TimerCanceled": self._timer_ended,
            "StartChildWorkflowExecutionInitiated": _opener(work.children),
            "StartChildWorkflowExecutionFailed": _closer(work.children, "initiatedEventId"),
            "ChildWorkflowExecutionStarted": _starter(work.children, "initiatedEventId"),
            "LambdaFunctionScheduled": _opener(work.lambdas),
            "LambdaFunctionStarted": _starter(work.lambdas, "scheduledEventId"),
            "StartLambdaFunctionFailed": _closer(work.lambdas, "scheduledEventId"),
            "SignalExternalWorkflowExecutionInitiated": self._request,
            "RequestCancelExternalWorkflowExecutionInitiated": self._request,
            "WorkflowExecutionCancelRequested": self._cancel_requested,
        }
        for outcome in _ACTIVITY_CLOSES:
            self.steps[f"ActivityTask{outcome}"] = self._activity_closed
        for outcome in _CHILD_CLOSES:
            self.steps[f"ChildWorkflowExecution{outcome}"] = _closer(
                work.children, "initiatedEventId"
            )
        for outcome in _LAMBDA_CLOSES:
            self.steps[f"LambdaFunction{outcome}"] = _closer(work.lambdas, "scheduledEventId")
        for answer in _REQUEST_ANSWERS:
            self.steps[answer] = self._request_answered

    def _decision_scheduled(self, event: Event) -> None:
        self.work.decision_scheduled = event

    def _decision_started(self, event: Event) -> None:
        self.work.decision_scheduled, self.work.decision_started = None, event

    def _decision_completed(self, event: Event) -> None:
        work, attrs = self.work, attrs_of(event)
        work.previous_started_id = attrs["startedEventId"]
        work.decision_started = None
        if attrs.get("taskList") is not None:
            work.override = TaskListOverride(
                attrs["taskList"]["name"], attrs.get("taskListScheduleToStartTimeout")
            )
        if attrs.get("executionContext") is not None:
            work.latest_context = attrs["executionContext"]

    def _decision_timed_out(self, event: Event) -> None:
        work = self.work
        if attrs_of(event)["timeoutType"] == "SCHEDULE_TO_START":
            work.decision_scheduled = None
        else:
            work.decision_started = None
        if work.override is not None and work.override.schedule_to_start is not None:
            work.override = None  # a temporary task list lapses when its task times out

    def _activity_cancel_requested(self, event: Event) -> None:
        activity_id = attrs_of(event)["activityId"]
        for scheduled_id, opened in self.work.activities.items():
            if attrs_of(opened.opened)["activityId"] == activity_id:
                self.work.cancel_requests[scheduled_id] = event["eventId"]

    def _activity_closed(self, event: Event) -> None:
        scheduled_id = attrs_of(event)["scheduledEventId"]
        self.work.activities.pop(scheduled_id, None)
        self.work.cancel_requests.pop(scheduled_id, None)

    def _timer_started(self, event: Event) -> None:
        self.work.timers[attrs_of(event)["timerId"]] = event

    def _timer_ended(self, event: Event) -> None:
        del self.work.timers[attrs_of(event)["timerId"]]

    def _request(self, event: Event) -> None:
        self.work.requests[event["eventId"]] = event

    def _request_answered(self, event: Event) -> None:
        self.work.requests.pop(attrs_of(event)["initiatedEventId"], None)  # 0: failed at once

    def _cancel_requested(self, _event: Event) -> None:
        self.work.cancel_requested = True


def _opener(table: dict[int, Opened]) -> Callable[[Event], None]:
    def opened(event: Event) -> None:
        table[event["eventId"]] = Opened(event)

    return opened


def _starter(table: dict[int, Opened], link: str) -> Callable[[Event], None]:
    def started(event: Event) -> None:
        table[attrs_of(event)[link]].started = event

    return started


def _closer(table: dict[int, Opened], link: str) -> Callable[[Event], None]:
    def closed(event: Event) -> None:
        table.pop(attrs_of(event)[link], None)

    return closed
