"""Reach the SWF clients created inside a block, and those handed over, reversibly.

As ``mock_swf`` does: ``Session.create_client`` is wrapped while the block runs, and each SWF
client gets handlers on its own event emitter; botocore's global handler list is never touched.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

import botocore.session
from botocore.client import BaseClient

from swfsim import spec

Attach = Callable[[BaseClient], None]


class ClientPatch:
    """Calls ``attach`` on every SWF client given and created while active.

    Args:
        attach: registers the caller's handlers on one client.
        clients: existing SWF clients to attach to as well.
        prepare: adjusts ``create_client``'s keyword arguments first (e.g. dummy credentials).
    """

    def __init__(
        self,
        attach: Attach,
        clients: Iterable[BaseClient] = (),
        prepare: Callable[[botocore.session.Session, dict[str, Any]], None] | None = None,
    ) -> None:
        self._attach = attach
        self._given = list(clients)
        self.clients: list[BaseClient] = []
        self._prepare = prepare
        self._original: Callable[..., Any] | None = None

    @property
    def active(self) -> bool:
        """Whether client creation is wrapped."""
        return self._original is not None

    def start(self) -> None:
        """Wrap client creation and attach to the clients given."""
        if self._original is not None:
            raise RuntimeError("already active")
        for client in self._given:
            check_swf(client)
        self._original = original = botocore.session.Session.create_client
        botocore.session.Session.create_client = self._wrap(original)  # type: ignore[method-assign]
        for client in self._given:
            self._add(client)

    def stop(self) -> list[BaseClient]:
        """Restore client creation; returns the clients attached to, to detach from."""
        if self._original is not None:
            botocore.session.Session.create_client = self._original  # type: ignore[method-assign]
            self._original = None
        attached, self.clients = self.clients, []
        return attached

    def _add(self, client: BaseClient) -> None:
        self.clients.append(client)
        self._attach(client)

    def _wrap(self, original: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(original)
        def create_client(
            session: botocore.session.Session, service_name: str, *args: Any, **kwargs: Any
        ) -> Any:
            if service_name == spec.SERVICE_NAME and self._prepare is not None and not args:
                self._prepare(session, kwargs)
            client = original(session, service_name, *args, **kwargs)
            if service_name == spec.SERVICE_NAME:
                self._add(client)
            return client

        return create_client


def check_swf(client: BaseClient) -> None:
    """Refuse a client of another service."""
    service = client.meta.service_model.service_name
    if service != spec.SERVICE_NAME:
        raise ValueError(f"only SWF clients can be recorded or replayed, not {service} clients")
