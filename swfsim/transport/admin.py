"""The admin API of ``swfsim serve``: JSON over HTTP under ``/_swfsim/``.

| method and path | body / query | answer |
|---|---|---|
| ``GET /_swfsim/health`` | | ``{"ok": true}`` |
| ``GET /_swfsim/clock`` | | the clock: now, mode, rate, next deadline |
| ``POST /_swfsim/clock/advance`` | ``{"seconds": 60}`` or ``{"to": "<ISO time>"}`` | the clock |
| ``POST /_swfsim/clock/mode`` | ``{"mode": "realtime", "rate": 60}`` | the clock |
| ``POST /_swfsim/reset`` | | a fresh Simulator (and empty S3) |
| ``GET /_swfsim/snapshot`` | | the whole state (:mod:`swfsim.journal`) |
| ``POST /_swfsim/restore`` | a snapshot | the clock of the restored state |
| ``GET /_swfsim/history`` | ``?domain=&workflowId=&runId=`` | ``{"events": [...]}`` |

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
from swfsim.transport.http import Endpoint, WSGIApp

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
    return clock_state(endpoint.simulator)


def _advance(endpoint: Endpoint, request: Request) -> JsonDict:
    sim, body = endpoint.simulator, _json(request)
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
    sim = endpoint.simulator
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
    sim = endpoint.replace()
    if endpoint.s3_reset is not None:
        endpoint.s3_reset()
    return clock_state(sim)


def _snapshot(endpoint: Endpoint, request: Request) -> JsonDict:
    return journal.snapshot(endpoint.simulator)


def _restore(endpoint: Endpoint, request: Request) -> JsonDict:
    return clock_state(endpoint.replace(journal.restore(_json(request))))


def _history(endpoint: Endpoint, request: Request) -> JsonDict:
    args = request.args
    domain, workflow_id = args.get("domain"), args.get("workflowId")
    if not domain or not workflow_id:
        raise AdminError("pass ?domain=...&workflowId=... (and optionally &runId=...)")
    try:
        events = endpoint.simulator.history(domain, workflow_id, args.get("runId") or None)
    except SWFError as unknown:
        raise NotFound(unknown.message) from None
    return {"events": events}


_ROUTES: dict[str, Route] = {
    "health": _health,
    "clock": _clock,
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
            return pages.PAGES[name](endpoint, request)
        answer, status = _ROUTES[name](endpoint, request), 200
    except HTTPException as refused:
        answer, status = {"error": refused.description}, refused.code or 400
    except (AdminError, journal.SnapshotError, ValueError) as bad:
        answer, status = {"error": encodable(str(bad))}, 400
    return Response(wire.encode(answer), status=status, mimetype="application/json")


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
