"""The StartChildWorkflowExecution and ContinueAsNewWorkflowExecution decisions (SWF API
Reference: their DecisionAttributes and the events they record)."""

from __future__ import annotations

from collections.abc import Callable

from swfsim.model import configs, lineage
from swfsim.model.batch import DecisionBatch
from swfsim.model.engine import MAX_OPEN_RUNS_PER_DOMAIN, Engine
from swfsim.model.enums import CloseStatus, TypeKind
from swfsim.model.registry import JsonDict, RegisteredType, present
from swfsim.model.run import ChildLink, ExecutionConfig, ParentLink, Run

MAX_OPEN_CHILDREN = 1000


def _resolve(
    run: Run, ref: JsonDict, attrs: JsonDict, limits: Callable[[], str | None] = lambda: None
) -> tuple[RegisteredType, ExecutionConfig] | str:
    """The workflow type and settings of a new run, or the cause of the decision's failure."""
    workflow_type = run.domain.lookup_type(TypeKind.WORKFLOW, ref)
    if workflow_type is None:
        return "WORKFLOW_TYPE_DOES_NOT_EXIST"
    if workflow_type.deprecated:
        return "WORKFLOW_TYPE_DEPRECATED"
    cause = limits()
    if cause is not None:
        return cause
    try:
        return workflow_type, configs.resolve(attrs, workflow_type)
    except configs.UndefinedSetting as undefined:
        return undefined.cause


def start_child(batch: DecisionBatch, attrs: JsonDict) -> None:
    """Initiate a child run, started once the batch is recorded (or fail at once)."""
    run, engine = batch.run, batch.engine

    def limits() -> str | None:
        if len(run.children) >= MAX_OPEN_CHILDREN:
            return "OPEN_CHILDREN_LIMIT_EXCEEDED"
        if engine.open_per_domain[run.domain.name] >= MAX_OPEN_RUNS_PER_DOMAIN:
            return "OPEN_WORKFLOWS_LIMIT_EXCEEDED"
        return None

    resolved = _resolve(run, attrs["workflowType"], attrs, limits)
    if isinstance(resolved, str):
        # No Initiated event exists, so initiatedEventId is 0 (model docs).
        batch.fail(
            "StartChildWorkflowExecutionFailed",
            workflowType=attrs["workflowType"],
            cause=resolved,
            workflowId=attrs["workflowId"],
            initiatedEventId=0,
            control=attrs.get("control"),
        )
        return
    workflow_type, config = resolved
    initiated = configs.run_attributes(config, workflow_type, attrs)
    initiated_id = batch.record(
        "StartChildWorkflowExecutionInitiated",
        workflowId=attrs["workflowId"],
        control=attrs.get("control"),
        **initiated,
    )
    link = ChildLink(initiated_id, attrs["workflowId"], workflow_type.ref)
    run.children[initiated_id] = link
    completed_id = batch.completed_id
    batch.after(lambda: _start(engine, run, link, workflow_type, config, attrs, completed_id))


def start_reopened(engine: Engine, parent: Run, link: ChildLink, initiated: JsonDict) -> None:
    """Start the child of a resumed run that was initiated and had not started, as SWF would
    have right after the decision (``initiated``: its StartChildWorkflowExecutionInitiated
    attributes, which hold the settings resolved then)."""
    resolved = _resolve(parent, link.workflow_type, initiated)
    completed_id = initiated["decisionTaskCompletedEventId"]
    if isinstance(resolved, str):
        parent.children.pop(link.initiated_id, None)
        failed = present(
            workflowType=link.workflow_type,
            cause=resolved,
            workflowId=link.workflow_id,
            initiatedEventId=link.initiated_id,
            decisionTaskCompletedEventId=completed_id,
            control=initiated.get("control"),
        )
        engine.defer(lambda: _fail_to_start(engine, parent, failed))
        return
    workflow_type, config = resolved
    engine.defer(
        lambda: _start(engine, parent, link, workflow_type, config, initiated, completed_id)
    )


def _fail_to_start(engine: Engine, parent: Run, failed: JsonDict) -> None:
    engine.record_and_decide(parent, "StartChildWorkflowExecutionFailed", failed)


def _start(
    engine: Engine,
    parent: Run,
    link: ChildLink,
    workflow_type: RegisteredType,
    config: ExecutionConfig,
    attrs: JsonDict,
    completed_id: int,
) -> None:
    if engine.find_open_run(parent.domain, link.workflow_id, None) is not None:
        parent.children.pop(link.initiated_id, None)
        if parent.is_open:
            failed = present(
                workflowType=link.workflow_type,
                cause="WORKFLOW_ALREADY_RUNNING",
                workflowId=link.workflow_id,
                initiatedEventId=link.initiated_id,
                decisionTaskCompletedEventId=completed_id,
                control=attrs.get("control"),
            )
            engine.record_and_decide(parent, "StartChildWorkflowExecutionFailed", failed)
        return
    started = {
        **configs.run_attributes(config, workflow_type, attrs),
        "parentWorkflowExecution": parent.execution,
        "parentInitiatedEventId": link.initiated_id,
    }
    child = engine.start_run(
        parent.domain,
        link.workflow_id,
        workflow_type,
        config,
        started,
        parent=ParentLink(parent, link.initiated_id),
    )
    if parent.is_open:
        lineage.child_started(engine, parent, link, child)
    else:
        parent.children.pop(link.initiated_id, None)


def continue_as_new(batch: DecisionBatch, attrs: JsonDict) -> None:
    """Close the run as CONTINUED_AS_NEW and start its successor with the same workflowId."""
    run, engine = batch.run, batch.engine
    if batch.unhandled:
        batch.fail("ContinueAsNewWorkflowExecutionFailed", cause="UNHANDLED_DECISION")
        return
    version = attrs.get("workflowTypeVersion") or run.workflow_type["version"]
    ref = {"name": run.workflow_type["name"], "version": version}
    resolved = _resolve(run, ref, attrs)
    if isinstance(resolved, str):
        batch.fail("ContinueAsNewWorkflowExecutionFailed", cause=resolved)
        return
    workflow_type, config = resolved
    new_run_id = engine.new_run_id()
    settings = configs.run_attributes(config, workflow_type, attrs)
    continued = present(
        **settings, newExecutionRunId=new_run_id, decisionTaskCompletedEventId=batch.completed_id
    )
    engine.close_run(
        run, CloseStatus.CONTINUED_AS_NEW, "WorkflowExecutionContinuedAsNew", continued
    )
    started = {**settings, "continuedExecutionRunId": run.run_id, "parentInitiatedEventId": 0}
    if run.parent is not None:
        started["parentWorkflowExecution"] = run.parent.run.execution
        started["parentInitiatedEventId"] = run.parent.initiated_id
    successor = engine.start_run(
        run.domain,
        run.workflow_id,
        workflow_type,
        config,
        started,
        run_id=new_run_id,
        parent=run.parent,
    )
    lineage.continued(successor)
