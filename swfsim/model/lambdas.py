"""Lambda tasks (the ScheduleLambdaFunction decision and the Lambda* events of the SWF API
Reference): Python callables registered on the Simulator stand in for AWS Lambda functions,
invoked in virtual time."""

from __future__ import annotations

from swfsim.model.batch import DecisionBatch
from swfsim.model.engine import Engine
from swfsim.model.registry import JsonDict
from swfsim.model.run import LambdaTask, Run

MAX_OPEN_LAMBDAS = 1000
DEFAULT_TIMEOUT_SECONDS = 900
ASSUME_ROLE_FAILED = "ASSUME_ROLE_FAILED"
_MESSAGE_LIMIT = 1728  # the model's CauseMessage

Outcome = tuple[str, JsonDict]


def schedule(batch: DecisionBatch, attrs: JsonDict) -> None:
    """LambdaFunctionScheduled (or ScheduleLambdaFunctionFailed), then the invocation."""
    run, engine = batch.run, batch.engine
    role = run.config.lambda_role
    missing_role_cause = engine.options.lambda_without_role_cause
    cause = None
    if role is None and missing_role_cause != ASSUME_ROLE_FAILED:
        cause = missing_role_cause
    elif attrs["id"] in run.lambdas:
        cause = "ID_ALREADY_IN_USE"
    elif len(run.lambdas) >= MAX_OPEN_LAMBDAS:
        cause = "OPEN_LAMBDA_FUNCTIONS_LIMIT_EXCEEDED"
    if cause is not None:
        batch.fail("ScheduleLambdaFunctionFailed", id=attrs["id"], name=attrs["name"], cause=cause)
        return
    scheduled_id = batch.record(
        "LambdaFunctionScheduled",
        id=attrs["id"],
        name=attrs["name"],
        control=attrs.get("control"),
        input=attrs.get("input"),
        startToCloseTimeout=attrs.get("startToCloseTimeout"),
    )
    task = LambdaTask(attrs["id"], scheduled_id)
    run.lambdas[task.lambda_id] = task
    problem = _assume_role_problem(engine, role)
    if problem is None:
        batch.after(lambda: _invoke(engine, run, task, attrs))
    else:
        batch.after(lambda: _fail_to_start(engine, run, task, problem))


def _assume_role_problem(engine: Engine, role: str | None) -> str | None:
    """Why SWF cannot assume the run's lambdaRole to invoke functions, or None if it can."""
    if role is None:
        return "The workflow execution has no lambdaRole to invoke Lambda functions with"
    if role in engine.options.unassumable_roles:
        # SWF assumes the role as swf.amazonaws.com ("AWS Lambda Tasks", SWF Developer Guide).
        message = (
            f"Amazon SWF could not assume the lambdaRole {role}: the role must exist and trust "
            "swf.amazonaws.com to call sts:AssumeRole (it is in Options.unassumable_roles)"
        )
        return message[:_MESSAGE_LIMIT]
    return None


def reopen(
    engine: Engine, run: Run, scheduled: JsonDict, scheduled_id: int, started_id: int
) -> None:
    """Put back a Lambda task of a resumed run (``scheduled``: its LambdaFunctionScheduled
    attributes; ``started_id``: its LambdaFunctionStarted, 0 if it had not started).

    Its invocation in production is not in the history, so the registered function is invoked
    again now, after the run's other open work is back: started (if it had not) and run.
    """
    task = LambdaTask(scheduled["id"], scheduled_id, started_id)
    run.lambdas[task.lambda_id] = task
    problem = None if started_id else _assume_role_problem(engine, run.config.lambda_role)
    if started_id:
        engine.defer(lambda: _run(engine, run, task, scheduled))
    elif problem is not None:
        engine.defer(lambda: _fail_to_start(engine, run, task, problem))
    else:
        engine.defer(lambda: _invoke(engine, run, task, scheduled))


def _fail_to_start(engine: Engine, run: Run, task: LambdaTask, message: str) -> None:
    if not run.is_open:  # closed by a later decision of the same answer: nothing more to record
        return
    del run.lambdas[task.lambda_id]
    failed = {
        "scheduledEventId": task.scheduled_id,
        "cause": ASSUME_ROLE_FAILED,
        "message": message,
    }
    engine.record_and_decide(run, "StartLambdaFunctionFailed", failed)


def _invoke(engine: Engine, run: Run, task: LambdaTask, attrs: JsonDict) -> None:
    if not run.is_open:
        return
    task.started_id = run.history.append(
        "LambdaFunctionStarted", {"scheduledEventId": task.scheduled_id}
    )
    _run(engine, run, task, attrs)


def _run(engine: Engine, run: Run, task: LambdaTask, attrs: JsonDict) -> None:
    timeout = float(attrs.get("startToCloseTimeout") or DEFAULT_TIMEOUT_SECONDS)
    invocation = engine.lambdas.invoke(attrs["name"], attrs.get("input"))
    outcome: Outcome = (invocation.event_type, invocation.attributes)
    duration = invocation.seconds
    if duration >= timeout:
        outcome, duration = ("LambdaFunctionTimedOut", {"timeoutType": "START_TO_CLOSE"}), timeout
    if duration == 0:
        _finish(engine, run, task, outcome)
    else:
        task.deadline = engine.clock.call_later(
            duration, lambda: _finish(engine, run, task, outcome)
        )


def _finish(engine: Engine, run: Run, task: LambdaTask, outcome: Outcome) -> None:
    del run.lambdas[task.lambda_id]
    event_type, attrs = outcome
    linked = {**attrs, "scheduledEventId": task.scheduled_id, "startedEventId": task.started_id}
    engine.record_and_decide(run, event_type, linked)
