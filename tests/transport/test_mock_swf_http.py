"""In process, ``after-call`` handlers see the HTTP answer AWS (and ``swfsim serve``) would send."""

from __future__ import annotations

import contextlib
import copy
import json
import pickle
from typing import Any

import boto3
import pytest
from werkzeug.test import Client

import swfsim
from swfsim import Simulator
from swfsim.transport.admin import admin_application
from swfsim.transport.http import Endpoint, application

Exchange = tuple[str, bytes]
"""An operation name and the request body botocore serialized for it."""


class Recorder:
    """What a logging or tracing tool registers: the requests sent and the answers seen.

    Made before the mock attaches to the client, it sees each request before swfsim answers.
    """

    def __init__(self, client: Any) -> None:
        self.sent: list[Exchange] = []
        self.answers: list[tuple[int, bytes, str]] = []
        self.headers: list[dict[str, str]] = []
        client.meta.events.register_first("before-call.swf", self.before_call)
        client.meta.events.register("after-call.swf", self.after_call)

    def before_call(self, model: Any, params: dict[str, Any], **_: Any) -> None:
        self.sent.append((model.name, params["body"]))

    def after_call(self, http_response: Any, parsed: dict[str, Any], **_: Any) -> None:
        length = http_response.headers["Content-Length"]
        self.answers.append((http_response.status_code, http_response.content, length))
        self.headers.append(parsed["ResponseMetadata"]["HTTPHeaders"])


def _workload(client: Any) -> None:
    """Calls whose answers are empty, plain, full of timestamps, and faults."""
    client.register_domain(name="d", workflowExecutionRetentionPeriodInDays="1")
    client.register_workflow_type(
        domain="d", name="w", version="1", defaultTaskList={"name": "l"},
        defaultExecutionStartToCloseTimeout="3600", defaultTaskStartToCloseTimeout="10",
        defaultChildPolicy="TERMINATE",
    )  # fmt: skip
    client.start_workflow_execution(
        domain="d", workflowId="w-1", workflowType={"name": "w", "version": "1"}, input="é ✓"
    )
    client.poll_for_decision_task(domain="d", taskList={"name": "l"})
    client.describe_domain(name="d")
    with contextlib.suppress(client.exceptions.UnknownResourceFault):
        client.describe_domain(name="nowhere-ü")


def test_after_call_reads_the_bodies_swfsim_serve_writes_byte_for_byte() -> None:
    client = boto3.client(
        "swf", region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s"
    )
    recorder = Recorder(client)
    with swfsim.mock_swf(seed=11, clients=[client]):
        _workload(client)
    assert [status for status, _, _ in recorder.answers] == [200] * 5 + [400]

    server = Client(application(Endpoint(lambda: Simulator(seed=11)), admin_application))
    for (operation, body), (status, content, length) in zip(
        recorder.sent, recorder.answers, strict=True
    ):
        served = server.post(
            "/",
            data=body,
            headers={
                "X-Amz-Target": f"SimpleWorkflowService.{operation}",
                "Content-Type": "application/x-amz-json-1.0",
                # As the client signs (swfsim serve reads the scope, not the signature).
                "Authorization": "AWS4-HMAC-SHA256 Credential=k/20260101/us-east-1/swf/"
                "aws4_request, SignedHeaders=host, Signature=0",
            },
        )
        assert (status, content, length) == (
            served.status_code,
            served.data,
            served.headers["Content-Length"],
        ), operation


def test_an_empty_answer_has_an_empty_body_and_a_fault_its_json_error() -> None:
    with swfsim.mock_swf():
        client = boto3.client("swf", region_name="us-east-1")
        recorder = Recorder(client)
        _workload(client)
    _, empty, length = recorder.answers[0]
    assert (empty, length) == (b"", "0")
    _, fault, _ = recorder.answers[-1]
    assert json.loads(fault) == {
        "__type": "com.amazonaws.swf.base.model#UnknownResourceFault",
        "message": "Unknown domain: nowhere-ü",
    }


def test_response_metadata_headers_carry_the_body_length_like_a_plain_dict() -> None:
    with swfsim.mock_swf():
        client = boto3.client("swf", region_name="us-east-1")
        recorder = Recorder(client)
        _workload(client)
        untouched = client.describe_domain(name="d")["ResponseMetadata"]["HTTPHeaders"]
    expected = {
        "x-amzn-requestid": untouched["x-amzn-requestid"],
        "content-type": "application/x-amz-json-1.0",
        "content-length": recorder.answers[4][2],  # the same call, answered the same way
        "date": "Thu, 01 Jan 2026 00:00:00 GMT",
    }
    assert untouched == expected
    assert expected == untouched
    assert dict(untouched) == {**untouched} == copy.deepcopy(untouched) == expected
    assert pickle.loads(pickle.dumps(untouched)) == expected
    assert json.loads(json.dumps(untouched)) == expected
    assert sorted(untouched) == sorted(expected)
    assert len(untouched) == 4
    assert untouched.get("content-length") == expected["content-length"]
    for headers, (_, content, _) in zip(recorder.headers, recorder.answers, strict=True):
        assert headers["content-length"] == str(len(content))


def test_reading_no_header_and_no_body_costs_no_encoding(monkeypatch: pytest.MonkeyPatch) -> None:
    encoded: list[object] = []
    original = swfsim.transport.wire.encode

    def counting(value: Any) -> bytes:
        encoded.append(value)
        return original(value)

    monkeypatch.setattr(swfsim.transport.wire, "encode", counting)
    with swfsim.mock_swf():
        client = boto3.client("swf", region_name="us-east-1")
        client.register_domain(name="d", workflowExecutionRetentionPeriodInDays="1")
        answer = client.describe_domain(name="d")
        assert encoded == []
        assert answer["ResponseMetadata"]["HTTPHeaders"]["content-length"] == "165"
        assert len(encoded) == 1


def test_headers_of_two_identical_answers_compare_equal_whichever_was_read() -> None:
    def headers() -> dict[str, str]:
        with swfsim.mock_swf(seed=5):
            client = boto3.client("swf", region_name="us-east-1")
            client.register_domain(name="d", workflowExecutionRetentionPeriodInDays="1")
            described: dict[str, str] = client.describe_domain(name="d")["ResponseMetadata"][
                "HTTPHeaders"
            ]
            return described

    for read_first in (True, False):
        read, unread = headers(), headers()
        assert read["content-length"] == "165"
        assert (read == unread) if read_first else (unread == read)
        read, unread = headers(), headers()
        assert read["content-length"] == "165"
        assert ((read != unread) if read_first else (unread != read)) is False
