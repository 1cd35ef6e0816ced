"""executions() finds seeded ordering bugs in small deciders, shrinks each to a few choices, and
passes correct deciders; every history it produces is valid."""

from __future__ import annotations

import ast
import random
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.database import ExampleDatabase, InMemoryExampleDatabase
from strat_deciders import (
    echo,
    ignores_timeouts,
    ignores_timeouts_after_a_timer,
    one_activity,
    reads_only_new_events,
    two_activities,
    two_activities_fifo,
    whole_history,
)

import swfsim
from swfsim import strategies
from swfsim.strategies import Execution, executions, run_schedule

# find() explores at most as many examples as a @given test does by default.
DEFAULT_EXAMPLES = settings(max_examples=100, database=None, deadline=None, derandomize=True)
ACTIVITIES = {"work": echo}


def closes_cleanly(execution: Execution) -> bool:
    return execution.close_status in ("COMPLETED", "FAILED")


def find_failure(strategy: object, holds: object) -> tuple[Execution, float]:
    began = time.perf_counter()
    found = find(strategy, lambda ex: not holds(ex), settings=DEFAULT_EXAMPLES)  # type: ignore[arg-type, operator]
    return found, time.perf_counter() - began


def test_finds_a_decider_that_ignores_activity_timeouts() -> None:
    found, seconds = find_failure(
        executions(decider=ignores_timeouts, activities=ACTIVITIES), closes_cleanly
    )

    assert found.close_status == "TIMED_OUT"
    assert len(found.choices) == 1
    assert found.choices[0].kind == "activity"
    assert found.choices[0].option in ("crash", "SCHEDULE_TO_START", "START_TO_CLOSE")
    assert "ActivityTaskTimedOut" in found.event_types()
    assert seconds < 10


def test_finds_a_decider_that_breaks_when_a_signal_arrives_while_it_decides() -> None:
    strategy = executions(decider=reads_only_new_events, activities=ACTIVITIES, signals=["poke"])

    found, seconds = find_failure(strategy, closes_cleanly)

    assert [str(choice) for choice in found.choices] == ["signal-while-started[outside] = poke"]
    failed = found.events("CompleteWorkflowExecutionFailed")
    assert failed[0]["completeWorkflowExecutionFailedEventAttributes"]["cause"] == (
        "UNHANDLED_DECISION"
    )
    assert seconds < 10


def test_finds_a_decider_that_assumes_activities_complete_in_the_order_scheduled() -> None:
    def right_result(execution: Execution) -> bool:
        return execution.close_status != "COMPLETED" or execution.result == "a1=A a2=B"

    found, seconds = find_failure(
        executions(decider=two_activities_fifo, activities=ACTIVITIES), right_result
    )

    assert found.result == "a1=B a2=A"
    assert [str(choice) for choice in found.choices] == ["delivery[activities] = a2"]
    assert seconds < 10


def test_a_stored_failure_still_fails_after_an_edit_adds_a_decision_task(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SWFSIM_FAILURES_DIR", str(tmp_path))
    database = InMemoryExampleDatabase()
    random.seed(1)  # Hypothesis seeds its search from the global random source

    found = run_with_database(ignores_timeouts, database, [Phase.generate, Phase.shrink])
    assert found is not None
    # The edit moves every decision task and signal choice point; the activity's stays first.
    replayed = run_with_database(ignores_timeouts_after_a_timer, database, [Phase.reuse])

    assert replayed is not None, "the stored example no longer fails after the edit"
    assert "TimerFired" in replayed
    assert "ActivityTaskTimedOut" in replayed


def run_with_database(
    decider: object, database: ExampleDatabase, phases: list[Phase]
) -> str | None:
    """What a failing run printed, or None if the test passed; the same test (one key in the
    database) whatever the decider."""

    @settings(database=database, phases=phases, deadline=None, max_examples=100)
    @given(executions(decider=decider, activities=ACTIVITIES))  # type: ignore[arg-type]
    def test_closes(execution: Execution) -> None:
        assert closes_cleanly(execution)

    try:
        test_closes()
    except AssertionError as failure:
        return "\n".join(failure.__notes__)
    return None


@pytest.mark.parametrize("decider", [one_activity, whole_history, two_activities])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_correct_deciders_close_cleanly_in_every_schedule(
    decider: object, data: st.DataObject
) -> None:
    execution = data.draw(
        executions(decider=decider, activities=ACTIVITIES, signals=["poke"])  # type: ignore[arg-type]
    )

    assert closes_cleanly(execution), execution
    assert not execution.decider_errors
    assert swfsim.validate_history(execution.wire_history) == []


def test_the_plain_run_is_the_schedule_of_zeros() -> None:
    plain = run_schedule([], decider=two_activities, activities=ACTIVITIES)

    assert plain.close_status == "COMPLETED"
    assert plain.result == "a1=A a2=B"
    assert plain.choices == ()
    assert all(choice.index == 0 for choice in plain.schedule)


def test_a_printed_run_shows_the_timeline_and_how_to_reproduce(tmp_path: Path) -> None:
    failing = run_schedule(
        [("activity", "a1", "START_TO_CLOSE")], decider=ignores_timeouts, activities=ACTIVITIES
    )

    printed = repr(failing)

    assert "     0.000s   >>  activity[a1] = START_TO_CLOSE" in printed
    assert "   120.000s    7  ActivityTaskTimedOut  timeoutType=START_TO_CLOSE" in printed
    assert "run_schedule([('activity', 'a1', 'START_TO_CLOSE')]" in printed
    written = failing.write_history(tmp_path)
    assert list(swfsim.load_history(written).events) == failing.wire_history
    replayed = swfsim.replay_history(written, ignores_timeouts)
    assert replayed.ok, replayed


def test_the_printed_schedule_keeps_a_choice_at_its_own_choice_point() -> None:
    arguments: dict[str, Any] = {
        "decider": one_activity,
        "activities": ACTIVITIES,
        "signals": ["poke"],
    }
    # The signal arrives at the second decision boundary (after the activity), not the first.
    late = run_schedule(
        [("signal", "outside", "no signal"), ("signal", "outside", "poke")], **arguments
    )
    printed = late.schedule_code()

    again = run_schedule(ast.literal_eval(printed), **arguments)

    assert printed == "[('signal', 'outside', 'no signal'), ('signal', 'outside', 'poke')]"
    assert again.wire_history == late.wire_history
    early = run_schedule([("signal", "outside", "poke")], **arguments)
    assert early.wire_history != late.wire_history


def test_a_failing_test_prints_the_minimal_run_and_leaves_its_history_as_a_fixture(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SWFSIM_FAILURES_DIR", str(tmp_path))

    @settings(max_examples=100, database=None, deadline=None, derandomize=True)
    @given(executions(decider=ignores_timeouts, activities=ACTIVITIES))
    def test_closes(execution: Execution) -> None:
        strategies.closes_within(execution)

    with pytest.raises(AssertionError) as failure:
        test_closes()

    printed = "\n".join(failure.value.__notes__)
    (written,) = tmp_path.iterdir()
    assert f"history written to {written}" in printed
    assert "ActivityTaskTimedOut" in printed
    assert swfsim.validate_history(written) == []
