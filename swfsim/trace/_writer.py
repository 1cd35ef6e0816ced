"""Writing a trace line by line: scrubbed, checked for secrets, validated, flushed."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from types import TracebackType
from typing import IO

from swfsim.trace._format import (
    Call,
    Header,
    call_line,
    dumps,
    header_line,
    iso_time,
    validate,
    validate_call,
)
from swfsim.trace._scrub import ALIASED, Scrubber

# Words shorter than this are not looked up among the aliased values when they appear inside
# other strings (a one-letter identity "w" would be replaced in every text); members named in
# ALIASED are aliased whatever their length.
MIN_EMBEDDED = 8


class TraceWriter:
    """Appends calls to a trace file, the header first (written by ``open``, with the first
    call, when the region is known, or on close).

    The header's ``recorded`` time is the first call's ``sent`` time, on the clock the calls
    are stamped with; a header written before any call takes ``clock``'s time.

    Safe to share between threads (``swfsim serve --record`` answers on several).
    """

    def __init__(
        self,
        path: str | Path,
        scrubber: Scrubber,
        region: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = Path(path)
        self.scrubber = scrubber
        self.region = region
        self.clock = clock
        self.count = 0
        self._file: IO[str] | None = None
        self._lock = threading.Lock()
        self._started = False  # the header is written: reopening appends

    def __enter__(self) -> TraceWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def write(self, call: Call) -> None:
        """Scrub, check and append one call.

        Raises:
            TraceSecretError: the line holds a declared secret; nothing is written.
        """
        with self._lock:
            line = self._scrubbed(call)
            self.scrubber.check(line)
            file = self._open(call.sent)
            file.write(line + "\n")
            file.flush()
            self.count += 1

    def open(self) -> TraceWriter:
        """Write the header now (a recording that sees no call still leaves a trace)."""
        with self._lock:
            self._open()
        return self

    def close(self) -> None:
        """Write the header if no call came, and close the file."""
        with self._lock:
            self._open().close()
            self._file = None

    def _open(self, first_sent: float | None = None) -> IO[str]:
        if self._file is None and self._started:
            self._file = self.path.open("a", encoding="utf-8")
        if self._file is None:
            began = first_sent if first_sent is not None else self.clock()
            header = Header(
                region=self.region or "us-east-1",
                recorded=iso_time(began),
                aliased=tuple(sorted(ALIASED)),
                paths=self.scrubber.paths,
                secrets_checked=self.scrubber.secrets_checked,
            )
            line = header_line(header)
            validate([line], str(self.path))
            self._file = self.path.open("w", encoding="utf-8")
            self._file.write(dumps(line) + "\n")
            self._started = True
        return self._file

    def _scrubbed(self, call: Call) -> str:
        scrub = self.scrubber.scrub
        answer = call.response
        body = scrub(answer.body) if answer.body is not None else None
        response = replace(answer, body=body)
        line = call_line(replace(call, request=scrub(call.request), response=response))
        validate_call(line, str(self.path))
        # Ids also travel inside other members (an input naming a runId, an error message
        # quoting a token): every value aliased so far is replaced wherever it appears.
        return self.scrubber.replace_embedded(dumps(line), MIN_EMBEDDED)
