"""Activities: results passed along, and a failing activity retried by simpleflow."""

from __future__ import annotations

from pathlib import Path

from e2e_helpers import E2E, of_type, result, types


def test_results_pass_from_activity_to_activity(e2e: E2E) -> None:
    events = e2e.standalone("e2e_flows.ChainWorkflow", "chain", input=[1])

    # increment(1) = 2, double(2) = 4; then Chain(increment(4), double, send_result) = [5, 10].
    assert result(events) == {"pipeline": 4, "chain": [5, 10]}
    scheduled = of_type(events, "ActivityTaskScheduled")
    assert [(a["activityType"]["name"], a["input"]) for a in scheduled] == [
        ("e2e_flows.increment", '{"args":[1],"kwargs":{}}'),
        ("e2e_flows.double", '{"args":[2],"kwargs":{}}'),
        ("e2e_flows.increment", '{"args":[4],"kwargs":{}}'),
        ("e2e_flows.double", '{"args":[5],"kwargs":{}}'),  # the chain sent 5 along
    ]
    assert [a["result"] for a in of_type(events, "ActivityTaskCompleted")] == ["2", "4", "5", "10"]
    # A fresh domain has no activity types: simpleflow registers each one on the
    # ACTIVITY_TYPE_DOES_NOT_EXIST failure and schedules it again, as on AWS.
    failed = of_type(events, "ScheduleActivityTaskFailed")
    assert {f["cause"] for f in failed} == {"ACTIVITY_TYPE_DOES_NOT_EXIST"}
    assert {f["activityType"]["name"] for f in failed} == {
        "e2e_flows.increment",
        "e2e_flows.double",
    }


def test_a_failing_activity_is_retried_until_it_succeeds(e2e: E2E, tmp_path: Path) -> None:
    counter = tmp_path / "attempts"
    events = e2e.standalone(
        "e2e_flows.RetryWorkflow",
        "retry",
        input={"kwargs": {"counter": str(counter), "failures": 2}},
    )

    assert result(events) == 3  # the third attempt succeeded
    assert counter.read_text() == "3"
    activity_events = [
        t for t in types(events) if t.startswith("ActivityTask") and t != "ActivityTaskStarted"
    ]
    assert activity_events == [
        "ActivityTaskScheduled", "ActivityTaskFailed",
        "ActivityTaskScheduled", "ActivityTaskFailed",
        "ActivityTaskScheduled", "ActivityTaskCompleted",
    ]  # fmt: skip
    reasons = [f["reason"] for f in of_type(events, "ActivityTaskFailed")]
    assert reasons == [
        "RuntimeError: attempt 1 fails on purpose",
        "RuntimeError: attempt 2 fails on purpose",
    ]
    # simpleflow retries under the same activity id.
    assert len({a["activityId"] for a in of_type(events, "ActivityTaskScheduled")}) == 1


def test_an_activity_failing_more_than_its_retries_fails_the_workflow(
    e2e: E2E, tmp_path: Path
) -> None:
    counter = tmp_path / "attempts"
    events = e2e.standalone(
        "e2e_flows.RetryWorkflow",
        "retry-exhausted",
        input={"kwargs": {"counter": str(counter), "failures": 10}},
    )

    assert counter.read_text() == "4"  # the first attempt and its 3 retries
    assert types(events).count("ActivityTaskFailed") == 4
    assert events[-1]["eventType"] == "WorkflowExecutionFailed"
    reason = of_type(events, "WorkflowExecutionFailed")[0]["reason"]
    assert "flaky" in reason
    assert "attempt 4 fails on purpose" in reason
    closed = e2e.swf.list_closed_workflow_executions(
        domain=e2e.domain,
        startTimeFilter={"oldestDate": 0},
        executionFilter={"workflowId": "retry-exhausted"},
    )
    assert [info["closeStatus"] for info in closed["executionInfos"]] == ["FAILED"]
