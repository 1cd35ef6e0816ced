"""SWF faults, each carrying the wire ``__type`` AWS sends, so all transports report them alike."""

from __future__ import annotations

from typing import Any, ClassVar

_SWF_NAMESPACE = "com.amazonaws.swf.base.model"


class SWFError(Exception):
    """Base of every fault the simulated service answers with.

    Attributes:
        code: the error code boto3 exposes as ``error.response["Error"]["Code"]``.
        namespace: the prefix AWS puts before ``#`` in the wire ``__type``.
        http_status: the HTTP status AWS answers with.
    """

    code: ClassVar[str] = "SWFError"
    namespace: ClassVar[str] = _SWF_NAMESPACE
    http_status: ClassVar[int] = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    @property
    def wire_type(self) -> str:
        """The ``__type`` member of the JSON error body."""
        return f"{self.namespace}#{self.code}"

    def to_wire(self) -> dict[str, Any]:
        """The JSON error body, as AWS JSON 1.0 services send it."""
        return {"__type": self.wire_type, "message": encodable(self.message)}


def encodable(text: str) -> str:
    """``text`` with any lone UTF-16 surrogate written as its escape (``\\ud800``).

    A message may quote a value that is not valid Unicode; its answer must still be UTF-8.
    """
    return text if text.isascii() else text.encode("utf-8", "backslashreplace").decode("utf-8")


class UnknownResourceFault(SWFError):
    """A named resource (domain, type, execution, task token) does not exist or is closed."""

    code = "UnknownResourceFault"


class TypeAlreadyExistsFault(SWFError):
    """The activity or workflow type is already registered (in any status)."""

    code = "TypeAlreadyExistsFault"


class DomainAlreadyExistsFault(SWFError):
    """The domain already exists (in any status)."""

    code = "DomainAlreadyExistsFault"


class DomainDeprecatedFault(SWFError):
    """The domain is deprecated."""

    code = "DomainDeprecatedFault"


class TypeDeprecatedFault(SWFError):
    """The activity or workflow type is deprecated."""

    code = "TypeDeprecatedFault"


class TypeNotDeprecatedFault(SWFError):
    """Only a deprecated type may be deleted."""

    code = "TypeNotDeprecatedFault"


class WorkflowExecutionAlreadyStartedFault(SWFError):
    """An open execution with that workflowId already exists in the domain."""

    code = "WorkflowExecutionAlreadyStartedFault"


class DefaultUndefinedFault(SWFError):
    """A setting was neither given nor defaulted at type registration."""

    code = "DefaultUndefinedFault"


class LimitExceededFault(SWFError):
    """A quota of the account, domain or run would be exceeded."""

    code = "LimitExceededFault"


class OperationNotPermittedFault(SWFError):
    """The caller may not perform the operation."""

    code = "OperationNotPermittedFault"


class TooManyTagsFault(SWFError):
    """A domain would carry more than 50 tags."""

    code = "TooManyTagsFault"


class ValidationException(SWFError):
    """The request breaks a constraint of the API (length, enum, required member, SWF rule)."""

    code = "ValidationException"
    namespace = "com.amazon.coral.validate"


class SerializationException(SWFError):
    """The request body is not JSON, or a member has the wrong JSON type."""

    code = "SerializationException"
    namespace = "com.amazon.coral.service"


class UnknownOperationException(SWFError):
    """The ``X-Amz-Target`` names no SWF operation."""

    code = "UnknownOperationException"
    namespace = "com.amazon.coral.service"


class ThrottlingException(SWFError):
    """The request rate is too high (raised only by fault injection)."""

    code = "ThrottlingException"
    namespace = "com.amazon.coral.availability"


class InternalFailure(SWFError):
    """The service failed (raised only by fault injection)."""

    code = "InternalFailure"
    namespace = "com.amazon.coral.service"
    http_status = 500


class ServiceUnavailable(SWFError):
    """The service is unavailable (raised only by fault injection)."""

    code = "ServiceUnavailable"
    namespace = "com.amazon.coral.service"
    http_status = 503


class MissingAuthenticationTokenException(SWFError):
    """The request is not signed: no ``Authorization`` header and no presigned query.

    AWS's common errors: https://docs.aws.amazon.com/amazonswf/latest/apireference/CommonErrors.html
    (MissingAuthenticationToken, HTTP 403).
    """

    code = "MissingAuthenticationTokenException"
    namespace = "com.amazon.coral.service"
    http_status = 403


class IncompleteSignatureException(SWFError):
    """The request is signed, but its signature names no readable SigV4 credential scope."""

    code = "IncompleteSignatureException"
    namespace = "com.amazon.coral.service"


class InvalidSignatureException(SWFError):
    """The signature's credential scope names no valid region."""

    code = "InvalidSignatureException"
    namespace = "com.amazon.coral.service"
    http_status = 403


MODELED_FAULTS: tuple[type[SWFError], ...] = (
    DefaultUndefinedFault,
    DomainAlreadyExistsFault,
    DomainDeprecatedFault,
    LimitExceededFault,
    OperationNotPermittedFault,
    TooManyTagsFault,
    TypeAlreadyExistsFault,
    TypeDeprecatedFault,
    TypeNotDeprecatedFault,
    UnknownResourceFault,
    WorkflowExecutionAlreadyStartedFault,
)
