"""The activity feed: every activity, minus those whose memos are gone.

Activities outlive the memos they mention (Memos never deletes them), so each read checks that
the comment and the commented memo still exist: one BatchGetItem for all memos a list mentions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from memos.errors import NotFoundError
from memos.store import keys

if TYPE_CHECKING:
    from collections.abc import Iterable

    from memos.store.activities import Activity, ActivityStore
    from memos.store.table import DynamoTable

ACTIVITY_NOT_FOUND: Final = "activity not found"
DELETED_CONTENT: Final = "activity references deleted content"


def list_activities(activities: ActivityStore, table: DynamoTable) -> list[Activity]:
    """Every activity of the instance, newest first, skipping those about deleted memos."""
    found = activities.list_newest_first()
    existing = _existing_memo_uids(table, _mentioned_uids(found))
    return [activity for activity in found if _memos_exist(activity, existing)]


def get_activity(activities: ActivityStore, table: DynamoTable, activity_id: int) -> Activity:
    """One activity; NotFound when it doesn't exist (Memos crashes: INTERNAL) or when a memo it
    mentions was deleted."""
    activity = activities.get(activity_id)
    if activity is None:
        raise NotFoundError(ACTIVITY_NOT_FOUND)
    existing = _existing_memo_uids(table, _mentioned_uids([activity]))
    if not _memos_exist(activity, existing):
        raise NotFoundError(DELETED_CONTENT)
    return activity


def _mentioned_uids(activities: Iterable[Activity]) -> list[str]:
    uids: dict[str, None] = {}
    for activity in activities:
        for uid in (activity.memo_uid, activity.related_memo_uid):
            if uid:
                uids[uid] = None
    return list(uids)


def _existing_memo_uids(table: DynamoTable, uids: list[str]) -> set[str]:
    if not uids:
        return set()
    uid_of_partition = {keys.memo_partition(uid): uid for uid in uids}
    items = table.batch_get([keys.memo_key(uid) for uid in uids])
    return {uid_of_partition[str(item["pk"])] for item in items}


def _memos_exist(activity: Activity, existing: set[str]) -> bool:
    """An empty payload mentions nothing; a memo-comment payload needs both of its memos (a
    missing uid counts as a deleted memo, as a zero id does in Memos)."""
    if not activity.has_memo_comment:
        return True
    return all(
        uid is not None and uid in existing
        for uid in (activity.memo_uid, activity.related_memo_uid)
    )
