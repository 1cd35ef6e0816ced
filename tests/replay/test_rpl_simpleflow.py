"""simpleflow workflows replayed through simpleflow's own executor, against histories recorded by
running them with simpleflow's CLI against ``swfsim serve`` (fixtures/histories/simpleflow)."""

from __future__ import annotations

import logging
import sys
from typing import Any

import pytest
from rpl_support import ROOT

pytest.importorskip("simpleflow", reason="simpleflow is in the dev extra (pip install '.[dev]')")
sys.path.insert(0, str(ROOT / "tests" / "e2e" / "workflows"))

import e2e_flows
from simpleflow.constants import DAY
from simpleflow.task import ActivityTask

import swfsim
from swfsim.replay import Difference, simpleflow_decider

RECORDED = ROOT / "fixtures" / "histories" / "simpleflow"


@pytest.fixture(autouse=True)
def _no_aws(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    # Nothing answers here: a call the executor made to "AWS" would fail the replay.
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
    caplog.set_level(logging.WARNING, logger="simpleflow")


class DoubleFirst(e2e_flows.ChainWorkflow):
    """The chain changed: it doubles before it increments."""

    def run(self, x: int) -> dict[str, Any]:
        y = self.submit(e2e_flows.double, x)
        z = self.submit(e2e_flows.increment, y)
        return {"pipeline": z.result, "chain": []}


class TwoDays(e2e_flows.TimerWorkflow):
    """The timers changed: the first wait is two days."""

    def run(self) -> int:
        from simpleflow import futures

        futures.wait(self.submit(self.start_timer("one-day", 2 * DAY)))
        return self.submit(ActivityTask(e2e_flows.increment, 41)).result


@pytest.mark.parametrize(
    ("name", "workflow"),
    [("chain", e2e_flows.ChainWorkflow), ("timers", e2e_flows.TimerWorkflow)],
)
def test_the_recorded_workflow_replays(name: str, workflow: type) -> None:
    decider = simpleflow_decider(workflow, standalone=True)
    result = swfsim.replay_history(RECORDED / f"{name}.json", decider)
    assert result.ok, str(result)
    assert result.tasks_checked >= 5


def test_a_changed_workflow_diverges_at_its_first_changed_decision() -> None:
    decider = simpleflow_decider(DoubleFirst, standalone=True)
    result = swfsim.replay_history(RECORDED / "chain.json", decider)
    divergence = result.divergence
    assert divergence is not None
    assert divergence.task_index == 0
    (mismatch,) = divergence.mismatches
    assert mismatch.expected is not None
    assert mismatch.expected.event_type == "ScheduleActivityTaskFailed"
    assert mismatch.differences == (
        Difference(
            "activityType",
            {"name": "e2e_flows.increment", "version": "e2e"},
            {"name": "e2e_flows.double", "version": "e2e"},
        ),
        Difference("activityId", "activity-e2e_flows.increment-1", "activity-e2e_flows.double-1"),
    )
    assert "production's failed: ACTIVITY_TYPE_DOES_NOT_EXIST" in str(result)


def test_a_changed_timer_diverges() -> None:
    result = swfsim.replay_history(RECORDED / "timers.json", simpleflow_decider(TwoDays))
    divergence = result.divergence
    assert divergence is not None
    assert divergence.mismatches[0].differences == (
        Difference("startToFireTimeout", "86400", "172800"),
    )


def test_decide_as_decider_start_does() -> None:
    # Without standalone, activities go to the task list the workflow declares ("e2e"), not to
    # the run's own: the recorded standalone run diverges on every activity's task list.
    result = swfsim.replay_history(
        RECORDED / "timers.json", simpleflow_decider(e2e_flows.TimerWorkflow)
    )
    divergence = result.divergence
    assert divergence is not None
    (difference,) = divergence.mismatches[0].differences
    assert (difference.name, difference.actual) == ("taskList", {"name": "e2e"})


def test_the_command_takes_a_workflow_class(capsys: pytest.CaptureFixture[str]) -> None:
    from swfsim.cli import main

    status = main(["replay", "--standalone", "--decider", "e2e_flows:ChainWorkflow", str(RECORDED)])
    lines = capsys.readouterr().out.splitlines()
    assert status == 1  # the timers history is not the chain's
    assert lines[0].startswith(f"OK          {RECORDED / 'chain.json'}: ")
    assert lines[-1] == "swfsim replay: 2 histories: 1 ok, 1 diverged"
