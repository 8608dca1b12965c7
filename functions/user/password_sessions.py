"""After a password change, the user's other signed-in browsers are signed out.

A changed password is how a user locks out someone who learned the old one, so every refresh
session of the user ends, except the one the caller is using when they change their own password
(named by the refresh cookie their browser sends with the call). When an ADMIN changes somebody
else's password, every session of that user ends. Access tokens already handed out stay valid
until they expire (15 minutes); personal access tokens are left alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from memos.auth.cookies import refresh_token_from_cookie_header
from memos.auth.tokens import TokenError, parse_refresh_token

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from memos.store.sessions import SessionStore


def end_other_sessions(
    sessions: SessionStore,
    *,
    caller_id: int,
    target_id: int,
    metadata: Mapping[str, str],
    secrets: Sequence[bytes],
) -> int:
    """End the target's sessions but the caller's own current one; how many ended."""
    keep = _own_session_id(caller_id, target_id, metadata, secrets)
    return sessions.delete_all_but(target_id, keep)


def _own_session_id(
    caller_id: int, target_id: int, metadata: Mapping[str, str], secrets: Sequence[bytes]
) -> str | None:
    if caller_id != target_id:
        return None
    token = refresh_token_from_cookie_header(metadata.get("cookie"))
    if not token:
        return None
    try:
        claims = parse_refresh_token(token, secrets)
    except TokenError:
        return None
    return claims.session_id if claims.user_id == target_id else None
