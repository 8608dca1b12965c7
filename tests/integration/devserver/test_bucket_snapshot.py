"""The bucket's folder: objects come back with their type and metadata; browser uploads are
saved too; removed objects leave no file; a damaged index is refused."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import httpx
import pytest

from devserver.bucket_snapshot import BucketSnapshot, bucket_folder
from devserver.snapshot_files import SnapshotError
from memos.store import stores_from_settings

if TYPE_CHECKING:
    from collections.abc import Callable
    from contextlib import AbstractContextManager
    from pathlib import Path

    from memos.config import Settings
    from memos.store.blobs import BlobStore

IMAGE = bytes(range(256)) * 40


def bucket_of(settings: Settings) -> BlobStore:
    blobs = stores_from_settings(settings).blobs
    blobs.ensure_bucket()
    return blobs


def snapshot_of(blobs: BlobStore, data_dir: Path) -> BucketSnapshot:
    return BucketSnapshot(blobs.client, blobs.bucket, bucket_folder(data_dir, blobs.bucket))


def saved_files(data_dir: Path, blobs: BlobStore) -> list[Path]:
    return sorted((bucket_folder(data_dir, blobs.bucket) / "objects").iterdir())


def test_objects_come_back_with_their_bytes_type_and_metadata(
    emulation: Callable[[], AbstractContextManager[Settings]], data_dir: Path
) -> None:
    # Given a bucket with two objects, saved
    with emulation() as settings:
        blobs = bucket_of(settings)
        blobs.put("attachments/a", IMAGE, "image/png", metadata={"filename": "a.png"})
        blobs.put("thumbnails/a", b"small", "image/jpeg")
        assert snapshot_of(blobs, data_dir).save()

    # When a new emulation's bucket is restored from the folder
    with emulation() as settings:
        blobs = bucket_of(settings)
        restored = snapshot_of(blobs, data_dir).restore()

        # Then both objects are there as they were
        assert restored == 2
        original = blobs.get("attachments/a")
        thumbnail = blobs.get("thumbnails/a")
        assert original is not None
        assert thumbnail is not None
        assert (original.data, original.info.content_type) == (IMAGE, "image/png")
        assert original.info.metadata == {"filename": "a.png"}
        assert (thumbnail.data, thumbnail.info.content_type) == (b"small", "image/jpeg")


def test_a_file_a_browser_posts_straight_to_the_s3_port_is_saved(
    emulation: Callable[[], AbstractContextManager[Settings]], data_dir: Path
) -> None:
    with emulation() as settings:
        # Given a saved bucket and a presigned form for a direct upload
        blobs = bucket_of(settings)
        snapshot = snapshot_of(blobs, data_dir)
        snapshot.save()
        form = blobs.presigned_post(
            "uploads/1/up", content_type="text/plain", max_bytes=100, expires_seconds=60
        )

        # When a browser posts the file to the local S3 port, bypassing the server
        posted = httpx.post(form.url, data=dict(form.fields), files={"file": ("f.txt", b"hi")})
        assert posted.status_code in (200, 201, 204), posted.text

        # Then the next save finds it and keeps its bytes
        assert snapshot.save()
        index = json.loads(snapshot.index_path.read_text())
        entry = index["objects"]["uploads/1/up"]
        assert entry["content_type"] == "text/plain"
        assert (saved_files(data_dir, blobs)[0]).read_bytes() == b"hi"


def test_an_unchanged_bucket_is_not_written_again_and_removed_objects_lose_their_file(
    emulation: Callable[[], AbstractContextManager[Settings]], data_dir: Path
) -> None:
    with emulation() as settings:
        # Given a saved bucket of two objects
        blobs = bucket_of(settings)
        blobs.put("attachments/a", b"a", "text/plain")
        blobs.put("attachments/b", b"b", "text/plain")
        snapshot = snapshot_of(blobs, data_dir)
        assert snapshot.save()
        assert len(saved_files(data_dir, blobs)) == 2

        # When nothing changes / Then saving writes nothing
        assert not snapshot.save()

        # When one object is deleted and the other replaced
        blobs.delete("attachments/a")
        blobs.put("attachments/b", b"b, second version", "text/plain")
        assert snapshot.save()

        # Then only the new version's file is left
        assert [path.read_bytes() for path in saved_files(data_dir, blobs)] == [
            b"b, second version"
        ]
        assert list(json.loads(snapshot.index_path.read_text())["objects"]) == ["attachments/b"]


def test_an_index_naming_a_missing_file_is_refused(
    emulation: Callable[[], AbstractContextManager[Settings]], data_dir: Path
) -> None:
    # Given a saved bucket whose object file was lost
    with emulation() as settings:
        blobs = bucket_of(settings)
        blobs.put("attachments/a", b"a", "text/plain")
        snapshot_of(blobs, data_dir).save()
        for path in saved_files(data_dir, blobs):
            path.unlink()

    # When it is restored / Then the restore is refused, naming the index and the lost bytes
    with emulation() as settings:
        blobs = bucket_of(settings)
        snapshot = snapshot_of(blobs, data_dir)
        with pytest.raises(
            SnapshotError, match="the bytes of 'attachments/a' are missing"
        ) as refused:
            snapshot.restore()
        assert str(snapshot.index_path) in str(refused.value)
