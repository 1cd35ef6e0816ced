"""The settings of a test's simulator, from the command line and its ``swf`` marker; a mistake
in them fails the test's setup with one line."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, NoReturn

import pytest

from swfsim import Options
from swfsim.simulator import DEFAULT_START
from swfsim.waiting import ClockMode

JsonDict = dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class Settings:
    """A test's simulator settings: command-line defaults overridden by the ``swf`` marker."""

    seed: int = 0
    start: datetime = DEFAULT_START
    clock_mode: str | None = None
    rate: float = 1.0
    domains: tuple[Any, ...] = ()
    workflow_types: tuple[Any, ...] = ()
    activity_types: tuple[Any, ...] = ()
    options: Options | None = None
    freeze_time: bool = False


def check_start(config: pytest.Config) -> None:
    """Refuse a bad ``--swf-start`` before any test runs (a usage error)."""
    start = config.getoption("swf_start")
    if start:
        try:
            _moment(start)
        except ValueError as bad:
            raise pytest.UsageError(f"--swf-start: {bad}") from None


def settings_for(request: pytest.FixtureRequest) -> Settings:
    """Merge the command line and the closest ``swf`` marker into one Settings."""
    config = request.config
    values: JsonDict = {}
    if config.getoption("swf_seed") is not None:
        values["seed"] = config.getoption("swf_seed")
    if config.getoption("swf_start"):
        values["start"] = config.getoption("swf_start")
    if config.getoption("swf_clock_mode"):
        values["clock_mode"] = config.getoption("swf_clock_mode")
    marker = request.node.get_closest_marker("swf")
    if marker is not None:
        if marker.args:
            refuse("@pytest.mark.swf takes keyword arguments only")
        unknown = sorted(set(marker.kwargs) - _SETTING_NAMES)
        if unknown:
            refuse(
                f"@pytest.mark.swf has no setting {unknown[0]!r}; it takes "
                f"{', '.join(sorted(_SETTING_NAMES))}"
            )
        values.update(marker.kwargs)
    for name in ("domains", "workflow_types", "activity_types"):
        given = values.get(name, ())
        if isinstance(given, str | dict):  # tuple() would register each letter or key
            refuse(f"@pytest.mark.swf: {name} takes a list, not {given!r} (give [{given!r}])")
        values[name] = tuple(given)
    if isinstance(values.get("start"), str):
        try:
            values["start"] = _moment(values["start"])
        except ValueError as bad:
            refuse(f"@pytest.mark.swf: {bad}")
    mode = values.get("clock_mode")
    if mode is not None and mode not in _MODES:
        refuse(f"@pytest.mark.swf: clock_mode={mode!r} is not one of {', '.join(_MODES)}")
    return Settings(**values)


_SETTING_NAMES = frozenset(f.name for f in fields(Settings))
_MODES = tuple(mode.value for mode in ClockMode)


def refuse(message: str) -> NoReturn:
    """Fail the test's setup with ``message`` alone: the traceback would only show swfsim."""
    raise pytest.fail.Exception(message, pytrace=False) from None


def _moment(text: str) -> datetime:
    """An aware datetime from ISO text; ValueError names what is wrong with it."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(
            f"start time {text!r} is not an ISO 8601 time (e.g. 2030-01-01T00:00:00Z)"
        ) from None
    if moment.tzinfo is None:
        raise ValueError(f"start time {text!r} needs a time zone (e.g. {text}Z)")
    return moment
