"""A stateful Hypothesis test of the SWF API through boto3: random sequences of all of its
operations, with valid and invalid parameters. After every call: boto3 raised nothing but a
ClientError (the service answered every request, however wrong, with an AWS fault); a refused
call changed nothing; at the end, every history is valid and the same calls on a Simulator with
the same seed give the same bytes."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

import swfsim
from swfsim import Simulator, spec
from swfsim.strategies import decisions, durations, identifiers

CLIENT = boto3.client(
    "swf",
    region_name="us-east-1",
    aws_access_key_id="testing",
    aws_secret_access_key="testing",
    # Invalid requests reach the service: it must refuse them itself, as AWS does.
    config=Config(retries={"mode": "standard", "max_attempts": 1}, parameter_validation=False),
)
DOMAINS = st.sampled_from(["d1", "d2", "missing"])
# Where runs can start: most calls about runs name it, so that they reach runs and tasks.
RUN_DOMAINS = st.one_of(st.just("d1"), DOMAINS)
WORKFLOW_IDS = st.sampled_from(["w1", "w2", "w3"])
LISTS = st.sampled_from(["l1", "l2"])
WORKFLOW_TYPE = {"name": "flow", "version": "1"}
# Strings that are invalid somewhere: too long, forbidden characters, the literal arn.
ODD_TEXT = st.sampled_from(["", "arn", "a:b", "x" * 300, "ok", "\u0000"])
TYPE_NAMES = st.sampled_from(["flow", "work", "missing", ""])
VERSIONS = st.sampled_from(["1", "2"])
TOKENS = st.sampled_from(["not-a-token", "x" * 2000, ""])
TAGS = st.lists(
    st.fixed_dictionaries({"key": st.sampled_from(["team", "env", "", "aws:x"]), "value": LISTS}),
    max_size=3,
)
# The boto3 methods each rule may call, checked as it calls them (see ``calls``).
RULE_METHODS: dict[str, tuple[str, ...]] = {}
T = Callable[..., None]


def calls(*methods: str) -> Callable[[T], T]:
    """Declare the boto3 methods a rule calls; ``SwfApi.call`` refuses any other."""

    def declare(rule_function: T) -> T:
        RULE_METHODS[rule_function.__name__] = methods

        @functools.wraps(rule_function)
        def run(machine: SwfApi, **arguments: Any) -> None:
            machine.allowed = methods
            try:
                rule_function(machine, **arguments)
            finally:
                machine.allowed = ()

        return run

    return declare


LIST_OPERATIONS = (
    "list_domains",
    "list_open_workflow_executions",
    "list_closed_workflow_executions",
    "count_open_workflow_executions",
    "count_closed_workflow_executions",
    "list_workflow_types",
    "list_activity_types",
    "describe_domain",
    "count_pending_decision_tasks",
    "count_pending_activity_tasks",
)
WORKER_METHODS = (
    "poll_for_activity_task",
    "record_activity_task_heartbeat",
    "respond_activity_task_completed",
    "respond_activity_task_failed",
    "respond_activity_task_canceled",
)
TYPE_METHODS = tuple(
    f"{verb}_{kind}_type"
    for verb in ("describe", "deprecate", "undeprecate", "delete")
    for kind in ("activity", "workflow")
)
DOMAIN_METHODS = ("deprecate_domain", "undeprecate_domain")
RUN_METHODS = ("describe_workflow_execution", "get_workflow_execution_history")
TAG_METHODS = ("tag_resource", "untag_resource", "list_tags_for_resource")


class SwfApi(RuleBasedStateMachine):
    """Drives one Simulator through boto3 and records every call for the determinism check."""

    def __init__(self) -> None:
        super().__init__()
        self.sim = Simulator(seed=3)
        self.mock = swfsim.mock_swf(self.sim, clients=[CLIENT])
        self.mock.start()
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.answers: list[str] = []
        self.run_ids: list[str] = ["missing"]
        self.allowed: tuple[str, ...] = ()

    def call(self, method: str, **params: Any) -> dict[str, Any] | None:
        assert not self.allowed or method in self.allowed, f"{method} is not declared by its rule"
        before = self.fingerprint()
        self.calls.append((method, params))
        try:
            response = getattr(CLIENT, method)(**params)
        except ClientError as fault:
            self.answers.append(fault.response["Error"]["Code"])
            assert self.fingerprint() == before, f"{method} was refused but changed the state"
            return None
        response.pop("ResponseMetadata", None)
        self.answers.append(json.dumps(response, sort_keys=True, default=str))
        return dict(response)

    def fingerprint(self) -> tuple[Any, ...]:
        engine = self.sim.engine
        runs = tuple(sorted((key, len(run.history.events)) for key, run in engine.runs.items()))
        domains = tuple(
            sorted(
                (
                    name,
                    domain.status.value,
                    tuple(sorted(domain.tags.items())),
                    tuple(sorted((key, t.status.value) for key, t in domain.types.items())),
                )
                for name, domain in engine.registry.domains.items()
            )
        )
        return runs, domains, len(engine.decisions.tokens), len(engine.activity_tokens)

    @initialize()
    def register(self) -> None:
        self.call("register_domain", name="d1", workflowExecutionRetentionPeriodInDays="1")
        self.call(
            "register_workflow_type",
            domain="d1",
            name="flow",
            version="1",
            defaultTaskList={"name": "l1"},
            defaultChildPolicy="TERMINATE",
            defaultExecutionStartToCloseTimeout="600",
            defaultTaskStartToCloseTimeout="30",
        )
        self.call(
            "register_activity_type",
            domain="d1",
            name="work",
            version="1",
            defaultTaskList={"name": "l2"},
            defaultTaskScheduleToStartTimeout="60",
            defaultTaskScheduleToCloseTimeout="120",
            defaultTaskStartToCloseTimeout="60",
            defaultTaskHeartbeatTimeout="NONE",
        )

    @rule(name=st.one_of(DOMAINS, ODD_TEXT), days=st.sampled_from(["0", "1", "90", "91", "x"]))
    @calls("register_domain")
    def register_domain(self, name: str, days: str) -> None:
        self.call("register_domain", name=name, workflowExecutionRetentionPeriodInDays=days)

    @rule(
        domain=DOMAINS,
        name=st.one_of(identifiers("Name", max_size=8), ODD_TEXT),
        timeout=durations(allow_none=True, max_seconds=100),
    )
    @calls("register_activity_type")
    def register_activity_type(self, domain: str, name: str, timeout: str) -> None:
        self.call(
            "register_activity_type",
            domain=domain,
            name=name,
            version="1",
            defaultTaskStartToCloseTimeout=timeout,
        )

    @rule(
        domain=RUN_DOMAINS,
        workflow_id=st.one_of(WORKFLOW_IDS, ODD_TEXT),
        version=st.sampled_from(["1", "1", "2"]),
    )
    @calls("start_workflow_execution")
    def start(self, domain: str, workflow_id: str, version: str) -> None:
        started = self.call(
            "start_workflow_execution",
            domain=domain,
            workflowId=workflow_id,
            workflowType={"name": "flow", "version": version},
        )
        if started:
            self.run_ids.append(started["runId"])

    @rule(domain=RUN_DOMAINS, workflow_id=WORKFLOW_IDS, name=st.one_of(st.just("go"), ODD_TEXT))
    @calls("signal_workflow_execution")
    def signal(self, domain: str, workflow_id: str, name: str) -> None:
        self.call(
            "signal_workflow_execution", domain=domain, workflowId=workflow_id, signalName=name
        )

    @rule(
        domain=RUN_DOMAINS,
        workflow_id=WORKFLOW_IDS,
        method=st.sampled_from(
            ["terminate_workflow_execution", "request_cancel_workflow_execution"]
        ),
    )
    @calls("terminate_workflow_execution", "request_cancel_workflow_execution")
    def stop_run(self, domain: str, workflow_id: str, method: str) -> None:
        self.call(method, domain=domain, workflowId=workflow_id)

    @rule(task_list=LISTS, data=st.data(), valid=st.booleans())
    @calls("poll_for_decision_task", "respond_decision_task_completed")
    def decide(self, task_list: str, data: st.DataObject, valid: bool) -> None:
        task = self.call("poll_for_decision_task", domain="d1", taskList={"name": task_list})
        if not task or not task.get("taskToken"):
            return
        if valid:
            chosen = data.draw(decisions(task["events"], workflow_id="w1"))
        else:
            chosen = [
                {
                    "decisionType": "StartTimer",
                    "startTimerDecisionAttributes": {
                        "timerId": data.draw(ODD_TEXT),
                        "startToFireTimeout": data.draw(ODD_TEXT),
                    },
                }
            ]
        self.call("respond_decision_task_completed", taskToken=task["taskToken"], decisions=chosen)

    @rule(
        task_list=LISTS,
        outcome=st.sampled_from(["completed", "failed", "canceled", "none"]),
        heartbeat=st.sampled_from([None, "", "progress", "x" * 2049]),
    )
    @calls(*WORKER_METHODS)
    def work(self, task_list: str, outcome: str, heartbeat: str | None) -> None:
        task = self.call("poll_for_activity_task", domain="d1", taskList={"name": task_list})
        if not task or not task.get("taskToken"):
            return
        if heartbeat is not None:
            self.call(
                "record_activity_task_heartbeat", taskToken=task["taskToken"], details=heartbeat
            )
        if outcome != "none":
            self.call(f"respond_activity_task_{outcome}", taskToken=task["taskToken"])

    @rule(token=TOKENS, method=st.sampled_from(WORKER_METHODS[1:]))
    @calls(*WORKER_METHODS[1:])
    def answer_with_a_bad_token(self, token: str, method: str) -> None:
        self.call(method, taskToken=token)

    @rule(
        domain=DOMAINS,
        name=st.one_of(TYPE_NAMES, ODD_TEXT),
        version=VERSIONS,
        task_list=st.one_of(LISTS, ODD_TEXT),
        timeout=durations(allow_none=True, max_seconds=100),
    )
    @calls("register_workflow_type")
    def register_workflow_type(
        self, domain: str, name: str, version: str, task_list: str, timeout: str
    ) -> None:
        self.call(
            "register_workflow_type",
            domain=domain,
            name=name,
            version=version,
            defaultTaskList={"name": task_list},
            defaultTaskStartToCloseTimeout=timeout,
        )

    @rule(method=st.sampled_from(TYPE_METHODS), domain=DOMAINS, name=TYPE_NAMES, version=VERSIONS)
    @calls(*TYPE_METHODS)
    def manage_type(self, method: str, domain: str, name: str, version: str) -> None:
        member = "activityType" if "activity" in method else "workflowType"
        self.call(method, domain=domain, **{member: {"name": name, "version": version}})

    @rule(method=st.sampled_from(DOMAIN_METHODS), name=st.one_of(DOMAINS, ODD_TEXT))
    @calls(*DOMAIN_METHODS)
    def manage_domain(self, method: str, name: str) -> None:
        self.call(method, name=name)

    @rule(
        method=st.sampled_from(RUN_METHODS),
        domain=RUN_DOMAINS,
        workflow_id=st.one_of(WORKFLOW_IDS, ODD_TEXT),
        data=st.data(),
        page_size=st.sampled_from([None, 1, 1000, 1001]),
    )
    @calls(*RUN_METHODS)
    def inspect_run(
        self, method: str, domain: str, workflow_id: str, data: st.DataObject, page_size: int | None
    ) -> None:
        execution = {"workflowId": workflow_id, "runId": data.draw(st.sampled_from(self.run_ids))}
        paging = {} if page_size is None else {"maximumPageSize": page_size, "reverseOrder": True}
        if method == "describe_workflow_execution":
            paging = {}
        self.call(method, domain=domain, execution=execution, **paging)

    @rule(
        method=st.sampled_from(TAG_METHODS),
        domain=st.one_of(DOMAINS, ODD_TEXT),
        arn=st.sampled_from(["of the domain", "arn:aws:swf:us-east-1:1:/domain/d1", "arn"]),
        tags=TAGS,
    )
    @calls(*TAG_METHODS)
    def tag(self, method: str, domain: str, arn: str, tags: list[dict[str, str]]) -> None:
        if arn == "of the domain":
            arn = self.sim.engine.registry.domain_arn(domain)
        if method == "tag_resource":
            self.call(method, resourceArn=arn, tags=tags)
        elif method == "untag_resource":
            self.call(method, resourceArn=arn, tagKeys=[tag["key"] for tag in tags])
        else:
            self.call(method, resourceArn=arn)

    @rule(method=st.sampled_from(LIST_OPERATIONS), domain=DOMAINS, task_list=LISTS)
    @calls(*LIST_OPERATIONS)
    def read(self, method: str, domain: str, task_list: str) -> None:
        params: dict[str, Any] = {"domain": domain}
        if method == "list_domains":
            params = {"registrationStatus": "REGISTERED"}
        elif method == "describe_domain":
            params = {"name": domain}
        elif method.startswith(("list_open", "count_open", "list_closed", "count_closed")):
            params["startTimeFilter"] = {"oldestDate": 0}
        elif method.endswith("_types"):
            params["registrationStatus"] = "REGISTERED"
        else:
            params["taskList"] = {"name": task_list}
        self.call(method, **params)

    @rule(seconds=st.integers(0, 200))
    def advance(self, seconds: int) -> None:
        self.calls.append(("advance", {"seconds": seconds}))
        self.sim.clock.advance(seconds)

    @invariant()
    def histories_are_valid(self) -> None:
        for run in self.sim.engine.runs.values():
            assert swfsim.validate_history(list(run.history.events)) == []

    def teardown(self) -> None:
        self.mock.stop()
        again = Simulator(seed=3)
        answers: list[str] = []
        with swfsim.mock_swf(again, clients=[CLIENT]):
            for method, params in self.calls:
                if method == "advance":
                    again.clock.advance(params["seconds"])
                    continue
                try:
                    response = getattr(CLIENT, method)(**params)
                except ClientError as fault:
                    answers.append(fault.response["Error"]["Code"])
                    continue
                response.pop("ResponseMetadata", None)
                answers.append(json.dumps(response, sort_keys=True, default=str))
        assert answers == self.answers, "the same calls with the same seed answered differently"


SwfApi.TestCase.settings = settings(
    max_examples=40,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_swf_api = SwfApi.TestCase


def test_every_operation_has_a_rule() -> None:
    rules = {name for name in RULE_METHODS if hasattr(SwfApi, name)}
    assert rules == set(RULE_METHODS)
    called = {method for methods in RULE_METHODS.values() for method in methods}
    operations = {CLIENT.meta.method_to_api_mapping[method] for method in called}
    assert operations == set(spec.operation_names())
