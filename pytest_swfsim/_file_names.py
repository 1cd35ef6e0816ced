"""Files named after a test: its trace (``--swf-record``) and its HTML timeline."""

from __future__ import annotations

import re

import pytest


def file_name(item: pytest.Item) -> str:
    """The test's id as a file name: its path and parameters, with runs of other characters as _."""
    return re.sub(r"[^\w.-]+", "_", item.nodeid).strip("_")
