"""botocore's SWF service model: the single source of shapes, enums, limits and operation names.

Nothing here is retyped from the AWS documentation: every name and constraint is read from the
model that ships with botocore, so swfsim follows the same API version boto3 speaks.
"""

from __future__ import annotations

import functools
import re

import botocore.session
from botocore.model import OperationModel, ServiceModel, Shape, StringShape, StructureShape

SERVICE_NAME = "swf"
TARGET_PREFIX = "SimpleWorkflowService"

# Documentation phrases that carry validation rules the model has no constraint field for.
_IDENTIFIER_RULE = re.compile(r"must not contain a <code>:</code>")
_WHITESPACE_RULE = re.compile(r"must not start or end with whitespace", re.IGNORECASE)
_NONE_ALLOWED = re.compile(r"use <code>NONE</code>|value <code>NONE</code>")
# NONE is refused for the execution timeout everywhere, whatever a decision attribute's
# documentation says: StartWorkflowExecution's forbids it, and the Developer Guide's quotas page
# (swf-dg-limits.html) caps an execution at one year.
_NEVER_NONE = frozenset({"executionStartToCloseTimeout", "defaultExecutionStartToCloseTimeout"})


@functools.cache
def service_model() -> ServiceModel:
    """The SWF service model botocore loads for API version 2012-01-25."""
    session = botocore.session.Session()
    return session.get_service_model(SERVICE_NAME)


@functools.cache
def operation_names() -> tuple[str, ...]:
    """All operation names of the model, sorted."""
    return tuple(sorted(service_model().operation_names))


@functools.cache
def operation(name: str) -> OperationModel:
    """The operation model for ``name``; KeyError-free callers check ``operation_names`` first."""
    return service_model().operation_model(name)


@functools.cache
def shape(name: str) -> Shape:
    """A named shape of the model."""
    return service_model().shape_for(name)


@functools.cache
def enum_values(shape_name: str) -> tuple[str, ...]:
    """The enum values of a string shape, in model order."""
    string_shape = shape(shape_name)
    assert isinstance(string_shape, StringShape), f"{shape_name} is not a string shape"
    return tuple(string_shape.enum)


@functools.cache
def fault_names() -> frozenset[str]:
    """Names of the modeled exception shapes."""
    model = service_model()
    return frozenset(
        name for name in model.shape_names if model.shape_for(name).metadata.get("exception")
    )


def event_types() -> tuple[str, ...]:
    """The 54 history event types."""
    return enum_values("EventType")


def decision_types() -> tuple[str, ...]:
    """The 13 decision types."""
    return enum_values("DecisionType")


def attributes_key(type_name: str, suffix: str) -> str:
    """The member holding a type's attributes: ``TimerFired`` -> ``timerFiredEventAttributes``."""
    return type_name[0].lower() + type_name[1:] + suffix


def is_identifier(member: Shape) -> bool:
    """Whether the member's docs forbid ``:``, ``/``, ``|``, control characters and ``arn``."""
    return bool(_IDENTIFIER_RULE.search(member.documentation or ""))


def forbids_edge_whitespace(member: Shape) -> bool:
    """Whether the member's documentation forbids leading or trailing whitespace."""
    return bool(_WHITESPACE_RULE.search(member.documentation or ""))


def allows_none_duration(member_name: str, member: Shape) -> bool:
    """Whether a duration member accepts the literal ``NONE``."""
    if member_name in _NEVER_NONE:
        return False
    return bool(_NONE_ALLOWED.search(member.documentation or ""))


def is_duration(member: Shape) -> bool:
    """Whether a string member holds a duration in seconds or days."""
    return member.name.startswith("Duration")


def structure(name: str) -> StructureShape:
    """A named structure shape of the model."""
    found = shape(name)
    assert isinstance(found, StructureShape), f"{name} is not a structure"
    return found


def output_shape(operation_name: str) -> StructureShape | None:
    """The output shape of an operation, or None for operations with an empty response."""
    shape_ = operation(operation_name).output_shape
    return shape_ if isinstance(shape_, StructureShape) else None
