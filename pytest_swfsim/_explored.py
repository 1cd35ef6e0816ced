"""What the ``swfsim.strategies`` examples of each test reached, summed up after the session
(``--swf-no-explored`` leaves it out)."""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any

import pytest

from pytest_swfsim.plugin import option_group

# The tests that had recorded strategies runs when this session started (a pytester session
# runs inside another one): the summary leaves them out.
_EARLIER = pytest.StashKey[frozenset[str]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    option_group(parser).addoption(
        "--swf-no-explored",
        action="store_true",
        help="leave out the summary of what swfsim.strategies examples reached",
    )


def pytest_configure(config: pytest.Config) -> None:
    report = _strategies_report()
    config.stash[_EARLIER] = report.tests() if report is not None else frozenset()


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """What the swfsim.strategies examples of each test reached (event types, timeout types,
    failure causes, the environment's choices), if any test used them."""
    report = _strategies_report()
    if report is None or config.getoption("swf_no_explored"):
        return
    lines = report.summary(excluding=config.stash.get(_EARLIER, frozenset()))
    if lines:
        terminalreporter.write_sep("=", "swfsim.strategies: what the examples reached")
        for line in lines:
            terminalreporter.write_line(line)


def _strategies_report() -> ModuleType | None:
    """The strategies' record of explored runs, if a test imported swfsim.strategies."""
    return sys.modules.get("swfsim.strategies._report")
