"""Resolving user names: ``users/{id}``, ``users/{username}`` and bare path segments."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

import pytest

from memos.domain.enums import Role, State
from memos.domain.users import USER_NOT_FOUND, find_user, find_user_by_segment, get_existing_user
from memos.errors import InvalidArgumentError, NotFoundError
from memos.store.users import User

if TYPE_CHECKING:
    from memos.store.users import UserStore

ALICE = User(id=3, username="alice", role=Role.USER, state=State.NORMAL)
NUMBERED = User(id=4, username="123", role=Role.USER, state=State.NORMAL)


class _Users:
    """Just the two reads the lookups make."""

    def get(self, user_id: int) -> User | None:
        return {ALICE.id: ALICE, NUMBERED.id: NUMBERED}.get(user_id)

    def get_by_username(self, username: str) -> User | None:
        return {ALICE.username: ALICE, NUMBERED.username: NUMBERED}.get(username)


USERS = cast("UserStore", _Users())


def test_a_user_name_finds_the_user_by_id_or_by_username() -> None:
    assert find_user(USERS, "users/3") == ALICE
    assert find_user(USERS, "users/alice") == ALICE


def test_a_numeric_segment_is_always_an_id() -> None:
    # Given a user whose username is all digits / When looked up by it / Then it reads as an id
    with pytest.raises(NotFoundError, match=f"^{USER_NOT_FOUND}$"):
        find_user(USERS, "users/123")
    assert find_user_by_segment(USERS, "4") == NUMBERED
    assert find_user_by_segment(USERS, "alice") == ALICE


def test_unknown_users_are_not_found_and_malformed_names_invalid() -> None:
    with pytest.raises(NotFoundError, match=USER_NOT_FOUND):
        get_existing_user(USERS, 99)
    with pytest.raises(NotFoundError, match=USER_NOT_FOUND):
        find_user_by_segment(USERS, "bob")
    with pytest.raises(InvalidArgumentError):
        find_user(USERS, "memos/3")
