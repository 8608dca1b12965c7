"""The table's file: every attribute type comes back as saved; a damaged file is refused."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from devserver import emulated_table
from devserver.snapshot_files import SnapshotError
from devserver.table_snapshot import load_table, read_table, save_table
from memos.store.clients import dynamodb_client_for, ensure_table

if TYPE_CHECKING:
    from collections.abc import Callable
    from contextlib import AbstractContextManager
    from pathlib import Path

    from memos.config import Settings

ITEMS: list[dict[str, Any]] = [
    {
        "pk": {"S": "USER#1"},
        "sk": {"S": "PROFILE"},
        "id": {"N": "1"},
        "avatar": {"B": b"\x00\x01\xff"},
        "flags": {"BOOL": True},
        "nothing": {"NULL": True},
        "tags": {"SS": ["a", "b"]},
        "sizes": {"NS": ["1", "2.5"]},
        "chunks": {"BS": [b"x", b"\x00"]},
        "extras": {"M": {"blob": {"B": b"\xfe"}, "list": {"L": [{"N": "3"}, {"S": "é"}]}}},
    },
    {"pk": {"S": "MEMO#abc"}, "sk": {"S": "MEMO"}, "content": {"S": "line 1\nline 2"}},
]


def write_file(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(line + "\n" for line in lines))


def header(items: int) -> str:
    return json.dumps({"format": "memos-serverless table snapshot", "version": 1, "items": items})


def test_items_of_every_attribute_type_come_back_as_saved(
    emulation: Callable[[], AbstractContextManager[Settings]], tmp_path: Path
) -> None:
    path = tmp_path / "table.jsonl"
    # Given a table holding items with every attribute type, saved to a file
    with emulation() as settings:
        client = dynamodb_client_for(settings)
        ensure_table(client, settings.table_name)
        for item in ITEMS:
            client.put_item(TableName=settings.table_name, Item=item)
        save_table(
            path, settings.table_name, emulated_table.item_lines("us-east-1", settings.table_name)
        )

    # When a new emulation's table is loaded from the file
    with emulation() as settings:
        client = dynamodb_client_for(settings)
        ensure_table(client, settings.table_name)
        loaded = load_table(path, "us-east-1", settings.table_name)

        # Then every item reads back exactly as it was written
        assert loaded == len(ITEMS)
        for item in ITEMS:
            key = {"pk": item["pk"], "sk": item["sk"]}
            assert client.get_item(TableName=settings.table_name, Key=key)["Item"] == item


def test_no_file_means_nothing_saved_yet(tmp_path: Path) -> None:
    assert read_table(tmp_path / "missing.jsonl") == []


@pytest.mark.parametrize(
    ("lines", "reason"),
    [
        ([header(2), '{"pk": {"S": "a"}, "sk": {"S": "b"}}'], "1 items where its header says 2"),
        ([header(1), '{"pk": {"S": "a"'], "line 2 is not JSON"),
        ([header(1), '{"pk": "a"}'], "line 2 is not an item in DynamoDB JSON"),
        (['{"pk": {"S": "a"}, "sk": {"S": "b"}}'], "not a table snapshot"),
        ([], "not a table snapshot"),
    ],
    ids=["cut short", "not json", "not dynamodb json", "no header", "empty"],
)
def test_a_damaged_file_is_refused_naming_it_and_the_way_out(
    tmp_path: Path, lines: list[str], reason: str
) -> None:
    # Given a table file damaged in some way
    path = tmp_path / "memos.jsonl"
    write_file(path, lines)

    # When it is read / Then it is refused, naming the file, what is wrong and how to move it
    with pytest.raises(SnapshotError) as refused:
        read_table(path)
    message = str(refused.value)
    assert reason in message
    assert f"mv '{path}' '{path}.broken'" in message


def test_an_item_the_table_refuses_stops_the_load(
    emulation: Callable[[], AbstractContextManager[Settings]], tmp_path: Path
) -> None:
    # Given a well-formed file whose item lacks the table's sort key
    path = tmp_path / "memos.jsonl"
    write_file(path, [header(1), '{"pk": {"S": "USER#1"}}'])

    with emulation() as settings:
        ensure_table(dynamodb_client_for(settings), settings.table_name)

        # When it is loaded / Then the load is refused naming the file
        with pytest.raises(SnapshotError, match="an item was refused"):
            load_table(path, "us-east-1", settings.table_name)
