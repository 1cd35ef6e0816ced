"""Valid histories without a decider of your own: random valid decisions, random environment.

A decider that draws its decisions (:func:`swfsim.strategies.decisions` on the history it is
given) runs in the same driver as :func:`swfsim.strategies.executions`, so the environment's
choices are explored too, and every history is one SWF wrote.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from swfsim.strategies import _schedule as sch
from swfsim.strategies._api import _run, _setup, hypothesis_chooser
from swfsim.strategies._execution import Execution
from swfsim.strategies._values import decisions

JsonDict = dict[str, Any]
WORKFLOW_TYPE = "random-workflow"
CHILD_TYPE = "random-child"
# Short, so that activities time out before random decisions close the run; ordered as in
# executions() so that every timeout type can fire first.
_ACTIVITY_TIMEOUTS = {
    "defaultTaskScheduleToStartTimeout": "10",
    "defaultTaskScheduleToCloseTimeout": "25",
    "defaultTaskStartToCloseTimeout": "20",
    "defaultTaskHeartbeatTimeout": "5",
}


def histories(
    *,
    activity_types: tuple[str, ...] = ("work", "other-work"),
    signals: tuple[str, ...] = ("go",),
    children: bool = True,
    max_decision_tasks: int = 6,
    form: str = "boto3",
) -> st.SearchStrategy[list[JsonDict]]:
    """Histories SWF could write: a run driven by random valid decisions in a random world.

    Args:
        activity_types: the activity types registered (each returns its input).
        signals: outside signals that may arrive.
        children: whether decisions may start child runs (of a type with no decider, which
            complete, fail, time out or are terminated).
        max_decision_tasks: after this many decision tasks the decider completes the run.
        form: ``"boto3"`` (timestamps are datetimes, as ``get_workflow_execution_history``
            returns them) or ``"wire"`` (epoch seconds, as the service sends them).

    Returns:
        A strategy of event lists, oldest first.
    """
    if form not in ("boto3", "wire"):
        raise ValueError(f"form must be 'boto3' or 'wire', not {form!r}")
    return runs(
        activity_types=activity_types,
        signals=signals,
        children=children,
        max_decision_tasks=max_decision_tasks,
    ).map(lambda run: run.history if form == "boto3" else run.wire_history)


@st.composite
def runs(
    draw: st.DrawFn,
    *,
    activity_types: tuple[str, ...] = ("work", "other-work"),
    signals: tuple[str, ...] = ("go",),
    children: bool = True,
    max_decision_tasks: int = 6,
) -> Execution:
    """The runs :func:`histories` takes its histories from (Executions, for their timelines)."""
    child_types = [(CHILD_TYPE, "1")] if children else []

    def decide(task: JsonDict) -> list[JsonDict]:
        events = task["events"]
        tasks_so_far = sum(event["eventType"] == "DecisionTaskCompleted" for event in events)
        if tasks_so_far >= max_decision_tasks:
            return [{"decisionType": "CompleteWorkflowExecution"}]
        return draw(
            decisions(
                events,
                activity_types=[(name, "1") for name in activity_types],
                child_workflow_types=child_types,
                workflow_id=task["workflowExecution"]["workflowId"],
            )
        )

    setup = _setup(
        {WORKFLOW_TYPE: decide},
        dict.fromkeys(activity_types, _echo),
        WORKFLOW_TYPE,
        None,
        signals,
        [CHILD_TYPE] if children else [],
        sch.KINDS,
        None,
        _ACTIVITY_TIMEOUTS,
        500,
    )
    return _run(setup, hypothesis_chooser(sch.KINDS))


def _echo(value: str | None) -> str | None:
    return value
