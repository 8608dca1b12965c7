"""DynamoDB decides the translated part of a filter exactly as ``evaluate`` does.

Memo-shaped items go into one partition of the moto table; each filter of the spec's example
list (and a few more around missing attributes and odd tags) is split into a FilterExpression and a
residual, the partition is queried with the expression, and the answer is compared with
``evaluate`` over every item.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from memos.filters import compile_memo_filter, conjuncts, evaluate
from memos.filters.dynamo import split_for_dynamodb
from memos.filters.fold import all_of
from memos.markdown import tag_paths
from memos.store.codec import from_item, serialize

if TYPE_CHECKING:
    from memos.filters.ir import Node
    from memos.store import Stores
    from memos.store.table import Expression

NOW = 1_704_067_200
PARTITION = "TEST#FILTERS"
FIELDS = (
    "content", "creator_id", "created_ts", "updated_ts", "pinned", "visibility", "tags",
    "has_link", "has_task_list", "has_code", "has_incomplete_tasks",
)  # fmt: skip
ATTRIBUTES = {field: field for field in FIELDS} | {"tag": "tag_paths"}


def _memo(number: int, content: str, **fields: Any) -> dict[str, Any]:
    tags = fields.pop("tags", [])
    return {
        "pk": PARTITION,
        "sk": f"MEMO#{number:03d}",
        "content": content,
        "creator_id": 1,
        "created_ts": NOW,
        "updated_ts": NOW,
        "pinned": False,
        "visibility": "PUBLIC",
        "tags": tags,
        "tag_paths": tag_paths(tags),
        "has_link": False,
        "has_task_list": False,
        "has_code": False,
        "has_incomplete_tasks": False,
        **fields,
    }


ITEMS = [
    _memo(1, "Hello world", pinned=True, tags=["book"]),
    _memo(2, "Привет Мир", creator_id=2, visibility="PRIVATE", tags=["book/fiction", "project"]),
    _memo(3, "Unicode test: 你好世界 🌍", creator_id=3, visibility="PROTECTED", tags=["work"]),
    _memo(4, "Recent news", tags=["personal/fun", "archive/project", "archive/homelab/x"]),
    _memo(5, "tasks", visibility="PRIVATE", has_task_list=True, has_incomplete_tasks=True),
    _memo(6, "done", has_task_list=True, has_link=True, tags=["project/bug", "important"]),
    _memo(
        7, "snippet", has_code=True, tags=["work/debug", "work/todo-list"], created_ts=NOW - 7200
    ),
    _memo(8, "old", created_ts=NOW - 100_000, updated_ts=NOW - 90_000, tags=["project/todo"]),
    _memo(9, "pinned important", pinned=True, visibility="PUBLIC", tags=["important"]),
    _memo(10, "bookshelf", tags=["bookshelf", "Book"], updated_ts=NOW + 7200),
    _memo(12, "odd tags", tags=["/root", "a//b", "book/"]),
    # An item written without the optional attributes: missing flags are false, tags empty.
    {"pk": PARTITION, "sk": "MEMO#011", "content": "sparse", "creator_id": 2},
]
EXAMPLE_FILTERS = [
    "creator_id == 1",
    "creator_id != 1",
    "creator_id in [1, 2]",
    'visibility == "PUBLIC"',
    'visibility in ["PUBLIC", "PRIVATE"]',
    'visibility != "PUBLIC"',
    '!(visibility == "PUBLIC")',
    "pinned",
    "pinned == true",
    "!pinned",
    "pinned == false",
    'content.contains("hello")',
    'content.contains("привет")',
    'content.contains("你好")',
    '!content.contains("Recent")',
    'tag in ["book"]',
    'tag in ["work", "personal"]',
    '"project" in tags',
    "size(tags) == 0",
    "size(tags) > 1",
    'tags.exists(t, t.startsWith("archive"))',
    '!tags.exists(t, t.startsWith("archive"))',
    'tags.exists(t, t.startsWith("archive/homelab"))',
    'tags.exists(t, t.endsWith("bug"))',
    'tags.exists(t, t.contains("todo"))',
    "has_task_list && has_incomplete_tasks",
    "has_link || has_code",
    "has_task_list && !has_link",
    "created_ts >= now() - 86400",
    "created_ts >= now() - 60 * 60",
    "created_ts >= 1704067200 && created_ts < 1704153600",
    "updated_ts > now() + 3600",
    '(pinned || tag in ["important"]) && visibility == "PUBLIC"',
    "!(pinned || has_task_list)",
    "true",
    "false",
]
EDGE_FILTERS = [
    "has_link == false",
    "has_task_list != true",
    '!(tag in ["book"])',
    '!("project" in tags)',
    "size(tags) != 2",
    "size(tags) < 1",
    'content < "Q"',
    'tag in ["a/", "book"]',
    'tag in [""]',
    '"book/" in tags',
    "creator_id == 2 && !pinned",
    'creator_id == 1 && tag in ["work"] && content.contains("snip") && has_code',
]


def _query(stores: Stores, expression: Expression | None) -> list[dict[str, Any]]:
    names = {"#qpk": "pk"}
    values: dict[str, Any] = {":qpk": PARTITION}
    arguments: dict[str, Any] = {
        "TableName": stores.table.name,
        "KeyConditionExpression": "#qpk = :qpk",
    }
    if expression is not None:
        names |= expression.names
        values |= expression.values
        arguments["FilterExpression"] = expression.text
    arguments["ExpressionAttributeNames"] = names
    arguments["ExpressionAttributeValues"] = {key: serialize(v) for key, v in values.items()}
    items: list[dict[str, Any]] = []
    while True:
        response = stores.table.client.query(**arguments)
        items += [from_item(item) for item in response.get("Items", [])]
        if "LastEvaluatedKey" not in response:
            return items
        arguments["ExclusiveStartKey"] = response["LastEvaluatedKey"]


def _keys(items: list[dict[str, Any]], node: Node | None = None) -> list[str]:
    return sorted(item["sk"] for item in items if node is None or evaluate(node, item))


@pytest.fixture
def memo_partition(stores: Stores) -> Stores:
    for item in ITEMS:
        stores.table.put(item)
    return stores


@pytest.mark.parametrize("filter_text", EXAMPLE_FILTERS + EDGE_FILTERS)
def test_dynamodb_and_evaluate_agree(memo_partition: Stores, filter_text: str) -> None:
    # Given the filter split into a FilterExpression and a residual
    node = compile_memo_filter(filter_text, now=NOW)
    expression, residual = split_for_dynamodb(node, ATTRIBUTES)
    left_over = conjuncts(residual) if residual is not None else ()
    translated = all_of(item for item in conjuncts(node) if item not in left_over)
    # When DynamoDB answers the query with the expression
    answer = _query(memo_partition, expression)
    # Then it returns exactly the items the translated part matches in Python
    assert _keys(answer) == _keys(ITEMS, translated)
    # And with the residual applied, exactly the items the whole filter matches
    assert _keys(answer, residual) == _keys(ITEMS, node)


def test_most_example_filters_are_decided_by_dynamodb_alone() -> None:
    # Only text search and tag patterns need Python
    needs_python = [
        text
        for text in EXAMPLE_FILTERS
        if split_for_dynamodb(compile_memo_filter(text, now=NOW), ATTRIBUTES)[1] is not None
    ]
    assert all(
        "contains(" in text or "tags.exists" in text or text == "false" for text in needs_python
    )
