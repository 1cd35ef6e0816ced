"""format_timeline renders histories one readable line per event, on the run's own clock."""

from __future__ import annotations

import doctest
from datetime import datetime, timedelta, timezone
from typing import Any

import boto3
import pytest

import swfsim
from swfsim import timeline
from swfsim.timeline import format_offset, format_timeline

START = 1_767_225_600.0  # 2026-01-01T00:00:00Z, the Simulator's default start


def _event(event_id: int, seconds: float, event_type: str, **attributes: Any) -> dict[str, Any]:
    key = event_type[0].lower() + event_type[1:] + "EventAttributes"
    return {
        "eventId": event_id,
        "eventTimestamp": START + seconds,
        "eventType": event_type,
        key: attributes,
    }


HISTORY = [
    _event(
        1,
        0,
        "WorkflowExecutionStarted",
        workflowType={"name": "Order", "version": "1"},
        taskList={"name": "deciders"},
        childPolicy="TERMINATE",
        input="o-1",
    ),
    _event(
        2,
        0,
        "ActivityTaskScheduled",
        activityId="charge-1",
        activityType={"name": "Charge", "version": "1"},
        decisionTaskCompletedEventId=1,
    ),
    _event(3, 0.25, "ActivityTaskStarted", scheduledEventId=2, identity="worker-1"),
    _event(
        4,
        1.5,
        "ActivityTaskFailed",
        scheduledEventId=2,
        startedEventId=3,
        reason="GatewayTimeout",
        details="no answer in 5 s",
    ),
    _event(
        5,
        1.5,
        "ActivityTaskTimedOut",
        scheduledEventId=2,
        startedEventId=3,
        timeoutType="START_TO_CLOSE",
    ),
    _event(
        6,
        1.5,
        "ScheduleActivityTaskFailed",
        activityId="x",
        activityType={"name": "Missing", "version": "1"},
        cause="ACTIVITY_TYPE_DOES_NOT_EXIST",
        decisionTaskCompletedEventId=4,
    ),
    _event(
        7,
        90,
        "TimerStarted",
        timerId="return-window",
        startToFireTimeout="259200",
        decisionTaskCompletedEventId=4,
    ),
    _event(8, 90 + 3 * 86400, "TimerFired", timerId="return-window", startedEventId=7),
    _event(
        9,
        90 + 3 * 86400,
        "WorkflowExecutionCompleted",
        result='{"ok": true, "n": [1, 2]}',
        decisionTaskCompletedEventId=8,
    ),
]

EXPECTED = """\
+0d 00:00:00.000  1  WorkflowExecutionStarted    workflowType=Order/1 input=o-1
+0d 00:00:00.000  2  ActivityTaskScheduled       activityId=charge-1 activityType=Charge/1
+0d 00:00:00.250  3  ActivityTaskStarted         activityId=charge-1
+0d 00:00:01.500  4  ActivityTaskFailed          activityId=charge-1 reason=GatewayTimeout \
details="no answer in 5 s"
+0d 00:00:01.500  5  ActivityTaskTimedOut        activityId=charge-1 timeoutType=START_TO_CLOSE
+0d 00:00:01.500  6  ScheduleActivityTaskFailed  activityId=x activityType=Missing/1 \
cause=ACTIVITY_TYPE_DOES_NOT_EXIST
+0d 00:01:30.000  7  TimerStarted                timerId=return-window startToFireTimeout=259200
+3d 00:01:30.000  8  TimerFired                  timerId=return-window
+3d 00:01:30.000  9  WorkflowExecutionCompleted  result={"ok":true,"n":[1,2]}"""


def test_known_events_are_formatted_one_line_each() -> None:
    assert format_timeline(HISTORY) == EXPECTED


def test_child_workflow_lambda_and_continue_as_new_events_name_what_they_are_about() -> None:
    child_type = {"name": "Child", "version": "2"}
    child_run = {"workflowId": "child-1", "runId": "22abc="}
    events = [
        _event(
            1,
            0,
            "StartChildWorkflowExecutionInitiated",
            workflowId="child-1",
            workflowType=child_type,
            childPolicy="TERMINATE",
        ),
        _event(
            2,
            5,
            "ChildWorkflowExecutionCompleted",
            workflowExecution=child_run,
            workflowType=child_type,
            result="done",
            initiatedEventId=1,
        ),
        _event(3, 5, "LambdaFunctionScheduled", id="thumb-1", name="resize", input="a.png"),
        _event(
            4,
            5,
            "LambdaFunctionCompleted",
            scheduledEventId=3,
            startedEventId=3,
            result="a-small.png",
        ),
        _event(
            5,
            9,
            "WorkflowExecutionSignaled",
            signalName="go",
            externalWorkflowExecution=child_run,
            externalInitiatedEventId=7,
        ),
        _event(
            6,
            9,
            "WorkflowExecutionContinuedAsNew",
            newExecutionRunId="22def=",
            workflowType=child_type,
            taskList={"name": "l"},
        ),
    ]
    assert format_timeline(events).splitlines() == [
        "+0d 00:00:00.000  1  StartChildWorkflowExecutionInitiated  "
        "workflowType=Child/2 workflowId=child-1",
        "+0d 00:00:05.000  2  ChildWorkflowExecutionCompleted       "
        "workflowType=Child/2 workflowId=child-1 result=done",
        "+0d 00:00:05.000  3  LambdaFunctionScheduled               id=thumb-1 name=resize "
        "input=a.png",
        "+0d 00:00:05.000  4  LambdaFunctionCompleted               id=thumb-1 result=a-small.png",
        "+0d 00:00:09.000  5  WorkflowExecutionSignaled             workflowId=child-1 "
        "signalName=go",
        "+0d 00:00:09.000  6  WorkflowExecutionContinuedAsNew       workflowType=Child/2 "
        "newExecutionRunId=22def=",
    ]


def test_boto3_datetimes_read_like_wire_epoch_seconds() -> None:
    parsed = [
        {**event, "eventTimestamp": datetime.fromtimestamp(event["eventTimestamp"], timezone.utc)}
        for event in HISTORY
    ]
    assert format_timeline(parsed) == EXPECTED


def test_no_events_is_an_empty_timeline() -> None:
    assert format_timeline([]) == ""


def test_event_ids_are_right_aligned() -> None:
    events = [_event(n, 0, "DecisionTaskScheduled") for n in (9, 10)]
    assert format_timeline(events).splitlines() == [
        "+0d 00:00:00.000   9  DecisionTaskScheduled",
        "+0d 00:00:00.000  10  DecisionTaskScheduled",
    ]


@pytest.mark.parametrize(
    ("millis", "shown"),
    [
        (0, "+0d 00:00:00.000"),
        (1, "+0d 00:00:00.001"),
        (
            timedelta(days=3, hours=4, minutes=5, seconds=6, milliseconds=7)
            // timedelta(milliseconds=1),
            "+3d 04:05:06.007",
        ),
        (timedelta(days=400) // timedelta(milliseconds=1), "+400d 00:00:00.000"),
        (-1500, "-0d 00:00:01.500"),
    ],
)
def test_offsets(millis: int, shown: str) -> None:
    assert format_offset(millis) == shown


def test_long_values_are_cut_and_free_text_is_quoted() -> None:
    failed = _event(1, 0, "WorkflowExecutionFailed", reason="a b", details="x" * 100)
    line = format_timeline([failed])
    cut = "x" * (timeline.MAX_VALUE_CHARS - 3) + "..."
    assert line.endswith(f'reason="a b" details={cut}')


def test_module_docstring_example_holds() -> None:
    assert doctest.testmod(timeline).failed == 0


def test_history_from_boto3_and_from_the_simulator_read_the_same() -> None:
    with swfsim.mock_swf() as sim:
        swf = boto3.client("swf")
        swf.register_domain(name="d", workflowExecutionRetentionPeriodInDays="1")
        swf.register_workflow_type(
            domain="d",
            name="w",
            version="1",
            defaultTaskList={"name": "l"},
            defaultExecutionStartToCloseTimeout="600",
            defaultTaskStartToCloseTimeout="5",
            defaultChildPolicy="TERMINATE",
        )
        run_id = swf.start_workflow_execution(
            domain="d", workflowId="w-1", workflowType={"name": "w", "version": "1"}
        )["runId"]
        swf.poll_for_decision_task(domain="d", taskList={"name": "l"})  # and never answer
        sim.clock.advance(700)  # the decision task times out, then the run
        execution = {"workflowId": "w-1", "runId": run_id}
        events = swf.get_workflow_execution_history(domain="d", execution=execution)["events"]
    assert isinstance(events[0]["eventTimestamp"], datetime)
    text = format_timeline(events)
    assert text == format_timeline(sim.history("d", "w-1"))
    assert text.splitlines() == [
        "+0d 00:00:00.000  1  WorkflowExecutionStarted   workflowType=w/1",
        "+0d 00:00:00.000  2  DecisionTaskScheduled",
        "+0d 00:00:00.000  3  DecisionTaskStarted",
        "+0d 00:00:05.000  4  DecisionTaskTimedOut       timeoutType=START_TO_CLOSE",
        "+0d 00:00:05.000  5  DecisionTaskScheduled",
        "+0d 00:10:00.000  6  WorkflowExecutionTimedOut  timeoutType=START_TO_CLOSE",
    ]
