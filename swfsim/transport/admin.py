"""The admin API of ``swfsim serve``: JSON over HTTP under ``/_swfsim/``.

| method and path | body / query | answer |
|---|---|---|
| ``GET /_swfsim/health`` | | ``{"ok": true}`` |
| ``GET /_swfsim/worlds`` | | every world (account, region) made so far, and the default |
| ``GET /_swfsim/clock`` | | the clock: now, mode, rate, next deadline |
| ``POST /_swfsim/clock/advance`` | ``{"seconds": 60}`` or ``{"to": "<ISO time>"}`` | the clock |
| ``POST /_swfsim/clock/mode`` | ``{"mode": "realtime", "rate": 60}`` | the clock |
| ``POST /_swfsim/reset`` | | a fresh Simulator (and the account's S3 emptied) |
| ``GET /_swfsim/snapshot`` | | the whole state (:mod:`swfsim.journal`) |
| ``POST /_swfsim/restore`` | a snapshot | the clock of the restored state |
| ``GET /_swfsim/history`` | ``?domain=&workflowId=&runId=`` | ``{"events": [...]}`` |

Every route but ``health`` and ``worlds`` addresses one world (:mod:`swfsim.transport.worlds`):
``?account=<12 digits>&region=<name>``, or ``"account"`` and ``"region"`` in the JSON body of
``clock/advance``, ``clock/mode`` and ``reset``; by default the endpoint's default world. A
restore replays the snapshot into the world addressed, which keeps its Lambda functions. A
reset also forgets the S3 buckets and objects of the world's account (S3 is kept per account,
not per region: every region of that account loses them); other accounts keep theirs.

``GET /_swfsim/`` and ``GET /_swfsim/timeline`` answer HTML pages (:mod:`swfsim.transport.pages`).

Errors answer ``{"error": "..."}`` with status 400 (bad request), 404 (unknown path or run) or
405 (wrong method); a request refused changes nothing. Should swfsim itself fail, the answer is
still JSON, with status 500.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from typing import Any

from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from swfsim import journal
from swfsim.clock import from_millis
from swfsim.errors import SWFError, encodable
from swfsim.simulator import Simulator
from swfsim.transport import pages, wire
from swfsim.transport.http import WORLD_KEY, Endpoint, WSGIApp
from swfsim.transport.worlds import World, account_of, world_from

JsonDict = dict[str, Any]
Route = Callable[[Endpoint, Request], JsonDict]
PREFIX = "/_swfsim"
_log = logging.getLogger(__name__)


class AdminError(Exception):
    """A bad admin request; the message says what to send instead."""


def clock_state(sim: Simulator) -> JsonDict:
    """What ``GET /_swfsim/clock`` answers."""
    due = sim.clock.next_deadline_ms()
    return {
        "now": sim.clock.now().isoformat(),
        "epochMillis": sim.clock.now_ms(),
        "mode": sim.clock_mode.value,
        "rate": sim.waiting.rate,
        "nextDeadline": None if due is None else from_millis(due).isoformat(),
    }


def _health(endpoint: Endpoint, request: Request) -> JsonDict:
    return {"ok": True}


def _clock(endpoint: Endpoint, request: Request) -> JsonDict:
    return clock_state(_simulator(endpoint, request))


def _worlds(endpoint: Endpoint, request: Request) -> JsonDict:
    return {
        "default": _world_json(endpoint.default),
        "worlds": [_world_summary(world, sim) for world, sim in endpoint.worlds.items()],
    }


def _advance(endpoint: Endpoint, request: Request) -> JsonDict:
    body = _json(request)
    sim = _simulator(endpoint, request, body)
    if "seconds" in body:
        seconds = body["seconds"]
        if not isinstance(seconds, int | float) or isinstance(seconds, bool) or seconds < 0:
            raise AdminError(f"'seconds' must be a non-negative number, not {seconds!r}")
        sim.clock.advance(seconds)  # ValueError past the end of year 9999
    elif "to" in body:
        sim.clock.advance_to(_moment(body["to"]))
    else:
        raise AdminError('send {"seconds": N} or {"to": "<ISO 8601 time with zone>"}')
    return clock_state(sim)


def _mode(endpoint: Endpoint, request: Request) -> JsonDict:
    body = _json(request)
    sim = _simulator(endpoint, request, body)
    mode, rate = body.get("mode", ""), body.get("rate", 1.0)
    if not isinstance(mode, str):
        raise AdminError(f"'mode' must be a clock mode's name, not {mode!r}")
    if not isinstance(rate, int | float) or isinstance(rate, bool):
        raise AdminError(
            f"'rate' must be a number of virtual seconds per wall second, not {rate!r}"
        )
    sim.set_clock_mode(mode, rate=rate)  # ValueError for an unknown mode or a rate not > 0
    return clock_state(sim)


def _reset(endpoint: Endpoint, request: Request) -> JsonDict:
    world = select_world(endpoint, request, _json(request))
    sim = endpoint.replace(world=world)
    if endpoint.s3_reset is not None:
        endpoint.s3_reset(world.account)
    return clock_state(sim)


def _snapshot(endpoint: Endpoint, request: Request) -> JsonDict:
    return journal.snapshot(_simulator(endpoint, request))


def _restore(endpoint: Endpoint, request: Request) -> JsonDict:
    # The snapshot is replayed into the world addressed (its ARNs then name that world),
    # whichever world it was taken in: one saved state can seed every worker's account.
    world, data = select_world(endpoint, request), _json(request)
    if isinstance(data.get("region"), str) and isinstance(data.get("accountId"), str):
        data = {**data, "region": world.region, "accountId": world.account}
    restored = journal.restore(data)
    # Lambda functions are the server's setup (its factory's, say), not the world's state: the
    # world keeps them, for the Lambda tasks scheduled after the restore.
    restored.engine.lambdas.adopt(endpoint.worlds[world].engine.lambdas)
    return clock_state(endpoint.replace(restored, world))


def _history(endpoint: Endpoint, request: Request) -> JsonDict:
    args = request.args
    domain, workflow_id = args.get("domain"), args.get("workflowId")
    if not domain or not workflow_id:
        raise AdminError("pass ?domain=...&workflowId=... (and optionally &runId=...)")
    try:
        sim = _simulator(endpoint, request)
        events = sim.history(domain, workflow_id, args.get("runId") or None)
    except SWFError as unknown:
        raise NotFound(unknown.message) from None
    return {"events": events}


_ROUTES: dict[str, Route] = {
    "health": _health,
    "clock": _clock,
    "worlds": _worlds,
    "advance": _advance,
    "mode": _mode,
    "reset": _reset,
    "snapshot": _snapshot,
    "restore": _restore,
    "history": _history,
}
_MAP = Map(
    [
        Rule(f"{PREFIX}/health", endpoint="health", methods=["GET"]),
        Rule(f"{PREFIX}/clock", endpoint="clock", methods=["GET"]),
        Rule(f"{PREFIX}/worlds", endpoint="worlds", methods=["GET"]),
        Rule(f"{PREFIX}/clock/advance", endpoint="advance", methods=["POST"]),
        Rule(f"{PREFIX}/clock/mode", endpoint="mode", methods=["POST"]),
        Rule(f"{PREFIX}/reset", endpoint="reset", methods=["POST"]),
        Rule(f"{PREFIX}/snapshot", endpoint="snapshot", methods=["GET"]),
        Rule(f"{PREFIX}/restore", endpoint="restore", methods=["POST"]),
        Rule(f"{PREFIX}/history", endpoint="history", methods=["GET"]),
        Rule(f"{PREFIX}/", endpoint="page", methods=["GET"]),
        Rule(f"{PREFIX}/timeline", endpoint="timeline", methods=["GET"]),
    ]
)


def admin_application(endpoint: Endpoint) -> WSGIApp:
    """The WSGI application serving the admin routes of ``endpoint``."""

    def serve(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        try:
            response = _answer(endpoint, environ)
        except Exception as bug:  # a fault of swfsim itself: say so in JSON, keep serving
            _log.exception("swfsim failed answering an admin request")
            body = wire.encode({"error": f"swfsim failed: {encodable(repr(bug))}"})
            response = Response(body, status=500, mimetype="application/json")
        return response(environ, start_response)

    return serve


def _answer(endpoint: Endpoint, environ: dict[str, Any]) -> Response:
    """The answer to an admin request: a page, or JSON; refusals are 4xx, bugs raise."""
    request = Request(environ)
    try:
        name, _ = _MAP.bind_to_environ(environ).match()
        if name in pages.PAGES:
            return pages.PAGES[name](_simulator(endpoint, request), request)
        answer, status = _ROUTES[name](endpoint, request), 200
    except HTTPException as refused:
        answer, status = {"error": refused.description}, refused.code or 400
    except (AdminError, journal.SnapshotError, ValueError) as bad:
        answer, status = {"error": encodable(str(bad))}, 400
    return Response(wire.encode(answer), status=status, mimetype="application/json")


def select_world(endpoint: Endpoint, request: Request, body: JsonDict | None = None) -> World:
    """The world an admin request addresses: ``?account=&region=`` (or, in a JSON body that
    is not a snapshot, ``"account"`` and ``"region"``); the endpoint's default world's
    account and region where it names none."""
    fields = body or {}
    account = request.args.get("account") or fields.get("account")
    region = request.args.get("region") or fields.get("region")
    if account is not None and not (isinstance(account, str) and account_of(account)):
        raise AdminError(f"'account' must be a 12-digit account id, not {account!r}")
    if region is not None and not isinstance(region, str):
        raise AdminError(f"'region' must be a region name, e.g. us-east-1, not {region!r}")
    try:
        world = world_from(account, region, endpoint.default)
    except SWFError as bad:
        raise AdminError(bad.message) from None
    request.environ[WORLD_KEY] = world  # the request log and the trace stamp its time
    return world


def _simulator(endpoint: Endpoint, request: Request, body: JsonDict | None = None) -> Simulator:
    return endpoint.worlds[select_world(endpoint, request, body)]


def _world_json(world: World) -> JsonDict:
    return {"account": world.account, "region": world.region}


def _world_summary(world: World, sim: Simulator) -> JsonDict:
    with sim.clock.lock:
        runs = list(sim.engine.runs.values())
        return {
            **_world_json(world),
            "domains": len(sim.engine.registry.domains),
            "executions": len(runs),
            "open": sum(run.is_open for run in runs),
            "now": sim.clock.now().isoformat(),
            "mode": sim.clock_mode.value,
        }


def _json(request: Request) -> JsonDict:
    try:
        body = wire.decode(request.get_data(cache=False) or b"{}")
    except ValueError as error:
        raise AdminError(f"the body is not JSON: {error}") from None
    if not isinstance(body, dict):
        raise AdminError("the body must be a JSON object")
    return body


def _moment(text: Any) -> datetime:
    if not isinstance(text, str):
        raise AdminError(f"'to' must be an ISO 8601 time as a string, not {text!r}")
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise AdminError(f"'to' must be an ISO 8601 time, not {text!r}") from None
    if moment.tzinfo is None:
        raise AdminError(f"'to' needs a time zone (e.g. {text}Z)")
    try:
        moment.astimezone(timezone.utc)
    except OverflowError:
        raise AdminError(f"'to' must lie within the years 1 to 9999 in UTC, not {text!r}") from None
    return moment
