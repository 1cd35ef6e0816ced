"""The virtual clock and its deadline heap.

Time only moves when someone advances it. Every deadline of the simulated service (timers,
timeouts, retention) lives in one heap on the clock and fires earliest first, ties in the order
the deadlines were created, so a run is reproducible to the millisecond.
"""

from __future__ import annotations

import heapq
import math
import threading
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

Callback = Callable[[], None]
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
# The clock's last millisecond, the last a datetime can show: 9999-12-31T23:59:59.999Z. Time
# never moves past it, and a deadline due later never fires.
END_MS = (datetime.max.replace(tzinfo=timezone.utc) - _EPOCH) // timedelta(milliseconds=1)


def to_millis(moment: datetime) -> int:
    """Milliseconds since the epoch of an aware datetime.

    Raises:
        TypeError: ``moment`` is not a datetime.
        ValueError: ``moment`` has no time zone.
    """
    if not isinstance(moment, datetime):
        raise TypeError(
            f"expected an aware datetime, not {type(moment).__name__} {moment!r} "
            "(ISO text converts with datetime.fromisoformat)"
        )
    if moment.tzinfo is None:
        raise ValueError(f"{moment!r} has no time zone; pass an aware datetime (e.g. UTC)")
    return (moment - _EPOCH) // timedelta(milliseconds=1)


def from_millis(millis: int) -> datetime:
    """The aware UTC datetime of an epoch-milliseconds value."""
    return _EPOCH + timedelta(milliseconds=millis)


def _moment_text(millis: int) -> str:
    """An epoch-milliseconds value in ISO form, or as a number where no datetime can show it."""
    try:
        return from_millis(millis).isoformat()
    except OverflowError:
        return f"{millis} epoch milliseconds"


def _duration_millis(duration: float | timedelta, method: str) -> int:
    """Milliseconds of ``duration``; the errors name ``method``, the one the user called."""
    if isinstance(duration, timedelta):
        return duration // timedelta(milliseconds=1)
    # bool is an int, but advance(True) is a mistake, not one second.
    if not isinstance(duration, int | float) or isinstance(duration, bool):
        raise TypeError(
            f"{method}() takes seconds (an int or float) or a datetime.timedelta, not "
            f"{type(duration).__name__} {duration!r} (e.g. {method}(timedelta(days=3)))"
        )
    if not math.isfinite(duration):
        raise ValueError(f"{method}() takes a finite number of seconds, not {duration!r}")
    millis = duration * 1000
    if not math.isfinite(millis):  # 1e308 seconds is finite, its milliseconds are not
        raise ValueError(
            f"{method}({duration!r}) reaches past {from_millis(END_MS).isoformat()}, "
            "the last moment the clock can show"
        )
    return round(millis)


class Deadline:
    """A callback due at a moment of virtual time; cancel it to keep it from firing."""

    __slots__ = ("callback", "cancelled", "due_ms", "seq")

    def __init__(self, due_ms: int, seq: int, callback: Callback) -> None:
        self.due_ms = due_ms
        self.seq = seq
        self.callback = callback
        self.cancelled = False

    def cancel(self) -> None:
        """Keep the deadline from firing (it is dropped lazily from the heap)."""
        self.cancelled = True

    def __lt__(self, other: Deadline) -> bool:
        return (self.due_ms, self.seq) < (other.due_ms, other.seq)


class VirtualClock:
    """A clock that moves only when advanced, firing due deadlines in order as it goes.

    The clock's ``lock`` guards the whole simulated service: the Simulator holds it while it
    answers a request, and ``advance`` takes it too, so a test thread may move time while
    worker threads poll. ``changed`` is notified whenever time moves.
    """

    def __init__(self, start: datetime) -> None:
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self._now_ms = to_millis(start)
        self._heap: list[Deadline] = []
        self._seq = 0
        self._listeners: list[Callable[[int, int], None]] = []
        self._error_handler: Callable[[Exception], bool] = lambda _error: False

    def now(self) -> datetime:
        """The current virtual time, an aware UTC datetime."""
        return from_millis(self._now_ms)

    def now_ms(self) -> int:
        """The current virtual time in epoch milliseconds."""
        return self._now_ms

    def advance(self, duration: float | timedelta) -> None:
        """Move time forward by ``duration`` (seconds or a timedelta), firing every due deadline.

        Raises:
            TypeError: ``duration`` is neither a number of seconds nor a timedelta.
            ValueError: if ``duration`` is negative (virtual time never runs backwards), or
                would take the clock past the end of year 9999.
        """
        step = _duration_millis(duration, "advance")
        if step < 0:
            raise ValueError(f"cannot advance the clock by {duration!r}: time never runs backwards")
        self.advance_to_ms(self._now_ms + step)

    def advance_to(self, moment: datetime) -> None:
        """Move time forward to ``moment``, firing every deadline due by then.

        Raises:
            TypeError: ``moment`` is not a datetime.
            ValueError: ``moment`` is naive, or earlier than now.
            OverflowError: ``moment`` lies outside the years 1 to 9999 once in UTC.
        """
        if not isinstance(moment, datetime):
            raise TypeError(
                f"advance_to() takes an aware datetime, not {type(moment).__name__} {moment!r} "
                "(e.g. datetime(2030, 1, 1, tzinfo=timezone.utc); to move by a span, use advance)"
            )
        self.advance_to_ms(to_millis(moment))

    def advance_to_ms(self, target_ms: int) -> None:
        """Move time forward to ``target_ms``, firing every deadline due by then.

        Raises:
            TypeError: ``target_ms`` is not an int.
            ValueError: ``target_ms`` is earlier than now, or past the end of year 9999.
        """
        if not isinstance(target_ms, int) or isinstance(target_ms, bool):
            raise TypeError(
                f"advance_to_ms() takes epoch milliseconds as an int, not "
                f"{type(target_ms).__name__} {target_ms!r}"
            )
        if target_ms > END_MS:
            raise ValueError(
                f"cannot move the clock to {target_ms} epoch milliseconds, past "
                f"{from_millis(END_MS).isoformat()}, the last moment the clock can show"
            )
        with self.lock:
            if target_ms < self._now_ms:
                raise ValueError(
                    f"cannot move the clock back from {self.now().isoformat()} "
                    f"to {_moment_text(target_ms)}"
                )
            while self._fire_next(target_ms):
                pass
            self._move_to(target_ms)

    def skip_to_next_deadline(self) -> bool:
        """Jump to the earliest pending deadline and fire it; False when none is pending."""
        with self.lock:
            due = self.next_deadline_ms()
            if due is None:
                return False
            self.advance_to_ms(max(due, self._now_ms))
            return True

    def fire_due(self) -> None:
        """Fire every deadline due at or before now."""
        with self.lock:
            while self._fire_next(self._now_ms):
                pass

    def run_until(self, ready: Callable[[], bool], limit_ms: int) -> bool:
        """Fire deadlines in order until ``ready()`` holds or time reaches ``limit_ms``.

        This is the long poll's wait in virtual time: time stops at the deadline that made
        ``ready()`` true, or at ``limit_ms`` when nothing did (at the end of time if sooner).
        """
        limit_ms = min(limit_ms, END_MS)
        with self.lock:
            while not ready():
                if not self._fire_next(limit_ms):
                    self._move_to(max(limit_ms, self._now_ms))
                    return ready()
            return True

    def call_at_ms(self, due_ms: int, callback: Callback) -> Deadline:
        """Schedule ``callback`` at ``due_ms`` (epoch milliseconds); returns its handle."""
        self._seq += 1
        deadline = Deadline(due_ms, self._seq, callback)
        heapq.heappush(self._heap, deadline)
        return deadline

    def call_later(self, seconds: float | timedelta, callback: Callback) -> Deadline:
        """Schedule ``callback`` ``seconds`` (or a timedelta) from now; returns its handle."""
        return self.call_at_ms(self._now_ms + _duration_millis(seconds, "call_later"), callback)

    def due_first(self) -> list[Deadline]:
        """The pending deadlines due at the earliest moment, in the order they would fire."""
        self._drop_cancelled()
        if not self._heap:
            return []
        due_ms = self._heap[0].due_ms
        return sorted(d for d in self._heap if d.due_ms == due_ms and not d.cancelled)

    def fire_first(self, deadline: Deadline) -> None:
        """Fire ``deadline``, one of :meth:`due_first`, before the others due with it.

        Schedule explorers use this to try every order of events due at one instant; the clock
        moves to the deadline's moment if it is later than now.
        """
        with self.lock:
            deadline.seq = min(d.seq for d in self._heap) - 1
            heapq.heapify(self._heap)
            self._fire_next(deadline.due_ms)

    def next_deadline_ms(self) -> int | None:
        """When the earliest pending deadline is due, or None (also when none can ever fire,
        all being due past the end of time)."""
        self._drop_cancelled()
        return self._heap[0].due_ms if self._heap and self._heap[0].due_ms <= END_MS else None

    def pending_deadlines(self) -> int:
        """How many deadlines are pending (cancelled ones excluded)."""
        return sum(1 for d in self._heap if not d.cancelled)

    def set_error_handler(self, handler: Callable[[Exception], bool]) -> None:
        """Give errors raised by deadline callbacks to ``handler``; unhandled ones propagate."""
        self._error_handler = handler

    def add_listener(self, listener: Callable[[int, int], None]) -> None:
        """Call ``listener(old_ms, new_ms)`` whenever time moves forward."""
        self._listeners.append(listener)

    def remove_listener(self, listener: Callable[[int, int], None]) -> None:
        """Stop calling a listener added with ``add_listener``."""
        self._listeners.remove(listener)

    def _fire_next(self, limit_ms: int) -> bool:
        self._drop_cancelled()
        if not self._heap or self._heap[0].due_ms > limit_ms:
            return False
        deadline = heapq.heappop(self._heap)
        self._move_to(max(deadline.due_ms, self._now_ms))
        try:
            deadline.callback()
        except Exception as error:
            if not self._error_handler(error):
                raise
        return True

    def _drop_cancelled(self) -> None:
        while self._heap and self._heap[0].cancelled:
            heapq.heappop(self._heap)

    def _move_to(self, target_ms: int) -> None:
        if target_ms == self._now_ms:
            return
        old, self._now_ms = self._now_ms, target_ms
        for listener in self._listeners:
            listener(old, target_ms)
        self.changed.notify_all()
