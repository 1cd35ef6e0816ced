"""Snapshots: the Options a Simulator was made with survive a JSON round trip."""

from __future__ import annotations

import json

from swfsim import Options, Simulator
from swfsim.journal import restore, snapshot


def test_options_with_sets_survive_a_json_round_trip() -> None:
    options = Options(
        denied=frozenset({"RecordMarker", "DeprecateDomain"}),
        unassumable_roles=frozenset({"arn:aws:iam::123456789012:role/gone"}),
        poll_timeout_seconds=5,
    )
    saved = json.loads(json.dumps(snapshot(Simulator(options=options, journal=True))))
    assert saved["options"]["denied"] == ["DeprecateDomain", "RecordMarker"]
    assert restore(saved).options == options
