"""Helpers of the plugin suite: paths, a small order workflow driven through boto3, and a
bounded run of Python in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "fixtures" / "scenarios"
DOWNSTREAM = ROOT / "examples" / "downstream"

DOMAIN = "shop"
WORKFLOW = {"name": "order", "version": "1"}
ACTIVITY = {"name": "charge", "version": "1"}
# What @pytest.mark.swf registers: task lists named after the types.
DECISIONS = {"name": "order"}
ACTIVITIES = {"name": "charge"}
SHOP = {
    "domains": [DOMAIN],
    "workflow_types": ["order"],
    "activity_types": [{"name": "charge", "defaultTaskHeartbeatTimeout": "60"}],
}
SUBPROCESS_SECONDS = 60


def start(swf: Any, workflow_id: str = "order-1", **extra: Any) -> str:
    """Start an order; returns its run id."""
    response = swf.start_workflow_execution(
        domain=DOMAIN, workflowId=workflow_id, workflowType=WORKFLOW, **extra
    )
    return str(response["runId"])


def decide(swf: Any, *decisions: dict[str, Any]) -> dict[str, Any]:
    """Poll a decision task and answer it with ``decisions``; returns the task."""
    task = swf.poll_for_decision_task(domain=DOMAIN, taskList=DECISIONS)
    assert task.get("taskToken"), "no decision task was ready"
    swf.respond_decision_task_completed(taskToken=task["taskToken"], decisions=list(decisions))
    return dict(task)


def schedule_charge(activity_id: str = "charge-1") -> dict[str, Any]:
    """The decision that schedules a ``charge`` activity."""
    return {
        "decisionType": "ScheduleActivityTask",
        "scheduleActivityTaskDecisionAttributes": {
            "activityId": activity_id,
            "activityType": ACTIVITY,
        },
    }


def complete(result: str = "done") -> dict[str, Any]:
    """The decision that completes the run."""
    return {
        "decisionType": "CompleteWorkflowExecution",
        "completeWorkflowExecutionDecisionAttributes": {"result": result},
    }


def charge_started(swf: Any) -> dict[str, Any]:
    """Start an order whose decider schedules one charge; poll the charge task and return it."""
    start(swf)
    decide(swf, schedule_charge())
    return dict(swf.poll_for_activity_task(domain=DOMAIN, taskList=ACTIVITIES))


def event_types(sim: Any, workflow_id: str = "order-1") -> list[str]:
    return [event["eventType"] for event in sim.history(DOMAIN, workflow_id)]


def last_event(sim: Any, event_type: str, workflow_id: str = "order-1") -> dict[str, Any]:
    """The latest event of ``event_type`` in the run's history."""
    found = [e for e in sim.history(DOMAIN, workflow_id) if e["eventType"] == event_type]
    assert found, f"no {event_type} in {event_types(sim, workflow_id)}"
    return dict(found[-1])


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter with ``env`` added to this process's environment."""
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_SECONDS,
        check=False,
    )
