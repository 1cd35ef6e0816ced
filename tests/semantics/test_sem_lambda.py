"""Lambda tasks (SWF API Reference: ScheduleLambdaFunctionDecisionAttributes and the Lambda*
events): Python callables stand in for AWS Lambda functions."""

from __future__ import annotations

import pytest
from sem_support import Flow, at, complete, covers, schedule_lambda

ROLE = "arn:aws:iam::123456789012:role/swf-lambda"
UNTRUSTED = "arn:aws:iam::123456789012:role/trusts-only-ec2"
BLOCK = [
    "WorkflowExecutionStarted",
    "DecisionTaskScheduled",
    "DecisionTaskStarted",
    "DecisionTaskCompleted",
]


def _shout(payload: str | None) -> str:
    return (payload or "").upper()


def _explode(payload: str | None) -> str:
    raise ValueError(f"cannot handle {payload}")


@covers("LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionCompleted")
def test_lambda_function_completed(flow: Flow) -> None:
    flow.sim.register_lambda("shout", _shout, duration=2.5)
    run_id = flow.start("w", lambdaRole=ROLE)
    flow.decide(schedule_lambda("l1", "shout", input="hello", control="ctl"))
    assert flow.describe("w", run_id)["openCounts"]["openLambdaFunctions"] == 1
    flow.sim.clock.advance(2.5)
    history = flow.history("w", run_id)
    assert history.types == [
        *BLOCK,
        "LambdaFunctionScheduled",
        "LambdaFunctionStarted",
        "LambdaFunctionCompleted",
        "DecisionTaskScheduled",
    ]
    assert history[5] == {
        "id": "l1",
        "name": "shout",
        "control": "ctl",
        "input": "hello",
        "decisionTaskCompletedEventId": 4,
    }
    assert history[6] == {"scheduledEventId": 5}
    assert history[7] == {"scheduledEventId": 5, "startedEventId": 6, "result": "HELLO"}
    assert (history.time(6), history.time(7)) == (at(0), at(2.5))
    assert flow.describe("w", run_id)["openCounts"]["openLambdaFunctions"] == 0


@covers("LambdaFunctionFailed")
def test_lambda_function_failed(flow: Flow) -> None:
    flow.sim.register_lambda("explode", _explode)
    run_id = flow.start("w", lambdaRole=ROLE)
    flow.decide(schedule_lambda("l1", "explode", input="x"))
    history = flow.history("w", run_id)
    assert history.types[4:] == [
        "LambdaFunctionScheduled",
        "LambdaFunctionStarted",
        "LambdaFunctionFailed",
        "DecisionTaskScheduled",
    ]
    assert history[7] == {
        "scheduledEventId": 5,
        "startedEventId": 6,
        "reason": "ValueError",
        "details": "cannot handle x",
    }


@covers("LambdaFunctionTimedOut", timeouts=("LambdaFunctionTimeoutType.START_TO_CLOSE",))
def test_lambda_function_timed_out(flow: Flow) -> None:
    flow.sim.register_lambda("slow", _shout, duration=20)
    run_id = flow.start("w", lambdaRole=ROLE)
    flow.decide(schedule_lambda("l1", "slow", startToCloseTimeout="10"))
    flow.sim.clock.advance(9.999)
    assert flow.history("w", run_id).types[-1] == "LambdaFunctionStarted"
    flow.sim.clock.advance(0.001)
    history = flow.history("w", run_id)
    assert history.types[4:] == [
        "LambdaFunctionScheduled",
        "LambdaFunctionStarted",
        "LambdaFunctionTimedOut",
        "DecisionTaskScheduled",
    ]
    assert history[5] == {
        "id": "l1",
        "name": "slow",
        "startToCloseTimeout": "10",
        "decisionTaskCompletedEventId": 4,
    }
    assert history[7] == {
        "scheduledEventId": 5,
        "startedEventId": 6,
        "timeoutType": "START_TO_CLOSE",
    }
    assert history.time(7) == at(10)


@covers(
    "ScheduleLambdaFunctionFailed",
    causes=("ScheduleLambdaFunctionFailedCause.LAMBDA_SERVICE_NOT_AVAILABLE_IN_REGION",),
)
def test_schedule_lambda_function_in_a_run_without_a_role(flow: Flow) -> None:
    # The model's lambdaRole documentation: without a role, scheduling fails with
    # ScheduleLambdaFunctionFailed (none of its causes fits; this is the default Options one).
    flow.sim.register_lambda("shout", _shout)
    run_id = flow.start("w")
    flow.decide(schedule_lambda("l1", "shout"))
    history = flow.history("w", run_id)
    assert history.types == [*BLOCK, "ScheduleLambdaFunctionFailed", "DecisionTaskScheduled"]
    assert history[5] == {
        "id": "l1",
        "name": "shout",
        "cause": "LAMBDA_SERVICE_NOT_AVAILABLE_IN_REGION",
        "decisionTaskCompletedEventId": 4,
    }


@pytest.mark.sim_options(lambda_without_role_cause="ASSUME_ROLE_FAILED")
@covers("StartLambdaFunctionFailed", causes=("StartLambdaFunctionFailedCause.ASSUME_ROLE_FAILED",))
def test_start_lambda_function_fails_without_a_role(flow: Flow) -> None:
    flow.sim.register_lambda("shout", _shout)
    run_id = flow.start("w")
    flow.decide(schedule_lambda("l1", "shout", input="x"))
    history = flow.history("w", run_id)
    assert history.types == [
        *BLOCK,
        "LambdaFunctionScheduled",
        "StartLambdaFunctionFailed",
        "DecisionTaskScheduled",
    ]
    assert history[5] == {
        "id": "l1",
        "name": "shout",
        "input": "x",
        "decisionTaskCompletedEventId": 4,
    }
    assert history[6] == {
        "scheduledEventId": 5,
        "cause": "ASSUME_ROLE_FAILED",
        "message": "The workflow execution has no lambdaRole to invoke Lambda functions with",
    }
    assert flow.describe("w", run_id)["openCounts"]["openLambdaFunctions"] == 0


@pytest.mark.sim_options(unassumable_roles=frozenset({UNTRUSTED}))
@covers("StartLambdaFunctionFailed", causes=("StartLambdaFunctionFailedCause.ASSUME_ROLE_FAILED",))
def test_start_lambda_function_fails_with_a_role_swf_cannot_assume(flow: Flow) -> None:
    calls: list[str | None] = []

    def shout(payload: str | None) -> str:
        calls.append(payload)
        return _shout(payload)

    flow.sim.register_lambda("shout", shout)
    run_id = flow.start("w", lambdaRole=UNTRUSTED)
    flow.decide(schedule_lambda("l1", "shout", input="x"), schedule_lambda("l2", "shout"))
    history = flow.history("w", run_id)
    assert history.types == [
        *BLOCK,
        "LambdaFunctionScheduled",
        "LambdaFunctionScheduled",
        "StartLambdaFunctionFailed",
        "DecisionTaskScheduled",
        "StartLambdaFunctionFailed",
    ]
    assert history[5] == {
        "id": "l1",
        "name": "shout",
        "input": "x",
        "decisionTaskCompletedEventId": 4,
    }
    message = (
        f"Amazon SWF could not assume the lambdaRole {UNTRUSTED}: the role must exist and trust "
        "swf.amazonaws.com to call sts:AssumeRole (it is in Options.unassumable_roles)"
    )
    assert history[7] == {"scheduledEventId": 5, "cause": "ASSUME_ROLE_FAILED", "message": message}
    assert history[9] == {"scheduledEventId": 6, "cause": "ASSUME_ROLE_FAILED", "message": message}
    assert {history.time(7), history.time(9)} == {at(0)}
    assert calls == []  # the function never ran
    assert flow.describe("w", run_id)["openCounts"]["openLambdaFunctions"] == 0
    # Another run, with a role SWF can assume, invokes the same function.
    other_run = flow.start("v", lambdaRole=ROLE, taskList={"name": "v"})
    flow.decide(schedule_lambda("l1", "shout", input="y"), task_list={"name": "v"})
    assert flow.history("v", other_run).types[-2:] == [
        "LambdaFunctionCompleted",
        "DecisionTaskScheduled",
    ]
    assert calls == ["y"]


@covers(
    "ScheduleLambdaFunctionFailed",
    causes=("ScheduleLambdaFunctionFailedCause.ID_ALREADY_IN_USE",),
)
def test_schedule_lambda_function_with_an_open_id(flow: Flow) -> None:
    flow.sim.register_lambda("shout", _shout, duration=5)
    run_id = flow.start("w", lambdaRole=ROLE)
    flow.decide(schedule_lambda("l1", "shout"), schedule_lambda("l1", "shout"))
    history = flow.history("w", run_id)
    assert history.types == [
        *BLOCK,
        "LambdaFunctionScheduled",
        "ScheduleLambdaFunctionFailed",
        "DecisionTaskScheduled",
        "LambdaFunctionStarted",
    ]
    assert history[6] == {
        "id": "l1",
        "name": "shout",
        "cause": "ID_ALREADY_IN_USE",
        "decisionTaskCompletedEventId": 4,
    }


@covers(
    "ScheduleLambdaFunctionFailed",
    causes=("ScheduleLambdaFunctionFailedCause.OPEN_LAMBDA_FUNCTIONS_LIMIT_EXCEEDED",),
)
def test_schedule_lambda_function_beyond_1000_open_ones(flow: Flow) -> None:
    flow.sim.register_lambda("shout", _shout, duration=5)
    run_id = flow.start("w", lambdaRole=ROLE)
    flow.decide(*(schedule_lambda(f"l{index}", "shout") for index in range(1001)))
    history = flow.history("w", run_id)
    assert history.types == [
        *BLOCK,
        *["LambdaFunctionScheduled"] * 1000,
        "ScheduleLambdaFunctionFailed",
        "DecisionTaskScheduled",
        *["LambdaFunctionStarted"] * 1000,
    ]
    assert history[1005] == {
        "id": "l1000",
        "name": "shout",
        "cause": "OPEN_LAMBDA_FUNCTIONS_LIMIT_EXCEEDED",
        "decisionTaskCompletedEventId": 4,
    }
    assert flow.describe("w", run_id)["openCounts"]["openLambdaFunctions"] == 1000


@pytest.mark.sim_options(lambda_without_role_cause="ASSUME_ROLE_FAILED")
def test_no_start_failure_is_recorded_after_the_run_closed(flow: Flow) -> None:
    # The closing event stays the last event of the history.
    run_id = flow.start("w")
    flow.decide(schedule_lambda("l1", "shout"), complete())
    history = flow.history("w", run_id)
    assert history.types == [*BLOCK, "LambdaFunctionScheduled", "WorkflowExecutionCompleted"]


def test_lambda_still_running_when_the_run_closes_is_abandoned(flow: Flow) -> None:
    flow.sim.register_lambda("shout", _shout, duration=5)
    run_id = flow.start("w", lambdaRole=ROLE)
    flow.decide(schedule_lambda("l1", "shout"), complete())
    flow.sim.clock.advance(10)
    history = flow.history("w", run_id)
    assert history.types == [*BLOCK, "LambdaFunctionScheduled", "WorkflowExecutionCompleted"]
