"""A pytest helper: one test per recorded history of a folder, so that a team keeps its
production histories as regression fixtures."""

from __future__ import annotations

from os import PathLike
from pathlib import Path
from typing import Any

from swfsim.replay._load import load_history


def parametrize_histories(
    folder: str | PathLike[str], *, pattern: str = "*.json", argname: str = "history"
) -> Any:
    """``pytest.mark.parametrize`` over the histories of a folder, one test id per file.

    Each history is loaded when the tests are collected (a file that is not a history is a
    collection error naming it); the test receives a :class:`swfsim.replay.History`, and its id
    is the file's path under ``folder`` without ``.json``.

    Args:
        folder: the folder to search (relative paths are from the current directory; use
            ``Path(__file__).parent / "histories"`` for a folder beside the test module).
        pattern: the files to take, searched in subfolders too.
        argname: the test argument that receives each history.

    Returns:
        The mark, to decorate a test function with.

    Raises:
        FileNotFoundError: the folder does not exist, or holds no file matching ``pattern``.

    Example::

        @parametrize_histories("tests/histories")
        def test_the_new_decider_decides_as_production_did(history):
            result = swfsim.replay_history(history, decide)
            assert result.ok, str(result)
    """
    import pytest  # only tests use this helper; swfsim does not depend on pytest

    root = Path(folder)
    files = sorted(root.rglob(pattern))
    if not files:
        where = root.resolve()
        raise FileNotFoundError(f"no history matches {pattern} under {where}")
    params = [
        pytest.param(load_history(path), id=path.relative_to(root).with_suffix("").as_posix())
        for path in files
    ]
    return pytest.mark.parametrize(argname, params)
