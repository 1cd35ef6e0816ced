"""swfsim and freezegun, both ways.

The bridge (:func:`frozen_time`): while active, ``datetime.now()``, ``time.time()``,
``time.monotonic()`` and friends (as patched by freezegun) return the Simulator's virtual time,
and follow it whenever the clock moves.

The other way (:func:`user_frozen_now`): a test that froze time itself with freezegun, as moto
suites do to fire timeouts, leads the Simulators; they move their clocks forward to its time.
The bridge's own freezes are never read back, so the two never feed each other.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone

import freezegun
import freezegun.api

from swfsim.clock import VirtualClock, from_millis

# The freezegun factories of active bridges: they follow a virtual clock and must not lead one.
_bridges: list[object] = []


@contextmanager
def frozen_time(clock: VirtualClock) -> Iterator[None]:
    """Make the process's clocks read ``clock`` until the block exits."""
    freezer = freezegun.freeze_time(clock.now())
    factory = freezer.start()
    _bridges.append(factory)

    def follow(_old_ms: int, new_ms: int) -> None:
        factory.move_to(from_millis(new_ms))

    clock.add_listener(follow)
    try:
        yield
    finally:
        clock.remove_listener(follow)
        _bridges.remove(factory)
        freezer.stop()


def user_frozen_now() -> datetime | None:
    """The time of the innermost freezegun freeze that swfsim did not start, or None.

    Reading it has no side effect: a freeze with ``auto_tick_seconds`` is not ticked.
    """
    factories = freezegun.api.freeze_factories
    if not factories:  # freezegun is not active: the common case, kept cheap
        return None
    for factory in reversed(factories):
        if all(factory is not bridge for bridge in _bridges):
            if isinstance(factory, freezegun.api.StepTickTimeFactory):
                frozen = factory.time_to_freeze  # calling it would tick it
            else:
                frozen = factory()
            # freezegun keeps the frozen time as a naive datetime in UTC.
            return frozen.replace(tzinfo=timezone.utc)
    return None
