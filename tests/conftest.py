"""Makes tests/ helper modules (scenario.py) importable from every test folder, and checks that
every history the simulator writes during a test is one SWF could have written.

Every Simulator created while a test sets up or runs is remembered; after the test body, each
history of each is checked with ``swfsim.validate_history`` and the test fails on any problem.
The check costs a few microseconds per event; ``--no-validate-histories`` turns it off.
"""

from __future__ import annotations

import sys
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from swfsim.replay import History, validate_history
from swfsim.simulator import Simulator

_CREATED = pytest.StashKey[list[Simulator]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--no-validate-histories",
        action="store_true",
        help="do not check the histories each test's Simulators wrote (swfsim.validate_history)",
    )


@contextmanager
def _remembering(created: list[Simulator]) -> Iterator[None]:
    """Remember every Simulator created inside the block (threads included)."""
    original = Simulator.__init__

    def init(self: Simulator, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        created.append(self)

    Simulator.__init__ = init  # type: ignore[method-assign]
    try:
        yield
    finally:
        Simulator.__init__ = original  # type: ignore[method-assign]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, None, None]:
    created = item.stash.setdefault(_CREATED, [])
    if item.config.getoption("--no-validate-histories"):
        return (yield)
    with _remembering(created):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    created = item.stash.setdefault(_CREATED, [])
    if item.config.getoption("--no-validate-histories"):
        return (yield)
    with _remembering(created):
        result = yield
    problems = [
        f"{run.workflow_id} {run.run_id}: {problem}"
        for sim in created
        for run in list(sim.engine.runs.values())
        for problem in validate_history(History(run.history.events))
    ]
    if problems:
        pytest.fail("the simulator wrote an invalid history:\n" + "\n".join(problems), False)
    return result
