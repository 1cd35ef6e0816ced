"""What HTTP costs: one mixed workload through ``swfsim serve``, moto's server and in process.

Several client processes (boto3 over loopback) each drive their own executions through an
endpoint in a separate process: start, decide (schedule 2 activities), work both, decide
(complete), describe, list and fetch the history; 12 requests per execution, every request's
latency recorded. Each client polls only its own task lists and only when a task is waiting
there, so no poll ever waits (moto's empty polls sleep a real second). The endpoints, in turn,
each fresh:

- ``swfsim serve --no-s3 --settle 0`` of this source tree;
- the same, of another source tree (``--before DIR``, e.g. a ``git worktree`` of an older
  commit; its server runs with ``PYTHONPATH=DIR``);
- moto's own server (``python -m moto.server``; needs ``pip install 'moto[server]'``; skip it
  with ``--no-moto``).

With ``--repeats N`` the endpoints take turns N times (interleaved, so a noisy spell of a
shared machine hits them alike) and the medians of the N runs are printed. Then the same
workload in one process under ``mock_swf``, and what a fresh TCP connection costs (every
answer of werkzeug's server, which both endpoints use, closes its connection, so every request
pays one): a connect alone, and a cheap SWF request (``ListDomains``) on a fresh connection.

Run: python benchmarks/bench_endpoint.py [--clients 4] [--executions 50] [--repeats 1]
     [--before DIR] [--no-moto]
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3

DOMAIN = "bench"
ACTIVITY = {"name": "work", "version": "1"}


def _setup(swf: Any) -> None:
    swf.register_domain(name=DOMAIN, workflowExecutionRetentionPeriodInDays="1")
    swf.register_workflow_type(
        domain=DOMAIN,
        name="flow",
        version="1",
        defaultTaskList={"name": "unused"},
        defaultExecutionStartToCloseTimeout="3600",
        defaultTaskStartToCloseTimeout="600",
        defaultChildPolicy="TERMINATE",
    )
    swf.register_activity_type(
        domain=DOMAIN,
        **ACTIVITY,
        defaultTaskList={"name": "unused"},
        defaultTaskScheduleToStartTimeout="NONE",
        defaultTaskScheduleToCloseTimeout="NONE",
        defaultTaskStartToCloseTimeout="600",
        defaultTaskHeartbeatTimeout="NONE",
    )


def _timed(latencies: list[float], call: Callable[..., Any], **params: Any) -> Any:
    began = time.perf_counter()
    answer = call(**params)
    latencies.append(time.perf_counter() - began)
    return answer


def workload(swf: Any, client: int, executions: int) -> list[float]:
    """Drive ``executions`` runs on this client's own task lists; each request's latency."""
    latencies: list[float] = []
    deciders, workers = {"name": f"d{client}"}, {"name": f"w{client}"}
    for index in range(executions):
        workflow_id = f"c{client}-{index}"
        run_id = _timed(
            latencies,
            swf.start_workflow_execution,
            domain=DOMAIN,
            workflowId=workflow_id,
            workflowType={"name": "flow", "version": "1"},
            taskList=deciders,
        )["runId"]
        task = _timed(latencies, swf.poll_for_decision_task, domain=DOMAIN, taskList=deciders)
        schedule = [
            {
                "decisionType": "ScheduleActivityTask",
                "scheduleActivityTaskDecisionAttributes": {
                    "activityType": ACTIVITY,
                    "activityId": f"a{n}",
                    "taskList": workers,
                },
            }
            for n in range(2)
        ]
        _timed(
            latencies,
            swf.respond_decision_task_completed,
            taskToken=task["taskToken"],
            decisions=schedule,
        )
        for _ in range(2):
            work = _timed(latencies, swf.poll_for_activity_task, domain=DOMAIN, taskList=workers)
            _timed(
                latencies,
                swf.respond_activity_task_completed,
                taskToken=work["taskToken"],
                result="ok",
            )
        task = _timed(latencies, swf.poll_for_decision_task, domain=DOMAIN, taskList=deciders)
        _timed(
            latencies,
            swf.respond_decision_task_completed,
            taskToken=task["taskToken"],
            decisions=[{"decisionType": "CompleteWorkflowExecution"}],
        )
        execution = {"workflowId": workflow_id, "runId": run_id}
        info = _timed(
            latencies, swf.describe_workflow_execution, domain=DOMAIN, execution=execution
        )
        assert info["executionInfo"]["closeStatus"] == "COMPLETED"
        _timed(latencies, swf.get_workflow_execution_history, domain=DOMAIN, execution=execution)
        _timed(
            latencies,
            swf.list_closed_workflow_executions,
            domain=DOMAIN,
            startTimeFilter={"oldestDate": 0},
            maximumPageSize=10,
        )
    return latencies


def _client(url: str) -> Any:
    return boto3.client(
        "swf",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="bench",
        aws_secret_access_key="bench",
    )


def _client_process(url: str, client: int, executions: int, ready: Any, queue: Any) -> None:
    swf = _client(url)
    ready.wait()  # every client has started Python, imported boto3 and made its client
    began = time.monotonic()  # system-wide, so comparable across processes
    latencies = workload(swf, client, executions)
    queue.put((began, time.monotonic(), latencies))


@dataclass(frozen=True)
class Endpoint:
    """A server to measure: its label and the command that starts it on a port."""

    label: str
    command: list[str]
    pythonpath: str | None = None

    @contextmanager
    def running(self) -> Iterator[str]:
        """Start the server on a free loopback port; its URL until the block ends."""
        port = _free_port()
        env = dict(os.environ)
        if self.pythonpath is not None:
            env["PYTHONPATH"] = self.pythonpath
        server = subprocess.Popen(
            [arg.replace("{port}", str(port)) for arg in self.command],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_for(port, server)
            yield f"http://127.0.0.1:{port}"
        finally:
            server.terminate()
            server.wait(timeout=30)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(port: int, server: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with {server.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port} after 15 s")


def over_http(url: str, clients: int, executions: int) -> tuple[float, list[float]]:
    """Wall seconds and latencies of the workload from ``clients`` processes over loopback.

    The wall time runs from the first client's first request to the last one's last answer,
    so starting the processes is not counted.
    """
    _setup(_client(url))
    spawn = multiprocessing.get_context("spawn")
    ready, queue = spawn.Barrier(clients), spawn.Queue()
    processes = [
        spawn.Process(target=_client_process, args=(url, n, executions, ready, queue))
        for n in range(clients)
    ]
    for process in processes:
        process.start()
    results = [queue.get(timeout=1800) for _ in processes]
    for process in processes:
        process.join()
    seconds = max(end for _, end, _ in results) - min(began for began, _, _ in results)
    return seconds, [value for _, _, latencies in results for value in latencies]


def connection_costs(url: str, count: int = 500) -> tuple[float, float]:
    """Median seconds of a TCP connect (and close), and of ListDomains on a fresh connection."""
    host, _, port = url.removeprefix("http://").rpartition(":")
    connects, requests = [], []
    body = b'{"registrationStatus": "REGISTERED"}'
    headers = {
        "Content-Type": "application/x-amz-json-1.0",
        "X-Amz-Target": "SimpleWorkflowService.ListDomains",
        # Neither server checks the signature; the current one wants its credential scope.
        "Authorization": "AWS4-HMAC-SHA256 Credential=bench/20260101/us-east-1/swf/aws4_request, "
        "SignedHeaders=host, Signature=0",
    }
    for _ in range(count):
        began = time.perf_counter()
        socket.create_connection((host, int(port))).close()
        connects.append(time.perf_counter() - began)
        began = time.perf_counter()
        connection = http.client.HTTPConnection(host, int(port))
        connection.request("POST", "/", body, headers)
        answer = connection.getresponse()
        answer.read()
        connection.close()
        requests.append(time.perf_counter() - began)
        assert answer.status == 200, answer.status
    return statistics.median(connects), statistics.median(requests)


def in_process(clients: int, executions: int) -> tuple[float, list[float]]:
    """Wall seconds and latencies of the same workload in one process under mock_swf."""
    import swfsim

    with swfsim.mock_swf():
        swf = boto3.client("swf", region_name="us-east-1")
        _setup(swf)
        began = time.perf_counter()
        latencies = [value for n in range(clients) for value in workload(swf, n, executions)]
        return time.perf_counter() - began, latencies


@dataclass(frozen=True)
class Figures:
    """One run's figures: requests per second, p50 and p99 latency in milliseconds."""

    rate: float
    p50: float
    p99: float
    requests: int

    @classmethod
    def of(cls, seconds: float, latencies: list[float]) -> Figures:
        ordered = sorted(latencies)
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        return cls(
            len(ordered) / seconds, statistics.median(ordered) * 1000, p99 * 1000, len(ordered)
        )

    @classmethod
    def median(cls, runs: list[Figures]) -> Figures:
        return cls(
            statistics.median(run.rate for run in runs),
            statistics.median(run.p50 for run in runs),
            statistics.median(run.p99 for run in runs),
            runs[0].requests,
        )

    def line(self, label: str) -> str:
        return (
            f"{label:<40} {self.rate:>7.0f} req/s   p50 {self.p50:6.2f} ms   p99 {self.p99:7.2f} ms"
        )


def endpoints(before: Path | None, moto: bool) -> list[Endpoint]:
    """The servers to measure, in the order they take turns."""
    serve = [sys.executable, "-m", "swfsim.cli", "serve", "--port", "{port}", "--no-s3"]
    found = [Endpoint("swfsim serve", [*serve, "--settle", "0"])]
    if before is not None:
        found.append(
            Endpoint(f"swfsim serve ({before.name})", [*serve, "--settle", "0"], str(before))
        )
    if moto:
        moto_server = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", "{port}"]
        found.append(Endpoint("moto_server", moto_server))
    return found


def main() -> None:
    """Run every endpoint ``--repeats`` times, then in process, and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--executions", type=int, default=50, help="per client")
    parser.add_argument("--repeats", type=int, default=1, help="turns of every endpoint")
    parser.add_argument("--before", type=Path, help="another swfsim source tree to measure")
    parser.add_argument("--no-moto", action="store_true", help="leave moto's server out")
    args = parser.parse_args()
    servers = endpoints(args.before, not args.no_moto)
    runs: dict[str, list[Figures]] = {server.label: [] for server in servers}
    costs: dict[str, list[tuple[float, float]]] = {server.label: [] for server in servers}
    for turn in range(args.repeats):
        for server in servers:
            with server.running() as url:
                figures = Figures.of(*over_http(url, args.clients, args.executions))
                costs[server.label].append(connection_costs(url))
            runs[server.label].append(figures)
            print(figures.line(f"  turn {turn + 1}: {server.label}"), flush=True)
    local = Figures.of(*in_process(args.clients, args.executions))
    print(
        f"\nmixed workload: {args.clients} client processes x {args.executions} executions, "
        f"12 requests each ({args.clients * args.executions * 12} requests); "
        f"median of {args.repeats} run(s)"
    )
    medians = {label: Figures.median(figures) for label, figures in runs.items()}
    for label, figures in medians.items():
        print(figures.line(label))
    print(local.line("in process (mock_swf), one process"))
    first = servers[0].label
    for label, figures in list(medians.items())[1:]:
        print(
            f"{first} over {label}: req/s x{medians[first].rate / figures.rate:.2f}, "
            f"p50 x{medians[first].p50 / figures.p50:.2f}, "
            f"p99 x{medians[first].p99 / figures.p99:.2f}"
        )
    print("\nfresh connection (median of 500, one client, machine otherwise as above):")
    for label, pairs in costs.items():
        connect = statistics.median(pair[0] for pair in pairs) * 1000
        request = statistics.median(pair[1] for pair in pairs) * 1000
        print(f"{label:<40} connect {connect:5.3f} ms   ListDomains on it {request:5.3f} ms")


if __name__ == "__main__":
    main()
