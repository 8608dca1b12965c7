"""What a service function loads and reads while it initialises, before its first call."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from functions.instance.service import InstanceService
from memos.auth.verifier import verifier_from_environment
from memos.config import get_settings
from memos.rpc.lambda_entry import LAMBDA_FUNCTION_NAME_VARIABLE, lambda_handler
from memos.store import stores_from_environment
from memos.store.clients import dynamodb_client_for

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture
def get_items(dynamodb_table: str) -> Iterator[list[str]]:
    """The GetItem calls the functions' DynamoDB client makes, by table name."""
    verifier_from_environment.cache_clear()
    calls: list[str] = []

    def record(params: dict[str, Any], **_: Any) -> None:
        calls.append(str(params.get("TableName")))

    client = dynamodb_client_for(get_settings())
    client.meta.events.register("before-parameter-build.dynamodb.GetItem", record)
    yield calls
    client.meta.events.unregister("before-parameter-build.dynamodb.GetItem", record)
    verifier_from_environment.cache_clear()


def test_inside_lambda_the_init_reads_the_store_once(
    get_items: list[str], monkeypatch: pytest.MonkeyPatch, dynamodb_table: str
) -> None:
    # Given a function running in Lambda
    monkeypatch.setenv(LAMBDA_FUNCTION_NAME_VARIABLE, "memos-dev-instance")

    # When its handler is built (the function's init)
    lambda_handler(InstanceService(stores_from_environment()))

    # Then one read went to the table, so the first call finds the client warm
    assert get_items == [dynamodb_table]


def test_outside_lambda_the_init_reads_nothing(
    get_items: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the same wiring outside Lambda (tests, tools)
    monkeypatch.delenv(LAMBDA_FUNCTION_NAME_VARIABLE, raising=False)

    # When the handler is built
    lambda_handler(InstanceService(stores_from_environment()))

    # Then no store read happens at init
    assert get_items == []


def test_a_store_that_fails_at_init_does_not_fail_the_init(
    get_items: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a function in Lambda whose table can't be read
    monkeypatch.setenv(LAMBDA_FUNCTION_NAME_VARIABLE, "memos-dev-instance")
    monkeypatch.setenv("MEMOS_TABLE_NAME", "no-such-table")
    get_settings.cache_clear()
    stores_from_environment.cache_clear()

    # When its handler is built
    handler = lambda_handler(InstanceService(stores_from_environment()))

    # Then the init still succeeds (the first call will report the outage itself)
    assert callable(handler)
    assert get_items == ["no-such-table"]
