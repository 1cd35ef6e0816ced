"""``swfsim trace import`` and ``swfsim trace check``."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import botocore.session
from botocore.credentials import Credentials
from werkzeug.serving import BaseWSGIServer, make_server

from swfsim.cli_serve import DEFAULT_PORT, CommandError, port_number
from swfsim.server import DEFAULT_HOST, quiet_werkzeug
from swfsim.trace._checker import CheckResult, check_trace
from swfsim.trace._errors import TraceError
from swfsim.trace._format import load_trace, write_trace
from swfsim.trace._importer import import_source
from swfsim.trace._proxy import forwarding
from swfsim.trace._scrub import Scrubber
from swfsim.trace._writer import TraceWriter
from swfsim.trace._wsgi import recording

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
    _add_proxy(subcommands)


def _add_proxy(subcommands: Subcommands) -> None:
    proxy = subcommands.add_parser(
        "proxy",
        help="forward SWF calls to a real endpoint, recording them",
        description=(
            "Serve on loopback and pass every SWF call on to --upstream, signed with the "
            "credentials botocore finds for this process (AWS_PROFILE, AWS_ACCESS_KEY_ID, ...); "
            "clients may use dummy credentials. Each call is written to the --record trace."
        ),
    )
    proxy.add_argument("--upstream", required=True, help="e.g. https://swf.us-east-1.amazonaws.com")
    proxy.add_argument("--record", required=True, type=Path, metavar="FILE", help="trace to write")
    proxy.add_argument("--region", default="us-east-1", help="signing region (default: us-east-1)")
    proxy.add_argument("--host", default=DEFAULT_HOST, help=f"address (default: {DEFAULT_HOST})")
    proxy.add_argument(
        "--port", type=port_number, default=DEFAULT_PORT, help=f"port (default: {DEFAULT_PORT})"
    )
    proxy.set_defaults(command=_proxy)


def proxy_server(
    upstream: str, record: Path, credentials: Credentials, region: str, host: str, port: int
) -> BaseWSGIServer:
    """A (not yet serving) threaded proxy server that records to ``record``."""
    writer = TraceWriter(record, Scrubber(), region=region).open()
    app = recording(forwarding(upstream, credentials, region), writer, lambda _: time.time())
    return make_server(host, port, app, threaded=True)


def _proxy(args: argparse.Namespace) -> int:
    credentials = botocore.session.Session().get_credentials()
    if credentials is None:
        raise CommandError("proxy: no AWS credentials found to sign the forwarded calls")
    quiet_werkzeug()
    server = proxy_server(
        args.upstream, args.record, credentials, args.region, args.host, args.port
    )
    url = f"http://{server.host}:{server.port}"
    print(f"swfsim proxy at {url} -> {args.upstream}, recording to {args.record}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


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
