"""A failing test's report shows each execution's timeline and the seed that replays it."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import colours, keep_for_docs, render, rgb, screenshot
from html_tree import parse

from swfsim.timeline._html import COLOURS

pytest_plugins = ["pytester"]

TESTS = """
import pytest

ORDER = {"name": "order", "version": "1"}


@pytest.mark.swf(domains=["shop"], workflow_types=["order"])
def test_fails_after_a_timer(swf_client, swf_clock):
    swf_client.start_workflow_execution(domain="shop", workflowId="order-7", workflowType=ORDER)
    task = swf_client.poll_for_decision_task(domain="shop", taskList={"name": "order"})
    swf_client.respond_decision_task_completed(taskToken=task["taskToken"], decisions=[{
        "decisionType": "StartTimer",
        "startTimerDecisionAttributes": {"timerId": "wait", "startToFireTimeout": "90"},
    }])
    swf_clock.advance(90)
    swf_client.start_workflow_execution(domain="shop", workflowId="order-8", workflowType=ORDER)
    swf_client.terminate_workflow_execution(domain="shop", workflowId="order-8")
    assert False, "the order was not shipped"


@pytest.mark.swf(domains=["shop"], workflow_types=["order"])
def test_passes(swf_client):
    swf_client.start_workflow_execution(domain="shop", workflowId="order-9", workflowType=ORDER)


def test_fails_without_swf():
    assert False
"""


def sections(recorder: pytest.HookRecorder) -> dict[str, dict[str, str]]:
    """Each test's report sections by title, for its failed or passed call."""
    found = {}
    for report in recorder.getreports("pytest_runtest_logreport"):
        if report.when == "call":
            found[report.head_line or report.nodeid] = dict(report.sections)
    return found


def test_failure_report_has_timelines_and_seed(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(TESTS)
    recorder = pytester.inline_run("-p", "no:cacheprovider", "--swf-seed", "31")
    recorder.assertoutcome(passed=1, failed=2)
    by_test = sections(recorder)
    report = by_test["test_fails_after_a_timer"]["swfsim"]
    lines = report.splitlines()
    assert lines[0].startswith("workflowId=order-7 runId=")
    assert lines[0].endswith("(OPEN) in domain shop")
    assert lines[1].split() == ["+0d", "00:00:00.000", "1", "WorkflowExecutionStarted",
                                "workflowType=order/1"]  # fmt: skip
    assert ["+0d", "00:01:30.000", "6", "TimerFired", "timerId=wait"] in [
        line.split() for line in lines
    ]
    assert any(line.startswith("workflowId=order-8 ") and "(TERMINATED)" in line for line in lines)
    assert lines[-1] == (
        "simulator seed 31 (the same seed replays the same run); "
        "virtual time now 2026-01-01T00:01:30+00:00"
    )
    assert "swfsim" not in by_test["test_passes"]
    assert "swfsim" not in by_test["test_fails_without_swf"]


def test_report_is_printed_under_its_title(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(TESTS)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines(
        [
            "*AssertionError: the order was not shipped*",
            "*- swfsim -*",
            "workflowId=order-7 runId=* (OPEN) in domain shop",
            "*WorkflowExecutionStarted*",
            "simulator seed 0 (the same seed replays the same run)*",
        ]
    )


def test_no_report_option(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(TESTS)
    recorder = pytester.inline_run("-p", "no:cacheprovider", "--swf-no-report")
    recorder.assertoutcome(passed=1, failed=2)
    assert all("swfsim" not in found for found in sections(recorder).values())
    result = pytester.runpytest("-p", "no:cacheprovider", "--swf-no-report")
    assert "- swfsim -" not in result.stdout.str()
    assert "WorkflowExecutionStarted" not in result.stdout.str()


def _html_line(report: str) -> Path:
    (line,) = [line for line in report.splitlines() if line.startswith("HTML timeline: ")]
    return Path(line.removeprefix("HTML timeline: "))


def test_a_failing_test_gets_an_html_timeline_named_in_its_report(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(TESTS)
    recorder = pytester.inline_run("-p", "no:cacheprovider")
    recorder.assertoutcome(passed=1, failed=2)
    report = sections(recorder)["test_fails_after_a_timer"]["swfsim"]
    page = _html_line(report)
    name = (
        "test_a_failing_test_gets_an_html_timeline_named_in_its_report.py_test_fails_after_a_timer"
    )
    assert page == pytester.path / "swfsim-timelines" / f"{name}.html"
    assert report.splitlines()[-1].startswith("simulator seed 0 ")
    tree = parse(page.read_text())
    assert tree.find_all("title")[0].text.endswith("::test_fails_after_a_timer")
    runs = {
        section.children[0].all_text().split(" (run")[0]: section.attrs["data-outcome"]
        for section in tree.find_all("section", class_="run")
    }
    assert runs == {"open order-7": "open", "terminated order-8": "terminated"}
    (timer,) = tree.find_all("g", class_="lane", data_kind="timer", data_name="wait")
    assert [bar.attrs["data-outcome"] for bar in timer.find_all("g", class_="bar")] == ["completed"]
    assert sorted(p.name for p in page.parent.iterdir()) == [page.name]  # passing tests: none


def test_the_timeline_directory_is_an_option(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(TESTS)
    recorder = pytester.inline_run("-p", "no:cacheprovider", "--swf-timeline-dir", "out/tl")
    page = _html_line(sections(recorder)["test_fails_after_a_timer"]["swfsim"])
    assert page.parent == pytester.path / "out" / "tl"
    assert page.exists()


def test_pytest_html_reports_show_the_timeline(pytester: pytest.Pytester) -> None:
    pytest.importorskip("pytest_html")
    pytester.makepyfile(TESTS)
    recorder = pytester.inline_run("-p", "no:cacheprovider", "--html=report.html")
    recorder.assertoutcome(passed=1, failed=2)
    extras = {
        report.head_line: getattr(report, "extras", [])
        for report in recorder.getreports("pytest_runtest_logreport")
        if report.when == "call"
    }
    assert extras["test_passes"] == extras["test_fails_without_swf"] == []
    (extra,) = extras["test_fails_after_a_timer"]
    assert extra["format_type"] == "html"
    frame = parse(extra["content"]).find_all("iframe", class_="swfsim-timeline")[0]
    assert parse(frame.attrs["srcdoc"]).find_all("section", class_="run")  # the whole page
    page = (pytester.path / "report.html").read_text()
    assert "swfsim timeline: test_pytest_html_reports_show_the_timeline.py_test_fails_after" in page


def test_the_failure_timeline_draws_in_a_browser(pytester: pytest.Pytester, tmp_path: Path) -> None:
    pytester.makepyfile(TESTS)
    recorder = pytester.inline_run("-p", "no:cacheprovider")
    page = _html_line(sections(recorder)["test_fails_after_a_timer"]["swfsim"])
    shown = render(page, tmp_path / "profile")
    assert 'data-swfsim-ready="ok"' in shown.dom
    assert shown.console == []
    png = tmp_path / "failure.png"
    screenshot(page, tmp_path / "profile", png, size=(1100, 420))
    counted = colours(png)
    assert len(counted) > 50
    assert counted.get(rgb(COLOURS["terminated"]), 0) > 40  # order-8's run bar
    keep_for_docs(png, "failure-timeline.png")
