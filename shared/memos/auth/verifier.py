"""The real token verifier: bearer tokens checked against the signing secrets and the store.

Two kinds of bearer token resolve to a caller:

- a personal access token (``memos_pat_...``): looked up by its SHA-256 hash in one GetItem; its
  owner must exist and not be archived, and the token must not have expired. Each use records
  ``last_used_at``, at most once a minute per token and process, and never at the cost of the
  request (the write is best effort).
- an access token (a JWT): verified with every current signing secret, then the user row is read.
  Memos trusts the JWT alone, so an archived user keeps working for up to 15 minutes; here a
  deleted or archived user's token stops working at once (one GetItem per call).

A bad token of either kind is simply "no identity" (``None``): public methods then run
anonymously and protected ones answer UNAUTHENTICATED. A failing store or secret source is not a
bad token; those errors propagate, so an outage reads as an outage rather than as being signed
out. Tokens never appear in logs or errors.
"""

from __future__ import annotations

import threading
import time
from functools import cache
from typing import TYPE_CHECKING, Final

from memos.auth.identity import Identity
from memos.auth.personal_access_tokens import (
    hash_personal_access_token,
    is_personal_access_token,
)
from memos.auth.signing_secret import signing_secrets
from memos.auth.tokens import TokenError, parse_access_token
from memos.domain.enums import State
from memos.store import stores_from_environment

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from memos.auth.identity import CredentialKind
    from memos.store import Stores
    from memos.store.users import User

# How often one process records a use of the same personal access token.
LAST_USED_WRITE_INTERVAL_SECONDS: Final = 60
# Longer bearer tokens are not ours (a JWT we mint is a few hundred bytes, a PAT 42).
MAX_TOKEN_LENGTH: Final = 4096


class StoreTokenVerifier:
    """Implements :class:`memos.auth.identity.TokenVerifier` over the stores."""

    def __init__(
        self,
        stores: Stores,
        secrets: Callable[[], Sequence[bytes]] = signing_secrets,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._stores = stores
        self._secrets = secrets
        self._clock = clock
        self._last_used_writes: dict[str, float] = {}
        self._lock = threading.Lock()

    def verify(self, token: str) -> Identity | None:
        if not token or len(token) > MAX_TOKEN_LENGTH:
            return None
        if is_personal_access_token(token):
            return self._verify_personal_access_token(token)
        return self._verify_access_token(token)

    def warm_up(self) -> None:
        """Make one read through the store now, so the first call finds the DynamoDB client's
        request code loaded and its connection open (a function's init: Lambda gives it more
        CPU). The read is the user count, a GetItem with no effect; a failure is only logged."""
        try:
            self._stores.users.count()
        except Exception as exc:  # the first call reads again and reports the outage itself
            from memos.observability import get_logger  # noqa: PLC0415 - only on this rare path

            get_logger().warning("could not warm up the store", extra={"error": type(exc).__name__})

    def _verify_access_token(self, token: str) -> Identity | None:
        try:
            claims = parse_access_token(token, self._secrets())
        except TokenError:
            return None
        user = self._active_user(claims.user_id)
        return _identity(user, "access_token") if user else None

    def _verify_personal_access_token(self, token: str) -> Identity | None:
        match = self._stores.access_tokens.find_by_hash(hash_personal_access_token(token))
        if match is None:
            return None
        now = self._clock()
        if match.expires_at is not None and match.expires_at <= now:
            return None
        user = self._active_user(match.user_id)
        if user is None:
            return None
        self._record_use(match.user_id, match.token_id, now)
        return _identity(user, "personal_access_token")

    def _active_user(self, user_id: int) -> User | None:
        if user_id <= 0:  # the system bot (0) never signs in
            return None
        user = self._stores.users.get(user_id)
        if user is None or user.state == State.ARCHIVED:
            return None
        return user

    def _record_use(self, user_id: int, token_id: str, now: float) -> None:
        with self._lock:
            last = self._last_used_writes.get(token_id)
            if last is not None and now - last < LAST_USED_WRITE_INTERVAL_SECONDS:
                return
            self._last_used_writes[token_id] = now
        try:
            self._stores.access_tokens.touch_last_used(user_id, token_id, at=int(now))
        except Exception as exc:  # best effort: the request must not fail for it
            from memos.observability import get_logger  # noqa: PLC0415 - only on this rare path

            get_logger().warning(
                "could not record the use of a personal access token",
                extra={"user_id": user_id, "token_id": token_id, "error": type(exc).__name__},
            )


def _identity(user: User, credential: CredentialKind) -> Identity:
    return Identity(
        user_id=user.id, username=user.username, role=user.role, credential=credential, user=user
    )


@cache
def verifier_from_environment() -> StoreTokenVerifier:
    """The process-wide verifier over the stores and secrets the environment configures."""
    return StoreTokenVerifier(stores_from_environment())
