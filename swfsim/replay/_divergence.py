"""Where a decider parts from production: the decision task, what the decider saw, and each
differing decision side by side, in the text style of :mod:`swfsim.timeline`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from swfsim.model.decisions import attributes_member
from swfsim.replay._compare import Difference, Mismatch
from swfsim.replay._history import DecisionTaskSpan, History, JsonDict
from swfsim.replay._recorded import RecordedDecision
from swfsim.timeline import format_timeline, format_value  # values shown as timelines show them

_NONE = "-"
_INDENT = "  "


@dataclass(frozen=True)
class Divergence:
    """A decision task at which the decider did not do what production did.

    Attributes:
        history: the history replayed.
        task: the decision task (its index and event ids).
        mismatches: each decision that differs (changed, missing or extra), in list order.
        answer_differences: what differs beside the decisions (``executionContext``, ...).
        error: the traceback, if the decider raised instead of answering.
        refused: why SWF would refuse the answer as a whole (a ``ValidationException``).
        returned: the decisions the decider returned.
    """

    history: History
    task: DecisionTaskSpan
    mismatches: tuple[Mismatch, ...] = ()
    answer_differences: tuple[Difference, ...] = ()
    error: str | None = None
    refused: str | None = None
    returned: tuple[Mapping[str, Any], ...] = ()

    @property
    def task_index(self) -> int:
        """The decision task's index: 0 for the run's first started decision task (reports
        count from 1: "decision task 1 of 3" is index 0)."""
        return self.task.index

    @property
    def task_label(self) -> str:
        """How reports name the task: ``decision task 2 of 3 (events 8-10)``."""
        task = self.task
        total = len(self.history.decision_tasks)
        events = f"events {task.scheduled_id}-{task.closed_id}"
        return f"decision task {task.index + 1} of {total} ({events})"

    @property
    def expected(self) -> RecordedDecision | None:
        """The first differing decision as production recorded it (None: an extra one)."""
        return self.mismatches[0].expected if self.mismatches else None

    @property
    def actual(self) -> Mapping[str, Any] | None:
        """The first differing decision as the decider returned it (None: a missing one)."""
        return self.mismatches[0].actual if self.mismatches else None

    @property
    def differences(self) -> tuple[Difference, ...]:
        """The attributes in which the first differing decision differs."""
        return self.mismatches[0].differences if self.mismatches else ()

    @property
    def seen_events(self) -> tuple[JsonDict, ...]:
        """Every event the decider was given (the history up to DecisionTaskStarted)."""
        return self.history.events[: self.task.started_id]

    @property
    def new_events(self) -> tuple[JsonDict, ...]:
        """The events since the decider's previous decision task: what it had to react to."""
        return self.history.events[self.task.previous_started_id : self.task.started_id]

    @property
    def headline(self) -> str:
        """One line: which task, and what went wrong there."""
        where = self.task_label
        if self.error is not None:
            return f"{where}: the decider raised {self.error.strip().splitlines()[-1]}"
        if self.refused is not None:
            return f"{where}: SWF would refuse the answer"
        kinds = [f"decision {m.position + 1} {m.kind}" for m in self.mismatches]
        kinds += [f"{d.name} differs" for d in self.answer_differences]
        return f"{where}: {', '.join(kinds)}"

    def __str__(self) -> str:
        lines = [self.headline, *self._task_lines(), "", *self._seen_lines(), ""]
        if self.error is not None:
            lines += ["the decider raised:", *_indented(self.error.rstrip().splitlines())]
        elif self.refused is not None:
            lines += ["RespondDecisionTaskCompleted would be refused:", _INDENT + self.refused]
        for mismatch in self.mismatches:
            lines += [*_mismatch_lines(mismatch), ""]
        lines += _difference_table("the answer", self.answer_differences)
        return "\n".join(lines).rstrip()

    def _task_lines(self) -> list[str]:
        ids = self.task.decision_ids
        recorded = (
            f"events {ids[0]}-{ids[-1]}" if len(ids) > 1 else f"event {ids[0]}" if ids else "none"
        )
        answered = "raised" if self.error is not None else f"returned {_plural(len(self.returned))}"
        return [f"{_INDENT}production's decisions: {recorded}; the decider {answered}"]

    def _seen_lines(self) -> list[str]:
        task = self.task
        first = task.previous_started_id + 1
        timeline = format_timeline(self.seen_events).splitlines()[first - 1 :]
        title = f"the decider saw events 1-{task.started_id}"
        if first > 1:
            title += f", new since its previous decision task: {first}-{task.started_id}"
        return [f"{title}:", *_indented(timeline)]


def _plural(count: int) -> str:
    return f"{count} decision{'' if count == 1 else 's'}"


def _mismatch_lines(mismatch: Mismatch) -> list[str]:
    expected, actual = mismatch.expected, mismatch.actual
    recorded = f"production: {expected.label}" if expected else "production"
    header = f"decision {mismatch.position + 1}: {mismatch.kind}"
    if expected is not None and expected.cause:
        header += f" (production's failed: {expected.cause})"
    rows = _rows(expected, actual, {d.name for d in mismatch.differences})
    return [header, *_side_by_side(("", recorded, "decider"), rows)]


def _rows(
    expected: RecordedDecision | None, actual: Mapping[str, Any] | None, differing: set[str]
) -> list[tuple[bool, str, str, str]]:
    left = _flat(expected.decision) if expected else {}
    right = _flat(actual) if actual is not None else {}
    names = list(dict.fromkeys([*left, *right]))
    if expected is not None and actual is not None and "decisionType" not in differing:
        names = [n for n in names if n in differing or n in ("decisionType", *_ids(left))]
    return [
        (name in differing or not (left and right), name, *_pair(left.get(name), right.get(name)))
        for name in names
    ]


def _ids(flat: Mapping[str, Any]) -> list[str]:
    """The attributes that name the decision's object: shown even when they agree."""
    return [n for n in flat if n.endswith(("Id", "Type", "Name", "name"))]


def _flat(decision: Mapping[str, Any]) -> dict[str, Any]:
    decision_type = decision.get("decisionType")
    flat: dict[str, Any] = {"decisionType": decision_type}
    if isinstance(decision_type, str):
        attrs = decision.get(attributes_member(decision_type)) or {}
        flat.update(attrs)
    return flat


def _pair(left: Any, right: Any) -> tuple[str, str]:
    """Both values as text; where they differ beyond what fits, around the first difference."""
    shown = (
        _NONE if left is None else format_value(left),
        _NONE if right is None else format_value(right),
    )
    if left == right or shown[0] != shown[1]:
        return shown
    if not isinstance(left, str) or not isinstance(right, str):
        return repr(left), repr(right)
    at = next((i for i, (a, b) in enumerate(zip(left, right, strict=False)) if a != b), None)
    start = max(0, (at if at is not None else min(len(left), len(right))) - 20)
    return format_value("..." + left[start:]), format_value("..." + right[start:])


def _side_by_side(header: Sequence[str], rows: list[tuple[bool, str, str, str]]) -> list[str]:
    name_width = max([len(header[0]), *(len(row[1]) for row in rows)])
    left_width = max([len(header[1]), *(len(row[2]) for row in rows)])
    lines = [f"{_INDENT}  {header[0]:<{name_width}}  {header[1]:<{left_width}}  {header[2]}"]
    for differs, name, left, right in rows:
        mark = "!" if differs else " "
        lines.append(
            f"{_INDENT}{mark} {name:<{name_width}}  {left:<{left_width}}  {right}".rstrip()
        )
    return lines


def _difference_table(title: str, differences: Sequence[Difference]) -> list[str]:
    if not differences:
        return []
    rows = [(True, d.name, *_pair(d.expected, d.actual)) for d in differences]
    return [f"{title} differs:", *_side_by_side(("", "production", "decider"), rows)]


def _indented(lines: Sequence[str]) -> list[str]:
    return [_INDENT + line for line in lines]
