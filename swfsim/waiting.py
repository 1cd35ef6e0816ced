"""How a long poll waits for a task, in each clock mode.

- ``auto`` (the default, for one thread): time jumps to the next deadline that could put a task
  on the list, or to the poll's expiry.
- ``manual`` (a test thread drives time while workers poll from other threads): the poll
  blocks until a task arrives or someone advances the clock past the poll's expiry.
- ``realtime`` (real processes, e.g. behind ``swfsim serve``): virtual time follows the wall
  clock times ``rate``, and jumps to the next deadline whenever every request in flight is a
  waiting poll and no task is in a worker's hands.

Only ``realtime`` reads the wall clock, and only through the ``wall`` function it is given.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from swfsim.clock import END_MS, VirtualClock


class ClockMode(str, Enum):
    """How virtual time moves while callers wait."""

    AUTO = "auto"
    MANUAL = "manual"
    REALTIME = "realtime"


def clock_mode(mode: ClockMode | str) -> ClockMode:
    """The ClockMode named ``mode``.

    Raises:
        ValueError: ``mode`` names no clock mode (the message lists them).
    """
    try:
        return ClockMode(mode)
    except ValueError:
        modes = ", ".join(repr(m.value) for m in ClockMode)
        raise ValueError(f"clock mode {mode!r} is not one of {modes}") from None


@dataclass
class Traffic:
    """Requests in flight, and the readiness checks of the polls among them that wait."""

    in_flight: int = 0
    waiters: list[Callable[[], bool]] = field(default_factory=list)

    @property
    def waiting(self) -> int:
        """How many polls are waiting."""
        return len(self.waiters)


class Waiting:
    """The clock mode of a Simulator and the waits of its polls."""

    def __init__(
        self,
        clock: VirtualClock,
        may_jump: Callable[[], bool],
        wall: Callable[[], float] = time.monotonic,
    ) -> None:
        """
        Args:
            clock: the clock to move.
            may_jump: whether the service state allows a jump in realtime mode (no task in a
                worker's hands, and some run open to wait for).
            wall: the wall clock, read in realtime mode only.
        """
        self._clock = clock
        self._may_jump = may_jump
        self._wall = wall
        self.traffic = Traffic()
        self.mode = ClockMode.AUTO
        self.rate = 1.0
        self.settle = 0.0
        self._anchor = (0.0, 0)
        self._quiet_since = 0.0

    def set_mode(self, mode: ClockMode | str, rate: float = 1.0) -> None:
        """Switch mode (waking every waiting poll); ``rate`` is virtual seconds per wall second.

        Raises:
            TypeError: ``rate`` is not a number.
            ValueError: ``mode`` names no clock mode, or ``rate`` is not a positive finite
                number.
        """
        if not isinstance(rate, int | float) or isinstance(rate, bool):
            raise TypeError(f"rate must be a number, not {type(rate).__name__} {rate!r}")
        if not 0 < rate <= sys.float_info.max:  # also refuses NaN, and ints too big for a float
            raise ValueError(f"rate must be positive and finite, not {rate}")
        with self._clock.lock:
            self.mode, self.rate = clock_mode(mode), float(rate)
            self._anchor = (self._wall(), self._clock.now_ms())
            self._clock.changed.notify_all()

    def answered(self) -> None:
        """A request was answered (not an empty poll): its client is about to call again.

        In realtime mode the clock jumps only after ``settle`` wall seconds without such an
        answer, so a client between two calls (a decider that just answered, a worker process
        making its first poll) is not jumped over.
        """
        self._quiet_since = self._wall()

    def catch_up(self) -> None:
        """In realtime mode, bring virtual time up to the wall clock (firing due deadlines)."""
        if self.mode is ClockMode.REALTIME:
            wall_then, virtual_then = self._anchor
            elapsed_ms = (self._wall() - wall_then) * self.rate * 1000
            target = min(virtual_then + int(min(elapsed_ms, END_MS)), END_MS)
            if target > self._clock.now_ms():
                self._clock.advance_to_ms(target)

    def wait(self, ready: Callable[[], bool], limit_ms: int) -> None:
        """Return once ``ready()`` holds or virtual time reaches ``limit_ms``."""
        limit_ms = min(limit_ms, END_MS)  # time ends there: waiting longer would never end
        if self.mode is ClockMode.AUTO:
            self._clock.run_until(ready, limit_ms)
            return
        self.traffic.waiters.append(ready)
        try:
            while not ready() and self._clock.now_ms() < limit_ms:
                self._step(ready, limit_ms)
        finally:
            self.traffic.waiters.remove(ready)

    def _step(self, ready: Callable[[], bool], limit_ms: int) -> None:
        # The mode may be switched by another thread while a poll waits.
        if self.mode is ClockMode.AUTO:
            self._clock.run_until(ready, limit_ms)
        elif self.mode is ClockMode.MANUAL:
            self._clock.changed.wait()
        else:
            self._realtime_step(limit_ms)

    def _realtime_step(self, limit_ms: int) -> None:
        clock = self._clock
        due = clock.next_deadline_ms()
        horizon = limit_ms if due is None else min(due, limit_ms)
        timeout = max(horizon - clock.now_ms(), 1) / 1000 / self.rate
        if self._idle():
            unsettled = self.settle - (self._wall() - self._quiet_since)
            if unsettled <= 0:
                # Nobody can act before the next deadline: go straight to it, even past this
                # poll's expiry (a client would only have polled again meanwhile). A jump may
                # hand a task to a client between two polls: hold still again after it.
                clock.advance_to_ms(max(limit_ms if due is None else due, clock.now_ms()))
                self._anchor = (self._wall(), clock.now_ms())
                self._quiet_since = self._wall()
                return
            timeout = min(timeout, unsettled)
        # A tiny rate makes a wait too long for a lock to time (its TIMEOUT_MAX): wake to look.
        clock.changed.wait(timeout=min(timeout, threading.TIMEOUT_MAX))
        self.catch_up()

    def _idle(self) -> bool:
        traffic = self.traffic
        every_caller_waits = traffic.waiting == traffic.in_flight
        # A poll whose task is ready has been woken but may not hold the lock yet: not idle.
        nobody_woken = not any(ready() for ready in traffic.waiters)
        return every_caller_waits and nobody_woken and self._may_jump()
