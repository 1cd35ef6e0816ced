"""Domains and domain tags through boto3 (their pages in the SWF API Reference)."""

from __future__ import annotations

import boto3
import pytest
from api_helpers import ACTIVITY, DOMAIN, WORKFLOW, raises_validation

import swfsim

ARN = f"arn:aws:swf:us-east-1:123456789012:/domain/{DOMAIN}"


def test_register_then_describe_domain(wf):
    wf.register_domain(retention="7", description="order processing")

    detail = wf.swf.describe_domain(name=DOMAIN)

    assert detail["domainInfo"] == {
        "name": DOMAIN,
        "status": "REGISTERED",
        "description": "order processing",
        "arn": ARN,
    }
    assert detail["configuration"] == {"workflowExecutionRetentionPeriodInDays": "7"}


def test_list_domains_by_status(wf):
    for name in ("b", "a", "c"):
        wf.register_domain(name)
    wf.swf.deprecate_domain(name="b")

    registered = wf.swf.list_domains(registrationStatus="REGISTERED")["domainInfos"]
    deprecated = wf.swf.list_domains(registrationStatus="DEPRECATED")["domainInfos"]

    assert [d["name"] for d in registered] == ["a", "c"]
    assert [(d["name"], d["status"]) for d in deprecated] == [("b", "DEPRECATED")]


def test_register_existing_domain_fails_in_either_status(wf):
    wf.register_domain()
    with pytest.raises(wf.swf.exceptions.DomainAlreadyExistsFault, match=DOMAIN):
        wf.register_domain()
    wf.swf.deprecate_domain(name=DOMAIN)
    with pytest.raises(wf.swf.exceptions.DomainAlreadyExistsFault, match=DOMAIN):
        wf.register_domain()


def test_deprecate_twice_is_domain_deprecated_fault(wf):
    wf.register_domain()
    wf.swf.deprecate_domain(name=DOMAIN)

    with pytest.raises(wf.swf.exceptions.DomainDeprecatedFault, match=DOMAIN):
        wf.swf.deprecate_domain(name=DOMAIN)


def test_undeprecate_domain(wf):
    wf.register_domain()
    wf.swf.deprecate_domain(name=DOMAIN)

    wf.swf.undeprecate_domain(name=DOMAIN)

    assert wf.swf.describe_domain(name=DOMAIN)["domainInfo"]["status"] == "REGISTERED"
    with pytest.raises(wf.swf.exceptions.DomainAlreadyExistsFault, match=DOMAIN):
        wf.swf.undeprecate_domain(name=DOMAIN)


def test_deprecate_domain_deprecates_its_types(ready):
    swf = ready.swf
    swf.deprecate_domain(name=DOMAIN)

    workflow = swf.describe_workflow_type(domain=DOMAIN, workflowType=WORKFLOW)["typeInfo"]
    activity = swf.describe_activity_type(domain=DOMAIN, activityType=ACTIVITY)["typeInfo"]
    assert workflow["status"] == activity["status"] == "DEPRECATED"
    assert workflow["deprecationDate"] == ready.sim.clock.now()
    assert (
        swf.list_workflow_types(domain=DOMAIN, registrationStatus="REGISTERED")["typeInfos"] == []
    )
    # No new executions (the type is deprecated) and no new types (DeprecateDomain's page; the
    # model gives Register*Type no DomainDeprecatedFault, so the domain is unknown to it).
    with pytest.raises(swf.exceptions.TypeDeprecatedFault, match="OrderWorkflow"):
        ready.start()
    with pytest.raises(swf.exceptions.UnknownResourceFault, match=DOMAIN):
        ready.register_activity_type({"name": "Other", "version": "1"})


def test_undeprecate_domain_leaves_types_deprecated(ready):
    ready.swf.deprecate_domain(name=DOMAIN)
    ready.swf.undeprecate_domain(name=DOMAIN)

    info = ready.swf.describe_workflow_type(domain=DOMAIN, workflowType=WORKFLOW)["typeInfo"]
    assert info["status"] == "DEPRECATED"
    ready.register_activity_type({"name": "Other", "version": "1"})  # registration works again


def test_running_execution_survives_domain_deprecation(ready):
    execution = ready.start()
    ready.swf.deprecate_domain(name=DOMAIN)

    ready.decide(ready.poll_decision(), {"decisionType": "CompleteWorkflowExecution"})

    info = ready.describe(execution)["executionInfo"]
    assert info["closeStatus"] == "COMPLETED"


def test_101st_domain_is_limit_exceeded(wf):
    for index in range(100):
        wf.register_domain(f"d{index:03}")
    wf.swf.deprecate_domain(name="d000")  # deprecated domains still count

    with pytest.raises(wf.swf.exceptions.LimitExceededFault, match="100"):
        wf.register_domain("one-too-many")


@pytest.mark.parametrize(
    ("params", "match"),
    [
        ({"name": "a:b"}, r"Value 'a:b' at 'name' failed to satisfy constraint: .*colon"),
        ({"name": "a/b"}, "at 'name'"),
        ({"name": "arn"}, "literal string 'arn'"),
        ({"name": " padded"}, "whitespace"),
        ({"name": "x" * 257}, "at 'name' .*length less than or equal to 256"),
        ({"retention": "91"}, "'91' at 'workflowExecutionRetentionPeriodInDays'"),
        ({"retention": "abc"}, "'abc' at 'workflowExecutionRetentionPeriodInDays'"),
        ({"description": "d" * 1025}, "at 'description' .*1024"),
    ],
)
def test_register_domain_validation(wf, params, match):
    with raises_validation(match):
        wf.register_domain(**params)
    assert wf.swf.list_domains(registrationStatus="REGISTERED")["domainInfos"] == []


def test_validation_lists_every_problem(wf):
    with raises_validation("^.*2 validation errors detected: .*'name'.*; .*Retention") as info:
        wf.swf.register_domain(name="a|b", workflowExecutionRetentionPeriodInDays="999")
    assert "Value 'a|b' at 'name'" in str(info.value)


def test_tags_roundtrip(wf):
    wf.register_domain(tags=[{"key": "team", "value": "payments"}])

    wf.swf.tag_resource(
        resourceArn=ARN, tags=[{"key": "env", "value": "prod"}, {"key": "team", "value": "risk"}]
    )
    wf.swf.untag_resource(resourceArn=ARN, tagKeys=["env", "absent"])

    tags = wf.swf.list_tags_for_resource(resourceArn=ARN)["tags"]
    assert tags == [{"key": "team", "value": "risk"}]


def test_tags_accept_region_less_arn(wf):
    wf.register_domain()
    arn = f"arn:aws:swf::123456789012:/domain/{DOMAIN}"

    wf.swf.tag_resource(resourceArn=arn, tags=[{"key": "k", "value": "v"}])

    assert wf.swf.list_tags_for_resource(resourceArn=ARN)["tags"] == [{"key": "k", "value": "v"}]


@pytest.mark.parametrize("region", ["us-west-1", "eu-central-1"])
def test_arns_name_the_region_the_client_asked_for(region):
    # Each region is its own world: a client in another region than the default one sees ARNs
    # of its region, as on AWS.
    with swfsim.mock_swf() as mock_sim:
        swf = boto3.client("swf", region_name=region)
        swf.register_domain(name=DOMAIN, workflowExecutionRetentionPeriodInDays="1")
        arn = swf.list_domains(registrationStatus="REGISTERED")["domainInfos"][0]["arn"]
        swf.tag_resource(resourceArn=arn, tags=[{"key": "k", "value": "v"}])

        assert arn == f"arn:aws:swf:{region}:123456789012:/domain/{DOMAIN}"
        assert swf.describe_domain(name=DOMAIN)["domainInfo"]["arn"] == arn
        assert swf.list_tags_for_resource(resourceArn=arn)["tags"] == [{"key": "k", "value": "v"}]
        assert mock_sim.region == "us-east-1"
        east = mock_sim.handle("ListDomains", {"registrationStatus": "REGISTERED"})
        assert east["domainInfos"] == []


def test_too_many_tags(wf):
    tags = [{"key": f"k{i}", "value": "v"} for i in range(51)]
    with pytest.raises(wf.swf.exceptions.TooManyTagsFault, match="50"):
        wf.register_domain(tags=tags)

    wf.register_domain(tags=tags[:50])
    with pytest.raises(wf.swf.exceptions.TooManyTagsFault, match="51"):
        wf.swf.tag_resource(resourceArn=ARN, tags=[{"key": "extra", "value": "v"}])
    wf.swf.tag_resource(resourceArn=ARN, tags=[{"key": "k0", "value": "overwritten"}])  # no growth
    assert len(wf.swf.list_tags_for_resource(resourceArn=ARN)["tags"]) == 50


def test_tag_characters_are_validated(wf):
    wf.register_domain()
    with raises_validation("tags.1.member.key"):
        wf.swf.tag_resource(resourceArn=ARN, tags=[{"key": "bad#key", "value": "v"}])


@pytest.mark.parametrize(
    "arn",
    [
        "arn:aws:swf:us-east-1:123456789012:/domain/nope",
        "arn:aws:swf:eu-west-1:123456789012:/domain/orders",
        "arn:aws:swf:us-east-1:999999999999:/domain/orders",
    ],
)
def test_tagging_unknown_resource(wf, arn):
    wf.register_domain()
    with pytest.raises(wf.swf.exceptions.UnknownResourceFault, match=arn):
        wf.swf.list_tags_for_resource(resourceArn=arn)
    with pytest.raises(wf.swf.exceptions.UnknownResourceFault):
        wf.swf.tag_resource(resourceArn=arn, tags=[{"key": "k", "value": "v"}])
    with pytest.raises(wf.swf.exceptions.UnknownResourceFault):
        wf.swf.untag_resource(resourceArn=arn, tagKeys=["k"])
