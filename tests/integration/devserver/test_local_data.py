"""The local server's data kept across starts: saved when written, on stop, one server at a
time."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from devserver.local_data import lasting_local_data, local_data_offline
from devserver.snapshot_files import DataDirInUseError
from devserver.table_snapshot import table_file
from memos.config import Settings, get_settings
from memos.store import stores_from_settings
from memos.store.clients import dynamodb_client_for, s3_client

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from contextlib import AbstractContextManager
    from pathlib import Path


NEVER = 3600.0  # a snapshot interval no test waits for: only the save on stop happens
ITEM = {"pk": {"S": "MEMO#kept"}, "sk": {"S": "MEMO"}, "content": {"S": "hello"}}


def test_what_was_written_before_a_stop_is_there_at_the_next_start(
    emulation: Callable[[], AbstractContextManager[Settings]],
) -> None:
    # Given a local server's data, into which an item and an object are written
    with emulation() as settings, lasting_local_data(settings, bucket_emulated=True, every=NEVER):
        dynamodb_client_for(settings).put_item(TableName=settings.table_name, Item=ITEM)
        stores_from_settings(settings).blobs.put("attachments/kept", b"bytes", "text/plain")
    # (the block's end is the server's stop)

    # When it starts again
    with (
        emulation() as settings,
        lasting_local_data(settings, bucket_emulated=True, every=NEVER) as loaded,
    ):
        # Then the item and the object are back
        key = {"pk": ITEM["pk"], "sk": ITEM["sk"]}
        client = dynamodb_client_for(settings)
        assert client.get_item(TableName=settings.table_name, Key=key)["Item"] == ITEM
        blob = stores_from_settings(settings).blobs.get("attachments/kept")
        assert blob is not None
        assert blob.data == b"bytes"
        assert (loaded.items, loaded.objects) == (1, 1)


def test_a_run_that_only_reads_does_not_write_the_table_again(
    emulation: Callable[[], AbstractContextManager[Settings]], data_dir: Path
) -> None:
    # Given saved data
    with emulation() as settings, lasting_local_data(settings, bucket_emulated=True, every=NEVER):
        dynamodb_client_for(settings).put_item(TableName=settings.table_name, Item=ITEM)
    saved = table_file(data_dir, "memos-local")
    before = saved.stat().st_mtime_ns

    # When a run only reads it
    with emulation() as settings, lasting_local_data(settings, bucket_emulated=True, every=NEVER):
        key = {"pk": ITEM["pk"], "sk": ITEM["sk"]}
        dynamodb_client_for(settings).get_item(TableName=settings.table_name, Key=key)

    # Then the table's file is the one written before
    assert saved.stat().st_mtime_ns == before


def test_a_second_server_on_the_same_data_is_refused(
    emulation: Callable[[], AbstractContextManager[Settings]], data_dir: Path
) -> None:
    with emulation() as settings, lasting_local_data(settings, bucket_emulated=True, every=NEVER):
        # Given a server using the data directory
        another = lasting_local_data(settings, bucket_emulated=True, every=NEVER)

        # When another one starts on it / Then it is refused, naming the directory
        with pytest.raises(DataDirInUseError, match=re.escape(str(data_dir.resolve()))), another:
            pass


@pytest.fixture
def offline_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """What the emulation sets in the environment and caches is put back after the test."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.setenv(name, "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("MEMOS_S3_ENDPOINT", "")
    yield
    get_settings.cache_clear()
    s3_client.cache_clear()


def test_a_command_run_offline_writes_into_the_data_the_server_loads(
    offline_environment: None, data_dir: Path
) -> None:
    settings = Settings(local_data_dir=str(data_dir))

    # Given a command that writes an item and an object with the server stopped
    with local_data_offline(settings) as offline:
        dynamodb_client_for(offline).put_item(TableName=offline.table_name, Item=ITEM)
        stores_from_settings(offline).blobs.put("attachments/kept", b"bytes", "text/plain")

    # When the data is opened again (as the server does at start)
    with local_data_offline(settings) as again:
        key = {"pk": ITEM["pk"], "sk": ITEM["sk"]}
        found = dynamodb_client_for(again).get_item(TableName=again.table_name, Key=key)
        blob = stores_from_settings(again).blobs.get("attachments/kept")

    # Then both are there
    assert found["Item"] == ITEM
    assert blob is not None
    assert blob.data == b"bytes"
