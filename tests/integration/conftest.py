"""Fixtures for integration tests that talk to AWS, emulated in process by moto.

- ``aws``: fake credentials and region, the store's cached client and stores cleared, and
  ``mock_aws`` started *before* any client is created (and the caches cleared again after).
  Each emulated request runs under one lock: DynamoDB applies every request atomically, moto
  does not (a cancelled transaction restores a snapshot of the table), so without the lock
  tests that race threads against each other would test moto instead of our code.
- ``dynamodb_table``: the name of a fresh table of the ``memos.store.schema`` shape, also set
  as ``MEMOS_TABLE_NAME``. Any DynamoDB ``Scan`` during the test fails it (no request path may
  scan).
- ``stores``: :class:`memos.store.Stores` over that table, built like the Lambdas build it.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

import pytest
from moto import mock_aws
from moto.core.botocore_stubber import BotocoreStubber

from memos.config import Settings, get_settings
from memos.store import Stores, stores_from_environment, stores_from_settings
from memos.store.clients import dynamodb_client, dynamodb_client_for, ensure_table

if TYPE_CHECKING:
    from collections.abc import Iterator

TEST_REGION = "us-east-1"
TEST_TABLE = "memos-test"


class ScanUsedError(AssertionError):
    """Raised when anything calls DynamoDB Scan during a test."""


def _clear_caches() -> None:
    dynamodb_client.cache_clear()
    stores_from_environment.cache_clear()
    get_settings.cache_clear()


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SECURITY_TOKEN": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": TEST_REGION,
        "AWS_REGION": TEST_REGION,
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("MEMOS_DYNAMODB_ENDPOINT", raising=False)
    monkeypatch.delenv("MEMOS_S3_ENDPOINT", raising=False)

    lock = threading.Lock()
    process_request = BotocoreStubber.process_request

    def atomic_process_request(self: BotocoreStubber, request: Any) -> Any:
        with lock:
            return process_request(self, request)

    monkeypatch.setattr(BotocoreStubber, "process_request", atomic_process_request)
    _clear_caches()
    with mock_aws():
        yield
    _clear_caches()


def _refuse_scan(**_: Any) -> None:
    raise ScanUsedError("DynamoDB Scan was called; every access must be a Get, Query or write")


@pytest.fixture
def dynamodb_table(aws: None, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("MEMOS_TABLE_NAME", TEST_TABLE)
    get_settings.cache_clear()
    client = dynamodb_client_for(get_settings())
    ensure_table(client, TEST_TABLE)
    client.meta.events.register("before-call.dynamodb.Scan", _refuse_scan)
    return TEST_TABLE


@pytest.fixture
def stores(dynamodb_table: str) -> Stores:
    return stores_from_settings(Settings.from_environ())
