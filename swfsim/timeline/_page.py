"""The public ways to draw runs as HTML: from histories, or every run of a Simulator."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from swfsim.timeline._html import RunInput, render_page
from swfsim.timeline._lanes import CHILD, read_lanes
from swfsim.timeline._text import event_attributes

if TYPE_CHECKING:
    from swfsim.simulator import Simulator

Event = Mapping[str, Any]
COMPRESS_AFTER_SECONDS = 300.0


def to_html(
    history: Sequence[Event],
    *,
    children: Mapping[str, Sequence[Event]] | None = None,
    title: str | None = None,
    compress_after: float = COMPRESS_AFTER_SECONDS,
    refresh_seconds: int | None = None,
) -> str:
    """Draw a run (and its child runs) as a self-contained HTML page.

    Args:
        history: the run's events, as :meth:`swfsim.Simulator.history` or boto3's
            ``get_workflow_execution_history`` gives them.
        children: histories of child runs by run id, at any depth; each one given is drawn
            nested under the run that started it, and that run's child bar links to it.
        title: the page's title (default: the workflow type of the run).
        compress_after: quiet stretches longer than this many virtual seconds are drawn as a
            break of fixed width labelled with the time that passed.
        refresh_seconds: have the browser reload the page this often (for runs in progress).

    Returns:
        The page: one HTML document with its CSS, SVG and script inline, fetching nothing.
    """
    given = children or {}
    names = _child_workflow_ids([history, *given.values()])
    kids = {
        run_id: RunInput(f"child {names.get(run_id, '?')} (run {run_id})", run_id, events)
        for run_id, events in given.items()
    }
    heading = title or _workflow_type(history)
    return render_page(
        [RunInput(heading, None, history)],
        kids,
        title=heading,
        compress_after_ms=round(compress_after * 1000),
        refresh_seconds=refresh_seconds,
    )


def simulator_to_html(
    simulator: Simulator,
    *,
    title: str | None = None,
    compress_after: float = COMPRESS_AFTER_SECONDS,
    refresh_seconds: int | None = None,
) -> str:
    """Draw every run of a Simulator as one HTML page, child runs nested under their parents.

    Args:
        simulator: the Simulator whose runs to draw, in the order they started.
        title: the page's title (default: ``swfsim timeline``).
        compress_after: see :func:`to_html`.
        refresh_seconds: see :func:`to_html`.
    """
    runs = sorted(simulator.engine.runs.values(), key=lambda run: run.seq)
    inputs = {
        run.run_id: RunInput(
            f"{run.workflow_id} (run {run.run_id}) in domain {run.domain.name}",
            run.run_id,
            list(run.history.events),
        )
        for run in runs
    }
    roots = [inputs[run.run_id] for run in runs if run.parent is None]
    children = {run.run_id: inputs[run.run_id] for run in runs if run.parent is not None}
    return render_page(
        roots,
        children,
        title=title or "swfsim timeline",
        compress_after_ms=round(compress_after * 1000),
        refresh_seconds=refresh_seconds,
    )


def _child_workflow_ids(histories: Sequence[Sequence[Event]]) -> dict[str, str]:
    """The workflow id of each child run the histories started, by run id."""
    names = {}
    for events in histories:
        for lane in read_lanes(events).lanes:
            if lane.kind == CHILD:
                names.update({bar.child_run: lane.name for bar in lane.bars if bar.child_run})
    return names


def _workflow_type(history: Sequence[Event]) -> str:
    if not history:
        return "swfsim timeline"
    started = event_attributes(history[0]).get("workflowType") or {}
    return f"{started.get('name', '?')} {started.get('version', '')}".strip()
