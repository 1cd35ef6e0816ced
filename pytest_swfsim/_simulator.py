"""The test's simulator: the fixtures, the ``swf`` and ``swf_faults`` markers, and the options
that give every simulator its defaults (``--swf-seed``, ``--swf-start``, ``--swf-clock-mode``,
``--swf-faults``). What the fixtures do is in :mod:`._simulator_setup`, :mod:`._endpoint` and
:mod:`._faults`, imported when a test uses one."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from pytest_swfsim.plugin import SwfMarkerWarning, option_group

CLIENT_ATTEMPTS = 3  # attempts of a call by swf_client and swf_s3, the first one included
# Every fixture that builds the test's simulator, and so reads its markers.
FIXTURES = ("swf", "swf_client", "swf_clock", "swf_endpoint", "swf_s3", "swf_faults")
MARKERS = ("swf", "swf_faults")


# The fixtures come first: pytest --fixtures sorts them by their file:line as text, which is
# the order they are written in only while their line numbers have as many digits.
@pytest.fixture
def swf_plugins() -> list[Any]:
    """Hook implementations to register on the test's simulator; override it in a conftest."""
    return []


@pytest.fixture
def swf(request: pytest.FixtureRequest, swf_plugins: list[Any]) -> Iterator[Any]:
    """A ``swfsim.Simulator`` answering every boto3 SWF client for the test."""
    from pytest_swfsim import _simulator_setup

    with _simulator_setup.simulator_for(request, swf_plugins) as simulator:
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
    from pytest_swfsim import _endpoint

    with _endpoint.endpoint_for(swf) as endpoint:
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
    from pytest_swfsim import _faults

    return _faults.FaultApplier(swf)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = option_group(parser)
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


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "swf(seed=None, start=None, clock_mode=None, rate=None, domains=(), workflow_types=(), "
        "activity_types=(), options=None, freeze_time=False): settings of the test's simulator",
    )
    config.addinivalue_line(
        "markers", "swf_faults(*scenarios, seed=None): fault scenarios (files, dicts or faults)"
    )
    # Bad options are usage errors, before any test runs; swfsim is imported only for them.
    if config.getoption("swf_start"):
        from pytest_swfsim import _settings

        _settings.check_start(config)
    if config.getoption("swf_faults"):
        from pytest_swfsim import _faults

        _faults.check_fault_files(config)


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
