"""Stand-ins for the processes a trace did not record: the decider and the activity worker.

simpleflow's cassettes hold only its main process's calls; its decider and worker ran in other
processes. Their calls can be read back from the recorded history: each decision from the
events it produced, each activity result from its closing event. The stand-ins send those
calls, so the execution goes through the same events as the recorded one. Used by
``swfsim trace check`` on traces whose header lists ``unrecorded`` roles, and by the server's
fidelity tests over HTTP.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

JsonDict = dict[str, Any]
Send = Callable[[str, JsonDict], Any]  # operation, request -> the answer's JSON (None if empty)

DECISION_OF = {
    "ActivityTaskScheduled": "ScheduleActivityTask",
    "ScheduleActivityTaskFailed": "ScheduleActivityTask",
    "ActivityTaskCancelRequested": "RequestCancelActivityTask",
    "WorkflowExecutionCompleted": "CompleteWorkflowExecution",
    "WorkflowExecutionFailed": "FailWorkflowExecution",
    "WorkflowExecutionCanceled": "CancelWorkflowExecution",
    "MarkerRecorded": "RecordMarker",
    "TimerStarted": "StartTimer",
    "TimerCanceled": "CancelTimer",
    "StartChildWorkflowExecutionInitiated": "StartChildWorkflowExecution",
    "SignalExternalWorkflowExecutionInitiated": "SignalExternalWorkflowExecution",
    "RequestCancelExternalWorkflowExecutionInitiated": "RequestCancelExternalWorkflowExecution",
    "LambdaFunctionScheduled": "ScheduleLambdaFunction",
}
# Event members that are not decision attributes (ids the service fills in).
NOT_DECIDED = {"decisionTaskCompletedEventId", "startedEventId", "cause"}
CHILD_DECISION = {
    "ChildWorkflowExecutionCompleted": ("CompleteWorkflowExecution", ("result",)),
    "ChildWorkflowExecutionFailed": ("FailWorkflowExecution", ("reason", "details")),
    "ChildWorkflowExecutionCanceled": ("CancelWorkflowExecution", ("details",)),
}
CLOSING = {
    "COMPLETED": "CompleteWorkflowExecution",
    "FAILED": "FailWorkflowExecution",
    "CANCELED": "CancelWorkflowExecution",
}
POLLS = 5  # polls a stand-in makes for a task the recorded history says was there


def attributes(event: JsonDict) -> JsonDict:
    """The ``<eventType>EventAttributes`` member of an event."""
    kind = event["eventType"]
    found: JsonDict = event.get(kind[0].lower() + kind[1:] + "EventAttributes", {})
    return found


def decision(kind: str, attrs: JsonDict) -> JsonDict:
    """A decision of type ``kind`` with its attributes."""
    return {"decisionType": kind, kind[0].lower() + kind[1:] + "DecisionAttributes": attrs}


def decision_of(event: JsonDict, run_ids: dict[str, Any]) -> JsonDict:
    """The decision that produced ``event`` (read back from its attributes)."""
    attrs = {k: v for k, v in attributes(event).items() if k not in NOT_DECIDED}
    if event["eventType"] == "ScheduleActivityTaskFailed":
        attrs = {"activityType": attrs["activityType"], "activityId": attrs["activityId"]}
    if "runId" in attrs:
        attrs["runId"] = run_ids.get(attrs["runId"], attrs["runId"])
    return decision(DECISION_OF[event["eventType"]], attrs)


def recorded_history(answers: list[tuple[str, Any]]) -> list[JsonDict]:
    """The events of the first GetWorkflowExecutionHistory answer among ``(operation, body)``."""
    for operation, body in answers:
        if operation == "GetWorkflowExecutionHistory" and body:
            events: list[JsonDict] = body["events"]
            return events
    return []


def register(send: Send, described: JsonDict, domain: str, events: list[JsonDict]) -> None:
    """Register what the trace's account had: its domain, the workflow type described
    (``described`` is a DescribeWorkflowType answer), and the activity and child types the
    history uses."""
    send("RegisterDomain", {"name": domain, "workflowExecutionRetentionPeriodInDays": "1"})
    workflow_type = described["typeInfo"]["workflowType"]
    send("RegisterWorkflowType", {"domain": domain, **workflow_type, **described["configuration"]})
    seen = {(workflow_type["name"], workflow_type["version"], "RegisterWorkflowType")}
    for event in events:
        attrs = attributes(event)
        if event["eventType"] == "ActivityTaskScheduled":
            kind, operation = attrs["activityType"], "RegisterActivityType"
        elif event["eventType"] == "StartChildWorkflowExecutionInitiated":
            kind, operation = attrs["workflowType"], "RegisterWorkflowType"
        else:
            continue
        if (kind["name"], kind["version"], operation) not in seen:
            seen.add((kind["name"], kind["version"], operation))
            send(operation, {"domain": domain, **kind})


@dataclass
class StandIns:
    """Plays one recorded execution's decider and worker, event by event.

    ``run_ids`` maps recorded run ids (or their aliases) to ours; the caller fills in the
    started run's, the stand-ins those of children.
    """

    send: Send
    domain: str
    workflow_id: str
    events: list[JsonDict]
    recorded_run_id: str = ""
    done: int = 0  # how many recorded events have been played
    run_ids: dict[str, Any] = field(default_factory=dict)
    decision_tokens: dict[str, str] = field(default_factory=dict)  # workflowId -> token
    activity_tokens: dict[str, str] = field(default_factory=dict)  # activityId -> token
    stashed: dict[str, JsonDict] = field(default_factory=dict)  # workflowId -> task

    def before(self, operation: str, recorded: Any, sent_seconds: float) -> None:
        """Play what had happened when the main process made this call: everything before a
        history or a closed description, the events older than the call otherwise."""
        if operation == "GetWorkflowExecutionHistory":
            self.play_until(len(self.events))
        elif operation == "DescribeWorkflowExecution" and recorded:
            info = recorded["executionInfo"]
            if info["executionStatus"] == "CLOSED" and not self.events:
                self.close_unrecorded(info["closeStatus"])
            elif info["executionStatus"] == "CLOSED":
                self.play_until(len(self.events))
            else:
                older = [e for e in self.events if e["eventTimestamp"] < sent_seconds]
                self.play_until(len(older))

    def play_until(self, count: int) -> None:
        """Play the recorded events up to the ``count``-th."""
        while self.done < min(count, len(self.events)):
            self.play(self.events[self.done])
            self.done += 1

    def poll_decision(self, task_list: str, workflow_id: str, identity: str | None) -> str:
        """The token of the next decision task of ``workflow_id``."""
        for _ in range(POLLS):
            if workflow_id in self.stashed:
                return str(self.stashed.pop(workflow_id)["taskToken"])
            task = self.send("PollForDecisionTask", self._poll(task_list, identity))
            if task and task.get("taskToken"):
                self.stashed[task["workflowExecution"]["workflowId"]] = task
        raise AssertionError(f"no decision task for {workflow_id} on {task_list}")

    def poll_activity(self, task_list: str, activity_id: str, identity: str | None) -> None:
        """Poll until the task of ``activity_id`` is held."""
        for _ in range(POLLS):
            if activity_id in self.activity_tokens:
                return
            task = self.send("PollForActivityTask", self._poll(task_list, identity))
            if task and task.get("taskToken"):
                self.activity_tokens[task["activityId"]] = task["taskToken"]
        raise AssertionError(f"no activity task {activity_id} on {task_list}")

    def _poll(self, task_list: str, identity: str | None) -> JsonDict:
        params: JsonDict = {"domain": self.domain, "taskList": {"name": task_list}}
        if identity is not None:
            params["identity"] = identity
        return params

    def play(self, event: JsonDict) -> None:
        """Send the call of the decider or worker that produced ``event``, if any."""
        kind, attrs = event["eventType"], attributes(event)
        if kind == "DecisionTaskStarted":
            scheduled = attributes(self.by_id(attrs["scheduledEventId"]))
            self.decision_tokens[self.workflow_id] = self.poll_decision(
                scheduled["taskList"]["name"], self.workflow_id, attrs.get("identity")
            )
        elif kind == "DecisionTaskCompleted":
            self._decide(event, attrs)
        elif kind == "ActivityTaskStarted":
            scheduled = attributes(self.by_id(attrs["scheduledEventId"]))
            self.poll_activity(
                scheduled["taskList"]["name"], scheduled["activityId"], attrs.get("identity")
            )
        elif kind in ("ActivityTaskCompleted", "ActivityTaskFailed", "ActivityTaskCanceled"):
            activity_id = attributes(self.by_id(attrs["scheduledEventId"]))["activityId"]
            params = {k: v for k, v in attrs.items() if k in ("result", "reason", "details")}
            params["taskToken"] = self.activity_tokens.pop(activity_id)
            self.send("Respond" + kind, params)
        elif kind in ("WorkflowExecutionSignaled", "WorkflowExecutionCancelRequested"):
            self._external(kind, attrs)
        elif kind == "ChildWorkflowExecutionStarted":
            ours = self.last_event_of(kind)["workflowExecution"]
            self.run_ids[attrs["workflowExecution"]["runId"]] = ours["runId"]
        elif kind in CHILD_DECISION:
            self._close_child(kind, attrs)

    def by_id(self, event_id: int) -> JsonDict:
        """The recorded event of that id."""
        return self.events[event_id - 1]

    def _decide(self, event: JsonDict, attrs: JsonDict) -> None:
        decisions = [
            decision_of(later, self.run_ids)
            for later in self.events[event["eventId"] :]
            if later["eventType"] in DECISION_OF
            and attributes(later).get("decisionTaskCompletedEventId") == event["eventId"]
        ]
        params = {"taskToken": self.decision_tokens.pop(self.workflow_id), "decisions": decisions}
        if "executionContext" in attrs:
            params["executionContext"] = attrs["executionContext"]
        self.send("RespondDecisionTaskCompleted", params)

    def _external(self, kind: str, attrs: JsonDict) -> None:
        if attrs.get("externalInitiatedEventId"):
            return  # sent by a decision, which its stand-in made
        target = {"domain": self.domain, "workflowId": self.workflow_id}
        if kind == "WorkflowExecutionSignaled":
            params = {k: v for k, v in attrs.items() if k in ("signalName", "input")}
            self.send("SignalWorkflowExecution", {**target, **params})
        else:
            self.send("RequestCancelWorkflowExecution", target)

    def _close_child(self, kind: str, attrs: JsonDict) -> None:
        # The child's decider was not recorded: close the child as its parent saw it close.
        closing, members = CHILD_DECISION[kind]
        initiated = attributes(self.by_id(attrs["initiatedEventId"]))
        child_id = attrs["workflowExecution"]["workflowId"]
        token = self.poll_decision(initiated["taskList"]["name"], child_id, None)
        outcome = {k: v for k, v in attrs.items() if k in members}
        self.send(
            "RespondDecisionTaskCompleted",
            {"taskToken": token, "decisions": [decision(closing, outcome)]},
        )

    def close_unrecorded(self, close_status: str) -> None:
        """Close the run as its description says it closed, with one decision (for traces
        that recorded no history)."""
        task_list = self.send("DescribeWorkflowExecution", self._execution())[
            "executionConfiguration"
        ]["taskList"]["name"]
        token = self.poll_decision(task_list, self.workflow_id, None)
        self.send(
            "RespondDecisionTaskCompleted",
            {"taskToken": token, "decisions": [decision(CLOSING[close_status], {})]},
        )

    def last_event_of(self, kind: str) -> JsonDict:
        """The attributes of our run's last event of that type."""
        params = {**self._execution(), "reverseOrder": True}
        events = self.send("GetWorkflowExecutionHistory", params)["events"]
        return next(attributes(e) for e in events if e["eventType"] == kind)

    def _execution(self) -> JsonDict:
        run_id = self.run_ids[self.recorded_run_id]
        return {
            "domain": self.domain,
            "execution": {"workflowId": self.workflow_id, "runId": run_id},
        }
