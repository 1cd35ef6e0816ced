"""Helpers of the server suite: raw HTTP calls, boto3 clients at the endpoint, bounded waits."""

from __future__ import annotations

import http.client
import json
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.config import Config

SHORT_TARGET = "SimpleWorkflowService."
LEGACY_TARGET = "com.amazonaws.swf.service.model.SimpleWorkflowService."
AMZ_JSON = "application/x-amz-json-1.0"
BOTO2_JSON = "application/json; charset=UTF-8"  # what boto 2 sent (real-aws README, fact 1)
EMPTY_POLL = b'{"previousStartedEventId":0,"startedEventId":0}'
DEFAULT_ACCOUNT = "123456789012"


def signature(access_key: str = "testing", region: str = "us-east-1") -> dict[str, str]:
    """An ``Authorization`` header as SigV4 writes it (swfsim reads its scope, not its
    signature): the world of ``access_key`` (12 digits: that account) and ``region``."""
    scope = f"{access_key}/20260101/{region}/swf/aws4_request"
    return {
        "Authorization": f"AWS4-HMAC-SHA256 Credential={scope}, SignedHeaders=host, Signature=0"
    }


SIGNED = signature()

DOMAIN = "srv"
WORKFLOW = {"name": "SrvWorkflow", "version": "1"}
ACTIVITY = {"name": "SrvActivity", "version": "1"}
DECISIONS = {"name": "srv-decisions"}
ACTIVITIES = {"name": "srv-activities"}


@dataclass
class Reply:
    """One HTTP answer: status, headers (name lookups ignore case) and the raw body."""

    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def header(self, name: str) -> str | None:
        return self.headers.get(name)


def host_port(url: str) -> tuple[str, int]:
    parts = urllib.parse.urlsplit(url)
    assert parts.hostname is not None
    assert parts.port is not None
    return parts.hostname, parts.port


def request(
    url: str,
    method: str = "POST",
    path: str = "/",
    body: bytes | str | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30.0,
) -> Reply:
    """One request on a fresh connection."""
    host, port = host_port(url)
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        connection.close()


def swf(
    url: str,
    operation: str,
    params: Any,
    *,
    legacy: bool = False,
    content_type: str | None = None,
    timeout: float = 30.0,
    signed: dict[str, str] = SIGNED,
) -> Reply:
    """An SWF call as botocore (default) or boto 2 (``legacy``) sends it, signed by default
    for the default world (``signed={}``: unsigned)."""
    body = params if isinstance(params, bytes | str) else json.dumps(params)
    if legacy:
        headers = {
            "X-Amz-Target": LEGACY_TARGET + operation,
            "Content-Type": content_type or BOTO2_JSON,
            "Content-Encoding": "amz-1.0",
            **signed,
        }
    else:
        headers = {
            "X-Amz-Target": SHORT_TARGET + operation,
            "Content-Type": content_type or AMZ_JSON,
            **signed,
        }
    return request(url, body=body, headers=headers, timeout=timeout)


def swf_ok(url: str, operation: str, params: Any, **options: Any) -> Any:
    """The JSON answer of a call that must succeed (None for an empty body)."""
    reply = swf(url, operation, params, **options)
    assert reply.status == 200, f"{operation}: {reply.status} {reply.body!r}"
    return reply.json() if reply.body else None


def admin(url: str, method: str, route: str, body: Any = None) -> Reply:
    """A call to the admin API (``/_swfsim/<route>``)."""
    data = None if body is None else json.dumps(body)
    # As the CLI does: admin POSTs must say JSON (a web page cannot, cross-site).
    headers = {"Content-Type": "application/json"} if data is not None or method == "POST" else {}
    return request(url, method, f"/_swfsim/{route}", data, headers)


def admin_ok(url: str, method: str, route: str, body: Any = None) -> Any:
    reply = admin(url, method, route, body)
    assert reply.status == 200, f"{route}: {reply.status} {reply.body!r}"
    return reply.json()


def client(
    url: str, service: str = "swf", access_key: str = "testing", region: str = "us-east-1"
) -> Any:
    """A boto3 client of ``service`` at the endpoint, with dummy credentials."""
    return boto3.client(
        service,
        endpoint_url=url,
        region_name=region,
        aws_access_key_id=access_key,
        aws_secret_access_key="testing",
        config=Config(
            retries={"mode": "standard", "total_max_attempts": 2},
            read_timeout=30,
            connect_timeout=5,
        ),
    )


def wait_until(condition: Callable[[], bool], timeout: float = 10.0, what: str = "") -> None:
    """Return once ``condition()`` holds; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what or condition}")
        time.sleep(0.005)


def register_basics(url: str, domain: str = DOMAIN) -> None:
    """The domain, workflow type and activity type most server tests use (raw HTTP)."""
    swf_ok(url, "RegisterDomain", {"name": domain, "workflowExecutionRetentionPeriodInDays": "1"})
    swf_ok(
        url,
        "RegisterWorkflowType",
        {
            "domain": domain,
            **WORKFLOW,
            "defaultTaskList": DECISIONS,
            "defaultExecutionStartToCloseTimeout": "3600",
            "defaultTaskStartToCloseTimeout": "300",
            "defaultChildPolicy": "TERMINATE",
        },
    )
    swf_ok(
        url,
        "RegisterActivityType",
        {
            "domain": domain,
            **ACTIVITY,
            "defaultTaskList": ACTIVITIES,
            "defaultTaskScheduleToStartTimeout": "300",
            "defaultTaskScheduleToCloseTimeout": "600",
            "defaultTaskStartToCloseTimeout": "300",
            "defaultTaskHeartbeatTimeout": "NONE",
        },
    )


def start(url: str, workflow_id: str, domain: str = DOMAIN, **params: Any) -> str:
    """Start a run of WORKFLOW; returns its runId."""
    body = {"domain": domain, "workflowId": workflow_id, "workflowType": WORKFLOW, **params}
    answer = swf_ok(url, "StartWorkflowExecution", body)
    run_id: str = answer["runId"]
    return run_id


def history(url: str, workflow_id: str, run_id: str, domain: str = DOMAIN) -> bytes:
    """The raw bytes of a run's whole history (one page)."""
    reply = swf(
        url,
        "GetWorkflowExecutionHistory",
        {"domain": domain, "execution": {"workflowId": workflow_id, "runId": run_id}},
    )
    assert reply.status == 200, reply.body
    return reply.body


class Baseline:
    """A domain and a run recorded before bad input, and the check that none of it changed.

    The run's timeouts are long (a year, and no decision task timeout), so clock moves made
    by the requests in between (an empty poll moves an auto clock a minute) change nothing.
    """

    def __init__(self, url: str, domain: str = DOMAIN) -> None:
        self.url, self.domain = url, domain
        register_basics(url, domain)
        self.run_id = start(
            url,
            "kept",
            domain,
            input="precious",
            executionStartToCloseTimeout="31536000",
            taskStartToCloseTimeout="NONE",
        )
        self.recorded = self._state()

    def _state(self) -> dict[str, bytes]:
        run = {"domain": self.domain, "execution": {"workflowId": "kept", "runId": self.run_id}}
        calls = {
            "history": ("GetWorkflowExecutionHistory", run),
            "execution": ("DescribeWorkflowExecution", run),
            "domain": ("DescribeDomain", {"name": self.domain}),
        }
        state = {}
        for name, (operation, params) in calls.items():
            reply = swf(self.url, operation, params)
            assert reply.status == 200, (operation, reply.status, reply.body)
            state[name] = reply.body
        return state

    def assert_intact(self) -> None:
        """The domain, the run's description and its history are byte for byte as recorded."""
        assert self._state() == self.recorded
