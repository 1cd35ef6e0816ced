"""SWF's hard limit of 25,000 events per history ends the run with EVENT_LIMIT_EXCEEDED."""

from __future__ import annotations

from swfsim import Simulator
from swfsim.model.history import MAX_EVENTS

DOMAIN = "limits"


def _setup(sim: Simulator) -> None:
    sim.handle("RegisterDomain", {"name": DOMAIN, "workflowExecutionRetentionPeriodInDays": "1"})
    sim.handle(
        "RegisterWorkflowType",
        {
            "domain": DOMAIN,
            "name": "chatty",
            "version": "1",
            "defaultTaskList": {"name": "L"},
            "defaultExecutionStartToCloseTimeout": "86400",
            "defaultTaskStartToCloseTimeout": "60",
            "defaultChildPolicy": "TERMINATE",
        },
    )
    sim.handle(
        "StartWorkflowExecution",
        {
            "domain": DOMAIN,
            "workflowId": "chatty",
            "workflowType": {"name": "chatty", "version": "1"},
        },
    )


def _record_markers(sim: Simulator, count: int, *, then_signal: bool = True) -> None:
    task = sim.handle("PollForDecisionTask", {"domain": DOMAIN, "taskList": {"name": "L"}})
    markers = [
        {"decisionType": "RecordMarker", "recordMarkerDecisionAttributes": {"markerName": "m"}}
    ] * count
    sim.handle(
        "RespondDecisionTaskCompleted", {"taskToken": task["taskToken"], "decisions": markers}
    )
    if then_signal:
        sim.handle(
            "SignalWorkflowExecution",
            {"domain": DOMAIN, "workflowId": "chatty", "signalName": "more"},
        )


def test_the_25000th_event_terminates_the_run() -> None:
    sim = Simulator(seed=4)
    _setup(sim)
    while len(sim.history(DOMAIN, "chatty")) < MAX_EVENTS - 1000:
        _record_markers(sim, 995)
    _record_markers(sim, 1000, then_signal=False)  # overflows in the middle of the batch
    events = sim.history(DOMAIN, "chatty")
    assert len(events) == MAX_EVENTS
    last = events[-1]
    assert last["eventType"] == "WorkflowExecutionTerminated"
    assert last["workflowExecutionTerminatedEventAttributes"] == {
        "childPolicy": "TERMINATE",
        "cause": "EVENT_LIMIT_EXCEEDED",
    }
    assert events[-2]["eventType"] == "MarkerRecorded"
    poll = sim.handle("PollForDecisionTask", {"domain": DOMAIN, "taskList": {"name": "L"}})
    assert "taskToken" not in poll
