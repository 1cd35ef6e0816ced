"""mock_swf as moto users write it: ``@mock_swf`` with or without parentheses, and settings."""

from __future__ import annotations

import inspect
from datetime import datetime, timezone
from pathlib import Path

import boto3
import pytest

import swfsim
from swfsim import Options, Simulator


def _client() -> object:
    return boto3.client(
        "swf", region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s"
    )


def _register(client: object, name: str = "d") -> None:
    client.register_domain(name=name, workflowExecutionRetentionPeriodInDays="1")  # type: ignore[attr-defined]


def _domains(client: object) -> list[str]:
    infos = client.list_domains(registrationStatus="REGISTERED")["domainInfos"]  # type: ignore[attr-defined]
    return [info["name"] for info in infos]


@swfsim.mock_swf
def test_bare_decorator_routes_clients_and_keeps_pytest_fixtures(tmp_path: Path) -> None:
    assert tmp_path.is_dir()  # pytest saw the signature and passed its fixture
    client = _client()
    _register(client)
    assert list(swfsim.mock_swf.current().engine.registry.domains) == ["d"]


@swfsim.mock_swf()
def test_called_decorator_routes_clients_and_keeps_pytest_fixtures(tmp_path: Path) -> None:
    assert tmp_path.is_dir()
    _register(_client())
    assert list(swfsim.mock_swf.current().engine.registry.domains) == ["d"]


def test_both_decorator_forms_give_each_call_a_fresh_simulator() -> None:
    seen: list[tuple[list[str], Simulator]] = []

    def register_and_list(name: str) -> None:
        client = _client()
        seen.append((_domains(client), swfsim.mock_swf.current()))
        _register(client, name)

    for decorated in (swfsim.mock_swf(register_and_list), swfsim.mock_swf()(register_and_list)):
        decorated("first")
        decorated(name="second")
    assert [domains for domains, _ in seen] == [[], [], [], []]
    assert len({id(sim) for _, sim in seen}) == 4
    assert inspect.signature(decorated) == inspect.signature(register_and_list)
    assert decorated.__name__ == "register_and_list"


def test_the_decorated_function_returns_its_value_and_raises_its_errors() -> None:
    @swfsim.mock_swf
    def domains_after_registering(name: str) -> list[str]:
        client = _client()
        _register(client, name)
        return _domains(client)

    @swfsim.mock_swf
    def refused() -> None:
        _client().describe_domain(name="missing")  # type: ignore[attr-defined]

    assert domains_after_registering("shop") == ["shop"]
    with pytest.raises(Exception, match="Unknown domain: missing"):
        refused()


def test_current_is_the_innermost_active_simulator_and_refused_outside() -> None:
    with pytest.raises(RuntimeError, match="no mock_swf is active"):
        swfsim.mock_swf.current()
    with swfsim.mock_swf() as outer:
        _register(_client())
        assert swfsim.mock_swf.current() is outer
        with swfsim.mock_swf() as inner:
            assert swfsim.mock_swf.current() is inner
        assert swfsim.mock_swf.current() is outer
    assert list(outer.engine.registry.domains) == ["d"]
    with pytest.raises(RuntimeError, match="no mock_swf is active"):
        swfsim.mock_swf.current()


def test_a_given_simulator_is_kept_by_the_decorator() -> None:
    sim = Simulator(seed=3)

    @swfsim.mock_swf(sim)
    def register(name: str) -> Simulator:
        _register(_client(), name)
        return swfsim.mock_swf.current()

    assert register("a") is sim
    assert register("b") is sim
    assert sorted(sim.engine.registry.domains) == ["a", "b"]


def _run_id(seed: int) -> str:
    with swfsim.mock_swf(seed=seed):
        client = _client()
        _register(client)
        client.register_workflow_type(  # type: ignore[attr-defined]
            domain="d", name="w", version="1", defaultTaskList={"name": "l"},
            defaultExecutionStartToCloseTimeout="60", defaultTaskStartToCloseTimeout="10",
            defaultChildPolicy="TERMINATE",
        )  # fmt: skip
        started = client.start_workflow_execution(  # type: ignore[attr-defined]
            domain="d", workflowId="w-1", workflowType={"name": "w", "version": "1"}
        )
        run_id: str = started["runId"]
        return run_id


def test_settings_make_the_simulator() -> None:
    assert _run_id(7) == _run_id(7) != _run_id(8)
    start = datetime(2031, 2, 3, tzinfo=timezone.utc)
    options = Options(poll_timeout_seconds=5)
    with swfsim.mock_swf(start=start, options=options, region="eu-west-1") as sim:
        assert sim.clock.now() == start
        assert sim.options is options
        assert sim.region == "eu-west-1"
        client = boto3.client("swf")  # no region: the Simulator's
        _register(client)
        assert client.meta.region_name == "eu-west-1"
        assert list(sim.engine.registry.domains) == ["d"]
    with swfsim.mock_swf(clock_mode="manual") as manual:
        assert manual.clock_mode == "manual"


def test_settings_apply_to_each_decorated_call() -> None:
    @swfsim.mock_swf(seed=4, start=datetime(2032, 1, 1, tzinfo=timezone.utc))
    def simulator() -> Simulator:
        return swfsim.mock_swf.current()

    first, second = simulator(), simulator()
    assert first is not second
    assert first.seed == second.seed == 4
    assert first.clock.now() == second.clock.now() == datetime(2032, 1, 1, tzinfo=timezone.utc)


def test_a_simulator_and_settings_together_are_refused() -> None:
    with pytest.raises(TypeError, match=r"a Simulator and settings for a new one \(seed, region\)"):
        swfsim.mock_swf(Simulator(), seed=1, region="us-west-2")


def test_anything_else_than_a_simulator_or_a_function_is_refused() -> None:
    with pytest.raises(TypeError, match="takes a Simulator or decorates a function"):
        swfsim.mock_swf("us-east-1")  # type: ignore[call-overload]
