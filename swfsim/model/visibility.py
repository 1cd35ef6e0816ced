"""Sorted indexes behind List/Count*WorkflowExecutions.

Each run is filed under every filter that can select it (its workflowId, type name, type name and
version, each tag, and once closed its close status), in lists sorted by (time, sequence). A query
picks the one list its filter names, bisects to the time window and reads one page, so its cost
does not grow with the number of executions outside that window.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum

from swfsim.model.run import Run

SortKey = tuple[int, int]
Facet = tuple[str, ...]
ALL: Facet = ("all",)
_LOW = -1
_HIGH = 2**63


class View(Enum):
    """Which runs a query reads, and by which timestamp they are ordered."""

    OPEN_BY_START = "open/start"
    CLOSED_BY_START = "closed/start"
    CLOSED_BY_CLOSE = "closed/close"


@dataclass(frozen=True)
class Window:
    """A time window in epoch milliseconds, both ends inclusive (AWS does not say; swfsim does)."""

    oldest_ms: int
    latest_ms: int | None = None


@dataclass(frozen=True)
class Page:
    """One page of runs and the sort key to resume after, if more remain."""

    runs: list[Run]
    resume_after: SortKey | None


def _facets(run: Run, view: View) -> Iterator[Facet]:
    yield ALL
    yield ("workflowId", run.workflow_id)
    yield ("type", run.workflow_type["name"])
    yield ("type", run.workflow_type["name"], run.workflow_type["version"])
    for tag in dict.fromkeys(run.tags or ()):
        if tag is not None:  # a null tag (accepted over the wire) matches no tagFilter
            yield ("tag", tag)
    if view is not View.OPEN_BY_START and run.close_status is not None:
        yield ("closeStatus", run.close_status.value)


class VisibilityIndex:
    """Open and closed runs of every domain, filed for the visibility queries."""

    def __init__(self) -> None:
        self._lists: dict[tuple[str, View, Facet], list[SortKey]] = defaultdict(list)
        self._runs: dict[int, Run] = {}

    def add_open(self, run: Run) -> None:
        """File a run that just started."""
        self._runs[run.seq] = run
        self._file(run, View.OPEN_BY_START, (run.start_ms, run.seq), insert=True)

    def move_to_closed(self, run: Run) -> None:
        """Move a run that just closed from the open views to the closed ones."""
        assert run.close_ms is not None
        self._file(run, View.OPEN_BY_START, (run.start_ms, run.seq), insert=False)
        self._file(run, View.CLOSED_BY_START, (run.start_ms, run.seq), insert=True)
        self._file(run, View.CLOSED_BY_CLOSE, (run.close_ms, run.seq), insert=True)

    def remove_closed(self, run: Run) -> None:
        """Forget a closed run whose retention period has passed."""
        assert run.close_ms is not None
        self._file(run, View.CLOSED_BY_START, (run.start_ms, run.seq), insert=False)
        self._file(run, View.CLOSED_BY_CLOSE, (run.close_ms, run.seq), insert=False)
        del self._runs[run.seq]

    def count(self, domain: str, view: View, facet: Facet, window: Window) -> int:
        """How many runs of the view and facet lie in the window."""
        low, high = self._bounds(self._lists.get((domain, view, facet), []), window)
        return high - low

    def page(
        self,
        domain: str,
        view: View,
        facet: Facet,
        window: Window,
        *,
        newest_first: bool,
        size: int,
        after: SortKey | None,
    ) -> Page:
        """One page of runs in the window, resuming after ``after``."""
        keys = self._lists.get((domain, view, facet), [])
        low, high = self._bounds(keys, window)
        if after is not None and newest_first:
            high = min(high, bisect.bisect_left(keys, after))
        elif after is not None:
            low = max(low, bisect.bisect_right(keys, after))
        chosen = (
            keys[max(low, high - size) : high][::-1] if newest_first else keys[low : low + size]
        )
        more = (high - low) > size
        runs = [self._runs[seq] for _, seq in chosen]
        return Page(runs, chosen[-1] if more and chosen else None)

    def _bounds(self, keys: list[SortKey], window: Window) -> tuple[int, int]:
        latest = _HIGH if window.latest_ms is None else window.latest_ms
        low = bisect.bisect_left(keys, (window.oldest_ms, _LOW))
        high = bisect.bisect_right(keys, (latest, _HIGH))
        return low, max(low, high)

    def _file(self, run: Run, view: View, key: SortKey, *, insert: bool) -> None:
        for facet in _facets(run, view):
            keys = self._lists[(run.domain.name, view, facet)]
            if insert:
                bisect.insort(keys, key)
            else:
                del keys[bisect.bisect_left(keys, key)]
