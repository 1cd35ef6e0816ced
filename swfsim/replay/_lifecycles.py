"""The life of each thing a run opens, followed event by event: decision tasks, activity and
Lambda tasks, timers, child runs, and signal and cancel requests to other runs.

Each tracker maps the event types it follows to a step that takes the event's id and attributes
and returns what is wrong (a message) or None. What the steps check is what the SWF Developer
Guide describes for each: a decision task is scheduled, started, then completed or timed out,
with at most one scheduled and one started at a time; a task is started once and closed once;
an id in use cannot be reused until its holder closes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from swfsim.replay._history import JsonDict

Step = Callable[[int, JsonDict], "str | None"]


class DecisionTasks:
    """At most one decision task scheduled and one started; each started task closes once."""

    def __init__(self) -> None:
        self.scheduled: int | None = None
        self.started: tuple[int, int] | None = None  # (scheduled id, started id)

    def steps(self) -> dict[str, Step]:
        """The step for each event type this tracker follows."""
        return {
            "DecisionTaskScheduled": self.schedule,
            "DecisionTaskStarted": self.start,
            "DecisionTaskCompleted": self.close,
            "DecisionTaskTimedOut": self.time_out,
        }

    def schedule(self, event_id: int, attrs: JsonDict) -> str | None:
        """DecisionTaskScheduled: none may be scheduled already."""
        waiting, self.scheduled = self.scheduled, event_id
        if waiting is not None:
            return f"a decision task is already scheduled (event {waiting}) and not yet started"
        return None

    def start(self, event_id: int, attrs: JsonDict) -> str | None:
        """DecisionTaskStarted: starts the scheduled task; none may be started already."""
        scheduled = attrs.get("scheduledEventId")
        waiting, self.scheduled = self.scheduled, None
        running, self.started = self.started, (scheduled or 0, event_id)
        if running is not None:
            return f"the decision task started by event {running[1]} is still open"
        if waiting is None:
            return "no decision task is scheduled"
        if scheduled != waiting:
            return f"starts decision task {scheduled}, but the one scheduled is {waiting}"
        return None

    def close(self, event_id: int, attrs: JsonDict) -> str | None:
        """DecisionTaskCompleted, or a start-to-close timeout: closes the started task."""
        running, self.started = self.started, None
        if running is None:
            return "no decision task is started"
        named = (attrs.get("scheduledEventId"), attrs.get("startedEventId"))
        if named != running:
            return (
                f"names the decision task scheduled by event {named[0]} and started by event "
                f"{named[1]}, but the open one was scheduled by event {running[0]} and started "
                f"by event {running[1]}"
            )
        return None

    def time_out(self, event_id: int, attrs: JsonDict) -> str | None:
        """DecisionTaskTimedOut: closes the started task, or the scheduled one not started."""
        if attrs.get("timeoutType") != "SCHEDULE_TO_START":
            return self.close(event_id, attrs)
        waiting, self.scheduled = self.scheduled, None
        if waiting is None or attrs.get("scheduledEventId") != waiting:
            return f"decision task {attrs.get('scheduledEventId')} is not waiting to start"
        return None


@dataclass
class _Task:
    name: str
    started_id: int = 0
    closed_id: int = 0


class Tasks:
    """Activity or Lambda tasks: scheduled with an id not in use, started once, closed once."""

    def __init__(self, family: str, id_member: str) -> None:
        self.family = family
        self.id_member = id_member
        self.tasks: dict[int, _Task] = {}
        self.open: dict[str, int] = {}
        self.kind = "activity task" if family == "ActivityTask" else "Lambda task"

    def steps(self) -> dict[str, Step]:
        """The step for each event type this tracker follows."""
        family = self.family
        closes = ("Completed", "Failed", "TimedOut") + (
            ("Canceled",) if family == "ActivityTask" else ()
        )
        steps: dict[str, Step] = {
            f"{family}Scheduled": self.schedule,
            f"{family}Started": self.start,
        }
        steps.update({f"{family}{outcome}": self.close for outcome in closes})
        return steps

    def schedule(self, event_id: int, attrs: JsonDict) -> str | None:
        """The task's Scheduled event: its id must not be in use by an open task."""
        name = str(attrs.get(self.id_member))
        holder = self.open.get(name)
        self.tasks[event_id] = _Task(name)
        self.open[name] = event_id
        if holder is not None:
            return (
                f"{self.id_member} {name!r} is in use by the open {self.kind} scheduled at "
                f"event {holder}"
            )
        return None

    def start(self, event_id: int, attrs: JsonDict) -> str | None:
        """The task's Started event: it must be scheduled, neither started nor closed."""
        scheduled = attrs.get("scheduledEventId", 0)
        task = self.tasks.get(scheduled)
        if task is None:
            return None  # the reference check reports it
        problem = self._closed(scheduled, task) or self._started(scheduled, task)
        task.started_id = task.started_id or event_id
        return problem

    def close(self, event_id: int, attrs: JsonDict) -> str | None:
        """A closing event (or StartLambdaFunctionFailed): once, naming the task's start."""
        scheduled = attrs.get("scheduledEventId", 0)
        task = self.tasks.get(scheduled)
        if task is None:
            return None
        problem = self._closed(scheduled, task)
        task.closed_id = task.closed_id or event_id
        self.open.pop(task.name, None)
        started = attrs.get("startedEventId", 0)
        if problem is None and started != task.started_id:
            shown = f"at event {task.started_id}" if task.started_id else "never"
            problem = (
                f"startedEventId is {started}, but the {self.kind} scheduled at event "
                f"{scheduled} started {shown}"
            )
        return problem

    def fail_to_start(self, event_id: int, attrs: JsonDict) -> str | None:
        """StartLambdaFunctionFailed: closes a task that never started."""
        scheduled = attrs.get("scheduledEventId", 0)
        task = self.tasks.get(scheduled)
        if task is not None and task.started_id and not task.closed_id:
            self.close(event_id, {**attrs, "startedEventId": task.started_id})
            return f"{self._started(scheduled, task)}: it cannot fail to start"
        return self.close(event_id, {**attrs, "startedEventId": 0})

    def request_cancel(self, event_id: int, attrs: JsonDict) -> str | None:
        """ActivityTaskCancelRequested: the activity must be open."""
        name = str(attrs.get(self.id_member))
        if name not in self.open:
            return f"no open activity task has activityId {name!r}"
        return None

    def _closed(self, scheduled: int, task: _Task) -> str | None:
        if not task.closed_id:
            return None
        shown = f"the {self.kind} scheduled at event {scheduled} already closed"
        return f"{shown} (event {task.closed_id})"

    def _started(self, scheduled: int, task: _Task) -> str | None:
        if not task.started_id:
            return None
        shown = f"the {self.kind} scheduled at event {scheduled} already started"
        return f"{shown} (event {task.started_id})"


class Timers:
    """Timers: started with an id not in use, then fired or canceled once."""

    def __init__(self) -> None:
        self.open: dict[str, int] = {}

    def steps(self) -> dict[str, Step]:
        """The step for each event type this tracker follows."""
        return {"TimerStarted": self.start, "TimerFired": self.end, "TimerCanceled": self.end}

    def start(self, event_id: int, attrs: JsonDict) -> str | None:
        """TimerStarted: its timerId must not be in use."""
        timer_id = str(attrs.get("timerId"))
        holder = self.open.get(timer_id)
        self.open[timer_id] = event_id
        if holder is not None:
            return f"timerId {timer_id!r} is in use by the timer started at event {holder}"
        return None

    def end(self, event_id: int, attrs: JsonDict) -> str | None:
        """TimerFired or TimerCanceled: the open timer with that id and start."""
        timer_id, started = str(attrs.get("timerId")), attrs.get("startedEventId")
        holder = self.open.pop(timer_id, None)
        if holder is None:
            return f"no open timer has timerId {timer_id!r}"
        if holder != started:
            return f"timer {timer_id!r} was started by event {holder}, not by event {started}"
        return None


class Children:
    """Child runs: initiated, then started or failed to start, then closed once."""

    CLOSES = ("Completed", "Failed", "TimedOut", "Canceled", "Terminated")

    def __init__(self) -> None:
        self.started: dict[int, int] = {}  # initiated id -> started id (0 until started)
        self.ended: dict[int, int] = {}  # initiated id -> the event that ended it

    def steps(self) -> dict[str, Step]:
        """The step for each event type this tracker follows."""
        steps: dict[str, Step] = {
            "StartChildWorkflowExecutionInitiated": self.initiate,
            "StartChildWorkflowExecutionFailed": self.fail_to_start,
            "ChildWorkflowExecutionStarted": self.start,
        }
        steps.update({f"ChildWorkflowExecution{close}": self.close for close in self.CLOSES})
        return steps

    def initiate(self, event_id: int, attrs: JsonDict) -> str | None:
        """StartChildWorkflowExecutionInitiated."""
        self.started[event_id] = 0
        return None

    def fail_to_start(self, event_id: int, attrs: JsonDict) -> str | None:
        """StartChildWorkflowExecutionFailed: a failure at once (0), or of an initiated child."""
        initiated = attrs.get("initiatedEventId", 0)
        if initiated not in self.started:
            return None  # 0, or a broken link the reference check reports
        return self._end(initiated, event_id) or self._not_started(initiated)

    def start(self, event_id: int, attrs: JsonDict) -> str | None:
        """ChildWorkflowExecutionStarted: once per initiated child."""
        initiated = attrs.get("initiatedEventId", 0)
        if initiated not in self.started:
            return None
        problem = self._ended(initiated) or self._not_started(initiated)
        self.started[initiated] = self.started[initiated] or event_id
        return problem

    def close(self, event_id: int, attrs: JsonDict) -> str | None:
        """A child's closing event: once, naming its start."""
        initiated = attrs.get("initiatedEventId", 0)
        if initiated not in self.started:
            return None
        problem = self._end(initiated, event_id)
        started = attrs.get("startedEventId")
        if problem is None and started != self.started[initiated]:
            problem = (
                f"startedEventId is {started}, but the child initiated at event {initiated} "
                f"started at event {self.started[initiated] or '(none: it never started)'}"
            )
        return problem

    def _end(self, initiated: int, event_id: int) -> str | None:
        problem = self._ended(initiated)
        self.ended.setdefault(initiated, event_id)
        return problem

    def _ended(self, initiated: int) -> str | None:
        ended = self.ended.get(initiated)
        return (
            f"the child initiated at event {initiated} already ended (event {ended})"
            if ended
            else None
        )

    def _not_started(self, initiated: int) -> str | None:
        started = self.started[initiated]
        return (
            f"the child initiated at event {initiated} already started (event {started})"
            if started
            else None
        )


class Requests:
    """Signals and cancel requests to other runs: each initiated one is answered once."""

    def __init__(self, initiated: str, answers: tuple[str, ...]) -> None:
        self.initiated = initiated
        self.answers = answers
        self.answered: dict[int, int] = {}  # initiated id -> answer id (0 while waiting)

    def steps(self) -> dict[str, Step]:
        """The step for each event type this tracker follows."""
        steps: dict[str, Step] = {self.initiated: self.initiate}
        steps.update(dict.fromkeys(self.answers, self.answer))
        return steps

    def initiate(self, event_id: int, attrs: JsonDict) -> str | None:
        """The Initiated event."""
        self.answered[event_id] = 0
        return None

    def answer(self, event_id: int, attrs: JsonDict) -> str | None:
        """Delivered or failed: once per initiated request."""
        initiated = attrs.get("initiatedEventId", 0)
        previous = self.answered.get(initiated)
        if previous is None:
            return None  # 0 (failed at once), or a broken link the reference check reports
        self.answered[initiated] = previous or event_id
        return (
            f"the request initiated at event {initiated} was already answered (event {previous})"
            if previous
            else None
        )
