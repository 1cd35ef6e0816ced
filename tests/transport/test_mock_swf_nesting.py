"""Nested mock_swf blocks: a client is answered by the innermost block active when it was made."""

from __future__ import annotations

import boto3
import botocore.session
from botocore.client import BaseClient

import swfsim
from swfsim import Simulator


def _client(region: str = "us-east-1") -> BaseClient:
    return boto3.client("swf", region_name=region)


def _register(client: BaseClient, name: str) -> None:
    client.register_domain(name=name, workflowExecutionRetentionPeriodInDays="1")  # type: ignore[attr-defined]


def _domains(sim: Simulator) -> list[str]:
    return sorted(sim.engine.registry.domains)


def _swfsim_handlers(client: BaseClient) -> list[str]:
    registered = client.meta.events._emitter._unique_id_handlers  # type: ignore[attr-defined]
    return [key for key in registered if str(key).startswith("swfsim-")]


def test_a_client_made_in_the_inner_block_is_answered_by_the_inner_simulator() -> None:
    with swfsim.mock_swf() as outer, swfsim.mock_swf() as inner:
        _register(_client(), "inner")
        assert swfsim.mock_swf.current() is inner
    assert _domains(inner) == ["inner"]
    assert _domains(outer) == []


def test_a_client_made_in_the_outer_block_stays_with_the_outer_simulator() -> None:
    with swfsim.mock_swf() as outer:
        made_before = _client()
        with swfsim.mock_swf() as inner:
            _register(made_before, "during")
        _register(made_before, "after")
    assert _domains(outer) == ["after", "during"]
    assert _domains(inner) == []


def test_a_client_handed_to_the_inner_block_is_answered_by_it_until_it_ends() -> None:
    with swfsim.mock_swf() as outer:
        made_before = _client()
        with swfsim.mock_swf(clients=[made_before]) as inner:
            _register(made_before, "during")
        _register(made_before, "after")
    assert _domains(inner) == ["during"]
    assert _domains(outer) == ["after"]


def test_after_the_inner_block_its_clients_are_unpatched_and_new_ones_reach_the_outer() -> None:
    original = botocore.session.Session.create_client
    with swfsim.mock_swf() as outer:
        wrapped = botocore.session.Session.create_client
        with swfsim.mock_swf():
            made_inside = _client()
        assert _swfsim_handlers(made_inside) == []  # as after a single block: it would go to AWS
        assert botocore.session.Session.create_client is wrapped
        assert swfsim.mock_swf.current() is outer
        _register(_client(), "after")
    assert _domains(outer) == ["after"]
    assert botocore.session.Session.create_client is original


def test_a_decorated_function_called_inside_a_block_answers_from_its_own_simulator() -> None:
    @swfsim.mock_swf
    def register() -> Simulator:
        _register(_client(), "decorated")
        return swfsim.mock_swf.current()

    with swfsim.mock_swf() as outer:
        inner = register()
    assert inner is not outer
    assert _domains(inner) == ["decorated"]
    assert _domains(outer) == []


def test_a_client_of_another_region_made_in_the_inner_block_reaches_the_inner_world() -> None:
    outer, inner = swfsim.mock_swf(), swfsim.mock_swf()
    with outer, inner:
        _register(_client("us-west-1"), "west")
        assert swfsim.mock_swf.current("us-west-1") is inner.simulator_for("us-west-1")
    assert _domains(inner.simulators["us-west-1"]) == ["west"]
    assert "us-west-1" not in outer.simulators


def test_blocks_stopped_in_the_order_they_started_leave_nothing_patched() -> None:
    # As a setUp that starts a mock and a recording, and a tearDown that stops them in that order.
    original = botocore.session.Session.create_client
    first, second = swfsim.mock_swf(), swfsim.mock_swf()
    first.start()
    second.start()
    first.stop()
    _register(_client(), "second")  # the inner block still answers clients made now
    assert swfsim.mock_swf.current() is second.simulator
    second.stop()
    assert botocore.session.Session.create_client is original
    with swfsim.mock_swf() as later:
        _register(_client(), "later")
    assert _domains(later) == ["later"]
    assert _domains(first.simulator) == []
