"""A test's SWF calls recorded as a trace (``--swf-record DIR``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from pytest_swfsim._file_names import file_name
from swfsim import record


@contextmanager
def recording(item: pytest.Item) -> Iterator[None]:
    """Record the test's SWF calls (``--swf-record DIR``); no file when it made none."""
    path = Path(item.config.getoption("swf_record")) / f"{file_name(item)}.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    recorder = record(path)
    with recorder:
        yield
    if recorder.count == 0:
        path.unlink(missing_ok=True)
