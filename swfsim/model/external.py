"""Signalling and canceling other executions from a decision (digest §9.3.10, §9.3.11).

The Initiated event is part of the decision block; delivery happens right after the block, and
the sender then learns the outcome (the target's own event comes first, as real AWS records).
"""

from __future__ import annotations

from swfsim.model.batch import DecisionBatch
from swfsim.model.engine import Engine
from swfsim.model.registry import JsonDict, present
from swfsim.model.run import Run

UNKNOWN_EXTERNAL = "UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION"


def signal(batch: DecisionBatch, attrs: JsonDict) -> None:
    """SignalExternalWorkflowExecutionInitiated, then delivery."""
    initiated_id = batch.record(
        "SignalExternalWorkflowExecutionInitiated",
        workflowId=attrs["workflowId"],
        runId=attrs.get("runId"),
        signalName=attrs["signalName"],
        input=attrs.get("input"),
        control=attrs.get("control"),
    )
    sender, engine, completed_id = batch.run, batch.engine, batch.completed_id
    batch.after(lambda: _deliver_signal(engine, sender, attrs, initiated_id, completed_id))


def _deliver_signal(
    engine: Engine, sender: Run, attrs: JsonDict, initiated_id: int, completed_id: int
) -> None:
    target = engine.find_open_run(sender.domain, attrs["workflowId"], attrs.get("runId"))
    if target is None:
        _failed(
            engine,
            sender,
            "SignalExternalWorkflowExecutionFailed",
            attrs,
            initiated_id,
            completed_id,
        )
        return
    signaled = present(
        signalName=attrs["signalName"],
        input=attrs.get("input"),
        externalWorkflowExecution=sender.execution,
        externalInitiatedEventId=initiated_id,
    )
    engine.record_and_decide(target, "WorkflowExecutionSignaled", signaled)
    _acknowledge(engine, sender, "ExternalWorkflowExecutionSignaled", target, initiated_id)


def request_cancel(batch: DecisionBatch, attrs: JsonDict) -> None:
    """RequestCancelExternalWorkflowExecutionInitiated, then delivery."""
    initiated_id = batch.record(
        "RequestCancelExternalWorkflowExecutionInitiated",
        workflowId=attrs["workflowId"],
        runId=attrs.get("runId"),
        control=attrs.get("control"),
    )
    sender, engine, completed_id = batch.run, batch.engine, batch.completed_id
    batch.after(lambda: _deliver_cancel(engine, sender, attrs, initiated_id, completed_id))


def _deliver_cancel(
    engine: Engine, sender: Run, attrs: JsonDict, initiated_id: int, completed_id: int
) -> None:
    target = engine.find_open_run(sender.domain, attrs["workflowId"], attrs.get("runId"))
    if target is None:
        _failed(
            engine,
            sender,
            "RequestCancelExternalWorkflowExecutionFailed",
            attrs,
            initiated_id,
            completed_id,
        )
        return
    target.cancel_requested = True
    requested = {
        "externalWorkflowExecution": sender.execution,
        "externalInitiatedEventId": initiated_id,
    }
    engine.record_and_decide(target, "WorkflowExecutionCancelRequested", requested)
    _acknowledge(engine, sender, "ExternalWorkflowExecutionCancelRequested", target, initiated_id)


def _acknowledge(
    engine: Engine, sender: Run, event_type: str, target: Run, initiated_id: int
) -> None:
    if sender.is_open:
        attrs = {"workflowExecution": target.execution, "initiatedEventId": initiated_id}
        engine.record_and_decide(sender, event_type, attrs)


def _failed(
    engine: Engine,
    sender: Run,
    event_type: str,
    attrs: JsonDict,
    initiated_id: int,
    completed_id: int,
) -> None:
    if sender.is_open:
        failed = present(
            workflowId=attrs["workflowId"],
            runId=attrs.get("runId"),
            cause=UNKNOWN_EXTERNAL,
            initiatedEventId=initiated_id,
            decisionTaskCompletedEventId=completed_id,
            control=attrs.get("control"),
        )
        engine.record_and_decide(sender, event_type, failed)
