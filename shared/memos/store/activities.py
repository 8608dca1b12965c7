"""Activities (the feed behind memo-comment notifications): ``ACTIVITY#<id>`` / ``ACTIVITY``.

Every activity is also under the one GSI1 partition ``ACTIVITIES``, ordered by id, so the
instance-wide feed is one Query (newest first = descending ids, ids being handed out in creation
order). Activities are written only inside the memo comment transaction (:meth:`prepare`) and
are never changed or deleted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from msgspec import Struct

from memos.domain.enums import ActivityLevel, ActivityType
from memos.store import keys
from memos.store.schema import GSI1

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

    from memos.store.codec import Item
    from memos.store.counters import CounterStore
    from memos.store.table import DynamoTable

ACTIVITIES_COUNTER: Final = "activities"


class Activity(Struct, frozen=True):
    """One activity. ``memo_uid`` (the comment) and ``related_memo_uid`` (the memo commented on)
    make up the payload; both ``None`` is an empty payload."""

    id: int
    creator_id: int
    type: str
    level: str
    created_ts: int
    memo_uid: str | None
    related_memo_uid: str | None

    @property
    def has_memo_comment(self) -> bool:
        return self.memo_uid is not None or self.related_memo_uid is not None


class ActivityStore:
    def __init__(self, table: DynamoTable, counters: CounterStore) -> None:
        self._table = table
        self._counters = counters

    def get(self, activity_id: int) -> Activity | None:
        item = self._table.get(keys.activity_key(activity_id))
        return _activity_from_item(item) if item else None

    def list_newest_first(self) -> list[Activity]:
        """Every activity of the instance, newest first (all pages of the GSI1 partition)."""
        items = self._table.query_all(keys.ACTIVITIES_INDEX_PARTITION, index=GSI1, forward=False)
        return [_activity_from_item(item) for item in items]

    def prepare(
        self,
        creator_id: int,
        memo_uid: str | None,
        related_memo_uid: str | None,
        created_ts: int,
    ) -> tuple[Activity, TransactWriteItemTypeDef]:
        """A new MEMO_COMMENT/INFO activity with its id allocated, and the transaction write
        that stores it (the caller runs it together with the comment's other writes)."""
        activity = Activity(
            id=self._counters.next_id(ACTIVITIES_COUNTER),
            creator_id=creator_id,
            type=ActivityType.MEMO_COMMENT,
            level=ActivityLevel.INFO,
            created_ts=created_ts,
            memo_uid=memo_uid,
            related_memo_uid=related_memo_uid,
        )
        return activity, self._table.put_new_op(_item_of(activity))

    def get_many(self, activity_ids: Iterable[int]) -> dict[int, Activity]:
        """The activities that exist among ``activity_ids``, by id (BatchGetItem)."""
        items = self._table.batch_get(
            [keys.activity_key(activity_id) for activity_id in activity_ids]
        )
        return {found.id: found for found in map(_activity_from_item, items)}

    def create_imported(self, activities: Sequence[Activity]) -> None:
        """Store activities brought from another instance with their own ids and times, in
        batches (no condition: the import has checked the ids are free), and raise the id
        counter past them."""
        if not activities:
            return
        self._table.batch_put([_item_of(activity) for activity in activities])
        self._counters.raise_to(ACTIVITIES_COUNTER, max(activity.id for activity in activities))


def _item_of(activity: Activity) -> Item:
    return {
        **keys.activity_key(activity.id).attributes(),
        **keys.activities_index_key(activity.id).attributes(),
        "entity": "ACTIVITY",
        "id": activity.id,
        "creator_id": activity.creator_id,
        "type": activity.type,
        "level": activity.level,
        "created_ts": activity.created_ts,
        "memo_uid": activity.memo_uid,  # None values are left out of the item
        "related_memo_uid": activity.related_memo_uid,
    }


def _activity_from_item(item: Item) -> Activity:
    memo_uid = item.get("memo_uid")
    related_memo_uid = item.get("related_memo_uid")
    return Activity(
        id=int(item["id"]),
        creator_id=int(item["creator_id"]),
        type=str(item.get("type", "")),
        level=str(item.get("level", "")),
        created_ts=int(item["created_ts"]),
        memo_uid=str(memo_uid) if memo_uid is not None else None,
        related_memo_uid=str(related_memo_uid) if related_memo_uid is not None else None,
    )
