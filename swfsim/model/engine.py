"""The execution engine: runs from start to close, their timeouts, retention and cross-run links.

All state of one simulated account lives here; operations read requests and call these methods,
and every deadline is scheduled on the one virtual clock.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from swfsim.clock import VirtualClock
from swfsim.errors import UnknownResourceFault
from swfsim.ids import IdSource
from swfsim.model import lineage
from swfsim.model.decision_tasks import DecisionTasks
from swfsim.model.durations import execution_seconds
from swfsim.model.enums import CloseStatus, ExecutionStatus
from swfsim.model.history import EventListener, History, HistoryFull
from swfsim.model.lambda_functions import LambdaFunctions
from swfsim.model.registry import Domain, JsonDict, RegisteredType, Registry
from swfsim.model.run import ActivityTask, ExecutionConfig, ParentLink, Run
from swfsim.model.task_queue import T, TaskLists, TaskQueue
from swfsim.model.visibility import VisibilityIndex
from swfsim.options import Options
from swfsim.paging import PageTokens

MAX_OPEN_RUNS_PER_DOMAIN = 100_000

__all__ = ["MAX_OPEN_RUNS_PER_DOMAIN", "Engine"]


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
        self.decisions = DecisionTasks(clock, ids)
        self.activity_lists: TaskLists[ActivityTask] = TaskLists()
        self.activity_tokens: dict[str, ActivityTask] = {}
        self.visibility = VisibilityIndex()
        self.pages = PageTokens(clock)
        self.event_listeners: list[EventListener] = []
        self.lambdas = LambdaFunctions()
        self.wait: Callable[[Callable[[], bool], int], object] = clock.run_until
        self._effects: deque[Callable[[], None]] = deque()
        # Schedule explorers set this to put cross-run effects on the clock, due now, so that
        # they can be ordered against other events of the same instant (swfsim.strategies).
        self.effects_on_clock = False
        self._run_seq = 0
        clock.set_error_handler(self._absorb)

    def _absorb(self, error: Exception) -> bool:
        """Handle an error raised inside a deadline's callback; True if it was handled."""
        if isinstance(error, HistoryFull):
            self.terminate_full_history(error)
            return True
        return False

    # ---- runs -------------------------------------------------------------------------------

    def start_run(
        self,
        domain: Domain,
        workflow_id: str,
        workflow_type: RegisteredType,
        config: ExecutionConfig,
        started: JsonDict,
        *,
        run_id: str | None = None,
        parent: ParentLink | None = None,
    ) -> Run:
        """Open a run: WorkflowExecutionStarted, its first decision task and its timeout."""
        run = self.register_run(
            domain,
            workflow_id,
            run_id or self.ids.run_id(),
            workflow_type,
            config,
            started.get("tagList"),
            self.clock.now_ms(),
        )
        run.parent = parent
        run.history.append("WorkflowExecutionStarted", started)
        self.decisions.schedule(run)
        self.arm_run_timeout(run, run.start_ms)
        return run

    def register_run(
        self,
        domain: Domain,
        workflow_id: str,
        run_id: str,
        workflow_type: RegisteredType,
        config: ExecutionConfig,
        tags: list[str | None] | None,
        start_ms: int,
    ) -> Run:
        """A new open run with an empty history, known to lookups and visibility queries."""
        self._run_seq += 1
        run = Run(
            domain=domain,
            workflow_id=workflow_id,
            run_id=run_id,
            workflow_type=workflow_type,
            config=config,
            tags=tags,
            seq=self._run_seq,
            start_ms=start_ms,
            history=History(self.clock.now_ms, self.event_listeners),
        )
        self.open_runs[(domain.name, workflow_id)] = run
        self.runs[(domain.name, workflow_id, run.run_id)] = run
        self.open_per_domain[domain.name] = self.open_per_domain.get(domain.name, 0) + 1
        self.visibility.add_open(run)
        return run

    def arm_run_timeout(self, run: Run, started_ms: int) -> None:
        """Time the run out ``executionStartToCloseTimeout`` after ``started_ms``."""
        due_ms = started_ms + execution_seconds(run.config.execution_timeout) * 1000
        run.timeout_deadline = self.clock.call_at_ms(due_ms, lambda: self._time_out_run(run))

    def new_run_id(self) -> str:
        """A fresh run id (for a run that must be named before it starts)."""
        return self.ids.run_id()

    def open_run(self, domain: Domain, workflow_id: str, run_id: str | None) -> Run:
        """The open run with ``workflow_id`` (and ``run_id`` when given).

        Raises:
            UnknownResourceFault: no such open run.
        """
        run = self.find_open_run(domain, workflow_id, run_id)
        if run is None:
            shown = f"workflowId={workflow_id}" + (f", runId={run_id}" if run_id else "")
            raise UnknownResourceFault(f"Unknown execution: WorkflowExecution=[{shown}]")
        return run

    def find_open_run(self, domain: Domain, workflow_id: str, run_id: str | None) -> Run | None:
        """The open run with ``workflow_id`` (and ``run_id`` when given), or None."""
        run = self.open_runs.get((domain.name, workflow_id))
        if run is None or (run_id and run.run_id != run_id):
            return None
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
        """Append the closing event, release what the run held, and tell its parent."""
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
        lineage.run_closed(self, run, attrs)

    def _release(self, run: Run) -> None:
        if run.timeout_deadline is not None:
            run.timeout_deadline.cancel()
        self.decisions.drop(run)
        for task in run.activities.values():
            self.activity_lists.get(run.domain.name, task.task_list).discard(task)
            task.cancel_deadlines()
            if task.token is not None:
                del self.activity_tokens[task.token]
        for timer in run.timers.values():
            timer.deadline.cancel()
        for lambda_task in run.lambdas.values():
            if lambda_task.deadline is not None:
                lambda_task.deadline.cancel()

    def _expire(self, run: Run) -> None:
        self.visibility.remove_closed(run)
        del self.runs[(run.domain.name, run.workflow_id, run.run_id)]

    def terminate_full_history(self, full: HistoryFull) -> None:
        """Terminate a run whose history reached SWF's event limit (see swf-dg-limits.html)."""
        run: Run = full.history.owner
        if run.is_open:
            terminated = {"childPolicy": run.config.child_policy, "cause": "EVENT_LIMIT_EXCEEDED"}
            self.close_run(run, CloseStatus.TERMINATED, "WorkflowExecutionTerminated", terminated)

    def _time_out_run(self, run: Run) -> None:
        attrs = {"timeoutType": "START_TO_CLOSE", "childPolicy": run.config.child_policy}
        self.close_run(run, CloseStatus.TIMED_OUT, "WorkflowExecutionTimedOut", attrs)

    # ---- events and effects -----------------------------------------------------------------

    def record_and_decide(self, run: Run, event_type: str, attrs: JsonDict) -> int:
        """Append an event the decider must see, and schedule a decision task for it."""
        event_id = run.history.append(event_type, attrs)
        self.decisions.schedule(run)
        return event_id

    def defer(self, effect: Callable[[], None]) -> None:
        """Run ``effect`` once the current request's own changes are recorded (FIFO).

        Cross-run effects (delivering a signal, starting a child) happen after the decisions
        that caused them, as AWS records them: the decision's Initiated event, then its outcome.
        """
        if self.effects_on_clock:
            self.clock.call_at_ms(self.clock.now_ms(), effect)
        else:
            self._effects.append(effect)

    def run_effects(self) -> None:
        """Run deferred effects, including those they defer in turn."""
        while self._effects:
            try:
                self._effects.popleft()()
            except HistoryFull as full:
                self.terminate_full_history(full)

    # ---- task lists ---------------------------------------------------------------------------

    def wait_for_task(self, queue: TaskQueue[T]) -> T | None:
        """A long poll: the next task of ``queue``, waiting in virtual time if none is ready.

        With no task ready, time runs to the first deadline that puts one on the list, or to
        the poll timeout (60 seconds, as the API Reference's PollForDecisionTask says), whichever
        comes first.
        """
        limit = self.clock.now_ms() + self.options.poll_timeout_seconds * 1000
        self.wait(queue.ready, limit)
        return queue.pop()

    def tasks_in_hand(self) -> int:
        """How many decision and activity tasks workers hold (started, not yet answered)."""
        return len(self.decisions.tokens) + len(self.activity_tokens)

    def may_jump(self) -> bool:
        """Whether realtime mode may jump ahead: some run is open to wait for, and no task is
        in a worker's hands (the worker could answer at any moment)."""
        return bool(self.open_runs) and self.tasks_in_hand() == 0
