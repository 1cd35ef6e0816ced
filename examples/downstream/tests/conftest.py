"""Fixtures of shopflow's tests. ``swf``, ``swf_client``, ``swf_clock`` and ``swf_faults`` come
from swfsim's pytest plugin, which pytest loads by itself once swfsim is installed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from shopflow import decider, worker
from shopflow.workflow import DOMAIN, client, register

MAX_ROUNDS = 50


@pytest.fixture
def shop(swf: Any) -> Any:
    """shopflow's own SWF client (with its retries), its domain and types registered."""
    swf_client = client(swf.region)
    register(swf_client)
    return swf_client


@pytest.fixture
def run_to_close(shop: Any) -> Callable[[str], dict[str, Any]]:
    """Let the decider and the worker take turns until an order's run closes; returns its info.

    Every empty poll costs 60 virtual seconds and no wall time, so timeouts come quickly.
    """

    def run(order_id: str) -> dict[str, Any]:
        for _ in range(MAX_ROUNDS):
            decider.decide_once(shop)
            worker.work_once(shop)
            closed = shop.list_closed_workflow_executions(
                domain=DOMAIN,
                startTimeFilter={"oldestDate": 0},
                executionFilter={"workflowId": order_id},
            )["executionInfos"]
            if closed:
                return dict(closed[0])
        raise AssertionError(f"{order_id} still open after {MAX_ROUNDS} rounds")

    return run
