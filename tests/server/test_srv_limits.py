"""Bounded resources: slow clients are cut off, connections are capped, admin bodies bounded."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
from srv_helpers import SIGNED, admin, admin_ok, host_port, request, swf, swf_ok

from swfsim.options import Options
from swfsim.server import Server
from swfsim.simulator import Simulator

LIST = {"registrationStatus": "REGISTERED"}
READ_TIMEOUT = 1.0


def simulator() -> Simulator:
    return Simulator(seed=0, journal=True, clock_mode="auto")


@pytest.fixture
def strict() -> Iterator[Server]:
    """An endpoint with a short read timeout and a small admin body limit."""
    running = Server(simulator, read_timeout=READ_TIMEOUT, max_body_bytes=4096).start()
    try:
        yield running
    finally:
        running.stop()


def connect(url: str) -> socket.socket:
    return socket.create_connection(host_port(url), timeout=10)


def closed_after(connection: socket.socket, trickle: bytes = b"") -> float:
    """Seconds until the server ends the connection, sending ``trickle`` a byte every 0.1 s
    meanwhile (over and over: a request line that never ends)."""
    began = time.monotonic()
    connection.settimeout(0.1)
    sent = 0
    while time.monotonic() - began < 10:
        try:
            if trickle:
                connection.send(trickle[sent % len(trickle) :][:1])
                sent += 1
            if not connection.recv(65536):  # the end, after an answer if there was one
                return time.monotonic() - began
        except TimeoutError:
            continue
        except OSError:  # reset or broken pipe: the server closed it
            return time.monotonic() - began
    raise AssertionError("the server never cut the slow client off")


def short_body(url: str, announced: int) -> socket.socket:
    """A connection whose headers promise ``announced`` bytes of body, of which 8 are sent."""
    connection = connect(url)
    connection.sendall(
        b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: SimpleWorkflowService."
        b"ListDomains\r\nContent-Type: application/x-amz-json-1.0\r\n"
        b"Authorization: %s\r\n"
        b'Content-Length: %d\r\n\r\n{"regist' % (SIGNED["Authorization"].encode(), announced)
    )
    return connection


def test_slow_clients_do_not_starve_others_and_are_cut_after_the_read_timeout() -> None:
    # Fewer threads than slow clients: the slow ones must not need one.
    running = Server(simulator, read_timeout=READ_TIMEOUT, max_connections=4).start()
    url = running.url
    trickling = [connect(url) for _ in range(10)]
    short = [short_body(url, 1000) for _ in range(10)]
    # A body too large to wait for before a thread takes it (streamed): holds a thread.
    streamed = [short_body(url, 1_000_000) for _ in range(2)]
    slow = trickling + short + streamed
    cut: dict[int, float] = {}
    lock = threading.Lock()

    def watch(number: int, connection: socket.socket) -> None:
        trickle = b"POST /?" + b"x" * 200 if number < len(trickling) else b""
        elapsed = closed_after(connection, trickle)
        with lock:
            cut[number] = elapsed

    watchers = [threading.Thread(target=watch, args=(n, c)) for n, c in enumerate(slow)]
    for watcher in watchers:
        watcher.start()
    try:
        # Meanwhile normal clients are answered at once.
        for _ in range(5):
            began = time.monotonic()
            assert swf_ok(url, "ListDomains", LIST) == {"domainInfos": []}
            assert time.monotonic() - began < READ_TIMEOUT / 2
        for watcher in watchers:
            watcher.join(timeout=15)
    finally:
        for connection in slow:
            connection.close()
        running.stop()
    assert sorted(cut) == list(range(len(slow)))
    # Cut once the read timeout has passed, though the trickling ones kept sending.
    assert all(READ_TIMEOUT * 0.9 <= elapsed < READ_TIMEOUT + 3 for elapsed in cut.values()), cut


def connection_threads() -> int:
    return sum("process_request_thread" in thread.name for thread in threading.enumerate())


def long_polls(url: str, count: int) -> list[threading.Thread]:
    """``count`` decision-task polls, each holding a thread until its poll timeout."""
    poll = {"domain": "limits", "taskList": {"name": "idle"}}
    threads = [
        threading.Thread(target=swf_ok, args=(url, "PollForDecisionTask", poll))
        for _ in range(count)
    ]
    for thread in threads:
        thread.start()
    return threads


def polling_simulator() -> Simulator:
    # Realtime with nothing open: polls wait their whole (one wall second) timeout.
    simulator = Simulator(seed=0, clock_mode="realtime", options=Options(poll_timeout_seconds=1))
    domain = {"name": "limits", "workflowExecutionRetentionPeriodInDays": "1"}
    simulator.handle("RegisterDomain", domain)
    return simulator


def test_requests_beyond_the_cap_wait_for_a_free_thread() -> None:
    before = connection_threads()  # servers of earlier tests may still end theirs
    running = Server(polling_simulator, max_connections=3).start()
    try:
        polls = long_polls(running.url, 6)
        idle = [connect(running.url) for _ in range(20)]  # cost no thread
        time.sleep(0.3)
        assert connection_threads() - before <= 3
        began = time.monotonic()
        # Three polls hold every thread; this call waits behind the other three polls.
        assert swf(running.url, "ListDomains", LIST).status == 200
        waited = time.monotonic() - began
        for thread in polls:
            thread.join(timeout=10)
        for connection in idle:
            connection.close()
    finally:
        running.stop()
    assert 0.5 <= waited < 5


def raw_request(url: str, head: bytes, body: bytes = b"") -> tuple[int, bytes, float]:
    """Send ``head`` and ``body`` (not necessarily the whole announced body); status, body, s."""
    began = time.monotonic()
    with connect(url) as connection:
        connection.sendall(head + body)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
            if b"\r\n\r\n" in answer and answer.endswith(b"}"):
                break
    status = int(answer.split(b" ", 2)[1])
    return status, answer.partition(b"\r\n\r\n")[2], time.monotonic() - began


def test_an_admin_body_over_the_limit_is_refused_before_it_is_read(strict: Server) -> None:
    kept = {"name": "kept", "workflowExecutionRetentionPeriodInDays": "1"}
    swf_ok(strict.url, "RegisterDomain", kept)
    before = admin_ok(strict.url, "GET", "snapshot")
    head = (
        b"POST /_swfsim/restore HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Content-Length: 209715200\r\n\r\n"
    )
    # 200 MiB announced, 1 byte sent: the answer comes without waiting for the rest.
    status, body, elapsed = raw_request(strict.url, head, b"{")
    assert status == 413
    assert b"at most 4096 bytes" in body
    assert elapsed < READ_TIMEOUT
    assert admin_ok(strict.url, "GET", "snapshot") == before


def test_an_admin_body_at_the_limit_is_read() -> None:
    fresh = Server(simulator).start()
    try:
        snapshot = admin(fresh.url, "GET", "snapshot").body
    finally:
        fresh.stop()
    exact = Server(simulator, max_body_bytes=len(snapshot)).start()
    smaller = Server(simulator, max_body_bytes=len(snapshot) - 1).start()
    try:
        headers = {"Content-Type": "application/json"}
        assert swf(exact.url, "ListDomains", LIST).status == 200
        assert request(exact.url, "POST", "/_swfsim/restore", snapshot, headers).status == 200
        assert request(smaller.url, "POST", "/_swfsim/restore", snapshot, headers).status == 413
    finally:
        exact.stop()
        smaller.stop()


def test_a_chunked_admin_body_is_refused(strict: Server) -> None:
    head = (
        b"POST /_swfsim/restore HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n"
    )
    status, body, _ = raw_request(strict.url, head, b"2\r\n{}\r\n0\r\n\r\n")
    assert status == 411
    assert b"Content-Length" in body
