"""What HTTP costs: the same mixed workload through ``swfsim serve`` and in process.

Several client processes (boto3 over loopback) each drive their own executions through an
endpoint served by ``swfsim serve`` in a separate process: start, decide (schedule 2 activities),
work both, decide (complete), describe, list and fetch the history. Every request's latency is
recorded. The same workload then runs in one process under ``mock_swf``. Prints requests/s and
p50/p99 latency for both.

Run: python benchmarks/bench_endpoint.py [--clients 4] [--executions 50]
"""

from __future__ import annotations

import argparse
import multiprocessing
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
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


def _client_process(url: str, client: int, executions: int, queue: Any) -> None:
    swf = boto3.client(
        "swf",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="bench",
        aws_secret_access_key="bench",
    )
    queue.put(workload(swf, client, executions))


def over_http(clients: int, executions: int) -> tuple[float, list[float]]:
    """Wall seconds and latencies of the workload from ``clients`` processes over loopback."""
    server = subprocess.Popen(
        [sys.executable, "-m", "swfsim.cli", "serve", "--port", "0", "--no-s3", "--settle", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        url = re.search(r"http://[\d.:]+", server.stdout.readline())
        assert url is not None, "swfsim serve printed no URL"
        _setup(
            boto3.client(
                "swf",
                endpoint_url=url.group(0),
                region_name="us-east-1",
                aws_access_key_id="bench",
                aws_secret_access_key="bench",
            )
        )
        queue: Any = multiprocessing.get_context("spawn").Queue()
        processes = [
            multiprocessing.get_context("spawn").Process(
                target=_client_process, args=(url.group(0), n, executions, queue)
            )
            for n in range(clients)
        ]
        began = time.perf_counter()
        for process in processes:
            process.start()
        latencies = [value for _ in processes for value in queue.get(timeout=600)]
        for process in processes:
            process.join()
        return time.perf_counter() - began, latencies
    finally:
        server.terminate()
        server.wait(timeout=30)


def in_process(clients: int, executions: int) -> tuple[float, list[float]]:
    """Wall seconds and latencies of the same workload in one process under mock_swf."""
    import swfsim

    with swfsim.mock_swf():
        swf = boto3.client("swf", region_name="us-east-1")
        _setup(swf)
        began = time.perf_counter()
        latencies = [value for n in range(clients) for value in workload(swf, n, executions)]
        return time.perf_counter() - began, latencies


def _report(label: str, seconds: float, latencies: list[float]) -> str:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (
        f"{label:<28} {len(latencies) / seconds:>9.0f} req/s   "
        f"p50 {statistics.median(ordered) * 1000:6.2f} ms   p99 {p99 * 1000:6.2f} ms   "
        f"({len(latencies)} requests)"
    )


def main() -> None:
    """Run both and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--executions", type=int, default=50, help="per client")
    args = parser.parse_args()
    http_seconds, http_latencies = over_http(args.clients, args.executions)
    local_seconds, local_latencies = in_process(args.clients, args.executions)
    print(
        f"mixed workload: {args.clients} clients x {args.executions} executions, 12 requests each"
    )
    print(_report(f"HTTP, {args.clients} client processes", http_seconds, http_latencies))
    print(_report("in process (mock_swf)", local_seconds, local_latencies))
    print(
        f"HTTP costs {statistics.median(http_latencies) / statistics.median(local_latencies):.1f}"
        "x the in-process median latency"
    )


if __name__ == "__main__":
    main()
