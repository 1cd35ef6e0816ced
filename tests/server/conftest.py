"""Fixtures of the server suite: a real ``swfsim serve`` endpoint on a loopback port.

Every test in this folder is marked ``server`` (deselect them with ``-m "not server"``). The
clock mode of a test's server is ``auto`` unless the test says otherwise with
``@pytest.mark.clock_mode("manual")`` (or ``"realtime"``, with an optional ``rate=``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from swfsim.server import Server
from swfsim.simulator import Simulator

HERE = Path(__file__).parent


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "clock_mode(mode, rate=1.0): clock mode of the `server` fixture's Simulator"
    )


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Runs before pytest's own -m selection, so `-m "not server"` leaves this folder out.
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.server)


@pytest.fixture
def server(request: pytest.FixtureRequest) -> Iterator[Server]:
    """A started endpoint (SWF, S3 and admin API) on a free port, stopped afterwards."""
    marker = request.node.get_closest_marker("clock_mode")
    mode = marker.args[0] if marker else "auto"
    rate = marker.kwargs.get("rate", 1.0) if marker else 1.0

    def factory() -> Simulator:
        return Simulator(seed=0, journal=True, clock_mode=mode, rate=rate)

    running = Server(factory).start()
    try:
        yield running
    finally:
        running.stop()
