"""``swfsim replay``: every history of the folders given, every divergence, a summary, and an
exit status a CI job can act on."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rpl_support import ROOT

from swfsim.cli import main

ORDER = ROOT / "fixtures" / "histories" / "order"
ORDER_DECIDER = "swfsim.examples.order_workflow:decide_task"

# A decider module of the user's project: the order decider, but a charge that failed once is
# retried at once instead of after a back-off timer.
NO_BACKOFF = """
from swfsim.examples import order_workflow


def decide(task):
    decisions = order_workflow.decide_task(task)
    timers = [d for d in decisions if d["decisionType"] == "StartTimer"]
    if timers and timers[0]["startTimerDecisionAttributes"]["timerId"].startswith("retry-"):
        control = timers[0]["startTimerDecisionAttributes"]["control"]
        return [order_workflow._scheduled_by_timer(control)]
    return decisions
"""


def test_every_history_of_a_folder_replays(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", "--decider", ORDER_DECIDER, str(ORDER)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines[:-1]] == ["OK"] * 4
    assert lines[-1] == "swfsim replay: 4 histories: 4 ok"


def test_every_divergence_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "shop_decider.py").write_text(NO_BACKOFF)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", list(sys.path))
    status = main(["replay", "--decider", "shop_decider:decide", str(ORDER)])
    out = capsys.readouterr().out
    assert status == 1
    statuses = {
        Path(line.split()[1].rstrip(":")).name: line.split()[0]
        for line in out.splitlines()
        if line.startswith(("OK", "DIVERGED"))
    }
    assert statuses == {
        "charge-failed.json": "DIVERGED",
        "charge-retried-once.json": "DIVERGED",
        "charge-retried-twice.json": "DIVERGED",
        "charged-first-time.json": "OK",
    }
    # Two retries: both tasks that started a back-off timer are reported, not only the first.
    twice = out.split("charge-retried-twice.json")[1].split("DIVERGED")[0]
    assert twice.count("decision 1: changed") == 2
    assert "! decisionType        StartTimer" in twice
    assert out.splitlines()[-1] == "swfsim replay: 4 histories: 1 ok, 3 diverged"


def test_unreadable_and_invalid_histories_fail_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.json").write_text('{"not": "a history"}')
    broken = json.loads((ORDER / "charged-first-time.json").read_text())
    broken["events"][5]["eventTimestamp"] = 0
    (tmp_path / "broken.json").write_text(json.dumps(broken))
    shutil.copy(ORDER / "charge-failed.json", tmp_path / "good.json")
    assert main(["replay", "--decider", ORDER_DECIDER, str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "INVALID     " + str(tmp_path / "broken.json") + ": 1 problem" in out
    assert "    event 6 (ActivityTaskStarted): eventTimestamp 1970-01-01T00:00:00.000Z" in out
    assert (
        "UNREADABLE  " + str(tmp_path / "notes.json") + ": a history must have an 'events' list"
        in out
    )
    assert out.splitlines()[-1] == "swfsim replay: 3 histories: 1 ok, 1 invalid, 1 unreadable"


@pytest.mark.parametrize(
    ("decider", "message"),
    [
        ("order_workflow", "--decider must be MODULE:FUNCTION, not 'order_workflow'"),
        ("no_such_module:decide", "cannot load the decider no_such_module:decide: No module"),
        ("swfsim.examples.order_workflow:nothing", "has no attribute 'nothing'"),
        ("swfsim.examples.order_workflow:Decider", "is not a function"),
    ],
)
def test_a_decider_that_cannot_be_loaded_is_a_usage_error(
    decider: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["replay", "--decider", decider, str(ORDER)])
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_the_command_exits_with_its_status(tmp_path: Path) -> None:
    (tmp_path / "shop_decider.py").write_text(NO_BACKOFF)
    history = ORDER / "charge-retried-once.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "swfsim.cli",
            "replay",
            "--decider",
            "shop_decider:decide",
            str(history),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines()[-1] == "swfsim replay: 1 history: 1 diverged"
