"""mock_swf routes SWF clients to a Simulator and leaves nothing patched behind."""

from __future__ import annotations

import boto3
import botocore.session
import pytest
from botocore.exceptions import ClientError

import swfsim
from swfsim.operations import HANDLERS


def _register(client: object, name: str = "d") -> None:
    client.register_domain(name=name, workflowExecutionRetentionPeriodInDays="1")  # type: ignore[attr-defined]


def _domains(client: object) -> list[str]:
    infos = client.list_domains(registrationStatus="REGISTERED")["domainInfos"]  # type: ignore[attr-defined]
    return [info["name"] for info in infos]


def test_clients_created_inside_answer_from_the_yielded_simulator() -> None:
    with swfsim.mock_swf() as sim:
        _register(boto3.client("swf"))
        _register(boto3.session.Session().client("swf"), "other")
        assert sorted(sim.engine.registry.domains) == ["d", "other"]


def test_a_given_simulator_is_used_and_keeps_its_state_across_blocks() -> None:
    sim = swfsim.Simulator(seed=5)
    with swfsim.mock_swf(sim) as yielded:
        assert yielded is sim
        _register(boto3.client("swf"))
    with swfsim.mock_swf(sim):
        assert _domains(boto3.client("swf")) == ["d"]


def test_nothing_stays_patched_after_exit() -> None:
    original = botocore.session.Session.create_client
    with swfsim.mock_swf():
        inside = boto3.client("swf")
        assert botocore.session.Session.create_client is not original
    assert botocore.session.Session.create_client is original
    # The client's own emitter no longer holds swfsim's handler: it would now go to AWS.
    registered = inside.meta.events._emitter._unique_id_handlers
    assert not any(str(key).startswith("swfsim-") for key in registered)


def test_existing_clients_can_be_handed_in() -> None:
    client = boto3.client(
        "swf", region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s"
    )
    with swfsim.mock_swf(clients=[client]) as sim:
        _register(client)
    assert "d" in sim.engine.registry.domains


def test_only_swf_clients_can_be_attached() -> None:
    s3 = boto3.client(
        "s3", region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s"
    )
    original = botocore.session.Session.create_client
    with pytest.raises(ValueError, match="SWF clients only"), swfsim.mock_swf(clients=[s3]):
        pass
    assert botocore.session.Session.create_client is original


def test_decorator_gives_each_call_a_fresh_simulator() -> None:
    mock = swfsim.mock_swf()
    seen: list[list[str]] = []

    @mock
    def register_and_list() -> None:
        client = boto3.client("swf")
        seen.append(_domains(client))
        _register(client)

    register_and_list()
    register_and_list()
    assert seen == [[], []]


def test_a_bug_in_swfsim_reaches_boto3_as_internal_failure_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(engine: object, params: object) -> None:
        raise KeyError("oops")

    monkeypatch.setitem(HANDLERS, "ListDomains", broken)
    with swfsim.mock_swf(), pytest.raises(ClientError) as caught:
        boto3.client("swf").list_domains(registrationStatus="REGISTERED")
    assert caught.value.response["Error"]["Code"] == "InternalFailure"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500


def test_faults_arrive_as_modeled_exceptions_with_the_message() -> None:
    with swfsim.mock_swf():
        client = boto3.client("swf")
        with pytest.raises(client.exceptions.UnknownResourceFault) as caught:
            client.describe_domain(name="missing")
    error = caught.value.response
    assert error["Error"] == {"Code": "UnknownResourceFault", "Message": "Unknown domain: missing"}
    assert error["message"] == "Unknown domain: missing"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_response_metadata_looks_like_aws() -> None:
    with swfsim.mock_swf():
        metadata = boto3.client("swf").list_domains(registrationStatus="REGISTERED")[
            "ResponseMetadata"
        ]
    assert metadata["HTTPStatusCode"] == 200
    assert metadata["RetryAttempts"] == 0
    assert len(metadata["RequestId"]) == 36
    assert metadata["HTTPHeaders"]["x-amzn-requestid"] == metadata["RequestId"]
    assert metadata["HTTPHeaders"]["date"] == "Thu, 01 Jan 2026 00:00:00 GMT"


def test_a_request_over_one_mebibyte_is_refused() -> None:
    with swfsim.mock_swf():
        client = boto3.client("swf")
        _register(client)
        tags = [{"key": f"k{i}", "value": "v" * 256} for i in range(4000)]  # about 1.1 MB
        with pytest.raises(ClientError) as caught:
            client.register_domain(
                name="big", workflowExecutionRetentionPeriodInDays="1", tags=tags
            )
    assert caught.value.response["Error"]["Code"] == "ValidationException"
    assert "SWF accepts at most 1048576" in caught.value.response["Error"]["Message"]
