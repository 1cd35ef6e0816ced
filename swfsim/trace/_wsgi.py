"""Recording at the HTTP level: a WSGI middleware that writes each SWF call it passes.

Used by ``swfsim serve --record`` (around the endpoint) and ``swfsim proxy`` (around the
forwarding application). Only the JSON bodies of SWF calls (``X-Amz-Target`` naming
``SimpleWorkflowService``) are recorded; headers, and so signatures and keys, never are.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from swfsim.trace._format import Call, JsonDict
from swfsim.trace._importer import response_of
from swfsim.trace._scrub import Scrubber
from swfsim.trace._writer import TraceWriter

if TYPE_CHECKING:
    from swfsim.simulator import Simulator

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
SWF_TARGET = "SimpleWorkflowService."


def recording(
    app: WSGIApp, writer: TraceWriter, clock: Callable[[dict[str, Any]], float]
) -> WSGIApp:
    """``app`` writing every SWF call it answers to ``writer``, stamped by ``clock`` (given
    the request's WSGI environ)."""

    def record(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        target = str(environ.get("HTTP_X_AMZ_TARGET", ""))
        if SWF_TARGET not in target:
            return app(environ, start_response)
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        environ["wsgi.input"] = io.BytesIO(body)
        sent = clock(environ)
        answer: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
            answer["status"], answer["headers"] = int(status.split()[0]), headers
            return start_response(status, headers, *rest)

        chunks = list(app(environ, capture))
        operation = target.rpartition(".")[2]
        writer.write(_call(operation, body, answer, b"".join(chunks), sent, clock(environ)))
        return chunks

    return record


def recorder(
    path: Path, simulator: Callable[[dict[str, Any]], Simulator], region: str = "us-east-1"
) -> Callable[[WSGIApp], WSGIApp]:
    """The middleware of ``swfsim serve --record FILE``: each call stamped with the virtual
    time of ``simulator(environ)`` (the current one of the world the call addresses; a reset
    replaces it)."""
    writer = TraceWriter(path, Scrubber(), region=region).open()

    def clock(environ: dict[str, Any]) -> float:
        return simulator(environ).clock.now_ms() / 1000

    return lambda app: recording(app, writer, clock)


def _call(
    operation: str, body: bytes, answer: dict[str, Any], text: bytes, sent: float, done: float
) -> Call:
    headers = {name.lower(): value for name, value in answer["headers"]}
    reply: JsonDict | None = _json(text)
    response = response_of(answer["status"], reply, headers.get("x-amzn-requestid"))
    return Call(operation, _json(body) or {}, response, sent, done)


def _json(data: bytes) -> JsonDict | None:
    try:
        loaded = json.loads(data) if data else None
    except ValueError:
        return None  # not JSON (a proxy's own failure page): the status tells
    return loaded if isinstance(loaded, dict) else None
