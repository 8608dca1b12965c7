"""Server-side copy of a finalized upload to its attachment key, fast enough for large files.

One CopyObject copies the whole object before it answers. For a file of hundreds of MiB that
can outlast the S3 client's read timeout (3 s), so a large object is copied as a multipart
upload whose parts (UploadPartCopy, :data:`PART_BYTES` each) run on :data:`COPY_THREADS` threads.
Each part is a short call, and the parts run side by side. The bytes never pass through the
function either way. A failed multipart copy is aborted, so no parts are left behind.
"""

from __future__ import annotations

import contextvars
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Final

from memos.store.blobs import SERVER_SIDE_ENCRYPTION

if TYPE_CHECKING:
    from memos.store.blobs import BlobStore

PART_BYTES: Final = 16 * 1024 * 1024  # S3 takes parts of 5 MiB to 5 GiB, at most 10,000
# Below the S3 client's connection pool (10), so no part waits for or discards a connection.
COPY_THREADS: Final = 8
# How long a copy may keep starting AWS calls (the request's usual budget is 5 s); the
# attachment function may run for 29 s, API Gateway's limit.
COPY_BUDGET_SECONDS: Final = 20.0


def copy_object(
    blobs: BlobStore,
    source_key: str,
    target_key: str,
    *,
    size: int,
    content_type: str,
    part_bytes: int = PART_BYTES,
) -> None:
    """Copy ``source_key`` (``size`` bytes) to ``target_key`` with ``content_type``, encrypted."""
    if size <= part_bytes:
        blobs.copy(source_key, target_key, content_type=content_type)
        return
    client = blobs.client
    started = client.create_multipart_upload(
        Bucket=blobs.bucket,
        Key=target_key,
        ContentType=content_type,
        ServerSideEncryption=SERVER_SIDE_ENCRYPTION,
    )
    upload_id = str(started["UploadId"])
    source = {"Bucket": blobs.bucket, "Key": source_key}

    def copy_part(number: int, first: int, last: int) -> dict[str, Any]:
        answer = client.upload_part_copy(
            Bucket=blobs.bucket,
            Key=target_key,
            UploadId=upload_id,
            PartNumber=number,
            CopySource=source,
            CopySourceRange=f"bytes={first}-{last}",
        )
        return {"PartNumber": number, "ETag": answer["CopyPartResult"]["ETag"]}

    parts = [
        (number, first, min(first + part_bytes, size) - 1)
        for number, first in enumerate(range(0, size, part_bytes), start=1)
    ]
    # Each part runs in a copy of the caller's context, so the request's AWS budget applies.
    contexts = [contextvars.copy_context() for _ in parts]
    try:
        with ThreadPoolExecutor(max_workers=COPY_THREADS) as pool:
            copied = list(
                pool.map(lambda context, part: context.run(copy_part, *part), contexts, parts)
            )
        client.complete_multipart_upload(
            Bucket=blobs.bucket,
            Key=target_key,
            UploadId=upload_id,
            MultipartUpload={"Parts": copied},
        )
    except BaseException:
        _abort(blobs, target_key, upload_id)
        raise


def _abort(blobs: BlobStore, key: str, upload_id: str) -> None:
    try:
        blobs.client.abort_multipart_upload(Bucket=blobs.bucket, Key=key, UploadId=upload_id)
    except Exception:  # the copy's own error is the one to report
        from memos.observability import get_logger  # noqa: PLC0415 - only on failures

        get_logger().warning("multipart copy left to the bucket's clean-up", extra={"key": key})
