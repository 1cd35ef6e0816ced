"""The orderings real AWS produced are reachable, each from one choice, and both orders are."""

from __future__ import annotations

import pytest
from hypothesis import find, settings
from strat_deciders import echo, one_activity, schedule, two_activities

import swfsim
from swfsim.strategies import Execution, executions, run_schedule

SELF_SIGNAL_TEST = {"decisionType": "CompleteWorkflowExecution"}


def timer_and_self_signal(task: dict) -> list[dict]:
    """simpleflow's test_signal_played_twice: a 0-second timer and a self-signal, one decision."""
    if task["previousStartedEventId"] == 0:
        return [
            {
                "decisionType": "StartTimer",
                "startTimerDecisionAttributes": {"timerId": "t", "startToFireTimeout": "0"},
            },
            {
                "decisionType": "SignalExternalWorkflowExecution",
                "signalExternalWorkflowExecutionDecisionAttributes": {
                    "workflowId": task["workflowExecution"]["workflowId"],
                    "signalName": "self",
                },
            },
        ]
    seen = {event["eventType"] for event in task["events"]}
    return [SELF_SIGNAL_TEST] if {"TimerFired", "WorkflowExecutionSignaled"} <= seen else []


def order(types: list[str], *wanted: str) -> list[str]:
    return [kind for kind in types if kind in wanted]


def test_the_second_of_two_activities_of_one_decision_can_be_delivered_first() -> None:
    # simpleflow test_wait_signal on AWS: the second activity task was started first.
    swapped = run_schedule(
        [("delivery", "activities", "a2")], decider=two_activities, activities={"work": echo}
    )

    started = [
        event["activityTaskStartedEventAttributes"]["scheduledEventId"]
        for event in swapped.events("ActivityTaskStarted")
    ]
    assert started == sorted(started, reverse=True)
    assert swapped.result == "a1=A a2=B"


def test_a_self_signal_can_land_after_or_before_a_zero_second_timer_of_the_same_decision() -> None:
    plain = run_schedule([], decider=timer_and_self_signal, activities={})
    swapped = find(
        executions(decider=timer_and_self_signal, activities={}),
        lambda ex: (
            order(ex.event_types(), "TimerFired", "WorkflowExecutionSignaled")[0]
            == "WorkflowExecutionSignaled"
        ),
        settings=settings(max_examples=100, database=None, deadline=None),
    )

    # As AWS recorded it: the timer fired, then the self-signal arrived.
    assert order(plain.event_types(), "TimerFired", "WorkflowExecutionSignaled") == [
        "TimerFired",
        "WorkflowExecutionSignaled",
    ]
    assert [choice.kind for choice in swapped.choices] == ["same-instant"]
    assert swapped.close_status == "COMPLETED"


def test_a_child_without_a_decider_completes_fails_times_out_or_is_terminated() -> None:
    def parent(task: dict) -> list[dict]:
        if task["previousStartedEventId"] == 0:
            return [
                {
                    "decisionType": "StartChildWorkflowExecution",
                    "startChildWorkflowExecutionDecisionAttributes": {
                        "workflowId": "kid",
                        "workflowType": {"name": "child", "version": "1"},
                    },
                }
            ]
        closed = [e for e in task["events"] if e["eventType"].startswith("ChildWorkflowExecution")]
        last = closed[-1]["eventType"] if closed else ""
        if last in ("ChildWorkflowExecutionStarted", ""):
            return []
        return [
            {
                "decisionType": "CompleteWorkflowExecution",
                "completeWorkflowExecutionDecisionAttributes": {"result": last},
            }
        ]

    results = {
        option: run_schedule(
            [("child", "kid", option)],
            decider=parent,
            activities={},
            child_workflow_types=["child"],
        ).result
        for option in ("completed", "failed", "timed out", "terminated")
    }

    assert results == {
        "completed": "ChildWorkflowExecutionCompleted",
        "failed": "ChildWorkflowExecutionFailed",
        "timed out": "ChildWorkflowExecutionTimedOut",
        "terminated": "ChildWorkflowExecutionTerminated",
    }


def test_a_decision_task_that_times_out_is_scheduled_again() -> None:
    timed_out = run_schedule(
        [("decision", "execution", "timed out")],
        decider=lambda task: [] if task["previousStartedEventId"] else [schedule("a1")],
        activities={"work": echo},
        max_steps=5,
    )

    assert timed_out.event_types()[3:5] == ["DecisionTaskTimedOut", "DecisionTaskScheduled"]


def test_a_signal_whose_answer_was_lost_arrives_twice() -> None:
    def count_pokes(task: dict) -> list[dict]:
        if task["previousStartedEventId"] == 0:
            return [schedule("a1")]
        seen = [event["eventType"] for event in task["events"]]
        if "ActivityTaskCompleted" not in seen:
            return []
        result = str(seen.count("WorkflowExecutionSignaled"))
        return [
            {
                "decisionType": "CompleteWorkflowExecution",
                "completeWorkflowExecutionDecisionAttributes": {"result": result},
            }
        ]

    twice = run_schedule(
        [("signal", "outside", "poke twice (answer lost, sent again)")],
        decider=count_pokes,
        activities={"work": echo},
        signals=["poke"],
    )

    assert twice.result == "2"


# A choice that loses an answer's response; the operation; the choice that answers plainly.
LOST_ANSWERS = [
    (
        ("activity", "a1", "result, answer lost and sent again"),
        "RespondActivityTaskCompleted",
        "result",
    ),
    (
        ("activity", "a1", "failure, answer lost and sent again"),
        "RespondActivityTaskFailed",
        "failure",
    ),
    (
        ("decision", "execution", "answer lost and sent again"),
        "RespondDecisionTaskCompleted",
        "answered",
    ),
]


@pytest.mark.parametrize(("choice", "operation", "delivered"), LOST_ANSWERS)
def test_an_answer_whose_response_was_lost_is_applied_once_and_its_retry_refused(
    choice: tuple[str, str, str], operation: str, delivered: str
) -> None:
    lost = run_schedule([choice], decider=one_activity, activities={"work": echo})
    answered = run_schedule(
        [(choice[0], choice[1], delivered)], decider=one_activity, activities={"work": echo}
    )

    (retry,) = lost.retried
    assert retry.startswith(f"{operation} sent again after its response was lost: ")
    assert "UnknownResourceFault: " in retry
    assert lost.event_types() == answered.event_types()
    assert lost.close_status == answered.close_status
    assert lost.refused == ()
    assert swfsim.validate_history(lost.wire_history) == []


def test_exploring_reaches_lost_answers_and_their_histories_stay_valid() -> None:
    def sent_again(execution: Execution) -> bool:
        for events in execution.histories.values():
            assert swfsim.validate_history(events) == []
        return bool(execution.retried)

    found = find(
        executions(decider=two_activities, activities={"work": echo}),
        sent_again,
        settings=settings(database=None, max_examples=1000, derandomize=True),
    )

    assert [choice.option.endswith("answer lost and sent again") for choice in found.choices] == [
        True
    ]
    assert "UnknownResourceFault" in found.retried[0]


def test_a_late_activity_result_races_a_timer() -> None:
    def which_first(task: dict) -> list[dict]:
        if task["previousStartedEventId"] == 0:
            timer = {"timerId": "t", "startToFireTimeout": "60"}
            return [
                schedule("a1"),
                {"decisionType": "StartTimer", "startTimerDecisionAttributes": timer},
            ]
        kinds = [e["eventType"] for e in task["events"]]
        if "ActivityTaskCompleted" not in kinds:
            return []
        first = min(
            ("TimerFired", "ActivityTaskCompleted"),
            key=lambda k: (k not in kinds, kinds.index(k) if k in kinds else 0),
        )
        return [
            {
                "decisionType": "CompleteWorkflowExecution",
                "completeWorkflowExecutionDecisionAttributes": {"result": first},
            }
        ]

    plain = run_schedule([], decider=which_first, activities={"work": echo})
    late = run_schedule(
        [("activity", "a1", "late result")], decider=which_first, activities={"work": echo}
    )

    assert plain.result == "ActivityTaskCompleted"
    assert late.result == "TimerFired"
    completed, started = late.events("ActivityTaskCompleted"), late.events("ActivityTaskStarted")
    # a second before its 120-second start-to-close timeout
    assert (completed[0]["eventTimestamp"] - started[0]["eventTimestamp"]).total_seconds() == 119


def test_children_run_with_their_own_deciders() -> None:
    def parent(task: dict) -> list[dict]:
        if task["previousStartedEventId"] == 0:
            start = {"workflowId": "kid", "workflowType": {"name": "child", "version": "1"}}
            return [
                {
                    "decisionType": "StartChildWorkflowExecution",
                    "startChildWorkflowExecutionDecisionAttributes": start,
                }
            ]
        done = [e for e in task["events"] if e["eventType"] == "ChildWorkflowExecutionCompleted"]
        if not done:
            return []
        result = done[0]["childWorkflowExecutionCompletedEventAttributes"]["result"]
        return [
            {
                "decisionType": "CompleteWorkflowExecution",
                "completeWorkflowExecutionDecisionAttributes": {"result": f"child said {result}"},
            }
        ]

    def child(task: dict) -> list[dict]:
        if task["previousStartedEventId"] == 0:
            return [schedule("c1", input="hello")]
        done = [e for e in task["events"] if e["eventType"] == "ActivityTaskCompleted"]
        if not done:
            return []
        result = done[0]["activityTaskCompletedEventAttributes"]["result"]
        return [
            {
                "decisionType": "CompleteWorkflowExecution",
                "completeWorkflowExecutionDecisionAttributes": {"result": result},
            }
        ]

    family = run_schedule(
        [], decider={"workflow": parent, "child": child}, activities={"work": echo}
    )

    assert family.result == "child said hello"
    assert set(family.histories) == {"execution", "kid"}
