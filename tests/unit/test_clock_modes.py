"""Clock modes: auto jumps, manual waits for whoever moves time, realtime follows the wall."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from swfsim import ClockMode, Simulator
from swfsim.clock import VirtualClock
from swfsim.waiting import Waiting

START = datetime(2026, 1, 1, tzinfo=timezone.utc)
POLL = {"domain": "modes", "taskList": {"name": "work"}}


def _wait_until(condition: Callable[[], bool]) -> None:
    """Wait (bounded) for another thread to reach a state; fails rather than hangs."""
    deadline = time.monotonic() + 5
    while not condition():
        assert time.monotonic() < deadline, "the other thread never got there"
        threading.Event().wait(0.001)


def _simulator(mode: str) -> Simulator:
    sim = Simulator(seed=1, clock_mode=mode)
    sim.handle("RegisterDomain", {"name": "modes", "workflowExecutionRetentionPeriodInDays": "1"})
    return sim


def _poll_in_thread(sim: Simulator) -> tuple[threading.Thread, list[dict[str, Any]]]:
    answers: list[dict[str, Any]] = []
    thread = threading.Thread(
        target=lambda: answers.append(sim.handle("PollForActivityTask", POLL))
    )
    thread.start()
    _wait_until(lambda: sim.waiting.traffic.waiting == 1)
    return thread, answers


def test_auto_mode_answers_an_empty_poll_after_60_virtual_seconds() -> None:
    sim = _simulator("auto")
    assert sim.handle("PollForActivityTask", POLL) == {"startedEventId": 0}
    assert sim.clock.now() == START + timedelta(seconds=60)


def test_manual_mode_poll_waits_until_someone_moves_time_past_its_expiry() -> None:
    sim = _simulator("manual")
    thread, answers = _poll_in_thread(sim)
    sim.clock.advance(30)
    assert thread.is_alive()  # 30 s in: still waiting
    assert not answers
    sim.clock.advance(30)
    thread.join(timeout=5)
    assert answers == [{"startedEventId": 0}]
    assert sim.clock.now() == START + timedelta(seconds=60)


def test_switching_a_live_simulator_to_auto_releases_a_manual_poll() -> None:
    sim = _simulator("manual")
    thread, answers = _poll_in_thread(sim)
    sim.set_clock_mode("auto")
    thread.join(timeout=5)
    assert answers == [{"startedEventId": 0}]
    assert sim.clock_mode is ClockMode.AUTO


class _FakeWall:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_realtime_follows_the_wall_clock_at_its_rate() -> None:
    clock, wall = VirtualClock(START), _FakeWall()
    waiting = Waiting(clock, may_jump=lambda: False, wall=wall)
    waiting.set_mode(ClockMode.REALTIME, rate=60)
    wall.now += 2.5
    waiting.catch_up()
    assert clock.now() == START + timedelta(seconds=150)


def test_realtime_jumps_to_the_next_deadline_when_everyone_waits_and_no_task_is_held() -> None:
    clock, wall = VirtualClock(START), _FakeWall()
    waiting = Waiting(clock, may_jump=lambda: True, wall=wall)
    waiting.set_mode(ClockMode.REALTIME)
    fired: list[datetime] = []
    clock.call_later(86_400, lambda: fired.append(clock.now()))
    waiting.traffic.in_flight = 1  # this poll is the only request in flight
    with clock.lock:
        waiting.wait(lambda: bool(fired), clock.now_ms() + 2 * 86_400_000)
    assert fired == [START + timedelta(days=1)]


def test_rate_must_be_positive() -> None:
    with pytest.raises(ValueError, match="rate must be positive"):
        Simulator(clock_mode="realtime", rate=0)
    with pytest.raises(TypeError, match="rate must be a number, not str 'fast'"):
        Simulator(clock_mode="realtime", rate="fast")  # type: ignore[arg-type]


def test_an_unknown_mode_lists_the_modes() -> None:
    message = "clock mode 'fast' is not one of 'auto', 'manual', 'realtime'"
    with pytest.raises(ValueError, match=message):
        Simulator(clock_mode="fast")
    sim = Simulator()
    with pytest.raises(ValueError, match=message):
        sim.set_clock_mode("fast")
    assert sim.clock_mode == ClockMode.AUTO  # unchanged


def test_realtime_never_starves_a_poll_whose_task_is_ready() -> None:
    # A decider answers and long-polls again at once while a worker's poll waits: the woken
    # worker must get its task before anyone jumps time (regression: the task timed out).
    sim = Simulator(seed=1, clock_mode="realtime", rate=1000)
    sim.handle("RegisterDomain", {"name": "d", "workflowExecutionRetentionPeriodInDays": "1"})
    sim.handle(
        "RegisterWorkflowType",
        {
            "domain": "d",
            "name": "w",
            "version": "1",
            "defaultTaskList": {"name": "dec"},
            "defaultExecutionStartToCloseTimeout": "3600",
            "defaultTaskStartToCloseTimeout": "30",
            "defaultChildPolicy": "TERMINATE",
        },
    )
    sim.handle(
        "RegisterActivityType",
        {
            "domain": "d",
            "name": "a",
            "version": "1",
            "defaultTaskList": {"name": "act"},
            "defaultTaskScheduleToStartTimeout": "300",
            "defaultTaskScheduleToCloseTimeout": "600",
            "defaultTaskStartToCloseTimeout": "60",
            "defaultTaskHeartbeatTimeout": "NONE",
        },
    )
    sim.handle(
        "StartWorkflowExecution",
        {"domain": "d", "workflowId": "w1", "workflowType": {"name": "w", "version": "1"}},
    )
    task = sim.handle("PollForDecisionTask", {"domain": "d", "taskList": {"name": "dec"}})
    got: list[dict[str, Any]] = []
    worker = threading.Thread(
        target=lambda: got.append(
            sim.handle("PollForActivityTask", {"domain": "d", "taskList": {"name": "act"}})
        )
    )
    worker.start()
    _wait_until(lambda: sim.waiting.traffic.waiting == 1)
    schedule = {
        "decisionType": "ScheduleActivityTask",
        "scheduleActivityTaskDecisionAttributes": {
            "activityType": {"name": "a", "version": "1"},
            "activityId": "a1",
        },
    }
    sim.handle(
        "RespondDecisionTaskCompleted", {"taskToken": task["taskToken"], "decisions": [schedule]}
    )
    sim.handle("PollForDecisionTask", {"domain": "d", "taskList": {"name": "dec"}})
    worker.join(timeout=5)
    assert got[0]["activityId"] == "a1"
    kinds = [event["eventType"] for event in sim.history("d", "w1")]
    assert kinds[4:6] == ["ActivityTaskScheduled", "ActivityTaskStarted"]


def test_realtime_holds_still_for_the_settle_time_after_an_answer() -> None:
    clock, wall = VirtualClock(START), _FakeWall()
    waiting = Waiting(clock, may_jump=lambda: True, wall=wall)
    waiting.settle = 0.5
    waiting.set_mode(ClockMode.REALTIME)
    clock.call_later(86_400, lambda: None)
    waiting.traffic.in_flight = 1  # one request in flight: a poll that waits
    waiting.traffic.waiters.append(lambda: False)
    waiting.answered()  # a client was just answered: it may call again at any moment
    with clock.lock:
        waiting._realtime_step(clock.now_ms() + 60_000)  # waits out part of the hold
    assert clock.now() < START + timedelta(days=1)
    wall.now += 0.5  # the hold has passed without anyone calling
    with clock.lock:
        waiting._realtime_step(clock.now_ms() + 60_000)
    assert clock.now() == START + timedelta(days=1)
