"""Snapshots of runs with Lambda tasks: the journal records what each invocation gave, so a
restored Simulator goes on exactly as the original, and its replay calls no function."""

from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest

from swfsim import Simulator
from swfsim.harness import DecisionTask
from swfsim.journal import SnapshotError, restore, snapshot

ROLE = "arn:aws:iam::123456789012:role/swf-lambda"
JsonDict = dict[str, Any]


def invoke(lambda_id: str, name: str, payload: str | None = None) -> JsonDict:
    attributes = {"id": lambda_id, "name": name}
    if payload is not None:
        attributes["input"] = payload
    return {
        "decisionType": "ScheduleLambdaFunction",
        "scheduleLambdaFunctionDecisionAttributes": attributes,
    }


def decider(task: DecisionTask) -> list[JsonDict]:
    """total (60 s) and audit (fails at 5 s); tax (10 s) of total's result; then complete."""
    names: dict[int, str] = {}
    results: dict[str, str | None] = {}
    for event in task.events:
        if event["eventType"] == "LambdaFunctionScheduled":
            names[event["eventId"]] = event["lambdaFunctionScheduledEventAttributes"]["id"]
        elif event["eventType"] == "LambdaFunctionCompleted":
            completed = event["lambdaFunctionCompletedEventAttributes"]
            results[names[completed["scheduledEventId"]]] = completed.get("result")
    if not names:
        return [invoke("total", "total", task.input), invoke("audit", "audit")]
    if "total" in results and "tax" not in names.values():
        return [invoke("tax", "tax", results["total"])]
    if "tax" in results:
        return [
            {
                "decisionType": "CompleteWorkflowExecution",
                "completeWorkflowExecutionDecisionAttributes": {"result": results["tax"]},
            }
        ]
    return []


class Functions:
    """The three Lambda functions, counting their calls."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()

    def register(self, sim: Simulator, *names: str) -> None:
        table = {"total": (self.total, 60.0), "audit": (self.audit, 5.0), "tax": (self.tax, 10.0)}
        for name in names or table:
            function, seconds = table[name]
            sim.register_lambda(name, function, duration=seconds)

    def total(self, payload: str | None) -> str:
        self.calls["total"] += 1
        return str(sum(json.loads(payload or "[]")))

    def audit(self, _payload: str | None) -> str:
        self.calls["audit"] += 1
        raise PermissionError("the auditor is out")

    def tax(self, payload: str | None) -> str:
        self.calls["tax"] += 1
        return str(int(payload or "0") * 6 // 5)


def new_world(functions: Functions) -> Simulator:
    sim = Simulator(seed=11, journal=True)
    sim.handle("RegisterDomain", {"name": "d", "workflowExecutionRetentionPeriodInDays": "1"})
    sim.handle(
        "RegisterWorkflowType",
        {
            "domain": "d",
            "name": "invoice",
            "version": "1",
            "defaultTaskList": {"name": "deciders"},
            "defaultExecutionStartToCloseTimeout": "3600",
            "defaultTaskStartToCloseTimeout": "60",
            "defaultChildPolicy": "TERMINATE",
        },
    )
    functions.register(sim)
    set_up(sim)
    start(sim, "w-1", "[30, 12]")
    return sim


def set_up(sim: Simulator) -> None:
    """What a snapshot does not hold: the decider (its answers are in the journal)."""
    sim.decider("d", "invoice", decider)


def start(sim: Simulator, workflow_id: str, payload: str) -> None:
    sim.handle(
        "StartWorkflowExecution",
        {
            "domain": "d",
            "workflowId": workflow_id,
            "workflowType": {"name": "invoice", "version": "1"},
            "input": payload,
            "lambdaRole": ROLE,
        },
    )


def finish(sim: Simulator) -> None:
    """Run w-1 to its end, then a second run (its Lambda tasks all new)."""
    sim.run()
    start(sim, "w-2", "[100]")
    sim.run()


def histories(sim: Simulator) -> list[list[JsonDict]]:
    return [sim.history("d", workflow_id) for workflow_id in ("w-1", "w-2")]


def round_trip(sim: Simulator) -> JsonDict:
    data: JsonDict = json.loads(json.dumps(snapshot(sim)))
    return data


@pytest.mark.parametrize(
    "seconds",
    [30, 65, None],
    ids=["total-open", "tax-open", "at-the-end"],
)
def test_a_restored_run_goes_on_as_the_uninterrupted_one(seconds: int | None) -> None:
    uninterrupted = new_world(Functions())
    finish(uninterrupted)

    original_functions = Functions()
    original = new_world(original_functions)
    original.run(until=None if seconds is None else timedelta(seconds=seconds))
    data = round_trip(original)
    calls_before = Counter(original_functions.calls)

    restored = restore(data)
    assert restored.history("d", "w-1") == original.history("d", "w-1")
    assert restored.clock.now() == original.clock.now()
    assert snapshot(restored)["journal"] == data["journal"]
    functions = Functions()
    functions.register(restored)
    set_up(restored)
    finish(restored)
    finish(original)

    assert histories(restored) == histories(original) == histories(uninterrupted)
    assert histories(restored)[0][-1]["workflowExecutionCompletedEventAttributes"] == {
        "result": "50",
        "decisionTaskCompletedEventId": 22,
    }
    assert snapshot(restored)["journal"] == snapshot(original)["journal"]
    # Only invocations made after the snapshot call functions: the replay calls none.
    assert functions.calls == original_functions.calls - calls_before


def test_an_open_lambda_task_completes_after_restore_with_no_function_registered() -> None:
    original = new_world(Functions())
    original.run(until=timedelta(seconds=30))
    restored = restore(round_trip(original))
    restored.clock.advance(30)
    completed = restored.history("d", "w-1")[-2]
    assert completed["eventType"] == "LambdaFunctionCompleted"
    assert completed["lambdaFunctionCompletedEventAttributes"]["result"] == "42"


def test_a_new_lambda_task_after_restore_needs_its_function_registered() -> None:
    original = new_world(Functions())
    original.run(until=timedelta(seconds=30))
    restored = restore(round_trip(original))
    set_up(restored)  # and no function: "tax", scheduled at 60 s, finds none
    restored.run(until=timedelta(seconds=60))
    failed = [e for e in restored.history("d", "w-1") if e["eventType"] == "LambdaFunctionFailed"]
    assert failed[-1]["lambdaFunctionFailedEventAttributes"] == {
        "reason": "ResourceNotFoundException",
        "details": "No Lambda function named tax is registered (Simulator.register_lambda)",
        "scheduledEventId": 17,
        "startedEventId": 18,
    }


def test_a_snapshot_without_its_lambda_outcomes_names_the_function() -> None:
    """What a snapshot of swfsim before Lambda outcomes were recorded looks like."""
    original = new_world(Functions())
    original.run(until=timedelta(seconds=30))
    data = round_trip(original)
    data["journal"] = [entry for entry in data["journal"] if entry[0] != "lambda"]
    with pytest.raises(SnapshotError) as refused:
        restore(data)
    assert str(refused.value) == (
        "the replay invokes the Lambda function 'total', but the journal records no invocation "
        "of it to replay: a snapshot written before swfsim recorded Lambda outcomes, or an "
        "edited one, cannot be restored; take the snapshot again with this version of swfsim"
    )


def test_lambda_entries_are_checked() -> None:
    original = new_world(Functions())
    original.run(until=timedelta(seconds=30))
    data = round_trip(original)
    lambdas = [n for n, entry in enumerate(data["journal"]) if entry[0] == "lambda"]
    assert [data["journal"][n] for n in lambdas] == [
        ["lambda", "total", "LambdaFunctionCompleted", {"result": "42"}, 60.0],
        [
            "lambda",
            "audit",
            "LambdaFunctionFailed",
            {"reason": "PermissionError", "details": "the auditor is out"},
            5.0,
        ],
    ]

    edited = json.loads(json.dumps(data))
    edited["journal"][lambdas[0]][3] = {"result": 42}
    with pytest.raises(SnapshotError, match=rf"^journal entry {lambdas[0] + 1} is not \['lambda'"):
        restore(edited)

    swapped = json.loads(json.dumps(data))
    swapped["journal"][lambdas[0]][1] = "audit"
    with pytest.raises(SnapshotError, match="invokes the Lambda function 'total' where the jour"):
        restore(swapped)

    extra = json.loads(json.dumps(data))
    extra["journal"].append(data["journal"][lambdas[0]])
    with pytest.raises(SnapshotError, match=r"1 Lambda invocation\(s\) its replay did not make"):
        restore(extra)
