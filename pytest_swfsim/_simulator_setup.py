"""The test's simulator, set up from its settings, with its types registered and its faults
installed, and routed to by ``mock_swf`` until the test ends (the ``swf`` fixture)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from pytest_swfsim._faults import apply_faults
from pytest_swfsim._registration import register
from pytest_swfsim._settings import refuse, settings_for
from swfsim import Simulator, mock_swf

SIMULATORS = pytest.StashKey[list[Simulator]]()


@contextmanager
def simulator_for(request: pytest.FixtureRequest, plugins: list[Any]) -> Iterator[Simulator]:
    """The test's Simulator, routed to by ``mock_swf`` until the test ends."""
    settings = settings_for(request)
    mode = settings.clock_mode or ("realtime" if "swf_endpoint" in request.fixturenames else "auto")
    try:
        sim = Simulator(
            seed=settings.seed,
            start=settings.start,
            clock_mode=mode,
            rate=settings.rate,
            options=settings.options,
            freeze_time=settings.freeze_time,
        )
    except (TypeError, ValueError) as bad:  # a setting of the wrong type or out of range
        refuse(f"@pytest.mark.swf: {bad}")
    for plugin in plugins:
        sim.plugins.register(plugin)
    # Pre-registration comes before the faults: it must not trigger them, nor count as a call.
    register(sim, settings)
    apply_faults(request, sim)
    request.node.stash.setdefault(SIMULATORS, []).append(sim)
    with mock_swf(sim):
        yield sim
