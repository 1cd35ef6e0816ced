"""Invariants people always want of a run, each a one-line check.

Each raises AssertionError naming what broke, followed by the run (its timeline and where its
history was written), so a failing ``@given`` test prints the whole story.
"""

from __future__ import annotations

from swfsim.strategies._execution import Execution, attributes_of

# Events SWF writes when it could not carry out a decision: the decider asked for something
# impossible (an activity type that does not exist, a timer id in use, ...).
_DECISION_FAILURES = frozenset(
    {
        "ScheduleActivityTaskFailed",
        "RequestCancelActivityTaskFailed",
        "StartTimerFailed",
        "CancelTimerFailed",
        "StartChildWorkflowExecutionFailed",
        "ScheduleLambdaFunctionFailed",
        "StartLambdaFunctionFailed",
        "CompleteWorkflowExecutionFailed",
        "FailWorkflowExecutionFailed",
        "CancelWorkflowExecutionFailed",
        "ContinueAsNewWorkflowExecutionFailed",
    }
)
_CLOSED_BY_DECIDER = frozenset({"COMPLETED", "FAILED", "CANCELED", "CONTINUED_AS_NEW"})
# Refused only because events arrived while the decider worked: SWF asks it again.
_NOT_A_BUG = "UNHANDLED_DECISION"


def closes_within(execution: Execution, seconds: float | None = None) -> None:
    """The decider closed the run (completed, failed, canceled or continued it as new, rather
    than leaving it to time out or stay open), within ``seconds`` of virtual time if given."""
    if execution.close_status not in _CLOSED_BY_DECIDER:
        _fail(f"the decider did not close the run ({execution.close_status or 'open'})", execution)
    if seconds is not None:
        first, last = execution.wire_history[0], execution.wire_history[-1]
        took = last["eventTimestamp"] - first["eventTimestamp"]
        if took > seconds:
            _fail(f"the run took {took:.3f} s of virtual time, more than {seconds} s", execution)


def no_failed_decisions(execution: Execution) -> None:
    """SWF carried out every decision: no ``...Failed`` event a decision caused (other than
    UNHANDLED_DECISION), and no answer SWF refused."""
    failed = []
    for events in execution.histories.values():
        for event in events:
            if event["eventType"] not in _DECISION_FAILURES:
                continue
            attributes = attributes_of(event)
            if attributes.get("cause") != _NOT_A_BUG:
                failed.append(f"{event['eventType']} (cause {attributes.get('cause')})")
    failed.extend(f"answer refused: {refusal}" for refusal in execution.refused)
    if failed:
        _fail("decisions failed: " + "; ".join(failed), execution)


def no_activity_id_reused_while_open(execution: Execution) -> None:
    """The decider never scheduled an activity id that was still open."""
    for events in execution.histories.values():
        for event in events:
            attributes = event.get("scheduleActivityTaskFailedEventAttributes", {})
            if attributes.get("cause") == "ACTIVITY_ID_ALREADY_IN_USE":
                _fail(f"activity id {attributes['activityId']} reused while open", execution)


def decider_never_raised(execution: Execution) -> None:
    """The decider returned decisions at every decision task it was given."""
    if execution.decider_errors:
        _fail("the decider raised", execution)


def check(execution: Execution, *, within: float | None = None) -> None:
    """All of the above: closes (within ``within`` seconds), no failed decision, no activity
    id reused while open, the decider never raised."""
    decider_never_raised(execution)
    no_activity_id_reused_while_open(execution)
    no_failed_decisions(execution)
    closes_within(execution, within)


def _fail(message: str, execution: Execution) -> None:
    raise AssertionError(f"{message}\n{execution!r}")
