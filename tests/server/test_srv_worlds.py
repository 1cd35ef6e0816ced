"""One world per account and region: the access key and the signed region choose it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from botocore.parsers import create_parser
from srv_helpers import (
    AMZ_JSON,
    DEFAULT_ACCOUNT,
    admin,
    admin_ok,
    client,
    request,
    signature,
    swf,
    swf_ok,
)

from swfsim.cli import main
from swfsim.server import Server
from swfsim.simulator import Simulator

WORKER = "000000000042"  # an xdist worker's own account
OTHER_WORKER = "000000000043"
LIST = {"registrationStatus": "REGISTERED"}


def register(swf_client: Any, name: str) -> None:
    swf_client.register_domain(name=name, workflowExecutionRetentionPeriodInDays="1")


def names(swf_client: Any) -> list[str]:
    listed = swf_client.list_domains(registrationStatus="REGISTERED")["domainInfos"]
    return [info["name"] for info in listed]


def arn(swf_client: Any, name: str) -> str:
    described: str = swf_client.describe_domain(name=name)["domainInfo"]["arn"]
    return described


def test_two_access_keys_see_two_worlds(server: Server) -> None:
    default, worker = client(server.url), client(server.url, access_key=WORKER)
    register(default, "shared-name")
    register(worker, "shared-name")  # no DomainAlreadyExistsFault: another account
    register(worker, "only-worker")
    assert names(default) == ["shared-name"]
    assert names(worker) == ["only-worker", "shared-name"]
    assert (
        arn(default, "shared-name")
        == f"arn:aws:swf:us-east-1:{DEFAULT_ACCOUNT}:/domain/shared-name"
    )
    assert arn(worker, "shared-name") == f"arn:aws:swf:us-east-1:{WORKER}:/domain/shared-name"
    # Any key that is not 12 digits is the default account, as in LocalStack.
    assert names(client(server.url, access_key="AKIAIOSFODNN7EXAMPLE")) == ["shared-name"]


def test_a_region_is_a_world_of_its_own(server: Server) -> None:
    east, west = client(server.url), client(server.url, region="us-west-2")
    register(west, "west")
    assert names(east) == []
    assert names(west) == ["west"]
    assert arn(west, "west") == f"arn:aws:swf:us-west-2:{DEFAULT_ACCOUNT}:/domain/west"
    with pytest.raises(ClientError) as unknown:
        east.describe_domain(name="west")
    assert unknown.value.response["Error"]["Code"] == "UnknownResourceFault"


def test_worlds_have_their_own_clocks(server: Server) -> None:
    admin_ok(server.url, "POST", "clock/advance", {"seconds": 3600, "account": WORKER})
    worker = admin_ok(server.url, "GET", f"clock?account={WORKER}")
    default = admin_ok(server.url, "GET", "clock")
    assert worker["epochMillis"] == default["epochMillis"] + 3_600_000


def test_an_unsigned_request_is_refused_and_changes_nothing(server: Server) -> None:
    params = {"name": "unsigned", "workflowExecutionRetentionPeriodInDays": "1"}
    reply = swf(server.url, "RegisterDomain", params, signed={})
    assert reply.status == 403
    assert reply.header("Content-Type") == AMZ_JSON
    assert reply.json() == {
        "__type": "com.amazon.coral.service#MissingAuthenticationTokenException",
        "message": reply.json()["message"],
    }
    assert reply.json()["message"].startswith("Request is missing Authentication Token")
    parsed = create_parser("json").parse(
        {"status_code": reply.status, "headers": dict(reply.headers), "body": reply.body}, None
    )
    assert parsed["Error"]["Code"] == "MissingAuthenticationTokenException"
    assert swf_ok(server.url, "ListDomains", LIST) == {"domainInfos": []}
    assert [world["account"] for world in admin_ok(server.url, "GET", "worlds")["worlds"]] == [
        DEFAULT_ACCOUNT
    ]


def test_a_signature_without_a_scope_or_region_is_refused(server: Server) -> None:
    broken = {"Authorization": "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=0"}
    reply = swf(server.url, "ListDomains", LIST, signed=broken)
    assert (reply.status, reply.json()["__type"]) == (
        400,
        "com.amazon.coral.service#IncompleteSignatureException",
    )
    odd = swf(server.url, "ListDomains", LIST, signed=signature(region="Mars-1"))
    assert (odd.status, odd.json()["__type"]) == (
        403,
        "com.amazon.coral.service#InvalidSignatureException",
    )


def test_s3_needs_no_signature_and_keeps_each_account_apart(server: Server) -> None:
    client(server.url, "s3").create_bucket(Bucket="default-steps")
    client(server.url, "s3", access_key=WORKER).create_bucket(Bucket="worker-steps")
    listed = client(server.url, "s3", access_key=WORKER).list_buckets()["Buckets"]
    assert [bucket["Name"] for bucket in listed] == ["worker-steps"]
    # An unsigned request is the default account's, as any key that is not 12 digits.
    unsigned = request(server.url, "GET").body
    assert b"<Name>default-steps</Name>" in unsigned
    assert b"worker-steps" not in unsigned
    # Bucket names are global, as on AWS: another account's name is taken.
    with pytest.raises(ClientError) as taken:
        client(server.url, "s3").create_bucket(Bucket="worker-steps")
    assert taken.value.response["Error"]["Code"] == "BucketAlreadyExists"


def test_admin_lists_worlds_and_addresses_one(server: Server) -> None:
    worker = client(server.url, access_key=WORKER, region="eu-west-1")
    register(worker, "w")
    listed = admin_ok(server.url, "GET", "worlds")
    assert listed["default"] == {"account": DEFAULT_ACCOUNT, "region": "us-east-1"}
    summary = [(w["account"], w["region"], w["domains"]) for w in listed["worlds"]]
    assert summary == [("000000000042", "eu-west-1", 1), (DEFAULT_ACCOUNT, "us-east-1", 0)]

    where = f"account={WORKER}&region=eu-west-1"
    saved = admin_ok(server.url, "GET", f"snapshot?{where}")
    assert (saved["accountId"], saved["region"]) == (WORKER, "eu-west-1")
    admin_ok(server.url, "POST", "reset", {"account": WORKER, "region": "eu-west-1"})
    assert names(worker) == []
    restored = request(
        server.url,
        "POST",
        f"/_swfsim/restore?{where}",
        json.dumps(saved),
        {"Content-Type": "application/json"},
    )
    assert restored.status == 200, restored.body
    assert names(worker) == ["w"]

    # The same snapshot restored into another world: its ARNs name that world.
    other = "111122223333"
    admin_ok(server.url, "GET", "health")
    copied = request(
        server.url,
        "POST",
        f"/_swfsim/restore?account={other}&region=us-west-2",
        json.dumps(saved),
        {"Content-Type": "application/json"},
    )
    assert copied.status == 200, copied.body
    copy = client(server.url, access_key=other, region="us-west-2")
    assert arn(copy, "w") == f"arn:aws:swf:us-west-2:{other}:/domain/w"


@pytest.mark.parametrize(
    "query",
    ["account=123", "account=abcdefghijkl", "region=us_east", "region=%E2%82%AC-1"],
)
def test_admin_refuses_a_world_that_cannot_be(server: Server, query: str) -> None:
    reply = admin(server.url, "GET", f"clock?{query}")
    assert reply.status == 400
    assert "account" in reply.json()["error"] or "region" in reply.json()["error"]
    assert len(admin_ok(server.url, "GET", "worlds")["worlds"]) == 1


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    capsys.readouterr()
    assert main(list(argv)) == 0
    out = capsys.readouterr().out
    return json.loads(out) if out else None


def test_cli_addresses_one_world(
    server: Server, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url = ["--endpoint", server.url]
    world = ["--account", WORKER, "--region", "us-west-2"]
    worker = client(server.url, access_key=WORKER, region="us-west-2")
    register(worker, "cli")
    listed = cli(capsys, "worlds", *url)["worlds"]
    assert {(w["account"], w["region"]) for w in listed} == {
        (WORKER, "us-west-2"),
        (DEFAULT_ACCOUNT, "us-east-1"),
    }
    moved = cli(capsys, "advance", "--seconds", "60", *url, *world)
    assert moved["epochMillis"] == cli(capsys, "clock", *url)["epochMillis"] + 60_000
    saved = tmp_path / "worker.json"
    cli(capsys, "snapshot", "-o", str(saved), *url, *world)
    cli(capsys, "reset", *url, *world)
    assert names(worker) == []
    cli(capsys, "restore", str(saved), *url, *world)
    assert names(worker) == ["cli"]
    assert names(client(server.url)) == []  # the default world was never touched
    capsys.readouterr()
    with pytest.raises(SystemExit) as refused:  # argparse's usage error
        main(["clock", *url, "--account", "42"])
    assert refused.value.code == 2
    assert "must be a 12-digit account id" in capsys.readouterr().err


@pytest.mark.clock_mode("realtime")
def test_a_realtime_clock_jumps_when_the_clients_of_its_own_world_wait(server: Server) -> None:
    worker, other = client(server.url, access_key=WORKER), client(server.url)
    runs = {swf_client: open_run(swf_client) for swf_client in (worker, other)}
    # Every client of the default world waits in a poll: its clock jumps past its run's 30 s
    # timeout at once. The worker's world, where nobody waits, stays where it was.
    other.poll_for_decision_task(domain="d", taskList={"name": "elsewhere"})
    assert status(other, runs[other]) == "TIMED_OUT"
    assert status(worker, runs[worker]) == "OPEN"
    # Now the worker's own client waits: its world jumps in turn.
    worker.poll_for_decision_task(domain="d", taskList={"name": "elsewhere"})
    assert status(worker, runs[worker]) == "TIMED_OUT"


def open_run(swf_client: Any) -> str:
    """The run ``w1`` in domain ``d``, which times out after 30 s and nobody decides."""
    register_workflow(swf_client)
    # A longer run stays open after w1 times out: there is still something to jump to.
    for workflow_id, timeout in (("w2", "3600"), ("w1", "30")):
        started = swf_client.start_workflow_execution(
            domain="d",
            workflowId=workflow_id,
            workflowType={"name": "w", "version": "1"},
            executionStartToCloseTimeout=timeout,
        )
    run_id: str = started["runId"]
    return run_id


def status(swf_client: Any, run_id: str) -> str:
    execution = {"workflowId": "w1", "runId": run_id}
    info = swf_client.describe_workflow_execution(domain="d", execution=execution)
    shown: str = info["executionInfo"].get("closeStatus", "OPEN")
    return shown


def test_a_reset_empties_its_own_accounts_world_and_s3_only(server: Server) -> None:
    accounts = {key: Account(server.url, key) for key in (WORKER, OTHER_WORKER)}
    for account in accounts.values():
        account.fill()
    reset, kept = accounts[WORKER], accounts[OTHER_WORKER]

    admin_ok(server.url, "POST", "reset", {"account": WORKER})

    assert names(reset.swf) == []
    assert reset.s3.list_buckets()["Buckets"] == []
    assert names(kept.swf) == ["d"]
    assert status(kept.swf, kept.run_id) == "COMPLETED"
    assert [bucket["Name"] for bucket in kept.s3.list_buckets()["Buckets"]] == [kept.bucket]
    # Its object is still readable (moto's own S3 reset closes every account's objects).
    assert kept.s3.get_object(Bucket=kept.bucket, Key="k")["Body"].read() == kept.body
    # The account reset may use its bucket name again, and the bucket is empty.
    reset.s3.create_bucket(Bucket=reset.bucket)
    assert reset.s3.list_objects_v2(Bucket=reset.bucket)["KeyCount"] == 0


def register_workflow(swf_client: Any) -> None:
    """The domain ``d`` and its workflow type ``w``, decided on the list ``decisions``."""
    register(swf_client, "d")
    swf_client.register_workflow_type(
        domain="d",
        name="w",
        version="1",
        defaultTaskList={"name": "decisions"},
        defaultTaskStartToCloseTimeout="NONE",
        defaultExecutionStartToCloseTimeout="3600",
        defaultChildPolicy="TERMINATE",
    )


class Account:
    """An xdist worker's account: its SWF and S3 clients, a bucket, and a run it completes."""

    def __init__(self, url: str, key: str) -> None:
        self.swf, self.s3 = client(url, access_key=key), client(url, "s3", access_key=key)
        self.bucket, self.body = f"steps-{key}", f"from {key}".encode()
        self.run_id = ""

    def fill(self) -> None:
        self.s3.create_bucket(Bucket=self.bucket)
        self.s3.put_object(Bucket=self.bucket, Key="k", Body=self.body)
        register_workflow(self.swf)
        workflow = {"name": "w", "version": "1"}
        started = self.swf.start_workflow_execution(
            domain="d", workflowId="w1", workflowType=workflow
        )
        self.run_id = started["runId"]
        task = self.swf.poll_for_decision_task(domain="d", taskList={"name": "decisions"})
        self.swf.respond_decision_task_completed(
            taskToken=task["taskToken"],
            decisions=[{"decisionType": "CompleteWorkflowExecution"}],
        )
        assert status(self.swf, self.run_id) == "COMPLETED"


def shouted(swf_client: Any, workflow_id: str, payload: str) -> dict[str, Any]:
    """Start ``workflow_id`` and decide to invoke ``shout``: the event closing its Lambda task."""
    tasks = {"name": workflow_id}  # a list of its own: no other run's decision task
    started = swf_client.start_workflow_execution(
        domain="d",
        workflowId=workflow_id,
        workflowType={"name": "w", "version": "1"},
        taskList=tasks,
        lambdaRole=f"arn:aws:iam::{DEFAULT_ACCOUNT}:role/swf-lambda",
    )
    task = swf_client.poll_for_decision_task(domain="d", taskList=tasks)
    invoke = {"id": "l1", "name": "shout", "input": payload}
    swf_client.respond_decision_task_completed(
        taskToken=task["taskToken"],
        decisions=[
            {
                "decisionType": "ScheduleLambdaFunction",
                "scheduleLambdaFunctionDecisionAttributes": invoke,
            }
        ],
    )
    execution = {"workflowId": workflow_id, "runId": started["runId"]}
    events = swf_client.get_workflow_execution_history(domain="d", execution=execution)["events"]
    closed: dict[str, Any] = events[-2]  # then the DecisionTaskScheduled it asks for
    return closed


def test_every_world_has_the_lambda_functions_of_the_servers_factory() -> None:
    calls: list[str | None] = []

    def shout(payload: str | None) -> str:
        calls.append(payload)
        return (payload or "").upper()

    def factory() -> Simulator:
        sim = Simulator(seed=0, journal=True, clock_mode="manual")
        sim.register_lambda("shout", shout)  # no duration: the outcome is recorded at once
        return sim

    server = Server(factory, with_s3=False).start()
    try:
        worker = client(server.url, access_key=WORKER, region="eu-west-1")
        register_workflow(worker)
        closed = shouted(worker, "first", "hello")
        assert closed["eventType"] == "LambdaFunctionCompleted"
        assert closed["lambdaFunctionCompletedEventAttributes"]["result"] == "HELLO"

        # A restore into a world not made yet: the world made for it keeps the functions.
        saved = admin_ok(server.url, "GET", f"snapshot?account={WORKER}&region=eu-west-1")
        copied = request(
            server.url,
            "POST",
            f"/_swfsim/restore?account={OTHER_WORKER}",
            json.dumps(saved),
            {"Content-Type": "application/json"},
        )
        assert copied.status == 200, copied.body
        copy = client(server.url, access_key=OTHER_WORKER)
        closed = shouted(copy, "second", "again")
        assert closed["lambdaFunctionCompletedEventAttributes"]["result"] == "AGAIN"
    finally:
        server.stop()
    assert calls == ["hello", "again"]  # the restore replayed "hello" without calling shout
