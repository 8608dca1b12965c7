"""Copying a finalized upload: one CopyObject when small, parallel part copies when large."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import pytest

from functions.attachment.object_copy import copy_object

if TYPE_CHECKING:
    from memos.store import Stores

MIB = 1024 * 1024


def test_a_large_object_is_copied_in_parts_byte_for_byte(stores: Stores) -> None:
    # Given an 11 MiB object
    data = os.urandom(11 * MIB)
    stores.blobs.put("uploads/1/big", data, "application/octet-stream")

    # When it is copied with 5 MiB parts (three: 5, 5 and 1 MiB)
    copy_object(
        stores.blobs,
        "uploads/1/big",
        "attachments/big",
        size=len(data),
        content_type="video/mp4",
        part_bytes=5 * MIB,
    )

    # Then the copy has the same bytes, the given type, and is encrypted
    copied = stores.blobs.get("attachments/big")
    assert copied is not None
    assert copied.data == data
    assert copied.info.content_type == "video/mp4"
    head = stores.blobs.client.head_object(Bucket=stores.blobs.bucket, Key="attachments/big")
    assert head["ServerSideEncryption"] == "AES256"


def test_a_small_object_is_copied_in_one_call(stores: Stores) -> None:
    stores.blobs.put("uploads/1/small", b"hello", "text/plain")

    copy_object(
        stores.blobs, "uploads/1/small", "attachments/small", size=5, content_type="text/plain"
    )

    copied = stores.blobs.get("attachments/small")
    assert copied is not None
    assert copied.data == b"hello"


def test_a_failed_part_aborts_the_copy_and_leaves_no_parts(
    stores: Stores, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a large object, and S3 failing the second part
    data = os.urandom(11 * MIB)
    stores.blobs.put("uploads/1/big", data, "application/octet-stream")
    client = stores.blobs.client
    real_copy = client.upload_part_copy

    def failing_copy(**arguments: Any) -> Any:
        if arguments["PartNumber"] == 2:
            raise RuntimeError("part copy failed")
        return real_copy(**arguments)

    monkeypatch.setattr(client, "upload_part_copy", failing_copy)

    # When it is copied
    with pytest.raises(RuntimeError, match="part copy failed"):
        copy_object(
            stores.blobs,
            "uploads/1/big",
            "attachments/big",
            size=len(data),
            content_type="video/mp4",
            part_bytes=5 * MIB,
        )

    # Then the multipart upload is gone and no object was made
    uploads = client.list_multipart_uploads(Bucket=stores.blobs.bucket)
    assert uploads.get("Uploads", []) == []
    assert stores.blobs.head("attachments/big") is None
