"""DynamoDB in memory: the low-level client calls the store makes, answered in process by moto.

For tests and local tools only: moto is a development dependency, and nothing a Lambda imports
imports this module. :func:`memory_stores` gives :class:`memos.store.Stores` over a fresh
in-memory table of the :mod:`memos.store.schema` shape; the repositories and
:class:`memos.store.table.DynamoTable` run unchanged on top of it.

:class:`MemoryDynamoDB` takes the same keyword arguments as boto3's DynamoDB client for GetItem,
BatchGetItem, PutItem, UpdateItem, DeleteItem, Query, BatchWriteItem and TransactWriteItems, and
answers what that client answers (attribute values in wire shape, binary as ``bytes``, errors as
``botocore`` ``ClientError`` with DynamoDB's codes and cancellation reasons). Every request is
served by moto's own DynamoDB request handler and models, in process and without botocore or
HTTP, so expressions (key conditions, filters, conditions, updates) and their validation are
exactly moto's. Two parts are replaced for speed, keeping moto's results:

- Query reads only the queried partition (a table query) or the index's items (a GSI query)
  instead of sorting the whole table on every call.
- TransactWriteItems restores the items it touched when it is cancelled, instead of copying
  whole tables before every transaction.

Each request runs under one lock, so it is atomic as in DynamoDB. There is no Scan: no request
path of the store may scan. Results follow moto where moto and DynamoDB differ; the one that
matters to paging: a Query that stops at ``Limit`` returns ``LastEvaluatedKey`` only when more
items of the partition follow (DynamoDB returns it whenever ``Limit`` was reached).
"""

from __future__ import annotations

import copy
import json
import threading
from typing import TYPE_CHECKING, Any, cast

from botocore.exceptions import ClientError
from moto.core.exceptions import JsonRESTError
from moto.dynamodb.comparisons import get_filter_expression
from moto.dynamodb.exceptions import (
    ConditionalCheckFailed,
    MockValidationException,
    MultipleTransactionsException,
    TooManyTransactionsException,
    TransactionCanceledException,
    TransactWriteSingleOpException,
)
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType, Item
from moto.dynamodb.models.table import RESULT_SIZE_LIMIT, GlobalSecondaryIndex, Table
from moto.dynamodb.responses import DynamoHandler

from memos.store import stores_for_table
from memos.store.schema import create_table_arguments
from memos.store.table import DynamoTable

if TYPE_CHECKING:
    from collections.abc import Callable

    from mypy_boto3_dynamodb import DynamoDBClient

    from memos.store import Stores

__all__ = ["DEFAULT_TABLE_NAME", "MemoryDynamoDB", "memory_stores"]

DEFAULT_TABLE_NAME = "memos-memory"
_ACCOUNT = "123456789012"
_REGION = "us-east-1"
_REQUEST_ID = "memory"

# The members of each operation's output, as boto3 returns them (moto's handler adds others).
_OUTPUT_MEMBERS: dict[str, frozenset[str]] = {
    "GetItem": frozenset({"Item", "ConsumedCapacity"}),
    "BatchGetItem": frozenset({"Responses", "UnprocessedKeys", "ConsumedCapacity"}),
    "PutItem": frozenset({"Attributes", "ConsumedCapacity", "ItemCollectionMetrics"}),
    "UpdateItem": frozenset({"Attributes", "ConsumedCapacity", "ItemCollectionMetrics"}),
    "DeleteItem": frozenset({"Attributes", "ConsumedCapacity", "ItemCollectionMetrics"}),
    "Query": frozenset({"Items", "Count", "ScannedCount", "LastEvaluatedKey", "ConsumedCapacity"}),
    "BatchWriteItem": frozenset({"UnprocessedItems", "ItemCollectionMetrics", "ConsumedCapacity"}),
    "TransactWriteItems": frozenset({"ConsumedCapacity", "ItemCollectionMetrics"}),
}


def memory_stores(table_name: str = DEFAULT_TABLE_NAME) -> Stores:
    """Every repository over a fresh, empty in-memory table."""
    client = MemoryDynamoDB(table_name)
    return stores_for_table(DynamoTable(cast("DynamoDBClient", client), table_name))


class MemoryDynamoDB:
    """One in-memory table behind the calls of boto3's low-level DynamoDB client."""

    def __init__(self, table_name: str = DEFAULT_TABLE_NAME) -> None:
        self.table_name = table_name
        self.exceptions = _ErrorClasses()
        self._lock = threading.RLock()
        self._backend = _Backend(_REGION, _ACCOUNT)
        self._handler = _Handler(self._backend)
        self._create_table()

    # The client's operations ------------------------------------------------------------

    def get_item(self, **params: Any) -> dict[str, Any]:
        return self._call("GetItem", self._handler.get_item, params)

    def batch_get_item(self, **params: Any) -> dict[str, Any]:
        return self._call("BatchGetItem", self._handler.batch_get_item, params)

    def put_item(self, **params: Any) -> dict[str, Any]:
        return self._call("PutItem", self._handler.put_item, params)

    def update_item(self, **params: Any) -> dict[str, Any]:
        return self._call("UpdateItem", self._handler.update_item, params)

    def delete_item(self, **params: Any) -> dict[str, Any]:
        return self._call("DeleteItem", self._handler.delete_item, params)

    def query(self, **params: Any) -> dict[str, Any]:
        return self._call("Query", self._handler.query, params)

    def batch_write_item(self, **params: Any) -> dict[str, Any]:
        return self._call("BatchWriteItem", self._handler.batch_write_item, params)

    def transact_write_items(self, **params: Any) -> dict[str, Any]:
        return self._call("TransactWriteItems", self._handler.transact_write_items, params)

    # For tests and tools ------------------------------------------------------------------

    def clear(self) -> None:
        """Remove every item (the table and its indexes stay)."""
        with self._lock:
            self._backend.delete_table(self.table_name)
            self._create_table()

    def item_count(self) -> int:
        """How many items the table holds."""
        with self._lock:
            table = self._backend.get_table(self.table_name)
            return sum(len(partition) for partition in table.items.values())

    # Plumbing ---------------------------------------------------------------------------

    def _create_table(self) -> None:
        self._handler.body = create_table_arguments(self.table_name)
        self._handler.create_table()

    def _call(
        self, operation: str, action: Callable[[], Any], params: dict[str, Any]
    ) -> dict[str, Any]:
        with self._lock:
            self._handler.body = _copied(params)
            try:
                result = action().result
            except JsonRESTError as error:
                raise self.exceptions.from_moto(error, operation) from None
        members = _OUTPUT_MEMBERS[operation]
        response = {name: value for name, value in result.items() if name in members}
        response["ResponseMetadata"] = _metadata(200)
        return response


class _Handler(DynamoHandler):
    """moto's DynamoDB request handler, over one private backend instead of the global ones."""

    def __init__(self, backend: DynamoDBBackend) -> None:
        super().__init__()
        self._backend = backend
        self.body: Any = {}

    @property
    def dynamodb_backend(self) -> DynamoDBBackend:
        return self._backend


class _Backend(DynamoDBBackend):
    """moto's DynamoDB backend with a partition-local Query and item-level transaction undo."""

    def query(  # noqa: PLR0917 - moto's signature
        self,
        table_name: str,
        hash_key_dict: dict[str, Any] | None,
        range_comparison: str | None,
        range_value_dicts: list[dict[str, Any]],
        limit: int,
        exclusive_start_key: dict[str, Any],
        scan_index_forward: bool,
        projection_expressions: list[list[str]] | None,
        index_name: str | None = None,
        consistent_read: bool = False,
        expr_names: dict[str, str] | None = None,
        expr_values: dict[str, dict[str, str]] | None = None,
        filter_expression: str | None = None,
        hash_key_conditions: list[tuple[str, dict[str, Any]]] | None = None,
        range_key_conditions: list[tuple[str, str, list[dict[str, Any]]]] | None = None,
        **filter_kwargs: Any,
    ) -> tuple[list[Item], int, dict[str, Any] | None]:
        table = self.get_table(table_name)
        index = _global_index(table, index_name)
        simple = (
            not filter_kwargs
            and hash_key_dict is not None
            and len(hash_key_conditions or []) == 1
            and len(range_key_conditions or []) <= 1
            and (index_name is None or (index is not None and not consistent_read))
        )
        if not simple:  # anything unusual: moto's own scan of the table, errors included
            return super().query(
                table_name,
                hash_key_dict,
                range_comparison,
                range_value_dicts,
                limit,
                exclusive_start_key,
                scan_index_forward,
                projection_expressions,
                index_name=index_name,
                consistent_read=consistent_read,
                expr_names=expr_names,
                expr_values=expr_values,
                filter_expression=filter_expression,
                hash_key_conditions=hash_key_conditions,
                range_key_conditions=range_key_conditions,
            )
        partition = DynamoType(cast("dict[str, Any]", hash_key_dict))
        if index is None:
            order = [table.hash_key_attr, table.range_key_attr]
            candidates = list(table.items.get(partition, {}).values())
        else:
            index_hash, index_range = _index_keys(index)
            order = [index_hash, index_range, table.hash_key_attr, table.range_key_attr]
            candidates = [
                item
                for items in table.items.values()
                for item in items.values()
                if _same(item.attrs.get(index_hash), partition) and index_range in item.attrs
            ]
        candidates.sort(key=lambda item: _sort_key(item, order), reverse=not scan_index_forward)
        if exclusive_start_key is not None:
            start = tuple(
                DynamoType(exclusive_start_key[name]).cast_value for name in order if name
            )
            candidates = _after(candidates, order, start, forward=scan_index_forward)

        range_name = range_key_conditions[-1][0] if range_key_conditions else None
        range_values = [DynamoType(value) for value in range_value_dicts]
        results: list[Item] = []
        size = 0
        last_key: dict[str, Any] | None = None
        for item in candidates:
            item_size = item.size()
            if len(results) == limit or size + item_size > RESULT_SIZE_LIMIT:
                last_key = table._get_last_evaluated_key(results[-1], index_name)
                break
            if range_comparison and range_name is not None:
                value = item.attrs.get(range_name)
                if value is None or not value.compare(range_comparison, range_values):
                    continue
            results.append(item)
            size += item_size
        scanned = len(results)

        results = copy.deepcopy(results)
        if index is not None:
            results = [index.project(item) for item in results]
        if filter_expression is not None:
            condition = get_filter_expression(filter_expression, expr_names, expr_values)
            results = [item for item in results if condition.expr(item)]
        if projection_expressions:
            results = [item.project(projection_expressions) for item in results]
        return results, scanned, last_key

    def transact_write_items(self, transact_items: list[dict[str, Any]]) -> None:
        """moto's transaction, undone item by item when it is cancelled."""
        if len(transact_items) > 100:
            raise TooManyTransactionsException
        undo: dict[tuple[str, Any, Any], Item | None] = {}
        errors: list[tuple[str | None, str | None, dict[str, Any] | None]] = []
        try:
            for request in transact_items:
                errors.append(self._transact_one(request, undo))
        except (MultipleTransactionsException, MockValidationException):
            self._restore(undo)
            raise
        if any(code is not None for code, _, _ in errors):
            self._restore(undo)
            raise TransactionCanceledException(errors)

    def _transact_one(
        self, request: dict[str, Any], undo: dict[tuple[str, Any, Any], Item | None]
    ) -> tuple[str | None, str | None, dict[str, Any] | None]:
        """Apply one operation; its cancellation reason, or ``(None, None, None)``."""
        if len(request) > 1:
            raise TransactWriteSingleOpException
        old: dict[str, Any] | None = None
        try:
            kind, operation = next(iter(request.items()))
            if kind not in {"ConditionCheck", "Put", "Delete", "Update"}:
                raise ValueError("Unsupported transaction operation")
            table_name = operation["TableName"]
            key = self._transact_key(kind, operation)
            slot = (table_name, *_key_values(self.get_table(table_name), key))
            if slot in undo:
                raise MultipleTransactionsException
            current = self.get_item(table_name, key)
            undo[slot] = copy.deepcopy(current)
            names = operation.get("ExpressionAttributeNames")
            values = operation.get("ExpressionAttributeValues")
            condition = operation.get("ConditionExpression")
            if condition is not None and not get_filter_expression(condition, names, values).expr(
                current
            ):
                if operation.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD" and current:
                    old = current.to_json()["Attributes"]
                raise ConditionalCheckFailed(item=old)
            self._transact_write(kind, operation, key)
        except (MultipleTransactionsException, MockValidationException):
            raise
        except ConditionalCheckFailed as error:
            return "ConditionalCheckFailed", str(error.message), old
        except Exception as error:
            return type(error).__name__, str(error), old
        return None, None, None

    def _transact_key(self, kind: str, operation: dict[str, Any]) -> dict[str, Any]:
        if kind != "Put":
            return cast("dict[str, Any]", operation["Key"])
        table = self.get_table(operation["TableName"])
        key = {table.hash_key_attr: operation["Item"][table.hash_key_attr]}
        if table.range_key_attr is not None:
            key[table.range_key_attr] = operation["Item"][table.range_key_attr]
        return key

    def _transact_write(self, kind: str, operation: dict[str, Any], key: dict[str, Any]) -> None:
        table_name = operation["TableName"]
        condition = operation.get("ConditionExpression")
        names = operation.get("ExpressionAttributeNames")
        values = operation.get("ExpressionAttributeValues")
        if kind == "Put":
            self.put_item(
                table_name,
                operation["Item"],
                condition_expression=condition,
                expression_attribute_names=names,
                expression_attribute_values=values,
            )
        elif kind == "Delete":
            self.delete_item(
                table_name,
                key,
                condition_expression=condition,
                expression_attribute_names=names,
                expression_attribute_values=values,
            )
        elif kind == "Update":
            self.update_item(
                table_name,
                key,
                update_expression=operation["UpdateExpression"],
                condition_expression=condition,
                # moto's own transaction passes the request's values, absent ones included
                expression_attribute_names=cast("dict[str, Any]", names),
                expression_attribute_values=cast("dict[str, Any]", values),
            )

    def _restore(self, undo: dict[tuple[str, Any, Any], Item | None]) -> None:
        for (table_name, hash_value, range_value), item in undo.items():
            partition = self.get_table(table_name).items[hash_value]
            if item is not None:
                partition[range_value] = item
            else:
                partition.pop(range_value, None)


class _ErrorClasses:
    """``client.exceptions``: one ``ClientError`` subclass per error code, as boto3 has."""

    def __init__(self) -> None:
        self._classes: dict[str, type[ClientError]] = {}
        self.ClientError = ClientError

    def __getattr__(self, code: str) -> type[ClientError]:
        if code.startswith("_"):
            raise AttributeError(code)
        if code not in self._classes:
            self._classes[code] = type(code, (ClientError,), {})
        return self._classes[code]

    def from_moto(self, error: JsonRESTError, operation: str) -> ClientError:
        """The ``ClientError`` botocore would raise for moto's error response."""
        body: dict[str, Any] = json.loads(error.description)
        code = str(body.pop("__type", error.error_type)).rsplit("#", 1)[-1]
        message = body.get("message", body.get("Message", error.message))
        response: dict[str, Any] = {
            "Error": {"Message": message, "Code": code},
            "ResponseMetadata": _metadata(error.code),
            **body,
        }
        return cast("ClientError", getattr(self, code)(response, operation))


def _global_index(table: Table, index_name: str | None) -> GlobalSecondaryIndex | None:
    for index in table.global_indexes:
        if index.name == index_name:
            keys = {key["KeyType"] for key in index.schema}
            return index if len(index.schema) == 2 and keys == {"HASH", "RANGE"} else None
    return None


def _index_keys(index: GlobalSecondaryIndex) -> tuple[str, str]:
    kinds = {key["KeyType"]: str(key["AttributeName"]) for key in index.schema}
    return kinds["HASH"], kinds["RANGE"]


def _same(value: DynamoType | None, wanted: DynamoType) -> bool:
    return value is not None and value.type == wanted.type and value.value == wanted.value


def _sort_key(item: Item, order: list[str | None]) -> tuple[Any, ...]:
    return tuple(item.attrs[name].cast_value for name in order if name is not None)


def _after(
    items: list[Item], order: list[str | None], start: tuple[Any, ...], *, forward: bool
) -> list[Item]:
    """The items that come after the exclusive start key, in reading order."""
    for position, item in enumerate(items):
        key = _sort_key(item, order)
        if (key > start) if forward else (key < start):
            return items[position:]
    return []


def _key_values(table: Table, key: dict[str, Any]) -> tuple[Any, Any]:
    hash_value = DynamoType(key[table.hash_key_attr])
    range_value = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
    return hash_value, range_value


def _copied(value: Any) -> Any:
    """A request's own copy of its parameters (the backend keeps what it is given)."""
    if isinstance(value, dict):
        return {key: _copied(inner) for key, inner in value.items()}
    if isinstance(value, list | tuple):
        return [_copied(inner) for inner in value]
    if isinstance(value, bytearray | memoryview):
        return bytes(value)
    return value


def _metadata(status: int) -> dict[str, Any]:
    return {
        "RequestId": _REQUEST_ID,
        "HTTPStatusCode": status,
        "HTTPHeaders": {},
        "RetryAttempts": 0,
    }
