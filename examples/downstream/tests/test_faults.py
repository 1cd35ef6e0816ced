"""shopflow when SWF misbehaves: each fault scenario, and what shopflow must still do."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from shopflow.workflow import DOMAIN, start_order

from swfsim.faults import LostResponse

SCENARIOS = Path(__file__).parent / "scenarios"


def event_types(swf: Any, order_id: str) -> list[str]:
    return [event["eventType"] for event in swf.history(DOMAIN, order_id)]


def test_throttling_is_absorbed(shop: Any, swf_faults: Any, run_to_close: Any) -> None:
    (plan,) = swf_faults(SCENARIOS / "flaky-swf.yaml")
    start_order(shop, "order-1", amount=42)
    assert run_to_close("order-1")["closeStatus"] == "COMPLETED"
    assert sum(plan.fired.values()) > 0  # calls were throttled, and nobody noticed


@pytest.mark.swf_faults(SCENARIOS / "hung-charge.yaml")
def test_hung_charge_is_charged_again(swf: Any, shop: Any, run_to_close: Any) -> None:
    start_order(shop, "order-2", amount=42)
    assert run_to_close("order-2")["closeStatus"] == "COMPLETED"
    history = swf.history(DOMAIN, "order-2")
    (timed_out,) = [e for e in history if e["eventType"] == "ActivityTaskTimedOut"]
    assert timed_out["activityTaskTimedOutEventAttributes"]["timeoutType"] == "START_TO_CLOSE"
    assert event_types(swf, "order-2").count("ActivityTaskScheduled") == 2
    assert history[-1]["eventTimestamp"] - history[0]["eventTimestamp"] >= 300


@pytest.mark.swf_faults(SCENARIOS / "lost-answer.json")
def test_lost_answer_completes_the_charge_once(swf: Any, shop: Any, run_to_close: Any) -> None:
    start_order(shop, "order-3", amount=42)
    assert run_to_close("order-3")["closeStatus"] == "COMPLETED"
    assert event_types(swf, "order-3").count("ActivityTaskCompleted") == 1


@pytest.mark.swf_faults(LostResponse(operations=("StartWorkflowExecution",), nth=1))
def test_lost_start_still_gives_the_run_id(swf: Any, shop: Any) -> None:
    run_id = start_order(shop, "order-4", amount=42)
    assert swf.is_open(DOMAIN, "order-4", run_id)
