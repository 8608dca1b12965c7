"""The one table as the repositories see it: typed calls on plain values, no Scan.

Wraps the low-level client: serializes keys and values through :mod:`memos.store.codec`,
builds update expressions, follows query pages and unprocessed batch items, and turns
failed conditions into :class:`ConditionFailedError` / :class:`TransactionCancelledError`.
There is deliberately no ``scan`` method: every read is a GetItem, BatchGetItem or Query.
"""

from __future__ import annotations

import random
import secrets
import time
from typing import TYPE_CHECKING, Any, Literal, cast

from botocore.exceptions import ClientError
from msgspec import Struct, field

from memos.store.codec import from_item, serialize, to_item

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import (
        AttributeValueTypeDef,
        QueryInputTypeDef,
        TransactWriteItemTypeDef,
    )

    from memos.store.codec import Item
    from memos.store.keys import ItemKey
    from memos.store.schema import IndexSpec

BATCH_GET_LIMIT = 100
BATCH_WRITE_LIMIT = 25
TRANSACTION_LIMIT = 100
_TRANSACTION_ATTEMPTS = 6
_BATCH_ATTEMPTS = 8
# Stored on every item created through ``put_new`` / ``put_new_op``: a random value drawn once
# per call, so it is the same in every retry the SDK makes of that call and in no other call.
WRITE_TOKEN_ATTRIBUTE = "write_token"  # noqa: S105 - an attribute name, not a secret


class ConditionFailedError(Exception):
    """A single-item write's condition did not hold."""


class TransactionCancelledError(Exception):
    """A transaction was cancelled; ``reasons[i]`` is the code for its i-th operation."""

    def __init__(self, reasons: Sequence[str]) -> None:
        super().__init__(f"transaction cancelled: {', '.join(reasons)}")
        self.reasons = tuple(reasons)

    def failed(self, index: int) -> bool:
        """Whether the condition of operation ``index`` failed."""
        return index < len(self.reasons) and self.reasons[index] == "ConditionalCheckFailed"


class Expression(Struct, frozen=True):
    """An expression with its ``#name`` and ``:value`` placeholders (values still plain)."""

    text: str
    names: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, Any] = field(default_factory=dict)

    def merge(self, other: Expression | None) -> tuple[dict[str, str], dict[str, Any]]:
        names = {**self.names, **(other.names if other else {})}
        values = {**self.values, **(other.values if other else {})}
        return names, values


def set_fields(fields: Mapping[str, Any]) -> Expression:
    """``SET`` each field to its value; fields whose value is ``None`` are ``REMOVE``d."""
    names: dict[str, str] = {}
    values: dict[str, Any] = {}
    assignments: list[str] = []
    removals: list[str] = []
    for index, (name, value) in enumerate(fields.items()):
        names[f"#u{index}"] = name
        if value is None:
            removals.append(f"#u{index}")
        else:
            values[f":u{index}"] = value
            assignments.append(f"#u{index} = :u{index}")
    clauses = []
    if assignments:
        clauses.append("SET " + ", ".join(assignments))
    if removals:
        clauses.append("REMOVE " + ", ".join(removals))
    if not clauses:
        raise ValueError("nothing to update")
    return Expression(" ".join(clauses), names, values)


def item_exists() -> Expression:
    return Expression("attribute_exists(#pk)", {"#pk": "pk"})


def item_absent() -> Expression:
    return Expression("attribute_not_exists(#pk)", {"#pk": "pk"})


def attribute_equals(name: str, value: Any) -> Expression:
    """``name = value``; ``name`` must be a plain identifier (it names the placeholders)."""
    return Expression(f"#c_{name} = :c_{name}", {f"#c_{name}": name}, {f":c_{name}": value})


def both(first: Expression, second: Expression) -> Expression:
    return Expression(
        f"({first.text}) AND ({second.text})",
        {**first.names, **second.names},
        {**first.values, **second.values},
    )


class QueryPage(Struct, frozen=True):
    items: list[Item]
    last_key: dict[str, str] | None
    scanned: int = 0  # items DynamoDB read for this page, before any filter


SortOperator = Literal["begins_with", "between", "=", "<", "<=", ">", ">="]


class SortCondition(Struct, frozen=True):
    """A key condition on the sort key: ``begins_with``, ``between`` (inclusive) or a comparison."""

    operator: SortOperator
    value: str
    upper: str | None = None  # only for ``between``

    def render(self, name: str) -> str:
        if self.operator == "begins_with":
            return f"begins_with({name}, :qsk)"
        if self.operator == "between":
            return f"{name} BETWEEN :qsk AND :qsk2"
        return f"{name} {self.operator} :qsk"

    def values(self) -> dict[str, str]:
        if self.operator == "between":
            if self.upper is None:
                raise ValueError("between needs an upper bound")
            return {":qsk": self.value, ":qsk2": self.upper}
        return {":qsk": self.value}


class DynamoTable:
    """One DynamoDB table reached through a shared low-level client."""

    def __init__(self, client: DynamoDBClient, name: str) -> None:
        self.client = client
        self.name = name

    # Reads --------------------------------------------------------------------------------

    def get(self, key: ItemKey, *, consistent: bool = True) -> Item | None:
        response = self.client.get_item(
            TableName=self.name, Key=to_item(key.attributes()), ConsistentRead=consistent
        )
        item = response.get("Item")
        return from_item(item) if item else None

    def batch_get(self, keys: Sequence[ItemKey], *, consistent: bool = True) -> list[Item]:
        """The items that exist among ``keys`` (any order); unprocessed keys are retried."""
        found: list[Item] = []
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), BATCH_GET_LIMIT):
            pending: list[dict[str, AttributeValueTypeDef]] = [
                to_item(key.attributes()) for key in unique[start : start + BATCH_GET_LIMIT]
            ]
            for attempt in range(_BATCH_ATTEMPTS):
                if not pending:
                    break
                if attempt:
                    _backoff(attempt)
                response = self.client.batch_get_item(
                    RequestItems={self.name: {"Keys": pending, "ConsistentRead": consistent}}
                )
                found.extend(from_item(item) for item in response["Responses"].get(self.name, []))
                unprocessed = response.get("UnprocessedKeys", {}).get(self.name)
                pending = list(unprocessed["Keys"]) if unprocessed else []
            if pending:
                raise RuntimeError("BatchGetItem left keys unprocessed after retries")
        return found

    def query_page(
        self,
        partition: str,
        *,
        index: IndexSpec | None = None,
        sort_prefix: str | None = None,
        sort: SortCondition | None = None,
        filter: Expression | None = None,
        forward: bool = True,
        limit: int | None = None,
        start: Mapping[str, str] | None = None,
        consistent: bool = False,
    ) -> QueryPage:
        """One page of a partition (of the table or of ``index``).

        ``sort_prefix`` (``begins_with``) or ``sort`` narrows the sort key; ``filter`` drops
        items after they are read (they still count in ``scanned``, as in DynamoDB's bill).
        """
        pk_name = index.partition_key if index else "pk"
        sk_name = index.sort_key if index else "sk"
        names = {"#qpk": pk_name}
        values: dict[str, Any] = {":qpk": partition}
        condition = "#qpk = :qpk"
        if sort_prefix is not None:
            sort = SortCondition("begins_with", sort_prefix)
        if sort is not None:
            names["#qsk"] = sk_name
            values.update(sort.values())
            condition += " AND " + sort.render("#qsk")
        if filter is not None:
            names.update(filter.names)
            values.update(filter.values)
        arguments: QueryInputTypeDef = {
            "TableName": self.name,
            "KeyConditionExpression": condition,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": {name: serialize(value) for name, value in values.items()},
            "ScanIndexForward": forward,
        }
        if filter is not None:
            arguments["FilterExpression"] = filter.text
        if index is not None:
            arguments["IndexName"] = index.name
        else:
            arguments["ConsistentRead"] = consistent
        if limit is not None:
            arguments["Limit"] = limit
        if start is not None:
            arguments["ExclusiveStartKey"] = to_item(start)
        response = self.client.query(**arguments)
        last = response.get("LastEvaluatedKey")
        last_key = {name: str(value) for name, value in from_item(last).items()} if last else None
        return QueryPage(
            [from_item(item) for item in response.get("Items", [])],
            last_key,
            int(response.get("ScannedCount", 0)),
        )

    def query_all(
        self,
        partition: str,
        *,
        index: IndexSpec | None = None,
        sort_prefix: str | None = None,
        forward: bool = True,
        consistent: bool = False,
    ) -> list[Item]:
        """Every item of a partition (following pages); for partitions of bounded size."""
        items: list[Item] = []
        start: dict[str, str] | None = None
        while True:
            page = self.query_page(
                partition,
                index=index,
                sort_prefix=sort_prefix,
                forward=forward,
                start=start,
                consistent=consistent,
            )
            items.extend(page.items)
            if page.last_key is None:
                return items
            start = page.last_key

    # Single-item writes ------------------------------------------------------------------

    def put(self, item: Mapping[str, Any], *, condition: Expression | None = None) -> None:
        arguments: dict[str, Any] = {"TableName": self.name, "Item": to_item(item)}
        _add_condition(arguments, condition, None)
        self._conditional(lambda: self.client.put_item(**arguments))

    def put_new(self, item: Mapping[str, Any]) -> None:
        """Create an item whose key must be free; :class:`ConditionFailedError` when it is taken.

        Safe to retry: when an attempt lands but its answer is lost, the SDK sends the same
        request again and its "must not exist" condition fails on the item it wrote itself. The
        item carries this call's write token and DynamoDB returns the stored item with the
        failure (``ALL_OLD``), so a stored item with the same token is this call's own write and
        the create succeeds, without a second read.
        """
        token = _new_write_token()
        arguments: dict[str, Any] = {
            "TableName": self.name,
            "Item": to_item({**item, WRITE_TOKEN_ATTRIBUTE: token}),
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        }
        _add_condition(arguments, item_absent(), None)
        try:
            self.client.put_item(**arguments)
        except ClientError as error:
            if _error_code(error) != "ConditionalCheckFailedException":
                raise
            if _carries_token(error.response.get("Item"), serialize(token)):
                return
            raise ConditionFailedError(str(error)) from error

    def update(
        self,
        key: ItemKey,
        update: Expression,
        *,
        condition: Expression | None = None,
        return_values: Literal["ALL_NEW", "UPDATED_NEW", "NONE"] = "ALL_NEW",
    ) -> Item:
        arguments: dict[str, Any] = {
            "TableName": self.name,
            "Key": to_item(key.attributes()),
            "UpdateExpression": update.text,
            "ReturnValues": return_values,
        }
        _add_condition(arguments, condition, update)
        response = self._conditional(lambda: self.client.update_item(**arguments))
        return from_item(response.get("Attributes", {}))

    def delete(self, key: ItemKey, *, condition: Expression | None = None) -> Item | None:
        """Delete one item; returns its old attributes, or None when there was none."""
        arguments: dict[str, Any] = {
            "TableName": self.name,
            "Key": to_item(key.attributes()),
            "ReturnValues": "ALL_OLD",
        }
        _add_condition(arguments, condition, None)
        response = self._conditional(lambda: self.client.delete_item(**arguments))
        old = response.get("Attributes")
        return from_item(old) if old else None

    def batch_delete(self, keys: Sequence[ItemKey]) -> None:
        """Delete many items (no conditions), retrying unprocessed ones."""
        unique = list(dict.fromkeys(keys))
        self._batch_write([{"DeleteRequest": {"Key": to_item(key.attributes())}} for key in unique])

    def batch_put(self, items: Sequence[Mapping[str, Any]]) -> None:
        """Put many independent items (no conditions: the caller has checked what it needs),
        25 per BatchWriteItem, retrying unprocessed ones."""
        self._batch_write([{"PutRequest": {"Item": to_item(item)}} for item in items])

    def _batch_write(self, requests: Sequence[Any]) -> None:
        for start in range(0, len(requests), BATCH_WRITE_LIMIT):
            pending = list(requests[start : start + BATCH_WRITE_LIMIT])
            for attempt in range(_BATCH_ATTEMPTS):
                if not pending:
                    break
                if attempt:
                    _backoff(attempt)
                response = self.client.batch_write_item(RequestItems={self.name: pending})
                pending = list(response.get("UnprocessedItems", {}).get(self.name, []))
            if pending:
                raise RuntimeError("BatchWriteItem left items unprocessed after retries")

    # Transactions ------------------------------------------------------------------------

    def put_op(
        self, item: Mapping[str, Any], *, condition: Expression | None = None
    ) -> TransactWriteItemTypeDef:
        operation: dict[str, Any] = {"TableName": self.name, "Item": to_item(item)}
        _add_condition(operation, condition, None)
        return cast("TransactWriteItemTypeDef", {"Put": operation})

    def put_new_op(self, item: Mapping[str, Any]) -> TransactWriteItemTypeDef:
        """A transaction's create of an item whose key must be free, safe to retry like
        :meth:`put_new`: :meth:`transact` takes a failed condition on an item carrying this
        operation's write token as proof that the whole transaction already landed."""
        operation: dict[str, Any] = {
            "TableName": self.name,
            "Item": to_item({**item, WRITE_TOKEN_ATTRIBUTE: _new_write_token()}),
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        }
        _add_condition(operation, item_absent(), None)
        return cast("TransactWriteItemTypeDef", {"Put": operation})

    def update_op(
        self, key: ItemKey, update: Expression, *, condition: Expression | None = None
    ) -> TransactWriteItemTypeDef:
        operation: dict[str, Any] = {
            "TableName": self.name,
            "Key": to_item(key.attributes()),
            "UpdateExpression": update.text,
        }
        _add_condition(operation, condition, update)
        return cast("TransactWriteItemTypeDef", {"Update": operation})

    def delete_op(
        self, key: ItemKey, *, condition: Expression | None = None
    ) -> TransactWriteItemTypeDef:
        operation: dict[str, Any] = {"TableName": self.name, "Key": to_item(key.attributes())}
        _add_condition(operation, condition, None)
        return cast("TransactWriteItemTypeDef", {"Delete": operation})

    def transact(self, operations: Sequence[TransactWriteItemTypeDef]) -> None:
        """Apply all operations or none.

        Cancellations caused only by conflicting concurrent transactions are retried with
        jittered backoff; a failed condition raises :class:`TransactionCancelledError`, unless
        it failed on an item written by one of these very operations (see :meth:`put_new_op`):
        then an earlier attempt of this transaction landed and its answer was lost, and as a
        transaction is all or nothing, all of it is already applied. botocore fills in one
        ``ClientRequestToken`` per call and sends it unchanged in each of its retries, which
        makes DynamoDB itself answer such a retry with success within ten minutes; the write
        token covers what that does not (emulators, later answers).
        """
        if len(operations) > TRANSACTION_LIMIT:
            raise ValueError(f"a transaction holds at most {TRANSACTION_LIMIT} operations")
        for attempt in range(_TRANSACTION_ATTEMPTS):
            if attempt:
                _backoff(attempt)
            try:
                self.client.transact_write_items(TransactItems=list(operations))
            except ClientError as error:
                if _error_code(error) != "TransactionCanceledException":
                    raise
                if _landed_before(operations, error):
                    return
                reasons = _cancellation_reasons(error, len(operations))
                if "ConditionalCheckFailed" in reasons or "TransactionConflict" not in reasons:
                    raise TransactionCancelledError(reasons) from error
                continue
            return
        raise TransactionCancelledError(["TransactionConflict"] * len(operations))

    # Helpers -----------------------------------------------------------------------------

    @staticmethod
    def _conditional(call: Any) -> Any:
        try:
            return call()
        except ClientError as error:
            if _error_code(error) == "ConditionalCheckFailedException":
                raise ConditionFailedError(str(error)) from error
            raise


def _add_condition(
    arguments: dict[str, Any], condition: Expression | None, update: Expression | None
) -> None:
    names: dict[str, str] = {}
    values: dict[str, Any] = {}
    if update is not None:
        names, values = update.merge(condition)
    elif condition is not None:
        names, values = condition.merge(None)
    if condition is not None:
        arguments["ConditionExpression"] = condition.text
    if names:
        arguments["ExpressionAttributeNames"] = names
    if values:
        arguments["ExpressionAttributeValues"] = {
            name: serialize(value) for name, value in values.items()
        }


def _error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def _cancellation_reasons(error: ClientError, count: int) -> list[str]:
    raw = cast("list[dict[str, Any]]", error.response.get("CancellationReasons") or [])
    reasons = [str(reason.get("Code", "None")) for reason in raw]
    if not reasons:
        # Older emulators only put the reasons into the message: "... [None, ConditionalCheck...]"
        message = str(error.response.get("Error", {}).get("Message", ""))
        inside = message[message.find("[") + 1 : message.rfind("]")]
        reasons = [part.strip() for part in inside.split(",") if part.strip()]
    return reasons + ["None"] * (count - len(reasons))


def _new_write_token() -> str:
    return secrets.token_hex(16)


def _carries_token(stored: Any, token: Any) -> bool:
    """Whether a stored item (wire shape, or None) holds ``token`` (wire shape)."""
    return isinstance(stored, dict) and stored.get(WRITE_TOKEN_ATTRIBUTE) == token


def _landed_before(operations: Sequence[TransactWriteItemTypeDef], error: ClientError) -> bool:
    """Whether a cancelled transaction's condition failed on an item one of its own creates
    wrote (same write token): only an earlier attempt of this same call can have written it."""
    raw = cast("list[dict[str, Any]]", error.response.get("CancellationReasons") or [])
    for operation, reason in zip(operations, raw, strict=False):
        put = cast("dict[str, Any]", operation).get("Put")
        if put is None or reason.get("Code") != "ConditionalCheckFailed":
            continue
        token = put["Item"].get(WRITE_TOKEN_ATTRIBUTE)
        if token is not None and _carries_token(reason.get("Item"), token):
            return True
    return False


def _backoff(attempt: int) -> None:
    time.sleep(random.uniform(0, 0.02 * (2**attempt)))  # noqa: S311 - jitter, not security
