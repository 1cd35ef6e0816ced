"""Fixtures of the semantics suite: a Simulator behind ``mock_swf`` and a boto3 driver.

Each scenario test declares what it covers with ``sem_support.covers``; once the test has
passed, the ``flow`` fixture checks that the histories the test read really hold what it
declared. test_sem_coverage.py compares the declarations with the botocore model.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from sem_support import START, Flow, missing_coverage

import swfsim


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "covers(*event_types, causes, timeouts): what a semantics scenario exercises"
    )
    config.addinivalue_line("markers", "sim_options(**options): swfsim.Options for the test")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.stash[_PASSED] = report.passed
    return report


_PASSED = pytest.StashKey[bool]()


@pytest.fixture
def sim(request: pytest.FixtureRequest) -> Iterator[swfsim.Simulator]:
    """A fresh Simulator (seed 0, clock at START) answering every boto3 SWF client."""
    marker = request.node.get_closest_marker("sim_options")
    options = swfsim.Options(**marker.kwargs) if marker else None
    simulator = swfsim.Simulator(seed=0, start=START, options=options)
    with swfsim.mock_swf(simulator):
        yield simulator


@pytest.fixture
def flow(sim: swfsim.Simulator, request: pytest.FixtureRequest) -> Iterator[Flow]:
    """A driver with the suite's domain and types registered; checks ``covers`` after a pass."""
    driver = Flow(boto3.client("swf", region_name="us-east-1"), sim).setup()
    yield driver
    declared = request.node.get_closest_marker("covers")
    if declared is not None and request.node.stash.get(_PASSED, False):
        missing = missing_coverage(declared, driver.seen)
        assert not missing, f"declared as covered but absent from the histories read: {missing}"
