"""The ``swfsim`` command.

Subcommands:
    demo: run the bundled order workflow on a simulated SWF and print its history.
    serve: serve the simulator as an AWS endpoint (SWF and S3) on loopback.
    replay: replay recorded histories through a decider and report every divergence.
    clock, advance, mode, reset, snapshot, restore, history: admin a running endpoint.
    trace import, trace check: convert recorded traces; check swfsim against them.
    timeline: a run's timeline, as text or an HTML page, from a file or an endpoint.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from swfsim import __version__
from swfsim.cli_serve import CommandError, add_commands, non_negative_int
from swfsim.cli_timeline import add_timeline
from swfsim.demo import DemoRun, run_demo
from swfsim.examples import order_workflow
from swfsim.replay import _cli as replay_cli
from swfsim.timeline import event_attributes, format_timeline, to_html
from swfsim.trace._cli import add_commands as add_trace_commands

Command = Callable[[argparse.Namespace], int]


def main(argv: list[str] | None = None) -> int:
    """Run the ``swfsim`` command line.

    Args:
        argv: the arguments after the program name; ``sys.argv[1:]`` when None.

    Returns:
        The process exit status: 0 on success; 2 without a subcommand, or when a command
        cannot do its job (one line on stderr says why; argparse itself exits with 2 on
        other usage errors).
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    command: Command | None = getattr(args, "command", None)
    if command is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        return command(args)
    except CommandError as failed:
        print(f"swfsim: {failed}", file=sys.stderr)
        return 2


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``swfsim`` and its subcommands."""
    parser = argparse.ArgumentParser(
        prog="swfsim",
        description="A deterministic, in-memory Amazon SWF simulator on a virtual clock.",
    )
    parser.add_argument("--version", action="version", version=f"swfsim {__version__}")
    subcommands = parser.add_subparsers(title="commands", metavar="COMMAND")
    _add_demo(subcommands)
    add_commands(subcommands)
    replay_cli.add_commands(subcommands)
    add_trace_commands(subcommands)
    add_timeline(subcommands)
    return parser


def _add_demo(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    demo = subcommands.add_parser(
        "demo",
        help="run the bundled order workflow and print its history",
        description=(
            "Run an order workflow (a failing charge retried, a 3-day return window, a payout) "
            "written against plain boto3 on a simulated SWF, and print its history as a "
            "timeline. Days of workflow time pass in a fraction of a second."
        ),
    )
    demo.add_argument(
        "--seed", type=int, default=0, help="seed of the simulator's ids (default: 0)"
    )
    demo.add_argument(
        "--failures",
        type=non_negative_int,
        default=1,
        metavar="N",
        help="how many card charges fail before one succeeds (default: 1; 3 or more exhaust "
        "the decider's retries and the workflow fails)",
    )
    demo.add_argument(
        "--json",
        action="store_true",
        help="print the raw history (wire-shaped JSON) instead of the timeline",
    )
    demo.add_argument(
        "--html",
        type=Path,
        metavar="PATH",
        help="also write the run's timeline as a self-contained HTML page to PATH",
    )
    demo.set_defaults(command=_demo)


def _demo(args: argparse.Namespace) -> int:
    run = run_demo(seed=args.seed, failures=args.failures)
    if args.json:
        print(json.dumps(run.history, indent=2))
        # stdout stays pure JSON for pipes; the summary goes to the terminal.
        print(_summary(run), file=sys.stderr)
    else:
        _print_report(run, sys.stdout)
    if args.html is not None:
        _write_html(run, args.html)
    # The demo worked even when the workflow failed (--failures 3): that outcome is the show.
    return 0


def _write_html(run: DemoRun, path: Path) -> None:
    title = f"swfsim demo: {run.workflow_id} (seed {run.seed})"
    try:
        path.write_text(to_html(run.history, title=title), encoding="utf-8")
    except OSError as unwritable:
        raise CommandError(
            f"demo: cannot write {path}: {unwritable.strerror or unwritable}"
        ) from None
    print(f"Timeline written to {path}; open it in a browser.", file=sys.stderr)


def _print_report(run: DemoRun, out: TextIO) -> None:
    source = order_workflow.__name__
    print(f"swfsim demo (seed {run.seed}): the order workflow of {source},", file=out)
    print("a decider and an activity worker in plain boto3, run against mock_swf.", file=out)
    print(f"workflowId={run.workflow_id} runId={run.run_id}", file=out)
    print(file=out)
    print(format_timeline(run.history), file=out)
    print(file=out)
    close = run.close_event
    outcome = event_attributes(close)
    shown = [f"{key}={outcome[key]}" for key in ("result", "reason", "details") if key in outcome]
    print(" ".join([f"{close['eventType']}:", *shown]), file=out)
    print(_summary(run), file=out)


def _summary(run: DemoRun) -> str:
    return f"{run.virtual_elapsed} of virtual time in {run.wall_seconds:.2f} s of wall time."


if __name__ == "__main__":  # python -m swfsim.cli, for environments without the script
    raise SystemExit(main())
