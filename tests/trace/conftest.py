"""Every trace a test of this folder writes is checked for secrets after the test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from trace_helpers import assert_no_secret


@pytest.fixture(autouse=True)
def no_secret_in_any_trace(tmp_path: Path) -> Iterator[None]:
    """No access key, secret key, signature, or token, run id or identity not aliased."""
    yield
    for trace in tmp_path.rglob("*.jsonl"):
        assert_no_secret(trace)
