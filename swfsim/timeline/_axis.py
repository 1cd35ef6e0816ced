"""The time axis of an HTML timeline: where each event of a family of runs is drawn.

Virtual time runs left to right, with two bends that keep a page readable. Events of one
instant (a decision task that schedules an activity that completes at once) are spread a few
pixels apart in history order, so that no task is drawn with no width. A quiet stretch longer
than ``compress_after`` (a 30-day timer) is drawn as a break of fixed width labelled with the
time that passed, so the busy parts keep their room.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from swfsim.timeline._text import _millis, format_offset

Event = Mapping[str, Any]
STEP_PX = 4.0  # between events of one instant
LINEAR_PX = 640.0  # what the uncompressed time of the family gets in all
BREAK_PX = 56.0
LABEL_EVERY_PX = 90.0
# A child run's parent's number, and the ids of the parent's events saying it started and closed.
ChildLink = tuple[int, int, int | None]


@dataclass(frozen=True)
class Break:
    """A compressed quiet stretch: drawn from ``x`` over ``BREAK_PX``, ``elapsed_ms`` long."""

    x: float
    elapsed_ms: int


@dataclass(frozen=True)
class Axis:
    """Where each event is drawn: ``x[(run, eventId)]``, plus the breaks and the time labels."""

    x: Mapping[tuple[int, int], float]
    breaks: Sequence[Break]
    labels: Sequence[tuple[float, str]]
    width: float


def build_axis(
    histories: Sequence[Sequence[Event]],
    compress_after_ms: int,
    anchors: Sequence[ChildLink | None] = (),
) -> Axis:
    """Lay out the events of several runs (a parent and its children) on one axis.

    Args:
        histories: each run's events; runs are numbered by their place in this sequence.
        compress_after_ms: quiet stretches longer than this become fixed-width breaks.
        anchors: for each child run, its parent's number and the ids of the parent's events
            that say the child started and closed (None for a run without a parent there);
            a parent comes before its children in ``histories``.
    """
    ranks: list[list[float]] = []
    for run, events in enumerate(histories):
        anchor = anchors[run] if run < len(anchors) else None
        if anchor is None:
            ranks.append([float(order) for order in range(len(events))])
        else:
            parent = anchor[0]
            ranks.append(_child_ranks(histories[parent], ranks[parent], anchor, events))
    moments = sorted(
        (_millis(event["eventTimestamp"]), ranks[run][order], run, event["eventId"])
        for run, events in enumerate(histories)
        for order, event in enumerate(events)
    )
    if not moments:
        return Axis({}, (), (), 0.0)
    gaps = [later[0] - earlier[0] for earlier, later in itertools.pairwise(moments)]
    linear_ms = sum(gap for gap in gaps if gap <= compress_after_ms)
    px_per_ms = LINEAR_PX / linear_ms if linear_ms else 0.0
    origin = moments[0][0]
    x, positions, breaks, labels = 0.0, {}, [], [(0.0, _label(0))]
    for index, (ms, _, run, event_id) in enumerate(moments):
        if index:
            gap = gaps[index - 1]
            if gap > compress_after_ms:
                breaks.append(Break(x + STEP_PX / 2, gap))
                # A time label just before the break would run into the break's own label.
                while len(labels) > 1 and labels[-1][0] > x - LABEL_EVERY_PX / 2:
                    labels.pop()
                x += BREAK_PX
            x += STEP_PX + gap * px_per_ms * (gap <= compress_after_ms)
            label = _label(ms - origin)
            if x - labels[-1][0] >= LABEL_EVERY_PX and label != labels[-1][1]:
                labels.append((x, label))
        positions[(run, event_id)] = x
    return Axis(positions, breaks, labels, x)


def _child_ranks(
    parent: Sequence[Event], parent_ranks: Sequence[float], link: ChildLink, events: Sequence[Event]
) -> list[float]:
    """Where a child's events fall among its parent's events of the same instant.

    Time alone cannot order the events of two runs in one instant. The child's events come
    after the parent's ``ChildWorkflowExecutionStarted`` and before the parent's event that
    records how the child closed; in any other instant the child acts first, and the parent
    records what the child did.
    """
    at = {event["eventId"]: index for index, event in enumerate(parent)}
    started, closed = at.get(link[1], 0), at.get(link[2]) if link[2] is not None else None
    ms_of = [_millis(event["eventTimestamp"]) for event in parent]
    first_at: dict[int, float] = {}
    last_at: dict[int, float] = {}
    for ms, rank in zip(ms_of, parent_ranks, strict=True):
        first_at.setdefault(ms, rank)
        last_at[ms] = rank
    ranks = []
    for ms, group in itertools.groupby(events, key=lambda e: _millis(e["eventTimestamp"])):
        count = len(list(group))
        low = parent_ranks[started] if parent and ms == ms_of[started] else first_at.get(ms, 0) - 1
        if closed is not None and ms == ms_of[closed]:
            high = parent_ranks[closed]
        elif parent and ms == ms_of[started]:
            high = last_at[ms] + 1
        else:
            high = first_at.get(ms, low + 1)
        ranks += [low + (high - low) * (k + 1) / (count + 1) for k in range(count)]
    return ranks


def _label(offset_ms: int) -> str:
    text = format_offset(offset_ms)
    return text[:-4] if text.endswith(".000") else text


def elapsed_label(ms: int) -> str:
    """A break's elapsed time, e.g. ``3d 00:00:00`` or ``00:42:10``."""
    days, rest = divmod(ms // 1000, 86_400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    clock = f"{hours:02}:{minutes:02}:{seconds:02}"
    return f"{days}d {clock}" if days else clock
