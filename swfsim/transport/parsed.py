"""Turning wire-shaped responses into exactly what botocore's parser would hand to boto3.

botocore's JSON parser copies every structure and list of a response and turns timestamps into
datetimes; nothing else changes. Each output shape is compiled once into a converter that does
just that, so an in-process call costs no serialization round trip. A test checks the result
against botocore's own parser over a corpus of responses.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from botocore.model import ListShape, Shape, StructureShape
from botocore.utils import parse_timestamp

from swfsim import spec

Convert = Callable[[Any], Any]
TimestampParser = Callable[[Any], Any]


@functools.cache
def converter(shape_name: str, timestamp_parser: TimestampParser = parse_timestamp) -> Convert:
    """The converter of a named output shape (compiled once per shape and timestamp parser)."""
    # Events of one answer often share a timestamp, and datetimes are immutable: parse each
    # value once (botocore's parser builds a tzlocal per call, the costliest step of a poll).
    return _structure(
        spec.structure(shape_name), functools.lru_cache(maxsize=4096)(timestamp_parser)
    )


def _compile(shape: Shape, parse_ts: TimestampParser) -> Convert | None:
    """A converter for ``shape``, or None where the value passes through unchanged."""
    if isinstance(shape, StructureShape):
        return _structure(shape, parse_ts)
    if isinstance(shape, ListShape):
        inner = _compile(shape.member, parse_ts)
        if inner is None:
            return list
        return lambda values: [inner(value) for value in values]
    if shape.type_name == "timestamp":
        return parse_ts
    return None


def _structure(shape: StructureShape, parse_ts: TimestampParser) -> Convert:
    nested = {
        name: convert
        for name, member in shape.members.items()
        if (convert := _compile(member, parse_ts)) is not None
    }
    if not nested:
        return dict

    def convert_structure(value: dict[str, Any]) -> dict[str, Any]:
        copied = dict(value)
        for name, member_convert in nested.items():
            if name in copied:
                copied[name] = member_convert(copied[name])
        return copied

    return convert_structure
