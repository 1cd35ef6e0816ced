"""SWF-aware matching of a call against recorded calls.

A call's *key* is its operation and the members that say which resource it is about (domain,
workflowId, task list, token, ...): recorded calls of one key are answered in order, calls of
different keys in any order. The other members must match too; a recorded alias matches the
value it was first matched with (tokens and run ids the stub handed out match themselves).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from swfsim.trace._format import Call, JsonDict
from swfsim.trace._scrub import is_alias

KEY_PATHS = (
    "domain",
    "name",
    "version",
    "workflowId",
    "execution.workflowId",
    "execution.runId",
    "runId",
    "taskList.name",
    "taskToken",
    "workflowType.name",
    "workflowType.version",
    "activityType.name",
    "activityType.version",
    "signalName",
)
# Members whose values depend on when the call was made (a time window's bounds).
TIME_DEPENDENT = frozenset({"oldestDate", "latestDate"})
Key = tuple[str, tuple[tuple[str, Any], ...]]
MISSING = "<absent>"


def flatten(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every leaf of a JSON document with its dotted path (``decisions[0].decisionType``)."""
    if isinstance(value, dict) and value:
        for key, member in value.items():
            yield from flatten(member, f"{path}.{key}" if path else key)
    elif isinstance(value, list) and value:
        for index, item in enumerate(value):
            yield from flatten(item, f"{path}[{index}]")
    else:
        yield path, value


def key_of(operation: str, request: JsonDict) -> Key:
    """The operation and the identifying members of a request."""
    leaves = dict(flatten(request))
    return operation, tuple((path, leaves[path]) for path in KEY_PATHS if path in leaves)


@dataclass
class Aliases:
    """Which value each recorded alias stands for in the calls being replayed."""

    value_of: dict[str, Any] = field(default_factory=dict)
    alias_of: dict[Any, str] = field(default_factory=dict)

    def same(self, recorded: Any, actual: Any) -> bool:
        """Whether ``actual`` may stand where ``recorded`` was (binding a new alias)."""
        if recorded == actual or not is_alias(recorded):
            return bool(recorded == actual)
        bound = self.value_of.get(recorded, MISSING)
        if bound is not MISSING:
            return bool(bound == actual)
        return actual not in self.alias_of

    def bind(self, recorded: Any, actual: Any) -> None:
        """Remember that ``recorded`` stands for ``actual``."""
        if is_alias(recorded) and recorded != actual:
            self.value_of[recorded] = actual
            self.alias_of[actual] = recorded


def differences(recorded: JsonDict, actual: JsonDict, aliases: Aliases) -> list[str]:
    """The paths whose values differ (time-window bounds apart)."""
    theirs, ours = dict(flatten(recorded)), dict(flatten(actual))
    found = []
    for path in sorted(theirs.keys() | ours.keys()):
        if path.rpartition(".")[2] in TIME_DEPENDENT:
            continue
        if not aliases.same(theirs.get(path, MISSING), ours.get(path, MISSING)):
            found.append(path)
    return found


def bind_all(recorded: JsonDict, actual: JsonDict, aliases: Aliases) -> None:
    """Bind every alias of ``recorded`` to the value at the same path of ``actual``."""
    ours = dict(flatten(actual))
    for path, value in flatten(recorded):
        if path in ours:
            aliases.bind(value, ours[path])


def side_by_side(call: Call, line: int, request: JsonDict, paths: list[str]) -> str:
    """The differing members of a call and a recorded call, in two columns."""
    theirs, ours = dict(flatten(call.request)), dict(flatten(request))
    rows = [
        (path, _shown(ours.get(path, MISSING)), _shown(theirs.get(path, MISSING))) for path in paths
    ]
    width = max([len("member"), *(len(row[0]) for row in rows)])
    left = max([len("this call"), *(len(row[1]) for row in rows)])
    lines = [f"  recorded {call.operation} (line {line}):"]
    lines.append(f"    {'member':<{width}}  {'this call':<{left}}  recorded")
    lines.extend(
        f"    {path:<{width}}  {mine:<{left}}  {recorded}" for path, mine, recorded in rows
    )
    return "\n".join(lines)


def _shown(value: Any) -> str:
    text = value if value == MISSING else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def describe(operation: str, request: JsonDict) -> str:
    """``Operation(key members)``, short."""
    _, key = key_of(operation, request)
    return f"{operation}({', '.join(f'{path}={value!r}' for path, value in key)})"
