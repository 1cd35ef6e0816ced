"""``swfsim proxy``: pass SWF calls on to a real endpoint, signed with the proxy's credentials.

Clients talk to the proxy with any (dummy) credentials; their signature is dropped and each
call is signed again with SigV4 for the upstream endpoint, with the credentials botocore finds
for the proxy (environment, profile, ...). Recording happens around it (``_wsgi.recording``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.httpsession import URLLib3Session

from swfsim.trace._wsgi import WSGIApp

# Request headers passed on as they came; the rest (Authorization, X-Amz-Date, Host, ...) are
# the client's signing and are made anew.
FORWARDED = ("X-Amz-Target", "Content-Type", "Content-Encoding")
TIMEOUT_SECONDS = 90  # above SWF's 60 s long poll


def forwarding(upstream: str, credentials: Credentials, region: str) -> WSGIApp:
    """A WSGI application that signs and forwards each request to ``upstream``."""
    http = URLLib3Session(timeout=TIMEOUT_SECONDS)
    url = upstream.rstrip("/") + "/"
    signer = SigV4Auth(credentials, "swf", region)

    def forward(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        headers = {
            name: environ[key]
            for name in FORWARDED
            if (key := "HTTP_" + name.upper().replace("-", "_")) in environ
            or (key := name.upper().replace("-", "_")) in environ
        }
        request = AWSRequest(method="POST", url=url, data=body, headers=headers)
        signer.add_auth(request)
        reply = http.send(request.prepare())
        passed = [
            (name, value)
            for name, value in reply.headers.items()
            if name.lower() in ("content-type", "x-amzn-requestid")
        ]
        content = reply.content
        passed.append(("Content-Length", str(len(content))))
        start_response(f"{reply.status_code} {_reason(reply.status_code)}", passed)
        return [content]

    return forward


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"
