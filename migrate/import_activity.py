"""Activities (memo comments) and the inbox items they left, with their own ids and times.

An activity names its memos by numeric id in Memos and by uid here; the source query resolves
them. An inbox item keeps its ``activityId``, which is the same number on both sides.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from memos.domain.enums import ActivityLevel, ActivityType, NotificationStatus, NotificationType
from memos.store.activities import Activity
from memos.store.notifications import Notification
from memos.store.table import ConditionFailedError
from migrate.report import Outcome
from migrate.source import json_value

if TYPE_CHECKING:
    from migrate.context import ImportContext
    from migrate.source import Row

ACTIVITIES = "activities"
INBOX = "inbox"


def import_activities(context: ImportContext) -> None:
    report = context.report
    report.start(ACTIVITIES, context.source.count("SELECT COUNT(*) FROM activity"))
    store = context.stores.activities
    for row in context.source.activities():
        name = f"activity {row['id']}"
        try:
            activity = Activity(
                id=int(row["id"]),
                creator_id=int(row["creator_id"]),
                type=str(row["type"] or ActivityType.MEMO_COMMENT.value),
                level=str(row["level"] or ActivityLevel.INFO.value),
                created_ts=int(row["created_ts"]),
                memo_uid=row["memo_uid"],
                related_memo_uid=row["related_memo_uid"],
            )
            existing = store.get(activity.id)
            creator = activity.creator_id
            if creator in context.source_users and creator not in context.own_users:
                outcome, note = Outcome.SKIPPED, f"its creator (user {creator}) was not imported"
            elif existing is not None:
                same = (existing.creator_id, existing.created_ts) == (
                    activity.creator_id,
                    activity.created_ts,
                )
                outcome = Outcome.SKIPPED if same else Outcome.CONFLICT
                note = "" if same else "the target has another activity with this id"
            else:
                if not context.dry_run:
                    store.create_imported(activity)
                outcome, note = Outcome.IMPORTED, ""
        except ConditionFailedError:
            outcome, note = Outcome.CONFLICT, "its id was taken meanwhile"
        except Exception as error:  # reported with the row; the run goes on
            outcome, note = Outcome.ERROR, str(error)
        report.record(ACTIVITIES, outcome, f"{name}: {note}" if note else "")


def notification_from_row(row: Row) -> Notification:
    message = json_value(row["message"])
    activity_id = message.get("activityId")
    return Notification(
        id=int(row["id"]),
        receiver_id=int(row["receiver_id"]),
        sender_id=int(row["sender_id"]),
        status=(
            NotificationStatus.ARCHIVED.value
            if row["status"] == "ARCHIVED"
            else NotificationStatus.UNREAD.value
        ),
        type=str(message.get("type") or NotificationType.MEMO_COMMENT.value),
        activity_id=int(activity_id) if activity_id is not None else None,
        created_at=int(row["created_ts"]),
    )


def import_inbox(context: ImportContext) -> None:
    report = context.report
    report.start(INBOX, context.source.count("SELECT COUNT(*) FROM inbox"))
    store = context.stores.notifications
    for row in context.source.inbox():
        name = f"inbox item {row['id']} (user {row['receiver_id']})"
        try:
            outcome, note = Outcome.IMPORTED, ""
            notification = notification_from_row(row)
            if notification.receiver_id not in context.own_users:
                outcome, note = Outcome.SKIPPED, "its receiver was not imported"
            elif (
                existing := store.get_for_receiver(notification.receiver_id, notification.id)
            ) or (existing := store.get(notification.id)):
                same = (existing.receiver_id, existing.sender_id) == (
                    notification.receiver_id,
                    notification.sender_id,
                )
                outcome = Outcome.SKIPPED if same else Outcome.CONFLICT
                note = "" if same else "the target has another inbox item with this id"
            elif not context.dry_run:
                store.create_imported(notification)
        except ConditionFailedError:
            outcome, note = Outcome.CONFLICT, "its id was taken meanwhile"
        except Exception as error:  # reported with the row; the run goes on
            outcome, note = Outcome.ERROR, str(error)
        report.record(INBOX, outcome, f"{name}: {note}" if note else "")
