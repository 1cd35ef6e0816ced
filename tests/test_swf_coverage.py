"""swfsim.coverage: which event types, decisions, causes and timeout types Simulators reached."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest
from browser import colours, keep_for_docs, render, screenshot
from timeline_runs import trip_simulator

from swfsim import coverage
from swfsim.coverage import SwfCoverage, catalogue
from swfsim.coverage_report import counts_from_json, format_text, to_html, to_json
from swfsim.demo import run_demo


def test_the_catalogue_is_botocores_enums() -> None:
    sets = catalogue()
    assert [len(sets[name]) for name in coverage.SETS] == [54, 13, 61, 9]
    assert "ScheduleActivityTaskFailed: ACTIVITY_ID_ALREADY_IN_USE" in sets["causes"]
    assert "ActivityTaskTimedOut: SCHEDULE_TO_START" in sets["timeouts"]
    assert "ChildWorkflowExecutionTimedOut: START_TO_CLOSE" in sets["timeouts"]


def test_simulators_created_while_collecting_are_counted_and_others_not() -> None:
    counted = SwfCoverage()
    with counted.collecting():
        trip_simulator()
    trip_simulator()  # after stop: not counted
    summary = {s.name: s for s in counted.summary()}
    assert summary["events"].reached["ActivityTaskTimedOut"] == 1
    assert summary["events"].reached["WorkflowExecutionStarted"] == 2  # the trip and its child
    assert "ActivityTaskCanceled" in summary["events"].missed
    assert set(summary["decisions"].reached) == {
        "ScheduleActivityTask",
        "StartTimer",
        "CancelTimer",
        "RecordMarker",
        "ScheduleLambdaFunction",
        "StartChildWorkflowExecution",
        "CompleteWorkflowExecution",
    }
    assert summary["timeouts"].reached == {"ActivityTaskTimedOut: START_TO_CLOSE": 1}
    assert counted.percent(["decisions"]) == pytest.approx(100 * 7 / 13)


def test_a_refused_decision_counts_with_its_cause() -> None:
    counted = SwfCoverage()
    counted.add_events(
        [
            {
                "eventId": 5,
                "eventTimestamp": 0.0,
                "eventType": "StartTimerFailed",
                "startTimerFailedEventAttributes": {
                    "timerId": "t",
                    "cause": "TIMER_ID_ALREADY_IN_USE",
                    "decisionTaskCompletedEventId": 4,
                },
            }
        ]
    )
    assert counted.to_dict() == {
        "events": {"StartTimerFailed": 1},
        "decisions": {"StartTimer": 1},
        "causes": {"StartTimerFailed: TIMER_ID_ALREADY_IN_USE": 1},
        "timeouts": {},
    }


def test_counts_survive_json_and_merge() -> None:
    trip = SwfCoverage()
    with trip.collecting():
        trip_simulator()
    merged = SwfCoverage()
    merged.merge(counts_from_json(to_json(trip)))
    merged.merge(trip.to_dict())
    assert merged.to_dict()["events"]["TimerFired"] == 2 * trip.to_dict()["events"]["TimerFired"]


def test_an_unknown_set_is_refused_with_the_sets_named() -> None:
    with pytest.raises(ValueError, match="no coverage set 'lines'; the sets are events, "):
        SwfCoverage().percent(["lines"])


def test_the_text_report_lists_what_was_never_reached() -> None:
    counted = SwfCoverage()
    with counted.collecting():
        trip_simulator()
    lines = format_text(counted).splitlines()
    assert lines[:4] == [
        "events      21/54   38.9%",
        "decisions    7/13   53.8%",
        "causes       0/61    0.0%",
        "timeouts     1/9    11.1%",
    ]
    assert lines[4] == "events never reached:"
    assert "causes never reached:" not in lines
    assert "causes never reached:" in format_text(counted, verbose=True)


def test_the_module_example_runs() -> None:
    assert doctest.testmod(coverage).failed == 0


def test_the_html_report_draws_in_a_browser(tmp_path: Path) -> None:
    counted = SwfCoverage()
    with counted.collecting():
        trip_simulator()
        run_demo(failures=3)
    page = tmp_path / "coverage.html"
    page.write_text(to_html(counted))
    shown = render(page, tmp_path / "profile")
    assert shown.console == []
    png = tmp_path / "coverage.png"
    screenshot(page, tmp_path / "profile", png, size=(1200, 700))
    assert len(colours(png)) > 20
    keep_for_docs(png, "coverage.png")
