"""What the decisions of one RespondDecisionTaskCompleted share while they are applied."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from swfsim.model.engine import Engine
from swfsim.model.registry import JsonDict, present
from swfsim.model.run import Run


@dataclass
class DecisionBatch:
    """The run being decided for, and the DecisionTaskCompleted its decisions link to.

    Attributes:
        unhandled: a decision task was scheduled while the decider worked, so close decisions
            fail with UNHANDLED_DECISION (SWF API Reference: Decision).
    """

    engine: Engine
    run: Run
    completed_id: int
    unhandled: bool

    def record(self, event_type: str, **members: Any) -> int:
        """Append an event caused by a decision, linked to its DecisionTaskCompleted."""
        attrs = present(**members, decisionTaskCompletedEventId=self.completed_id)
        return self.run.history.append(event_type, attrs)

    def fail(self, event_type: str, **members: Any) -> None:
        """Append a ``*Failed`` event; the decider will be asked to decide again."""
        self.record(event_type, **members)
        self.engine.decisions.schedule(self.run)

    def after(self, effect: Callable[[], None]) -> None:
        """Run a cross-run effect once every decision of the batch is recorded."""
        self.engine.defer(effect)


Handler = Callable[[DecisionBatch, JsonDict], None]
