"""shopflow's decider and worker against the simulated SWF: no AWS account, no waiting."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

import pytest
from shopflow.decider import decisions_for
from shopflow.workflow import DOMAIN, register, start_order


def event_types(swf: Any, order_id: str) -> list[str]:
    return [event["eventType"] for event in swf.history(DOMAIN, order_id)]


def test_order_is_charged(swf: Any, shop: Any, run_to_close: Any) -> None:
    start_order(shop, "order-1", amount=42)
    info = run_to_close("order-1")
    assert info["closeStatus"] == "COMPLETED"
    closing = swf.history(DOMAIN, "order-1")[-1]
    result = closing["workflowExecutionCompletedEventAttributes"]["result"]
    assert json.loads(result) == {"order": "order-1", "charged": 42}


def test_refused_charge_is_tried_three_times(swf: Any, shop: Any, run_to_close: Any) -> None:
    start_order(shop, "order-2", amount=0)
    info = run_to_close("order-2")
    assert info["closeStatus"] == "FAILED"
    assert event_types(swf, "order-2").count("ActivityTaskFailed") == 3


def test_decider_waits_for_a_running_charge() -> None:
    started = {
        "eventType": "WorkflowExecutionStarted",
        "workflowExecutionStartedEventAttributes": {"input": "{}"},
    }
    assert [d["decisionType"] for d in decisions_for([started])] == ["ScheduleActivityTask"]
    scheduled = {"eventType": "ActivityTaskScheduled"}
    assert decisions_for([started, scheduled]) == []


@pytest.mark.swf(seed=7, start="2030-03-01T09:00:00Z")
def test_virtual_time_and_seed(swf: Any, shop: Any, swf_clock: Any) -> None:
    run_id = start_order(shop, "order-3", amount=5)
    assert swf.seed == 7
    info = shop.describe_workflow_execution(
        domain=DOMAIN, execution={"workflowId": "order-3", "runId": run_id}
    )["executionInfo"]
    assert info["startTimestamp"] == datetime(2030, 3, 1, 9, tzinfo=timezone.utc)
    swf_clock.advance(24 * 3600)  # the run's timeout: a day
    assert event_types(swf, "order-3")[-1] == "WorkflowExecutionTimedOut"


@pytest.mark.swf(
    domains=[DOMAIN],
    workflow_types=[{"name": "order", "defaultTaskList": {"name": "order-decisions"}}],
    activity_types=[{"name": "charge", "defaultTaskList": {"name": "order-activities"}}],
)
def test_register_keeps_what_exists(swf_client: Any, run_to_close: Any) -> None:
    register(swf_client)  # the marker registered all three: nothing to do, nothing raised
    start_order(swf_client, "order-4", amount=1)
    assert run_to_close("order-4")["closeStatus"] == "COMPLETED"
