"""Importing a crafted Memos database: attachment rows that point the import at files or
services outside what Memos itself would read are reported, and nothing of them is copied."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from memos.store.blobs import BlobStore, attachment_object_key
from tests.integration.migrate.conftest import run_import
from tests.integration.migrate.memos_fixture import build_memos_database

if TYPE_CHECKING:
    from pathlib import Path

    from memos.store import Stores

SECRET = b"not for the bucket\n"


def _local_row(uid: str, reference: str) -> str:
    return (
        "INSERT INTO attachment (id,uid,creator_id,created_ts,updated_ts,filename,type,size,"
        f"memo_id,storage_type,reference,payload) VALUES (9,'{uid}',1,1735700370,1735700370,"
        f"'x.txt','text/plain',19,NULL,'LOCAL','{reference}','{{}}');"
    )


def _s3_row(uid: str, s3_config: str, key: str) -> str:
    payload = f'{{"s3Object":{{"s3Config":{s3_config},"key":"{key}"}}}}'
    return (
        "INSERT INTO attachment (id,uid,creator_id,created_ts,updated_ts,filename,type,size,"
        f"memo_id,storage_type,reference,payload) VALUES (9,'{uid}',1,1735700370,1735700370,"
        f"'x.txt','text/plain',19,NULL,'S3','','{payload}');"
    )


def _assert_refused(stores: Stores, report_notes: list[str], uid: str, reason: str) -> None:
    assert stores.blobs.get(attachment_object_key(uid)) is None
    assert stores.attachments.get(uid) is None
    assert any(uid in note and reason in note for note in report_notes), report_notes


@pytest.mark.parametrize("how", ["absolute", "dot-dot", "symlink"])
def test_a_local_attachment_outside_the_data_directory_is_not_read(
    stores: Stores, data_dir: Path, tmp_path: Path, how: str
) -> None:
    # Given a file outside Memos' data directory, and a row naming it in one of three ways
    outside = tmp_path / "outside" / "secret.txt"
    outside.parent.mkdir(parents=True)
    outside.write_bytes(SECRET)
    data_dir.mkdir(parents=True)
    reference = {
        "absolute": str(outside),
        "dot-dot": "../outside/secret.txt",
        "symlink": "assets/innocent.txt",
    }[how]
    if how == "symlink":
        (data_dir / "assets").mkdir()
        (data_dir / "assets" / "innocent.txt").symlink_to(outside)
    path = build_memos_database(data_dir, extra_sql=_local_row("crafted-local", reference))

    # When it is imported
    report = run_import(stores, path, data_dir)

    # Then that row is an error naming why, and the file's bytes are nowhere in the bucket
    assert report.errors == 1
    _assert_refused(stores, report.notes, "crafted-local", "outside the data directory")


def test_an_absolute_local_path_inside_the_data_directory_is_still_read(
    stores: Stores, data_dir: Path
) -> None:
    # Given a row from an older Memos naming its file by an absolute path in the data directory
    data_dir.mkdir(parents=True)
    kept = data_dir / "assets" / "old.txt"
    kept.parent.mkdir()
    kept.write_bytes(SECRET)
    path = build_memos_database(data_dir, extra_sql=_local_row("old-absolute", str(kept)))

    # When it is imported
    report = run_import(stores, path, data_dir)

    # Then its bytes are copied as before
    assert report.errors == 0, report.notes
    copied = stores.blobs.get(attachment_object_key("old-absolute"))
    assert copied is not None and copied.data == SECRET


def test_an_s3_row_without_its_own_keys_does_not_read_with_the_importers_credentials(
    stores: Stores, data_dir: Path
) -> None:
    # Given a bucket the person running the import can read, and a row naming it without keys
    theirs = BlobStore(lambda: stores.blobs.client, "operators-private-bucket")
    theirs.ensure_bucket()
    theirs.put("backup/secret.txt", SECRET, "text/plain")
    row = _s3_row(
        "crafted-s3",
        '{"region":"us-east-1","bucket":"operators-private-bucket"}',
        "backup/secret.txt",
    )
    path = build_memos_database(data_dir, extra_sql=row)

    # When it is imported
    report = run_import(stores, path, data_dir)

    # Then the object is not copied: the row is an error saying it has no key
    assert report.errors == 1
    _assert_refused(stores, report.notes, "crafted-s3", "no access key")


@pytest.mark.parametrize(
    "endpoint",
    ["http://169.254.169.254", "http://[fd00:ec2::254]", "http://[::ffff:169.254.169.254]"],
)
def test_an_s3_row_whose_endpoint_is_the_metadata_service_is_not_read(
    stores: Stores, data_dir: Path, endpoint: str
) -> None:
    # Given a row whose "bucket" and "key" spell the metadata service's credentials path
    config = (
        f'{{"accessKeyId":"a","accessKeySecret":"b","endpoint":"{endpoint}",'
        '"usePathStyle":true,"region":"us-east-1","bucket":"latest"}'
    )
    row = _s3_row("crafted-imds", config, "meta-data/iam/security-credentials/role")
    path = build_memos_database(data_dir, extra_sql=row)

    # When it is imported
    report = run_import(stores, path, data_dir)

    # Then no request is made there: the row is an error naming the address
    assert report.errors == 1
    _assert_refused(stores, report.notes, "crafted-imds", "link-local")


@pytest.mark.parametrize("payload", ["{}", "[" * 100_000, "not json"], ids=["ok", "deep", "bad"])
def test_a_memo_too_large_or_with_a_broken_payload_is_an_error_and_the_rest_imports(
    stores: Stores, data_dir: Path, payload: str
) -> None:
    # Given a database with a 10 MB memo of "[" (seconds of Markdown work per 100 KB), and a
    # small memo whose payload is fine, nested too deeply or no JSON
    huge = "[" * (10 * 1024 * 1024)
    rows = (
        "INSERT INTO memo (id,uid,creator_id,created_ts,updated_ts,row_status,content,"
        "visibility,pinned,payload) VALUES "
        f"(90,'crafted-huge',1,1735700000,1735700000,'NORMAL','{huge}','PUBLIC',0,'{{}}'),"
        f"(91,'crafted-payload',1,1735700000,1735700000,'NORMAL','hi','PUBLIC',0,'{payload}');"
    )
    path = build_memos_database(data_dir, extra_sql=rows)

    # When it is imported
    report = run_import(stores, path, data_dir)

    # Then the huge memo is refused by its size, the other is an error only for a broken payload
    assert stores.memos.get("crafted-huge") is None
    assert any("crafted-huge" in note and "over the" in note for note in report.notes)
    assert (stores.memos.get("crafted-payload") is not None) is (payload == "{}")
    assert report.errors == (1 if payload == "{}" else 2)
