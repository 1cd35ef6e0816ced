"""The HTTP endpoint: AWS JSON 1.0 for SWF, the admin API, and S3 for everything else.

``POST /`` with ``X-Amz-Target: SimpleWorkflowService.<Operation>`` (or boto 2's legacy
``com.amazonaws.swf.service.model.SimpleWorkflowService.<Operation>``) is answered by the current
Simulator of the world (account and region, :mod:`swfsim.transport.worlds`) it is signed for,
and so is a ``POST /`` in AWS's JSON protocol (or with no Content-Type) that names no
operation: it gets the protocol's UnknownOperationException. An unsigned SWF request gets
MissingAuthenticationTokenException, as from AWS. ``/_swfsim/...`` is the admin API
(see :mod:`swfsim.transport.admin`); any other request goes to the S3 application given (moto's,
in ``swfsim serve``), as a request of the account its access key names (moto keeps S3 per
account). Every SWF answer closes the connection: clients that fork after connecting
(simpleflow's deciders) then never share a socket, so a response can never reach the wrong
process.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Request, Response

from swfsim.errors import (
    InternalFailure,
    SerializationException,
    SWFError,
    UnknownOperationException,
    ValidationException,
)
from swfsim.hooks import RequestLost, ResponseLost
from swfsim.simulator import Simulator
from swfsim.transport import wire
from swfsim.transport.worlds import (
    World,
    Worlds,
    addressed_world,
    signed_account,
    signed_world,
)

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
MAX_REQUEST_BYTES = 1024 * 1024  # SWF's request size quota (Developer Guide: swf-dg-limits.html)
_TARGET_PREFIXES = (
    "SimpleWorkflowService.",
    "com.amazonaws.swf.service.model.SimpleWorkflowService.",
)
_JSON_TYPES = ("application/x-amz-json-1.0", "application/json")
# Content types of AWS's JSON protocols, which S3 never sends to the root: such a request is
# meant for SWF even without an X-Amz-Target.
_JSON_PROTOCOL_TYPES = (*_JSON_TYPES, "application/x-amz-json-1.1")
# The environ key under which the admin API notes the world a request named (in its query or
# body), for the request log and the trace.
WORLD_KEY = "swfsim.world"
_log = logging.getLogger(__name__)


class Endpoint:
    """The Simulators behind an HTTP endpoint, one per world, swappable by reset and restore.

    ``factory`` makes the default world's Simulator (its account and region name that world),
    and, called again, the template of every other world's (see
    :mod:`swfsim.transport.worlds`). ``settle_seconds``: wall seconds a realtime clock holds
    still after each answer before it may jump ahead (``Simulator.set_clock_mode(settle=...)``);
    applied to every Simulator the endpoint answers from, including reset and restored ones.
    ``s3_reset`` forgets the S3 buckets and objects of the account it is given.
    """

    def __init__(
        self,
        factory: Callable[[], Simulator],
        s3: WSGIApp | None = None,
        s3_reset: Callable[[str], None] | None = None,
        settle_seconds: float = 0.0,
    ) -> None:
        self.settle_seconds = settle_seconds
        self.worlds = Worlds(factory, self._settled)
        self.s3 = s3
        self.s3_reset = s3_reset

    @property
    def default(self) -> World:
        """The world of admin requests that name none: the factory's account and region."""
        return self.worlds.default

    @property
    def simulator(self) -> Simulator:
        """The Simulator answering the default world now."""
        return self.worlds[self.default]

    def addressed(self, environ: dict[str, Any]) -> Simulator:
        """The Simulator of the world a request addresses, whose virtual time stamps it.

        The world an admin request named, else the one its signature names (the default
        world if it names none that can be). An SWF request's world is made now if new (its
        answer makes it anyway); any other request of a world not made yet gets the default
        world's Simulator.
        """
        world = environ.get(WORLD_KEY) or addressed_world(environ, self.default)
        if _for_swf(environ):
            return self.worlds[world]
        return self.worlds.get(world) or self.simulator

    def replace(self, simulator: Simulator | None = None, world: World | None = None) -> Simulator:
        """Answer ``world`` (default: the default world) from ``simulator`` (a fresh one if
        None) from now on.

        Requests already being answered finish on the Simulator they started on.
        """
        return self.worlds.replace(world or self.default, simulator)

    def _settled(self, simulator: Simulator) -> Simulator:
        simulator.waiting.settle = self.settle_seconds
        return simulator


def application(endpoint: Endpoint, admin: WSGIApp) -> WSGIApp:
    """The WSGI application of ``swfsim serve``."""

    def serve(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path.startswith("/_swfsim/") or path == "/_swfsim":
            return admin(environ, start_response)
        if _for_swf(environ) or endpoint.s3 is None:
            return _signed_swf(endpoint, environ)(environ, start_response)
        refused = _s3_fault(endpoint.simulator, environ)
        if refused is not None:
            return refused(environ, start_response)
        # moto's S3 would take every request as its default account's (it finds the account of
        # a key among its IAM users): name it, so each world's account has its own buckets.
        environ["HTTP_X_MOTO_ACCOUNT_ID"] = signed_account(environ, endpoint.default)
        return endpoint.s3(environ, start_response)

    return serve


def _for_swf(environ: dict[str, Any]) -> bool:
    """Whether a request is meant for SWF: it has a target, or is a JSON-protocol POST to /.

    S3 has no ``POST /`` without a bucket and a query; a browser's upload to a virtual-hosted
    bucket (``POST /`` as ``multipart/form-data``) is left to S3.
    """
    if environ.get("HTTP_X_AMZ_TARGET"):
        return True
    mimetype = environ.get("CONTENT_TYPE", "").partition(";")[0].strip().lower()
    return (
        environ.get("REQUEST_METHOD") == "POST"
        and environ.get("PATH_INFO", "") == "/"
        and not environ.get("QUERY_STRING")
        and mimetype in ("", *_JSON_PROTOCOL_TYPES)
    )


def _s3_fault(simulator: Simulator, environ: dict[str, Any]) -> Response | None:
    """An injected S3 failure (swfsim_before_s3_request), written as S3 writes its errors."""
    with simulator.clock.lock:
        status = simulator.plugins.hook.swfsim_before_s3_request(
            simulator=simulator,
            method=environ.get("REQUEST_METHOD", ""),
            path=environ.get("PATH_INFO", ""),
        )
    if status is None:
        return None
    body = (
        '<?xml version="1.0" encoding="UTF-8"?><Error><Code>ServiceUnavailable</Code>'
        "<Message>Please reduce your request rate (injected fault).</Message></Error>"
    )
    return Response(body, status=status, mimetype="application/xml")


def _signed_swf(endpoint: Endpoint, environ: dict[str, Any]) -> Response:
    """The answer of the world the request is signed for; an unsigned one changes nothing."""
    request = Request(environ)
    try:
        world = signed_world(environ, endpoint.default)
    except SWFError as refused:
        return _fault(endpoint.simulator, refused, _response_type(request))
    return _swf(endpoint.worlds[world], request)


def _swf(simulator: Simulator, request: Request) -> Response:
    content_type = _response_type(request)
    try:
        operation = _operation(request)
        params = _body(request)
        response = simulator.handle(operation, params)
        body = wire.encode(response) if response else b""
    except SWFError as fault:
        return _fault(simulator, fault, content_type)
    except (RequestLost, ResponseLost) as lost:
        # A dropped connection, as the client sees it: a 5xx it retries.
        return _fault(simulator, InternalFailure(f"swfsim: {lost}"), content_type)
    except Exception as bug:  # a fault of swfsim itself: answer as AWS does, keep serving
        _log.exception("swfsim failed answering a request")
        return _fault(simulator, InternalFailure(f"swfsim: {bug!r}"), content_type)
    return _response(simulator, 200, body, content_type)


def _operation(request: Request) -> str:
    if request.method != "POST":
        raise UnknownOperationException(f"SWF answers POST requests only, not {request.method}")
    target = request.headers.get("X-Amz-Target", "")
    for prefix in _TARGET_PREFIXES:
        if target.startswith(prefix):
            return target[len(prefix) :]
    if not target:
        raise UnknownOperationException(
            "The request has no X-Amz-Target header: name the operation with "
            "X-Amz-Target: SimpleWorkflowService.<Operation>"
        )
    raise UnknownOperationException(
        f"X-Amz-Target {target!r} names no operation of Amazon SWF (expected "
        "SimpleWorkflowService.<Operation>)"
    )


def _body(request: Request) -> dict[str, Any]:
    mimetype = request.mimetype
    if mimetype and mimetype not in _JSON_TYPES:
        raise SerializationException(
            f"Content-Type {mimetype} is not supported: send application/x-amz-json-1.0"
        )
    length = request.content_length
    if length is not None and length > MAX_REQUEST_BYTES:
        raise ValidationException(
            f"The request is {length} bytes; SWF accepts at most {MAX_REQUEST_BYTES} bytes"
        )
    # One byte over the quota: a body without Content-Length (chunked) is read up to the limit
    # and silently cut there, so reading one byte more is how an oversized one shows.
    request.max_content_length = MAX_REQUEST_BYTES + 1
    try:
        raw = request.get_data(cache=False)
    except HTTPException as unreadable:
        raise SerializationException(f"The request body could not be read: {unreadable}") from None
    if len(raw) > MAX_REQUEST_BYTES:
        raise ValidationException(
            f"The request is over {MAX_REQUEST_BYTES} bytes; SWF accepts at most "
            f"{MAX_REQUEST_BYTES} bytes"
        )
    try:
        params = wire.decode(raw) if raw else {}
    except UnicodeDecodeError as error:
        raise SerializationException(f"The request body is not valid UTF-8: {error}") from None
    except ValueError as error:
        raise SerializationException(f"The request body is not valid JSON: {error}") from None
    if not isinstance(params, dict):
        raise SerializationException("The request body must be a JSON object")
    return params


def _response_type(request: Request) -> str:
    # SWF answered boto 2's application/json requests with application/json (real-aws #1).
    return "application/json" if request.mimetype == "application/json" else _JSON_TYPES[0]


def _fault(simulator: Simulator, fault: SWFError, content_type: str) -> Response:
    return _response(simulator, fault.http_status, wire.encode(fault.to_wire()), content_type)


def _response(simulator: Simulator, status: int, body: bytes, content_type: str) -> Response:
    headers = {
        "x-amzn-RequestId": simulator.ids.request_id(),
        "Content-Type": content_type,
    }
    return Response(body, status=status, headers=headers)
