"""Identifiers the service invents (run ids, task tokens, request ids), all from one seed.

Each kind of identifier draws from its own stream derived from the seed, so a read-only call
(which still gets a request id) never shifts the run ids or tokens of later calls.
"""

from __future__ import annotations

import base64
import random
import uuid


class IdSource:
    """Deterministic identifiers for one simulated account."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._runs = random.Random(f"{seed}/run-ids")
        self._tokens = random.Random(f"{seed}/task-tokens")
        self._requests = random.Random(f"{seed}/request-ids")

    def run_id(self) -> str:
        """A run id shaped like AWS's: 46 base64 characters starting with ``22``, ending ``=``."""
        return "22" + base64.b64encode(self._runs.randbytes(32)).decode()

    def task_token(self) -> str:
        """An opaque task token, unique per task attempt."""
        return base64.b64encode(self._tokens.randbytes(96)).decode()

    def request_id(self) -> str:
        """A request id shaped like AWS's: a lowercase version-4 UUID."""
        return str(uuid.UUID(bytes=self._requests.randbytes(16), version=4))
