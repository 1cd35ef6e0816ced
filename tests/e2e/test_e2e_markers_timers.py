"""Markers, and timers of a day that take seconds: the realtime clock jumps idle waits."""

from __future__ import annotations

from collections.abc import Callable

from e2e_helpers import (
    E2E,
    Event,
    attributes,
    markers,
    of_type,
    result,
    seconds_between,
    types,
    wall_clock,
)

DAY = 86400


def test_markers_are_recorded_and_listed(e2e: E2E) -> None:
    events = e2e.standalone("e2e_flows.MarkerWorkflow", "markers")

    assert markers(events) == [
        ("started", {"step": 1}),
        ("halfway", "some details"),
        ("finished", None),
    ]
    # list_markers() in the workflow saw them all, from the history replayed.
    assert result(events) == [
        ["finished", None],
        ["halfway", "some details"],
        ["started", {"step": 1}],
    ]
    # A marker makes no new event to decide on: simpleflow wakes itself with a 0 s timer.
    assert {t["timerId"] for t in of_type(events, "TimerStarted")} == {"_simpleflow_wake_up_timer"}


def test_a_one_day_timer_fires_in_seconds(e2e: E2E) -> None:
    with wall_clock() as elapsed:
        events = e2e.standalone(
            "e2e_flows.TimerWorkflow", "timers", "--execution-timeout", str(7 * DAY)
        )

    assert result(events) == 42
    started = {t["timerId"]: t for t in of_type(events, "TimerStarted")}
    assert started["one-day"]["startToFireTimeout"] == "86400"
    assert started["two-days"]["startToFireTimeout"] == "172800"
    assert started["one-hour"]["startToFireTimeout"] == "3600"
    fired = [t["timerId"] for t in of_type(events, "TimerFired")]
    # (simpleflow wakes itself up after a CancelTimer decision with a 0 s timer of its own)
    assert fired == ["one-day", "one-hour", "_simpleflow_wake_up_timer"]
    assert [t["timerId"] for t in of_type(events, "TimerCanceled")] == ["two-days"]
    assert "CancelTimerFailed" not in types(events)

    # A full virtual day between the timer's start and its firing...
    day = seconds_between(events, timer("TimerStarted", "one-day"), timer("TimerFired", "one-day"))
    assert round(day, 3) == DAY
    hour = seconds_between(
        events, timer("TimerStarted", "one-hour"), timer("TimerFired", "one-hour")
    )
    assert round(hour, 3) == 3600
    # ...and the whole run, simpleflow's start and shutdown included, in seconds of wall time
    # (the clock's rate alone, 30, would need 48 minutes for that day).
    assert elapsed() < 60


def timer(event_type: str, timer_id: str) -> Callable[[Event], bool]:
    return lambda event: (
        event["eventType"] == event_type and attributes(event)["timerId"] == timer_id
    )
