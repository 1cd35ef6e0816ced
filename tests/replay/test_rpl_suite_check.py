"""The suite's own check (tests/conftest.py): a test whose Simulator writes a history SWF could
not have written fails, naming the event; ``--no-validate-histories`` turns the check off."""

from __future__ import annotations

import pytest
from rpl_support import ROOT

pytest_plugins = ["pytester"]

BROKEN_SIMULATOR = """
import swfsim


def test_writes_a_broken_history():
    sim = swfsim.Simulator()
    sim.handle("RegisterDomain", {"name": "d", "workflowExecutionRetentionPeriodInDays": "1"})
    sim.handle("RegisterWorkflowType", {
        "domain": "d", "name": "t", "version": "1", "defaultTaskList": {"name": "l"},
        "defaultExecutionStartToCloseTimeout": "60", "defaultTaskStartToCloseTimeout": "10",
        "defaultChildPolicy": "TERMINATE",
    })
    sim.handle("StartWorkflowExecution", {
        "domain": "d", "workflowId": "w", "workflowType": {"name": "t", "version": "1"},
    })
    (run,) = sim.engine.runs.values()
    run.history.append("TimerFired", {"timerId": "never-started", "startedEventId": 1})
"""


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeconftest((ROOT / "tests" / "conftest.py").read_text())
    pytester.makepyfile(test_broken=BROKEN_SIMULATOR)
    return pytester


def test_a_simulator_writing_an_invalid_history_fails_its_test(suite: pytest.Pytester) -> None:
    # In a process of its own: in this one, this test's own check would see that Simulator.
    result = suite.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*the simulator wrote an invalid history:*",
            "*w *: event 3 (TimerFired): startedEventId must name a TimerStarted event, not "
            "event 1 (WorkflowExecutionStarted)",
        ]
    )


def test_the_check_can_be_turned_off(suite: pytest.Pytester) -> None:
    result = suite.runpytest_subprocess("-p", "no:cacheprovider", "--no-validate-histories")
    result.assert_outcomes(passed=1)
