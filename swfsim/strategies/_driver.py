"""The driver: one run of a decider and its activities in a fresh Simulator, the environment's
choices taken from a :class:`~swfsim.strategies._schedule.Chooser`.

The driver plays every worker and the outside world. At each step it lets the first event due
on the clock happen (choosing among events due at the same instant), else hands a ready
decision task to the decider, else a ready activity task to its function, else moves the clock
to the next moment something is due. The Simulator's answers are the ground truth: the driver
only chooses what the environment does, so every history is one SWF could write.
"""

from __future__ import annotations

import contextlib
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from swfsim.errors import SWFError, UnknownResourceFault
from swfsim.model.run import ActivityTask, DecisionSlot, Run
from swfsim.model.task_queue import TaskQueue
from swfsim.simulator import Simulator
from swfsim.strategies import _schedule as sch
from swfsim.strategies._schedule import Choice, Chooser
from swfsim.transport.parsed import converter

JsonDict = dict[str, Any]
Decider = Callable[[JsonDict], Sequence[Mapping[str, Any]]]
ActivityFunction = Callable[[str | None], str | None]
INJECTED_REASON = "swfsim.strategies: injected failure"


@dataclass(frozen=True)
class Setup:
    """What a run is made of: the code under test and the world it runs in."""

    deciders: Mapping[str, Decider]
    activities: Mapping[str, ActivityFunction]
    workflow_type: str
    input: str | None = None
    signals: tuple[tuple[str, str | None], ...] = ()
    child_workflow_types: tuple[str, ...] = ()
    explore: frozenset[str] = frozenset(sch.KINDS)
    workflow_timeouts: Mapping[str, str] = field(default_factory=dict)
    activity_timeouts: Mapping[str, str] = field(default_factory=dict)
    max_steps: int = 500
    seed: int = 0
    domain: str = "swfsim-strategies"
    workflow_id: str = "execution"


DEFAULT_WORKFLOW_TIMEOUTS = {
    "defaultExecutionStartToCloseTimeout": "3600",
    "defaultTaskStartToCloseTimeout": "10",
}
# Finite, and ordered so that each timeout type is the first to fire in some schedule: a task
# started at once times out START_TO_CLOSE (120 s) before SCHEDULE_TO_CLOSE (150 s); one started
# after 59 s of waiting times out SCHEDULE_TO_CLOSE first.
DEFAULT_ACTIVITY_TIMEOUTS = {
    "defaultTaskScheduleToStartTimeout": "60",
    "defaultTaskScheduleToCloseTimeout": "150",
    "defaultTaskStartToCloseTimeout": "120",
    "defaultTaskHeartbeatTimeout": "30",
}
# A late answer comes this long after the task started when no timeout bounds it.
LATE_WITHOUT_TIMEOUT_MS = 3_600_000
_CLOSING = ("START_TO_CLOSE", "SCHEDULE_TO_CLOSE")
_LOST = "answer lost and sent again"
CHILD_TIMEOUTS = {"defaultExecutionStartToCloseTimeout": "600"}
DECISION_LIST = "decisions"
ACTIVITY_LIST = "activities"


@dataclass
class Outcome:
    """What the driver saw: the Simulator after the run, and what went wrong in user code."""

    sim: Simulator
    setup: Setup
    choices: list[Choice]
    decider_errors: list[str]
    refused: list[str]
    steps: int
    converted: dict[str, list[JsonDict]]
    retried: list[str] = field(default_factory=list)


@dataclass
class _Held:
    """An activity task a worker holds and heartbeats: forever, or until it answers late."""

    token: str
    next_beat_ms: int | None
    task: JsonDict | None = None  # the task, if the worker answers it late
    answer_ms: int | None = None  # when it answers


class Driver:
    """Runs one execution; ``run()`` returns what happened."""

    def __init__(self, setup: Setup, choose: Chooser) -> None:
        self.setup = setup
        self._choose = choose
        self.sim = Simulator(seed=setup.seed)
        self.sim.engine.effects_on_clock = sch.SAME_INSTANT in setup.explore
        self.choices: list[Choice] = []
        self.decider_errors: list[str] = []
        self.refused: list[str] = []
        self.retried: list[str] = []
        self._signals = list(setup.signals)
        self._seen: dict[int, str] = {}  # id() of an activity task: its outcome
        self._release_ms: dict[int, int | None] = {}  # held back tasks: when to take them
        self._held: list[_Held] = []
        self._child_outcomes: dict[str, str] = {}
        self._stopped = False
        self._convert = converter("HistoryEvent")
        self._converted: dict[str, list[JsonDict]] = {}
        self.root: Run | None = None

    # ---- the run --------------------------------------------------------------------------

    def run(self) -> Outcome:
        """Register, start, and step until the main run closes or nothing can progress."""
        self._register()
        self._call(
            "StartWorkflowExecution",
            domain=self.setup.domain,
            workflowId=self.setup.workflow_id,
            workflowType={"name": self.setup.workflow_type, "version": "1"},
            **({"input": self.setup.input} if self.setup.input is not None else {}),
        )
        self.root = self.sim.engine.open_runs[(self.setup.domain, self.setup.workflow_id)]
        steps = 0
        while steps < self.setup.max_steps and self.root.is_open and not self._stopped:
            steps += 1
            if not (self._fire_due() or self._decide() or self._work() or self._advance()):
                break
        return Outcome(
            self.sim,
            self.setup,
            self.choices,
            self.decider_errors,
            self.refused,
            steps,
            self._converted,
            self.retried,
        )

    def _register(self) -> None:
        setup = self.setup
        self._call("RegisterDomain", name=setup.domain, workflowExecutionRetentionPeriodInDays="1")
        timeouts = {**DEFAULT_WORKFLOW_TIMEOUTS, **setup.workflow_timeouts}
        for name in dict.fromkeys([*setup.deciders, *setup.child_workflow_types]):
            # A child with no decider that times out must do so before the run that started it.
            chosen = timeouts if name in setup.deciders else {**timeouts, **CHILD_TIMEOUTS}
            self._call(
                "RegisterWorkflowType",
                domain=setup.domain,
                name=name,
                version="1",
                defaultTaskList={"name": DECISION_LIST},
                defaultChildPolicy="TERMINATE",
                **chosen,
            )
        activity_timeouts = {**DEFAULT_ACTIVITY_TIMEOUTS, **setup.activity_timeouts}
        for name in setup.activities:
            self._call(
                "RegisterActivityType",
                domain=setup.domain,
                name=name,
                version="1",
                defaultTaskList={"name": ACTIVITY_LIST},
                **activity_timeouts,
            )

    def _call(self, operation: str, **params: Any) -> JsonDict:
        return self.sim.handle(operation, params)

    def _call_twice(self, operation: str, **params: Any) -> None:
        """Call ``operation``, lose its response, and send the same call again.

        The response is lost as :class:`swfsim.faults.LostResponse` loses it: the change is
        applied and only the answer goes missing, so the driver drops the answer it got rather
        than install that fault for one call (a plugin costs more than the run's other calls).
        The call is sent again as botocore retries a dropped connection; SWF's answer to the
        retry (the token is spent: ``UnknownResourceFault``) is noted in ``retried``. A refusal
        of the first call is raised, as from :meth:`_call`.
        """
        self._call(operation, **params)  # applied; its answer is lost on the way back
        try:
            self._call(operation, **params)
        except SWFError as error:
            answer = f"{error.code}: {error.message}"
        else:
            answer = "accepted"
        self.retried.append(f"{operation} sent again after its response was lost: {answer}")

    def _pick(self, kind: str, key: str, options: Sequence[str]) -> int:
        """Ask the chooser (if this kind is explored and there is a choice) and record it."""
        if kind not in self.setup.explore or len(options) < 2:
            return 0
        index = self._choose(kind, key, options)
        assert self.root is not None
        self.choices.append(
            Choice(
                kind=kind,
                key=key,
                option=options[index],
                index=index,
                at_ms=self.sim.clock.now_ms() - self.sim.start_ms,
                after_event=len(self.root.history.events),
            )
        )
        return index

    # ---- the clock ------------------------------------------------------------------------

    def _fire_due(self, limit_ms: int | None = None) -> bool:
        """Let the first event due by ``limit_ms`` (now, by default) happen."""
        clock = self.sim.clock
        due = clock.due_first()
        if not due or due[0].due_ms > (clock.now_ms() if limit_ms is None else limit_ms):
            return False
        index = 0
        if len(due) > 1:
            labels = [f"event {n + 1} due" for n in range(len(due))]
            index = self._pick(sch.SAME_INSTANT, f"+{due[0].due_ms - self.sim.start_ms}ms", labels)
        clock.fire_first(due[index])
        return True

    def _advance(self) -> bool:
        """Move to the next moment anything is due: a deadline, a heartbeat, a held-back task."""
        moments = [ms for ms in self._release_ms.values() if ms is not None]
        moments += [held.next_beat_ms for held in self._held if held.next_beat_ms is not None]
        moments += [held.answer_ms for held in self._held if held.answer_ms is not None]
        target = min(moments, default=None)
        if self._fire_due(target if target is not None else 2**62):
            return True
        if target is None:
            return False
        self.sim.clock.advance_to_ms(max(target, self.sim.clock.now_ms()))
        self._beat()
        return True

    def _beat(self) -> None:
        now = self.sim.clock.now_ms()
        for held in list(self._held):
            if held.task is not None and held.answer_ms is not None and held.answer_ms <= now:
                self._held.remove(held)
                self._perform(held.task)
                continue
            if held.next_beat_ms is None or held.next_beat_ms > now:
                continue
            try:
                self._call("RecordActivityTaskHeartbeat", taskToken=held.token)
            except UnknownResourceFault:  # timed out, or its run closed
                self._held.remove(held)
                continue
            held.next_beat_ms = now + self._beat_interval_ms(held.token)

    def _beat_interval_ms(self, token: str) -> int:
        task = self.sim.engine.activity_tokens[token]
        heartbeat = _seconds(task.timeouts["HEARTBEAT"])
        return max(1, heartbeat * 500) if heartbeat is not None else 10**12

    # ---- signals --------------------------------------------------------------------------

    def _maybe_signal(self, kind: str) -> None:
        """An outside signal may arrive now; its sender may lose SWF's answer and send again."""
        if not self._signals or self.root is None or not self.root.is_open:
            return
        options = [sch.NO_SIGNAL]
        for name, _ in self._signals:
            options += [name, f"{name} {sch.TWICE}"]
        index = self._pick(kind, "outside", options)
        if not index:
            return
        name, value = self._signals.pop((index - 1) // 2)
        params: JsonDict = {"signalName": name}
        if value is not None:
            params["input"] = value
        for _ in range(1 + (index - 1) % 2):
            self._call(
                "SignalWorkflowExecution",
                domain=self.setup.domain,
                workflowId=self.setup.workflow_id,
                **params,
            )

    # ---- decision tasks -------------------------------------------------------------------

    def _decide(self) -> bool:
        queue = self._ready_queue(self.sim.engine.decisions.lists, self._decidable)
        if queue is None:
            return False
        self._maybe_signal(sch.SIGNAL)
        slots = [slot for slot in queue.items() if self._decidable(slot)]
        if not slots:
            return True
        if len(slots) > 1:
            labels = [slot.run.workflow_id for slot in slots]
            queue.put_first(slots[self._pick(sch.DELIVERY, DECISION_LIST, labels)])
        else:
            queue.put_first(slots[0])
        run = queue.items()[0].run
        decider = self.setup.deciders.get(run.workflow_type["name"])
        if decider is None:
            self._close_child(run)
            return True
        task = self._call(
            "PollForDecisionTask", domain=self.setup.domain, taskList={"name": DECISION_LIST}
        )
        try:
            decisions = list(decider(self._boto_task(task, run)))
        except Exception:
            self.decider_errors.append(traceback.format_exc())
            self._stopped = True
            return True
        outcome = sch.DECISION_OUTCOMES[
            self._pick(sch.DECISION, run.workflow_id, sch.DECISION_OUTCOMES)
        ]
        if outcome == "timed out":
            return True  # the answer never arrives: the task times out
        # Asked only of tasks that are answered, so that a decision task timing out or not
        # does not move the later signals of this kind to other tasks (and shrinking can drop
        # it); a signal meanwhile to a task that times out is a signal before the next one.
        self._maybe_signal(sch.SIGNAL_WHILE_STARTED)
        call = self._call_twice if outcome == "answer lost and sent again" else self._call
        try:
            call("RespondDecisionTaskCompleted", taskToken=task["taskToken"], decisions=decisions)
        except SWFError as refused:
            self.refused.append(f"{refused.code}: {refused.message}")
            self._stopped = True
        return True

    def _decidable(self, slot: DecisionSlot) -> bool:
        return self._child_outcomes.get(slot.run.workflow_id) != "timed out"

    def _boto_task(self, task: JsonDict, run: Run) -> JsonDict:
        """The poll response as boto3 returns it (events converted once each, then reused)."""
        converted = self._converted.setdefault(run.run_id, [])
        events = run.history.events
        converted.extend(self._convert(event) for event in events[len(converted) :])
        return {
            "taskToken": task["taskToken"],
            "startedEventId": task["startedEventId"],
            "workflowExecution": dict(task["workflowExecution"]),
            "workflowType": dict(task["workflowType"]),
            "events": converted[: task["startedEventId"]],
            "previousStartedEventId": task["previousStartedEventId"],
        }

    def _close_child(self, run: Run) -> None:
        """A run of a type with no decider: it closes as the schedule says."""
        wid = run.workflow_id
        outcome = self._child_outcomes.get(wid)
        if outcome is None:
            index = self._pick(sch.CHILD, wid, sch.CHILD_OUTCOMES)
            outcome = self._child_outcomes[wid] = sch.CHILD_OUTCOMES[index]
        if outcome == "timed out":
            return
        if outcome == "terminated":
            self._call("TerminateWorkflowExecution", domain=self.setup.domain, workflowId=wid)
            return
        task = self._call(
            "PollForDecisionTask", domain=self.setup.domain, taskList={"name": DECISION_LIST}
        )
        decision: JsonDict = (
            {"decisionType": "CompleteWorkflowExecution"}
            if outcome == "completed"
            else {
                "decisionType": "FailWorkflowExecution",
                "failWorkflowExecutionDecisionAttributes": {"reason": INJECTED_REASON},
            }
        )
        self._call(
            "RespondDecisionTaskCompleted", taskToken=task["taskToken"], decisions=[decision]
        )

    # ---- activity tasks -------------------------------------------------------------------

    def _work(self) -> bool:
        queue = self._ready_queue(self.sim.engine.activity_lists, self._takeable)
        if queue is None:
            return False
        tasks = [task for task in queue.items() if self._takeable(task)]
        if len(tasks) > 1:
            labels = [task.activity_id for task in tasks]
            queue.put_first(tasks[self._pick(sch.DELIVERY, ACTIVITY_LIST, labels)])
        else:
            queue.put_first(tasks[0])
        task = queue.items()[0]
        outcome = self._seen[id(task)]
        self._release_ms.pop(id(task), None)
        started = self._call(
            "PollForActivityTask", domain=self.setup.domain, taskList={"name": task.task_list}
        )
        token = started["taskToken"]
        lost = outcome.endswith(_LOST)
        if outcome.startswith("result"):
            self._perform(started, lost=lost)
        elif outcome.startswith("failure"):
            self._answer("RespondActivityTaskFailed", token, lost, reason=INJECTED_REASON)
        elif outcome in ("START_TO_CLOSE", "SCHEDULE_TO_CLOSE"):
            self._held.append(_Held(token, self.sim.clock.now_ms() + self._beat_interval_ms(token)))
        elif outcome == "late result":
            self._held.append(self._late(started, task))
        return True

    def _late(self, started: JsonDict, task: ActivityTask) -> _Held:
        """The worker answers with the function's result a second before the task would time
        out (its start-to-close or schedule-to-close timeout), heartbeating meanwhile."""
        now = self.sim.clock.now_ms()
        closing = [task.deadlines[kind].due_ms for kind in _CLOSING if kind in task.deadlines]
        answer_ms = max(now, min(closing, default=now + LATE_WITHOUT_TIMEOUT_MS) - 1000)
        token = started["taskToken"]
        return _Held(token, now + self._beat_interval_ms(token), started, answer_ms)

    def _takeable(self, task: ActivityTask) -> bool:
        """Whether a worker may take ``task`` now; its outcome is drawn when first seen."""
        key = id(task)
        if key not in self._seen:
            self._seen[key] = self._outcome(task)
        release = self._release_ms.get(key, 0)
        return release is not None and release <= self.sim.clock.now_ms()

    def _outcome(self, task: ActivityTask) -> str:
        index = self._pick(sch.ACTIVITY, task.activity_id, sch.ACTIVITY_OUTCOMES)
        outcome = sch.ACTIVITY_OUTCOMES[index]
        timeouts = {kind: _seconds(value) for kind, value in task.timeouts.items()}
        to_start, to_close = timeouts["SCHEDULE_TO_START"], timeouts["SCHEDULE_TO_CLOSE"]
        start_to_close = timeouts["START_TO_CLOSE"]
        now = self.sim.clock.now_ms()
        if outcome == "SCHEDULE_TO_START" and to_start is not None:
            self._release_ms[id(task)] = None  # never taken
        elif outcome == "SCHEDULE_TO_CLOSE" and to_close is not None:
            # Taken late enough that the schedule-to-close timeout fires before the others.
            wait = max(0, to_close - start_to_close + 1) if start_to_close is not None else 0
            if to_start is not None and wait >= to_start:
                return "result"  # not reachable with these timeouts
            self._release_ms[id(task)] = now + wait * 1000
        elif outcome in ("SCHEDULE_TO_START", "SCHEDULE_TO_CLOSE") or (
            outcome == "START_TO_CLOSE" and start_to_close is None
        ):
            return "result"  # that timeout is NONE for this task
        return outcome

    def _perform(self, task: JsonDict, *, lost: bool = False) -> None:
        """Run the activity function and answer with its result or failure; ``lost``: the
        answer's response is lost and the answer sent again."""
        function = self.setup.activities[task["activityType"]["name"]]
        try:
            result = function(task.get("input"))
        except Exception as error:
            self._answer(
                "RespondActivityTaskFailed",
                task["taskToken"],
                lost,
                reason=type(error).__name__[:256],
                details=str(error)[:32768],
            )
            return
        self._answer("RespondActivityTaskCompleted", task["taskToken"], lost, result=result)

    def _answer(self, operation: str, token: str, lost: bool, **members: str | None) -> None:
        present = {name: value for name, value in members.items() if value is not None}
        call = self._call_twice if lost else self._call
        with contextlib.suppress(UnknownResourceFault):  # the task timed out, or its run closed
            call(operation, taskToken=token, **present)

    # ---- task lists -----------------------------------------------------------------------

    def _ready_queue(self, lists: Any, usable: Callable[[Any], bool]) -> TaskQueue[Any] | None:
        """The first list with a task the driver may hand out now."""
        for (domain, name), _count in list(lists.waiting()):
            queue: TaskQueue[Any] = lists.get(domain, name)
            if any(usable(item) for item in queue.items()):
                return queue
        return None


def _seconds(value: str | None) -> int | None:
    return None if value in (None, "NONE") else int(value)
