"""S3's CORS answers as a bucket's CORS configuration allows them, and no others.

moto's server adds flask-cors to every application it builds, which answers every request
with ``Access-Control-Allow-Origin`` set to whatever ``Origin`` it came with: any web page could
read the objects. S3 sends CORS headers only for a request whose origin, method and (for a
preflight) headers match a rule of the bucket's CORS configuration
(https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html), so this wrapper removes
them from every other answer. moto keeps the configuration (PutBucketCors) and writes the
headers of a matching rule itself.

A web page can also send a form POST to any address without asking first: on S3 a browser
upload is guarded by the signature of its POST policy
(https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html), which
moto does not check. So a request that changes something (any method but GET, HEAD and
OPTIONS) and carries an ``Origin`` (browsers send one with every cross-site POST) is refused
unless a CORS rule of the bucket allows that origin and method. SDKs send no ``Origin``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any
from xml.sax.saxutils import escape

from werkzeug.wrappers import Response

from swfsim.transport.guard import host_name
from swfsim.transport.http import WSGIApp

_LOCALHOST_SUFFIX = ".localhost"
_READS = frozenset({"GET", "HEAD", "OPTIONS"})


def cors_as_configured(s3: WSGIApp) -> WSGIApp:
    """``s3`` (moto's S3 application) answering CORS only as bucket configurations allow."""

    def serve(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if _allowed(environ):
            return s3(environ, start_response)
        if _cross_site_change(environ):
            return _refused(environ["HTTP_ORIGIN"])(environ, start_response)

        def without_cors(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
            kept = [(n, v) for n, v in headers if not n.lower().startswith("access-control-")]
            return start_response(status, kept, *rest)

        return s3(environ, without_cors)

    return serve


def _cross_site_change(environ: dict[str, Any]) -> bool:
    return bool(environ.get("HTTP_ORIGIN")) and environ.get("REQUEST_METHOD") not in _READS


def _refused(origin: str) -> Response:
    message = (
        f"swfsim serve refuses a cross-site request from {origin} that changes S3 unless a CORS "
        "rule of the bucket allows that origin and method (moto checks no POST policy signature)"
    )
    body = (
        '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code>'
        f"<Message>{escape(message)}</Message></Error>"
    )
    return Response(body, status=403, mimetype="application/xml")


def _allowed(environ: dict[str, Any]) -> bool:
    origin = environ.get("HTTP_ORIGIN")
    bucket = _bucket(environ)
    if not origin or not bucket:
        return False
    method = environ.get("REQUEST_METHOD", "")
    if method == "OPTIONS":
        method = environ.get("HTTP_ACCESS_CONTROL_REQUEST_METHOD", "")
    asked = environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS", "")
    headers = [h.strip() for h in asked.split(",") if h.strip()]
    return any(
        _matches(origin, rule.allowed_origins or [])
        and method in (rule.allowed_methods or [])
        and all(_matches(h, rule.allowed_headers or [], case=False) for h in headers)
        for rule in _rules(bucket)
    )


def _bucket(environ: dict[str, Any]) -> str:
    """The bucket a request addresses: ``<bucket>.localhost`` or the first path segment."""
    name = host_name(environ.get("HTTP_HOST", ""))
    if name.endswith(_LOCALHOST_SUFFIX):
        return name[: -len(_LOCALHOST_SUFFIX)]
    return str(environ.get("PATH_INFO", "")).lstrip("/").partition("/")[0]


def _matches(value: str, patterns: list[str], *, case: bool = True) -> bool:
    """Whether ``value`` matches one of S3's patterns (each with at most one ``*``), whole."""
    flags = 0 if case else re.IGNORECASE
    return any(
        re.fullmatch(".*".join(map(re.escape, pattern.split("*"))), value, flags)
        for pattern in patterns
    )


def _rules(bucket: str) -> list[Any]:
    from moto.s3.models import s3_backends

    located = s3_backends.bucket_accounts.get(bucket)
    if located is None:
        return []
    partition, account_id = located
    found = s3_backends[account_id][partition].buckets.get(bucket)
    return list(found.cors) if found is not None else []
