"""Activity tasks: scheduling, hand-out to workers, heartbeats, results and the four timeouts."""

from __future__ import annotations

import functools

from swfsim.errors import UnknownResourceFault
from swfsim.model.batch import DecisionBatch
from swfsim.model.durations import seconds
from swfsim.model.engine import Engine
from swfsim.model.registry import JsonDict, present
from swfsim.model.run import ActivityState, ActivityTask, Run

# Deadlines due at the same moment fire in creation order, and these are created in this order.
# AWS does not say which timeout a task reports when several expire at once; swfsim reports the
# first of this list.
SCHEDULE_TO_START = "SCHEDULE_TO_START"
SCHEDULE_TO_CLOSE = "SCHEDULE_TO_CLOSE"
START_TO_CLOSE = "START_TO_CLOSE"
HEARTBEAT = "HEARTBEAT"

_TIMEOUT_ATTRIBUTES = {
    SCHEDULE_TO_START: "scheduleToStartTimeout",
    SCHEDULE_TO_CLOSE: "scheduleToCloseTimeout",
    START_TO_CLOSE: "startToCloseTimeout",
    HEARTBEAT: "heartbeatTimeout",
}


def schedule(engine: Engine, run: Run, scheduled: JsonDict) -> ActivityTask:
    """Record ActivityTaskScheduled (resolved attributes), queue the task and start its clocks."""
    scheduled_id = run.history.append("ActivityTaskScheduled", scheduled)
    task = _task(run, scheduled, scheduled_id)
    run.activities[task.activity_id] = task
    run.latest_activity_ms = engine.clock.now_ms()
    engine.activity_lists.get(run.domain.name, task.task_list).push(task, task.priority)
    _arm(engine, task, engine.clock.now_ms(), SCHEDULE_TO_START, SCHEDULE_TO_CLOSE)
    return task


def _task(run: Run, scheduled: JsonDict, scheduled_id: int) -> ActivityTask:
    return ActivityTask(
        run=run,
        activity_id=scheduled["activityId"],
        activity_type=scheduled["activityType"],
        scheduled_id=scheduled_id,
        task_list=scheduled["taskList"]["name"],
        priority=int(scheduled.get("taskPriority", 0)),
        timeouts={kind: scheduled[attr] for kind, attr in _TIMEOUT_ATTRIBUTES.items()},
        input=scheduled.get("input"),
    )


def reopen(
    engine: Engine,
    run: Run,
    scheduled: JsonDict,
    scheduled_at: tuple[int, int],
    started_at: tuple[int, int] | None,
) -> ActivityTask:
    """Put back an activity task of a resumed run, as its events left it.

    Args:
        engine: the engine the run lives in.
        run: the resumed run.
        scheduled: the attributes of its ActivityTaskScheduled event.
        scheduled_at: that event's id, and when it happened on this clock (epoch ms).
        started_at: the same for its ActivityTaskStarted event, None if it had not started.

    A task that had not started waits on its list again; one that had is held by a new token
    (its worker is gone: it times out unless the token answers it). Each timeout runs from the
    event that started it, so only what is left of it remains; the heartbeat timeout runs from
    now, as a worker's heartbeats are not in the history.
    """
    task = _task(run, scheduled, scheduled_at[0])
    run.activities[task.activity_id] = task
    if started_at is None:
        engine.activity_lists.get(run.domain.name, task.task_list).push(task, task.priority)
        _arm(engine, task, scheduled_at[1], SCHEDULE_TO_START, SCHEDULE_TO_CLOSE)
        return task
    task.state = ActivityState.STARTED
    task.started_id = started_at[0]
    task.token = engine.ids.task_token()
    engine.activity_tokens[task.token] = task
    _arm(engine, task, scheduled_at[1], SCHEDULE_TO_CLOSE)
    _arm(engine, task, started_at[1], START_TO_CLOSE)
    _arm(engine, task, engine.clock.now_ms(), HEARTBEAT)
    return task


def start(engine: Engine, task: ActivityTask, identity: str | None) -> str:
    """Hand the task to a worker: ActivityTaskStarted, a token, and the running clocks."""
    run = task.run
    task.started_id = run.history.append(
        "ActivityTaskStarted", present(identity=identity, scheduledEventId=task.scheduled_id)
    )
    task.state = ActivityState.STARTED
    task.token = engine.ids.task_token()
    engine.activity_tokens[task.token] = task
    run.latest_activity_ms = engine.clock.now_ms()
    task.cancel_deadlines(SCHEDULE_TO_START)
    _arm(engine, task, engine.clock.now_ms(), START_TO_CLOSE, HEARTBEAT)
    return task.token


def by_token(engine: Engine, token: str) -> ActivityTask:
    """The started task holding ``token``.

    Raises:
        UnknownResourceFault: the token is unknown, or the task closed or timed out.
    """
    task = engine.activity_tokens.get(token)
    if task is None:
        raise UnknownResourceFault(
            "Unknown activity task: the task token is not valid (the task was completed, "
            "failed, canceled or timed out, or its execution closed)"
        )
    return task


def heartbeat(engine: Engine, task: ActivityTask, details: str | None) -> bool:
    """Record a heartbeat: restart the heartbeat clock; True if cancellation was requested."""
    if details is not None:
        task.heartbeat_details = details
    task.cancel_deadlines(HEARTBEAT)
    _arm(engine, task, engine.clock.now_ms(), HEARTBEAT)
    return task.cancel_requested_id is not None


def close(engine: Engine, task: ActivityTask, event_type: str, attrs: JsonDict) -> None:
    """Close the task with its final event, which schedules a decision task."""
    run = task.run
    del run.activities[task.activity_id]
    task.cancel_deadlines()
    engine.activity_lists.get(run.domain.name, task.task_list).discard(task)
    if task.token is not None:
        del engine.activity_tokens[task.token]
    task.state = ActivityState.CLOSED
    run.latest_activity_ms = engine.clock.now_ms()
    engine.record_and_decide(run, event_type, attrs)


def request_cancel(batch: DecisionBatch, attrs: JsonDict) -> None:
    """The RequestCancelActivityTask decision (Developer Guide: swf-dg-task-cancellation.html).

    A task still waiting on its list is canceled at once; a started one is flagged, and its
    worker sees ``cancelRequested`` in heartbeat responses.
    """
    task = batch.run.activities.get(attrs["activityId"])
    if task is None:
        batch.fail(
            "RequestCancelActivityTaskFailed",
            activityId=attrs["activityId"],
            cause="ACTIVITY_ID_UNKNOWN",
        )
        return
    task.cancel_requested_id = batch.record(
        "ActivityTaskCancelRequested", activityId=task.activity_id
    )
    if task.state is ActivityState.SCHEDULED:
        canceled = {
            "scheduledEventId": task.scheduled_id,
            "startedEventId": 0,
            "latestCancelRequestedEventId": task.cancel_requested_id,
        }
        close(batch.engine, task, "ActivityTaskCanceled", canceled)


def outcome(task: ActivityTask, **members: str | None) -> JsonDict:
    """Attributes of a closing event: the given members plus the task's event links."""
    return present(**members, scheduledEventId=task.scheduled_id, startedEventId=task.started_id)


def _arm(engine: Engine, task: ActivityTask, since_ms: int, *timeout_types: str) -> None:
    """Start the named timeout clocks of the task, each running from ``since_ms``."""
    for timeout_type in timeout_types:
        limit = seconds(task.timeouts[timeout_type])
        if limit is not None:
            expire = functools.partial(_time_out, engine, task, timeout_type)
            task.deadlines[timeout_type] = engine.clock.call_at_ms(since_ms + limit * 1000, expire)


def _time_out(engine: Engine, task: ActivityTask, timeout_type: str) -> None:
    attrs = outcome(task, timeoutType=timeout_type, details=task.heartbeat_details)
    close(engine, task, "ActivityTaskTimedOut", attrs)
