"""replay_history: a decider is asked what boto3's poll returned at each decision task, and its
answer is compared with what production recorded, defaults resolved as SWF resolves them."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from rpl_support import (
    ACTIVITY,
    DOMAIN,
    REAL_FILES,
    REAL_HISTORIES,
    WORKFLOW,
    JsonDict,
    greeter,
    oracle,
    run_greeter,
)

import swfsim
from swfsim.replay import Difference, History, load_history, replay_history

HERE = Path(__file__).parent
TIMERS = REAL_HISTORIES / "simpleflow__test_timer_and_cancel.json"


@pytest.mark.parametrize("path", REAL_FILES, ids=lambda path: path.stem)
def test_every_real_history_replays_through_its_own_decisions(path: Path) -> None:
    history = load_history(path)
    result = replay_history(history, oracle(history))
    assert result.ok, str(result)
    assert result.divergence is None
    completed = [task for task in history.decision_tasks if task.completed]
    assert result.tasks_checked == len(completed) > 0
    assert result.decisions_checked == sum(len(task.decision_ids) for task in completed)
    assert str(result).startswith("replay OK: ")


def test_every_recorded_attribute_sent_back_matches_too() -> None:
    # Including the 2014 run that continued as new with executionStartToCloseTimeout NONE,
    # which the continue-as-new decision allows.
    for path in REAL_FILES:
        history = load_history(path)
        result = replay_history(history, oracle(history, with_defaults=True))
        assert result.ok, str(result)


def test_the_decider_is_asked_what_boto3_polled(sim: swfsim.Simulator, swf: Any) -> None:
    polled: list[JsonDict] = []
    original = swf.poll_for_decision_task

    def recording_poll(**kwargs: Any) -> JsonDict:
        polled.append(original(**kwargs))
        return polled[-1]

    swf.poll_for_decision_task = recording_poll
    execution = run_greeter(sim, swf)
    asked: list[JsonDict] = []

    def decider(task: JsonDict) -> list[JsonDict]:
        asked.append({**task, "events": list(task["events"])})
        return greeter(task)

    history = load_history(sim.history(DOMAIN, execution["workflowId"]), execution=execution)
    assert replay_history(history, decider).ok
    assert len(asked) == len(polled) == 3
    for replayed, live in zip(asked, polled, strict=True):
        for member in ("taskToken", "ResponseMetadata"):
            replayed.pop(member)
            live.pop(member)
        assert replayed == live  # the same events, datetimes and all


def changed_timer(history: History) -> Any:
    """The real decider of the timer history, but its second task waits 5 s, not 0."""
    recorded = oracle(history)

    def decider(task: JsonDict) -> JsonDict:
        answer = copy.deepcopy(recorded(task))
        if task["startedEventId"] == 9:
            answer["decisions"][1]["startTimerDecisionAttributes"]["startToFireTimeout"] = "5"
        return answer

    return decider


def test_a_changed_decider_shows_its_first_divergence() -> None:
    history = load_history(TIMERS)
    result = replay_history(history, changed_timer(history))
    assert not result.ok
    divergence = result.divergence
    assert divergence is not None
    assert (divergence.task_index, divergence.task.started_id, divergence.task.closed_id) == (
        1,
        9,
        10,
    )
    (mismatch,) = divergence.mismatches
    assert mismatch.kind == "changed"
    assert mismatch.expected is not None
    assert (mismatch.position, mismatch.expected.event_id) == (1, 12)
    assert mismatch.differences == (Difference("startToFireTimeout", "0", "5"),)
    assert divergence.expected is mismatch.expected
    assert divergence.actual == {
        "decisionType": "StartTimer",
        "startTimerDecisionAttributes": {
            "timerId": "_simpleflow_wake_up_timer",
            "startToFireTimeout": "5",
        },
    }
    assert divergence.differences == mismatch.differences
    assert [event["eventId"] for event in divergence.new_events] == [4, 5, 6, 7, 8, 9]
    assert len(divergence.seen_events) == 9


def test_the_divergence_prints_side_by_side() -> None:
    history = load_history(TIMERS)
    expected = (HERE / "expected" / "timer_divergence.txt").read_text()
    assert str(replay_history(history, changed_timer(history))) == expected.rstrip("\n")


def test_missing_and_extra_decisions() -> None:
    history = load_history(TIMERS)
    recorded = oracle(history)

    def decider(task: JsonDict) -> list[JsonDict]:
        decisions: list[JsonDict] = recorded(task)["decisions"]
        if task["startedEventId"] == 3:
            return decisions[:1]  # forgets "timer 1"
        if task["startedEventId"] == 15:
            marker = {"markerName": "done"}
            return [{"decisionType": "RecordMarker", "recordMarkerDecisionAttributes": marker}]
        return decisions

    result = replay_history(history, decider)
    first, last = result.divergences
    assert [(m.position, m.kind) for m in first.mismatches] == [(1, "missing")]
    assert first.mismatches[0].actual is None
    assert [(m.position, m.kind) for m in last.mismatches] == [(0, "changed")]
    assert last.mismatches[0].differences == (
        Difference("decisionType", "CompleteWorkflowExecution", "RecordMarker"),
    )
    assert "decision 2: missing" in str(first)
    assert '! timerId             "timer 1"' in str(first)


def test_a_raising_decider_is_reported_with_its_traceback_and_task() -> None:
    history = load_history(TIMERS)
    recorded = oracle(history)

    def decider(task: JsonDict) -> JsonDict:
        if task["startedEventId"] == 9:
            raise KeyError("timer 3")
        return recorded(task)

    result = replay_history(history, decider)
    (divergence,) = result.divergences
    assert divergence.task.started_id == 9
    assert divergence.error is not None
    assert divergence.error.startswith("Traceback (most recent call last):")
    assert "in decider\n    raise KeyError" in divergence.error
    assert "swfsim/replay" not in divergence.error  # replay's own frame is left out
    assert (
        divergence.headline
        == "decision task 2 of 3 (events 8-10): the decider raised KeyError: 'timer 3'"
    )
    assert "the decider saw events 1-9" in str(result)


def test_the_execution_context_of_a_keyword_answer_is_compared() -> None:
    history = load_history(REAL_HISTORIES / "simpleflow__test_wait_signal.json")
    recorded = oracle(history)

    def decider(task: JsonDict) -> JsonDict:
        return {**recorded(task), "executionContext": "{}"}

    divergence = replay_history(history, decider).divergence
    assert divergence is not None
    assert divergence.mismatches == ()
    (difference,) = divergence.answer_differences
    assert difference.name == "executionContext"
    assert difference.actual == "{}"
    # A plain list of decisions says nothing of the context: only the decisions are compared.
    assert replay_history(history, lambda task: recorded(task)["decisions"]).ok


@pytest.mark.parametrize(
    ("answer", "refused"),
    [
        (None, "the decider returned NoneType, not a list of decisions"),
        (["StartTimer"], "decision 1 is a str, not a dict"),
        (
            [{"decisionType": "StartTimer", "startTimerDecisionAttributes": {"timerId": "t"}}],
            "Value null at 'decisions.1.member.startTimerDecisionAttributes.startToFireTimeout'",
        ),
        (
            [
                {"decisionType": "CompleteWorkflowExecution"},
                {
                    "decisionType": "RecordMarker",
                    "recordMarkerDecisionAttributes": {"markerName": "m"},
                },
            ],
            "must be the last decision in the list",
        ),
    ],
    ids=["None", "not a decision", "missing attribute", "close not last"],
)
def test_an_answer_swf_would_refuse_is_reported(answer: Any, refused: str) -> None:
    divergence = replay_history(TIMERS, lambda _task: answer).divergence
    assert divergence is not None
    assert divergence.refused is not None
    assert refused in divergence.refused


def test_upto_event_id_checks_the_tasks_completed_by_then() -> None:
    history = load_history(TIMERS)
    assert replay_history(history, changed_timer(history), upto_event_id=9).ok
    result = replay_history(history, changed_timer(history), upto_event_id=10)
    assert (result.tasks_checked, result.decisions_checked, result.ok) == (2, 4, False)


def activity_decider(**set_attributes: Any) -> Any:
    """The greeter, scheduling its activity with these attributes set."""

    def decide(task: JsonDict) -> list[JsonDict]:
        if task["startedEventId"] != 3:
            return greeter(task)
        attrs = {"activityType": ACTIVITY, "activityId": "greet-1", "input": "Ada"}
        schedule = {**attrs, **set_attributes}
        return [
            {
                "decisionType": "ScheduleActivityTask",
                "scheduleActivityTaskDecisionAttributes": schedule,
            }
        ]

    return decide


def test_defaults_are_resolved_from_the_recorded_event(sim: swfsim.Simulator, swf: Any) -> None:
    execution = run_greeter(sim, swf)
    history = load_history(sim.history(DOMAIN, execution["workflowId"]))
    # The greeter leaves the task list and timeouts to the activity type's defaults; the event
    # holds them. Setting one to its default matches; setting it to something else does not.
    assert replay_history(history, activity_decider()).ok
    assert replay_history(history, activity_decider(taskList={"name": "workers"})).ok
    assert replay_history(history, activity_decider(startToCloseTimeout="300")).ok
    divergence = replay_history(history, activity_decider(taskList={"name": "urgent"})).divergence
    assert divergence is not None
    assert divergence.mismatches[0].differences == (
        Difference("taskList", {"name": "workers"}, {"name": "urgent"}),
    )
    # What has no default must match exactly, absent included.
    assert not replay_history(history, activity_decider(control="x")).ok


def test_failed_and_timed_out_runs_are_checked_too(sim: swfsim.Simulator, swf: Any) -> None:
    swf.start_workflow_execution(
        domain=DOMAIN, workflowId="slow", workflowType=WORKFLOW, executionStartToCloseTimeout="90"
    )
    task = swf.poll_for_decision_task(domain=DOMAIN, taskList={"name": "deciders"})
    swf.respond_decision_task_completed(taskToken=task["taskToken"], decisions=greeter(task))
    sim.clock.advance(120)
    history = load_history(sim.history(DOMAIN, "slow"))
    assert history.close_event is not None
    assert history.close_event["eventType"] == "WorkflowExecutionTimedOut"
    result = replay_history(history, greeter)
    assert (result.ok, result.tasks_checked, result.decisions_checked) == (True, 1, 1)
    failed = load_history(REAL_HISTORIES / "simpleflow__test_failing_activity.json")
    assert replay_history(failed, oracle(failed)).tasks_checked == 2


def test_a_decider_that_changes_its_events_list_does_not_change_the_next_task() -> None:
    history = load_history(TIMERS)
    recorded = oracle(history)
    seen: list[list[int]] = []

    def decider(task: JsonDict) -> JsonDict:
        seen.append([event["eventId"] for event in task["events"]])
        task["events"].reverse()
        task["events"].pop()
        return recorded(task)

    assert replay_history(history, decider).ok
    assert seen == [list(range(1, 4)), list(range(1, 10)), list(range(1, 16))]
