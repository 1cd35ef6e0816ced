"""List/Count Open/Closed WorkflowExecutions with every filter (their SWF API Reference pages)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from api_helpers import DOMAIN, START, WORKFLOW, complete, fail, raises_validation

V2 = {"name": "OrderWorkflow", "version": "2.0"}
OTHER = {"name": "Refund", "version": "1.0"}


def at(seconds: float):
    return START + timedelta(seconds=seconds)


@pytest.fixture
def population(ready):
    """Runs a (t0), b (t10), c (t20), d (t30), e (t35); a completes at t40, c is terminated at
    t50, b fails at t60; d and e stay open."""
    ready.register_workflow_type(V2)
    ready.register_workflow_type(OTHER)
    clock = ready.sim.clock
    ready.start("a", tagList=["red"])
    clock.advance(10)
    ready.start("b", workflowType=V2, tagList=["blue"])
    clock.advance(10)
    ready.start("c", workflowType=OTHER, tagList=["red", "blue"])
    clock.advance(10)
    ready.start("d")
    clock.advance(5)
    ready.start("e")
    clock.advance(5)
    task = ready.poll_decision()
    assert task["workflowExecution"]["workflowId"] == "a"
    ready.decide(task, complete())
    clock.advance(10)
    ready.swf.terminate_workflow_execution(domain=DOMAIN, workflowId="c")
    clock.advance(10)
    task = ready.poll_decision()
    assert task["workflowExecution"]["workflowId"] == "b"
    ready.decide(task, fail())
    return ready


def ids(infos):
    return [info["execution"]["workflowId"] for info in infos]


def list_open(driver, oldest=0, **params):
    params = {"startTimeFilter": {"oldestDate": at(oldest)}, **params}
    listed = driver.swf.list_open_workflow_executions(domain=DOMAIN, **params)
    counted = driver.swf.count_open_workflow_executions(
        domain=DOMAIN, **{k: v for k, v in params.items() if k != "reverseOrder"}
    )
    assert counted["count"] == len(listed["executionInfos"])
    assert counted["truncated"] is False
    return ids(listed["executionInfos"])


def list_closed(driver, **params):
    params = {"startTimeFilter": {"oldestDate": at(0)}, **params}
    if params.get("closeTimeFilter"):
        del params["startTimeFilter"]
    listed = driver.swf.list_closed_workflow_executions(domain=DOMAIN, **params)
    counted = driver.swf.count_closed_workflow_executions(
        domain=DOMAIN, **{k: v for k, v in params.items() if k != "reverseOrder"}
    )
    assert counted["count"] == len(listed["executionInfos"])
    return ids(listed["executionInfos"])


def test_open_newest_first_unless_reversed(population):
    assert list_open(population) == ["e", "d"]
    assert list_open(population, reverseOrder=True) == ["d", "e"]


def test_open_info(population):
    infos = population.swf.list_open_workflow_executions(
        domain=DOMAIN, startTimeFilter={"oldestDate": at(0)}
    )["executionInfos"]

    assert infos[0] == {
        "execution": {"workflowId": "e", "runId": infos[0]["execution"]["runId"]},
        "workflowType": WORKFLOW,
        "startTimestamp": at(35),
        "executionStatus": "OPEN",
        "cancelRequested": False,
    }


def test_closed_info(population):
    infos = population.swf.list_closed_workflow_executions(
        domain=DOMAIN, closeTimeFilter={"oldestDate": at(0)}
    )["executionInfos"]

    assert [
        (i["execution"]["workflowId"], i["closeStatus"], i["closeTimestamp"]) for i in infos
    ] == [
        ("b", "FAILED", at(60)),
        ("c", "TERMINATED", at(50)),
        ("a", "COMPLETED", at(40)),
    ]
    assert infos[1]["tagList"] == ["red", "blue"]
    assert infos[1]["workflowType"] == OTHER
    assert {i["executionStatus"] for i in infos} == {"CLOSED"}


def test_closed_by_start_or_close_time(population):
    assert list_closed(population) == ["c", "b", "a"]
    assert list_closed(population, reverseOrder=True) == ["a", "b", "c"]
    assert list_closed(population, closeTimeFilter={"oldestDate": at(0)}) == ["b", "c", "a"]
    assert list_closed(population, closeTimeFilter={"oldestDate": at(0)}, reverseOrder=True) == [
        "a",
        "c",
        "b",
    ]


def test_time_windows_are_inclusive(population):
    assert list_open(population, 30) == ["e", "d"]
    assert list_open(population, 31) == ["e"]
    assert list_closed(
        population, startTimeFilter={"oldestDate": at(10), "latestDate": at(20)}
    ) == [
        "c",
        "b",
    ]
    assert list_closed(
        population, closeTimeFilter={"oldestDate": at(41), "latestDate": at(50)}
    ) == [
        "c",
    ]
    assert list_open(population, 36) == []


def test_execution_filter(population):
    assert list_open(population, executionFilter={"workflowId": "d"}) == ["d"]
    assert list_closed(population, executionFilter={"workflowId": "a"}) == ["a"]
    assert list_closed(population, executionFilter={"workflowId": "d"}) == []


def test_type_filter_with_and_without_version(population):
    assert list_closed(population, typeFilter={"name": "OrderWorkflow"}) == ["b", "a"]
    assert list_closed(population, typeFilter={"name": "OrderWorkflow", "version": "2.0"}) == ["b"]
    assert list_open(population, typeFilter={"name": "Refund"}) == []
    # Deprecated types still work in filters.
    population.swf.deprecate_workflow_type(domain=DOMAIN, workflowType=OTHER)
    assert list_closed(population, typeFilter={"name": "Refund", "version": "1.0"}) == ["c"]


def test_tag_filter(population):
    assert list_closed(population, tagFilter={"tag": "red"}) == ["c", "a"]
    assert list_closed(population, tagFilter={"tag": "blue"}) == ["c", "b"]
    assert list_closed(population, tagFilter={"tag": "Red"}) == []  # exact and case-sensitive
    assert list_open(population, tagFilter={"tag": "red"}) == []


@pytest.mark.parametrize(
    ("status", "expected"),
    [("COMPLETED", ["a"]), ("FAILED", ["b"]), ("TERMINATED", ["c"]), ("TIMED_OUT", [])],
)
def test_close_status_filter(population, status, expected):
    assert list_closed(population, closeStatusFilter={"status": status}) == expected


def test_cancel_requested_flag_is_listed(population):
    population.swf.request_cancel_workflow_execution(domain=DOMAIN, workflowId="d")
    infos = population.swf.list_open_workflow_executions(
        domain=DOMAIN, startTimeFilter={"oldestDate": at(0)}
    )["executionInfos"]
    assert [(i["execution"]["workflowId"], i["cancelRequested"]) for i in infos] == [
        ("e", False),
        ("d", True),
    ]


def test_deprecated_domain_stays_visible(population):
    population.swf.deprecate_domain(name=DOMAIN)
    assert list_open(population) == ["e", "d"]
    assert list_closed(population) == ["c", "b", "a"]


@pytest.mark.parametrize(
    "filters",
    [
        {"executionFilter": {"workflowId": "a"}, "tagFilter": {"tag": "red"}},
        {"typeFilter": {"name": "OrderWorkflow"}, "tagFilter": {"tag": "red"}},
        {"executionFilter": {"workflowId": "a"}, "typeFilter": {"name": "OrderWorkflow"}},
    ],
)
def test_exclusive_filters_on_open(ready, filters):
    for call in (ready.swf.list_open_workflow_executions, ready.swf.count_open_workflow_executions):
        with raises_validation("more than one exclusive filters"):
            call(domain=DOMAIN, startTimeFilter={"oldestDate": at(0)}, **filters)


def test_exclusive_filters_on_closed(ready):
    filters = {"closeStatusFilter": {"status": "FAILED"}, "tagFilter": {"tag": "red"}}
    for call in (
        ready.swf.list_closed_workflow_executions,
        ready.swf.count_closed_workflow_executions,
    ):
        with raises_validation("more than one exclusive filters.*closeStatusFilter"):
            call(domain=DOMAIN, startTimeFilter={"oldestDate": at(0)}, **filters)


@pytest.mark.parametrize(
    "time_filters",
    [{}, {"startTimeFilter": {"oldestDate": START}, "closeTimeFilter": {"oldestDate": START}}],
    ids=["neither", "both"],
)
def test_closed_needs_exactly_one_time_filter(ready, time_filters):
    for call in (
        ready.swf.list_closed_workflow_executions,
        ready.swf.count_closed_workflow_executions,
    ):
        with raises_validation("startTimeFilter and closeTimeFilter"):
            call(domain=DOMAIN, **time_filters)


def test_close_status_enum_is_validated(ready):
    with raises_validation(r"'DONE' at 'closeStatusFilter.status' .*enum value set: \[COMPLETED"):
        ready.swf.count_closed_workflow_executions(
            domain=DOMAIN,
            startTimeFilter={"oldestDate": START},
            closeStatusFilter={"status": "DONE"},
        )


@pytest.mark.parametrize(
    "operation",
    [
        "list_open_workflow_executions",
        "count_open_workflow_executions",
        "list_closed_workflow_executions",
        "count_closed_workflow_executions",
    ],
)
def test_unknown_domain(ready, operation):
    with pytest.raises(ready.swf.exceptions.UnknownResourceFault, match="Unknown domain: nope"):
        getattr(ready.swf, operation)(domain="nope", startTimeFilter={"oldestDate": START})
