"""Wire durations: decimal seconds as strings, or ``NONE`` for no limit."""

from __future__ import annotations


def seconds(duration: str) -> int | None:
    """A wire duration in seconds, or None for ``NONE`` (no limit)."""
    return None if duration == "NONE" else int(duration)
