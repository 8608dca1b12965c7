"""The mark a memo's extras item carries while a delete too big for one transaction finishes.

A memo with its listings, attachments, reactions and the relation entries other memos keep of
it can need more than one transaction to delete. The first transaction removes what a client
sees (the memo, its listing copies, its attachments, its stats) and marks the extras item,
which still lists the reactions and relations left to tidy; the extras item goes last. When a
fault stops the work in between, the memo is already gone for every read, and a retry of
DeleteMemo finds the mark and finishes the job instead of answering "not found".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from memos.store import keys
from memos.store.table import set_fields

if TYPE_CHECKING:
    from memos.store.table import DynamoTable
    from memos.store.writes import Writes

# The id of the deleted memo's creator: who, besides an admin, may finish the delete.
DELETING_ATTRIBUTE: Final = "deleting_creator_id"


def add_mark(writes: Writes, uid: str, creator_id: int) -> None:
    """Mark ``uid``'s extras item as belonging to a memo being deleted."""
    writes.update(keys.memo_extras_key(uid), set_fields({DELETING_ATTRIBUTE: creator_id}))


def pending_creator(table: DynamoTable, uid: str) -> int | None:
    """The creator of the memo whose delete is unfinished under ``uid``, or None (one GetItem)."""
    item = table.get(keys.memo_extras_key(uid))
    if item is None or DELETING_ATTRIBUTE not in item:
        return None
    return int(item[DELETING_ATTRIBUTE])
