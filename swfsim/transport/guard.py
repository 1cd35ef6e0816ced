"""Who ``swfsim serve`` answers, and how much of an admin request it reads.

The endpoint is for the developer's own clients. A web page the developer visits while it
runs can reach it too, in two ways this module closes:

- **Cross-site requests.** A page can send a "simple" request (a form post: ``text/plain``,
  ``application/x-www-form-urlencoded`` or ``multipart/form-data``, no custom header) to any
  address without asking first. Admin POSTs must say ``Content-Type: application/json``, which
  a page can only send after a CORS preflight, and nothing here answers a preflight.
  SWF requests need ``X-Amz-Target``, another header a page cannot send unasked.
- **DNS rebinding.** A page on a name the attacker controls can make that name resolve to
  127.0.0.1 and then read answers as same-origin; its requests still carry the attacker's
  name in ``Host``. Every route refuses a ``Host`` that is not a loopback name, the address
  the server was told to serve on, or a name it was told to allow.

Besides, ``/moto-api/`` and requests signed for a service other than SWF and S3 never reach
moto, and an admin request body larger than ``max_body_bytes`` is refused before it is read.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from werkzeug.wrappers import Response

from swfsim.transport import wire
from swfsim.transport.credential import credential
from swfsim.transport.http import WSGIApp

DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024
SERVED_SERVICES = frozenset({"swf", "s3"})
ADMIN_PREFIX = "/_swfsim"
_WILDCARD_HOSTS = frozenset({"0.0.0.0", "::", ""})
_JSON_TYPE = "application/json"


@dataclass(frozen=True)
class Policy:
    """What the guard lets through.

    Attributes:
        bind_host: the address the server serves on; a ``Host`` naming it is accepted. A
            wildcard (``0.0.0.0``, ``::``) accepts any IP address as ``Host``.
        allowed_hosts: more host names to accept (e.g. ``host.docker.internal``).
        max_body_bytes: the largest admin request body read (a snapshot to restore).
    """

    bind_host: str = "127.0.0.1"
    allowed_hosts: frozenset[str] = frozenset()
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES


def guarded(app: WSGIApp, policy: Policy) -> WSGIApp:
    """``app`` behind the guard: refused requests are answered here and never reach it."""

    def serve(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        refusal = _refusal(environ, policy)
        if refusal is not None:
            return refusal(environ, start_response)
        return app(environ, start_response)

    return serve


def host_name(host: str) -> str:
    """The name in a ``Host`` header: no port, no IPv6 brackets, lower case, no final dot."""
    if host.startswith("["):
        return host[1:].partition("]")[0].lower()
    name, colon, port = host.rpartition(":")
    if not colon or not port.isdigit() or ":" in name:
        name = host
    return name.lower().rstrip(".")


def is_loopback(name: str) -> bool:
    """Whether a host name or address always means this machine (``localhost``, 127/8, ::1).

    Names under ``.localhost`` count too: browsers resolve them to loopback themselves
    (RFC 6761, section 6.3), and botocore addresses buckets as ``<bucket>.localhost``.
    """
    if name == "localhost" or name.endswith(".localhost"):
        return True
    address = _address(name)
    return address is not None and address.is_loopback


def host_allowed(host: str, policy: Policy) -> bool:
    """Whether a request with this ``Host`` header is answered."""
    name = host_name(host)
    if is_loopback(name) or name in policy.allowed_hosts:
        return True
    bind = host_name(policy.bind_host)
    if bind in _WILDCARD_HOSTS:
        # Rebinding always carries a DNS name: an address typed in the URL is no attack.
        return _address(name) is not None
    return name == bind


def exposure_warning(bind_host: str) -> str | None:
    """The warning to print when the server listens beyond this machine, else None."""
    if is_loopback(host_name(bind_host)):
        return None
    return (
        f"swfsim: WARNING: serving on {bind_host}, not a loopback address: anyone who can "
        "reach this machine on the network can read, change and reset the simulated world "
        "(requests are not authenticated)"
    )


def _address(name: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(name)
    except ValueError:
        return None


def _refusal(environ: dict[str, Any], policy: Policy) -> Response | None:
    host = environ.get("HTTP_HOST")
    path = environ.get("PATH_INFO", "")
    admin = path == ADMIN_PREFIX or path.startswith(ADMIN_PREFIX + "/")
    if host is not None and not host_allowed(host, policy):
        message = (
            f"swfsim serve answers requests addressed to localhost, a loopback address or "
            f"{policy.bind_host}, not Host {host!r} (a defence against DNS rebinding); start it "
            f"with --allow-host {host_name(host)} to accept that name"
        )
        return _admin_error(403, message) if admin else _aws_error(environ, "AccessDenied", message)
    if admin:
        return _admin_refusal(environ, policy.max_body_bytes)
    if path == "/moto-api" or path.startswith("/moto-api/"):
        return _admin_error(404, "swfsim serve does not serve moto's own API (/moto-api/)")
    signed = credential(environ)
    if signed is not None and signed.service not in SERVED_SERVICES:
        message = (
            f"Credential should be scoped to correct service: 'swf' or 's3'. swfsim serve "
            f"answers SWF and S3 only, not {signed.service!r}: point that service elsewhere "
            f"(AWS_ENDPOINT_URL_SWF and AWS_ENDPOINT_URL_S3 instead of AWS_ENDPOINT_URL)"
        )
        return _aws_error(environ, "InvalidSignatureException", message)
    return None


def _admin_refusal(environ: dict[str, Any], max_body_bytes: int) -> Response | None:
    if environ.get("REQUEST_METHOD") == "POST" and not _is_json(environ):
        shown = environ.get("CONTENT_TYPE") or "none"
        return _admin_error(
            415,
            f"admin POSTs must be sent with Content-Type: {_JSON_TYPE} (not {shown}), which "
            "web pages cannot send cross-site; e.g. curl -X POST -H 'Content-Type: "
            f"{_JSON_TYPE}' ...",
        )
    if "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
        return _admin_error(411, "send the admin request body with a Content-Length")
    length = environ.get("CONTENT_LENGTH") or "0"
    if not (length.isascii() and length.isdigit()):
        return _admin_error(400, f"Content-Length {length!r} is not a number of bytes")
    if int(length) > max_body_bytes:
        return _admin_error(
            413,
            f"the body is {length} bytes; the admin API reads at most {max_body_bytes} bytes "
            "(swfsim serve --max-body-bytes)",
        )
    return None


def _is_json(environ: dict[str, Any]) -> bool:
    mimetype = str(environ.get("CONTENT_TYPE", "")).partition(";")[0].strip().lower()
    return mimetype == _JSON_TYPE


def _admin_error(status: int, message: str) -> Response:
    return Response(wire.encode({"error": message}), status=status, mimetype=_JSON_TYPE)


def _aws_error(environ: dict[str, Any], code: str, message: str) -> Response:
    """A 403 the client's SDK can parse: JSON for JSON protocols (SWF), else XML."""
    content_type = environ.get("CONTENT_TYPE", "")
    if environ.get("HTTP_X_AMZ_TARGET") or "json" in content_type:
        json_code = code if code.endswith("Exception") else f"{code}Exception"
        fault = {"__type": f"com.amazon.coral.service#{json_code}", "message": message}
        headers = {"Content-Type": "application/x-amz-json-1.0", "x-amzn-ErrorType": json_code}
        return Response(wire.encode(fault), status=403, headers=headers)
    error = f"<Code>{code}</Code><Message>{escape(message)}</Message>"
    if content_type.startswith("application/x-www-form-urlencoded"):
        # Query-protocol services (STS, IAM, SNS) wrap their errors; S3 does not.
        error = f"<ErrorResponse><Error><Type>Sender</Type>{error}</Error></ErrorResponse>"
    else:
        error = f"<Error>{error}</Error>"
    xml = f'<?xml version="1.0" encoding="UTF-8"?>{error}'
    return Response(xml, status=403, mimetype="application/xml")
