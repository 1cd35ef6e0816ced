"""Reach the SWF clients created inside a block, and those handed over, reversibly.

``mock_swf``, ``record`` and ``replay_trace`` all work this way: ``Session.create_client`` is
wrapped while the block runs, and each SWF client gets handlers on its own event emitter;
botocore's global handler list is never touched.
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


class ClientPatch:
    """Calls ``attach`` on every SWF client given and created while active.

    Args:
        attach: registers the caller's handlers on one client.
        clients: existing SWF clients to attach to as well.
        prepare: adjusts ``create_client``'s arguments first (e.g. dummy credentials).
        owner: who patches, as error messages name it.
    """

    def __init__(
        self,
        attach: Attach,
        clients: Iterable[BaseClient] = (),
        prepare: Prepare | None = None,
        owner: str = "swfsim",
    ) -> None:
        self._attach = attach
        self._given = list(clients)
        self._prepare = prepare
        self._owner = owner
        # Weak: a client the code under test dropped is not kept alive by the patch.
        self._clients: weakref.WeakSet[BaseClient] = weakref.WeakSet()
        self._original: Callable[..., Any] | None = None

    @property
    def active(self) -> bool:
        """Whether client creation is wrapped."""
        return self._original is not None

    @property
    def clients(self) -> list[BaseClient]:
        """The clients attached to so far."""
        return list(self._clients)

    def start(self) -> None:
        """Wrap client creation and attach to the clients given."""
        if self._original is not None:
            raise RuntimeError(f"this {self._owner} is already active")
        for client in self._given:
            self.check(client)
        self._original = original = botocore.session.Session.create_client
        botocore.session.Session.create_client = self._wrap(original)  # type: ignore[method-assign]
        for client in self._given:
            self.add(client)

    def stop(self) -> list[BaseClient]:
        """Restore client creation; returns the clients attached to, to detach from."""
        if self._original is not None:
            botocore.session.Session.create_client = self._original  # type: ignore[method-assign]
            self._original = None
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

    def _wrap(self, original: Callable[..., Any]) -> Callable[..., Any]:
        signature = inspect.signature(original)

        @functools.wraps(original)
        def create_client(*args: Any, **kwargs: Any) -> Any:
            bound = signature.bind(*args, **kwargs)
            if bound.arguments.get("service_name") != spec.SERVICE_NAME:
                return original(*args, **kwargs)
            if self._prepare is not None:
                self._prepare(bound.arguments["self"], bound.arguments)
            client = original(*bound.args, **bound.kwargs)
            self.add(client)
            return client

        return create_client
