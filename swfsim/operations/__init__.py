"""The 39 SWF operations: each reads a validated request, changes the engine, shapes the answer."""

from __future__ import annotations

from swfsim.operations import domains, executions, tasks, types, visibility
from swfsim.operations._handler import Handler

HANDLERS: dict[str, Handler] = {
    **domains.HANDLERS,
    **types.HANDLERS,
    **executions.HANDLERS,
    **visibility.HANDLERS,
    **tasks.HANDLERS,
}

__all__ = ["HANDLERS", "Handler"]
