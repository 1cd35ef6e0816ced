"""Fixtures of the API suite: a Simulator behind ``mock_swf`` and a shape-checked boto3 client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from api_helpers import SESSION, START, Driver, checked_client

import swfsim

API_DIR = Path(__file__).parent


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "run_last: run after every other test of the session")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Stable sort: tests marked run_last go to the end, everything else keeps its order.
    items.sort(key=lambda item: item.get_closest_marker("run_last") is not None)
    SESSION["modules"] = {
        Path(item.path).name for item in items if Path(item.path).parent == API_DIR
    }


def pytest_deselected(items: list[pytest.Item]) -> None:
    if any(Path(item.path).parent == API_DIR for item in items):
        SESSION["deselected"] = True


@pytest.fixture
def sim() -> Iterator[swfsim.Simulator]:
    """A fresh Simulator (seed 0, clock at 2026-01-01 UTC) that answers every SWF client."""
    simulator = swfsim.Simulator(seed=0, start=START)
    with swfsim.mock_swf(simulator):
        yield simulator


@pytest.fixture
def swf(sim: swfsim.Simulator) -> Any:
    """A boto3 SWF client answered by ``sim``; every response is checked against the model."""
    return checked_client()


@pytest.fixture
def wf(swf: Any, sim: swfsim.Simulator) -> Driver:
    """A driver with nothing registered yet."""
    return Driver(swf, sim)


@pytest.fixture
def ready(wf: Driver) -> Driver:
    """A driver with the usual domain, workflow type and activity type registered."""
    return wf.setup()
