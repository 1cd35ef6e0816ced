"""Visibility queries through the service core: windows, filters, order, paging, retention."""

from __future__ import annotations

from typing import Any

import pytest

from swfsim import Simulator
from swfsim.errors import ValidationException

DOMAIN = "vis"


@pytest.fixture
def sim() -> Simulator:
    sim = Simulator(seed=2)
    sim.handle("RegisterDomain", {"name": DOMAIN, "workflowExecutionRetentionPeriodInDays": "2"})
    for version in ("1", "2"):
        sim.handle(
            "RegisterWorkflowType",
            {
                "domain": DOMAIN,
                "name": "wf",
                "version": version,
                "defaultTaskList": {"name": "L"},
                "defaultExecutionStartToCloseTimeout": "86400",
                "defaultTaskStartToCloseTimeout": "30",
                "defaultChildPolicy": "TERMINATE",
            },
        )
    return sim


def _start(
    sim: Simulator, workflow_id: str, version: str = "1", tags: list[str] | None = None
) -> str:
    params: dict[str, Any] = {
        "domain": DOMAIN,
        "workflowId": workflow_id,
        "workflowType": {"name": "wf", "version": version},
    }
    if tags:
        params["tagList"] = tags
    run_id: str = sim.handle("StartWorkflowExecution", params)["runId"]
    sim.clock.advance(10)
    return run_id


def _ids(response: dict[str, Any]) -> list[str]:
    return [info["execution"]["workflowId"] for info in response["executionInfos"]]


def _open(sim: Simulator, **params: Any) -> dict[str, Any]:
    return sim.handle(
        "ListOpenWorkflowExecutions",
        {"domain": DOMAIN, "startTimeFilter": {"oldestDate": 0}, **params},
    )


def test_newest_first_by_default_and_oldest_first_in_reverse(sim: Simulator) -> None:
    for name in "abc":
        _start(sim, name)
    assert _ids(_open(sim)) == ["c", "b", "a"]
    assert _ids(_open(sim, reverseOrder=True)) == ["a", "b", "c"]


def test_time_window_bounds_are_inclusive(sim: Simulator) -> None:
    start = sim.clock.now_ms() / 1000
    for name in "abc":
        _start(sim, name)
    window = {"oldestDate": start + 10, "latestDate": start + 20}
    assert _ids(_open(sim, startTimeFilter=window)) == ["c", "b"]


def test_each_filter_selects_its_runs(sim: Simulator) -> None:
    _start(sim, "a", tags=["red"])
    _start(sim, "b", version="2", tags=["blue", "red"])
    _start(sim, "c")
    assert _ids(_open(sim, executionFilter={"workflowId": "b"})) == ["b"]
    assert _ids(_open(sim, typeFilter={"name": "wf"})) == ["c", "b", "a"]
    assert _ids(_open(sim, typeFilter={"name": "wf", "version": "2"})) == ["b"]
    assert _ids(_open(sim, tagFilter={"tag": "red"})) == ["b", "a"]


def test_filters_are_exclusive(sim: Simulator) -> None:
    with pytest.raises(ValidationException, match="more than one exclusive filter"):
        _open(sim, tagFilter={"tag": "x"}, typeFilter={"name": "wf"})


def test_pages_are_disjoint_and_complete_even_when_runs_start_between_pages(sim: Simulator) -> None:
    for index in range(7):
        _start(sim, f"w{index}")
    seen: list[str] = []
    response = _open(sim, maximumPageSize=3)
    while True:
        seen += _ids(response)
        token = response.get("nextPageToken")
        if token is None:
            break
        _start(sim, f"late{len(seen)}")  # newer than the cursor: must not shift the pages
        response = _open(sim, maximumPageSize=3, nextPageToken=token)
    assert seen == [f"w{index}" for index in reversed(range(7))]


def test_a_token_only_continues_the_query_it_came_from(sim: Simulator) -> None:
    for index in range(3):
        _start(sim, f"w{index}")
    token = _open(sim, maximumPageSize=1)["nextPageToken"]
    with pytest.raises(ValidationException, match="different request"):
        _open(sim, maximumPageSize=1, nextPageToken=token, reverseOrder=True)
    sim.clock.advance(24 * 3600 + 1)
    with pytest.raises(ValidationException, match="maximum lifetime"):
        _open(sim, maximumPageSize=1, nextPageToken=token)


def test_closed_runs_move_views_and_expire_after_retention(sim: Simulator) -> None:
    run_id = _start(sim, "a")
    _start(sim, "b")
    sim.handle("TerminateWorkflowExecution", {"domain": DOMAIN, "workflowId": "a"})
    closed = {"domain": DOMAIN, "closeTimeFilter": {"oldestDate": 0}}
    assert _ids(_open(sim)) == ["b"]
    assert _ids(sim.handle("ListClosedWorkflowExecutions", closed)) == ["a"]
    by_status = {**closed, "closeStatusFilter": {"status": "TERMINATED"}}
    assert sim.handle("CountClosedWorkflowExecutions", by_status)["count"] == 1
    sim.clock.advance(2 * 86400)  # "b" times out after 1 day meanwhile and stays retained
    assert _ids(sim.handle("ListClosedWorkflowExecutions", closed)) == ["b"]
    with pytest.raises(Exception, match="Unknown execution"):
        sim.handle(
            "DescribeWorkflowExecution",
            {"domain": DOMAIN, "execution": {"workflowId": "a", "runId": run_id}},
        )


def test_exactly_one_time_filter_for_closed_queries(sim: Simulator) -> None:
    for params in (
        {},
        {"startTimeFilter": {"oldestDate": 0}, "closeTimeFilter": {"oldestDate": 0}},
    ):
        with pytest.raises(ValidationException, match="Exactly one of"):
            sim.handle("ListClosedWorkflowExecutions", {"domain": DOMAIN, **params})
