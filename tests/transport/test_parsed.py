"""The in-process path hands boto3 exactly what botocore's parser makes of the wire response."""

from __future__ import annotations

import json
from datetime import datetime

from botocore.parsers import create_parser
from scenario import run_scenario

from swfsim import Simulator, spec
from swfsim.transport.parsed import converter


def _tz_names(value: object) -> object:
    """The value with each datetime replaced by (instant, tzinfo class), to compare zones too."""
    if isinstance(value, dict):
        return {k: _tz_names(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_tz_names(v) for v in value]
    if isinstance(value, datetime):
        return (value.timestamp(), type(value.tzinfo).__name__)
    return value


def test_converter_equals_botocore_parser_on_every_scenario_response() -> None:
    parser = create_parser("json")
    checked = 0
    for operation, _, response in run_scenario(Simulator(seed=3)):
        shape = spec.output_shape(operation)
        if shape is None:
            assert response == {}
            continue
        wire = {"status_code": 200, "headers": {}, "body": json.dumps(response).encode()}
        expected = parser.parse(wire, shape)
        expected.pop("ResponseMetadata")
        assert _tz_names(converter(shape.name)(response)) == _tz_names(expected), operation
        checked += 1
    assert checked >= 15


def test_converter_copies_so_callers_cannot_corrupt_the_history() -> None:
    sim = Simulator(seed=1)
    calls = run_scenario(sim)
    history = next(r for op, _, r in calls if op == "GetWorkflowExecutionHistory")
    parsed = converter("History")(history)
    parsed["events"][0]["workflowExecutionStartedEventAttributes"]["input"] = "tampered"
    parsed["events"].clear()
    assert history["events"][0]["workflowExecutionStartedEventAttributes"]["input"] == "{}"
