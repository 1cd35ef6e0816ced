"""``pytest --swf-coverage``: its options, and the coverage plugin (:mod:`._coverage`, which
imports swfsim) registered only when asked for."""

from __future__ import annotations

import pytest

from pytest_swfsim.plugin import option_group


def pytest_addoption(parser: pytest.Parser) -> None:
    group = option_group(parser)
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
    if config.getoption("swf_coverage"):
        from pytest_swfsim import _coverage

        config.pluginmanager.register(_coverage.CoveragePlugin(config), "swfsim-coverage")
