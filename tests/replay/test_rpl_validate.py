"""validate_history: real and simulated histories pass; each broken rule is reported with the
event that breaks it, and nothing else."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rpl_support import DOMAIN, REAL_FILES, REAL_HISTORIES, JsonDict, events_of

import swfsim
from swfsim import spec
from swfsim.model.history import attributes_member
from swfsim.replay import _references, validate_history

TIMERS = REAL_HISTORIES / "simpleflow__test_timer_and_cancel.json"
Events = list[JsonDict]


@pytest.mark.parametrize("path", REAL_FILES, ids=lambda path: path.stem)
def test_every_real_history_is_valid(path: Path) -> None:
    assert validate_history(path) == []


def test_a_simulated_history_is_valid(sim: swfsim.Simulator, greeted: JsonDict) -> None:
    assert validate_history(sim.history(DOMAIN, greeted["workflowId"])) == []


def test_every_event_link_of_the_model_is_checked() -> None:
    history_event = spec.structure("HistoryEvent")
    for event_type in spec.event_types():
        shape: Any = history_event.members[attributes_member(event_type)]
        links = {m for m in shape.members if m.endswith("EventId")}
        checked = set(_references.targets(event_type)) | _references.EXTERNAL_REFERENCES
        assert links <= checked, event_type


def history(*events: tuple[str, JsonDict]) -> Events:
    """A history of the given (type, attributes) events, ids from 1, one second apart."""
    return [
        {
            "eventId": number,
            "eventTimestamp": 1_700_000_000.0 + number,
            "eventType": event_type,
            attributes_member(event_type): attrs,
        }
        for number, (event_type, attrs) in enumerate(events, start=1)
    ]


STARTED = (
    "WorkflowExecutionStarted",
    {
        "workflowType": {"name": "w", "version": "1"},
        "taskList": {"name": "l"},
        "childPolicy": "TERMINATE",
        "parentInitiatedEventId": 0,
    },
)
SCHEDULED = ("DecisionTaskScheduled", {"taskList": {"name": "l"}})


def started(scheduled: int) -> tuple[str, JsonDict]:
    return ("DecisionTaskStarted", {"scheduledEventId": scheduled})


def completed(scheduled: int, started: int) -> tuple[str, JsonDict]:
    return ("DecisionTaskCompleted", {"scheduledEventId": scheduled, "startedEventId": started})


DECIDED = (STARTED, SCHEDULED, started(2), completed(2, 3))  # events 1-4


def activity(name: str, event_type: str = "ActivityTaskScheduled", **links: int) -> Any:
    if event_type == "ActivityTaskScheduled":
        return (
            event_type,
            {
                "activityId": name,
                "activityType": {"name": "a", "version": "1"},
                "taskList": {"name": "l"},
                "decisionTaskCompletedEventId": 4,
            },
        )
    return (event_type, dict(links))


def timer(event_type: str, timer_id: str, **links: int) -> tuple[str, JsonDict]:
    return (event_type, {"timerId": timer_id, **links})


def child(event_type: str, **links: int) -> tuple[str, JsonDict]:
    run = {"workflowId": "kid", "runId": "r"}
    if event_type == "StartChildWorkflowExecutionInitiated":
        return (
            event_type,
            {"workflowId": "kid", "workflowType": {"name": "w", "version": "1"}, **links},
        )
    return (
        event_type,
        {"workflowExecution": run, "workflowType": {"name": "w", "version": "1"}, **links},
    )


BROKEN: dict[str, tuple[Events, list[str]]] = {
    "a second decision task scheduled": (
        history(STARTED, SCHEDULED, SCHEDULED),
        [
            (
                "event 3 (DecisionTaskScheduled): a decision task is already scheduled (event"
                " 2) and not yet started"
            )
        ],
    ),
    "a decision task started while another is open": (
        history(STARTED, SCHEDULED, started(2), SCHEDULED, started(4)),
        ["event 5 (DecisionTaskStarted): the decision task started by event 3 is still open"],
    ),
    "a decision task completed that is not the started one": (
        history(STARTED, SCHEDULED, started(2), completed(2, 2)),
        [
            (
                "event 4 (DecisionTaskCompleted): startedEventId must name a "
                "DecisionTaskStarted event, not event 2 (DecisionTaskScheduled)"
            )
        ],
    ),
    "a decision task started that was not scheduled": (
        history(STARTED, started(1)),
        [
            (
                "event 2 (DecisionTaskStarted): scheduledEventId must name a "
                "DecisionTaskScheduled event, not event 1 (WorkflowExecutionStarted)"
            )
        ],
    ),
    "a decision without its DecisionTaskCompleted": (
        history(
            STARTED,
            SCHEDULED,
            started(2),
            ("MarkerRecorded", {"markerName": "m", "decisionTaskCompletedEventId": 3}),
        ),
        [
            (
                "event 4 (MarkerRecorded): decisionTaskCompletedEventId must name a "
                "DecisionTaskCompleted event, not event 3 (DecisionTaskStarted)"
            )
        ],
    ),
    "an activity started twice": (
        history(
            *DECIDED,
            activity("a1"),
            activity("", "ActivityTaskStarted", scheduledEventId=5),
            activity("", "ActivityTaskStarted", scheduledEventId=5),
        ),
        [
            (
                "event 7 (ActivityTaskStarted): the activity task scheduled at event 5 "
                "already started (event 6)"
            )
        ],
    ),
    "an activity closed twice": (
        history(
            *DECIDED,
            activity("a1"),
            activity("", "ActivityTaskStarted", scheduledEventId=5),
            activity("", "ActivityTaskCompleted", scheduledEventId=5, startedEventId=6),
            activity("", "ActivityTaskFailed", scheduledEventId=5, startedEventId=6),
        ),
        [
            (
                "event 8 (ActivityTaskFailed): the activity task scheduled at event 5 already"
                " closed (event 7)"
            )
        ],
    ),
    "an activity id in use": (
        history(*DECIDED, activity("a1"), activity("a1")),
        [
            (
                "event 6 (ActivityTaskScheduled): activityId 'a1' is in use by the open "
                "activity task scheduled at event 5"
            )
        ],
    ),
    "an activity closed with another one's start": (
        history(
            *DECIDED,
            activity("a1"),
            activity("a2"),
            activity("", "ActivityTaskStarted", scheduledEventId=5),
            activity("", "ActivityTaskStarted", scheduledEventId=6),
            activity("", "ActivityTaskCompleted", scheduledEventId=5, startedEventId=8),
            activity("", "ActivityTaskTimedOut", scheduledEventId=6, startedEventId=0),
        ),
        [
            (
                "event 9 (ActivityTaskCompleted): startedEventId is 8, but the activity task "
                "scheduled at event 5 started at event 7"
            ),
            (
                "event 10 (ActivityTaskTimedOut): startedEventId is 0, but the activity task "
                "scheduled at event 6 started at event 8"
            ),
        ],
    ),
    "an activity that times out before it starts": (
        history(
            *DECIDED,
            activity("a1"),
            (
                "ActivityTaskTimedOut",
                {"scheduledEventId": 5, "startedEventId": 0, "timeoutType": "SCHEDULE_TO_START"},
            ),
        ),
        [],
    ),
    "a cancel request for no open activity": (
        history(
            *DECIDED,
            (
                "ActivityTaskCancelRequested",
                {"activityId": "a9", "decisionTaskCompletedEventId": 4},
            ),
        ),
        ["event 5 (ActivityTaskCancelRequested): no open activity task has activityId 'a9'"],
    ),
    "a timer id in use": (
        history(
            *DECIDED,
            timer("TimerStarted", "t", decisionTaskCompletedEventId=4),
            timer("TimerStarted", "t", decisionTaskCompletedEventId=4),
        ),
        ["event 6 (TimerStarted): timerId 't' is in use by the timer started at event 5"],
    ),
    "a timer fired twice": (
        history(
            *DECIDED,
            timer("TimerStarted", "t", decisionTaskCompletedEventId=4),
            timer("TimerFired", "t", startedEventId=5),
            timer("TimerFired", "t", startedEventId=5),
        ),
        ["event 7 (TimerFired): no open timer has timerId 't'"],
    ),
    "a child started twice and closed without its start": (
        history(
            *DECIDED,
            child("StartChildWorkflowExecutionInitiated", decisionTaskCompletedEventId=4),
            child("ChildWorkflowExecutionStarted", initiatedEventId=5),
            child("ChildWorkflowExecutionStarted", initiatedEventId=5),
            child("ChildWorkflowExecutionCompleted", initiatedEventId=5, startedEventId=7),
        ),
        [
            (
                "event 7 (ChildWorkflowExecutionStarted): the child initiated at event 5 "
                "already started (event 6)"
            ),
            (
                "event 8 (ChildWorkflowExecutionCompleted): startedEventId is 7, but the "
                "child initiated at event 5 started at event 6"
            ),
        ],
    ),
    "a signal acknowledged twice": (
        history(
            *DECIDED,
            (
                "SignalExternalWorkflowExecutionInitiated",
                {"workflowId": "x", "signalName": "s", "decisionTaskCompletedEventId": 4},
            ),
            (
                "ExternalWorkflowExecutionSignaled",
                {"workflowExecution": {"workflowId": "x", "runId": "r"}, "initiatedEventId": 5},
            ),
            (
                "SignalExternalWorkflowExecutionFailed",
                {
                    "workflowId": "x",
                    "cause": "UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION",
                    "initiatedEventId": 5,
                    "decisionTaskCompletedEventId": 4,
                },
            ),
        ),
        [
            (
                "event 7 (SignalExternalWorkflowExecutionFailed): the request initiated at "
                "event 5 was already answered (event 6)"
            )
        ],
    ),
    "a Lambda task that failed to start after it started": (
        history(
            *DECIDED,
            (
                "LambdaFunctionScheduled",
                {"id": "f1", "name": "f", "decisionTaskCompletedEventId": 4},
            ),
            ("LambdaFunctionStarted", {"scheduledEventId": 5}),
            ("StartLambdaFunctionFailed", {"scheduledEventId": 5, "cause": "ASSUME_ROLE_FAILED"}),
        ),
        [
            (
                "event 7 (StartLambdaFunctionFailed): the Lambda task scheduled at event 5 "
                "already started (event 6): it cannot fail to start"
            )
        ],
    ),
}


def signal_after(last: JsonDict) -> JsonDict:
    return {
        "eventId": last["eventId"] + 1,
        "eventTimestamp": last["eventTimestamp"] + 1,
        "eventType": "WorkflowExecutionSignaled",
        "workflowExecutionSignaledEventAttributes": {"signalName": "late"},
    }


def real(change: Any) -> Events:
    events = events_of(TIMERS)
    change(events)
    return events


BROKEN_REAL: dict[str, tuple[Events, list[str]]] = {
    "a gap in the ids": (
        real(lambda e: e[9].update(eventId=11)),
        [
            (
                "event 11 (DecisionTaskCompleted): event ids must run 1, 2, 3, ... without "
                "gaps: event 10 has id 11"
            ),
            (
                "event 11 (TimerCanceled): decisionTaskCompletedEventId 10 does not name an "
                "earlier event"
            ),
            (
                "event 12 (TimerStarted): decisionTaskCompletedEventId 10 does not name an "
                "earlier event"
            ),
        ],
    ),
    "time going back": (
        real(lambda e: e[6].update(eventTimestamp=e[6]["eventTimestamp"] - 5)),
        [
            (
                "event 7 (TimerFired): eventTimestamp 2017-04-17T15:45:59.038Z is earlier "
                "than event 6's (2017-04-17T15:46:02.037Z)"
            )
        ],
    ),
    "an event after the close": (
        real(lambda e: e.append(signal_after(e[-1]))),
        [
            (
                "event 18 (WorkflowExecutionSignaled): follows the closing event 17 "
                "(WorkflowExecutionCompleted); nothing is recorded after a run closes"
            )
        ],
    ),
    "a link to a later event": (
        real(lambda e: e[6]["timerFiredEventAttributes"].update(startedEventId=12)),
        ["event 7 (TimerFired): startedEventId 12 does not name an earlier event"],
    ),
    "a link to the wrong event type": (
        real(lambda e: e[6]["timerFiredEventAttributes"].update(startedEventId=4)),
        [
            (
                "event 7 (TimerFired): startedEventId must name a TimerStarted event, not "
                "event 4 (DecisionTaskCompleted)"
            )
        ],
    ),
    "a missing link": (
        real(lambda e: e[9]["decisionTaskCompletedEventAttributes"].pop("startedEventId")),
        ["event 10 (DecisionTaskCompleted): startedEventId is missing"],
    ),
    "no WorkflowExecutionStarted first": (
        real(lambda e: e.pop(0)),
        [
            (
                "event 2 (DecisionTaskScheduled): event ids must run 1, 2, 3, ... without "
                "gaps: event 1 has id 2"
            ),
            (
                "event 2 (DecisionTaskScheduled): a history starts with "
                "WorkflowExecutionStarted, and has only that one"
            ),
        ],
    ),
}


@pytest.mark.parametrize(
    ("events", "problems"), [*BROKEN.values(), *BROKEN_REAL.values()], ids=[*BROKEN, *BROKEN_REAL]
)
def test_a_broken_rule_is_reported_with_its_event(events: Events, problems: list[str]) -> None:
    assert validate_history(events) == problems


def test_a_waiting_decision_task_may_wait_while_another_is_started() -> None:
    events = history(
        STARTED, SCHEDULED, started(2), SCHEDULED, completed(2, 3), started(4), completed(4, 6)
    )
    assert validate_history(events) == []


def test_problems_name_their_event() -> None:
    (problem,) = validate_history(history(STARTED, SCHEDULED, SCHEDULED))
    assert problem.event_id == 3
    assert problem.startswith("event 3 (DecisionTaskScheduled): ")


def test_an_activity_id_is_free_again_once_its_task_was_canceled() -> None:
    events = history(
        *DECIDED,
        activity("a1"),
        ("ActivityTaskCancelRequested", {"activityId": "a1", "decisionTaskCompletedEventId": 4}),
        activity("a1", "ActivityTaskStarted", scheduledEventId=5),
        activity("a1", "ActivityTaskCanceled", scheduledEventId=5, startedEventId=7),
        activity("a1"),
    )
    assert validate_history(events) == []
