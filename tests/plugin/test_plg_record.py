"""--swf-record DIR: one trace per test that makes SWF calls, replayable, without secrets."""

from __future__ import annotations

from pathlib import Path

import pytest

import swfsim

pytest_plugins = ["pytester"]

PROJECT = """
import pytest

def test_registers(swf_client):
    swf_client.register_domain(name="d", workflowExecutionRetentionPeriodInDays="1")

@pytest.mark.parametrize("name", ["a/b"])
def test_lists(swf_client, name):
    swf_client.list_domains(registrationStatus="REGISTERED")

def test_no_swf():
    assert True
"""


def test_each_test_gets_its_own_trace(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_project=PROJECT)
    result = pytester.runpytest("-p", "no:cacheprovider", "--swf-record", "traces")
    result.assert_outcomes(passed=3)
    traces = sorted(p.name for p in (pytester.path / "traces").iterdir())
    assert traces == [
        "test_project.py_test_lists_a_b.jsonl",
        "test_project.py_test_registers.jsonl",
    ]
    path = pytester.path / "traces" / "test_project.py_test_registers.jsonl"
    (call,) = swfsim.load_trace(path).calls
    assert call.operation == "RegisterDomain"
    assert "swfsim-not-a-real-key" not in Path(path).read_text()


def test_without_the_option_nothing_is_recorded(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_project=PROJECT)
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=3)
    assert not (pytester.path / "traces").exists()
