"""The pytest examples of the docs run under pytest: every ```python block that defines a
``test_`` function becomes a test module of its own (a block starting ``# conftest.py`` becomes
the conftest), run with the plugin as a user would run it. tests/test_docs.py runs the same
blocks as plain Python, which only defines the functions.

A block starting ``# fails on purpose`` shows a failure: it must fail, and the ```text block
after it must be its real report, so that the report shown cannot rot."""

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
FAILING = "# fails on purpose"
LEFT_OUT = "..."  # in a shown report: lines left out


def pytest_blocks(path: Path) -> list[str]:
    blocks = [body for language, body in FENCE.findall(path.read_text()) if language == "python"]
    return [
        b
        for b in blocks
        if (TEST_FUNCTION.search(b) or b.startswith(CONFTEST)) and not b.startswith(FAILING)
    ]


def failing_example(path: Path) -> tuple[str, str]:
    """The block of ``path`` that fails on purpose, and the report shown after it."""
    blocks = FENCE.findall(path.read_text())
    for index, (language, body) in enumerate(blocks):
        if language == "python" and body.startswith(FAILING):
            shown = next(text for kind, text in blocks[index + 1 :] if kind == "text")
            return body, shown
    raise AssertionError(f"{path.name} has no block starting {FAILING!r}")


def shown_parts(shown: str) -> list[list[str]]:
    """The runs of lines of a shown report between the ``...`` lines."""
    parts: list[list[str]] = [[]]
    for line in shown.splitlines():
        if line == LEFT_OUT:
            parts.append([])
        else:
            parts[-1].append(line.rstrip())
    return [part for part in parts if part]


def find_part(lines: list[str], part: list[str], start: int) -> int:
    """The index just past ``part`` in ``lines`` at or after ``start``, or -1."""
    for index in range(start, len(lines) - len(part) + 1):
        if lines[index : index + len(part)] == part:
            return index + len(part)
    return -1


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


def test_the_failure_report_shown_is_the_real_one(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    block, shown = failing_example(ROOT / "docs" / "pytest.md")
    pytester.makepyfile(test_order=block)
    monkeypatch.setenv("COLUMNS", "80")  # the width the page shows
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    lines = [line.rstrip() for line in result.outlines]
    real = "\n".join(lines)
    position = 0
    for part in shown_parts(shown):
        position = find_part(lines, part, position)
        assert position >= 0, f"docs/pytest.md shows lines the report does not have:\n{real}"
    # The swfsim section is shown to its end: the summary's banner comes next.
    assert lines[position].startswith("="), f"docs/pytest.md cuts the report short:\n{real}"


def test_shown_parts_split_at_left_out_lines() -> None:
    shown = "___ t ___\n...\nE  boom\n...\n--- swfsim ---\nline  \n"
    assert shown_parts(shown) == [["___ t ___"], ["E  boom"], ["--- swfsim ---", "line"]]
    assert find_part(["a", "b", "c", "b", "d"], ["b", "d"], 0) == 5
    assert find_part(["a", "b"], ["b", "a"], 0) == -1
