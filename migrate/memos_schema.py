"""Memos v0.26.2's SQLite schema, as the export writes it and the import expects it.

The tables, columns, constraints and defaults of a fresh Memos v0.26.2 database (spec
``sqlite-import-export.md`` §1-2), in its column order: Memos' later migrations alter these exact
tables, so an exported file must have them as Memos would have created them. The schema version
Memos records for this layout is ``0.26.5`` (the last 0.26 migration), not the app's 0.26.2.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    import sqlite3

SCHEMA_VERSION: Final = "0.26.5"
MEMOS_VERSION: Final = "0.26.2"

_NOW: Final = "DEFAULT (strftime('%s', 'now'))"
_ROW_STATUS: Final = (
    "row_status TEXT NOT NULL CHECK (row_status IN ('NORMAL', 'ARCHIVED')) DEFAULT 'NORMAL'"
)

# Table name -> its column and constraint clauses, in Memos' order.
TABLES: Final[dict[str, tuple[str, ...]]] = {
    "system_setting": (
        "name TEXT NOT NULL",
        "value TEXT NOT NULL",
        "description TEXT NOT NULL DEFAULT ''",
        "UNIQUE(name)",
    ),
    "user": (
        "id INTEGER PRIMARY KEY AUTOINCREMENT",
        f"created_ts BIGINT NOT NULL {_NOW}",
        f"updated_ts BIGINT NOT NULL {_NOW}",
        _ROW_STATUS,
        "username TEXT NOT NULL UNIQUE",
        "role TEXT NOT NULL DEFAULT 'USER'",
        "email TEXT NOT NULL DEFAULT ''",
        "nickname TEXT NOT NULL DEFAULT ''",
        "password_hash TEXT NOT NULL",
        "avatar_url TEXT NOT NULL DEFAULT ''",
        "description TEXT NOT NULL DEFAULT ''",
    ),
    "user_setting": (
        "user_id INTEGER NOT NULL",
        "key TEXT NOT NULL",
        "value TEXT NOT NULL",
        "UNIQUE(user_id, key)",
    ),
    "memo": (
        "id INTEGER PRIMARY KEY AUTOINCREMENT",
        "uid TEXT NOT NULL UNIQUE",
        "creator_id INTEGER NOT NULL",
        f"created_ts BIGINT NOT NULL {_NOW}",
        f"updated_ts BIGINT NOT NULL {_NOW}",
        _ROW_STATUS,
        "content TEXT NOT NULL DEFAULT ''",
        "visibility TEXT NOT NULL CHECK (visibility IN ('PUBLIC', 'PROTECTED', 'PRIVATE')) "
        "DEFAULT 'PRIVATE'",
        "pinned INTEGER NOT NULL CHECK (pinned IN (0, 1)) DEFAULT 0",
        "payload TEXT NOT NULL DEFAULT '{}'",
    ),
    "memo_relation": (
        "memo_id INTEGER NOT NULL",
        "related_memo_id INTEGER NOT NULL",
        "type TEXT NOT NULL",
        "UNIQUE(memo_id, related_memo_id, type)",
    ),
    "attachment": (
        "id INTEGER PRIMARY KEY AUTOINCREMENT",
        "uid TEXT NOT NULL UNIQUE",
        "creator_id INTEGER NOT NULL",
        f"created_ts BIGINT NOT NULL {_NOW}",
        f"updated_ts BIGINT NOT NULL {_NOW}",
        "filename TEXT NOT NULL DEFAULT ''",
        "blob BLOB DEFAULT NULL",
        "type TEXT NOT NULL DEFAULT ''",
        "size INTEGER NOT NULL DEFAULT 0",
        "memo_id INTEGER",
        "storage_type TEXT NOT NULL DEFAULT ''",
        "reference TEXT NOT NULL DEFAULT ''",
        "payload TEXT NOT NULL DEFAULT '{}'",
    ),
    "activity": (
        "id INTEGER PRIMARY KEY AUTOINCREMENT",
        "creator_id INTEGER NOT NULL",
        f"created_ts BIGINT NOT NULL {_NOW}",
        "type TEXT NOT NULL DEFAULT ''",
        "level TEXT NOT NULL CHECK (level IN ('INFO', 'WARN', 'ERROR')) DEFAULT 'INFO'",
        "payload TEXT NOT NULL DEFAULT '{}'",
    ),
    "idp": (
        "id INTEGER PRIMARY KEY AUTOINCREMENT",
        "name TEXT NOT NULL",
        "type TEXT NOT NULL",
        "identifier_filter TEXT NOT NULL DEFAULT ''",
        "config TEXT NOT NULL DEFAULT '{}'",
    ),
    "inbox": (
        "id INTEGER PRIMARY KEY AUTOINCREMENT",
        f"created_ts BIGINT NOT NULL {_NOW}",
        "sender_id INTEGER NOT NULL",
        "receiver_id INTEGER NOT NULL",
        "status TEXT NOT NULL",
        "message TEXT NOT NULL DEFAULT '{}'",
    ),
    "reaction": (
        "id INTEGER PRIMARY KEY AUTOINCREMENT",
        f"created_ts BIGINT NOT NULL {_NOW}",
        "creator_id INTEGER NOT NULL",
        "content_id TEXT NOT NULL",
        "reaction_type TEXT NOT NULL",
        "UNIQUE(creator_id, content_id, reaction_type)",
    ),
}


def create_table_statement(name: str) -> str:
    clauses = ",\n  ".join(TABLES[name])
    return f"CREATE TABLE {name} (\n  {clauses}\n)"


def create_schema(connection: sqlite3.Connection) -> None:
    """Create every table of the schema in an empty database."""
    for name in TABLES:
        connection.execute(create_table_statement(name))
