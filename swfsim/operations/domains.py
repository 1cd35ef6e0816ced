"""Domain operations and domain tags (their pages in the SWF API Reference)."""

from __future__ import annotations

from swfsim.errors import (
    DomainAlreadyExistsFault,
    DomainDeprecatedFault,
    LimitExceededFault,
    TooManyTagsFault,
)
from swfsim.model.engine import Engine
from swfsim.model.enums import RegistrationStatus
from swfsim.model.registry import MAX_DOMAIN_TAGS, MAX_DOMAINS, Domain, JsonDict, present
from swfsim.operations._handler import Handler, sorted_page


def register_domain(engine: Engine, params: JsonDict) -> None:
    registry, name = engine.registry, params["name"]
    if name in registry.domains:
        raise DomainAlreadyExistsFault(name)
    if len(registry.domains) >= MAX_DOMAINS:
        raise LimitExceededFault(
            f"Cannot register domain {name}: the account already has {MAX_DOMAINS} domains "
            "(deprecated ones count)"
        )
    tags = _tags(params.get("tags", []))
    _check_tag_count(name, len(tags))
    registry.domains[name] = Domain(
        name=name,
        retention_days=params["workflowExecutionRetentionPeriodInDays"],
        description=params.get("description"),
        arn=registry.domain_arn(name),
        tags=tags,
    )


def describe_domain(engine: Engine, params: JsonDict) -> JsonDict:
    domain = engine.registry.domain(params["name"])
    return {
        "domainInfo": domain.info(),
        "configuration": {"workflowExecutionRetentionPeriodInDays": domain.retention_days},
    }


def list_domains(engine: Engine, params: JsonDict) -> JsonDict:
    status = params["registrationStatus"]
    keyed = sorted(
        ((d.name,), d) for d in engine.registry.domains.values() if d.status.value == status
    )
    chosen, token = sorted_page(engine, "ListDomains", params, keyed)
    return present(domainInfos=[d.info() for d in chosen], nextPageToken=token)


def deprecate_domain(engine: Engine, params: JsonDict) -> None:
    domain = engine.registry.domain(params["name"])
    if domain.deprecated:
        raise DomainDeprecatedFault(domain.name)
    domain.status = RegistrationStatus.DEPRECATED
    # Deprecating a domain deprecates every type in it (model: DeprecateDomain).
    for registered in domain.types.values():
        if not registered.deprecated:
            registered.status = RegistrationStatus.DEPRECATED
            registered.deprecation_ms = engine.clock.now_ms()


def undeprecate_domain(engine: Engine, params: JsonDict) -> None:
    domain = engine.registry.domain(params["name"])
    if not domain.deprecated:
        raise DomainAlreadyExistsFault(domain.name)
    # Types keep their own status: UndeprecateDomain's documentation says nothing of them.
    domain.status = RegistrationStatus.REGISTERED


def tag_resource(engine: Engine, params: JsonDict) -> None:
    domain = engine.registry.domain_by_arn(params["resourceArn"])
    new_tags = _tags(params["tags"])
    _check_tag_count(domain.name, len(domain.tags.keys() | new_tags.keys()))
    domain.tags.update(new_tags)


def untag_resource(engine: Engine, params: JsonDict) -> None:
    domain = engine.registry.domain_by_arn(params["resourceArn"])
    for key in params["tagKeys"]:
        domain.tags.pop(key, None)


def list_tags_for_resource(engine: Engine, params: JsonDict) -> JsonDict:
    domain = engine.registry.domain_by_arn(params["resourceArn"])
    return {"tags": [{"key": key, "value": value} for key, value in domain.tags.items()]}


def _tags(resource_tags: list[JsonDict]) -> dict[str, str]:
    return {tag["key"]: tag.get("value", "") for tag in resource_tags}


def _check_tag_count(domain: str, count: int) -> None:
    if count > MAX_DOMAIN_TAGS:
        raise TooManyTagsFault(
            f"Domain {domain} would have {count} tags; a domain can have at most {MAX_DOMAIN_TAGS}"
        )


HANDLERS: dict[str, Handler] = {
    "RegisterDomain": register_domain,
    "DescribeDomain": describe_domain,
    "ListDomains": list_domains,
    "DeprecateDomain": deprecate_domain,
    "UndeprecateDomain": undeprecate_domain,
    "TagResource": tag_resource,
    "UntagResource": untag_resource,
    "ListTagsForResource": list_tags_for_resource,
}
