"""``Simulator.resume``: a production history continues as a live run on the virtual clock.

The history is loaded and validated, its domain and workflow type must be registered in the
Simulator, and the clock moves to the history's last event if it is earlier (never back). The
model then puts back what the history leaves open (:mod:`swfsim.model.resume`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from swfsim.errors import UnknownResourceFault, WorkflowExecutionAlreadyStartedFault
from swfsim.model.enums import TypeKind
from swfsim.model.resume import millis, reopen_run
from swfsim.replay._history import History, JsonDict
from swfsim.replay._load import HistorySource, load_history
from swfsim.replay._validate import validate_history

if TYPE_CHECKING:
    from swfsim.simulator import Simulator


@dataclass(frozen=True)
class ResumedRun:
    """A history resumed as an open run, and the tasks production's workers were holding.

    Attributes:
        execution: the run's ``{"workflowId", "runId"}``.
        decision_task_token: the token that answers the decision task production's decider had
            started and not answered (None if there was none); unanswered, the task times out
            when its start-to-close timeout runs out, and a new one is scheduled.
        activity_task_tokens: for each activity task a worker had started, by activityId, the
            token that answers it (``respond_activity_task_completed`` and the others).
    """

    execution: JsonDict
    decision_task_token: str | None
    activity_task_tokens: dict[str, str]


def resume(
    sim: Simulator,
    history: HistorySource,
    *,
    domain: str,
    workflow_id: str | None = None,
    run_id: str | None = None,
) -> ResumedRun:
    """Load ``history`` into ``sim`` as an open run (see :meth:`swfsim.Simulator.resume`)."""
    loaded = load_history(history)
    _check_resumable(loaded)
    named = loaded.execution or {}
    with sim.clock.lock:
        engine = sim.engine
        registered = engine.registry.domain(domain)
        workflow_type = registered.lookup_type(TypeKind.WORKFLOW, loaded.workflow_type or {})
        if workflow_type is None:
            shown = loaded.workflow_type or {}
            raise UnknownResourceFault(
                f"Unknown type: WorkflowType=[name={shown.get('name')}, "
                f"version={shown.get('version')}] in domain {domain}: register the history's "
                "workflow type before resuming it"
            )
        execution = {
            "workflowId": workflow_id or named.get("workflowId") or _required_workflow_id(),
            "runId": run_id or named.get("runId") or engine.new_run_id(),
        }
        if engine.find_open_run(registered, execution["workflowId"], None) is not None:
            raise WorkflowExecutionAlreadyStartedFault(
                f"An open execution with workflowId {execution['workflowId']} already exists "
                f"in domain {domain}"
            )
        last_ms = millis(loaded.events[-1])
        if sim.clock.now_ms() < last_ms:
            sim.clock.advance_to_ms(last_ms)
        reopened = reopen_run(engine, registered, workflow_type, execution, loaded.events)
        sim.clock.changed.notify_all()  # waiting polls may have a task now
    return ResumedRun(execution, reopened.decision_token, reopened.activity_tokens)


def _check_resumable(history: History) -> None:
    problems = validate_history(history)
    if problems:
        listed = "\n".join(f"  {problem}" for problem in problems)
        raise ValueError(f"cannot resume {history.label}: the history is not valid:\n{listed}")
    close = history.close_event
    if close is not None:
        raise ValueError(
            f"cannot resume {history.label}: it closed (event {close['eventId']}, "
            f"{close['eventType']})"
        )


def _required_workflow_id() -> str:
    raise ValueError("the history does not name its run: pass workflow_id= (and run_id=)")
