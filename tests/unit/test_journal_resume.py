"""Snapshots of a Simulator that resumed a recorded run: the journal records the resume (the
history and the arguments), so the restored Simulator has the run and goes on as the original."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from swfsim import Simulator, load_history
from swfsim.journal import SnapshotError, restore, snapshot
from swfsim.replay import History

HISTORIES = Path(__file__).resolve().parents[2] / "fixtures/real-aws/histories"
CHAIN = HISTORIES / "simpleflow__test_chain_send_result.json"
LAMBDA = HISTORIES / "simpleflow__test_lambda.json"
OTHER = {"name": "other", "version": "1"}


def held_activity() -> History:
    """The real run after 6 events: a worker had started its activity and not finished it.
    Unnamed, so that resuming it draws a run id from the Simulator's seed."""
    return load_history(list(load_history(CHAIN).events[:6]))


def world(history: History) -> Simulator:
    """A journaled Simulator an hour before the history's end, with a run of its own whose
    started decision task times out a minute later: while ``resume`` moves the clock."""
    sim = Simulator(seed=3, start=history.last_time - timedelta(hours=1), journal=True)
    sim.handle("RegisterDomain", {"name": "prod", "workflowExecutionRetentionPeriodInDays": "1"})
    sim.handle("RegisterWorkflowType", {"domain": "prod", **(history.workflow_type or {})})
    sim.handle(
        "RegisterWorkflowType",
        {
            "domain": "prod",
            **OTHER,
            "defaultTaskList": {"name": "other"},
            "defaultTaskStartToCloseTimeout": "60",
            "defaultExecutionStartToCloseTimeout": "86400",
            "defaultChildPolicy": "TERMINATE",
        },
    )
    sim.handle(
        "StartWorkflowExecution", {"domain": "prod", "workflowId": "o", "workflowType": OTHER}
    )
    sim.handle("PollForDecisionTask", {"domain": "prod", "taskList": {"name": "other"}})
    return sim


def go_on(sim: Simulator, activity_token: str, task_list: str) -> None:
    """Answer the held activity, complete the resumed run, and let time pass."""
    sim.handle("RespondActivityTaskCompleted", {"taskToken": activity_token, "result": "6"})
    task = sim.handle("PollForDecisionTask", {"domain": "prod", "taskList": {"name": task_list}})
    complete = {"decisionType": "CompleteWorkflowExecution"}
    sim.handle(
        "RespondDecisionTaskCompleted", {"taskToken": task["taskToken"], "decisions": [complete]}
    )
    sim.clock.advance(3600)


def test_a_restored_world_goes_on_with_the_resumed_run_as_the_original() -> None:
    history = held_activity()
    original = world(history)
    resumed = original.resume(history, domain="prod", workflow_id="chain")
    data = json.loads(json.dumps(snapshot(original)))
    # The resume stands in for the clock moves it made: replaying it makes them again.
    assert [entry[0] for entry in data["journal"][-3:]] == ["call", "call", "resume"]
    assert data["journal"][-1][1] == {
        "domain": "prod",
        "workflowId": "chain",
        "history": {"events": json.loads(json.dumps(list(history.events)))},
    }

    restored = restore(data)
    assert restored.clock.now() == original.clock.now() == history.last_time
    assert original.history("prod", "o")[-2]["eventType"] == "DecisionTaskTimedOut"
    for workflow_id in ("chain", "o"):  # o's decision task timed out while the clock moved
        assert restored.history("prod", workflow_id) == original.history("prod", workflow_id)
    assert restored.is_open("prod", "chain", resumed.execution["runId"])  # the same seeded id
    task_list = history.started["taskList"]["name"]
    (token,) = resumed.activity_task_tokens.values()
    for sim in (original, restored):  # the token production's worker now holds works in both
        go_on(sim, token, task_list)
    for workflow_id in ("chain", "o"):
        assert json.dumps(restored.history("prod", workflow_id)) == json.dumps(
            original.history("prod", workflow_id)
        )
    assert restored.history("prod", "chain")[-1]["eventType"] == "WorkflowExecutionCompleted"
    # The restored journal is the original's: a snapshot of either restores the same world.
    assert snapshot(restored) == snapshot(original)


def test_a_lambda_task_the_resume_ran_replays_its_recorded_outcome() -> None:
    # Event 5 schedules a Lambda task: the resume runs it, and the journal records what it gave.
    history = load_history(list(load_history(LAMBDA).events[:5]))
    calls: list[str | None] = []

    def hello(payload: str | None) -> str:
        calls.append(payload)
        return "hello"

    original = Simulator(start=history.last_time, journal=True)
    original.register_lambda("hello-world-python", hello)
    original.handle(
        "RegisterDomain", {"name": "prod", "workflowExecutionRetentionPeriodInDays": "1"}
    )
    original.handle("RegisterWorkflowType", {"domain": "prod", **(history.workflow_type or {})})
    original.resume(history, domain="prod", workflow_id="hello")
    restored = restore(json.loads(json.dumps(snapshot(original))))  # no function registered
    assert restored.history("prod", "hello") == original.history("prod", "hello")
    assert restored.history("prod", "hello")[6]["eventType"] == "LambdaFunctionCompleted"
    assert calls == ['{"args":[8],"kwargs":{"foo":"bar"}}']


def test_a_resume_the_replay_cannot_make_is_refused() -> None:
    original = world(held_activity())
    original.resume(held_activity(), domain="prod", workflow_id="chain")
    data = json.loads(json.dumps(snapshot(original)))
    data["journal"][-1][1]["domain"] = "staging"
    with pytest.raises(SnapshotError, match=r"^the snapshot does not replay: UnknownResource"):
        restore(data)
    data["journal"][-1][1] = {"domain": "prod", "history": {"events": []}}
    with pytest.raises(SnapshotError, match=r"^the snapshot does not replay: HistoryError: "):
        restore(data)


RESUMED = {"domain": "prod", "history": {"events": []}}


@pytest.mark.parametrize(
    "entry",
    [
        ["resume"],
        ["resume", RESUMED, "extra"],
        ["resume", {**RESUMED, "domain": 7}],
        ["resume", {"domain": "prod"}],
        ["resume", {**RESUMED, "history": {"events": {}}}],
        ["resume", {**RESUMED, "history": {"events": [], "execution": ["w", "r"]}}],
        ["resume", {**RESUMED, "history": {"events": [], "execution": {"workflowId": 1}}}],
        ["resume", {**RESUMED, "workflowId": 1}],
        ["resume", {**RESUMED, "runId": None}],
        ["resume", {**RESUMED, "start": 0}],
        ["resume", {**RESUMED, "domain": "prod\ud800"}],
    ],
)
def test_a_malformed_resume_entry_is_named(entry: list[Any]) -> None:
    data = snapshot(Simulator(journal=True))
    data["journal"] = [entry]
    with pytest.raises(SnapshotError, match=r"^journal entry 1 is not \['resume', \{'domain': "):
        restore(data)
