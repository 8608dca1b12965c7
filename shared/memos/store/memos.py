"""Memos: the memo item, its listing copies, and the writes that keep them in step.

A memo is ``MEMO#<uid>``/``MEMO``; its uid is the key, so uid uniqueness is a condition on the
put. A top-level memo's own item is also its creator listing (GSI1: creation order, GSI2: update
order). Other listings (the PUBLIC/PROTECTED feeds, each tag path, the pinned memos) are copies
of the memo item under ``MEMO#<uid>``/``LIST#<name>`` with their own GSI partitions, written in
the same transaction as the memo. Comments have no listings (lists show top-level memos only).

Writes are returned as :class:`memos.store.writes.Writes` additions, so a flow commits a memo
together with its stats, relations, activity and inbox items.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from msgspec import Struct
from msgspec.structs import replace

from memos.domain.enums import State, Visibility
from memos.store import keys
from memos.store.schema import GSI1, GSI2
from memos.store.table import attribute_equals

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from memos.store.codec import Item
    from memos.store.counters import CounterStore
    from memos.store.table import DynamoTable
    from memos.store.writes import Writes

MEMO_COUNTER = "memos"
FEED_VISIBILITIES = (Visibility.PUBLIC.value, Visibility.PROTECTED.value)


class Location(Struct, frozen=True):
    placeholder: str = ""
    latitude: float = 0.0
    longitude: float = 0.0


class Memo(Struct, frozen=True):
    """A stored memo with its derived content; ``version`` guards read-modify-write."""

    id: int
    uid: str
    creator_id: int
    content: str
    visibility: str
    state: str
    created_ts: int
    updated_ts: int
    pinned: bool = False
    tags: tuple[str, ...] = ()
    tag_paths: tuple[str, ...] = ()
    has_link: bool = False
    has_task_list: bool = False
    has_code: bool = False
    has_incomplete_tasks: bool = False
    snippet: str = ""
    location: Location | None = None
    parent_uid: str | None = None
    version: int = 0

    @property
    def is_comment(self) -> bool:
        return self.parent_uid is not None

    def filter_record(self) -> dict[str, Any]:
        """The fields the filter language sees (``memos.filters.evaluate``)."""
        return {
            "content": self.content,
            "creator_id": self.creator_id,
            "created_ts": self.created_ts,
            "updated_ts": self.updated_ts,
            "pinned": self.pinned,
            "visibility": self.visibility,
            "tags": list(self.tags),
            "has_link": self.has_link,
            "has_task_list": self.has_task_list,
            "has_code": self.has_code,
            "has_incomplete_tasks": self.has_incomplete_tasks,
        }


class Listing(Struct, frozen=True):
    """One ordered index partition a memo appears in; ``copy`` is None for the memo item."""

    partition: str
    copy: str | None


def listings(memo: Memo) -> list[Listing]:
    """Every listing of ``memo`` (none for comments); the first is the memo item itself."""
    if memo.is_comment:
        return []
    state = memo.state
    in_feed = memo.visibility in FEED_VISIBILITIES
    found = [Listing(keys.creator_listing(memo.creator_id, state), None)]
    if in_feed:
        found.append(Listing(keys.feed_listing(memo.visibility, state), "FEED"))
    for path in memo.tag_paths:
        found.append(
            Listing(keys.creator_tag_listing(memo.creator_id, state, path), f"CTAG#{path}")
        )
        if in_feed:
            found.append(
                Listing(keys.feed_tag_listing(memo.visibility, state, path), f"FTAG#{path}")
            )
    if memo.pinned:
        found.append(Listing(keys.creator_pinned_listing(memo.creator_id, state), "CPIN"))
        if in_feed:
            found.append(Listing(keys.feed_pinned_listing(memo.visibility, state), "FPIN"))
    return found


class MemoStore:
    def __init__(self, table: DynamoTable, counters: CounterStore) -> None:
        self._table = table
        self._counters = counters

    def next_id(self) -> int:
        return self._counters.next_id(MEMO_COUNTER)

    # Reads --------------------------------------------------------------------------------

    def get(self, uid: str) -> Memo | None:
        item = self._table.get(keys.memo_key(uid))
        return memo_from_item(item) if item else None

    def get_many(self, uids: Iterable[str]) -> dict[str, Memo]:
        """The memos that exist among ``uids``, by uid (one BatchGetItem per 100)."""
        wanted = list(dict.fromkeys(uids))
        if not wanted:
            return {}
        items = self._table.batch_get([keys.memo_key(uid) for uid in wanted])
        return {memo.uid: memo for memo in map(memo_from_item, items)}

    def existing_uids(self, uids: Iterable[str]) -> set[str]:
        return set(self.get_many(uids))

    # Writes -------------------------------------------------------------------------------

    def add_create(self, writes: Writes, memo: Memo) -> Memo:
        """Put a new memo (its uid must be free: label ``memo``) and its listings."""
        created = replace(memo, version=1)
        writes.add(self._table.put_new_op(memo_item(created)), label="memo")
        _put_copies(writes, created, listings(created))
        return created

    def add_update(self, writes: Writes, old: Memo, new: Memo) -> Memo:
        """Replace ``old`` by ``new`` if nobody changed it since it was read (label ``memo``)."""
        updated = replace(new, version=old.version + 1)
        writes.put(
            memo_item(updated), condition=attribute_equals("version", old.version), label="memo"
        )
        now = listings(updated)
        _put_copies(writes, updated, now)
        kept = {listing.copy for listing in now}
        for listing in listings(old):
            if listing.copy is not None and listing.copy not in kept:
                writes.delete(keys.memo_listing_key(old.uid, listing.copy))
        return updated

    def add_delete(self, writes: Writes, memo: Memo) -> None:
        """Delete the memo item and its listing copies."""
        writes.delete(keys.memo_key(memo.uid), label="memo")
        for listing in listings(memo):
            if listing.copy is not None:
                writes.delete(keys.memo_listing_key(memo.uid, listing.copy))


def _put_copies(writes: Writes, memo: Memo, found: list[Listing]) -> None:
    base = memo_item(memo)
    for listing in found:
        if listing.copy is None:
            continue
        copy_key = keys.memo_listing_key(memo.uid, listing.copy)
        writes.put(
            {
                **base,
                **copy_key.attributes(),
                **_listing_index_keys(listing.partition, memo),
                "entity": "MEMO_LISTING",
            }
        )


def _listing_index_keys(partition: str, memo: Memo) -> dict[str, str]:
    return {
        GSI1.partition_key: partition,
        GSI1.sort_key: keys.time_order_key(memo.created_ts, memo.id),
        GSI2.partition_key: partition,
        GSI2.sort_key: keys.time_order_key(memo.updated_ts, memo.id),
    }


def memo_item(memo: Memo) -> dict[str, Any]:
    item: dict[str, Any] = {
        **keys.memo_key(memo.uid).attributes(),
        "entity": "MEMO",
        "id": memo.id,
        "uid": memo.uid,
        "creator_id": memo.creator_id,
        "content": memo.content,
        "visibility": memo.visibility,
        "state": memo.state,
        "created_ts": memo.created_ts,
        "updated_ts": memo.updated_ts,
        "pinned": memo.pinned,
        "tags": list(memo.tags),
        "tag_paths": list(memo.tag_paths),
        "has_link": memo.has_link,
        "has_task_list": memo.has_task_list,
        "has_code": memo.has_code,
        "has_incomplete_tasks": memo.has_incomplete_tasks,
        "snippet": memo.snippet,
        "version": memo.version,
    }
    if memo.location is not None:
        item["location"] = {
            "placeholder": memo.location.placeholder,
            "latitude": memo.location.latitude,
            "longitude": memo.location.longitude,
        }
    if memo.parent_uid is not None:
        item["parent_uid"] = memo.parent_uid
    else:
        item.update(_listing_index_keys(keys.creator_listing(memo.creator_id, memo.state), memo))
    return item


def memo_from_item(item: Mapping[str, Any] | Item) -> Memo:
    location = item.get("location")
    return Memo(
        id=int(item["id"]),
        uid=str(item["uid"]),
        creator_id=int(item["creator_id"]),
        content=str(item.get("content", "")),
        visibility=str(item.get("visibility", Visibility.PRIVATE.value)),
        state=str(item.get("state", State.NORMAL.value)),
        created_ts=int(item["created_ts"]),
        updated_ts=int(item["updated_ts"]),
        pinned=bool(item.get("pinned", False)),
        tags=tuple(str(tag) for tag in item.get("tags", [])),
        tag_paths=tuple(str(tag) for tag in item.get("tag_paths", [])),
        has_link=bool(item.get("has_link", False)),
        has_task_list=bool(item.get("has_task_list", False)),
        has_code=bool(item.get("has_code", False)),
        has_incomplete_tasks=bool(item.get("has_incomplete_tasks", False)),
        snippet=str(item.get("snippet", "")),
        location=(
            Location(
                placeholder=str(location.get("placeholder", "")),
                latitude=float(location.get("latitude", 0)),
                longitude=float(location.get("longitude", 0)),
            )
            if isinstance(location, dict)
            else None
        ),
        parent_uid=str(item["parent_uid"]) if item.get("parent_uid") else None,
        version=int(item.get("version", 0)),
    )
