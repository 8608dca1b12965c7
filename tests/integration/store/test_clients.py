"""The client factory, table creation, the Stores bundle and the no-Scan guard."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from memos.config import Settings
from memos.store import Stores, stores_from_environment
from memos.store.clients import dynamodb_client, dynamodb_client_for, ensure_table
from memos.store.schema import TTL_ATTRIBUTE
from tests.integration.conftest import ScanUsedError

if TYPE_CHECKING:
    from memos.store import Stores as StoresType


def test_one_client_per_region_and_endpoint(dynamodb_table: str) -> None:
    settings = Settings.from_environ()
    assert dynamodb_client_for(settings) is dynamodb_client_for(settings)
    assert dynamodb_client("eu-west-1") is not dynamodb_client_for(settings)


def test_configured_endpoint_is_used() -> None:
    client = dynamodb_client("eu-west-1", "http://localhost:8000")
    try:
        assert client.meta.endpoint_url == "http://localhost:8000"
    finally:
        dynamodb_client.cache_clear()


def test_ensure_table_creates_once_with_ttl(aws: None) -> None:
    client = dynamodb_client("us-east-1")
    assert ensure_table(client, "fresh") is True
    assert ensure_table(client, "fresh") is False
    ttl = client.describe_time_to_live(TableName="fresh")["TimeToLiveDescription"]
    assert ttl.get("AttributeName") == TTL_ATTRIBUTE
    indexes = client.describe_table(TableName="fresh")["Table"].get("GlobalSecondaryIndexes", [])
    assert sorted(index["IndexName"] for index in indexes) == ["gsi1", "gsi2"]


def test_stores_from_environment_are_built_once(dynamodb_table: str) -> None:
    stores = stores_from_environment()
    assert isinstance(stores, Stores)
    assert stores is stores_from_environment()
    assert stores.table.name == dynamodb_table


def test_scan_fails_the_test(stores: StoresType) -> None:
    with pytest.raises(ScanUsedError):
        stores.table.client.scan(TableName=stores.table.name)
