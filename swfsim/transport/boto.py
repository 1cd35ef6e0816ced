"""``mock_swf``: route boto3/botocore SWF clients to a Simulator, in process.

Each SWF client is patched on its own event emitter (``before-call``, the earliest event that may
answer a call), after botocore has validated and serialized the request exactly as it would for
AWS. The handler hands the wire request to the Simulator and returns what botocore's parser would
have produced from AWS's answer (with the HTTP body, encoded only if read: see ``answer.py``).
To reach clients created inside the block, ``Session.create_client`` is wrapped while any block is
active and restored when the last one ends; botocore's global handler list is never touched.
Blocks nest: a client is answered by the innermost block it was made in or handed to (``clients``).

Each region is a world of its own, as on AWS: a client talks to the Simulator of its region.
"""

from __future__ import annotations

import email.utils
import functools
import itertools
import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager
from datetime import datetime
from types import MappingProxyType, TracebackType
from typing import Any, ClassVar, ParamSpec, TypedDict, TypeVar, cast, overload

import botocore.session
from botocore.awsrequest import AWSResponse
from botocore.client import BaseClient
from botocore.exceptions import ConnectionClosedError
from botocore.model import OperationModel
from botocore.parsers import create_parser
from botocore.utils import parse_timestamp

from swfsim.errors import InternalFailure, SerializationException, SWFError, ValidationException
from swfsim.hooks import RequestLost, ResponseLost
from swfsim.options import Options
from swfsim.simulator import DEFAULT_REGION, Simulator
from swfsim.transport import wire
from swfsim.transport.answer import URL, WireBody, http_response, metadata_headers
from swfsim.transport.clients import ClientPatch
from swfsim.transport.parsed import converter
from swfsim.transport.worlds import World, sibling
from swfsim.waiting import ClockMode

P = ParamSpec("P")
R = TypeVar("R")
_log = logging.getLogger(__name__)
_CONTENT_TYPE = "application/x-amz-json-1.0"
_DUMMY_KEY = "swfsim-not-a-real-key"
MAX_REQUEST_BYTES = 1024 * 1024  # SWF's request size quota (Developer Guide: swf-dg-limits.html)
# The request-context member in which a routed call notes the Simulator answering it and the
# virtual time it got the call: swfsim.record stamps the call with that clock, not the wall's.
ANSWERED_BY = "swfsim_answered_by"


class _Settings(TypedDict, total=False):
    """The settings ``mock_swf`` gives each Simulator it creates (unset ones keep their default)."""

    seed: int
    start: datetime
    region: str
    options: Options
    clock_mode: ClockMode | str


class mock_swf:  # noqa: N801 - named like moto's mock_aws, which users already know
    """Route SWF clients to a :class:`Simulator` instead of AWS.

    Use it as a context manager (it yields the Simulator) or as a decorator, with or without
    parentheses (``@mock_swf``, ``@mock_swf()``, ``@mock_swf(seed=7)``); a decorated function
    reaches its Simulator with :meth:`current`. Inside, every SWF client that botocore creates,
    and every client passed in ``clients``, answers from a Simulator: no network, no
    credentials. On exit everything is restored.

    Blocks nest (a class decorator and a ``with``, a fixture and a decorator): a client is
    answered by the innermost active block it was created in or handed to, and a client created
    in a block is unpatched when that block ends, whatever blocks are around it. :meth:`current`
    names the innermost block's Simulator, the one that answers clients created now.

    Without a ``simulator``, each use (each ``with``, each call of a decorated function) gets
    new Simulators, made from the settings given here, each on first use: when ``with`` yields
    it, at a client's first call, or on :meth:`current`. So one made inside a freezegun freeze
    starts at the frozen time.

    Each region is its own world, as on AWS: ``simulator`` answers the clients of its region
    (clients created without a region get that one), and the clients of any other region get a
    Simulator of their own, with the same seed, start, account, options and clock mode (see
    :meth:`simulator_for`). Each Simulator has its own clock.

    Args:
        simulator: the Simulator to answer from (kept across uses); new ones if omitted.
        clients: existing SWF clients to route as well.
        seed: the new Simulators' seed (see :class:`Simulator` for each setting); settings are
            only for new Simulators, so none may come with ``simulator``.
        start: the new Simulators' start.
        region: the default region: the Simulator's, given to clients created without one.
        options: the new Simulators' options.
        clock_mode: the new Simulators' clock mode.

    Raises:
        TypeError: both a Simulator and settings for a new one were given.

    Example:
        >>> import boto3, swfsim
        >>> with swfsim.mock_swf() as sim:
        ...     swf = boto3.client("swf", region_name="us-east-1")
        ...     swf.register_domain(name="d", workflowExecutionRetentionPeriodInDays="1")
        ...     swf.list_domains(registrationStatus="REGISTERED")["domainInfos"][0]["name"]
        'd'
    """

    _active: ClassVar[list[mock_swf]] = []  # the mocks started and not yet stopped, innermost last

    # Built in __new__ (there is no __init__) so that ``@mock_swf`` without parentheses can return
    # the decorated function itself; type checkers follow __new__'s overloads only that way.
    @overload
    def __new__(cls, simulator: Callable[P, R], /) -> Callable[P, R]: ...  # type: ignore[misc]

    @overload
    def __new__(
        cls,
        simulator: Simulator | None = None,
        *,
        clients: Iterable[BaseClient] = (),
        seed: int | None = None,
        start: datetime | None = None,
        region: str | None = None,
        options: Options | None = None,
        clock_mode: ClockMode | str | None = None,
    ) -> mock_swf: ...

    def __new__(
        cls,
        simulator: Simulator | Callable[..., Any] | None = None,
        *,
        clients: Iterable[BaseClient] = (),
        seed: int | None = None,
        start: datetime | None = None,
        region: str | None = None,
        options: Options | None = None,
        clock_mode: ClockMode | str | None = None,
    ) -> Any:
        if simulator is not None and not isinstance(simulator, Simulator):
            if not callable(simulator):
                raise TypeError(
                    f"mock_swf takes a Simulator or decorates a function, not {simulator!r}"
                )
            return cls()(simulator)  # @mock_swf, without parentheses
        chosen = {
            "seed": seed,
            "start": start,
            "region": region,
            "options": options,
            "clock_mode": clock_mode,
        }
        settings = cast(_Settings, {key: val for key, val in chosen.items() if val is not None})
        if simulator is not None and settings:
            raise TypeError(
                f"mock_swf got a Simulator and settings for a new one ({', '.join(settings)}): "
                "give the Simulator those settings, or give only the settings"
            )
        mock = super().__new__(cls)
        mock._setup(simulator, settings, list(clients))
        return mock

    def _setup(
        self, simulator: Simulator | None, settings: _Settings, clients: list[BaseClient]
    ) -> None:
        self._given = simulator
        self._settings = settings
        self._region = simulator.region if simulator else settings.get("region", DEFAULT_REGION)
        self._worlds: dict[str, Simulator] = {self._region: simulator} if simulator else {}
        self._lock = threading.RLock()
        self._patch = ClientPatch(
            self._route, clients, self._prepare_client, owner="mock_swf", answers=True
        )
        self._handler_id = f"swfsim-{id(self)}"
        self._frozen: AbstractContextManager[None] | None = None

    @classmethod
    def current(cls, region: str | None = None) -> Simulator:
        """The Simulator of the innermost active ``mock_swf``: how a decorated function reaches it.

        Args:
            region: the region whose Simulator to return; the default region's if omitted.

        Raises:
            RuntimeError: no ``mock_swf`` is active.
        """
        if not cls._active:
            raise RuntimeError(
                "no mock_swf is active: call mock_swf.current() inside a function decorated "
                "with @mock_swf or inside a `with mock_swf()` block"
            )
        mock = cls._active[-1]
        return mock.simulator_for(region or mock._region)

    @property
    def simulator(self) -> Simulator:
        """The Simulator of the default region (the one ``with`` yields), created on first use."""
        return self.simulator_for(self._region)

    @property
    def simulators(self) -> Mapping[str, Simulator]:
        """The Simulator of each region used so far."""
        with self._lock:
            return MappingProxyType(dict(self._worlds))

    def simulator_for(self, region: str) -> Simulator:
        """The Simulator that answers clients of ``region``, created on first use.

        A region other than the default one gets a new Simulator with the default one's seed,
        start, account, options and clock mode, and a clock of its own.
        """
        with self._lock:
            world = self._worlds.get(region)
            if world is None:
                if region == self._region:
                    world = Simulator(**self._settings)
                else:
                    world = sibling(self.simulator, World(self.simulator.account_id, region))
                self._worlds[region] = world
            return world

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
        """Decorate ``func`` so that each call runs inside the mock (new Simulators per call
        unless one was given); ``func``'s signature is kept, for pytest's fixtures."""

        @functools.wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            if self._given is None:
                self._worlds = {}  # new Simulators, created on first use
            self.start()  # not `with self`, which would create the Simulator now
            try:
                return func(*args, **kwargs)
            finally:
                self.stop()

        return wrapper

    def start(self) -> None:
        """Begin routing: wrap client creation and attach to the clients given."""
        self._patch.start()
        if self._given is not None and self._given.freeze_time:
            self._frozen = self._given.frozen_time()
            self._frozen.__enter__()
        mock_swf._active.append(self)

    def stop(self) -> None:
        """Stop routing: restore client creation and detach from every client."""
        if not self._patch.active:
            return
        mock_swf._active.remove(self)
        if self._frozen is not None:
            self._frozen.__exit__(None, None, None)
            self._frozen = None
        for client in self._patch.stop():
            client.meta.events.unregister("before-call.swf", unique_id=self._handler_id)

    @property
    def routed_clients(self) -> list[BaseClient]:
        """The SWF clients routed now: those given and those created inside the block."""
        return self._patch.clients

    def attach(self, client: BaseClient) -> BaseClient:
        """Route an existing SWF client to the Simulator of its region; returns the client."""
        self._patch.add(client)
        return client

    def _route(self, client: BaseClient) -> None:
        region = client.meta.region_name or self._region
        simulator = functools.partial(self.simulator_for, region)
        answers = functools.partial(self._patch.answers_now, client)
        handler: Callable[..., Any] = _CallHandler(simulator, client, answers)
        client.meta.events.register_first("before-call.swf", handler, unique_id=self._handler_id)

    def _prepare_client(self, session: botocore.session.Session, arguments: dict[str, Any]) -> None:
        # A region given in code (the client's or the session's) is kept; otherwise the
        # Simulator's, whatever the environment or config files say, so that a client
        # created without a region reaches the Simulator the test holds.
        if arguments.get("region_name") is None and not _session_region(session):
            arguments["region_name"] = self._region
        # Credentials are never used; setting them keeps botocore from searching for them
        # (which can reach the instance metadata service over the network).
        if arguments.get("aws_access_key_id") is None:
            arguments["aws_access_key_id"] = _DUMMY_KEY
            arguments["aws_secret_access_key"] = _DUMMY_KEY


def _session_region(session: botocore.session.Session) -> str | None:
    region: str | None = session.get_config_variable("region", methods=("instance",))
    return region


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

    def __init__(
        self, simulator: Callable[[], Simulator], client: BaseClient, answers: Callable[[], bool]
    ) -> None:
        # The Simulator is looked up at the first call, not when the client is made: one created
        # then starts at the time of a freezegun freeze active then (moto suites freeze time
        # around their calls, often after making their clients).
        self._simulator_for_region = simulator
        self._simulator: Simulator | None = None
        self._client = client
        self._answers = answers
        self._timestamp_parser = _timestamp_parser(client)

    def __call__(
        self, model: OperationModel, params: dict[str, Any], context: dict[str, Any], **_: Any
    ) -> tuple[AWSResponse, dict[str, Any]] | None:
        if not self._answers():
            return None  # an inner block this client was handed to answers it
        simulator = self._simulator_now()
        context[ANSWERED_BY] = (simulator, simulator.clock.now_ms() / 1000)
        for attempt in itertools.count(1):
            answer: tuple[AWSResponse, dict[str, Any]] | None = None
            lost: Exception | None = None
            try:
                answer = self._answer(model, params)
            except (RequestLost, ResponseLost) as cause:
                lost = ConnectionClosedError(endpoint_url=URL)
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

    def _simulator_now(self) -> Simulator:
        if self._simulator is None:
            self._simulator = self._simulator_for_region()
        return self._simulator

    def _answer(
        self, model: OperationModel, params: dict[str, Any]
    ) -> tuple[AWSResponse, dict[str, Any]]:
        simulator = self._simulator_now()
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


def _headers(simulator: Simulator) -> dict[str, str]:
    # content-length is added when first read: it needs the body encoded (see answer.py).
    return {
        "x-amzn-requestid": simulator.ids.request_id(),
        "content-type": _CONTENT_TYPE,
        "date": email.utils.formatdate(simulator.clock.now_ms() / 1000, usegmt=True),
    }


def _success(
    simulator: Simulator,
    model: OperationModel,
    response: dict[str, Any],
    timestamp_parser: Callable[[Any], Any],
) -> tuple[AWSResponse, dict[str, Any]]:
    output = model.output_shape
    parsed = converter(output.name, timestamp_parser)(response) if output is not None else {}
    headers = _headers(simulator)
    body = WireBody(response)
    parsed["ResponseMetadata"] = _metadata(headers, body, 200)
    return http_response(200, headers, body), parsed


def _error(
    simulator: Simulator, model: OperationModel, fault: SWFError
) -> tuple[AWSResponse, dict[str, Any]]:
    headers = _headers(simulator)
    body = WireBody(fault.to_wire())
    response_dict = {"status_code": fault.http_status, "headers": headers, "body": body.content}
    parser = create_parser("json")
    parsed: dict[str, Any] = parser.parse(response_dict, cast(Any, model.output_shape))
    error_shape = model.service_model.shape_for_error_code(cast(Any, fault.code))
    if error_shape is not None:
        parsed.update(parser.parse(response_dict, error_shape))
    parsed["ResponseMetadata"] = _metadata(headers, body, fault.http_status)
    return http_response(fault.http_status, headers, body), parsed


def _metadata(headers: dict[str, str], body: WireBody, status: int) -> dict[str, Any]:
    return {
        "RequestId": headers["x-amzn-requestid"],
        "HTTPStatusCode": status,
        "HTTPHeaders": metadata_headers(headers, body),
        "RetryAttempts": 0,
    }
