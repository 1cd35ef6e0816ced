"""Workflows that run themselves: deciders and activity functions dispatched in virtual time.

Register a decider (history in, decisions out) per workflow type and a plain function per
activity type, then ``Simulator.run`` polls and dispatches until the chosen executions close or a
virtual deadline passes, jumping the clock whenever nothing is ready. Everything goes through
``Simulator.handle``, the same door boto3 and HTTP clients use.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from swfsim.clock import to_millis
from swfsim.errors import UnknownResourceFault

if TYPE_CHECKING:
    from swfsim.simulator import Simulator

JsonDict = dict[str, Any]


class Hang(Exception):  # noqa: N818 - reads as what the worker does: it hangs
    """Raise from a decider or activity function to leave its task unanswered.

    The worker holding the task is gone (hung or crashed), so the task times out.
    """


class ActivityFailed(Exception):  # noqa: N818 - named after the SWF event it produces
    """Raise from an activity function to fail the task with this reason and details."""

    def __init__(self, reason: str, details: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.details = details


class ActivityCanceled(Exception):  # noqa: N818 - named after the SWF event it produces
    """Raise from an activity function to answer RespondActivityTaskCanceled."""

    def __init__(self, details: str | None = None) -> None:
        super().__init__(details)
        self.details = details


class TaskLost(Exception):  # noqa: N818 - the task, not the code, is what went wrong
    """The activity task timed out (or its run closed) while the function was working."""


@dataclass(frozen=True)
class DecisionTask:
    """What a decider receives: the run and its whole history up to this task."""

    workflow_id: str
    run_id: str
    workflow_type: JsonDict
    events: list[JsonDict]
    previous_started_event_id: int

    @property
    def input(self) -> str | None:
        """The run's input (from WorkflowExecutionStarted)."""
        started: JsonDict = self.events[0]["workflowExecutionStartedEventAttributes"]
        return started.get("input")

    @property
    def new_events(self) -> list[JsonDict]:
        """The events since the previous decision task the decider completed."""
        return self.events[self.previous_started_event_id :]


class ActivityContext:
    """What an activity function receives: its task, heartbeats and virtual time."""

    def __init__(self, sim: Simulator, task: JsonDict) -> None:
        self._sim = sim
        self.task = task
        self.cancel_requested = False

    @property
    def input(self) -> str | None:
        """The activity's input."""
        value: str | None = self.task.get("input")
        return value

    @property
    def activity_id(self) -> str:
        """The activity id the decider chose."""
        value: str = self.task["activityId"]
        return value

    def heartbeat(self, details: str | None = None) -> bool:
        """Record a heartbeat; True once the decider asked to cancel the task.

        Raises:
            TaskLost: the task timed out or its run closed; stop working on it.
        """
        request: JsonDict = {"taskToken": self.task["taskToken"]}
        if details is not None:
            request["details"] = details
        try:
            status = self._sim.handle("RecordActivityTaskHeartbeat", request)
        except UnknownResourceFault as lost:
            raise TaskLost(lost.message) from None
        self.cancel_requested = bool(status["cancelRequested"])
        return self.cancel_requested

    def sleep(self, seconds: float) -> None:
        """Let ``seconds`` of virtual time pass while the function works (deadlines fire)."""
        self._sim.clock.advance(seconds)


Decider = Callable[[DecisionTask], list[JsonDict]]
ActivityFunction = Callable[[ActivityContext], "str | None"]


@dataclass(frozen=True)
class Worker:
    """A registered function and where it polls."""

    domain: str
    type_name: str
    task_list: str | None
    function: Callable[..., Any]


@dataclass
class RunReport:
    """How ``Simulator.run`` ended.

    Attributes:
        closed: the close status of each watched workflow id's latest run that closed.
        watched: the workflow ids the run waited for.
        decisions: decision tasks dispatched.
        activities: activity tasks dispatched.
    """

    closed: dict[str, str] = field(default_factory=dict)
    watched: set[str] = field(default_factory=set)
    decisions: int = 0
    activities: int = 0
    started_at: datetime | None = None
    ended_at: datetime | None = None

    @property
    def virtual_time(self) -> timedelta:
        """Virtual time the run took."""
        assert self.started_at is not None
        assert self.ended_at is not None
        return self.ended_at - self.started_at


class StuckRun(Exception):  # noqa: N818 - the run is stuck; that is the news
    """Nothing can progress: tasks wait where no registered worker polls, and no deadline is
    pending that could change that."""


class Harness:
    """The deciders and activity functions of one Simulator, and the loop that runs them."""

    def __init__(self, sim: Simulator) -> None:
        self._sim = sim
        self._deciders: dict[tuple[str, str], Worker] = {}
        self._activities: dict[tuple[str, str], Worker] = {}

    def add_decider(
        self, domain: str, workflow_type: str, function: Decider, task_list: str | None
    ) -> None:
        """Serve decision tasks of ``workflow_type`` with ``function``."""
        self._deciders[(domain, workflow_type)] = Worker(domain, workflow_type, task_list, function)

    def add_activity(
        self, domain: str, activity_type: str, function: ActivityFunction, task_list: str | None
    ) -> None:
        """Serve activity tasks of ``activity_type`` with ``function``."""
        self._activities[(domain, activity_type)] = Worker(
            domain, activity_type, task_list, function
        )

    def run(
        self,
        workflow_ids: list[str] | None,
        until: datetime | None,
        max_steps: int,
        wait_for_unserved: bool,
    ) -> RunReport:
        """Dispatch tasks until the runs close, ``until`` passes, or nothing can progress."""
        clock = self._sim.clock
        report = RunReport(started_at=clock.now())
        for _ in range(max_steps):
            if self._finished(workflow_ids, report):
                break
            if self._dispatch_one(report):
                continue
            if not wait_for_unserved and self._unserved():
                raise StuckRun(self._stuck_message(workflow_ids, "tasks wait where no one polls"))
            due = clock.next_deadline_ms()
            if until is not None and (due is None or due > to_millis(until)):
                clock.advance_to(max(until, clock.now()))
                break
            if due is None:
                raise StuckRun(self._stuck_message(workflow_ids, "no deadline is pending"))
            clock.advance_to_ms(max(due, clock.now_ms()))
        else:
            raise StuckRun(f"still running after {max_steps} steps (max_steps)")
        report.ended_at = clock.now()
        for run in sorted(self._sim.engine.runs.values(), key=lambda r: r.seq):
            if run.workflow_id in report.watched and run.close_status is not None:
                report.closed[run.workflow_id] = run.close_status.value
        return report

    def _finished(self, workflow_ids: list[str] | None, report: RunReport) -> bool:
        domains = self._domains()
        open_ids = {wid for (domain, wid) in self._sim.engine.open_runs if domain in domains}
        watched = open_ids if workflow_ids is None else set(workflow_ids)
        report.watched |= watched
        return not watched & open_ids

    def _domains(self) -> set[str]:
        return {w.domain for w in (*self._deciders.values(), *self._activities.values())}

    def _dispatch_one(self, report: RunReport) -> bool:
        for worker in self._deciders.values():
            task_list = self._task_list(worker, "workflowType")
            if self._sim.engine.decisions.lists.pending(worker.domain, task_list):
                report.decisions += 1
                self._decide(worker.domain, task_list)
                return True
        for worker in self._activities.values():
            task_list = self._task_list(worker, "activityType")
            if self._sim.engine.activity_lists.pending(worker.domain, task_list):
                report.activities += 1
                self._work(worker.domain, task_list)
                return True
        return False

    def _task_list(self, worker: Worker, kind: str) -> str:
        if worker.task_list is not None:
            return worker.task_list
        domain = self._sim.engine.registry.domain(worker.domain)
        for (type_kind, name, _), registered in domain.types.items():
            default = registered.defaults.get("defaultTaskList")
            if type_kind.value == kind and name == worker.type_name and default:
                task_list: str = default["name"]
                return task_list
        raise ValueError(
            f"{worker.type_name} in domain {worker.domain} has no default task list: pass "
            "task_list= when registering its function"
        )

    def _decide(self, domain: str, task_list: str) -> None:
        sim = self._sim
        task = sim.handle(
            "PollForDecisionTask",
            {"domain": domain, "taskList": {"name": task_list}, "identity": "harness"},
        )
        worker = self._deciders.get((domain, task["workflowType"]["name"]))
        if worker is None:
            raise StuckRun(
                f"no decider registered for workflow type {task['workflowType']} "
                f"(its decision task was on list {task_list!r} of domain {domain})"
            )
        view = DecisionTask(
            workflow_id=task["workflowExecution"]["workflowId"],
            run_id=task["workflowExecution"]["runId"],
            workflow_type=task["workflowType"],
            events=sim.history(
                domain, task["workflowExecution"]["workflowId"], task["workflowExecution"]["runId"]
            )[: task["startedEventId"]],
            previous_started_event_id=task["previousStartedEventId"],
        )
        try:
            decisions = worker.function(view)
        except Hang:
            return
        sim.handle(
            "RespondDecisionTaskCompleted", {"taskToken": task["taskToken"], "decisions": decisions}
        )

    def _work(self, domain: str, task_list: str) -> None:
        sim = self._sim
        task = sim.handle(
            "PollForActivityTask",
            {"domain": domain, "taskList": {"name": task_list}, "identity": "harness"},
        )
        worker = self._activities.get((domain, task["activityType"]["name"]))
        if worker is None:
            raise StuckRun(
                f"no activity function registered for {task['activityType']} "
                f"(its task was on list {task_list!r} of domain {domain})"
            )
        answer = _perform(worker.function, ActivityContext(sim, task))
        if answer is not None:
            operation, members = answer
            # A task that timed out while the function ran refuses the late answer, as on AWS.
            with contextlib.suppress(UnknownResourceFault):
                sim.handle(operation, {"taskToken": task["taskToken"], **members})

    def _unserved(self) -> list[str]:
        """Tasks waiting on lists no registered worker polls, one line per list."""
        engine = self._sim.engine
        return [
            f"  {count} {kind} task(s) wait on list {name!r} of domain {domain!r}, where no "
            "registered worker polls"
            for kind, lists in (
                ("decision", engine.decisions.lists),
                ("activity", engine.activity_lists),
            )
            for (domain, name), count in lists.waiting()
        ]

    def _stuck_message(self, workflow_ids: list[str] | None, reason: str) -> str:
        engine = self._sim.engine
        lines = [f"nothing can progress ({reason}):", *self._unserved()]
        open_ids = sorted(
            wid for (_, wid) in engine.open_runs if workflow_ids is None or wid in workflow_ids
        )
        lines.append(f"  open executions: {', '.join(open_ids) or 'none'}")
        return "\n".join(lines)


def _perform(function: Callable[..., Any], context: ActivityContext) -> tuple[str, JsonDict] | None:
    try:
        result = function(context)
    except (Hang, TaskLost):
        return None
    except ActivityFailed as failed:
        return "RespondActivityTaskFailed", _members(reason=failed.reason, details=failed.details)
    except ActivityCanceled as canceled:
        return "RespondActivityTaskCanceled", _members(details=canceled.details)
    except Exception as error:  # the function failed: that is the activity's outcome
        return "RespondActivityTaskFailed", _members(
            reason=type(error).__name__[:256], details=str(error)[:32768]
        )
    return "RespondActivityTaskCompleted", _members(result=result)


def _members(**members: str | None) -> JsonDict:
    return {name: value for name, value in members.items() if value is not None}


__all__ = [
    "ActivityCanceled",
    "ActivityContext",
    "ActivityFailed",
    "DecisionTask",
    "Hang",
    "RunReport",
    "StuckRun",
    "TaskLost",
]
