"""The connections of ``swfsim serve``: a thread only for a request that has arrived.

werkzeug's threaded server starts a thread per connection and waits on each without limit, so
400 clients that connect and send nothing (or trickle a byte a second, or announce more
``Content-Length`` than they send) held 400 threads forever. Here the accepting thread receives
each new request itself, without blocking on any client, and gives it a thread only once it
has arrived: its headers, and its body too unless that is streamed (chunked, over
``_HELD_BODY_BYTES``, or after ``Expect: 100-continue``). At most ``max_connections`` threads
serve at once; arrived requests beyond them wait their turn. A request must arrive, request
line to last body byte, within ``read_timeout`` seconds of being accepted, or its connection
is closed; every write to a client has the same timeout. So slow clients cost a socket and a
small buffer each, never a thread, and cannot keep others from being served; long polls hold
their thread while they wait.
"""

from __future__ import annotations

import contextlib
import io
import re
import selectors
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, cast

from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler

DEFAULT_MAX_CONNECTIONS = 64
DEFAULT_READ_TIMEOUT = 10.0
MAX_ARRIVING = 512  # connections whose request is still arriving; more wait to be accepted
_HELD_BODY_BYTES = 64 * 1024  # larger bodies stream to the thread, within the same deadline
_HEAD_BYTES = 64 * 1024  # http.server refuses longer lines; let it say so
_HEAD_END = re.compile(rb"\r?\n\r?\n")
_CONTENT_LENGTH = re.compile(rb"^content-length:[ \t]*(\d+)[ \t]*$", re.IGNORECASE | re.MULTILINE)
_STREAMED = re.compile(
    rb"^(transfer-encoding:.*chunked|expect:[ \t]*100-continue)", re.IGNORECASE | re.MULTILINE
)


@dataclass
class _Arrival:
    """A connection whose request is arriving: what came so far, and by when the rest must."""

    connection: socket.socket
    address: Any
    deadline: float
    received: bytearray = field(default_factory=bytearray)
    _body_starts: int | None = None  # where the body starts, once the headers are in
    _body_bytes: int = 0  # how much body to wait for (0 once it is streamed instead)

    def add(self, data: bytes) -> bool:
        """Add bytes received; whether the request has arrived as far as a thread waits."""
        searched = max(0, len(self.received) - 3)  # a head's end may straddle two reads
        self.received += data
        if self._body_starts is None:
            head = _HEAD_END.search(self.received, searched)
            if head is None:
                return len(self.received) > _HEAD_BYTES
            self._body_starts = head.end()
            headers = bytes(self.received[: head.start()])
            length = _CONTENT_LENGTH.search(headers)
            if length and not _STREAMED.search(headers):
                self._body_bytes = int(length.group(1))
            if self._body_bytes > _HELD_BODY_BYTES:
                self._body_bytes = 0
        return len(self.received) - self._body_starts >= self._body_bytes


class BoundedServer(ThreadedWSGIServer):
    """werkzeug's threaded WSGI server serving arrived requests on ``max_connections`` threads.

    Args:
        host: the address to bind.
        port: the port to bind (0 picks a free one).
        app: the WSGI application.
        handler: the request handler class (a ``DeadlineHandler``).
        max_connections: requests served at once (each on a thread); later ones wait.
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
        self._arriving: dict[socket.socket, _Arrival] = {}
        self._arrived: deque[_Arrival] = deque()
        self._handed: dict[socket.socket, _Arrival] = {}
        self._closing = threading.Event()
        self._stopped = threading.Event()
        self._stopped.set()
        self._wake_in, self._wake_out = socket.socketpair()
        self._wake_in.setblocking(False)
        self._wake_out.setblocking(False)
        super().__init__(host, port, app, handler)

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        """Accept, receive and dispatch requests until ``shutdown``."""
        self._stopped.clear()
        try:
            with selectors.DefaultSelector() as selector:
                selector.register(self._wake_in, selectors.EVENT_READ)
                selector.register(self.socket, selectors.EVENT_READ)
                while not self._closing.is_set():
                    self._step(selector, poll_interval)
        finally:
            for arrival in [*self._arriving.values(), *self._arrived]:
                self.shutdown_request(arrival.connection)
            self._arriving.clear()
            self._arrived.clear()
            self._stopped.set()

    def shutdown(self) -> None:
        """Stop ``serve_forever`` and wait until it has returned."""
        self._closing.set()
        self._wake()
        self._stopped.wait()

    def server_close(self) -> None:
        """Close the listening socket and the wake-up pair."""
        super().server_close()
        self._wake_in.close()
        self._wake_out.close()

    def take_arrival(self, connection: socket.socket) -> tuple[bytes, float]:
        """What a handler's thread reads first on ``connection``, and its request's deadline."""
        arrival = self._handed.pop(connection)
        return bytes(arrival.received), arrival.deadline

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        """Serve one connection, then free its thread for the next request."""
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._handed.pop(request, None)
            self._free.release()
            self._wake()

    def _step(self, selector: selectors.BaseSelector, poll_interval: float) -> None:
        now = time.monotonic()
        deadlines = [arrival.deadline for arrival in self._arriving.values()]
        timeout = max(0.0, min([poll_interval, *(d - now for d in deadlines)]))
        for key, _ in selector.select(timeout):
            if key.fileobj is self._wake_in:
                self._drain_wake()
            elif key.fileobj is self.socket:
                self._accept(selector)
            else:
                self._receive(selector, self._arriving[cast(socket.socket, key.fileobj)])
        self._cut_late(selector)
        self._dispatch()
        if len(self._arriving) >= MAX_ARRIVING and selector.get_map().get(self.socket):
            selector.unregister(self.socket)  # the next ones wait in the listen backlog
        elif len(self._arriving) < MAX_ARRIVING and not selector.get_map().get(self.socket):
            selector.register(self.socket, selectors.EVENT_READ)

    def _accept(self, selector: selectors.BaseSelector) -> None:
        try:
            connection, address = self.get_request()
        except OSError:  # the client gave up already, or no file descriptor is left
            return
        connection.setblocking(False)
        deadline = time.monotonic() + self.read_timeout
        self._arriving[connection] = _Arrival(connection, address, deadline)
        selector.register(connection, selectors.EVENT_READ)

    def _receive(self, selector: selectors.BaseSelector, arrival: _Arrival) -> None:
        try:
            data = arrival.connection.recv(_HEAD_BYTES)
        except BlockingIOError:
            return
        except OSError:  # reset: nobody to answer
            arrival.received.clear()
            data = b""
        if data and not arrival.add(data):
            return
        selector.unregister(arrival.connection)
        del self._arriving[arrival.connection]
        if arrival.received:  # arrived, or ended short: the application answers either
            self._arrived.append(arrival)
        else:  # closed before sending anything
            self.shutdown_request(arrival.connection)

    def _cut_late(self, selector: selectors.BaseSelector) -> None:
        now = time.monotonic()
        for arrival in [a for a in self._arriving.values() if a.deadline <= now]:
            selector.unregister(arrival.connection)
            del self._arriving[arrival.connection]
            self.shutdown_request(arrival.connection)

    def _dispatch(self) -> None:
        while self._arrived and self._free.acquire(blocking=False):
            arrival = self._arrived.popleft()
            arrival.connection.setblocking(True)
            self._handed[arrival.connection] = arrival
            try:
                self.process_request(arrival.connection, arrival.address)
            except Exception:
                self._handed.pop(arrival.connection, None)
                self._free.release()
                self.shutdown_request(arrival.connection)

    def _wake(self) -> None:
        # OSError: the pair is full (a wake-up is pending anyway) or closed (stopped).
        with contextlib.suppress(OSError):
            self._wake_out.send(b"\0")

    def _drain_wake(self) -> None:
        try:
            while self._wake_in.recv(4096):
                pass
        except OSError:
            pass


class _DeadlineReader(io.RawIOBase):
    """The bytes received before a handler's thread started, then the socket, with a deadline.

    A socket timeout alone bounds each read, so a client sending a byte just before every
    timeout would never be cut off; the deadline bounds them all together.
    """

    def __init__(
        self, connection: socket.socket, timeout: float, received: bytes, deadline: float
    ) -> None:
        super().__init__()
        self._connection = connection
        self._timeout = timeout
        self._received = bytearray(received)
        self._deadline = deadline

    def restart(self) -> None:
        """Give the next request on this connection ``timeout`` seconds from now."""
        self._deadline = time.monotonic() + self._timeout

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._received:
            size = min(len(buffer), len(self._received))
            buffer[:size] = self._received[:size]
            del self._received[:size]
            return size
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
    """werkzeug's request handler reading what ``BoundedServer`` received, within its deadline.

    A request whose streamed body is late reaches the application as a disconnected client
    (werkzeug's ``ClientDisconnected``, a 400); a later request on the same connection gets
    ``read_timeout`` seconds from the end of the previous one.
    """

    def setup(self) -> None:
        server = cast(BoundedServer, self.server)
        super().setup()
        self.connection.settimeout(server.read_timeout)  # bounds every write
        self.rfile.close()  # the socket's own reader; a socket closes once its files are closed
        received, deadline = server.take_arrival(self.connection)
        self._reader = _DeadlineReader(self.connection, server.read_timeout, received, deadline)
        self.rfile = io.BufferedReader(self._reader)
        self._first = True

    def handle_one_request(self) -> None:
        """Read and answer one request (a later one within the read timeout from now)."""
        if not self._first:
            self._reader.restart()
        self._first = False
        super().handle_one_request()
