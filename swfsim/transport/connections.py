"""The connections of ``swfsim serve``: a bounded number at once, each request read in time.

werkzeug's threaded server starts a thread per connection and waits on each without limit, so
400 clients that connect and send nothing (or trickle a byte a second, or announce more
``Content-Length`` than they send) held 400 threads forever. Here a connection gets a thread
only while fewer than ``max_connections`` are served (the next ones wait in the kernel's listen
backlog until one ends), and a request must arrive whole, request line to last body byte,
within ``read_timeout`` seconds of the server starting to read it; every write to the client
has the same timeout. Long polls hold their connection while they wait, not while they read.
"""

from __future__ import annotations

import io
import socket
import threading
import time
from typing import Any, cast

from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler

DEFAULT_MAX_CONNECTIONS = 64
DEFAULT_READ_TIMEOUT = 10.0
_WAKE_SECONDS = 0.05  # how often a server waiting for a free thread checks for shutdown


class BoundedServer(ThreadedWSGIServer):
    """werkzeug's threaded WSGI server with at most ``max_connections`` connection threads.

    Args:
        host: the address to bind.
        port: the port to bind (0 picks a free one).
        app: the WSGI application.
        handler: the request handler class (a ``DeadlineHandler``).
        max_connections: connections served at once; later ones wait to be accepted.
        read_timeout: wall seconds a request may take to arrive, and a write to complete.
    """

    def __init__(
        self,
        host: str,
        port: int,
        app: Any,
        handler: type[DeadlineHandler],
        *,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        read_timeout: float = DEFAULT_READ_TIMEOUT,
    ) -> None:
        if max_connections < 1:
            raise ValueError(f"max_connections must be at least 1, not {max_connections}")
        if not read_timeout > 0:
            raise ValueError(f"read_timeout must be a number of seconds > 0, not {read_timeout}")
        self.max_connections = max_connections
        self.read_timeout = read_timeout
        self._free = threading.BoundedSemaphore(max_connections)
        self._closing = threading.Event()
        super().__init__(host, port, app, handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        """Serve ``request`` in a thread once one is free (called by the accepting thread)."""
        # The accepting thread waits here, so connections beyond the cap stay in the listen
        # backlog: their clients see a slow answer, not a refusal they would have to retry.
        while not self._free.acquire(timeout=_WAKE_SECONDS):
            if self._closing.is_set():
                self.shutdown_request(request)
                return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._free.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        """Serve one connection, then free its thread for the next one."""
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._free.release()

    def shutdown(self) -> None:
        """Stop serving, even while the accepting thread waits for a free thread."""
        self._closing.set()
        super().shutdown()


class _DeadlineReader(io.RawIOBase):
    """The socket as a raw stream whose reads fail once the request's deadline has passed.

    A socket timeout alone bounds each read, so a client sending a byte just before every
    timeout would never be cut off; the deadline bounds them all together.
    """

    def __init__(self, connection: socket.socket, timeout: float) -> None:
        super().__init__()
        self._connection = connection
        self._timeout = timeout
        self._deadline = time.monotonic() + timeout

    def restart(self) -> None:
        """Give the next request ``timeout`` seconds from now."""
        self._deadline = time.monotonic() + self._timeout

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"the request did not arrive within {self._timeout:g} s")
        self._connection.settimeout(left)
        try:
            return self._connection.recv_into(buffer)
        finally:
            # Writes keep the full timeout (a client that does not read its answer).
            self._connection.settimeout(self._timeout)


class DeadlineHandler(WSGIRequestHandler):
    """werkzeug's request handler reading each request within the server's ``read_timeout``.

    A request that is late is answered as werkzeug answers a dropped connection: its request
    line or headers are not served at all; a body cut short reaches the application as a
    disconnected client (werkzeug's ``ClientDisconnected``, a 400).
    """

    def setup(self) -> None:
        server = cast(BoundedServer, self.server)
        super().setup()
        self.connection.settimeout(server.read_timeout)  # bounds every write
        self.rfile.close()  # the socket's own reader; a socket closes once its files are closed
        self._reader = _DeadlineReader(self.connection, server.read_timeout)
        self.rfile = io.BufferedReader(self._reader)

    def handle_one_request(self) -> None:
        """Read and answer one request, within the read timeout from now."""
        self._reader.restart()
        super().handle_one_request()
