"""After a session, the plugin summarizes what swfsim.strategies examples reached."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

TESTS = """
from hypothesis import given, settings
from swfsim.strategies import executions


def decider(task):
    seen = [event["eventType"] for event in task["events"]]
    if "ActivityTaskScheduled" not in seen:
        return [{"decisionType": "ScheduleActivityTask",
                 "scheduleActivityTaskDecisionAttributes": {
                     "activityId": "a1", "activityType": {"name": "work", "version": "1"}}}]
    if len(seen) > 6 and seen[-4] != "DecisionTaskCompleted":
        return [{"decisionType": "CompleteWorkflowExecution"}]
    return []


@settings(max_examples=40, database=None, deadline=None)
@given(executions(decider=decider, activities={"work": lambda value: value}))
def test_explores(execution):
    assert execution.history
"""


def test_the_terminal_summary_counts_what_the_examples_of_each_test_reached(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_explore=TESTS)

    result = pytester.runpytest_subprocess("-p", "no:randomly", "-p", "no:cacheprovider")

    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        [
            "*swfsim.strategies: what the examples reached*",
            "test_explore.py::test_explores: * runs explored",
        ]
    )
    reached = " ".join(result.stdout.str().split())  # the summary wraps to the terminal
    assert "ActivityTaskCompleted x" in reached
    assert "choice decision=timed out x" in reached
