"""The schedule: the environment's choices, and where they come from.

A run asks a :class:`Chooser` at each choice point: a *kind* of choice (an activity's outcome,
which ready task a poll delivers, ...), a stable *key* (the activity id, the task list, ...) and
the options, of which the first is always the plain run (the activity succeeds, tasks are
delivered first in, first out, no signal arrives, the decider answers in time). Hypothesis draws
the option, so shrinking moves every choice towards the plain run.

Choice points are addressed by kind and rank (the first activity task, the third decision
task), not by their place in the run: the choices of the first few ranks of every kind are one
block of bytes drawn before the run starts, so a stored example still means the same choice
points after an edit of the decider adds or removes choice points of other kinds (a decision
task more, a timer, a signal handled elsewhere), and Hypothesis's example database survives such
edits. One draw for the block, rather than one per choice point, also keeps Hypothesis's own
work per example small.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

# The kinds of choice, which the ``explore=`` argument of executions() selects from.
ACTIVITY = "activity"  # an activity task's outcome
DELIVERY = "delivery"  # which ready task a poll delivers
SAME_INSTANT = "same-instant"  # which of the events due at one instant happens first
SIGNAL = "signal"  # an outside signal arrives before a decision task is delivered
SIGNAL_WHILE_STARTED = "signal-while-started"  # ... or while the decider works on it
DECISION = "decision"  # the decider's answer arrives in time, is sent twice, or never
CHILD = "child"  # how a child run with no decider of its type closes
KINDS = (ACTIVITY, DELIVERY, SAME_INSTANT, SIGNAL, SIGNAL_WHILE_STARTED, DECISION, CHILD)

# Option lists; index 0 is the plain run. The timeouts are named after SWF's timeoutType.
ACTIVITY_OUTCOMES = (
    "result",  # the activity function's result (or its failure, if it raises)
    "failure",  # the worker reports a failure
    "crash",  # the worker takes the task and vanishes: its first timeout fires
    "SCHEDULE_TO_START",  # no worker takes the task in time
    "START_TO_CLOSE",  # the worker takes the task, heartbeats, and never finishes
    "SCHEDULE_TO_CLOSE",  # the worker takes the task late, heartbeats, and never finishes
    "late result",  # the function's result, a second before the task would time out
    # The worker's answer is applied but its response is lost; the worker sends it again, as
    # boto3 retries a dropped connection, and SWF refuses the retry: the token is spent.
    "result, answer lost and sent again",
    "failure, answer lost and sent again",
)
# Appended options keep the stored indices of the others (see the module's docstring).
DECISION_OUTCOMES = ("answered", "timed out", "answer lost and sent again")
CHILD_OUTCOMES = ("completed", "failed", "timed out", "terminated")
NO_SIGNAL = "no signal"
# A signal whose sender lost SWF's answer and sent it again: the run receives it twice.
TWICE = "twice (answer lost, sent again)"


@dataclass(frozen=True)
class Choice:
    """One choice the environment made.

    Attributes:
        kind: what was chosen (one of :data:`KINDS`).
        key: the stable name of the choice point (an activity id, a task list, ...).
        option: the option chosen, as the timeline prints it.
        index: its position among the options; 0 is the plain run.
        at_ms: virtual milliseconds since the run started.
        after_event: how many events the main run's history held when the choice was made.
    """

    kind: str
    key: str
    option: str
    index: int
    at_ms: int
    after_event: int

    @property
    def plain(self) -> bool:
        """Whether this is the plain run's choice."""
        return self.index == 0

    def __str__(self) -> str:
        return f"{self.kind}[{self.key}] = {self.option}"


# Where a run's choices come from: (kind, key, options) -> the index of the option taken.
Chooser = Callable[[str, str, Sequence[str]], int]


def plain(_kind: str, _key: str, _options: Sequence[str]) -> int:
    """The plain run: always the first option."""
    return 0


# The chance that a choice point takes another option than the plain one.
PERTURB = 1 / 5
# The ranks of each kind whose choices are planned before the run (later ones when reached).
PLANNED_RANKS = 4
# A planned choice point's byte: below this it takes the plain option (four values in five),
# from here up the other options in turn, so that lowering a byte shrinks towards the plain run.
LEAVE_FROM = 256 - round(256 * PERTURB)


def drawn(
    plan: bytes,
    perturb: Callable[[float], bool],
    draw_index: Callable[[int], int],
    kinds: Iterable[str],
) -> Chooser:
    """A chooser that takes its choices from Hypothesis: ``plan`` holds a byte for each of the
    first :data:`PLANNED_RANKS` choice points of each kind of ``kinds`` (in :data:`KINDS`
    order), drawn before the run; later choice points call ``perturb(p)`` (True with
    probability ``p``) and ``draw_index(upper)`` (an integer in 0..upper) when reached.

    Each choice point takes the plain option unless its byte or ``perturb`` says otherwise (one
    point in five), so an example changes a few choice points, and a bug that needs one change
    in an otherwise plain run is found quickly. Every draw shrinks towards the plain run.
    """
    first_slot = {kind: n * PLANNED_RANKS for n, kind in enumerate(_in_order(kinds))}
    asked = dict.fromkeys(KINDS, 0)

    def choose(kind: str, _key: str, options: Sequence[str]) -> int:
        rank = asked[kind]
        asked[kind] = rank + 1
        others = len(options) - 1
        if rank < PLANNED_RANKS:
            byte = plan[first_slot[kind] + rank]
            return 0 if byte < LEAVE_FROM else 1 + (byte - LEAVE_FROM) % others
        if not perturb(PERTURB):
            return 0
        return 1 + (draw_index(others - 1) if others > 1 else 0)

    return choose


def plan_size(kinds: Iterable[str]) -> int:
    """The bytes :func:`drawn` needs for ``kinds``."""
    return PLANNED_RANKS * len(_in_order(kinds))


def _in_order(kinds: Iterable[str]) -> list[str]:
    chosen = set(kinds)
    return [kind for kind in KINDS if kind in chosen]


class Replayed:
    """A chooser that takes the choices of a recorded schedule, by kind and key.

    Each choice point takes the next recorded choice of its kind and key with the same option
    name, so a schedule keeps its meaning when the decider adds or removes other choice points;
    any choice point the schedule does not name takes the plain option.
    """

    def __init__(self, schedule: Iterable[Choice | tuple[str, str, str]]) -> None:
        self._queues: dict[tuple[str, str], list[str]] = {}
        for entry in schedule:
            kind, key, option = (
                (entry.kind, entry.key, entry.option) if isinstance(entry, Choice) else entry
            )
            self._queues.setdefault((kind, key), []).append(option)

    def __call__(self, kind: str, key: str, options: Sequence[str]) -> int:
        queue = self._queues.get((kind, key))
        if not queue:
            return 0
        option = queue.pop(0)
        return options.index(option) if option in options else 0
