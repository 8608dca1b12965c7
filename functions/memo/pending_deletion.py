"""The mark a memo's extras item carries while a delete too big for one transaction finishes.

A memo with its listings, attachments, reactions and the relation entries other memos keep of
it can need more than one transaction to delete. The first transaction removes what a client
sees (the memo, its listing copies, its attachments, its stats) and marks the extras item,
which still lists the reactions and relations left to tidy; the extras item goes last. When a
fault stops the work in between, the memo is already gone for every read, and a retry of
DeleteMemo finds the mark and finishes the job instead of answering "not found".

The mark also names the S3 objects of the attachments whose records the first transaction
deleted: once those records are gone nothing else leads to the bytes, so the retry that
finishes the delete removes them too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from memos.store import keys
from memos.store.table import set_fields

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from memos.store.table import DynamoTable
    from memos.store.writes import Writes

# The id of the deleted memo's creator: who, besides an admin, may finish the delete.
DELETING_ATTRIBUTE: Final = "deleting_creator_id"
# Attachment uid -> the object keys (bytes, thumbnail) of each attachment deleted with the memo.
OBJECTS_ATTRIBUTE: Final = "deleting_objects"


def add_mark(
    writes: Writes,
    uid: str,
    creator_id: int,
    objects: Mapping[str, Sequence[str]] | None = None,
) -> None:
    """Mark ``uid``'s extras item as belonging to a memo being deleted, naming the objects of
    the attachments deleted in the same transaction (``objects``: uid -> object keys)."""
    named = {attachment: list(found) for attachment, found in (objects or {}).items()}
    writes.update(
        keys.memo_extras_key(uid),
        set_fields({DELETING_ATTRIBUTE: creator_id, OBJECTS_ATTRIBUTE: named or None}),
    )


def pending_creator(table: DynamoTable, uid: str) -> int | None:
    """The creator of the memo whose delete is unfinished under ``uid``, or None (one GetItem)."""
    item = table.get(keys.memo_extras_key(uid))
    if item is None or DELETING_ATTRIBUTE not in item:
        return None
    return int(item[DELETING_ATTRIBUTE])


def marked_objects(table: DynamoTable, uid: str) -> dict[str, list[str]]:
    """The object keys, by attachment uid, that the unfinished delete under ``uid`` still has
    to remove (empty when there is no mark; one GetItem)."""
    item = table.get(keys.memo_extras_key(uid))
    if item is None or DELETING_ATTRIBUTE not in item:
        return {}
    named = item.get(OBJECTS_ATTRIBUTE) or {}
    return {str(attachment): [str(key) for key in found] for attachment, found in named.items()}
