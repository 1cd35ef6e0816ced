"""Simulator.is_open: whether a workflow id has an open run, without a run id or a fault."""

from __future__ import annotations

import pytest

from swfsim import Simulator

DOMAIN = "d"
FLOW = {"name": "flow", "version": "1"}


@pytest.fixture
def sim() -> Simulator:
    sim = Simulator()
    sim.handle("RegisterDomain", {"name": DOMAIN, "workflowExecutionRetentionPeriodInDays": "1"})
    sim.handle(
        "RegisterWorkflowType",
        {
            "domain": DOMAIN,
            **FLOW,
            "defaultTaskList": {"name": "deciders"},
            "defaultExecutionStartToCloseTimeout": "60",
            "defaultTaskStartToCloseTimeout": "10",
            "defaultChildPolicy": "TERMINATE",
        },
    )
    return sim


def start(sim: Simulator, workflow_id: str) -> str:
    request = {"domain": DOMAIN, "workflowId": workflow_id, "workflowType": FLOW}
    answer = sim.handle("StartWorkflowExecution", request)
    return str(answer["runId"])


def test_a_started_run_is_open_by_workflow_id_and_by_its_run_id(sim: Simulator) -> None:
    run_id = start(sim, "w")
    assert sim.is_open(DOMAIN, "w")
    assert sim.is_open(DOMAIN, "w", run_id)
    assert not sim.is_open(DOMAIN, "w", "another-run-id")


def test_unknown_names_have_no_open_run(sim: Simulator) -> None:
    start(sim, "w")
    assert not sim.is_open(DOMAIN, "other")
    assert not sim.is_open("no-such-domain", "w")


def test_a_closed_run_is_not_open_and_the_next_run_is(sim: Simulator) -> None:
    first = start(sim, "w")
    sim.handle("TerminateWorkflowExecution", {"domain": DOMAIN, "workflowId": "w"})
    assert not sim.is_open(DOMAIN, "w")
    second = start(sim, "w")
    assert sim.is_open(DOMAIN, "w", second)
    assert not sim.is_open(DOMAIN, "w", first)


def test_a_run_that_timed_out_is_not_open(sim: Simulator) -> None:
    start(sim, "w")
    sim.clock.advance(59)
    assert sim.is_open(DOMAIN, "w")
    sim.clock.advance(1)
    assert not sim.is_open(DOMAIN, "w")
