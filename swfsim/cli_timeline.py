"""``swfsim timeline``: a run's timeline, as text or as an HTML page, from wherever it is kept.

The run comes from a file (a history in any form :func:`swfsim.load_history` reads: a JSON list
of events, boto3's or the AWS CLI's output, ``swfsim history --json``; or a snapshot from
``swfsim snapshot -o FILE``, which draws every run it holds) or from a running endpoint
(``--endpoint``, ``--domain`` and ``--workflow-id``), whose child runs are fetched too.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from swfsim import journal
from swfsim.cli_serve import ENDPOINT_HELP, CommandError, _call
from swfsim.replay import HistoryError, load_history
from swfsim.timeline import format_timeline, simulator_to_html, to_html
from swfsim.timeline._lanes import CHILD, read_lanes

if TYPE_CHECKING:
    Subcommands = argparse._SubParsersAction[argparse.ArgumentParser]
Events = list[dict[str, Any]]


def add_timeline(subcommands: Subcommands) -> None:
    """Add ``timeline`` to the ``swfsim`` parser."""
    timeline = subcommands.add_parser(
        "timeline",
        help="show a run's timeline (text, or an HTML page with --html)",
        description=(
            "Show a run's timeline from a history file, a snapshot file, or a running "
            "endpoint; with --html, write it as a self-contained HTML page."
        ),
    )
    timeline.add_argument(
        "file",
        nargs="?",
        type=Path,
        help="a history (JSON events) or a snapshot (`swfsim snapshot -o FILE`); "
        "omit it to read from --endpoint",
    )
    timeline.add_argument("--html", type=Path, metavar="OUT", help="write an HTML page to OUT")
    timeline.add_argument("--endpoint", help=ENDPOINT_HELP)
    timeline.add_argument("--domain", help="the execution's domain (with --endpoint)")
    timeline.add_argument("--workflow-id", help="the execution's workflowId (with --endpoint)")
    timeline.add_argument("--run-id", help="the run (default: the latest run)")
    timeline.set_defaults(command=_timeline)


def _timeline(args: argparse.Namespace) -> int:
    if args.file is not None and (args.endpoint or args.domain or args.workflow_id or args.run_id):
        raise CommandError(
            "timeline: give either a FILE, or --endpoint with --domain and --workflow-id"
        )
    if args.file is not None:
        page, text = _from_file(args.file)
    else:
        page, text = _from_endpoint(args)
    if args.html is None:
        print(text)
        return 0
    try:
        args.html.write_text(page, encoding="utf-8")
    except OSError as unwritable:
        raise CommandError(
            f"timeline: cannot write {args.html}: {unwritable.strerror or unwritable}"
        ) from None
    print(f"wrote {args.html}", file=sys.stderr)
    return 0


def _from_file(path: Path) -> tuple[str, str]:
    data = _read_json(path)
    if isinstance(data, dict) and "format" in data:
        try:
            sim = journal.restore(data)
        except journal.SnapshotError as bad:
            raise CommandError(f"timeline: {path}: {bad}") from None
        runs = sorted(sim.engine.runs.values(), key=lambda run: run.seq)
        text = "\n\n".join(
            f"workflowId={run.workflow_id} runId={run.run_id}\n"
            f"{format_timeline(run.history.events)}"
            for run in runs
        )
        return simulator_to_html(sim, title=f"swfsim timeline of {path.name}"), text
    try:
        events = list(load_history(data).events)  # every form a history is exported in
    except HistoryError as bad:
        raise CommandError(
            f"timeline: {path} is neither a history (a JSON list of events, or an object with "
            f"'events') nor a snapshot written by `swfsim snapshot -o FILE` ({bad})"
        ) from None
    return to_html(events), format_timeline(events)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_bytes())
    except OSError as unreadable:
        raise CommandError(
            f"timeline: cannot read {path}: {unreadable.strerror or unreadable}"
        ) from None
    except ValueError:
        raise CommandError(f"timeline: {path} is not JSON") from None


def _from_endpoint(args: argparse.Namespace) -> tuple[str, str]:
    if not args.domain or not args.workflow_id:
        raise CommandError(
            "timeline: give a history or snapshot FILE, or --domain and --workflow-id of a run "
            "on the endpoint"
        )
    events = _fetch(args, args.workflow_id, args.run_id)
    children = _fetch_children(args, events)
    title = f"{args.workflow_id} in domain {args.domain}"
    return to_html(events, children=children, title=title), format_timeline(events)


def _fetch(args: argparse.Namespace, workflow_id: str, run_id: str | None) -> Events:
    query = {"domain": args.domain, "workflowId": workflow_id}
    if run_id:
        query["runId"] = run_id
    events: Events = _call(args, "GET", "history", query=query)["events"]
    return events


def _fetch_children(args: argparse.Namespace, events: Events) -> dict[str, Events]:
    """Every child run the run started, at any depth (children run in their parent's domain)."""
    children: dict[str, Events] = {}
    pending = [events]
    while pending:
        for lane in read_lanes(pending.pop()).lanes:
            for bar in lane.bars if lane.kind == CHILD else ():
                if bar.child_run and bar.child_run not in children:
                    child = _fetch(args, lane.name, bar.child_run)
                    children[bar.child_run] = child
                    pending.append(child)
    return children
