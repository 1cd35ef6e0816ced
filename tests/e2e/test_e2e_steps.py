"""simpleflow steps, kept in the endpoint's S3: run, skipped on a rerun, forced, and forcing
the steps that depend on them.

This module's endpoint runs in a thread of the test process, so ``swfsim.storage.Steps``
reads (and pre-marks) the step objects simpleflow's activities wrote over HTTP.
"""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from e2e_helpers import E2E, ThreadedServe, markers, of_type, result

from swfsim.storage import Steps

BUCKET = "swfsim-e2e-steps"  # e2e_flows.STEP_BUCKET


@pytest.fixture(scope="module")
def endpoint(threaded_endpoint: ThreadedServe) -> ThreadedServe:
    # simpleflow lists and writes steps in a bucket that exists, as on AWS.
    s3_client(threaded_endpoint.url).create_bucket(Bucket=BUCKET)
    return threaded_endpoint


def test_steps_run_then_are_skipped_then_forced_with_their_dependents(e2e: E2E) -> None:
    steps = Steps(BUCKET)
    assert steps.done("steps") == []

    # First run: both steps run and are marked done in S3. `prepare` ran, so it forces
    # `publish`, the step that depends on it (force_steps_if_executed).
    first = e2e.standalone("e2e_flows.StepWorkflow", "steps")
    assert result(first) == "steps done"
    assert steps.done("steps") == ["prepare", "publish"]
    assert step_log(first) == [
        ("prepare", "scheduled", False, []),
        ("prepare", "completed", False, []),
        ("publish", "scheduled", True, ["Dep of prepare"]),
        ("publish", "completed", True, ["Dep of prepare"]),
    ]
    assert work(first) == ["e2e_flows.increment", "e2e_flows.double"]
    assert marked(first) == ["prepare", "publish"]

    # Second run of the same workflow id: simpleflow lists the steps done, skips both.
    second = e2e.standalone("e2e_flows.StepWorkflow", "steps")
    assert result(second) == "steps done"
    assert listed(second) == [["prepare", "publish"]]  # (idempotent: listed once per run)
    assert step_log(second) == [
        ("prepare", "skipped", False, ["Step was already played"]),
        ("publish", "skipped", False, ["Step was already played"]),
    ]
    assert work(second) == []
    assert marked(second) == []

    # Third run, forcing `prepare`: it runs again, and forces `publish` again.
    third = e2e.standalone(
        "e2e_flows.StepWorkflow", "steps", input={"kwargs": {"force_steps": ["prepare"]}}
    )
    assert step_log(third) == [
        ("prepare", "scheduled", True, ["asked by the test"]),
        ("prepare", "completed", True, ["asked by the test"]),
        ("publish", "scheduled", True, ["Dep of prepare"]),
        ("publish", "completed", True, ["Dep of prepare"]),
    ]
    assert work(third) == ["e2e_flows.increment", "e2e_flows.double"]
    assert steps.done("steps") == ["prepare", "publish"]


def test_a_step_marked_done_beforehand_is_skipped(e2e: E2E) -> None:
    steps = Steps(BUCKET)
    steps.mark_done("premarked", "prepare")  # as simpleflow's MarkStepDoneTask would

    events = e2e.standalone("e2e_flows.StepWorkflow", "premarked")

    # `prepare` did not run, so nothing forces `publish`: it runs as a step never done.
    assert step_log(events) == [
        ("prepare", "skipped", False, ["Step was already played"]),
        ("publish", "scheduled", False, []),
        ("publish", "completed", False, []),
    ]
    assert work(events) == ["e2e_flows.double"]
    assert steps.done("premarked") == ["prepare", "publish"]
    assert marked(events) == ["publish"]


def step_log(events: list[dict[str, Any]]) -> list[tuple[str, str, bool, list[str]]]:
    """simpleflow's ``log.step`` markers: (step, status, forced, reasons)."""
    return [
        (d["step"], d["status"], d["forced"], d["reasons"]) for _, d in markers(events, "log.step")
    ]


def work(events: list[dict[str, Any]]) -> list[str]:
    """The workflow's own activities scheduled (not simpleflow's step bookkeeping)."""
    names = [a["activityType"]["name"] for a in of_type(events, "ActivityTaskScheduled")]
    return [name for name in names if name.startswith("e2e_flows.")]


def listed(events: list[dict[str, Any]]) -> list[Any]:
    """What each GetStepsDoneTask activity found in S3."""
    scheduled = {
        event["eventId"]: event["activityTaskScheduledEventAttributes"]["activityType"]["name"]
        for event in events
        if event["eventType"] == "ActivityTaskScheduled"
    }
    return [
        json.loads(c["result"])
        for c in of_type(events, "ActivityTaskCompleted")
        if scheduled[c["scheduledEventId"]] == "simpleflow.step.tasks.GetStepsDoneTask"
    ]


def marked(events: list[dict[str, Any]]) -> list[str]:
    """The steps a MarkStepDoneTask activity was scheduled for."""
    return [
        json.loads(a["input"])["args"][2]
        for a in of_type(events, "ActivityTaskScheduled")
        if a["activityType"]["name"] == "simpleflow.step.tasks.MarkStepDoneTask"
    ]


def s3_client(url: str) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
