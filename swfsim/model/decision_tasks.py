"""Decision tasks of runs: scheduling, hand-out, completion, timeouts, task-list overrides.

SWF keeps at most one decision task scheduled and one started per run, as AWS histories show
(events 9-15 of the 2017 history in fixtures/real-aws/traces/test_wait_signal.json): a trigger
while a task is started writes DecisionTaskScheduled at once, but the task waits until the
started one closes. While a decider's answer is being applied, new
tasks are held back so that the answer's events form one block, as AWS writes them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from swfsim.clock import VirtualClock
from swfsim.errors import UnknownResourceFault
from swfsim.ids import IdSource
from swfsim.model.durations import seconds
from swfsim.model.registry import present
from swfsim.model.run import DecisionAttempt, DecisionSlot, Run, TaskListOverride
from swfsim.model.task_queue import TaskLists


class DecisionTasks:
    """The decision task lists of an account and the decision task state of its runs."""

    def __init__(self, clock: VirtualClock, ids: IdSource) -> None:
        self.clock = clock
        self.ids = ids
        self.lists: TaskLists[DecisionSlot] = TaskLists()
        self.tokens: dict[str, Run] = {}

    def schedule(self, run: Run) -> None:
        """Schedule a decision task unless one is already scheduled (or the run is closed)."""
        slot = run.decision
        if slot.held:
            slot.wanted = True
            return
        if slot.scheduled_id is not None or not run.is_open:
            return
        override = slot.override
        to_start = override.schedule_to_start if override else None
        slot.scheduled_list = slot.task_list
        slot.scheduled_id = run.history.append(
            "DecisionTaskScheduled",
            present(
                taskList={"name": slot.scheduled_list},
                taskPriority=run.config.task_priority,
                startToCloseTimeout=run.config.task_timeout,
                # Every DecisionTaskScheduled AWS wrote in 2023 carries it (real-aws README #18).
                scheduleToStartTimeout=to_start or "NONE",
            ),
        )
        limit = seconds(to_start) if to_start else None
        if limit is not None:
            slot.schedule_deadline = self.clock.call_later(limit, lambda: self._not_started(run))
        if slot.started is None:
            self._queue(slot)

    def reopen_scheduled(
        self, run: Run, scheduled_id: int, task_list: str, due_ms: int | None
    ) -> None:
        """Put back a task recorded as scheduled and not started (a resumed run): queued on
        ``task_list`` unless a task is started, with its schedule-to-start deadline, if any."""
        slot = run.decision
        slot.scheduled_id, slot.scheduled_list = scheduled_id, task_list
        if due_ms is not None:
            slot.schedule_deadline = self.clock.call_at_ms(due_ms, lambda: self._not_started(run))
        if slot.started is None:
            self._queue(slot)

    def reopen_started(
        self, run: Run, scheduled_id: int, started_id: int, due_ms: int | None
    ) -> DecisionAttempt:
        """Put back a task recorded as started and not closed (a resumed run), under a new
        token, timing out at ``due_ms`` (start-to-close) unless it is answered."""
        slot = run.decision
        token = self.ids.task_token()
        deadline = None
        if due_ms is not None:
            deadline = self.clock.call_at_ms(due_ms, lambda: self._timed_out(run))
        slot.started = DecisionAttempt(
            scheduled_id, started_id, slot.previous_started_id, token, deadline
        )
        self.tokens[token] = run
        return slot.started

    @contextmanager
    def held(self, run: Run) -> Iterator[None]:
        """Hold new decision tasks back while a decider's answer is applied."""
        slot = run.decision
        slot.held, slot.wanted = True, False
        try:
            yield
        finally:
            slot.held = False
        if slot.wanted:
            self.schedule(run)

    def start(self, slot: DecisionSlot, identity: str | None) -> DecisionAttempt:
        """Hand the scheduled task to a decider: DecisionTaskStarted and a new token."""
        run = slot.run
        scheduled_id = slot.scheduled_id
        assert scheduled_id is not None
        if slot.schedule_deadline is not None:
            slot.schedule_deadline.cancel()
        started_id = run.history.append(
            "DecisionTaskStarted", present(identity=identity, scheduledEventId=scheduled_id)
        )
        token = self.ids.task_token()
        limit = seconds(run.config.task_timeout)
        deadline = None
        if limit is not None:
            deadline = self.clock.call_later(limit, lambda: self._timed_out(run))
        slot.started = DecisionAttempt(
            scheduled_id, started_id, slot.previous_started_id, token, deadline
        )
        slot.scheduled_id = None
        self.tokens[token] = run
        return slot.started

    def run_of(self, token: str) -> Run:
        """The run whose started decision task holds ``token``.

        Raises:
            UnknownResourceFault: the token is unknown, completed, timed out, or its run closed.
        """
        run = self.tokens.get(token)
        if run is None:
            raise UnknownResourceFault(
                "Unknown decision task: the task token is not valid (the task was completed, "
                "timed out, or its execution closed)"
            )
        return run

    def finish(self, run: Run, override: TaskListOverride | None) -> DecisionAttempt:
        """Retire the started task after the decider answered; apply a task-list override."""
        attempt = self._drop_started(run.decision)
        run.decision.previous_started_id = attempt.started_id
        if override is not None:
            run.decision.override = override
        return attempt

    def release(self, run: Run) -> None:
        """Queue a task that was scheduled while the previous one was started."""
        slot = run.decision
        if run.is_open and slot.scheduled_id is not None and slot.ticket is None:
            self._queue(slot)

    def drop(self, run: Run) -> None:
        """Forget the run's decision tasks (the run closed)."""
        slot = run.decision
        self.lists.get(run.domain.name, slot.scheduled_list).discard(slot)
        if slot.schedule_deadline is not None:
            slot.schedule_deadline.cancel()
        if slot.started is not None:
            self._drop_started(slot)
        slot.scheduled_id = None

    def _queue(self, slot: DecisionSlot) -> None:
        queue = self.lists.get(slot.run.domain.name, slot.scheduled_list)
        queue.push(slot, int(slot.run.config.task_priority or 0))

    def _drop_started(self, slot: DecisionSlot) -> DecisionAttempt:
        attempt = slot.started
        assert attempt is not None
        if attempt.deadline is not None:
            attempt.deadline.cancel()
        del self.tokens[attempt.token]
        slot.started = None
        return attempt

    def _timed_out(self, run: Run) -> None:
        attempt = self._drop_started(run.decision)
        self._revert_temporary_list(run.decision)
        run.history.append(
            "DecisionTaskTimedOut",
            {
                "timeoutType": "START_TO_CLOSE",
                "scheduledEventId": attempt.scheduled_id,
                "startedEventId": attempt.started_id,
            },
        )
        self.schedule(run)
        self.release(run)

    def _not_started(self, run: Run) -> None:
        slot = run.decision
        assert slot.scheduled_id is not None
        self.lists.get(run.domain.name, slot.scheduled_list).discard(slot)
        timed_out = {
            "timeoutType": "SCHEDULE_TO_START",
            "scheduledEventId": slot.scheduled_id,
            # botocore's model requires the member, but no task started.
            "startedEventId": 0,
        }
        slot.scheduled_id = None
        self._revert_temporary_list(slot)
        run.history.append("DecisionTaskTimedOut", timed_out)
        self.schedule(run)

    @staticmethod
    def _revert_temporary_list(slot: DecisionSlot) -> None:
        if slot.override is not None and slot.override.schedule_to_start is not None:
            slot.override = None
