"""A seeded raw-HTTP fuzz of ``swfsim serve``: requests built from botocore's SWF model, then
mutated (wrong types, unknown members, lone surrogates, huge numbers, deep nesting, truncation,
byte flips, other headers). Every answer must be below 500 and, when an error, AWS-shaped JSON;
afterwards the server answers, a run recorded before is byte for byte unchanged, and the state
the fuzz left snapshots and restores. A smaller fuzz does the same for the admin API.

The generator is a plain ``random.Random(seed)``, so a failure names the seed and the request's
number, and reruns exactly: ``SWFSIM_FUZZ_SEED=<seed> pytest tests/server/test_srv_fuzz.py``.
"""

from __future__ import annotations

import base64
import copy
import json
import os
import random
import re
import urllib.parse
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from botocore.model import ListShape, Shape, StructureShape
from srv_helpers import (
    AMZ_JSON,
    SHORT_TARGET,
    SIGNED,
    Baseline,
    Reply,
    admin,
    admin_ok,
    request,
    swf_ok,
)

from swfsim import spec
from swfsim.server import Server

SEED = int(os.environ.get("SWFSIM_FUZZ_SEED", "9"))
SWF_REQUESTS = 2000
ADMIN_REQUESTS = 300
START_SECONDS = 1767225600  # the server's clock starts at 2026-01-01T00:00:00Z

# Values per string shape of the model: few enough that requests often name things that exist.
_WORDS: dict[str, list[str]] = {
    "DomainName": ["fuzz", "fuzz", "fuzz-b"],
    "Name": ["fz", "fz", "fz-b"],
    "Version": ["1", "1", "2"],
    "VersionOptional": ["1", "1", "2"],
    "WorkflowId": ["wf-1", "wf-2", "wf-3", "wf-4"],
    "Arn": [
        "arn:aws:swf:us-east-1:123456789012:/domain/fuzz",
        "arn:aws:swf::123456789012:/domain/fuzz",
        "arn:aws:swf:us-east-1:123456789012:/domain/",
        "arn:aws:swf:us-east-1:123456789012:/domain/fuzz/more",
        "arn:aws:iam::1:role/r",
        ":::::",
    ],
    "Tag": ["t1", "t2"],
    "ResourceTagKey": ["k"],
    "ResourceTagValue": ["v"],
    "DurationInDays": ["0", "1", "90", "NONE"],
    "TaskPriority": ["0", "5", "-3", "-2147483648", "2147483647", "+1"],
}
_IDS = ["a1", "a2"]  # activity and timer ids, signal, marker and Lambda function names
_TEXT = ["", "x", '{"k": [1, 2]}', "\u00fc\u00f1\u00ee \U0001f600"]
_DURATIONS = ["0", "1", "5", "60", "3600", "NONE", "31536000", "99999999"]
# Page tokens no answer gave: base64 of nothing JSON, of another shape, of JSON too deep to read.
_FORGED_TOKENS = [
    "bm9wZQ==",
    base64.urlsafe_b64encode(b'["x", [1], 0]').decode(),
    base64.urlsafe_b64encode(b"[" * 1530).decode(),
    "%%%",
]
_HARVESTED = {"TaskToken": "taskToken", "WorkflowRunId": "runId", "PageToken": "nextPageToken"}
# The decider's and the worker's loop come up more often, so that tasks get handed out and
# answered with decisions of every type; what ends runs and retires types comes up less.
_WEIGHTS: dict[str, float] = {
    "DeprecateDomain": 0.2,
    "DeprecateWorkflowType": 0.2,
    "DeprecateActivityType": 0.2,
    "DeleteWorkflowType": 0.2,
    "DeleteActivityType": 0.2,
    "TerminateWorkflowExecution": 0.3,
    "PollForDecisionTask": 4,
    "RespondDecisionTaskCompleted": 8,
    "PollForActivityTask": 4,
    "RespondActivityTaskCompleted": 2,
    "RespondActivityTaskFailed": 2,
    "RespondActivityTaskCanceled": 2,
    "RecordActivityTaskHeartbeat": 2,
    "StartWorkflowExecution": 4,
    "SignalWorkflowExecution": 4,
}
_DECISION_WEIGHTS = {"ScheduleActivityTask": 6, "StartTimer": 2}
_OPTIONAL_BUT_LIKELY = {"decisions"}

# What mutations put in.
_WRONG_TYPES: list[Any] = [5, -1, 1.5, "x", "", [], {}, None, True, [1, "a"], {"k": "v"}]
_HUGE_NUMBERS: list[Any] = [1e308, -1e308, 10**30, 2**63, -(2**63) - 1, 253402300800, 5e-324]
_NUMERIC_STRINGS = ["\u00b2", "\u0663", "9" * 5000, "0" * 100 + "1", "1_0", " 1", "+1", "-0"]
_ODD_STRINGS = ["\x00", "\u2028", "\ufeff", "a:b", "arn", " x ", "x" * 257, "y" * 32769]
_SURROGATES = ["\ud800", "\udfff", "\ud83d"]
_UNKNOWN_KEYS = ["extra", "x\ud800", "", "__type", "domain\u0000"]
_RAW_INSERTS = [
    b"\xed\xa0\x80",
    b"\xff",
    b"\xc0\xaf",
    b"\x00",
    b"NaN",
    b"Infinity",
    b"-Infinity",
    b"1e400",
    b"[" * 5000,
    b'{"a":' * 3000,
    b"\\ud800",
    b'"',
    b"\\",
    b"{",
    b"}",
    b",",
]
_RAW_NUMBERS = [b"NaN", b"Infinity", b"-Infinity", b"1e400", b"-1e400", b"1" + b"0" * 5000]
_WHOLE_BODIES = [b"", b"null", b"[]", b'"x"', b"1", b"true", b"\xef\xbb\xbf{}", b"{}{}", b" "]
_NUMBER = re.compile(rb"(?<=: )-?[0-9]+(\.[0-9]+)?(e[+-]?[0-9]+)?")


@dataclass
class Sent:
    """One fuzz request: what was sent, and how it was made (for the failure report)."""

    operation: str
    how: str
    body: bytes
    headers: dict[str, str]
    method: str = "POST"

    def describe(self, number: int) -> str:
        return f"#{number} {self.method} {self.operation} ({self.how}) {self.body[:160]!r}"


@dataclass
class Harvest:
    """Identifiers seen in answers, fed back into later requests (tokens, run ids, pages)."""

    values: dict[str, list[str]] = field(
        default_factory=lambda: {"taskToken": [], "runId": [], "nextPageToken": []}
    )

    def take(self, answer: Any) -> None:
        if isinstance(answer, dict):
            for key, value in answer.items():
                pool = self.values.get(key)
                if pool is not None and isinstance(value, str) and value not in pool:
                    pool.append(value)
                    del pool[:-20]
                self.take(value)
        elif isinstance(answer, list):
            for item in answer:
                self.take(item)


class Requests:
    """Valid-ish SWF requests from the model's input shapes, and their mutations."""

    def __init__(self, rng: random.Random, harvest: Harvest) -> None:
        self.rng = rng
        self.harvest = harvest
        self.operations = spec.operation_names()
        self.weights = [_WEIGHTS.get(name, 1) for name in self.operations]

    def next(self) -> Sent:
        """The next request: valid-ish (2 in 5), mutated as data, as bytes, or in its head."""
        rng = self.rng
        operation = rng.choices(self.operations, self.weights)[0]
        input_shape = spec.operation(operation).input_shape
        assert isinstance(input_shape, StructureShape)
        params = self.value(input_shape)
        headers = {"X-Amz-Target": SHORT_TARGET + operation, "Content-Type": AMZ_JSON, **SIGNED}
        roll = rng.random()
        if roll < 0.4:
            return Sent(operation, "valid", json.dumps(params).encode(), headers)
        if roll < 0.75:
            how, mutated = self.mutate_data(params)
            return Sent(operation, how, json.dumps(mutated).encode(), headers)
        if roll < 0.93:
            how, body = self.mutate_bytes(json.dumps(params).encode())
            return Sent(operation, how, body, headers)
        return self.mutate_head(operation, json.dumps(params).encode(), headers)

    # ---- valid-ish values, shape by shape ---------------------------------------------------

    def value(self, shape: Shape) -> Any:
        if isinstance(shape, StructureShape):
            return self.decision() if shape.name == "Decision" else self.structure(shape)
        if isinstance(shape, ListShape):
            return [self.value(shape.member) for _ in range(self.rng.randint(0, 3))]
        kind = shape.type_name
        if kind == "string":
            return self.string(shape)
        if kind in ("integer", "long"):
            return self.rng.choice([0, 1, 2, 5, 1000])
        if kind == "boolean":
            return self.rng.random() < 0.5
        assert kind == "timestamp", kind
        return self.rng.choice(
            [0, START_SECONDS - 3600, START_SECONDS + 0.5, 2e9, -62135596800, 253402300799.999]
        )

    def structure(self, shape: StructureShape) -> dict[str, Any]:
        required = set(shape.required_members)
        return {
            name: self.value(member)
            for name, member in shape.members.items()
            if name in required
            or self.rng.random() < (0.9 if name in _OPTIONAL_BUT_LIKELY else 0.4)
        }

    def decision(self) -> dict[str, Any]:
        types = spec.decision_types()
        decision_type = self.rng.choices(types, [_DECISION_WEIGHTS.get(t, 1) for t in types])[0]
        key = spec.attributes_key(decision_type, "DecisionAttributes")
        attributes = spec.structure("Decision").members[key]
        assert isinstance(attributes, StructureShape)
        return {"decisionType": decision_type, key: self.structure(attributes)}

    def string(self, shape: Shape) -> str:
        rng = self.rng
        enum = getattr(shape, "enum", None)
        if enum:
            return str(rng.choice(enum))
        harvested = _HARVESTED.get(shape.name.removesuffix("Optional"))
        if harvested is not None:
            pool = self.harvest.values[harvested]
            if not pool or rng.random() < 0.1:
                return rng.choice(_FORGED_TOKENS)
            return pool[-1] if rng.random() < 0.5 else rng.choice(pool)
        if shape.name in _WORDS:
            return rng.choice(_WORDS[shape.name])
        if spec.is_duration(shape):
            return rng.choice(_DURATIONS)
        if shape.name.endswith(("Id", "Name")):
            return rng.choice(_IDS)
        return rng.choice(_TEXT)

    # ---- mutations ----------------------------------------------------------------------------

    def mutate_data(self, params: dict[str, Any]) -> tuple[str, Any]:
        """The params with one thing changed at a random place."""
        rng = self.rng
        mutated = copy.deepcopy(params)
        places = list(_places(mutated))
        container, key = rng.choice(places) if places else (mutated, None)
        how = rng.choice(
            ["type", "unknown", "surrogate", "huge", "numeric", "odd", "deep", "missing"]
        )
        if how == "unknown" or key is None:
            target = rng.choice([c for c, _ in places if isinstance(c, dict)] or [mutated])
            target[rng.choice(_UNKNOWN_KEYS)] = rng.choice([*_WRONG_TYPES, "\ud800"])
            return "unknown member", mutated
        if how == "missing" and isinstance(container, dict):
            del container[key]
            return f"without {key}", mutated
        container[key] = self._replacement(how, container[key])
        return f"{how} at {key}", mutated

    def _replacement(self, how: str, old: Any) -> Any:
        rng = self.rng
        if how == "surrogate":
            text = old if isinstance(old, str) else "x"
            at = rng.randint(0, len(text))
            return text[:at] + rng.choice(_SURROGATES) + text[at:]
        if how == "huge":
            return rng.choice(_HUGE_NUMBERS)
        if how == "numeric":
            return rng.choice(_NUMERIC_STRINGS)
        if how == "odd":
            return rng.choice(_ODD_STRINGS)
        if how == "deep":
            deep: Any = "leaf"
            for _ in range(rng.choice([63, 64, 65, 200])):
                deep = [deep] if rng.random() < 0.5 else {"a": deep}
            return deep
        return rng.choice(_WRONG_TYPES)

    def mutate_bytes(self, body: bytes) -> tuple[str, bytes]:
        """The serialized request damaged at the byte level."""
        rng = self.rng
        how = rng.choice(["truncate", "flip", "insert", "number", "twice", "whole"])
        at = rng.randint(0, len(body))
        if how == "truncate":
            return how, body[:at]
        if how == "flip":
            data = bytearray(body)
            for _ in range(rng.randint(1, 4)):
                if data:
                    data[rng.randrange(len(data))] = rng.randrange(256)
            return how, bytes(data)
        if how == "insert":
            return how, body[:at] + rng.choice(_RAW_INSERTS) + body[at:]
        if how == "number" and _NUMBER.search(body):
            return how, _NUMBER.sub(rng.choice(_RAW_NUMBERS), body, count=1)
        if how == "twice":
            return how, body + body
        return "whole", rng.choice(_WHOLE_BODIES)

    def mutate_head(self, operation: str, body: bytes, headers: dict[str, str]) -> Sent:
        """The request with another content type, target or method."""
        rng = self.rng
        how = rng.choice(["content type", "target", "no target", "method"])
        changed = dict(headers)
        method = "POST"
        if how == "content type":
            changed["Content-Type"] = rng.choice(
                [
                    "text/plain",
                    "application/json",
                    "application/x-amz-json-1.1",
                    "",
                    "a/b; x=\u00e9",
                ]
            )
        elif how == "target":
            changed["X-Amz-Target"] = rng.choice(
                [
                    f"com.amazonaws.swf.service.model.SimpleWorkflowService.{operation}",
                    f"SimpleWorkflowService.{operation.lower()}",
                    "SimpleWorkflowService.",
                    "DynamoDB_20120810.ListTables",
                    f"SimpleWorkflowService.{operation}\u00ff",
                ]
            )
        elif how == "no target":
            del changed["X-Amz-Target"]
        else:
            method = rng.choice(["GET", "PUT", "DELETE"])
        return Sent(operation, how, body, changed, method)


def _places(value: Any) -> Any:
    """Every (container, key or index) in a JSON value, outermost first."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield value, key
            yield from _places(item)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield value, index
            yield from _places(item)


def _send(url: str, sent: Sent) -> Reply:
    # http.client writes header values as Latin-1: a target outside it goes out as raw bytes.
    headers = {
        name: value.encode("utf-8").decode("latin-1") for name, value in sent.headers.items()
    }
    return request(url, sent.method, "/", sent.body, headers)


def _problem_with_swf_answer(reply: Reply) -> str | None:
    """What is wrong with an answer, or None: below 500, and JSON as AWS writes it."""
    if reply.status >= 500:
        return f"status {reply.status}: {reply.body[:300]!r}"
    if reply.header("Content-Type") not in (AMZ_JSON, "application/json"):
        return f"Content-Type {reply.header('Content-Type')!r}: {reply.body[:300]!r}"
    if not reply.header("x-amzn-RequestId"):
        return "no x-amzn-RequestId header"
    try:
        body = json.loads(reply.body.decode("utf-8")) if reply.body else {}
    except ValueError as error:
        return f"the body is not UTF-8 JSON ({error}): {reply.body[:300]!r}"
    if not isinstance(body, dict):
        return f"the body is not an object: {reply.body[:300]!r}"
    if reply.status == 200:
        return None
    type_, message = body.get("__type"), body.get("message")
    if not isinstance(type_, str) or "#" not in type_:
        return f"no __type: {reply.body[:300]!r}"
    if not isinstance(message, str) or not message:
        return f"no message: {reply.body[:300]!r}"
    return None


def _fuzz_world(url: str) -> None:
    """Types and runs in the fuzz's own domain, so that polls hand out tasks to answer."""
    swf_ok(url, "RegisterDomain", {"name": "fuzz", "workflowExecutionRetentionPeriodInDays": "1"})
    common = {"domain": "fuzz", "name": "fz", "version": "1"}
    swf_ok(
        url,
        "RegisterWorkflowType",
        {
            **common,
            "defaultTaskList": {"name": "fz"},
            "defaultExecutionStartToCloseTimeout": "31536000",
            "defaultTaskStartToCloseTimeout": "NONE",
            "defaultChildPolicy": "TERMINATE",
        },
    )
    swf_ok(
        url,
        "RegisterActivityType",
        {
            **common,
            "defaultTaskList": {"name": "fz"},  # the deciders' list has another namespace
            "defaultTaskScheduleToStartTimeout": "NONE",
            "defaultTaskScheduleToCloseTimeout": "NONE",
            "defaultTaskStartToCloseTimeout": "NONE",
            "defaultTaskHeartbeatTimeout": "NONE",
        },
    )
    for workflow_id in ("wf-1", "wf-2"):
        workflow_type = {"name": "fz", "version": "1"}
        swf_ok(
            url,
            "StartWorkflowExecution",
            {"domain": "fuzz", "workflowId": workflow_id, "workflowType": workflow_type},
        )


def test_swf_fuzz(server: Server) -> None:
    url = server.url
    baseline = Baseline(url)
    _fuzz_world(url)
    before = admin_ok(url, "GET", "snapshot")
    harvest = Harvest()
    requests = Requests(random.Random(SEED), harvest)
    failures: list[str] = []
    outcomes: Counter[str] = Counter()
    for number in range(SWF_REQUESTS):
        sent = requests.next()
        reply = _send(url, sent)
        problem = _problem_with_swf_answer(reply)
        if problem is not None:
            failures.append(f"{sent.describe(number)}: {problem}")
            continue
        if reply.status == 200:
            outcomes["200"] += 1
            harvest.take(json.loads(reply.body) if reply.body else {})
        else:
            outcomes[json.loads(reply.body)["__type"].partition("#")[2]] += 1
    assert not failures, f"seed {SEED}: {len(failures)} bad answers:\n" + "\n".join(failures[:20])

    # The fuzz reached deep: requests succeeded, tasks were handed out and answered, and each
    # kind of refusal occurred.
    assert outcomes["200"] > SWF_REQUESTS // 10, outcomes
    assert harvest.values["taskToken"], outcomes
    for code in ("ValidationException", "SerializationException", "UnknownResourceFault"):
        assert outcomes[code] > 20, outcomes
    assert outcomes["UnknownOperationException"] > 0, outcomes

    # Alive, the run recorded before unchanged, and the state left snapshots and restores.
    assert admin_ok(url, "GET", "health") == {"ok": True}
    baseline.assert_intact()
    after = admin(url, "GET", "snapshot")
    assert after.status == 200
    snapshot = json.loads(after.body.decode("utf-8"))
    assert snapshot["journal"][: len(before["journal"])] == before["journal"]
    admin_ok(url, "POST", "restore", snapshot)
    assert admin(url, "GET", "snapshot").body == after.body
    baseline.assert_intact()


# ---- the admin API ------------------------------------------------------------------------------


class AdminRequests:
    """Admin requests: valid-ish ones for every route, unknown routes, and mutated bodies."""

    def __init__(self, rng: random.Random, snapshot: dict[str, Any], run_id: str) -> None:
        self.rng = rng
        self.snapshot = snapshot
        self.run_id = run_id
        self.data = Requests(rng, Harvest())

    def next(self) -> tuple[str, str, bytes | None]:
        """Method, path (with query) and body of the next admin request."""
        rng = self.rng
        method, route, body = rng.choice(self._routes())()
        if body is not None and rng.random() < 0.5:
            if rng.random() < 0.5:
                body = self.data.mutate_bytes(json.dumps(body).encode())[1]
            elif isinstance(body, dict):
                body = self.data.mutate_data(body)[1]
        data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
        return method, route, data

    def _routes(self) -> list[Callable[[], tuple[str, str, Any]]]:
        rng = self.rng
        return [
            lambda: ("GET", "health", None),
            lambda: ("GET", "clock", None),
            lambda: ("GET", "snapshot", None),
            lambda: ("GET", self._history(), None),
            lambda: ("GET", "timeline" + self._history().removeprefix("history"), None),
            lambda: ("POST", "clock/advance", {"seconds": rng.choice([0, 0.5, 1, 60, 3600])}),
            lambda: ("POST", "clock/advance", {"to": self._moment()}),
            lambda: ("POST", "clock/mode", self._mode()),
            lambda: ("POST", "restore", self.snapshot),
            lambda: ("POST", "reset", None),
            lambda: (rng.choice(["GET", "POST", "PUT"]), rng.choice(["nowhere", "", "reset"]), {}),
        ]

    def _history(self) -> str:
        rng = self.rng
        query = {
            "domain": rng.choice(["srv", "nope", "\u00e9"]),
            "workflowId": rng.choice(["kept", "nobody", ""]),
            "runId": rng.choice([self.run_id, "", "22x="]),
        }
        raw = urllib.parse.urlencode(query)
        return "history?" + rng.choice([raw, raw + "%ED%A0%80", "domain=%FF&workflowId=%C0"])

    def _moment(self) -> str:
        return self.rng.choice(
            ["2026-01-01T00:00:00Z", "2026-06-01T00:00:00+02:00", "2027-01-01T00:00:00Z"]
        )

    def _mode(self) -> dict[str, Any]:
        return {
            "mode": self.rng.choice(["auto", "manual", "realtime"]),
            "rate": self.rng.choice([1, 60, 0.5, 1e6]),
        }


PAGES = ("", "timeline")  # the routes that answer HTML pages for a browser


def _problem_with_admin_answer(reply: Reply, method: str, route: str) -> str | None:
    if reply.status >= 500:
        return f"status {reply.status}: {reply.body[:300]!r}"
    if method == "GET" and route.split("?")[0] in PAGES:
        html = reply.header("Content-Type") == "text/html; charset=utf-8"
        return None if html else f"a page answered {reply.header('Content-Type')!r}"
    if reply.header("Content-Type") != "application/json":
        return f"Content-Type {reply.header('Content-Type')!r}: {reply.body[:300]!r}"
    try:
        body = json.loads(reply.body.decode("utf-8"))
    except ValueError as error:
        return f"the body is not UTF-8 JSON ({error}): {reply.body[:300]!r}"
    if not isinstance(body, dict):
        return f"the body is not an object: {reply.body[:300]!r}"
    if reply.status != 200 and not (isinstance(body.get("error"), str) and body["error"]):
        return f"no error message: {reply.body[:300]!r}"
    return None


def test_admin_fuzz(server: Server) -> None:
    url = server.url
    baseline = Baseline(url)
    snapshot = admin_ok(url, "GET", "snapshot")
    requests = AdminRequests(random.Random(SEED), snapshot, baseline.run_id)
    failures: list[str] = []
    statuses: Counter[int] = Counter()
    for number in range(ADMIN_REQUESTS):
        method, route, body = requests.next()
        state = admin(url, "GET", "snapshot").body
        headers = {"Content-Type": "application/json"} if body is not None else {}
        reply = request(url, method, f"/_swfsim/{route}", body, headers)
        statuses[reply.status] += 1
        described = f"#{number} {method} /_swfsim/{route} {(body or b'')[:160]!r}"
        problem = _problem_with_admin_answer(reply, method, route)
        if problem is None and reply.status != 200 and admin(url, "GET", "snapshot").body != state:
            problem = "refused, yet the world changed"
        if problem is not None:
            failures.append(f"{described}: {problem}")
    assert not failures, f"seed {SEED}: {len(failures)} bad answers:\n" + "\n".join(failures[:20])
    assert statuses[200] > ADMIN_REQUESTS // 4, statuses
    assert statuses[400] > ADMIN_REQUESTS // 10, statuses

    admin_ok(url, "POST", "clock/mode", {"mode": "auto"})
    assert admin_ok(url, "GET", "health") == {"ok": True}
    admin_ok(url, "POST", "restore", snapshot)
    baseline.assert_intact()
