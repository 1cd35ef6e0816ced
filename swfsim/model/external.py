"""Signalling and canceling other executions from a decision (SWF API Reference: Decision).

The Initiated event is part of the decision block; delivery happens right after the block, and
the sender then learns the outcome (the target's own event comes first, as real AWS records).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from swfsim.model.batch import DecisionBatch
from swfsim.model.engine import Engine
from swfsim.model.registry import JsonDict, present
from swfsim.model.run import Run

UNKNOWN_EXTERNAL = "UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION"
Deliver = Callable[[Engine, Run, Run, JsonDict, int], None]


@dataclass(frozen=True)
class _Request:
    """One kind of request to another execution: its events and what it does to the target."""

    initiated: str
    members: tuple[str, ...]
    acknowledged: str
    failed: str
    deliver: Deliver


def _signal_target(
    engine: Engine, target: Run, sender: Run, attrs: JsonDict, initiated: int
) -> None:
    signaled = present(
        signalName=attrs["signalName"],
        input=attrs.get("input"),
        externalWorkflowExecution=sender.execution,
        externalInitiatedEventId=initiated,
    )
    engine.record_and_decide(target, "WorkflowExecutionSignaled", signaled)


def _cancel_target(
    engine: Engine, target: Run, sender: Run, _attrs: JsonDict, initiated: int
) -> None:
    target.cancel_requested = True
    requested = {
        "externalWorkflowExecution": sender.execution,
        "externalInitiatedEventId": initiated,
    }
    engine.record_and_decide(target, "WorkflowExecutionCancelRequested", requested)


_SIGNAL = _Request(
    "SignalExternalWorkflowExecutionInitiated",
    ("workflowId", "runId", "signalName", "input", "control"),
    "ExternalWorkflowExecutionSignaled",
    "SignalExternalWorkflowExecutionFailed",
    _signal_target,
)
_CANCEL = _Request(
    "RequestCancelExternalWorkflowExecutionInitiated",
    ("workflowId", "runId", "control"),
    "ExternalWorkflowExecutionCancelRequested",
    "RequestCancelExternalWorkflowExecutionFailed",
    _cancel_target,
)


def signal(batch: DecisionBatch, attrs: JsonDict) -> None:
    """The SignalExternalWorkflowExecution decision."""
    _send(_SIGNAL, batch, attrs)


def request_cancel(batch: DecisionBatch, attrs: JsonDict) -> None:
    """The RequestCancelExternalWorkflowExecution decision."""
    _send(_CANCEL, batch, attrs)


def redeliver(
    engine: Engine, sender: Run, initiated_type: str, attrs: JsonDict, initiated_id: int
) -> None:
    """Deliver a signal or cancel request of a resumed run that production had not delivered
    yet (its Initiated event has no answer), as SWF would have: right away."""
    request = _SIGNAL if initiated_type == _SIGNAL.initiated else _CANCEL
    completed_id = attrs["decisionTaskCompletedEventId"]
    engine.defer(lambda: _deliver(request, engine, sender, attrs, initiated_id, completed_id))


def _send(request: _Request, batch: DecisionBatch, attrs: JsonDict) -> None:
    initiated_id = batch.record(request.initiated, **{m: attrs.get(m) for m in request.members})
    sender, engine, completed_id = batch.run, batch.engine, batch.completed_id
    batch.after(lambda: _deliver(request, engine, sender, attrs, initiated_id, completed_id))


def _deliver(
    request: _Request,
    engine: Engine,
    sender: Run,
    attrs: JsonDict,
    initiated_id: int,
    completed_id: int,
) -> None:
    target = engine.find_open_run(sender.domain, attrs["workflowId"], attrs.get("runId"))
    if target is not None:
        request.deliver(engine, target, sender, attrs, initiated_id)
    if not sender.is_open:
        return
    if target is None:
        failed = present(
            workflowId=attrs["workflowId"],
            runId=attrs.get("runId"),
            cause=UNKNOWN_EXTERNAL,
            initiatedEventId=initiated_id,
            decisionTaskCompletedEventId=completed_id,
            control=attrs.get("control"),
        )
        engine.record_and_decide(sender, request.failed, failed)
    else:
        acknowledged = {"workflowExecution": target.execution, "initiatedEventId": initiated_id}
        engine.record_and_decide(sender, request.acknowledged, acknowledged)
