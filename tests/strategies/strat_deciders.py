"""Small deciders for the strategy tests: correct ones, and ones with a seeded ordering bug."""

from __future__ import annotations

from typing import Any

JsonDict = dict[str, Any]
CLOSING_ACTIVITY_EVENTS = ("ActivityTaskFailed", "ActivityTaskTimedOut", "ActivityTaskCanceled")


def schedule(activity_id: str, name: str = "work", input: str | None = None) -> JsonDict:
    attributes: JsonDict = {
        "activityId": activity_id,
        "activityType": {"name": name, "version": "1"},
    }
    if input is not None:
        attributes["input"] = input
    return {
        "decisionType": "ScheduleActivityTask",
        "scheduleActivityTaskDecisionAttributes": attributes,
    }


def complete(result: str | None = None) -> JsonDict:
    attributes = {} if result is None else {"result": result}
    return {
        "decisionType": "CompleteWorkflowExecution",
        "completeWorkflowExecutionDecisionAttributes": attributes,
    }


def fail(reason: str) -> JsonDict:
    return {
        "decisionType": "FailWorkflowExecution",
        "failWorkflowExecutionDecisionAttributes": {"reason": reason},
    }


def types(events: list[JsonDict]) -> list[str]:
    return [event["eventType"] for event in events]


def new_events(task: JsonDict) -> list[JsonDict]:
    return list(task["events"][task["previousStartedEventId"] :])


def one_activity(task: JsonDict) -> list[JsonDict]:
    """Correct: one activity; complete with its result, fail if it fails or times out."""
    seen = types(task["events"])
    if "ActivityTaskCompleted" in seen:
        return [complete("done")]
    if any(kind in seen for kind in CLOSING_ACTIVITY_EVENTS):
        return [fail("the activity did not complete")]
    if "ActivityTaskScheduled" in seen:
        return []
    return [schedule("a1")]


def ignores_timeouts(task: JsonDict) -> list[JsonDict]:
    """Bug: handles the activity's completion and failure, forgets that it can time out."""
    seen = types(task["events"])
    if "ActivityTaskCompleted" in seen:
        return [complete("done")]
    if "ActivityTaskFailed" in seen:
        return [fail("the activity failed")]
    if "ActivityTaskScheduled" in seen:
        return []
    return [schedule("a1")]


def ignores_timeouts_after_a_timer(task: JsonDict) -> list[JsonDict]:
    """ignores_timeouts, edited: a 0-second timer first, so one decision task more."""
    seen = types(task["events"])
    if "TimerFired" in seen:
        return ignores_timeouts(task)
    if "TimerStarted" in seen:
        return []
    attributes = {"timerId": "settle", "startToFireTimeout": "0"}
    return [{"decisionType": "StartTimer", "startTimerDecisionAttributes": attributes}]


def reads_only_new_events(task: JsonDict) -> list[JsonDict]:
    """Bug: decides from the events since its last decision task only. A signal that arrives
    while it completes the run makes SWF refuse the completion (UNHANDLED_DECISION), and the
    next task's new events no longer show the activity's completion: the run never closes."""
    if task["previousStartedEventId"] == 0:
        return [schedule("a1")]
    fresh = types(new_events(task))
    if "ActivityTaskCompleted" in fresh:
        return [complete("done")]
    if any(kind in fresh for kind in CLOSING_ACTIVITY_EVENTS):
        return [fail("the activity did not complete")]
    return []


def whole_history(task: JsonDict) -> list[JsonDict]:
    """Correct: the same workflow as reads_only_new_events, deciding from the whole history."""
    return one_activity(task)


def two_activities_fifo(task: JsonDict) -> list[JsonDict]:
    """Bug: schedules a1 and a2 at once, and takes the first result to be a1's."""
    events = task["events"]
    if task["previousStartedEventId"] == 0:
        return [schedule("a1", input="A"), schedule("a2", input="B")]
    if any(kind in types(events) for kind in CLOSING_ACTIVITY_EVENTS):
        return [fail("an activity did not complete")]
    results = [
        event["activityTaskCompletedEventAttributes"].get("result")
        for event in events
        if event["eventType"] == "ActivityTaskCompleted"
    ]
    if len(results) < 2:
        return []
    first, second = results  # assumes a1 completes first
    return [complete(f"a1={first} a2={second}")]


def two_activities(task: JsonDict) -> list[JsonDict]:
    """Correct: two activities at once, results matched to activities through their events."""
    events = task["events"]
    if task["previousStartedEventId"] == 0:
        return [schedule("a1", input="A"), schedule("a2", input="B")]
    if any(kind in types(events) for kind in CLOSING_ACTIVITY_EVENTS):
        return [fail("an activity did not complete")]
    scheduled = {
        event["eventId"]: event["activityTaskScheduledEventAttributes"]["activityId"]
        for event in events
        if event["eventType"] == "ActivityTaskScheduled"
    }
    results = {
        scheduled[event["activityTaskCompletedEventAttributes"]["scheduledEventId"]]: event[
            "activityTaskCompletedEventAttributes"
        ].get("result")
        for event in events
        if event["eventType"] == "ActivityTaskCompleted"
    }
    if len(results) < 2:
        return []
    return [complete(f"a1={results['a1']} a2={results['a2']}")]


def echo(value: str | None) -> str | None:
    """An activity: returns its input."""
    return value
