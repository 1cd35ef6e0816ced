"""The trace format: schema, versions, and the loader's messages."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from trace_helpers import client, session

import swfsim
from swfsim.trace import Call, Header, Response, Trace, load_trace, write_trace
from swfsim.trace._errors import TraceFormatError


def a_trace() -> Trace:
    ok = Call("RegisterDomain", {"name": "d"}, Response(200, None, request_id="r1"), 10.0, 10.5)
    refused = Response(400, None, "UnknownResourceFault", "Unknown domain: x", request_id="r2")
    return Trace(
        Header(region="eu-west-1"), (ok, Call("DescribeDomain", {"name": "x"}, refused, 11.0))
    )


def test_a_trace_written_reads_back_equal(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    write_trace(a_trace(), path)
    loaded = load_trace(path)
    assert loaded.calls == a_trace().calls
    assert loaded.header.region == "eu-west-1"
    header = json.loads(path.read_text().splitlines()[0])
    assert header["swfsimTrace"] == 1
    assert {"swfsim", "botocore", "recorded", "scrubbing"} <= header.keys()


def lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def rewrite(path: Path, docs: list[dict[str, object]]) -> None:
    path.write_text("".join(json.dumps(doc) + "\n" for doc in docs))


def test_a_newer_version_is_refused_with_an_upgrade_hint(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    write_trace(a_trace(), path)
    docs = lines(path)
    docs[0]["swfsimTrace"] = 2
    rewrite(path, docs)
    with pytest.raises(TraceFormatError, match=r"version 2 is newer.*upgrade swfsim"):
        load_trace(path)


@pytest.mark.parametrize("version", ["1", 0, None])
def test_an_unknown_version_is_refused(tmp_path: Path, version: object) -> None:
    path = tmp_path / "t.jsonl"
    write_trace(a_trace(), path)
    docs = lines(path)
    docs[0]["swfsimTrace"] = version
    rewrite(path, docs)
    with pytest.raises(TraceFormatError, match="unknown trace format version"):
        load_trace(path)


def test_a_file_without_header_is_named_not_a_trace(tmp_path: Path) -> None:
    path = tmp_path / "cassette.jsonl"
    path.write_text('{"interactions": []}\n')
    with pytest.raises(TraceFormatError, match=r"not a swfsim trace.*swfsim trace import"):
        load_trace(path)


def test_a_schema_breach_names_the_line_and_member(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    write_trace(a_trace(), path)
    docs = lines(path)
    docs[2]["response"] = {"status": "400"}  # type: ignore[index]
    rewrite(path, docs)
    with pytest.raises(TraceFormatError, match=r"line 3 at \.response"):
        load_trace(path)


def test_a_line_that_is_not_json_is_named(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    write_trace(a_trace(), path)
    path.write_text(path.read_text() + "{oops\n")
    with pytest.raises(TraceFormatError, match="line 4 is not JSON"):
        load_trace(path)


def a_recorded_session(path: Path) -> list[dict[str, Any]]:
    with swfsim.mock_swf(), swfsim.record(path):
        session(client())
    return lines(path)  # line 5 starts the run, 6 is a decision task, 12 describes the run


def rename_run_id(body: dict[str, Any]) -> None:
    body["runID"] = body.pop("runId")


def quote_event_id(body: dict[str, Any]) -> None:
    body["events"][0]["eventId"] = "1"


def drop_status(body: dict[str, Any]) -> None:
    del body["executionInfo"]["executionStatus"]


def iso_event_time(body: dict[str, Any]) -> None:
    body["events"][1]["eventTimestamp"] = "2026-01-01T00:00:00Z"


@pytest.mark.parametrize(
    ("line", "operation", "breaking", "members"),
    [
        (
            5,
            "StartWorkflowExecution",
            rename_run_id,
            ["runID: not a member of Run (did you mean 'runId'?)"],
        ),
        (6, "PollForDecisionTask", quote_event_id, ["events[0].eventId: expected an integer"]),
        (6, "PollForDecisionTask", iso_event_time, ["events[1].eventTimestamp: expected a time"]),
        (
            12,
            "DescribeWorkflowExecution",
            drop_status,
            ["executionInfo.executionStatus: required member of WorkflowExecutionInfo, missing"],
        ),
    ],
    ids=["unknown-member", "wrong-type", "time-not-in-epoch-seconds", "missing-member"],
)
def test_an_answer_that_breaks_its_output_shape_names_the_line_and_member(
    tmp_path: Path,
    line: int,
    operation: str,
    breaking: Callable[[dict[str, Any]], None],
    members: list[str],
) -> None:
    path = tmp_path / "t.jsonl"
    docs = a_recorded_session(path)
    breaking(docs[line - 1]["response"]["body"])
    rewrite(path, docs)
    for reading in (load_trace, swfsim.replay_trace):
        with pytest.raises(TraceFormatError) as refused:
            reading(path)
        message = str(refused.value)
        assert message.startswith(
            f"{path}: line {line}: the recorded {operation} answer does not fit its output shape"
        )
        assert all(f"\n  {member}" in message for member in members), message
        assert message.endswith("correct the line or record it again")


@pytest.mark.parametrize(("written_with", "hinted"), [("99.0.0", True), ("1.0.0", False)])
def test_a_trace_written_with_a_newer_botocore_says_to_upgrade(
    tmp_path: Path, written_with: str, hinted: bool
) -> None:
    path = tmp_path / "t.jsonl"
    docs = a_recorded_session(path)
    docs[0]["botocore"] = written_with
    docs[4]["response"]["body"]["runFromTheFuture"] = "yes"
    rewrite(path, docs)
    with pytest.raises(TraceFormatError) as refused:
        load_trace(path)
    hint = f"written with botocore {written_with}, newer than this one"
    assert (hint in str(refused.value)) == hinted


def test_a_trace_built_in_code_is_checked_before_it_is_replayed() -> None:
    wrong = Response(200, {"runId": 42}, request_id="r1")
    trace = Trace(Header(), (Call("StartWorkflowExecution", {}, wrong, 0.0),))
    with pytest.raises(TraceFormatError, match=r"line 2: .*\n  runId: expected a string"):
        swfsim.replay_trace(trace)

