"""The realtime clock's settling moment (``Server(settle_seconds=...)``, ``serve --settle``).

Real clients have gaps between two calls (a decider polls again once it has answered; a worker
process makes its first poll a moment after it starts). A realtime clock that jumps whenever
every request in flight is a waiting poll would jump over those gaps: simpleflow's worker,
polling a moment late, found its activity task timed out. After each answer (an empty poll's
excepted) and after each jump, the clock holds still for the settling time before it jumps.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from srv_helpers import ACTIVITIES, ACTIVITY, DECISIONS, DOMAIN, register_basics, start, swf_ok

from swfsim.options import Options
from swfsim.server import Server
from swfsim.simulator import Simulator

SETTLE = 0.4


@pytest.fixture(params=[0.0, SETTLE], ids=["no-settle", "settle"])
def realtime(request: pytest.FixtureRequest) -> Iterator[Server]:
    def simulator() -> Simulator:
        # Short polls: without a run open, an empty poll waits its whole timeout.
        options = Options(poll_timeout_seconds=2)
        return Simulator(clock_mode="realtime", journal=True, options=options)

    running = Server(simulator, settle_seconds=request.param).start()
    try:
        yield running
    finally:
        running.stop()


def schedule_activity(url: str, workflow_id: str) -> None:
    start(url, workflow_id)
    task = swf_ok(url, "PollForDecisionTask", {"domain": DOMAIN, "taskList": DECISIONS})
    schedule = {
        "decisionType": "ScheduleActivityTask",
        "scheduleActivityTaskDecisionAttributes": {"activityId": "a1", "activityType": ACTIVITY},
    }
    swf_ok(
        url,
        "RespondDecisionTaskCompleted",
        {"taskToken": task["taskToken"], "decisions": [schedule]},
    )


def test_a_worker_polling_a_moment_late_still_gets_its_task(realtime: Server) -> None:
    url = realtime.url
    register_basics(url)
    # A decider waits in a poll, as simpleflow's do; the worker is not polling yet.
    waiting_decider = threading.Thread(
        target=swf_ok,
        args=(url, "PollForDecisionTask", {"domain": DOMAIN, "taskList": {"name": "idle"}}),
        daemon=True,
    )
    schedule_activity(url, "late-worker")
    waiting_decider.start()
    time.sleep(SETTLE / 4)  # the worker's first poll comes a moment later

    task = swf_ok(url, "PollForActivityTask", {"domain": DOMAIN, "taskList": ACTIVITIES})

    if realtime.endpoint.settle_seconds:
        assert task.get("activityId") == "a1"  # the clock waited for it
    else:
        # Without settling, the clock jumped to the activity's schedule-to-start timeout
        # (300 s) while only the decider's poll was in flight.
        assert "taskToken" not in task
    waiting_decider.join(timeout=10)


def test_settling_delays_a_jump_by_its_length_only(realtime: Server) -> None:
    url = realtime.url
    register_basics(url)
    start(url, "sleepy", executionStartToCloseTimeout="172800")
    task = swf_ok(url, "PollForDecisionTask", {"domain": DOMAIN, "taskList": DECISIONS})
    timer = {
        "decisionType": "StartTimer",
        "startTimerDecisionAttributes": {"timerId": "day", "startToFireTimeout": "86400"},
    }
    swf_ok(
        url, "RespondDecisionTaskCompleted", {"taskToken": task["taskToken"], "decisions": [timer]}
    )
    answered = time.monotonic()

    fired = swf_ok(url, "PollForDecisionTask", {"domain": DOMAIN, "taskList": DECISIONS})

    waited = time.monotonic() - answered
    assert [event["eventType"] for event in fired["events"][-3:]] == [
        "TimerFired",
        "DecisionTaskScheduled",
        "DecisionTaskStarted",
    ]
    settle = realtime.endpoint.settle_seconds
    assert settle * 0.9 <= waited < settle + 3
