"""The Simulator: one simulated SWF account and region, answering the 39 operations."""

from __future__ import annotations

import copy
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime, timedelta, timezone
from typing import Any

from swfsim import coverage
from swfsim.clock import VirtualClock
from swfsim.errors import (
    OperationNotPermittedFault,
    SWFError,
    UnknownOperationException,
    UnknownResourceFault,
)
from swfsim.frozen import frozen_time, user_frozen_now
from swfsim.harness import ActivityFunction, Decider, Harness, RunReport
from swfsim.hooks import hooked, plugin_manager
from swfsim.ids import IdSource
from swfsim.journal import Journal
from swfsim.model.engine import Engine
from swfsim.model.history import History, HistoryFull
from swfsim.model.registry import Registry
from swfsim.operations import HANDLERS, Handler
from swfsim.operations.tasks import empty_response
from swfsim.options import Options
from swfsim.replay._load import HistorySource, load_history
from swfsim.replay._resume import ResumedRun, resume
from swfsim.validation import validate_input
from swfsim.waiting import ClockMode, Waiting

DEFAULT_START = datetime(2026, 1, 1, tzinfo=timezone.utc)
DEFAULT_REGION = "us-east-1"
_POLLS = frozenset({"PollForDecisionTask", "PollForActivityTask"})

JsonDict = dict[str, Any]


class Simulator:
    """A deterministic, in-memory Amazon SWF service on a virtual clock.

    Args:
        seed: seeds every identifier the service invents (run ids, task tokens, request ids):
            the same seed and the same calls give byte-identical responses.
        start: the virtual time the clock starts at (an aware datetime); by default the time
            of an active freezegun freeze (one started outside swfsim), else 2026-01-01 UTC.
        region: the region the simulated account lives in (used in domain ARNs).
        account_id: the simulated account id (used in domain ARNs).
        options: behaviour switches; see :class:`swfsim.Options`.
        clock_mode: how time moves while polls wait: ``"auto"`` (the default, for one
            thread), ``"manual"`` or ``"realtime"``; see :class:`swfsim.ClockMode`.
        rate: in realtime mode, virtual seconds per wall-clock second.
        freeze_time: while ``mock_swf`` routes to this Simulator, code that reads the time
            (``datetime.now()``, ``time.time()``, ``time.monotonic()``) sees virtual time;
            see :meth:`frozen_time`. Independently of this, while a freezegun freeze started
            outside swfsim is active, each operation first moves the clock forward to its time.
        journal: keep the journal of state changes that :func:`swfsim.journal.snapshot`
            saves and :func:`swfsim.journal.restore` replays (memory grows with each call).

    Example:
        >>> sim = Simulator(seed=7)
        >>> request = {"name": "d", "workflowExecutionRetentionPeriodInDays": "1"}
        >>> sim.handle("RegisterDomain", request)
        {}
    """

    def __init__(
        self,
        *,
        seed: int = 0,
        start: datetime | None = None,
        region: str = DEFAULT_REGION,
        account_id: str = "123456789012",
        options: Options | None = None,
        clock_mode: ClockMode | str = ClockMode.AUTO,
        rate: float = 1.0,
        freeze_time: bool = False,
        journal: bool = False,
    ) -> None:
        self.seed = seed
        self.freeze_time = freeze_time
        self.account_id = account_id
        self.options = options or Options()
        self.clock = VirtualClock(start or user_frozen_now() or DEFAULT_START)
        self.start_ms = self.clock.now_ms()
        self.journal = Journal() if journal else None
        if self.journal is not None:
            self.clock.add_listener(self.journal.clock_moved)
        self.ids = IdSource(seed)
        self.engine = Engine(self.clock, self.ids, Registry(region, account_id), self.options)
        if self.journal is not None:
            self.engine.lambdas.listeners.append(self.journal.lambda_invoked)
        self.waiting = Waiting(self.clock, self.engine.may_jump)
        self.engine.wait = self.waiting.wait
        self.waiting.set_mode(clock_mode, rate)
        self._harness = Harness(self)
        self.plugins = plugin_manager()
        self._connect_hooks()
        coverage.simulator_created(self)  # counted while an SwfCoverage collects

    @property
    def region(self) -> str:
        """The region the simulated account lives in (named in domain ARNs)."""
        return self.engine.registry.region

    def handle(self, operation: str, params: JsonDict) -> JsonDict:
        """Answer one SWF operation with its JSON-shaped response.

        Args:
            operation: the operation name, e.g. ``"StartWorkflowExecution"``.
            params: the request members as they appear on the wire (camelCase, timestamps in
                epoch seconds).

        Returns:
            The response members as they appear on the wire; ``{}`` for an empty response.

        Raises:
            SWFError: the fault AWS would answer with (its ``code`` is the wire error code).
        """
        handler = HANDLERS.get(operation)
        if handler is None:
            raise UnknownOperationException(f"{operation} is not an operation of Amazon SWF")
        validate_input(operation, params)
        if operation in self.options.denied:
            raise OperationNotPermittedFault(
                f"User is not authorized to perform: swf:{operation} (denied by Options.denied)"
            )
        with self.clock.lock:
            traffic = self.waiting.traffic
            traffic.in_flight += 1
            answered = True
            try:
                response = self._answer(operation, handler, params)
                answered = operation not in _POLLS or bool(response.get("taskToken"))
                return response
            finally:
                traffic.in_flight -= 1
                if answered:
                    self.waiting.answered()
                self.clock.changed.notify_all()

    def _answer(self, operation: str, handler: Handler, params: JsonDict) -> JsonDict:
        hook = self.plugins.hook
        self.waiting.catch_up()
        self._follow_freezegun()
        self.clock.fire_due()
        if not hooked(hook.swfsim_before_operation) and not hooked(hook.swfsim_after_operation):
            return self._apply(operation, handler, params)  # no plugin: the fast path
        try:
            instead = hook.swfsim_before_operation(
                simulator=self, operation=operation, params=params
            )
            response = self._apply(operation, handler, params) if instead is None else instead
        except SWFError as error:
            hook.swfsim_after_operation(
                simulator=self, operation=operation, params=params, response=None, error=error
            )
            raise
        hook.swfsim_after_operation(
            simulator=self, operation=operation, params=params, response=response, error=None
        )
        return dict(response)

    def _follow_freezegun(self) -> None:
        # A test that moves a freezegun freeze (moto's way to fire timeouts) leads the clock,
        # forward only: the deadlines due by the frozen time fire before the operation.
        frozen = user_frozen_now()
        if frozen is not None and frozen > self.clock.now():
            self.clock.advance_to(frozen)

    def _apply(self, operation: str, handler: Handler, params: JsonDict) -> JsonDict:
        try:
            response = handler(self.engine, params) or {}
        except HistoryFull as full:
            # The request was accepted; the run it touched had no room left for its events.
            self.engine.terminate_full_history(full)
            response = empty_response(self.engine, operation)
        self.engine.run_effects()
        if self.journal is not None:
            self.journal.answered(operation, copy.deepcopy(params), response)
        delivered = self.plugins.hook.swfsim_task_delivered
        if operation in _POLLS and response.get("taskToken") and hooked(delivered):
            instead = delivered(simulator=self, operation=operation, params=params, task=response)
            if instead is not None:
                return dict(instead)
        return response

    def _connect_hooks(self) -> None:
        hook = self.plugins.hook

        def event_appended(history: History, event: JsonDict) -> None:
            if hooked(hook.swfsim_event_appended):
                hook.swfsim_event_appended(simulator=self, run=history.owner, event=event)

        def clock_advanced(old_ms: int, new_ms: int) -> None:
            if hooked(hook.swfsim_clock_advanced):
                hook.swfsim_clock_advanced(simulator=self, old_ms=old_ms, new_ms=new_ms)

        self.engine.event_listeners.append(event_appended)
        self.clock.add_listener(clock_advanced)

    def decider(
        self, domain: str, workflow_type: str, function: Decider, *, task_list: str | None = None
    ) -> None:
        """Let ``run`` answer decision tasks of ``workflow_type`` with ``function``.

        Args:
            domain: the domain the workflow type lives in.
            workflow_type: the type name (every version).
            function: takes a :class:`swfsim.harness.DecisionTask`, returns the decisions
                (wire dicts, as boto3's ``decisions=`` takes them). Raise
                :class:`swfsim.harness.Hang` to leave the task unanswered.
            task_list: the list to poll; the type's default task list if omitted.
        """
        self._harness.add_decider(domain, workflow_type, function, task_list)

    def activity(
        self,
        domain: str,
        activity_type: str,
        function: ActivityFunction,
        *,
        task_list: str | None = None,
    ) -> None:
        """Let ``run`` perform activity tasks of ``activity_type`` with ``function``.

        Args:
            domain: the domain the activity type lives in.
            activity_type: the type name (every version).
            function: takes a :class:`swfsim.harness.ActivityContext`; its return value is
                the result. An exception fails the task (:class:`swfsim.harness.ActivityFailed`
                sets reason and details); :class:`swfsim.harness.ActivityCanceled` cancels it;
                :class:`swfsim.harness.Hang` leaves it unanswered so that it times out.
            task_list: the list to poll; the type's default task list if omitted.
        """
        self._harness.add_activity(domain, activity_type, function, task_list)

    def run(
        self,
        *,
        workflow_ids: list[str] | None = None,
        until: datetime | timedelta | None = None,
        max_steps: int = 1_000_000,
        wait_for_unserved: bool = False,
    ) -> RunReport:
        """Dispatch tasks to the registered deciders and activities in virtual time.

        Runs until every watched workflow id has no open run, or until ``until`` (a moment, or
        a span from now), jumping the clock to the next deadline whenever nothing is ready.

        Args:
            workflow_ids: the executions to wait for; every open one if omitted.
            until: stop when virtual time reaches this moment (or now plus this span).
            max_steps: a bound on dispatches and jumps, against runaway workflows.
            wait_for_unserved: when tasks wait on lists no registered function polls, keep
                jumping time (to test schedule-to-start timeouts, say) instead of raising.

        Raises:
            StuckRun: nothing can progress (the message says which tasks wait where).
        """
        deadline = self.clock.now() + until if isinstance(until, timedelta) else until
        return self._harness.run(workflow_ids, deadline, max_steps, wait_for_unserved)

    def frozen_time(self) -> AbstractContextManager[None]:
        """A context in which the process's clocks read this Simulator's virtual time.

        Through freezegun, ``datetime.now()``, ``time.time()`` and ``time.monotonic()`` return
        virtual time and follow the clock as it moves.
        """
        return frozen_time(self.clock)

    @property
    def clock_mode(self) -> ClockMode:
        """How virtual time moves while polls wait (see :class:`swfsim.ClockMode`)."""
        return self.waiting.mode

    def set_clock_mode(
        self, mode: ClockMode | str, *, rate: float = 1.0, settle: float | None = None
    ) -> None:
        """Switch the clock mode of a live Simulator; waiting polls re-evaluate at once.

        Args:
            mode: ``"auto"``, ``"manual"`` or ``"realtime"``.
            rate: in realtime mode, virtual seconds per wall-clock second.
            settle: in realtime mode, wall seconds the clock holds still after an answer (and
                after a jump) before it may jump ahead; unchanged if None.
        """
        if settle is not None:
            if settle < 0:
                raise ValueError(f"settle must not be negative, not {settle}")
            self.waiting.settle = settle
        self.waiting.set_mode(mode, rate)

    def register_lambda(
        self, name: str, function: Callable[[str | None], str | None], *, duration: float = 0.0
    ) -> None:
        """Stand a Python callable in for the AWS Lambda function ``name``.

        Args:
            name: the function name decisions give in ``ScheduleLambdaFunction``.
            function: called with the task's input; its return value is the result, and an
                exception it raises becomes LambdaFunctionFailed (reason: the exception type).
            duration: virtual seconds each invocation takes; at or past the task's
                startToCloseTimeout (900 s by default) the task times out instead.
        """
        self.engine.lambdas.register(name, function, duration)

    def is_open(self, domain: str, workflow_id: str, run_id: str | None = None) -> bool:
        """Whether ``workflow_id`` has an open run in ``domain`` (the run ``run_id``, if given).

        A quick check for a test's loop, where DescribeWorkflowExecution would need the run id
        and answer a fault for an unknown domain: an unknown domain or workflow id simply has
        no open run.
        """
        run = self.engine.open_runs.get((domain, workflow_id))
        return run is not None and run_id in (None, run.run_id)

    def resume(
        self,
        history: HistorySource,
        *,
        domain: str,
        workflow_id: str | None = None,
        run_id: str | None = None,
    ) -> ResumedRun:
        """Continue a recorded run here: its history becomes an open run of ``domain``.

        The run keeps its events; what they leave open is put back: the pending decision task,
        activity tasks (waiting on their lists, or, if a worker had started one, held by a new
        token), timers and timeouts with the time they had left at the last event, child runs,
        Lambda tasks. The clock moves to the last event if it is earlier; the last event's
        moment is "now" for every remaining time. A Simulator with ``journal=True`` records the
        resume (the history's events and these arguments), so its snapshot restores the run.
        See docs/replay.md.

        Args:
            history: anything :func:`swfsim.load_history` reads; it must be valid and open.
            domain: a registered domain, where the history's workflow type is registered.
            workflow_id: the run's workflowId, if the history does not name it.
            run_id: its runId (the history's, or a new one).

        Returns:
            The run's execution, and the tokens of the tasks production's workers held.

        Raises:
            ValueError: the history is invalid or closed, or names no workflowId.
            UnknownResourceFault: the domain or the workflow type is not registered.
            WorkflowExecutionAlreadyStartedFault: a run with that workflowId is open.
        """
        if self.journal is None:
            return resume(self, history, domain=domain, workflow_id=workflow_id, run_id=run_id)
        loaded = load_history(history)  # read once: the journal keeps the events resumed
        with self.clock.lock:  # no other entry comes between the resume's clock moves and it
            since = len(self.journal.entries)
            resumed = resume(self, loaded, domain=domain, workflow_id=workflow_id, run_id=run_id)
            self.journal.resumed(since, loaded, domain, workflow_id, run_id)
        return resumed

    def history(self, domain: str, workflow_id: str, run_id: str | None = None) -> list[JsonDict]:
        """The wire-shaped events of a run (the open run, or the latest one, if no run_id).

        Raises:
            UnknownResourceFault: no such domain, or no such run in it.
        """
        self.engine.registry.domain(domain)  # an unknown domain is named as such, as AWS does
        runs = [
            run
            for (domain_name, wid, rid), run in self.engine.runs.items()
            if domain_name == domain and wid == workflow_id and run_id in (None, rid)
        ]
        if not runs:
            shown = f"workflowId={workflow_id}" + (f", runId={run_id}" if run_id else "")
            raise UnknownResourceFault(
                f"Unknown execution: WorkflowExecution=[{shown}] in domain {domain}"
            )
        return list(max(runs, key=lambda run: run.seq).history.events)
