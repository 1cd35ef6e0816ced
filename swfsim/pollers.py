"""Poll loops: the ``while True`` deciders and workers written for AWS, run against a Simulator.

``run_pollers`` runs each loop in a thread of its own and moves the virtual clock itself. The
clock is in ``manual`` mode, in which a waiting poll waits for whoever moves time; this driver
is that someone. Whenever every loop waits in a long poll and no poll's task is ready, nothing
can happen before the next deadline, so it jumps straight there (trio's autojump rule, for
threads): a three-day timer costs no wall time, and time never moves while a loop is working.

The run ends when the watched executions close, when ``until`` is reached, or when nothing can
move; each loop's next poll then raises :class:`StopPolling`, which ends a ``while True`` loop.
The threads live in this module only: the Simulator itself starts none.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from swfsim.clock import to_millis
from swfsim.harness import RunReport, StuckRun
from swfsim.waiting import ClockMode

if TYPE_CHECKING:
    from swfsim.model.engine import Engine
    from swfsim.model.task_queue import TaskLists
    from swfsim.simulator import Simulator

Loop = Callable[[], object]
Ready = Callable[[], bool]
# After the wall budget is spent, how long the loops still get to reach their next poll.
_STOP_GRACE_SECONDS = 0.1


class StopPolling(BaseException):
    """Raised by a loop's poll once ``run_pollers`` is done with the loop; ends ``while True``.

    It derives from BaseException, as KeyboardInterrupt does, so that a loop's
    ``except Exception:`` (log the error and poll again) lets it through. Catch it only to clean
    up, then raise it again.
    """


class LoopFailed(Exception):  # noqa: N818 - the loop failed; that is the news
    """A poll loop raised. The loop's own exception, with its traceback, is the ``__cause__``.

    Attributes:
        loop: the loop's name (its function's name).
    """

    def __init__(self, loop: str, error: BaseException) -> None:
        super().__init__(f"poll loop {loop!r} raised {type(error).__name__}: {error}")
        self.loop = loop


@dataclass(eq=False)
class _Loop:
    """One user loop, its thread, and what it is doing."""

    name: str
    function: Loop
    thread: threading.Thread | None = None
    poll: Ready | None = None  # the ready check of the long poll it waits in, if any
    stopped: bool = False
    done: bool = False
    error: BaseException | None = None


def run_pollers(
    sim: Simulator,
    *loops: Loop,
    workflow_ids: list[str] | None = None,
    until: datetime | timedelta | None = None,
    timeout: float = 30.0,
    wait_for_unserved: bool = False,
) -> RunReport:
    """Run poll loops, each in its own thread, until the runs close or nothing can move.

    Each loop is a callable taking no arguments, typically ``while True:`` around a boto3
    ``poll_for_decision_task`` or ``poll_for_activity_task`` and the handling of its task. Its
    clients must reach ``sim``: call this inside ``mock_swf(sim)``. Virtual time jumps to the
    next deadline only when every loop waits in a long poll and no poll's task is ready.

    Args:
        sim: the Simulator the loops' clients reach.
        *loops: the loops to run.
        workflow_ids: the executions to wait for; every open one if omitted.
        until: stop when virtual time reaches this moment (or now plus this span).
        timeout: wall seconds after which, if the run has not ended, it is reported stuck, so
            that a test never hangs.
        wait_for_unserved: when tasks wait on lists no loop polls, keep jumping time (to test
            schedule-to-start timeouts, say) instead of raising.

    Returns:
        The close status of each watched workflow id, the decision and activity tasks the loops
        took, and the virtual time that passed.

    Raises:
        LoopFailed: a loop raised (the loop's exception is the ``__cause__``).
        StuckRun: nothing can move, the wall ``timeout`` passed, or a loop did not end after
            its poll raised :class:`StopPolling`; the message says which tasks wait where and
            where each loop is.
    """
    if not loops:
        raise ValueError("run_pollers needs at least one loop to run")
    if timeout <= 0:
        raise ValueError(f"timeout must be positive, not {timeout}")
    end = sim.clock.now() + until if isinstance(until, timedelta) else until
    driver = _Driver(sim, loops, wait_for_unserved, timeout)
    return driver.run(workflow_ids, end)


class _Driver:
    """The threads of one ``run_pollers`` call, and the clock moves between their polls."""

    def __init__(
        self,
        sim: Simulator,
        functions: Sequence[Loop],
        wait_for_unserved: bool,
        timeout: float,
        # A default value, bound at import: freezegun (Simulator(freeze_time=True)) patches
        # time.monotonic where modules refer to it, and the budget must stay in wall time.
        wall: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sim = sim
        self._clock = sim.clock
        self._loops = [_Loop(name, function) for name, function in _named(functions)]
        self._by_thread: dict[threading.Thread, _Loop] = {}
        self._failed: list[_Loop] = []
        self._wait_for_unserved = wait_for_unserved
        self._timeout = timeout
        self._wall = wall
        self._wall_deadline = wall() + timeout
        self._inner_wait = sim.engine.wait
        self._report = RunReport(started_at=sim.clock.now())

    def run(self, workflow_ids: list[str] | None, until: datetime | None) -> RunReport:
        """Start the loops, drive the clock until the end, stop the loops, report."""
        sim = self._sim
        mode, rate = sim.clock_mode, sim.waiting.rate
        sim.set_clock_mode(ClockMode.MANUAL)
        # The engine's wait is where the Simulator plugs in its clock mode; wrapping it lets a
        # loop's poll say that it waits, and raise StopPolling at the end.
        sim.engine.wait = self._wait
        sim.engine.event_listeners.append(self._count)
        try:
            self._start()
            with self._clock.lock:
                self._drive(workflow_ids, until)
        finally:
            self._stop()
            sim.engine.event_listeners.remove(self._count)
            if all(loop.done for loop in self._loops):
                sim.engine.wait = self._inner_wait
            # else the wrapper stays: an abandoned loop's polls go on raising StopPolling.
            sim.set_clock_mode(mode, rate=rate)
        self._raise_failure()
        self._raise_unstopped()
        return self._finish()

    # ---- the loops' threads --------------------------------------------------------------------

    def _start(self) -> None:
        for loop in self._loops:
            # Daemon threads: a loop that never ends cannot keep the interpreter alive.
            loop.thread = threading.Thread(
                target=self._body, args=(loop,), name=f"swfsim loop {loop.name}", daemon=True
            )
            self._by_thread[loop.thread] = loop
        for loop in self._loops:
            assert loop.thread is not None
            loop.thread.start()

    def _body(self, loop: _Loop) -> None:
        try:
            loop.function()
        except StopPolling:
            pass
        except BaseException as error:  # handed to the caller's thread by _raise_failure
            loop.error = error
        finally:
            with self._clock.lock:
                loop.done = True
                if loop.error is not None:
                    self._failed.append(loop)
                self._clock.changed.notify_all()

    def _wait(self, ready: Ready, limit_ms: int) -> object:
        """The engine's wait, in the polling thread (holding the clock's lock)."""
        loop = self._by_thread.get(threading.current_thread())
        if loop is None:  # not one of the loops: not this driver's business
            return self._inner_wait(ready, limit_ms)
        if loop.stopped:
            raise StopPolling
        loop.poll = ready
        self._clock.changed.notify_all()  # one more loop waits: the driver may move time
        try:
            self._inner_wait(lambda: loop.stopped or ready(), limit_ms)
        finally:
            loop.poll = None
        if loop.stopped:  # before the task is taken: a stopped loop gets none
            raise StopPolling
        return None

    def _stop(self) -> None:
        with self._clock.lock:
            for loop in self._loops:
                loop.stopped = True
            self._clock.changed.notify_all()
        join_by = max(self._wall_deadline, self._wall() + _STOP_GRACE_SECONDS)
        for loop in self._loops:
            if loop.thread is not None and loop.thread.ident is not None:
                loop.thread.join(max(join_by - self._wall(), 0))

    def _count(self, _history: object, event: dict[str, Any]) -> None:
        if event["eventType"] == "DecisionTaskStarted":
            self._report.decisions += 1
        elif event["eventType"] == "ActivityTaskStarted":
            self._report.activities += 1

    # ---- the clock -----------------------------------------------------------------------------

    def _drive(self, workflow_ids: list[str] | None, until: datetime | None) -> None:
        """Move time whenever the loops have settled, until the run ends (holding the lock)."""
        while not self._failed and not self._finished(workflow_ids):
            if self._settled():
                if not self._jump(workflow_ids, until):
                    return
                continue
            remaining = self._wall_deadline - self._wall()
            if remaining <= 0:
                reason = f"the loops did not settle within {self._timeout:g} s of wall time"
                raise StuckRun(self._stuck_message(workflow_ids, reason))
            self._clock.changed.wait(remaining)

    def _finished(self, workflow_ids: list[str] | None) -> bool:
        open_ids = {wid for (_, wid) in self._sim.engine.open_runs}
        watched = open_ids if workflow_ids is None else set(workflow_ids)
        self._report.watched |= watched
        return not watched & open_ids

    def _settled(self) -> bool:
        """Whether every running loop waits in a long poll whose task is not ready."""
        running = [loop for loop in self._loops if not loop.done]
        return all(loop.poll is not None and not loop.poll() for loop in running)

    def _jump(self, workflow_ids: list[str] | None, until: datetime | None) -> bool:
        """Move to the next deadline; False once ``until`` is reached."""
        clock = self._clock
        if not self._wait_for_unserved and _waiting_tasks(self._sim.engine):
            raise StuckRun(self._stuck_message(workflow_ids, "tasks wait where no loop polls"))
        due = clock.next_deadline_ms()
        if until is not None and (due is None or due > to_millis(until)):
            clock.advance_to(max(until, clock.now()))
            return False
        if due is None:
            reason = "every loop waits in a poll and no deadline is pending"
            raise StuckRun(self._stuck_message(workflow_ids, reason))
        clock.advance_to_ms(max(due, clock.now_ms()))
        return True

    # ---- the outcome ---------------------------------------------------------------------------

    def _raise_failure(self) -> None:
        if self._failed:
            loop = self._failed[0]
            assert loop.error is not None
            raise LoopFailed(loop.name, loop.error) from loop.error

    def _raise_unstopped(self) -> None:
        running = [loop.name for loop in self._loops if not loop.done]
        if running:
            raise StuckRun(
                f"poll loop(s) {', '.join(map(repr, running))} did not end after the run: a loop "
                "ends when its next poll raises swfsim.pollers.StopPolling, which it must let "
                "through (it is a BaseException); the thread is left running as a daemon"
            )

    def _finish(self) -> RunReport:
        report = self._report
        report.ended_at = self._clock.now()
        for run in sorted(self._sim.engine.runs.values(), key=lambda r: r.seq):
            if run.workflow_id in report.watched and run.close_status is not None:
                report.closed[run.workflow_id] = run.close_status.value
        return report

    def _stuck_message(self, workflow_ids: list[str] | None, reason: str) -> str:
        engine = self._sim.engine
        lines = [f"nothing can progress ({reason}):"]
        lines += [
            f"  {count} {kind} task(s) wait on list {name!r} of domain {domain!r}"
            for kind, domain, name, count in _waiting_tasks(engine)
        ]
        lines += [f"  loop {loop.name!r} {self._doing(loop)}" for loop in self._loops]
        open_ids = sorted(
            wid for (_, wid) in engine.open_runs if workflow_ids is None or wid in workflow_ids
        )
        lines.append(f"  open executions: {', '.join(open_ids) or 'none'}")
        return "\n".join(lines)

    def _doing(self, loop: _Loop) -> str:
        if loop.done:
            return "has returned"
        if loop.poll is None:
            return "is running its own code (not in a poll)"
        return f"waits in a poll on {_place(self._sim.engine, loop.poll)}"


def _named(functions: Sequence[Loop]) -> list[tuple[str, Loop]]:
    """Each loop with its name (its function's name); repeated names are numbered."""
    for function in functions:
        if not callable(function):
            raise TypeError(f"a poll loop is a callable taking no arguments, not {function!r}")
    names = [_name(function) for function in functions]
    numbered = [
        f"{name}#{names[: index + 1].count(name)}" if names.count(name) > 1 else name
        for index, name in enumerate(names)
    ]
    return list(zip(numbered, functions, strict=True))


def _name(function: Loop) -> str:
    if isinstance(function, functools.partial):
        return _name(function.func)
    name = getattr(function, "__qualname__", None) or getattr(function, "__name__", None)
    # A loop defined inside a test reads better as "decider" than as "test_x.<locals>.decider".
    return name.rsplit("<locals>.", 1)[-1] if isinstance(name, str) else repr(function)


def _waiting_tasks(engine: Engine) -> list[tuple[str, str, str, int]]:
    """Each list with tasks waiting: (kind, domain, list, how many)."""
    return [
        (kind, domain, name, count)
        for kind, lists in _task_lists(engine)
        for (domain, name), count in lists.waiting()
    ]


def _task_lists(engine: Engine) -> tuple[tuple[str, TaskLists[Any]], ...]:
    return ("decision", engine.decisions.lists), ("activity", engine.activity_lists)


def _place(engine: Engine, ready: Ready) -> str:
    """The task list whose long poll waits on ``ready`` (a task list's ``ready`` method)."""
    queue = getattr(ready, "__self__", None)
    for kind, lists in _task_lists(engine):
        key = lists.key_of(queue)
        if key is not None:
            return f"{kind} task list {key[1]!r} of domain {key[0]!r}"
    return "a task list"


__all__ = ["LoopFailed", "StopPolling", "run_pollers"]
