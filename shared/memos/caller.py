"""The caller of the current request as a stored user, and the checks every service makes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from memos.domain.enums import Role
from memos.errors import PermissionDeniedError, UnauthenticatedError
from memos.rpc.call import CALLER_UNREAD, current_call_or_none

if TYPE_CHECKING:
    from memos.store.users import User, UserStore

USER_NOT_AUTHENTICATED = "user not authenticated"
PERMISSION_DENIED = "permission denied"


def current_user(users: UserStore) -> User | None:
    """The signed-in caller's stored user, or ``None`` for anonymous callers (and for a valid
    token whose user has since been deleted).

    Read at most once per call: the verifier's own read seeds it, and the first read is kept on
    the call for every later check (the caller is whoever they were when the call began).
    """
    info = current_call_or_none()
    identity = info.identity if info is not None else None
    if info is None or identity is None:
        return None
    if info.caller is CALLER_UNREAD:
        info.caller = identity.user if identity.user is not None else users.get(identity.user_id)
    user: User | None = info.caller
    return user


def require_user(users: UserStore) -> User:
    user = current_user(users)
    if user is None:
        raise UnauthenticatedError(USER_NOT_AUTHENTICATED)
    return user


def is_admin(user: User | None) -> bool:
    return user is not None and user.role == Role.ADMIN


def require_admin(users: UserStore) -> User:
    user = require_user(users)
    if not is_admin(user):
        raise PermissionDeniedError(PERMISSION_DENIED)
    return user


def require_self_or_admin(users: UserStore, user_id: int) -> User:
    user = require_user(users)
    if user.id != user_id and not is_admin(user):
        raise PermissionDeniedError(PERMISSION_DENIED)
    return user


def require_self(users: UserStore, user_id: int) -> User:
    user = require_user(users)
    if user.id != user_id:
        raise PermissionDeniedError(PERMISSION_DENIED)
    return user
