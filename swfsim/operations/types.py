"""Activity and workflow type operations (their pages in the SWF API Reference): one
implementation for both kinds."""

from __future__ import annotations

from collections.abc import Callable

from swfsim.errors import (
    LimitExceededFault,
    TypeAlreadyExistsFault,
    TypeDeprecatedFault,
    TypeNotDeprecatedFault,
    UnknownResourceFault,
)
from swfsim.model.engine import Engine
from swfsim.model.enums import RegistrationStatus, TypeKind
from swfsim.model.registry import (
    MAX_TYPES_PER_KIND,
    Domain,
    JsonDict,
    RegisteredType,
    present,
)
from swfsim.operations._handler import Handler, sorted_page

_DEFAULTS = {
    TypeKind.ACTIVITY: (
        "defaultTaskStartToCloseTimeout",
        "defaultTaskHeartbeatTimeout",
        "defaultTaskList",
        "defaultTaskPriority",
        "defaultTaskScheduleToStartTimeout",
        "defaultTaskScheduleToCloseTimeout",
    ),
    TypeKind.WORKFLOW: (
        "defaultTaskStartToCloseTimeout",
        "defaultExecutionStartToCloseTimeout",
        "defaultTaskList",
        "defaultTaskPriority",
        "defaultChildPolicy",
        "defaultLambdaRole",
    ),
}


def _registering_domain(engine: Engine, name: str) -> Domain:
    domain = engine.registry.domain(name)
    if domain.deprecated:
        # botocore's model gives Register*Type no DomainDeprecatedFault.
        raise UnknownResourceFault(f"Unknown domain: {name} (the domain is deprecated)")
    return domain


def _register(kind: TypeKind) -> Handler:
    def register(engine: Engine, params: JsonDict) -> None:
        domain = _registering_domain(engine, params["domain"])
        key = (kind, params["name"], params["version"])
        if key in domain.types:
            raise TypeAlreadyExistsFault(domain.types[key].label)
        if domain.type_counts[kind] >= MAX_TYPES_PER_KIND:
            raise LimitExceededFault(
                f"Domain {domain.name} already has {MAX_TYPES_PER_KIND} {kind.label}s "
                "(deprecated ones count)"
            )
        domain.types[key] = RegisteredType(
            kind=kind,
            name=params["name"],
            version=params["version"],
            description=params.get("description"),
            creation_ms=engine.clock.now_ms(),
            defaults=present(**{name: params.get(name) for name in _DEFAULTS[kind]}),
        )
        domain.type_counts[kind] += 1

    return register


def _describe(kind: TypeKind) -> Handler:
    def describe(engine: Engine, params: JsonDict) -> JsonDict:
        domain = engine.registry.domain(params["domain"])
        registered = domain.find_type(kind, params[kind.value])
        return {"typeInfo": registered.info(), "configuration": dict(registered.defaults)}

    return describe


def _list(kind: TypeKind, operation: str) -> Handler:
    def list_types(engine: Engine, params: JsonDict) -> JsonDict:
        domain = engine.registry.domain(params["domain"])
        status, name = params["registrationStatus"], params.get("name")
        keyed = sorted(
            ((t.name, t.version), t)
            for (k, _, _), t in domain.types.items()
            if k is kind and t.status.value == status and name in (None, t.name)
        )
        chosen, token = sorted_page(engine, operation, params, keyed)
        return present(typeInfos=[t.info() for t in chosen], nextPageToken=token)

    return list_types


def _status_change(kind: TypeKind, change: Callable[[Engine, RegisteredType], None]) -> Handler:
    def handle(engine: Engine, params: JsonDict) -> None:
        domain = engine.registry.domain(params["domain"])
        change(engine, domain.find_type(kind, params[kind.value]))

    return handle


def _deprecate(engine: Engine, registered: RegisteredType) -> None:
    if registered.deprecated:
        raise TypeDeprecatedFault(registered.label)
    registered.status = RegistrationStatus.DEPRECATED
    registered.deprecation_ms = engine.clock.now_ms()


def _undeprecate(engine: Engine, registered: RegisteredType) -> None:
    if not registered.deprecated:
        raise TypeAlreadyExistsFault(registered.label)
    registered.status = RegistrationStatus.REGISTERED
    registered.deprecation_ms = None


def _delete(kind: TypeKind) -> Handler:
    def delete(engine: Engine, params: JsonDict) -> None:
        domain = engine.registry.domain(params["domain"])
        registered = domain.find_type(kind, params[kind.value])
        if not registered.deprecated:
            raise TypeNotDeprecatedFault(
                f"{registered.label} is not deprecated: deprecate a type before deleting it"
            )
        del domain.types[(kind, registered.name, registered.version)]
        domain.type_counts[kind] -= 1

    return delete


def _handlers(kind: TypeKind) -> dict[str, Handler]:
    noun = kind.label
    return {
        f"Register{noun}": _register(kind),
        f"Describe{noun}": _describe(kind),
        f"List{noun}s": _list(kind, f"List{noun}s"),
        f"Deprecate{noun}": _status_change(kind, _deprecate),
        f"Undeprecate{noun}": _status_change(kind, _undeprecate),
        f"Delete{noun}": _delete(kind),
    }


HANDLERS: dict[str, Handler] = {**_handlers(TypeKind.ACTIVITY), **_handlers(TypeKind.WORKFLOW)}
