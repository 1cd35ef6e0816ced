"""Input validation: AWS's constraints from the model, SWF's documented rules, Coral messages."""

from __future__ import annotations

from typing import Any

import pytest

from swfsim import Simulator
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


# ---- values no reader of AWS's JSON protocol takes -----------------------------------------

_TIMER = {"decisionType": "StartTimer", "startTimerDecisionAttributes": {"timerId": "t"}}


@pytest.mark.parametrize(
    ("operation", "params", "path"),
    [
        (
            "RegisterDomain",
            {"name": "bad\ud800", "workflowExecutionRetentionPeriodInDays": "1"},
            "name",
        ),
        ("StartWorkflowExecution", _start(input='{"x": "\udfff"}'), "input"),
        (
            "CountOpenWorkflowExecutions",
            {"domain": "d", "startTimeFilter": {"oldestDate": 0}, "tagFilter": {"tag": "\ud83d"}},
            "tagFilter.tag",
        ),
        (
            "RespondDecisionTaskCompleted",
            {
                "taskToken": "t",
                "decisions": [
                    {
                        **_TIMER,
                        "startTimerDecisionAttributes": {
                            "timerId": "t",
                            "startToFireTimeout": "5",
                            "control": "c\udc00",
                        },
                    }
                ],
            },
            "decisions.1.member.startTimerDecisionAttributes.control",
        ),
        (
            "ListDomains",
            {"registrationStatus": "REGISTERED", "unknown": ["\ud800"]},
            "unknown.1.member",
        ),
    ],
)
def test_lone_surrogates_are_refused_anywhere(
    operation: str, params: dict[str, Any], path: str
) -> None:
    message = _message(operation, params)
    assert f"at '{path}' failed to satisfy constraint: Member must be valid Unicode" in message
    # Quoted escaped, so that the message itself is valid Unicode.
    message.encode("utf-8")
    assert "\\u" in message


def test_a_member_name_with_a_lone_surrogate_is_refused() -> None:
    message = _message("ListDomains", {"registrationStatus": "REGISTERED", "x\ud800": 1})
    assert message == (
        "1 validation error detected: Member name 'x\\ud800' at 'body' failed to satisfy "
        "constraint: Member names must be valid Unicode (a lone UTF-16 surrogate such as "
        "\\ud800 is not)"
    )


def test_a_surrogate_pair_is_valid_unicode() -> None:
    validate_input("StartWorkflowExecution", _start(input="\U0001f600"))


def test_nesting_is_bounded_without_recursion() -> None:
    deep: Any = "leaf"
    for _ in range(100_000):
        deep = [deep]
    with pytest.raises(SerializationException, match="deeper than 64 levels"):
        validate_input("ListDomains", {"registrationStatus": "REGISTERED", "extra": deep})
    shallow: Any = "leaf"
    for _ in range(60):
        shallow = {"a": shallow}
    validate_input("ListDomains", {"registrationStatus": "REGISTERED", "extra": shallow})


_VISIBILITY = [
    ("ListOpenWorkflowExecutions", "startTimeFilter"),
    ("CountOpenWorkflowExecutions", "startTimeFilter"),
    ("ListClosedWorkflowExecutions", "startTimeFilter"),
    ("ListClosedWorkflowExecutions", "closeTimeFilter"),
    ("CountClosedWorkflowExecutions", "startTimeFilter"),
    ("CountClosedWorkflowExecutions", "closeTimeFilter"),
]


@pytest.mark.parametrize(("operation", "time_filter"), _VISIBILITY)
@pytest.mark.parametrize("number", [float("nan"), float("inf"), float("-inf"), 10**30])
def test_timestamps_that_are_not_numbers_are_serialization_errors(
    operation: str, time_filter: str, number: float
) -> None:
    params = {"domain": "d", time_filter: {"oldestDate": 0, "latestDate": number}}
    with pytest.raises(SerializationException, match=f"at '{time_filter}.latestDate'"):
        validate_input(operation, params)


@pytest.mark.parametrize(("operation", "time_filter"), _VISIBILITY)
@pytest.mark.parametrize("seconds", [1e300, 253402300800, -62135596801])
def test_timestamps_beyond_year_9999_or_before_year_1_are_refused(
    operation: str, time_filter: str, seconds: float
) -> None:
    message = _message(operation, {"domain": "d", time_filter: {"oldestDate": seconds}})
    assert f"at '{time_filter}.oldestDate' failed to satisfy constraint: " in message
    assert message.endswith("Member must be a time from year 1 to year 9999, in epoch seconds")


def test_timestamps_at_the_edges_of_the_range_pass() -> None:
    for seconds in (253402300799, -62135596800, 0, 1.5e9):
        validate_input(
            "CountOpenWorkflowExecutions",
            {"domain": "d", "startTimeFilter": {"oldestDate": seconds}},
        )


@pytest.mark.parametrize("days", ["\u00b2", "\u0663", "1\u0663", "9" * 5000, " 1", "1_0"])
def test_retention_takes_ascii_digits_only(days: str) -> None:
    message = _message(
        "RegisterDomain", {"name": "d", "workflowExecutionRetentionPeriodInDays": days}
    )
    assert "at 'workflowExecutionRetentionPeriodInDays'" in message
    assert "Member must be NONE or a whole number of days from 0 to 90" in message


def test_leading_zeros_count_towards_the_length_only() -> None:
    days = "0" * 5000 + "1"
    message = _message(
        "RegisterDomain", {"name": "d", "workflowExecutionRetentionPeriodInDays": days}
    )
    assert message.startswith("1 validation error detected: ")
    assert message.endswith("Member must have length less than or equal to 8")


@pytest.mark.parametrize(
    ("member", "value", "expected"),
    [
        ("taskStartToCloseTimeout", "\u00b2", "whole number of seconds or NONE"),
        ("taskStartToCloseTimeout", "\u0663", "whole number of seconds or NONE"),
        ("taskStartToCloseTimeout", "9" * 5000, "have length less than or equal to 8"),
        ("executionStartToCloseTimeout", "\u0663", "whole number of seconds"),
        ("executionStartToCloseTimeout", "9" * 5000, "at most 31536000 seconds"),
        ("taskPriority", "\u0663", "whole number from -2147483648 to 2147483647"),
        ("taskPriority", "1_000", "whole number from -2147483648 to 2147483647"),
        ("taskPriority", "9" * 5000, "whole number from -2147483648 to 2147483647"),
        ("taskPriority", "-2147483649", "whole number from -2147483648 to 2147483647"),
    ],
)
def test_numbers_in_strings_take_ascii_digits_only(member: str, value: str, expected: str) -> None:
    message = _message("StartWorkflowExecution", _start(**{member: value}))
    assert f"at '{member}'" in message
    assert expected in message


@pytest.mark.parametrize("priority", ["-2147483648", "2147483647", "+5", "007"])
def test_priorities_java_reads(priority: str) -> None:
    validate_input("StartWorkflowExecution", _start(taskPriority=priority))


# ---- the same through Simulator.handle: refused, nothing kept -----------------------------


def _registered() -> Simulator:
    sim = Simulator(journal=True)
    sim.handle("RegisterDomain", {"name": "d", "workflowExecutionRetentionPeriodInDays": "1"})
    return sim


@pytest.mark.parametrize(
    ("params", "fault"),
    [
        ({"name": "bad\ud800", "workflowExecutionRetentionPeriodInDays": "1"}, ValidationException),
        ({"name": "e", "workflowExecutionRetentionPeriodInDays": "\u00b2"}, ValidationException),
        ({"name": "e", "workflowExecutionRetentionPeriodInDays": "\u0663"}, ValidationException),
        ({"name": "e", "workflowExecutionRetentionPeriodInDays": "9" * 5000}, ValidationException),
        (
            {"name": "e", "workflowExecutionRetentionPeriodInDays": "1", "x": {1: 2}},
            SerializationException,
        ),
        (
            {"name": "e", "workflowExecutionRetentionPeriodInDays": "1", "x": {1, 2}},
            SerializationException,
        ),
        (
            {"name": "e", "workflowExecutionRetentionPeriodInDays": "1", "x": float("nan")},
            SerializationException,
        ),
    ],
)
def test_simulator_handle_refuses_and_keeps_nothing(
    params: dict[str, Any], fault: type[Exception]
) -> None:
    sim = _registered()
    assert sim.journal is not None
    journal = list(sim.journal.entries)
    with pytest.raises(fault):
        sim.handle("RegisterDomain", params)
    assert sim.journal.entries == journal
    listed = sim.handle("ListDomains", {"registrationStatus": "REGISTERED"})
    assert [info["name"] for info in listed["domainInfos"]] == ["d"]


@pytest.mark.parametrize(
    "operation",
    [
        "ListOpenWorkflowExecutions",
        "CountOpenWorkflowExecutions",
        "ListClosedWorkflowExecutions",
        "CountClosedWorkflowExecutions",
    ],
)
@pytest.mark.parametrize("number", [float("nan"), float("inf"), 1e300])
def test_simulator_handle_refuses_timestamps_of_every_visibility_operation(
    operation: str, number: float
) -> None:
    sim = _registered()
    fault = ValidationException if number == 1e300 else SerializationException
    with pytest.raises(fault, match=r"startTimeFilter\.oldestDate"):
        sim.handle(operation, {"domain": "d", "startTimeFilter": {"oldestDate": number}})


def test_simulator_handle_refuses_deep_nesting_without_recursion() -> None:
    deep: Any = []
    for _ in range(100_000):
        deep = [deep]
    with pytest.raises(SerializationException, match="deeper than 64 levels"):
        _registered().handle("ListDomains", {"registrationStatus": "REGISTERED", "x": deep})
