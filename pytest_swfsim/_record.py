"""``pytest --swf-record DIR``: each test's SWF calls recorded as a trace in DIR."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_swfsim.plugin import option_group


def pytest_addoption(parser: pytest.Parser) -> None:
    option_group(parser).addoption(
        "--swf-record",
        metavar="DIR",
        help="record each test's SWF calls to DIR/<test id>.jsonl (tests that make none: no file)",
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Any:
    # Around setup, call and teardown: clients made by fixtures are recorded too.
    if not item.config.getoption("swf_record"):
        return (yield)
    from pytest_swfsim import _recording  # swfsim is imported only when it is needed

    with _recording.recording(item):
        return (yield)
