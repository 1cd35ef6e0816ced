"""``swfsim trace check``: does swfsim answer a trace's requests as the recorded service did?

Each recorded request goes to a fresh Simulator whose clock is moved to the time it was sent;
swfsim's answer is compared with the recorded one: the same status and error code, the same
members with the same JSON types, and the same values, except those that cannot match (times,
request ids) or that the service invents (run ids, task tokens, ...: matched through aliases,
each recorded alias standing for one value of ours throughout).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from swfsim.errors import SWFError
from swfsim.simulator import Simulator
from swfsim.trace._compare import compare
from swfsim.trace._format import Call, JsonDict, Response, Trace
from swfsim.trace._match import Aliases
from swfsim.trace._standins import StandIns, attributes, recorded_history, register

SHOWN = 5  # differences printed per trace
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
