"""``memos-serverless sweep-blobs`` as a person runs it, on the local server's saved data and
on a named table and bucket."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from devserver.cli import main
from devserver.local_data import local_data_offline
from memos.config import Settings
from memos.store.attachments import Attachment
from memos.store.blobs import attachment_object_key, thumbnail_object_key
from migrate.target import Target, target_stores

if TYPE_CHECKING:
    from pathlib import Path

    from memos.store import Stores
    from memos.store.blobs import BlobStore


def _attachment(stores: Stores, uid: str) -> None:
    stores.attachments.create(
        Attachment(
            id=stores.attachments.next_id(),
            uid=uid,
            creator_id=1,
            filename="a.txt",
            type="text/plain",
            size=5,
            created_ts=1_700_000_000,
            updated_ts=1_700_000_000,
            storage_key=attachment_object_key(uid),
        )
    )
    stores.blobs.put(attachment_object_key(uid), b"bytes", "text/plain")


def _local_objects() -> set[str]:
    with local_data_offline(Settings.from_environ()) as local:
        blobs = target_stores(Target(local.table_name, local.bucket_name), local).blobs
        pages = [
            blobs.list_page(p, start_after=None, limit=1000)
            for p in ("attachments/", "thumbnails/")
        ]
    return {found.key for page in pages for found in page.objects}


@pytest.fixture
def local_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Saved local data holding an attachment and two objects without a record."""
    monkeypatch.setenv("MEMOS_LOCAL_DATA_DIR", str(tmp_path / "local-data"))
    for name in ("MEMOS_DYNAMODB_ENDPOINT", "MEMOS_S3_ENDPOINT", "MEMOS_TABLE_NAME"):
        monkeypatch.delenv(name, raising=False)
    with local_data_offline(Settings.from_environ()) as local:
        stores = target_stores(Target(local.table_name, local.bucket_name), local)
        stores.blobs.ensure_bucket()
        _attachment(stores, "kept")
        stores.blobs.put(attachment_object_key("lost"), b"bytes", "text/plain")
        stores.blobs.put(thumbnail_object_key("gone"), b"thumb", "image/png")
    # (each command is its own process; forget this one's emulated S3 address)
    monkeypatch.delenv("MEMOS_S3_ENDPOINT", raising=False)


@pytest.mark.usefixtures("local_data")
def test_a_dry_run_on_local_data_names_the_orphans_and_deletes_nothing(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given saved local data with an attachment and two objects without a record
    # When a dry run sweeps it
    status = main(["sweep-blobs", "--dry-run"])
    monkeypatch.delenv("MEMOS_S3_ENDPOINT", raising=False)

    # Then it names both orphans and leaves every object in place
    out = capsys.readouterr().out
    assert status == 0
    assert "would delete attachments/lost" in out
    assert "would delete thumbnails/gone" in out
    assert "kept" not in out
    assert _local_objects() == {"attachments/kept", "attachments/lost", "thumbnails/gone"}


@pytest.mark.usefixtures("local_data")
def test_a_sweep_of_local_data_deletes_the_orphans_at_once(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given saved local data with an attachment and two objects without a record
    # When it is swept (the local server is stopped: no grace period)
    status = main(["sweep-blobs"])
    monkeypatch.delenv("MEMOS_S3_ENDPOINT", raising=False)

    # Then the orphans are gone from the saved data and the attachment's bytes stay
    assert status == 0
    assert "deleted attachments/lost" in capsys.readouterr().out
    assert _local_objects() == {"attachments/kept"}


def test_a_named_bucket_keeps_a_day_of_grace(
    moto_stores: Stores, attachment_bucket: BlobStore, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a deployed-style table and bucket with an object just written and no record
    attachment_bucket.put(attachment_object_key("inflight"), b"bytes", "text/plain")

    # When it is swept by name
    status = main(
        ["sweep-blobs", "--table", moto_stores.table.name, "--bucket", attachment_bucket.bucket]
    )

    # Then the young object stays, counted as too recent
    assert status == 0
    assert "1 too recent" in capsys.readouterr().err
    assert attachment_bucket.head(attachment_object_key("inflight")) is not None
