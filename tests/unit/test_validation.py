"""Input validation: AWS's constraints from the model, SWF's documented rules, Coral messages."""

from __future__ import annotations

from typing import Any

import pytest

from swfsim.errors import SerializationException, ValidationException
from swfsim.validation import validate_input

WORKFLOW_TYPE = {"name": "wf", "version": "1"}
_CHILD = {"workflowType": WORKFLOW_TYPE, "workflowId": "c"}


def _start(**overrides: Any) -> dict[str, Any]:
    return {"domain": "d", "workflowId": "w", "workflowType": WORKFLOW_TYPE, **overrides}


def _message(operation: str, params: dict[str, Any]) -> str:
    with pytest.raises(ValidationException) as caught:
        validate_input(operation, params)
    return caught.value.message


def test_valid_input_passes() -> None:
    validate_input("StartWorkflowExecution", _start(taskStartToCloseTimeout="NONE", tagList=["a"]))


def test_max_length_uses_the_coral_message_and_shortens_long_values() -> None:
    message = _message("StartWorkflowExecution", _start(workflowId="x" * 300))
    assert message.startswith("1 validation error detected: Value 'xxxx")
    assert "...(300 characters)' at 'workflowId' failed to satisfy constraint: " in message
    assert message.endswith("Member must have length less than or equal to 256")


def test_enum_violation_lists_the_allowed_values() -> None:
    message = _message("StartWorkflowExecution", _start(childPolicy="BOGUS"))
    assert "Value 'BOGUS' at 'childPolicy'" in message
    assert "Member must satisfy enum value set: [TERMINATE, REQUEST_CANCEL, ABANDON]" in message


@pytest.mark.parametrize("workflow_id", ["a:b", "a/b", "a|b", "tab\there", "arn", "\x85"])
def test_identifier_rule_from_the_model_documentation(workflow_id: str) -> None:
    message = _message("StartWorkflowExecution", _start(workflowId=workflow_id))
    assert "Member must not contain ':' (colon)" in message


def test_identifier_rule_reaches_task_list_names_and_decision_attributes() -> None:
    assert "'taskList.name'" in _message("StartWorkflowExecution", _start(taskList={"name": "a:b"}))
    decision = {
        "decisionType": "StartTimer",
        "startTimerDecisionAttributes": {"timerId": "t/1", "startToFireTimeout": "5"},
    }
    message = _message("RespondDecisionTaskCompleted", {"taskToken": "t", "decisions": [decision]})
    assert "at 'decisions.1.member.startTimerDecisionAttributes.timerId'" in message


def test_several_problems_are_reported_together() -> None:
    message = _message("StartWorkflowExecution", _start(workflowId="arn", childPolicy="NO"))
    assert message.startswith("2 validation errors detected: ")
    assert "; " in message


@pytest.mark.parametrize(
    ("member", "value", "expected"),
    [
        ("taskStartToCloseTimeout", "abc", "whole number of seconds or NONE"),
        ("taskStartToCloseTimeout", "-5", "whole number of seconds or NONE"),
        ("executionStartToCloseTimeout", "NONE", "whole number of seconds"),
        ("executionStartToCloseTimeout", "40000000", "at most 31536000 seconds"),
        ("taskPriority", "high", "whole number from -2147483648 to 2147483647"),
        ("taskPriority", "2147483648", "whole number from -2147483648 to 2147483647"),
    ],
)
def test_duration_and_priority_rules(member: str, value: str, expected: str) -> None:
    assert expected in _message("StartWorkflowExecution", _start(**{member: value}))


def test_none_is_refused_for_the_timer_delay() -> None:
    decision = {
        "decisionType": "StartTimer",
        "startTimerDecisionAttributes": {"timerId": "t", "startToFireTimeout": "NONE"},
    }
    message = _message("RespondDecisionTaskCompleted", {"taskToken": "t", "decisions": [decision]})
    assert "non-negative whole number of seconds'" not in message
    assert "startToFireTimeout" in message


@pytest.mark.parametrize("days", ["91", "-1", "x"])
def test_retention_beyond_90_days_is_refused(days: str) -> None:
    message = _message(
        "RegisterDomain", {"name": "d", "workflowExecutionRetentionPeriodInDays": days}
    )
    assert "NONE or a whole number of days from 0 to 90" in message


def test_domain_names_may_not_have_edge_whitespace() -> None:
    message = _message(
        "RegisterDomain", {"name": " d", "workflowExecutionRetentionPeriodInDays": "1"}
    )
    assert "not start or end with whitespace" in message


def test_tag_list_is_capped_at_five() -> None:
    message = _message("StartWorkflowExecution", _start(tagList=list("abcdef")))
    assert "at 'tagList' failed to satisfy constraint" in message


def test_a_tag_list_may_hold_nulls_other_lists_may_not() -> None:
    # AWS accepted and echoed "tagList": [null] (a 2016 simpleflow recording).
    validate_input("StartWorkflowExecution", _start(tagList=[None, "a"]))
    message = _message("RespondDecisionTaskCompleted", {"taskToken": "t", "decisions": [None]})
    assert message.endswith(
        "Value null at 'decisions.1.member' failed to satisfy constraint: Member must not be null"
    )


@pytest.mark.parametrize(
    ("decision_type", "workflow_type"),
    [("ContinueAsNewWorkflowExecution", {}), ("StartChildWorkflowExecution", _CHILD)],
)
def test_decisions_may_start_a_run_without_an_execution_timeout(
    decision_type: str, workflow_type: dict[str, Any]
) -> None:
    attributes = {**workflow_type, "executionStartToCloseTimeout": "NONE"}
    key = decision_type[0].lower() + decision_type[1:] + "DecisionAttributes"
    decision = {"decisionType": decision_type, key: attributes}
    validate_input("RespondDecisionTaskCompleted", {"taskToken": "t", "decisions": [decision]})


def test_missing_required_member_is_reported_as_null() -> None:
    message = _message("StartWorkflowExecution", {"domain": "d", "workflowType": WORKFLOW_TYPE})
    assert "Value null at 'workflowId' failed to satisfy constraint: Member must not be null" in (
        message
    )


def test_page_size_range() -> None:
    message = _message("ListDomains", {"registrationStatus": "REGISTERED", "maximumPageSize": 1001})
    assert "have value less than or equal to 1000" in message


def test_wrong_json_types_are_serialization_errors() -> None:
    with pytest.raises(SerializationException, match="workflowId"):
        validate_input("StartWorkflowExecution", _start(workflowId=5))
    with pytest.raises(SerializationException, match="maximumPageSize"):
        validate_input("ListDomains", {"registrationStatus": "REGISTERED", "maximumPageSize": True})


@pytest.mark.parametrize("timeout", ["0", "901", "NONE"])
def test_lambda_timeout_is_one_to_900_seconds(timeout: str) -> None:
    from swfsim.model.decisions import check_request

    decision = {
        "decisionType": "ScheduleLambdaFunction",
        "scheduleLambdaFunctionDecisionAttributes": {
            "id": "l",
            "name": "f",
            "startToCloseTimeout": timeout,
        },
    }
    with pytest.raises(ValidationException, match="from 1 to 900"):
        check_request([decision])
