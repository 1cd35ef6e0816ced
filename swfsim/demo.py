"""The demo behind ``swfsim demo``: the bundled order workflow, driven to its end in virtual time.

The decider and the worker of :mod:`swfsim.examples.order_workflow` are plain boto3 code; here they
run in one thread against :class:`swfsim.mock_swf`. In production each would long-poll in its own
process, and the first task to appear on either list would wake its poller. One thread cannot
wait on two lists at once, and a poll that waits holds virtual time for up to 60 s while the other
list may have work, so the driver polls only a list that has a task pending, and when neither has
one it jumps the clock to the next deadline (a timer, a timeout) instead of waiting for it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import boto3

from swfsim.examples.order_workflow import (
    ACTIVITY_TASK_LIST,
    DECISION_TASK_LIST,
    DOMAIN,
    ActivityWorker,
    Decider,
    PaymentGateway,
    order_activities,
    register,
    start_order,
)
from swfsim.simulator import Simulator
from swfsim.transport.boto import mock_swf

if TYPE_CHECKING:
    from mypy_boto3_swf import SWFClient
    from mypy_boto3_swf.type_defs import WorkflowExecutionTypeDef

ORDER = {"orderId": "1042", "amountCents": 4990, "seller": "acme-books"}
MAX_STEPS = 1000


@dataclass(frozen=True)
class DemoRun:
    """What one run of the demo did.

    Attributes:
        seed: the Simulator's seed.
        workflow_id: the workflow id of the order's execution.
        run_id: its run id (derived from the seed).
        history: its events, wire-shaped (see :meth:`swfsim.Simulator.history`).
        virtual_elapsed: virtual time from the first to the last event of the history.
        wall_seconds: wall-clock seconds the whole demo took, setup included.
    """

    seed: int
    workflow_id: str
    run_id: str
    history: list[dict[str, Any]]
    virtual_elapsed: timedelta
    wall_seconds: float

    @property
    def close_event(self) -> dict[str, Any]:
        """The event that closed the execution (the last one)."""
        return self.history[-1]


def run_demo(seed: int = 0, failures: int = 1) -> DemoRun:
    """Run the order workflow to its close on a fresh Simulator.

    Args:
        seed: seeds the Simulator's identifiers (run ids, task tokens).
        failures: how many of the first card charges fail; from ``MAX_ATTEMPTS`` (3) on, the
            decider gives up and fails the workflow.

    Raises:
        RuntimeError: the workflow stalled (open, with no task and no deadline pending) or did
            not close within ``MAX_STEPS`` steps.
    """
    wall_start = time.perf_counter()
    sim = Simulator(seed=seed)
    with mock_swf(sim):
        swf = boto3.client("swf")
        register(swf)
        run_id = start_order(swf, ORDER)
        workflow_id = f"order-{ORDER['orderId']}"
        gateway = PaymentGateway(flaky_charges=failures)
        drive(sim, swf, workflow_id, run_id, gateway)
    history = sim.history(DOMAIN, workflow_id, run_id)
    elapsed_ms = round((history[-1]["eventTimestamp"] - history[0]["eventTimestamp"]) * 1000)
    return DemoRun(
        seed=seed,
        workflow_id=workflow_id,
        run_id=run_id,
        history=history,
        virtual_elapsed=timedelta(milliseconds=elapsed_ms),
        wall_seconds=time.perf_counter() - wall_start,
    )


def drive(
    sim: Simulator, swf: SWFClient, workflow_id: str, run_id: str, gateway: PaymentGateway
) -> None:
    """Run the decider and the worker (calling ``gateway``) until the execution closes.

    Raises:
        RuntimeError: the execution stalled or did not close within ``MAX_STEPS`` steps.
    """
    decider = Decider(swf)
    worker = ActivityWorker(swf, order_activities(gateway))
    execution: WorkflowExecutionTypeDef = {"workflowId": workflow_id, "runId": run_id}
    for _ in range(MAX_STEPS):
        info = swf.describe_workflow_execution(domain=DOMAIN, execution=execution)
        if info["executionInfo"]["executionStatus"] == "CLOSED":
            return
        if _pending(swf, "decision"):
            decider.poll_once()
        elif _pending(swf, "activity"):
            worker.poll_once()
        elif not sim.clock.skip_to_next_deadline():
            raise RuntimeError(f"{workflow_id} is open but has no task and no deadline pending")
    raise RuntimeError(f"{workflow_id} did not close within {MAX_STEPS} steps")


def _pending(swf: SWFClient, kind: str) -> bool:
    if kind == "decision":
        counted = swf.count_pending_decision_tasks(
            domain=DOMAIN, taskList={"name": DECISION_TASK_LIST}
        )
    else:
        counted = swf.count_pending_activity_tasks(
            domain=DOMAIN, taskList={"name": ACTIVITY_TASK_LIST}
        )
    return counted["count"] > 0
