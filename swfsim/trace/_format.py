"""The trace format: a JSON Lines file, a header line then one line per call.

Every trace read or written is validated against ``swfsim/schemas/trace.schema.json``.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import botocore

from swfsim.trace._answers import check_answers
from swfsim.trace._errors import TraceFormatError

if TYPE_CHECKING:
    import jsonschema

JsonDict = dict[str, Any]
VERSION = 1
SCHEMA_RESOURCE = "trace.schema.json"
UPGRADE_HINT = "upgrade swfsim (pip install -U swfsim) to read it"


@dataclass(frozen=True)
class Response:
    """An answer: a success body (None when empty) or an error code and message."""

    status: int
    body: JsonDict | None = None
    error_code: str | None = None
    error_message: str | None = None
    error_type: str | None = None
    request_id: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the call succeeded (an HTTP status below 300)."""
        return self.status < 300

    def wire_body(self) -> JsonDict:
        """The JSON body as the service sent it (``{}`` for an empty success)."""
        if self.error_code is None:
            return self.body or {}
        return {"__type": self.error_type or self.error_code, "message": self.error_message}


@dataclass(frozen=True)
class Call:
    """One call at the operation level: what was sent and what came back, and when."""

    operation: str
    request: JsonDict
    response: Response
    sent: float
    answered: float | None = None


@dataclass(frozen=True)
class Header:
    """The first line: format version, versions of the tools, region, time and scrubbing."""

    region: str = "us-east-1"
    recorded: str = ""
    aliased: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    secrets_checked: int = 0
    swfsim: str = ""
    botocore: str | None = botocore.__version__
    unrecorded: tuple[str, ...] = ()
    source: JsonDict | None = None
    requests: bool = True


@dataclass(frozen=True)
class Trace:
    """A header and the calls in the order they were made."""

    header: Header
    calls: tuple[Call, ...] = field(default_factory=tuple)


@cache
def schema() -> JsonDict:
    """The published JSON Schema of traces (it describes the list of a trace's lines)."""
    text = resources.files("swfsim.schemas").joinpath(SCHEMA_RESOURCE).read_text()
    loaded: JsonDict = json.loads(text)
    return loaded


def iso_now() -> str:
    """The current wall-clock time in ISO 8601."""
    return iso_time(time.time())


def iso_time(seconds: float) -> str:
    """A time in seconds since the epoch in ISO 8601, to the second (``2026-01-01T00:00:00Z``)."""
    when = datetime.fromtimestamp(seconds, timezone.utc)
    return when.isoformat(timespec="seconds").replace("+00:00", "Z")


# ---- to and from lines -------------------------------------------------------------------------


def header_line(header: Header) -> JsonDict:
    """The JSON document of a header."""
    from swfsim import __version__

    line: JsonDict = {
        "swfsimTrace": VERSION,
        "swfsim": header.swfsim or __version__,
        "botocore": header.botocore,
        "region": header.region,
        "recorded": header.recorded or iso_now(),
        "scrubbing": {
            "aliased": list(header.aliased),
            "paths": list(header.paths),
            "secretsChecked": header.secrets_checked,
        },
    }
    if header.unrecorded:
        line["unrecorded"] = list(header.unrecorded)
    if not header.requests:
        line["requests"] = False
    if header.source is not None:
        line["source"] = header.source
    return line


def call_line(call: Call) -> JsonDict:
    """The JSON document of a call."""
    answer = call.response
    response: JsonDict = {"status": answer.status, "requestId": answer.request_id}
    if answer.error_code is None:
        response["body"] = answer.body
    else:
        error = {"code": answer.error_code, "message": answer.error_message}
        if answer.error_type is not None:
            error["type"] = answer.error_type
        response["error"] = error
    line: JsonDict = {"operation": call.operation, "request": call.request, "response": response}
    line["sent"] = call.sent
    line["answered"] = call.answered
    return line


def header_of(line: JsonDict) -> Header:
    """A Header from its (validated) JSON document."""
    scrubbing = line["scrubbing"]
    return Header(
        region=line["region"],
        recorded=line["recorded"],
        aliased=tuple(scrubbing["aliased"]),
        paths=tuple(scrubbing["paths"]),
        secrets_checked=scrubbing.get("secretsChecked", 0),
        swfsim=line["swfsim"],
        botocore=line.get("botocore"),
        unrecorded=tuple(line.get("unrecorded", ())),
        source=line.get("source"),
        requests=line.get("requests", True),
    )


def call_of(line: JsonDict) -> Call:
    """A Call from its (validated) JSON document."""
    answer = line["response"]
    error = answer.get("error") or {}
    response = Response(
        status=answer["status"],
        body=answer.get("body"),
        error_code=error.get("code"),
        error_message=error.get("message"),
        error_type=error.get("type"),
        request_id=answer.get("requestId"),
    )
    return Call(line["operation"], line["request"], response, line["sent"], line.get("answered"))


# ---- validation, reading and writing -----------------------------------------------------------


def validate(lines: list[Any], name: str = "trace") -> None:
    """Check a trace's lines against the schema, the version first.

    Raises:
        TraceFormatError: the lines are not a trace of this format version; the message names
            the line and the member at fault.
    """
    import jsonschema  # on first use: `import swfsim` stays quick for mock_swf's users

    _check_version(lines, name)
    problem = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(schema()).iter_errors(lines)
    )
    if problem is None:
        return
    path = list(problem.absolute_path)
    line = f"line {path[0] + 1}" if path else "the file"
    member = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path[1:])
    raise TraceFormatError(f"{name}: {line}{' at ' + member if member else ''}: {problem.message}")


@cache
def _call_validator() -> jsonschema.Draft202012Validator:
    import jsonschema

    return jsonschema.Draft202012Validator({"$ref": "#/$defs/call", "$defs": schema()["$defs"]})


def validate_call(line: JsonDict, name: str = "trace") -> None:
    """Check one call's line against the schema.

    Raises:
        TraceFormatError: naming the member at fault.
    """
    import jsonschema

    problem = jsonschema.exceptions.best_match(_call_validator().iter_errors(line))
    if problem is not None:
        member = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in problem.path)
        raise TraceFormatError(
            f"{name}: a {line.get('operation')} call at {member}: {problem.message}"
        )


def _check_version(lines: list[Any], name: str) -> None:
    first = lines[0] if lines else None
    if not isinstance(first, dict) or "swfsimTrace" not in first:
        raise TraceFormatError(
            f"{name}: not a swfsim trace: its first line has no 'swfsimTrace' version "
            "(to convert vcrpy cassettes or placebo folders, use `swfsim trace import`)"
        )
    version = first["swfsimTrace"]
    if isinstance(version, int) and not isinstance(version, bool) and version > VERSION:
        raise TraceFormatError(
            f"{name}: trace format version {version} is newer than this swfsim reads "
            f"(version {VERSION}); {UPGRADE_HINT}"
        )
    if version != VERSION:
        raise TraceFormatError(
            f"{name}: unknown trace format version {version!r}; this swfsim reads version {VERSION}"
        )


def parse(text: str, name: str = "trace") -> Trace:
    """A Trace from the text of a JSON Lines file, validated, its answers checked."""
    lines: list[Any] = []
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        try:
            lines.append(json.loads(raw))
        except ValueError as broken:
            raise TraceFormatError(f"{name}: line {number} is not JSON: {broken}") from None
    validate(lines, name)
    trace = Trace(header_of(lines[0]), tuple(call_of(line) for line in lines[1:]))
    check_answers(trace, name)
    return trace


def load_trace(path: str | Path) -> Trace:
    """Read and validate a trace file.

    Args:
        path: a ``.jsonl`` file written by :func:`swfsim.record` or ``swfsim trace import``.

    Raises:
        TraceFormatError: the file is not a valid trace, or of a newer or unknown version, or a
            recorded answer does not fit its operation's output shape in botocore's model.
        OSError: the file cannot be read.
    """
    return parse(Path(path).read_text(encoding="utf-8"), str(path))


def dumps(line: JsonDict) -> str:
    """One line of a trace file."""
    return json.dumps(line, separators=(",", ":"), sort_keys=False, ensure_ascii=False)


def write_trace(trace: Trace, path: str | Path) -> None:
    """Validate and write a whole trace to ``path``."""
    lines = [header_line(trace.header), *(call_line(call) for call in trace.calls)]
    validate(lines, str(path))
    Path(path).write_text("".join(dumps(line) + "\n" for line in lines), encoding="utf-8")
