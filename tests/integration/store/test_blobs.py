"""The attachment bucket (emulated S3): object keys, writes, reads, deletes and presigned URLs."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import pytest

from memos.store import stores_for_table
from memos.store.blobs import (
    SERVER_SIDE_ENCRYPTION,
    attachment_object_key,
    thumbnail_object_key,
    upload_object_key,
)

if TYPE_CHECKING:
    from memos.store import Stores
    from memos.store.blobs import BlobStore


def test_object_keys_are_prefixed_per_kind_and_name_their_owner() -> None:
    # Given / When / Then
    assert attachment_object_key("abc") == "attachments/abc"
    assert thumbnail_object_key("abc") == "thumbnails/abc"
    assert upload_object_key(7, "u1") == "uploads/7/u1"


def test_a_written_object_reads_back_with_its_type_size_and_encryption(
    attachment_bucket: BlobStore,
) -> None:
    # Given
    key = attachment_object_key("a1")

    # When
    etag = attachment_bucket.put(key, b"hello", "text/plain", metadata={"creator": "1"})
    blob = attachment_bucket.get(key)
    answer = attachment_bucket.client.head_object(Bucket=attachment_bucket.bucket, Key=key)

    # Then
    assert blob is not None
    assert blob.data == b"hello"
    assert blob.info.size == 5
    assert blob.info.content_type == "text/plain"
    assert blob.info.etag == etag
    assert blob.info.metadata == {"creator": "1"}
    assert blob.info.last_modified > 0
    assert answer["ServerSideEncryption"] == SERVER_SIDE_ENCRYPTION


def test_missing_objects_read_as_none(attachment_bucket: BlobStore) -> None:
    # Given / When / Then
    assert attachment_bucket.get("attachments/none") is None
    assert attachment_bucket.head("attachments/none") is None


def test_head_reports_size_and_type_without_the_bytes(attachment_bucket: BlobStore) -> None:
    # Given
    attachment_bucket.put("uploads/1/x", b"12345678", "application/pdf")

    # When
    info = attachment_bucket.head("uploads/1/x")

    # Then
    assert info is not None
    assert (info.size, info.content_type) == (8, "application/pdf")


def test_delete_is_idempotent_and_delete_many_removes_every_named_object(
    attachment_bucket: BlobStore,
) -> None:
    # Given
    for name in ("a", "b", "c"):
        attachment_bucket.put(attachment_object_key(name), name.encode(), "text/plain")

    # When
    attachment_bucket.delete(attachment_object_key("a"))
    attachment_bucket.delete(attachment_object_key("a"))
    failed = attachment_bucket.delete_many(
        [attachment_object_key("b"), attachment_object_key("c"), attachment_object_key("zz")]
    )

    # Then
    assert failed == []
    assert all(
        attachment_bucket.head(attachment_object_key(name)) is None for name in ("a", "b", "c")
    )


def test_copy_gives_the_target_the_bytes_and_a_new_type(attachment_bucket: BlobStore) -> None:
    # Given
    attachment_bucket.put("uploads/1/u", b"data", "application/octet-stream")

    # When
    attachment_bucket.copy("uploads/1/u", "attachments/u", content_type="text/plain")

    # Then
    copied = attachment_bucket.get("attachments/u")
    assert copied is not None
    assert (copied.data, copied.info.content_type) == (b"data", "text/plain")


def test_presigned_get_names_the_object_and_the_response_headers(
    attachment_bucket: BlobStore,
) -> None:
    # Given
    attachment_bucket.put("attachments/v", b"x", "video/mp4")

    # When
    url = attachment_bucket.presigned_get(
        "attachments/v", 300, content_type="video/mp4", content_disposition="inline"
    )

    # Then
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    assert parts.path.endswith("/attachments/v")
    assert query["X-Amz-Expires"] == ["300"]
    assert query["response-content-type"] == ["video/mp4"]
    assert query["response-content-disposition"] == ["inline"]


def test_presigned_post_pins_type_size_and_encryption(attachment_bucket: BlobStore) -> None:
    # Given / When
    post = attachment_bucket.presigned_post(
        "uploads/1/p", content_type="image/png", max_bytes=1024, expires_seconds=600
    )

    # Then
    assert post.fields["key"] == "uploads/1/p"
    assert post.fields["Content-Type"] == "image/png"
    assert post.fields["x-amz-server-side-encryption"] == SERVER_SIDE_ENCRYPTION
    assert "policy" in post.fields


def test_ensure_bucket_creates_once(moto_stores: Stores) -> None:
    # Given / When / Then
    assert moto_stores.blobs.ensure_bucket() is True
    assert moto_stores.blobs.ensure_bucket() is False


def test_stores_without_a_bucket_refuse_s3_calls(moto_stores: Stores) -> None:
    # Given
    bucketless = stores_for_table(moto_stores.table)

    # When / Then
    with pytest.raises(RuntimeError, match="no attachment bucket"):
        bucketless.blobs.get("attachments/x")
