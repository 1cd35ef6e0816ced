"""Wire durations: decimal seconds as strings, or ``NONE`` for no limit."""

from __future__ import annotations

import re

# SWF's hard quota on a workflow execution's time ("Amazon SWF Quotas": 1 year), which still
# applies to a run whose own timeout is NONE ("Setting Timeout Values in Amazon SWF").
ONE_YEAR_SECONDS = 365 * 24 * 3600
_DIGITS = re.compile("[0-9]+")


def is_whole_number(text: str, at_most: int | None = None) -> bool:
    """Whether ``text`` writes a whole number in ASCII digits (no more than ``at_most``, if given).

    Only ``0`` to ``9`` count: ``str.isdigit`` and ``int()`` also take superscripts (``"²"``)
    and other scripts' digits (``"٣"``), and ``int()`` refuses strings of over 4,300 digits.
    """
    if not _DIGITS.fullmatch(text):
        return False
    if at_most is None:
        return True
    significant = text.lstrip("0") or "0"
    return len(significant) <= len(str(at_most)) and int(significant) <= at_most


def seconds(duration: str) -> int | None:
    """A wire duration in seconds, or None for ``NONE`` (no limit)."""
    return None if duration == "NONE" else int(duration)


def execution_seconds(duration: str) -> int:
    """How long a run may stay open: its timeout, or one year for ``NONE``."""
    limit = seconds(duration)
    return ONE_YEAR_SECONDS if limit is None else limit
