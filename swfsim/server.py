"""``swfsim serve``: the simulator as an AWS endpoint on loopback, for any SDK and process.

One port serves SWF (AWS JSON 1.0), S3 (moto, in this process) and the admin API. The default
clock is realtime (rate 1) that jumps ahead whenever every client waits in a poll and no task
is in a worker's hands, so real processes run a workflow with a one-day timer in seconds.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from collections.abc import Callable, Iterable
from types import FrameType

from swfsim.simulator import Simulator
from swfsim.storage import reset_s3, reset_s3_account, s3_application
from swfsim.transport.admin import admin_application
from swfsim.transport.connections import (
    DEFAULT_MAX_CONNECTIONS,
    DEFAULT_READ_TIMEOUT,
    BoundedServer,
    DeadlineHandler,
)
from swfsim.transport.guard import (
    DEFAULT_MAX_BODY_BYTES,
    Policy,
    exposure_warning,
    guarded,
    host_name,
)
from swfsim.transport.http import Endpoint, WSGIApp, application
from swfsim.transport.s3_cors import cors_as_configured

DEFAULT_HOST = "127.0.0.1"


class _QuietHandler(DeadlineHandler):
    """werkzeug's handler without a log line per request (``--log-requests`` logs them)."""

    def log_request(self, _code: int | str = "-", _size: int | str = "-") -> None:
        return


def _request_logger(endpoint: Endpoint) -> type[DeadlineHandler]:
    """A handler that writes one line per request to stderr.

    werkzeug's own line goes through the logging module, which ``swfsim serve`` keeps quiet
    (its banner), and says ``POST /`` for every SWF call; this one names the operation and
    the virtual time of the world the request addressed, which is what a reader of a
    simulated run wants.
    """

    class RequestLogger(DeadlineHandler):
        def log_request(self, code: int | str = "-", _size: int | str = "-") -> None:
            # A malformed request line leaves path and headers unset.
            headers = getattr(self, "headers", None)
            target = headers.get("X-Amz-Target", "") if headers is not None else ""
            operation = f" {target.rpartition('.')[2]}" if target else ""
            request = f"{self.command} {self.path}" if hasattr(self, "path") else self.requestline
            # The virtual time of the world the request addressed (no environ: it never ran).
            environ = getattr(self, "environ", None)
            simulator = endpoint.addressed(environ) if environ else endpoint.simulator
            now = simulator.clock.now().isoformat(timespec="milliseconds")
            print(f"{now} {request}{operation} {code}", file=sys.stderr, flush=True)

    return RequestLogger


class Server:
    """A running endpoint: serve it in this thread, or start it in a background thread.

    Args:
        factory: makes the Simulator of the default world (its account and region name it);
            called again on reset, and for each other world (account and region) a request
            is signed for, as the template of its Simulator (see
            :mod:`swfsim.transport.worlds`).
        host: the address to bind; loopback unless you mean otherwise.
        port: the port; 0 picks a free one (see ``url``).
        with_s3: serve S3 with moto in the same process.
        log_requests: write one line per request to stderr: the virtual time (of the world
            the request addressed), the method, the path, the SWF operation and the status.
        settle_seconds: wall seconds a realtime clock waits after each SWF answer before it
            may jump ahead (clients between two calls; see ``swfsim.transport.http.Settling``).
        max_connections: requests served at once, each on a thread (a long poll holds one
            while it waits); later ones wait for a thread. Requests still arriving hold none.
        read_timeout: wall seconds a request may take to arrive whole (and a write to the
            client to complete) before the connection is cut.
        max_body_bytes: the largest admin request body (a snapshot to restore) it reads.
        allowed_hosts: ``Host`` names to answer besides loopback names and ``host``.

    Serving on an address other than loopback prints a warning on stderr: anyone who can
    reach it can change the world. See "Security model and limits" in docs/serve.md.
        middleware: wraps the WSGI application (``swfsim serve --record`` records with it).
    """

    def __init__(
        self,
        factory: Callable[[], Simulator],
        *,
        host: str = DEFAULT_HOST,
        port: int = 0,
        with_s3: bool = True,
        log_requests: bool = False,
        settle_seconds: float = 0.0,
        middleware: Callable[[WSGIApp], WSGIApp] | None = None,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        read_timeout: float = DEFAULT_READ_TIMEOUT,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        allowed_hosts: Iterable[str] = (),
    ) -> None:
        if with_s3:
            reset_s3()
        self.endpoint = Endpoint(
            factory,
            s3=cors_as_configured(s3_application()) if with_s3 else None,
            s3_reset=reset_s3_account if with_s3 else None,
            settle_seconds=settle_seconds,
        )
        policy = Policy(
            bind_host=host,
            allowed_hosts=frozenset(host_name(name) for name in allowed_hosts),
            max_body_bytes=max_body_bytes,
        )
        app = application(self.endpoint, admin_application(self.endpoint))
        if middleware is not None:  # e.g. recording: swfsim serve --record
            app = middleware(app)
        app = guarded(app, policy)  # outermost: a refused request reaches nothing
        handler = _request_logger(self.endpoint) if log_requests else _QuietHandler
        self._server = BoundedServer(
            host,
            port,
            app,
            handler,
            max_connections=max_connections,
            read_timeout=read_timeout,
        )
        self._thread: threading.Thread | None = None
        warning = exposure_warning(host)
        if warning is not None:
            print(warning, file=sys.stderr, flush=True)

    @property
    def url(self) -> str:
        """The endpoint URL to give clients (``AWS_ENDPOINT_URL``)."""
        host = self._server.host
        shown = f"[{host}]" if ":" in host else host  # an IPv6 address goes in brackets
        return f"http://{shown}:{self._server.port}"

    def serve_forever(self) -> None:
        """Serve in this thread until SIGINT or SIGTERM (or ``shutdown``)."""
        previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}

        def stop(_signum: int, _frame: FrameType | None) -> None:
            threading.Thread(target=self._server.shutdown, daemon=True).start()

        for sig in previous:
            signal.signal(sig, stop)
        try:
            self._server.serve_forever()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            self._server.server_close()

    def start(self) -> Server:
        """Serve from a background thread; returns self (for tests and fixtures)."""
        # A short poll interval: ``stop`` returns within 50 ms instead of socketserver's 0.5 s.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop a server started with ``start`` and release its port."""
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join()

    def shutdown(self) -> None:
        """Ask ``serve_forever`` to return."""
        self._server.shutdown()


def quiet_werkzeug() -> None:
    """Keep werkzeug's startup banner and request lines out of the output."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
