"""Bad input over HTTP: each is refused as AWS would, the server keeps serving, and nothing
already recorded is lost."""

from __future__ import annotations

import json
import socket
import threading
from collections import Counter
from typing import Any

import pytest
from srv_helpers import (
    DECISIONS,
    DOMAIN,
    EMPTY_POLL,
    SIGNED,
    admin,
    history,
    host_port,
    register_basics,
    request,
    start,
    swf,
    swf_ok,
)

from swfsim.server import Server
from swfsim.transport.http import MAX_REQUEST_BYTES

LIST = b'{"registrationStatus":"REGISTERED"}'


class Recorded:
    """State set up before the bad input, and the check that it is all still there."""

    def __init__(self, url: str) -> None:
        self.url = url
        register_basics(url)
        self.run_id = start(url, "kept", input="precious")
        self.events = history(url, "kept", self.run_id)
        self.domains = swf(url, "ListDomains", LIST).body

    def assert_intact(self) -> None:
        follow_up = swf(self.url, "ListDomains", LIST)
        assert follow_up.status == 200
        assert follow_up.body == self.domains
        assert history(self.url, "kept", self.run_id) == self.events


@pytest.fixture
def recorded(server: Server) -> Recorded:
    return Recorded(server.url)


def head(length: int | None, content_type: str = "application/x-amz-json-1.0") -> bytes:
    lines = [
        b"POST / HTTP/1.1",
        b"Host: localhost",
        b"X-Amz-Target: SimpleWorkflowService.ListDomains",
        b"Authorization: " + SIGNED["Authorization"].encode(),
        b"Content-Type: " + content_type.encode(),
    ]
    if length is not None:
        lines.append(b"Content-Length: " + str(length).encode())
    return b"\r\n".join(lines) + b"\r\n\r\n"


def exchange(url: str, data: bytes, *, half_close: bool = True, read: bool = True) -> bytes:
    """Send ``data`` on a raw socket; with ``half_close`` signal the end of it; read the answer
    until the server closes the connection (or return at once without ``read``)."""
    with socket.create_connection(host_port(url), timeout=10) as sock:
        try:
            sock.sendall(data)
            if half_close:
                sock.shutdown(socket.SHUT_WR)
        except OSError:  # the server may answer and close before reading everything
            pass
        received = b""
        if read:
            try:
                while chunk := sock.recv(65536):
                    received += chunk
            except ConnectionResetError:
                pass
    return received


def fault_of(answer: bytes) -> tuple[int, str]:
    """The status and error code of a raw HTTP answer with a JSON fault body."""
    status_line, _, rest = answer.partition(b"\r\n")
    body = rest.partition(b"\r\n\r\n")[2]
    return int(status_line.split()[1]), json.loads(body)["__type"].split("#")[1]


def test_truncated_body_then_the_client_hangs_up(recorded: Recorded) -> None:
    # Content-Length promises 100 bytes, 10 arrive, then the socket closes without reading.
    exchange(recorded.url, head(100) + LIST[:10], half_close=False, read=False)
    recorded.assert_intact()


def test_truncated_body_with_the_answer_read(recorded: Recorded) -> None:
    answer = exchange(recorded.url, head(100) + LIST[:10])
    assert fault_of(answer) == (400, "SerializationException")
    recorded.assert_intact()


def test_connection_closed_before_any_request(recorded: Recorded) -> None:
    exchange(recorded.url, b"", half_close=False, read=False)
    exchange(recorded.url, b"POST / HTTP/1.1\r\nHost: loc", half_close=False, read=False)
    # The standard library's request parser refuses it (as HTTP/0.9, so without a status line).
    assert b"Error code: 400" in exchange(recorded.url, b"NOT HTTP AT ALL\r\n\r\n")
    recorded.assert_intact()


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/xml", "application/x-amz-json-1.1", "multipart/form-data"],
)
def test_wrong_content_types(recorded: Recorded, content_type: str) -> None:
    reply = swf(recorded.url, "ListDomains", LIST, content_type=content_type)
    assert reply.status == 400
    assert reply.json()["__type"] == "com.amazon.coral.service#SerializationException"
    assert content_type in reply.json()["message"]
    recorded.assert_intact()


def test_huge_body_with_content_length(recorded: Recorded) -> None:
    body = b'{"registrationStatus":"REGISTERED","x":"' + b"a" * MAX_REQUEST_BYTES + b'"}'
    answer = exchange(recorded.url, head(len(body)) + body)
    assert fault_of(answer) == (400, "ValidationException")
    # The size alone is refused, before a byte of the body is read.
    assert fault_of(exchange(recorded.url, head(len(body)))) == (400, "ValidationException")
    recorded.assert_intact()


def test_huge_chunked_body(recorded: Recorded) -> None:
    body = b'{"registrationStatus":"REGISTERED","x":"' + b"a" * MAX_REQUEST_BYTES + b'"}'
    chunks = b"".join(
        b"%x\r\n" % len(body[at : at + 65536]) + body[at : at + 65536] + b"\r\n"
        for at in range(0, len(body), 65536)
    )
    data = head(None).replace(b"\r\n\r\n", b"\r\nTransfer-Encoding: chunked\r\n\r\n")
    answer = exchange(recorded.url, data + chunks + b"0\r\n\r\n")
    assert fault_of(answer) == (400, "ValidationException")
    # A small chunked body is read whole.
    small = b"%x\r\n" % len(LIST) + LIST + b"\r\n0\r\n\r\n"
    assert exchange(recorded.url, data + small).startswith(b"HTTP/1.1 200")
    recorded.assert_intact()


def test_a_body_just_under_the_quota_is_read(recorded: Recorded) -> None:
    padding = MAX_REQUEST_BYTES - len(b'{"registrationStatus":"REGISTERED","x":""}')
    body = b'{"registrationStatus":"REGISTERED","x":"' + b"a" * padding + b'"}'
    assert len(body) == MAX_REQUEST_BYTES
    reply = swf(recorded.url, "ListDomains", body)
    # Read and parsed whole (the unknown member is ignored, as AWS's JSON protocol does).
    assert reply.status == 200
    assert reply.body == recorded.domains
    recorded.assert_intact()


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"{not json", "SerializationException"),
        (b'{"registrationStatus":', "SerializationException"),
        (b"\xff\xfe\x00\x01", "SerializationException"),
        (b"[1, 2]", "SerializationException"),
        (b'[{"registrationStatus":"REGISTERED"}]', "SerializationException"),
        (b'"REGISTERED"', "SerializationException"),
        (b"null", "SerializationException"),
        (b"{}", "ValidationException"),  # valid JSON, a required member missing
        (b'{"registrationStatus":"SOMETIMES"}', "ValidationException"),
    ],
)
def test_bodies_that_are_not_a_request(recorded: Recorded, body: bytes, code: str) -> None:
    reply = swf(recorded.url, "ListDomains", body)
    assert reply.status == 400
    assert reply.json()["__type"].split("#")[1] == code
    recorded.assert_intact()


@pytest.mark.parametrize(
    "target",
    [
        "SimpleWorkflowService.NoSuchOperation",
        "SimpleWorkflowService.",
        "SimpleWorkflowService.listDomains",
        "DynamoDB_20120810.ListTables",
    ],
)
def test_unknown_operations(recorded: Recorded, target: str) -> None:
    reply = request(
        recorded.url,
        body=LIST,
        headers={
            "X-Amz-Target": target,
            "Content-Type": "application/x-amz-json-1.0",
            **SIGNED,
        },
    )
    assert reply.status == 400
    assert reply.json()["__type"] == "com.amazon.coral.service#UnknownOperationException"
    recorded.assert_intact()


def test_get_on_the_root(recorded: Recorded) -> None:
    # With an SWF target it is an SWF request, refused as such.
    reply = request(
        recorded.url,
        "GET",
        headers={"X-Amz-Target": "SimpleWorkflowService.ListDomains", **SIGNED},
    )
    assert reply.status == 400
    assert reply.json()["__type"].endswith("#UnknownOperationException")
    # Without one it is S3's ListBuckets (the endpoint serves both).
    plain = request(recorded.url, "GET")
    assert plain.status == 200
    assert b"<ListAllMyBucketsResult" in plain.body
    recorded.assert_intact()


def test_unknown_admin_routes_and_bad_admin_bodies(recorded: Recorded) -> None:
    assert admin(recorded.url, "GET", "nowhere").status == 404
    assert admin(recorded.url, "GET", "reset").status == 405
    for route, body in [
        ("clock/advance", {"seconds": -1}),
        ("clock/advance", {"to": "yesterday"}),
        ("clock/advance", {"to": "2030-01-01T00:00:00"}),
        ("clock/advance", {}),
        ("clock/mode", {"mode": "warp"}),
        ("clock/mode", {"mode": "realtime", "rate": 0}),
        ("restore", {"format": "something else"}),
        ("restore", [1, 2]),
    ]:
        reply = admin(recorded.url, "POST", route, body)
        assert reply.status == 400, (route, body, reply.body)
        assert reply.json()["error"]
    not_json = request(
        recorded.url, "POST", "/_swfsim/restore", b"{oops", {"Content-Type": "application/json"}
    )
    assert not_json.status == 400
    assert admin(recorded.url, "GET", "history?domain=srv&workflowId=nobody").status == 404
    assert admin(recorded.url, "GET", "history").status == 400
    recorded.assert_intact()


def test_concurrent_resets_while_other_threads_call(server: Server) -> None:
    url = server.url
    statuses: Counter[tuple[int, str]] = Counter()
    lock = threading.Lock()
    failures: list[BaseException] = []

    def note(reply: Any) -> None:
        code = reply.json()["__type"].split("#")[1] if reply.status != 200 and reply.body else ""
        with lock:
            statuses[(reply.status, code)] += 1

    def caller(number: int) -> None:
        try:
            for round_ in range(15):
                domain = f"d-{number}-{round_}"
                note(
                    swf(
                        url,
                        "RegisterDomain",
                        {"name": domain, "workflowExecutionRetentionPeriodInDays": "1"},
                    )
                )
                note(
                    swf(
                        url,
                        "RegisterWorkflowType",
                        {
                            "domain": domain,
                            "name": "w",
                            "version": "1",
                            "defaultTaskList": DECISIONS,
                            "defaultChildPolicy": "TERMINATE",
                            "defaultExecutionStartToCloseTimeout": "60",
                            "defaultTaskStartToCloseTimeout": "10",
                        },
                    )
                )
                note(
                    swf(
                        url,
                        "StartWorkflowExecution",
                        {
                            "domain": domain,
                            "workflowId": "w",
                            "workflowType": {"name": "w", "version": "1"},
                        },
                    )
                )
                note(swf(url, "DescribeDomain", {"name": domain}))
                note(swf(url, "ListDomains", LIST))
        except BaseException as error:  # reported below, in the test thread
            failures.append(error)

    def resetter() -> None:
        try:
            for _ in range(15):
                reply = admin(url, "POST", "reset")
                assert reply.status == 200
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=caller, args=(n,)) for n in range(4)]
    threads.append(threading.Thread(target=resetter))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    assert not failures, failures
    # Only the faults a vanished domain explains; never a 500 (InternalFailure).
    allowed = {(200, ""), (400, "UnknownResourceFault")}
    assert set(statuses) <= allowed, statuses
    assert statuses[(200, "")] > 0
    assert sum(statuses.values()) == 4 * 15 * 5

    # Afterwards the server still answers, from a consistent state.
    assert admin(url, "POST", "reset").status == 200
    assert swf(url, "ListDomains", LIST).body == b'{"domainInfos":[]}'
    Recorded(url).assert_intact()
    assert (
        swf(url, "PollForDecisionTask", {"domain": DOMAIN, "taskList": {"name": "idle"}}).body
        == EMPTY_POLL
    )
    swf_ok(url, "TerminateWorkflowExecution", {"domain": DOMAIN, "workflowId": "kept"})
