"""Replay speed: loading, validating and replaying a history of up to 25,000 events (SWF's
maximum) through a trivial decider, in events per second, and how the cost grows with length.

The history is written by the simulator itself: a decider that starts a one-second timer at
every decision task (5 events per task: TimerFired, DecisionTaskScheduled, DecisionTaskStarted,
DecisionTaskCompleted, TimerStarted) and completes the run so that its closing event is the
N-th. It is saved as SWF's wire form (timestamps as ``1.7672256E9``), then timed (best of
``--repeats``): ``load_history`` from the file, ``validate_history``, and ``replay_history``
through a decider that answers from ``startedEventId`` alone (so the replay machinery is what is
measured: poll responses with every event as boto3 shapes it, the request validation SWF would
apply to the answer, and the comparison with the recorded decisions).

Run: python benchmarks/bench_replay.py [--sizes 5000 25000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import gc
import itertools
import platform
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import swfsim
from swfsim.harness import DecisionTask
from swfsim.transport import parsed, wire

DOMAIN = "bench"
JsonDict = dict[str, Any]


def decisions_at(started_id: int, size: int) -> list[JsonDict]:
    """The decisions of the task started by event ``started_id`` in a history of ``size``."""
    if started_id + 2 >= size:  # DecisionTaskCompleted, then the closing event: the size-th
        return [{"decisionType": "CompleteWorkflowExecution"}]
    timer = {"timerId": f"t{started_id}", "startToFireTimeout": "1"}
    return [{"decisionType": "StartTimer", "startTimerDecisionAttributes": timer}]


def record(size: int, path: Path) -> None:
    """Run the workflow in the simulator until its history has ``size`` events; save it."""
    if size % 5:
        raise SystemExit(f"sizes must be multiples of 5 (5 events per decision task): {size}")
    sim = swfsim.Simulator(seed=1)
    sim.handle("RegisterDomain", {"name": DOMAIN, "workflowExecutionRetentionPeriodInDays": "1"})
    sim.handle(
        "RegisterWorkflowType",
        {
            "domain": DOMAIN,
            "name": "ticker",
            "version": "1",
            "defaultTaskList": {"name": "ticks"},
            "defaultExecutionStartToCloseTimeout": str(365 * 86400),
            "defaultTaskStartToCloseTimeout": "60",
            "defaultChildPolicy": "TERMINATE",
        },
    )
    start = {
        "domain": DOMAIN,
        "workflowId": "ticker",
        "workflowType": {"name": "ticker", "version": "1"},
    }
    run_id = sim.handle("StartWorkflowExecution", start)["runId"]

    def decide(task: DecisionTask) -> list[JsonDict]:
        return decisions_at(len(task.events), size)

    sim.decider(DOMAIN, "ticker", decide)
    sim.run(workflow_ids=["ticker"], max_steps=10 * size)
    events = sim.history(DOMAIN, "ticker")
    assert len(events) == size
    assert events[-1]["eventType"] == "WorkflowExecutionCompleted"
    path.write_bytes(
        wire.encode({"execution": {"workflowId": "ticker", "runId": run_id}, "events": events})
    )


def trivial_decider(size: int) -> Callable[[JsonDict], list[JsonDict]]:
    def decide(task: JsonDict) -> list[JsonDict]:
        return decisions_at(task["startedEventId"], size)

    return decide


def best(repeats: int, step: Callable[[], Any]) -> tuple[float, Any]:
    """The best wall time of ``repeats`` runs of ``step`` (each from a clean slate), and what
    it returned."""
    times, result = [], None
    for _ in range(repeats):
        result = None
        gc.collect()
        # A cold cache of parsed timestamps each time: a short history's timestamps would all
        # be cached after the first run, a long one's not, and the figures would not compare.
        parsed.converter.cache_clear()
        began = time.perf_counter()
        result = step()
        times.append(time.perf_counter() - began)
    return min(times), result


def measure(size: int, repeats: int, folder: Path) -> dict[str, float]:
    path = folder / f"history-{size}.json"
    record(size, path)
    load_s, history = best(repeats, lambda: swfsim.load_history(path))
    validate_s, problems = best(repeats, lambda: swfsim.validate_history(history))
    assert problems == [], problems[:3]
    decider = trivial_decider(size)
    replay_s, result = best(repeats, lambda: swfsim.replay_history(history, decider))
    assert result.ok, str(result)
    print(
        f"N={size}: {path.stat().st_size / 1e6:.1f} MB of JSON; {result.tasks_checked} decision "
        f"tasks, {result.decisions_checked} decisions checked"
    )
    return {"load": load_s, "validate": validate_s, "replay": replay_s}


def flatness(size: int, folder: Path) -> str:
    """Mean time per decision task in each fifth of one replay: flat if the cost is linear."""
    history = swfsim.load_history(folder / f"history-{size}.json")
    decider, stamps = trivial_decider(size), []

    def timed(task: JsonDict) -> list[JsonDict]:
        stamps.append(time.perf_counter())
        return decider(task)

    gc.collect()
    swfsim.replay_history(history, timed)
    gaps = [later - earlier for earlier, later in itertools.pairwise(stamps)]
    fifth = len(gaps) // 5
    means = [sum(gaps[k * fifth : (k + 1) * fifth]) / fifth * 1e6 for k in range(5)]
    return " ".join(f"{mean:.0f}" for mean in means) + " us per task, fifth by fifth"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 25000])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(f"Python {platform.python_version()} on {platform.system()} {platform.machine()}")
    with tempfile.TemporaryDirectory() as folder:
        figures = {size: measure(size, args.repeats, Path(folder)) for size in args.sizes}
        along = flatness(max(args.sizes), Path(folder))
    print(f"\n{'N':>7}  {'step':<9} {'best s':>8} {'events/s':>12} {'us/event':>9}")
    for size, steps in figures.items():
        for step, seconds in steps.items():
            rate, cost = size / seconds, seconds / size * 1e6
            print(f"{size:>7}  {step:<9} {seconds:>8.3f} {rate:>12,.0f} {cost:>9.1f}")
    print(f"\nN={max(args.sizes)}, time per decision task along one replay: {along}")
    if len(figures) > 1:
        small, large = min(figures), max(figures)
        print(f"\nTime per event at N={large} over N={small} (1.00 = linear):")
        for step in ("load", "validate", "replay"):
            ratio = (figures[large][step] / large) / (figures[small][step] / small)
            print(f"  {step:<9} {ratio:.2f}")


if __name__ == "__main__":
    main()
