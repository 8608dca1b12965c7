"""Stored records -> UserService messages (settings, tokens, webhooks, notifications, stats).

``User`` itself is converted by ``memos.convert.user_to_proto``, shared with other services.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from functions.user.preferences import GENERAL, WEBHOOKS
from memos import names
from memos.api.v1 import user_service_pb2 as pb
from memos.convert import timestamp

if TYPE_CHECKING:
    from collections.abc import Sequence

    from functions.user.preferences import GeneralPreferences
    from memos.store.access_tokens import PersonalAccessToken
    from memos.store.notifications import Notification
    from memos.store.user_stats import UserStats
    from memos.store.users import NewUser
    from memos.store.webhooks import Webhook

_ROLES: Final = {"ADMIN": pb.User.ADMIN, "USER": pb.User.USER}
_NOTIFICATION_STATUSES: Final = {
    "UNREAD": pb.UserNotification.UNREAD,
    "ARCHIVED": pb.UserNotification.ARCHIVED,
}
_NOTIFICATION_TYPES: Final = {"MEMO_COMMENT": pb.UserNotification.MEMO_COMMENT}


def role_name(role: pb.User.Role) -> str:
    """ "ADMIN", "USER" or "" for what a client sent."""
    return {pb.User.ADMIN: "ADMIN", pb.User.USER: "USER"}.get(role, "")


def notification_status_name(status: pb.UserNotification.Status) -> str:
    """ "UNREAD", "ARCHIVED" or "" for what a client sent."""
    names_by_value = {value: name for name, value in _NOTIFICATION_STATUSES.items()}
    return names_by_value.get(status, "")


def planned_user_to_proto(new: NewUser) -> pb.User:
    """What CreateUser's ``validate_only`` answers: no name, state or times."""
    return pb.User(
        username=new.username,
        email=new.email,
        display_name=new.display_name,
        role=_ROLES.get(new.role, pb.User.ROLE_UNSPECIFIED),
    )


def setting_name(user_id: int, key: str) -> str:
    return names.child_name(user_id, "settings", key)


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
        name=names.child_name(webhook.user_id, "webhooks", webhook.webhook_id),
        url=webhook.url,
        display_name=webhook.title,
    )


def access_token_to_proto(token: PersonalAccessToken) -> pb.PersonalAccessToken:
    """Metadata only: never the token or its hash."""
    message = pb.PersonalAccessToken(
        name=names.child_name(token.user_id, "personalAccessTokens", token.token_id),
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
        name=names.child_name(notification.receiver_id, "notifications", notification.id),
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
        name=f"{names.user_name(stats.user_id)}/stats",
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
            names.child_name(stats.user_id, "memos", memo_id) for memo_id in stats.pinned_memo_ids
        ],
        total_memo_count=stats.total,
    )
