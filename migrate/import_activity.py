"""Activities (memo comments) and the inbox items they left, with their own ids and times.

An activity names its memos by numeric id in Memos and by uid here; the source query resolves
them. An inbox item keeps its ``activityId``, the same number on both sides. Neither depends on
another row's write, so they go in batches: one BatchGetItem to see which ids are there, one
BatchWriteItem per 25 new ones.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from memos.domain.enums import ActivityLevel, ActivityType, NotificationStatus, NotificationType
from memos.store.activities import Activity
from memos.store.notifications import Notification
from migrate.report import Outcome
from migrate.source import in_chunks, json_value

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from migrate.context import ImportContext
    from migrate.source import Row

ACTIVITIES = "activities"
INBOX = "inbox"


def activity_from_row(row: Row) -> Activity:
    return Activity(
        id=int(row["id"]),
        creator_id=int(row["creator_id"]),
        type=str(row["type"] or ActivityType.MEMO_COMMENT.value),
        level=str(row["level"] or ActivityLevel.INFO.value),
        created_ts=int(row["created_ts"]),
        memo_uid=row["memo_uid"],
        related_memo_uid=row["related_memo_uid"],
    )


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


def import_activities(context: ImportContext) -> None:
    report = context.report
    report.start(ACTIVITIES, context.source.count("SELECT COUNT(*) FROM activity"))
    store = context.stores.activities
    for chunk in in_chunks(context.source.activities()):
        fresh: list[Activity] = []
        existing = store.get_many(int(row["id"]) for row in chunk)
        for row in chunk:
            name = f"activity {row['id']}"
            try:
                activity = activity_from_row(row)
            except (TypeError, ValueError) as error:
                report.record(ACTIVITIES, Outcome.ERROR, f"{name}: {error}")
                continue
            creator = activity.creator_id
            stored = existing.get(activity.id)
            if creator in context.source_users and creator not in context.own_users:
                note = f"{name}: its creator (user {creator}) was not imported"
                report.record(ACTIVITIES, Outcome.SKIPPED, note)
            elif stored is None:
                fresh.append(activity)
            elif (stored.creator_id, stored.created_ts) == (creator, activity.created_ts):
                report.record(ACTIVITIES, Outcome.SKIPPED)
            else:
                note = f"{name}: the target has another activity with this id"
                report.record(ACTIVITIES, Outcome.CONFLICT, note)
        _write(context, ACTIVITIES, fresh, store.create_imported)


def import_inbox(context: ImportContext) -> None:
    report = context.report
    report.start(INBOX, context.source.count("SELECT COUNT(*) FROM inbox"))
    store = context.stores.notifications
    # Inbox items are found by id alone too: if the target ever made one of its own, an id
    # may be taken under another receiver, which only a look-up by id tells.
    check_ids = store.last_id() > 0
    for chunk in in_chunks(context.source.inbox()):
        fresh: list[Notification] = []
        pairs = [(int(row["receiver_id"]), int(row["id"])) for row in chunk]
        existing = {item.id: item for item in store.get_many_for_receivers(pairs)}
        for row in chunk:
            name = f"inbox item {row['id']} (user {row['receiver_id']})"
            try:
                notification = notification_from_row(row)
            except (TypeError, ValueError) as error:
                report.record(INBOX, Outcome.ERROR, f"{name}: {error}")
                continue
            stored = existing.get(notification.id)
            if stored is None and check_ids:
                stored = store.get(notification.id)
            if notification.receiver_id not in context.own_users:
                report.record(INBOX, Outcome.SKIPPED, f"{name}: its receiver was not imported")
            elif stored is None:
                fresh.append(notification)
            elif (stored.receiver_id, stored.sender_id) == (
                notification.receiver_id,
                notification.sender_id,
            ):
                report.record(INBOX, Outcome.SKIPPED)
            else:
                note = f"{name}: the target has another inbox item with this id"
                report.record(INBOX, Outcome.CONFLICT, note)
        _write(context, INBOX, fresh, store.create_imported)


def _write(
    context: ImportContext,
    kind: str,
    fresh: Sequence[Activity] | Sequence[Notification],
    write: Callable[[Any], None],
) -> None:
    """Write the new rows of a chunk in batches; a failed batch is an error for each row."""
    if not fresh:
        return
    outcome, note = Outcome.IMPORTED, ""
    if not context.dry_run:
        try:
            write(fresh)
        except Exception as error:  # reported with the rows; the run goes on
            outcome, note = Outcome.ERROR, str(error)
    for row in fresh:
        context.report.record(kind, outcome, f"{kind} {row.id}: {note}" if note else "")
