"""Stored records -> UserService messages (settings, tokens, webhooks, notifications, stats).

``User`` itself is converted by ``memos.convert.user_to_proto``, shared with other services.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from functions.user.preferences import GENERAL, WEBHOOKS
from functions.user.resource_names import (
    access_token_name,
    notification_name,
    pinned_memo_name,
    setting_name,
    stats_name,
)
from memos import names
from memos.api.v1 import user_service_pb2 as pb
from memos.convert import role_to_proto, timestamp
from memos.domain.enums import NotificationStatus, NotificationType

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from functions.user.preferences import GeneralPreferences
    from memos.store.access_tokens import PersonalAccessToken
    from memos.store.notifications import Notification
    from memos.store.user_stats import UserStats
    from memos.store.users import NewUser
    from memos.store.webhooks import Webhook

_NOTIFICATION_STATUSES: Final[Mapping[str, pb.UserNotification.Status]] = {
    NotificationStatus.UNREAD: pb.UserNotification.UNREAD,
    NotificationStatus.ARCHIVED: pb.UserNotification.ARCHIVED,
}
_NOTIFICATION_STATUS_NAMES: Final = {value: name for name, value in _NOTIFICATION_STATUSES.items()}
_NOTIFICATION_TYPES: Final[Mapping[str, pb.UserNotification.Type]] = {
    NotificationType.MEMO_COMMENT: pb.UserNotification.MEMO_COMMENT
}


def notification_status_name(status: pb.UserNotification.Status) -> str:
    """The stored name of a status a client sent; "" when unspecified."""
    return _NOTIFICATION_STATUS_NAMES.get(status, "")


def planned_user_to_proto(new: NewUser) -> pb.User:
    """What CreateUser's ``validate_only`` answers: no name, state or times."""
    return pb.User(
        username=new.username,
        email=new.email,
        display_name=new.display_name,
        role=role_to_proto(new.role),
    )


def general_setting_to_proto(user_id: int, preferences: GeneralPreferences) -> pb.UserSetting:
    return pb.UserSetting(
        name=setting_name(user_id, GENERAL),
        general_setting=pb.UserSetting.GeneralSetting(
            locale=preferences.locale,
            memo_visibility=preferences.memo_visibility,
            theme=preferences.theme,
        ),
    )


def webhooks_setting_to_proto(user_id: int, webhooks: Sequence[Webhook]) -> pb.UserSetting:
    return pb.UserSetting(
        name=setting_name(user_id, WEBHOOKS),
        webhooks_setting=pb.UserSetting.WebhooksSetting(
            webhooks=[webhook_to_proto(webhook) for webhook in webhooks]
        ),
    )


def webhook_to_proto(webhook: Webhook) -> pb.UserWebhook:
    """As Memos: name, URL and title; the times stay unset."""
    return pb.UserWebhook(
        name=names.webhook_name(webhook.user_id, webhook.webhook_id),
        url=webhook.url,
        display_name=webhook.title,
    )


def access_token_to_proto(token: PersonalAccessToken) -> pb.PersonalAccessToken:
    """Metadata only: never the token or its hash."""
    message = pb.PersonalAccessToken(
        name=access_token_name(token.user_id, token.token_id),
        description=token.description,
        created_at=timestamp(token.created_at),
    )
    if token.expires_at is not None:
        message.expires_at.CopyFrom(timestamp(token.expires_at))
    if token.last_used_at is not None:
        message.last_used_at.CopyFrom(timestamp(token.last_used_at))
    return message


def notification_to_proto(notification: Notification) -> pb.UserNotification:
    message = pb.UserNotification(
        name=notification_name(notification.receiver_id, notification.id),
        sender=names.user_name(notification.sender_id),
        status=_NOTIFICATION_STATUSES.get(
            notification.status, pb.UserNotification.STATUS_UNSPECIFIED
        ),
        create_time=timestamp(notification.created_at),
        type=_NOTIFICATION_TYPES.get(notification.type, pb.UserNotification.TYPE_UNSPECIFIED),
    )
    if notification.activity_id is not None:
        message.activity_id = notification.activity_id
    return message


def stats_to_proto(stats: UserStats, *, display_with_update_time: bool) -> pb.UserStats:
    """``users/{id}/stats``; one display time per counted memo, newest created first."""
    return pb.UserStats(
        name=stats_name(stats.user_id),
        memo_display_timestamps=[
            timestamp(times.updated_at if display_with_update_time else times.created_at)
            for times in stats.memo_times
        ],
        memo_type_stats=pb.UserStats.MemoTypeStats(
            link_count=stats.link_count,
            code_count=stats.code_count,
            todo_count=stats.todo_count,
            undo_count=stats.undo_count,
        ),
        tag_count=dict(stats.tag_count),
        pinned_memos=[
            pinned_memo_name(stats.user_id, memo_id) for memo_id in stats.pinned_memo_ids
        ],
        total_memo_count=stats.total,
    )
