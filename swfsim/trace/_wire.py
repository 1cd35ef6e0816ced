"""Between botocore's parsed answers and the wire JSON a trace holds."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, cast

from botocore.awsrequest import AWSResponse
from botocore.model import OperationModel
from botocore.parsers import create_parser
from botocore.serialize import create_serializer

from swfsim.trace._format import JsonDict, Response

CONTENT_TYPE = "application/x-amz-json-1.0"


def request_body(params: JsonDict, model: OperationModel) -> JsonDict:
    """The JSON body botocore sends for ``params`` (timestamps as epoch seconds)."""
    serializer = create_serializer("json", include_validation=False)
    body = serializer.serialize_to_request(params, model)["body"]
    loaded: JsonDict = json.loads(body or b"{}")
    return loaded


def wire_value(value: Any) -> Any:
    """A parsed value back in wire form: datetimes as epoch seconds."""
    if isinstance(value, datetime):
        return value.timestamp()
    if isinstance(value, dict):
        return {key: wire_value(member) for key, member in value.items()}
    if isinstance(value, list):
        return [wire_value(item) for item in value]
    return value


def response_of(http: AWSResponse, parsed: JsonDict) -> Response:
    """What a trace records of an answer: the raw body when botocore kept it (an HTTP answer),
    else the parsed one turned back into wire form (``mock_swf`` answers without bytes)."""
    metadata = parsed.get("ResponseMetadata", {})
    request_id = metadata.get("RequestId") or http.headers.get("x-amzn-requestid")
    raw = _raw_body(http)
    if http.status_code >= 300:
        wire = raw or {}
        error = parsed.get("Error", {})
        code = error.get("Code") or str(wire.get("__type", "")).rpartition("#")[2] or "Unknown"
        message = error.get("Message", wire.get("message"))
        return Response(http.status_code, None, code, message, wire.get("__type"), request_id)
    if raw is None:
        raw = {k: wire_value(v) for k, v in parsed.items() if k != "ResponseMetadata"}
    return Response(http.status_code, raw or None, request_id=request_id)


def _raw_body(http: AWSResponse) -> JsonDict | None:
    if http.raw is None:
        return None
    content = http.content
    if not content:
        return None
    loaded: JsonDict = json.loads(content)
    return loaded


def parsed_answer(
    response: Response, model: OperationModel, date: str
) -> tuple[AWSResponse, JsonDict]:
    """What botocore would have produced from a recorded answer."""
    body = response.wire_body()
    text = json.dumps(body).encode() if body or not response.ok else b""
    headers = {
        "x-amzn-requestid": response.request_id or "",
        "content-type": CONTENT_TYPE,
        "content-length": str(len(text)),
        "date": date,
    }
    raw: JsonDict = {"status_code": response.status, "headers": headers, "body": text}
    parser = create_parser("json")
    parsed: JsonDict = parser.parse(raw, cast(Any, model.output_shape))
    if not response.ok and response.error_code is not None:
        error_shape = model.service_model.shape_for_error_code(cast(Any, response.error_code))
        if error_shape is not None:
            parsed.update(parser.parse(raw, error_shape))
    http = AWSResponse("https://swf.swfsim.invalid/", response.status, cast(Any, headers), None)
    return http, parsed
