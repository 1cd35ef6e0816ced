"""What the explored examples reached: event types, failure causes, timeout types.

Each run the strategies make is counted under the test that made it (pytest names it in
``PYTEST_CURRENT_TEST``); the pytest plugin prints the counts in its terminal summary, so that a
user sees the timeout branch was actually exercised.
"""

from __future__ import annotations

import os
import textwrap
from collections import Counter
from typing import TYPE_CHECKING

from swfsim.strategies._execution import attributes_of

if TYPE_CHECKING:
    from swfsim.strategies._execution import Execution

# test id -> (runs, what was reached -> how many runs reached it)
_reached: dict[str, tuple[list[int], Counter[str]]] = {}
_ATTRIBUTES = ("timeoutType", "cause", "reason")


def record(execution: Execution) -> None:
    """Count what ``execution`` reached under the current test."""
    test = os.environ.get("PYTEST_CURRENT_TEST", "(outside pytest)").rsplit(" (", 1)[0]
    runs, counts = _reached.setdefault(test, ([0], Counter()))
    runs[0] += 1
    seen: set[str] = set()
    for events in execution.histories.values():
        for event in events:
            seen.add(event["eventType"])
            attributes = attributes_of(event)
            for name in _ATTRIBUTES:
                if name in attributes:
                    seen.add(f"{event['eventType']}.{name}={attributes[name]}")
    seen.update(f"choice {choice.kind}={choice.option}" for choice in execution.choices)
    counts.update(seen)


def tests() -> frozenset[str]:
    """The tests that have recorded runs so far."""
    return frozenset(_reached)


def summary(width: int = 100, *, excluding: frozenset[str] = frozenset()) -> list[str]:
    """Report lines: per test, the runs explored, then what they reached (``name xN``: N runs
    reached it), wrapped at ``width``; tests in ``excluding`` are left out."""
    lines: list[str] = []
    for test, (runs, counts) in sorted(_reached.items()):
        if test in excluding:
            continue
        lines.append(f"{test}: {runs[0]} runs explored")
        items = [f"{name} x{count}" for name, count in sorted(counts.items())]
        lines.extend(
            textwrap.wrap(
                ", ".join(items),
                width,
                initial_indent="  ",
                subsequent_indent="  ",
                break_on_hyphens=False,
            )
        )
    return lines


def reset() -> None:
    """Forget every count."""
    _reached.clear()
