"""Fault injection: what goes wrong in production, reproducibly, in virtual time.

A :class:`FaultPlan` is a pluggy plugin (see :mod:`swfsim.hooks`) holding a list of faults; every
random choice comes from its seed, so a failing run reproduces exactly. Plans are built in
Python or loaded from JSON/YAML scenario files validated against the published JSON Schema
``swfsim/schemas/fault-scenario.schema.json``.

Each fault fires on matching occurrences: the ``nth`` one (1-based), every one with probability
``rate``, or all of them; ``times`` caps how often it fires (default: once for ``nth``, without
limit otherwise).
"""

from __future__ import annotations

import functools
import json
import random
from collections import Counter
from dataclasses import dataclass, field, fields
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import jsonschema

from swfsim import errors, spec
from swfsim.hooks import RequestLost, ResponseLost, hookimpl

if TYPE_CHECKING:
    from swfsim.simulator import Simulator

JsonDict = dict[str, Any]
_POLL = {"decision": "PollForDecisionTask", "activity": "PollForActivityTask"}
_API_ERRORS: dict[str, type[errors.SWFError]] = {
    "ThrottlingException": errors.ThrottlingException,
    "ServiceUnavailable": errors.ServiceUnavailable,
    "InternalFailure": errors.InternalFailure,
}
_WORKER_CALLS = frozenset(
    {
        "RecordActivityTaskHeartbeat",
        "RespondActivityTaskCompleted",
        "RespondActivityTaskFailed",
        "RespondActivityTaskCanceled",
    }
)


class ScenarioError(ValueError):
    """A fault scenario is invalid; the message names the bad field."""


@dataclass(frozen=True, kw_only=True)
class Fault:
    """When a fault fires: on the ``nth`` match, at a seeded ``rate``, or always."""

    kind: ClassVar[str] = ""
    nth: int | None = None
    rate: float | None = None
    times: int | None = None

    def limit(self) -> int | None:
        """How many times the fault may fire."""
        return self.times if self.times is not None else (1 if self.nth is not None else None)


@dataclass(frozen=True, kw_only=True)
class ApiError(Fault):
    """The service answers an API error (throttling, unavailable, internal failure)."""

    kind: ClassVar[str] = "api_error"
    error: str = "ThrottlingException"
    operations: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.error not in _API_ERRORS:
            raise ScenarioError(f"error: {self.error!r} is not one of {sorted(_API_ERRORS)}")
        _check_operations(self.operations)


@dataclass(frozen=True, kw_only=True)
class LostResponse(Fault):
    """The change is applied but the answer is lost: the client retries (double-start,
    double-complete hazards)."""

    kind: ClassVar[str] = "lost_response"
    operations: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_operations(self.operations)


def _check_operations(operations: tuple[str, ...]) -> None:
    """A misspelt operation would never match, and the fault would silently never fire."""
    known = spec.operation_names()
    for index, name in enumerate(operations):
        if name not in known:
            raise ScenarioError(
                f"operations[{index}]: {name!r} is not an operation of Amazon SWF "
                "(e.g. StartWorkflowExecution)"
            )


@dataclass(frozen=True, kw_only=True)
class WorkerHangs(Fault):
    """A worker takes an activity task and never answers: the task times out."""

    kind: ClassVar[str] = "worker_hangs"
    activity_type: str | None = None


@dataclass(frozen=True, kw_only=True)
class WorkerCrashes(Fault):
    """A worker heartbeats ``after_heartbeats`` times, then crashes: its later calls for the
    task never arrive (the caller sees connection errors) and the task times out."""

    kind: ClassVar[str] = "worker_crashes"
    after_heartbeats: int = 0
    activity_type: str | None = None


@dataclass(frozen=True, kw_only=True)
class DeciderMissesDeadline(Fault):
    """A decider takes a decision task and never answers: DecisionTaskTimedOut follows."""

    kind: ClassVar[str] = "decider_misses_deadline"
    workflow_type: str | None = None


@dataclass(frozen=True, kw_only=True)
class DelaySignal(Fault):
    """A SignalWorkflowExecution is accepted but delivered ``seconds`` later (virtual time)."""

    kind: ClassVar[str] = "delay_signal"
    seconds: float = 0
    signal_name: str | None = None


@dataclass(frozen=True, kw_only=True)
class DelayTask(Fault):
    """A poll that would get a task gets it ``seconds`` later (virtual time)."""

    kind: ClassVar[str] = "delay_task"
    seconds: float = 0
    task_kind: str = "activity"


@dataclass(frozen=True, kw_only=True)
class ClockJump(Fault):
    """Virtual time jumps ``seconds`` ahead before the ``nth`` request (any operation)."""

    kind: ClassVar[str] = "clock_jump"
    seconds: float = 0


@dataclass(frozen=True, kw_only=True)
class S3Unavailable(Fault):
    """S3 answers 503 (step storage of ``swfsim serve``)."""

    kind: ClassVar[str] = "s3_unavailable"


@dataclass(frozen=True, kw_only=True)
class S3Slow(Fault):
    """S3 answers ``seconds`` of virtual time late."""

    kind: ClassVar[str] = "s3_slow"
    seconds: float = 0


FAULT_TYPES: dict[str, type[Fault]] = {
    cls.kind: cls
    for cls in (
        ApiError,
        LostResponse,
        WorkerHangs,
        WorkerCrashes,
        DeciderMissesDeadline,
        DelaySignal,
        DelayTask,
        ClockJump,
        S3Unavailable,
        S3Slow,
    )
}


# eq=False: a plan is a pluggy plugin, which pluggy keeps in sets and finds by identity.
@dataclass(eq=False)
class FaultPlan:
    """Faults to inject into one Simulator, and the seeded randomness they use.

    Example:
        >>> from swfsim import Simulator
        >>> plan = FaultPlan([ApiError(error="ThrottlingException", nth=1)], seed=3)
        >>> sim = plan.install(Simulator())
        >>> sim.handle("ListDomains", {"registrationStatus": "REGISTERED"})
        Traceback (most recent call last):
        ...
        swfsim.errors.ThrottlingException: Rate exceeded (injected fault api_error #1)
    """

    faults: list[Fault]
    seed: int = 0
    fired: Counter[int] = field(default_factory=Counter)
    _matches: Counter[int] = field(default_factory=Counter)
    _random: random.Random = field(init=False)
    _crashed: set[str] = field(default_factory=set)
    _heartbeats: Counter[str] = field(default_factory=Counter)
    _crash_plans: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._random = random.Random(f"{self.seed}/faults")

    def install(self, simulator: Simulator) -> Simulator:
        """Register the plan on ``simulator``; returns the simulator."""
        simulator.plugins.register(self)
        return simulator

    def _fires(self, index: int, fault: Fault) -> bool:
        """Count a matching occurrence of fault ``index``; whether it fires now."""
        self._matches[index] += 1
        limit = fault.limit()
        if limit is not None and self.fired[index] >= limit:
            return False
        if fault.nth is not None and self._matches[index] < fault.nth:
            return False
        if fault.rate is not None and self._random.random() >= fault.rate:
            return False
        self.fired[index] += 1
        return True

    def _each(self, kind: type[Fault]) -> list[tuple[int, Any]]:
        return [(i, f) for i, f in enumerate(self.faults) if isinstance(f, kind)]

    @hookimpl
    def swfsim_before_operation(
        self, simulator: Simulator, operation: str, params: JsonDict
    ) -> JsonDict | None:
        """API errors, clock jumps, delayed signals and tasks, crashed workers."""
        for index, jump in self._each(ClockJump):
            if self._fires(index, jump):
                simulator.clock.advance(jump.seconds)
        if operation in _WORKER_CALLS and params.get("taskToken") in self._crashed:
            raise RequestLost(f"the worker holding this task crashed (injected {operation})")
        self._count_heartbeat(operation, params)
        for index, fault in self._each(ApiError):
            if _named(operation, fault.operations) and self._fires(index, fault):
                raise _API_ERRORS[fault.error](
                    f"Rate exceeded (injected fault {fault.kind} #{index + 1})"
                    if fault.error == "ThrottlingException"
                    else f"{fault.error} (injected fault {fault.kind} #{index + 1})"
                )
        for index, delay in self._each(DelayTask):
            if operation == _POLL[delay.task_kind] and self._fires(index, delay):
                simulator.clock.advance(delay.seconds)
        if operation == "SignalWorkflowExecution":
            return self._delay_signal(simulator, params)
        return None

    def _delay_signal(self, simulator: Simulator, params: JsonDict) -> JsonDict | None:
        if _open_run(simulator, params) is None:
            return None  # the operation itself answers UnknownResourceFault
        for index, delay in self._each(DelaySignal):
            if _named(params["signalName"], _optional(delay.signal_name)) and self._fires(
                index, delay
            ):
                deliver = functools.partial(_deliver_late, simulator, dict(params))
                simulator.clock.call_later(delay.seconds, deliver)
                return {}
        return None

    def _count_heartbeat(self, operation: str, params: JsonDict) -> None:
        # The last heartbeat before the crash arrives; every later call of the worker is lost,
        # whether it is a heartbeat or its answer.
        token = params.get("taskToken", "")
        if operation == "RecordActivityTaskHeartbeat" and token in self._crash_plans:
            self._heartbeats[token] += 1
            if self._heartbeats[token] >= self._crash_plans[token]:
                self._crashed.add(token)

    # pluggy passes a hook implementation only the arguments it names.
    @hookimpl
    def swfsim_task_delivered(self, operation: str, task: JsonDict) -> JsonDict | None:
        """Hung workers and deciders take the task and never answer."""
        if operation == "PollForActivityTask":
            name = task["activityType"]["name"]
            for index, fault in self._each(WorkerHangs):
                if _named(name, _optional(fault.activity_type)) and self._fires(index, fault):
                    return {"startedEventId": 0}
            for index, crash in self._each(WorkerCrashes):
                if _named(name, _optional(crash.activity_type)) and self._fires(index, crash):
                    self._crash_plans[task["taskToken"]] = crash.after_heartbeats
                    if crash.after_heartbeats == 0:
                        self._crashed.add(task["taskToken"])
            return None
        name = task["workflowType"]["name"]
        for index, fault in self._each(DeciderMissesDeadline):
            if _named(name, _optional(fault.workflow_type)) and self._fires(index, fault):
                return {"startedEventId": 0, "previousStartedEventId": 0}
        return None

    @hookimpl
    def swfsim_after_operation(self, operation: str, error: errors.SWFError | None) -> None:
        """Lost responses: applied, but the caller never hears."""
        if error is not None:
            return
        for index, fault in self._each(LostResponse):
            if _named(operation, fault.operations) and self._fires(index, fault):
                raise ResponseLost(f"the response to {operation} was lost (injected)")

    @hookimpl
    def swfsim_before_s3_request(self, simulator: Simulator) -> int | None:
        """S3 step storage unavailable or slow."""
        for index, slow in self._each(S3Slow):
            if self._fires(index, slow):
                simulator.clock.advance(slow.seconds)
        for index, fault in self._each(S3Unavailable):
            if self._fires(index, fault):
                return 503
        return None


def _named(value: str, names: tuple[str, ...]) -> bool:
    return not names or value in names


def _optional(name: str | None) -> tuple[str, ...]:
    return () if name is None else (name,)


def _open_run(simulator: Simulator, params: JsonDict) -> Any:
    """The open run a SignalWorkflowExecution names, or None (unknown domain or execution)."""
    engine = simulator.engine
    domain = engine.registry.domains.get(params["domain"])
    if domain is None:
        return None
    return engine.find_open_run(domain, params["workflowId"], params.get("runId"))


def _deliver_late(simulator: Simulator, params: JsonDict) -> None:
    run = _open_run(simulator, params)
    if run is not None:  # a run that closed meanwhile never sees the signal
        attrs = {"signalName": params["signalName"], "externalInitiatedEventId": 0}
        if params.get("input") is not None:
            attrs["input"] = params["input"]
        simulator.engine.record_and_decide(run, "WorkflowExecutionSignaled", attrs)


# ---- scenario files ----------------------------------------------------------------------------

SCHEMA_RESOURCE = "fault-scenario.schema.json"


def schema() -> JsonDict:
    """The published JSON Schema of fault scenario files."""
    text = resources.files("swfsim.schemas").joinpath(SCHEMA_RESOURCE).read_text()
    loaded: JsonDict = json.loads(text)
    return loaded


def plan_from_scenario(data: Any, *, default_seed: int = 0) -> FaultPlan:
    """A FaultPlan from scenario data (parsed JSON or YAML).

    Raises:
        ScenarioError: the data breaks the schema; the message names the bad field.
    """
    validator = jsonschema.Draft202012Validator(schema())
    problems = list(validator.iter_errors(data))
    problem = jsonschema.exceptions.best_match(problems)
    if problem is not None:
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in problem.absolute_path)
        # A misspelt required key breaks two rules at one place: name both, so the typo shows.
        messages = [problem.message] + [
            other.message
            for other in problems
            if other.absolute_path == problem.absolute_path and other.message != problem.message
        ]
        raise ScenarioError(
            f"invalid fault scenario at {where or 'the top level'}: {'; '.join(messages)}"
        )
    faults = []
    for index, entry in enumerate(data["faults"]):
        try:
            faults.append(_fault(entry))
        except ScenarioError as invalid:
            raise ScenarioError(f"invalid fault scenario at .faults[{index}].{invalid}") from None
    return FaultPlan(faults, seed=data.get("seed", default_seed))


def load_scenario(path: str | Path, *, default_seed: int = 0) -> FaultPlan:
    """A FaultPlan from a ``.json``, ``.yaml`` or ``.yml`` scenario file.

    A relative path is resolved against the current directory.

    Raises:
        ScenarioError: the file cannot be parsed (the message gives the line and column) or
            breaks the schema.
        OSError: the file cannot be read (the message names the absolute path tried).
    """
    import yaml

    text = _read_scenario(Path(path))
    is_yaml = str(path).endswith((".yaml", ".yml"))
    try:
        data = yaml.safe_load(text) if is_yaml else json.loads(text)
    except (ValueError, yaml.YAMLError) as unreadable:  # JSONDecodeError is a ValueError
        raise ScenarioError(f"{path}: {_parse_problem(unreadable)}") from None
    try:
        return plan_from_scenario(data, default_seed=default_seed)
    except ScenarioError as invalid:
        raise ScenarioError(f"{path}: {invalid}") from None


def _read_scenario(path: Path) -> str:
    try:
        return path.read_text()
    except OSError as unreadable:
        tried = Path.cwd() / path
        where = (
            f" (tried {tried}: a relative path is resolved against the current directory, "
            f"{Path.cwd()}; give an absolute path, or one relative to it)"
            if not path.is_absolute()
            else ""
        )
        reason = unreadable.strerror or str(unreadable)
        # The same OSError subclass (FileNotFoundError...), with a message that says where.
        raise type(unreadable)(f"cannot read the scenario {path}: {reason}{where}") from None


def _parse_problem(error: Exception) -> str:
    """What a parse error says, with the line and column where the parser gives them."""
    import yaml

    if isinstance(error, json.JSONDecodeError):
        return (
            f"cannot parse the scenario as JSON at line {error.lineno}, column {error.colno}: "
            f"{error.msg}"
        )
    if isinstance(error, yaml.MarkedYAMLError) and error.problem_mark is not None:
        message = f"cannot parse the scenario as YAML at {_at(error.problem_mark)}: {error.problem}"
        if error.context:
            context_at = f" at {_at(error.context_mark)}" if error.context_mark else ""
            message += f" ({error.context}{context_at})"
        return message
    return f"cannot parse the scenario: {error}"


def _at(mark: Any) -> str:
    # PyYAML counts lines and columns from 0; editors and people count from 1.
    return f"line {mark.line + 1}, column {mark.column + 1}"


_CAMEL = {
    "activityType": "activity_type",
    "afterHeartbeats": "after_heartbeats",
    "workflowType": "workflow_type",
    "signalName": "signal_name",
    "taskKind": "task_kind",
}


def _fault(entry: JsonDict) -> Fault:
    cls = FAULT_TYPES[entry["type"]]
    names = {f.name for f in fields(cls)}
    values = {_CAMEL.get(key, key): value for key, value in entry.items() if key != "type"}
    if "operations" in values:
        values["operations"] = tuple(values["operations"])
    unknown = set(values) - names
    if unknown:
        first = sorted(unknown)[0]
        raise ScenarioError(f"{first}: {entry['type']} has no field {first}")
    return cls(**values)
