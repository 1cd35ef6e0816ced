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
CLIENT_ATTEMPTS = 3  # attempts of a call by swf_client and swf_s3, the first one included
# Every fixture that builds the test's simulator, and so reads its markers.
FIXTURES = ("swf", "swf_client", "swf_clock", "swf_endpoint", "swf_s3", "swf_faults")
MARKERS = ("swf", "swf_faults")


class SwfMarkerWarning(pytest.PytestWarning):
    """An ``swf`` or ``swf_faults`` marker that has no effect."""

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
        "--swf-record",
        metavar="DIR",
        help="record each test's SWF calls to DIR/<test id>.jsonl (tests that make none: no file)",
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
    group.addoption(
        "--swf-timeline-dir",
        default="swfsim-timelines",
        metavar="DIR",
        help="where a failing test's HTML timeline is written (default: swfsim-timelines)",
    )
    group.addoption(
        "--swf-coverage",
        action="store_true",
        help="report which SWF event types, decisions, causes and timeout types the run reached",
    )
    group.addoption(
        "--swf-coverage-dir",
        default="swf-coverage",
        metavar="DIR",
        help="where --swf-coverage writes swf-coverage.json and .html (default: swf-coverage)",
    )
    group.addoption(
        "--swf-coverage-fail-under",
        type=float,
        metavar="PCT",
        help="fail the run when SWF coverage of --swf-coverage-sets is under PCT percent",
    )
    group.addoption(
        "--swf-coverage-sets",
        default="events,decisions",
        metavar="SETS",
        help="the sets --swf-coverage-fail-under counts, comma-separated, of events, "
        "decisions, causes, timeouts (default: events,decisions)",
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
    if config.getoption("swf_coverage"):
        from pytest_swfsim import _coverage

        config.pluginmanager.register(_coverage.CoveragePlugin(config), "swfsim-coverage")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if "swf" in fixtures:  # each fixture of swfsim's requests swf
            continue
        # Only the test's own markers: a class or module marker may cover tests without a
        # simulator on purpose.
        for marker in item.own_markers:
            if marker.name in MARKERS:
                item.warn(
                    SwfMarkerWarning(
                        f"@pytest.mark.{marker.name} on {item.name} has no effect: the test "
                        f"uses no swfsim fixture; request one of {', '.join(FIXTURES)}, or "
                        "drop the marker"
                    )
                )


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
    """A boto3 SWF client bound to the test's simulator (standard retries, 3 attempts)."""
    import boto3

    return boto3.client("swf", region_name=swf.region, config=_client_config())


def _client_config() -> Any:
    # Retries said rather than inherited: botocore's default has changed (the legacy mode's 5
    # attempts, then the standard mode's 3), and AWS_RETRY_MODE or AWS_MAX_ATTEMPTS change it
    # again. A test's outcome under throttling must not.
    from botocore.config import Config

    return Config(retries={"mode": "standard", "total_max_attempts": CLIENT_ATTEMPTS})


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
    """A boto3 S3 client in the same virtual world (the endpoint's in-process S3), with the
    retries of ``swf_client``."""
    import boto3

    return boto3.client("s3", config=_client_config(), **swf_endpoint.client_kwargs)


@pytest.fixture
def swf_faults(swf: Any) -> Any:
    """Apply fault scenarios to the test's simulator: ``swf_faults("flaky.yaml")``."""
    from pytest_swfsim import _session

    return _session.FaultApplier(swf)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Any:
    # Around setup, call and teardown: clients made by fixtures are recorded too.
    if not item.config.getoption("swf_record"):
        return (yield)
    from pytest_swfsim import _session

    with _session.recording(item):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item) -> Any:
    report = yield
    if report.failed and not item.config.getoption("swf_no_report"):
        from pytest_swfsim import _session

        text = _session.failure_report(item)
        if text:
            report.sections.append((SECTION, text))
            extras = _session.html_extras(item)
            if extras:  # pytest-html shows them
                report.extras = [*getattr(report, "extras", []), *extras]
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
