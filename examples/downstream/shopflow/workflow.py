"""The SWF resources of shopflow, its SWF client, and starting an order."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import boto3
from botocore.config import Config

DOMAIN = "shop"
ORDER = {"name": "order", "version": "1"}
CHARGE = {"name": "charge", "version": "1"}
DECISIONS = {"name": "order-decisions"}
ACTIVITIES = {"name": "order-activities"}
CHARGE_TIMEOUT = "300"  # seconds a worker has to charge a card
# shopflow rides out throttling with 5 attempts per call. Said here rather than left to
# botocore's default, which has changed before (legacy mode's 5 attempts, standard mode's 3).
RETRIES = Config(retries={"mode": "standard", "total_max_attempts": 5})


def client(region: str | None = None) -> Any:
    """shopflow's SWF client, with the retries shopflow relies on."""
    return boto3.client("swf", region_name=region, config=RETRIES)


def register(swf: Any) -> None:
    """Register the domain and the types; what exists already is left alone."""
    calls = [
        (swf.register_domain, {"name": DOMAIN, "workflowExecutionRetentionPeriodInDays": "7"}),
        (
            swf.register_workflow_type,
            {
                "domain": DOMAIN,
                **ORDER,
                "defaultTaskList": DECISIONS,
                "defaultExecutionStartToCloseTimeout": str(24 * 3600),
                "defaultTaskStartToCloseTimeout": "30",
                "defaultChildPolicy": "TERMINATE",
            },
        ),
        (
            swf.register_activity_type,
            {
                "domain": DOMAIN,
                **CHARGE,
                "defaultTaskList": ACTIVITIES,
                "defaultTaskScheduleToStartTimeout": "NONE",
                "defaultTaskScheduleToCloseTimeout": "NONE",
                "defaultTaskStartToCloseTimeout": CHARGE_TIMEOUT,
                "defaultTaskHeartbeatTimeout": "NONE",
            },
        ),
    ]
    exists = (swf.exceptions.DomainAlreadyExistsFault, swf.exceptions.TypeAlreadyExistsFault)
    for register_one, params in calls:
        with contextlib.suppress(*exists):
            register_one(**params)


def start_order(swf: Any, order_id: str, amount: int) -> str:
    """Start the workflow of one order; returns its run id.

    A start whose answer was lost is retried by boto3 and refused as already started: the
    order did start, so that is success too.
    """
    try:
        return str(
            swf.start_workflow_execution(
                domain=DOMAIN,
                workflowId=order_id,
                workflowType=ORDER,
                input=json.dumps({"order": order_id, "amount": amount}),
            )["runId"]
        )
    except swf.exceptions.WorkflowExecutionAlreadyStartedFault:
        described = swf.list_open_workflow_executions(
            domain=DOMAIN,
            startTimeFilter={"oldestDate": 0},
            executionFilter={"workflowId": order_id},
        )
        return str(described["executionInfos"][0]["execution"]["runId"])
