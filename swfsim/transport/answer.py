"""The HTTP side of an in-process answer: the body and headers AWS would send, encoded lazily.

botocore hands ``after-call`` handlers (loggers, tracers, recorders) the HTTP response, and a
response's ``ResponseMetadata`` carries its headers. In process, no one else needs the body, so
it is encoded (exactly as ``swfsim serve`` writes it) only when someone reads it: the response's
``content``, or its ``content-length`` header in either set of headers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, cast

from botocore.awsrequest import AWSResponse, HeadersDict

from swfsim.transport import wire

URL = "https://swf.swfsim.invalid/"


class WireBody:
    """The JSON body of an answer, encoded on first read.

    Args:
        answer: the JSON-shaped response (``{}`` for an empty one) or error body.
    """

    __slots__ = ("_answer", "_content")

    def __init__(self, answer: dict[str, Any]) -> None:
        self._answer = answer
        self._content: bytes | None = None

    @property
    def content(self) -> bytes:
        """The body's bytes; an empty response has an empty body, as on AWS."""
        if self._content is None:
            self._content = wire.encode(self._answer) if self._answer else b""
        return self._content

    def stream(self) -> Iterator[bytes]:
        """The body in chunks: what ``AWSResponse.content`` reads from its ``raw``."""
        yield self.content


def http_response(status: int, headers: dict[str, str], body: WireBody) -> AWSResponse:
    """The ``http_response`` botocore gives ``after-call`` handlers."""
    response = AWSResponse(URL, status, cast(Any, {}), body)
    response.headers = _LazyHeadersDict(headers, body)
    return response


def metadata_headers(headers: dict[str, str], body: WireBody) -> dict[str, str]:
    """``ResponseMetadata["HTTPHeaders"]``: a dict of the headers, lowercase as botocore's."""
    return _LazyHeaders(headers, body)


class _LazyHeaders(dict[str, str]):
    """A plain dict to every reader; ``content-length`` is filled in before the first access."""

    def __init__(self, headers: dict[str, str], body: WireBody) -> None:
        super().__init__(headers)
        self._body: WireBody | None = body

    def _complete(self) -> None:
        if self._body is not None:
            body, self._body = self._body, None
            dict.__setitem__(self, "content-length", str(len(body.content)))

    def __eq__(self, other: object) -> bool:
        # dict's own comparison reads the other dict's entries directly: complete both.
        self._complete()
        if isinstance(other, _LazyHeaders):
            other._complete()
        return dict.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __reduce__(self) -> tuple[Any, ...]:
        return dict, (dict(self),)  # copies and pickles are plain dicts


class _LazyHeadersDict(HeadersDict):
    """botocore's case-insensitive headers; ``content-length`` is filled in before the first
    access."""

    def __init__(self, headers: dict[str, str], body: WireBody) -> None:
        super().__init__()
        for name, value in headers.items():
            HeadersDict.__setitem__(self, name, value)
        self._body: WireBody | None = body

    def _complete(self) -> None:
        if self._body is not None:
            body, self._body = self._body, None
            HeadersDict.__setitem__(self, "content-length", str(len(body.content)))


def _complete_first(cls: type, base: type, names: tuple[str, ...]) -> None:
    """Make each of ``base``'s methods ``names`` complete the headers before it runs."""

    def completing(method: Callable[..., Any]) -> Callable[..., Any]:
        def complete_then(self: Any, *args: Any, **kwargs: Any) -> Any:
            self._complete()
            return method(self, *args, **kwargs)

        return complete_then

    for name in names:
        setattr(cls, name, completing(getattr(base, name)))


# Every other way of reading or changing a dict (json.dumps, dict(), ** and repr use these).
_complete_first(
    _LazyHeaders,
    dict,
    (
        *("__getitem__", "__contains__", "__iter__", "__reversed__", "__len__", "__repr__"),
        *("__or__", "__ror__", "__ior__", "get", "keys", "values", "items"),
        *("copy", "__setitem__", "__delitem__", "pop", "popitem", "setdefault", "update"),
        "clear",
    ),
)
# HeadersDict is a MutableMapping: every other method goes through these.
_complete_first(
    _LazyHeadersDict,
    HeadersDict,
    ("__getitem__", "__iter__", "__len__", "__repr__", "__setitem__", "__delitem__", "copy"),
)
