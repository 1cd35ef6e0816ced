"""Comparing a recorded answer with swfsim's: status, error code, members, types and values.

Times and request ids are not compared (the recorded service ran on another clock); ids the
service invents are compared through aliases: each recorded alias must stand for one of
swfsim's values throughout a trace.
"""

from __future__ import annotations

import re
from typing import Any

from swfsim.output_shapes import UNMODELLED_MEMBERS
from swfsim.trace._format import Response
from swfsim.trace._match import MISSING, Aliases, flatten
from swfsim.trace._scrub import ALIASED

# Members real SWF sent that swfsim does not: the members real SWF sends beyond botocore's SWF
# model, which boto3 drops and swfsim leaves out (see UNMODELLED_MEMBERS for when they appeared).
ONLY_IN_RECORDING = frozenset(
    f"executionInfo.{name}" for name in UNMODELLED_MEMBERS["WorkflowExecutionInfo"]
)
# Members swfsim sends that real SWF did not before 2023: DecisionTaskScheduled's
# scheduleToStartTimeout "NONE" is in every 2023 recording of fixtures/real-aws and in none
# before; swfsim writes it as SWF does now. (A path here explains any path ending with it.)
ONLY_IN_OURS_BEFORE_2023 = frozenset(
    {"decisionTaskScheduledEventAttributes.scheduleToStartTimeout"}
)


def compare(
    recorded: Response,
    ours: Response,
    aliases: Aliases,
    era: str,
    loose: frozenset[str] = frozenset(),
) -> list[str]:
    """The differences between a recorded answer and ours (binding new aliases); the values
    of members under a top-level member in ``loose`` are not compared."""
    if recorded.status != ours.status or recorded.error_code != ours.error_code:
        return [f"recorded {_outcome(recorded)}, swfsim answered {_outcome(ours)}"]
    if not recorded.ok:
        return []
    theirs = dict(flatten(recorded.body or {}))
    mine = dict(flatten(ours.body or {}))
    found = []
    for path in sorted(theirs.keys() | mine.keys(), key=_natural):
        difference = _member(path, theirs.get(path, MISSING), mine.get(path, MISSING), era)
        if difference is None and path.partition(".")[0] in loose:
            continue
        if difference is None and not _values_match(path, theirs[path], mine[path], aliases):
            difference = f"{path}: recorded {theirs[path]!r}, swfsim {mine[path]!r}"
        if difference:
            found.append(difference)
    return found


def shape_differences(recorded: Any, ours: Any, era: str) -> list[str]:
    """The members of two answers (or parts of answers) that differ in presence or JSON type.

    Args:
        recorded: a recorded answer's JSON body, or a part of it (one history event, say).
        ours: swfsim's answer, or the same part of it.
        era: the year the answer was recorded (``"2016"``): some differences are explained
            only for answers recorded before SWF changed (``ONLY_IN_OURS_BEFORE_2023``).

    Returns:
        One line per difference, ``member.path: what differs``, the explained ones left out;
        values are not compared.
    """
    theirs, mine = dict(flatten(recorded)), dict(flatten(ours))
    paths = sorted(theirs.keys() | mine.keys(), key=_natural)
    found = (
        _member(path, theirs.get(path, MISSING), mine.get(path, MISSING), era) for path in paths
    )
    return [difference for difference in found if difference]


def _member(path: str, theirs: Any, mine: Any, era: str) -> str | None:
    """A difference of presence or JSON type; '' for an explained one; None when both have it
    with the same type."""
    if mine is MISSING:
        return "" if _explained(path, ONLY_IN_RECORDING) else f"{path}: only in the recording"
    if theirs is MISSING:
        explained = era < "2023" and _explained(path, ONLY_IN_OURS_BEFORE_2023)
        return "" if explained else f"{path}: only in swfsim's answer"
    if _json_type(theirs) != _json_type(mine):
        return f"{path}: recorded a {_json_type(theirs)}, swfsim a {_json_type(mine)}"
    return None


def _explained(path: str, members: frozenset[str]) -> bool:
    """Whether ``path``, list indices aside, is or ends with one of ``members``."""
    generic = _generic(path)
    return any(generic == member or generic.endswith(f".{member}") for member in members)


def _values_match(path: str, theirs: Any, mine: Any, aliases: Aliases) -> bool:
    name = _name(path)
    if name.endswith(("Timestamp", "Date")):
        return True  # times cannot match: the recorded service ran on another clock
    if name in ALIASED or _is_id(theirs, aliases):
        same = aliases.same(theirs, mine)
        aliases.bind(theirs, mine)
        return same
    return bool(theirs == mine)


def _is_id(value: Any, aliases: Aliases) -> bool:
    return isinstance(value, str) and value in aliases.value_of


def _name(path: str) -> str:
    return path.rpartition(".")[2].partition("[")[0]


def _generic(path: str) -> str:
    return re.sub(r"\[\d+\]", "", path)


def _natural(path: str) -> list[Any]:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", path)]


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _outcome(response: Response) -> str:
    if response.ok:
        return f"{response.status}"
    return f"{response.status} {response.error_code}: {response.error_message}"
