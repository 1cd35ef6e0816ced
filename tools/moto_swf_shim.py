"""Run moto's SWF tests against swfsim: copied as ``conftest.py`` next to moto's ``test_swf``.

moto's tests decorate each test with ``@mock_aws`` (imported as ``from moto import mock_aws``).
Before their modules are imported, ``moto.mock_aws`` is replaced here: each test runs with a
fresh ``swfsim.mock_swf()`` answering every SWF client, inside moto's own ``mock_aws`` for the
other services (so a test that also creates, say, a Resource Groups Tagging API client stays
offline; moto's SWF backend is never reached, because swfsim answers SWF calls first, at
botocore's ``before-call`` event).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from types import TracebackType
from typing import Any

import moto

import swfsim

_moto_mock_aws = moto.mock_aws


class _SwfsimForSwf:
    """``moto.mock_aws`` for every service but SWF, which a fresh swfsim Simulator answers."""

    def __init__(self) -> None:
        self._others: Any = _moto_mock_aws()
        self._swf = swfsim.mock_swf()

    def __enter__(self) -> _SwfsimForSwf:
        self._others.__enter__()
        # start(), not __enter__: the Simulator is then made at its first call, so one first
        # used inside a test's freeze_time block starts at the frozen time, as moto's does.
        self._swf.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._swf.stop()
        self._others.__exit__(exc_type, exc, tb)


def mock_aws(func: Callable[..., Any] | None = None) -> Any:
    """Stand-in for ``moto.mock_aws``: ``@mock_aws`` on a test, or ``with mock_aws():``."""
    if func is None:
        return _SwfsimForSwf()

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with _SwfsimForSwf():
            return func(*args, **kwargs)

    return wrapper


moto.mock_aws = mock_aws  # type: ignore[assignment]  # the swap this module exists for
