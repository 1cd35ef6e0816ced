"""``swfsim replay``: shadow a folder of production histories with a new decider.

Every history is loaded, validated and replayed; every divergence of every history is printed,
then a summary. The exit status is 0 when every history replays as production ran it, 1 when one
diverges or cannot be read or validated, 2 on a usage error (the decider cannot be imported).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from swfsim.replay._load import HistoryError, load_history
from swfsim.replay._replay import Decider, replay_history
from swfsim.replay._simpleflow import simpleflow_decider
from swfsim.replay._validate import validate_history

if TYPE_CHECKING:
    Subcommands = argparse._SubParsersAction[argparse.ArgumentParser]

_INDENT = "    "


def add_commands(subcommands: Subcommands) -> None:
    """Add ``replay`` to the ``swfsim`` parser."""
    replay = subcommands.add_parser(
        "replay",
        help="replay recorded histories through a decider and report every divergence",
        description=(
            "Replay each history (a JSON file, or every *.json file under a folder) through "
            "DECIDER, a function from the PollForDecisionTask response to the decisions, and "
            "report every decision task where it does not decide what production recorded. "
            "Exit status: 0 when every history replays, 1 when one diverges or cannot be read."
        ),
    )
    replay.add_argument(
        "--decider",
        required=True,
        metavar="MODULE:FUNCTION",
        help="the decider: a function of MODULE, an attribute path such as "
        "shop.deciders:worker.decide, or a simpleflow Workflow class, replayed through "
        "simpleflow's executor (the current directory is importable)",
    )
    replay.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders")
    replay.add_argument(
        "--no-validate", action="store_true", help="replay without validating each history first"
    )
    replay.add_argument(
        "--standalone",
        action="store_true",
        help="for a simpleflow Workflow class: decide as `simpleflow standalone` does "
        "(activities on the run's own task list)",
    )
    replay.set_defaults(command=run)


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Replay every history named by ``args.paths``; the exit status."""
    out = out or sys.stdout
    decider = load_decider(args.decider, standalone=args.standalone)
    counts = {"OK": 0, "DIVERGED": 0, "INVALID": 0, "UNREADABLE": 0}
    for path in history_files(args.paths):
        status = _replay_file(path, decider, not args.no_validate, out)
        counts[status] += 1
    total = sum(counts.values())
    shown = ", ".join(f"{count} {status.lower()}" for status, count in counts.items() if count)
    histories = f"{total} histor{'y' if total == 1 else 'ies'}"
    print(f"swfsim replay: {histories}: {shown or 'none found'}", file=out)
    return 0 if total and counts["OK"] == total else 1


def load_decider(spec: str, *, standalone: bool = False) -> Decider:
    """The decider ``module:attribute.path`` names (the current directory is importable): a
    callable, or a simpleflow ``Workflow`` class (see :func:`swfsim.replay.simpleflow_decider`).

    Raises:
        SystemExit: with status 2 (a usage error), when it cannot be imported or called.
    """
    module_name, _, attribute_path = spec.partition(":")
    if not module_name or not attribute_path:
        _usage_error(f"--decider must be MODULE:FUNCTION, not {spec!r}")
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        found: Any = importlib.import_module(module_name)
        for name in attribute_path.split("."):
            found = getattr(found, name)
    except (ImportError, AttributeError) as missing:
        _usage_error(f"cannot load the decider {spec}: {missing}")
    if _is_simpleflow_workflow(found):
        return simpleflow_decider(found, standalone=standalone)
    if isinstance(found, type) or not callable(found):
        _usage_error(
            f"{spec} is not a function: name a function, a callable attribute (a method of an "
            "object the module creates), or a simpleflow Workflow class"
        )
    decider: Decider = found
    return decider


def _is_simpleflow_workflow(found: Any) -> bool:
    simpleflow = sys.modules.get("simpleflow")  # imported by the module that defines the class
    workflow = getattr(simpleflow, "Workflow", None)
    return isinstance(found, type) and workflow is not None and issubclass(found, workflow)


def _usage_error(message: str) -> NoReturn:
    print(f"swfsim replay: {message}", file=sys.stderr)
    raise SystemExit(2)


def history_files(paths: list[Path]) -> Iterator[Path]:
    """Each file named, and every ``*.json`` file under each folder named, in order."""
    for path in paths:
        if path.is_dir():
            yield from sorted(path.rglob("*.json"))
        else:
            yield path


def _replay_file(path: Path, decider: Decider, validate: bool, out: TextIO) -> str:
    try:
        history = load_history(path)
    except (HistoryError, OSError) as unreadable:
        print(f"UNREADABLE  {path}: {unreadable}", file=out)
        return "UNREADABLE"
    problems = validate_history(history) if validate else []
    if problems:
        count = f"{len(problems)} problem{'' if len(problems) == 1 else 's'}"
        print(f"INVALID     {path}: {count}", file=out)
        for problem in problems:
            print(f"{_INDENT}{problem}", file=out)
        return "INVALID"
    result = replay_history(history, decider)
    status = "OK" if result.ok else "DIVERGED"
    print(f"{status:<11} {path}: {result.summary.partition(': ')[2]}", file=out)
    for divergence in result.divergences:
        print(file=out)
        for line in str(divergence).splitlines():
            print(f"{_INDENT}{line}".rstrip(), file=out)
    if result.divergences:
        print(file=out)
    return status
