"""Values no SWF request may carry, over HTTP: each answered with the AWS fault as JSON (valid
UTF-8 even where the message quotes the value), and nothing of the request kept."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.parsers import create_parser
from srv_helpers import AMZ_JSON, DOMAIN, SIGNED, Baseline, Reply, client, request, swf

from swfsim.server import Server

LIST = {"registrationStatus": "REGISTERED"}
VISIBILITY = [
    ("ListOpenWorkflowExecutions", "startTimeFilter"),
    ("CountOpenWorkflowExecutions", "startTimeFilter"),
    ("ListClosedWorkflowExecutions", "startTimeFilter"),
    ("ListClosedWorkflowExecutions", "closeTimeFilter"),
    ("CountClosedWorkflowExecutions", "startTimeFilter"),
    ("CountClosedWorkflowExecutions", "closeTimeFilter"),
]


class Kept(Baseline):
    """The baseline, and the domains listed before the bad request."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.domains = swf(url, "ListDomains", LIST).body

    def assert_intact(self) -> None:
        super().assert_intact()
        assert swf(self.url, "ListDomains", LIST).body == self.domains


@pytest.fixture
def kept(server: Server) -> Kept:
    return Kept(server.url)


def fault(reply: Reply) -> tuple[int, str, str]:
    """Status, error code and message of a JSON fault, its body read as strict UTF-8."""
    body = json.loads(reply.body.decode("utf-8"))
    assert set(body) == {"__type", "message"}, body
    return reply.status, body["__type"].partition("#")[2], body["message"]


def escaped(*parts: str) -> bytes:
    """A JSON body written by hand, so that escapes and literals go out exactly as given."""
    return "".join(parts).encode("utf-8")


@pytest.mark.parametrize(
    ("operation", "body", "path"),
    [
        (
            "RegisterDomain",
            '{"name":"bad\\ud800","workflowExecutionRetentionPeriodInDays":"1"}',
            "name",
        ),
        (
            "StartWorkflowExecution",
            '{"domain":"srv","workflowId":"new","workflowType":{"name":"SrvWorkflow",'
            '"version":"1"},"input":"\\udfff"}',
            "input",
        ),
        (
            "ListOpenWorkflowExecutions",
            '{"domain":"srv","startTimeFilter":{"oldestDate":0},"tagFilter":{"tag":"\\ud83d"}}',
            "tagFilter.tag",
        ),
        (
            "SignalWorkflowExecution",
            '{"domain":"srv","workflowId":"kept","signalName":"s","input":"a\\udc00b"}',
            "input",
        ),
    ],
)
def test_lone_surrogate_escapes_are_refused(
    kept: Kept, operation: str, body: str, path: str
) -> None:
    status, code, message = fault(swf(kept.url, operation, escaped(body)))
    assert (status, code) == (400, "ValidationException")
    assert f"at '{path}' failed to satisfy constraint: Member must be valid Unicode" in message
    assert "\\u" in message  # the value is quoted with its surrogate escaped
    kept.assert_intact()


@pytest.mark.parametrize("raw", [b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xff", b"\xc0\xaf", b"\x80"])
def test_bytes_that_are_not_utf8_are_refused(kept: Kept, raw: bytes) -> None:
    body = b'{"name":"bad' + raw + b'","workflowExecutionRetentionPeriodInDays":"1"}'
    status, code, message = fault(swf(kept.url, "RegisterDomain", body))
    assert (status, code) == (400, "SerializationException")
    assert message.startswith("The request body is not valid UTF-8: ")
    kept.assert_intact()


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000,
        b'{"a":' * 2_000,
        b'{"registrationStatus":"REGISTERED","x":' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        # Deep enough to refuse, shallow enough for Python's reader: the walk's bound.
        b'{"registrationStatus":"REGISTERED","x":' + b"[" * 100 + b"]" * 100 + b"}",
    ],
)
def test_deep_nesting_is_a_serialization_error(kept: Kept, body: bytes) -> None:
    status, code, message = fault(swf(kept.url, "ListDomains", body))
    assert (status, code) == (400, "SerializationException")
    assert "nest" in message
    kept.assert_intact()


@pytest.mark.parametrize(("operation", "time_filter"), VISIBILITY)
@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400", "-1e400"])
def test_timestamps_that_are_no_number_are_serialization_errors(
    kept: Kept, operation: str, time_filter: str, number: str
) -> None:
    body = escaped(f'{{"domain":"srv","{time_filter}":{{"oldestDate":{number}}}}}')
    status, code, message = fault(swf(kept.url, operation, body))
    assert (status, code) == (400, "SerializationException")
    assert number.lstrip("-") in message
    kept.assert_intact()


@pytest.mark.parametrize(("operation", "time_filter"), VISIBILITY)
@pytest.mark.parametrize("number", ["1e300", "253402300800", "-1e20"])
def test_timestamps_beyond_the_years_1_to_9999_are_refused(
    kept: Kept, operation: str, time_filter: str, number: str
) -> None:
    body = escaped(f'{{"domain":"srv","{time_filter}":{{"oldestDate":0,"latestDate":{number}}}}}')
    status, code, message = fault(swf(kept.url, operation, body))
    assert (status, code) == (400, "ValidationException")
    assert message == (
        f"1 validation error detected: Value '{float(number) if 'e' in number else number}' at "
        f"'{time_filter}.latestDate' failed to satisfy constraint: Member must be a time from "
        "year 1 to year 9999, in epoch seconds"
    )
    kept.assert_intact()


@pytest.mark.parametrize(
    ("member", "value", "rule"),
    [
        ("workflowExecutionRetentionPeriodInDays", "\\u00b2", "NONE or a whole number of days"),
        ("workflowExecutionRetentionPeriodInDays", "\\u0663", "NONE or a whole number of days"),
        ("workflowExecutionRetentionPeriodInDays", "9" * 5000, "NONE or a whole number of days"),
    ],
)
def test_numbers_in_strings_take_ascii_digits_only(
    kept: Kept, member: str, value: str, rule: str
) -> None:
    body = escaped(f'{{"name":"new","{member}":"{value}"}}')
    status, code, message = fault(swf(kept.url, "RegisterDomain", body))
    assert (status, code) == (400, "ValidationException")
    assert f"at '{member}' failed to satisfy constraint: Member must be {rule}" in message
    kept.assert_intact()


def test_overlong_durations_are_refused_naming_the_field(kept: Kept) -> None:
    params: dict[str, Any] = {
        "domain": DOMAIN,
        "name": "Other",
        "version": "1",
        "defaultExecutionStartToCloseTimeout": "9" * 5000,
        "defaultTaskStartToCloseTimeout": "\u00b2",
    }
    status, code, message = fault(swf(kept.url, "RegisterWorkflowType", params))
    assert (status, code) == (400, "ValidationException")
    assert message.startswith("3 validation errors detected: ")
    assert "at 'defaultExecutionStartToCloseTimeout' failed" in message
    assert "Member must have length less than or equal to 8" in message
    assert "Member must be at most 31536000 seconds (one year)" in message
    assert "at 'defaultTaskStartToCloseTimeout' failed" in message
    kept.assert_intact()


@pytest.mark.parametrize("content_type", [AMZ_JSON, "application/json", None])
def test_a_json_post_without_a_target_is_an_unknown_operation(
    kept: Kept, content_type: str | None
) -> None:
    headers = {"Content-Type": content_type, **SIGNED} if content_type else SIGNED
    reply = request(kept.url, body=json.dumps(LIST), headers=headers)
    status, code, message = fault(reply)
    assert (status, code) == (400, "UnknownOperationException")
    assert message.startswith("The request has no X-Amz-Target header")
    # botocore reads it as the JSON protocol's fault.
    parsed = create_parser("json").parse(
        {"status_code": reply.status, "headers": dict(reply.headers), "body": reply.body}, None
    )
    assert parsed["Error"]["Code"] == "UnknownOperationException"
    kept.assert_intact()


def test_s3_still_gets_its_own_requests(kept: Kept) -> None:
    s3 = client(kept.url, "s3")
    s3.create_bucket(Bucket="kept-bucket")
    s3.put_object(Bucket="kept-bucket", Key="k.json", Body=b"{}", ContentType="application/json")
    assert s3.get_object(Bucket="kept-bucket", Key="k.json")["Body"].read() == b"{}"
    assert b"<ListAllMyBucketsResult" in request(kept.url, "GET").body
    kept.assert_intact()
