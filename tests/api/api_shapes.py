"""Checking a parsed boto3 response against its operation's output shape in botocore's model.

botocore's ``ParamValidator`` (built for *input*) catches unknown members, missing required
members, wrong types and too-short strings; it ignores maximum lengths, enums and numeric ranges.
``assert_matches_output_shape`` runs it and then swfsim's own walk of the shape
(``swfsim.output_shapes``, which also checks recorded traces) for the rest, so a response passes
only if AWS's own model could have produced it.
"""

from __future__ import annotations

from typing import Any

from botocore.validate import ParamValidator

from swfsim.output_shapes import EMPTY_POLLS, output_problems


def assert_matches_output_shape(client: Any, operation_name: str, response: dict[str, Any]) -> None:
    """Assert that ``response`` (a parsed boto3 response) fits ``operation_name``'s output shape."""
    operation = client.meta.service_model.operation_model(operation_name)
    body = {key: value for key, value in response.items() if key != "ResponseMetadata"}
    shape = operation.output_shape
    problems: list[str] = []
    fits_validator = shape is not None and not (
        operation_name in EMPTY_POLLS and "taskToken" not in body
    )
    if fits_validator:
        report = ParamValidator().validate(body, shape)
        if report.has_errors():
            problems.append(report.generate_report())
    problems += output_problems(operation_name, body)
    assert not problems, f"{operation_name} response breaks its output shape:\n" + "\n".join(
        problems
    )
