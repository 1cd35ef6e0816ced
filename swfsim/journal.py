"""Snapshots: the seed and settings of a Simulator plus the journal of what changed its state.

swfsim is deterministic: the same seed, the same requests and the same clock moves give the same
state, ids and tokens included. So a snapshot need not describe every run and deadline; it
records each clock move and each request that changed something, in the order they happened
(under the Simulator's lock, so the order is exact even with concurrent callers), and restoring
replays them into a new Simulator. Polls are recorded only when they handed out a task, at the
moment they did: by then every clock move and request that made the task ready is recorded.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from swfsim.clock import from_millis
from swfsim.errors import SWFError
from swfsim.options import Options

if TYPE_CHECKING:
    from swfsim.simulator import Simulator

SNAPSHOT_FORMAT = "swfsim-snapshot/1"
_POLLS = frozenset({"PollForDecisionTask", "PollForActivityTask"})
JsonDict = dict[str, Any]


class SnapshotError(ValueError):
    """A snapshot cannot be restored (wrong format, or it does not replay)."""


class Journal:
    """What changed a Simulator's state, in order."""

    def __init__(self) -> None:
        self.entries: list[list[Any]] = []

    def clock_moved(self, _old_ms: int, new_ms: int) -> None:
        """Record a clock move (the clock calls this)."""
        self.entries.append(["advance", new_ms])

    def answered(self, operation: str, params: JsonDict, response: JsonDict) -> None:
        """Record a request that was answered without a fault."""
        if operation in _POLLS and not response.get("taskToken"):
            return  # an empty poll changed nothing but the time, recorded as clock moves
        self.entries.append(["call", operation, params])


def snapshot(sim: Simulator) -> JsonDict:
    """The whole state of ``sim`` as JSON-ready data.

    Raises:
        SnapshotError: ``sim`` was created without ``journal=True``.
    """
    if sim.journal is None:
        raise SnapshotError("this Simulator keeps no journal: create it with journal=True")
    options = {
        name: sorted(value) if isinstance(value, frozenset) else value
        for name, value in dataclasses.asdict(sim.options).items()
    }
    return {
        "format": SNAPSHOT_FORMAT,
        "seed": sim.seed,
        "start": sim.start_ms,
        "region": sim.region,
        "accountId": sim.account_id,
        "options": options,
        "clockMode": sim.clock_mode.value,
        "rate": sim.waiting.rate,
        "journal": list(sim.journal.entries),
    }


def restore(data: JsonDict) -> Simulator:
    """A new Simulator in the state ``data`` (from :func:`snapshot`) describes.

    Raises:
        SnapshotError: the data is not a snapshot, or replaying it does not reproduce it.
    """
    from swfsim.simulator import Simulator

    if not isinstance(data, dict) or data.get("format") != SNAPSHOT_FORMAT:
        raise SnapshotError(f"not a swfsim snapshot (expected format {SNAPSHOT_FORMAT!r})")
    try:
        options = _options(data["options"])
        sim = Simulator(
            seed=data["seed"],
            start=from_millis(data["start"]),
            region=data["region"],
            account_id=data["accountId"],
            options=options,
            journal=True,
        )
        for entry in data["journal"]:
            _replay(sim, entry)
        sim.set_clock_mode(data["clockMode"], rate=data["rate"])
    # An edited or damaged snapshot fails in whatever step it breaks; the caller hears why.
    except (KeyError, IndexError, TypeError, ValueError, SWFError) as error:
        raise SnapshotError(
            f"the snapshot does not replay: {type(error).__name__}: {error}"
        ) from error
    return sim


def _options(saved: JsonDict) -> Options:
    """The Options a snapshot saved, its sets (saved as sorted lists) made sets again."""
    defaults = Options()
    values: dict[str, Any] = {
        name: frozenset(value) if isinstance(getattr(defaults, name, None), frozenset) else value
        for name, value in saved.items()
    }
    return Options(**values)


def _replay(sim: Simulator, entry: list[Any]) -> None:
    kind = entry[0]
    if kind == "advance":
        sim.clock.advance_to_ms(entry[1])
        return
    if kind != "call":
        raise SnapshotError(f"unknown journal entry {kind!r}")
    operation, params = entry[1], entry[2]
    response = sim.handle(operation, params)
    if operation in _POLLS and not response.get("taskToken"):
        raise SnapshotError(f"{operation} handed out no task on replay: the snapshot diverged")
