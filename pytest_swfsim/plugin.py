"""pytest plugin of swfsim, registered through the ``pytest11`` entry point.

Each feature is a plugin module of its own, with its options and hooks, which pytest registers
after this one (``pytest_plugins``), in this order, the order of their options in ``--help``:

- ``_simulator``: the fixtures ``swf`` (a Simulator with ``mock_swf`` active), ``swf_client``,
  ``swf_clock``, ``swf_endpoint``, ``swf_s3``, ``swf_faults`` and ``swf_plugins``; the markers
  ``swf(...)`` and ``swf_faults(...)``; their command-line defaults;
- ``_record``: each test's SWF calls recorded as a trace (``--swf-record``);
- ``_explored``: what the ``swfsim.strategies`` examples reached (``--swf-no-explored``);
- ``_failure_report``: execution timelines in failure reports (``--swf-no-report``);
- ``_coverage_options``: the SWF coverage of the run (``--swf-coverage``).

swfsim itself is imported only when a test uses it.
"""

from __future__ import annotations

import pytest

pytest_plugins = [
    "pytest_swfsim._simulator",
    "pytest_swfsim._record",
    "pytest_swfsim._explored",
    "pytest_swfsim._failure_report",
    "pytest_swfsim._coverage_options",
]


class SwfMarkerWarning(pytest.PytestWarning):
    """An ``swf`` or ``swf_faults`` marker that has no effect."""


def option_group(parser: pytest.Parser) -> pytest.OptionGroup:
    """The ``--help`` group each feature adds its options to."""
    return parser.getgroup("swfsim", "simulated Amazon SWF (swfsim)")
