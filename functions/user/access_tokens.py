"""Personal access tokens: who may see or manage them, and issuing one.

The token text (``memos_pat_`` + 32 characters) exists only in the create response; the store
keeps its SHA-256. Access failures are PERMISSION_DENIED "permission denied", for anonymous
callers too, as in Memos.
"""

from __future__ import annotations

import re
import time
import uuid
from typing import TYPE_CHECKING, Final

from msgspec import Struct

from memos.auth.personal_access_tokens import (
    generate_personal_access_token,
    hash_personal_access_token,
)
from memos.caller import PERMISSION_DENIED, current_user, is_admin
from memos.errors import InvalidArgumentError, PermissionDeniedError
from memos.rpc.call import current_identity

if TYPE_CHECKING:
    from collections.abc import Callable

    from memos.store.access_tokens import AccessTokenStore, PersonalAccessToken
    from memos.store.users import UserStore

SECONDS_PER_DAY: Final = 86_400
MAX_EXPIRES_IN_DAYS: Final = 36_500
MAX_DESCRIPTION_LENGTH: Final = 1024
_PLAUSIBLE_ID: Final = re.compile(r"^[A-Za-z0-9-]{1,64}$")


class IssuedToken(Struct, frozen=True):
    record: PersonalAccessToken
    token: str


def check_token_access(users: UserStore, owner_id: int, *, admin_may: bool) -> None:
    """The caller is the owner (or, with ``admin_may``, an ADMIN); PERMISSION_DENIED otherwise.

    A caller holding an access token of the owner passes without reading the store.
    """
    identity = current_identity()
    if identity is None:
        raise PermissionDeniedError(PERMISSION_DENIED)
    if identity.credential == "access_token" and identity.user_id == owner_id:
        return
    caller = current_user(users)
    if caller is None:
        raise PermissionDeniedError(PERMISSION_DENIED)
    if caller.id == owner_id or (admin_may and is_admin(caller)):
        return
    raise PermissionDeniedError(PERMISSION_DENIED)


def issue_token(
    store: AccessTokenStore,
    user_id: int,
    *,
    description: str,
    expires_in_days: int,
    clock: Callable[[], float] = time.time,
) -> IssuedToken:
    """A new token for ``user_id``; it expires after ``expires_in_days`` days when positive."""
    if len(description) > MAX_DESCRIPTION_LENGTH:
        raise InvalidArgumentError(f"description is too long (max {MAX_DESCRIPTION_LENGTH})")
    if expires_in_days > MAX_EXPIRES_IN_DAYS:
        raise InvalidArgumentError(f"expires_in_days must be at most {MAX_EXPIRES_IN_DAYS}")
    token = generate_personal_access_token()
    expires_at = int(clock()) + expires_in_days * SECONDS_PER_DAY if expires_in_days > 0 else None
    record = store.create(
        user_id,
        token_id=str(uuid.uuid4()),
        token_hash=hash_personal_access_token(token),
        description=description,
        expires_at=expires_at,
    )
    return IssuedToken(record, token)


def revoke_token(store: AccessTokenStore, user_id: int, token_id: str) -> None:
    """Delete the token; an unknown one is not an error (Memos answers success)."""
    if _PLAUSIBLE_ID.match(token_id):
        store.delete(user_id, token_id)
