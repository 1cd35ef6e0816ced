"""What the plugin's fixtures and hooks do with swfsim; imported only when a test needs it."""

from __future__ import annotations

import difflib
import importlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import datetime
from html import escape
from pathlib import Path
from typing import Any, NoReturn

import pytest

from swfsim import Options, Simulator, mock_swf, record
from swfsim.errors import SWFError
from swfsim.faults import Fault, FaultPlan, ScenarioError, load_scenario, plan_from_scenario
from swfsim.server import Server
from swfsim.simulator import DEFAULT_START
from swfsim.spec import operation as operation_model
from swfsim.timeline import format_timeline, simulator_to_html
from swfsim.waiting import ClockMode

SIMULATORS = pytest.StashKey[list[Simulator]]()
SETTLE_SECONDS = 0.5
FAULT_FILES = pytest.StashKey[list[Path]]()
TIMELINE_PAGES = pytest.StashKey[list[Path]]()
JsonDict = dict[str, Any]

_WORKFLOW_DEFAULTS = {
    "defaultExecutionStartToCloseTimeout": "3600",
    "defaultTaskStartToCloseTimeout": "60",
    "defaultChildPolicy": "TERMINATE",
}
_ACTIVITY_DEFAULTS = {
    "defaultTaskScheduleToStartTimeout": "NONE",
    "defaultTaskScheduleToCloseTimeout": "NONE",
    "defaultTaskStartToCloseTimeout": "300",
    "defaultTaskHeartbeatTimeout": "NONE",
}


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


def check_options(config: pytest.Config) -> None:
    """Refuse a bad ``--swf-start`` or ``--swf-faults`` before any test runs (a usage error).

    Scenario files are resolved against the directory pytest was started in, once, so a test
    that changes directory still finds them.
    """
    start = config.getoption("swf_start")
    if start:
        try:
            _moment(start)
        except ValueError as bad:
            raise pytest.UsageError(f"--swf-start: {bad}") from None
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
            _refuse("@pytest.mark.swf takes keyword arguments only")
        unknown = sorted(set(marker.kwargs) - _SETTING_NAMES)
        if unknown:
            _refuse(
                f"@pytest.mark.swf has no setting {unknown[0]!r}; it takes "
                f"{', '.join(sorted(_SETTING_NAMES))}"
            )
        values.update(marker.kwargs)
    for name in ("domains", "workflow_types", "activity_types"):
        given = values.get(name, ())
        if isinstance(given, str | dict):  # tuple() would register each letter or key
            _refuse(f"@pytest.mark.swf: {name} takes a list, not {given!r} (give [{given!r}])")
        values[name] = tuple(given)
    if isinstance(values.get("start"), str):
        try:
            values["start"] = _moment(values["start"])
        except ValueError as bad:
            _refuse(f"@pytest.mark.swf: {bad}")
    mode = values.get("clock_mode")
    if mode is not None and mode not in _MODES:
        _refuse(f"@pytest.mark.swf: clock_mode={mode!r} is not one of {', '.join(_MODES)}")
    return Settings(**values)


_SETTING_NAMES = frozenset(f.name for f in fields(Settings))
_MODES = tuple(mode.value for mode in ClockMode)


def _refuse(message: str) -> NoReturn:
    """Fail the test's setup with ``message`` alone: the traceback would only show swfsim."""
    raise pytest.fail.Exception(message, pytrace=False) from None


@contextmanager
def simulator_for(request: pytest.FixtureRequest, plugins: list[Any]) -> Iterator[Simulator]:
    """The test's Simulator, routed to by ``mock_swf`` until the test ends."""
    settings = settings_for(request)
    mode = settings.clock_mode or ("realtime" if "swf_endpoint" in request.fixturenames else "auto")
    try:
        sim = Simulator(
            seed=settings.seed,
            start=settings.start,
            clock_mode=mode,
            rate=settings.rate,
            options=settings.options,
            freeze_time=settings.freeze_time,
        )
    except (TypeError, ValueError) as bad:  # a setting of the wrong type or out of range
        _refuse(f"@pytest.mark.swf: {bad}")
    for plugin in plugins:
        sim.plugins.register(plugin)
    # Pre-registration comes before the faults: it must not trigger them, nor count as a call.
    _register(sim, settings)
    _apply_faults(request, sim)
    request.node.stash.setdefault(SIMULATORS, []).append(sim)
    with mock_swf(sim):
        yield sim


def _apply_faults(request: pytest.FixtureRequest, sim: Simulator) -> None:
    applier = FaultApplier(sim)
    config = request.config
    for path in config.stash.get(FAULT_FILES, config.getoption("swf_faults")):
        applier(path)
    for marker in request.node.iter_markers("swf_faults"):
        try:
            applier(*marker.args, seed=marker.kwargs.get("seed"))
        except ScenarioError as invalid:
            _refuse(f"@pytest.mark.swf_faults: {invalid}")
        except OSError as unreadable:
            _refuse(f"@pytest.mark.swf_faults: {unreadable}")


def _register(sim: Simulator, settings: Settings) -> None:
    domains = [_as_domain(spec, index) for index, spec in enumerate(settings.domains)]
    for domain in domains:
        _handle(sim, "RegisterDomain", domain, f"domain {domain['name']}")
    first = domains[0]["name"] if domains else None
    kinds = (
        ("workflow_types", "RegisterWorkflowType", _WORKFLOW_DEFAULTS, '"order"'),
        ("activity_types", "RegisterActivityType", _ACTIVITY_DEFAULTS, '"charge"'),
    )
    for setting, operation, defaults, example in kinds:
        for index, spec in enumerate(getattr(settings, setting)):
            where = f"{setting}[{index}]"
            params = _as_type(spec, where, (operation, example), first, defaults)
            _handle(sim, operation, params, f"{setting}[{index}] {params['name']}")


def _handle(sim: Simulator, operation: str, params: JsonDict, what: str) -> None:
    """Register as a test would; a fault fails the setup with the service's own message."""
    try:
        sim.handle(operation, params)
    except SWFError as refused:
        _refuse(f"@pytest.mark.swf: cannot register {what}: {refused.code}: {refused.message}")


def _as_domain(spec: str | JsonDict, index: int) -> JsonDict:
    if isinstance(spec, str):
        return {"name": spec, "workflowExecutionRetentionPeriodInDays": "1"}
    _check_keys(spec, f"domains[{index}]", "RegisterDomain", '"shop"')
    return {"workflowExecutionRetentionPeriodInDays": "1", **spec}


def _as_type(
    spec: str | JsonDict,
    where: str,
    operation: tuple[str, str],
    domain: str | None,
    defaults: JsonDict,
) -> JsonDict:
    if isinstance(spec, str):
        params: JsonDict = {"name": spec}
    else:
        _check_keys(spec, where, *operation)
        params = dict(spec)
    params.setdefault("version", "1")
    params.setdefault("domain", domain)
    if params["domain"] is None:
        _refuse(f"@pytest.mark.swf: no domain for type {params['name']} (give domains=[...])")
    params.setdefault("defaultTaskList", {"name": params["name"]})
    return {**defaults, **params}


def _check_keys(spec: object, where: str, operation: str, example: str) -> None:
    """A dict of ``operation``'s request members with a name; a typo would be ignored silently."""
    if not isinstance(spec, dict):
        _refuse(
            f"@pytest.mark.swf: {where} must be a name or a dict of {operation} members, "
            f"not {type(spec).__name__} {spec!r}"
        )
    members = _members(operation)
    unknown = sorted(set(spec) - set(members))
    if unknown:
        close = difflib.get_close_matches(str(unknown[0]), members, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        _refuse(
            f"@pytest.mark.swf: {where} has no key {unknown[0]!r} ({hint}{operation} takes "
            f"{', '.join(members)})"
        )
    if "name" not in spec:
        _refuse(
            f"@pytest.mark.swf: {where} {spec!r} has no 'name' (give "
            f'{{"name": {example}, ...}}, or the name alone)'
        )


def _members(operation: str) -> list[str]:
    """The request members of ``operation``, in the model's order."""
    shape = operation_model(operation).input_shape
    return list(shape.members) if shape is not None else []


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


@dataclass(frozen=True)
class EndpointInfo:
    """A live endpoint: its URL and what to hand a subprocess or a boto3 client."""

    url: str
    region: str
    simulator: Simulator

    @property
    def env(self) -> dict[str, str]:
        """Environment variables that point any AWS SDK at the endpoint."""
        return {
            "AWS_ENDPOINT_URL": self.url,
            "AWS_ACCESS_KEY_ID": "swfsim",
            "AWS_SECRET_ACCESS_KEY": "swfsim",
            "AWS_DEFAULT_REGION": self.region,
        }

    @property
    def client_kwargs(self) -> JsonDict:
        """Keyword arguments for ``boto3.client(service, **client_kwargs)``."""
        return {
            "endpoint_url": self.url,
            "region_name": self.region,
            "aws_access_key_id": "swfsim",
            "aws_secret_access_key": "swfsim",
        }


@contextmanager
def endpoint_for(sim: Simulator) -> Iterator[EndpointInfo]:
    """``swfsim serve`` on a free loopback port, answering from ``sim``.

    Like ``swfsim serve``, a realtime clock holds still half a second after each answer, so
    that processes between two calls are not jumped over.
    """
    server = Server(lambda: sim, port=0, settle_seconds=SETTLE_SECONDS).start()
    try:
        yield EndpointInfo(server.url, sim.region, sim)
    finally:
        server.stop()


def failure_report(item: pytest.Item) -> str | None:
    """Each execution's history as a timeline, where its HTML timeline is, and the seed to
    reproduce the test."""
    sims = item.stash.get(SIMULATORS, [])
    parts = []
    pages = item.stash[TIMELINE_PAGES] = []
    for index, sim in enumerate(sims):
        for run in sorted(sim.engine.runs.values(), key=lambda run: run.seq):
            state = run.close_status.value if run.close_status else "OPEN"
            parts.append(
                f"workflowId={run.workflow_id} runId={run.run_id} ({state}) "
                f"in domain {run.domain.name}"
            )
            parts.append(format_timeline(run.history.events))
            parts.append("")
        page = _write_timeline(item, sim, index)
        if page is not None:
            pages.append(page)
            parts.append(f"HTML timeline: {page}")
        parts.append(
            f"simulator seed {sim.seed} (the same seed replays the same run); virtual "
            f"time now {sim.clock.now().isoformat()}"
        )
    return "\n".join(parts) if sims else None


def _write_timeline(item: pytest.Item, sim: Simulator, index: int) -> Path | None:
    """The simulator's runs drawn as an HTML page in ``--swf-timeline-dir``; None if unwritable."""
    where: Path = item.config.invocation_params.dir / item.config.getoption("swf_timeline_dir")
    name = _file_name(item) + (f"-{index + 1}" if index else "")
    path = where / f"{name}.html"
    try:
        where.mkdir(parents=True, exist_ok=True)
        path.write_text(simulator_to_html(sim, title=item.nodeid), encoding="utf-8")
    except OSError:
        return None  # the text report still tells the story
    return path


def html_extras(item: pytest.Item) -> list[dict[str, str | None]]:
    """pytest-html extras showing the test's HTML timelines (none without pytest-html)."""
    if not item.config.pluginmanager.hasplugin("html"):
        return []
    # Imported by name: pytest-html is optional, and ships no type information.
    extras = importlib.import_module("pytest_html.extras")
    found = []
    for page in item.stash.get(TIMELINE_PAGES, []):
        frame = escape(page.read_text(encoding="utf-8"))
        found.append(
            extras.html(
                f'<p><a href="{escape(page.as_uri())}">swfsim timeline: {escape(page.name)}</a></p>'
                f'<iframe class="swfsim-timeline" srcdoc="{frame}" '
                'style="width:100%;height:480px;border:1px solid #ccc"></iframe>'
            )
        )
    return found


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


@contextmanager
def recording(item: pytest.Item) -> Iterator[None]:
    """Record the test's SWF calls (``--swf-record DIR``); no file when it made none."""
    path = Path(item.config.getoption("swf_record")) / f"{_file_name(item)}.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    recorder = record(path)
    with recorder:
        yield
    if recorder.count == 0:
        path.unlink(missing_ok=True)


def _file_name(item: pytest.Item) -> str:
    """The test's id as a file name: its path and parameters, with runs of other characters as _."""
    return re.sub(r"[^\w.-]+", "_", item.nodeid).strip("_")
