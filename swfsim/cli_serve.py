"""``swfsim serve`` and the admin commands that talk to a running endpoint (``--endpoint``)."""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from swfsim.options import Options
from swfsim.server import DEFAULT_HOST, Server, quiet_werkzeug
from swfsim.simulator import Simulator
from swfsim.timeline import format_timeline
from swfsim.trace._wsgi import recorder
from swfsim.transport.connections import DEFAULT_MAX_CONNECTIONS, DEFAULT_READ_TIMEOUT
from swfsim.transport.guard import DEFAULT_MAX_BODY_BYTES
from swfsim.waiting import ClockMode

if TYPE_CHECKING:
    Subcommands = argparse._SubParsersAction[argparse.ArgumentParser]
Number = TypeVar("Number", int, float)
DEFAULT_PORT = 8765
DEFAULT_SETTLE_SECONDS = 0.5
ENDPOINT_HELP = "URL of a running `swfsim serve` (default: $SWFSIM_ENDPOINT or $AWS_ENDPOINT_URL)"
SNAPSHOT_HINT = "give a file written by `swfsim snapshot -o FILE`"


class CommandError(Exception):
    """A command cannot do its job; ``swfsim`` prints the message on one line and exits 2."""


def non_negative_int(text: str) -> int:
    """An argparse type: a whole number >= 0."""
    value = _parse(int, text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, not {text}")
    return value


def non_negative_float(text: str) -> float:
    """An argparse type: a finite number >= 0."""
    value = _parse(float, text)
    if not (math.isfinite(value) and value >= 0):
        raise argparse.ArgumentTypeError(f"must be a number >= 0, not {text}")
    return value


def positive_int(text: str) -> int:
    """An argparse type: a whole number >= 1."""
    value = _parse(int, text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, not {text}")
    return value


def positive_float(text: str) -> float:
    """An argparse type: a finite number > 0."""
    value = _parse(float, text)
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"must be a number > 0, not {text}")
    return value


def port_number(text: str) -> int:
    """An argparse type: a TCP port, or 0 for a free one."""
    value = _parse(int, text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(
            f"must be from 0 to 65535 (0 picks a free one), not {text}"
        )
    return value


def _parse(kind: type[Number], text: str) -> Number:
    try:
        return kind(text)
    except ValueError:
        # argparse would name the function (non_negative_int); name the kind, as it does.
        raise argparse.ArgumentTypeError(f"invalid {kind.__name__} value: {text!r}") from None


def add_commands(subcommands: Subcommands) -> None:
    """Add ``serve`` and the admin commands to the ``swfsim`` parser."""
    _add_serve(subcommands)
    listed = "list the endpoint's worlds (one per account and region)"
    worlds = _admin(subcommands, "worlds", listed, world=False)
    worlds.set_defaults(command=lambda args: _show(_call(args, "GET", "worlds")))
    clock = _admin(subcommands, "clock", "show the endpoint's virtual clock")
    clock.set_defaults(command=lambda args: _show(_call(args, "GET", "clock")))
    advance = _admin(subcommands, "advance", "move the endpoint's clock forward")
    moves = advance.add_mutually_exclusive_group(required=True)
    moves.add_argument(
        "--seconds", type=non_negative_float, help="how far to move it, in virtual seconds"
    )
    moves.add_argument("--to", help="an ISO 8601 time with zone to move it to")
    advance.set_defaults(command=_advance)
    mode = _admin(subcommands, "mode", "show or switch the endpoint's clock mode")
    mode.add_argument(
        "mode",
        nargs="?",
        choices=[m.value for m in ClockMode],
        help="the mode to switch to (default: print the current mode and rate)",
    )
    mode.add_argument(
        "--rate", type=positive_float, help="virtual seconds per wall second (default: 1)"
    )
    mode.set_defaults(command=_mode)
    reset = _admin(
        subcommands, "reset", "forget the world's domains and executions, and its account's S3"
    )
    reset.set_defaults(command=lambda args: _show(_call(args, "POST", "reset")))
    snapshot = _admin(subcommands, "snapshot", "save the endpoint's whole state as JSON")
    snapshot.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    snapshot.set_defaults(command=_snapshot)
    restore = _admin(subcommands, "restore", "load a state saved by `swfsim snapshot`")
    restore.add_argument("file", type=Path, help="a file written by `swfsim snapshot -o FILE`")
    restore.set_defaults(command=_restore)
    history = _admin(subcommands, "history", "print an execution's history")
    history.add_argument("--domain", required=True, help="the domain the execution runs in")
    history.add_argument("--workflow-id", required=True, help="the execution's workflowId")
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
    serve.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=(
            f"address (default: {DEFAULT_HOST}); any other than loopback lets anyone on the "
            "network change the world, and prints a warning"
        ),
    )
    serve.add_argument(
        "--port",
        type=port_number,
        default=DEFAULT_PORT,
        help=f"port (default: {DEFAULT_PORT}); 0 picks a free one",
    )
    serve.add_argument(
        "--seed", type=int, default=0, help="seed of the simulator's ids (default: 0)"
    )
    serve.add_argument(
        "--clock",
        choices=[m.value for m in ClockMode],
        default="realtime",
        help="clock mode (default: realtime, jumping ahead when all clients wait)",
    )
    serve.add_argument(
        "--rate", type=positive_float, default=1.0, help="realtime speed-up (default: 1)"
    )
    serve.add_argument(
        "--settle",
        type=non_negative_float,
        default=DEFAULT_SETTLE_SECONDS,
        help=(
            "wall seconds the realtime clock waits after each SWF answer before jumping ahead, "
            f"so clients between two calls are not jumped over (default: {DEFAULT_SETTLE_SECONDS})"
        ),
    )
    serve.add_argument(
        "--poll-timeout",
        type=non_negative_int,
        default=Options().poll_timeout_seconds,
        help="virtual seconds a long poll waits before its empty answer (default: 60, as AWS)",
    )
    serve.add_argument("--no-s3", action="store_true", help="do not serve S3")
    _add_limits(serve)
    serve.add_argument(
        "--log-requests",
        action="store_true",
        help="print one line per request on stderr (virtual time, path, operation, status)",
    )
    serve.add_argument(
        "--record", type=Path, metavar="FILE", help="record every SWF call to a trace file"
    )
    serve.set_defaults(command=_serve)


def _add_limits(serve: argparse.ArgumentParser) -> None:
    serve.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help=(
            "a Host name to answer besides localhost, loopback addresses and --host, e.g. "
            "host.docker.internal (repeatable; other names are refused against DNS rebinding)"
        ),
    )
    serve.add_argument(
        "--max-connections",
        type=positive_int,
        default=DEFAULT_MAX_CONNECTIONS,
        help=(
            "requests served at once, each on a thread, later ones wait for one; each long "
            f"poll holds one while it waits (default: {DEFAULT_MAX_CONNECTIONS})"
        ),
    )
    serve.add_argument(
        "--read-timeout",
        type=positive_float,
        default=DEFAULT_READ_TIMEOUT,
        help=(
            "wall seconds a request may take to arrive whole once connected (and an answer "
            f"to be taken) before the connection is cut (default: {DEFAULT_READ_TIMEOUT:g})"
        ),
    )
    serve.add_argument(
        "--max-body-bytes",
        type=positive_int,
        default=DEFAULT_MAX_BODY_BYTES,
        help=(
            "largest admin request body read, e.g. a snapshot to restore "
            f"(default: {DEFAULT_MAX_BODY_BYTES}, 64 MiB)"
        ),
    )


def _serve(args: argparse.Namespace) -> int:
    def simulator() -> Simulator:
        return Simulator(
            seed=args.seed,
            clock_mode=args.clock,
            rate=args.rate,
            journal=True,
            options=Options(poll_timeout_seconds=args.poll_timeout),
        )

    # Each call is stamped with the virtual time of the world it addresses.
    recording = (
        recorder(args.record, lambda environ: server.endpoint.addressed(environ))
        if args.record
        else None
    )
    quiet_werkzeug()
    # werkzeug itself reports a port in use, in two lines and without a traceback.
    server = Server(
        simulator,
        host=args.host,
        port=args.port,
        with_s3=not args.no_s3,
        log_requests=args.log_requests,
        settle_seconds=args.settle,
        middleware=recording,
        max_connections=args.max_connections,
        read_timeout=args.read_timeout,
        max_body_bytes=args.max_body_bytes,
        allowed_hosts=args.allow_host,
    )
    services = "SWF" if args.no_s3 else "SWF and S3"
    print(f"swfsim serving {services} at {server.url} (Ctrl-C to stop)", flush=True)
    server.serve_forever()
    print("swfsim stopped", flush=True)
    return 0


def _admin(
    subcommands: Subcommands, name: str, help_text: str, *, world: bool = True
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subcommands.add_parser(
        name, help=help_text, description=help_text
    )
    parser.add_argument("--endpoint", help=ENDPOINT_HELP)
    if world:
        parser.add_argument(
            "--account",
            type=account_id,
            help="the 12-digit account of the world to address: the access key its clients "
            "sign with (default: the endpoint's default account, 123456789012)",
        )
        parser.add_argument(
            "--region", help="the region of the world to address (default: the endpoint's)"
        )
    return parser


def account_id(text: str) -> str:
    """An argparse type: a 12-digit AWS account id."""
    if not (len(text) == 12 and text.isascii() and text.isdigit()):
        raise argparse.ArgumentTypeError(f"must be a 12-digit account id, not {text!r}")
    return text


def _world_query(args: argparse.Namespace) -> dict[str, str]:
    """``?account=&region=`` of the world the command addresses (none: the default world)."""
    named = {"account": getattr(args, "account", None), "region": getattr(args, "region", None)}
    return {name: value for name, value in named.items() if value}


def _endpoint(args: argparse.Namespace) -> str:
    url = args.endpoint or os.environ.get("SWFSIM_ENDPOINT") or os.environ.get("AWS_ENDPOINT_URL")
    if not url:
        raise CommandError(
            "no endpoint: pass --endpoint URL (the URL `swfsim serve` printed) "
            "or set SWFSIM_ENDPOINT"
        )
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise CommandError(f"endpoint {url!r} is not an http:// URL (e.g. http://127.0.0.1:8765)")
    return str(url).rstrip("/")


def _call(
    args: argparse.Namespace,
    method: str,
    route: str,
    body: Any = None,
    query: dict[str, str] | None = None,
) -> Any:
    url = f"{_endpoint(args)}/_swfsim/{route}"
    query = {**(query or {}), **_world_query(args)}
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
        raise CommandError(f"{route}: {_refusal(refused)}") from None
    except urllib.error.URLError as unreachable:
        reason = unreachable.reason
        shown = reason.strerror if isinstance(reason, OSError) and reason.strerror else reason
        raise CommandError(
            f"cannot reach {url}: {shown} (is `swfsim serve` running there?)"
        ) from None
    except (OSError, http.client.HTTPException) as broken:  # a timeout, a dropped connection
        reason = str(broken) or type(broken).__name__
        raise CommandError(f"{route}: no answer from {url}: {reason}") from None
    except ValueError:  # JSONDecodeError
        raise CommandError(f"{route}: {url} did not answer JSON; is it `swfsim serve`?") from None


def _refusal(refused: urllib.error.HTTPError) -> str:
    """The admin API's ``{"error": ...}``, or the HTTP status of a server that is not swfsim."""
    try:
        detail = json.loads(refused.read() or b"{}").get("error")
    except (ValueError, AttributeError):
        detail = None
    return str(detail) if detail else f"HTTP {refused.code} {refused.reason}"


def _show(answer: Any) -> int:
    print(json.dumps(answer, indent=2))
    return 0


def _advance(args: argparse.Namespace) -> int:
    body = {"seconds": args.seconds} if args.seconds is not None else {"to": args.to}
    return _show(_call(args, "POST", "clock/advance", body))


def _mode(args: argparse.Namespace) -> int:
    if args.mode is None:
        if args.rate is not None:
            raise CommandError("--rate needs a mode (e.g. swfsim mode realtime --rate 60)")
        clock = _call(args, "GET", "clock")
        return _show({"mode": clock["mode"], "rate": clock["rate"]})
    rate = 1.0 if args.rate is None else args.rate
    return _show(_call(args, "POST", "clock/mode", {"mode": args.mode, "rate": rate}))


def _snapshot(args: argparse.Namespace) -> int:
    text = json.dumps(_call(args, "GET", "snapshot"))
    if args.output is None:
        print(text)
        return 0
    try:
        args.output.write_text(text)
    except OSError as unwritable:
        raise CommandError(
            f"snapshot: cannot write {args.output}: {unwritable.strerror or unwritable}"
        ) from None
    return 0


def _restore(args: argparse.Namespace) -> int:
    return _show(_call(args, "POST", "restore", _read_snapshot(args.file)))


def _read_snapshot(path: Path) -> dict[str, Any]:
    """The JSON of a snapshot file; CommandError says why it cannot be one."""
    try:
        data = json.loads(path.read_bytes())
    except OSError as unreadable:
        reason = unreadable.strerror or unreadable
        raise CommandError(f"restore: cannot read {path}: {reason}; {SNAPSHOT_HINT}") from None
    except ValueError as broken:  # JSONDecodeError, or bytes that are no text at all
        where = (
            f" (line {broken.lineno}, column {broken.colno}: {broken.msg})"
            if isinstance(broken, json.JSONDecodeError)
            else ""
        )
        raise CommandError(f"restore: {path} is not JSON{where}; {SNAPSHOT_HINT}") from None
    if not isinstance(data, dict):
        raise CommandError(
            f"restore: {path} holds a JSON {type(data).__name__}, not a snapshot; {SNAPSHOT_HINT}"
        )
    return data


def _history(args: argparse.Namespace) -> int:
    query = {"domain": args.domain, "workflowId": args.workflow_id}
    if args.run_id:
        query["runId"] = args.run_id
    events = _call(args, "GET", "history", query=query)["events"]
    print(json.dumps(events, indent=2) if args.json else format_timeline(events))
    sys.stdout.flush()
    return 0
