"""The HTML timeline in a real headless browser: it draws without script errors, its bars show
their events when clicked, and a screenshot shows the outcome colours."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import colours, keep_for_docs, render, rgb, screenshot
from timeline_runs import trip_simulator

from swfsim.demo import run_demo
from swfsim.timeline import simulator_to_html, to_html
from swfsim.timeline._html import COLOURS

_CLICK_HOTEL = """<script>
document.querySelector('.lane[data-name="hotel"] .bar').dispatchEvent(
  new MouseEvent("click", {bubbles: true}));
</script></body>"""


@pytest.fixture(scope="module")
def trip_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    page = tmp_path_factory.mktemp("trip") / "trip.html"
    page.write_text(simulator_to_html(trip_simulator(), title="trip-7 and its child run"))
    return page


def test_the_page_draws_without_script_errors(trip_page: Path, tmp_path: Path) -> None:
    shown = render(trip_page, tmp_path / "profile")
    assert 'data-swfsim-ready="ok"' in shown.dom
    assert shown.console == []


def test_clicking_a_bar_shows_its_events(trip_page: Path, tmp_path: Path) -> None:
    clicking = tmp_path / "clicked.html"
    clicking.write_text(trip_page.read_text().replace("</body>", _CLICK_HOTEL))
    shown = render(clicking, tmp_path / "profile")
    assert shown.console == []
    details = shown.dom[shown.dom.index('<aside id="swfsim-details"') :]
    assert details.startswith('<aside id="swfsim-details">')  # no longer hidden
    panel = details[: details.index("</aside>")]
    assert '"eventType": "ActivityTaskScheduled"' in panel
    assert '"timeoutType": "START_TO_CLOSE"' in panel


def test_a_screenshot_shows_bars_in_their_outcome_colours(trip_page: Path, tmp_path: Path) -> None:
    png = tmp_path / "timeline.png"
    screenshot(trip_page, tmp_path / "profile", png, size=(1400, 620))
    counted = colours(png)
    assert len(counted) > 50  # text, bars, breaks: not a blank page
    for outcome in ("completed", "failed", "timed-out", "canceled"):
        assert counted.get(rgb(COLOURS[outcome]), 0) > 40, f"no {outcome} bar drawn"
    keep_for_docs(png, "timeline.png")


def test_the_demo_timeline_draws(tmp_path: Path) -> None:
    page = tmp_path / "demo.html"
    page.write_text(to_html(run_demo().history, title="swfsim demo: order-1042"))
    shown = render(page, tmp_path / "profile")
    assert 'data-swfsim-ready="ok"' in shown.dom
    assert shown.console == []
    png = tmp_path / "demo.png"
    screenshot(page, tmp_path / "profile", png, size=(1400, 420))
    counted = colours(png)
    assert len(counted) > 50
    assert counted.get(rgb(COLOURS["failed"]), 0) > 10  # the first charge
    keep_for_docs(png, "demo-timeline.png")
