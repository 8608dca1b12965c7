"""Who a request for an attachment's bytes comes from.

``/file/attachments/...`` sits outside the RPC chain and API Gateway's authorizer (a browser's
``<img>`` sends no bearer token), so it reads the credentials itself, in Memos' order: an
``Authorization: Bearer`` access token or personal access token, checked by the same verifier
the RPCs use; failing that, the ``memos_refresh`` cookie, read as a sign-in without rotating it.
Credentials that don't check out make the request anonymous, never an error.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from memos.auth.cookies import refresh_token_from_cookie_header
from memos.auth.identity import bearer_token
from memos.auth.refresh_sessions import refresh_token_user

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from memos.auth.identity import TokenVerifier
    from memos.store import Stores
    from memos.store.users import User


class FileCaller:
    """Resolves the user behind a plain HTTP request's credentials."""

    def __init__(
        self,
        stores: Stores,
        secrets: Callable[[], Sequence[bytes]],
        verifier: TokenVerifier | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """``verifier``: bearer tokens' checker, by default the store-backed one over
        ``stores`` and ``secrets`` (built on the first bearer token)."""
        self._stores = stores
        self._secrets = secrets
        self._verifier = verifier
        self._clock = clock

    def user(self, authorization: str | None, cookie_header: str | None) -> User | None:
        """The signed-in user, or None for an anonymous request."""
        token = bearer_token(authorization)
        if token is not None:
            user = self._bearer_user(token)
            if user is not None:
                return user
        refresh_token = refresh_token_from_cookie_header(cookie_header)
        if refresh_token is None:
            return None
        return refresh_token_user(self._stores, refresh_token, self._secrets(), self._clock())

    def _bearer_user(self, token: str) -> User | None:
        identity = self._token_verifier().verify(token)
        if identity is None:
            return None
        if identity.user is not None:
            return identity.user
        return self._stores.users.get(identity.user_id)

    def _token_verifier(self) -> TokenVerifier:
        if self._verifier is None:
            from memos.auth.verifier import StoreTokenVerifier  # noqa: PLC0415 - first token

            self._verifier = StoreTokenVerifier(self._stores, self._secrets)
        return self._verifier
