"""Cancelling a run (simpleflow's should_cancel), and continue-as-new."""

from __future__ import annotations

import json

from e2e_helpers import E2E, of_type, result, types

WEEK = str(7 * 86400)


def test_a_cancel_request_cancels_the_run(e2e: E2E) -> None:
    # The run starts a one-day timer; meanwhile an activity calls
    # RequestCancelWorkflowExecution (plain boto3) on its own run.
    events = e2e.standalone("e2e_flows.CancelWorkflow", "cancel", "--execution-timeout", WEEK)

    assert events[-1]["eventType"] == "WorkflowExecutionCanceled"
    assert types(events).count("WorkflowExecutionCancelRequested") == 1
    assert "TimerFired" not in types(events)  # canceled long before the day was over
    assert list(e2e.closed_runs("cancel").values()) == ["CANCELED"]
    # The activity's answer may land while the decider answers the cancel request: SWF
    # then refuses the CancelWorkflowExecution decision (UNHANDLED_DECISION) and simpleflow
    # decides it again.
    failed = of_type(events, "CancelWorkflowExecutionFailed")
    assert {f["cause"] for f in failed} <= {"UNHANDLED_DECISION"}


def test_a_cancel_request_the_workflow_refuses_is_ignored(e2e: E2E) -> None:
    events = e2e.standalone(
        "e2e_flows.CancelWorkflow",
        "cancel-refused",
        "--execution-timeout",
        WEEK,
        input={"kwargs": {"agree": False}},
    )

    assert result(events) == "not canceled"
    assert types(events).count("WorkflowExecutionCancelRequested") == 1
    # It went on waiting for its timer: a day, in the seconds the test took.
    assert [t["timerId"] for t in of_type(events, "TimerFired")] == ["one-day"]
    assert list(e2e.closed_runs("cancel-refused").values()) == ["COMPLETED"]


def test_continue_as_new_chains_runs_until_the_last_completes(e2e: E2E) -> None:
    # `simpleflow standalone` stops at the close of the run it started, so the runs that
    # continue it are served by a decider and a worker of their own, as in production.
    decider = e2e.simpleflow(
        "decider", "decider.start", "--domain", e2e.domain, "--task-list", "e2e",
        "e2e_flows.CountdownWorkflow",
    )  # fmt: skip
    worker = e2e.simpleflow("worker", "worker.start", "--domain", e2e.domain, "--task-list", "e2e")
    e2e.wait_for_pollers(decider, worker)
    starter = e2e.simpleflow(
        "workflow.start", "workflow.start", "--domain", e2e.domain, "--workflow-id", "countdown",
        "--input", json.dumps({"kwargs": {"until": 3}}), "e2e_flows.CountdownWorkflow",
    )  # fmt: skip
    assert starter.wait() == 0
    last = e2e.wait_closed("countdown")
    assert worker.stop() == 0
    assert decider.stop() == 0

    # Four runs: i = 0, 1 and 2 continued as new, then i = 3 completed.
    statuses = e2e.closed_runs("countdown")
    assert sorted(statuses.values()) == ["COMPLETED"] + ["CONTINUED_AS_NEW"] * 3
    (last_run,) = [run for run, status in statuses.items() if status == "COMPLETED"]
    assert result(last) == {"i": 3, "run": last_run}

    # Walk the runs back from the last: each started from its predecessor's
    # ContinueAsNewWorkflowExecution decision, with the input that decision gave.
    run_ids, runs = [last_run], [last]
    while previous := of_type(runs[0], "WorkflowExecutionStarted")[0].get(
        "continuedExecutionRunId"
    ):
        run_ids.insert(0, previous)
        runs.insert(0, e2e.history("countdown", previous))
    inputs = [json.loads(of_type(run, "WorkflowExecutionStarted")[0]["input"]) for run in runs]
    assert [i.get("kwargs", {}).get("i", 0) for i in inputs] == [0, 1, 2, 3]
    for run, following_id in zip(runs, run_ids[1:], strict=False):
        assert run[-1]["eventType"] == "WorkflowExecutionContinuedAsNew"
        continued = of_type(run, "WorkflowExecutionContinuedAsNew")[0]
        assert continued["newExecutionRunId"] == following_id
        assert continued["taskList"] == {"name": "e2e"}
        assert types(run).count("ActivityTaskCompleted") == 1  # increment(i)
    assert all(statuses[run_id] == "CONTINUED_AS_NEW" for run_id in run_ids[:-1])
