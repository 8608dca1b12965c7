"""The S3 objects of attachments, and removing them once their records are gone.

Used wherever attachment records are deleted: DeleteAttachment, and the memo flows that delete
attachments (SetMemoAttachments dropping one, DeleteMemo). The memo flows delete the records in
the memo's transaction and only then the objects, so a transaction that fails or is retried
never takes bytes from an attachment that still exists.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from memos.store.blobs import attachment_object_key, thumbnail_object_key

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from memos.store.attachments import Attachment
    from memos.store.blobs import BlobStore

logger = logging.getLogger(__name__)


def object_keys(attachments: Iterable[Attachment]) -> list[str]:
    """Every object an attachment may have: its bytes and its thumbnail."""
    keys: list[str] = []
    for attachment in attachments:
        keys.append(attachment.storage_key or attachment_object_key(attachment.uid))
        keys.append(thumbnail_object_key(attachment.uid))
    return keys


def delete_objects_after_commit(blobs: BlobStore, attachments: Iterable[Attachment]) -> None:
    """Remove the objects of attachments whose records are already deleted.

    A failure is logged (the number of objects, never their names) and does not fail the
    caller: the records are gone, so the call that deleted them has succeeded.
    """
    delete_keys_after_commit(blobs, object_keys(attachments))


def delete_keys_after_commit(blobs: BlobStore, keys: Sequence[str]) -> None:
    """Remove objects, named by key, whose attachment records are already deleted; a failure
    is logged by count and does not fail the caller (see :func:`delete_objects_after_commit`)."""
    if not keys:
        return
    try:
        failed = blobs.delete_many(keys)
    except Exception as error:  # see the docstring
        logger.warning(
            "attachment objects left after their records were deleted: %d (%s)",
            len(keys),
            type(error).__name__,
        )
        return
    if failed:
        logger.warning("attachment objects left after their records were deleted: %d", len(failed))
