"""Wire durations: decimal seconds as strings, or ``NONE`` for no limit."""

from __future__ import annotations

# SWF's hard quota on a workflow execution's time ("Amazon SWF Quotas": 1 year), which still
# applies to a run whose own timeout is NONE ("Setting Timeout Values in Amazon SWF").
ONE_YEAR_SECONDS = 365 * 24 * 3600


def seconds(duration: str) -> int | None:
    """A wire duration in seconds, or None for ``NONE`` (no limit)."""
    return None if duration == "NONE" else int(duration)


def execution_seconds(duration: str) -> int:
    """How long a run may stay open: its timeout, or one year for ``NONE``."""
    limit = seconds(duration)
    return ONE_YEAR_SECONDS if limit is None else limit
