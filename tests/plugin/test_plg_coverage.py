"""``pytest --swf-coverage``: what the suite's Simulators reached, in the terminal, as JSON and
HTML, with a threshold that fails the run, merged across pytest-xdist workers."""

from __future__ import annotations

import json

import pytest
from html_tree import parse  # tests/html_tree.py: tests/ is on sys.path (its conftest.py)

pytest_plugins = ["pytester"]

TESTS = """
import os

import pytest

ORDER = {"name": "order", "version": "1"}


def decide(client, *decisions):
    task = client.poll_for_decision_task(domain="shop", taskList={"name": "order"})
    client.respond_decision_task_completed(taskToken=task["taskToken"], decisions=list(decisions))


@pytest.mark.parametrize("n", range(4))
@pytest.mark.swf(domains=["shop"], workflow_types=["order"])
def test_timer_then_fail(n, swf_client, swf_clock, request):
    swf_client.start_workflow_execution(domain="shop", workflowId=f"o-{n}", workflowType=ORDER)
    timer = {"timerId": "t", "startToFireTimeout": "5"}
    decide(swf_client, {"decisionType": "StartTimer", "startTimerDecisionAttributes": timer})
    swf_clock.advance(5)
    decide(swf_client, {"decisionType": "FailWorkflowExecution"})
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    (request.config.rootpath / f"ran-{n}-{worker}").write_text("")
"""


def _report(pytester: pytest.Pytester) -> dict[str, object]:
    data = json.loads((pytester.path / "swf-coverage" / "swf-coverage.json").read_text())
    assert isinstance(data, dict)
    return data


def test_the_report_shows_what_was_reached_and_what_was_not(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(TESTS)
    result = pytester.runpytest("-p", "no:cacheprovider", "--swf-coverage")
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(
        [
            "*- swfsim coverage -*",
            "events       7/54   13.0%",
            "decisions    2/13   15.4%",
            "causes       0/61    0.0%",
            "timeouts     0/9     0.0%",
            "events never reached:",
            "*ActivityTaskScheduled*",
            "written: *swf-coverage.json, *swf-coverage.html",
        ]
    )
    sets = _report(pytester)["sets"]
    assert isinstance(sets, dict)
    assert sets["events"]["reached"] == {
        "WorkflowExecutionStarted": 4,
        "WorkflowExecutionFailed": 4,
        "DecisionTaskScheduled": 8,
        "DecisionTaskStarted": 8,
        "DecisionTaskCompleted": 8,
        "TimerStarted": 4,
        "TimerFired": 4,
    }
    assert sets["decisions"]["reached"] == {"FailWorkflowExecution": 4, "StartTimer": 4}
    assert "ActivityTaskTimedOut: HEARTBEAT" in sets["timeouts"]["missed"]
    page = parse((pytester.path / "swf-coverage" / "swf-coverage.html").read_text())
    assert [s.attrs["id"] for s in page.find_all("section")] == [
        "events",
        "decisions",
        "causes",
        "timeouts",
    ]
    (decisions,) = page.find_all("section", id="decisions")
    reached = [row.children[0].text for row in decisions.find_all("tr", class_="reached")]
    assert sorted(reached) == ["FailWorkflowExecution", "StartTimer"]
    assert len(decisions.find_all("tr", class_="missed")) == 11


@pytest.mark.parametrize(("threshold", "status"), [("13", 0), ("14", 1)])
def test_a_threshold_fails_the_run_below_it(
    pytester: pytest.Pytester, threshold: str, status: int
) -> None:
    pytester.makepyfile(TESTS)
    result = pytester.runpytest(
        "-p", "no:cacheprovider", "--swf-coverage", f"--swf-coverage-fail-under={threshold}",
        "--swf-coverage-sets=events,decisions",
    )  # fmt: skip
    result.assert_outcomes(passed=4)
    assert result.ret == status
    # 9 of the 67 event and decision types: 13.4%
    failure = "FAIL: SWF coverage of events+decisions is 13.4%, under --swf-coverage-fail-under=14"
    assert (failure in result.stdout.str()) == bool(status)


def test_an_unknown_set_is_a_usage_error(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--swf-coverage", "--swf-coverage-sets=events,lines")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--swf-coverage-sets: 'lines' is not a coverage set*"])


def test_the_workers_counts_are_merged_under_xdist(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(TESTS)
    result = pytester.runpytest_subprocess(
        "-p", "xdist", "-n", "2", "-p", "no:cacheprovider", "--swf-coverage"
    )  # fmt: skip
    result.assert_outcomes(passed=4)
    workers = {path.name.split("-")[2] for path in pytester.path.glob("ran-*")}
    assert workers == {"gw0", "gw1"}
    sets = _report(pytester)["sets"]
    assert isinstance(sets, dict)
    assert sets["events"]["reached"]["WorkflowExecutionStarted"] == 4  # both workers' runs
    result.stdout.fnmatch_lines(["*- swfsim coverage -*", "events       7/54   13.0%"])
