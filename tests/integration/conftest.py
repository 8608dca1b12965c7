"""Fixtures for integration tests: the store in memory, or AWS emulated in process by moto.

- ``memory_stores`` (from ``tests/conftest.py``): the in-memory table for rule tests; a
  directory or module moves onto it by overriding ``stores`` (see ``user/conftest.py``).
- ``aws``: fake credentials and region, moto's ``mock_aws`` for the test (every emulated service
  starts empty), and the cached settings, client and stores cleared before and after. boto3's
  default session is kept across tests (moto would drop it on every start), so a test's new
  client reuses the loaded service models instead of reading them again.
  Each emulated request runs under one lock: DynamoDB applies every request atomically, moto
  does not (a cancelled transaction restores a snapshot of the table), so without the lock
  tests that race threads against each other would test moto instead of our code.
- ``dynamodb_table``: the name of a fresh table of the ``memos.store.schema`` shape, also set
  as ``MEMOS_TABLE_NAME``. Any DynamoDB ``Scan`` during the test fails it (no request path may
  scan).
- ``stores`` / ``moto_stores``: :class:`memos.store.Stores` over that table, built like the
  Lambdas build it (``moto_stores`` stays on moto where ``stores`` is overridden).
- ``attachment_bucket``: the emulated bucket of ``moto_stores`` (its ``blobs``), created.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, cast

import pytest
from moto import mock_aws
from moto.core.botocore_stubber import BotocoreStubber

from memos.config import Settings, get_settings
from memos.store import Stores, stores_from_environment, stores_from_settings
from memos.store.clients import dynamodb_client, dynamodb_client_for, s3_client
from memos.store.schema import TTL_ATTRIBUTE, create_table_arguments

if TYPE_CHECKING:
    from collections.abc import Iterator

    from mypy_boto3_dynamodb.type_defs import CreateTableInputTypeDef

    from memos.store.blobs import BlobStore

TEST_REGION = "us-east-1"
TEST_TABLE = "memos-test"
# moto replaces boto3's default session on every start unless told not to; building a session
# and loading the DynamoDB model again is most of what a fresh client costs.
_MOTO_CONFIG: Any = {"core": {"reset_boto3_session": False}}
_REFUSE_SCAN_ID = "memos-tests-refuse-scan"


class ScanUsedError(AssertionError):
    """Raised when anything calls DynamoDB Scan during a test."""


def _clear_caches() -> None:
    dynamodb_client.cache_clear()
    s3_client.cache_clear()
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
    with mock_aws(config=_MOTO_CONFIG):
        yield
    _clear_caches()


def _refuse_scan(**_: Any) -> None:
    raise ScanUsedError("DynamoDB Scan was called; every access must be a Get, Query or write")


@pytest.fixture
def dynamodb_table(aws: None, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("MEMOS_TABLE_NAME", TEST_TABLE)
    get_settings.cache_clear()
    client = dynamodb_client_for(get_settings())
    # The table is new in every test's mock: created directly, without ensure_table's
    # existence check and waiter (moto creates tables ACTIVE).
    client.create_table(**cast("CreateTableInputTypeDef", create_table_arguments(TEST_TABLE)))
    client.update_time_to_live(
        TableName=TEST_TABLE,
        TimeToLiveSpecification={"Enabled": True, "AttributeName": TTL_ATTRIBUTE},
    )
    client.meta.events.register(
        "before-call.dynamodb.Scan", _refuse_scan, unique_id=_REFUSE_SCAN_ID
    )
    return TEST_TABLE


@pytest.fixture
def moto_stores(dynamodb_table: str) -> Stores:
    return stores_from_settings(Settings.from_environ())


@pytest.fixture
def stores(moto_stores: Stores) -> Stores:
    return moto_stores


@pytest.fixture
def attachment_bucket(moto_stores: Stores) -> BlobStore:
    """The emulated attachment bucket of ``moto_stores``, created empty."""
    moto_stores.blobs.ensure_bucket()
    return moto_stores.blobs
