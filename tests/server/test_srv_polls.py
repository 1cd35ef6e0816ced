"""Many concurrent long polls over HTTP, in the manual and realtime clock modes."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable

import pytest
from srv_helpers import (
    DECISIONS,
    DOMAIN,
    EMPTY_POLL,
    Reply,
    admin_ok,
    register_basics,
    start,
    swf,
    swf_ok,
    wait_until,
)

from swfsim.server import Server

POLLERS = 20
START_MS = 1767225600000  # 2026-01-01T00:00:00Z, where the Simulator's clock starts


def waiting(server: Server) -> Callable[[], int]:
    """How many polls wait in the server's Simulator right now."""
    return lambda: server.endpoint.simulator.waiting.traffic.waiting


def start_pollers(
    url: str, operation: str, task_list: dict[str, str]
) -> tuple[list[threading.Thread], list[Reply]]:
    replies: list[Reply] = []
    lock = threading.Lock()

    def poll(number: int) -> None:
        params = {"domain": DOMAIN, "taskList": task_list, "identity": f"poller-{number}"}
        reply = swf(url, operation, params, timeout=30)
        with lock:
            replies.append(reply)

    threads = [threading.Thread(target=poll, args=(n,), daemon=True) for n in range(POLLERS)]
    for thread in threads:
        thread.start()
    return threads, replies


def join(threads: list[threading.Thread]) -> None:
    deadline = time.monotonic() + 20
    for thread in threads:
        thread.join(timeout=max(deadline - time.monotonic(), 0))
    assert not any(thread.is_alive() for thread in threads)


@pytest.mark.clock_mode("manual")
def test_manual_clock_releases_every_waiting_poll_at_expiry(server: Server) -> None:
    register_basics(server.url)
    threads, replies = start_pollers(server.url, "PollForDecisionTask", DECISIONS)
    wait_until(lambda: waiting(server)() == POLLERS, what="20 polls waiting")

    # Half a minute is not their 60 s expiry: they all keep waiting.
    clock = admin_ok(server.url, "POST", "clock/advance", {"seconds": 30})
    assert clock["mode"] == "manual"
    time.sleep(0.05)
    assert waiting(server)() == POLLERS
    assert not replies

    # Another half releases them all, with the empty form.
    admin_ok(server.url, "POST", "clock/advance", {"seconds": 30})
    join(threads)
    assert len(replies) == POLLERS
    assert {(reply.status, reply.body) for reply in replies} == {(200, EMPTY_POLL)}
    assert admin_ok(server.url, "GET", "clock")["epochMillis"] == START_MS + 60_000


@pytest.mark.clock_mode("manual")
def test_manual_clock_activity_pollers_and_one_task(server: Server) -> None:
    register_basics(server.url)
    run_id = start(server.url, "manual-1")
    threads, replies = start_pollers(server.url, "PollForDecisionTask", DECISIONS)
    # The run's first decision task was waiting already: exactly one poller gets it at once.
    wait_until(lambda: len(replies) == 1 and waiting(server)() == POLLERS - 1, what="one task")
    task = replies[0].json()
    assert task["workflowExecution"] == {"workflowId": "manual-1", "runId": run_id}
    assert task["startedEventId"] == 3
    admin_ok(server.url, "POST", "clock/advance", {"seconds": 60})
    join(threads)
    assert sorted(reply.body for reply in replies[1:]) == [EMPTY_POLL] * (POLLERS - 1)


@pytest.mark.clock_mode("realtime")
def test_realtime_a_new_task_goes_to_exactly_one_waiting_poll(server: Server) -> None:
    register_basics(server.url)
    threads, replies = start_pollers(server.url, "PollForDecisionTask", DECISIONS)
    wait_until(lambda: waiting(server)() == POLLERS, what="20 polls waiting")
    assert not replies  # no run is open: the realtime clock does not jump

    run_id = start(server.url, "realtime-1")
    wait_until(lambda: len(replies) == 1, what="the task handed to one poll")
    task = replies[0].json()
    assert task["workflowExecution"] == {"workflowId": "realtime-1", "runId": run_id}
    assert [event["eventType"] for event in task["events"]] == [
        "WorkflowExecutionStarted",
        "DecisionTaskScheduled",
        "DecisionTaskStarted",
    ]
    identity = task["events"][-1]["decisionTaskStartedEventAttributes"]["identity"]
    assert identity.startswith("poller-")
    # The task is in a worker's hands: no jump, the others go on waiting in wall time.
    time.sleep(0.05)
    assert (len(replies), waiting(server)()) == (1, POLLERS - 1)

    admin_ok(server.url, "POST", "clock/advance", {"seconds": 60})
    join(threads)
    assert [reply.body for reply in replies[1:]] == [EMPTY_POLL] * (POLLERS - 1)
    described = swf_ok(
        server.url,
        "DescribeWorkflowExecution",
        {"domain": DOMAIN, "execution": {"workflowId": "realtime-1", "runId": run_id}},
    )
    assert described["openCounts"]["openDecisionTasks"] == 1


@pytest.mark.clock_mode("realtime")
def test_realtime_jumps_a_day_long_timer_when_every_client_waits(server: Server) -> None:
    register_basics(server.url)
    run_id = start(server.url, "sleepy", executionStartToCloseTimeout="172800")
    task = swf_ok(server.url, "PollForDecisionTask", {"domain": DOMAIN, "taskList": DECISIONS})
    swf_ok(
        server.url,
        "RespondDecisionTaskCompleted",
        {
            "taskToken": task["taskToken"],
            "decisions": [
                {
                    "decisionType": "StartTimer",
                    "startTimerDecisionAttributes": {
                        "timerId": "day",
                        "startToFireTimeout": "86400",
                    },
                }
            ],
        },
    )
    before = time.monotonic()
    fired = swf_ok(server.url, "PollForDecisionTask", {"domain": DOMAIN, "taskList": DECISIONS})
    assert time.monotonic() - before < 5
    assert [event["eventType"] for event in fired["events"][-3:]] == [
        "TimerFired",
        "DecisionTaskScheduled",
        "DecisionTaskStarted",
    ]
    assert fired["workflowExecution"]["runId"] == run_id
    clock = admin_ok(server.url, "GET", "clock")
    assert clock["mode"] == "realtime"
    assert clock["epochMillis"] >= START_MS + 86_400_000


@pytest.mark.clock_mode("realtime", rate=1.0)
def test_realtime_pollers_on_many_lists_with_tasks_for_some(server: Server) -> None:
    register_basics(server.url)
    replies: dict[str, Reply] = {}
    lock = threading.Lock()

    def poll(name: str) -> None:
        reply = swf(
            server.url,
            "PollForDecisionTask",
            {"domain": DOMAIN, "taskList": {"name": name}},
            timeout=30,
        )
        with lock:
            replies[name] = reply

    names = [f"list-{n}" for n in range(10)]
    threads = [threading.Thread(target=poll, args=(name,), daemon=True) for name in names]
    for thread in threads:
        thread.start()
    wait_until(lambda: waiting(server)() == len(names), what="10 polls waiting")
    for name in names[:3]:
        start(server.url, f"on-{name}", taskList={"name": name})
    wait_until(lambda: len(replies) == 3, what="three tasks handed out")
    assert sorted(replies) == names[:3]
    for name in names[:3]:
        assert json.loads(replies[name].body)["workflowExecution"]["workflowId"] == f"on-{name}"
    admin_ok(server.url, "POST", "clock/advance", {"seconds": 60})
    join(threads)
    assert {replies[name].body for name in names[3:]} == {EMPTY_POLL}
