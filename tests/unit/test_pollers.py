"""run_pollers: users' own ``while True`` deciders and workers, in threads, in virtual time."""

from __future__ import annotations

import contextlib
import functools
import threading
import time
import traceback
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import boto3
import pytest
from botocore.config import Config

import swfsim
from swfsim import ClockMode, Simulator
from swfsim.demo import ORDER, run_demo
from swfsim.examples import order_workflow as app
from swfsim.harness import StuckRun
from swfsim.pollers import LoopFailed, StopPolling

START = datetime(2026, 1, 1, tzinfo=timezone.utc)
ORDER_ID = f"order-{ORDER['orderId']}"
ACTIVITIES = {"name": app.ACTIVITY_TASK_LIST}


class Order:
    """The bundled order workflow, started on a fresh Simulator behind mock_swf."""

    def __init__(self, sim: Simulator, flaky_charges: int = 1) -> None:
        self.sim = sim
        # One client for every loop: clients are thread-safe, creating them is not.
        self.swf: Any = boto3.client(
            "swf", region_name="us-east-1", config=Config(retries={"max_attempts": 0})
        )
        app.register(self.swf)
        app.start_order(self.swf, ORDER)
        self.decider = app.Decider(self.swf)
        self.worker = app.ActivityWorker(
            self.swf, app.order_activities(app.PaymentGateway(flaky_charges))
        )

    def decide_forever(self) -> None:
        while True:
            self.decider.poll_once()

    def work_forever(self) -> None:
        while True:
            self.worker.poll_once()

    def events(self) -> list[dict[str, Any]]:
        return self.sim.history(app.DOMAIN, ORDER_ID)

    def timed(self, event_type: str) -> list[tuple[timedelta, dict[str, Any]]]:
        """When (since the start) each event of a type happened, with its attributes."""
        return [
            (datetime.fromtimestamp(e["eventTimestamp"], timezone.utc) - START, e)
            for e in self.events()
            if e["eventType"] == event_type
        ]


@contextlib.contextmanager
def started_order(freeze_time: bool = False) -> Iterator[Order]:
    """The order started behind mock_swf; on exit, checks that no loop thread is left."""
    with swfsim.mock_swf(Simulator(seed=0, freeze_time=freeze_time)) as sim:
        yield Order(sim)
    for thread in threading.enumerate():
        if thread.name.startswith("swfsim loop"):
            thread.join(timeout=5)  # a loop a test released may still be on its way out
            assert not thread.is_alive(), f"{thread.name} was left running"


@pytest.fixture
def order() -> Iterator[Order]:
    with started_order() as started:
        yield started


def test_boto3_loops_run_the_order_through_its_3_day_timer_in_milliseconds() -> None:
    demo = run_demo(seed=0)  # the single-threaded driver of `swfsim demo`, for comparison
    with started_order() as order:
        began = time.perf_counter()
        report = swfsim.run_pollers(order.sim, order.decide_forever, order.work_forever)
        wall = time.perf_counter() - began

    assert report.closed == {ORDER_ID: "COMPLETED"}
    assert report.virtual_time == timedelta(days=3, seconds=10)
    assert (report.decisions, report.activities) == (6, 3)
    assert wall < 1.0  # about 20 ms on the development machine
    # The loops took turns as the single-threaded demo driver does: the same history.
    assert order.events() == demo.history
    assert order.sim.clock_mode is ClockMode.AUTO  # restored


def test_loops_read_virtual_time_and_its_jumps_spend_no_wall_budget() -> None:
    seen: list[datetime] = []
    with started_order(freeze_time=True) as order:

        def decider_noting_the_time() -> None:
            while True:
                if order.decider.poll_once():
                    seen.append(datetime.now(timezone.utc))  # freezegun: virtual time

        report = swfsim.run_pollers(order.sim, decider_noting_the_time, order.work_forever)

    assert report.closed == {ORDER_ID: "COMPLETED"}
    assert seen[-1] == START + timedelta(days=3, seconds=10)  # not stuck after a 30 s budget


def test_a_worker_that_drops_a_task_makes_it_time_out_and_the_decider_retries(
    order: Order,
) -> None:
    def crash_once_then_work() -> None:
        dropped = order.swf.poll_for_activity_task(domain=app.DOMAIN, taskList=ACTIVITIES)
        assert dropped["activityId"] == "charge-card-1"  # taken, never answered
        order.work_forever()

    order.worker.activities = app.order_activities(app.PaymentGateway(flaky_charges=0))
    report = swfsim.run_pollers(order.sim, order.decide_forever, crash_once_then_work)

    [(at, timed_out)] = order.timed("ActivityTaskTimedOut")
    assert at == timedelta(seconds=60)  # the type's defaultTaskStartToCloseTimeout
    assert timed_out["activityTaskTimedOutEventAttributes"]["timeoutType"] == "START_TO_CLOSE"
    retried_at, _ = order.timed("TimerFired")[0]
    assert retried_at == timedelta(seconds=70)  # after the decider's 10 s back-off
    assert report.closed == {ORDER_ID: "COMPLETED"}
    assert report.virtual_time == timedelta(days=3, seconds=70)


def test_tasks_on_a_list_no_loop_polls_are_reported_stuck(order: Order) -> None:
    def work_on_the_wrong_list() -> None:
        while True:
            order.swf.poll_for_activity_task(domain=app.DOMAIN, taskList={"name": "wrong"})

    with pytest.raises(StuckRun) as stuck:
        swfsim.run_pollers(order.sim, order.decide_forever, work_on_the_wrong_list)

    assert str(stuck.value) == "\n".join(
        [
            "nothing can progress (tasks wait where no loop polls):",
            "  1 activity task(s) wait on list 'order-activities' of domain 'orders-demo'",
            "  loop 'Order.decide_forever' waits in a poll on decision task list 'order-decisions'"
            " of domain 'orders-demo'",
            "  loop 'work_on_the_wrong_list' waits in a poll on activity task list 'wrong'"
            " of domain 'orders-demo'",
            "  open executions: order-1042",
        ]
    )
    assert order.sim.clock.now() == START  # stuck at once, without jumping over the timeouts


def test_wait_for_unserved_lets_unpolled_tasks_time_out(order: Order) -> None:
    report = swfsim.run_pollers(order.sim, order.decide_forever, wait_for_unserved=True)

    timeouts = order.timed("ActivityTaskTimedOut")
    # Each charge times out SCHEDULE_TO_START (300 s); back-offs of 10 s and 20 s between.
    assert [at.total_seconds() for at, _ in timeouts] == [300, 610, 930]
    assert report.closed == {ORDER_ID: "FAILED"}


def test_an_exception_in_a_loop_surfaces_in_the_caller_with_its_traceback(order: Order) -> None:
    def broken_decider() -> None:
        while True:
            task = order.swf.poll_for_decision_task(
                domain=app.DOMAIN, taskList={"name": app.DECISION_TASK_LIST}
            )
            if "taskToken" in task:
                raise KeyError("orderId")

    with pytest.raises(LoopFailed, match="poll loop 'broken_decider' raised KeyError") as failed:
        swfsim.run_pollers(order.sim, broken_decider, order.work_forever)

    assert failed.value.loop == "broken_decider"
    cause = failed.value.__cause__
    assert isinstance(cause, KeyError)
    frames = [frame.name for frame in traceback.extract_tb(cause.__traceback__)]
    assert frames[-1] == "broken_decider"
    # The worker loop was stopped too (the fixture checks that no loop thread is left).


def test_a_loop_that_catches_every_exception_still_stops(order: Order) -> None:
    caught: list[Exception] = []

    def resilient_worker() -> None:
        while True:
            try:
                order.worker.poll_once()
            except Exception as error:  # log and poll again: StopPolling is not an Exception
                caught.append(error)

    report = swfsim.run_pollers(order.sim, order.decide_forever, resilient_worker)

    assert report.closed == {ORDER_ID: "COMPLETED"}
    assert caught == []


def test_until_stops_at_a_virtual_moment_and_a_later_call_carries_on(order: Order) -> None:
    first = swfsim.run_pollers(
        order.sim, order.decide_forever, order.work_forever, until=timedelta(days=1)
    )
    assert first.closed == {}
    assert order.sim.clock.now() == START + timedelta(days=1)  # inside the return window

    second = swfsim.run_pollers(order.sim, order.decide_forever, order.work_forever)
    assert second.closed == {ORDER_ID: "COMPLETED"}
    assert second.virtual_time == timedelta(days=2, seconds=10)


def test_a_loop_that_never_polls_is_reported_after_the_wall_timeout(order: Order) -> None:
    release = threading.Event()

    def waits_for_something_else() -> None:
        release.wait(5)

    try:
        with pytest.raises(StuckRun) as stuck:
            swfsim.run_pollers(
                order.sim, order.decide_forever, waits_for_something_else, timeout=0.05
            )
    finally:
        release.set()

    message = str(stuck.value)
    assert message.startswith(
        "nothing can progress (the loops did not settle within 0.05 s of wall time):"
    )
    assert "  loop 'waits_for_something_else' is running its own code (not in a poll)" in message


def test_a_loop_that_swallows_stop_polling_is_reported(order: Order) -> None:
    release = threading.Event()

    def stubborn_worker() -> None:
        try:
            order.work_forever()
        except StopPolling:
            release.wait(5)  # goes on with something else instead of ending

    try:
        with pytest.raises(StuckRun, match="poll loop\\(s\\) 'stubborn_worker' did not end"):
            swfsim.run_pollers(order.sim, order.decide_forever, stubborn_worker, timeout=0.1)
    finally:
        release.set()


def test_loops_are_named_after_their_functions_and_repeated_names_numbered(order: Order) -> None:
    def idle_on(task_list: str) -> None:
        while True:
            order.swf.poll_for_activity_task(domain=app.DOMAIN, taskList={"name": task_list})

    with pytest.raises(StuckRun) as stuck:
        swfsim.run_pollers(
            order.sim, functools.partial(idle_on, "a"), functools.partial(idle_on, "b")
        )
    assert "loop 'idle_on#1' waits in a poll on activity task list 'a'" in str(stuck.value)
    assert "loop 'idle_on#2' waits in a poll on activity task list 'b'" in str(stuck.value)


def test_run_pollers_needs_a_loop() -> None:
    with pytest.raises(ValueError, match="at least one loop"):
        swfsim.run_pollers(Simulator())
