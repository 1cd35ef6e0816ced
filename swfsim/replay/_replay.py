"""Replaying a history through a decider, one decision task at a time.

At each decision task that production's decider completed, the decider is called with what
``PollForDecisionTask`` returned at that point through boto3 (:mod:`._poll`), and its answer is
compared with the decisions production recorded for that task (:mod:`._compare`). Each task is
replayed from the recorded history, whatever the decider answered at earlier ones (an SWF decider
sees the whole history at every task), so every divergence is found, not only the first.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

from swfsim.errors import SWFError
from swfsim.model import decisions as decision_rules
from swfsim.replay._compare import answer_differences, compare_decisions
from swfsim.replay._divergence import Divergence
from swfsim.replay._history import DecisionTaskSpan, History, JsonDict
from swfsim.replay._load import HistorySource, load_history
from swfsim.replay._poll import PollFeed
from swfsim.replay._recorded import recorded_decision
from swfsim.validation import validate_input

DeciderAnswer: TypeAlias = "Sequence[Mapping[str, Any]] | Mapping[str, Any]"
Decider: TypeAlias = Callable[[JsonDict], DeciderAnswer]


@dataclass(frozen=True)
class ReplayResult:
    """What replaying a history through a decider found.

    Attributes:
        history: the history replayed.
        tasks_checked: decision tasks the decider was asked about (those production's decider
            completed, up to ``upto_event_id``).
        decisions_checked: decisions production recorded at those tasks.
        divergences: every task at which the decider differed, raised, or would be refused.
    """

    history: History
    tasks_checked: int
    decisions_checked: int
    divergences: tuple[Divergence, ...]

    @property
    def ok(self) -> bool:
        """Whether the decider made production's decisions at every task checked."""
        return not self.divergences

    @property
    def divergence(self) -> Divergence | None:
        """The first divergence, or None."""
        return self.divergences[0] if self.divergences else None

    @property
    def summary(self) -> str:
        """One line: the run, and how the replay went."""
        history = self.history
        workflow_type = history.workflow_type or {}
        run = f"{history.label} ({workflow_type.get('name')}/{workflow_type.get('version')})"
        decisions = _count(self.decisions_checked, "decision")
        if self.ok:
            tasks = _count(self.tasks_checked, "decision task")
            return f"replay OK: {run}: {tasks} and {decisions} checked"
        diverged = len(self.divergences)
        differ = f"{diverged} of {_count(self.tasks_checked, 'decision task')}"
        verb = "differs" if diverged == 1 else "differ"
        return f"replay DIVERGED: {run}: {differ} {verb} ({decisions} checked)"

    def __str__(self) -> str:
        if self.divergence is None:
            return self.summary
        lines = [self.summary, "", str(self.divergence)]
        later = self.divergences[1:]
        if later:
            lines += ["", f"{len(later)} more:", *(f"  {d.headline}" for d in later)]
        return "\n".join(lines)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def replay_history(
    history: HistorySource, decider: Decider, *, upto_event_id: int | None = None
) -> ReplayResult:
    """Replay a recorded history through ``decider`` and compare its decisions with production's.

    Args:
        history: a :class:`swfsim.replay.History`, or anything :func:`swfsim.load_history`
            reads (a path, a boto3 response, ...).
        decider: called once per decision task with the ``PollForDecisionTask`` response boto3
            would have returned then (``taskToken``, ``startedEventId``,
            ``previousStartedEventId``, ``workflowExecution``, ``workflowType``, and the
            ``events`` up to DecisionTaskStarted, timestamps as datetimes). It returns the
            decisions (a list), or the keyword arguments it would pass to
            ``respond_decision_task_completed`` (a dict with ``decisions`` and maybe
            ``executionContext``, which is then compared too).
        upto_event_id: check only the decision tasks completed at or before this event.

    Returns:
        The result: ``result.ok``, ``result.divergence`` (the first), ``str(result)`` to print.
    """
    loaded = load_history(history)
    feed = PollFeed(loaded)
    divergences = []
    tasks = decisions = 0
    last = upto_event_id if upto_event_id is not None else len(loaded)
    for task in loaded.decision_tasks:
        if not task.completed or (task.closed_id or 0) > last:
            continue
        tasks += 1
        decisions += len(task.decision_ids)
        divergence = _replay_task(loaded, task, decider, feed.response(task))
        if divergence is not None:
            divergences.append(divergence)
    return ReplayResult(loaded, tasks, decisions, tuple(divergences))


def _replay_task(
    history: History, task: DecisionTaskSpan, decider: Decider, response: JsonDict
) -> Divergence | None:
    try:
        answer = decider(response)
    except Exception as error:  # the decider's failure is the finding, with its traceback
        return Divergence(history, task, error=_traceback(error))
    try:
        returned, answer_args = _read_answer(answer)
    except TypeError as unreadable:
        return Divergence(history, task, refused=str(unreadable))
    try:
        _check_request(response["taskToken"], returned, answer_args)
    except SWFError as refused:
        return Divergence(history, task, refused=refused.message, returned=tuple(returned))
    recorded = [recorded_decision(history.event(event_id)) for event_id in task.decision_ids]
    mismatches = compare_decisions(recorded, returned)
    completed = history.attributes(task.closed_id or 0)
    differences = answer_differences(completed, answer_args) if answer_args is not None else ()
    if not mismatches and not differences:
        return None
    return Divergence(history, task, tuple(mismatches), differences, returned=tuple(returned))


def _traceback(error: Exception) -> str:
    """The traceback from the decider's own frame on (replay's frame left out)."""
    frames = error.__traceback__.tb_next if error.__traceback__ else None
    return "".join(traceback.format_exception(type(error), error, frames))


def _read_answer(answer: Any) -> tuple[list[Mapping[str, Any]], Mapping[str, Any] | None]:
    """The decisions, and the respond_decision_task_completed arguments if those were given.

    Raises:
        TypeError: the answer is neither.
    """
    if isinstance(answer, Mapping):
        decisions, arguments = answer.get("decisions") or [], answer
    elif isinstance(answer, Sequence) and not isinstance(answer, str | bytes):
        decisions, arguments = answer, None
    else:
        raise TypeError(
            f"the decider returned {type(answer).__name__}, not a list of decisions or the "
            "keyword arguments of respond_decision_task_completed"
        )
    for position, decision in enumerate(decisions, start=1):
        if not isinstance(decision, Mapping):
            raise TypeError(f"decision {position} is a {type(decision).__name__}, not a dict")
    return list(decisions), arguments


def _check_request(
    token: str, returned: list[Mapping[str, Any]], answer: Mapping[str, Any] | None
) -> None:
    """Refuse, as SWF would, an answer whose RespondDecisionTaskCompleted request is invalid."""
    request = {**(answer or {}), "taskToken": token, "decisions": [dict(d) for d in returned]}
    validate_input("RespondDecisionTaskCompleted", request)
    decision_rules.check_request(request["decisions"])
