"""The sweep of attachment objects no record refers to, on moto's S3 and DynamoDB.

moto dates every object at the moment it is written, so "older than the grace period" is
reached by sweeping as if two days had passed.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import pytest

from functions.blob_sweeper import sweep
from functions.blob_sweeper.cursor import SweepCursor
from functions.blob_sweeper.handler import handler
from functions.blob_sweeper.sweep import GRACE_SECONDS, SweepOptions, SweepReport, sweep_blobs
from memos.store import keys
from memos.store.attachments import Attachment
from memos.store.blobs import attachment_object_key, thumbnail_object_key

if TYPE_CHECKING:
    from memos.store import Stores
    from memos.store.blobs import BlobStore

TWO_DAYS_LATER = 2 * GRACE_SECONDS


def _record(stores: Stores, uid: str) -> None:
    stores.attachments.create(
        Attachment(
            id=stores.attachments.next_id(),
            uid=uid,
            creator_id=1,
            filename=f"{uid}.txt",
            type="text/plain",
            size=5,
            created_ts=1_700_000_000,
            updated_ts=1_700_000_000,
            storage_key=attachment_object_key(uid),
        )
    )


def _put(bucket: BlobStore, *keys: str) -> None:
    for key in keys:
        bucket.put(key, b"bytes", "text/plain")


def _keys(bucket: BlobStore) -> set[str]:
    found: set[str] = set()
    for prefix in ("attachments/", "thumbnails/", "uploads/"):
        found.update(o.key for o in bucket.list_page(prefix, start_after=None, limit=1000).objects)
    return found


def _sweep(stores: Stores, *, later: int = TWO_DAYS_LATER, dry_run: bool = False) -> SweepReport:
    options = SweepOptions(now=int(time.time()) + later, dry_run=dry_run)
    return sweep_blobs(stores.blobs, stores.attachments, SweepCursor(stores.table), options)


def test_old_objects_without_a_record_are_deleted_and_those_with_one_kept(
    moto_stores: Stores, attachment_bucket: BlobStore
) -> None:
    # Given an attachment with its record, bytes and thumbnail; bytes and a thumbnail whose
    # record was never written (or is gone); and an unfinished direct upload
    _record(moto_stores, "kept")
    _put(
        attachment_bucket,
        attachment_object_key("kept"),
        thumbnail_object_key("kept"),
        attachment_object_key("lost"),
        thumbnail_object_key("gone"),
        "uploads/1/pending",
    )

    # When the sweep runs after the grace period
    report = _sweep(moto_stores)

    # Then only the objects without a record are gone; uploads are not its business
    assert _keys(attachment_bucket) == {
        attachment_object_key("kept"),
        thumbnail_object_key("kept"),
        "uploads/1/pending",
    }
    assert report.counts() == {
        "dry_run": False,
        "listed": 4,
        "young": 0,
        "referenced": 2,
        "unrecognised": 0,
        "orphans": 2,
        "deleted": 2,
        "not_deleted": 0,
        "finished": True,
    }


def test_a_young_object_without_a_record_is_kept(
    moto_stores: Stores, attachment_bucket: BlobStore
) -> None:
    # Given bytes just written whose record is not there (yet)
    _put(attachment_bucket, attachment_object_key("inflight"), thumbnail_object_key("inflight"))

    # When the sweep runs within the grace period
    report = _sweep(moto_stores, later=GRACE_SECONDS - 60)

    # Then the objects stay, counted as young
    assert _keys(attachment_bucket) == {
        attachment_object_key("inflight"),
        thumbnail_object_key("inflight"),
    }
    assert (report.young, report.deleted) == (2, 0)


def test_a_dry_run_deletes_nothing_and_names_what_it_would_delete(
    moto_stores: Stores, attachment_bucket: BlobStore
) -> None:
    # Given an orphaned object and one with a record
    _record(moto_stores, "kept")
    _put(attachment_bucket, attachment_object_key("kept"), attachment_object_key("lost"))

    # When a dry run sweeps after the grace period
    report = _sweep(moto_stores, dry_run=True)

    # Then both objects are still there, the orphan is named, and no position is kept
    assert _keys(attachment_bucket) == {
        attachment_object_key("kept"),
        attachment_object_key("lost"),
    }
    assert report.orphans == [attachment_object_key("lost")]
    assert report.deleted == 0
    assert moto_stores.table.get(keys.blob_sweep_key()) is None


def test_keys_that_name_no_uid_are_left_alone(
    moto_stores: Stores, attachment_bucket: BlobStore
) -> None:
    # Given objects under the prefix whose names are not a uid
    _put(attachment_bucket, "attachments/nested/file", "attachments/")

    # When the sweep runs after the grace period
    report = _sweep(moto_stores)

    # Then they stay, counted as unrecognised
    assert _keys(attachment_bucket) == {"attachments/nested/file", "attachments/"}
    assert report.unrecognised == 2


def test_a_run_stops_at_its_page_budget_and_the_next_carries_on(
    moto_stores: Stores, attachment_bucket: BlobStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given pages of two keys, a budget of two pages a run, and five orphans over both prefixes
    monkeypatch.setattr(sweep, "PAGE_SIZE", 2)
    orphans = [attachment_object_key(f"a{n}") for n in range(3)]
    orphans += [thumbnail_object_key(f"t{n}") for n in range(2)]
    _put(attachment_bucket, *orphans)
    options = SweepOptions(now=int(time.time()) + TWO_DAYS_LATER, pages=2)
    cursor = SweepCursor(moto_stores.table)

    # When the sweep runs twice
    first = sweep_blobs(moto_stores.blobs, moto_stores.attachments, cursor, options)
    second = sweep_blobs(moto_stores.blobs, moto_stores.attachments, cursor, options)

    # Then the first run covers the first prefix (two pages) without finishing, the second
    # deletes the thumbnails and finishes, leaving the next run to start again from the first
    assert (first.listed, first.deleted, first.finished) == (3, 3, False)
    assert (second.listed, second.deleted, second.finished) == (2, 2, True)
    assert _keys(attachment_bucket) == set()
    assert cursor.load() == ""


def test_the_lambda_entry_sweeps_and_answers_counts_without_keys(
    moto_stores: Stores,
    attachment_bucket: BlobStore,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Given an orphaned object written just now
    _put(attachment_bucket, attachment_object_key("secretname"))

    # When the scheduled function runs
    answer = handler({}, None)

    # Then it answers the counts (the object is young, so kept) and logs them, with no key
    assert answer["listed"] == 1
    assert answer["young"] == 1
    assert answer["deleted"] == 0
    logged = capsys.readouterr().out + caplog.text
    assert "blob sweep" in logged
    assert "secretname" not in logged
    assert _keys(attachment_bucket) == {attachment_object_key("secretname")}


def test_deletes_are_conditional_on_the_etag_the_listing_gave(
    moto_stores: Stores, attachment_bucket: BlobStore
) -> None:
    # Given an orphaned object, and the DeleteObjects requests watched (moto ignores the ETag,
    # S3 refuses the delete of an object written again since)
    _put(attachment_bucket, attachment_object_key("lost"))
    (listed,) = attachment_bucket.list_page("attachments/", start_after=None, limit=10).objects
    sent: list[dict[str, Any]] = []

    def watch(params: dict[str, Any], **_: Any) -> None:
        sent.extend(params["Delete"]["Objects"])

    attachment_bucket.client.meta.events.register("provide-client-params.s3.DeleteObjects", watch)

    # When the sweep runs after the grace period
    _sweep(moto_stores)

    # Then the delete names the object with the ETag it was listed with
    assert sent == [{"Key": attachment_object_key("lost"), "ETag": listed.etag}]
    assert listed.etag
