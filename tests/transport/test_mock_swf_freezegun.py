"""Suites written for moto move time with freezegun; the Simulators follow it forward."""

from __future__ import annotations

import gc
import time
from datetime import datetime, timedelta, timezone
from typing import Any

import boto3
from freezegun import freeze_time

import swfsim
from swfsim import Simulator

EXECUTION = {"workflowId": "uid-abcd1234"}


def _client() -> Any:
    return boto3.client("swf", region_name="us-east-1")


def _setup_workflow(client: Any) -> None:
    """A domain, a workflow type with 5-minute decision tasks, and one started execution."""
    client.register_domain(name="test-domain", workflowExecutionRetentionPeriodInDays="60")
    client.register_workflow_type(
        domain="test-domain", name="test-workflow", version="v1.0",
        defaultTaskList={"name": "queue"}, defaultChildPolicy="TERMINATE",
        defaultTaskStartToCloseTimeout="300", defaultExecutionStartToCloseTimeout="7200",
    )  # fmt: skip
    client.register_activity_type(
        domain="test-domain", name="test-activity", version="v1.1",
        defaultTaskList={"name": "activity-task-list"}, defaultTaskHeartbeatTimeout="300",
        defaultTaskScheduleToStartTimeout="NONE", defaultTaskScheduleToCloseTimeout="NONE",
        defaultTaskStartToCloseTimeout="3600",
    )  # fmt: skip
    run_id = client.start_workflow_execution(
        domain="test-domain", workflowId="uid-abcd1234",
        workflowType={"name": "test-workflow", "version": "v1.0"},
    )["runId"]  # fmt: skip
    EXECUTION["runId"] = run_id


def _events(client: Any) -> list[dict[str, Any]]:
    history = client.get_workflow_execution_history(domain="test-domain", execution=EXECUTION)
    events: list[dict[str, Any]] = history["events"]
    return events


def _types(client: Any) -> list[str]:
    return [event["eventType"] for event in _events(client)]


@swfsim.mock_swf
def test_moto_style_freeze_blocks_fire_a_decision_task_timeout_at_its_moment() -> None:
    with freeze_time("2015-01-01 12:00:00"):
        client = _client()
        _setup_workflow(client)
        client.poll_for_decision_task(domain="test-domain", taskList={"name": "queue"})

    with freeze_time("2015-01-01 12:04:30"):
        assert _types(client) == [
            "WorkflowExecutionStarted",
            "DecisionTaskScheduled",
            "DecisionTaskStarted",
        ]

    with freeze_time("2015-01-01 12:05:30"):
        events = _events(client)
    assert [event["eventType"] for event in events][-2:] == [
        "DecisionTaskTimedOut",
        "DecisionTaskScheduled",
    ]
    # Fired at its own moment, 12:05:00, not when the test looked.
    assert events[-2]["eventTimestamp"] == datetime(2015, 1, 1, 12, 5, tzinfo=timezone.utc)
    assert swfsim.mock_swf.current().clock.now() == datetime(
        2015, 1, 1, 12, 5, 30, tzinfo=timezone.utc
    )


def test_tick_and_move_to_fire_a_heartbeat_timeout() -> None:
    with freeze_time("2015-01-01 12:00:00") as frozen, swfsim.mock_swf() as sim:
        assert sim.clock.now() == datetime(2015, 1, 1, 12, tzinfo=timezone.utc)
        client = _client()
        _setup_workflow(client)
        task = client.poll_for_decision_task(domain="test-domain", taskList={"name": "queue"})
        client.respond_decision_task_completed(
            taskToken=task["taskToken"],
            decisions=[
                {
                    "decisionType": "ScheduleActivityTask",
                    "scheduleActivityTaskDecisionAttributes": {
                        "activityId": "my-activity-001",
                        "activityType": {"name": "test-activity", "version": "v1.1"},
                    },
                }
            ],
        )
        client.poll_for_activity_task(domain="test-domain", taskList={"name": "activity-task-list"})
        frozen.tick(timedelta(minutes=4, seconds=30))
        assert _types(client)[-1] == "ActivityTaskStarted"
        frozen.move_to("2015-01-01 12:05:30")
        events = _events(client)
    timed_out = events[-2]
    assert timed_out["eventType"] == "ActivityTaskTimedOut"
    assert timed_out["activityTaskTimedOutEventAttributes"]["timeoutType"] == "HEARTBEAT"
    assert timed_out["eventTimestamp"] == datetime(2015, 1, 1, 12, 5, tzinfo=timezone.utc)


def test_the_clock_never_follows_a_freeze_backwards() -> None:
    start = datetime(2030, 1, 1, tzinfo=timezone.utc)
    with swfsim.mock_swf(start=start) as sim:
        client = _client()
        with freeze_time("2020-01-01"):
            client.register_domain(name="d", workflowExecutionRetentionPeriodInDays="1")
        assert sim.clock.now() == start
        with freeze_time("2030-01-02") as frozen:
            client.list_domains(registrationStatus="REGISTERED")
            assert sim.clock.now() == start + timedelta(days=1)
            frozen.move_to("2030-01-01 12:00")  # back: the clock stays
            client.list_domains(registrationStatus="REGISTERED")
            assert sim.clock.now() == start + timedelta(days=1)


def test_a_poll_may_run_the_clock_ahead_of_the_freeze() -> None:
    with freeze_time("2015-01-01 12:00:00") as frozen, swfsim.mock_swf() as sim:
        client = _client()
        client.register_domain(name="d", workflowExecutionRetentionPeriodInDays="1")
        client.poll_for_activity_task(domain="d", taskList={"name": "idle"})  # 60 s, virtual
        frozen.tick(30)  # still behind the clock: nothing moves
        client.list_domains(registrationStatus="REGISTERED")
        assert sim.clock.now() == datetime(2015, 1, 1, 12, 1, tzinfo=timezone.utc)


def test_a_freeze_that_ticks_on_every_read_is_not_ticked_by_swfsim() -> None:
    # Garbage collection off: once Hypothesis is loaded (tests/strategies), its gc callback reads
    # perf_counter, which ticks such a freeze whenever a collection happens to run.
    gc.disable()
    try:
        with freeze_time("2015-01-01", auto_tick_seconds=15), swfsim.mock_swf() as sim:
            client = _client()
            for _ in range(3):
                client.list_domains(registrationStatus="REGISTERED")
            assert sim.clock.now() == datetime(2015, 1, 1, tzinfo=timezone.utc)
            assert datetime.now(timezone.utc) == datetime(2015, 1, 1, tzinfo=timezone.utc)
    finally:
        gc.enable()


def test_freeze_time_true_under_a_user_freeze_shows_the_followed_clock() -> None:
    with freeze_time("2031-01-01") as frozen:
        sim = Simulator(freeze_time=True)  # starts at the frozen time
        with swfsim.mock_swf(sim):
            client = _client()
            client.register_domain(name="d", workflowExecutionRetentionPeriodInDays="1")
            frozen.tick(timedelta(minutes=10))
            client.list_domains(registrationStatus="REGISTERED")
            expected = datetime(2031, 1, 1, 0, 10, tzinfo=timezone.utc)
            assert sim.clock.now() == expected
            # The bridge's freeze, on top of the user's, shows the clock it follows.
            assert datetime.now(timezone.utc) == expected
            assert time.time() == expected.timestamp()
            # ... and is never read back: a poll's wait moves only the virtual clock.
            client.poll_for_activity_task(domain="d", taskList={"name": "idle"})
            assert datetime.now(timezone.utc) == expected + timedelta(minutes=1)


def test_a_user_freeze_inside_freeze_time_true_leads_then_the_bridge_shows_the_clock() -> None:
    sim = Simulator(start=datetime(2031, 1, 1, tzinfo=timezone.utc), freeze_time=True)
    with swfsim.mock_swf(sim):
        client = _client()
        with freeze_time("2031-01-02"):
            client.list_domains(registrationStatus="REGISTERED")
        assert sim.clock.now() == datetime(2031, 1, 2, tzinfo=timezone.utc)
        assert datetime.now(timezone.utc) == datetime(2031, 1, 2, tzinfo=timezone.utc)
    assert datetime.now(timezone.utc).year < 2031
