"""NotificationStore: a receiver's inbox, newest first, and lookup by id alone."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from memos.domain.enums import NotificationStatus
from memos.errors import NotFoundError

if TYPE_CHECKING:
    from memos.store import Stores


def test_inbox_is_listed_newest_first_for_its_receiver_only(stores: Stores) -> None:
    first = stores.notifications.create(receiver_id=1, sender_id=2, activity_id=10)
    second = stores.notifications.create(receiver_id=1, sender_id=3, activity_id=11)
    stores.notifications.create(receiver_id=2, sender_id=1, activity_id=12)
    assert stores.notifications.list_for_receiver(1) == [second, first]
    assert (first.status, first.type) == (NotificationStatus.UNREAD, "MEMO_COMMENT")


def test_ids_come_from_one_counter_across_receivers(stores: Stores) -> None:
    ids = [
        stores.notifications.create(receiver_id=receiver, sender_id=9).id for receiver in (1, 2, 1)
    ]
    assert ids == [1, 2, 3]


def test_a_notification_is_found_by_id_alone(stores: Stores) -> None:
    created = stores.notifications.create(receiver_id=5, sender_id=6, activity_id=7)
    assert stores.notifications.get(created.id) == created
    assert stores.notifications.get(999) is None
    assert stores.notifications.get_for_receiver(5, created.id) == created
    assert stores.notifications.get_for_receiver(6, created.id) is None


def test_status_update_persists(stores: Stores) -> None:
    created = stores.notifications.create(receiver_id=1, sender_id=2)
    updated = stores.notifications.update_status(1, created.id, NotificationStatus.ARCHIVED)
    assert updated.status == NotificationStatus.ARCHIVED
    assert stores.notifications.list_for_receiver(1)[0].status == NotificationStatus.ARCHIVED


def test_status_update_of_unknown_notification_is_not_found(stores: Stores) -> None:
    with pytest.raises(NotFoundError, match="notification not found"):
        stores.notifications.update_status(1, 42, NotificationStatus.ARCHIVED)


def test_delete_is_hard(stores: Stores) -> None:
    created = stores.notifications.create(receiver_id=1, sender_id=2)
    assert stores.notifications.delete(1, created.id) is True
    assert stores.notifications.delete(1, created.id) is False
    assert stores.notifications.list_for_receiver(1) == []
