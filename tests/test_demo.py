"""``swfsim demo``: the order workflow runs to its end in virtual time, the same every run."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from swfsim.cli import main
from swfsim.demo import run_demo

# One timeline line: offset, event id, event type, key attributes.
LINE = re.compile(r"^([+-]\d+d \d\d:\d\d:\d\d\.\d{3})\s+(\d+)\s+(\w+)\s*(.*)$")
WALL_TIME = re.compile(r"in \d+\.\d\d s of wall time")


def _demo_output(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(["demo", *argv]) == 0
    return capsys.readouterr().out


def _timeline(output: str) -> list[tuple[str, int, str, str]]:
    found = (LINE.match(line) for line in output.splitlines())
    return [(m[1], int(m[2]), m[3], m[4]) for m in found if m]


def _find(rows: list[tuple[str, int, str, str]], event_type: str, text: str) -> tuple[str, int]:
    matches = [
        (offset, eid) for offset, eid, kind, rest in rows if kind == event_type and text in rest
    ]
    assert len(matches) == 1, f"expected one {event_type} with {text!r}, found {matches}"
    return matches[0]


def test_demo_shows_failure_retry_return_window_and_completion(
    capsys: pytest.CaptureFixture[str],
) -> None:
    rows = _timeline(_demo_output(capsys))
    assert [eid for _, eid, _, _ in rows] == list(range(1, len(rows) + 1))
    assert rows[0][2] == "WorkflowExecutionStarted"
    # The first charge fails...
    failed_at, failed = _find(rows, "ActivityTaskFailed", "activityId=charge-card-1")
    assert failed_at == "+0d 00:00:00.000"
    # ...the decider backs off 10 s and charges again, which succeeds...
    fired_at, fired = _find(rows, "TimerFired", "timerId=retry-charge-card-2")
    assert fired_at == "+0d 00:00:10.000"
    _, charged = _find(rows, "ActivityTaskCompleted", "activityId=charge-card-2")
    # ...then waits out the 3-day return window...
    _, window = _find(rows, "TimerStarted", "timerId=return-window startToFireTimeout=259200")
    window_at, window_fired = _find(rows, "TimerFired", "timerId=return-window")
    assert window_at == "+3d 00:00:10.000"
    # ...pays the seller and completes.
    _, paid = _find(rows, "ActivityTaskCompleted", "activityId=pay-seller-1")
    assert rows[-1][:3] == ("+3d 00:00:10.000", rows[-1][1], "WorkflowExecutionCompleted")
    assert failed < fired < charged < window < window_fired < paid < rows[-1][1]


def test_demo_reports_result_and_elapsed_times(capsys: pytest.CaptureFixture[str]) -> None:
    output = _demo_output(capsys)
    result_line = next(line for line in output.splitlines() if line.startswith("WorkflowExec"))
    result = json.loads(result_line.removeprefix("WorkflowExecutionCompleted: result="))
    assert result == {
        "orderId": "1042",
        "amountCents": 4990,
        "seller": "acme-books",
        "chargeId": "ch_1042_2",
        "payoutId": "po_acme-books_4990",
    }
    assert re.search(
        r"^3 days, 0:00:10 of virtual time in \d+\.\d\d s of wall time\.$", output, re.MULTILINE
    )


def test_same_seed_prints_the_same_demo(capsys: pytest.CaptureFixture[str]) -> None:
    first = WALL_TIME.sub("", _demo_output(capsys, "--seed", "7"))
    second = WALL_TIME.sub("", _demo_output(capsys, "--seed", "7"))
    assert first == second


def test_separate_processes_print_the_same_history() -> None:
    """Nothing depends on hash randomization or other per-process state."""
    outputs = [
        subprocess.run(
            [sys.executable, "-m", "swfsim.cli", "demo", "--json"],
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for hash_seed in ("1", "2")
    ]
    assert outputs[0] == outputs[1]
    assert json.loads(outputs[0])[-1]["eventType"] == "WorkflowExecutionCompleted"


def test_the_seed_changes_the_run_id_not_the_timeline(
    capsys: pytest.CaptureFixture[str],
) -> None:
    one, two = (_demo_output(capsys, "--seed", seed) for seed in ("1", "2"))
    assert _timeline(one) == _timeline(two)
    run_ids = [re.findall(r"runId=(\S+)", output) for output in (one, two)]
    assert len(run_ids[0]) == 1
    assert run_ids[0] != run_ids[1]


def test_json_prints_the_raw_history(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--json"]) == 0
    captured = capsys.readouterr()
    history = json.loads(captured.out)
    assert history == run_demo().history
    assert history[-1]["eventType"] == "WorkflowExecutionCompleted"
    assert "of virtual time" in captured.err


def test_exhausted_retries_fail_the_workflow(capsys: pytest.CaptureFixture[str]) -> None:
    rows = _timeline(_demo_output(capsys, "--failures", "3"))
    retries = [(offset, rest) for offset, _, kind, rest in rows if kind == "TimerFired"]
    assert retries == [
        ("+0d 00:00:10.000", "timerId=retry-charge-card-2"),
        ("+0d 00:00:30.000", "timerId=retry-charge-card-3"),  # the back-off doubles
    ]
    assert rows[-1][2:] == (
        "WorkflowExecutionFailed",
        'reason="ChargeCard failed 3 times" details=GatewayTimeoutError',
    )


def test_demo_is_fast_because_time_is_virtual() -> None:
    run = run_demo()
    assert run.virtual_elapsed.days == 3
    # Generous bound, to catch a real sleep or a poll loop ticking through three days.
    assert run.wall_seconds < 5


def test_the_output_in_the_docs_is_current(capsys: pytest.CaptureFixture[str]) -> None:
    page = (Path(__file__).parent.parent / "docs" / "demo.md").read_text(encoding="utf-8")
    shown = re.search(r"^```text\n(swfsim demo \(seed 0\).*?)^```", page, re.M | re.S)
    assert shown is not None, "docs/demo.md no longer shows the demo's output"
    assert WALL_TIME.sub("", shown[1]) == WALL_TIME.sub("", _demo_output(capsys))


def test_no_subcommand_prints_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "demo" in capsys.readouterr().err
