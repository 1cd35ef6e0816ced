"""The decider: charge the order, retry a charge that failed or timed out, then complete."""

from __future__ import annotations

from typing import Any

from shopflow.workflow import CHARGE, DECISIONS, DOMAIN

MAX_ATTEMPTS = 3
_CLOSED = ("ActivityTaskCompleted", "ActivityTaskFailed", "ActivityTaskTimedOut")


def decisions_for(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What to decide, given the run's whole history."""
    started = events[0]["workflowExecutionStartedEventAttributes"]
    attempts = sum(1 for event in events if event["eventType"] == "ActivityTaskScheduled")
    closed = [event for event in events if event["eventType"] in _CLOSED]
    if attempts == 0:
        return [_charge(started.get("input"), 1)]
    if len(closed) < attempts:
        return []  # the charge is still running
    last = closed[-1]
    if last["eventType"] == "ActivityTaskCompleted":
        result = last["activityTaskCompletedEventAttributes"].get("result")
        return [_close("CompleteWorkflowExecution", result=result)]
    if attempts < MAX_ATTEMPTS:
        return [_charge(started.get("input"), attempts + 1)]
    return [_close("FailWorkflowExecution", reason=f"charge failed {attempts} times")]


def decide_once(swf: Any) -> bool:
    """Poll one decision task and answer it; False if the poll came back empty."""
    task = swf.poll_for_decision_task(domain=DOMAIN, taskList=DECISIONS)
    if not task.get("taskToken"):
        return False
    events = list(task["events"])
    while task.get("nextPageToken"):
        task = swf.poll_for_decision_task(
            domain=DOMAIN, taskList=DECISIONS, nextPageToken=task["nextPageToken"]
        )
        events.extend(task["events"])
    swf.respond_decision_task_completed(
        taskToken=task["taskToken"], decisions=decisions_for(events)
    )
    return True


def _charge(order: str | None, attempt: int) -> dict[str, Any]:
    attributes: dict[str, Any] = {"activityId": f"charge-{attempt}", "activityType": CHARGE}
    if order is not None:
        attributes["input"] = order
    return {
        "decisionType": "ScheduleActivityTask",
        "scheduleActivityTaskDecisionAttributes": attributes,
    }


def _close(decision_type: str, **attributes: Any) -> dict[str, Any]:
    key = decision_type[0].lower() + decision_type[1:] + "DecisionAttributes"
    present = {name: value for name, value in attributes.items() if value is not None}
    return {"decisionType": decision_type, key: present}
