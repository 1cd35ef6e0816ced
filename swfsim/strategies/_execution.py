"""A finished run, as a test sees it: its history, how it closed, the schedule that produced it.

When a test fails, Hypothesis prints the example's ``repr``: the schedule's non-plain choices
woven into the timeline of events with their virtual times, where the history was written (a
file :func:`swfsim.replay_history` and :func:`swfsim.load_history` read, to keep as a regression
fixture) and how to run the same schedule again.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from swfsim.model.run import Run
from swfsim.strategies._driver import Outcome
from swfsim.strategies._schedule import Choice
from swfsim.transport.parsed import converter

JsonDict = dict[str, Any]
FAILURES_DIR_VARIABLE = "SWFSIM_FAILURES_DIR"
DEFAULT_FAILURES_DIR = "swfsim-failures"


@dataclass(frozen=True, repr=False)
class Execution:
    """One explored run of a decider and its activities.

    Attributes:
        history: the main run's events, as boto3's ``get_workflow_execution_history`` returns
            them (timestamps are datetimes).
        close_status: ``"COMPLETED"``, ``"FAILED"``, ``"CANCELED"``, ``"TERMINATED"``,
            ``"CONTINUED_AS_NEW"``, ``"TIMED_OUT"``, or None if the run was still open when the
            exploration stopped (the decider raised, SWF refused its answer, or ``max_steps``).
        result: the result of WorkflowExecutionCompleted, if the run completed.
        schedule: every choice the environment made, in order (most are the plain option).
        decider_errors: tracebacks of the decider raising (the run stops at the first).
        refused: SWF's refusals of the decider's answers (the run stops at the first).
        wire_history: the main run's events on the wire (timestamps in epoch seconds).
        histories: the wire events of every run the exploration started, by workflow id.
        steps: driver steps the run took.
        retried: the answers (of the decider or a worker) whose response was lost and which
            were sent again, each with SWF's answer to the retry.
    """

    history: list[JsonDict]
    close_status: str | None
    result: str | None
    schedule: tuple[Choice, ...]
    decider_errors: tuple[str, ...]
    refused: tuple[str, ...]
    wire_history: list[JsonDict]
    histories: dict[str, list[JsonDict]]
    steps: int
    workflow_type: str
    retried: tuple[str, ...] = ()
    _start_ms: int = field(default=0, compare=False)

    @property
    def _main_id(self) -> str:
        return next(iter(self.histories))  # runs are listed in the order they started

    @property
    def choices(self) -> tuple[Choice, ...]:
        """The schedule's choices that differ from the plain run."""
        return tuple(choice for choice in self.schedule if not choice.plain)

    def event_types(self) -> list[str]:
        """The main run's event types, in order."""
        return [event["eventType"] for event in self.wire_history]

    def events(self, event_type: str) -> list[JsonDict]:
        """The main run's events of one type (boto3's form)."""
        return [event for event in self.history if event["eventType"] == event_type]

    def timeline(self) -> str:
        """The main run's events with their virtual times, the non-plain choices among them."""
        lines: list[str] = []
        pending = list(self.choices)
        for position, event in enumerate(self.wire_history):
            while pending and pending[0].after_event <= position:
                lines.append(_choice_line(pending.pop(0)))
            offset = event["eventTimestamp"] - self._start_ms / 1000
            lines.append(f"  {offset:>9.3f}s  {event['eventId']:>3}  {event['eventType']}")
            detail = _detail(event)
            if detail:
                lines[-1] += f"  {detail}"
        lines.extend(_choice_line(choice) for choice in pending)
        return "\n".join(lines)

    def write_history(self, directory: str | Path | None = None) -> Path:
        """Write the main run's history where :func:`swfsim.load_history` reads it.

        Args:
            directory: where; ``$SWFSIM_FAILURES_DIR``, else ``swfsim-failures``, if omitted.

        Returns:
            The file's path; its name is the workflow type and a digest of the history, so
            writing the same history twice writes one file.
        """
        folder = Path(directory or os.environ.get(FAILURES_DIR_VARIABLE, DEFAULT_FAILURES_DIR))
        text = json.dumps({"events": self.wire_history}, indent=1, sort_keys=True)
        digest = hashlib.sha256(text.encode()).hexdigest()[:12]
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self.workflow_type}-{digest}.json"
        path.write_text(text + "\n")
        return path

    def schedule_code(self) -> str:
        """The schedule that makes this run again, as Python for
        :func:`swfsim.strategies.run_schedule`: the non-plain choices, each after the plain
        choices made before it at its choice point (same kind and key), which keep it in its
        place (the third signal choice point, not the first)."""
        last = {(c.kind, c.key): n for n, c in enumerate(self.schedule) if not c.plain}
        needed = [c for n, c in enumerate(self.schedule) if n <= last.get((c.kind, c.key), -1)]
        entries = ", ".join(repr((c.kind, c.key, c.option)) for c in needed)
        return f"[{entries}]"

    def _repr_pretty_(self, printer: Any, _cycle: bool) -> None:
        # Hypothesis's pretty printer would list a dataclass's fields; print the story instead.
        printer.text(repr(self))

    def __repr__(self) -> str:
        # Hypothesis prints this for the falsifying example: make it the whole story.
        status = self.close_status or "still open"
        lines = [
            f"<Execution of {self.workflow_type}: {status}, {len(self.wire_history)} events, "
            f"{len(self.choices)} non-plain choice(s) of {len(self.schedule)}>",
            "timeline (seconds of virtual time, event id, event; >> the environment's choices):",
            self.timeline(),
        ]
        lines.extend(
            f"  run {workflow_id}: {len(events)} events, last {events[-1]['eventType']}"
            for workflow_id, events in self.histories.items()
            if workflow_id != self._main_id
        )
        lines.extend(f"decider raised:\n{error}" for error in self.decider_errors)
        lines.extend(f"SWF refused the decider's answer: {refusal}" for refusal in self.refused)
        lines.extend(f"answer {retry}" for retry in self.retried)
        if _failing_example():
            lines.append(f"history written to {self.write_history()}")
            lines.append("  (a regression fixture: swfsim.replay_history(path, decider) reads it)")
        else:
            lines.append("history: .write_history() writes it, for swfsim.replay_history")
        lines += [
            f"reproduce: swfsim.strategies.run_schedule({self.schedule_code()}, decider=..., "
            "activities=..., ...) with the arguments given to executions()",
        ]
        return "\n".join(lines)


def _failing_example() -> bool:
    """Whether Hypothesis is printing the falsifying example (the final run of a failure)."""
    from hypothesis.control import _current_build_context  # the strategies need Hypothesis

    context = _current_build_context.value
    return context is not None and context.is_final


def _choice_line(choice: Choice) -> str:
    return f"  {choice.at_ms / 1000:>9.3f}s   >>  {choice}"


_DETAIL_MEMBERS = (
    "activityId",
    "timerId",
    "signalName",
    "markerName",
    "timeoutType",
    "cause",
    "reason",
)


def attributes_of(event: JsonDict) -> JsonDict:
    """The ``...EventAttributes`` member of an event."""
    return next((value for key, value in event.items() if key.endswith("Attributes")), {})


def _detail(event: JsonDict) -> str:
    attributes = attributes_of(event)
    shown = [f"{name}={attributes[name]}" for name in _DETAIL_MEMBERS if name in attributes]
    return " ".join(shown)


def execution_of(outcome: Outcome, root: Run) -> Execution:
    """The Execution a driver's outcome describes."""
    convert_cache = outcome.converted.setdefault(root.run_id, [])
    convert = converter("HistoryEvent")
    events = root.history.events
    convert_cache.extend(convert(event) for event in events[len(convert_cache) :])
    result = None
    if events and events[-1]["eventType"] == "WorkflowExecutionCompleted":
        result = events[-1]["workflowExecutionCompletedEventAttributes"].get("result")
    histories = {
        run.workflow_id: list(run.history.events)
        for run in sorted(outcome.sim.engine.runs.values(), key=lambda run: run.seq)
    }
    return Execution(
        history=list(convert_cache),
        close_status=root.close_status.value if root.close_status is not None else None,
        result=result,
        schedule=tuple(outcome.choices),
        decider_errors=tuple(outcome.decider_errors),
        refused=tuple(outcome.refused),
        wire_history=list(events),
        histories=histories,
        steps=outcome.steps,
        workflow_type=outcome.setup.workflow_type,
        retried=tuple(outcome.retried),
        _start_ms=outcome.sim.start_ms,
    )
