"""The memo visibility rule shared by stats, memo lists and memo reads (memos.md §5)."""

from __future__ import annotations

import pytest

from memos.domain.enums import Role, State, Visibility
from memos.domain.visibility import can_read_memo, viewer_visibilities, visible_to
from memos.store.users import User

CREATOR = 7


def user(user_id: int, role: str = Role.USER) -> User:
    return User(id=user_id, username=f"u{user_id}", role=role, state=State.NORMAL)


def test_anonymous_viewers_see_only_public_memos() -> None:
    # Given no signed-in viewer / When asking what they see / Then PUBLIC only
    assert visible_to(None, CREATOR) == (Visibility.PUBLIC,)
    assert viewer_visibilities(None) == (Visibility.PUBLIC,)


def test_signed_in_viewers_see_public_and_protected_memos_of_others() -> None:
    assert visible_to(8, CREATOR) == (Visibility.PUBLIC, Visibility.PROTECTED)
    assert viewer_visibilities(8) == (Visibility.PUBLIC, Visibility.PROTECTED)


def test_creators_see_all_their_memos_most_public_first() -> None:
    assert visible_to(CREATOR, CREATOR) == (
        Visibility.PUBLIC,
        Visibility.PROTECTED,
        Visibility.PRIVATE,
    )


@pytest.mark.parametrize(
    ("viewer", "visibility", "readable"),
    [
        (None, Visibility.PUBLIC, True),
        (None, Visibility.PROTECTED, False),
        (None, Visibility.PRIVATE, False),
        (user(8), Visibility.PROTECTED, True),
        (user(8), Visibility.PRIVATE, False),
        (user(CREATOR), Visibility.PRIVATE, True),
        (user(9, Role.ADMIN), Visibility.PRIVATE, False),
        (user(9, Role.ADMIN), Visibility.PROTECTED, True),
    ],
)
def test_can_read_memo_follows_the_visibility_rule(
    viewer: User | None, visibility: Visibility, readable: bool
) -> None:
    # Given a memo of CREATOR / When the viewer reads it / Then only the rule decides
    assert can_read_memo(viewer, CREATOR, visibility) is readable


def test_can_read_memo_takes_stored_plain_strings() -> None:
    assert can_read_memo(user(8), CREATOR, "PROTECTED")
    assert not can_read_memo(None, CREATOR, "UNKNOWN")
