"""Which world a request addresses, and the Simulators an endpoint keeps per world."""

from __future__ import annotations

import pytest

from swfsim.errors import (
    IncompleteSignatureException,
    InvalidSignatureException,
    MissingAuthenticationTokenException,
)
from swfsim.simulator import Simulator
from swfsim.transport.worlds import World, Worlds, account_of, signed_world, world_from

DEFAULT = World("123456789012", "us-east-1")


def signed(access_key: str, region: str) -> dict[str, str]:
    scope = f"{access_key}/20260101/{region}/swf/aws4_request"
    return {"HTTP_AUTHORIZATION": f"AWS4-HMAC-SHA256 Credential={scope}, Signature=0"}


@pytest.mark.parametrize(
    ("key", "account"),
    [
        ("000000000042", "000000000042"),
        ("testing", None),
        ("AKIAIOSFODNN7EXAMPLE", None),
        ("12345678901", None),  # 11 digits
        ("١٢٣٤٥٦٧٨٩٠١٢", None),  # 12 digits, but not ASCII ones
    ],
)
def test_a_twelve_digit_key_is_an_account(key: str, account: str | None) -> None:
    assert account_of(key) == account


def test_the_signature_scope_names_the_world() -> None:
    assert signed_world(signed("000000000042", "eu-west-1"), DEFAULT) == World(
        "000000000042", "eu-west-1"
    )
    assert signed_world(signed("testing", "us-west-2"), DEFAULT) == World(
        "123456789012", "us-west-2"
    )
    sigv4a = {"HTTP_AUTHORIZATION": "AWS4-ECDSA-P256-SHA256 Credential=k/20260101/swf/aws4_request"}
    assert signed_world(sigv4a, DEFAULT) == DEFAULT  # no region in a SigV4a scope
    presigned = {
        "QUERY_STRING": "X-Amz-Credential=000000000007%2F20260101%2Fus-east-1%2Fswf%2Faws4_request"
    }
    assert signed_world(presigned, DEFAULT) == World("000000000007", "us-east-1")


def test_unsigned_and_unreadable_signatures_are_refused() -> None:
    with pytest.raises(MissingAuthenticationTokenException):
        signed_world({}, DEFAULT)
    with pytest.raises(IncompleteSignatureException):
        signed_world({"HTTP_AUTHORIZATION": "AWS AKID:signature"}, DEFAULT)  # SigV2
    with pytest.raises(InvalidSignatureException):
        world_from("testing", "moon", DEFAULT)


def test_other_worlds_are_made_with_the_default_worlds_settings() -> None:
    made: list[Simulator] = []

    def factory() -> Simulator:
        made.append(Simulator(seed=7, clock_mode="manual", journal=True))
        return made[-1]

    worlds = Worlds(factory, lambda sim: sim)
    assert worlds.default == DEFAULT
    other = worlds[World("000000000042", "eu-west-1")]
    assert (other.account_id, other.region, other.seed) == ("000000000042", "eu-west-1", 7)
    assert other.clock_mode.value == "manual"
    assert other.journal is not None
    assert worlds[World("000000000042", "eu-west-1")] is other  # made once
    assert [world for world, _ in worlds.items()] == [World("000000000042", "eu-west-1"), DEFAULT]
    fresh = worlds.replace(DEFAULT)
    assert fresh is made[-1]
    assert fresh is not made[0]
