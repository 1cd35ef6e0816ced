"""Plugins an installed package declares in the ``swfsim`` entry-point group are registered
on every Simulator, though the installed packages are scanned once per process."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from swfsim import Simulator
from swfsim.hooks import entry_point_plugins

PLUGIN = """
from swfsim.hooks import hookimpl

operations = []


@hookimpl
def swfsim_before_operation(operation):
    operations.append(operation)
"""


@pytest.fixture
def installed_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A package ``counting-plugin`` installed on sys.path, its module declared a plugin."""
    (tmp_path / "counting_plugin.py").write_text(PLUGIN)
    info = tmp_path / "counting_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: counting-plugin\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[swfsim]\ncounting = counting_plugin\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    entry_point_plugins.cache_clear()
    yield "counting"
    entry_point_plugins.cache_clear()
    sys.modules.pop("counting_plugin", None)


def test_an_entry_point_plugin_is_registered_on_each_simulator(installed_plugin: str) -> None:
    first, second = Simulator(), Simulator()
    for sim in (first, second):
        sim.handle("ListDomains", {"registrationStatus": "REGISTERED"})
    plugin = sys.modules["counting_plugin"]
    assert first.plugins.get_plugin(installed_plugin) is plugin
    assert second.plugins.get_plugin(installed_plugin) is plugin
    assert plugin.operations == ["ListDomains", "ListDomains"]


def test_a_simulator_can_unregister_it_without_touching_the_others(installed_plugin: str) -> None:
    first, second = Simulator(), Simulator()
    first.plugins.unregister(name=installed_plugin)
    assert second.plugins.has_plugin(installed_plugin)
    assert Simulator().plugins.has_plugin(installed_plugin)


def test_the_installed_packages_are_scanned_once(installed_plugin: str) -> None:
    Simulator()
    Simulator()
    assert entry_point_plugins.cache_info().misses == 1
