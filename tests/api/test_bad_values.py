"""Values AWS refuses through boto3, in process: each a ValidationException on the first attempt
(never an InternalFailure that botocore retries), and nothing of the call is kept."""

from __future__ import annotations

import base64
import json

import boto3
import pytest
from api_helpers import DOMAIN, EPOCH_FILTER, raises_validation
from botocore.exceptions import ClientError

import swfsim
from swfsim import journal
from swfsim.transport import wire


@pytest.mark.parametrize("days", ["\u00b2", "\u0663", "9" * 5000])
def test_retention_in_other_than_ascii_digits(wf, days):
    with raises_validation("workflowExecutionRetentionPeriodInDays") as info:
        wf.register_domain("d", retention=days)
    assert "Member must be NONE or a whole number of days from 0 to 90" in str(info.value)
    assert info.value.response["ResponseMetadata"]["RetryAttempts"] == 0
    assert wf.swf.list_domains(registrationStatus="REGISTERED")["domainInfos"] == []


@pytest.mark.parametrize(
    ("member", "value"),
    [
        ("defaultTaskStartToCloseTimeout", "\u00b2"),
        ("defaultExecutionStartToCloseTimeout", "\u0663"),
        ("defaultExecutionStartToCloseTimeout", "9" * 5000),
    ],
)
def test_durations_in_other_than_ascii_digits(wf, member, value):
    wf.register_domain()
    with raises_validation(member) as info:
        wf.register_workflow_type(**{member: value})
    assert info.value.response["ResponseMetadata"]["RetryAttempts"] == 0
    listed = wf.swf.list_workflow_types(domain=DOMAIN, registrationStatus="REGISTERED")
    assert listed["typeInfos"] == []


def test_a_lone_surrogate_in_a_domain_name_is_not_stored(wf):
    with raises_validation(r"Value 'bad\\ud800' at 'name'.*valid Unicode"):
        wf.register_domain("bad\ud800")
    assert wf.swf.list_domains(registrationStatus="REGISTERED")["domainInfos"] == []


def test_lone_surrogates_in_inputs_and_filters(ready):
    with raises_validation("at 'input'"):
        ready.start("order-1", input="\udc00")
    with raises_validation("at 'tagFilter.tag'"):
        ready.swf.list_open_workflow_executions(
            domain=DOMAIN, startTimeFilter=EPOCH_FILTER, tagFilter={"tag": "\ud800"}
        )
    assert (
        ready.swf.count_open_workflow_executions(domain=DOMAIN, startTimeFilter=EPOCH_FILTER)[
            "count"
        ]
        == 0
    )


def test_refused_values_leave_the_state_snapshotable():
    sim = swfsim.Simulator(seed=0, journal=True)
    with swfsim.mock_swf(sim):
        swf = boto3.client("swf", region_name="us-east-1")
        swf.register_domain(name="kept", workflowExecutionRetentionPeriodInDays="1")
        for name, days in (("bad\ud800", "1"), ("x", "\u0663"), ("y", "\u00b2")):
            with pytest.raises(ClientError):
                swf.register_domain(name=name, workflowExecutionRetentionPeriodInDays=days)
    state = journal.snapshot(sim)
    kept = {"name": "kept", "workflowExecutionRetentionPeriodInDays": "1"}
    assert state["journal"] == [["call", "RegisterDomain", kept]]
    assert json.loads(wire.encode(state).decode("utf-8")) == state


def test_a_forged_page_token_too_deep_to_read_is_not_a_valid_token(wf):
    token = base64.urlsafe_b64encode(b"[" * 1530).decode()  # within the 2,048 characters
    with raises_validation("^.*Specified token is not a valid page token$"):
        wf.swf.list_domains(registrationStatus="REGISTERED", nextPageToken=token)
