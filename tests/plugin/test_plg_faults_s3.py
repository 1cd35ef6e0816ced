"""s3_unavailable and s3_slow: the endpoint's S3 (simpleflow's step storage) misbehaving."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from plg_support import SCENARIOS

ONE_RETRY = Config(retries={"mode": "standard", "total_max_attempts": 2})


def http_status(url: str) -> tuple[int, bytes]:
    """GET ``url`` (S3's ListBuckets at the endpoint's root): the status and the body."""
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read()


@pytest.mark.swf(clock_mode="manual")  # virtual time moves only when something moves it
@pytest.mark.swf_faults(SCENARIOS / "s3-outage.yaml")
def test_s3_outage_over_plain_http(swf_endpoint: Any, swf_clock: Any) -> None:
    first, body = http_status(swf_endpoint.url + "/")
    second, _ = http_status(swf_endpoint.url + "/")
    third, _ = http_status(swf_endpoint.url + "/")
    assert [first, second, third] == [503, 503, 200]  # nth: 1, times: 2
    assert b"<Code>ServiceUnavailable</Code>" in body
    # s3_slow: each of the three requests took 5 virtual seconds.
    assert swf_clock.now().isoformat() == "2026-01-01T00:00:15+00:00"


@pytest.mark.swf_faults({"faults": [{"type": "s3_unavailable"}]})
def test_boto3_s3_fails_after_its_retries(swf_endpoint: Any, swf_client: Any) -> None:
    s3 = boto3.client("s3", config=ONE_RETRY, **swf_endpoint.client_kwargs)
    began = time.monotonic()
    with pytest.raises(ClientError) as raised:
        s3.create_bucket(Bucket="steps")
    assert time.monotonic() - began < 10  # botocore's own backoff, bounded
    answer = raised.value.response
    assert answer["Error"]["Code"] == "ServiceUnavailable"
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 503
    assert answer["ResponseMetadata"]["RetryAttempts"] == 1
    # SWF at the same endpoint is not affected.
    assert swf_client.list_domains(registrationStatus="REGISTERED")["domainInfos"] == []


@pytest.mark.swf_faults({"faults": [{"type": "s3_unavailable", "nth": 1}]})
def test_boto3_s3_absorbs_a_single_503(swf_s3: Any) -> None:
    created = swf_s3.create_bucket(Bucket="steps")
    assert created["ResponseMetadata"]["RetryAttempts"] == 1
    assert [bucket["Name"] for bucket in swf_s3.list_buckets()["Buckets"]] == ["steps"]


@pytest.mark.swf(clock_mode="manual")
@pytest.mark.swf_faults({"faults": [{"type": "s3_slow", "seconds": 120}]})
def test_s3_slow_moves_the_virtual_clock(swf_s3: Any, swf_clock: Any) -> None:
    swf_s3.create_bucket(Bucket="steps")
    swf_s3.put_object(Bucket="steps", Key="wf/steps/a", Body=b"done")
    assert swf_clock.now().isoformat() == "2026-01-01T00:04:00+00:00"  # 2 requests x 120 s
    assert swf_s3.get_object(Bucket="steps", Key="wf/steps/a")["Body"].read() == b"done"
