"""Fault scenarios on a test's simulator: from ``--swf-faults``, the ``swf_faults`` marker and
the ``swf_faults`` fixture."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pytest_swfsim._settings import refuse
from swfsim import Simulator
from swfsim.faults import Fault, FaultPlan, ScenarioError, load_scenario, plan_from_scenario

FAULT_FILES = pytest.StashKey[list[Path]]()
JsonDict = dict[str, Any]


def check_fault_files(config: pytest.Config) -> None:
    """Refuse a bad ``--swf-faults`` before any test runs (a usage error).

    Scenario files are resolved against the directory pytest was started in, once, so a test
    that changes directory still finds them.
    """
    root = config.invocation_params.dir
    paths = []
    for given in config.getoption("swf_faults"):
        path = root / given
        try:
            load_scenario(path)
        except ScenarioError as invalid:
            raise pytest.UsageError(f"--swf-faults: {invalid}") from None
        except OSError as unreadable:
            where = (
                ""
                if Path(given).is_absolute()
                else f" ({given} is resolved against the directory pytest was started in, {root})"
            )
            raise pytest.UsageError(f"--swf-faults: {unreadable}{where}") from None
        paths.append(path)
    config.stash[FAULT_FILES] = paths


def apply_faults(request: pytest.FixtureRequest, sim: Simulator) -> None:
    """Install the ``--swf-faults`` files, then the test's ``swf_faults`` markers, on ``sim``."""
    applier = FaultApplier(sim)
    config = request.config
    for path in config.stash.get(FAULT_FILES, config.getoption("swf_faults")):
        applier(path)
    for marker in request.node.iter_markers("swf_faults"):
        try:
            applier(*marker.args, seed=marker.kwargs.get("seed"))
        except (ScenarioError, OSError) as bad:  # invalid, or unreadable
            refuse(f"@pytest.mark.swf_faults: {bad}")


class FaultApplier:
    """Installs fault scenarios on a simulator (the ``swf_faults`` fixture)."""

    def __init__(self, sim: Simulator) -> None:
        self._sim = sim

    def __call__(
        self, *scenarios: str | Path | JsonDict | Fault, seed: int | None = None
    ) -> list[FaultPlan]:
        """Apply scenario files, scenario dicts or Fault objects; returns the installed plans.

        Random choices follow ``seed``, else the scenario's own seed, else the simulator's.

        Raises:
            ScenarioError: a scenario breaks the schema (the message names the bad field).
            OSError: a scenario file cannot be read.
        """
        default = self._sim.seed if seed is None else seed
        faults = [scenario for scenario in scenarios if isinstance(scenario, Fault)]
        plans = [FaultPlan(faults, seed=default)] if faults else []
        for scenario in scenarios:
            if isinstance(scenario, dict):
                plans.append(plan_from_scenario(scenario, default_seed=default))
            elif isinstance(scenario, str | Path):
                plans.append(load_scenario(scenario, default_seed=default))
        if seed is not None:  # an explicit seed wins over the scenarios' own
            plans = [FaultPlan(plan.faults, seed=seed) for plan in plans]
        for plan in plans:
            plan.install(self._sim)
        return plans
