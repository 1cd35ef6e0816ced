"""The trace format: schema, versions, and the loader's messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from swfsim.trace import Call, Header, Response, Trace, load_trace, write_trace
from swfsim.trace._errors import TraceFormatError


def a_trace() -> Trace:
    ok = Call("RegisterDomain", {"name": "d"}, Response(200, None, request_id="r1"), 10.0, 10.5)
    refused = Response(400, None, "UnknownResourceFault", "Unknown domain: x", request_id="r2")
    return Trace(
        Header(region="eu-west-1"), (ok, Call("DescribeDomain", {"name": "x"}, refused, 11.0))
    )


def test_a_trace_written_reads_back_equal(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    write_trace(a_trace(), path)
    loaded = load_trace(path)
    assert loaded.calls == a_trace().calls
    assert loaded.header.region == "eu-west-1"
    header = json.loads(path.read_text().splitlines()[0])
    assert header["swfsimTrace"] == 1
    assert {"swfsim", "botocore", "recorded", "scrubbing"} <= header.keys()


def lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def rewrite(path: Path, docs: list[dict[str, object]]) -> None:
    path.write_text("".join(json.dumps(doc) + "\n" for doc in docs))


def test_a_newer_version_is_refused_with_an_upgrade_hint(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    write_trace(a_trace(), path)
    docs = lines(path)
    docs[0]["swfsimTrace"] = 2
    rewrite(path, docs)
    with pytest.raises(TraceFormatError, match=r"version 2 is newer.*upgrade swfsim"):
        load_trace(path)


@pytest.mark.parametrize("version", ["1", 0, None])
def test_an_unknown_version_is_refused(tmp_path: Path, version: object) -> None:
    path = tmp_path / "t.jsonl"
    write_trace(a_trace(), path)
    docs = lines(path)
    docs[0]["swfsimTrace"] = version
    rewrite(path, docs)
    with pytest.raises(TraceFormatError, match="unknown trace format version"):
        load_trace(path)


def test_a_file_without_header_is_named_not_a_trace(tmp_path: Path) -> None:
    path = tmp_path / "cassette.jsonl"
    path.write_text('{"interactions": []}\n')
    with pytest.raises(TraceFormatError, match=r"not a swfsim trace.*swfsim trace import"):
        load_trace(path)


def test_a_schema_breach_names_the_line_and_member(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    write_trace(a_trace(), path)
    docs = lines(path)
    docs[2]["response"] = {"status": "400"}  # type: ignore[index]
    rewrite(path, docs)
    with pytest.raises(TraceFormatError, match=r"line 3 at \.response"):
        load_trace(path)


def test_a_line_that_is_not_json_is_named(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    write_trace(a_trace(), path)
    path.write_text(path.read_text() + "{oops\n")
    with pytest.raises(TraceFormatError, match="line 4 is not JSON"):
        load_trace(path)
