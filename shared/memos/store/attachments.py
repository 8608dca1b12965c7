"""Attachment records: ``ATTACHMENT#<uid>``/``ATTACHMENT``, listed per creator on GSI1.

The record holds the metadata and where the bytes are (the bucket key); the bytes themselves live
in S3. A memo's links are kept on both sides: the record's ``memo_uid`` and the memo's extras map
``attachments`` (uid -> position), written in one transaction by the memo flows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from msgspec import Struct
from msgspec.structs import replace

from memos.store import keys
from memos.store.schema import GSI1
from memos.store.table import attribute_equals

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from memos.store.codec import Item
    from memos.store.counters import CounterStore
    from memos.store.paging import Cursor
    from memos.store.table import DynamoTable
    from memos.store.writes import Writes

ATTACHMENT_COUNTER = "attachments"


class Attachment(Struct, frozen=True):
    id: int
    uid: str
    creator_id: int
    filename: str
    type: str
    size: int
    created_ts: int
    updated_ts: int
    memo_uid: str | None = None
    storage_key: str = ""  # the S3 object key; empty when the bytes are elsewhere
    external_link: str = ""


class AttachmentStore:
    def __init__(self, table: DynamoTable, counters: CounterStore) -> None:
        self._table = table
        self._counters = counters

    def next_id(self) -> int:
        return self._counters.next_id(ATTACHMENT_COUNTER)

    def get(self, uid: str) -> Attachment | None:
        item = self._table.get(keys.attachment_key(uid))
        return attachment_from_item(item) if item else None

    def get_many(self, uids: Iterable[str]) -> dict[str, Attachment]:
        wanted = list(dict.fromkeys(uids))
        if not wanted:
            return {}
        items = self._table.batch_get([keys.attachment_key(uid) for uid in wanted])
        return {found.uid: found for found in map(attachment_from_item, items)}

    def page_by_creator(
        self, creator_id: int, *, after: tuple[int, int, str] | None, limit: int
    ) -> tuple[list[Attachment], bool]:
        """Up to ``limit`` of a creator's attachments, newest update first, starting after the
        one at ``after`` = (updated_ts, id, uid) (None: from the newest); the flag tells whether
        more may follow."""
        start: Cursor | None = None
        if after is not None:
            updated_ts, attachment_id, uid = after
            start = {
                **keys.attachment_key(uid).attributes(),
                **keys.creator_attachments_index_key(
                    creator_id, updated_ts, attachment_id
                ).attributes(),
            }
        page = self._table.query_page(
            keys.creator_attachments_index_key(creator_id, 0, 0).pk,
            index=GSI1,
            forward=False,
            limit=limit,
            start=start,
        )
        return [attachment_from_item(item) for item in page.items], page.last_key is not None

    def create(self, attachment: Attachment) -> None:
        """Put a new record (uid must be free: ConditionFailedError otherwise)."""
        self._table.put_new(attachment_item(attachment))

    def add_create(self, writes: Writes, attachment: Attachment) -> None:
        """Add the put of a new record to a transaction, e.g. with its memo's link as an import
        writes it (uid must be free: label ``attachment:<uid>``)."""
        writes.add(
            self._table.put_new_op(attachment_item(attachment)),
            label=f"attachment:{attachment.uid}",
        )

    def add_link(self, writes: Writes, attachment: Attachment, memo_uid: str, now: int) -> None:
        """Link to ``memo_uid`` with update time ``now`` (its position among the memo's)."""
        linked = replace(attachment, memo_uid=memo_uid, updated_ts=now)
        writes.put(
            attachment_item(linked),
            condition=attribute_equals("updated_ts", attachment.updated_ts),
            label=f"attachment:{attachment.uid}",
        )

    def add_delete(self, writes: Writes, attachment: Attachment) -> None:
        writes.delete(keys.attachment_key(attachment.uid), label=f"attachment:{attachment.uid}")


def attachment_item(attachment: Attachment) -> dict[str, Any]:
    return {
        **keys.attachment_key(attachment.uid).attributes(),
        **keys.creator_attachments_index_key(
            attachment.creator_id, attachment.updated_ts, attachment.id
        ).attributes(),
        "entity": "ATTACHMENT",
        "id": attachment.id,
        "uid": attachment.uid,
        "creator_id": attachment.creator_id,
        "filename": attachment.filename,
        "type": attachment.type,
        "size": attachment.size,
        "created_ts": attachment.created_ts,
        "updated_ts": attachment.updated_ts,
        "memo_uid": attachment.memo_uid,
        "storage_key": attachment.storage_key or None,
        "external_link": attachment.external_link or None,
    }


def attachment_from_item(item: Mapping[str, Any] | Item) -> Attachment:
    return Attachment(
        id=int(item["id"]),
        uid=str(item["uid"]),
        creator_id=int(item["creator_id"]),
        filename=str(item.get("filename", "")),
        type=str(item.get("type", "")),
        size=int(item.get("size", 0)),
        created_ts=int(item["created_ts"]),
        updated_ts=int(item["updated_ts"]),
        memo_uid=str(item["memo_uid"]) if item.get("memo_uid") else None,
        storage_key=str(item.get("storage_key", "")),
        external_link=str(item.get("external_link", "")),
    )
