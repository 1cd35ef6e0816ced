"""Applying a decider's decisions to its run (SWF API Reference: RespondDecisionTaskCompleted).

Two layers, as in SWF: what is wrong in the request itself rejects the whole call with a
``ValidationException`` before anything is recorded (``check_request``); what depends on the
state of the run becomes a ``*Failed`` event and processing goes on with the next decision.
"""

from __future__ import annotations

from swfsim import spec
from swfsim.errors import ValidationException
from swfsim.model import activities, children, external, lambdas
from swfsim.model.batch import DecisionBatch, Handler
from swfsim.model.durations import is_whole_number, seconds
from swfsim.model.engine import Engine
from swfsim.model.enums import CloseStatus, TypeKind
from swfsim.model.registry import JsonDict, present
from swfsim.model.run import Run, Timer
from swfsim.validation import problem_message, violation

MAX_OPEN_ACTIVITIES = 1000
MAX_OPEN_TIMERS = 1000
MAX_LAMBDA_SECONDS = 900

CLOSE_DECISIONS = frozenset(
    {
        "CompleteWorkflowExecution",
        "FailWorkflowExecution",
        "CancelWorkflowExecution",
        "ContinueAsNewWorkflowExecution",
    }
)

_ACTIVITY_DEFAULTS = (
    ("taskList", "defaultTaskList", "DEFAULT_TASK_LIST_UNDEFINED"),
    (
        "scheduleToCloseTimeout",
        "defaultTaskScheduleToCloseTimeout",
        "DEFAULT_SCHEDULE_TO_CLOSE_TIMEOUT_UNDEFINED",
    ),
    (
        "scheduleToStartTimeout",
        "defaultTaskScheduleToStartTimeout",
        "DEFAULT_SCHEDULE_TO_START_TIMEOUT_UNDEFINED",
    ),
    (
        "startToCloseTimeout",
        "defaultTaskStartToCloseTimeout",
        "DEFAULT_START_TO_CLOSE_TIMEOUT_UNDEFINED",
    ),
    ("heartbeatTimeout", "defaultTaskHeartbeatTimeout", "DEFAULT_HEARTBEAT_TIMEOUT_UNDEFINED"),
)


def attributes_member(decision_type: str) -> str:
    """The Decision member holding a decision type's attributes."""
    return spec.attributes_key(decision_type, "DecisionAttributes")


def check_request(decisions: list[JsonDict]) -> None:
    """Reject, before anything is applied, a decision list SWF would refuse as a whole.

    Raises:
        ValidationException: attributes missing or given under another decision type's key,
            or a close decision that is not last.
    """
    problems: list[str] = []
    for index, decision in enumerate(decisions, start=1):
        problems.extend(_decision_problems(decision, f"decisions.{index}.member"))
        problems.extend(_lambda_timeout_problems(decision, f"decisions.{index}.member"))
        if decision["decisionType"] in CLOSE_DECISIONS and index != len(decisions):
            problems.append(
                f"Decision '{decision['decisionType']}' at 'decisions.{index}.member' must be "
                "the last decision in the list: a decision that closes the workflow execution "
                "cannot be followed by other decisions"
            )
    if problems:
        raise ValidationException(problem_message(problems))


def _decision_problems(decision: JsonDict, path: str) -> list[str]:
    decision_type = decision["decisionType"]
    own = attributes_member(decision_type)
    problems = [
        f"Value at '{path}.{key}' failed to satisfy constraint: Member must be null for a "
        f"decision of type {decision_type}"
        for key in decision
        if key not in ("decisionType", own) and decision[key] is not None
    ]
    attributes_shape = spec.structure("Decision").members[own]
    required = getattr(attributes_shape, "required_members", ())
    if required and decision.get(own) is None:
        problems.append(
            f"Value null at '{path}.{own}' failed to satisfy constraint: Member must not be null"
        )
    return problems


def _lambda_timeout_problems(decision: JsonDict, path: str) -> list[str]:
    """A Lambda task's startToCloseTimeout must be 1 to 900 seconds (model: ScheduleLambda...)."""
    attrs = decision.get("scheduleLambdaFunctionDecisionAttributes") or {}
    timeout = attrs.get("startToCloseTimeout")
    # The input check has made it a string of at most 8 characters by now.
    if timeout is None or (is_whole_number(timeout, MAX_LAMBDA_SECONDS) and int(timeout) >= 1):
        return []
    where = f"{path}.scheduleLambdaFunctionDecisionAttributes.startToCloseTimeout"
    return [
        violation(timeout, where, f"be a whole number of seconds from 1 to {MAX_LAMBDA_SECONDS}")
    ]


def apply(batch: DecisionBatch, decisions: list[JsonDict]) -> None:
    """Apply the decisions in order; stops early only if the run closed."""
    denied = batch.engine.options.denied
    for decision in decisions:
        if not batch.run.is_open:
            break
        decision_type = decision["decisionType"]
        attrs = decision.get(attributes_member(decision_type)) or {}
        if decision_type in denied and decision_type in _FAILURES:
            _deny(batch, decision_type, attrs)
        else:
            _HANDLERS[decision_type](batch, attrs)


# For each decision type that can be denied, the event that records its failure and the
# decision attributes that event repeats; the three that initiate something carry
# initiatedEventId 0 (nothing was initiated).
_FAILURES: dict[str, tuple[str, tuple[str, ...]]] = {
    "ScheduleActivityTask": ("ScheduleActivityTaskFailed", ("activityType", "activityId")),
    "RequestCancelActivityTask": ("RequestCancelActivityTaskFailed", ("activityId",)),
    "CompleteWorkflowExecution": ("CompleteWorkflowExecutionFailed", ()),
    "FailWorkflowExecution": ("FailWorkflowExecutionFailed", ()),
    "CancelWorkflowExecution": ("CancelWorkflowExecutionFailed", ()),
    "ContinueAsNewWorkflowExecution": ("ContinueAsNewWorkflowExecutionFailed", ()),
    "RecordMarker": ("RecordMarkerFailed", ("markerName",)),
    "StartTimer": ("StartTimerFailed", ("timerId",)),
    "CancelTimer": ("CancelTimerFailed", ("timerId",)),
    "SignalExternalWorkflowExecution": (
        "SignalExternalWorkflowExecutionFailed",
        ("workflowId", "runId", "control"),
    ),
    "RequestCancelExternalWorkflowExecution": (
        "RequestCancelExternalWorkflowExecutionFailed",
        ("workflowId", "runId", "control"),
    ),
    "StartChildWorkflowExecution": (
        "StartChildWorkflowExecutionFailed",
        ("workflowType", "workflowId", "control"),
    ),
    # ScheduleLambdaFunctionFailedCause has no OPERATION_NOT_PERMITTED: it cannot be denied.
}
_INITIATED = frozenset(
    {
        "SignalExternalWorkflowExecution",
        "RequestCancelExternalWorkflowExecution",
        "StartChildWorkflowExecution",
    }
)


def _deny(batch: DecisionBatch, decision_type: str, attrs: JsonDict) -> None:
    """A decision the simulated IAM policy denies (Options.denied)."""
    event_type, members = _FAILURES[decision_type]
    repeated = {member: attrs.get(member) for member in members}
    if decision_type in _INITIATED:
        repeated["initiatedEventId"] = 0
    batch.fail(event_type, cause="OPERATION_NOT_PERMITTED", **repeated)


def _schedule_activity(batch: DecisionBatch, attrs: JsonDict) -> None:
    run = batch.run
    activity_type, activity_id = attrs["activityType"], attrs["activityId"]
    registered = run.domain.lookup_type(TypeKind.ACTIVITY, activity_type)
    cause = None
    if registered is None:
        cause = "ACTIVITY_TYPE_DOES_NOT_EXIST"
    elif registered.deprecated:
        cause = "ACTIVITY_TYPE_DEPRECATED"
    elif activity_id in run.activities:
        cause = "ACTIVITY_ID_ALREADY_IN_USE"
    elif len(run.activities) >= MAX_OPEN_ACTIVITIES:
        cause = "OPEN_ACTIVITIES_LIMIT_EXCEEDED"
    resolved = dict(attrs)
    if cause is None and registered is not None:
        cause = _resolve_defaults(resolved, registered.defaults)
    if cause is not None:
        batch.fail(
            "ScheduleActivityTaskFailed",
            activityType=activity_type,
            activityId=activity_id,
            cause=cause,
        )
        return
    assert registered is not None
    resolved["taskPriority"] = attrs.get(
        "taskPriority", registered.defaults.get("defaultTaskPriority")
    )
    scheduled = present(**resolved, decisionTaskCompletedEventId=batch.completed_id)
    activities.schedule(batch.engine, run, scheduled)


def _resolve_defaults(resolved: JsonDict, defaults: JsonDict) -> str | None:
    """Fill unset members from the activity type's defaults; the cause if one stays unset."""
    for member, default, undefined in _ACTIVITY_DEFAULTS:
        if resolved.setdefault(member, defaults.get(default)) is None:
            return undefined
    return None


def _record_marker(batch: DecisionBatch, attrs: JsonDict) -> None:
    batch.record("MarkerRecorded", markerName=attrs["markerName"], details=attrs.get("details"))


def _start_timer(batch: DecisionBatch, attrs: JsonDict) -> None:
    run, timer_id = batch.run, attrs["timerId"]
    cause = None
    if timer_id in run.timers:
        cause = "TIMER_ID_ALREADY_IN_USE"
    elif len(run.timers) >= MAX_OPEN_TIMERS:
        cause = "OPEN_TIMERS_LIMIT_EXCEEDED"
    if cause is not None:
        batch.fail("StartTimerFailed", timerId=timer_id, cause=cause)
        return
    delay = seconds(attrs["startToFireTimeout"]) or 0
    started_id = batch.record(
        "TimerStarted",
        timerId=timer_id,
        control=attrs.get("control"),
        startToFireTimeout=attrs["startToFireTimeout"],
    )
    due_ms = batch.engine.clock.now_ms() + delay * 1000
    arm_timer(batch.engine, run, timer_id, started_id, due_ms)


def arm_timer(engine: Engine, run: Run, timer_id: str, started_id: int, due_ms: int) -> None:
    """An open timer of the run, started by event ``started_id``, that fires at ``due_ms``."""
    deadline = engine.clock.call_at_ms(due_ms, lambda: _fire_timer(engine, run, timer_id))
    run.timers[timer_id] = Timer(timer_id, started_id, deadline)


def _fire_timer(engine: Engine, run: Run, timer_id: str) -> None:
    timer = run.timers.pop(timer_id)
    engine.record_and_decide(
        run, "TimerFired", {"timerId": timer_id, "startedEventId": timer.started_id}
    )


def _cancel_timer(batch: DecisionBatch, attrs: JsonDict) -> None:
    timer = batch.run.timers.pop(attrs["timerId"], None)
    if timer is None:
        batch.fail("CancelTimerFailed", timerId=attrs["timerId"], cause="TIMER_ID_UNKNOWN")
        return
    timer.deadline.cancel()
    batch.record("TimerCanceled", timerId=timer.timer_id, startedEventId=timer.started_id)


def _closer(status: CloseStatus, event_type: str, members: tuple[str, ...]) -> Handler:
    failed_event = {
        "WorkflowExecutionCompleted": "CompleteWorkflowExecutionFailed",
        "WorkflowExecutionFailed": "FailWorkflowExecutionFailed",
        "WorkflowExecutionCanceled": "CancelWorkflowExecutionFailed",
    }[event_type]

    def close(batch: DecisionBatch, attrs: JsonDict) -> None:
        if batch.unhandled:
            batch.fail(failed_event, cause="UNHANDLED_DECISION")
            return
        closing = present(
            **{m: attrs.get(m) for m in members}, decisionTaskCompletedEventId=batch.completed_id
        )
        batch.engine.close_run(batch.run, status, event_type, closing)

    return close


_HANDLERS: dict[str, Handler] = {
    "ScheduleActivityTask": _schedule_activity,
    "RecordMarker": _record_marker,
    "StartTimer": _start_timer,
    "CancelTimer": _cancel_timer,
    "CompleteWorkflowExecution": _closer(
        CloseStatus.COMPLETED, "WorkflowExecutionCompleted", ("result",)
    ),
    "FailWorkflowExecution": _closer(
        CloseStatus.FAILED, "WorkflowExecutionFailed", ("reason", "details")
    ),
    "CancelWorkflowExecution": _closer(
        CloseStatus.CANCELED, "WorkflowExecutionCanceled", ("details",)
    ),
    "RequestCancelActivityTask": activities.request_cancel,
    "ContinueAsNewWorkflowExecution": children.continue_as_new,
    "StartChildWorkflowExecution": children.start_child,
    "SignalExternalWorkflowExecution": external.signal,
    "RequestCancelExternalWorkflowExecution": external.request_cancel,
    "ScheduleLambdaFunction": lambdas.schedule,
}
