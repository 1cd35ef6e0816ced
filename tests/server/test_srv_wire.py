"""The wire as raw HTTP: headers, targets, body layout and the forms real SWF writes."""

from __future__ import annotations

import json
import re
import socket
from datetime import datetime, timezone
from typing import Any

import pytest
from srv_helpers import (
    ACTIVITIES,
    AMZ_JSON,
    DECISIONS,
    DOMAIN,
    EMPTY_POLL,
    LEGACY_TARGET,
    SIGNED,
    Reply,
    admin_ok,
    client,
    history,
    host_port,
    register_basics,
    request,
    start,
    swf,
    swf_ok,
)

from swfsim.server import Server

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
JAVA_DOUBLE = re.compile(rb'"(\w*(?:Timestamp|Date))":(-?[0-9]\.[0-9]+E[0-9]+)[,}]')
TIMESTAMP_KEYS = {
    "eventTimestamp",
    "startTimestamp",
    "closeTimestamp",
    "creationDate",
    "latestActivityTaskTimestamp",
}


def assert_sorted_keys(body: bytes) -> None:
    """Every object of ``body`` has its keys in lexicographic order."""

    def check(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [key for key, _ in pairs]
        assert keys == sorted(keys), f"keys out of order: {keys}"
        return dict(pairs)

    json.loads(body, object_pairs_hook=check)


def assert_compact(body: bytes) -> None:
    """No whitespace outside strings (strings blanked first)."""
    outside = re.sub(rb'"(?:[^"\\]|\\.)*"', b'""', body)
    assert not re.search(rb"\s", outside), body[:200]


def test_content_type_follows_the_request(server: Server) -> None:
    modern = swf(server.url, "ListDomains", {"registrationStatus": "REGISTERED"})
    assert modern.status == 200
    assert modern.header("Content-Type") == AMZ_JSON
    # boto 2 sent application/json; charset=UTF-8, and real SWF answered application/json.
    legacy = swf(server.url, "ListDomains", {"registrationStatus": "REGISTERED"}, legacy=True)
    assert legacy.status == 200
    assert legacy.header("Content-Type") == "application/json"
    plain = swf(
        server.url,
        "ListDomains",
        {"registrationStatus": "REGISTERED"},
        content_type="application/json",
    )
    assert plain.header("Content-Type") == "application/json"
    # Faults keep the request's content type too.
    fault = swf(server.url, "DescribeDomain", {"name": "nowhere"}, legacy=True)
    assert fault.status == 400
    assert fault.header("Content-Type") == "application/json"
    assert fault.json()["__type"].endswith("#UnknownResourceFault")


def test_request_ids_are_unique_lowercase_uuids_on_every_answer(server: Server) -> None:
    replies = [
        swf(server.url, "ListDomains", {"registrationStatus": "REGISTERED"}),
        swf(server.url, "DescribeDomain", {"name": "nowhere"}),
        swf(server.url, "NoSuchOperation", {}),
        swf(server.url, "ListDomains", b"{not json"),
    ]
    assert [reply.status for reply in replies] == [200, 400, 400, 400]
    ids = [reply.header("x-amzn-RequestId") for reply in replies]
    for request_id in ids:
        assert request_id is not None
        assert len(request_id) == 36
        assert UUID.match(request_id), request_id
    assert len(set(ids)) == len(ids)


def test_legacy_target_prefix_is_answered_like_the_short_one(server: Server) -> None:
    register_basics(server.url)
    params = {"domain": DOMAIN, "registrationStatus": "REGISTERED"}
    short = swf(server.url, "ListWorkflowTypes", params)
    legacy = swf(server.url, "ListWorkflowTypes", params, legacy=True)
    assert short.status == legacy.status == 200
    assert short.body == legacy.body
    # Only the two prefixes name operations.
    for target in ("SimpleWorkflowServiceListDomains", "Swf.ListDomains", LEGACY_TARGET[:-1]):
        reply = request(
            server.url,
            body=json.dumps(params),
            headers={"X-Amz-Target": target, "Content-Type": AMZ_JSON, **SIGNED},
        )
        assert reply.status == 400
        assert reply.json()["__type"].endswith("#UnknownOperationException")


def test_every_swf_answer_closes_the_connection(server: Server) -> None:
    body = json.dumps({"registrationStatus": "REGISTERED"}).encode()
    request_bytes = (
        b"POST / HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n"
        b"X-Amz-Target: SimpleWorkflowService.ListDomains\r\n"
        b"Authorization: " + SIGNED["Authorization"].encode() + b"\r\n"
        b"Content-Type: application/x-amz-json-1.0\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
    )
    with socket.create_connection(host_port(server.url), timeout=10) as sock:
        sock.sendall(request_bytes)
        received = b""
        while chunk := sock.recv(65536):  # ends only when the server closes the socket
            received += chunk
    head, _, payload = received.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200")
    assert b"\r\nConnection: close" in head
    assert payload == b'{"domainInfos":[]}'
    assert swf(server.url, "ListDomains", body).header("Connection") == "close"


@pytest.mark.parametrize("legacy", [False, True])
def test_empty_success_bodies(server: Server, legacy: bool) -> None:
    def empty(operation: str, params: dict[str, Any]) -> None:
        reply = swf(server.url, operation, params, legacy=legacy)
        assert reply.status == 200, reply.body
        assert reply.body == b""
        assert reply.header("Content-Length") == "0"
        assert reply.header("Content-Type") == ("application/json" if legacy else AMZ_JSON)

    empty("RegisterDomain", {"name": DOMAIN, "workflowExecutionRetentionPeriodInDays": "1"})
    empty(
        "RegisterWorkflowType",
        {"domain": DOMAIN, "name": "w", "version": "1", "defaultTaskList": DECISIONS},
    )
    empty("RegisterActivityType", {"domain": DOMAIN, "name": "a", "version": "1"})
    run_id = swf_ok(
        server.url,
        "StartWorkflowExecution",
        {
            "domain": DOMAIN,
            "workflowId": "doomed",
            "workflowType": {"name": "w", "version": "1"},
            "executionStartToCloseTimeout": "60",
            "taskStartToCloseTimeout": "10",
            "childPolicy": "TERMINATE",
        },
        legacy=legacy,
    )["runId"]
    empty("SignalWorkflowExecution", {"domain": DOMAIN, "workflowId": "doomed", "signalName": "s"})
    empty("TerminateWorkflowExecution", {"domain": DOMAIN, "workflowId": "doomed", "runId": run_id})
    empty(
        "DeprecateActivityType", {"domain": DOMAIN, "activityType": {"name": "a", "version": "1"}}
    )


def run_one_activity(url: str) -> tuple[str, str]:
    """A run with a completed activity and a slash in its input; returns (workflowId, runId)."""
    register_basics(url)
    run_id = start(url, "wire-1", input="path/to/thing", tagList=["a/b"])
    task = swf_ok(url, "PollForDecisionTask", {"domain": DOMAIN, "taskList": DECISIONS})
    admin_ok(url, "POST", "clock/advance", {"seconds": 1.234})
    swf_ok(
        url,
        "RespondDecisionTaskCompleted",
        {
            "taskToken": task["taskToken"],
            "decisions": [
                {
                    "decisionType": "ScheduleActivityTask",
                    "scheduleActivityTaskDecisionAttributes": {
                        "activityType": {"name": "SrvActivity", "version": "1"},
                        "activityId": "a-1",
                        "input": "ünïcode ✓",
                    },
                }
            ],
        },
    )
    work = swf_ok(url, "PollForActivityTask", {"domain": DOMAIN, "taskList": ACTIVITIES})
    admin_ok(url, "POST", "clock/advance", {"seconds": 0.5})
    swf_ok(url, "RespondActivityTaskCompleted", {"taskToken": work["taskToken"], "result": "r/1"})
    return "wire-1", run_id


def test_bodies_are_compact_sorted_with_slashes_unescaped(server: Server) -> None:
    workflow_id, run_id = run_one_activity(server.url)
    bodies = [
        history(server.url, workflow_id, run_id),
        swf(
            server.url,
            "DescribeWorkflowExecution",
            {"domain": DOMAIN, "execution": {"workflowId": workflow_id, "runId": run_id}},
        ).body,
        swf(
            server.url,
            "DescribeWorkflowType",
            {"domain": DOMAIN, "workflowType": {"name": "SrvWorkflow", "version": "1"}},
        ).body,
        swf(
            server.url,
            "ListOpenWorkflowExecutions",
            {"domain": DOMAIN, "startTimeFilter": {"oldestDate": 0}},
        ).body,
    ]
    for body in bodies:
        assert body.startswith(b"{")
        assert_compact(body)
        assert_sorted_keys(body)
    events = bodies[0]
    assert b'"input":"path/to/thing"' in events
    assert b'"tagList":["a/b"]' in events
    assert b'"result":"r/1"' in events
    assert b"\\/" not in events
    assert "ünïcode ✓".encode() in events  # UTF-8 as is
    # Within an event, attributes < eventId < eventTimestamp < eventType (real-aws fact 2).
    assert re.search(rb'\{"activityTaskScheduledEventAttributes":\{.*?\},"eventId":5,', events)


def test_timestamps_in_java_double_form(server: Server) -> None:
    workflow_id, run_id = run_one_activity(server.url)
    execution = {"workflowId": workflow_id, "runId": run_id}
    replies: list[Reply] = [
        swf(server.url, "GetWorkflowExecutionHistory", {"domain": DOMAIN, "execution": execution}),
        swf(server.url, "DescribeWorkflowExecution", {"domain": DOMAIN, "execution": execution}),
        swf(server.url, "DescribeDomain", {"name": DOMAIN}),
        swf(
            server.url,
            "DescribeActivityType",
            {"domain": DOMAIN, "activityType": {"name": "SrvActivity", "version": "1"}},
        ),
    ]
    texts = {}
    for reply in replies:
        assert reply.status == 200
        for key, number in JAVA_DOUBLE.findall(reply.body):
            texts.setdefault(key.decode(), set()).add(number.decode())
    # Every timestamp member that appeared was written in scientific form, none plainly.
    plain = re.compile(rb'"\w*(?:Timestamp|Date)":-?[0-9]+(?:\.[0-9]+)?[,}]')
    assert not any(plain.search(reply.body) for reply in replies)
    assert {"eventTimestamp", "startTimestamp", "creationDate"} <= set(texts)
    assert set(texts) <= TIMESTAMP_KEYS
    start_s = datetime(2026, 1, 1, tzinfo=timezone.utc).timestamp()
    assert start_s == 1767225600.0
    # Whole seconds drop the fraction's trailing zeros; milliseconds stay exact.
    assert texts["eventTimestamp"] == {"1.7672256E9", "1.767225601234E9", "1.767225601734E9"}
    assert texts["latestActivityTaskTimestamp"] == {"1.767225601734E9"}
    # boto3 reads them back to the same moments.
    events = client(server.url).get_workflow_execution_history(domain=DOMAIN, execution=execution)
    stamps = sorted({e["eventTimestamp"].timestamp() for e in events["events"]})
    assert stamps == [1767225600.0, 1767225601.234, 1767225601.734]
    # Integers stay plain.
    assert b'"eventId":1,' in replies[0].body


def test_empty_polls(server: Server) -> None:
    register_basics(server.url)
    # The auto clock jumps to the poll's 60 s expiry at once.
    decision = swf(server.url, "PollForDecisionTask", {"domain": DOMAIN, "taskList": DECISIONS})
    assert decision.status == 200
    assert decision.body == EMPTY_POLL
    activity = swf(server.url, "PollForActivityTask", {"domain": DOMAIN, "taskList": ACTIVITIES})
    assert activity.status == 200
    assert activity.body == b'{"startedEventId":0}'
    legacy = swf(
        server.url, "PollForDecisionTask", {"domain": DOMAIN, "taskList": DECISIONS}, legacy=True
    )
    assert (legacy.body, legacy.header("Content-Type")) == (EMPTY_POLL, "application/json")
    # boto3 sees an answer without a taskToken.
    polled = client(server.url).poll_for_decision_task(domain=DOMAIN, taskList=DECISIONS)
    assert "taskToken" not in polled
    assert admin_ok(server.url, "GET", "clock")["epochMillis"] == 1767225600000 + 4 * 60_000
