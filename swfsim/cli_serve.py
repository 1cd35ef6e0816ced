"""``swfsim serve`` and the admin commands that talk to a running endpoint (``--endpoint``)."""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Any

from swfsim.options import Options
from swfsim.server import DEFAULT_HOST, Server, quiet_werkzeug
from swfsim.simulator import Simulator
from swfsim.timeline import format_timeline
from swfsim.waiting import ClockMode

if TYPE_CHECKING:
    Subcommands = argparse._SubParsersAction[argparse.ArgumentParser]
DEFAULT_SETTLE_SECONDS = 0.5
ENDPOINT_HELP = "URL of a running `swfsim serve` (default: $SWFSIM_ENDPOINT or $AWS_ENDPOINT_URL)"


def add_commands(subcommands: Subcommands) -> None:
    """Add ``serve`` and the admin commands to the ``swfsim`` parser."""
    _add_serve(subcommands)
    clock = _admin(subcommands, "clock", "show the endpoint's virtual clock")
    clock.set_defaults(command=lambda args: _show(_call(args, "GET", "clock")))
    advance = _admin(subcommands, "advance", "move the endpoint's clock forward")
    moves = advance.add_mutually_exclusive_group(required=True)
    moves.add_argument("--seconds", type=float, help="how far to move it")
    moves.add_argument("--to", help="an ISO 8601 time with zone to move it to")
    advance.set_defaults(command=_advance)
    mode = _admin(subcommands, "mode", "switch the endpoint's clock mode")
    mode.add_argument("mode", choices=[m.value for m in ClockMode])
    mode.add_argument("--rate", type=float, default=1.0, help="virtual seconds per wall second")
    mode.set_defaults(
        command=lambda args: _show(
            _call(args, "POST", "clock/mode", {"mode": args.mode, "rate": args.rate})
        )
    )
    reset = _admin(subcommands, "reset", "forget every domain, execution and S3 object")
    reset.set_defaults(command=lambda args: _show(_call(args, "POST", "reset")))
    snapshot = _admin(subcommands, "snapshot", "save the endpoint's whole state as JSON")
    snapshot.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    snapshot.set_defaults(command=_snapshot)
    restore = _admin(subcommands, "restore", "load a state saved by `swfsim snapshot`")
    restore.add_argument("file", type=Path)
    restore.set_defaults(command=_restore)
    history = _admin(subcommands, "history", "print an execution's history")
    history.add_argument("--domain", required=True)
    history.add_argument("--workflow-id", required=True)
    history.add_argument("--run-id", help="the run (default: the latest run)")
    history.add_argument("--json", action="store_true", help="print the raw events")
    history.set_defaults(command=_history)


def _add_serve(subcommands: Subcommands) -> None:
    serve = subcommands.add_parser(
        "serve",
        help="serve the simulator as an AWS endpoint (SWF and S3) on loopback",
        description=(
            "Serve SWF (AWS JSON 1.0), S3 (moto) and the admin API on one port. Point any SDK "
            "at the printed URL, e.g. AWS_ENDPOINT_URL=<url> with dummy credentials."
        ),
    )
    serve.add_argument("--host", default=DEFAULT_HOST, help=f"address (default: {DEFAULT_HOST})")
    serve.add_argument("--port", type=int, default=8765, help="port; 0 picks a free one")
    serve.add_argument("--seed", type=int, default=0, help="seed of the simulator's ids")
    serve.add_argument(
        "--clock",
        choices=[m.value for m in ClockMode],
        default="realtime",
        help="clock mode (default: realtime, jumping ahead when all clients wait)",
    )
    serve.add_argument("--rate", type=float, default=1.0, help="realtime speed-up (default: 1)")
    serve.add_argument(
        "--settle",
        type=float,
        default=DEFAULT_SETTLE_SECONDS,
        help=(
            "wall seconds the realtime clock waits after each SWF answer before jumping ahead, "
            f"so clients between two calls are not jumped over (default: {DEFAULT_SETTLE_SECONDS})"
        ),
    )
    serve.add_argument(
        "--poll-timeout",
        type=int,
        default=Options().poll_timeout_seconds,
        help="virtual seconds a long poll waits before its empty answer (default: 60, as AWS)",
    )
    serve.add_argument("--no-s3", action="store_true", help="do not serve S3")
    serve.add_argument("--log-requests", action="store_true", help="log each request")
    serve.set_defaults(command=_serve)


def _serve(args: argparse.Namespace) -> int:
    def simulator() -> Simulator:
        return Simulator(
            seed=args.seed,
            clock_mode=args.clock,
            rate=args.rate,
            journal=True,
            options=Options(poll_timeout_seconds=args.poll_timeout),
        )

    quiet_werkzeug()
    server = Server(
        simulator,
        host=args.host,
        port=args.port,
        with_s3=not args.no_s3,
        log_requests=args.log_requests,
        settle_seconds=args.settle,
    )
    services = "SWF" if args.no_s3 else "SWF and S3"
    print(f"swfsim serving {services} at {server.url} (Ctrl-C to stop)", flush=True)
    server.serve_forever()
    print("swfsim stopped", flush=True)
    return 0


def _admin(subcommands: Subcommands, name: str, help_text: str) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subcommands.add_parser(
        name, help=help_text, description=help_text
    )
    parser.add_argument("--endpoint", help=ENDPOINT_HELP)
    return parser


def _endpoint(args: argparse.Namespace) -> str:
    url = args.endpoint or os.environ.get("SWFSIM_ENDPOINT") or os.environ.get("AWS_ENDPOINT_URL")
    if not url:
        raise SystemExit("swfsim: pass --endpoint URL (the URL `swfsim serve` printed)")
    return str(url).rstrip("/")


def _call(
    args: argparse.Namespace,
    method: str,
    route: str,
    body: Any = None,
    query: dict[str, str] | None = None,
) -> Any:
    url = f"{_endpoint(args)}/_swfsim/{route}"
    if query:
        url += "?" + urllib.parse.urlencode(query)
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        url, data=data, method=method, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as refused:
        detail = json.loads(refused.read() or b"{}").get("error", refused.reason)
        raise SystemExit(f"swfsim: {route}: {detail}") from None
    except urllib.error.URLError as unreachable:
        raise SystemExit(f"swfsim: cannot reach {url}: {unreachable.reason}") from None


def _show(answer: Any) -> int:
    print(json.dumps(answer, indent=2))
    return 0


def _advance(args: argparse.Namespace) -> int:
    body = {"seconds": args.seconds} if args.seconds is not None else {"to": args.to}
    return _show(_call(args, "POST", "clock/advance", body))


def _snapshot(args: argparse.Namespace) -> int:
    text = json.dumps(_call(args, "GET", "snapshot"))
    if args.output is None:
        print(text)
    else:
        args.output.write_text(text)
    return 0


def _restore(args: argparse.Namespace) -> int:
    return _show(_call(args, "POST", "restore", json.loads(args.file.read_text())))


def _history(args: argparse.Namespace) -> int:
    query = {"domain": args.domain, "workflowId": args.workflow_id}
    if args.run_id:
        query["runId"] = args.run_id
    events = _call(args, "GET", "history", query=query)["events"]
    print(json.dumps(events, indent=2) if args.json else format_timeline(events))
    sys.stdout.flush()
    return 0
