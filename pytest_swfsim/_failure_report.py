"""A failing test's report shows the histories of its simulators as timelines, as text and as
HTML pages (``--swf-timeline-dir``), unless ``--swf-no-report``."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_swfsim.plugin import option_group

SECTION = "swfsim"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = option_group(parser)
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


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item) -> Any:
    report = yield
    if report.failed and not item.config.getoption("swf_no_report"):
        from pytest_swfsim import _report  # swfsim is imported only when it is needed

        text = _report.failure_report(item)
        if text:
            report.sections.append((SECTION, text))
            extras = _report.html_extras(item)
            if extras:  # pytest-html shows them
                report.extras = [*getattr(report, "extras", []), *extras]
    return report
