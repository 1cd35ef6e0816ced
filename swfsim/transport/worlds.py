"""One world per account and region: which Simulator of ``swfsim serve`` a request addresses.

As in LocalStack, the account comes from the access key the request is signed with: a key of
12 digits *is* the account id, any other key (``testing``, ``AKIA...``) means the default
account. The region is the one in the signature's credential scope (SigV4a's scope names none:
the server's default region). Each (account, region) has its own domains, executions and
clock: its own :class:`~swfsim.simulator.Simulator`, made on first use with the settings of
the server's own (seed, options, clock mode, journal, start, Lambda functions).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from swfsim.clock import from_millis
from swfsim.errors import (
    IncompleteSignatureException,
    InvalidSignatureException,
    MissingAuthenticationTokenException,
    SWFError,
)
from swfsim.simulator import Simulator
from swfsim.transport.credential import credential

_ACCOUNT = re.compile(r"[0-9]{12}")
# Region names as AWS spells them (us-east-1, us-gov-west-1, eu-central-2); others are refused
# rather than written into ARNs.
_REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-[0-9]{1,2}")


@dataclass(frozen=True, order=True)
class World:
    """The account and region a request is made in.

    Attributes:
        account: a 12-digit account id.
        region: a region name, e.g. ``us-east-1``.
    """

    account: str
    region: str


def account_of(access_key: str) -> str | None:
    """The account a key names: the key itself if it is 12 digits, else None (the default)."""
    return access_key if _ACCOUNT.fullmatch(access_key) else None


def world_from(access_key: str | None, region: str | None, default: World) -> World:
    """The world named by an access key (or account id) and a region; missing parts default.

    Raises:
        InvalidSignatureException: the region is not a region name.
    """
    account = account_of(access_key) if access_key else None
    region = region or default.region
    if not _REGION.fullmatch(region):
        raise InvalidSignatureException(
            f"Credential should be scoped to a valid region, not {region!r} (e.g. us-east-1)"
        )
    return World(account or default.account, region)


def signed_world(environ: Mapping[str, Any], default: World) -> World:
    """The world of a signed SWF request.

    Raises:
        MissingAuthenticationTokenException: the request is not signed at all.
        IncompleteSignatureException: it is signed, but with no readable SigV4 scope.
        InvalidSignatureException: the scope's region is not a region name.
    """
    scope = credential(dict(environ))
    if scope is not None:
        return world_from(scope.access_key, scope.region, default)
    if environ.get("HTTP_AUTHORIZATION") or "X-Amz-Credential" in environ.get("QUERY_STRING", ""):
        raise IncompleteSignatureException(
            "The request signature names no SigV4 credential scope "
            "(Credential=AKID/date/region/swf/aws4_request): sign it with Signature Version 4"
        )
    raise MissingAuthenticationTokenException(
        "Request is missing Authentication Token: sign it with any access key (a 12-digit "
        "key is the account id of its own world), e.g. AWS_ACCESS_KEY_ID=testing"
    )


def addressed_world(environ: Mapping[str, Any], default: World) -> World:
    """The world a request's signature names; ``default`` if it names none that can be."""
    try:
        return signed_world(environ, default)
    except SWFError:
        return default


def signed_account(environ: Mapping[str, Any], default: World) -> str:
    """The account of a request that need not be signed (S3's): its SigV4 access key if that
    is 12 digits, else the default world's account. Its region plays no part."""
    scope = credential(dict(environ))
    return (account_of(scope.access_key) if scope else None) or default.account


def sibling(simulator: Simulator, world: World) -> Simulator:
    """A new Simulator in ``world``, set up as ``simulator`` was (plugins and state aside)."""
    made = Simulator(
        seed=simulator.seed,
        start=from_millis(simulator.start_ms),
        region=world.region,
        account_id=world.account,
        options=simulator.options,
        journal=simulator.journal is not None,
    )
    waiting = simulator.waiting
    made.set_clock_mode(waiting.mode, rate=waiting.rate, settle=waiting.settle)
    return made


def world_of(simulator: Simulator) -> World:
    """The world a Simulator simulates."""
    return World(simulator.account_id, simulator.region)


class Worlds:
    """The Simulators of an endpoint, one per world, made on first use.

    Args:
        factory: makes a Simulator with the server's settings; its account and region are
            the default world's. Other worlds get a sibling of a fresh one, with its Lambda
            functions.
        prepare: applied to every Simulator before it answers (e.g. the settle time).
    """

    def __init__(
        self, factory: Callable[[], Simulator], prepare: Callable[[Simulator], Simulator]
    ) -> None:
        self._factory, self._prepare = factory, prepare
        self._lock = threading.Lock()
        first = factory()
        self.default = world_of(first)
        self._simulators = {self.default: prepare(first)}

    def __getitem__(self, world: World) -> Simulator:
        """The Simulator of ``world``, made now if it has none yet."""
        with self._lock:
            simulator = self._simulators.get(world)
            if simulator is None:
                simulator = self._simulators[world] = self._fresh(world)
            return simulator

    def get(self, world: World) -> Simulator | None:
        """The Simulator of ``world`` if it has one already, else None."""
        with self._lock:
            return self._simulators.get(world)

    def items(self) -> list[tuple[World, Simulator]]:
        """Every world made so far with its Simulator, ordered by account and region."""
        with self._lock:
            return sorted(self._simulators.items(), key=lambda item: item[0])

    def replace(self, world: World, simulator: Simulator | None = None) -> Simulator:
        """Answer ``world`` from ``simulator`` (a fresh one if None) from now on."""
        with self._lock:
            made = self._prepare(simulator) if simulator else self._fresh(world)
            self._simulators[world] = made
            return made

    def _fresh(self, world: World) -> Simulator:
        made = self._factory()
        if world_of(made) == world:
            return self._prepare(made)
        other = sibling(made, world)
        # The factory's Lambda functions are the server's setup, as its seed and options are:
        # a workflow that invokes one runs alike in every world.
        other.engine.lambdas.adopt(made.engine.lambdas)
        return self._prepare(other)
