"""swfsim serve --record and swfsim proxy: recording what any process sends, on loopback."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.credentials import Credentials
from trace_helpers import ACCESS_KEY, IDENTITY, assert_no_secret, client, session

import swfsim
from swfsim.cli import main
from swfsim.server import Server
from swfsim.simulator import Simulator
from swfsim.trace._checker import check_trace
from swfsim.trace._cli import proxy_server
from swfsim.trace._wsgi import WSGIApp, recorder

PROXY_KEY, PROXY_SECRET = "AKIDPROXYEXAMPLE0001", "proxy-secret-never-in-a-trace-0001"


def serving(middleware: Callable[[WSGIApp], WSGIApp] | None = None) -> Server:
    return Server(Simulator, with_s3=False, middleware=middleware).start()


@pytest.fixture
def recorded_server(tmp_path: Path) -> Iterator[tuple[Server, Path]]:
    path = tmp_path / "served.jsonl"
    holder: list[Server] = []
    server = serving(recorder(path, lambda environ: holder[0].endpoint.addressed(environ)))
    holder.append(server)
    yield server, path
    server.stop()


def test_serve_record_writes_every_call(recorded_server: tuple[Server, Path]) -> None:
    server, path = recorded_server
    seen = session(client(endpoint_url=server.url))
    trace = swfsim.load_trace(path)
    assert len(trace.calls) == 12
    assert trace.calls[-1].response.error_code == "UnknownResourceFault"
    assert_no_secret(path, IDENTITY)
    # The trace replays through the stub, and swfsim answers it as it did.
    with swfsim.replay_trace(path):
        assert session(client()) == seen
    assert check_trace(trace).ok


@pytest.fixture
def upstream() -> Iterator[tuple[Server, list[str]]]:
    signatures: list[str] = []

    def spy(app: WSGIApp) -> WSGIApp:
        def serve(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
            signatures.append(environ.get("HTTP_AUTHORIZATION", ""))
            return app(environ, start_response)

        return serve

    server = serving(spy)
    yield server, signatures
    server.stop()


def test_the_proxy_signs_forwards_and_records(
    upstream: tuple[Server, list[str]], tmp_path: Path
) -> None:
    target, signatures = upstream
    path = tmp_path / "proxied.jsonl"
    credentials = Credentials(PROXY_KEY, PROXY_SECRET)
    proxy = proxy_server(target.url, path, credentials, "eu-west-1", "127.0.0.1", 0)
    thread = threading.Thread(target=proxy.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        seen = session(client(endpoint_url=f"http://127.0.0.1:{proxy.port}"))
    finally:
        proxy.shutdown()
        proxy.server_close()
        thread.join()
    assert seen["status"] == "COMPLETED"
    assert len(signatures) == 12
    assert all(f"Credential={PROXY_KEY}/" in s and "/eu-west-1/swf/" in s for s in signatures)
    assert not any(ACCESS_KEY in s for s in signatures)  # the client's own signing is dropped
    assert len(swfsim.load_trace(path).calls) == 12
    assert_no_secret(path, PROXY_SECRET, PROXY_KEY, IDENTITY)


def test_the_serve_command_records(tmp_path: Path) -> None:
    path = tmp_path / "cli.jsonl"
    command = [sys.executable, "-m", "swfsim.cli", "serve", "--port", "0", "--no-s3"]
    process = subprocess.Popen(
        [*command, "--record", str(path)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()
        url = re.search(r"at (http://\S+) ", banner)
        assert url, banner
        client(endpoint_url=url.group(1)).list_domains(registrationStatus="REGISTERED")
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)
    (call,) = swfsim.load_trace(path).calls
    assert (call.operation, call.response.body) == ("ListDomains", {"domainInfos": []})


def test_the_proxy_refuses_to_start_without_credentials(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # no instance metadata lookup
    record = str(tmp_path / "p.jsonl")
    assert main(["proxy", "--upstream", "http://127.0.0.1:9", "--record", record]) == 2
    assert "no AWS credentials found" in capsys.readouterr().err


def test_record_over_http_keeps_the_wire_bodies(tmp_path: Path) -> None:
    # Over HTTP (as against AWS) the answer's bytes are recorded, not botocore's parse of them.
    server = serving()
    path = tmp_path / "http.jsonl"
    try:
        with swfsim.record(path):
            seen = session(client(endpoint_url=server.url))
    finally:
        server.stop()
    trace = swfsim.load_trace(path)
    assert len(trace.calls) == 12
    described = trace.calls[-2].response.body
    assert described is not None
    assert isinstance(described["executionInfo"]["startTimestamp"], float)
    with swfsim.replay_trace(path):
        assert session(client()) == seen
