"""Every item of the test table, read with Scan (the export's way; tests only)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from memos.store.codec import from_item

if TYPE_CHECKING:
    from memos.store import Stores


def table_items(stores: Stores, *, drop: tuple[str, ...] = ()) -> dict[tuple[str, str], Any]:
    """Every item by (pk, sk), without the attributes named in ``drop``."""
    items: dict[tuple[str, str], Any] = {}
    arguments: dict[str, Any] = {"TableName": stores.table.name}
    while True:
        page = stores.table.client.scan(**arguments)
        for raw in page.get("Items", []):
            item = from_item(raw)
            items[(str(item["pk"]), str(item["sk"]))] = {
                name: value for name, value in item.items() if name not in drop
            }
        if "LastEvaluatedKey" not in page:
            return items
        arguments["ExclusiveStartKey"] = page["LastEvaluatedKey"]
