"""ShortcutStore on DynamoDB: creation order, updates in place, NotFound for unknown ids."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from memos.errors import NotFoundError
from memos.store.shortcuts import Shortcut, new_shortcut_id

if TYPE_CHECKING:
    from memos.store import Stores


@pytest.fixture
def stores(moto_stores: Stores) -> Stores:
    """The store's own tests run on DynamoDB as moto emulates it, not on the in-memory table."""
    return moto_stores


def shortcut(user_id: int, title: str, filter: str = 'tag in ["a"]') -> Shortcut:
    return Shortcut(user_id, new_shortcut_id(), title, filter)


def test_shortcuts_are_listed_in_creation_order_and_keep_position_on_update(
    stores: Stores,
) -> None:
    # Given three shortcuts of one user and one of another user
    first, second, third = (stores.shortcuts.create(shortcut(1, t)) for t in ("a", "b", "c"))
    stores.shortcuts.create(shortcut(2, "other"))

    # When the first is renamed and the list is read
    renamed = stores.shortcuts.update(1, first.shortcut_id, title="a2")
    listed = stores.shortcuts.list_for_user(1)

    # Then the order is the creation order, with the renamed one still first
    assert listed == [renamed, second, third]
    assert renamed == Shortcut(1, first.shortcut_id, "a2", first.filter)


def test_update_changes_only_the_given_fields(stores: Stores) -> None:
    # Given a shortcut
    created = stores.shortcuts.create(shortcut(1, "t", 'tag in ["x"]'))

    # When its filter alone is changed, and then nothing is
    refiltered = stores.shortcuts.update(1, created.shortcut_id, filter='tag in ["y"]')
    unchanged = stores.shortcuts.update(1, created.shortcut_id)

    # Then the title stays, and an empty update returns the stored shortcut
    assert refiltered == Shortcut(1, created.shortcut_id, "t", 'tag in ["y"]')
    assert unchanged == refiltered


def test_unknown_shortcut_is_none_and_not_found_on_update_and_delete(stores: Stores) -> None:
    # Given a shortcut of user 1
    created = stores.shortcuts.create(shortcut(1, "t"))

    # When user 2's partition is asked for the same id
    # Then it isn't there: None, and NotFound on every write
    assert stores.shortcuts.get(2, created.shortcut_id) is None
    for write in (
        lambda: stores.shortcuts.update(2, created.shortcut_id, title="x"),
        lambda: stores.shortcuts.update(2, created.shortcut_id),
        lambda: stores.shortcuts.delete(2, created.shortcut_id),
    ):
        with pytest.raises(NotFoundError, match="shortcut not found"):
            write()
    assert stores.shortcuts.get(1, created.shortcut_id) == created


def test_delete_removes_the_shortcut_once(stores: Stores) -> None:
    # Given a shortcut
    created = stores.shortcuts.create(shortcut(1, "t"))

    # When it is deleted
    stores.shortcuts.delete(1, created.shortcut_id)

    # Then it is gone, and a second delete is NotFound
    assert stores.shortcuts.list_for_user(1) == []
    with pytest.raises(NotFoundError):
        stores.shortcuts.delete(1, created.shortcut_id)


def test_new_shortcut_ids_are_lower_case_uuid4() -> None:
    # Given fresh ids
    ids = {new_shortcut_id() for _ in range(20)}

    # Then each is a distinct 36-character lower-case version-4 UUID
    assert len(ids) == 20
    for shortcut_id in ids:
        assert len(shortcut_id) == 36
        assert shortcut_id == shortcut_id.lower()
        assert shortcut_id[14] == "4"
