"""User notifications (the inbox): reading your own, marking them read or archived, deleting.

Only the notification's receiver may touch it (ADMINs included). The ``users/{x}`` segment of
a notification name is not compared with anything, as in Memos: the stored receiver decides.
Two Memos crashes become errors here: a missing update mask is INVALID_ARGUMENT, and an empty
status is "invalid status" instead of being written.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from functions.user.resource_names import NOTIFICATIONS
from memos import names
from memos.caller import PERMISSION_DENIED
from memos.domain.enums import NotificationStatus, NotificationType
from memos.errors import (
    UPDATE_MASK_EMPTY,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from memos.store.notifications import Notification, NotificationStore

NOTIFICATION_NOT_FOUND: Final = "notification not found"
_NAME: Final = re.compile(rf"^{names.USERS}/(\d+)/{NOTIFICATIONS}/(\d+)$")
_STATUSES: Final = frozenset(NotificationStatus)


def parse_notification_name(name: str) -> int:
    """The inbox id of ``users/{digits}/notifications/{digits}``."""
    match = _NAME.match(name)
    inbox_id = names.parse_int32(match.group(2)) if match else None
    if match is None or names.parse_int32(match.group(1)) is None or inbox_id is None:
        raise InvalidArgumentError(f"invalid notification name: {name}")
    return inbox_id


def list_notifications(store: NotificationStore, receiver_id: int) -> list[Notification]:
    """The receiver's comment notifications, newest first."""
    return [
        item
        for item in store.list_for_receiver(receiver_id)
        if item.type == NotificationType.MEMO_COMMENT
    ]


def own_notification(store: NotificationStore, caller_id: int, inbox_id: int) -> Notification:
    notification = store.get(inbox_id)
    if notification is None:
        raise NotFoundError(NOTIFICATION_NOT_FOUND)
    if notification.receiver_id != caller_id:
        raise PermissionDeniedError(PERMISSION_DENIED)
    return notification


def update_notification(
    store: NotificationStore, notification: Notification, *, status: str, paths: Sequence[str]
) -> Notification:
    """Apply the mask; ``status`` (UNREAD or ARCHIVED) is the only path there is."""
    if not paths:
        raise InvalidArgumentError(UPDATE_MASK_EMPTY)
    new_status: str | None = None
    for path in paths:
        if path != "status":
            raise InvalidArgumentError(f"invalid update path: {path}")
        if status not in _STATUSES:
            raise InvalidArgumentError("invalid status")
        new_status = status
    assert new_status is not None
    return store.update_status(notification.receiver_id, notification.id, new_status)


def delete_notification(store: NotificationStore, notification: Notification) -> None:
    if not store.delete(notification.receiver_id, notification.id):
        raise NotFoundError(NOTIFICATION_NOT_FOUND)
