"""examples/downstream: a project that depends on swfsim alone passes its tests with plain
``pytest`` (no ``-p``, no conftest of ours, nothing installed by the test)."""

from __future__ import annotations

import shutil

import pytest
from plg_support import DOWNSTREAM

pytest_plugins = ["pytester"]


def test_requirements_name_swfsim_and_pytest_only() -> None:
    lines = (DOWNSTREAM / "requirements.txt").read_text().splitlines()
    assert [line for line in lines if line and not line.startswith("#")] == ["swfsim", "pytest"]


def test_downstream_project_passes(pytester: pytest.Pytester) -> None:
    shutil.copytree(
        DOWNSTREAM,
        pytester.path,
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"),
    )
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(passed=9)
    result.stdout.fnmatch_lines(["plugins:*swfsim-*"])
