"""``swfsim.replay_trace``: answer boto3 SWF calls from a recorded trace."""

from __future__ import annotations

import contextlib
import email.utils
import functools
import json
import threading
from collections import deque
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import Any

import botocore.session
from botocore.awsrequest import AWSResponse
from botocore.client import BaseClient
from botocore.model import OperationModel

from swfsim.trace._answers import check_answers
from swfsim.trace._errors import TraceMismatchError, TraceNotExhaustedError
from swfsim.trace._format import Call, JsonDict, Trace, load_trace
from swfsim.trace._match import (
    Aliases,
    Key,
    bind_all,
    describe,
    differences,
    key_of,
    side_by_side,
)
from swfsim.trace._wire import parsed_answer
from swfsim.transport.clients import ClientPatch

CLOSEST = 3  # recorded calls shown when a call matches none
_DUMMY_KEY = "swfsim-not-a-real-key"


class replay_trace(contextlib.ContextDecorator):  # noqa: N801 - named like mock_swf
    """Answer SWF calls of boto3 clients from a recorded trace, without network.

    Calls are matched on their operation and identifying members (domain, workflowId, task
    list, token, ...); recorded calls of the same key are answered in order, others in any
    order; ``PollFor*`` gets the next task recorded for its task list. A call that matches
    nothing fails with :class:`swfsim.TraceMismatchError` showing the closest recorded calls side by
    side; a call past the last recorded one of its key fails too (no wrap-around).
    As a decorator, each call of the function replays the whole trace afresh.

    Args:
        trace: a trace file, or a loaded :class:`swfsim.trace.Trace`.
        strict: on a clean exit, fail with :class:`swfsim.TraceNotExhaustedError` if recorded calls
            were not made (lenient when False).
        clients: existing SWF clients to answer as well.

    Raises:
        TraceFormatError: the trace is not valid, or a recorded answer does not fit its
            operation's output shape in botocore's model (the stub answers only what SWF sends).

    Example:
        >>> import boto3, swfsim, tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "t.jsonl"
        >>> with swfsim.mock_swf(), swfsim.record(path):
        ...     swf = boto3.client("swf", region_name="us-east-1")
        ...     _ = swf.register_domain(name="d", workflowExecutionRetentionPeriodInDays="1")
        >>> with swfsim.replay_trace(path):
        ...     swf = boto3.client("swf", region_name="us-east-1")
        ...     swf.register_domain(name="d", workflowExecutionRetentionPeriodInDays="1")[
        ...         "ResponseMetadata"]["HTTPStatusCode"]
        200
    """

    def __init__(
        self, trace: str | Path | Trace, *, strict: bool = True, clients: Iterable[BaseClient] = ()
    ) -> None:
        if isinstance(trace, Trace):
            check_answers(trace)  # a file's answers are checked by load_trace
        self.trace = trace if isinstance(trace, Trace) else load_trace(trace)
        self.strict = strict
        self._patch = ClientPatch(
            self._attach, clients, self._prepare, owner="replay_trace", answers=True
        )
        self._id = f"swfsim-replay-{id(self)}"
        self._lock = threading.Lock()
        self._reset()

    def _reset(self) -> None:
        self._queues: dict[Key, deque[int]] = {}
        for index, call in enumerate(self.trace.calls):
            self._queues.setdefault(key_of(call.operation, call.request), deque()).append(index)
        self._used: set[int] = set()
        self._aliases = Aliases()

    def __enter__(self) -> replay_trace:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
        if kind is None and self.strict:
            self.check_all_made()

    @property
    def unmade(self) -> list[Call]:
        """The recorded calls not made yet, in recorded order."""
        return [c for i, c in enumerate(self.trace.calls) if i not in self._used]

    def start(self) -> None:
        """Begin answering from the trace (from its first call)."""
        self._reset()
        self._patch.start()

    def stop(self) -> None:
        """Stop answering; the clients go back to their endpoints."""
        for client in self._patch.stop():
            client.meta.events.unregister("before-call.swf", unique_id=self._id)

    def check_all_made(self) -> None:
        """Raise :class:`swfsim.TraceNotExhaustedError` listing the recorded calls never made."""
        unmade = [(i, c) for i, c in enumerate(self.trace.calls) if i not in self._used]
        if unmade:
            shown = "\n".join(
                f"  line {i + 2}: {describe(c.operation, c.request)}" for i, c in unmade
            )
            raise TraceNotExhaustedError(
                f"{len(unmade)} of {len(self.trace.calls)} recorded calls were not made "
                f"(strict replay; pass strict=False to allow it):\n{shown}"
            )

    def _prepare(self, session: botocore.session.Session, kwargs: dict[str, Any]) -> None:
        # No network and no credential search: the trace answers everything.
        if kwargs.get("region_name") is None and not session.get_config_variable("region"):
            kwargs["region_name"] = self.trace.header.region
        if kwargs.get("aws_access_key_id") is None:
            kwargs["aws_access_key_id"] = kwargs["aws_secret_access_key"] = _DUMMY_KEY

    def _attach(self, client: BaseClient) -> None:
        handler: Callable[..., Any] = functools.partial(self._answer, client)
        client.meta.events.register_first("before-call.swf", handler, unique_id=self._id)

    def _answer(
        self, client: BaseClient, model: OperationModel, params: JsonDict, **_: Any
    ) -> tuple[AWSResponse, JsonDict] | None:
        if not self._patch.answers_now(client):
            return None  # an inner block this client was handed to answers it
        request: JsonDict = json.loads(params.get("body") or b"{}")
        if not self.trace.header.requests:
            request = {}  # placebo kept answers only: match on the operation alone
        with self._lock:
            index = self._match(model.name, request)
            call = self.trace.calls[index]
            bind_all(call.request, request, self._aliases)
            self._used.add(index)
        when = call.answered if call.answered is not None else call.sent
        return parsed_answer(call.response, model, email.utils.formatdate(when, usegmt=True))

    def _match(self, operation: str, request: JsonDict) -> int:
        key = key_of(operation, request)
        queue = self._queues.get(key)
        if queue is None:
            raise TraceMismatchError(self._no_match(operation, request))
        if not queue:
            recorded = sum(1 for c in self.trace.calls if key_of(c.operation, c.request) == key)
            raise TraceMismatchError(
                f"the trace ran out of {describe(operation, request)}: it recorded {recorded} "
                f"such call(s) and all were answered; the code makes more calls than were "
                "recorded (a trace is never replayed from the start again)"
            )
        index = queue[0]
        paths = differences(self.trace.calls[index].request, request, self._aliases)
        if paths:
            table = side_by_side(self.trace.calls[index], index + 2, request, paths)
            raise TraceMismatchError(
                f"{describe(operation, request)} differs from the next recorded call of "
                f"that key:\n{table}"
            )
        return queue.popleft()

    def _no_match(self, operation: str, request: JsonDict) -> str:
        candidates = sorted(
            (
                (c.operation != operation, len(found), i, found)
                for i, c in enumerate(self.trace.calls)
                if i not in self._used
                for found in [differences(c.request, request, Aliases())]
            ),
        )[:CLOSEST]
        if candidates and not candidates[0][0]:  # calls of the same operation only, if any
            candidates = [candidate for candidate in candidates if not candidate[0]]
        head = f"no recorded call matches {describe(operation, request)}"
        if not candidates:
            return f"{head}; every recorded call was already made"
        tables = [
            side_by_side(self.trace.calls[i], i + 2, request, found or ["(operation)"])
            for _, _, i, found in candidates
        ]
        return head + "; the closest recorded calls not made yet:\n" + "\n".join(tables)
