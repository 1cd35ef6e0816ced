"""Running ``swfsim serve`` and simpleflow's CLI as real processes, and reading what they did.

The endpoint is either a ``swfsim serve`` subprocess (:class:`ServeProcess`) or a ``Server`` in
a thread of the test process (:class:`ThreadedServe`, whose in-process S3 the test can read with
``swfsim.storage.Steps``). simpleflow always runs as subprocesses, given nothing but the
endpoint's URL, dummy credentials, a region and the PYTHONPATH of the workflow modules.
"""

from __future__ import annotations

import json
import os
import re
import select
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3

from swfsim.options import Options
from swfsim.server import Server
from swfsim.simulator import Simulator
from swfsim.timeline import format_timeline

WORKFLOWS = Path(__file__).parent / "workflows"
REGION = "us-east-1"
# Virtual seconds per wall second: the realtime clock also jumps idle waits (timers), but a
# faster clock makes simpleflow's long polls (5 virtual seconds) end sooner at shutdown.
RATE = 30.0
POLL_TIMEOUT = 5
SERVE_ARGS = ("--rate", str(RATE), "--poll-timeout", str(POLL_TIMEOUT))
STARTUP_TIMEOUT = 20.0
RUN_TIMEOUT = 90.0  # one simpleflow run, start to exit (they take 5-12 s)
CLOSED_EVENTS = {
    "WorkflowExecutionCompleted",
    "WorkflowExecutionFailed",
    "WorkflowExecutionCanceled",
    "WorkflowExecutionTerminated",
    "WorkflowExecutionTimedOut",
    "WorkflowExecutionContinuedAsNew",
}
Event = dict[str, Any]


class ServeProcess:
    """``python -m swfsim.cli serve --port 0 ...`` in a subprocess, its output kept."""

    def __init__(self, *args: str) -> None:
        command = [sys.executable, "-m", "swfsim.cli", "serve", "--port", "0", *args]
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.output: list[str] = []
        self.url = self._read_url()
        threading.Thread(target=self._drain, daemon=True).start()

    def _read_url(self) -> str:
        assert self.process.stdout is not None
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.process.stdout], [], [], 0.1)
            if ready:
                line = self.process.stdout.readline()
                if not line:
                    break  # exited
                self.output.append(line)
                found = re.search(r"serving .* at (http://\S+)", line)
                if found:
                    return found.group(1)
        self.stop()
        raise RuntimeError(f"swfsim serve printed no URL: {''.join(self.output)!r}")

    def _drain(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)

    def log(self) -> str:
        return "".join(self.output)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # serve stops on SIGTERM, like Ctrl-C
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class ThreadedServe:
    """``Server(...).start()`` in this process, configured as ``ServeProcess`` is."""

    def __init__(self) -> None:
        def simulator() -> Simulator:
            return Simulator(
                clock_mode="realtime",
                rate=RATE,
                journal=True,
                options=Options(poll_timeout_seconds=POLL_TIMEOUT),
            )

        self.server = Server(simulator, settle_seconds=0.5).start()
        self.url = self.server.url

    def log(self) -> str:
        return "(the endpoint runs in the test process)"

    def stop(self) -> None:
        self.server.stop()


def client_environment(url: str) -> dict[str, str]:
    """All a simpleflow process is given: where AWS is, dummy credentials, its modules."""
    return {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(WORKFLOWS),
        "AWS_ENDPOINT_URL": url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
    }


@dataclass
class Process:
    """A simpleflow command run as a subprocess, its output in a file."""

    name: str
    command: list[str]
    output_path: Path
    popen: subprocess.Popen[bytes]
    started: float = field(default_factory=time.monotonic)
    ended: float | None = None

    @property
    def output(self) -> str:
        return self.output_path.read_text(errors="replace") if self.output_path.exists() else ""

    def wait(self, timeout: float = RUN_TIMEOUT) -> int:
        """Its exit status; killed (with its children) if it runs longer than ``timeout``."""
        try:
            status = self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(
                f"{self.name} still running after {timeout:.0f} s: {' '.join(self.command)}"
            ) from None
        self.ended = time.monotonic()
        return status

    def stop(self, timeout: float = 30.0) -> int:
        """SIGTERM (simpleflow's graceful shutdown), then wait for the exit."""
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
        return self.wait(timeout)

    def kill(self) -> None:
        """Kill the process group this test started (simpleflow forks deciders and workers)."""
        with suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait()

    @property
    def seconds(self) -> float:
        return (self.ended or time.monotonic()) - self.started


class E2E:
    """One test's view of the endpoint: its own SWF domain, its simpleflow processes, and
    the executions it looked at (their timelines are printed if the test fails)."""

    def __init__(self, endpoint: ServeProcess | ThreadedServe, domain: str, tmp: Path) -> None:
        self.endpoint = endpoint
        self.url = endpoint.url
        self.domain = domain
        self.tmp = tmp
        self.processes: list[Process] = []
        self.executions: list[tuple[str, str | None]] = []
        self.swf = boto3.client(
            "swf",
            endpoint_url=self.url,
            region_name=REGION,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        self.swf.register_domain(name=domain, workflowExecutionRetentionPeriodInDays="1")

    # --- simpleflow ---------------------------------------------------------------------

    def simpleflow(self, name: str, *args: str) -> Process:
        """Start ``python -m simpleflow <args>`` in a process group of its own."""
        command = [sys.executable, "-m", "simpleflow", *args]
        output_path = self.tmp / f"{len(self.processes):02d}-{name}.log"
        with output_path.open("wb") as output:
            popen = subprocess.Popen(
                command,
                stdout=output,
                stderr=subprocess.STDOUT,
                env=client_environment(self.url),
                cwd=self.tmp,
                start_new_session=True,
            )
        process = Process(name, command, output_path, popen)
        self.processes.append(process)
        return process

    def standalone(
        self, workflow: str, workflow_id: str, *options: str, input: Any = None
    ) -> list[Event]:
        """``simpleflow standalone`` to the end; the history of the run it started."""
        args = ["standalone", "--domain", self.domain, "--workflow-id", workflow_id]
        if input is not None:
            args += ["--input", json.dumps(input)]
        process = self.simpleflow(f"standalone-{workflow_id}", *args, *options, workflow)
        self.executions.append((workflow_id, None))
        status = process.wait()
        assert status == 0, f"simpleflow standalone exited with {status}"
        return self.history(workflow_id)

    def wait_for_pollers(self, *processes: Process, timeout: float = STARTUP_TIMEOUT) -> None:
        """Wait until each process logged that its pollers start polling.

        A realtime clock jumps ahead when every client waits: a run started before its
        decider polls would jump to its timeout. (``simpleflow standalone`` starts its
        pollers itself before the run, and the endpoint holds the clock for a moment after
        each answer; separate ``decider.start`` and ``worker.start`` take a second to start.)
        """
        deadline = time.monotonic() + timeout
        for process in processes:
            while not re.search(r"starting \w+Poller\(", process.output):
                assert process.popen.poll() is None, f"{process.name} exited early"
                assert time.monotonic() < deadline, f"{process.name} never started polling"
                time.sleep(0.1)
        time.sleep(0.3)  # from the log line to the first poll request

    # --- what happened --------------------------------------------------------------------

    def history(self, workflow_id: str, run_id: str | None = None) -> list[Event]:
        """The events of a run (the latest run of ``workflow_id`` by default)."""
        if (workflow_id, run_id) not in self.executions:
            self.executions.append((workflow_id, run_id))
        query = {"domain": self.domain, "workflowId": workflow_id}
        if run_id:
            query["runId"] = run_id
        url = f"{self.url}/_swfsim/history?{urllib.parse.urlencode(query)}"
        with urllib.request.urlopen(url, timeout=30) as answer:
            events: list[Event] = json.loads(answer.read())["events"]
        return events

    def wait_closed(self, workflow_id: str, timeout: float = RUN_TIMEOUT) -> list[Event]:
        """Wait until the latest run of ``workflow_id`` is closed (and not continued)."""
        deadline = time.monotonic() + timeout
        while True:
            events = self.history(workflow_id)
            if events and events[-1]["eventType"] in CLOSED_EVENTS - {
                "WorkflowExecutionContinuedAsNew"
            }:
                return events
            assert time.monotonic() < deadline, f"{workflow_id} still open after {timeout} s"
            time.sleep(0.2)

    def closed_runs(self, workflow_id: str) -> dict[str, str]:
        """``{runId: closeStatus}`` of the closed runs of ``workflow_id`` (ListClosed...)."""
        infos = self.swf.list_closed_workflow_executions(
            domain=self.domain,
            startTimeFilter={"oldestDate": 0},
            executionFilter={"workflowId": workflow_id},
        )["executionInfos"]
        return {info["execution"]["runId"]: info["closeStatus"] for info in infos}

    def close_status(self, workflow_id: str, run_id: str) -> str:
        """A run's close status (DescribeWorkflowExecution)."""
        described = self.swf.describe_workflow_execution(
            domain=self.domain, execution={"workflowId": workflow_id, "runId": run_id}
        )
        return str(described["executionInfo"].get("closeStatus", "OPEN"))

    def diagnostics(self) -> list[tuple[str, str]]:
        """Sections for a failure report: simpleflow's output, the timelines, the server."""
        sections = []
        for process in self.processes:
            title = f"{process.name} ({' '.join(process.command[3:])}, {process.seconds:.1f} s)"
            sections.append((title, _tail(process.output)))
        for workflow_id, run_id in self.executions:
            try:
                timeline = format_timeline(self.history(workflow_id, run_id))
            except Exception as unreadable:
                timeline = f"(no history: {unreadable})"
            sections.append((f"timeline of {workflow_id} {run_id or '(latest run)'}", timeline))
        sections.append(("swfsim serve", _tail(self.endpoint.log())))
        return sections

    def cleanup(self) -> None:
        for process in self.processes:
            if process.popen.poll() is None:
                process.kill()


def _tail(text: str, lines: int = 150) -> str:
    kept = text.splitlines()
    cut = len(kept) - lines
    return "\n".join(([f"... ({cut} lines cut)"] if cut > 0 else []) + kept[-lines:])


# --- reading histories ----------------------------------------------------------------------


def attributes(event: Event) -> dict[str, Any]:
    """The ``...EventAttributes`` of an event."""
    name = event["eventType"][0].lower() + event["eventType"][1:] + "EventAttributes"
    found: dict[str, Any] = event.get(name, {})
    return found


def of_type(events: list[Event], event_type: str) -> list[dict[str, Any]]:
    """The attributes of the events of one type, in order."""
    return [attributes(event) for event in events if event["eventType"] == event_type]


def types(events: list[Event]) -> list[str]:
    return [event["eventType"] for event in events]


def result(events: list[Event]) -> Any:
    """The decoded result of a run that completed."""
    last = events[-1]
    assert last["eventType"] == "WorkflowExecutionCompleted", format_timeline(events)
    text = attributes(last).get("result")
    return None if text is None else json.loads(text)


def markers(events: list[Event], name: str | None = None) -> list[tuple[str, Any]]:
    """``(markerName, decoded details)`` of every MarkerRecorded event (of ``name``)."""
    found = []
    for marker in of_type(events, "MarkerRecorded"):
        if name is None or marker["markerName"] == name:
            details = marker.get("details")
            found.append((marker["markerName"], None if details is None else json.loads(details)))
    return found


def seconds_between(
    events: list[Event], first: Callable[[Event], bool], then: Callable[[Event], bool]
) -> float:
    """Virtual seconds from the first event matching ``first`` to the first matching ``then``."""
    start = next(event for event in events if first(event))
    end = next(event for event in events if then(event))
    return float(end["eventTimestamp"]) - float(start["eventTimestamp"])


@contextmanager
def wall_clock() -> Iterator[Callable[[], float]]:
    """``with wall_clock() as elapsed:``; ``elapsed()`` is the wall seconds since entering."""
    start = time.monotonic()
    yield lambda: time.monotonic() - start
