"""The domains and types an ``swf`` marker names, registered before the test starts."""

from __future__ import annotations

import difflib
from typing import Any

from pytest_swfsim._settings import Settings, refuse
from swfsim import Simulator
from swfsim.errors import SWFError
from swfsim.spec import operation as operation_model

JsonDict = dict[str, Any]

_DOMAIN_DEFAULTS = {"workflowExecutionRetentionPeriodInDays": "1"}
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


def register(sim: Simulator, settings: Settings) -> None:
    """Register the settings' domains, then their workflow and activity types, on ``sim``."""
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
        refuse(f"@pytest.mark.swf: cannot register {what}: {refused.code}: {refused.message}")


def _as_domain(spec: str | JsonDict, index: int) -> JsonDict:
    if isinstance(spec, str):
        return {"name": spec, **_DOMAIN_DEFAULTS}
    _check_keys(spec, f"domains[{index}]", "RegisterDomain", '"shop"')
    return {**_DOMAIN_DEFAULTS, **spec}


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
        refuse(f"@pytest.mark.swf: no domain for type {params['name']} (give domains=[...])")
    params.setdefault("defaultTaskList", {"name": params["name"]})
    return {**defaults, **params}


def _check_keys(spec: object, where: str, operation: str, example: str) -> None:
    """A dict of ``operation``'s request members with a name; a typo would be ignored silently."""
    if not isinstance(spec, dict):
        refuse(
            f"@pytest.mark.swf: {where} must be a name or a dict of {operation} members, "
            f"not {type(spec).__name__} {spec!r}"
        )
    members = _members(operation)
    unknown = sorted(set(spec) - set(members))
    if unknown:
        close = difflib.get_close_matches(str(unknown[0]), members, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        refuse(
            f"@pytest.mark.swf: {where} has no key {unknown[0]!r} ({hint}{operation} takes "
            f"{', '.join(members)})"
        )
    if "name" not in spec:
        refuse(
            f"@pytest.mark.swf: {where} {spec!r} has no 'name' (give "
            f'{{"name": {example}, ...}}, or the name alone)'
        )


def _members(operation: str) -> list[str]:
    """The request members of ``operation``, in the model's order."""
    shape = operation_model(operation).input_shape
    return list(shape.members) if shape is not None else []
