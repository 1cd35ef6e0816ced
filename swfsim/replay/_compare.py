"""Comparing what a decider returned with what production recorded, attribute by attribute.

Defaults are resolved as SWF resolves them. A setting the decider leaves out that SWF fills in
from the type's registered defaults (an activity's task list and timeouts, say) matches whatever
the event recorded: SWF filled the event in with the same type's defaults, and the activity or
workflow type (name and version) is compared. A setting the decider sets must equal the
recorded one, whether production set it or SWF defaulted it. Any other attribute must be equal,
absent on both sides included. What a ``*Failed`` event does not repeat cannot be compared.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import zip_longest
from typing import Any

from swfsim.model.decisions import attributes_member
from swfsim.replay._recorded import RecordedDecision

_ABSENT: Any = None


@dataclass(frozen=True)
class Difference:
    """One attribute whose recorded and returned values differ (None: absent)."""

    name: str
    expected: Any
    actual: Any


@dataclass(frozen=True)
class Mismatch:
    """A decision of the task that differs from production's.

    Attributes:
        position: its index in the task's decision list (0 for the first).
        expected: what production recorded there (None: the decider returned an extra one).
        actual: what the decider returned there (None: the decider left it out).
        differences: the attributes that differ (``decisionType`` first if the types do).
    """

    position: int
    expected: RecordedDecision | None
    actual: Mapping[str, Any] | None
    differences: tuple[Difference, ...]

    @property
    def kind(self) -> str:
        """``"changed"``, ``"missing"`` (production made it, the decider did not) or ``"extra"``."""
        if self.actual is None:
            return "missing"
        return "extra" if self.expected is None else "changed"


def compare_decisions(
    recorded: Sequence[RecordedDecision], returned: Sequence[Mapping[str, Any]]
) -> list[Mismatch]:
    """The decisions that differ, position by position (SWF applies them in order)."""
    mismatches = []
    for position, (expected, actual) in enumerate(zip_longest(recorded, returned)):
        differences = () if expected is None or actual is None else differ(expected, actual)
        if expected is None or actual is None or differences:
            mismatches.append(Mismatch(position, expected, actual, differences))
    return mismatches


def differ(expected: RecordedDecision, actual: Mapping[str, Any]) -> tuple[Difference, ...]:
    """The attributes of ``actual`` that differ from the recorded decision."""
    actual_type = actual.get("decisionType")
    if actual_type != expected.decision_type:
        return (Difference("decisionType", expected.decision_type, actual_type),)
    given = actual.get(attributes_member(actual_type)) or {}
    found = []
    for name in expected.checked:
        value = given.get(name, _ABSENT)
        if value is _ABSENT and name in expected.defaulted:
            continue  # SWF would fill it in from the type's default: the recorded value
        if value != expected.attributes.get(name, _ABSENT):
            found.append(Difference(name, expected.attributes.get(name, _ABSENT), value))
    return tuple(found)


def answer_differences(
    recorded: Mapping[str, Any], returned: Mapping[str, Any]
) -> tuple[Difference, ...]:
    """What a decider's ``respond_decision_task_completed`` keyword arguments set beside the
    decisions (``executionContext``, the decision task list) against the DecisionTaskCompleted
    production recorded."""
    return tuple(
        Difference(name, recorded.get(name), returned.get(name))
        for name in ("executionContext", "taskList", "taskListScheduleToStartTimeout")
        if recorded.get(name) != returned.get(name)
    )
