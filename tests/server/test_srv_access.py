"""Nothing but its own clients: cross-site requests, foreign Hosts, other services, S3's CORS."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from srv_helpers import SIGNED, admin_ok, client, request, swf, swf_ok

from swfsim.cli import main
from swfsim.server import Server
from swfsim.simulator import Simulator
from swfsim.transport.guard import exposure_warning

LIST = {"registrationStatus": "REGISTERED"}
EVIL = "https://evil.example"
FORM_TYPES = ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]


def domains(url: str) -> list[str]:
    return [d["name"] for d in swf_ok(url, "ListDomains", LIST)["domainInfos"]]


@pytest.mark.parametrize("content_type", FORM_TYPES)
def test_a_cross_site_form_post_cannot_reset_or_restore(server: Server, content_type: str) -> None:
    url = server.url
    empty = json.dumps(admin_ok(url, "GET", "snapshot"))
    swf_ok(url, "RegisterDomain", {"name": "kept", "workflowExecutionRetentionPeriodInDays": "1"})
    admin_ok(url, "POST", "clock/advance", {"seconds": 60})
    before = admin_ok(url, "GET", "snapshot")
    # What a web page's <form method=post enctype=...> can send to any address, unasked.
    page = {"Content-Type": content_type, "Origin": EVIL, "Referer": f"{EVIL}/"}
    for route, body in [
        ("reset", ""),
        ("restore", empty),
        ("clock/advance", '{"seconds": 600}'),
        ("clock/mode", '{"mode": "manual"}'),
    ]:
        reply = request(url, "POST", f"/_swfsim/{route}", body, page)
        assert reply.status == 415, (route, reply.body)
        assert "Content-Type: application/json" in reply.json()["error"]
        assert reply.header("Access-Control-Allow-Origin") is None
    assert admin_ok(url, "GET", "snapshot") == before
    assert domains(url) == ["kept"]


def test_the_admin_api_answers_no_preflight(server: Server) -> None:
    for route in ["reset", "restore", "clock/advance", "snapshot"]:
        reply = request(
            server.url,
            "OPTIONS",
            f"/_swfsim/{route}",
            headers={
                "Origin": EVIL,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type",
            },
        )
        assert reply.status >= 400, route
        assert not [name for name in reply.headers if name.lower().startswith("access-control")]


def test_an_swf_preflight_gets_no_allow_origin(server: Server) -> None:
    reply = request(
        server.url,
        "OPTIONS",
        "/",
        headers={
            "Origin": EVIL,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "x-amz-target,content-type",
        },
    )
    assert reply.header("Access-Control-Allow-Origin") is None


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8765", "localhost.evil.example"])
def test_a_foreign_host_is_refused_on_every_route(server: Server, host: str) -> None:
    url = server.url
    target = {"X-Amz-Target": "SimpleWorkflowService.ListDomains"}
    swf_reply = request(
        url,
        body=json.dumps(LIST),
        headers={"Host": host, **target, "Content-Type": "application/x-amz-json-1.0"},
    )
    assert swf_reply.status == 403
    assert swf_reply.json()["__type"].endswith("#AccessDeniedException")
    assert "DNS rebinding" in swf_reply.json()["message"]

    s3_reply = request(url, "GET", "/", headers={"Host": host})
    assert s3_reply.status == 403
    assert b"<Code>AccessDenied</Code>" in s3_reply.body
    assert b"<ListAllMyBucketsResult" not in s3_reply.body

    for method, route in [("GET", "snapshot"), ("GET", "clock"), ("POST", "reset")]:
        reply = request(
            url,
            method,
            f"/_swfsim/{route}",
            headers={"Host": host, "Content-Type": "application/json"},
        )
        assert reply.status == 403, route
        assert "DNS rebinding" in reply.json()["error"]
        assert "journal" not in reply.json()


@pytest.mark.parametrize(
    "host",
    ["localhost", "LOCALHOST:1234", "127.0.0.1", "127.1.2.3:80", "[::1]:8765", "b.localhost"],
)
def test_loopback_hosts_are_answered(server: Server, host: str) -> None:
    reply = request(
        server.url,
        body=json.dumps(LIST),
        headers={
            "Host": host,
            "X-Amz-Target": "SimpleWorkflowService.ListDomains",
            "Content-Type": "application/x-amz-json-1.0",
            **SIGNED,
        },
    )
    assert reply.status == 200
    assert request(server.url, "GET", "/_swfsim/health", headers={"Host": host}).status == 200


def test_boto3_at_localhost_reaches_swf_and_s3(server: Server) -> None:
    url = server.url.replace("127.0.0.1", "localhost")
    client(url).register_domain(name="named", workflowExecutionRetentionPeriodInDays="1")
    s3 = client(url, "s3")
    s3.create_bucket(Bucket="steps")
    s3.put_object(Bucket="steps", Key="k", Body=b"v")
    assert s3.get_object(Bucket="steps", Key="k")["Body"].read() == b"v"
    assert domains(server.url) == ["named"]


def test_an_allowed_host_name_is_answered() -> None:
    running = Server(Simulator, allowed_hosts=["Host.Docker.Internal"]).start()
    try:
        allowed = request(
            running.url, "GET", "/_swfsim/health", headers={"Host": "host.docker.internal:1"}
        )
        other = request(running.url, "GET", "/_swfsim/health", headers={"Host": "evil.example"})
    finally:
        running.stop()
    assert allowed.status == 200
    assert other.status == 403


def test_moto_api_is_not_served(server: Server) -> None:
    for path in ["/moto-api/", "/moto-api/data.json", "/moto-api/reset"]:
        for method in ["GET", "POST"]:
            reply = request(server.url, method, path)
            assert reply.status == 404, (method, path)
            assert "moto" in reply.json()["error"]


def aws_client(url: str, service: str) -> Any:
    return boto3.client(
        service,
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"max_attempts": 1}),
    )


@pytest.mark.parametrize(
    ("service", "call"),
    [
        ("sts", lambda c: c.get_caller_identity()),
        ("iam", lambda c: c.list_users()),
        ("sqs", lambda c: c.list_queues()),
        ("dynamodb", lambda c: c.list_tables()),
    ],
)
def test_other_services_are_not_served(server: Server, service: str, call: Any) -> None:
    with pytest.raises(ClientError) as refused:
        call(aws_client(server.url, service))
    error = refused.value.response["Error"]
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert error["Code"] == "InvalidSignatureException"
    assert "answers SWF and S3 only" in error["Message"]


def test_a_presigned_url_for_another_service_is_refused(server: Server) -> None:
    query = (
        "Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256"
        "&X-Amz-Credential=testing%2F20260101%2Fus-east-1%2Fsts%2Faws4_request"
    )
    reply = request(server.url, "GET", f"/?{query}")
    assert reply.status == 403
    assert b"answers SWF and S3 only" in reply.body


def cors_headers(reply: Any) -> dict[str, str]:
    return {k: v for k, v in reply.headers.items() if k.lower().startswith("access-control")}


def test_s3_answers_cors_only_as_the_bucket_configuration_allows(server: Server) -> None:
    s3 = client(server.url, "s3")
    s3.create_bucket(Bucket="open")
    s3.create_bucket(Bucket="closed")
    s3.put_bucket_cors(
        Bucket="open",
        CORSConfiguration={
            "CORSRules": [
                {
                    "AllowedOrigins": ["https://app.example"],
                    "AllowedMethods": ["GET"],
                    "AllowedHeaders": ["x-amz-*"],
                }
            ]
        },
    )
    for bucket in ["open", "closed"]:
        # Public, as an object a web page reads unsigned must be (moto checks that too).
        s3.put_object(Bucket=bucket, Key="k", Body=b"public", ACL="public-read")

    def get(path: str, origin: str) -> Any:
        return request(server.url, "GET", path, headers={"Origin": origin})

    allowed = get("/open/k", "https://app.example")
    assert allowed.body == b"public"
    assert allowed.header("Access-Control-Allow-Origin") == "https://app.example"
    # moto would match a configured origin as a prefix; S3 matches it whole.
    for path, origin in [
        ("/open/k", EVIL),
        ("/open/k", "https://app.example.evil.example"),
        ("/closed/k", "https://app.example"),
        ("/", "https://app.example"),
    ]:
        assert cors_headers(get(path, origin)) == {}, (path, origin)
    assert cors_headers(request(server.url, "GET", "/open/k")) == {}

    def preflight(path: str, origin: str, method: str, headers: str = "") -> Any:
        asked = {"Origin": origin, "Access-Control-Request-Method": method}
        if headers:
            asked["Access-Control-Request-Headers"] = headers
        return request(server.url, "OPTIONS", path, headers=asked)

    assert (
        preflight("/open/k", "https://app.example", "GET", "x-amz-date").header(
            "Access-Control-Allow-Origin"
        )
        == "https://app.example"
    )
    for path, origin, method, headers in [
        ("/open/k", EVIL, "GET", ""),
        ("/open/k", "https://app.example", "PUT", ""),
        ("/open/k", "https://app.example", "GET", "authorization"),
        ("/closed/k", "https://app.example", "GET", ""),
    ]:
        reply = preflight(path, origin, method, headers)
        assert reply.header("Access-Control-Allow-Origin") is None, (path, origin, method)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.5", "10.0.0.1", "myhost.lan"])
def test_a_non_loopback_address_gets_a_warning(host: str) -> None:
    warning = exposure_warning(host)
    assert warning is not None
    assert host in warning
    assert "anyone" in warning


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "localhost", "::1"])
def test_a_loopback_address_gets_no_warning(host: str) -> None:
    assert exposure_warning(host) is None


def test_serving_on_every_address_warns_on_stderr_and_answers_loopback(
    capsys: pytest.CaptureFixture[str],
) -> None:
    running = Server(Simulator, host="0.0.0.0").start()
    try:
        url = f"http://127.0.0.1:{running.url.rpartition(':')[2]}"
        assert swf(url, "ListDomains", LIST).status == 200
        # Bound to every address, a client may name any of them; a DNS name stays refused.
        by_address = request(url, "GET", "/_swfsim/health", headers={"Host": "192.168.1.5:1"})
        by_name = request(url, "GET", "/_swfsim/health", headers={"Host": "evil.example"})
    finally:
        running.stop()
    assert "WARNING: serving on 0.0.0.0" in capsys.readouterr().err
    assert by_address.status == 200
    assert by_name.status == 403


def test_swfsim_serve_warns_when_told_to_serve_the_network(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Start, announce and stop at once instead of serving until Ctrl-C.
    monkeypatch.setattr(Server, "serve_forever", lambda self: self._server.server_close())
    assert main(["serve", "--host", "0.0.0.0", "--port", "0", "--no-s3"]) == 0
    err = capsys.readouterr().err
    assert "WARNING: serving on 0.0.0.0" in err
    assert "anyone" in err


def form_upload(url: str, bucket: str, key: str, origin: str) -> Any:
    """A browser's form upload to S3 (POST Object), without a policy or signature."""
    body = (
        f'--x\r\nContent-Disposition: form-data; name="key"\r\n\r\n{key}\r\n'
        '--x\r\nContent-Disposition: form-data; name="file"; filename="f"\r\n'
        "Content-Type: text/plain\r\n\r\nplanted\r\n--x--\r\n"
    )
    headers = {"Content-Type": "multipart/form-data; boundary=x", "Origin": origin}
    return request(url, "POST", f"/{bucket}", body, headers)


def test_a_cross_site_form_upload_cannot_plant_an_s3_object(server: Server) -> None:
    s3 = client(server.url, "s3")
    s3.create_bucket(Bucket="steps")
    s3.create_bucket(Bucket="uploads")
    s3.put_bucket_cors(
        Bucket="uploads",
        CORSConfiguration={
            "CORSRules": [{"AllowedOrigins": ["https://app.example"], "AllowedMethods": ["POST"]}]
        },
    )
    refused = form_upload(server.url, "steps", "wf/steps/done", EVIL)
    assert refused.status == 403
    assert b"<Code>AccessDenied</Code>" in refused.body
    assert s3.list_objects_v2(Bucket="steps").get("Contents") is None
    # A bucket whose CORS configuration allows the page's origin takes its uploads.
    assert form_upload(server.url, "uploads", "k", EVIL).status == 403
    assert form_upload(server.url, "uploads", "k", "https://app.example").status in (200, 204)
    assert s3.get_object(Bucket="uploads", Key="k")["Body"].read() == b"planted"


def test_an_ipv6_loopback_server_answers_its_bracketed_url() -> None:
    try:
        running = Server(Simulator, host="::1", with_s3=False).start()
    except SystemExit:  # werkzeug exits when it cannot bind: no IPv6 here
        pytest.skip("no IPv6 loopback")
    try:
        assert running.url.startswith("http://[::1]:")
        assert request(running.url, "GET", "/_swfsim/health").json() == {"ok": True}
    finally:
        running.stop()
