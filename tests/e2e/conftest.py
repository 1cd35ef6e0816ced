"""End-to-end tests: simpleflow 0.36's own CLI against ``swfsim serve``, all real processes.

Every test in this folder is marked ``e2e`` (deselect them with ``-m "not e2e"``). Each module
gets one endpoint (a ``swfsim serve`` subprocess unless the module overrides the ``endpoint``
fixture) and each test its own SWF domain on it. simpleflow runs as ``python -m simpleflow``
with only ``AWS_ENDPOINT_URL``, dummy credentials, a region and ``PYTHONPATH`` (the workflow
modules of ``tests/e2e/workflows``). When a test fails, its report shows simpleflow's output,
the timeline of every execution it looked at, and the endpoint's output.
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest

pytest.importorskip("simpleflow", reason="the e2e tests run simpleflow (pip install '.[dev]')")

from e2e_helpers import E2E, SERVE_ARGS, ServeProcess, ThreadedServe

HERE = Path(__file__).parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Runs before pytest's own -m selection, so `-m "not e2e"` leaves this folder out.
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="module")
def endpoint() -> Iterator[ServeProcess | ThreadedServe]:
    """``swfsim serve --port 0 --rate 30 --poll-timeout 5`` in a subprocess, for the module."""
    served = ServeProcess(*SERVE_ARGS)
    try:
        yield served
    finally:
        served.stop()


@pytest.fixture(scope="module")
def threaded_endpoint() -> Iterator[ThreadedServe]:
    """The same endpoint in a thread of the test process (its S3 is this process's moto)."""
    served = ThreadedServe()
    try:
        yield served
    finally:
        served.stop()


@pytest.fixture
def e2e(
    request: pytest.FixtureRequest,
    endpoint: ServeProcess | ThreadedServe,
    tmp_path: Path,
) -> Iterator[E2E]:
    """A domain of its own on the module's endpoint, and simpleflow processes to run on it."""
    domain = re.sub(r"[^A-Za-z0-9_-]", "-", request.node.name)[:200]
    session = E2E(endpoint, domain, tmp_path)
    request.node.stash[E2E_KEY] = session
    try:
        yield session
    finally:
        session.cleanup()


E2E_KEY = pytest.StashKey[E2E]()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, None]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()  # type: ignore[attr-defined]
    session = item.stash.get(E2E_KEY, None)
    if report.failed and session is not None and call.when in ("call", "setup"):
        for title, text in session.diagnostics():
            report.sections.append((title, text))
