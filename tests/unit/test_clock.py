"""The virtual clock: deadlines fire in order, ties by creation, time never runs backwards."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from swfsim.clock import VirtualClock, from_millis, to_millis

START = datetime(2026, 1, 1, tzinfo=timezone.utc)


def test_now_starts_at_start_and_is_aware_utc() -> None:
    clock = VirtualClock(START)
    assert clock.now() == START
    assert clock.now().tzinfo is not None


def test_advance_fires_due_deadlines_earliest_first_ties_in_creation_order() -> None:
    clock = VirtualClock(START)
    fired: list[tuple[str, datetime]] = []
    for name, seconds in (("late", 30), ("tie-1", 10), ("early", 5), ("tie-2", 10)):
        clock.call_later(seconds, lambda n=name: fired.append((n, clock.now())))
    clock.advance(timedelta(seconds=20))
    assert [name for name, _ in fired] == ["early", "tie-1", "tie-2"]
    assert fired[0][1] == START + timedelta(seconds=5)  # a callback sees its own due time
    assert clock.now() == START + timedelta(seconds=20)
    clock.advance(10)
    assert fired[-1] == ("late", START + timedelta(seconds=30))


def test_cancelled_deadline_never_fires() -> None:
    clock = VirtualClock(START)
    fired: list[int] = []
    deadline = clock.call_later(1, lambda: fired.append(1))
    deadline.cancel()
    clock.advance(5)
    assert fired == []
    assert clock.next_deadline_ms() is None


def test_a_deadline_scheduled_by_a_callback_fires_in_the_same_advance() -> None:
    clock = VirtualClock(START)
    fired: list[str] = []
    clock.call_later(1, lambda: clock.call_later(1, lambda: fired.append("chained")))
    clock.advance(3)
    assert fired == ["chained"]


def test_time_never_runs_backwards() -> None:
    clock = VirtualClock(START)
    with pytest.raises(ValueError, match="backwards"):
        clock.advance(-1)
    with pytest.raises(ValueError, match="back from"):
        clock.advance_to(START - timedelta(seconds=1))


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        VirtualClock(datetime(2026, 1, 1))


@pytest.mark.parametrize("duration", ["3 days", None, True, [60]])
def test_advance_names_the_types_it_takes(duration: Any) -> None:
    clock = VirtualClock(START)
    with pytest.raises(TypeError) as raised:
        clock.advance(duration)
    message = str(raised.value)
    assert message.startswith(
        "advance() takes seconds (an int or float) or a datetime.timedelta, not "
        f"{type(duration).__name__} {duration!r}"
    )
    assert clock.now() == START  # refused, not half-applied


def test_advance_refuses_nan_and_infinity() -> None:
    clock = VirtualClock(START)
    for duration in (float("nan"), float("inf")):
        with pytest.raises(ValueError, match=r"advance\(\) takes a finite number of seconds"):
            clock.advance(duration)


def test_the_other_clock_methods_name_what_they_take() -> None:
    clock = VirtualClock(START)
    with pytest.raises(TypeError, match=r"^advance_to\(\) takes an aware datetime, not str "):
        clock.advance_to("2030-01-01T00:00:00Z")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^advance_to_ms\(\) takes epoch milliseconds as an int"):
        clock.advance_to_ms(1.5e12)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^call_later\(\) takes seconds .* not str '1 hour'"):
        clock.call_later("1 hour", lambda: None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="expected an aware datetime, not str '2030-01-01'"):
        to_millis("2030-01-01")  # type: ignore[arg-type]
    # A timedelta is as good as seconds everywhere a span is taken.
    clock.call_later(timedelta(minutes=1), lambda: None)
    assert clock.next_deadline_ms() == to_millis(START) + 60_000


def test_run_until_stops_at_the_deadline_that_makes_it_ready() -> None:
    clock = VirtualClock(START)
    ready: list[bool] = []
    clock.call_later(10, lambda: None)
    clock.call_later(20, lambda: ready.append(True))
    clock.call_later(30, lambda: None)
    assert clock.run_until(lambda: bool(ready), clock.now_ms() + 60_000)
    assert clock.now() == START + timedelta(seconds=20)


def test_run_until_moves_to_the_limit_when_nothing_becomes_ready() -> None:
    clock = VirtualClock(START)
    clock.call_later(90, lambda: None)
    assert not clock.run_until(lambda: False, clock.now_ms() + 60_000)
    assert clock.now() == START + timedelta(seconds=60)
    assert clock.next_deadline_ms() == to_millis(START) + 90_000


def test_skip_to_next_deadline() -> None:
    clock = VirtualClock(START)
    assert not clock.skip_to_next_deadline()
    clock.call_later(3 * 86400, lambda: None)
    assert clock.skip_to_next_deadline()
    assert clock.now() == START + timedelta(days=3)


def test_listeners_see_every_move() -> None:
    clock = VirtualClock(START)
    moves: list[tuple[int, int]] = []
    clock.add_listener(lambda old, new: moves.append((old, new)))
    clock.advance(1.5)
    assert moves == [(to_millis(START), to_millis(START) + 1500)]


def test_millis_round_trip() -> None:
    moment = datetime(2017, 2, 23, 12, 12, 43, 534000, tzinfo=timezone.utc)
    assert from_millis(to_millis(moment)) == moment
