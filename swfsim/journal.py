"""Snapshots: the seed and settings of a Simulator plus the journal of what changed its state.

swfsim is deterministic: the same seed, the same requests and the same clock moves give the same
state, ids and tokens included. So a snapshot need not describe every run and deadline; it
records each clock move and each request that changed something, in the order they happened
(under the Simulator's lock, so the order is exact even with concurrent callers), and restoring
replays them into a new Simulator. Polls are recorded only when they handed out a task, at the
moment they did: by then every clock move and request that made the task ready is recorded.
Lambda functions are user code: what each invocation gave is recorded, and the replay takes it
from the journal instead of calling a function. A run resumed from a recorded history
(``Simulator.resume``) is recorded with that history's events and the resume's arguments.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from collections import deque
from collections.abc import Callable
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from swfsim.clock import END_MS, from_millis, to_millis
from swfsim.errors import SWFError
from swfsim.model.lambda_functions import Invocation
from swfsim.options import Options

if TYPE_CHECKING:
    from swfsim.replay import History
    from swfsim.simulator import Simulator

SNAPSHOT_FORMAT = "swfsim-snapshot/1"
_POLLS = frozenset({"PollForDecisionTask", "PollForActivityTask"})
_FIRST_MS = to_millis(datetime.min.replace(tzinfo=timezone.utc))
_SHOWN = 200  # characters of a bad value a message quotes
# The attributes a Lambda function's invocation gives each closing event (all strings).
_INVOCATION_ATTRIBUTES = {
    "LambdaFunctionCompleted": frozenset({"result"}),
    "LambdaFunctionFailed": frozenset({"reason", "details"}),
}
JsonDict = dict[str, Any]


class SnapshotError(ValueError):
    """A snapshot cannot be restored (wrong format, or it does not replay)."""


class Journal:
    """What changed a Simulator's state, in order."""

    def __init__(self) -> None:
        self.entries: list[list[Any]] = []

    def clock_moved(self, _old_ms: int, new_ms: int) -> None:
        """Record a clock move (the clock calls this)."""
        self.entries.append(["advance", new_ms])

    def answered(self, operation: str, params: JsonDict, response: JsonDict) -> None:
        """Record a request that was answered without a fault."""
        if operation in _POLLS and not response.get("taskToken"):
            return  # an empty poll changed nothing but the time, recorded as clock moves
        self.entries.append(["call", operation, params])

    def lambda_invoked(self, invocation: Invocation) -> None:
        """Record what a Lambda function's invocation gave (the Lambda functions call this)."""
        self.entries.append(
            [
                "lambda",
                invocation.name,
                invocation.event_type,
                dict(invocation.attributes),
                invocation.seconds,
            ]
        )

    def resumed(
        self,
        since: int,
        history: History,
        domain: str,
        workflow_id: str | None,
        run_id: str | None,
    ) -> None:
        """Record a run resumed from ``history`` (``Simulator.resume`` calls this), in place of
        the clock moves the resume made from entry ``since`` on: replaying it makes them again,
        at the same point of the resume (before it draws a run id, say)."""
        made = self.entries[since:]
        self.entries[since:] = [entry for entry in made if entry[0] != "advance"]
        recorded: JsonDict = {"events": copy.deepcopy(list(history.events))}
        if history.execution is not None:
            recorded["execution"] = dict(history.execution)
        arguments = {"domain": domain, "workflowId": workflow_id, "runId": run_id}
        named = {key: value for key, value in arguments.items() if value is not None}
        self.entries.append(["resume", {**named, "history": recorded}])


def snapshot(sim: Simulator) -> JsonDict:
    """The whole state of ``sim`` as JSON-ready data.

    Raises:
        SnapshotError: ``sim`` was created without ``journal=True``.
    """
    if sim.journal is None:
        raise SnapshotError("this Simulator keeps no journal: create it with journal=True")
    options = {
        name: sorted(value) if isinstance(value, frozenset) else value
        for name, value in dataclasses.asdict(sim.options).items()
    }
    return {
        "format": SNAPSHOT_FORMAT,
        "seed": sim.seed,
        "start": sim.start_ms,
        "region": sim.region,
        "accountId": sim.account_id,
        "options": options,
        "clockMode": sim.clock_mode.value,
        "rate": sim.waiting.rate,
        "journal": list(sim.journal.entries),
    }


def restore(data: JsonDict) -> Simulator:
    """A new Simulator in the state ``data`` (from :func:`snapshot`) describes.

    The replay calls no Lambda function: each invocation's outcome and duration come from the
    journal. Register functions on the restored Simulator for Lambda tasks scheduled after it.

    Raises:
        SnapshotError: the data is not a snapshot, or replaying it does not reproduce it.
    """
    from swfsim.simulator import Simulator

    if not isinstance(data, dict) or data.get("format") != SNAPSHOT_FORMAT:
        raise SnapshotError(f"not a swfsim snapshot (expected format {SNAPSHOT_FORMAT!r})")
    missing = [key for key in _FIELDS if key not in data]
    if missing:
        raise SnapshotError(f"the snapshot lacks {', '.join(map(repr, missing))}")
    for key, (kinds, expected) in _FIELDS.items():
        value = data[key]
        if not isinstance(value, kinds) or isinstance(value, bool):
            raise SnapshotError(f"the snapshot's {key!r} must be {expected}, not {_shown(value)}")
    for key in _FIELDS:
        if key != "journal" and not _valid_unicode(data[key]):  # the journal's calls check theirs
            raise SnapshotError(f"the snapshot's {key!r} holds a lone UTF-16 surrogate")
    if not _FIRST_MS <= data["start"] <= END_MS:
        raise SnapshotError(
            f"the snapshot's 'start' must be epoch milliseconds from {_FIRST_MS} to {END_MS} "
            f"(years 1 to 9999), not {data['start']}"
        )
    sim = Simulator(
        seed=data["seed"],
        start=from_millis(data["start"]),
        region=data["region"],
        account_id=data["accountId"],
        options=_options(data["options"]),
        journal=True,
    )
    recorded = _invocations(data["journal"])
    sim.engine.lambdas.replayed = _replayed(recorded)
    try:
        for number, entry in enumerate(data["journal"], start=1):
            _replay(sim, number, entry)
        if recorded:
            raise SnapshotError(
                f"the journal records {len(recorded)} Lambda invocation(s) its replay did not "
                f"make (the first of {recorded[0].name!r}): the snapshot diverged"
            )
        sim.engine.lambdas.replayed = None
        sim.set_clock_mode(data["clockMode"], rate=data["rate"])
    except SnapshotError:
        raise
    # An edited or damaged snapshot fails in whatever step it breaks; the caller hears why.
    except (ValueError, SWFError) as error:
        raise SnapshotError(
            f"the snapshot does not replay: {type(error).__name__}: {error}"
        ) from error
    return sim


_FIELDS: dict[str, tuple[type | tuple[type, ...], str]] = {
    "seed": (int, "an integer"),
    "start": (int, "epoch milliseconds (an integer)"),
    "region": (str, "a string"),
    "accountId": (str, "a string"),
    "options": (dict, "an object"),
    "clockMode": (str, "a clock mode's name"),
    "rate": ((int, float), "a number"),
    "journal": (list, "a list"),
}


def _valid_unicode(value: Any) -> bool:
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "..."


def _options(saved: JsonDict) -> Options:
    """The Options a snapshot saved, its sets (saved as sorted lists) made sets again.

    Raises:
        SnapshotError: an option is unknown, or its value is not of the option's type.
    """
    defaults = Options()
    values: dict[str, Any] = {}
    for name, value in saved.items():
        if name not in {field.name for field in dataclasses.fields(Options)}:
            raise SnapshotError(f"the snapshot names an unknown option {_shown(name)}")
        default = getattr(defaults, name)
        if isinstance(default, frozenset):
            if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                raise SnapshotError(
                    f"option {name!r} must be a list of strings, not {_shown(value)}"
                )
            value = frozenset(value)
        elif type(value) is not type(default):  # exact: a bool is no int here, nor an int a bool
            raise SnapshotError(
                f"option {name!r} must be of type {type(default).__name__}, not {_shown(value)}"
            )
        values[name] = value
    return Options(**values)


def _invocations(entries: list[Any]) -> deque[Invocation]:
    """The Lambda invocations a journal records, in order.

    Raises:
        SnapshotError: a ``lambda`` entry is malformed.
    """
    recorded: deque[Invocation] = deque()
    for number, entry in enumerate(entries, start=1):
        if isinstance(entry, list) and entry[:1] == ["lambda"]:
            recorded.append(_invocation(number, entry))
    return recorded


def _invocation(number: int, entry: list[Any]) -> Invocation:
    match entry:
        case ["lambda", str() as name, str() as event_type, dict() as attributes, seconds] if (
            _invocation_attributes(event_type, attributes)
            and isinstance(seconds, int | float)
            and not isinstance(seconds, bool)
            and seconds >= 0  # false for NaN too
            and _valid_unicode(entry)
        ):
            return Invocation(name, event_type, dict(attributes), seconds)
    raise SnapshotError(
        f"journal entry {number} is not ['lambda', <function name>, 'LambdaFunctionCompleted' "
        "or 'LambdaFunctionFailed', {<the event's result, or reason and details>}, "
        f"<seconds>]: {_shown(entry)}"
    )


def _invocation_attributes(event_type: str, attributes: JsonDict) -> bool:
    allowed = _INVOCATION_ATTRIBUTES.get(event_type)
    return (
        allowed is not None
        and attributes.keys() <= allowed
        and all(isinstance(value, str) for value in attributes.values())
    )


def _replayed(recorded: deque[Invocation]) -> Callable[[str], Invocation]:
    """What stands in for the Lambda functions during a replay: the recorded invocations."""

    def invocation(name: str) -> Invocation:
        if not recorded:
            raise SnapshotError(
                f"the replay invokes the Lambda function {name!r}, but the journal records no "
                "invocation of it to replay: a snapshot written before swfsim recorded Lambda "
                "outcomes, or an edited one, cannot be restored; take the snapshot again with "
                "this version of swfsim"
            )
        invocation = recorded.popleft()
        if invocation.name != name:
            raise SnapshotError(
                f"the replay invokes the Lambda function {name!r} where the journal records an "
                f"invocation of {invocation.name!r}: the snapshot diverged"
            )
        return invocation

    return invocation


def _replay(sim: Simulator, number: int, entry: Any) -> None:
    match entry:
        case ["lambda", *_]:
            return  # taken by the Lambda functions when the replay invokes them (_replayed)
        case ["advance", int() as target_ms] if not isinstance(target_ms, bool):
            sim.clock.advance_to_ms(target_ms)
            return
        case ["call", str() as operation, dict() as params]:
            response = sim.handle(operation, params)
            if operation in _POLLS and not response.get("taskToken"):
                raise SnapshotError(
                    f"{operation} handed out no task on replay: the snapshot diverged"
                )
        case ["resume", dict() as arguments] if _resumable(arguments):
            sim.resume(
                arguments["history"],
                domain=arguments["domain"],
                workflow_id=arguments.get("workflowId"),
                run_id=arguments.get("runId"),
            )
        case ["resume", *_]:
            raise SnapshotError(
                f"journal entry {number} is not ['resume', {{'domain': <domain>, 'history': "
                "{'events': [<event>, ...], 'execution'?: {<workflowId and runId>}}, "
                f"'workflowId'?: <id>, 'runId'?: <id>}}]: {_shown(entry)}"
            )
        case _:
            raise SnapshotError(
                f"journal entry {number} is neither ['advance', <epoch milliseconds>], "
                f"['call', <operation>, {{<parameters>}}] nor ['resume', {{<arguments>}}]: "
                f"{_shown(entry)}"
            )


def _resumable(arguments: JsonDict) -> bool:
    """Whether a ``resume`` entry's arguments are as :meth:`Journal.resumed` writes them (its
    events are the history loader's to check)."""
    history = arguments.get("history")
    return (
        arguments.keys() <= {"domain", "workflowId", "runId", "history"}
        and isinstance(arguments.get("domain"), str)
        and all(isinstance(arguments.get(key, ""), str) for key in ("workflowId", "runId"))
        and isinstance(history, dict)
        and history.keys() <= {"events", "execution"}
        and isinstance(history.get("events"), list)
        and isinstance(history.get("execution", {}), dict)
        and all(isinstance(value, str) for value in history.get("execution", {}).values())
        and _valid_unicode(arguments)
    )
