"""The in-memory DynamoDB client answers as moto behind boto3 does, call for call.

``CONTRACT`` is a script of the calls the store makes and will make: puts, updates and deletes
with conditions and return values, every update clause, queries of the table and of both indexes
with every key condition, filters on lists, strings and maps, paging both ways, batches, and
transactions that commit or are cancelled. It runs against each client in turn; every answer and
every error must be the same, so the fake cannot drift from the emulator the store tests use.
Then the behaviours the store relies on are checked on both clients by their expected values.
"""

from __future__ import annotations

import copy
import threading
from typing import Any

import pytest
from botocore.exceptions import ClientError

from memos.config import get_settings
from memos.store.clients import dynamodb_client_for
from memos.store.memory import MemoryDynamoDB, memory_stores
from tests.integration.conftest import TEST_TABLE

Step = tuple[str, dict[str, Any]]


def s(value: str) -> dict[str, Any]:
    return {"S": value}


def n(value: int) -> dict[str, Any]:
    return {"N": str(value)}


def key(pk: str, sk: str) -> dict[str, Any]:
    return {"pk": s(pk), "sk": s(sk)}


def item(pk: str, sk: str, **attributes: dict[str, Any]) -> dict[str, Any]:
    return {**key(pk, sk), **attributes}


def note(pk: str, sk: str, number: int, *tags: str, **attributes: dict[str, Any]) -> Step:
    """A put of an item with a number, a tag list and some text (the shape memos have)."""
    return (
        "put_item",
        {
            "TableName": TEST_TABLE,
            "Item": item(
                pk,
                sk,
                number=n(number),
                tags={"L": [s(tag) for tag in tags]},
                content=s(f"note {number} about {' and '.join(tags) or 'nothing'}"),
                **attributes,
            ),
        },
    )


def query(condition: str, values: dict[str, Any], **extra: Any) -> Step:
    return (
        "query",
        {
            "TableName": TEST_TABLE,
            "KeyConditionExpression": condition,
            "ExpressionAttributeValues": values,
            **extra,
        },
    )


def pages(condition: str, values: dict[str, Any], **extra: Any) -> Step:
    """Every page of a query, each following the last one's ``LastEvaluatedKey``."""
    _, params = query(condition, values, **extra)
    return ("query_pages", params)


def filtered(text: str, values: dict[str, Any], **extra: Any) -> Step:
    """A query of partition ``A`` with a filter."""
    return query(
        "pk = :p",
        {":p": s("A"), **values},
        FilterExpression=text,
        **extra,
    )


def update(pk: str, sk: str, expression: str, **extra: Any) -> Step:
    return (
        "update_item",
        {"TableName": TEST_TABLE, "Key": key(pk, sk), "UpdateExpression": expression, **extra},
    )


def by_creator(creator: str, **extra: Any) -> Step:
    return query("gsi1pk = :c", {":c": s(creator)}, IndexName="gsi1", **extra)


PK = {"#pk": "pk"}
SEED: list[Step] = [
    note("A", "c#001", 1, "work", gsi1pk=s("creator#1"), gsi1sk=s("0005")),
    note("A", "c#002", 2, "home", "work", gsi1pk=s("creator#1"), gsi1sk=s("0003")),
    note("A", "c#003", 3, gsi1pk=s("creator#1"), gsi1sk=s("0003")),
    note("A", "c#004", 4, "work", "travel", "home", gsi1pk=s("creator#2"), gsi1sk=s("0001")),
    note("A", "c#005", 5, "travel", gsi1pk=s("creator#1")),
    note("A", "c#006", 6, "Work", meta={"M": {"kind": s("pinned"), "rank": n(2)}}),
    note("A", "c#007", 7, "home", gsi2pk=s("public"), gsi2sk=s("0007"), pinned={"BOOL": True}),
    note("A", "d#001", 8, "work", gsi1pk=s("creator#1"), gsi1sk=s("0009")),
    note("B", "c#001", 9, "home", gsi1pk=s("creator#1"), gsi1sk=s("0003")),
    note("B", "x", 10, blob={"B": b"\x00\xffbinary"}, empty=s("")),
]

WRITES: list[Step] = [
    # Conditional puts, and what a put hands back.
    (
        "put_item",
        {
            "TableName": TEST_TABLE,
            "Item": item("C", "new", number=n(1)),
            "ConditionExpression": "attribute_not_exists(#pk)",
            "ExpressionAttributeNames": PK,
        },
    ),
    (
        "put_item",
        {
            "TableName": TEST_TABLE,
            "Item": item("C", "new", number=n(2)),
            "ConditionExpression": "attribute_not_exists(#pk)",
            "ExpressionAttributeNames": PK,
        },
    ),
    (
        "put_item",
        {
            "TableName": TEST_TABLE,
            "Item": item("C", "new", number=n(3)),
            "ReturnValues": "ALL_OLD",
            "ConditionExpression": "#n = :one",
            "ExpressionAttributeNames": {"#n": "number"},
            "ExpressionAttributeValues": {":one": n(1)},
        },
    ),
    ("get_item", {"TableName": TEST_TABLE, "Key": key("C", "new")}),
    ("get_item", {"TableName": TEST_TABLE, "Key": key("C", "missing")}),
    ("get_item", {"TableName": TEST_TABLE, "Key": key("B", "x"), "ConsistentRead": True}),
    (
        "batch_get_item",
        {
            "RequestItems": {
                TEST_TABLE: {
                    "Keys": [key("A", "c#001"), key("Z", "none"), key("B", "x")],
                    "ConsistentRead": True,
                }
            }
        },
    ),
    # Every update clause and every kind of return value.
    update(
        "A",
        "c#001",
        "SET #c = :text, #n = #n + :one, #m = if_not_exists(#m, :zero)",
        ExpressionAttributeNames={"#c": "content", "#n": "number", "#m": "missing"},
        ExpressionAttributeValues={":text": s("rewritten"), ":one": n(1), ":zero": n(0)},
        ReturnValues="ALL_NEW",
    ),
    update(
        "A",
        "c#001",
        "SET #n = #n - :two, #m = if_not_exists(#m, :ten)",
        ExpressionAttributeNames={"#n": "number", "#m": "missing"},
        ExpressionAttributeValues={":two": n(2), ":ten": n(10)},
        ReturnValues="UPDATED_NEW",
    ),
    update(
        "A",
        "c#001",
        "REMOVE #m ADD #count :one",
        ExpressionAttributeNames={"#m": "missing", "#count": "views"},
        ExpressionAttributeValues={":one": n(1)},
        ReturnValues="ALL_OLD",
    ),
    update(
        "counter",
        "users",
        "ADD #v :one",
        ExpressionAttributeNames={"#v": "value"},
        ExpressionAttributeValues={":one": n(1)},
        ReturnValues="ALL_NEW",
    ),
    update(
        "counter",
        "users",
        "ADD #v :minus",
        ExpressionAttributeNames={"#v": "value"},
        ExpressionAttributeValues={":minus": n(-1)},
        ReturnValues="UPDATED_NEW",
    ),
    update(
        "A",
        "c#006",
        "SET #meta.#kind = :kind, #tags = list_append(#tags, :more)",
        ConditionExpression="attribute_exists(#pk) AND #meta.#rank = :rank",
        ExpressionAttributeNames={
            "#pk": "pk",
            "#meta": "meta",
            "#kind": "kind",
            "#rank": "rank",
            "#tags": "tags",
        },
        ExpressionAttributeValues={":kind": s("archived"), ":rank": n(2), ":more": {"L": [s("x")]}},
        ReturnValues="ALL_NEW",
    ),
    update(
        "A",
        "c#006",
        "SET #c = :text",
        ConditionExpression="attribute_not_exists(#pk)",
        ExpressionAttributeNames={"#pk": "pk", "#c": "content"},
        ExpressionAttributeValues={":text": s("never")},
    ),
    update(
        "A",
        "nobody",
        "SET #c = :text",
        ConditionExpression="attribute_exists(#pk)",
        ExpressionAttributeNames={"#pk": "pk", "#c": "content"},
        ExpressionAttributeValues={":text": s("never")},
    ),
    update(
        "A",
        "c#002",
        "SET #sk = :other",
        ExpressionAttributeNames={"#sk": "sk"},
        ExpressionAttributeValues={":other": s("moved")},
    ),
    update(
        "A",
        "c#002",
        "SET #c = :text",
        ExpressionAttributeNames={"#c": "content", "#unused": "x"},
        ExpressionAttributeValues={":text": s("t")},
    ),
    update(
        "A",
        "c#002",
        "SET #c = #c + :one",
        ExpressionAttributeNames={"#c": "content"},
        ExpressionAttributeValues={":one": n(1)},
    ),
    update(
        "A",
        "c#002",
        "SET #g = :g REMOVE #g2",
        ExpressionAttributeNames={"#g": "gsi1sk", "#g2": "gsi1pk"},
        ExpressionAttributeValues={":g": s("0004")},
        ReturnValues="NONE",
    ),
    # Deletes.
    (
        "delete_item",
        {"TableName": TEST_TABLE, "Key": key("C", "new"), "ReturnValues": "ALL_OLD"},
    ),
    (
        "delete_item",
        {"TableName": TEST_TABLE, "Key": key("C", "new"), "ReturnValues": "ALL_OLD"},
    ),
    (
        "delete_item",
        {
            "TableName": TEST_TABLE,
            "Key": key("A", "c#007"),
            "ConditionExpression": "attribute_not_exists(#pk)",
            "ExpressionAttributeNames": PK,
        },
    ),
    # Batches.
    (
        "batch_write_item",
        {
            "RequestItems": {
                TEST_TABLE: [
                    {"PutRequest": {"Item": item("D", "1", number=n(1))}},
                    {"PutRequest": {"Item": item("D", "2", number=n(2))}},
                    {"DeleteRequest": {"Key": key("B", "x")}},
                ]
            }
        },
    ),
    # Transactions: one that commits, one cancelled by a condition, two refused outright.
    (
        "transact_write_items",
        {
            "TransactItems": [
                {
                    "Put": {
                        "TableName": TEST_TABLE,
                        "Item": item("E", "1", number=n(1)),
                        "ConditionExpression": "attribute_not_exists(#pk)",
                        "ExpressionAttributeNames": PK,
                    }
                },
                {
                    "Update": {
                        "TableName": TEST_TABLE,
                        "Key": key("counter", "users"),
                        "UpdateExpression": "ADD #v :one",
                        "ExpressionAttributeNames": {"#v": "value"},
                        "ExpressionAttributeValues": {":one": n(1)},
                    }
                },
                {"Delete": {"TableName": TEST_TABLE, "Key": key("D", "1")}},
                {
                    "ConditionCheck": {
                        "TableName": TEST_TABLE,
                        "Key": key("D", "2"),
                        "ConditionExpression": "attribute_exists(#pk)",
                        "ExpressionAttributeNames": PK,
                    }
                },
            ]
        },
    ),
    (
        "transact_write_items",
        {
            "TransactItems": [
                {"Put": {"TableName": TEST_TABLE, "Item": item("E", "2", number=n(2))}},
                {
                    "Update": {
                        "TableName": TEST_TABLE,
                        "Key": key("counter", "users"),
                        "UpdateExpression": "ADD #v :one",
                        "ConditionExpression": "#v = :zero",
                        "ExpressionAttributeNames": {"#v": "value"},
                        "ExpressionAttributeValues": {":one": n(1), ":zero": n(0)},
                    }
                },
                {"Delete": {"TableName": TEST_TABLE, "Key": key("D", "2")}},
                {
                    "Put": {
                        "TableName": TEST_TABLE,
                        "Item": item("E", "1", number=n(9)),
                        "ConditionExpression": "attribute_not_exists(#pk)",
                        "ExpressionAttributeNames": PK,
                    }
                },
            ]
        },
    ),
    (
        "transact_write_items",
        {
            "TransactItems": [
                {"Put": {"TableName": TEST_TABLE, "Item": item("E", "3")}},
                {"Delete": {"TableName": TEST_TABLE, "Key": key("E", "3")}},
            ]
        },
    ),
    (
        "transact_write_items",
        {
            "TransactItems": [
                {"Put": {"TableName": TEST_TABLE, "Item": item("E", "4")}},
                {
                    "Update": {
                        "TableName": TEST_TABLE,
                        "Key": key("D", "2"),
                        "UpdateExpression": "SET #pk = :other",
                        "ExpressionAttributeNames": PK,
                        "ExpressionAttributeValues": {":other": s("F")},
                    }
                },
            ]
        },
    ),
]

READS: list[Step] = [
    # Key conditions on the table's sort key, both directions.
    query("pk = :p", {":p": s("A")}),
    query("pk = :p", {":p": s("A")}, ScanIndexForward=False),
    query("pk = :p", {":p": s("nothing")}),
    query("pk = :p AND begins_with(sk, :s)", {":p": s("A"), ":s": s("c#")}),
    query(
        "pk = :p AND sk BETWEEN :low AND :high",
        {":p": s("A"), ":low": s("c#002"), ":high": s("c#005")},
    ),
    query(
        "#k = :p AND #s BETWEEN :low AND :high",
        {":p": s("A"), ":low": s("c#002"), ":high": s("c#005")},
        ExpressionAttributeNames={"#k": "pk", "#s": "sk"},
        ScanIndexForward=False,
    ),
    query("pk = :p AND sk < :s", {":p": s("A"), ":s": s("c#003")}),
    query("pk = :p AND sk <= :s", {":p": s("A"), ":s": s("c#003")}),
    query("pk = :p AND sk > :s", {":p": s("A"), ":s": s("c#006")}),
    query("pk = :p AND sk >= :s", {":p": s("A"), ":s": s("c#006")}, ScanIndexForward=False),
    query("pk = :p AND sk = :s", {":p": s("A"), ":s": s("c#004")}),
    # Limits and pages.
    query("pk = :p", {":p": s("A")}, Limit=3),
    query("pk = :p AND begins_with(sk, :s)", {":p": s("A"), ":s": s("c#")}, Limit=7),
    query("pk = :p", {":p": s("A")}, Limit=8),
    pages("pk = :p", {":p": s("A")}, Limit=3),
    pages("pk = :p", {":p": s("A")}, Limit=2, ScanIndexForward=False),
    pages("pk = :p AND begins_with(sk, :s)", {":p": s("A"), ":s": s("c#")}, Limit=4),
    query(
        "pk = :p",
        {":p": s("A")},
        ExclusiveStartKey=key("A", "c#0035"),
    ),
    query(
        "pk = :p",
        {":p": s("A")},
        ExclusiveStartKey=key("A", "c#0035"),
        ScanIndexForward=False,
    ),
    # Filters: lists, strings, sizes, maps, booleans, OR, NOT, IN; Count against ScannedCount.
    filtered("contains(tags, :t)", {":t": s("work")}),
    filtered("contains(content, :t)", {":t": s("travel")}),
    filtered("size(tags) > :two", {":two": n(1)}),
    filtered("size(tags) = :zero OR contains(tags, :t)", {":zero": n(0), ":t": s("home")}),
    filtered("NOT contains(tags, :t)", {":t": s("work")}),
    filtered("NOT (contains(tags, :a) OR contains(tags, :b))", {":a": s("work"), ":b": s("home")}),
    filtered(
        "#n IN (:one, :three, :five)",
        {":one": n(1), ":three": n(3), ":five": n(5)},
        ExpressionAttributeNames={"#n": "number"},
    ),
    filtered("attribute_not_exists(gsi1sk)", {}),
    filtered(
        "attribute_exists(#m.#k) AND #m.#k = :k",
        {":k": s("archived")},
        ExpressionAttributeNames={"#m": "meta", "#k": "kind"},
    ),
    filtered("pinned = :yes", {":yes": {"BOOL": True}}),
    filtered(
        "begins_with(content, :b) AND #n BETWEEN :l AND :h",
        {":b": s("note"), ":l": n(2), ":h": n(6)},
        ExpressionAttributeNames={"#n": "number"},
    ),
    filtered("contains(tags, :t)", {":t": s("work")}, Limit=3),
    pages(
        "pk = :p", {":p": s("A"), ":t": s("home")}, FilterExpression="contains(tags, :t)", Limit=2
    ),
    # The indexes: sparse, ties on the index sort key, key conditions, pages.
    by_creator("creator#1"),
    by_creator("creator#1", ScanIndexForward=False),
    by_creator("creator#2"),
    by_creator("creator#9"),
    query(
        "gsi1pk = :c AND gsi1sk BETWEEN :l AND :h",
        {":c": s("creator#1"), ":l": s("0003"), ":h": s("0005")},
        IndexName="gsi1",
    ),
    query(
        "gsi1pk = :c AND gsi1sk > :l",
        {":c": s("creator#1"), ":l": s("0003")},
        IndexName="gsi1",
        ScanIndexForward=False,
    ),
    pages("gsi1pk = :c", {":c": s("creator#1")}, IndexName="gsi1", Limit=2),
    pages("gsi1pk = :c", {":c": s("creator#1")}, IndexName="gsi1", Limit=1, ScanIndexForward=False),
    by_creator(
        "creator#1",
        FilterExpression="contains(tags, :t)",
        ExpressionAttributeValues={":c": s("creator#1"), ":t": s("work")},
    ),
    query("gsi2pk = :g", {":g": s("public")}, IndexName="gsi2"),
    # Reads DynamoDB refuses.
    by_creator("creator#1", ConsistentRead=True),
    query("gsi9pk = :g", {":g": s("x")}, IndexName="gsi9"),
    query("sk = :s", {":s": s("c#001")}),
    query("pk = :p AND sk = :s AND sk = :s", {":p": s("A"), ":s": s("c#001")}),
    query("pk = :p", {":p": s("A")}, ExpressionAttributeNames={"#unused": "x"}),
]

FINAL_STATE: list[Step] = [
    query("pk = :p", {":p": s(partition)}) for partition in ("A", "B", "C", "D", "E", "counter")
]

CONTRACT: list[Step] = [*SEED, *WRITES, *READS, *FINAL_STATE]


def outcome(client: Any, step: Step) -> Any:
    """What a client answers to one step: its response without metadata, or its error."""
    operation, params = step
    try:
        if operation == "query_pages":
            return _all_pages(client, copy.deepcopy(params))
        response = getattr(client, operation)(**copy.deepcopy(params))
    except ClientError as error:
        return {
            "error": error.response["Error"],
            "reasons": error.response.get("CancellationReasons"),
            "operation": error.operation_name,
        }
    response.pop("ResponseMetadata", None)
    return response


def _all_pages(client: Any, params: dict[str, Any]) -> list[dict[str, Any]]:
    answers = []
    while True:
        response = client.query(**params)
        response.pop("ResponseMetadata", None)
        answers.append(response)
        if "LastEvaluatedKey" not in response or len(answers) > 20:
            return answers
        params["ExclusiveStartKey"] = response["LastEvaluatedKey"]


@pytest.fixture
def moto_client(dynamodb_table: str) -> Any:
    return dynamodb_client_for(get_settings())


@pytest.fixture(params=["memory", "moto"])
def client(request: pytest.FixtureRequest) -> Any:
    if request.param == "memory":
        return MemoryDynamoDB(TEST_TABLE)
    return request.getfixturevalue("moto_client")


def run(client: Any, *steps: Step) -> list[Any]:
    return [outcome(client, step) for step in steps]


# --- The contract -----------------------------------------------------------------------------


def test_memory_client_answers_every_contract_call_as_moto_does(moto_client: Any) -> None:
    # Given a fresh table in memory and a fresh one in moto
    memory = MemoryDynamoDB(TEST_TABLE)

    # When both run the contract, call by call
    for number, step in enumerate(CONTRACT):
        expected = outcome(moto_client, step)
        actual = outcome(memory, step)

        # Then every answer and every error is the same
        assert actual == expected, f"step {number}: {step}"


def test_contract_reaches_every_kind_of_answer(moto_client: Any) -> None:
    # Given the contract run against moto
    answers = run(moto_client, *CONTRACT)

    # When its errors are collected
    codes = {answer["error"]["Code"] for answer in answers if "error" in answer}

    # Then it exercised conditions, cancellations and validation, not only happy paths
    assert codes == {
        "ConditionalCheckFailedException",
        "ResourceNotFoundException",
        "TransactionCanceledException",
        "ValidationException",
    }


# --- The behaviours the store relies on, on both clients --------------------------------------


def test_scanned_count_counts_the_items_read_before_the_filter(client: Any) -> None:
    # Given the seeded partition A: eight items, five of them tagged "work"
    run(client, *SEED)

    # When the partition is queried with a filter on that tag, four items at a time
    [first, full] = run(
        client,
        filtered("contains(tags, :t)", {":t": s("work")}, Limit=4),
        filtered("contains(tags, :t)", {":t": s("work")}),
    )

    # Then the limit counts items read, and Count only those that passed the filter
    assert (first["ScannedCount"], first["Count"]) == (4, 3)
    assert "LastEvaluatedKey" in first
    assert (full["ScannedCount"], full["Count"]) == (8, 4)


def test_items_without_both_index_keys_are_not_in_the_index(client: Any) -> None:
    # Given items of creator#1, one of them without an index sort key
    run(client, *SEED)

    # When the index is queried for creator#1, oldest first
    [answer] = run(client, by_creator("creator#1"))

    # Then only the items with both keys are there, ties ordered by the table key
    listed = [(found["pk"]["S"], found["sk"]["S"]) for found in answer["Items"]]
    assert listed == [
        ("A", "c#002"),
        ("A", "c#003"),
        ("B", "c#001"),
        ("A", "c#001"),
        ("A", "d#001"),
    ]


def test_between_includes_both_bounds(client: Any) -> None:
    # Given partition A
    run(client, *SEED)

    # When its sort keys between c#002 and c#004 are asked for
    [answer] = run(
        client,
        query(
            "pk = :p AND sk BETWEEN :l AND :h",
            {":p": s("A"), ":l": s("c#002"), ":h": s("c#004")},
        ),
    )

    # Then both ends are included
    assert [found["sk"]["S"] for found in answer["Items"]] == ["c#002", "c#003", "c#004"]


def test_pages_resume_after_their_last_key_in_either_direction(client: Any) -> None:
    # Given partition A
    run(client, *SEED)

    # When it is read three items at a time, both ways
    [forward, backward] = run(
        client,
        pages("pk = :p", {":p": s("A")}, Limit=3),
        pages("pk = :p", {":p": s("A")}, Limit=3, ScanIndexForward=False),
    )

    # Then the pages together are the partition in order, each item once
    def keys(answers: list[dict[str, Any]]) -> list[str]:
        return [found["sk"]["S"] for answer in answers for found in answer["Items"]]

    everything = ["c#001", "c#002", "c#003", "c#004", "c#005", "c#006", "c#007", "d#001"]
    assert keys(forward) == everything
    assert keys(backward) == everything[::-1]


def test_a_cancelled_transaction_changes_nothing_and_names_the_failed_operation(
    client: Any,
) -> None:
    # Given a counter at 1
    run(
        client,
        update(
            "counter",
            "users",
            "ADD #v :one",
            ExpressionAttributeNames={"#v": "value"},
            ExpressionAttributeValues={":one": n(1)},
        ),
    )

    # When a transaction puts an item, then requires the counter to be 0
    [answer] = run(
        client,
        (
            "transact_write_items",
            {
                "TransactItems": [
                    {"Put": {"TableName": TEST_TABLE, "Item": item("E", "1")}},
                    {
                        "Update": {
                            "TableName": TEST_TABLE,
                            "Key": key("counter", "users"),
                            "UpdateExpression": "ADD #v :one",
                            "ConditionExpression": "#v = :zero",
                            "ExpressionAttributeNames": {"#v": "value"},
                            "ExpressionAttributeValues": {":one": n(1), ":zero": n(0)},
                        }
                    },
                ]
            },
        ),
    )

    # Then it is cancelled with the second operation's condition named, and nothing was written
    assert answer["error"]["Code"] == "TransactionCanceledException"
    assert [reason["Code"] for reason in answer["reasons"]] == ["None", "ConditionalCheckFailed"]
    [put, counter] = run(
        client,
        ("get_item", {"TableName": TEST_TABLE, "Key": key("E", "1")}),
        ("get_item", {"TableName": TEST_TABLE, "Key": key("counter", "users")}),
    )
    assert "Item" not in put
    assert counter["Item"]["value"] == n(1)


def test_updated_new_returns_only_the_attributes_the_update_changed(client: Any) -> None:
    # Given an item with a number and text
    run(client, *SEED)

    # When its number is raised, asking for the updated attributes
    [answer] = run(
        client,
        update(
            "A",
            "c#003",
            "SET #n = #n + :one",
            ExpressionAttributeNames={"#n": "number"},
            ExpressionAttributeValues={":one": n(1)},
            ReturnValues="UPDATED_NEW",
        ),
    )

    # Then only the new number comes back
    assert answer["Attributes"] == {"number": n(4)}


def test_binary_values_come_back_as_bytes(client: Any) -> None:
    # Given an item with a binary attribute
    run(client, *SEED)

    # When it is read
    [answer] = run(client, ("get_item", {"TableName": TEST_TABLE, "Key": key("B", "x")}))

    # Then the value is the bytes written
    assert answer["Item"]["blob"] == {"B": b"\x00\xffbinary"}


# --- The in-memory client itself --------------------------------------------------------------


def test_memory_stores_start_empty_and_share_nothing() -> None:
    # Given two sets of in-memory stores, one with an item
    first, second = memory_stores(), memory_stores()
    first.table.put({"pk": "A", "sk": "1"})

    # When each is read
    # Then only the one written to has the item
    assert first.table.query_all("A") != []
    assert second.table.query_all("A") == []


def test_memory_client_offers_no_scan() -> None:
    # Given an in-memory client
    client = MemoryDynamoDB()

    # When a scan is attempted
    # Then there is no such operation
    with pytest.raises(AttributeError):
        client.scan(TableName=client.table_name)  # type: ignore[attr-defined]


def test_clear_empties_the_table_and_keeps_its_indexes() -> None:
    # Given a table with items
    client = MemoryDynamoDB(TEST_TABLE)
    run(client, *SEED)

    # When it is cleared and one item put back
    client.clear()
    run(client, SEED[0])

    # Then only that item is left, and its index still answers
    assert client.item_count() == 1
    [answer] = run(client, by_creator("creator#1"))
    assert answer["Count"] == 1


def test_concurrent_conditional_puts_let_exactly_one_win() -> None:
    # Given twenty threads putting the same new item on condition that it is absent
    client = MemoryDynamoDB(TEST_TABLE)
    barrier = threading.Barrier(20)
    outcomes: list[Any] = []
    lock = threading.Lock()

    def put() -> None:
        barrier.wait()
        answer = outcome(
            client,
            (
                "put_item",
                {
                    "TableName": TEST_TABLE,
                    "Item": item("race", "1"),
                    "ConditionExpression": "attribute_not_exists(#pk)",
                    "ExpressionAttributeNames": PK,
                },
            ),
        )
        with lock:
            outcomes.append(answer)

    # When they run at once
    threads = [threading.Thread(target=put) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Then exactly one put succeeded
    failures = [answer for answer in outcomes if "error" in answer]
    assert len(outcomes) - len(failures) == 1
    assert {answer["error"]["Code"] for answer in failures} == {"ConditionalCheckFailedException"}
