"""Checking an answer against its operation's output shape in botocore's SWF model.

An answer passes only if AWS's own model could have produced it: no unknown member, every
required member, the model's types, lengths, enums and numeric ranges, and each HistoryEvent
carrying exactly the attributes member its eventType names. The answer may be boto3's parsed
response (timestamps as aware datetimes) or the JSON body on the wire (timestamps in epoch
seconds, as the AWS JSON 1.0 protocol sends them), where what real SWF is known to send beyond
the model is allowed too.
"""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Iterable, Mapping
from typing import Any

from botocore.model import ListShape, MapShape, Shape, StringShape, StructureShape

from swfsim import spec

# An empty long poll omits taskToken and answers only these members (public boto3 workers test
# `'taskToken' not in task`; the API Reference says an empty string), so it cannot satisfy the
# output shape's required members; it is checked for exactly this instead.
EMPTY_POLLS = {
    "PollForDecisionTask": {"startedEventId": 0, "previousStartedEventId": 0},
    "PollForActivityTask": {"startedEventId": 0},
}
# What real SWF sends beyond botocore's model, on the wire (botocore's parser drops the unknown
# members): two members of WorkflowExecutionInfo, in all 17 descriptions of fixtures/real-aws
# recorded in 2023 and in none before (see swfsim/trace/_compare.py) ...
UNMODELLED_MEMBERS = {"WorkflowExecutionInfo": frozenset({"reopenable", "reopenGenerationId"})}
# ... and nulls in a tag list: AWS accepted StartWorkflowExecution with "tagList": [null] and
# echoed [null] (a 2016 recording: botify-labs/simpleflow, tests/integration/cassettes/
# test_simpleflow_activity_rerun.yaml); swfsim's input validation accepts it too.
NULLS_ALLOWED = frozenset({"TagList"})
SHOWN_CHOICES = 8  # an enum with more values is named, not listed


def output_problems(
    operation_name: str, body: Mapping[str, Any], *, wire: bool = False
) -> list[str]:
    """How ``body`` breaks ``operation_name``'s output shape, each naming the member at fault.

    Args:
        operation_name: the SWF operation, e.g. ``"PollForDecisionTask"``.
        body: the answer, without boto3's ``ResponseMetadata``.
        wire: whether ``body`` is the JSON body as sent (timestamps in epoch seconds; what
            real SWF sends beyond the model, ``UNMODELLED_MEMBERS`` and ``NULLS_ALLOWED``,
            allowed) rather than boto3's parsed response (timestamps as aware datetimes).

    Returns:
        One line per problem, ``member.path: what is wrong``; empty when the answer fits.
    """
    names = spec.operation_names()
    if operation_name not in names:
        return [
            f"(answer): {operation_name} is not an SWF operation{_close(operation_name, names)}"
        ]
    shape = spec.output_shape(operation_name)
    if shape is None:
        return [] if not body else [f"(answer): {operation_name} answers nothing, got {body!r}"]
    if operation_name in EMPTY_POLLS and "taskToken" not in body:
        empty = EMPTY_POLLS[operation_name]
        return [] if dict(body) == empty else [f"(answer): an empty poll is {empty}, got {body!r}"]
    problems: list[str] = []
    _Walk(wire, problems).check(shape, body, "")
    return problems


class _Walk:
    def __init__(self, wire: bool, problems: list[str]) -> None:
        self.wire = wire
        self.problems = problems

    def check(self, shape: Shape, value: Any, path: str) -> None:
        if isinstance(shape, StructureShape):
            self.structure(shape, value, path)
        elif isinstance(shape, ListShape):
            self.sequence(shape, value, path)
        elif isinstance(shape, MapShape):
            if not isinstance(value, dict):
                self.report(path, f"expected a map, got {value!r}")
        else:
            self.scalar(shape, value, path)

    def report(self, path: str, problem: str) -> None:
        self.problems.append(f"{path or '(answer)'}: {problem}")

    def structure(self, shape: StructureShape, value: Any, path: str) -> None:
        if not isinstance(value, Mapping):
            self.report(path, f"expected a structure, got {value!r}")
            return
        for name in shape.required_members:
            if value.get(name) is None:
                self.report(_join(path, name), f"required member of {shape.name}, missing")
        for name, item in value.items():
            member = shape.members.get(name)
            if member is None and not (
                self.wire and name in UNMODELLED_MEMBERS.get(shape.name, ())
            ):
                close = _close(name, shape.members)
                self.report(_join(path, name), f"not a member of {shape.name}{close}")
            elif member is not None:
                self.check(member, item, _join(path, name))
        if shape.name == "HistoryEvent":
            self.event_attributes(value, path)

    def event_attributes(self, event: Mapping[str, Any], path: str) -> None:
        """A HistoryEvent carries exactly the one attributes member its eventType names."""
        event_type = str(event.get("eventType", ""))
        expected = spec.attributes_key(event_type, "EventAttributes") if event_type else "?"
        present = sorted(key for key in event if key.endswith("EventAttributes"))
        if present != [expected]:
            self.report(path, f"a {event_type} event must carry only {expected}, has {present}")

    def sequence(self, shape: ListShape, value: Any, path: str) -> None:
        if not isinstance(value, list):
            self.report(path, f"expected a list, got {value!r}")
            return
        self.bounds(shape, len(value), f"{path} (length)")
        nulls_allowed = self.wire and shape.name in NULLS_ALLOWED
        for index, item in enumerate(value):
            if item is not None or not nulls_allowed:
                self.check(shape.member, item, f"{path}[{index}]")

    def scalar(self, shape: Shape, value: Any, path: str) -> None:
        kind = shape.type_name
        if kind == "string":
            if not isinstance(value, str):
                self.report(path, f"expected a string, got {value!r}")
                return
            self.bounds(shape, len(value), f"{path} (length)")
            enum = shape.enum if isinstance(shape, StringShape) else []
            if enum and value not in enum:
                self.report(
                    path, f"{value!r} is not {_choices(shape.name, enum)}{_close(value, enum)}"
                )
        elif kind in ("integer", "long"):
            if isinstance(value, bool) or not isinstance(value, int):
                self.report(path, f"expected an integer, got {value!r}")
                return
            self.bounds(shape, value, path)
        elif kind == "boolean":
            if not isinstance(value, bool):
                self.report(path, f"expected a boolean, got {value!r}")
        elif kind == "timestamp":
            self.timestamp(value, path)
        else:
            self.report(path, f"no check for {kind} shape {shape.name}")

    def timestamp(self, value: Any, path: str) -> None:
        if self.wire:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                self.report(path, f"expected a time in epoch seconds, got {value!r}")
        elif not isinstance(value, datetime.datetime) or value.tzinfo is None:
            self.report(path, f"expected an aware datetime, got {value!r}")

    def bounds(self, shape: Shape, size: int, path: str) -> None:
        low, high = shape.metadata.get("min"), shape.metadata.get("max")
        if low is not None and size < low:
            self.report(path, f"{size} is below the minimum {low}")
        if high is not None and size > high:
            self.report(path, f"{size} is above the maximum {high}")


def _join(path: str, member: str) -> str:
    return f"{path}.{member}" if path else member


def _choices(name: str, enum: list[str]) -> str:
    if len(enum) <= SHOWN_CHOICES:
        return f"one of {enum}"
    return f"one of the {len(enum)} values of {name}"


def _close(word: str, names: Iterable[str]) -> str:
    """A hint naming the closest known name, if one is close."""
    close = difflib.get_close_matches(word, list(names), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
