"""The pytest examples of the docs run under pytest: every ```python block that defines a
``test_`` function becomes a test module of its own (a block starting ``# conftest.py`` becomes
the conftest), run with the plugin as a user would run it. tests/test_docs.py runs the same
blocks as plain Python, which only defines the functions."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from plg_support import ROOT, SCENARIOS

pytest_plugins = ["pytester"]

FENCE = re.compile(r"^```([\w-]*)[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
TEST_FUNCTION = re.compile(r"^def (test_\w+)\(", re.MULTILINE)
CONFTEST = "# conftest.py\n"


def pytest_blocks(path: Path) -> list[str]:
    blocks = [body for language, body in FENCE.findall(path.read_text()) if language == "python"]
    return [b for b in blocks if TEST_FUNCTION.search(b) or b.startswith(CONFTEST)]


PAGES = [path for path in sorted((ROOT / "docs").rglob("*.md")) if pytest_blocks(path)]


def test_the_plugin_pages_have_pytest_examples() -> None:
    names = {path.relative_to(ROOT / "docs").as_posix() for path in PAGES}
    assert {"pytest.md", "hooks.md", "faults/worker_hangs.md"} <= names


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.relative_to(ROOT).as_posix())
def test_pytest_examples_pass(pytester: pytest.Pytester, page: Path) -> None:
    shutil.copytree(SCENARIOS, pytester.path / "fixtures" / "scenarios")
    shutil.copytree(ROOT / "fixtures" / "histories", pytester.path / "fixtures" / "histories")
    tests = 0
    for index, block in enumerate(pytest_blocks(page)):
        if block.startswith(CONFTEST):
            conftest = pytester.path / "conftest.py"
            previous = conftest.read_text() if conftest.exists() else ""
            conftest.write_text(previous + block)
        else:
            (pytester.path / f"test_block_{index}.py").write_text(block)
            tests += len(TEST_FUNCTION.findall(block))
    result = pytester.runpytest("-p", "no:cacheprovider")
    outcomes = result.parseoutcomes()
    # A parametrized example (docs/replay.md) passes once per parameter.
    assert outcomes.get("passed", 0) >= tests, result.stdout.str()
    assert not {"failed", "errors", "error"} & set(outcomes), result.stdout.str()
