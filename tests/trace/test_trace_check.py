"""swfsim trace check, and the 26 real AWS traces imported into the trace format."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from trace_helpers import assert_no_secret, client, session

import swfsim
from swfsim.cli import main
from swfsim.trace import load_trace, write_trace
from swfsim.trace._checker import check_trace
from swfsim.trace._compare import shape_differences
from swfsim.trace._importer import import_source

FIXTURES = Path(__file__).parents[2] / "fixtures"
IMPORTED = sorted((FIXTURES / "traces" / "real-aws").glob("*.jsonl"))
ORIGINALS = FIXTURES / "real-aws" / "traces"
RAW = sorted((FIXTURES / "real-aws" / "raw" / "simpleflow").glob("*.yaml"))
ROLES = ("decider", "worker", "registration")

# Where swfsim differs from real SWF on these traces, and why (the first difference reported).
SELF_SIGNAL_DELAY = (
    "A workflow signalling itself: real SWF delivered the signal 39-83 ms after the decision, "
    "after the 0 s timer of the same decision had fired (12-123 ms); swfsim delivers it at once, "
    "so WorkflowExecutionSignaled comes before TimerFired."
)
TASK_ORDER = (
    "Two activity tasks scheduled by one decision on one list: simpleflow's worker got the one "
    "scheduled second first (event 7 starts event 6's task, event 8 event 5's). SWF promises "
    "no order within a task list; swfsim hands tasks out in the order they were scheduled."
)
DIFFERS = {
    "test_signal_played_twice": (SELF_SIGNAL_DELAY, "events[8].eventType: recorded 'TimerFired'"),
    "test_signal_played_twice_ignored_as_idempotent": (
        SELF_SIGNAL_DELAY,
        "events[7].eventType: recorded 'TimerFired'",
    ),
    "test_wait_signal": (TASK_ORDER, "events[6].activityTaskStartedEventAttributes.scheduledEv"),
    "test_wait_signal__6f3d8c4": (
        TASK_ORDER,
        "events[6].activityTaskStartedEventAttributes.scheduledEv",
    ),
}


def test_all_26_real_traces_are_imported_and_valid() -> None:
    assert len(IMPORTED) == 26
    assert [p.stem for p in IMPORTED] == sorted(p.stem for p in ORIGINALS.glob("*.json"))
    for path in IMPORTED:
        trace = load_trace(path)  # validates the schema and the answers' output shapes
        assert_no_secret(path)
        assert trace.header.unrecorded == ROLES
        assert trace.header.source is not None
        assert trace.header.source["repo"] == "botify-labs/simpleflow"


@pytest.mark.parametrize("path", IMPORTED, ids=lambda p: p.stem)
def test_the_imported_trace_is_what_the_importer_makes(path: Path) -> None:
    again = import_source(ORIGINALS / f"{path.stem}.json", unrecorded=ROLES)
    assert again.calls == load_trace(path).calls


@pytest.mark.parametrize("raw", RAW, ids=lambda p: p.stem)
def test_a_raw_vcrpy_cassette_imports_to_the_same_calls(raw: Path) -> None:
    assert import_source(raw).calls == load_trace(IMPORTED[0].parent / f"{raw.stem}.jsonl").calls


@pytest.mark.parametrize("path", IMPORTED, ids=lambda p: p.stem)
def test_swfsim_answers_each_real_trace_as_aws_did(path: Path) -> None:
    result = check_trace(load_trace(path), path.stem)
    if path.stem in DIFFERS:
        _reason, first = DIFFERS[path.stem]
        assert not result.ok
        assert first in result.differences[0]
    else:
        assert result.ok, result.report()
        assert result.matched == result.calls > 0


def test_the_command_exits_0_when_all_match_and_1_otherwise(
    capsys: pytest.CaptureFixture[str],
) -> None:
    matching = [str(p) for p in IMPORTED if p.stem not in DIFFERS]
    assert main(["trace", "check", *matching]) == 0
    assert f"{len(matching)} of {len(matching)} traces match" in capsys.readouterr().out
    assert main(["trace", "check", str(IMPORTED[0].parent)]) == 1
    out = capsys.readouterr().out
    assert "test_wait_signal: DIFFERS, 8/9 calls matched" in out
    assert "22 of 26 traces match" in out


def test_a_swfsim_session_checks_against_swfsim(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    with swfsim.mock_swf(), swfsim.record(path):
        session(client())
    result = check_trace(load_trace(path))
    assert result.ok, result.report()


def test_a_changed_answer_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    with swfsim.mock_swf(), swfsim.record(path):
        session(client())
    lines = path.read_text().splitlines()
    lines[-2] = lines[-2].replace('"closeStatus":"COMPLETED"', '"closeStatus":"FAILED"')
    path.write_text("\n".join(lines) + "\n")
    result = check_trace(load_trace(path), "t")
    assert result.matched == result.calls - 1
    assert "executionInfo.closeStatus: recorded 'FAILED', swfsim 'COMPLETED'" in result.report()


def test_only_the_explained_differences_with_real_swf_are_left_out() -> None:
    recorded = {
        "events": [
            {"decisionTaskScheduledEventAttributes": {"startToCloseTimeout": "300"}},
            {"activityTaskScheduledEventAttributes": {"activityId": "a"}},
        ]
    }
    more = {"scheduleToStartTimeout": "NONE"}
    ours = {
        "events": [
            {"decisionTaskScheduledEventAttributes": {"startToCloseTimeout": "300"} | more},
            {"activityTaskScheduledEventAttributes": {"activityId": "a"} | more},
        ]
    }
    # SWF began writing DecisionTaskScheduled's scheduleToStartTimeout by 2023; nothing else.
    assert shape_differences(recorded, ours, "2016") == [
        "events[1].activityTaskScheduledEventAttributes.scheduleToStartTimeout: only in "
        "swfsim's answer"
    ]
    assert len(shape_differences(recorded, ours, "2023")) == 2
    # Real SWF's members beyond botocore's model are explained; a changed type is not.
    described = {"executionInfo": {"reopenable": True, "cancelRequested": False}}
    assert shape_differences(described, {"executionInfo": {"cancelRequested": "no"}}, "2023") == [
        "executionInfo.cancelRequested: recorded a boolean, swfsim a string"
    ]


def test_an_unreadable_trace_fails_the_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"swfsimTrace": 9}\n')
    assert main(["trace", "check", str(path)]) == 1
    assert "newer than this swfsim reads" in capsys.readouterr().out


def test_import_writes_one_trace_per_source(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["trace", "import", *map(str, RAW), "--output", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{p.stem}.jsonl" for p in RAW)


def test_a_placebo_folder_is_imported_in_call_order(tmp_path: Path) -> None:
    folder = tmp_path / "placebo"
    folder.mkdir()
    domains = {"domainInfos": [{"name": "d", "status": "REGISTERED"}]}
    stamp = {"__class__": "datetime", "year": 2020, "month": 1, "day": 2, "hour": 3}
    stamp |= {"minute": 4, "second": 5, "microsecond": 0}
    workflow_type = {"name": "w", "version": "1"}
    type_info = {"workflowType": workflow_type, "status": "REGISTERED", "creationDate": stamp}
    files = {
        "swf.ListDomains_1.json": {"status_code": 200, "data": domains},
        "swf.DescribeDomain_1.json": {
            "status_code": 400,
            "data": {"Error": {"Code": "UnknownResourceFault", "Message": "Unknown domain"}},
        },
        "swf.DescribeWorkflowType_2.json": {
            "status_code": 200,
            "data": {"typeInfo": type_info, "configuration": {}},
        },
    }
    for name, content in files.items():
        (folder / name).write_text(json.dumps(content))
    trace = import_source(folder)
    write_trace(trace, tmp_path / "p.jsonl")
    calls = load_trace(tmp_path / "p.jsonl").calls
    assert [c.operation for c in calls] == [
        "DescribeDomain",
        "ListDomains",
        "DescribeWorkflowType",
    ]
    assert calls[0].response.error_code == "UnknownResourceFault"
    assert calls[2].response.body["typeInfo"]["creationDate"] == 1577934245.0  # type: ignore[index]
    with swfsim.replay_trace(trace):
        swf = client()
        assert swf.list_domains(registrationStatus="REGISTERED")["domainInfos"][0]["name"] == "d"
        with pytest.raises(swf.exceptions.UnknownResourceFault):
            swf.describe_domain(name="anything")
        described = swf.describe_workflow_type(domain="d", workflowType=workflow_type)
        assert described["typeInfo"]["creationDate"] == datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("notes.txt", "not a vcrpy cassette (.yaml), a placebo folder or a real-AWS .json"),
        ("empty-folder", "no placebo response files"),
        ("broken.yaml", "not YAML"),
    ],
)
def test_import_says_why_a_source_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], source: str, message: str
) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    (tmp_path / "empty-folder").mkdir()
    (tmp_path / "broken.yaml").write_text("interactions: [\n")
    assert main(["trace", "import", str(tmp_path / source), "--output", str(tmp_path)]) == 1
    assert message in capsys.readouterr().err


def test_a_trace_whose_unrecorded_roles_cannot_be_played_fails_cleanly(tmp_path: Path) -> None:
    lines = IMPORTED[0].read_text().splitlines()
    # Without the DescribeWorkflowType call, nothing says which domain and type to register.
    kept = [line for line in lines if '"operation":"DescribeWorkflowType"' not in line]
    (tmp_path / "t.jsonl").write_text("\n".join(kept) + "\n")
    report = check_trace(load_trace(tmp_path / "t.jsonl"), "t").report()
    assert report.splitlines()[:3] == [
        "t: DIFFERS, 0/3 calls matched",
        "  line 2 StartWorkflowExecution: recorded 200, swfsim answered 400 "
        "UnknownResourceFault: Unknown domain: TestDomain",
        "  line 3 DescribeWorkflowExecution: unrecorded calls failed: Unknown domain: TestDomain",
    ]
