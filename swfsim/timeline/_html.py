"""Runs drawn as one self-contained HTML page: inline CSS, SVG and script, nothing fetched.

Each run is a ``<section class="run">`` holding an ``<svg>`` of lanes; child runs are sections
nested in their parent's, and a child's bar links to its section. Every drawn element names its
events (``data-events``); the page's script shows their attributes on click, and each element's
``<title>`` shows a summary on hover. The page sets ``data-swfsim-ready="ok"`` on ``<body>`` once
its script ran, which is how the browser tests know it did.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from html import escape
from importlib import resources
from typing import Any

from swfsim.timeline import _lanes
from swfsim.timeline._axis import BREAK_PX, Axis, ChildLink, build_axis, elapsed_label
from swfsim.timeline._lanes import Bar, Lane, Mark, RunLanes, read_lanes
from swfsim.timeline._text import _millis, format_offset, format_timeline

Event = Mapping[str, Any]
COLOURS = {
    _lanes.COMPLETED: "#2f9e5b",
    _lanes.FAILED: "#d64545",
    _lanes.TIMED_OUT: "#e8890c",
    _lanes.CANCELED: "#8a8f98",
    _lanes.TERMINATED: "#7b4fa0",
    _lanes.CONTINUED: "#2a9bb0",
    _lanes.OPEN: "#4a7fd6",
}
LABEL_PX = 220.0
INDENT_PX = 37.0  # how far the page's CSS indents a child run (.children: margin, border, padding)
LANE_PX = 22.0
AXIS_PX = 30.0
BAR_PX = 12.0
MIN_BAR_PX = 3.0
_KIND_NAMES = {
    _lanes.WORKFLOW: "run",
    _lanes.ACTIVITY: "activity",
    _lanes.LAMBDA: "lambda",
    _lanes.TIMER: "timer",
    _lanes.CHILD: "child",
}


@dataclass(frozen=True)
class RunInput:
    """A run to draw: a heading, its run id (to link it from its parent) and its events."""

    heading: str
    run_id: str | None
    events: Sequence[Event]


def render_page(
    roots: Sequence[RunInput],
    children: Mapping[str, RunInput],
    *,
    title: str,
    compress_after_ms: int,
    refresh_seconds: int | None = None,
) -> str:
    """The whole page: every root run with its child runs nested under it."""
    data: dict[str, dict[str, Any]] = {}
    sections = [
        _family(root, children, data, str(index), compress_after_ms)
        for index, root in enumerate(roots)
    ]
    refresh = f'<meta http-equiv="refresh" content="{refresh_seconds}">' if refresh_seconds else ""
    body = "\n".join(sections) or '<p class="empty">No workflow runs.</p>'
    return _PAGE.format(
        title=escape(title),
        refresh=refresh,
        css=_asset("timeline.css"),
        legend=_legend(),
        body=body,
        data=json.dumps(data, default=str, separators=(",", ":")).replace("</", "<\\/"),
        script=_asset("timeline.js"),
    )


def _family(
    root: RunInput,
    children: Mapping[str, RunInput],
    data: dict[str, dict[str, Any]],
    key: str,
    compress_after_ms: int,
) -> str:
    """A root run and its descendants, drawn on one axis."""
    runs = list(_descendants(root, children))
    read = [read_lanes(run.events) for _, run in runs]
    anchors = [_anchor(read, parent, run) for parent, run in runs]
    axis = build_axis([run.events for _, run in runs], compress_after_ms, anchors)
    origin = _millis(root.events[0]["eventTimestamp"]) if root.events else 0
    for index, (_, run) in enumerate(runs):
        data[f"{key}.{index}"] = {
            str(event["eventId"]): {
                "offset": format_offset(_millis(event["eventTimestamp"]) - origin),
                **event,
            }
            for event in run.events
        }
    return _section(0, runs, read, axis, key, depth=0)


def _descendants(
    root: RunInput, children: Mapping[str, RunInput]
) -> Iterator[tuple[int, RunInput]]:
    """The run and every child run given for it, parents first, with the index of each parent."""
    order: list[RunInput] = [root]
    parents = [-1]
    seen = {root.run_id}
    index = 0
    while index < len(order):
        for run_id in read_lanes(order[index].events).child_runs:
            if run_id in children and run_id not in seen:
                seen.add(run_id)
                order.append(children[run_id])
                parents.append(index)
        index += 1
    return zip(parents, order, strict=True)


def _anchor(read: list[RunLanes], parent: int, run: RunInput) -> ChildLink | None:
    """For a child run: its parent's number and the parent's events on its start and close."""
    if parent < 0:
        return None
    bars = [
        bar
        for lane in read[parent].lanes
        for bar in lane.bars
        if bar.child_run == run.run_id and bar.started is not None
    ]
    return (parent, bars[0].started, bars[0].closed) if bars and bars[0].started else None


def _section(
    index: int,
    runs: list[tuple[int, RunInput]],
    read: list[RunLanes],
    axis: Axis,
    key: str,
    depth: int,
) -> str:
    run, lanes = runs[index][1], read[index]
    nested = [
        _section(child, runs, read, axis, key, depth + 1)
        for child, (parent, _) in enumerate(runs)
        if parent == index
    ]
    anchor = f' id="run-{escape(run.run_id)}"' if run.run_id else ""
    outcome = lanes.outcome
    heading = (
        f'<h2><span class="outcome" style="background:{COLOURS[outcome]}">{outcome}</span> '
        f"{escape(run.heading)}</h2>"
    )
    children_html = f'<div class="children">{"".join(nested)}</div>' if nested else ""
    return (
        f'<section class="run"{anchor} data-run="{key}.{index}" data-outcome="{outcome}">'
        f"{heading}{_svg(index, lanes, axis, depth)}{children_html}</section>"
    )


def _svg(run: int, lanes: RunLanes, axis: Axis, depth: int) -> str:
    x = {event_id: position for (r, event_id), position in axis.x.items() if r == run}
    end = axis.width
    # A child run's section is indented: its drawing moves left by as much, so that its bars
    # line up with its parent's on the shared time axis, and its labels move right to stay.
    shift = min(depth * INDENT_PX, LABEL_PX - 120)
    label_x = 6 + shift
    hover = _event_lines(lanes.events)
    rows = [_lane(lane, x, end, label_x, hover) for lane in lanes.lanes]
    rows.insert(1, _marks("decisions", "tick", lanes.ticks, x, label_x, hover))
    if lanes.flags:
        rows.insert(2, _marks("signals, markers", "flag", lanes.flags, x, label_x, hover))
    height = AXIS_PX + LANE_PX * len(rows) + 6
    width = LABEL_PX + end + 160 - shift
    body = "".join(
        f'<g transform="translate(0,{AXIS_PX + LANE_PX * number:g})">{row}</g>'
        for number, row in enumerate(rows)
    )
    return (
        f'<svg class="timeline" xmlns="http://www.w3.org/2000/svg" width="{width:g}" '
        f'height="{height:g}" viewBox="0 0 {width:g} {height:g}">'
        f'<g transform="translate({-shift:g},0)">{_axis(axis, height)}{body}</g></svg>'
    )


def _axis(axis: Axis, height: float) -> str:
    right = LABEL_PX + axis.width + 40
    parts = [
        f'<g class="axis"><line x1="{LABEL_PX}" y1="{AXIS_PX - 4}" x2="{right:g}" '
        f'y2="{AXIS_PX - 4}"/>'
    ]
    for position, text in axis.labels:
        parts.append(f'<text x="{LABEL_PX + position:g}" y="{AXIS_PX - 9}">{escape(text)}</text>')
    for gap in axis.breaks:
        left = LABEL_PX + gap.x
        label = elapsed_label(gap.elapsed_ms)
        parts.append(
            f'<g class="break" data-elapsed-ms="{gap.elapsed_ms}">'
            f"<title>{label} passed with nothing happening</title>"
            f'<rect x="{left:g}" y="0" width="{BREAK_PX:g}" height="{height:g}"/>'
            f'<text x="{left + BREAK_PX / 2:g}" y="9">{label}</text></g>'
        )
    parts.append("</g>")
    return "".join(parts)


def _event_lines(events: Sequence[Event]) -> dict[int, str]:
    """Each event as the text timeline shows it (time, id, type, key attributes), for hovers."""
    lines = format_timeline(events).splitlines()
    return {
        event["eventId"]: " ".join(line.split()) for event, line in zip(events, lines, strict=True)
    }


def _lane(
    lane: Lane, x: Mapping[int, float], end: float, label_x: float, hover: Mapping[int, str]
) -> str:
    kind = _KIND_NAMES[lane.kind]
    bars = "".join(_bar(lane, bar, x, end, hover) for bar in lane.bars)
    return (
        f'<g class="lane" data-kind="{kind}" data-name="{escape(lane.name)}">'
        f'<text class="label" x="{label_x:g}" y="15"><tspan class="kind">{kind}</tspan> '
        f"{escape(_short(lane.name, 26))}</text>{bars}</g>"
    )


def _bar(lane: Lane, bar: Bar, x: Mapping[int, float], end: float, hover: Mapping[int, str]) -> str:
    opened = x[bar.opened]
    started = x[bar.started] if bar.started is not None else None
    closed = x[bar.closed] if bar.closed is not None else end
    closed = max(closed, opened + MIN_BAR_PX)
    colour = COLOURS[bar.outcome]
    top = (LANE_PX - BAR_PX) / 2
    shapes = []
    if started is None or started > opened:
        wait_end = closed if started is None else started
        shapes.append(
            f'<rect class="wait" x="{LABEL_PX + opened:g}" y="{top:g}" '
            f'width="{max(wait_end - opened, MIN_BAR_PX):g}" height="{BAR_PX:g}" fill="{colour}"/>'
        )
    if started is not None:
        shapes.append(
            f'<rect class="body" x="{LABEL_PX + started:g}" y="{top:g}" '
            f'width="{max(closed - started, MIN_BAR_PX):g}" height="{BAR_PX:g}" fill="{colour}"/>'
        )
    outcome = bar.outcome.replace("-", " ")
    detail = f" ({bar.detail})" if bar.detail else ""
    if bar.detail:
        shapes.append(
            f'<text class="detail" x="{LABEL_PX + closed + 4:g}" y="{top + BAR_PX - 2:g}">'
            f"{escape(bar.detail)}</text>"
        )
    summary = "\n".join(
        [
            f"{_KIND_NAMES[lane.kind]} {lane.name}: {outcome}{detail}",
            *(hover[event_id] for event_id in bar.events),
        ]
    )
    group = (
        f'<g class="bar" data-outcome="{bar.outcome}" data-detail="{escape(bar.detail)}" '
        f'data-events="{" ".join(map(str, bar.events))}" tabindex="0">'
        f"<title>{escape(summary)}</title>{''.join(shapes)}</g>"
    )
    if bar.child_run:
        return f'<a class="child-link" href="#run-{escape(bar.child_run)}">{group}</a>'
    return group


def _marks(
    name: str,
    shape: str,
    marks: Sequence[Mark],
    x: Mapping[int, float],
    label_x: float,
    hover: Mapping[int, str],
) -> str:
    parts = [
        f'<g class="lane" data-kind="{shape}s">'
        f'<text class="label" x="{label_x:g}" y="15">{name}</text>'
    ]
    for mark in marks:
        left = LABEL_PX + x[mark.event_id]
        colour = COLOURS[mark.outcome]
        if shape == "tick":
            drawn = (
                f'<rect x="{left - 1:g}" y="3" width="2" height="{LANE_PX - 6:g}" fill="{colour}"/>'
            )
        else:
            drawn = (
                f'<path d="M{left:g} {LANE_PX - 2:g}V3h8l-3 3l3 3h-8" fill="{colour}" '
                f'stroke="{colour}"/>'
            )
        parts.append(
            f'<g class="{shape}" data-type="{mark.event_type}" data-events="{mark.event_id}" '
            f'tabindex="0"><title>{escape(hover[mark.event_id])}</title>'
            f"{drawn}</g>"
        )
    parts.append("</g>")
    return "".join(parts)


def _legend() -> str:
    return "".join(
        f'<span class="key" data-outcome="{outcome}"><i style="background:{colour}"></i>'
        f"{outcome.replace('-', ' ')}</span>"
        for outcome, colour in COLOURS.items()
    )


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@cache
def _asset(name: str) -> str:
    return (resources.files("swfsim.timeline") / "assets" / name).read_text(encoding="utf-8")


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; \
style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
{refresh}<title>{title}</title>
<style>{css}</style>
</head>
<body>
<header><h1>{title}</h1><p class="legend">{legend} <span class="hint">Pale: scheduled, \
waiting for a worker; solid: running. Hover for a summary, click for the events.</span></p>
</header>
<main>
{body}
</main>
<aside id="swfsim-details" hidden><button type="button" id="swfsim-close">close</button>\
<pre></pre></aside>
<script type="application/json" id="swfsim-events">{data}</script>
<script>{script}</script>
</body>
</html>
"""
