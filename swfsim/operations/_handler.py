"""What an operation handler is, and the sorted paging shared by the List*Types/Domains calls."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from swfsim.model.engine import Engine
from swfsim.model.registry import JsonDict
from swfsim.paging import page_size

Handler = Callable[[Engine, JsonDict], JsonDict | None]
T = TypeVar("T")


def sorted_page(
    engine: Engine,
    operation: str,
    params: JsonDict,
    keyed: Sequence[tuple[Any, T]],
) -> tuple[list[T], str | None]:
    """One page of ``keyed`` (sorted by key), honouring reverseOrder and the page token."""
    keys = [list(key) for key, _ in keyed]
    after = engine.pages.resume(operation, params)
    reverse = bool(params.get("reverseOrder"))
    if reverse:
        end = len(keys) if after is None else bisect.bisect_left(keys, after)
        chosen = list(range(end - 1, -1, -1))
    else:
        start = 0 if after is None else bisect.bisect_right(keys, after)
        chosen = list(range(start, len(keys)))
    size = page_size(params)
    token = None
    if len(chosen) > size:
        chosen = chosen[:size]
        token = engine.pages.issue(operation, params, keys[chosen[-1]])
    return [keyed[i][1] for i in chosen], token


def event_page(
    params: JsonDict, events: list[JsonDict], position: int
) -> tuple[list[JsonDict], int | None]:
    """The page of a history at ``position`` (oldest first unless reverseOrder), and the
    position of the next page if there is one.

    Positions count from the oldest event (0 means the first page), so a history that grows
    between two pages of a newest-first read neither repeats nor skips an event.
    """
    size = page_size(params)
    if params.get("reverseOrder"):
        stop = position or len(events)
        start = max(0, stop - size)
        return events[start:stop][::-1], (start or None)
    end = position + size
    return events[position:end], (end if end < len(events) else None)
