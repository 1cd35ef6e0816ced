"""histories() and the value strategies give what SWF accepts and writes."""

from __future__ import annotations

import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import swfsim
from swfsim import Simulator
from swfsim.strategies import decisions, durations, histories, identifiers, task_lists
from swfsim.validation import validate_input

MANY = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@MANY
@given(histories(form="wire"))
def test_every_generated_history_is_valid(events: list[dict]) -> None:
    assert swfsim.validate_history(events) == []
    assert events[0]["eventType"] == "WorkflowExecutionStarted"


@settings(max_examples=20, deadline=None)
@given(histories())
def test_histories_come_in_boto3_form_by_default(events: list[dict]) -> None:
    assert isinstance(events[0]["eventTimestamp"], datetime.datetime)
    assert swfsim.validate_history(events) == []


def test_histories_reach_timeouts_children_signals_and_cancellations() -> None:
    reached: set[str] = set()

    # About one history in thirty has an activity time out (most random deciders close the
    # run, cancel or outlive the activity first): enough examples to reach it for sure.
    @settings(max_examples=400, database=None, deadline=None, derandomize=True)
    @given(histories(form="wire"))
    def collect(events: list[dict]) -> None:
        reached.update(event["eventType"] for event in events)

    collect()

    assert {
        "ActivityTaskTimedOut",
        "ActivityTaskCanceled",
        "TimerFired",
        "TimerCanceled",
        "ChildWorkflowExecutionCompleted",
        "WorkflowExecutionSignaled",
        "DecisionTaskTimedOut",
    } <= reached


@MANY
@given(
    activity_id=identifiers("ActivityId"),
    name=identifiers("Name"),
    timeout=durations(allow_none=True),
    task_list=task_lists(),
)
def test_value_strategies_give_values_swf_accepts(
    activity_id: str, name: str, timeout: str, task_list: dict
) -> None:
    validate_input(
        "RegisterActivityType",
        {
            "domain": "d",
            "name": name,
            "version": activity_id,
            "defaultTaskList": task_list,
            "defaultTaskHeartbeatTimeout": timeout,
        },
    )


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_decisions_for_a_history_are_carried_out(data: st.DataObject) -> None:
    sim = Simulator()
    sim.handle("RegisterDomain", {"name": "d", "workflowExecutionRetentionPeriodInDays": "1"})
    sim.handle(
        "RegisterWorkflowType",
        {
            "domain": "d",
            "name": "w",
            "version": "1",
            "defaultTaskList": {"name": "l"},
            "defaultChildPolicy": "TERMINATE",
            "defaultExecutionStartToCloseTimeout": "600",
            "defaultTaskStartToCloseTimeout": "10",
        },
    )
    sim.handle(
        "RegisterActivityType",
        {
            "domain": "d",
            "name": "work",
            "version": "1",
            "defaultTaskList": {"name": "a"},
            # No activity times out while the decider decides (the long poll moves the clock).
            "defaultTaskScheduleToStartTimeout": "NONE",
            "defaultTaskScheduleToCloseTimeout": "NONE",
            "defaultTaskStartToCloseTimeout": "NONE",
            "defaultTaskHeartbeatTimeout": "NONE",
        },
    )
    sim.handle(
        "StartWorkflowExecution",
        {"domain": "d", "workflowId": "x", "workflowType": {"name": "w", "version": "1"}},
    )
    for _ in range(3):
        task = sim.handle("PollForDecisionTask", {"domain": "d", "taskList": {"name": "l"}})
        if not task.get("taskToken"):
            break
        chosen = data.draw(decisions(task["events"], workflow_id="x", close=False))
        sim.handle(
            "RespondDecisionTaskCompleted", {"taskToken": task["taskToken"], "decisions": chosen}
        )
        sim.clock.advance(5)

    events = sim.history("d", "x")
    failed = [e["eventType"] for e in events if e["eventType"].endswith("Failed")]
    assert failed == []
