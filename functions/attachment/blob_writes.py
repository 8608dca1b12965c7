"""The order of an attachment's two writes, S3 and DynamoDB, so neither side is left orphaned.

- Create: bytes first, then the record; when the record cannot be written the object is removed
  again (an object without a record could never be reached or cleaned up).
- Delete (DeleteAttachment): the objects first (bytes and thumbnail), then the record. When S3
  refuses, the call fails and the record stays, so the attachment is still listed and the
  caller's retry deletes both; when the record delete fails after the objects went, the record
  still answers (its file is gone) and a retry finishes it.
- Memo-side deletes (SetMemoAttachments dropping one, DeleteMemo) remove the records in the
  memo's transaction, then the objects: see :mod:`memos.domain.attachment_objects`.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Final

from functions.attachment.records import delete_record
from memos.domain.attachment_objects import object_keys
from memos.errors import UnavailableError

if TYPE_CHECKING:
    from collections.abc import Callable

    from memos.store import Stores
    from memos.store.attachments import Attachment
    from memos.store.blobs import BlobStore

logger = logging.getLogger(__name__)

FILE_NOT_DELETED: Final = "the attachment's file could not be deleted; try again"


def put_then_record(
    blobs: BlobStore,
    key: str,
    data: bytes,
    content_type: str,
    record: Callable[[], Attachment],
) -> Attachment:
    """Write the object, then ``record`` it; a failed record takes the object away again."""
    blobs.put(key, data, content_type)
    try:
        return record()
    except BaseException:
        _remove_unrecorded(blobs, key)
        raise


def delete_objects_then_record(stores: Stores, attachment: Attachment) -> None:
    """DeleteAttachment's order: the objects, then (only once they are gone) the record."""
    try:
        failed = stores.blobs.delete_many(object_keys([attachment]))
    except Exception as error:
        logger.warning("attachment objects not deleted: %s", type(error).__name__)
        raise UnavailableError(FILE_NOT_DELETED) from error
    if failed:
        logger.warning("attachment objects not deleted: %d of 2 refused", len(failed))
        raise UnavailableError(FILE_NOT_DELETED)
    delete_record(stores, attachment)


def _remove_unrecorded(blobs: BlobStore, key: str) -> None:
    try:
        blobs.delete(key)
    except Exception as error:  # the record's own error is the one to report
        logger.warning("an unrecorded attachment object was left: %s", type(error).__name__)
