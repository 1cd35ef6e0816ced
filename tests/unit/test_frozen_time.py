"""The freezegun bridge: the code under test reads virtual time."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import boto3
from freezegun import freeze_time

import swfsim
from swfsim import Simulator


def test_frozen_time_follows_the_virtual_clock() -> None:
    sim = Simulator(start=datetime(2030, 5, 1, tzinfo=timezone.utc))
    with sim.frozen_time():
        assert datetime.now(timezone.utc) == sim.clock.now()
        assert time.time() == sim.clock.now().timestamp()
        before = time.monotonic()
        sim.clock.advance(timedelta(days=3))
        assert datetime.now(timezone.utc) == datetime(2030, 5, 4, tzinfo=timezone.utc)
        assert time.monotonic() - before == 3 * 86400
    assert datetime.now(timezone.utc).year < 2030  # the real clock is back


def test_mock_swf_freezes_time_for_a_simulator_that_asks_for_it() -> None:
    sim = Simulator(start=datetime(2031, 1, 1, tzinfo=timezone.utc), freeze_time=True)
    with swfsim.mock_swf(sim):
        swf = boto3.client("swf")
        swf.register_domain(name="d", workflowExecutionRetentionPeriodInDays="1")
        swf.poll_for_activity_task(domain="d", taskList={"name": "idle"})  # waits 60 s
        assert datetime.now(timezone.utc) == datetime(2031, 1, 1, 0, 1, tzinfo=timezone.utc)
    assert datetime.now(timezone.utc).year < 2031


def test_each_operation_follows_a_users_freeze_forward_firing_what_is_due() -> None:
    sim = Simulator(start=datetime(2026, 1, 1, tzinfo=timezone.utc))
    sim.handle("RegisterDomain", {"name": "d", "workflowExecutionRetentionPeriodInDays": "7"})
    sim.handle("RegisterWorkflowType", {
        "domain": "d", "name": "w", "version": "1", "defaultTaskList": {"name": "l"},
        "defaultExecutionStartToCloseTimeout": "3600", "defaultTaskStartToCloseTimeout": "30",
        "defaultChildPolicy": "TERMINATE",
    })  # fmt: skip
    sim.handle("StartWorkflowExecution", {
        "domain": "d", "workflowId": "w-1", "workflowType": {"name": "w", "version": "1"},
    })  # fmt: skip
    with freeze_time("2026-01-03"):
        assert sim.clock.now() == datetime(2026, 1, 1, tzinfo=timezone.utc)  # no operation yet
        sim.handle("ListDomains", {"registrationStatus": "REGISTERED"})
        assert sim.clock.now() == datetime(2026, 1, 3, tzinfo=timezone.utc)
    timed_out = sim.history("d", "w-1")[-1]
    assert timed_out["eventType"] == "WorkflowExecutionTimedOut"
    assert timed_out["eventTimestamp"] == datetime(2026, 1, 1, 1, tzinfo=timezone.utc).timestamp()
    with freeze_time("2026-01-02"):  # earlier than the clock: ignored
        sim.handle("ListDomains", {"registrationStatus": "REGISTERED"})
    assert sim.clock.now() == datetime(2026, 1, 3, tzinfo=timezone.utc)


def test_without_a_start_a_simulator_starts_at_a_users_freeze() -> None:
    with freeze_time("2015-06-01 08:30:00"):
        assert Simulator().clock.now() == datetime(2015, 6, 1, 8, 30, tzinfo=timezone.utc)
        assert Simulator(start=datetime(2030, 1, 1, tzinfo=timezone.utc)).clock.now().year == 2030
    assert Simulator().clock.now() == datetime(2026, 1, 1, tzinfo=timezone.utc)


def test_the_bridge_is_not_taken_for_a_users_freeze() -> None:
    sim = Simulator(start=datetime(2030, 5, 1, tzinfo=timezone.utc))
    with sim.frozen_time():
        assert Simulator().clock.now() == datetime(2026, 1, 1, tzinfo=timezone.utc)
