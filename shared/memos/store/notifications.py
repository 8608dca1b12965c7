"""User notifications (Memos' inbox): ``USER#<receiver>`` / ``INBOX#<padded id>``.

A receiver's inbox is one Query, newest first. Notification names carry a user segment that
Memos never compares, so a notification can also be found by id alone (GSI2 ``INBOX#<id>``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from msgspec import Struct

from memos.domain.enums import NotificationStatus, NotificationType
from memos.errors import NotFoundError
from memos.store import keys
from memos.store.clock import epoch_seconds
from memos.store.schema import GSI2
from memos.store.table import ConditionFailedError, item_exists, set_fields

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from memos.store.clock import Clock
    from memos.store.codec import Item
    from memos.store.counters import CounterStore
    from memos.store.table import DynamoTable
    from memos.store.writes import Writes

INBOX_COUNTER = "inbox"


class Notification(Struct, frozen=True):
    id: int
    receiver_id: int
    sender_id: int
    status: str
    type: str
    activity_id: int | None
    created_at: int


class NotificationStore:
    def __init__(
        self, table: DynamoTable, counters: CounterStore, clock: Clock = epoch_seconds
    ) -> None:
        self._table = table
        self._counters = counters
        self._clock = clock

    def create(
        self,
        *,
        receiver_id: int,
        sender_id: int,
        type: str = NotificationType.MEMO_COMMENT,
        activity_id: int | None = None,
        status: str = NotificationStatus.UNREAD,
    ) -> Notification:
        notification, item = self._new(receiver_id, sender_id, type, activity_id, status)
        self._table.put_new(item)
        return notification

    def prepare(
        self, writes: Writes, *, receiver_id: int, sender_id: int, activity_id: int
    ) -> Notification:
        """A new unread MEMO_COMMENT notification, its write added to ``writes``."""
        notification, item = self._new(
            receiver_id,
            sender_id,
            NotificationType.MEMO_COMMENT,
            activity_id,
            NotificationStatus.UNREAD,
        )
        writes.add(self._table.put_new_op(item), label="inbox")
        return notification

    def _new(
        self,
        receiver_id: int,
        sender_id: int,
        type: str,
        activity_id: int | None,
        status: str,
    ) -> tuple[Notification, dict[str, Any]]:
        notification = Notification(
            id=self._counters.next_id(INBOX_COUNTER),
            receiver_id=receiver_id,
            sender_id=sender_id,
            status=status,
            type=type,
            activity_id=activity_id,
            created_at=self._clock(),
        )
        return notification, _item_of(notification)

    def create_imported(self, notifications: Sequence[Notification]) -> None:
        """Store notifications brought from another instance with their own ids and times, in
        batches (no condition: the import has checked the ids are free), and raise the id
        counter past them."""
        if not notifications:
            return
        self._table.batch_put([_item_of(notification) for notification in notifications])
        self._counters.raise_to(INBOX_COUNTER, max(item.id for item in notifications))

    def get_many_for_receivers(self, pairs: Iterable[tuple[int, int]]) -> list[Notification]:
        """The notifications that exist among (receiver id, id) ``pairs`` (BatchGetItem)."""
        items = self._table.batch_get(
            [keys.inbox_key(receiver, inbox) for receiver, inbox in pairs]
        )
        return [_notification_from_item(item) for item in items]

    def last_id(self) -> int:
        """The highest id handed out here so far (0 when none was)."""
        return self._counters.current(INBOX_COUNTER)

    def get(self, inbox_id: int) -> Notification | None:
        """A notification by id alone (one Query on GSI2, eventually consistent)."""
        page = self._table.query_page(keys.inbox_by_id_index_key(inbox_id).pk, index=GSI2, limit=1)
        return _notification_from_item(page.items[0]) if page.items else None

    def get_for_receiver(self, receiver_id: int, inbox_id: int) -> Notification | None:
        item = self._table.get(keys.inbox_key(receiver_id, inbox_id))
        return _notification_from_item(item) if item else None

    def list_for_receiver(self, receiver_id: int) -> list[Notification]:
        """The receiver's notifications, newest first."""
        items = self._table.query_all(
            keys.user_partition(receiver_id),
            sort_prefix=keys.INBOX_PREFIX,
            forward=False,
            consistent=True,
        )
        return [_notification_from_item(item) for item in items]

    def update_status(self, receiver_id: int, inbox_id: int, status: str) -> Notification:
        try:
            item = self._table.update(
                keys.inbox_key(receiver_id, inbox_id),
                set_fields({"status": status}),
                condition=item_exists(),
            )
        except ConditionFailedError as error:
            raise NotFoundError("notification not found") from error
        return _notification_from_item(item)

    def delete(self, receiver_id: int, inbox_id: int) -> bool:
        return self._table.delete(keys.inbox_key(receiver_id, inbox_id)) is not None


def _item_of(notification: Notification) -> dict[str, Any]:
    return {
        **keys.inbox_key(notification.receiver_id, notification.id).attributes(),
        **keys.inbox_by_id_index_key(notification.id).attributes(),
        "entity": "INBOX",
        "id": notification.id,
        "receiver_id": notification.receiver_id,
        "sender_id": notification.sender_id,
        "status": notification.status,
        "type": notification.type,
        "activity_id": notification.activity_id,
        "created_at": notification.created_at,
    }


def _notification_from_item(item: Item) -> Notification:
    activity_id = item.get("activity_id")
    return Notification(
        id=int(item["id"]),
        receiver_id=int(item["receiver_id"]),
        sender_id=int(item["sender_id"]),
        status=str(item["status"]),
        type=str(item["type"]),
        activity_id=int(activity_id) if activity_id is not None else None,
        created_at=int(item["created_at"]),
    )
