"""What a failing test's report shows: each execution's history as a text timeline, the
simulator's runs as an HTML page (``--swf-timeline-dir``), and the seed that replays them."""

from __future__ import annotations

import importlib
from html import escape
from pathlib import Path

import pytest

from pytest_swfsim._file_names import file_name
from pytest_swfsim._simulator_setup import SIMULATORS
from swfsim import Simulator
from swfsim.timeline import format_timeline, simulator_to_html

TIMELINE_PAGES = pytest.StashKey[list[Path]]()


def failure_report(item: pytest.Item) -> str | None:
    """Each execution's history as a timeline, where its HTML timeline is, and the seed to
    reproduce the test."""
    sims = item.stash.get(SIMULATORS, [])
    parts = []
    pages = item.stash[TIMELINE_PAGES] = []
    for index, sim in enumerate(sims):
        for run in sorted(sim.engine.runs.values(), key=lambda run: run.seq):
            state = run.close_status.value if run.close_status else "OPEN"
            parts.append(
                f"workflowId={run.workflow_id} runId={run.run_id} ({state}) "
                f"in domain {run.domain.name}"
            )
            parts.append(format_timeline(run.history.events))
            parts.append("")
        page = _write_timeline(item, sim, index)
        if page is not None:
            pages.append(page)
            parts.append(f"HTML timeline: {page}")
        parts.append(
            f"simulator seed {sim.seed} (the same seed replays the same run); virtual "
            f"time now {sim.clock.now().isoformat()}"
        )
    return "\n".join(parts) if sims else None


def _write_timeline(item: pytest.Item, sim: Simulator, index: int) -> Path | None:
    """The simulator's runs drawn as an HTML page in ``--swf-timeline-dir``; None if unwritable."""
    where: Path = item.config.invocation_params.dir / item.config.getoption("swf_timeline_dir")
    name = file_name(item) + (f"-{index + 1}" if index else "")
    path = where / f"{name}.html"
    try:
        where.mkdir(parents=True, exist_ok=True)
        path.write_text(simulator_to_html(sim, title=item.nodeid), encoding="utf-8")
    except OSError:
        return None  # the text report still tells the story
    return path


def html_extras(item: pytest.Item) -> list[dict[str, str | None]]:
    """pytest-html extras showing the test's HTML timelines (none without pytest-html)."""
    if not item.config.pluginmanager.hasplugin("html"):
        return []
    # Imported by name: pytest-html is optional, and ships no type information.
    extras = importlib.import_module("pytest_html.extras")
    found = []
    for page in item.stash.get(TIMELINE_PAGES, []):
        frame = escape(page.read_text(encoding="utf-8"))
        found.append(
            extras.html(
                f'<p><a href="{escape(page.as_uri())}">swfsim timeline: {escape(page.name)}</a></p>'
                f'<iframe class="swfsim-timeline" srcdoc="{frame}" '
                'style="width:100%;height:480px;border:1px solid #ccc"></iframe>'
            )
        )
    return found
