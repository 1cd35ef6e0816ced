"""api_error and lost_response through boto3: what a client sees, and what the service kept."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from plg_support import (
    ACTIVITIES,
    DOMAIN,
    SCENARIOS,
    SHOP,
    WORKFLOW,
    charge_started,
    event_types,
    last_event,
    run_python,
    start,
)

from swfsim.faults import ApiError, LostResponse

pytest_plugins = ["pytester"]

NO_RETRIES = Config(retries={"mode": "standard", "total_max_attempts": 1})
THREE_ATTEMPTS = Config(retries={"mode": "standard", "total_max_attempts": 3})


def retries(answer: dict[str, Any]) -> int:
    return int(answer["ResponseMetadata"]["RetryAttempts"])


def list_domains(client: Any) -> dict[str, Any]:
    return dict(client.list_domains(registrationStatus="REGISTERED"))


# ---- api_error ---------------------------------------------------------------------------------


@pytest.mark.swf_faults(
    {"faults": [{"type": "api_error", "error": "ThrottlingException", "nth": 2}]}
)
def test_api_error_at_nth_call_is_absorbed_by_one_retry(swf_client: Any) -> None:
    attempts = [retries(list_domains(swf_client)) for _ in range(3)]
    assert attempts == [0, 1, 0]


@pytest.mark.swf(**SHOP)
@pytest.mark.swf_faults({"faults": [{"type": "api_error", "error": "InternalFailure", "nth": 1}]})
def test_marker_registrations_do_not_count_as_calls(swf_client: Any) -> None:
    # The marker registered a domain and two types before the scenario was installed: the
    # test's own first call is the first the fault sees.
    assert retries(list_domains(swf_client)) == 1


@pytest.mark.parametrize(
    ("error", "status"),
    [("ThrottlingException", 400), ("ServiceUnavailable", 503), ("InternalFailure", 500)],
)
def test_api_error_as_the_client_sees_it(
    swf: Any, swf_faults: Any, error: str, status: int
) -> None:
    swf_faults(ApiError(error=error, nth=1))
    client = boto3.client("swf", config=NO_RETRIES)
    with pytest.raises(ClientError) as raised:
        list_domains(client)
    answer = raised.value.response
    assert answer["Error"]["Code"] == error
    assert "injected fault api_error #1" in answer["Error"]["Message"]
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == status
    assert list_domains(client)["domainInfos"] == []  # nth=1 fires once


@pytest.mark.swf(**SHOP)
@pytest.mark.swf_faults(
    ApiError(error="ServiceUnavailable", operations=("StartWorkflowExecution",))
)
def test_api_error_only_for_the_operations_named(swf: Any) -> None:
    client = boto3.client("swf", config=THREE_ATTEMPTS)
    with pytest.raises(ClientError) as raised:
        start(client)
    assert raised.value.response["Error"]["Code"] == "ServiceUnavailable"
    assert retries(raised.value.response) == 2  # three attempts, all refused
    assert swf.engine.runs == {}
    # Every other operation is served.
    assert retries(list_domains(client)) == 0
    described = client.describe_workflow_type(domain=DOMAIN, workflowType=WORKFLOW)
    assert retries(described) == 0


RATE_TESTS = f"""
import pytest

SEEDS = [pytest.param(seed, marks=pytest.mark.swf(seed=seed)) for seed in (3, 3, 4)]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.swf_faults({str(SCENARIOS / "flaky-api.yaml")!r})
def test_flaky(seed, swf_client):
    attempts = [
        swf_client.list_domains(registrationStatus="REGISTERED")["ResponseMetadata"][
            "RetryAttempts"
        ]
        for _ in range(40)
    ]
    print(f"PATTERN seed={{seed}} {{attempts}}")
"""


def test_api_error_at_a_seeded_rate(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(RATE_TESTS)
    result = pytester.runpytest("-p", "no:cacheprovider", "-s")
    result.assert_outcomes(passed=3)  # boto3's retries absorbed every throttle
    patterns = [line.split("PATTERN ")[1] for line in result.outlines if "PATTERN " in line]
    first, again, other = patterns
    assert first.startswith("seed=3 ")
    assert other.startswith("seed=4 ")
    assert first == again  # the same seed throttles the same calls
    assert first.split(" ", 1)[1] != other.split(" ", 1)[1]
    throttled = sum(1 for attempts in json.loads(first.split(" ", 1)[1]) if attempts)
    assert 2 <= throttled <= 20  # about one call in five, of 40


# ---- lost_response -----------------------------------------------------------------------------


@pytest.mark.swf(**SHOP)
@pytest.mark.swf_faults(SCENARIOS / "lost-start.json")
def test_lost_start_response_makes_the_retry_fail(swf: Any, swf_client: Any) -> None:
    with pytest.raises(swf_client.exceptions.WorkflowExecutionAlreadyStartedFault) as raised:
        start(swf_client)
    assert retries(raised.value.response) == 1
    # The first attempt did start the run: exactly one, open, with one start event.
    (run,) = swf.engine.runs.values()
    assert run.workflow_id == "order-1"
    assert run.close_status is None
    assert event_types(swf).count("WorkflowExecutionStarted") == 1
    # What a careful client does next: find the run it started after all.
    found = swf_client.list_open_workflow_executions(
        domain=DOMAIN,
        startTimeFilter={"oldestDate": swf.clock.now()},
        executionFilter={"workflowId": "order-1"},
    )["executionInfos"]
    assert [info["execution"]["runId"] for info in found] == [run.run_id]


@pytest.mark.swf(**SHOP)
@pytest.mark.swf_faults(LostResponse(operations=("RespondActivityTaskCompleted",), nth=1))
def test_lost_complete_response_completes_once(swf: Any, swf_client: Any) -> None:
    task = charge_started(swf_client)
    with pytest.raises(swf_client.exceptions.UnknownResourceFault) as raised:
        swf_client.respond_activity_task_completed(taskToken=task["taskToken"], result="paid")
    assert retries(raised.value.response) == 1
    assert "Unknown activity task" in raised.value.response["Error"]["Message"]
    assert event_types(swf).count("ActivityTaskCompleted") == 1
    completed = last_event(swf, "ActivityTaskCompleted")
    assert completed["activityTaskCompletedEventAttributes"]["result"] == "paid"
    # The task is gone from the list: no second worker gets it.
    empty = swf_client.poll_for_activity_task(domain=DOMAIN, taskList=ACTIVITIES)
    assert "taskToken" not in empty


LOST_OVER_HTTP = """
import boto3
from botocore.config import Config
swf = boto3.client("swf", config=Config(retries={"mode": "standard", "total_max_attempts": 3}))
try:
    swf.start_workflow_execution(
        domain="shop", workflowId="order-1", workflowType={"name": "order", "version": "1"}
    )
except swf.exceptions.WorkflowExecutionAlreadyStartedFault as error:
    print("AlreadyStarted", error.response["ResponseMetadata"]["RetryAttempts"])
"""


@pytest.mark.swf(**SHOP)
@pytest.mark.swf_faults(SCENARIOS / "lost-start.json")
def test_lost_response_over_the_endpoint(swf: Any, swf_endpoint: Any) -> None:
    # Over HTTP a lost answer is a 500 InternalFailure, which botocore retries.
    child = run_python(LOST_OVER_HTTP, swf_endpoint.env)
    assert child.returncode == 0, child.stderr
    assert child.stdout.split() == ["AlreadyStarted", "1"]
    assert len(swf.engine.runs) == 1
