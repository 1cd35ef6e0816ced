"""States the simulator branches on. Their values are pinned to botocore's model by a test."""

from __future__ import annotations

from enum import Enum


class RegistrationStatus(str, Enum):
    """Status of a domain or type (model shape ``RegistrationStatus``)."""

    REGISTERED = "REGISTERED"
    DEPRECATED = "DEPRECATED"


class ExecutionStatus(str, Enum):
    """Whether a run is open (model shape ``ExecutionStatus``)."""

    OPEN = "OPEN"
    CLOSED = "CLOSED"


class CloseStatus(str, Enum):
    """How a run closed (model shape ``CloseStatus``)."""

    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    CANCELED = "CANCELED"
    TERMINATED = "TERMINATED"
    CONTINUED_AS_NEW = "CONTINUED_AS_NEW"
    TIMED_OUT = "TIMED_OUT"


class TypeKind(str, Enum):
    """Activity or workflow type; the value is the wire member naming the type."""

    ACTIVITY = "activityType"
    WORKFLOW = "workflowType"

    @property
    def label(self) -> str:
        """How fault messages name the kind: ``ActivityType`` or ``WorkflowType``."""
        return self.value[0].upper() + self.value[1:]
