"""Every ```python block of the docs (docs/ and its folders, and the README) runs, so the docs
cannot rot. Blocks in any other language (```text, ```sh, ```python-skip) are only shown.

The blocks of one file run in order in one namespace, as a reader would paste them; a failure is
reported at the block's own line in the Markdown file. A ```text block that follows a python
block with nothing but blank lines between them is the output the python block prints.
"""

from __future__ import annotations

import contextlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [*sorted((ROOT / "docs").rglob("*.md")), ROOT / "README.md"]
FENCE = re.compile(r"^```([\w-]*)[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
# Wording that depends on the installed version of a dependency, as (older, what the docs show).
VERSION_WORDING = (("Falsifying example:", "Failing test case:"),)  # Hypothesis renamed it


@dataclass(frozen=True)
class Example:
    """A python block: the line its code starts on, the code, and the output shown after it."""

    line: int
    code: str
    shown_output: str | None = None


def examples(text: str) -> list[Example]:
    """The ```python blocks of a Markdown text, in order."""
    found: list[Example] = []
    previous_end = None
    for match in FENCE.finditer(text):
        language, body = match.group(1), match.group(2)
        if language == "python":
            found.append(Example(text.count("\n", 0, match.start(2)) + 1, body))
        elif language == "text" and found and not text[previous_end : match.start()].strip():
            found[-1] = Example(found[-1].line, found[-1].code, body)
        previous_end = match.end()
    return found


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda path: path.relative_to(ROOT).as_posix())
def test_python_blocks_run(path: Path) -> None:
    namespace: dict[str, object] = {"__name__": f"docs_{path.stem.replace('-', '_')}"}
    for example in examples(path.read_text(encoding="utf-8")):
        # Padding with blank lines makes tracebacks point at the Markdown line.
        code = compile("\n" * (example.line - 1) + example.code, str(path), "exec")
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(code, namespace)
        if example.shown_output is not None:
            assert today(printed.getvalue()).rstrip() == example.shown_output.rstrip(), (
                f"{path.name}:{example.line}: the output shown after the block is out of date"
            )


def test_every_page_has_runnable_examples() -> None:
    assert len(DOCUMENTS) > 1, "no docs/*.md found"
    empty = [path.name for path in DOCUMENTS if not examples(path.read_text("utf-8"))]
    assert empty == []


def test_blocks_are_found_with_their_lines_and_shown_output() -> None:
    text = (
        "# t\n\n```python\nx = 1\n```\n\n```sh\nls\n```\n"
        "```python\nprint(2)\n```\n\n```text\n2\n```\n"
        "```python-skip\nnot run\n```\n```python\ny = 2\n```\n"
    )
    assert examples(text) == [
        Example(4, "x = 1\n"),
        Example(11, "print(2)\n", "2\n"),
        Example(21, "y = 2\n"),
    ]


REFERENCE_LINK = re.compile(r"\]\[([^\]]+)\]")
REFERENCE_DEFINITION = re.compile(r"^\[([^\]]+)\]: \S+", re.MULTILINE)
CODE_SPAN = re.compile(r"`[^`\n]*`")
SECTION_SIGN = "\u00a7"  # written escaped, so that this file does not trip its own test


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda path: path.relative_to(ROOT).as_posix())
def test_reference_links_are_defined(path: Path) -> None:
    text = CODE_SPAN.sub("", FENCE.sub("", path.read_text(encoding="utf-8")))
    defined = {label.lower() for label in REFERENCE_DEFINITION.findall(text)}
    used = {label.lower() for label in REFERENCE_LINK.findall(text)}
    assert used <= defined, f"{path.name}: links to undefined references {sorted(used - defined)}"


def test_sources_are_public() -> None:
    """Docs and code cite AWS's pages or real data, not sections of a document the reader lacks."""
    files = [*DOCUMENTS, *ROOT.glob("swfsim/**/*.py"), *ROOT.glob("pytest_swfsim/**/*.py")]
    files += [*ROOT.glob("tests/**/*.py"), *ROOT.glob("examples/**/*.py")]
    cited = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in files
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if SECTION_SIGN in line
    ]
    assert cited == []


def today(output: str) -> str:
    """Output as the docs show it: a dependency's older wording replaced by today's."""
    for older, shown in VERSION_WORDING:
        output = output.replace(older, shown)
    return output
