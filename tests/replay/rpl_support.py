"""What the replay tests share: the real histories in fixtures/, and a small run to export."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

import swfsim
from swfsim.model.decisions import attributes_member as decision_member
from swfsim.replay import Decider, History, recorded_decision

ROOT = Path(__file__).resolve().parents[2]
REAL_HISTORIES = ROOT / "fixtures" / "real-aws" / "histories"
REAL_FILES = sorted(REAL_HISTORIES.glob("*.json"))
DOMAIN = "replay"
WORKFLOW = {"name": "greeter", "version": "1"}
ACTIVITY = {"name": "greet", "version": "1"}
JsonDict = dict[str, Any]


def swf_client() -> Any:
    """A boto3 SWF client with an explicit region and no retries (answered by mock_swf)."""
    return boto3.client(
        "swf", region_name="us-east-1", config=Config(retries={"total_max_attempts": 1})
    )


def register(swf: Any) -> None:
    """The domain and the two types the small run uses."""
    swf.register_domain(name=DOMAIN, workflowExecutionRetentionPeriodInDays="1")
    swf.register_workflow_type(
        domain=DOMAIN,
        **WORKFLOW,
        defaultTaskList={"name": "deciders"},
        defaultExecutionStartToCloseTimeout="3600",
        defaultTaskStartToCloseTimeout="60",
        defaultChildPolicy="TERMINATE",
    )
    swf.register_activity_type(
        domain=DOMAIN,
        **ACTIVITY,
        defaultTaskList={"name": "workers"},
        defaultTaskScheduleToStartTimeout="300",
        defaultTaskScheduleToCloseTimeout="600",
        defaultTaskStartToCloseTimeout="300",
        defaultTaskHeartbeatTimeout="NONE",
    )


def greeter(task: JsonDict) -> list[JsonDict]:
    """A boto3 decider: greet once, wait a minute, then complete with the greeting."""
    done = [e for e in task["events"] if e["eventType"] == "ActivityTaskCompleted"]
    fired = [e for e in task["events"] if e["eventType"] == "TimerFired"]
    if not done:
        started = task["events"][0]["workflowExecutionStartedEventAttributes"]
        return [
            {
                "decisionType": "ScheduleActivityTask",
                "scheduleActivityTaskDecisionAttributes": {
                    "activityType": ACTIVITY,
                    "activityId": "greet-1",
                    "input": started.get("input", ""),
                },
            }
        ]
    if not fired:
        return [
            {
                "decisionType": "StartTimer",
                "startTimerDecisionAttributes": {"timerId": "pause", "startToFireTimeout": "60"},
            }
        ]
    result = done[0]["activityTaskCompletedEventAttributes"]["result"]
    return [
        {
            "decisionType": "CompleteWorkflowExecution",
            "completeWorkflowExecutionDecisionAttributes": {"result": result},
        }
    ]


def run_greeter(sim: swfsim.Simulator, swf: Any, workflow_id: str = "greet-ada") -> JsonDict:
    """Run the greeter to completion through ``swf`` (a client mock_swf answers from ``sim``)."""
    run_id = swf.start_workflow_execution(
        domain=DOMAIN, workflowId=workflow_id, workflowType=WORKFLOW, input="Ada"
    )["runId"]
    while True:
        task = swf.poll_for_decision_task(domain=DOMAIN, taskList={"name": "deciders"})
        decisions = greeter(task)
        swf.respond_decision_task_completed(taskToken=task["taskToken"], decisions=decisions)
        if decisions[0]["decisionType"] == "CompleteWorkflowExecution":
            return {"workflowId": workflow_id, "runId": run_id}
        if decisions[0]["decisionType"] == "StartTimer":
            sim.clock.advance(60)
            continue
        work = swf.poll_for_activity_task(domain=DOMAIN, taskList={"name": "workers"})
        sim.clock.advance(2)
        swf.respond_activity_task_completed(
            taskToken=work["taskToken"], result=f"Hello, {work['input']}!"
        )


def events_of(path: Path) -> list[JsonDict]:
    """A deep copy of a real history's events, to break."""
    return copy.deepcopy(json.loads(path.read_text())["events"])


def oracle(history: History, *, with_defaults: bool = False) -> Decider:
    """A decider that answers each task with the decisions ``history`` recorded for it.

    By default it leaves out what SWF fills in from the types' defaults (as a decider relying
    on them does); ``with_defaults`` sends every recorded attribute.
    """
    tasks = {task.started_id: task for task in history.decision_tasks}

    def decide(task: JsonDict) -> JsonDict:
        span = tasks[task["startedEventId"]]
        decisions = []
        for event_id in span.decision_ids:
            recorded = recorded_decision(history.event(event_id))
            attrs = {
                name: value
                for name, value in recorded.attributes.items()
                if with_defaults or name not in recorded.defaulted
            }
            key = decision_member(recorded.decision_type)
            decisions.append({"decisionType": recorded.decision_type, key: attrs})
        answer: JsonDict = {"decisions": decisions}
        context = history.attributes(span.closed_id or 0).get("executionContext")
        if context is not None:
            answer["executionContext"] = context
        return answer

    return decide
