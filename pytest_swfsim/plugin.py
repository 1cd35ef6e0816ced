"""pytest plugin of swfsim, registered through the ``pytest11`` entry point.

Fixtures: ``swf`` (a Simulator with ``mock_swf`` active), ``swf_client``, ``swf_clock``,
``swf_endpoint`` (a live ``swfsim serve`` on loopback), ``swf_s3``, ``swf_faults`` and
``swf_plugins`` (override it to register hook implementations). Markers: ``swf(...)`` and
``swf_faults(...)``. swfsim itself is imported only when a test uses them.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import pytest

SECTION = "swfsim"
# The tests that had recorded strategies runs when this session started (a pytester session
# runs inside another one): the summary leaves them out.
_EARLIER = pytest.StashKey[frozenset[str]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("swfsim", "simulated Amazon SWF (swfsim)")
    group.addoption("--swf-seed", type=int, help="seed of every test's simulator (default: 0)")
    group.addoption("--swf-start", help="ISO time the virtual clock starts at")
    group.addoption(
        "--swf-clock-mode",
        choices=("auto", "manual", "realtime"),
        help="clock mode of the simulators (default: auto; realtime with swf_endpoint)",
    )
    group.addoption(
        "--swf-faults",
        action="append",
        default=[],
        metavar="SCENARIO",
        help="fault scenario file (JSON/YAML) applied to every simulator",
    )
    group.addoption(
        "--swf-no-explored",
        action="store_true",
        help="leave out the summary of what swfsim.strategies examples reached",
    )
    group.addoption(
        "--swf-no-report",
        action="store_true",
        help="leave the execution timelines out of failure reports",
    )


def pytest_configure(config: pytest.Config) -> None:
    report = sys.modules.get("swfsim.strategies._report")
    config.stash[_EARLIER] = report.tests() if report is not None else frozenset()
    config.addinivalue_line(
        "markers",
        "swf(seed=None, start=None, clock_mode=None, rate=None, domains=(), workflow_types=(), "
        "activity_types=(), options=None, freeze_time=False): settings of the test's simulator",
    )
    config.addinivalue_line(
        "markers", "swf_faults(*scenarios, seed=None): fault scenarios (files, dicts or faults)"
    )
    if config.getoption("swf_start") or config.getoption("swf_faults"):
        from pytest_swfsim import _session  # swfsim is imported only when it is needed

        _session.check_options(config)


@pytest.fixture
def swf_plugins() -> list[Any]:
    """Hook implementations to register on the test's simulator; override it in a conftest."""
    return []


@pytest.fixture
def swf(request: pytest.FixtureRequest, swf_plugins: list[Any]) -> Iterator[Any]:
    """A ``swfsim.Simulator`` answering every boto3 SWF client for the test."""
    from pytest_swfsim import _session

    with _session.simulator_for(request, swf_plugins) as simulator:
        yield simulator


@pytest.fixture
def swf_client(swf: Any) -> Any:
    """A boto3 SWF client bound to the test's simulator."""
    import boto3

    return boto3.client("swf", region_name=swf.region)


@pytest.fixture
def swf_clock(swf: Any) -> Any:
    """The virtual clock of the test's simulator."""
    return swf.clock


@pytest.fixture
def swf_endpoint(swf: Any) -> Iterator[Any]:
    """``swfsim serve`` on loopback answering from the test's simulator (``.url``, ``.env``)."""
    from pytest_swfsim import _session

    with _session.endpoint_for(swf) as endpoint:
        yield endpoint


@pytest.fixture
def swf_s3(swf_endpoint: Any) -> Any:
    """A boto3 S3 client in the same virtual world (the endpoint's in-process S3)."""
    import boto3

    return boto3.client("s3", **swf_endpoint.client_kwargs)


@pytest.fixture
def swf_faults(swf: Any) -> Any:
    """Apply fault scenarios to the test's simulator: ``swf_faults("flaky.yaml")``."""
    from pytest_swfsim import _session

    return _session.FaultApplier(swf)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item) -> Any:
    report = yield
    if report.failed and not item.config.getoption("swf_no_report"):
        from pytest_swfsim import _session

        text = _session.failure_report(item)
        if text:
            report.sections.append((SECTION, text))
    return report


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """What the swfsim.strategies examples of each test reached (event types, timeout types,
    failure causes, the environment's choices), if any test used them."""
    report = sys.modules.get("swfsim.strategies._report")  # imported by the tests that use it
    if report is None or config.getoption("swf_no_explored"):
        return
    lines = report.summary(excluding=config.stash.get(_EARLIER, frozenset()))
    if lines:
        terminalreporter.write_sep("=", "swfsim.strategies: what the examples reached")
        for line in lines:
            terminalreporter.write_line(line)
