"""``mock_swf``: route boto3/botocore SWF clients to a Simulator, in process.

Each SWF client is patched on its own event emitter (``before-call``, the earliest event that may
answer a call), after botocore has validated and serialized the request exactly as it would for
AWS. The handler hands the wire request to the Simulator and returns what botocore's parser would
have produced from AWS's answer. To reach clients created inside the block,
``Session.create_client`` is wrapped for the duration of the block and restored on exit;
botocore's global handler list is never touched.
"""

from __future__ import annotations

import email.utils
import functools
import inspect
import itertools
import json
import logging
import weakref
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from types import TracebackType
from typing import Any, ParamSpec, TypeVar, cast

import botocore.session
from botocore.awsrequest import AWSResponse
from botocore.client import BaseClient
from botocore.exceptions import ConnectionClosedError
from botocore.model import OperationModel
from botocore.parsers import create_parser
from botocore.utils import parse_timestamp

from swfsim import spec
from swfsim.errors import InternalFailure, SerializationException, SWFError, ValidationException
from swfsim.hooks import RequestLost, ResponseLost
from swfsim.simulator import Simulator
from swfsim.transport import wire
from swfsim.transport.parsed import converter

P = ParamSpec("P")
R = TypeVar("R")
_log = logging.getLogger(__name__)
_CONTENT_TYPE = "application/x-amz-json-1.0"
_DUMMY_KEY = "swfsim-not-a-real-key"
_URL = "https://swf.swfsim.invalid/"
MAX_REQUEST_BYTES = 1024 * 1024  # SWF's request size quota (digest §16)


class mock_swf:  # noqa: N801 - named like moto's mock_aws, which users already know
    """Route SWF clients to a :class:`Simulator` instead of AWS.

    Use it as a context manager (it yields the Simulator) or as a decorator. Inside, every SWF
    client that botocore creates, and every client passed in ``clients``, answers from the
    Simulator: no network, no credentials. On exit everything is restored.

    Args:
        simulator: the Simulator to answer from; a new ``Simulator()`` per use if omitted.
        clients: existing SWF clients to route as well.

    Example:
        >>> import boto3, swfsim
        >>> with swfsim.mock_swf() as sim:
        ...     swf = boto3.client("swf", region_name="us-east-1")
        ...     swf.register_domain(name="d", workflowExecutionRetentionPeriodInDays="1")
        ...     swf.list_domains(registrationStatus="REGISTERED")["domainInfos"][0]["name"]
        'd'
    """

    def __init__(self, simulator: Simulator | None = None, *, clients: Iterable[BaseClient] = ()):
        self._given = simulator
        self.simulator = simulator or Simulator()
        self._initial_clients = list(clients)
        self._clients: weakref.WeakSet[BaseClient] = weakref.WeakSet()
        self._original_create_client: Callable[..., Any] | None = None
        self._handler_id = f"swfsim-{id(self)}"
        self._frozen: AbstractContextManager[None] | None = None

    def __enter__(self) -> Simulator:
        self.start()
        return self.simulator

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __call__(self, func: Callable[P, R]) -> Callable[P, R]:
        """Decorate ``func`` so that each call runs inside the mock (a fresh Simulator per call
        unless one was given)."""

        @functools.wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            if self._given is None:
                self.simulator = Simulator()
            with self:
                return func(*args, **kwargs)

        return wrapper

    def start(self) -> None:
        """Begin routing: wrap client creation and attach to the clients given."""
        if self._original_create_client is not None:
            raise RuntimeError("this mock_swf is already active")
        for client in self._initial_clients:
            _check_swf(client)
        original = botocore.session.Session.create_client
        self._original_create_client = original
        botocore.session.Session.create_client = self._wrap_create_client(original)  # type: ignore[method-assign]
        for client in self._initial_clients:
            self.attach(client)
        if self.simulator.freeze_time:
            self._frozen = self.simulator.frozen_time()
            self._frozen.__enter__()

    def stop(self) -> None:
        """Stop routing: restore client creation and detach from every client."""
        if self._original_create_client is None:
            return
        if self._frozen is not None:
            self._frozen.__exit__(None, None, None)
            self._frozen = None
        botocore.session.Session.create_client = self._original_create_client  # type: ignore[method-assign]
        self._original_create_client = None
        for client in list(self._clients):
            client.meta.events.unregister("before-call.swf", unique_id=self._handler_id)
        self._clients = weakref.WeakSet()

    def attach(self, client: BaseClient) -> BaseClient:
        """Route an existing SWF client to the Simulator; returns the client."""
        _check_swf(client)
        handler: Callable[..., Any] = _CallHandler(self, client)
        client.meta.events.register_first("before-call.swf", handler, unique_id=self._handler_id)
        self._clients.add(client)
        return client

    def _wrap_create_client(self, original: Callable[..., Any]) -> Callable[..., Any]:
        signature = inspect.signature(original)
        region = self.simulator.region

        @functools.wraps(original)
        def create_client(*args: Any, **kwargs: Any) -> Any:
            bound = signature.bind(*args, **kwargs)
            arguments = bound.arguments
            if arguments.get("service_name") != spec.SERVICE_NAME:
                return original(*args, **kwargs)
            session = arguments["self"]
            if arguments.get("region_name") is None and not session.get_config_variable("region"):
                arguments["region_name"] = region
            # Credentials are never used; setting them keeps botocore from searching for them
            # (which can reach the instance metadata service over the network).
            if arguments.get("aws_access_key_id") is None:
                arguments["aws_access_key_id"] = _DUMMY_KEY
                arguments["aws_secret_access_key"] = _DUMMY_KEY
            client = original(*bound.args, **bound.kwargs)
            return self.attach(client)

        return create_client


def _check_swf(client: BaseClient) -> None:
    service = client.meta.service_model.service_name
    if service != spec.SERVICE_NAME:
        raise ValueError(f"mock_swf routes SWF clients only, not {service} clients")


def _timestamp_parser(client: BaseClient) -> Callable[[Any], Any]:
    # botocore keeps a client's parser settings private; honour a custom timestamp parser.
    factory = getattr(getattr(client, "_endpoint", None), "_response_parser_factory", None)
    defaults = getattr(factory, "_defaults", {}) if factory is not None else {}
    parser: Callable[[Any], Any] = defaults.get("timestamp_parser") or parse_timestamp
    return parser


class _CallHandler:
    """The ``before-call`` handler of one client.

    It retries as botocore would when the answer is retryable (throttling, a 5xx, a lost
    connection): the client's own retry handler decides (``needs-retry``), but no time is
    slept; the retry happens at the same virtual moment, so runs stay deterministic.
    """

    def __init__(self, mock: mock_swf, client: BaseClient) -> None:
        self._mock = mock
        self._client = client
        self._timestamp_parser = _timestamp_parser(client)

    def __call__(
        self, model: OperationModel, params: dict[str, Any], **_: Any
    ) -> tuple[AWSResponse, dict[str, Any]]:
        for attempt in itertools.count(1):
            answer: tuple[AWSResponse, dict[str, Any]] | None = None
            lost: Exception | None = None
            try:
                answer = self._answer(model, params)
            except (RequestLost, ResponseLost) as cause:
                lost = ConnectionClosedError(endpoint_url=_URL)
                lost.__cause__ = cause
            if (answer is None or answer[0].status_code >= 300) and self._retry(
                model, params, attempt, answer, lost
            ):
                continue
            if lost is not None:
                raise lost
            assert answer is not None
            answer[1]["ResponseMetadata"]["RetryAttempts"] = attempt - 1
            return answer
        raise AssertionError("unreachable")

    def _retry(
        self,
        model: OperationModel,
        params: dict[str, Any],
        attempt: int,
        answer: tuple[AWSResponse, dict[str, Any]] | None,
        lost: Exception | None,
    ) -> bool:
        events: Any = self._client.meta.events  # an EventAliaser; botocore's stubs say less
        _, delay = events.emit_until_response(
            f"needs-retry.swf.{model.name}",
            response=answer,
            endpoint=getattr(self._client, "_endpoint", None),
            operation=model,
            attempts=attempt,
            caught_exception=lost,
            request_dict=params,
        )
        return delay is not None

    def _answer(
        self, model: OperationModel, params: dict[str, Any]
    ) -> tuple[AWSResponse, dict[str, Any]]:
        simulator = self._mock.simulator
        body = params.get("body") or b"{}"
        try:
            if len(body) > MAX_REQUEST_BYTES:
                raise ValidationException(
                    f"The request is {len(body)} bytes; SWF accepts at most {MAX_REQUEST_BYTES}"
                )
            response = simulator.handle(model.name, _decoded(body))
        except SWFError as fault:
            return _error(simulator, model, fault)
        except (RequestLost, ResponseLost):
            raise
        except Exception as bug:  # a fault of swfsim itself: answer as AWS does, never a traceback
            _log.exception("swfsim failed answering %s", model.name)
            return _error(simulator, model, InternalFailure(f"swfsim: {bug!r}"))
        return _success(simulator, model, response, self._timestamp_parser)


def _decoded(body: bytes) -> Any:
    """The request botocore serialized, read as the HTTP endpoint reads it."""
    try:
        return wire.decode(body)
    except ValueError as error:
        raise SerializationException(f"The request body is not valid JSON: {error}") from None


def _headers(simulator: Simulator, length: int) -> dict[str, str]:
    return {
        "x-amzn-requestid": simulator.ids.request_id(),
        "content-type": _CONTENT_TYPE,
        "content-length": str(length),
        "date": email.utils.formatdate(simulator.clock.now_ms() / 1000, usegmt=True),
    }


def _success(
    simulator: Simulator,
    model: OperationModel,
    response: dict[str, Any],
    timestamp_parser: Callable[[Any], Any],
) -> tuple[AWSResponse, dict[str, Any]]:
    length = len(json.dumps(response, separators=(",", ":"))) if response else 0
    headers = _headers(simulator, length)
    output = model.output_shape
    parsed = converter(output.name, timestamp_parser)(response) if output is not None else {}
    parsed["ResponseMetadata"] = _metadata(headers, 200)
    return _http(200, headers), parsed


def _error(
    simulator: Simulator, model: OperationModel, fault: SWFError
) -> tuple[AWSResponse, dict[str, Any]]:
    body = json.dumps(fault.to_wire()).encode()
    headers = _headers(simulator, len(body))
    response_dict = {"status_code": fault.http_status, "headers": headers, "body": body}
    parser = create_parser("json")
    parsed: dict[str, Any] = parser.parse(response_dict, cast(Any, model.output_shape))
    error_shape = model.service_model.shape_for_error_code(cast(Any, fault.code))
    if error_shape is not None:
        parsed.update(parser.parse(response_dict, error_shape))
    return _http(fault.http_status, headers), parsed


def _http(status: int, headers: dict[str, str]) -> AWSResponse:
    return AWSResponse(_URL, status, cast(Any, headers), None)


def _metadata(headers: dict[str, str], status: int) -> dict[str, Any]:
    return {
        "RequestId": headers["x-amzn-requestid"],
        "HTTPStatusCode": status,
        "HTTPHeaders": dict(headers),
        "RetryAttempts": 0,
    }
