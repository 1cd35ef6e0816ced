"""Page tokens for every paginated operation.

A token records which request it continues (a fingerprint of every argument but the token and the
page size), where to resume, and when it was issued; SWF page tokens expire after 24 hours.
Tokens are derived from the request alone, so they are as deterministic as everything else.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from typing import Any

from swfsim.clock import VirtualClock
from swfsim.errors import ValidationException

DEFAULT_PAGE_SIZE = 1000
TOKEN_LIFETIME_MS = 24 * 3600 * 1000
_UNFINGERPRINTED = ("nextPageToken", "maximumPageSize")


def page_size(params: dict[str, Any]) -> int:
    """The requested page size; absent and 0 both mean the maximum, 1000.

    botocore's model allows 0 without saying what it means.
    """
    return params.get("maximumPageSize") or DEFAULT_PAGE_SIZE


def _fingerprint(operation: str, params: dict[str, Any]) -> str:
    kept = {k: v for k, v in params.items() if k not in _UNFINGERPRINTED}
    canonical = json.dumps([operation, kept], sort_keys=True, separators=(",", ":"))
    return hashlib.blake2b(canonical.encode(), digest_size=9).hexdigest()


class PageTokens:
    """Issues and checks page tokens against the virtual clock."""

    def __init__(self, clock: VirtualClock) -> None:
        self._clock = clock

    def issue(self, operation: str, params: dict[str, Any], cursor: Any) -> str:
        """A token that resumes ``operation`` with these ``params`` at ``cursor``."""
        body = [_fingerprint(operation, params), cursor, self._clock.now_ms()]
        raw = json.dumps(body, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode()

    def resume(self, operation: str, params: dict[str, Any]) -> Any:
        """The cursor carried by the request's ``nextPageToken``, or None on a first page.

        Raises:
            ValidationException: the token is malformed, belongs to other arguments, or expired.
        """
        token = params.get("nextPageToken")
        if not token:
            return None
        try:
            fingerprint, cursor, issued_ms = json.loads(base64.urlsafe_b64decode(token))
        # A forged token may be anything base64 holds, "[" x 1,500 (too deep to read) included.
        except (ValueError, TypeError, RecursionError, binascii.Error):
            raise ValidationException("Specified token is not a valid page token") from None
        if fingerprint != _fingerprint(operation, params):
            raise ValidationException(
                "Specified token was issued for a different request: repeat the call with the "
                "same arguments as the one that returned the token"
            )
        if self._clock.now_ms() - issued_ms > TOKEN_LIFETIME_MS:
            raise ValidationException("Specified token has exceeded its maximum lifetime")
        return cursor
