"""The freezegun bridge: code under test that reads the time sees the virtual clock.

While active, ``datetime.now()``, ``time.time()``, ``time.monotonic()`` and friends (as patched by
freezegun) return the Simulator's virtual time, and follow it whenever the clock moves.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import freezegun

from swfsim.clock import VirtualClock, from_millis


@contextmanager
def frozen_time(clock: VirtualClock) -> Iterator[None]:
    """Make the process's clocks read ``clock`` until the block exits."""
    freezer = freezegun.freeze_time(clock.now())
    factory = freezer.start()

    def follow(_old_ms: int, new_ms: int) -> None:
        factory.move_to(from_millis(new_ms))

    clock.add_listener(follow)
    try:
        yield
    finally:
        clock.remove_listener(follow)
        freezer.stop()
