"""Which memo writes are webhook events, read from a DynamoDB stream record.

Only the memo item itself (``entity`` MEMO) counts: listing copies, extras (reactions,
relations, attachment links) and every other item produce nothing. An INSERT is
``memos.memo.created`` (comments included), a MODIFY ``memos.memo.updated`` (every UpdateMemo
writes the item with a new version), a REMOVE ``memos.memo.deleted`` with the memo as it was.
A comment deleted because its parent was deleted carries :data:`CASCADE_MARKER`, set just
before its delete: neither that marking write nor the delete is an event (Memos sends none for
cascaded comments).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any, Final

from msgspec import Struct

from memos.store.codec import from_item
from memos.store.memos import memo_from_item

if TYPE_CHECKING:
    from collections.abc import Mapping

    from memos.store.memos import Memo

MEMO_ENTITY: Final = "MEMO"
# Set on a comment's item by the parent's delete, right before the comment's own delete.
CASCADE_MARKER: Final = "deleted_with_parent"


class ActivityType(StrEnum):
    CREATED = "memos.memo.created"
    UPDATED = "memos.memo.updated"
    DELETED = "memos.memo.deleted"


class MemoEvent(Struct, frozen=True):
    """One memo change to announce; ``record_id`` is the stream record's ``eventID``."""

    record_id: str
    activity_type: ActivityType
    memo: Memo


def event_from_record(record: Mapping[str, Any]) -> MemoEvent | None:
    """The event a stream record (Lambda's DynamoDB stream shape) stands for, if any."""
    change = record.get("dynamodb") or {}
    name = record.get("eventName")
    new = _image(change.get("NewImage"))
    old = _image(change.get("OldImage"))
    if name == "INSERT" and _is_memo(new):
        return MemoEvent(str(record["eventID"]), ActivityType.CREATED, memo_from_item(new))
    if name == "MODIFY" and _is_memo(new):
        if CASCADE_MARKER in new:  # the parent's delete marking this comment: not an update
            return None
        return MemoEvent(str(record["eventID"]), ActivityType.UPDATED, memo_from_item(new))
    if name == "REMOVE" and _is_memo(old):
        if CASCADE_MARKER in old:
            return None
        return MemoEvent(str(record["eventID"]), ActivityType.DELETED, memo_from_item(old))
    return None


def _image(raw: Mapping[str, Any] | None) -> dict[str, Any]:
    return from_item(raw) if raw else {}


def _is_memo(item: Mapping[str, Any]) -> bool:
    return item.get("entity") == MEMO_ENTITY
