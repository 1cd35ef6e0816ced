"""In process, each region is its own world, as on AWS, and ARNs carry the client's region."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import boto3
import pytest

import swfsim
from swfsim import Options, Simulator


def _client(region: str) -> Any:
    return boto3.client("swf", region_name=region)


def _register(client: Any, name: str) -> None:
    client.register_domain(name=name, workflowExecutionRetentionPeriodInDays="1")


def _domains(client: Any) -> list[str]:
    infos = client.list_domains(registrationStatus="REGISTERED")["domainInfos"]
    return [info["name"] for info in infos]


def test_arns_carry_the_region_of_the_client() -> None:
    with swfsim.mock_swf():
        west = _client("us-west-1")
        _register(west, "d")
        described = west.describe_domain(name="d")["domainInfo"]
        listed = west.list_domains(registrationStatus="REGISTERED")["domainInfos"]
    assert described["arn"] == "arn:aws:swf:us-west-1:123456789012:/domain/d"
    assert [info["arn"] for info in listed] == [described["arn"]]


def test_a_domain_registered_in_one_region_is_unknown_in_another() -> None:
    mock = swfsim.mock_swf()
    with mock as sim:
        west, east = _client("us-west-1"), _client("us-east-1")
        _register(west, "west-only")
        _register(east, "east-only")
        assert _domains(west) == ["west-only"]
        assert _domains(east) == ["east-only"]
        with pytest.raises(east.exceptions.UnknownResourceFault):
            east.describe_domain(name="west-only")
        _register(east, "west-only")  # no DomainAlreadyExistsFault: another world
    assert sorted(sim.engine.registry.domains) == ["east-only", "west-only"]
    assert mock.simulator_for("us-east-1") is sim
    assert list(mock.simulator_for("us-west-1").engine.registry.domains) == ["west-only"]
    assert sorted(mock.simulators) == ["us-east-1", "us-west-1"]


def test_clients_created_without_a_region_get_the_simulators_whatever_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-south-1")
    with swfsim.mock_swf(region="eu-west-1") as sim:
        client = boto3.client("swf")
        _register(client, "d")
        in_session = boto3.session.Session(region_name="us-west-2").client("swf")
        _register(in_session, "s")
    assert client.meta.region_name == "eu-west-1"
    assert list(sim.engine.registry.domains) == ["d"]
    assert in_session.meta.region_name == "us-west-2"  # a region given in code is kept


def test_a_given_simulator_answers_its_own_region() -> None:
    sim = Simulator(region="eu-central-1")
    mock = swfsim.mock_swf(sim)
    with mock:
        _register(_client("eu-central-1"), "explicit")
        _register(boto3.client("swf"), "implicit")
        _register(_client("us-east-1"), "elsewhere")
    assert sorted(sim.engine.registry.domains) == ["explicit", "implicit"]
    assert list(mock.simulator_for("us-east-1").engine.registry.domains) == ["elsewhere"]


def test_other_regions_share_the_settings_but_not_the_clock() -> None:
    options = Options(poll_timeout_seconds=20)
    start = datetime(2030, 3, 1, tzinfo=timezone.utc)
    mock = swfsim.mock_swf(seed=9, start=start, options=options, clock_mode="manual")
    with mock as sim:
        west = mock.simulator_for("us-west-1")
        sim.clock.advance(timedelta(hours=1))
    assert (west.seed, west.options, west.clock_mode, west.region) == (
        9,
        options,
        "manual",
        "us-west-1",
    )
    assert west.clock.now() == start
    assert sim.clock.now() == start + timedelta(hours=1)


def test_handed_in_clients_go_to_their_regions() -> None:
    west = boto3.client(
        "swf", region_name="us-west-1", aws_access_key_id="k", aws_secret_access_key="s"
    )
    mock = swfsim.mock_swf(clients=[west])
    with mock as sim:
        _register(west, "d")
    assert sim.engine.registry.domains == {}
    assert list(mock.simulators["us-west-1"].engine.registry.domains) == ["d"]


def test_current_reaches_any_region_and_each_decorated_call_gets_new_worlds() -> None:
    @swfsim.mock_swf
    def register_in_the_west(name: str) -> list[str]:
        west = _client("us-west-1")
        _register(west, name)
        current = swfsim.mock_swf.current("us-west-1")
        assert current is swfsim.mock_swf.current("us-west-1")
        assert swfsim.mock_swf.current() is not current
        return list(current.engine.registry.domains)

    assert register_in_the_west("a") == ["a"]
    assert register_in_the_west("b") == ["b"]
