"""The admin API over HTTP, the admin commands of the CLI, and ``swfsim serve`` as a process."""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from srv_helpers import (
    ACTIVITIES,
    ACTIVITY,
    DECISIONS,
    DOMAIN,
    SIGNED,
    admin,
    admin_ok,
    history,
    host_port,
    register_basics,
    request,
    signature,
    start,
    swf,
    swf_ok,
)

import swfsim
from swfsim.cli import main
from swfsim.server import Server
from swfsim.simulator import Simulator

START_ISO = "2026-01-01T00:00:00+00:00"
START_MS = 1767225600000


def decide(url: str, task: dict[str, Any], *decisions: dict[str, Any]) -> None:
    swf_ok(
        url,
        "RespondDecisionTaskCompleted",
        {"taskToken": task["taskToken"], "decisions": list(decisions)},
    )


def schedule(activity_id: str) -> dict[str, Any]:
    return {
        "decisionType": "ScheduleActivityTask",
        "scheduleActivityTaskDecisionAttributes": {
            "activityType": ACTIVITY,
            "activityId": activity_id,
        },
    }


def timer(timer_id: str, seconds: int) -> dict[str, Any]:
    return {
        "decisionType": "StartTimer",
        "startTimerDecisionAttributes": {"timerId": timer_id, "startToFireTimeout": str(seconds)},
    }


def poll(url: str, operation: str, task_list: dict[str, str]) -> dict[str, Any]:
    task: dict[str, Any] = swf_ok(url, operation, {"domain": DOMAIN, "taskList": task_list})
    assert task.get("taskToken"), task
    return task


def halfway(url: str) -> dict[str, Any]:
    """Two runs part-way: one with an activity in a worker's hands and a timer running, one
    with a decision task started. Returns the outstanding tokens and run ids."""
    register_basics(url)
    first = start(url, "first", input="1")
    second = start(url, "second", input="2")
    decide(url, poll(url, "PollForDecisionTask", DECISIONS), schedule("a1"), timer("t1", 600))
    admin_ok(url, "POST", "clock/advance", {"seconds": 12.5})
    work = poll(url, "PollForActivityTask", ACTIVITIES)
    decision = poll(url, "PollForDecisionTask", DECISIONS)
    assert decision["workflowExecution"]["workflowId"] == "second"
    return {
        "runs": {"first": first, "second": second},
        "activityToken": work["taskToken"],
        "decisionToken": decision["taskToken"],
    }


def test_health_and_clock(server: Server) -> None:
    assert admin_ok(server.url, "GET", "health") == {"ok": True}
    assert admin_ok(server.url, "GET", "clock") == {
        "now": START_ISO,
        "epochMillis": START_MS,
        "mode": "auto",
        "rate": 1.0,
        "nextDeadline": None,
    }
    moved = admin_ok(server.url, "POST", "clock/advance", {"seconds": 90})
    assert (moved["epochMillis"], moved["now"]) == (START_MS + 90_000, "2026-01-01T00:01:30+00:00")
    moved = admin_ok(server.url, "POST", "clock/advance", {"to": "2026-01-02T00:00:00Z"})
    assert moved["epochMillis"] == START_MS + 86_400_000
    register_basics(server.url)
    start(server.url, "timed", executionStartToCloseTimeout="100")
    due = admin_ok(server.url, "GET", "clock")["nextDeadline"]
    assert due is not None
    assert due.startswith("2026-01-02T00:0")


def test_mode_switches_and_is_reported(server: Server) -> None:
    clock = admin_ok(server.url, "POST", "clock/mode", {"mode": "realtime", "rate": 60})
    assert (clock["mode"], clock["rate"]) == ("realtime", 60.0)
    assert server.endpoint.simulator.clock_mode.value == "realtime"
    clock = admin_ok(server.url, "POST", "clock/mode", {"mode": "manual"})
    assert (clock["mode"], clock["rate"]) == ("manual", 1.0)
    assert admin_ok(server.url, "GET", "clock")["mode"] == "manual"


def test_reset_forgets_everything(server: Server) -> None:
    register_basics(server.url)
    start(server.url, "gone")
    admin_ok(server.url, "POST", "clock/advance", {"seconds": 5})
    before = server.endpoint.simulator
    clock = admin_ok(server.url, "POST", "reset")
    assert clock["epochMillis"] == START_MS
    assert server.endpoint.simulator is not before
    listed = swf_ok(server.url, "ListDomains", {"registrationStatus": "REGISTERED"})
    assert listed == {"domainInfos": []}


def test_history_route_matches_the_api(server: Server) -> None:
    state = halfway(server.url)
    run_id = state["runs"]["first"]
    answer = admin_ok(server.url, "GET", f"history?domain={DOMAIN}&workflowId=first")
    api = json.loads(history(server.url, "first", run_id))
    assert answer == api
    by_run = admin_ok(server.url, "GET", f"history?domain={DOMAIN}&workflowId=first&runId={run_id}")
    assert by_run == api
    unknown = admin(server.url, "GET", f"history?domain={DOMAIN}&workflowId=first&runId=22nope=")
    assert unknown.status == 404


def test_snapshot_reset_restore_gives_back_the_same_state(server: Server) -> None:
    url = server.url
    state = halfway(url)
    runs = state["runs"]
    histories = {wid: history(url, wid, rid) for wid, rid in runs.items()}
    clock = admin_ok(url, "GET", "clock")
    snapshot = admin_ok(url, "GET", "snapshot")
    assert snapshot["format"] == "swfsim-snapshot/1"

    admin_ok(url, "POST", "reset")
    gone = swf(
        url,
        "GetWorkflowExecutionHistory",
        {"domain": DOMAIN, "execution": {"workflowId": "first", "runId": runs["first"]}},
    )
    assert gone.status == 400

    restored = admin_ok(url, "POST", "restore", snapshot)
    assert restored == clock
    assert {wid: history(url, wid, rid) for wid, rid in runs.items()} == histories
    # The tokens handed out before the snapshot still name the same tasks.
    swf_ok(
        url,
        "RespondActivityTaskCompleted",
        {"taskToken": state["activityToken"], "result": "after restore"},
    )
    decide(
        url,
        {"taskToken": state["decisionToken"]},
        {
            "decisionType": "CompleteWorkflowExecution",
            "completeWorkflowExecutionDecisionAttributes": {"result": "ok"},
        },
    )
    events = json.loads(history(url, "second", runs["second"]))["events"]
    assert events[-1]["eventType"] == "WorkflowExecutionCompleted"
    first = json.loads(history(url, "first", runs["first"]))["events"]
    assert [e["eventType"] for e in first[-2:]] == [
        "ActivityTaskCompleted",
        "DecisionTaskScheduled",
    ]

    # The state went on from the restored one: a second snapshot extends the first's journal.
    again = admin_ok(url, "GET", "snapshot")
    assert again["journal"][: len(snapshot["journal"])] == snapshot["journal"]
    assert len(again["journal"]) > len(snapshot["journal"])


def test_a_restored_world_replays_lambda_outcomes_and_keeps_the_servers_functions() -> None:
    calls: list[str | None] = []

    def shout(payload: str | None) -> str:
        calls.append(payload)
        return (payload or "").upper()

    def factory() -> Simulator:
        sim = Simulator(seed=0, journal=True, clock_mode="manual")
        sim.register_lambda("shout", shout, duration=30)
        return sim

    def invoke(lambda_id: str, payload: str) -> dict[str, Any]:
        attributes = {"id": lambda_id, "name": "shout", "input": payload}
        return {
            "decisionType": "ScheduleLambdaFunction",
            "scheduleLambdaFunctionDecisionAttributes": attributes,
        }

    server = Server(factory, with_s3=False).start()
    try:
        url = server.url
        register_basics(url)
        run_id = start(url, "loud", lambdaRole="arn:aws:iam::123456789012:role/swf-lambda")
        decide(url, poll(url, "PollForDecisionTask", DECISIONS), invoke("l1", "before"))
        snapshot = admin_ok(url, "GET", "snapshot")
        admin_ok(url, "POST", "restore", snapshot)  # replays l1's outcome: shout is not called
        admin_ok(url, "POST", "clock/advance", {"seconds": 30})
        decide(url, poll(url, "PollForDecisionTask", DECISIONS), invoke("l2", "after"))
        admin_ok(url, "POST", "clock/advance", {"seconds": 30})
        events = json.loads(history(url, "loud", run_id))["events"]
    finally:
        server.stop()
    results = [
        event["lambdaFunctionCompletedEventAttributes"]["result"]
        for event in events
        if event["eventType"] == "LambdaFunctionCompleted"
    ]
    assert results == ["BEFORE", "AFTER"]
    assert calls == ["before", "after"]


# ---- the CLI's admin commands -------------------------------------------------------------


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    capsys.readouterr()
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def test_cli_admin_commands(
    server: Server, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url = ["--endpoint", server.url]
    assert json.loads(cli(capsys, "clock", *url))["epochMillis"] == START_MS
    assert json.loads(cli(capsys, "advance", "--seconds", "1.5", *url))["epochMillis"] == (
        START_MS + 1500
    )
    moved = json.loads(cli(capsys, "advance", "--to", "2026-01-01T01:00:00Z", *url))
    assert moved["now"] == "2026-01-01T01:00:00+00:00"
    shown = json.loads(cli(capsys, "mode", "realtime", "--rate", "10", *url))
    assert (shown["mode"], shown["rate"]) == ("realtime", 10.0)
    assert json.loads(cli(capsys, "mode", *url)) == {"mode": "realtime", "rate": 10.0}
    assert json.loads(cli(capsys, "mode", "auto", *url))["mode"] == "auto"

    state = halfway(server.url)
    run_id = state["runs"]["first"]
    timeline = cli(capsys, "history", "--domain", DOMAIN, "--workflow-id", "first", *url)
    assert "WorkflowExecutionStarted" in timeline
    assert "ActivityTaskStarted" in timeline
    raw = cli(
        capsys,
        "history",
        "--domain",
        DOMAIN,
        "--workflow-id",
        "first",
        "--json",
        "--run-id",
        run_id,
        *url,
    )
    assert json.loads(raw) == json.loads(history(server.url, "first", run_id))["events"]

    saved = tmp_path / "state.json"
    assert cli(capsys, "snapshot", "-o", str(saved), *url) == ""
    printed = json.loads(cli(capsys, "snapshot", *url))
    assert printed == json.loads(saved.read_text())
    before = {wid: history(server.url, wid, rid) for wid, rid in state["runs"].items()}

    assert json.loads(cli(capsys, "reset", *url))["epochMillis"] == START_MS
    assert swf_ok(server.url, "ListDomains", {"registrationStatus": "REGISTERED"}) == {
        "domainInfos": []
    }
    restored = json.loads(cli(capsys, "restore", str(saved), *url))
    assert restored["epochMillis"] == START_MS + 3_600_000 + 12_500
    after = {wid: history(server.url, wid, rid) for wid, rid in state["runs"].items()}
    assert after == before


def fails(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """What a failing command prints: one line on stderr, nothing on stdout, exit status 2."""
    capsys.readouterr()
    assert main(list(argv)) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.endswith("\n")
    assert err.count("\n") == 1, err
    return err.rstrip("\n")


def test_cli_admin_errors(server: Server, capsys: pytest.CaptureFixture[str]) -> None:
    url = ["--endpoint", server.url]
    history_of = ["history", "--workflow-id", "nobody", *url]
    assert fails(capsys, *history_of, "--domain", "nope") == "swfsim: history: Unknown domain: nope"
    register_basics(server.url)
    assert fails(capsys, *history_of, "--domain", DOMAIN) == (
        "swfsim: history: Unknown execution: WorkflowExecution=[workflowId=nobody] in domain srv"
    )
    assert fails(capsys, "advance", "--to", "2030-01-01T00:00:00", *url) == (
        "swfsim: clock/advance: 'to' needs a time zone (e.g. 2030-01-01T00:00:00Z)"
    )
    assert fails(capsys, "mode", "--rate", "5", *url) == (
        "swfsim: --rate needs a mode (e.g. swfsim mode realtime --rate 60)"
    )
    nowhere = "http://127.0.0.1:9"
    routes = {"clock": "clock", "snapshot": "snapshot", "mode": "clock", "reset": "reset"}
    for command, route in routes.items():
        assert fails(capsys, command, "--endpoint", nowhere) == (
            f"swfsim: cannot reach {nowhere}/_swfsim/{route}: Connection refused "
            "(is `swfsim serve` running there?)"
        )
    assert admin_ok(server.url, "GET", "health") == {"ok": True}


def test_cli_restore_refuses_a_bad_file_and_keeps_the_state(
    server: Server, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url = ["--endpoint", server.url]
    register_basics(server.url)
    saved = tmp_path / "state.json"
    assert cli(capsys, "snapshot", "-o", str(saved), *url) == ""
    text = saved.read_text()
    hint = "give a file written by `swfsim snapshot -o FILE`"

    truncated = tmp_path / "truncated.json"
    truncated.write_text(text[: len(text) // 2])
    garbage = tmp_path / "notes.txt"
    garbage.write_text("not a snapshot\n")
    listed = tmp_path / "list.json"
    listed.write_text("[]")
    foreign = tmp_path / "foreign.json"
    foreign.write_text('{"format": "something-else"}')
    damaged = tmp_path / "damaged.json"
    state = json.loads(text)
    domain = {"name": "", "workflowExecutionRetentionPeriodInDays": "1"}
    state["journal"].append(["call", "RegisterDomain", domain])
    damaged.write_text(json.dumps(state))

    missing = tmp_path / "missing.json"
    assert fails(capsys, "restore", str(missing), *url) == (
        f"swfsim: restore: cannot read {missing}: No such file or directory; {hint}"
    )
    assert fails(capsys, "restore", str(truncated), *url).startswith(
        f"swfsim: restore: {truncated} is not JSON (line 1, column "
    )
    assert fails(capsys, "restore", str(garbage), *url) == (
        f"swfsim: restore: {garbage} is not JSON (line 1, column 1: Expecting value); {hint}"
    )
    assert fails(capsys, "restore", str(listed), *url) == (
        f"swfsim: restore: {listed} holds a JSON list, not a snapshot; {hint}"
    )
    assert fails(capsys, "restore", str(foreign), *url) == (
        "swfsim: restore: not a swfsim snapshot (expected format 'swfsim-snapshot/1')"
    )
    assert fails(capsys, "restore", str(damaged), *url) == (
        "swfsim: restore: the snapshot does not replay: ValidationException: 1 validation "
        "error detected: Value '' at 'name' failed to satisfy constraint: Member must have "
        "length greater than or equal to 1"
    )
    # Nothing was half-applied: the endpoint still holds the state that was saved.
    assert admin_ok(server.url, "GET", "snapshot") == state | {"journal": state["journal"][:-1]}


# ---- swfsim serve as a real process ----------------------------------------------------------


class Served:
    """``swfsim serve`` in a subprocess, its output lines collected by a reader thread."""

    def __init__(self, *options: str) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "swfsim.cli", "serve", "--port", "0", *options],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def next_line(self, timeout: float = 20.0) -> str:
        line = self.lines.get(timeout=timeout)
        assert line is not None, f"swfsim serve ended early: {''.join(self.output)}"
        self.output.append(line)
        return line

    def rest(self, timeout: float = 10.0) -> str:
        while (line := self.lines.get(timeout=timeout)) is not None:
            self.output.append(line)
        return "".join(self.output)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.mark.parametrize(
    ("stop", "options", "services"),
    [
        (signal.SIGTERM, (), "SWF and S3"),
        (signal.SIGINT, ("--no-s3", "--clock", "manual", "--seed", "3"), "SWF"),
    ],
)
def test_serve_process_stops_cleanly_on_signal(
    stop: signal.Signals, options: tuple[str, ...], services: str
) -> None:
    served = Served(*options)
    try:
        banner = served.next_line()
        match = re.fullmatch(
            rf"swfsim serving {services} at (http://127\.0\.0\.1:(\d+)) \(Ctrl-C to stop\)\n",
            banner,
        )
        assert match, banner
        url = match.group(1)
        assert int(match.group(2)) > 0
        assert admin_ok(url, "GET", "health") == {"ok": True}
        mode = "manual" if "manual" in options else "realtime"
        assert admin_ok(url, "GET", "clock")["mode"] == mode
        swf_ok(url, "RegisterDomain", {"name": "p", "workflowExecutionRetentionPeriodInDays": "1"})
        listed = swf_ok(url, "ListDomains", {"registrationStatus": "REGISTERED"})
        assert [d["name"] for d in listed["domainInfos"]] == ["p"]
        root = request(url, "GET")
        if "--no-s3" in options:  # no S3: everything is an SWF request, this one unsigned
            assert root.status == 403
        else:
            assert b"ListAllMyBucketsResult" in root.body

        # A worker's long poll is waiting (no run is open, so the clock cannot jump) when the
        # signal comes: the server stops all the same.
        with socket.create_connection(host_port(url), timeout=10) as waiting:
            body = json.dumps({"domain": "p", "taskList": {"name": "idle"}}).encode()
            waiting.sendall(
                b"POST / HTTP/1.1\r\nHost: localhost\r\n"
                b"X-Amz-Target: SimpleWorkflowService.PollForDecisionTask\r\n"
                b"Authorization: " + SIGNED["Authorization"].encode() + b"\r\n"
                b"Content-Type: application/x-amz-json-1.0\r\n"
                b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
            )
            clock = admin_ok(url, "GET", "clock")  # answered while the poll waits
            assert START_MS <= clock["epochMillis"] < START_MS + 60_000  # no jump

            served.process.send_signal(stop)
            assert served.process.wait(timeout=10) == 0
        rest = served.rest()
        assert "swfsim stopped" in rest
        assert "ListDomains" not in rest  # no request lines without --log-requests
    finally:
        served.kill()


def test_serve_log_requests_prints_one_line_per_request() -> None:
    served = Served("--log-requests", "--clock", "manual")
    try:
        match = re.search(r" at (http://\S+) ", served.next_line())
        assert match
        url = match.group(1)
        swf_ok(url, "RegisterDomain", {"name": "p", "workflowExecutionRetentionPeriodInDays": "1"})
        admin_ok(url, "POST", "clock/advance", {"seconds": 90})
        assert swf(url, "DescribeDomain", {"name": "nope"}).status == 400
        # Virtual time at the answer, method, path, SWF operation, status.
        assert [served.next_line() for _ in range(3)] == [
            "2026-01-01T00:00:00.000+00:00 POST / RegisterDomain 200\n",
            "2026-01-01T00:01:30.000+00:00 POST /_swfsim/clock/advance 200\n",
            "2026-01-01T00:01:30.000+00:00 POST / DescribeDomain 400\n",
        ]
        served.process.send_signal(signal.SIGTERM)
        assert served.process.wait(timeout=10) == 0
    finally:
        served.kill()


def test_serve_stamps_each_request_with_the_time_of_the_world_it_addresses(
    tmp_path: Path,
) -> None:
    worker, trace = "000000000042", tmp_path / "served.jsonl"
    served = Served("--log-requests", "--record", str(trace), "--clock", "manual")
    try:
        match = re.search(r" at (http://\S+) ", served.next_line())
        assert match
        url = match.group(1)
        domain = {"name": "p", "workflowExecutionRetentionPeriodInDays": "1"}
        admin_ok(url, "POST", "clock/advance", {"seconds": 3600, "account": worker})
        swf_ok(url, "RegisterDomain", domain, signed=signature(worker))
        swf_ok(url, "RegisterDomain", domain)
        admin_ok(url, "GET", f"clock?account={worker}")
        s3_scope = f"{worker}/20260101/us-east-1/s3/aws4_request"
        s3_signed = {"Authorization": f"AWS4-HMAC-SHA256 Credential={s3_scope}, Signature=0"}
        assert request(url, "GET", headers=s3_signed).status == 200
        assert [served.next_line() for _ in range(5)] == [
            "2026-01-01T01:00:00.000+00:00 POST /_swfsim/clock/advance 200\n",
            "2026-01-01T01:00:00.000+00:00 POST / RegisterDomain 200\n",
            "2026-01-01T00:00:00.000+00:00 POST / RegisterDomain 200\n",
            f"2026-01-01T01:00:00.000+00:00 GET /_swfsim/clock?account={worker} 200\n",
            "2026-01-01T01:00:00.000+00:00 GET / 200\n",
        ]
        served.process.send_signal(signal.SIGTERM)
        assert served.process.wait(timeout=10) == 0
    finally:
        served.kill()
    stamps = [(call.sent, call.answered) for call in swfsim.load_trace(trace).calls]
    assert stamps == [(START_MS / 1000 + 3600,) * 2, (START_MS / 1000,) * 2]
