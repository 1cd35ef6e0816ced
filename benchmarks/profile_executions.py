"""Where a swfsim call spends its time: botocore's client machinery, swfsim's handler, or the core.

Runs the workload of ``bench_executions.py`` (N complete executions, 11 boto3 calls each) under
``swfsim.mock_swf()`` twice:

1. **Boundary timers** (no profiler, so no profiler distortion): ``perf_counter`` wrappers are
   put, for the duration of the run only, around swfsim's ``before-call`` handler, around
   ``Simulator.handle``, and around the validation, clock and operation-handler steps inside
   it. What the handler does not account for is botocore (and boto3) client machinery.
2. **cProfile**: self time by package (standard-library and builtin self time is charged to the
   package that called it), the hottest functions, and swfsim's per-operation cumulative time.

No swfsim code is changed; the wrappers are removed when the run ends.

Usage::

    python benchmarks/profile_executions.py [--size 500] [--repeats 3] [--top 25]
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import pstats
import sys
import sysconfig
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import bench_executions as bench
import botocore.client
from botocore.client import BaseClient
from botocore.useragent import UserAgentString

import swfsim
import swfsim.simulator
from swfsim.operations import HANDLERS
from swfsim.transport import boto as boto_transport
from swfsim.transport.parsed import converter

FuncKey = tuple[str, int, str]
"""pstats' key of a function: (file name, first line, function name)."""


@dataclass
class Timers:
    """Accumulated seconds and call counts per named region."""

    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    calls: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def wrap(self, name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        """``func``, timed under ``name``."""
        seconds, calls, clock = self.seconds, self.calls, time.perf_counter

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = clock()
            try:
                return func(*args, **kwargs)
            finally:
                seconds[name] += clock() - start
                calls[name] += 1

        return timed


_MISSING = object()


class _TimedJson:
    """A stand-in for the ``json`` module inside swfsim's transport, timing loads and dumps."""

    def __init__(self, timers: Timers) -> None:
        self.loads = timers.wrap("handler: json.loads(request body)", json.loads)
        self.dumps = timers.wrap("handler: json.dumps (content-length, errors)", json.dumps)


@contextmanager
def boundary_timers(
    client: Any, simulator: swfsim.Simulator, timers: Timers, detailed: bool
) -> Iterator[None]:
    """Time swfsim's handler and ``Simulator.handle`` (and, if ``detailed``, the steps of
    botocore's ``_make_api_call``, of the handler and of the core), restoring everything after.
    """
    saved: list[tuple[object, str, object]] = []

    def patch(owner: object, attribute: str, name: str) -> None:
        saved.append((owner, attribute, vars(owner).get(attribute, _MISSING)))
        setattr(owner, attribute, timers.wrap(name, getattr(owner, attribute)))

    def replace(owner: object, attribute: str, value: object) -> None:
        saved.append((owner, attribute, vars(owner).get(attribute, _MISSING)))
        setattr(owner, attribute, value)

    handlers = dict(HANDLERS)
    patch(boto_transport._CallHandler, "__call__", "handler")
    patch(simulator, "handle", "core")
    if detailed:
        patch(BaseClient, "_emit_api_params", "botocore: provide-client-params/before-build")
        patch(BaseClient, "_resolve_endpoint_ruleset", "botocore: endpoint ruleset")
        patch(client._serializer, "serialize_to_request", "botocore: validate + serialize")
        patch(UserAgentString, "to_string", "botocore: build User-Agent")
        patch(botocore.client, "prepare_request_dict", "botocore: prepare_request_dict")
        patch(botocore.client, "resolve_checksum_context", "botocore: checksum context")
        patch(client.meta.events, "emit_until_response", "botocore: emit before-call")
        patch(client.meta.events, "emit", "botocore: emit (other events)")
        replace(boto_transport, "json", _TimedJson(timers))
        patch(boto_transport, "_headers", "handler: _headers (request id, date)")
        patch(simulator.ids, "request_id", "handler: ids.request_id")
        patch(boto_transport, "_metadata", "handler: _metadata")
        if hasattr(boto_transport, "_http"):
            patch(boto_transport, "_http", "handler: _http (AWSResponse)")
        convert = converter

        def timed_converter(shape: str, parse_ts: Callable[[Any], Any]) -> Callable[..., Any]:
            return timers.wrap(f"handler: convert {shape}", convert(shape, parse_ts))

        replace(boto_transport, "converter", timed_converter)
        patch(swfsim.simulator, "validate_input", "core: validate_input")
        patch(simulator.clock, "fire_due", "core: clock.fire_due")
        for name, operation in handlers.items():
            HANDLERS[name] = timers.wrap(f"core: op {name}", operation)
    try:
        yield
    finally:
        HANDLERS.update(handlers)
        for owner, attribute, original in reversed(saved):
            if original is _MISSING:
                delattr(owner, attribute)
            else:
                setattr(owner, attribute, original)


def best_timed(size: int, detailed: bool, repeats: int) -> tuple[float, Timers]:
    """The fastest of ``repeats`` timed runs (a shared machine has its slow moments)."""
    return min((run_timed(size, detailed) for _ in range(repeats)), key=lambda run: run[0])


def run_timed(size: int, detailed: bool) -> tuple[float, Timers]:
    """Wall time of ``size`` executions and the boundary timers of the run."""
    timers = Timers()
    with swfsim.mock_swf() as simulator:
        client = bench.make_client()
        bench.prepare(client)
        gc.collect()
        with boundary_timers(client, simulator, timers, detailed):
            start = time.perf_counter()
            executions = bench.run_executions(client, size)
            total = time.perf_counter() - start
        bench.verify(client, executions)
    return total, timers


def _row(label: str, seconds: float, total: float, calls: int, suffix: str = "") -> str:
    return (
        f"{label:<48} {seconds:7.3f} s {seconds / total:6.1%} "
        f"{seconds / calls * 1e6:7.1f} us/call{suffix}"
    )


def report_timers(size: int, total: float, timers: Timers) -> None:
    """Print the split of the wall time across botocore, the handler and the core."""
    calls = size * bench.CALLS_PER_EXECUTION
    handler = timers.seconds["handler"]
    core = timers.seconds["core"]
    print(
        f"== Boundary timers, N={size}: {calls} calls, {total:.3f} s, "
        f"{total / calls * 1e6:.1f} us/call, {size / total:.1f} exec/s =="
    )
    print(_row("botocore/boto3 client machinery (+ workload)", total - handler, total, calls))
    print(_row("swfsim before-call handler (transport)", handler - core, total, calls))
    print(_row("swfsim core (Simulator.handle)", core, total, calls))


def report_details(size: int, total: float, timers: Timers) -> None:
    """Print each timed step (these wrappers add a little overhead of their own)."""
    calls = size * bench.CALLS_PER_EXECUTION
    print()
    print(
        f"== Steps, N={size} (a second run with ~20 timers per call: {total:.3f} s, "
        f"{total / calls * 1e6:.1f} us/call; share of that run's wall time; us per step call) =="
    )
    for prefix in ("botocore:", "handler:", "core:"):
        steps = sorted(
            ((name, seconds) for name, seconds in timers.seconds.items() if name[0] == prefix[0]),
            key=lambda item: -item[1],
        )
        for name, seconds in steps:
            if not name.startswith(prefix):
                continue
            count = timers.calls[name]
            print(_row(f"  {name}", seconds, total, count, f" x{count}"))


_STDLIB = (sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["platstdlib"])
_SITE = (sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"])


def package_of(key: FuncKey) -> str | None:
    """The package a function is charged to, or None for stdlib/builtins (charged to callers)."""
    filename = key[0].replace(os.sep, "/")
    if "/swfsim/transport/" in filename:
        return "swfsim handler (transport)"
    if "/swfsim/validation.py" in filename:
        return "swfsim core: validation"
    if "/swfsim/" in filename:
        return "swfsim core: engine/operations/model"
    if "/botocore/" in filename or "/boto3/" in filename:
        return "botocore/boto3"
    if "/benchmarks/" in filename:
        return "benchmark workload"
    if filename.startswith(_SITE):
        return "other third-party (" + filename.split("site-packages/", 1)[-1].split("/")[0] + ")"
    if filename.startswith(_STDLIB) or filename in ("~", "") or filename.startswith("<"):
        return None
    return "other"


def self_time_by_package(stats: pstats.Stats) -> dict[str, float]:
    """Self time per package; stdlib/builtin self time goes to its callers' packages in
    proportion to the time each caller accounts for (recursively)."""
    table: dict[FuncKey, Any] = stats.stats  # type: ignore[attr-defined]
    memo: dict[FuncKey, dict[str, float]] = {}

    def shares(key: FuncKey, seen: frozenset[FuncKey]) -> dict[str, float]:
        package = package_of(key)
        if package is not None:
            return {package: 1.0}
        if key in memo:
            return memo[key]
        callers: dict[FuncKey, tuple[Any, ...]] = table[key][4] if key in table else {}
        weights = {caller: entry[3] for caller, entry in callers.items() if caller not in seen}
        whole = sum(weights.values())
        if not whole:
            return {"unattributed (stdlib with no caller)": 1.0}
        result: dict[str, float] = defaultdict(float)
        for caller, weight in weights.items():
            for name, share in shares(caller, seen | {key}).items():
                result[name] += share * weight / whole
        memo[key] = result
        return result

    totals: dict[str, float] = defaultdict(float)
    for key, (_, _, tottime, _, _) in table.items():
        for name, share in shares(key, frozenset()).items():
            totals[name] += tottime * share
    return totals


def run_profiled(size: int) -> pstats.Stats:
    """cProfile statistics of ``size`` executions (setup and warm-up excluded)."""
    profiler = cProfile.Profile()
    with swfsim.mock_swf():
        client = bench.make_client()
        bench.prepare(client)
        gc.collect()
        profiler.enable()
        executions = bench.run_executions(client, size)
        profiler.disable()
        bench.verify(client, executions)
    return pstats.Stats(profiler)


def _where(key: FuncKey) -> str:
    filename, line, name = key
    for marker in ("site-packages/", "/main/", "python3.11/"):
        if marker in filename:
            filename = filename.split(marker, 1)[1]
            break
    return f"{filename}:{line}({name})"


def report_profile(size: int, stats: pstats.Stats, top: int) -> None:
    """Print the package split, the hottest functions, and the per-operation times."""
    table: dict[FuncKey, Any] = stats.stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in table.values())
    print()
    print(f"== cProfile, N={size}: {total:.3f} s of self time under the profiler ==")
    for name, seconds in sorted(self_time_by_package(stats).items(), key=lambda kv: -kv[1]):
        print(f"{name:<46} {seconds:7.3f} s {seconds / total:6.1%}")

    print()
    print(f"-- top {top} functions by self time (stdlib included) --")
    ranked = sorted(table.items(), key=lambda kv: -kv[1][2])[:top]
    for key, (_, calls, tottime, cumtime, _) in ranked:
        print(
            f"{tottime:7.3f} s {tottime / total:6.1%} cum {cumtime:7.3f} s "
            f"x{calls:<8} {_where(key)}"
        )

    print()
    print(f"-- top {top} swfsim functions by cumulative time --")
    ours = [(key, entry) for key, entry in table.items() if "swfsim" in str(package_of(key))]
    for key, (_, calls, tottime, cumtime, _) in sorted(ours, key=lambda kv: -kv[1][3])[:top]:
        print(
            f"cum {cumtime:7.3f} s {cumtime / total:6.1%} self {tottime:7.3f} s "
            f"x{calls:<8} {_where(key)}"
        )


def main(argv: list[str] | None = None) -> int:
    """Run both measurements and print them."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--size", type=int, default=500, help="executions (default 500)")
    parser.add_argument(
        "--repeats", type=int, default=3, help="timed runs; the fastest counts (default 3)"
    )
    parser.add_argument("--top", type=int, default=25, help="functions listed (default 25)")
    args = parser.parse_args(argv)
    total, timers = best_timed(args.size, detailed=False, repeats=args.repeats)
    report_timers(args.size, total, timers)
    total, timers = best_timed(args.size, detailed=True, repeats=args.repeats)
    report_details(args.size, total, timers)
    report_profile(args.size, run_profiled(args.size), args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
