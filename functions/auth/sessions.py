"""Sign-in sessions: checking a password, opening a session, rotating and revoking it.

A session is what a browser holds through the ``memos_refresh`` cookie. The store keeps one record
per session with the id of the one refresh token currently valid for it (never the token). A
refresh swaps that id with a conditional write; presenting any other token of the session (a
replay, or a stolen copy used after the owner refreshed) revokes the whole session. The one
exception is the token the session rotated away from in the last few seconds: that is two tabs
refreshing at once, which gets an access token and no new cookie (the browser already holds the
newer one). Transport concerns (cookies, protobuf) stay in ``service.py``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Final

from msgspec import Struct

from memos.auth.client_info import browser, device_type, operating_system
from memos.auth.refresh_sessions import just_rotated_from
from memos.auth.tokens import (
    TokenError,
    mint_access_token,
    mint_refresh_token,
    new_session_id,
    new_token_id,
    parse_refresh_token,
)
from memos.domain.enums import Role, State
from memos.domain.instance_settings import general_flags
from memos.errors import InvalidArgumentError, PermissionDeniedError, UnauthenticatedError
from memos.store.clock import epoch_seconds
from memos.store.sessions import RefreshSession

if TYPE_CHECKING:
    from collections.abc import Sequence

    from functions.auth.sign_in_throttle import SignInThrottle
    from memos.store import Stores
    from memos.store.clock import Clock
    from memos.store.users import User

# Error texts, not credentials (S105 flags the words "password" and "token" in their names).
UNMATCHED_CREDENTIALS: Final = "unmatched username and password"
PASSWORD_SIGN_IN_NOT_ALLOWED: Final = "password signin is not allowed"  # noqa: S105
REFRESH_TOKEN_NOT_FOUND: Final = "refresh token not found"  # noqa: S105
REFRESH_TOKEN_REVOKED: Final = "refresh token revoked"  # noqa: S105
# No stored username is longer (Memos' rule allows 32 characters, SSO-made names at most this):
# longer ones are not looked up, so no sign-in sends DynamoDB a key it would refuse.
LONGEST_USERNAME: Final = 256


class Tokens(Struct, frozen=True):
    """What a sign-in or a refresh hands out."""

    user: User
    access_token: str
    access_token_expires_at: datetime
    # None when no new refresh token is handed out (a concurrent refresh inside the grace).
    refresh_token: str | None
    refresh_token_expires_at: datetime | None


class Client(Struct, frozen=True):
    """Who is signing in: the request headers kept with the session, for display only."""

    user_agent: str
    ip_address: str


class Sessions:
    def __init__(self, stores: Stores, clock: Clock = epoch_seconds) -> None:
        self._stores = stores
        self._clock = clock
        self._users = stores.users
        self._sessions = stores.sessions

    @cached_property
    def _throttle(self) -> SignInThrottle:
        """Loaded by the first password sign-in: refreshing and signing out never need it."""
        from functions.auth.sign_in_throttle import SignInThrottle  # noqa: PLC0415

        return SignInThrottle(self._stores.table, self._clock)

    def authenticate_password(self, username: str, password: str, address: str) -> User:
        """The user these credentials belong to, by Memos' rules and in Memos' order.

        An unknown username and a wrong password get the same error after the same bcrypt work,
        so neither the answer nor its timing tells which usernames exist. Wrong passwords are
        throttled per username and per client ``address`` (``functions.auth.sign_in_throttle``).
        """
        from memos.auth.passwords import verify_or_dummy  # noqa: PLC0415 - sign-in only

        attempt = self._throttle.admit(username, address)
        could_exist = 0 < len(username) <= LONGEST_USERNAME
        user = self._users.get_by_username(username) if could_exist else None
        if not verify_or_dummy(password, user.password_hash if user else None) or user is None:
            self._throttle.failed(attempt)
            raise InvalidArgumentError(UNMATCHED_CREDENTIALS)
        self._throttle.succeeded(attempt)
        if user.role == Role.USER and self._password_sign_in_disallowed():
            raise PermissionDeniedError(PASSWORD_SIGN_IN_NOT_ALLOWED)
        if user.state == State.ARCHIVED:
            raise PermissionDeniedError(f"user has been archived with username {user.username}")
        return user

    def open(self, user: User, client: Client, secrets: Sequence[bytes]) -> Tokens:
        """A new session for a signed-in user, and its first pair of tokens."""
        now = datetime.now(UTC)
        session_id, token_id = new_session_id(), new_token_id()
        refresh_token, refresh_expires_at = mint_refresh_token(
            user_id=user.id, token_id=token_id, session_id=session_id, secret=secrets[0], now=now
        )
        self._sessions.create(
            RefreshSession(
                user_id=user.id,
                session_id=session_id,
                current_token_id=token_id,
                created_at=int(now.timestamp()),
                rotated_at=int(now.timestamp()),
                expires_at=int(refresh_expires_at.timestamp()),
                user_agent=client.user_agent,
                ip_address=client.ip_address,
                device_type=device_type(client.user_agent),
                os=operating_system(client.user_agent),
                browser=browser(client.user_agent),
            )
        )
        return _tokens(user, refresh_token, refresh_expires_at, secrets[0], now)

    def refresh(self, refresh_token: str | None, secrets: Sequence[bytes]) -> Tokens:
        """Rotate the session's refresh token and mint a fresh access token.

        The checks follow Memos' order (token, session, expiry, user); a token that is not the
        session's current one revokes the session.
        """
        if not refresh_token:
            raise UnauthenticatedError(REFRESH_TOKEN_NOT_FOUND)
        try:
            claims = parse_refresh_token(refresh_token, secrets)
        except TokenError as error:
            raise _invalid(error.reason) from None
        session = self._sessions.get(claims.user_id, claims.session_id)
        if session is None:
            raise _invalid(REFRESH_TOKEN_REVOKED)
        now = datetime.now(UTC)
        concurrent = session.current_token_id != claims.token_id
        if concurrent and not just_rotated_from(session, claims.token_id, now.timestamp()):
            self._sessions.delete(claims.user_id, claims.session_id)
            raise _invalid(REFRESH_TOKEN_REVOKED)
        if session.expires_at <= now.timestamp():
            raise _invalid("refresh token expired")
        user = self._users.get(claims.user_id)
        if user is None:
            raise _invalid("user not found")
        if user.state == State.ARCHIVED:
            raise _invalid("user is archived")
        if concurrent:  # the browser already holds the session's newer cookie
            return _tokens(user, None, None, secrets[0], now)
        token_id = new_token_id()
        new_refresh_token, refresh_expires_at = mint_refresh_token(
            user_id=user.id,
            token_id=token_id,
            session_id=claims.session_id,
            secret=secrets[0],
            now=now,
        )
        rotated = self._sessions.rotate(
            user.id,
            claims.session_id,
            expected_token_id=claims.token_id,
            new_token_id=token_id,
            new_expires_at=int(refresh_expires_at.timestamp()),
            rotated_at=int(now.timestamp()),
        )
        if not rotated:  # another refresh with this token got there first
            latest = self._sessions.get(claims.user_id, claims.session_id)
            if latest is not None and just_rotated_from(latest, claims.token_id, now.timestamp()):
                return _tokens(user, None, None, secrets[0], now)
            self._sessions.delete(claims.user_id, claims.session_id)
            raise _invalid(REFRESH_TOKEN_REVOKED)
        return _tokens(user, new_refresh_token, refresh_expires_at, secrets[0], now)

    def revoke(self, user_id: int, refresh_token: str | None, secrets: Sequence[bytes]) -> bool:
        """End the session a refresh token names, if it is a session of ``user_id``.

        Anything unreadable, or somebody else's session, is left alone; True when a session ended.
        """
        if not refresh_token:
            return False
        try:
            claims = parse_refresh_token(refresh_token, secrets)
        except TokenError:
            return False
        if claims.user_id != user_id:
            return False
        return self._sessions.delete(user_id, claims.session_id)

    def _password_sign_in_disallowed(self) -> bool:
        return general_flags(self._stores.instance_settings).disallow_password_auth


def _tokens(
    user: User,
    refresh_token: str | None,
    refresh_expires_at: datetime | None,
    secret: bytes,
    now: datetime,
) -> Tokens:
    access_token, access_expires_at = mint_access_token(
        user_id=user.id,
        username=user.username,
        role=user.role,
        status=user.state,
        secret=secret,
        now=now,
    )
    return Tokens(user, access_token, access_expires_at, refresh_token, refresh_expires_at)


def _invalid(reason: str) -> UnauthenticatedError:
    return UnauthenticatedError(f"invalid refresh token: {reason}")
