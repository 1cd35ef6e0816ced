"""The SigV4 credential scope of a request, as swfsim serve reads it."""

from __future__ import annotations

import pytest

from swfsim.transport.credential import Credential, credential

SIGNED = (
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/eu-west-1/swf/aws4_request, "
    "SignedHeaders=host;x-amz-date, Signature=abc"
)


def test_the_authorization_header_names_key_region_and_service() -> None:
    assert credential({"HTTP_AUTHORIZATION": SIGNED}) == Credential(
        "AKIDEXAMPLE", "eu-west-1", "swf"
    )


def test_a_presigned_url_names_them_in_its_query() -> None:
    query = (
        "X-Amz-Algorithm=AWS4-HMAC-SHA256"
        "&X-Amz-Credential=k%2F20260101%2Fus-east-1%2FS3%2Faws4_request"
    )
    assert credential({"QUERY_STRING": query}) == Credential("k", "us-east-1", "s3")


def test_a_sigv4a_scope_names_no_region() -> None:
    header = "AWS4-ECDSA-P256-SHA256 Credential=k/20260101/s3/aws4_request, Signature=x"
    assert credential({"HTTP_AUTHORIZATION": header}) == Credential("k", "", "s3")


@pytest.mark.parametrize(
    "environ",
    [
        {},
        {"HTTP_AUTHORIZATION": "AWS AKID:signature"},  # SigV2: no scope
        {"HTTP_AUTHORIZATION": "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=x"},
        {"HTTP_AUTHORIZATION": "AWS4-HMAC-SHA256 Credential=k/20260101/us-east-1/swf"},
        {"QUERY_STRING": "X-Amz-Credential=garbage"},
    ],
)
def test_no_scope_without_a_sigv4_credential(environ: dict[str, str]) -> None:
    assert credential(environ) is None
