"""Polling for tasks and answering them (their pages in the SWF API Reference)."""

from __future__ import annotations

from swfsim.model import activities, decisions
from swfsim.model.batch import DecisionBatch
from swfsim.model.engine import Engine
from swfsim.model.registry import JsonDict, present
from swfsim.model.run import DecisionAttempt, Run, TaskListOverride
from swfsim.operations._handler import Handler, event_page

_POLL_DECISION = "PollForDecisionTask"


def poll_for_decision_task(engine: Engine, params: JsonDict) -> JsonDict:
    domain = engine.registry.domain(params["domain"])
    cursor = engine.pages.resume(_POLL_DECISION, params)
    if cursor is not None:
        # A later page of a task already handed out: same task, never a new one (the API
        # Reference's PollForDecisionTask, nextPageToken).
        workflow_id, run_id, position, *attempt_fields = cursor
        run = engine.any_run(domain, {"workflowId": workflow_id, "runId": run_id})
        return _decision_task(engine, params, run, DecisionAttempt(*attempt_fields), position)
    queue = engine.decisions.lists.get(domain.name, params["taskList"]["name"])
    slot = engine.wait_for_task(queue)
    if slot is None:
        return _empty_poll(engine, previousStartedEventId=0)
    attempt = engine.decisions.start(slot, params.get("identity"))
    return _decision_task(engine, params, slot.run, attempt, 0)


def _decision_task(
    engine: Engine, params: JsonDict, run: Run, attempt: DecisionAttempt, position: int
) -> JsonDict:
    previous = attempt.previous_started_id
    first = previous if params.get("startAtPreviousStartedEvent") and previous else 1
    visible = run.history.events[first - 1 : attempt.started_id]
    events, resume_at = event_page(params, visible, position)
    token = None
    if resume_at is not None:
        cursor = [run.workflow_id, run.run_id, resume_at, *attempt.page_fields()]
        token = engine.pages.issue(_POLL_DECISION, params, cursor)
    return present(
        taskToken=attempt.token,
        startedEventId=attempt.started_id,
        workflowExecution=run.execution,
        workflowType=run.workflow_type,
        events=events,
        nextPageToken=token,
        previousStartedEventId=previous,
    )


def empty_response(engine: Engine, operation: str) -> JsonDict:
    """What an operation answers when it had nothing to return (an empty poll, or nothing)."""
    if operation == _POLL_DECISION:
        return _empty_poll(engine, previousStartedEventId=0)
    if operation == "PollForActivityTask":
        return _empty_poll(engine)
    return {}


def _empty_poll(engine: Engine, **members: int) -> JsonDict:
    empty: JsonDict = {"startedEventId": 0, **members}
    if engine.options.empty_poll_token:
        empty["taskToken"] = ""
    return empty


def respond_decision_task_completed(engine: Engine, params: JsonDict) -> None:
    decision_list = params.get("decisions") or []
    decisions.check_request(decision_list)
    run = engine.decisions.run_of(params["taskToken"])
    unhandled = run.decision.scheduled_id is not None
    attempt = engine.decisions.finish(run, _override(params))
    completed_id = run.history.append(
        "DecisionTaskCompleted",
        present(
            executionContext=params.get("executionContext"),
            scheduledEventId=attempt.scheduled_id,
            startedEventId=attempt.started_id,
            taskList=params.get("taskList"),
            taskListScheduleToStartTimeout=params.get("taskListScheduleToStartTimeout"),
        ),
    )
    if params.get("executionContext") is not None:
        run.latest_context = params["executionContext"]
    with engine.decisions.held(run):
        decisions.apply(DecisionBatch(engine, run, completed_id, unhandled), decision_list)
    engine.decisions.release(run)


def _override(params: JsonDict) -> TaskListOverride | None:
    task_list = params.get("taskList")
    if task_list is None:
        return None
    return TaskListOverride(task_list["name"], params.get("taskListScheduleToStartTimeout"))


def poll_for_activity_task(engine: Engine, params: JsonDict) -> JsonDict:
    domain = engine.registry.domain(params["domain"])
    queue = engine.activity_lists.get(domain.name, params["taskList"]["name"])
    task = engine.wait_for_task(queue)
    if task is None:
        return _empty_poll(engine)
    token = activities.start(engine, task, params.get("identity"))
    return present(
        taskToken=token,
        activityId=task.activity_id,
        startedEventId=task.started_id,
        workflowExecution=task.run.execution,
        activityType=task.activity_type,
        input=task.input,
    )


def record_activity_task_heartbeat(engine: Engine, params: JsonDict) -> JsonDict:
    task = activities.by_token(engine, params["taskToken"])
    return {"cancelRequested": activities.heartbeat(engine, task, params.get("details"))}


def respond_activity_task_completed(engine: Engine, params: JsonDict) -> None:
    task = activities.by_token(engine, params["taskToken"])
    attrs = activities.outcome(task, result=params.get("result"))
    activities.close(engine, task, "ActivityTaskCompleted", attrs)


def respond_activity_task_failed(engine: Engine, params: JsonDict) -> None:
    task = activities.by_token(engine, params["taskToken"])
    attrs = activities.outcome(task, reason=params.get("reason"), details=params.get("details"))
    activities.close(engine, task, "ActivityTaskFailed", attrs)


def respond_activity_task_canceled(engine: Engine, params: JsonDict) -> None:
    task = activities.by_token(engine, params["taskToken"])
    attrs = activities.outcome(task, details=params.get("details"))
    if task.cancel_requested_id is not None:
        attrs["latestCancelRequestedEventId"] = task.cancel_requested_id
    activities.close(engine, task, "ActivityTaskCanceled", attrs)


def count_pending_decision_tasks(engine: Engine, params: JsonDict) -> JsonDict:
    domain = engine.registry.domain(params["domain"])
    count = engine.decisions.lists.pending(domain.name, params["taskList"]["name"])
    return {"count": count, "truncated": False}


def count_pending_activity_tasks(engine: Engine, params: JsonDict) -> JsonDict:
    domain = engine.registry.domain(params["domain"])
    count = engine.activity_lists.pending(domain.name, params["taskList"]["name"])
    return {"count": count, "truncated": False}


HANDLERS: dict[str, Handler] = {
    "PollForDecisionTask": poll_for_decision_task,
    "RespondDecisionTaskCompleted": respond_decision_task_completed,
    "PollForActivityTask": poll_for_activity_task,
    "RecordActivityTaskHeartbeat": record_activity_task_heartbeat,
    "RespondActivityTaskCompleted": respond_activity_task_completed,
    "RespondActivityTaskFailed": respond_activity_task_failed,
    "RespondActivityTaskCanceled": respond_activity_task_canceled,
    "CountPendingDecisionTasks": count_pending_decision_tasks,
    "CountPendingActivityTasks": count_pending_activity_tasks,
}
