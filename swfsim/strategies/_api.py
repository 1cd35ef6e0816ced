"""The public entry points: :func:`executions` and :func:`run_schedule`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from hypothesis import strategies as st
from hypothesis.control import current_build_context

from swfsim.strategies import _report
from swfsim.strategies._driver import ActivityFunction, Decider, Driver, Setup
from swfsim.strategies._execution import Execution, execution_of
from swfsim.strategies._schedule import KINDS, Choice, Chooser, Replayed, drawn, plan_size


def executions(
    *,
    decider: Decider | Mapping[str, Decider],
    activities: Mapping[str, ActivityFunction],
    workflow_type: str = "workflow",
    input: str | None = None,
    signals: Iterable[str | tuple[str, str | None]] = (),
    child_workflow_types: Iterable[str] = (),
    explore: Iterable[str] = KINDS,
    workflow_timeouts: Mapping[str, str] | None = None,
    activity_timeouts: Mapping[str, str] | None = None,
    max_steps: int = 500,
) -> st.SearchStrategy[Execution]:
    """Complete runs of ``decider`` and ``activities``, the environment's choices drawn.

    Each example registers a domain, the workflow type(s) and the activity types in a fresh
    Simulator, starts one execution of ``workflow_type`` and plays every worker and the outside
    world until the run closes. Only the environment's choices are drawn; the first option of
    each is the plain run (every activity returns its function's result, tasks are delivered
    first in, first out, no signal arrives, the decider answers in time), which is where
    Hypothesis shrinks to.

    Args:
        decider: called with the ``poll_for_decision_task`` response (boto3's dict) and
            returns the decisions for ``respond_decision_task_completed``; or a mapping from
            workflow type name to such callables (for child workflows).
        activities: activity type name to a callable from the task's input (str or None) to
            its result (str or None); raising fails the task (reason: the exception's type).
        workflow_type: the type of the execution started (registered at version ``"1"``).
        input: the execution's input.
        signals: names, or ``(name, input)`` pairs, of signals that may arrive from outside:
            before any decision task, or while the decider works on one (each at most once;
            name one twice to allow two).
        child_workflow_types: workflow types with no decider: their runs complete, fail,
            time out or are terminated, as the schedule says.
        explore: the kinds of choice to draw (:data:`swfsim.strategies.KINDS`); the others
            always take the plain option.
        workflow_timeouts: ``RegisterWorkflowType`` defaults to use instead of 3600 s per
            execution and 10 s per decision task.
        activity_timeouts: ``RegisterActivityType`` defaults to use instead of 60 s
            schedule-to-start, 150 s schedule-to-close, 120 s start-to-close and 30 s heartbeat.
        max_steps: a bound on the driver's steps per run (the run stays open past it).

    Returns:
        A strategy of :class:`swfsim.strategies.Execution`.
    """
    setup = _setup(
        decider,
        activities,
        workflow_type,
        input,
        signals,
        child_workflow_types,
        explore,
        workflow_timeouts,
        activity_timeouts,
        max_steps,
    )

    # Built while Hypothesis draws the example: the chooser draws from the example itself.
    return st.builds(lambda: _run(setup, hypothesis_chooser(setup.explore)))


def run_schedule(
    schedule: Iterable[Choice | tuple[str, str, str]],
    *,
    decider: Decider | Mapping[str, Decider],
    activities: Mapping[str, ActivityFunction],
    workflow_type: str = "workflow",
    input: str | None = None,
    signals: Iterable[str | tuple[str, str | None]] = (),
    child_workflow_types: Iterable[str] = (),
    explore: Iterable[str] = KINDS,
    workflow_timeouts: Mapping[str, str] | None = None,
    activity_timeouts: Mapping[str, str] | None = None,
    max_steps: int = 500,
) -> Execution:
    """One run with the choices of ``schedule`` (what a failure prints), others plain.

    Choices are matched by kind and key (``("activity", "a1", "START_TO_CLOSE")``), so a
    schedule still means the same after edits that add or remove other choice points. The
    other arguments are those of :func:`executions`.
    """
    setup = _setup(
        decider,
        activities,
        workflow_type,
        input,
        signals,
        child_workflow_types,
        explore,
        workflow_timeouts,
        activity_timeouts,
        max_steps,
    )
    return _run(setup, Replayed(schedule))


def hypothesis_chooser(kinds: Iterable[str]) -> Chooser:
    """A chooser drawing from the example Hypothesis is building; ``kinds`` are explored."""
    data = current_build_context().data

    def perturb(probability: float) -> bool:
        # For choice points past the planned block: a weighted boolean, one choice with two
        # values (public strategies offer only even odds).
        return bool(data.draw_boolean(probability))

    def draw_index(upper: int) -> int:
        # Uniform over 0..upper, from weighted booleans: unlike integers, booleans never draw
        # from Hypothesis's pool of constants, whose upkeep cost more than the run at hand.
        index = 0
        while index < upper and data.draw_boolean((upper - index) / (upper - index + 1)):
            index += 1
        return index

    # The planned block: one draw, whatever the run does (see swfsim.strategies._schedule).
    size = plan_size(kinds)
    plan = data.draw(st.binary(min_size=size, max_size=size))
    return drawn(plan, perturb, draw_index, kinds)


def _run(setup: Setup, choose: Chooser) -> Execution:
    driver = Driver(setup, choose)
    outcome = driver.run()
    assert driver.root is not None
    execution = execution_of(outcome, driver.root)
    _report.record(execution)
    return execution


def _setup(
    decider: Decider | Mapping[str, Decider],
    activities: Mapping[str, ActivityFunction],
    workflow_type: str,
    input: str | None,
    signals: Iterable[str | tuple[str, str | None]],
    child_workflow_types: Iterable[str],
    explore: Iterable[str],
    workflow_timeouts: Mapping[str, str] | None,
    activity_timeouts: Mapping[str, str] | None,
    max_steps: int,
) -> Setup:
    deciders = dict(decider) if isinstance(decider, Mapping) else {workflow_type: decider}
    if workflow_type not in deciders:
        raise ValueError(f"no decider for workflow_type {workflow_type!r}: {sorted(deciders)}")
    kinds = frozenset(explore)
    unknown = kinds - set(KINDS)
    if unknown:
        raise ValueError(f"unknown kinds of choice {sorted(unknown)}; known: {list(KINDS)}")
    return Setup(
        deciders=deciders,
        activities=dict(activities),
        workflow_type=workflow_type,
        input=input,
        signals=tuple(_signal(signal) for signal in signals),
        child_workflow_types=tuple(child_workflow_types),
        explore=kinds,
        workflow_timeouts=dict(workflow_timeouts or {}),
        activity_timeouts=dict(activity_timeouts or {}),
        max_steps=max_steps,
    )


def _signal(signal: str | tuple[str, str | None]) -> tuple[str, str | None]:
    return (signal, None) if isinstance(signal, str) else (signal[0], signal[1])
