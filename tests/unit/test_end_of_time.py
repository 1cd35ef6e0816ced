"""The clock ends at the last millisecond of year 9999, and no input takes it past that or to
a time that is no number: the moves that would are refused, the waits that would stop there."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from swfsim import Simulator
from swfsim.clock import END_MS, VirtualClock, from_millis
from swfsim.waiting import Waiting

START = datetime(2026, 1, 1, tzinfo=timezone.utc)
NEAR_THE_END = datetime(9999, 12, 31, 23, 59, 30, tzinfo=timezone.utc)
POLL = {"domain": "late", "taskList": {"name": "work"}}
PAST_THE_END = r"past 9999-12-31T23:59:59\.999000\+00:00, the last moment the clock can show$"


def test_the_end_is_the_last_millisecond_a_datetime_shows() -> None:
    assert from_millis(END_MS) == datetime(9999, 12, 31, 23, 59, 59, 999000, timezone.utc)


@pytest.mark.parametrize("seconds", [1e308, 10**30, 253402300800])
def test_advancing_past_the_end_is_refused_and_changes_nothing(seconds: float) -> None:
    clock = VirtualClock(START)
    fired: list[int] = []
    clock.call_later(1, lambda: fired.append(1))
    with pytest.raises(ValueError, match=PAST_THE_END):
        clock.advance(seconds)
    with pytest.raises(ValueError, match=PAST_THE_END):
        clock.advance_to_ms(END_MS + 1)
    assert clock.now() == START
    assert fired == []


def test_the_clock_may_reach_the_end_itself() -> None:
    clock = VirtualClock(START)
    clock.advance_to_ms(END_MS)
    assert clock.now_ms() == END_MS


def test_deadlines_past_the_end_never_fire_and_are_not_next() -> None:
    clock = VirtualClock(NEAR_THE_END)
    fired: list[str] = []
    clock.call_later(10, lambda: fired.append("soon"))
    clock.call_later(timedelta(days=365), lambda: fired.append("never"))
    assert clock.skip_to_next_deadline()
    assert fired == ["soon"]
    assert clock.next_deadline_ms() is None
    assert not clock.skip_to_next_deadline()
    assert clock.run_until(lambda: False, END_MS + 10**9) is False
    assert clock.now_ms() == END_MS
    assert fired == ["soon"]
    assert clock.pending_deadlines() == 1


@pytest.mark.parametrize("rate", [float("inf"), float("nan"), 10**400, 0, -1])
def test_a_rate_must_be_positive_and_finite(rate: float) -> None:
    sim = Simulator(clock_mode="manual")
    with pytest.raises(ValueError, match="rate must be positive and finite"):
        sim.set_clock_mode("realtime", rate=rate)
    assert (sim.clock_mode.value, sim.waiting.rate) == ("manual", 1.0)


def test_a_huge_rate_runs_the_clock_to_the_end_and_stops_there() -> None:
    wall = [0.0]
    clock = VirtualClock(START)
    waiting = Waiting(clock, lambda: True, wall=lambda: wall[0])
    waiting.set_mode("realtime", rate=1e308)
    wall[0] = 1e6
    waiting.catch_up()
    assert clock.now_ms() == END_MS
    wall[0] = 2e6
    waiting.catch_up()
    assert clock.now_ms() == END_MS


@pytest.mark.parametrize("mode", ["auto", "manual", "realtime"])
def test_a_poll_at_the_end_of_time_returns_empty(mode: str) -> None:
    sim = Simulator(start=NEAR_THE_END, clock_mode=mode, rate=1e300)
    sim.handle("RegisterDomain", {"name": "late", "workflowExecutionRetentionPeriodInDays": "1"})
    sim.clock.advance_to_ms(END_MS)
    assert sim.handle("PollForActivityTask", POLL) == {"startedEventId": 0}
    assert sim.clock.now_ms() == END_MS


def test_an_auto_poll_near_the_end_stops_at_the_end() -> None:
    sim = Simulator(start=NEAR_THE_END)
    sim.handle("RegisterDomain", {"name": "late", "workflowExecutionRetentionPeriodInDays": "1"})
    assert sim.handle("PollForActivityTask", POLL) == {"startedEventId": 0}
    assert sim.clock.now_ms() == END_MS


def test_moving_back_before_year_1_names_the_milliseconds() -> None:
    clock = VirtualClock(START)
    with pytest.raises(
        ValueError, match=f"back from 2026-01-01T00:00:00\\+00:00 to {-(10**20)} epoch"
    ):
        clock.advance_to_ms(-(10**20))
    assert clock.now() == START
