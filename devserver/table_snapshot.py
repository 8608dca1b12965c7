"""The emulated table in one file: a header line, then one item per line in DynamoDB JSON.

The header names the format and the item count, so a file cut short is refused instead of
loaded as a table missing its last items.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Final

from devserver import emulated_table
from devserver.snapshot_files import SnapshotError, replaced_atomically

if TYPE_CHECKING:
    from pathlib import Path

FORMAT: Final = "memos-serverless table snapshot"
VERSION: Final = 1
_VALUE_TYPES: Final = frozenset({"S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"})


def table_file(data_dir: Path, table_name: str) -> Path:
    return data_dir / "dynamodb" / f"{table_name}.jsonl"


def save_table(path: Path, table_name: str, lines: list[str]) -> None:
    """Write ``lines`` (from :func:`devserver.emulated_table.item_lines`) as the table's file."""
    header = {"format": FORMAT, "version": VERSION, "table": table_name, "items": len(lines)}
    with replaced_atomically(path) as file:
        file.write(json.dumps(header).encode() + b"\n")
        for line in lines:
            file.write(line.encode() + b"\n")


def read_table(path: Path) -> list[dict[str, Any]]:
    """The items saved in ``path``; [] when there is no such file (nothing saved yet).

    Raises :class:`SnapshotError` when the file is unreadable, cut short or not an item list.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as error:
        raise SnapshotError(path, f"unreadable ({error})") from error
    lines = text.splitlines()
    header = _parsed(path, lines[0], 1) if lines else None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise SnapshotError(path, "not a table snapshot (its first line is not the header)")
    if header.get("version") != VERSION:
        raise SnapshotError(path, f"snapshot version {header.get('version')!r}, not {VERSION}")
    items = [_item(path, line, number) for number, line in enumerate(lines[1:], start=2)]
    if len(items) != header.get("items"):
        raise SnapshotError(
            path, f"{len(items)} items where its header says {header.get('items')}: cut short?"
        )
    return items


def load_table(path: Path, region: str, table_name: str) -> int:
    """Put the items saved in ``path`` into the (existing, emulated) table; how many."""
    items = read_table(path)
    try:
        emulated_table.put_items(region, table_name, items)
    except Exception as error:  # moto's refusal of an item: a key missing or of the wrong type
        raise SnapshotError(path, f"an item was refused ({error})") from error
    return len(items)


def _parsed(path: Path, line: str, number: int) -> Any:
    try:
        return json.loads(line)
    except json.JSONDecodeError as error:
        raise SnapshotError(path, f"line {number} is not JSON ({error.msg})") from error


def _item(path: Path, line: str, number: int) -> dict[str, Any]:
    item = _parsed(path, line, number)
    if not isinstance(item, dict) or not item or not all(_is_value(v) for v in item.values()):
        raise SnapshotError(path, f"line {number} is not an item in DynamoDB JSON")
    return item


def _is_value(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1 and next(iter(value)) in _VALUE_TYPES
