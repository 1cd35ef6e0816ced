"""Reach the SWF clients created inside a block, and those handed over, reversibly.

``mock_swf``, ``record`` and ``replay_trace`` all work this way: ``Session.create_client`` is
wrapped while any block runs, and each SWF client gets handlers on its own event emitter;
botocore's global handler list is never touched.

Blocks nest, and may end in any order. Each client is answered by one answering block
(``mock_swf``, ``replay_trace``): of the active ones attached to it, the innermost (the last
started). A client created inside is attached by the innermost answering block active then, not
by those around it, so it is unpatched when that block ends, as a client of a single block is.
Watching blocks (``record``) attach to every client created inside them.
"""

from __future__ import annotations

import functools
import inspect
import weakref
from collections.abc import Callable, Iterable
from typing import Any

import botocore.session
from botocore.client import BaseClient

from swfsim import spec

Attach = Callable[[BaseClient], None]
# Adjusts create_client's arguments (by parameter name) before an SWF client is made.
Prepare = Callable[[botocore.session.Session, dict[str, Any]], None]

# One wrapper serves every active patch, so blocks may end in any order; a wrapper per block,
# each wrapping the one before, would be unwound out of order by blocks that end out of order.
_active: list[ClientPatch] = []  # the patches active now, innermost (last started) last
_unwrapped: Callable[..., Any] | None = None  # botocore's create_client, while wrapped


class ClientPatch:
    """Calls ``attach`` on every SWF client given and created while active.

    Args:
        attach: registers the caller's handlers on one client.
        clients: existing SWF clients to attach to as well.
        prepare: adjusts ``create_client``'s arguments first (e.g. dummy credentials).
        owner: who patches, as error messages name it.
        answers: whether ``attach``'s handlers answer the calls (rather than watch them); they
            answer only while :meth:`answers_now` says so.
    """

    def __init__(
        self,
        attach: Attach,
        clients: Iterable[BaseClient] = (),
        prepare: Prepare | None = None,
        owner: str = "swfsim",
        answers: bool = False,
    ) -> None:
        self._attach = attach
        self.answers = answers
        self._given = list(clients)
        self._prepare = prepare
        self._owner = owner
        # Weak: a client the code under test dropped is not kept alive by the patch.
        self._clients: weakref.WeakSet[BaseClient] = weakref.WeakSet()

    @property
    def active(self) -> bool:
        """Whether this patch is started and not stopped."""
        return self in _active

    @property
    def clients(self) -> list[BaseClient]:
        """The clients attached to so far."""
        return list(self._clients)

    def start(self) -> None:
        """Wrap client creation and attach to the clients given."""
        if self.active:
            raise RuntimeError(f"this {self._owner} is already active")
        for client in self._given:
            self.check(client)
        if not _active:
            _wrap_create_client()
        _active.append(self)
        for client in self._given:
            self.add(client)

    def stop(self) -> list[BaseClient]:
        """Stop attaching (restoring client creation after the last patch); returns the clients
        attached to, to detach from."""
        if self.active:
            _active.remove(self)
            if not _active:
                _unwrap_create_client()
        attached = list(self._clients)
        self._clients = weakref.WeakSet()
        return attached

    def add(self, client: BaseClient) -> None:
        """Attach to one more SWF client."""
        self.check(client)
        self._clients.add(client)
        self._attach(client)

    def check(self, client: BaseClient) -> None:
        """Refuse a client of another service."""
        service = client.meta.service_model.service_name
        if service != spec.SERVICE_NAME:
            raise ValueError(f"{self._owner} handles SWF clients only, not {service} clients")

    def answers_now(self, client: BaseClient) -> bool:
        """Whether this patch is to answer ``client``'s calls now: of the active answering patches
        attached to it, the innermost (the others' handlers return None: botocore asks the next)."""
        holding = [patch for patch in _active if patch.answers and client in patch._clients]
        return bool(holding) and holding[-1] is self

    def prepare(self, session: botocore.session.Session, arguments: dict[str, Any]) -> None:
        """Adjust ``create_client``'s arguments before an SWF client is made."""
        if self._prepare is not None:
            self._prepare(session, arguments)


def _attaching(active: list[ClientPatch]) -> list[ClientPatch]:
    """Who attaches to a client made now: every watching patch, the innermost answering one."""
    answering = [patch for patch in active if patch.answers]
    return [patch for patch in active if not patch.answers or patch is answering[-1]]


def _wrap_create_client() -> None:
    global _unwrapped
    _unwrapped = original = botocore.session.Session.create_client
    signature = inspect.signature(original)

    @functools.wraps(original)
    def create_client(*args: Any, **kwargs: Any) -> Any:
        bound = signature.bind(*args, **kwargs)
        if bound.arguments.get("service_name") != spec.SERVICE_NAME:
            return original(*args, **kwargs)
        attaching = _attaching(_active)
        for patch in reversed(attaching):  # the innermost first: what it sets, the others keep
            patch.prepare(bound.arguments["self"], bound.arguments)
        client = original(*bound.args, **bound.kwargs)
        for patch in attaching:
            patch.add(client)
        return client

    botocore.session.Session.create_client = create_client  # type: ignore[method-assign]


def _unwrap_create_client() -> None:
    global _unwrapped
    assert _unwrapped is not None
    botocore.session.Session.create_client = _unwrapped  # type: ignore[method-assign]
    _unwrapped = None
