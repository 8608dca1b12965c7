"""Finding the user a name points at: ``users/{id}`` or ``users/{username}``.

Every service that takes a user name resolves it here, so "user not found" reads the same
everywhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from memos import names
from memos.errors import NotFoundError
from memos.store.users import USER_NOT_FOUND as USER_NOT_FOUND  # noqa: PLC0414 - re-exported

if TYPE_CHECKING:
    from memos.store.users import User, UserStore


def find_user(users: UserStore, name: str) -> User:
    """The user named ``users/{id}`` or ``users/{username}`` (an int32 segment is an id)."""
    return _found(users, names.parse_user_lookup(name))


def find_user_by_segment(users: UserStore, segment: str) -> User:
    """The user a single path segment names, by the same rule as :func:`find_user`."""
    user_id = names.parse_int32(segment)
    return _found(users, segment if user_id is None else user_id)


def get_existing_user(users: UserStore, user_id: int) -> User:
    user = users.get(user_id)
    if user is None:
        raise NotFoundError(USER_NOT_FOUND)
    return user


def _found(users: UserStore, lookup: int | str) -> User:
    user = users.get(lookup) if isinstance(lookup, int) else users.get_by_username(lookup)
    if user is None:
        raise NotFoundError(USER_NOT_FOUND)
    return user
