"""Executions per second of swfsim beside moto, on the same boto3 workload, in one run.

Each execution is driven end to end through a boto3 SWF client, as a worker fleet would:

1. ``StartWorkflowExecution``;
2. ``PollForDecisionTask`` + ``RespondDecisionTaskCompleted`` scheduling three activities;
3. three times ``PollForActivityTask`` + ``RespondActivityTaskCompleted``;
4. ``PollForDecisionTask`` (its history must show the three completed activities) +
   ``RespondDecisionTaskCompleted`` completing the workflow execution.

That is 11 calls per execution. Executions run one after the other, so N closed executions
pile up in the service while the benchmark runs (which is what makes moto slow down).

The same workload runs under ``swfsim.mock_swf()`` and under ``moto.mock_aws()``; the domain
and types are registered, and one warm-up execution is run in a separate domain, before the
timer starts. After the timer stops, every execution is checked to be closed as COMPLETED, so a
broken backend cannot look fast. Throughput is the best of ``--repeats`` runs (a fresh service
per run); peak and retained memory per execution come from separate, untimed runs under
``tracemalloc``.

Usage::

    python benchmarks/bench_executions.py [--sizes 200 2000] [--skip-moto-above 400]
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib.metadata
import os
import platform
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

import boto3

import swfsim

if TYPE_CHECKING:
    from mypy_boto3_swf.client import SWFClient
    from mypy_boto3_swf.type_defs import (
        ActivityTypeTypeDef,
        DecisionTypeDef,
        WorkflowTypeTypeDef,
    )

REGION = "us-east-1"
DOMAIN = "bench"
WARMUP_DOMAIN = "bench-warmup"
WORKFLOW_TYPE: WorkflowTypeTypeDef = {"name": "bench-workflow", "version": "1"}
ACTIVITY_TYPE: ActivityTypeTypeDef = {"name": "bench-activity", "version": "1"}
DECISION_LIST = "bench-decisions"
ACTIVITY_LIST = "bench-activities"
ACTIVITIES_PER_EXECUTION = 3
CALLS_PER_EXECUTION = 1 + 2 + 2 * ACTIVITIES_PER_EXECUTION + 2
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
MAX_PAGE = 1000
MOTO_QUICK = 200
"""Above this many executions a moto run takes long enough to announce."""

# Targets (see benchmarks/README.md): swfsim >= 10x moto at N=200, and swfsim's rate at N=2000
# at least 0.8 of its rate at N=200.
TARGET_BASE = 200
TARGET_LARGE = 2000
TARGET_VS_MOTO = 10.0
TARGET_SCALING = 0.8

Execution = tuple[str, str]
"""A (workflowId, runId) pair."""


class BenchmarkError(RuntimeError):
    """The backend answered the workload wrongly: the figures would be meaningless."""


@dataclass(frozen=True)
class Backend:
    """A service the workload can run against.

    Attributes:
        name: shown in the results.
        mock: returns a fresh context manager inside which boto3 SWF clients use this service.
    """

    name: str
    mock: Callable[[], contextlib.AbstractContextManager[object]]


def _swfsim_mock() -> contextlib.AbstractContextManager[object]:
    return swfsim.mock_swf()


def _moto_mock() -> contextlib.AbstractContextManager[object]:
    import moto  # imported late: moto's import registers botocore handlers of its own

    return moto.mock_aws()


SWFSIM = Backend("swfsim", _swfsim_mock)
MOTO = Backend("moto", _moto_mock)


@dataclass
class Timing:
    """Throughput of one backend at one size.

    Attributes:
        backend: the backend's name.
        size: executions per run.
        seconds: every timed run, in seconds.
    """

    backend: str
    size: int
    seconds: list[float]

    @property
    def best(self) -> float:
        """The fastest run, in seconds."""
        return min(self.seconds)

    @property
    def rate(self) -> float:
        """Executions per second of the fastest run."""
        return self.size / self.best


@dataclass(frozen=True)
class Memory:
    """Memory traced by ``tracemalloc`` while one backend ran the workload.

    Attributes:
        backend: the backend's name.
        size: executions in the run.
        peak_bytes: the peak traced memory above the level before the first execution.
        retained_bytes: what is still allocated after the run (and a garbage collection).
    """

    backend: str
    size: int
    peak_bytes: int
    retained_bytes: int

    @property
    def peak_per_execution(self) -> float:
        """Peak bytes per execution."""
        return self.peak_bytes / self.size

    @property
    def retained_per_execution(self) -> float:
        """Retained bytes per execution."""
        return self.retained_bytes / self.size


# --------------------------------------------------------------------------------------------
# The workload
# --------------------------------------------------------------------------------------------


def make_client() -> SWFClient:
    """A new boto3 SWF client (routed to whichever mock is active)."""
    return boto3.session.Session().client("swf", region_name=REGION)


def register(client: SWFClient, domain: str) -> None:
    """Register the domain, the workflow type and the activity type, with every default set."""
    client.register_domain(name=domain, workflowExecutionRetentionPeriodInDays="1")
    client.register_workflow_type(
        domain=domain,
        **WORKFLOW_TYPE,
        defaultTaskList={"name": DECISION_LIST},
        defaultTaskStartToCloseTimeout="600",
        defaultExecutionStartToCloseTimeout="86400",
        defaultChildPolicy="TERMINATE",
    )
    client.register_activity_type(
        domain=domain,
        **ACTIVITY_TYPE,
        defaultTaskList={"name": ACTIVITY_LIST},
        defaultTaskStartToCloseTimeout="600",
        defaultTaskHeartbeatTimeout="NONE",
        defaultTaskScheduleToStartTimeout="3600",
        defaultTaskScheduleToCloseTimeout="3600",
    )


def _schedule(index: int) -> DecisionTypeDef:
    return {
        "decisionType": "ScheduleActivityTask",
        "scheduleActivityTaskDecisionAttributes": {
            "activityType": ACTIVITY_TYPE,
            "activityId": f"activity-{index}",
            "input": f"input-{index}",
        },
    }


SCHEDULE_DECISIONS = [_schedule(index) for index in range(ACTIVITIES_PER_EXECUTION)]
COMPLETE_DECISIONS: list[DecisionTypeDef] = [
    {
        "decisionType": "CompleteWorkflowExecution",
        "completeWorkflowExecutionDecisionAttributes": {"result": "done"},
    }
]


def run_execution(client: SWFClient, domain: str, workflow_id: str) -> Execution:
    """Drive one workflow execution from start to completion (11 calls).

    Raises:
        BenchmarkError: a poll handed out the wrong task, or none.
    """
    run_id = client.start_workflow_execution(
        domain=domain, workflowId=workflow_id, workflowType=WORKFLOW_TYPE, input="go"
    )["runId"]

    decision = client.poll_for_decision_task(
        domain=domain, taskList={"name": DECISION_LIST}, identity="decider"
    )
    if decision.get("workflowExecution", {}).get("runId") != run_id:
        raise BenchmarkError(f"{workflow_id}: no first decision task")
    client.respond_decision_task_completed(
        taskToken=decision["taskToken"], decisions=SCHEDULE_DECISIONS
    )

    for _ in range(ACTIVITIES_PER_EXECUTION):
        task = client.poll_for_activity_task(
            domain=domain, taskList={"name": ACTIVITY_LIST}, identity="worker"
        )
        if task.get("workflowExecution", {}).get("runId") != run_id:
            raise BenchmarkError(f"{workflow_id}: missing activity task")
        client.respond_activity_task_completed(taskToken=task["taskToken"], result="ok")

    decision = client.poll_for_decision_task(
        domain=domain, taskList={"name": DECISION_LIST}, identity="decider"
    )
    if decision.get("workflowExecution", {}).get("runId") != run_id:
        raise BenchmarkError(f"{workflow_id}: no second decision task")
    completed = sum(event["eventType"] == "ActivityTaskCompleted" for event in decision["events"])
    if completed != ACTIVITIES_PER_EXECUTION:
        raise BenchmarkError(f"{workflow_id}: history shows {completed} completed activities")
    client.respond_decision_task_completed(
        taskToken=decision["taskToken"], decisions=COMPLETE_DECISIONS
    )
    return workflow_id, run_id


def run_executions(client: SWFClient, size: int) -> list[Execution]:
    """Drive ``size`` executions one after the other in the benchmark domain."""
    return [run_execution(client, DOMAIN, f"wf-{index}") for index in range(size)]


def prepare(client: SWFClient) -> None:
    """Everything kept out of the timed region: registrations and one warm-up execution.

    The warm-up execution runs in its own domain so that the benchmark domain holds exactly the
    executions being measured; it fills botocore's per-operation caches.
    """
    register(client, WARMUP_DOMAIN)
    run_execution(client, WARMUP_DOMAIN, "warm-up")
    register(client, DOMAIN)


def verify(client: SWFClient, executions: Sequence[Execution]) -> None:
    """Check that every execution is closed as COMPLETED and none is open.

    Lists the closed executions page by page; whatever is not found there (moto answers at most
    one page and no ``nextPageToken``) is checked one by one with ``DescribeWorkflowExecution``.

    Raises:
        BenchmarkError: some execution is open, missing, or closed otherwise than COMPLETED.
    """
    opened = client.list_open_workflow_executions(
        domain=DOMAIN, startTimeFilter={"oldestDate": EPOCH}, maximumPageSize=1
    )["executionInfos"]
    if opened:
        raise BenchmarkError(f"executions still open, e.g. {opened[0]['execution']}")
    completed: set[Execution] = set()
    page: dict[str, Any] = {}
    while True:
        answer = client.list_closed_workflow_executions(
            domain=DOMAIN, startTimeFilter={"oldestDate": EPOCH}, maximumPageSize=MAX_PAGE, **page
        )
        completed.update(
            (info["execution"]["workflowId"], info["execution"]["runId"])
            for info in answer["executionInfos"]
            if info.get("closeStatus") == "COMPLETED"
        )
        if not answer.get("nextPageToken"):
            break
        page = {"nextPageToken": answer["nextPageToken"]}
    for workflow_id, run_id in executions:
        if (workflow_id, run_id) in completed:
            continue
        info = client.describe_workflow_execution(
            domain=DOMAIN, execution={"workflowId": workflow_id, "runId": run_id}
        )["executionInfo"]
        if info.get("closeStatus") != "COMPLETED":
            raise BenchmarkError(f"{workflow_id} is {info['executionStatus']}, not COMPLETED")


# --------------------------------------------------------------------------------------------
# Measuring
# --------------------------------------------------------------------------------------------


def time_once(backend: Backend, size: int) -> float:
    """Seconds taken by ``size`` executions on a fresh service (verified afterwards)."""
    with backend.mock():
        client = make_client()
        prepare(client)
        gc.collect()
        start = time.perf_counter()
        executions = run_executions(client, size)
        elapsed = time.perf_counter() - start
        verify(client, executions)
    return elapsed


def time_backend(backend: Backend, size: int, repeats: int) -> Timing:
    """The timings of ``repeats`` runs of ``size`` executions."""
    return Timing(backend.name, size, [time_once(backend, size) for _ in range(repeats)])


def measure_memory(backend: Backend, size: int) -> Memory:
    """Peak and retained traced memory of ``size`` executions (an untimed run)."""
    with backend.mock():
        client = make_client()
        prepare(client)
        gc.collect()
        tracemalloc.start()
        try:
            base = tracemalloc.get_traced_memory()[0]
            executions = run_executions(client, size)
            gc.collect()
            current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        verify(client, executions)
    return Memory(backend.name, size, peak - base, current - base)


# --------------------------------------------------------------------------------------------
# Reporting
# --------------------------------------------------------------------------------------------


def _kib(size: float) -> str:
    return f"{size / 1024:.1f} KiB"


def _seconds(timing: Timing) -> str:
    runs = ", ".join(f"{seconds:.3f}" for seconds in timing.seconds)
    return f"best {timing.best:.3f} s of [{runs}]"


def _swfsim_first(item: tuple[tuple[str, int], object]) -> tuple[bool, int]:
    (name, size), _ = item
    return name != SWFSIM.name, size


def _verdict(ok: bool) -> str:
    return "MET" if ok else "NOT MET"


def report(
    sizes: Sequence[int],
    timings: dict[tuple[str, int], Timing],
    memories: dict[tuple[str, int], Memory],
    moto_cap: int,
) -> None:
    """Print the throughput table, the ratios against the targets, and the memory figures."""
    print()
    print("== Throughput (executions/s; 11 boto3 calls per execution) ==")
    header = f"{'N':>6}  {'swfsim':>12}  {'moto':>12}  {'swfsim/moto':>12}"
    print(header)
    for size in sizes:
        ours = timings[(SWFSIM.name, size)]
        theirs = timings.get((MOTO.name, size))
        moto_text = f"{theirs.rate:12.1f}" if theirs else f"{'not run':>12}"
        ratio_text = f"{ours.rate / theirs.rate:11.1f}x" if theirs else f"{'-':>12}"
        print(f"{size:>6}  {ours.rate:12.1f}  {moto_text}  {ratio_text}")
    for backend in (SWFSIM, MOTO):
        for size in sizes:
            if (backend.name, size) in timings:
                print(f"  {backend.name:>6} N={size}: {_seconds(timings[(backend.name, size)])}")
    skipped = [size for size in sizes if (MOTO.name, size) not in timings]
    if skipped:
        print(
            f"  moto was not run at N={', '.join(map(str, skipped))} (--skip-moto-above "
            f"{moto_cap}; moto slows down as executions pile up, pass a larger cap to run it)"
        )

    print()
    print("== Ratios ==")
    smallest, largest = min(sizes), max(sizes)
    if largest == smallest and (MOTO.name, smallest) not in timings:
        print("nothing to compare: one size and no moto run")
    for size in sizes:
        moto_timing = timings.get((MOTO.name, size))
        if moto_timing is None:
            continue
        ratio = timings[(SWFSIM.name, size)].rate / moto_timing.rate
        verdict = ""
        if size == TARGET_BASE:
            verdict = f" (target >= {TARGET_VS_MOTO:.0f}x: {_verdict(ratio >= TARGET_VS_MOTO)})"
        print(f"swfsim vs moto at N={size}: {ratio:.1f}x{verdict}")
    measured_moto = [size for size in sizes if (MOTO.name, size) in timings]
    if largest not in measured_moto and measured_moto:
        biggest = max(measured_moto)
        bound = timings[(SWFSIM.name, largest)].rate / timings[(MOTO.name, biggest)].rate
        print(
            f"swfsim vs moto at N={largest}: not measured; at least {bound:.1f}x if moto is no "
            f"faster at N={largest} than at N={biggest} (swfsim N={largest} / moto N={biggest})"
        )
    base = TARGET_BASE if TARGET_BASE in sizes else smallest
    for size in sizes:
        if size <= base:
            continue
        scaling = timings[(SWFSIM.name, size)].rate / timings[(SWFSIM.name, base)].rate
        verdict = ""
        if (base, size) == (TARGET_BASE, TARGET_LARGE):
            verdict = (
                f" (target >= {TARGET_SCALING:.2f}, i.e. within 20%: "
                f"{_verdict(scaling >= TARGET_SCALING)})"
            )
        print(f"swfsim N={size} vs N={base}: {scaling:.2f}{verdict}")
    if TARGET_BASE not in measured_moto or TARGET_LARGE not in sizes:
        print(
            f"(the targets are stated for N={TARGET_BASE} against moto and for N={TARGET_LARGE} "
            f"against N={TARGET_BASE}; run those sizes to check them)"
        )
    if len(measured_moto) > 1:
        first = min(measured_moto)
        for size in measured_moto[1:]:
            slowdown = timings[(MOTO.name, size)].rate / timings[(MOTO.name, first)].rate
            print(f"moto N={size} vs N={first}: {slowdown:.2f}")

    if memories:
        print()
        print("== Memory per execution (tracemalloc, separate untimed runs) ==")
        print(f"{'backend':>8}  {'N':>6}  {'peak/exec':>12}  {'retained/exec':>14}")
        for (name, size), memory in sorted(memories.items(), key=_swfsim_first):
            print(
                f"{name:>8}  {size:>6}  {_kib(memory.peak_per_execution):>12}  "
                f"{_kib(memory.retained_per_execution):>14}"
            )
        for size in sizes:
            ours_memory = memories.get((SWFSIM.name, size))
            moto_memory = memories.get((MOTO.name, size))
            if ours_memory and moto_memory:
                print(
                    f"swfsim/moto peak per execution at N={size}: "
                    f"{ours_memory.peak_bytes / moto_memory.peak_bytes:.2f}; retained: "
                    f"{ours_memory.retained_bytes / moto_memory.retained_bytes:.2f}"
                )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[200, 2000], help="executions per run"
    )
    parser.add_argument(
        "--skip-moto-above",
        type=int,
        default=400,
        metavar="N",
        help="run moto only at sizes <= N (default 400; 0 skips moto)",
    )
    parser.add_argument(
        "--repeats", type=int, default=3, help="timed swfsim runs per size; the best counts"
    )
    parser.add_argument(
        "--moto-repeats",
        type=int,
        default=3,
        help=f"timed moto runs per size up to N={MOTO_QUICK} (larger sizes run once); the best "
        "counts",
    )
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc runs")
    parser.add_argument(
        "--moto-memory",
        action="store_true",
        help="also trace moto's memory (at the sizes moto runs at; slow)",
    )
    args = parser.parse_args(argv)
    if any(size < 1 for size in args.sizes) or args.repeats < 1 or args.moto_repeats < 1:
        parser.error("sizes and repeats must be positive")
    args.sizes = sorted(set(args.sizes))
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the results."""
    args = parse_args(argv)
    # moto wants credentials to exist; these are dummies (nothing leaves the process).
    for variable, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": REGION,
    }.items():
        os.environ[variable] = value

    print(
        f"Python {platform.python_version()} on {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} CPUs; swfsim {swfsim.__version__}, boto3 {boto3.__version__}, "
        f"moto {importlib.metadata.version('moto')}"
    )
    moto_sizes = [size for size in args.sizes if size <= args.skip_moto_above]
    print(
        f"sizes {args.sizes}; swfsim best of {args.repeats}; moto at {moto_sizes or 'no size'}"
        f" best of {args.moto_repeats} (once above N={MOTO_QUICK})"
    )
    timings: dict[tuple[str, int], Timing] = {}
    memories: dict[tuple[str, int], Memory] = {}
    # swfsim first: moto is not even imported until its turn.
    for size in args.sizes:
        timings[(SWFSIM.name, size)] = timing = time_backend(SWFSIM, size, args.repeats)
        print(f"swfsim N={size}: {timing.rate:.1f} exec/s ({_seconds(timing)})", flush=True)
    if not args.no_memory:
        for size in args.sizes:
            memories[(SWFSIM.name, size)] = memory = measure_memory(SWFSIM, size)
            print(
                f"swfsim N={size}: peak {_kib(memory.peak_per_execution)}/exec, "
                f"retained {_kib(memory.retained_per_execution)}/exec",
                flush=True,
            )
    for size in moto_sizes:
        if size > MOTO_QUICK:
            print(f"moto N={size}: running (moto slows down as executions pile up: minutes)...")
        repeats = args.moto_repeats if size <= MOTO_QUICK else 1
        timings[(MOTO.name, size)] = timing = time_backend(MOTO, size, repeats)
        print(f"moto N={size}: {timing.rate:.1f} exec/s ({_seconds(timing)})", flush=True)
    if args.moto_memory and not args.no_memory:
        for size in moto_sizes:
            memories[(MOTO.name, size)] = memory = measure_memory(MOTO, size)
            print(
                f"moto N={size}: peak {_kib(memory.peak_per_execution)}/exec, "
                f"retained {_kib(memory.retained_per_execution)}/exec",
                flush=True,
            )
    report(args.sizes, timings, memories, args.skip_moto_above)
    return 0


if __name__ == "__main__":
    sys.exit(main())
