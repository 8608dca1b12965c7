"""Reading a Memos v0.26.2 SQLite database, one row at a time.

The file is opened read-only and every table is read through a cursor, so memory does not grow
with the size of the instance. Columns are read by name (upgraded databases may order them
differently). References between rows are resolved in SQL (a memo's parent uid, an attachment's
memo uid, an activity's memo uids), so the import never keeps an id map of its own.
"""

from __future__ import annotations

import json
import sqlite3
from itertools import islice
from typing import TYPE_CHECKING, Any

from migrate.memos_schema import MEMOS_VERSION, SCHEMA_VERSION

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

Row = sqlite3.Row


class UnsupportedDatabaseError(Exception):
    """The file is not a Memos database this tool reads."""


class MemosDatabase:
    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise UnsupportedDatabaseError(f"{path}: no such file")
        self.path = path
        self._connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        self._connection.row_factory = sqlite3.Row

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> MemosDatabase:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # Version ------------------------------------------------------------------------------

    def schema_version(self) -> str:
        """The ``schemaVersion`` of the BASIC setting ("" when there is none)."""
        try:
            row = self._connection.execute(
                "SELECT value FROM system_setting WHERE name = 'BASIC'"
            ).fetchone()
        except sqlite3.DatabaseError as error:
            raise UnsupportedDatabaseError(f"{self.path}: not a Memos database ({error})") from None
        if row is None:
            return ""
        try:
            basic = json.loads(row["value"] or "{}")
        except json.JSONDecodeError:
            return ""
        return str(basic.get("schemaVersion", "")) if isinstance(basic, dict) else ""

    def check_version(self) -> None:
        """Refuse anything but the schema of Memos v0.26.2, naming what was found."""
        tables = {
            str(row[0])
            for row in self._connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        if "memo" not in tables:
            raise UnsupportedDatabaseError(f"{self.path}: not a Memos database (no memo table)")
        found = self.schema_version()
        if found != SCHEMA_VERSION:
            raise UnsupportedDatabaseError(
                f"{self.path}: Memos schema version {found or '(none)'} found; only "
                f"{SCHEMA_VERSION} (Memos v{MEMOS_VERSION}) is supported. Start Memos "
                f"v{MEMOS_VERSION} on this file once to bring it to that version."
            )

    # Rows ---------------------------------------------------------------------------------

    def count(self, sql: str) -> int:
        return int(self._connection.execute(sql).fetchone()[0])

    def rows(self, sql: str, parameters: tuple[Any, ...] = ()) -> Iterator[Row]:
        cursor = self._connection.execute(sql, parameters)
        try:
            yield from cursor
        finally:
            cursor.close()

    def system_settings(self) -> Iterator[Row]:
        return self.rows("SELECT name, value FROM system_setting ORDER BY name")

    def users(self) -> Iterator[Row]:
        return self.rows("SELECT * FROM user ORDER BY id")

    def user_settings(self) -> Iterator[Row]:
        return self.rows("SELECT user_id, key, value FROM user_setting ORDER BY user_id, key")

    def identity_providers(self) -> Iterator[Row]:
        return self.rows("SELECT * FROM idp ORDER BY id")

    def memos(self) -> Iterator[Row]:
        """Every memo with the uid and id of its COMMENT parent (``parent_uid``,
        ``parent_id``; NULL for a top-level memo or a parent that is gone): top-level memos
        first, then comments, each by id, so a parent always comes before its comments."""
        return self.rows(
            "SELECT m.*, p.uid AS parent_uid, p.id AS parent_id FROM memo m "
            "LEFT JOIN memo p ON p.id = (SELECT MIN(r.related_memo_id) FROM memo_relation r "
            "WHERE r.memo_id = m.id AND r.type = 'COMMENT') "
            "ORDER BY p.id IS NOT NULL, m.id"
        )

    def references(self) -> Iterator[Row]:
        """REFERENCE relations between memos that both exist, as (source) ``uid``,
        ``source_id``, ``target_uid``, ``target_id``."""
        return self.rows(
            "SELECT a.uid AS uid, a.id AS source_id, b.uid AS target_uid, b.id AS target_id "
            "FROM memo_relation r JOIN memo a ON a.id = r.memo_id "
            "JOIN memo b ON b.id = r.related_memo_id "
            "WHERE r.type = 'REFERENCE' ORDER BY r.memo_id, r.related_memo_id"
        )

    def reactions(self) -> Iterator[Row]:
        """Reactions with the numeric id of their memo (``memo_id``, NULL when it is gone)."""
        return self.rows(
            "SELECT r.*, m.id AS memo_id, m.uid AS memo_uid FROM reaction r "
            "LEFT JOIN memo m ON 'memos/' || m.uid = r.content_id ORDER BY r.id"
        )

    def attachments(self) -> Iterator[Row]:
        """Attachments with their memo's uid (``memo_uid``, NULL when unlinked or gone)."""
        return self.rows(
            "SELECT a.*, m.uid AS memo_uid FROM attachment a "
            "LEFT JOIN memo m ON m.id = a.memo_id ORDER BY a.id"
        )

    def activities(self) -> Iterator[Row]:
        """Activities with the uids of the comment (``memo_uid``) and of the memo commented on
        (``related_memo_uid``), NULL where the memo is gone."""
        return self.rows(
            "SELECT a.*, c.uid AS memo_uid, p.uid AS related_memo_uid FROM activity a "
            "LEFT JOIN memo c ON c.id = json_extract(a.payload, '$.memoComment.memoId') "
            "LEFT JOIN memo p ON p.id = json_extract(a.payload, '$.memoComment.relatedMemoId') "
            "ORDER BY a.id"
        )

    def inbox(self) -> Iterator[Row]:
        return self.rows("SELECT * FROM inbox ORDER BY id")


def in_chunks(rows: Iterator[Row], size: int = 100) -> Iterator[list[Row]]:
    """Rows in lists of ``size`` (the last may be shorter): one batch read or write per list."""
    while chunk := list(islice(rows, size)):
        yield chunk


def json_value(text: str | None) -> dict[str, Any]:
    """A JSON column's object ({} for an empty or non-object value)."""
    if not text:
        return {}
    value = json.loads(text)
    return value if isinstance(value, dict) else {}
