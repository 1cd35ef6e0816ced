"""Parents and children: what a parent records when its child closes, and the child policy
applied to open children when the parent is terminated or times out (SWF API Reference: the
ChildWorkflowExecution* events and the childPolicy members; Developer Guide:
swf-dev-adv-child-workflows.html)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from swfsim.model.enums import CloseStatus
from swfsim.model.registry import JsonDict, present
from swfsim.model.run import ChildLink, Run

if TYPE_CHECKING:
    from swfsim.model.engine import Engine

# The parent's event for each way a child can close, and the child's members it repeats.
_PARENT_EVENTS: dict[CloseStatus, tuple[str, tuple[str, ...]]] = {
    CloseStatus.COMPLETED: ("ChildWorkflowExecutionCompleted", ("result",)),
    CloseStatus.FAILED: ("ChildWorkflowExecutionFailed", ("reason", "details")),
    CloseStatus.CANCELED: ("ChildWorkflowExecutionCanceled", ("details",)),
    CloseStatus.TIMED_OUT: ("ChildWorkflowExecutionTimedOut", ("timeoutType",)),
    CloseStatus.TERMINATED: ("ChildWorkflowExecutionTerminated", ()),
}
# Only these closings apply the child policy: AWS documents it for termination and time-out
# only, and only their closing events carry a childPolicy.
_POLICY_CLOSINGS = frozenset({CloseStatus.TERMINATED, CloseStatus.TIMED_OUT})
CHILD_POLICY_APPLIED = "CHILD_POLICY_APPLIED"


def run_closed(engine: Engine, run: Run, closing: JsonDict) -> None:
    """Tell the parent its child closed; apply the child policy to the run's own children."""
    if run.parent is not None and run.close_status is not CloseStatus.CONTINUED_AS_NEW:
        _notify_parent(engine, run, closing)
    if run.close_status in _POLICY_CLOSINGS:
        for link in list(run.children.values()):
            if link.run is not None and link.run.is_open:
                apply_child_policy(engine, link.run, closing["childPolicy"])


def _notify_parent(engine: Engine, child: Run, closing: JsonDict) -> None:
    assert child.parent is not None
    parent, initiated_id = child.parent.run, child.parent.initiated_id
    link = parent.children.pop(initiated_id, None)
    if link is None or not parent.is_open:
        return
    assert child.close_status is not None
    event_type, members = _PARENT_EVENTS[child.close_status]
    attrs = present(
        **{member: closing.get(member) for member in members},
        workflowExecution=child.execution,
        workflowType=link.workflow_type,
        initiatedEventId=link.initiated_id,
        startedEventId=link.started_id,
    )
    engine.record_and_decide(parent, event_type, attrs)


def apply_child_policy(engine: Engine, child: Run, policy: str) -> None:
    """Terminate the child, ask it to cancel, or leave it running (ABANDON)."""
    if policy == "TERMINATE":
        terminated = {"childPolicy": child.config.child_policy, "cause": CHILD_POLICY_APPLIED}
        engine.close_run(child, CloseStatus.TERMINATED, "WorkflowExecutionTerminated", terminated)
    elif policy == "REQUEST_CANCEL":
        child.cancel_requested = True
        engine.record_and_decide(
            child, "WorkflowExecutionCancelRequested", {"cause": CHILD_POLICY_APPLIED}
        )


def child_started(engine: Engine, parent: Run, link: ChildLink, child: Run) -> None:
    """Link a child that just started to its parent: ChildWorkflowExecutionStarted."""
    link.run = child
    link.started_id = engine.record_and_decide(
        parent,
        "ChildWorkflowExecutionStarted",
        {
            "workflowExecution": child.execution,
            "workflowType": link.workflow_type,
            "initiatedEventId": link.initiated_id,
        },
    )


def continued(successor: Run) -> None:
    """Point the parent's link at a continued child's new run.

    The new run was started with the old run's parent link. SWF has no "child continued" event,
    so the parent hears of the last run's close.
    """
    if successor.parent is not None:
        link = successor.parent.run.children.get(successor.parent.initiated_id)
        if link is not None:
            link.run = successor
