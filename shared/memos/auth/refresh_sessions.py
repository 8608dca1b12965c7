"""Reading a ``memos_refresh`` cookie as a sign-in, without rotating it.

A refresh token signs its holder in while its session exists, has not expired and still holds
that token (or rotated away from it a moment ago: two requests of one browser racing a refresh),
and its user exists and is not archived. AuthService's RefreshToken applies the same checks and
then rotates; plain HTTP routes (``/file/attachments/...``, reached by ``<img>`` tags that send
only cookies) just ask who the cookie belongs to.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from memos.auth.tokens import TokenError, parse_refresh_token
from memos.domain.enums import State

if TYPE_CHECKING:
    from collections.abc import Sequence

    from memos.store import Stores
    from memos.store.sessions import RefreshSession
    from memos.store.users import User

# A token rotated away from this recently is a concurrent refresh, not a replay.
CONCURRENT_REFRESH_GRACE_SECONDS: Final = 10


def just_rotated_from(session: RefreshSession, token_id: str, now: float) -> bool:
    """Whether ``token_id`` is the one this session rotated away from moments ago (``now`` in
    Unix seconds): two tabs, or two requests of one tab, refreshing with the same cookie at once,
    not a replay."""
    return (
        bool(session.previous_token_id)
        and session.previous_token_id == token_id
        and now - session.rotated_at <= CONCURRENT_REFRESH_GRACE_SECONDS
    )


def refresh_token_user(
    stores: Stores, refresh_token: str, secrets: Sequence[bytes], now: float
) -> User | None:
    """The active user a refresh token signs in, or None when it signs in nobody.

    Reads the session and the user (two GetItems) and writes nothing: a replayed token is simply
    nobody here; revoking its session is RefreshToken's business.
    """
    try:
        claims = parse_refresh_token(refresh_token, secrets)
    except TokenError:
        return None
    session = stores.sessions.get(claims.user_id, claims.session_id)
    if session is None or session.expires_at <= now:
        return None
    if session.current_token_id != claims.token_id and not just_rotated_from(
        session, claims.token_id, now
    ):
        return None
    user = stores.users.get(claims.user_id)
    if user is None or user.state == State.ARCHIVED:
        return None
    return user
