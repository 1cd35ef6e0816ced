"""Bad admin requests: each a JSON 4xx naming the problem, and none changes the world."""

from __future__ import annotations

import json
from typing import Any

import pytest
from srv_helpers import (
    DOMAIN,
    Baseline,
    admin,
    admin_ok,
    request,
    start,
    swf,
)

from swfsim.server import Server

LIST = {"registrationStatus": "REGISTERED"}


class World:
    """A baseline run and the world's snapshot and clock, and the check that none changed."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.baseline = Baseline(url)
        self.snapshot = admin(url, "GET", "snapshot").body
        self.clock = admin(url, "GET", "clock").body

    def assert_unchanged(self) -> None:
        assert admin(self.url, "GET", "snapshot").body == self.snapshot
        assert admin(self.url, "GET", "clock").body == self.clock
        self.baseline.assert_intact()
        assert swf(self.url, "ListDomains", LIST).status == 200


@pytest.fixture
def world(server: Server) -> World:
    return World(server.url)


def refused(url: str, route: str, body: bytes | str | Any, status: int = 400) -> str:
    """The error of an admin POST that must be refused (the body as raw text, or as JSON)."""
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    reply = request(url, "POST", f"/_swfsim/{route}", data, {"Content-Type": "application/json"})
    assert reply.status == status, (route, body, reply.status, reply.body)
    assert reply.header("Content-Type") == "application/json"
    answer = json.loads(reply.body.decode("utf-8"))
    assert set(answer) == {"error"}
    message: str = answer["error"]
    return message


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"seconds": 1e308}, "advance(1e+308) reaches past 9999-12-31T23:59:59.999000+00:00"),
        ({"seconds": 10**30}, "past 9999-12-31T23:59:59.999000+00:00"),
        ('{"seconds": Infinity}', "the body is not JSON: Infinity is not a JSON number"),
        ('{"seconds": NaN}', "the body is not JSON: NaN is not a JSON number"),
        ('{"seconds": 1e400}', "the body is not JSON: the number 1e400 is out of range"),
        ({"seconds": "60"}, "'seconds' must be a non-negative number, not '60'"),
        ({"seconds": True}, "'seconds' must be a non-negative number, not True"),
        ({"seconds": -1}, "'seconds' must be a non-negative number, not -1"),
        ({"to": 5}, "'to' must be an ISO 8601 time as a string, not 5"),
        ({"to": "10000-01-01T00:00:00Z"}, "'to' must be an ISO 8601 time, not '10000-01-01"),
        ({"to": "0001-01-01T00:00:00+05:00"}, "'to' must lie within the years 1 to 9999 in UTC"),
        ({"to": "9999-12-31T23:00:00-05:00"}, "'to' must lie within the years 1 to 9999 in UTC"),
        ({"to": "2025-01-01T00:00:00Z"}, "cannot move the clock back"),
        ('{"to": "\\ud800"}', "'to' must be an ISO 8601 time, not '\\ud800'"),
        (b'{"to": "\xed\xa0\x80"}', "the body is not JSON: 'utf-8' codec can't decode"),
        ("[" * 100_000, "the body is not JSON: the JSON nests too deeply to read"),
    ],
)
def test_bad_clock_advances(world: World, body: Any, error: str) -> None:
    assert error in refused(world.url, "clock/advance", body)
    world.assert_unchanged()


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"mode": "realtime", "rate": "x"}, "'rate' must be a number of virtual seconds per"),
        ({"mode": "realtime", "rate": None}, "'rate' must be a number of virtual seconds per"),
        ('{"mode": "realtime", "rate": NaN}', "NaN is not a JSON number"),
        ('{"mode": "realtime", "rate": Infinity}', "Infinity is not a JSON number"),
        ('{"mode": "realtime", "rate": 1e309}', "the number 1e309 is out of range"),
        ({"mode": "realtime", "rate": 10**400}, "rate must be positive and finite"),
        ({"mode": "realtime", "rate": 0}, "rate must be positive and finite, not 0"),
        ({"mode": "realtime", "rate": -5}, "rate must be positive and finite, not -5"),
        ({"mode": 5}, "'mode' must be a clock mode's name, not 5"),
        ({"mode": ["auto"]}, "'mode' must be a clock mode's name"),
        ({"mode": "warp"}, "clock mode 'warp' is not one of 'auto', 'manual', 'realtime'"),
    ],
)
def test_bad_clock_modes(world: World, body: Any, error: str) -> None:
    assert error in refused(world.url, "clock/mode", body)
    world.assert_unchanged()


def _damaged(snapshot: dict[str, Any], change: str) -> Any:
    """The snapshot with one thing changed, or a raw body."""
    damaged = json.loads(json.dumps(snapshot))
    changes: dict[str, Any] = {
        "start 1e20": lambda: damaged.update(start=1e20),
        "start 10**20": lambda: damaged.update(start=10**20),
        "start before year 1": lambda: damaged.update(start=-(10**17)),
        "seed changed": lambda: damaged.update(seed=damaged["seed"] + 1),
        "seed a string": lambda: damaged.update(seed="0"),
        "rate a string": lambda: damaged.update(rate="fast"),
        "rate zero": lambda: damaged.update(rate=0),
        "clock mode unknown": lambda: damaged.update(clockMode="warp"),
        "region a number": lambda: damaged.update(region=1),
        "options a list": lambda: damaged.update(options=[]),
        "option unknown": lambda: damaged["options"].update(warp=True),
        "option of the wrong type": lambda: damaged["options"].update(poll_timeout_seconds="60"),
        "option set of numbers": lambda: damaged["options"].update(denied=[1]),
        "journal missing": lambda: damaged.pop("journal"),
        "journal an object": lambda: damaged.update(journal={}),
        "entry a number": lambda: damaged["journal"].append(5),
        "entry empty": lambda: damaged["journal"].append([]),
        "entry unknown": lambda: damaged["journal"].append(["jump", 5]),
        "advance a float": lambda: damaged["journal"].append(["advance", 1e20]),
        "advance past the end": lambda: damaged["journal"].append(["advance", 10**20]),
        "advance back": lambda: damaged["journal"].append(["advance", 0]),
        "call without params": lambda: damaged["journal"].append(["call", "ListDomains"]),
        "call of no operation": lambda: damaged["journal"].append(["call", "Nope", {}]),
        "call refused": lambda: damaged["journal"].append(
            [
                "call",
                "RegisterDomain",
                {"name": "x\ud800", "workflowExecutionRetentionPeriodInDays": "1"},
            ]
        ),
        "call edited": lambda: damaged["journal"][0][2].update(name=""),
    }
    changes[change]()
    return damaged


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ("start 1e20", "the snapshot's 'start' must be epoch milliseconds (an integer), not 1e+20"),
        ("start 10**20", "the snapshot's 'start' must be epoch milliseconds from "),
        ("start before year 1", "(years 1 to 9999), not -100000000000000000"),
        ("seed changed", "the snapshot does not replay: UnknownResourceFault: "),
        ("seed a string", "the snapshot's 'seed' must be an integer, not '0'"),
        ("rate a string", "the snapshot's 'rate' must be a number, not 'fast'"),
        ("rate zero", "the snapshot does not replay: ValueError: rate must be positive"),
        ("clock mode unknown", "clock mode 'warp' is not one of"),
        ("region a number", "the snapshot's 'region' must be a string, not 1"),
        ("options a list", "the snapshot's 'options' must be an object, not []"),
        ("option unknown", "the snapshot names an unknown option 'warp'"),
        ("option of the wrong type", "option 'poll_timeout_seconds' must be of type int, not '60'"),
        ("option set of numbers", "option 'denied' must be a list of strings, not [1]"),
        ("journal missing", "the snapshot lacks 'journal'"),
        ("journal an object", "the snapshot's 'journal' must be a list, not {}"),
        ("entry a number", "is neither ['advance', <epoch milliseconds>], ['call', "),
        ("entry empty", "]: []"),
        ("entry unknown", "]: ['jump', 5]"),
        ("advance a float", "]: ['advance', 1e+20]"),
        ("advance past the end", "past 9999-12-31T23:59:59.999000+00:00"),
        ("advance back", "cannot move the clock back"),
        ("call without params", "]: ['call', 'ListDomains']"),
        ("call of no operation", "UnknownOperationException: Nope is not an operation"),
        ("call refused", "Value 'x\\ud800' at 'name' failed to satisfy constraint"),
        ("call edited", "Value '' at 'name' failed to satisfy constraint"),
    ],
)
def test_bad_restores_change_nothing(world: World, change: str, error: str) -> None:
    snapshot = json.loads(world.snapshot)
    assert error in refused(world.url, "restore", _damaged(snapshot, change))
    world.assert_unchanged()


def test_a_deadline_past_year_9999_leaves_the_clock_readable(server: Server) -> None:
    url = server.url
    admin_ok(url, "POST", "clock/advance", {"to": "9999-06-01T00:00:00Z"})
    Baseline(url)  # its run times out in a year: past the end of time
    start(url, "late", executionStartToCloseTimeout="31536000")
    clock = admin_ok(url, "GET", "clock")
    assert clock["now"] == "9999-06-01T00:00:00+00:00"
    assert clock["nextDeadline"] is None  # no deadline can fire any more
    snapshot = admin_ok(url, "GET", "snapshot")
    moved = admin_ok(url, "POST", "clock/advance", {"to": "9999-12-31T23:59:59.999Z"})
    assert moved["epochMillis"] == 253402300799999
    assert "past 9999-12-31" in refused(url, "clock/advance", {"seconds": 0.001})
    # An empty poll at the end of time answers at once; the world restores as it was.
    empty = swf(url, "PollForActivityTask", {"domain": DOMAIN, "taskList": {"name": "idle"}})
    assert (empty.status, empty.body) == (200, b'{"startedEventId":0}')
    assert admin_ok(url, "POST", "restore", snapshot)["now"] == "9999-06-01T00:00:00+00:00"


def test_a_huge_rate_runs_the_world_to_the_end_and_it_still_answers(server: Server) -> None:
    url = server.url
    Baseline(url)
    admin_ok(url, "POST", "clock/mode", {"mode": "realtime", "rate": 1e300})
    assert swf(url, "ListDomains", LIST).status == 200
    assert admin_ok(url, "GET", "clock")["now"] == "9999-12-31T23:59:59.999000+00:00"
    assert (
        swf(url, "PollForActivityTask", {"domain": DOMAIN, "taskList": {"name": "i"}}).status == 200
    )
    assert admin(url, "GET", "snapshot").status == 200
