"""Domains, their tags, and the activity and workflow types registered in them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from swfsim.errors import UnknownResourceFault
from swfsim.model.enums import RegistrationStatus, TypeKind

JsonDict = dict[str, Any]

MAX_DOMAINS = 100
MAX_TYPES_PER_KIND = 10_000
MAX_DOMAIN_TAGS = 50


def wire_time(millis: int) -> float:
    """Epoch milliseconds as the wire's epoch-seconds number."""
    return millis / 1000


def present(**members: Any) -> JsonDict:
    """A wire structure holding only the members that are set (AWS omits unset members)."""
    return {name: value for name, value in members.items() if value is not None}


@dataclass(eq=False)
class RegisteredType:
    """An activity or workflow type: identity, status and the defaults given at registration."""

    kind: TypeKind
    name: str
    version: str
    description: str | None
    creation_ms: int
    defaults: JsonDict
    status: RegistrationStatus = RegistrationStatus.REGISTERED
    deprecation_ms: int | None = None

    @property
    def ref(self) -> JsonDict:
        """The ``{name, version}`` structure naming this type."""
        return {"name": self.name, "version": self.version}

    @property
    def label(self) -> str:
        """How fault messages name the type: ``ActivityType=[name=N, version=V]``."""
        return f"{self.kind.label}=[name={self.name}, version={self.version}]"

    def info(self) -> JsonDict:
        """The ``ActivityTypeInfo`` / ``WorkflowTypeInfo`` structure."""
        deprecated = None if self.deprecation_ms is None else wire_time(self.deprecation_ms)
        return present(
            **{self.kind.value: self.ref},
            status=self.status.value,
            description=self.description,
            creationDate=wire_time(self.creation_ms),
            deprecationDate=deprecated,
        )

    @property
    def deprecated(self) -> bool:
        """Whether the type is deprecated."""
        return self.status is RegistrationStatus.DEPRECATED


@dataclass(eq=False)
class Domain:
    """A domain: the scope of types, executions and task lists."""

    name: str
    retention_days: str
    description: str | None
    arn: str
    status: RegistrationStatus = RegistrationStatus.REGISTERED
    tags: dict[str, str] = field(default_factory=dict)
    types: dict[tuple[TypeKind, str, str], RegisteredType] = field(default_factory=dict)
    type_counts: dict[TypeKind, int] = field(default_factory=lambda: dict.fromkeys(TypeKind, 0))

    @property
    def deprecated(self) -> bool:
        """Whether the domain is deprecated."""
        return self.status is RegistrationStatus.DEPRECATED

    @property
    def retention_ms(self) -> int:
        """How long closed runs stay visible (``NONE`` and ``0`` mean not at all)."""
        days = 0 if self.retention_days == "NONE" else int(self.retention_days)
        return days * 86_400_000

    def info(self) -> JsonDict:
        """The ``DomainInfo`` structure."""
        return present(
            name=self.name, status=self.status.value, description=self.description, arn=self.arn
        )

    def find_type(self, kind: TypeKind, ref: JsonDict) -> RegisteredType:
        """The type named by ``ref`` ({name, version}).

        Raises:
            UnknownResourceFault: no such type in this domain.
        """
        found = self.types.get((kind, ref["name"], ref["version"]))
        if found is None:
            raise UnknownResourceFault(
                f"Unknown type: {kind.label}=[name={ref['name']}, version={ref['version']}] "
                f"in domain {self.name}"
            )
        return found

    def lookup_type(self, kind: TypeKind, ref: JsonDict) -> RegisteredType | None:
        """The type named by ``ref``, or None."""
        return self.types.get((kind, ref["name"], ref["version"]))


class Registry:
    """All domains of the simulated account."""

    def __init__(self, region: str, account_id: str) -> None:
        self.region = region
        self.account_id = account_id
        self.domains: dict[str, Domain] = {}

    def domain_arn(self, name: str) -> str:
        """The regional ARN AWS returns for a domain."""
        return f"arn:aws:swf:{self.region}:{self.account_id}:/domain/{name}"

    def domain(self, name: str) -> Domain:
        """The domain called ``name``, in any status.

        Raises:
            UnknownResourceFault: no such domain.
        """
        found = self.domains.get(name)
        if found is None:
            raise UnknownResourceFault(f"Unknown domain: {name}")
        return found

    def domain_by_arn(self, arn: str) -> Domain:
        """The domain an ARN names; the regional and the region-less forms are both accepted.

        Raises:
            UnknownResourceFault: the ARN names no domain of this account.
        """
        prefix, _, name = arn.partition(":/domain/")
        parts = prefix.split(":")
        region_ok = len(parts) == 5 and parts[3] in ("", self.region)
        if not (region_ok and parts[:3] == ["arn", "aws", "swf"] and parts[4] == self.account_id):
            raise UnknownResourceFault(f"Unknown resource: {arn}")
        if name not in self.domains:
            raise UnknownResourceFault(f"Unknown resource: {arn}")
        return self.domains[name]
