"""How faults reach a boto3 user: the modeled exception class, HTTP 400, the code and a message
that names what went wrong (the faults of botocore's SWF model; CommonErrors in the API Reference).

OperationNotPermittedFault is modeled on every operation but cannot be triggered: swfsim has no
IAM, so every caller may do everything. The other ten modeled faults are triggered below (and
in the behaviour tests of each area).
"""

from __future__ import annotations

import pytest
from api_helpers import ACTIVITY, DOMAIN, WORKFLOW
from botocore.exceptions import ClientError


def unknown_resource(d):
    d.swf.describe_domain(name="nowhere")


def type_already_exists(d):
    d.register_activity_type()


def domain_already_exists(d):
    d.register_domain()


def domain_deprecated(d):
    d.swf.deprecate_domain(name=DOMAIN)
    d.swf.deprecate_domain(name=DOMAIN)


def type_deprecated(d):
    d.swf.deprecate_workflow_type(domain=DOMAIN, workflowType=WORKFLOW)
    d.start()


def type_not_deprecated(d):
    d.swf.delete_activity_type(domain=DOMAIN, activityType=ACTIVITY)


def already_started(d):
    d.start()
    d.start()


def default_undefined(d):
    d.register_workflow_type({"name": "Bare", "version": "1"}, defaultTaskList=None)
    d.start(workflowType={"name": "Bare", "version": "1"})


def limit_exceeded(d):
    for index in range(100):
        d.register_domain(f"extra-{index}")


def too_many_tags(d):
    arn = d.swf.describe_domain(name=DOMAIN)["domainInfo"]["arn"]
    d.swf.tag_resource(resourceArn=arn, tags=[{"key": f"k{i}", "value": ""} for i in range(51)])


def validation(d):
    d.start(childPolicy="BOGUS")


FAULTS = [
    ("UnknownResourceFault", unknown_resource, "Unknown domain: nowhere"),
    ("TypeAlreadyExistsFault", type_already_exists, r"ActivityType=\[name=ChargeCard"),
    ("DomainAlreadyExistsFault", domain_already_exists, DOMAIN),
    ("DomainDeprecatedFault", domain_deprecated, DOMAIN),
    ("TypeDeprecatedFault", type_deprecated, r"WorkflowType=\[name=OrderWorkflow"),
    ("TypeNotDeprecatedFault", type_not_deprecated, "not deprecated"),
    ("WorkflowExecutionAlreadyStartedFault", already_started, "order-1"),
    ("DefaultUndefinedFault", default_undefined, "taskList"),
    ("LimitExceededFault", limit_exceeded, "100 domains"),
    ("TooManyTagsFault", too_many_tags, "at most 50"),
    ("ValidationException", validation, "1 validation error detected: Value 'BOGUS'"),
]


@pytest.mark.parametrize(("code", "trigger", "message"), FAULTS, ids=[f[0] for f in FAULTS])
def test_fault_reaches_boto3(ready, code, trigger, message):
    modeled = getattr(ready.swf.exceptions, code, None)

    with pytest.raises(ClientError, match=message) as info:
        trigger(ready)

    error = info.value.response
    assert error["Error"]["Code"] == code
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert error["ResponseMetadata"]["RequestId"]
    if code == "ValidationException":
        assert modeled is None  # not a modeled shape: users match on the code
    else:
        assert isinstance(info.value, modeled)


def test_every_modeled_fault_but_operation_not_permitted_is_triggered(swf):
    modeled = {
        name
        for name in swf.meta.service_model.shape_names
        if swf.meta.service_model.shape_for(name).metadata.get("exception")
    }
    assert modeled - {code for code, _, _ in FAULTS} == {"OperationNotPermittedFault"}
