"""The freezegun bridge: the code under test reads virtual time."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import boto3

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
