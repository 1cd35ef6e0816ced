"""``swfsim trace check``: does swfsim answer a trace's requests as the recorded service did?

Each recorded request goes to a fresh Simulator whose clock is moved to the time it was sent;
swfsim's answer is compared with the recorded one: the same status and error code, the same
members with the same JSON types, and the same values, except those that cannot match (times,
request ids) or that the service invents (run ids, task tokens, ...: matched through aliases,
each recorded alias standing for one value of ours throughout).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from swfsim.errors import SWFError
from swfsim.simulator import Simulator
from swfsim.trace._format import Call, JsonDict, Response, Trace
from swfsim.trace._match import MISSING, Aliases, flatten
from swfsim.trace._scrub import ALIASED
from swfsim.trace._standins import StandIns, attributes, recorded_history, register

SHOWN = 5  # differences printed per trace
# Members real SWF sent that swfsim does not: added to executionInfo by real SWF by 2023 (in all
# 17 of the 2023 descriptions of fixtures/real-aws, in none before). botocore's SWF model has
# neither member, so boto3 drops them; swfsim follows the model.
ONLY_IN_RECORDING = frozenset({"executionInfo.reopenable", "executionInfo.reopenGenerationId"})
# Members swfsim sends that real SWF did not before 2023: DecisionTaskScheduled's
# scheduleToStartTimeout "NONE" is in every 2023 recording of fixtures/real-aws and in none
# before; swfsim writes it as SWF does now.
ONLY_IN_OURS_BEFORE_2023 = frozenset({"scheduleToStartTimeout"})
# Values of an open execution's description that depend on where the unrecorded decider and
# worker were when the call was sent, which a trace knows to the second only (X-Amz-Date):
# with stand-ins, only their presence and types are compared.
UNTIMED = frozenset({"openCounts", "latestExecutionContext"})


@dataclass
class CheckResult:
    """What checking one trace found."""

    name: str
    calls: int
    matched: int = 0
    differences: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether every call was answered as recorded."""
        return not self.differences and self.matched == self.calls

    def report(self) -> str:
        """One line, then the first differences."""
        verdict = "ok" if self.ok else "DIFFERS"
        lines = [f"{self.name}: {verdict}, {self.matched}/{self.calls} calls matched"]
        lines.extend(f"  {difference}" for difference in self.differences[:SHOWN])
        if len(self.differences) > SHOWN:
            lines.append(f"  ... and {len(self.differences) - SHOWN} more")
        return "\n".join(lines)


def check_trace(trace: Trace, name: str = "trace", *, seed: int = 0) -> CheckResult:
    """Replay a trace's requests against a fresh Simulator and compare the answers."""
    start = trace.calls[0].sent if trace.calls else 0.0
    simulator = Simulator(seed=seed, start=datetime.fromtimestamp(start, timezone.utc))
    try:
        check = _Check(trace, name, simulator)
    except (SWFError, AssertionError, KeyError) as failed:
        problem = f"cannot stand in for the unrecorded {', '.join(trace.header.unrecorded)}: "
        return CheckResult(name, len(trace.calls), differences=[problem + repr(failed)])
    return check.run()


class _Check:
    def __init__(self, trace: Trace, name: str, simulator: Simulator) -> None:
        self.trace = trace
        self.simulator = simulator
        self.result = CheckResult(name, len(trace.calls))
        self.aliases = Aliases()
        self.era = trace.header.recorded[:4]
        self.standins = self._standins() if trace.header.unrecorded else None

    def run(self) -> CheckResult:
        for number, call in enumerate(self.trace.calls):
            where = f"line {number + 2} {call.operation}"
            try:
                self._move_clock(call.sent)
                if self.standins is not None:
                    self.standins.before(call.operation, call.response.body, call.sent)
            except (AssertionError, SWFError) as failed:
                self.result.differences.append(f"{where}: unrecorded calls failed: {failed}")
                break
            ours = self._answer(call)
            loose = UNTIMED if self.standins is not None and _open(call.response) else frozenset()
            found = compare(call.response, ours, self.aliases, self.era, loose)
            self.result.differences.extend(f"{where}: {d}" for d in found)
            self.result.matched += not found
            self._started(call)
        return self.result

    def _move_clock(self, sent: float) -> None:
        target = int(sent * 1000)
        if target > self.simulator.clock.now_ms():
            self.simulator.clock.advance_to_ms(target)

    def _answer(self, call: Call) -> Response:
        request = substitute(call.request, self.aliases.value_of)
        try:
            body = self.simulator.handle(call.operation, request)
        except SWFError as fault:
            return Response(fault.http_status, None, fault.code, fault.message, fault.wire_type)
        return Response(200, body or None)

    def _started(self, call: Call) -> None:
        standins = self.standins
        if standins is None or standins.recorded_run_id or not call.response.body:
            return
        if call.operation == "StartWorkflowExecution":
            standins.recorded_run_id = call.response.body["runId"]

    def _send(self, operation: str, request: JsonDict) -> Any:
        return self.simulator.handle(operation, substitute(request, self.aliases.value_of))

    def _standins(self) -> StandIns | None:
        calls = self.trace.calls
        events = recorded_history([(c.operation, c.response.body) for c in calls])
        start = next((c for c in calls if c.operation == "StartWorkflowExecution"), None)
        if start is None:
            return None
        domain = start.request["domain"]
        described = next((c for c in calls if c.operation == "DescribeWorkflowType"), None)
        if "registration" in self.trace.header.unrecorded and described is not None:
            # What the account had is known from a description of the workflow type only.
            register(self._send, described.response.body or {}, domain, events)
        self._register_lambdas(events)
        standins = StandIns(self._send, domain, start.request["workflowId"], events)
        standins.run_ids = self.aliases.value_of  # one mapping: recorded run ids to ours
        return standins

    def _register_lambdas(self, events: list[JsonDict]) -> None:
        # The stand-ins stand in for AWS Lambda too: each function answers as recorded.
        for event in events:
            if event["eventType"] == "LambdaFunctionCompleted":
                scheduled = attributes(events[attributes(event)["scheduledEventId"] - 1])
                result = attributes(event).get("result")
                self.simulator.register_lambda(scheduled["name"], _answering(result))


def _answering(result: Any) -> Callable[[Any], Any]:
    def function(_input: Any) -> Any:
        return result

    return function


def _open(response: Response) -> bool:
    info = (response.body or {}).get("executionInfo", {})
    return bool(info.get("executionStatus") == "OPEN")


def substitute(value: Any, ours: dict[str, Any]) -> Any:
    """``value`` with every recorded alias (or recorded id) replaced by our value."""
    if isinstance(value, dict):
        return {key: substitute(member, ours) for key, member in value.items()}
    if isinstance(value, list):
        return [substitute(item, ours) for item in value]
    return ours.get(value, value) if isinstance(value, str) else value


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


def _member(path: str, theirs: Any, mine: Any, era: str) -> str | None:
    """A difference of presence or JSON type; '' for an explained one; None when both have it
    with the same type."""
    name = _name(path)
    if mine is MISSING:
        return "" if _generic(path) in ONLY_IN_RECORDING else f"{path}: only in the recording"
    if theirs is MISSING:
        explained = era < "2023" and name in ONLY_IN_OURS_BEFORE_2023
        return "" if explained else f"{path}: only in swfsim's answer"
    if _json_type(theirs) != _json_type(mine):
        return f"{path}: recorded a {_json_type(theirs)}, swfsim a {_json_type(mine)}"
    return None


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
