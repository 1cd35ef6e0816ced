"""Input validation compiled from botocore's SWF model, with AWS's (Coral) error messages.

botocore checks only required members, JSON types and minimum lengths on the client; AWS checks
the rest (maximum lengths, enums, list sizes, SWF's identifier and duration rules) and answers
``ValidationException``. Each operation's input shape is compiled once into a tree of checks.
Values no Java service could hold are refused wherever they sit, unknown members included: a
string with a lone UTF-16 surrogate (``ValidationException``), and NaN, infinities, numbers beyond
64 bits or nesting deeper than ``MAX_NESTING`` (``SerializationException``). Numbers written in
strings (durations, retention, priorities) take ASCII digits only.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

from botocore.model import ListShape, Shape, StructureShape

from swfsim import spec
from swfsim.errors import SerializationException, ValidationException, encodable
from swfsim.model.durations import ONE_YEAR_SECONDS, is_whole_number

Check = Callable[[Any, str, list[str]], None]

MAX_RETENTION_DAYS = 90
# How deeply a request may nest objects and lists: the deepest SWF input (a decision's
# attributes in RespondDecisionTaskCompleted) nests 5 levels; unknown members may go further,
# but not so far that copying or writing them (the journal does both) exhausts the stack.
MAX_NESTING = 64
_INT32 = (-(2**31), 2**31 - 1)
_INT64 = (-(2**63), 2**63 - 1)  # a Java long, the widest integer a Java service reads
_SIGNED = re.compile("([+-]?)([0-9]+)")
# Epoch seconds a timestamp may hold: datetime's range, from year 1 to the end of year 9999.
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_TIMESTAMPS = (
    (datetime.min.replace(tzinfo=timezone.utc) - _EPOCH) // timedelta(seconds=1),
    (datetime.max.replace(tzinfo=timezone.utc) - _EPOCH) // timedelta(seconds=1) + 1,
)
_SURROGATE = re.compile("[\ud800-\udfff]")
_UNICODE_RULE = "be valid Unicode (a lone UTF-16 surrogate such as \\ud800 is not)"
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_TAG_CHARS = re.compile(r"^[\w\s.:/=+\-@]*$")
_TAG_RULE = "Tags may only contain unicode letters"
_SHOWN_CHARS = 128


def validate_input(operation_name: str, params: dict[str, Any]) -> None:
    """Check ``params`` against the operation's input shape.

    Raises:
        SerializationException: a member has the wrong JSON type.
        ValidationException: a constraint is broken; the message lists every problem found.
    """
    problems: list[str] = []
    _input_check(operation_name)(params, "", problems)
    if problems:
        raise ValidationException(problem_message(problems))


def problem_message(problems: list[str]) -> str:
    """Coral's summary: ``N validation error(s) detected: p1; p2``."""
    plural = "s" if len(problems) > 1 else ""
    return f"{len(problems)} validation error{plural} detected: " + "; ".join(problems)


def show(value: object) -> str:
    """Render a value the way Coral quotes it in a message, shortening long data."""
    text = str(value)
    if len(text) > _SHOWN_CHARS:
        text = text[:_SHOWN_CHARS] + f"...({len(text)} characters)"
    return f"'{encodable(text)}'"


def violation(value: object, path: str, rule: str) -> str:
    """One Coral problem sentence."""
    return f"Value {show(value)} at '{path}' failed to satisfy constraint: Member must {rule}"


def _is_unicode(text: str) -> bool:
    return text.isascii() or _SURROGATE.search(text) is None


def _unknown_member(name: Any, value: Any, path: str, problems: list[str]) -> None:
    """Check a member the model does not name, down to its leaves.

    AWS ignores unknown members, but the journal keeps each request whole, so they must be
    JSON that encodes again: no lone surrogates (a problem), and (raised at once) no nesting
    deeper than ``MAX_NESTING``, nothing no JSON reader gives (a non-string member name, NaN,
    infinity, a number beyond 64 bits, a value of another type). The walk is iterative, so
    no depth of input exhausts the stack.
    """
    pending: list[tuple[Any, str, int]] = [({name: value}, path, 0)]
    while pending:
        item, where, depth = pending.pop()
        if isinstance(item, dict | list):
            if depth >= MAX_NESTING:
                raise SerializationException(
                    f"The request nests objects and lists deeper than {MAX_NESTING} levels "
                    f"at '{encodable(where)}'"
                )
            children = _children(item, where, problems)
            pending.extend((child, at, depth + 1) for child, at in reversed(children))
        elif isinstance(item, str):
            if not _is_unicode(item):
                problems.append(violation(item, where, _UNICODE_RULE))
        elif not _is_json_scalar(item):
            raise SerializationException(
                f"Value {show(item)} at '{encodable(where)}' cannot be read: expected a string, "
                "a boolean, null, or a finite number within 64 bits"
            )


def _children(
    value: dict[Any, Any] | list[Any], path: str, problems: list[str]
) -> list[tuple[Any, str]]:
    if isinstance(value, list):
        return [(item, f"{path}.{index}.member") for index, item in enumerate(value, start=1)]
    for name in value:
        if not isinstance(name, str):
            raise SerializationException(f"Member names are strings, not {name!r} at '{path}'")
        if not _is_unicode(name):
            problems.append(
                f"Member name {show(name)} at '{encodable(path or 'body')}' failed to satisfy "
                f"constraint: Member names must {_UNICODE_RULE}"
            )
    return [(item, _join(path, name)) for name, item in value.items()]


def _is_json_scalar(value: Any) -> bool:
    if value is None or isinstance(value, bool):
        return True
    if isinstance(value, int):
        return _INT64[0] <= value <= _INT64[1]
    return isinstance(value, float) and math.isfinite(value)


@functools.cache
def _input_check(operation_name: str) -> Check:
    input_shape = spec.operation(operation_name).input_shape
    assert input_shape is not None
    return _compile(input_shape, "", identifier=False)


def _compile(shape: Shape, name: str, identifier: bool) -> Check:
    if isinstance(shape, StructureShape):
        return _structure(shape, identifier)
    if isinstance(shape, ListShape):
        return _list(shape, name)
    kind = shape.type_name
    if kind == "string":
        return _string(shape, name, identifier)
    if kind in ("integer", "long"):
        return _integer(shape)
    if kind == "boolean":
        return _typed(bool, "a boolean")
    if kind == "timestamp":
        return _timestamp
    raise NotImplementedError(f"no validator for {kind} shape {shape.name}")


def _join(path: str, member: str) -> str:
    return f"{path}.{member}" if path else member


def _structure(shape: StructureShape, identifier: bool) -> Check:
    required = tuple(shape.required_members)
    members = {
        name: _compile(
            member, name, identifier=(identifier and name == "name") or spec.is_identifier(member)
        )
        for name, member in shape.members.items()
    }

    def check(value: Any, path: str, problems: list[str]) -> None:
        if not isinstance(value, dict):
            raise SerializationException(f"Expected an object at '{path or 'body'}'")
        for name in required:
            if value.get(name) is None:
                problems.append(
                    f"Value null at '{_join(path, name)}' failed to satisfy "
                    "constraint: Member must not be null"
                )
        for name, item in value.items():
            member_check = members.get(name)
            if member_check is None:
                _unknown_member(name, item, path, problems)
            elif item is not None:
                member_check(item, _join(path, name), problems)

    return check


def _length_rules(shape: Shape) -> tuple[int | None, int | None]:
    return shape.metadata.get("min"), shape.metadata.get("max")


def _check_length(value: Any, size: int, path: str, shape: Shape, problems: list[str]) -> None:
    low, high = _length_rules(shape)
    if high is not None and size > high:
        problems.append(violation(value, path, f"have length less than or equal to {high}"))
    if low is not None and size < low:
        problems.append(violation(value, path, f"have length greater than or equal to {low}"))


def _list(shape: ListShape, name: str) -> Check:
    item_check = _compile(shape.member, name, identifier=False)
    tag_rule = _TAG_RULE in (shape.documentation or "")
    if tag_rule:
        item_check = _with_tag_rule(item_check)
    # AWS accepted StartWorkflowExecution with "tagList": [null] and echoed [null] (a 2016
    # recording: botify-labs/simpleflow, tests/integration/cassettes/
    # test_simpleflow_activity_rerun.yaml); botocore refuses it client-side.
    nulls_allowed = shape.name == "TagList"

    def check(value: Any, path: str, problems: list[str]) -> None:
        if not isinstance(value, list):
            raise SerializationException(f"Expected a list at '{path}'")
        _check_length(value, len(value), path, shape, problems)
        for index, item in enumerate(value, start=1):
            item_path = f"{path}.{index}.member"
            if item is not None:
                item_check(item, item_path, problems)
            elif not nulls_allowed:
                problems.append(
                    f"Value null at '{item_path}' failed to satisfy constraint: "
                    "Member must not be null"
                )

    return check


def _with_tag_rule(inner: Check) -> Check:
    def check(value: Any, path: str, problems: list[str]) -> None:
        inner(value, path, problems)
        if not isinstance(value, dict):
            return
        for member in ("key", "value"):
            text = value.get(member)
            if isinstance(text, str) and not _TAG_CHARS.match(text):
                problems.append(
                    violation(
                        text,
                        f"{path}.{member}",
                        "contain only unicode letters, "
                        "digits, whitespace, or the symbols _ . : / = + - @",
                    )
                )

    return check


def _string(shape: Shape, name: str, identifier: bool) -> Check:
    extra = _string_rules(shape, name, identifier)
    enum = tuple(getattr(shape, "enum", ()) or ())

    def check(value: Any, path: str, problems: list[str]) -> None:
        if not isinstance(value, str):
            raise SerializationException(
                f"Expected a string at '{path}', got {type(value).__name__}"
            )
        if not _is_unicode(value):
            problems.append(violation(value, path, _UNICODE_RULE))
            return
        _check_length(value, len(value), path, shape, problems)
        if enum and value not in enum:
            problems.append(violation(value, path, f"satisfy enum value set: [{', '.join(enum)}]"))
        for rule in extra:
            problem = rule(value)
            if problem:
                problems.append(violation(value, path, problem))

    return check


StringRule = Callable[[str], str | None]


def _string_rules(shape: Shape, name: str, identifier: bool) -> list[StringRule]:
    rules: list[StringRule] = []
    if identifier:
        rules.append(_identifier_rule)
    if spec.forbids_edge_whitespace(shape):
        rules.append(_edge_whitespace_rule)
    if shape.name == "DurationInDays":
        rules.append(_retention_rule)
    elif spec.is_duration(shape):
        rules.append(_duration_rule(spec.allows_none_duration(shape), name))
    if shape.name == "TaskPriority":
        rules.append(_priority_rule)
    return rules


def _identifier_rule(value: str) -> str | None:
    if value == "arn" or _CONTROL.search(value) or any(c in value for c in ":/|"):
        return (
            "not contain ':' (colon), '/' (slash), '|' (vertical bar) or control characters, "
            "and must not be the literal string 'arn'"
        )
    return None


def _edge_whitespace_rule(value: str) -> str | None:
    return "not start or end with whitespace" if value != value.strip() else None


def _retention_rule(value: str) -> str | None:
    if value == "NONE" or is_whole_number(value, MAX_RETENTION_DAYS):
        return None
    return f"be NONE or a whole number of days from 0 to {MAX_RETENTION_DAYS}"


def _duration_rule(none_allowed: bool, name: str) -> StringRule:
    capped = name in ("executionStartToCloseTimeout", "defaultExecutionStartToCloseTimeout")
    expected = "a non-negative whole number of seconds" + (" or NONE" if none_allowed else "")

    def rule(value: str) -> str | None:
        if value == "NONE" and none_allowed:
            return None
        if not is_whole_number(value):
            return f"be {expected}"
        if capped and not is_whole_number(value, ONE_YEAR_SECONDS):
            return f"be at most {ONE_YEAR_SECONDS} seconds (one year)"
        return None

    return rule


def _priority_rule(value: str) -> str | None:
    # Java's Integer.parseInt, as SWF reads it: an optional sign, then ASCII digits.
    match = _SIGNED.fullmatch(value)
    if match is not None:
        sign, digits = match.groups()
        if is_whole_number(digits, -_INT32[0] if sign == "-" else _INT32[1]):
            return None
    return f"be a whole number from {_INT32[0]} to {_INT32[1]}"


def _integer(shape: Shape) -> Check:
    low, high = _length_rules(shape)

    def check(value: Any, path: str, problems: list[str]) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise SerializationException(f"Expected an integer at '{path}'")
        if not _is_json_scalar(value):
            raise SerializationException(
                f"Value {show(value)} at '{path}' cannot be read: a number beyond 64 bits"
            )
        if high is not None and value > high:
            problems.append(violation(value, path, f"have value less than or equal to {high}"))
        if low is not None and value < low:
            problems.append(violation(value, path, f"have value greater than or equal to {low}"))

    return check


def _typed(kind: type, label: str) -> Check:
    def check(value: Any, path: str, _problems: list[str]) -> None:
        if not isinstance(value, kind):
            raise SerializationException(f"Expected {label} at '{path}'")

    return check


def _timestamp(value: Any, path: str, problems: list[str]) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SerializationException(f"Expected a timestamp in epoch seconds at '{path}'")
    if not _is_json_scalar(value):
        raise SerializationException(
            f"Value {show(value)} at '{path}' cannot be read: expected a finite number of "
            "epoch seconds within 64 bits"
        )
    low, end = _TIMESTAMPS
    if not low <= value < end:
        problems.append(
            violation(value, path, "be a time from year 1 to year 9999, in epoch seconds")
        )
