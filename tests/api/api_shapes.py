"""Checking a parsed boto3 response against its operation's output shape in botocore's model.

botocore's ``ParamValidator`` (built for *input*) catches unknown members, missing required
members, wrong types and too-short strings; it ignores maximum lengths, enums and numeric ranges.
``assert_matches_output_shape`` runs it and then walks the shape itself for the rest, so a
response passes only if AWS's own model could have produced it.
"""

from __future__ import annotations

import datetime
from typing import Any

from botocore.model import ListShape, MapShape, Shape, StructureShape
from botocore.validate import ParamValidator

# An empty long poll omits taskToken and answers only these members (public boto3 workers test
# `'taskToken' not in task`; the API Reference says an empty string), so it cannot satisfy the
# output shape's required members; it is checked for exactly this instead.
EMPTY_POLLS = {
    "PollForDecisionTask": {"startedEventId": 0, "previousStartedEventId": 0},
    "PollForActivityTask": {"startedEventId": 0},
}


def assert_matches_output_shape(client: Any, operation_name: str, response: dict[str, Any]) -> None:
    """Assert that ``response`` (a parsed boto3 response) fits ``operation_name``'s output shape."""
    operation = client.meta.service_model.operation_model(operation_name)
    body = {key: value for key, value in response.items() if key != "ResponseMetadata"}
    shape = operation.output_shape
    if shape is None:
        assert body == {}, f"{operation_name} has no output shape but answered {body!r}"
        return
    if operation_name in EMPTY_POLLS and "taskToken" not in body:
        assert body == EMPTY_POLLS[operation_name], f"unexpected empty poll {body!r}"
        return
    problems: list[str] = []
    report = ParamValidator().validate(body, shape)
    if report.has_errors():
        problems.append(report.generate_report())
    _check(shape, body, operation_name, problems)
    assert not problems, f"{operation_name} response breaks its output shape:\n" + "\n".join(
        problems
    )


def _check(shape: Shape, value: Any, path: str, problems: list[str]) -> None:
    if isinstance(shape, StructureShape):
        _check_structure(shape, value, path, problems)
    elif isinstance(shape, ListShape):
        _check_list(shape, value, path, problems)
    elif isinstance(shape, MapShape):
        if not isinstance(value, dict):
            problems.append(f"{path}: expected a map, got {value!r}")
    else:
        _check_scalar(shape, value, path, problems)


def _check_structure(shape: StructureShape, value: Any, path: str, problems: list[str]) -> None:
    if not isinstance(value, dict):
        problems.append(f"{path}: expected a structure, got {value!r}")
        return
    for name in shape.required_members:
        if value.get(name) is None:
            problems.append(f"{path}: required member {name} is missing")
    for name, item in value.items():
        member = shape.members.get(name)
        if member is None:
            problems.append(f"{path}: unknown member {name}")
        else:
            _check(member, item, f"{path}.{name}", problems)
    if shape.name == "HistoryEvent":
        _check_event_attributes(value, path, problems)


def _check_event_attributes(event: dict[str, Any], path: str, problems: list[str]) -> None:
    """A HistoryEvent carries exactly the one attributes member its eventType names."""
    event_type = event.get("eventType", "")
    expected = event_type[:1].lower() + event_type[1:] + "EventAttributes"
    present = sorted(key for key in event if key.endswith("EventAttributes"))
    if present != [expected]:
        problems.append(f"{path}: a {event_type} event must carry only {expected}, has {present}")


def _check_list(shape: ListShape, value: Any, path: str, problems: list[str]) -> None:
    if not isinstance(value, list):
        problems.append(f"{path}: expected a list, got {value!r}")
        return
    _check_bounds(shape, len(value), f"{path} (length)", problems)
    for index, item in enumerate(value):
        _check(shape.member, item, f"{path}[{index}]", problems)


def _check_scalar(shape: Shape, value: Any, path: str, problems: list[str]) -> None:
    kind = shape.type_name
    if kind == "string":
        if not isinstance(value, str):
            problems.append(f"{path}: expected a string, got {value!r}")
            return
        _check_bounds(shape, len(value), f"{path} (length)", problems)
        if shape.enum and value not in shape.enum:
            problems.append(f"{path}: {value!r} is not one of {shape.enum}")
    elif kind in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(f"{path}: expected an integer, got {value!r}")
            return
        _check_bounds(shape, value, path, problems)
    elif kind == "boolean":
        if not isinstance(value, bool):
            problems.append(f"{path}: expected a boolean, got {value!r}")
    elif kind == "timestamp":
        if not isinstance(value, datetime.datetime) or value.tzinfo is None:
            problems.append(f"{path}: expected an aware datetime, got {value!r}")
    else:
        problems.append(f"{path}: no check for {kind} shape {shape.name}")


def _check_bounds(shape: Shape, size: int, path: str, problems: list[str]) -> None:
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if low is not None and size < low:
        problems.append(f"{path}: {size} is below the minimum {low}")
    if high is not None and size > high:
        problems.append(f"{path}: {size} is above the maximum {high}")
