"""A family of runs that reaches every kind of lane the HTML timeline draws, for its tests.

The parent run ``trip-7`` charges a card (fails once, then completes), books a hotel (the worker
hangs: START_TO_CLOSE timeout), calls a Lambda function, waits 30 days on a timer, cancels a
spare timer, records a marker, receives a signal and starts a child run ``trip-7-visa`` whose
own activity completes.
"""

from __future__ import annotations

import json
from typing import Any

from swfsim import Simulator
from swfsim.harness import ActivityContext, ActivityFailed, DecisionTask, Hang

DOMAIN = "travel"
LAMBDA_ROLE = "arn:aws:iam::123456789012:role/swf-lambda"


def _register(sim: Simulator) -> None:
    sim.handle("RegisterDomain", {"name": DOMAIN, "workflowExecutionRetentionPeriodInDays": "90"})
    for name in ("trip", "visa"):
        sim.handle(
            "RegisterWorkflowType",
            {
                "domain": DOMAIN,
                "name": name,
                "version": "1",
                "defaultTaskList": {"name": name},
                "defaultExecutionStartToCloseTimeout": str(60 * 86400),
                "defaultTaskStartToCloseTimeout": "60",
                "defaultChildPolicy": "TERMINATE",
                "defaultLambdaRole": LAMBDA_ROLE,
            },
        )
    for name in ("charge", "hotel", "stamp"):
        sim.handle(
            "RegisterActivityType",
            {
                "domain": DOMAIN,
                "name": name,
                "version": "1",
                "defaultTaskList": {"name": "work"},
                "defaultTaskScheduleToStartTimeout": "NONE",
                "defaultTaskScheduleToCloseTimeout": "NONE",
                "defaultTaskStartToCloseTimeout": "120",
                "defaultTaskHeartbeatTimeout": "NONE",
            },
        )


def _activity(activity_id: str, name: str) -> dict[str, Any]:
    return {
        "decisionType": "ScheduleActivityTask",
        "scheduleActivityTaskDecisionAttributes": {
            "activityId": activity_id,
            "activityType": {"name": name, "version": "1"},
        },
    }


def _timer(timer_id: str, seconds: int) -> dict[str, Any]:
    return {
        "decisionType": "StartTimer",
        "startTimerDecisionAttributes": {"timerId": timer_id, "startToFireTimeout": str(seconds)},
    }


_QUOTE = {
    "decisionType": "ScheduleLambdaFunction",
    "scheduleLambdaFunctionDecisionAttributes": {"id": "quote", "name": "quote"},
}


def _trip(task: DecisionTask) -> list[dict[str, Any]]:
    types = [event["eventType"] for event in task.new_events]
    if "WorkflowExecutionStarted" in types:
        return [
            _activity("charge-1", "charge"),
            _activity("hotel", "hotel"),
            _timer("spare", 600),
            {
                "decisionType": "StartChildWorkflowExecution",
                "startChildWorkflowExecutionDecisionAttributes": {
                    "workflowId": "trip-7-visa",
                    "workflowType": {"name": "visa", "version": "1"},
                },
            },
        ]
    decisions = []
    if "ActivityTaskFailed" in types:
        decisions.append(_activity("charge-2", "charge"))
    if "ActivityTaskTimedOut" in types:
        decisions += [
            {"decisionType": "CancelTimer", "cancelTimerDecisionAttributes": {"timerId": "spare"}},
            {
                "decisionType": "RecordMarker",
                "recordMarkerDecisionAttributes": {"markerName": "hotel-lost", "details": "{}"},
            },
            _timer("cool-off", 30 * 86400),
        ]
    if "TimerFired" in types:
        decisions.append(
            {
                "decisionType": "CompleteWorkflowExecution",
                "completeWorkflowExecutionDecisionAttributes": {"result": '{"trip": "done"}'},
            }
        )
    return decisions


def _visa(task: DecisionTask) -> list[dict[str, Any]]:
    types = [event["eventType"] for event in task.new_events]
    if "WorkflowExecutionStarted" in types:
        return [_activity("stamp", "stamp")]
    return [
        {
            "decisionType": "CompleteWorkflowExecution",
            "completeWorkflowExecutionDecisionAttributes": {"result": "stamped"},
        }
    ]


def _charge(context: ActivityContext) -> str:
    if context.activity_id == "charge-1":
        raise ActivityFailed("CardDeclined", "insufficient funds")
    return json.dumps({"charged": True})


def _hotel(context: ActivityContext) -> str:
    raise Hang()


def trip_simulator(*, journal: bool = False) -> Simulator:
    """A Simulator in which the trip family of runs ran to its end.

    With ``journal`` (to save a snapshot) the run calls no Lambda function: a snapshot holds no
    code, so a restored Simulator could not replay the call.
    """
    sim = Simulator(seed=3, journal=journal)
    _register(sim)
    sim.register_lambda("quote", lambda _: '{"eur": 420}', duration=2.0)

    def trip(task: DecisionTask) -> list[dict[str, Any]]:
        decisions = _trip(task)
        if not journal and task.previous_started_event_id == 0:
            decisions.insert(3, _QUOTE)
        return decisions

    sim.decider(DOMAIN, "trip", trip)
    sim.decider(DOMAIN, "visa", _visa)
    sim.activity(DOMAIN, "charge", _charge)
    sim.activity(DOMAIN, "hotel", _hotel)
    sim.activity(DOMAIN, "stamp", lambda _: "ok")
    sim.handle(
        "StartWorkflowExecution",
        {
            "domain": DOMAIN,
            "workflowId": "trip-7",
            "workflowType": {"name": "trip", "version": "1"},
        },
    )
    sim.handle(
        "SignalWorkflowExecution",
        {"domain": DOMAIN, "workflowId": "trip-7", "signalName": "passport-scanned"},
    )
    sim.run()
    return sim
