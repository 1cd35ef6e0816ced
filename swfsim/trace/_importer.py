"""Convert traces made by other tools: vcrpy cassettes, placebo folders, and the normalized
JSON of ``fixtures/real-aws/traces``; scrubbed as recordings are."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml

from swfsim.trace._errors import TraceFormatError
from swfsim.trace._format import Call, Header, JsonDict, Response, Trace, call_line, call_of, dumps
from swfsim.trace._scrub import ALIASED, Scrubber
from swfsim.trace._writer import MIN_EMBEDDED

AMZ_DATE = "%Y%m%dT%H%M%SZ"
HOST_REGION = re.compile(r"swf\.([a-z0-9-]+)\.amazonaws\.com")
PLACEBO_FILE = re.compile(r"^swf\.(?P<operation>[A-Za-z]+)_(?P<number>\d+)\.json$")


def import_source(
    source: str | Path, *, unrecorded: Iterable[str] = (), scrub: Iterable[str] = ()
) -> Trace:
    """A Trace from a vcrpy cassette (``.yaml``), a placebo folder, or a normalized real-AWS
    JSON trace, scrubbed (ids and tokens aliased, ``scrub`` paths too).

    Args:
        source: the file or folder.
        unrecorded: roles whose calls the source lacks (``decider``, ``worker``,
            ``registration``), noted in the header for ``swfsim trace check``.
        scrub: more member paths to replace by aliases.

    Raises:
        TraceFormatError: the source is none of these.
    """
    path = Path(source)
    scrubber = Scrubber(scrub)
    if path.is_dir():
        calls, origin, region = _placebo(path)
    elif path.suffix in (".yaml", ".yml"):
        calls, origin, region = _cassette(path)
    elif path.suffix == ".json":
        calls, origin, region = _normalized(path)
    else:
        raise TraceFormatError(
            f"{path}: not a vcrpy cassette (.yaml), a placebo folder or a real-AWS .json trace"
        )
    header = Header(
        region=region,
        recorded=_iso(calls[0].sent) if calls else "1970-01-01T00:00:00Z",
        aliased=tuple(sorted(ALIASED)),
        paths=scrubber.paths,
        unrecorded=tuple(unrecorded),
        source=origin,
        requests=origin["kind"] != "placebo",
    )
    scrubbed = [_scrubbed(call, scrubber) for call in calls]
    # Ids also travel inside other members (a child's input naming its parent's run): once
    # every call is scrubbed, each value aliased anywhere is replaced everywhere.
    lines = (scrubber.replace_embedded(dumps(call_line(call)), MIN_EMBEDDED) for call in scrubbed)
    return Trace(header, tuple(call_of(json.loads(line)) for line in lines))


def _scrubbed(call: Call, scrubber: Scrubber) -> Call:
    answer = call.response
    body = scrubber.scrub(answer.body) if answer.body is not None else None
    response = Response(
        answer.status,
        body,
        answer.error_code,
        answer.error_message,
        answer.error_type,
        answer.request_id,
    )
    return Call(call.operation, scrubber.scrub(call.request), response, call.sent, call.answered)


def _iso(seconds: float) -> str:
    moment = datetime.fromtimestamp(seconds, timezone.utc)
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def _amz_seconds(text: str) -> float:
    return datetime.strptime(text, AMZ_DATE).replace(tzinfo=timezone.utc).timestamp()


def response_of(status: int, body: JsonDict | None, request_id: str | None) -> Response:
    """A Response from a status and a parsed wire body."""
    if status < 300:
        return Response(status, body or None, request_id=request_id)
    wire = body or {}
    kind = str(wire.get("__type", "Unknown"))
    message = wire.get("message", wire.get("Message"))
    return Response(status, None, kind.rpartition("#")[2], message, kind, request_id)


# ---- vcrpy ------------------------------------------------------------------------------------


class _CassetteLoader(yaml.SafeLoader):
    """YAML's safe loader, plus the ``!!python/unicode`` and ``!!python/str`` tags that
    cassettes recorded under Python 2 hold (as simpleflow's 2016-2017 ones do)."""


def _text(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    return str(loader.construct_scalar(node))  # type: ignore[arg-type]


for _tag in ("tag:yaml.org,2002:python/unicode", "tag:yaml.org,2002:python/str"):
    _CassetteLoader.add_constructor(_tag, _text)


def _cassette(path: Path) -> tuple[list[Call], JsonDict, str]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_CassetteLoader)
    except yaml.YAMLError as broken:
        raise TraceFormatError(f"{path}: not YAML: {broken}") from None
    if not isinstance(data, dict) or "interactions" not in data:
        raise TraceFormatError(f"{path}: not a vcrpy cassette (no 'interactions')")
    calls, region = [], "us-east-1"
    for interaction in data["interactions"]:
        request, response = interaction["request"], interaction["response"]
        headers = {k.lower(): _one(v) for k, v in (request.get("headers") or {}).items()}
        target = headers.get("x-amz-target", "")
        if "SimpleWorkflowService" not in target:
            continue  # another service's call (S3 step storage, say)
        found = HOST_REGION.search(str(request.get("uri", "")) + headers.get("host", ""))
        region = found.group(1) if found else region
        answer = {k.lower(): _one(v) for k, v in (response.get("headers") or {}).items()}
        sent = _amz_seconds(headers["x-amz-date"]) if "x-amz-date" in headers else 0.0
        reply = response_of(
            int(response["status"]["code"]),
            _json(response.get("body")),
            answer.get("x-amzn-requestid"),
        )
        calls.append(Call(target.rpartition(".")[2], _json(request.get("body")) or {}, reply, sent))
    origin = {"kind": "vcrpy", "file": path.name}
    return calls, origin, region


def _one(value: Any) -> str:
    """vcrpy writes a header as a list of values (older versions) or as one value."""
    return str(value[0]) if isinstance(value, list) and value else str(value)


def _json(body: Any) -> JsonDict | None:
    if isinstance(body, dict):  # vcrpy's {"string": ...} form
        body = body.get("string")
    if isinstance(body, bytes):
        body = body.decode("utf-8")
    if not body:
        return None
    loaded: JsonDict = json.loads(body)
    return loaded


# ---- placebo ----------------------------------------------------------------------------------


def _placebo(path: Path) -> tuple[list[Call], JsonDict, str]:
    files = sorted(
        (int(found["number"]), found["operation"], file)
        for file in path.iterdir()
        if (found := PLACEBO_FILE.match(file.name))
    )
    if not files:
        raise TraceFormatError(f"{path}: no placebo response files (swf.<Operation>_<n>.json)")
    calls = []
    for _, operation, file in files:
        saved = json.loads(file.read_text(encoding="utf-8"))
        data = _placebo_value(saved.get("data", {}))
        metadata = data.pop("ResponseMetadata", {})
        status = int(saved.get("status_code", 200))
        if status >= 300:
            error = data.get("Error", {})
            data = {"__type": error.get("Code", "Unknown"), "message": error.get("Message")}
        # placebo keeps no requests: each call is matched on its operation alone.
        calls.append(Call(operation, {}, response_of(status, data, metadata.get("RequestId")), 0.0))
    return calls, {"kind": "placebo", "folder": path.name}, "us-east-1"


def _placebo_value(value: Any) -> Any:
    """placebo's JSON with its datetimes (``{"__class__": "datetime", ...}``) as epoch seconds."""
    if isinstance(value, dict) and value.get("__class__") == "datetime":
        parts = {k: value[k] for k in ("year", "month", "day", "hour", "minute", "second")}
        moment = datetime(**parts, microsecond=value.get("microsecond", 0), tzinfo=timezone.utc)
        return moment.timestamp()
    if isinstance(value, dict):
        return {key: _placebo_value(member) for key, member in value.items()}
    if isinstance(value, list):
        return [_placebo_value(item) for item in value]
    return value


# ---- fixtures/real-aws normalized JSON --------------------------------------------------------


def _normalized(path: Path) -> tuple[list[Call], JsonDict, str]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or "interactions" not in data:
        raise TraceFormatError(f"{path}: not a real-AWS trace (no 'interactions')")
    calls = []
    for interaction in data["interactions"]:
        response = interaction["response"]
        request_id = response.get("headers", {}).get("x-amzn-requestid")
        reply = response_of(response["status"], response.get("body"), request_id)
        sent = _amz_seconds(interaction["amzDate"])
        calls.append(Call(interaction["operation"], interaction["request"], reply, sent))
    origin = {"kind": "real-aws", "file": path.name, **data.get("source", {})}
    return calls, origin, "us-east-1"
