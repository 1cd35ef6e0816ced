"""S3 at the same endpoint as SWF: moto's S3 in the server's process, and simpleflow's steps."""

from __future__ import annotations

import json
from typing import Any

from srv_helpers import admin_ok, client, swf_ok

from swfsim.server import Server
from swfsim.storage import Steps

BUCKET = "steps-bucket"


def keys(s3: Any, bucket: str) -> list[str]:
    listed = s3.list_objects_v2(Bucket=bucket)
    return [item["Key"] for item in listed.get("Contents", [])]


def test_s3_and_swf_share_one_endpoint(server: Server) -> None:
    s3 = client(server.url, "s3")
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key="wf/steps/a", Body=b'{"done": true}')
    assert s3.get_object(Bucket=BUCKET, Key="wf/steps/a")["Body"].read() == b'{"done": true}'
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == [BUCKET]

    # SWF answers on the same port meanwhile.
    swf = client(server.url)
    swf.register_domain(name="both", workflowExecutionRetentionPeriodInDays="1")
    assert (
        swf_ok(server.url, "ListDomains", {"registrationStatus": "REGISTERED"})["domainInfos"][0][
            "name"
        ]
        == "both"
    )

    steps = Steps(BUCKET)
    assert steps.done("wf") == ["a"]
    assert steps.done("other") == []

    steps.mark_done("wf", "b")
    steps.mark_done("wf2", "z")
    assert keys(s3, BUCKET) == ["wf/steps/a", "wf/steps/b", "wf2/steps/z"]
    body = json.loads(s3.get_object(Bucket=BUCKET, Key="wf/steps/b")["Body"].read())
    assert body["workflow_id"] == "wf"
    assert steps.done("wf") == ["a", "b"]


def test_mark_done_creates_the_bucket(server: Server) -> None:
    steps = Steps("fresh-bucket")
    assert steps.done("wf") == []
    steps.mark_done("wf", "first")
    s3 = client(server.url, "s3")
    assert keys(s3, "fresh-bucket") == ["wf/steps/first"]


def test_reset_empties_s3(server: Server) -> None:
    s3 = client(server.url, "s3")
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key="wf/steps/a", Body=b"x")
    admin_ok(server.url, "POST", "reset")
    assert s3.list_buckets()["Buckets"] == []
    assert Steps(BUCKET).done("wf") == []
    # S3 goes on working after the reset.
    s3.create_bucket(Bucket=BUCKET)
    assert keys(s3, BUCKET) == []
