"""Every paginated operation walked with boto3's own paginators (botocore's SWF paginators-1.json;
nextPageToken and maximumPageSize in the SWF API Reference)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from api_helpers import DECISIONS, DOMAIN, START, WORKFLOW, event_types, raises_validation
from botocore.exceptions import ClientError

RESULT_KEYS = {
    "list_domains": "domainInfos",
    "list_activity_types": "typeInfos",
    "list_workflow_types": "typeInfos",
    "list_open_workflow_executions": "executionInfos",
    "list_closed_workflow_executions": "executionInfos",
    "get_workflow_execution_history": "events",
    "poll_for_decision_task": "events",
}


def walk(swf, operation, page_size, **params):
    """Every page of ``operation``, read with boto3's paginator; checks the page sizes and that
    exactly the last page has no nextPageToken. Returns (items, pages)."""
    paginator = swf.get_paginator(operation)
    pages = list(paginator.paginate(PaginationConfig={"PageSize": page_size}, **params))
    key = RESULT_KEYS[operation]
    items = [item for page in pages for item in page[key]]
    assert [len(page[key]) for page in pages[:-1]] == [page_size] * (len(pages) - 1)
    assert 0 < len(pages[-1][key]) <= page_size
    assert all(page.get("nextPageToken") for page in pages[:-1])
    assert "nextPageToken" not in pages[-1]
    return items, pages


def test_list_domains(wf):
    names = [f"domain-{i}" for i in (3, 1, 6, 0, 5, 2, 4)]
    for name in names:
        wf.register_domain(name)

    forward, pages = walk(wf.swf, "list_domains", 2, registrationStatus="REGISTERED")
    backward, _ = walk(
        wf.swf, "list_domains", 3, registrationStatus="REGISTERED", reverseOrder=True
    )

    assert len(pages) == 4
    assert [d["name"] for d in forward] == sorted(names)
    assert [d["name"] for d in backward] == sorted(names, reverse=True)


def test_list_domains_is_duplicate_free_while_domains_are_added(wf):
    for name in "bdfh":
        wf.register_domain(name)
    first = wf.swf.list_domains(registrationStatus="REGISTERED", maximumPageSize=2)
    wf.register_domain("a")  # before the cursor: not seen
    wf.register_domain("e")  # after the cursor: seen once

    rest = wf.swf.list_domains(
        registrationStatus="REGISTERED", maximumPageSize=2, nextPageToken=first["nextPageToken"]
    )

    assert [d["name"] for d in first["domainInfos"] + rest["domainInfos"]] == list("bdef")
    assert "nextPageToken" in rest


@pytest.mark.parametrize(
    ("operation", "register", "member"),
    [
        ("list_activity_types", "register_activity_type", "activityType"),
        ("list_workflow_types", "register_workflow_type", "workflowType"),
    ],
)
def test_list_types(wf, operation, register, member):
    wf.register_domain()
    refs = [{"name": name, "version": version} for name in ("b", "a", "c") for version in "21"]
    for ref in refs:
        getattr(wf, register)(ref)
    expected = sorted(refs, key=lambda ref: (ref["name"], ref["version"]))

    forward, _ = walk(wf.swf, operation, 4, domain=DOMAIN, registrationStatus="REGISTERED")
    backward, _ = walk(
        wf.swf, operation, 1, domain=DOMAIN, registrationStatus="REGISTERED", reverseOrder=True
    )
    named, _ = walk(wf.swf, operation, 1, domain=DOMAIN, registrationStatus="REGISTERED", name="c")

    assert [t[member] for t in forward] == expected
    assert [t[member] for t in backward] == expected[::-1]
    assert [t[member] for t in named] == [
        {"name": "c", "version": "1"},
        {"name": "c", "version": "2"},
    ]


@pytest.fixture
def seven_runs(ready):
    """Seven runs started a second apart; the odd ones are terminated in reverse order."""
    for index in range(7):
        ready.start(f"run-{index}")
        ready.sim.clock.advance(1)
    for index in (5, 3, 1):
        ready.swf.terminate_workflow_execution(domain=DOMAIN, workflowId=f"run-{index}")
        ready.sim.clock.advance(1)
    return ready


def workflow_ids(infos):
    return [info["execution"]["workflowId"] for info in infos]


def test_list_open_executions(seven_runs):
    params = {"domain": DOMAIN, "startTimeFilter": {"oldestDate": START}}

    newest_first, pages = walk(seven_runs.swf, "list_open_workflow_executions", 3, **params)
    oldest_first, _ = walk(
        seven_runs.swf, "list_open_workflow_executions", 1, reverseOrder=True, **params
    )

    assert len(pages) == 2
    assert workflow_ids(newest_first) == ["run-6", "run-4", "run-2", "run-0"]
    assert workflow_ids(oldest_first) == ["run-0", "run-2", "run-4", "run-6"]


def test_list_closed_executions(seven_runs):
    by_start = {"domain": DOMAIN, "startTimeFilter": {"oldestDate": START}}
    by_close = {"domain": DOMAIN, "closeTimeFilter": {"oldestDate": START}}

    started, _ = walk(seven_runs.swf, "list_closed_workflow_executions", 2, **by_start)
    closed, _ = walk(seven_runs.swf, "list_closed_workflow_executions", 2, **by_close)
    closed_reversed, _ = walk(
        seven_runs.swf, "list_closed_workflow_executions", 1, reverseOrder=True, **by_close
    )

    assert workflow_ids(started) == ["run-5", "run-3", "run-1"]
    assert workflow_ids(closed) == ["run-1", "run-3", "run-5"]
    assert workflow_ids(closed_reversed) == ["run-5", "run-3", "run-1"]


def test_list_executions_same_start_time_is_duplicate_free(ready):
    """Runs sharing a start timestamp are still paged without loss or repetition."""
    for index in range(5):
        ready.start(f"same-{index}")
    params = {"domain": DOMAIN, "startTimeFilter": {"oldestDate": START}}

    listed, _ = walk(ready.swf, "list_open_workflow_executions", 2, **params)
    reversed_, _ = walk(ready.swf, "list_open_workflow_executions", 2, reverseOrder=True, **params)

    assert workflow_ids(listed) == [f"same-{i}" for i in (4, 3, 2, 1, 0)]
    assert workflow_ids(reversed_) == [f"same-{i}" for i in range(5)]


def signalled_run(driver, signals):
    execution = driver.start()
    for index in range(signals):
        driver.swf.signal_workflow_execution(
            domain=DOMAIN, workflowId="order-1", signalName=f"s{index}"
        )
    return execution


def test_get_workflow_execution_history(ready):
    execution = signalled_run(ready, 9)  # 11 events
    params = {"domain": DOMAIN, "execution": execution}

    forward, pages = walk(ready.swf, "get_workflow_execution_history", 4, **params)
    backward, _ = walk(ready.swf, "get_workflow_execution_history", 3, reverseOrder=True, **params)

    assert len(pages) == 3
    assert [e["eventId"] for e in forward] == list(range(1, 12))
    assert backward == forward[::-1]


def test_history_pages_of_a_growing_history_are_duplicate_free(ready):
    execution = signalled_run(ready, 4)  # 6 events
    params = {"domain": DOMAIN, "execution": execution, "maximumPageSize": 4}
    for reverse in (False, True):
        first = ready.swf.get_workflow_execution_history(reverseOrder=reverse, **params)
        ready.swf.signal_workflow_execution(domain=DOMAIN, workflowId="order-1", signalName="x")
        rest = ready.swf.get_workflow_execution_history(
            reverseOrder=reverse, nextPageToken=first["nextPageToken"], **params
        )
        ids = [e["eventId"] for e in first["events"] + rest["events"]]
        assert len(ids) == len(set(ids)), ids
        assert sorted(ids, reverse=reverse) == ids


def test_poll_for_decision_task_pages_one_task(ready):
    execution = signalled_run(ready, 10)  # 12 events, then DecisionTaskStarted is the 13th

    paginator = ready.swf.get_paginator("poll_for_decision_task")
    pages = list(
        paginator.paginate(
            domain=DOMAIN, taskList=DECISIONS, identity="D1", PaginationConfig={"PageSize": 5}
        )
    )

    assert [len(page["events"]) for page in pages] == [5, 5, 3]
    assert len({page["taskToken"] for page in pages}) == 1
    assert {page["startedEventId"] for page in pages} == {13}
    assert all(page["workflowExecution"] == execution for page in pages)
    assert all(page["workflowType"] == WORKFLOW for page in pages)
    events = [event for page in pages for event in page["events"]]
    assert [e["eventId"] for e in events] == list(range(1, 14))
    # Later pages never start another decision task.
    history = ready.history(execution)
    assert event_types(history).count("DecisionTaskStarted") == 1
    assert events == history
    ready.decide(pages[0], {"decisionType": "CompleteWorkflowExecution"})
    assert event_types(ready.history(execution))[-1] == "WorkflowExecutionCompleted"


def test_poll_for_decision_task_full_result_and_reverse_order(ready):
    execution = signalled_run(ready, 10)
    paginator = ready.swf.get_paginator("poll_for_decision_task")

    task = paginator.paginate(
        domain=DOMAIN, taskList=DECISIONS, reverseOrder=True, PaginationConfig={"PageSize": 4}
    ).build_full_result()

    assert [e["eventId"] for e in task["events"]] == list(range(13, 0, -1))
    assert task["startedEventId"] == 13
    assert task["previousStartedEventId"] == 0
    assert task["workflowExecution"] == execution
    ready.decide(task)
    assert event_types(ready.history(execution)).count("DecisionTaskStarted") == 1


def test_poll_page_token_keeps_serving_the_same_task(ready):
    execution = signalled_run(ready, 4)
    params = {"domain": DOMAIN, "taskList": DECISIONS, "maximumPageSize": 2}
    first = ready.swf.poll_for_decision_task(**params)
    ready.swf.signal_workflow_execution(domain=DOMAIN, workflowId="order-1", signalName="late")
    ready.start("other")  # another task is now ready on the same list

    second = ready.swf.poll_for_decision_task(nextPageToken=first["nextPageToken"], **params)

    assert second["taskToken"] == first["taskToken"]
    assert second["workflowExecution"] == execution
    assert [e["eventId"] for e in second["events"]] == [3, 4]
    assert ready.swf.count_pending_decision_tasks(domain=DOMAIN, taskList=DECISIONS)["count"] == 1


# ---- page tokens and sizes --------------------------------------------------------------------


def test_page_size_zero_means_the_maximum(wf):
    for index in range(3):
        wf.register_domain(f"d{index}")

    page = wf.swf.list_domains(registrationStatus="REGISTERED", maximumPageSize=0)

    assert len(page["domainInfos"]) == 3
    assert "nextPageToken" not in page


def test_page_size_over_1000_is_invalid(wf):
    with raises_validation("at 'maximumPageSize' .*less than or equal to 1000"):
        wf.swf.list_domains(registrationStatus="REGISTERED", maximumPageSize=1001)


def test_bad_page_token(ready):
    execution = signalled_run(ready, 3)
    with raises_validation("not a valid page token"):
        ready.swf.list_domains(registrationStatus="REGISTERED", nextPageToken="garbage")
    with raises_validation("not a valid page token"):
        ready.swf.get_workflow_execution_history(
            domain=DOMAIN, execution=execution, nextPageToken="bm9wZQ=="
        )
    with raises_validation("at 'nextPageToken' .*2048"):
        ready.swf.list_domains(registrationStatus="REGISTERED", nextPageToken="x" * 2049)


def test_page_token_must_come_with_the_same_arguments(ready):
    for name in ("a", "b", "c"):
        ready.register_domain(name)
    token = ready.swf.list_domains(registrationStatus="REGISTERED", maximumPageSize=1)[
        "nextPageToken"
    ]

    with raises_validation("same arguments"):
        ready.swf.list_domains(registrationStatus="DEPRECATED", nextPageToken=token)
    with raises_validation("same arguments"):
        ready.swf.list_domains(
            registrationStatus="REGISTERED", reverseOrder=True, nextPageToken=token
        )
    with raises_validation("same arguments"):  # a token of another operation
        ready.swf.list_workflow_types(
            domain=DOMAIN, registrationStatus="REGISTERED", nextPageToken=token
        )
    # The page size may change between pages.
    rest = ready.swf.list_domains(
        registrationStatus="REGISTERED", maximumPageSize=10, nextPageToken=token
    )
    assert [d["name"] for d in rest["domainInfos"]] == ["b", "c", "orders"]


def test_page_token_expires_after_24_hours(ready):
    for name in ("a", "b"):
        ready.register_domain(name)
    token = ready.swf.list_domains(registrationStatus="REGISTERED", maximumPageSize=1)[
        "nextPageToken"
    ]

    ready.sim.clock.advance(timedelta(hours=24))
    ready.swf.list_domains(registrationStatus="REGISTERED", maximumPageSize=1, nextPageToken=token)
    ready.sim.clock.advance(timedelta(milliseconds=1))

    with pytest.raises(ClientError, match="exceeded its maximum lifetime") as info:
        ready.swf.list_domains(
            registrationStatus="REGISTERED", maximumPageSize=1, nextPageToken=token
        )
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
