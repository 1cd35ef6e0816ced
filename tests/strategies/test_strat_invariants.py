"""One-line invariants on a run, and swfsim staying free of Hypothesis until asked."""

from __future__ import annotations

import subprocess
import sys

import pytest
from strat_deciders import echo, ignores_timeouts, one_activity, schedule

from swfsim import strategies
from swfsim.strategies import run_schedule

ACTIVITIES = {"work": echo}


def test_a_correct_run_passes_every_invariant() -> None:
    strategies.check(run_schedule([], decider=one_activity, activities=ACTIVITIES), within=60)


def test_a_run_that_never_closes_fails_closes_within_and_shows_its_timeline() -> None:
    stuck = run_schedule(
        [("activity", "a1", "crash")],
        decider=ignores_timeouts,
        activities=ACTIVITIES,
        max_steps=4,
    )

    unclosed = r"the decider did not close the run \(open\)"
    with pytest.raises(AssertionError, match=unclosed) as raised:
        strategies.closes_within(stuck)
    assert "ActivityTaskTimedOut  timeoutType=HEARTBEAT" in str(raised.value)


def test_a_slow_run_fails_closes_within_its_bound() -> None:
    slow = run_schedule(
        [("activity", "a1", "SCHEDULE_TO_START")], decider=one_activity, activities=ACTIVITIES
    )

    strategies.closes_within(slow)
    with pytest.raises(AssertionError, match=r"took 60\.000 s of virtual time, more than 59 s"):
        strategies.closes_within(slow, 59)


def test_decisions_swf_could_not_carry_out_are_decider_bugs() -> None:
    def unknown_type(task: dict) -> list[dict]:
        if task["previousStartedEventId"]:
            return [{"decisionType": "CompleteWorkflowExecution"}]
        return [schedule("a1", name="missing")]

    run = run_schedule([], decider=unknown_type, activities=ACTIVITIES)

    with pytest.raises(
        AssertionError, match=r"ScheduleActivityTaskFailed \(cause ACTIVITY_TYPE_DOES_NOT_EXIST"
    ):
        strategies.no_failed_decisions(run)


def test_reusing_an_open_activity_id_is_caught() -> None:
    def twice(task: dict) -> list[dict]:
        if task["previousStartedEventId"]:
            return [{"decisionType": "CompleteWorkflowExecution"}]
        return [schedule("a1"), schedule("a1")]

    with pytest.raises(AssertionError, match="activity id a1 reused while open"):
        strategies.no_activity_id_reused_while_open(
            run_schedule([], decider=twice, activities=ACTIVITIES)
        )


def test_a_decider_that_raises_stops_the_run_and_fails_the_check() -> None:
    def broken(task: dict) -> list[dict]:
        raise KeyError("activityId")

    run = run_schedule([], decider=broken, activities=ACTIVITIES)

    assert run.close_status is None
    assert "KeyError: 'activityId'" in run.decider_errors[0]
    with pytest.raises(AssertionError, match="the decider raised"):
        strategies.decider_never_raised(run)


def test_importing_swfsim_does_not_import_hypothesis() -> None:
    code = "import sys, swfsim, swfsim.replay; print('hypothesis' in sys.modules)"

    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    assert shown.stdout.strip() == "False"
