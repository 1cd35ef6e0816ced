"""``swfsim trace import`` and ``swfsim trace check``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from swfsim.trace._checker import CheckResult, check_trace
from swfsim.trace._errors import TraceError
from swfsim.trace._format import load_trace, write_trace
from swfsim.trace._importer import import_source

if TYPE_CHECKING:
    Subcommands = argparse._SubParsersAction[argparse.ArgumentParser]

ROLES = ("decider", "worker", "registration")


def add_commands(subcommands: Subcommands) -> None:
    """Add ``trace import`` and ``trace check`` to the ``swfsim`` parser."""
    trace = subcommands.add_parser(
        "trace", help="import traces of SWF calls, check swfsim against them"
    )
    commands = trace.add_subparsers(
        title="trace commands", metavar="COMMAND", required=True, help="import or check"
    )
    imported = commands.add_parser(
        "import",
        help="convert vcrpy cassettes, placebo folders or real-AWS JSON traces",
        description=(
            "Convert each SOURCE (a vcrpy cassette .yaml, a placebo response folder, or a "
            "fixtures/real-aws .json trace) into DIR/<name>.jsonl, scrubbed like a recording."
        ),
    )
    imported.add_argument(
        "sources", nargs="+", type=Path, metavar="SOURCE", help="a cassette, folder or .json"
    )
    imported.add_argument(
        "--output", required=True, type=Path, metavar="DIR", help="folder of the .jsonl traces"
    )
    imported.add_argument(
        "--unrecorded",
        action="append",
        choices=ROLES,
        default=[],
        help="a role whose calls the sources lack (repeat); `trace check` stands in for it",
    )
    imported.add_argument(
        "--scrub", action="append", default=[], metavar="PATH", help="a member path to alias"
    )
    imported.set_defaults(command=_import)
    check = commands.add_parser(
        "check",
        help="replay traces against swfsim and compare its answers",
        description=(
            "Replay each trace's requests against a fresh simulator, its clock moved to each "
            "recorded time, and compare the answers with the recorded ones. Exit status 0 when "
            "every trace matches, 1 otherwise."
        ),
    )
    check.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="a .jsonl or a folder")
    check.add_argument("--seed", type=int, default=0, help="seed of the simulators (default: 0)")
    check.set_defaults(command=_check)


def _import(args: argparse.Namespace) -> int:
    args.output.mkdir(parents=True, exist_ok=True)
    for source in args.sources:
        try:
            trace = import_source(source, unrecorded=args.unrecorded, scrub=args.scrub)
        except (TraceError, OSError, ValueError) as failed:
            print(f"swfsim: cannot import {source}: {failed}", file=sys.stderr)
            return 1
        target = args.output / f"{source.stem if source.is_file() else source.name}.jsonl"
        write_trace(trace, target)
        print(f"{source} -> {target} ({len(trace.calls)} calls)")
    return 0


def _check(args: argparse.Namespace) -> int:
    files = [f for p in args.paths for f in (sorted(p.glob("*.jsonl")) if p.is_dir() else [p])]
    results = [_check_one(path, args.seed) for path in files]
    for result in results:
        print(result.report())
    passed = sum(result.ok for result in results)
    print(f"{passed} of {len(results)} traces match")
    return 0 if results and passed == len(results) else 1


def _check_one(path: Path, seed: int) -> CheckResult:
    try:
        trace = load_trace(path)
    except (TraceError, OSError) as unreadable:
        return CheckResult(path.stem, 0, differences=[str(unreadable)])
    return check_trace(trace, path.stem, seed=seed)
