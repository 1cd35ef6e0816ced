"""Activity and workflow types through boto3 (their SWF API Reference pages): one set of tests
for both kinds."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from api_helpers import (
    ACTIVITY,
    ACTIVITY_DEFAULTS,
    DOMAIN,
    WORKFLOW,
    WORKFLOW_DEFAULTS,
    raises_validation,
)


class Kind:
    """The operations and member names of one kind of type."""

    def __init__(self, noun: str, member: str, ref: dict[str, str], defaults: dict) -> None:
        self.noun, self.member, self.ref, self.defaults = noun, member, ref, defaults
        # How fault messages name the type, as a regex: ActivityType=[name=N, version=V]
        self.label = re.escape(f"{noun}=[name={ref['name']}, version={ref['version']}]")

    def call(self, swf, verb: str, domain: str = DOMAIN, **params):
        method = getattr(swf, f"{verb}_{self.noun.replace('Type', '_type').lower()}")
        return method(domain=domain, **params)

    def register(self, swf, ref=None, **defaults):
        return self.call(swf, "register", **(ref or self.ref), **{**self.defaults, **defaults})

    def act(self, swf, verb: str, ref=None):
        return self.call(swf, verb, **{self.member: ref or self.ref})

    def list(self, swf, status="REGISTERED", domain=DOMAIN, **params):
        method = getattr(swf, f"list_{self.noun.replace('Type', '_types').lower()}")
        return method(domain=domain, registrationStatus=status, **params)["typeInfos"]


ACTIVITY_KIND = Kind("ActivityType", "activityType", ACTIVITY, ACTIVITY_DEFAULTS)
WORKFLOW_KIND = Kind("WorkflowType", "workflowType", WORKFLOW, WORKFLOW_DEFAULTS)


@pytest.fixture(params=[ACTIVITY_KIND, WORKFLOW_KIND], ids=["activity", "workflow"])
def kind(request, wf):
    wf.register_domain()
    return request.param


def test_register_and_describe(kind, wf):
    kind.register(wf.swf, description="charges a card")

    detail = kind.act(wf.swf, "describe")

    assert detail["typeInfo"] == {
        kind.member: kind.ref,
        "status": "REGISTERED",
        "description": "charges a card",
        "creationDate": wf.sim.clock.now(),
    }
    assert detail["configuration"] == kind.defaults


def test_describe_lists_only_the_defaults_given(kind, wf):
    kind.call(wf.swf, "register", **kind.ref)

    assert kind.act(wf.swf, "describe")["configuration"] == {}


def test_register_existing_type(kind, wf):
    kind.register(wf.swf)
    with pytest.raises(wf.swf.exceptions.TypeAlreadyExistsFault, match=kind.label):
        kind.register(wf.swf)
    kind.act(wf.swf, "deprecate")
    with pytest.raises(wf.swf.exceptions.TypeAlreadyExistsFault, match=kind.label):
        kind.register(wf.swf)


def test_deprecate_undeprecate(kind, wf):
    kind.register(wf.swf)
    wf.sim.clock.advance(timedelta(minutes=5))

    kind.act(wf.swf, "deprecate")
    deprecated = kind.act(wf.swf, "describe")["typeInfo"]
    with pytest.raises(wf.swf.exceptions.TypeDeprecatedFault, match=kind.label):
        kind.act(wf.swf, "deprecate")
    kind.act(wf.swf, "undeprecate")
    undeprecated = kind.act(wf.swf, "describe")["typeInfo"]
    with pytest.raises(wf.swf.exceptions.TypeAlreadyExistsFault, match=kind.label):
        kind.act(wf.swf, "undeprecate")

    assert deprecated["status"] == "DEPRECATED"
    assert deprecated["deprecationDate"] == wf.sim.clock.now()
    assert deprecated["deprecationDate"] - deprecated["creationDate"] == timedelta(minutes=5)
    assert undeprecated["status"] == "REGISTERED"
    assert "deprecationDate" not in undeprecated


def test_delete_flow(kind, wf):
    kind.register(wf.swf)
    with pytest.raises(wf.swf.exceptions.TypeNotDeprecatedFault, match=kind.label):
        kind.act(wf.swf, "delete")

    kind.act(wf.swf, "deprecate")
    kind.act(wf.swf, "delete")

    with pytest.raises(wf.swf.exceptions.UnknownResourceFault, match=kind.ref["name"]):
        kind.act(wf.swf, "describe")
    with pytest.raises(wf.swf.exceptions.UnknownResourceFault):
        kind.act(wf.swf, "delete")
    assert kind.list(wf.swf, "DEPRECATED") == []
    kind.register(wf.swf)  # the (name, version) may be registered again
    assert kind.act(wf.swf, "describe")["typeInfo"]["status"] == "REGISTERED"


def test_list_sorted_by_name_then_version_filtered_by_name(kind, wf):
    for name, version in [("b", "2"), ("a", "1"), ("b", "1"), ("c", "1")]:
        kind.register(wf.swf, {"name": name, "version": version})
    kind.act(wf.swf, "deprecate", {"name": "c", "version": "1"})

    registered = [t[kind.member] for t in kind.list(wf.swf)]
    reverse = [t[kind.member] for t in kind.list(wf.swf, reverseOrder=True)]
    only_b = [t[kind.member]["version"] for t in kind.list(wf.swf, name="b")]
    deprecated = [t[kind.member]["name"] for t in kind.list(wf.swf, "DEPRECATED")]

    assert registered == [
        {"name": "a", "version": "1"},
        {"name": "b", "version": "1"},
        {"name": "b", "version": "2"},
    ]
    assert reverse == registered[::-1]
    assert only_b == ["1", "2"]
    assert deprecated == ["c"]


@pytest.mark.parametrize("verb", ["describe", "deprecate", "undeprecate", "delete"])
def test_unknown_type(kind, wf, verb):
    with pytest.raises(wf.swf.exceptions.UnknownResourceFault, match=kind.label):
        kind.act(wf.swf, verb)


def test_unknown_domain(kind, wf):
    unknown = wf.swf.exceptions.UnknownResourceFault
    with pytest.raises(unknown, match="Unknown domain: elsewhere"):
        kind.call(wf.swf, "register", domain="elsewhere", **kind.ref)
    with pytest.raises(unknown, match="Unknown domain: elsewhere"):
        kind.call(wf.swf, "describe", domain="elsewhere", **{kind.member: kind.ref})
    with pytest.raises(unknown, match="Unknown domain: elsewhere"):
        kind.list(wf.swf, domain="elsewhere")


@pytest.mark.parametrize(
    ("ref", "match"),
    [
        ({"name": "a:b", "version": "1"}, "Value 'a:b' at 'name'"),
        ({"name": "arn", "version": "1"}, "at 'name'.*'arn'"),
        ({"name": "ok", "version": "v|1"}, "Value 'v\\|1' at 'version'"),
        ({"name": "ok", "version": "v" * 65}, "at 'version' .*length less than or equal to 64"),
        ({"name": "n" * 257, "version": "1"}, "at 'name' .*length less than or equal to 256"),
    ],
)
def test_register_identifier_validation(kind, wf, ref, match):
    with raises_validation(match):
        kind.register(wf.swf, ref)
    assert kind.list(wf.swf) == []


@pytest.mark.parametrize(
    ("defaults", "match"),
    [
        ({"defaultTaskStartToCloseTimeout": "abc"}, "'abc' at 'defaultTaskStartToCloseTimeout'"),
        ({"defaultTaskStartToCloseTimeout": "123456789"}, "less than or equal to 8"),
        ({"defaultTaskPriority": "high"}, "'high' at 'defaultTaskPriority'"),
        ({"defaultTaskPriority": "2147483648"}, "at 'defaultTaskPriority'"),
        ({"defaultTaskList": {"name": "n" * 257}}, "at 'defaultTaskList.name'"),
    ],
)
def test_register_defaults_validation(kind, wf, defaults, match):
    with raises_validation(match):
        kind.register(wf.swf, **defaults)


def test_workflow_type_specific_validation(wf):
    wf.register_domain()
    with raises_validation(
        "'BOGUS' at 'defaultChildPolicy' .*enum value set: "
        r"\[TERMINATE, REQUEST_CANCEL, ABANDON\]"
    ):
        wf.register_workflow_type(defaultChildPolicy="BOGUS")
    with raises_validation(
        r"1 validation error detected: Value 'NONE' at 'defaultExecutionStartToCloseTimeout' "
        r"failed to satisfy constraint: Member must be a non-negative whole number of seconds$"
    ):
        wf.register_workflow_type(defaultExecutionStartToCloseTimeout="NONE")
    with raises_validation("one year"):
        wf.register_workflow_type(defaultExecutionStartToCloseTimeout="31536001")
    wf.register_workflow_type(defaultTaskStartToCloseTimeout="NONE")  # NONE is fine here


def test_activity_type_accepts_none_durations(wf):
    wf.register_domain()
    none = dict.fromkeys(
        [
            "defaultTaskStartToCloseTimeout",
            "defaultTaskHeartbeatTimeout",
            "defaultTaskScheduleToStartTimeout",
            "defaultTaskScheduleToCloseTimeout",
        ],
        "NONE",
    )
    wf.register_activity_type(**none)
    configuration = wf.swf.describe_activity_type(domain=DOMAIN, activityType=ACTIVITY)
    assert configuration["configuration"] == {**ACTIVITY_DEFAULTS, **none}
