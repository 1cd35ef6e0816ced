"""Headless chromium for tests that look at a page as a person would: its DOM once its script ran,
its console messages, and a screenshot.

Without chromium the tests skip, except in CI (``CI`` or ``SWFSIM_REQUIRE_BROWSER`` set), where
.ci/run installs Debian's chromium package and a missing browser fails them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

DOCS_IMG = Path(__file__).resolve().parent.parent / "docs" / "img"
UPDATE_SCREENSHOTS = "SWFSIM_UPDATE_SCREENSHOTS"
_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--enable-logging=stderr",
    "--v=0",
)
_CONSOLE = re.compile(r":CONSOLE[:(]\d*\)?\] (.*)$", re.MULTILINE)


@dataclass(frozen=True)
class Rendered:
    """What the browser made of a page: the DOM after its script ran, and console messages."""

    dom: str
    console: list[str]


def chromium() -> str:
    """The chromium executable; skips the test without one (fails it in CI)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("CI") or os.environ.get("SWFSIM_REQUIRE_BROWSER"):
        pytest.fail("chromium is missing; .ci/run installs it (apt-get install -y chromium)")
    pytest.skip("chromium is not installed (apt-get install -y chromium)")


def _run(page: Path, profile: Path, *action: str) -> subprocess.CompletedProcess[str]:
    command = [chromium(), *_FLAGS, f"--user-data-dir={profile}", *action, page.as_uri()]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)


def render(page: Path, profile: Path) -> Rendered:
    """Load ``page`` (a file) and return its DOM once loaded, with its console messages."""
    done = _run(page, profile, "--dump-dom")
    return Rendered(done.stdout, _CONSOLE.findall(done.stderr))


def screenshot(page: Path, profile: Path, png: Path, size: tuple[int, int] = (1400, 900)) -> None:
    """Save a screenshot of ``page`` as ``png``."""
    _run(page, profile, f"--screenshot={png}", f"--window-size={size[0]},{size[1]}")
    assert png.exists(), f"chromium wrote no screenshot of {page}"


def colours(png: Path) -> dict[tuple[int, ...], int]:
    """How many pixels of each colour the image has."""
    from PIL import Image

    with Image.open(png) as image:
        counted = image.convert("RGB").getcolors(maxcolors=1 << 24)
    assert counted is not None
    return {colour: count for count, colour in counted}


def rgb(hex_colour: str) -> tuple[int, int, int]:
    """``#2f9e5b`` as ``(47, 158, 91)``."""
    value = int(hex_colour.lstrip("#"), 16)
    return (value >> 16, (value >> 8) & 0xFF, value & 0xFF)


def keep_for_docs(png: Path, name: str) -> None:
    """Copy a screenshot to docs/img/ when SWFSIM_UPDATE_SCREENSHOTS is set (to refresh docs)."""
    if os.environ.get(UPDATE_SCREENSHOTS):
        DOCS_IMG.mkdir(exist_ok=True)
        shutil.copyfile(png, DOCS_IMG / name)
