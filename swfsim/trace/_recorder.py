"""``swfsim.record``: record every SWF call of boto3 clients, through botocore's events."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import Any

from botocore.awsrequest import AWSResponse
from botocore.client import BaseClient
from botocore.model import OperationModel

from swfsim.trace._format import Call, JsonDict
from swfsim.trace._scrub import Scrubber
from swfsim.trace._wire import request_body, response_of
from swfsim.trace._writer import TraceWriter
from swfsim.transport.boto import ANSWERED_BY
from swfsim.transport.clients import ClientPatch

_SENT = "swfsim_trace_sent"


class record(contextlib.ContextDecorator):  # noqa: N801 - named like a function, as mock_swf
    """Record the SWF calls of boto3 clients into a trace file.

    Every SWF client created inside the block, and every client in ``clients``, is recorded,
    whether it talks to AWS, to ``swfsim serve`` or to ``mock_swf``. Only request and response
    bodies are written, never headers, so credentials and signatures never reach the trace;
    task tokens, run ids, identities and page tokens become stable aliases; the clients'
    credentials and ``secrets`` are checked for in every line, which is refused if one shows.
    As a decorator, each call of the function is recorded afresh (the file is replaced).

    Args:
        path: the ``.jsonl`` file to write (replaced).
        clients: existing SWF clients to record as well.
        scrub: more member paths to replace by aliases (e.g. ``"input"``, ``"details"``).
        secrets: values that must never be written.
        clock: the time calls are stamped with (seconds since the epoch). By default, a call
            answered by ``mock_swf`` is stamped with its Simulator's virtual clock (so the same
            seed and calls write the same file), any other call with the wall clock.

    Example:
        >>> import boto3, swfsim, tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "t.jsonl"
        >>> with swfsim.mock_swf(), swfsim.record(path):
        ...     swf = boto3.client("swf", region_name="us-east-1")
        ...     _ = swf.list_domains(registrationStatus="REGISTERED")
        >>> [call.operation for call in swfsim.load_trace(path).calls]
        ['ListDomains']
    """

    def __init__(
        self,
        path: str | Path,
        *,
        clients: Iterable[BaseClient] = (),
        scrub: Iterable[str] = (),
        secrets: Iterable[str] = (),
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.path = Path(path)
        self._scrub = tuple(scrub)
        self._secrets = tuple(secrets)
        self._clock = clock
        self._patch = ClientPatch(self._attach, clients, owner="record")
        self._writer: TraceWriter | None = None
        self._id = f"swfsim-record-{id(self)}"

    def __enter__(self) -> record:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def count(self) -> int:
        """How many calls were written."""
        return self._writer.count if self._writer is not None else 0

    def start(self) -> None:
        """Begin recording."""
        scrubber = Scrubber(self._scrub, self._secrets)
        self._writer = TraceWriter(self.path, scrubber, clock=self._clock or time.time)
        self._patch.start()

    def stop(self) -> None:
        """Stop recording, detach from every client and close the file."""
        for client in self._patch.stop():
            events = client.meta.events
            events.unregister("before-parameter-build.swf", unique_id=self._id + "-sent")
            events.unregister("after-call.swf", unique_id=self._id)
        if self._writer is not None:
            self._writer.close()

    def attach(self, client: BaseClient) -> BaseClient:
        """Record an existing client too (while active); returns it."""
        self._patch.add(client)
        return client

    def _attach(self, client: BaseClient) -> None:
        assert self._writer is not None
        # The credentials are never written; they are only looked for, to refuse a line.
        credentials = getattr(getattr(client, "_request_signer", None), "_credentials", None)
        if credentials is not None:
            frozen = credentials.get_frozen_credentials()
            self._writer.scrubber.add_secrets([frozen.secret_key, frozen.token, frozen.access_key])
        if self._writer.region is None:
            self._writer.region = client.meta.region_name
        events = client.meta.events
        events.register_last(
            "before-parameter-build.swf", self._note_sent, unique_id=self._id + "-sent"
        )
        events.register_last("after-call.swf", self._write, unique_id=self._id)

    def _note_sent(self, params: JsonDict, context: JsonDict, **_: Any) -> None:
        context[_SENT] = (self._now(), params)

    def _now(self) -> float:
        return self._clock() if self._clock is not None else time.time()

    def _times(self, sent: float, context: JsonDict) -> tuple[float, float]:
        """When the call was sent and answered: on the clock of the Simulator that answered
        it, if one did (mock_swf notes it in the request's context) and no clock was given."""
        answered_by = context.get(ANSWERED_BY)
        if self._clock is not None or answered_by is None:
            return sent, self._now()
        simulator, received = answered_by
        return received, simulator.clock.now_ms() / 1000

    def _write(
        self,
        http_response: AWSResponse,
        parsed: JsonDict,
        model: OperationModel,
        context: JsonDict,
        **_: Any,
    ) -> None:
        assert self._writer is not None
        sent, params = context.pop(_SENT, (self._now(), {}))
        sent, answered = self._times(sent, context)
        response = response_of(http_response, parsed)
        call = Call(model.name, request_body(params, model), response, sent, answered)
        self._writer.write(call)
