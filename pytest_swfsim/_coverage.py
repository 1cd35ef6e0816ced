"""``pytest --swf-coverage``: the SWF coverage of a run, registered only when asked for.

Every Simulator the run creates is counted (:mod:`swfsim.coverage`). Under pytest-xdist each
worker hands its counts to the controller (``workeroutput``), which merges them as the workers
finish, writes the JSON and HTML reports and prints the summary.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from swfsim.coverage import SETS, SwfCoverage
from swfsim.coverage_report import format_text, to_html, to_json

WORKER_KEY = "swfsim_coverage"
JSON_NAME = "swf-coverage.json"
HTML_NAME = "swf-coverage.html"


def chosen_sets(text: str) -> tuple[str, ...]:
    """The sets ``--swf-coverage-sets`` names (comma-separated); UsageError for others."""
    sets = tuple(name.strip() for name in text.split(",") if name.strip())
    unknown = [name for name in sets if name not in SETS]
    if unknown or not sets:
        raise pytest.UsageError(
            f"--swf-coverage-sets: {unknown[0] if unknown else text!r} is not a coverage set; "
            f"give some of {','.join(SETS)}"
        )
    return sets


class CoveragePlugin:
    """Counts the run's Simulators, then reports (on the controller, or in a run without xdist)."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.coverage = SwfCoverage()
        self.sets = chosen_sets(config.getoption("swf_coverage_sets"))
        self.fail_under: float | None = config.getoption("swf_coverage_fail_under")
        self.is_worker = hasattr(config, "workerinput")
        self.written: list[Path] = []
        self.shortfall: str | None = None

    def pytest_sessionstart(self) -> None:
        self.coverage.start()

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any) -> None:
        """A pytest-xdist worker finished: merge its counts."""
        counts = getattr(node, "workeroutput", {}).get(WORKER_KEY)
        if counts:
            self.coverage.merge(json.loads(counts))

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        self.coverage.stop()
        if self.is_worker:
            self.config.workeroutput[WORKER_KEY] = json.dumps(  # type: ignore[attr-defined]
                self.coverage.to_dict()
            )
            return
        self._write()
        if self.fail_under is not None:
            reached = self.coverage.percent(self.sets)
            if reached < self.fail_under:
                self.shortfall = (
                    f"FAIL: SWF coverage of {'+'.join(self.sets)} is {reached:.1f}%, under "
                    f"--swf-coverage-fail-under={self.fail_under:g}"
                )
                session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def _write(self) -> None:
        where = self.config.invocation_params.dir / self.config.getoption("swf_coverage_dir")
        where.mkdir(parents=True, exist_ok=True)
        for name, text in (
            (JSON_NAME, to_json(self.coverage)),
            (HTML_NAME, to_html(self.coverage)),
        ):
            path = where / name
            path.write_text(text, encoding="utf-8")
            self.written.append(path)

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.is_worker:
            return
        terminalreporter.write_sep("-", "swfsim coverage")
        verbose = self.config.getoption("verbose") > 0
        terminalreporter.write_line(format_text(self.coverage, verbose=verbose))
        if self.written:
            terminalreporter.write_line("written: " + ", ".join(map(str, self.written)))
        if self.shortfall:
            terminalreporter.write_line(self.shortfall, red=True, bold=True)
