"""The credential a request is signed with, read from its Signature Version 4 scope.

AWS SDKs sign every request; the signature's credential scope names the access key, the
region and the service the request is meant for (``AKID/20260101/us-east-1/swf/aws4_request``,
in the ``Authorization`` header or, for a presigned URL, the ``X-Amz-Credential`` query
parameter). See https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
and, for SigV4a's scope without a region,
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html. The signature itself is
not checked.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass
from typing import Any

_TERMINATOR = "aws4_request"


@dataclass(frozen=True)
class Credential:
    """The credential scope of a signed request.

    Attributes:
        access_key: the access key id that signed it.
        region: the region it is signed for ("" in a SigV4a scope, which names none).
        service: the signing name of the service it is meant for (``swf``, ``s3``, ``sts``...).
    """

    access_key: str
    region: str
    service: str


def credential(environ: dict[str, Any]) -> Credential | None:
    """The SigV4 credential of a WSGI request, or None if it has none (unsigned, SigV2)."""
    authorization = environ.get("HTTP_AUTHORIZATION", "")
    if authorization.startswith("AWS4-"):
        for part in authorization.partition(" ")[2].split(","):
            name, _, value = part.strip().partition("=")
            if name == "Credential":
                return _scope(value)
        return None
    query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
    values = query.get("X-Amz-Credential")
    return _scope(values[0]) if values else None


def _scope(value: str) -> Credential | None:
    # AKID/date/region/service/aws4_request (SigV4) or AKID/date/service/aws4_request (SigV4a)
    parts = value.split("/")
    if len(parts) not in (4, 5) or parts[-1] != _TERMINATOR:
        return None
    region = parts[2] if len(parts) == 5 else ""
    return Credential(access_key=parts[0], region=region, service=parts[-2].lower())
