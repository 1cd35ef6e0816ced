"""Scrubbing: ids and tokens become stable aliases, user-chosen members too, secrets never pass.

Only request and response bodies are ever recorded (never headers), so credentials and
signatures cannot reach a trace through them; a line that holds a declared secret anyway (in an
input, say) is refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from swfsim.trace._errors import TraceSecretError

# Members whose values are opaque ids or tokens the service invents, or name a host or user:
# the same value always becomes the same alias (``alias:<kind>:<n>``).
ALIASED: dict[str, str] = {
    "taskToken": "token",
    "runId": "run",
    "continuedExecutionRunId": "run",
    "newExecutionRunId": "run",
    "identity": "identity",
    "nextPageToken": "page",
}
ALIAS_PREFIX = "alias:"
# A word of JSON text: what lies between quotes, escapes, spaces and punctuation.
WORD = re.compile(r"[^\s\"\\,;:{}\[\]()'<>]+")


def is_alias(value: Any) -> bool:
    """Whether ``value`` is an alias written by scrubbing."""
    return isinstance(value, str) and value.startswith(ALIAS_PREFIX)


class Scrubber:
    """Replaces ids, tokens and chosen members by aliases, consistently across a trace.

    Args:
        paths: extra member paths to scrub: dotted member names (lists are looked through),
            matched at the end of a member's path, e.g. ``"input"`` or
            ``"scheduleActivityTaskDecisionAttributes.input"``.
        secrets: values that must never be written; :meth:`check` refuses a line holding one.
    """

    def __init__(self, paths: Iterable[str] = (), secrets: Iterable[str] = ()) -> None:
        self.paths = tuple(paths)
        self._suffixes = [tuple(path.split(".")) for path in self.paths]
        self._secrets = {secret for secret in secrets if secret}
        self._aliases: dict[str, str] = {}
        self._counts: dict[str, int] = {}

    @property
    def secrets_checked(self) -> int:
        """How many secret values each line is checked against."""
        return len(self._secrets)

    def add_secrets(self, secrets: Iterable[str | None]) -> None:
        """Declare more values that must never be written."""
        self._secrets.update(secret for secret in secrets if secret)

    def alias(self, value: str, kind: str) -> str:
        """The alias of ``value`` (the same value always gets the same alias)."""
        if is_alias(value):
            return value
        if value not in self._aliases:
            self._counts[kind] = self._counts.get(kind, 0) + 1
            self._aliases[value] = f"{ALIAS_PREFIX}{kind}:{self._counts[kind]}"
        return self._aliases[value]

    def scrub(self, value: Any, path: tuple[str, ...] = ()) -> Any:
        """``value`` (a JSON document) with every aliased or chosen member replaced."""
        if isinstance(value, dict):
            return {key: self._member(key, member, (*path, key)) for key, member in value.items()}
        if isinstance(value, list):
            return [self.scrub(item, path) for item in value]
        return value

    def _member(self, key: str, value: Any, path: tuple[str, ...]) -> Any:
        if isinstance(value, str) and key in ALIASED:
            return self.alias(value, ALIASED[key])
        if value is not None and any(path[-len(s) :] == s for s in self._suffixes):
            text = value if isinstance(value, str) else repr(value)
            return self.alias(text, "scrubbed")
        return self.scrub(value, path)

    def replace_embedded(self, text: str, min_length: int) -> str:
        """``text`` (JSON) with every aliased value of at least ``min_length`` characters that
        appears as a whole word inside a string (a run id in an input, a token quoted in an
        error message) replaced by its alias.

        Words are looked up, rather than every alias searched for, so that the cost stays
        proportional to the text however many aliases a long recording holds.
        """

        def aliased(word: re.Match[str]) -> str:
            found = word.group()
            return self._aliases.get(found, found) if len(found) >= min_length else found

        return WORD.sub(aliased, text)

    def check(self, text: str) -> None:
        """Refuse ``text`` if it holds a declared secret.

        Raises:
            TraceSecretError: naming which secret (by its first characters only).
        """
        for secret in self._secrets:
            if secret in text:
                shown = secret[:4] + "..." if len(secret) > 8 else "a short secret"
                raise TraceSecretError(
                    f"refusing to write a trace line holding a declared secret ({shown}); "
                    "scrub the member that carries it (record(..., scrub=['member.path']))"
                )
