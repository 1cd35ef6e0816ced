"""Starting, signalling, canceling, terminating and describing executions (their pages in the
SWF API Reference)."""

from __future__ import annotations

from swfsim.errors import (
    DefaultUndefinedFault,
    LimitExceededFault,
    TypeDeprecatedFault,
    WorkflowExecutionAlreadyStartedFault,
)
from swfsim.model import configs
from swfsim.model.engine import MAX_OPEN_RUNS_PER_DOMAIN, Engine
from swfsim.model.enums import CloseStatus, TypeKind
from swfsim.model.registry import JsonDict, RegisteredType, present, wire_time
from swfsim.model.run import ExecutionConfig
from swfsim.operations._handler import Handler, event_page


def resolve_config(params: JsonDict, workflow_type: RegisteredType) -> ExecutionConfig:
    """The run's settings: each from the request, else the type's default.

    Raises:
        DefaultUndefinedFault: a required setting is neither given nor defaulted.
    """
    try:
        return configs.resolve(params, workflow_type)
    except configs.UndefinedSetting as undefined:
        raise DefaultUndefinedFault(
            f"{undefined.setting}: the request does not set it and {workflow_type.label} has no "
            f"default for it ({undefined.default})"
        ) from None


def start_workflow_execution(engine: Engine, params: JsonDict) -> JsonDict:
    domain = engine.registry.domain(params["domain"])
    workflow_type = domain.find_type(TypeKind.WORKFLOW, params["workflowType"])
    if workflow_type.deprecated:
        raise TypeDeprecatedFault(workflow_type.label)
    config = resolve_config(params, workflow_type)
    workflow_id = params["workflowId"]
    if (domain.name, workflow_id) in engine.open_runs:
        raise WorkflowExecutionAlreadyStartedFault(
            f"An open execution with workflowId {workflow_id} already exists in domain "
            f"{domain.name}"
        )
    if engine.open_per_domain.get(domain.name, 0) >= MAX_OPEN_RUNS_PER_DOMAIN:
        raise LimitExceededFault(
            f"Domain {domain.name} already has {MAX_OPEN_RUNS_PER_DOMAIN} open executions"
        )
    started = {**configs.run_attributes(config, workflow_type, params), "parentInitiatedEventId": 0}
    run = engine.start_run(domain, workflow_id, workflow_type, config, started)
    return {"runId": run.run_id}


def signal_workflow_execution(engine: Engine, params: JsonDict) -> None:
    domain = engine.registry.domain(params["domain"])
    run = engine.open_run(domain, params["workflowId"], params.get("runId"))
    signaled = present(
        signalName=params["signalName"], input=params.get("input"), externalInitiatedEventId=0
    )
    engine.record_and_decide(run, "WorkflowExecutionSignaled", signaled)


def request_cancel_workflow_execution(engine: Engine, params: JsonDict) -> None:
    domain = engine.registry.domain(params["domain"])
    run = engine.open_run(domain, params["workflowId"], params.get("runId"))
    run.cancel_requested = True
    engine.record_and_decide(
        run, "WorkflowExecutionCancelRequested", {"externalInitiatedEventId": 0}
    )


def terminate_workflow_execution(engine: Engine, params: JsonDict) -> None:
    domain = engine.registry.domain(params["domain"])
    run = engine.open_run(domain, params["workflowId"], params.get("runId"))
    terminated = present(
        reason=params.get("reason"),
        details=params.get("details"),
        childPolicy=params.get("childPolicy", run.config.child_policy),
        cause="OPERATOR_INITIATED" if engine.options.operator_initiated_cause else None,
    )
    engine.close_run(run, CloseStatus.TERMINATED, "WorkflowExecutionTerminated", terminated)


def describe_workflow_execution(engine: Engine, params: JsonDict) -> JsonDict:
    domain = engine.registry.domain(params["domain"])
    run = engine.any_run(domain, params["execution"])
    latest = run.latest_activity_ms
    return present(
        executionInfo=run.info(),
        executionConfiguration=run.config.wire(),
        openCounts=run.open_counts(),
        latestActivityTaskTimestamp=None if latest is None else wire_time(latest),
        latestExecutionContext=run.latest_context,
    )


def get_workflow_execution_history(engine: Engine, params: JsonDict) -> JsonDict:
    domain = engine.registry.domain(params["domain"])
    run = engine.any_run(domain, params["execution"])
    operation = "GetWorkflowExecutionHistory"
    events, resume_at = event_page(
        params, run.history.events, engine.pages.resume(operation, params) or 0
    )
    token = None if resume_at is None else engine.pages.issue(operation, params, resume_at)
    return present(events=events, nextPageToken=token)


HANDLERS: dict[str, Handler] = {
    "StartWorkflowExecution": start_workflow_execution,
    "SignalWorkflowExecution": signal_workflow_execution,
    "RequestCancelWorkflowExecution": request_cancel_workflow_execution,
    "TerminateWorkflowExecution": terminate_workflow_execution,
    "DescribeWorkflowExecution": describe_workflow_execution,
    "GetWorkflowExecutionHistory": get_workflow_execution_history,
}
