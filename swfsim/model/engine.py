"""The execution engine: runs, their decision tasks, closing, timeouts and retention.

All state of one simulated account lives here; the operations module reads requests and calls
these methods, and every deadline is scheduled on the one virtual clock.
"""

from __future__ import annotations

from swfsim.clock import VirtualClock
from swfsim.errors import UnknownResourceFault
from swfsim.ids import IdSource
from swfsim.model.enums import CloseStatus, ExecutionStatus
from swfsim.model.history import EventListener, History
from swfsim.model.registry import Domain, JsonDict, RegisteredType, Registry, present
from swfsim.model.run import ActivityTask, DecisionAttempt, DecisionSlot, ExecutionConfig, Run
from swfsim.model.task_queue import T, TaskLists, TaskQueue
from swfsim.model.visibility import VisibilityIndex
from swfsim.options import Options
from swfsim.paging import PageTokens

MAX_OPEN_RUNS_PER_DOMAIN = 100_000


def seconds(duration: str) -> int | None:
    """A wire duration in seconds, or None for ``NONE`` (no limit)."""
    return None if duration == "NONE" else int(duration)


class Engine:
    """State and state transitions of one simulated SWF account and region."""

    def __init__(
        self, clock: VirtualClock, ids: IdSource, registry: Registry, options: Options
    ) -> None:
        self.clock = clock
        self.options = options
        self.ids = ids
        self.registry = registry
        self.open_runs: dict[tuple[str, str], Run] = {}
        self.runs: dict[tuple[str, str, str], Run] = {}
        self.open_per_domain: dict[str, int] = {}
        self.decision_lists: TaskLists[DecisionSlot] = TaskLists()
        self.activity_lists: TaskLists[ActivityTask] = TaskLists()
        self.decision_tokens: dict[str, Run] = {}
        self.activity_tokens: dict[str, ActivityTask] = {}
        self.visibility = VisibilityIndex()
        self.pages = PageTokens(clock)
        self.event_listeners: list[EventListener] = []
        self._run_seq = 0

    # ---- runs -------------------------------------------------------------------------------

    def start_run(
        self,
        domain: Domain,
        workflow_id: str,
        workflow_type: RegisteredType,
        config: ExecutionConfig,
        started: JsonDict,
    ) -> Run:
        """Open a run: WorkflowExecutionStarted, its first decision task and its timeout."""
        self._run_seq += 1
        run = Run(
            domain=domain,
            workflow_id=workflow_id,
            run_id=self.ids.run_id(),
            workflow_type=workflow_type,
            config=config,
            tags=started.get("tagList"),
            seq=self._run_seq,
            start_ms=self.clock.now_ms(),
            history=History(self.clock.now_ms, self.event_listeners),
        )
        self.open_runs[(domain.name, workflow_id)] = run
        self.runs[(domain.name, workflow_id, run.run_id)] = run
        self.open_per_domain[domain.name] = self.open_per_domain.get(domain.name, 0) + 1
        self.visibility.add_open(run)
        run.history.append("WorkflowExecutionStarted", started)
        self.schedule_decision(run)
        limit = seconds(config.execution_timeout)
        if limit is not None:
            run.timeout_deadline = self.clock.call_later(limit, lambda: self._time_out_run(run))
        return run

    def open_run(self, domain: Domain, workflow_id: str, run_id: str | None) -> Run:
        """The open run with ``workflow_id`` (and ``run_id`` when given).

        Raises:
            UnknownResourceFault: no such open run.
        """
        run = self.open_runs.get((domain.name, workflow_id))
        if run is None or (run_id and run.run_id != run_id):
            shown = f"workflowId={workflow_id}" + (f", runId={run_id}" if run_id else "")
            raise UnknownResourceFault(f"Unknown execution: WorkflowExecution=[{shown}]")
        return run

    def any_run(self, domain: Domain, execution: JsonDict) -> Run:
        """An open or retained closed run named by ``{workflowId, runId}``.

        Raises:
            UnknownResourceFault: no such run, or its retention period has passed.
        """
        run = self.runs.get((domain.name, execution["workflowId"], execution["runId"]))
        if run is None:
            raise UnknownResourceFault(
                "Unknown execution: WorkflowExecution=[workflowId="
                f"{execution['workflowId']}, runId={execution['runId']}]"
            )
        return run

    def close_run(self, run: Run, status: CloseStatus, event_type: str, attrs: JsonDict) -> None:
        """Append the closing event and release everything the run held open."""
        run.history.append(event_type, attrs)
        run.closing_counts = run.open_counts()
        run.status = ExecutionStatus.CLOSED
        run.close_status = status
        run.close_ms = self.clock.now_ms()
        self._release(run)
        del self.open_runs[(run.domain.name, run.workflow_id)]
        self.open_per_domain[run.domain.name] -= 1
        self.visibility.move_to_closed(run)
        self.clock.call_at_ms(run.close_ms + run.domain.retention_ms, lambda: self._expire(run))

    def _release(self, run: Run) -> None:
        if run.timeout_deadline is not None:
            run.timeout_deadline.cancel()
        self._drop_decision_task(run)
        for task in run.activities.values():
            self.activity_lists.get(run.domain.name, task.task_list).discard(task)
            task.cancel_deadlines()
            if task.token is not None:
                del self.activity_tokens[task.token]
        for timer in run.timers.values():
            timer.deadline.cancel()

    def _expire(self, run: Run) -> None:
        self.visibility.remove_closed(run)
        del self.runs[(run.domain.name, run.workflow_id, run.run_id)]

    def _time_out_run(self, run: Run) -> None:
        attrs = {"timeoutType": "START_TO_CLOSE", "childPolicy": run.config.child_policy}
        self.close_run(run, CloseStatus.TIMED_OUT, "WorkflowExecutionTimedOut", attrs)

    # ---- task lists ---------------------------------------------------------------------------

    def wait_for_task(self, queue: TaskQueue[T]) -> T | None:
        """A long poll: the next task of ``queue``, waiting in virtual time if none is ready.

        With no task ready, time runs to the first deadline that puts one on the list, or to
        the poll timeout, whichever comes first (digest §18 Q1).
        """
        limit = self.clock.now_ms() + self.options.poll_timeout_seconds * 1000
        self.clock.run_until(queue.ready, limit)
        return queue.pop()

    # ---- decision tasks ---------------------------------------------------------------------

    def schedule_decision(self, run: Run) -> None:
        """Schedule a decision task unless one is already scheduled (digest §8.1)."""
        slot = run.decision
        if slot.scheduled_id is not None or not run.is_open:
            return
        slot.scheduled_id = run.history.append(
            "DecisionTaskScheduled",
            present(
                taskList={"name": slot.task_list},
                taskPriority=run.config.task_priority,
                startToCloseTimeout=run.config.task_timeout,
                # Every DecisionTaskScheduled AWS wrote in 2023 carries this (real-aws README #18).
                scheduleToStartTimeout="NONE",
            ),
        )
        if slot.started is None:
            self._queue_decision(slot)

    def _queue_decision(self, slot: DecisionSlot) -> None:
        queue = self.decision_lists.get(slot.run.domain.name, slot.task_list)
        queue.push(slot, slot.priority)

    def start_decision(self, slot: DecisionSlot, identity: str | None) -> DecisionAttempt:
        """Hand the scheduled decision task to a decider: DecisionTaskStarted and a new token."""
        run = slot.run
        assert slot.scheduled_id is not None
        assert slot.started is None
        started_id = run.history.append(
            "DecisionTaskStarted", present(identity=identity, scheduledEventId=slot.scheduled_id)
        )
        token = self.ids.task_token()
        limit = seconds(run.config.task_timeout)
        deadline = None
        if limit is not None:
            deadline = self.clock.call_later(limit, lambda: self._time_out_decision(run))
        slot.started = DecisionAttempt(
            slot.scheduled_id, started_id, slot.previous_started_id, token, deadline
        )
        slot.scheduled_id = None
        self.decision_tokens[token] = run
        return slot.started

    def decision_run(self, token: str) -> Run:
        """The run whose started decision task holds ``token``.

        Raises:
            UnknownResourceFault: the token is unknown, completed, timed out, or its run closed.
        """
        run = self.decision_tokens.get(token)
        if run is None:
            raise UnknownResourceFault(
                "Unknown decision task: the task token is not valid (the task was completed, "
                "timed out, or its execution closed)"
            )
        return run

    def finish_decision(self, run: Run) -> DecisionAttempt:
        """Retire the started decision task (on completion) and return it."""
        attempt = self._drop_started(run.decision)
        run.decision.previous_started_id = attempt.started_id
        return attempt

    def after_decisions(self, run: Run, needs_decision: bool) -> None:
        """Queue the next decision task once the started one has been answered."""
        if not run.is_open:
            return
        if needs_decision:
            self.schedule_decision(run)
        if run.decision.scheduled_id is not None and run.decision.ticket is None:
            self._queue_decision(run.decision)

    def _drop_started(self, slot: DecisionSlot) -> DecisionAttempt:
        attempt = slot.started
        assert attempt is not None
        if attempt.deadline is not None:
            attempt.deadline.cancel()
        del self.decision_tokens[attempt.token]
        slot.started = None
        return attempt

    def _drop_decision_task(self, run: Run) -> None:
        slot = run.decision
        self.decision_lists.get(run.domain.name, slot.task_list).discard(slot)
        if slot.started is not None:
            self._drop_started(slot)
        slot.scheduled_id = None

    def _time_out_decision(self, run: Run) -> None:
        attempt = self._drop_started(run.decision)
        run.history.append(
            "DecisionTaskTimedOut",
            {
                "timeoutType": "START_TO_CLOSE",
                "scheduledEventId": attempt.scheduled_id,
                "startedEventId": attempt.started_id,
            },
        )
        self.after_decisions(run, needs_decision=True)

    # ---- external input ---------------------------------------------------------------------

    def record_and_decide(self, run: Run, event_type: str, attrs: JsonDict) -> int:
        """Append an event the decider must see, and schedule a decision task for it."""
        event_id = run.history.append(event_type, attrs)
        self.schedule_decision(run)
        return event_id
