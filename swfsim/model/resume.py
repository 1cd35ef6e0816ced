"""Resuming a recorded run: its history becomes a live open run of the simulated account.

The run keeps its events, ids and timestamps. What they leave open is put back
(:mod:`swfsim.model.open_work`): the decision task (waiting on its list, or held by a new token
if production's decider had started it), activity tasks (waiting, or held by new tokens), timers,
Lambda tasks, child runs, and requests to other runs not delivered yet. The moment of the last
event is "now" on the simulator's clock: every timer and timeout keeps only what was left of it
then, counted from the event that started it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from swfsim.model import activities, children, decisions, external, lambdas
from swfsim.model.durations import seconds
from swfsim.model.engine import Engine
from swfsim.model.open_work import OpenWork, attrs_of, open_work
from swfsim.model.registry import Domain, JsonDict, RegisteredType
from swfsim.model.run import ChildLink, ExecutionConfig, ParentLink, Run


@dataclass(frozen=True)
class Reopened:
    """A resumed run, and the tokens of the tasks production's workers held.

    Attributes:
        run: the run, open.
        decision_token: answers the decision task production's decider had started, if any.
        activity_tokens: answers each activity task a worker had started, by activityId.
    """

    run: Run
    decision_token: str | None
    activity_tokens: dict[str, str]


class _Clock:
    """Recorded moments on the simulator's clock: the last event happened now."""

    def __init__(self, engine: Engine, events: Sequence[JsonDict]) -> None:
        self.shift_ms = engine.clock.now_ms() - millis(events[-1])

    def at(self, event: JsonDict) -> int:
        return millis(event) + self.shift_ms

    def after(self, event: JsonDict, duration: str | None) -> int | None:
        limit = seconds(duration) if duration is not None else None
        return None if limit is None else self.at(event) + limit * 1000


def millis(event: JsonDict) -> int:
    """An event's timestamp in epoch milliseconds."""
    timestamp: float = event["eventTimestamp"]
    return round(timestamp * 1000)


def reopen_run(
    engine: Engine,
    domain: Domain,
    workflow_type: RegisteredType,
    execution: JsonDict,
    events: Sequence[JsonDict],
) -> Reopened:
    """Open a run with ``events`` as its history and put back what they leave open.

    The engine's clock must not be earlier than the last event (the caller moves it there).
    """
    started = attrs_of(events[0])
    config = ExecutionConfig(
        task_list=started["taskList"]["name"],
        execution_timeout=started["executionStartToCloseTimeout"],
        task_timeout=started["taskStartToCloseTimeout"],
        child_policy=started["childPolicy"],
        task_priority=started.get("taskPriority"),
        lambda_role=started.get("lambdaRole"),
    )
    run = engine.register_run(
        domain,
        execution["workflowId"],
        execution["runId"],
        workflow_type,
        config,
        started.get("tagList"),
        millis(events[0]),
    )
    run.history.events = [dict(event) for event in events]
    clock = _Clock(engine, events)
    work = open_work(events)
    _restore_run(run, work)
    engine.arm_run_timeout(run, clock.at(events[0]))
    decision_token = _reopen_decision_task(engine, run, work, clock)
    tokens = _reopen_activities(engine, run, work, clock)
    _reopen_timers(engine, run, work, clock)
    _reopen_children(engine, run, work, started)
    for scheduled_id, opened in work.lambdas.items():
        started_id = opened.started["eventId"] if opened.started else 0
        lambdas.reopen(engine, run, attrs_of(opened.opened), scheduled_id, started_id)
    for initiated_id, event in work.requests.items():
        external.redeliver(engine, run, event["eventType"], attrs_of(event), initiated_id)
    engine.run_effects()
    return Reopened(run, decision_token, tokens)


def _restore_run(run: Run, work: OpenWork) -> None:
    run.cancel_requested = work.cancel_requested
    run.latest_context = work.latest_context
    if work.latest_activity is not None:
        run.latest_activity_ms = millis(work.latest_activity)
    run.decision.previous_started_id = work.previous_started_id
    run.decision.override = work.override


def _reopen_decision_task(engine: Engine, run: Run, work: OpenWork, clock: _Clock) -> str | None:
    token = None
    started = work.decision_started
    if started is not None:
        scheduled_id = attrs_of(started)["scheduledEventId"]
        scheduled = run.history.events[scheduled_id - 1]
        timeout = attrs_of(scheduled).get("startToCloseTimeout", run.config.task_timeout)
        attempt = engine.decisions.reopen_started(
            run, scheduled_id, started["eventId"], clock.after(started, timeout)
        )
        token = attempt.token
    waiting = work.decision_scheduled
    if waiting is not None:
        attrs = attrs_of(waiting)
        due_ms = clock.after(waiting, attrs.get("scheduleToStartTimeout"))
        engine.decisions.reopen_scheduled(
            run, waiting["eventId"], attrs["taskList"]["name"], due_ms
        )
    return token


def _reopen_activities(engine: Engine, run: Run, work: OpenWork, clock: _Clock) -> dict[str, str]:
    tokens = {}
    for scheduled_id, opened in work.activities.items():
        scheduled, started = opened.opened, opened.started
        started_at = (started["eventId"], clock.at(started)) if started else None
        task = activities.reopen(
            engine, run, attrs_of(scheduled), (scheduled_id, clock.at(scheduled)), started_at
        )
        task.cancel_requested_id = work.cancel_requests.get(scheduled_id)
        if task.token is not None:
            tokens[task.activity_id] = task.token
    return tokens


def _reopen_timers(engine: Engine, run: Run, work: OpenWork, clock: _Clock) -> None:
    for timer_id, event in work.timers.items():
        due_ms = clock.at(event) + int(attrs_of(event)["startToFireTimeout"]) * 1000
        decisions.arm_timer(engine, run, timer_id, event["eventId"], due_ms)


def _reopen_children(engine: Engine, run: Run, work: OpenWork, started: JsonDict) -> None:
    for initiated_id, opened in work.children.items():
        initiated = attrs_of(opened.opened)
        link = ChildLink(initiated_id, initiated["workflowId"], initiated["workflowType"])
        run.children[initiated_id] = link
        if opened.started is None:
            children.start_reopened(engine, run, link, initiated)
        else:
            link.started_id = opened.started["eventId"]
            child = attrs_of(opened.started)["workflowExecution"]
            _link(engine, run, link, child)
    parent = started.get("parentWorkflowExecution")
    if parent is not None:
        parent_run = engine.find_open_run(run.domain, parent["workflowId"], parent["runId"])
        waiting = parent_run.children.get(started["parentInitiatedEventId"]) if parent_run else None
        if parent_run is not None and waiting is not None:
            _link(engine, parent_run, waiting, run.execution)


def _link(engine: Engine, parent: Run, link: ChildLink, child: JsonDict) -> None:
    """Connect a parent's link to its child run, when both are open here."""
    found = engine.find_open_run(parent.domain, child["workflowId"], child["runId"])
    if found is not None and found.workflow_id == link.workflow_id:
        link.run = found
        found.parent = ParentLink(parent, link.initiated_id)
