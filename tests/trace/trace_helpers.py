"""A small workflow session, run against whatever SWF the clients reach."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

DOMAIN = "trace-d"
TASK_LIST = {"name": "trace-tl"}
WORKFLOW = {"name": "trace-w", "version": "1"}
IDENTITY = "worker-7@host-42.example.internal"
NO_RETRIES = Config(retries={"max_attempts": 1, "mode": "standard"})
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"


def client(**kwargs: Any) -> Any:
    return boto3.client(
        "swf",
        region_name="eu-west-1",
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        config=NO_RETRIES,
        **kwargs,
    )


def session(swf: Any, workflow_id: str = "wf-1", identity: str = IDENTITY) -> dict[str, Any]:
    """Register, start, decide (schedule an activity), work it, complete; returns what the
    client saw that a replay must reproduce."""
    swf.register_domain(name=DOMAIN, workflowExecutionRetentionPeriodInDays="1")
    swf.register_workflow_type(
        domain=DOMAIN,
        **WORKFLOW,
        defaultTaskList=TASK_LIST,
        defaultExecutionStartToCloseTimeout="600",
        defaultTaskStartToCloseTimeout="30",
        defaultChildPolicy="TERMINATE",
    )
    swf.register_activity_type(
        domain=DOMAIN,
        name="act",
        version="1",
        defaultTaskList=TASK_LIST,
        defaultTaskScheduleToStartTimeout="60",
        defaultTaskScheduleToCloseTimeout="120",
        defaultTaskStartToCloseTimeout="60",
        defaultTaskHeartbeatTimeout="NONE",
    )
    run = swf.start_workflow_execution(
        domain=DOMAIN, workflowId=workflow_id, workflowType=WORKFLOW, input="in"
    )
    task = swf.poll_for_decision_task(domain=DOMAIN, taskList=TASK_LIST, identity=identity)
    schedule = {
        "decisionType": "ScheduleActivityTask",
        "scheduleActivityTaskDecisionAttributes": {
            "activityType": {"name": "act", "version": "1"},
            "activityId": "a1",
            "input": "work",
        },
    }
    swf.respond_decision_task_completed(taskToken=task["taskToken"], decisions=[schedule])
    work = swf.poll_for_activity_task(domain=DOMAIN, taskList=TASK_LIST, identity=identity)
    swf.respond_activity_task_completed(taskToken=work["taskToken"], result="done")
    task = swf.poll_for_decision_task(domain=DOMAIN, taskList=TASK_LIST, identity=identity)
    complete = {"decisionType": "CompleteWorkflowExecution"}
    swf.respond_decision_task_completed(taskToken=task["taskToken"], decisions=[complete])
    described = swf.describe_workflow_execution(
        domain=DOMAIN, execution={"workflowId": workflow_id, "runId": run["runId"]}
    )
    refused = ""
    try:
        swf.describe_domain(name="no-such-domain")
    except swf.exceptions.UnknownResourceFault as fault:
        refused = str(fault)
    return {
        "events": [e["eventType"] for e in task["events"]],
        "status": described["executionInfo"]["closeStatus"],
        "activity": work["activityId"],
        "refused": refused,
    }


TOKEN_OR_RUN = re.compile(r'"(?:taskToken|runId|identity)":"(?!alias:)')


def assert_no_secret(path: Path, *raw_values: str) -> None:
    """No key, signature, raw token, run id or identity in a written trace."""
    text = path.read_text()
    for forbidden in (SECRET_KEY, ACCESS_KEY, "Signature", "AWS4-HMAC-SHA256", *raw_values):
        assert forbidden not in text, forbidden
    assert not TOKEN_OR_RUN.search(text), TOKEN_OR_RUN.search(text)
