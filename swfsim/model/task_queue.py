"""Task lists: tasks waiting for a poller, highest priority first, then first scheduled."""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from typing import Generic, TypeVar

from swfsim.model.run import Queued

T = TypeVar("T", bound=Queued)


class TaskQueue(Generic[T]):
    """One task list. Entries removed early (closed runs, timeouts) are dropped lazily."""

    def __init__(self) -> None:
        self._heap: list[tuple[int, int, T]] = []
        self._seq = 0
        self._front = 0
        self.pending = 0

    def push(self, item: T, priority: int) -> None:
        """Put ``item`` on the list."""
        self._seq += 1
        item.ticket = self._seq
        heapq.heappush(self._heap, (-priority, self._seq, item))
        self.pending += 1

    def discard(self, item: T) -> None:
        """Take ``item`` off the list if it is waiting there."""
        if item.ticket is not None:
            item.ticket = None
            self.pending -= 1

    def items(self) -> list[T]:
        """The waiting tasks, in the order polls would deliver them."""
        return [entry[2] for entry in sorted(self._heap) if entry[2].ticket == entry[1]]

    def put_first(self, item: T) -> None:
        """Deliver the waiting ``item`` to the next poll, ahead of every other task.

        Schedule explorers use this to try every delivery order of the tasks on a list.
        """
        assert item.ticket is not None, "only a waiting task can be put first"
        self._front -= 1
        item.ticket = self._front
        heapq.heappush(self._heap, (-(10**9), self._front, item))

    def ready(self) -> bool:
        """Whether a task is waiting."""
        self._drop_stale()
        return bool(self._heap)

    def pop(self) -> T | None:
        """The next task, taken off the list, or None."""
        self._drop_stale()
        if not self._heap:
            return None
        item = heapq.heappop(self._heap)[2]
        item.ticket = None
        self.pending -= 1
        return item

    def _drop_stale(self) -> None:
        heap = self._heap
        while heap and heap[0][2].ticket != heap[0][1]:
            heapq.heappop(heap)


class TaskLists(Generic[T]):
    """The task lists of one kind (decision or activity), keyed by domain and list name."""

    def __init__(self) -> None:
        self._lists: dict[tuple[str, str], TaskQueue[T]] = {}

    def get(self, domain: str, name: str) -> TaskQueue[T]:
        """The list ``name`` of ``domain``; lists exist as soon as they are named."""
        key = (domain, name)
        queue = self._lists.get(key)
        if queue is None:
            queue = self._lists[key] = TaskQueue()
        return queue

    def waiting(self) -> Iterator[tuple[tuple[str, str], int]]:
        """Each (domain, list) with tasks waiting, and how many."""
        for key, queue in self._lists.items():
            if queue.pending:
                yield key, queue.pending

    def key_of(self, queue: object) -> tuple[str, str] | None:
        """The (domain, list) of ``queue`` if it is one of these lists, else None."""
        return next((key for key, known in self._lists.items() if known is queue), None)

    def pending(self, domain: str, name: str) -> int:
        """How many tasks wait on a list (0 for a list never used)."""
        queue = self._lists.get((domain, name))
        return queue.pending if queue else 0
