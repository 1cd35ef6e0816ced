"""pytest-xdist: each worker process has its own simulators and its own endpoint ports."""

from __future__ import annotations

import json

import pytest

pytest_plugins = ["pytester"]

WORKER_TESTS = """
import json
import os
import urllib.request

import pytest


def list_domains(endpoint):
    # Signed as SigV4 writes it (the endpoint reads the scope: account and region).
    scope = f"swfsim/20260101/{endpoint.region}/swf/aws4_request"
    body = b'{"registrationStatus": "REGISTERED"}'
    request = urllib.request.Request(endpoint.url, data=body, headers={
        "X-Amz-Target": "SimpleWorkflowService.ListDomains",
        "Content-Type": "application/x-amz-json-1.0",
        "Authorization": f"AWS4-HMAC-SHA256 Credential={scope}, SignedHeaders=host, Signature=0",
    })
    with urllib.request.urlopen(request, timeout=10) as answer:
        return [info["name"] for info in json.load(answer)["domainInfos"]]


@pytest.mark.parametrize("n", range(6))
def test_own_simulator_and_port(n, swf, swf_client, swf_endpoint, request):
    assert swf.seed == 9  # the command line reaches the workers
    # Every test registers the same domain: it would exist already in a shared simulator, and
    # its endpoint would show the other tests' domains. The scenario throttles the first call.
    answer = swf_client.register_domain(name="shop", workflowExecutionRetentionPeriodInDays="1")
    assert answer["ResponseMetadata"]["RetryAttempts"] == 1
    assert list_domains(swf_endpoint) == ["shop"]
    record = {"worker": os.environ["PYTEST_XDIST_WORKER"], "pid": os.getpid(),
              "url": swf_endpoint.url}
    (request.config.rootpath / f"record-{n}.json").write_text(json.dumps(record))
"""


def test_two_workers_each_with_its_own_simulators(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(WORKER_TESTS)
    (pytester.path / "scenarios").mkdir()
    (pytester.path / "scenarios" / "throttle.json").write_text(
        '{"faults": [{"type": "api_error", "error": "ThrottlingException", "nth": 1}]}'
    )
    result = pytester.runpytest_subprocess(
        "-p", "xdist", "-n", "2", "-p", "no:cacheprovider",
        "--swf-seed", "9", "--swf-faults", "scenarios/throttle.json",
    )  # fmt: skip
    result.assert_outcomes(passed=6)
    records = [json.loads(path.read_text()) for path in pytester.path.glob("record-*.json")]
    assert len(records) == 6
    workers = {record["worker"]: record["pid"] for record in records}
    assert sorted(workers) == ["gw0", "gw1"]
    assert len(set(workers.values())) == 2  # two processes, each serving its own endpoints
    assert all(record["url"].startswith("http://127.0.0.1:") for record in records)
