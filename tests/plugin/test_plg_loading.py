"""The plugin arrives through its ``pytest11`` entry point: installing swfsim is enough."""

from __future__ import annotations

from importlib.metadata import entry_points

import pytest

pytest_plugins = ["pytester"]

USES_SWF = """
def test_uses_the_fixture(swf_client):
    swf_client.register_domain(name="d", workflowExecutionRetentionPeriodInDays="1")
"""


def test_entry_point_names_the_plugin_module() -> None:
    (found,) = [ep for ep in entry_points(group="pytest11") if ep.name == "swfsim"]
    assert found.value == "pytest_swfsim.plugin"


def test_loaded_without_p(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(USES_SWF)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["plugins:*swfsim-*"])


def test_options_in_help(pytester: pytest.Pytester) -> None:
    # Every option, in this order (each feature module of the plugin adds its own).
    result = pytester.runpytest_subprocess("--help")
    result.stdout.fnmatch_lines(
        [
            "simulated Amazon SWF (swfsim):",
            "*--swf-seed=SWF_SEED*",
            "*--swf-start=SWF_START*",
            "*--swf-clock-mode=*",
            "*--swf-faults=SCENARIO*",
            "*--swf-record=DIR*",
            "*--swf-no-explored*",
            "*--swf-no-report*",
            "*--swf-timeline-dir=DIR*",
            "*--swf-coverage *",
            "*--swf-coverage-dir=DIR*",
            "*--swf-coverage-fail-under=PCT*",
            "*--swf-coverage-sets=SETS*",
        ]
    )


def test_disabled_by_name(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(USES_SWF)
    result = pytester.runpytest("-p", "no:cacheprovider", "-p", "no:swfsim")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*fixture 'swf_client' not found*"])


def test_swfsim_is_imported_only_when_a_test_needs_it(pytester: pytest.Pytester) -> None:
    # A project that has swfsim installed but does not use it pays nothing for it.
    pytester.makepyfile(
        """
        import sys

        def test_plain():
            assert "swfsim" not in sys.modules

        def test_then_swf(swf):
            assert "swfsim" in sys.modules
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)
