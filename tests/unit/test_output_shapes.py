"""output_problems: an answer checked against botocore's output shape, parsed or on the wire."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from swfsim.output_shapes import output_problems

RUN = {"workflowId": "w", "runId": "r"}
TYPE = {"name": "t", "version": "1"}


def described(info: dict[str, Any]) -> dict[str, Any]:
    execution_info = {"execution": RUN, "workflowType": TYPE, "executionStatus": "OPEN", **info}
    return {
        "executionInfo": execution_info,
        "executionConfiguration": {
            "taskStartToCloseTimeout": "10",
            "executionStartToCloseTimeout": "60",
            "taskList": {"name": "l"},
            "childPolicy": "TERMINATE",
        },
        "openCounts": {
            "openActivityTasks": 0,
            "openDecisionTasks": 1,
            "openTimers": 0,
            "openChildWorkflowExecutions": 0,
        },
    }


def test_times_are_epoch_seconds_on_the_wire_and_datetimes_once_parsed() -> None:
    moment = datetime(2026, 1, 1, tzinfo=timezone.utc)
    wire, parsed = (
        described({"startTimestamp": 1767225600.5}),
        described({"startTimestamp": moment}),
    )
    assert output_problems("DescribeWorkflowExecution", wire, wire=True) == []
    assert output_problems("DescribeWorkflowExecution", parsed) == []
    assert output_problems("DescribeWorkflowExecution", parsed, wire=True) == [
        f"executionInfo.startTimestamp: expected a time in epoch seconds, got {moment!r}"
    ]


def test_what_real_swf_sends_beyond_the_model_passes_on_the_wire_only() -> None:
    beyond = {"reopenable": True, "reopenGenerationId": 1, "tagList": [None]}
    wire = described({"startTimestamp": 0, **beyond})
    assert output_problems("DescribeWorkflowExecution", wire, wire=True) == []
    misplaced = {**wire, "reopenable": True}  # where real SWF never sent it
    assert output_problems("DescribeWorkflowExecution", misplaced, wire=True) == [
        "reopenable: not a member of WorkflowExecutionDetail"
    ]
    parsed = described({"startTimestamp": datetime(2026, 1, 1, tzinfo=timezone.utc), **beyond})
    assert output_problems("DescribeWorkflowExecution", parsed) == [
        "executionInfo.reopenable: not a member of WorkflowExecutionInfo",
        "executionInfo.reopenGenerationId: not a member of WorkflowExecutionInfo",
        "executionInfo.tagList[0]: expected a string, got None",
    ]


def test_a_wrong_name_or_value_is_shown_with_the_closest_right_one() -> None:
    wrong = described({"startTimestamp": 0, "executionStatus": "OPN"})
    assert output_problems("DescribeWorkflowExecution", wrong, wire=True) == [
        "executionInfo.executionStatus: 'OPN' is not one of ['OPEN', 'CLOSED'] "
        "(did you mean 'OPEN'?)"
    ]
    assert output_problems("DescribeWorkflowExecutions", {}) == [
        "(answer): DescribeWorkflowExecutions is not an SWF operation "
        "(did you mean 'DescribeWorkflowExecution'?)"
    ]
