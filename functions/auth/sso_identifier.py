"""The SSO identifier: whether it can be a username, and whether the provider's filter allows it.

The identifier becomes a username, a key in the table and a ``users/{username}`` segment, so,
unlike Memos (which takes it verbatim), it must be 1-128 characters of letters, digits and
``. _ @ + -``, starting with a letter or a digit: enough for logins, numeric ids and email
addresses, nothing that breaks a path or a log line.

The identifier filter runs on RE2 (:mod:`memos.domain.identifier_filters`), searched anywhere in
the identifier as Memos does.
"""

from __future__ import annotations

import re
from typing import Final

from memos.domain.identifier_filters import InvalidIdentifierFilter, compile_identifier_filter
from memos.errors import FailedPreconditionError, PermissionDeniedError

MAX_IDENTIFIER_LENGTH: Final = 128
IDENTIFIER_PATTERN: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@+\-]{0,127}")


def check_identifier(identifier: str, key: str) -> str:
    """``identifier`` when it can be a username; FAILED_PRECONDITION naming the mapped field."""
    if not IDENTIFIER_PATTERN.fullmatch(identifier):
        raise FailedPreconditionError(
            f"the identity provider's \"{key[:100]}\" value can't be a username: it must be "
            f"1-{MAX_IDENTIFIER_LENGTH} letters, digits, '.', '_', '@', '+' or '-', "
            "starting with a letter or a digit"
        )
    return identifier


class IdentifierCheck:
    """A provider's identifier filter, compiled when the provider is loaded; "" allows all."""

    def __init__(self, pattern: str) -> None:
        try:
            self._filter = compile_identifier_filter(pattern) if pattern else None
        except InvalidIdentifierFilter as error:
            raise FailedPreconditionError(
                f"failed to compile identifier filter regex, error: {error}"
            ) from None

    def require_allowed(self, identifier: str) -> None:
        """PERMISSION_DENIED "identifier <x> is not allowed" unless the filter matches."""
        if self._filter is not None and not self._filter.allows(identifier):
            raise PermissionDeniedError(f"identifier {identifier} is not allowed")
