"""Fixtures for the local server's own parts: AWS emulated as ``make serve`` emulates it.

- ``emulation``: a function opening one run of the emulation (``mock_aws`` with S3 served over
  HTTP on a free port), yielding settings that point at it; two runs in one test share nothing
  but what a test saves on disk, like two starts of the local server.
- ``data_dir``: an empty local data directory.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING

import pytest
from moto import mock_aws
from msgspec.structs import replace

from devserver.aws import s3_over_http
from memos.config import Settings, get_settings
from memos.store.clients import dynamodb_client, s3_client

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from contextlib import AbstractContextManager
    from pathlib import Path


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "local-data"


@pytest.fixture
def emulation(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> Callable[[], AbstractContextManager[Settings]]:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.setenv(name, "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")

    @contextmanager
    def one_run() -> Iterator[Settings]:
        _clear_caches()
        with mock_aws(), s3_over_http("127.0.0.1", 0) as endpoint:
            yield replace(
                Settings(local_data_dir=str(data_dir)),
                table_name="memos-local",
                bucket_name="memos-local-attachments",
                s3_endpoint=endpoint,
            )
        _clear_caches()

    return one_run


def _clear_caches() -> None:
    dynamodb_client.cache_clear()
    s3_client.cache_clear()
    get_settings.cache_clear()
