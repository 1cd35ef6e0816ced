"""Fixtures of the replay suite: a Simulator behind ``mock_swf`` that has run the greeter."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from rpl_support import JsonDict, register, run_greeter, swf_client

import swfsim


@pytest.fixture
def sim() -> Iterator[swfsim.Simulator]:
    """A fresh Simulator (seed 0) answering every boto3 SWF client."""
    with swfsim.mock_swf(swfsim.Simulator(seed=0)) as simulator:
        yield simulator


@pytest.fixture
def swf(sim: swfsim.Simulator) -> Any:
    """A boto3 client answered by ``sim``, the domain and types registered."""
    client = swf_client()
    register(client)
    return client


@pytest.fixture
def greeted(sim: swfsim.Simulator, swf: Any) -> JsonDict:
    """The execution of a finished greeter run (activity, timer, completion)."""
    return run_greeter(sim, swf)
