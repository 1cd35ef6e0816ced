"""Extension hooks: pluggy hook specifications every Simulator calls.

Implement any of these in a plain object (or module) decorated with :data:`hookimpl`, and
register it with ``sim.plugins.register(obj)`` (or through the pytest plugin's
``swf_plugins`` fixture). Fault injection (:mod:`swfsim.faults`) is built on these same hooks.

Example:
    >>> from swfsim import Simulator
    >>> from swfsim.hooks import hookimpl
    >>> class CountCalls:
    ...     calls = 0
    ...     @hookimpl
    ...     def swfsim_before_operation(self, simulator, operation, params):
    ...         self.calls += 1
    >>> sim, counter = Simulator(), CountCalls()
    >>> _ = sim.plugins.register(counter)
    >>> sim.handle("ListDomains", {"registrationStatus": "REGISTERED"})
    {'domainInfos': []}
    >>> counter.calls
    1
"""

from __future__ import annotations

import functools
import importlib.metadata
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from swfsim.errors import SWFError
    from swfsim.simulator import Simulator

PROJECT = "swfsim"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)

JsonDict = dict[str, Any]


class HookSpecs:
    """The hooks a Simulator calls, in the order they happen for one request."""

    @hookspec(firstresult=True)
    def swfsim_before_operation(
        self, simulator: Simulator, operation: str, params: JsonDict
    ) -> JsonDict | None:
        """Before a valid request is answered.

        Raise an :class:`swfsim.SWFError` to answer with that fault instead (nothing is
        applied), or return a response to answer with it instead (nothing is applied).
        """

    @hookspec(firstresult=True)
    def swfsim_task_delivered(
        self, simulator: Simulator, operation: str, params: JsonDict, task: JsonDict
    ) -> JsonDict | None:
        """A poll handed out a decision or activity task (``task`` is the response).

        Return another response (an empty poll, say) to give the poller instead: the task
        stays started, held by nobody, and times out.
        """

    @hookspec
    def swfsim_after_operation(
        self,
        simulator: Simulator,
        operation: str,
        params: JsonDict,
        response: JsonDict | None,
        error: SWFError | None,
    ) -> None:
        """After a request was answered (its changes applied), or refused with ``error``.

        Raise an :class:`swfsim.SWFError` (or :class:`swfsim.hooks.ResponseLost`) to lose the
        response: the change stays applied but the caller sees the failure.
        """

    @hookspec(firstresult=True)
    def swfsim_before_s3_request(self, simulator: Simulator, method: str, path: str) -> int | None:
        """Before ``swfsim serve`` passes an S3 request to moto.

        Return an HTTP status (503, say) to answer with instead of serving the request.
        """

    @hookspec
    def swfsim_event_appended(self, simulator: Simulator, run: Any, event: JsonDict) -> None:
        """An event was appended to the history of ``run`` (a ``swfsim.model.run.Run``)."""

    @hookspec
    def swfsim_clock_advanced(self, simulator: Simulator, old_ms: int, new_ms: int) -> None:
        """Virtual time moved from ``old_ms`` to ``new_ms`` (epoch milliseconds)."""


class ResponseLost(Exception):  # noqa: N818 - what happened to the response
    """Raised by a hook after an operation: its change is applied, but the caller never gets
    the answer (a dropped connection). In-process clients see a connection error and retry
    as botocore would; HTTP clients get a 500 InternalFailure, which botocore also retries."""


class RequestLost(Exception):  # noqa: N818 - what happened to the request
    """Raised by a hook before an operation: the request never reached the service (the
    caller crashed or the network dropped it); nothing is applied and the caller sees a
    connection error."""


def hooked(caller: pluggy.HookCaller) -> bool:
    """Whether any plugin implements the hook (calling pluggy costs time even when none does)."""
    return bool(caller.get_hookimpls())


def plugin_manager() -> pluggy.PluginManager:
    """A plugin manager that knows swfsim's hook specifications, with the plugins installed
    packages declare in the ``swfsim`` entry-point group registered on it."""
    manager = pluggy.PluginManager(PROJECT)
    manager.add_hookspecs(HookSpecs)
    for name, plugin in entry_point_plugins():
        manager.register(plugin, name=name)
    return manager


@functools.cache
def entry_point_plugins() -> tuple[tuple[str, object], ...]:
    """The ``swfsim`` entry-point plugins of the installed packages, as (name, plugin) pairs.

    Scanning every installed distribution's metadata costs about as much as the rest of a
    Simulator, so it happens once per process, like pytest's own scan of its plugins: a
    package installed after the first Simulator was made is seen once ``cache_clear()`` is
    called. The first plugin of a name wins, as with pluggy's
    ``load_setuptools_entrypoints``.
    """
    plugins: dict[str, object] = {}
    for entry in importlib.metadata.entry_points(group=PROJECT):
        if entry.name not in plugins:
            plugins[entry.name] = entry.load()
    return tuple(plugins.items())
