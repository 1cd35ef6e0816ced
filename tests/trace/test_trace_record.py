"""record(): every SWF call of the clients, scrubbed, never a secret."""

from __future__ import annotations

import time
from datetime import datetime, timezone
from pathlib import Path

import boto3
import pytest
from trace_helpers import DOMAIN, IDENTITY, TASK_LIST, assert_no_secret, client, session

import swfsim
from swfsim.trace import TraceSecretError


def test_a_session_is_recorded_call_by_call(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    with swfsim.mock_swf(), swfsim.record(path) as recorder:
        session(client())
    trace = swfsim.load_trace(path)
    assert recorder.count == len(trace.calls) == 12
    assert trace.header.region == "eu-west-1"
    assert trace.calls[0].operation == "RegisterDomain"
    assert trace.calls[0].request == {"name": DOMAIN, "workflowExecutionRetentionPeriodInDays": "1"}
    refused = trace.calls[-1].response
    assert (refused.status, refused.error_code) == (400, "UnknownResourceFault")
    assert all(call.answered is not None and call.answered >= call.sent for call in trace.calls)


def test_no_secret_or_raw_id_reaches_the_trace(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    with swfsim.mock_swf(region="eu-west-1") as sim, swfsim.record(path):
        session(client())
        run_id = sim.history(DOMAIN, "wf-1")[0]  # any event: the run exists
    assert run_id
    text = path.read_text()
    assert '"runId":"alias:run:1"' in text
    assert '"taskToken":"alias:token:1"' in text
    assert '"identity":"alias:identity:1"' in text
    assert_no_secret(path, IDENTITY)


def test_the_same_value_always_gets_the_same_alias(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    with swfsim.mock_swf(), swfsim.record(path):
        session(client())
    trace = swfsim.load_trace(path)
    run_ids = {
        call.request["execution"]["runId"]
        for call in trace.calls
        if call.operation == "DescribeWorkflowExecution"
    }
    started = next(c for c in trace.calls if c.operation == "StartWorkflowExecution")
    assert run_ids == {started.response.body["runId"]} == {"alias:run:1"}  # type: ignore[index]


def test_chosen_members_are_scrubbed_too(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    with swfsim.mock_swf(), swfsim.record(path, scrub=["input", "result"]):
        session(client())
    text = path.read_text()
    assert '"input":"work"' not in text
    assert '"result":"done"' not in text
    assert '"input":"alias:scrubbed:' in text
    assert swfsim.load_trace(path).header.paths == ("input", "result")


def test_a_declared_secret_is_refused_and_not_written(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    recording = swfsim.record(path, secrets=["work"])
    with swfsim.mock_swf(), recording, pytest.raises(TraceSecretError, match="declared secret"):
        session(client())
    assert "work" not in path.read_text()


def test_clients_handed_over_are_recorded_and_released(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    with swfsim.mock_swf():
        swf = client()
        with swfsim.record(path, clients=[swf]):
            swf.list_domains(registrationStatus="REGISTERED")
        swf.list_domains(registrationStatus="DEPRECATED")  # after the block: not recorded
    calls = swfsim.load_trace(path).calls
    assert [c.request["registrationStatus"] for c in calls] == ["REGISTERED"]


def test_other_services_are_refused(tmp_path: Path) -> None:
    s3 = boto3.client("s3", region_name="us-east-1")
    with pytest.raises(ValueError, match="record handles SWF clients only, not s3 clients"):
        swfsim.record(tmp_path / "t.jsonl", clients=[s3]).start()


def test_as_a_decorator(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"

    @swfsim.record(path)
    def work() -> None:
        client().list_domains(registrationStatus="REGISTERED")

    with swfsim.mock_swf():
        work()
    assert [c.operation for c in swfsim.load_trace(path).calls] == ["ListDomains"]


START = datetime(2025, 3, 1, tzinfo=timezone.utc)


def test_the_same_seed_and_calls_write_the_same_file(tmp_path: Path) -> None:
    paths = [tmp_path / "first.jsonl", tmp_path / "second.jsonl"]
    for path in paths:
        with swfsim.mock_swf(seed=7), swfsim.record(path):
            session(client())
    assert paths[0].read_bytes() == paths[1].read_bytes()


def test_calls_answered_by_mock_swf_carry_its_virtual_time(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    with swfsim.mock_swf(region="eu-west-1", start=START) as sim, swfsim.record(path):
        swf = client()
        swf.register_domain(name=DOMAIN, workflowExecutionRetentionPeriodInDays="1")
        sim.clock.advance(90)
        swf.poll_for_activity_task(domain=DOMAIN, taskList=TASK_LIST)  # waits a minute, empty
    trace = swfsim.load_trace(path)
    began = START.timestamp()
    assert [(c.sent, c.answered) for c in trace.calls] == [
        (began, began),
        (began + 90, began + 90 + 60),
    ]
    assert trace.header.recorded == "2025-03-01T00:00:00Z"  # the first call's sent time


def test_calls_answered_by_anything_else_carry_the_wall_time(tmp_path: Path) -> None:
    recorded, path = tmp_path / "r.jsonl", tmp_path / "t.jsonl"
    with swfsim.mock_swf(start=START), swfsim.record(recorded):
        client().list_domains(registrationStatus="REGISTERED")
    before = time.time()
    with swfsim.replay_trace(recorded), swfsim.record(path):  # a stub, not a Simulator
        client().list_domains(registrationStatus="REGISTERED")
    (call,) = swfsim.load_trace(path).calls
    assert call.answered is not None
    assert before <= call.sent <= call.answered <= time.time()


def test_a_given_clock_stamps_every_call(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    with swfsim.mock_swf(start=START), swfsim.record(path, clock=lambda: 42.0):
        client().list_domains(registrationStatus="REGISTERED")
    trace = swfsim.load_trace(path)
    assert [(c.sent, c.answered) for c in trace.calls] == [(42.0, 42.0)]
    assert trace.header.recorded == "1970-01-01T00:00:42Z"


def test_a_recording_around_nested_mocks_records_what_the_inner_one_answered(
    tmp_path: Path,
) -> None:
    path = tmp_path / "t.jsonl"
    with swfsim.record(path), swfsim.mock_swf(), swfsim.mock_swf(region="eu-west-1") as inner:
        session(client())
    assert list(inner.engine.registry.domains) == [DOMAIN]
    assert swfsim.load_trace(path).calls[0].operation == "RegisterDomain"
