"""Exporting to a Memos v0.26.2 database: its schema is Memos' own, and importing the export
gives back the same table."""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING, Any, cast

import pytest
from msgspec.structs import replace

from memos.config import Settings
from memos.store import stores_from_settings
from memos.store.clients import dynamodb_client_for
from memos.store.schema import create_table_arguments
from migrate.exporter import ExportOptions, export_database
from migrate.report import Outcome
from tests.integration.migrate.conftest import run_import
from tests.integration.migrate.memos_fixture import SCHEMA
from tests.integration.migrate.table_contents import table_items

if TYPE_CHECKING:
    from pathlib import Path

    from mypy_boto3_dynamodb.type_defs import CreateTableInputTypeDef

    from memos.store import Stores
    from tests.integration.migrate.conftest import Imported

# Attributes that say when or by which call an item was written, not what it holds.
_WRITE_MARKS = ("write_token", "sequence")


def _schema_of(connection: sqlite3.Connection) -> dict[str, Any]:
    tables = [
        str(row[0])
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'sqlite_sequence' "
            "ORDER BY name"
        )
    ]
    return {
        table: {
            "columns": connection.execute(f"PRAGMA table_info('{table}')").fetchall(),
            "indexes": sorted(
                (
                    bool(index[2]),
                    tuple(
                        column[2]
                        for column in connection.execute(f"PRAGMA index_info('{index[1]}')")
                    ),
                )
                for index in connection.execute(f"PRAGMA index_list('{table}')")
            ),
        }
        for table in tables
    }


def _comparable(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            name: _comparable(inner) for name, inner in value.items() if name not in _WRITE_MARKS
        }
    if isinstance(value, list):
        return [_comparable(inner) for inner in value]
    return value


def _settled(items: dict[tuple[str, str], Any]) -> dict[tuple[str, str], Any]:
    """The items without write marks, and without the write times of items an import stamps
    with its own clock (settings and webhooks, which Memos keeps without times)."""
    settled = {}
    for key, item in items.items():
        clean = _comparable(item)
        if clean.get("entity") in ("USER_SETTING", "INSTANCE_SETTING", "WEBHOOK"):
            clean.pop("updated_at", None)
            clean.pop("created_at", None)
        settled[key] = clean
    return settled


@pytest.fixture
def exported(imported: Imported, tmp_path: Path) -> Path:
    out = tmp_path / "export" / "memos_prod.db"
    out.parent.mkdir()
    export_database(imported.stores, out, ExportOptions())
    return out


@pytest.fixture
def fresh_stores(stores: Stores) -> Stores:
    """A second, empty table beside ``stores`` (same bucket)."""
    settings = replace(Settings.from_environ(), table_name="memos-roundtrip")
    client = dynamodb_client_for(settings)
    client.create_table(
        **cast("CreateTableInputTypeDef", create_table_arguments(settings.table_name))
    )
    return stores_from_settings(settings)


def test_the_export_has_memos_schema_exactly(exported: Path) -> None:
    # Given an export, and an empty database made from the spec's schema
    reference = sqlite3.connect(":memory:")
    reference.executescript(SCHEMA)
    export = sqlite3.connect(exported)

    # When both schemas are read back / Then tables, columns (types, defaults, keys) and
    # indexes are the same, and the version bookkeeping is Memos'
    assert _schema_of(export) == _schema_of(reference)
    basic = export.execute("SELECT value FROM system_setting WHERE name = 'BASIC'").fetchone()
    assert json.loads(basic[0]) == {"schemaVersion": "0.26.5"}
    assert export.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    tables = {row[0] for row in export.execute("SELECT name FROM sqlite_master")}
    assert "migration_history" not in tables


def test_the_export_holds_the_rows_memos_reads(exported: Path) -> None:
    # Given an export of the imported fixture
    export = sqlite3.connect(exported)

    # When it is queried the way Memos queries / Then the rows are there in Memos' shapes
    pat_owner = export.execute(
        "SELECT user_id FROM user_setting AS s, "
        "json_each(json_extract(s.value, '$.tokens')) AS token "
        "WHERE s.key = 'PERSONAL_ACCESS_TOKENS' AND json_extract(token.value, '$.tokenHash') = "
        "'5d4f1c3c0431270dc2ad48fcfa77cc2fb813756676e16a22d988b7ad3fc8c732'"
    ).fetchone()
    assert pat_owner == (1,)
    assert export.execute(
        "SELECT related_memo_id FROM memo_relation WHERE memo_id = 5 AND type = 'COMMENT'"
    ).fetchone() == (1,)
    tagged = export.execute(
        "SELECT uid FROM memo WHERE json_extract(payload, '$.tags') LIKE '%\"work/meeting\"%'"
    ).fetchall()
    assert tagged == [("fixture-tagged",)]
    assert export.execute("SELECT blob, memo_id FROM attachment WHERE id = 1").fetchone() == (
        b"Hello\n",
        1,
    )
    assert json.loads(
        export.execute("SELECT payload FROM activity WHERE id = 1").fetchone()[0]
    ) == {"memoComment": {"memoId": 5, "relatedMemoId": 1}}
    assert export.execute(
        "SELECT receiver_id FROM inbox WHERE json_extract(message, '$.type') = 'MEMO_COMMENT' "
        "AND status = 'UNREAD'"
    ).fetchall() == [(1,)]
    assert export.execute("SELECT content_id FROM reaction").fetchall() == [
        ("memos/fixture-pinned",)
    ]
    assert dict(export.execute("SELECT name, seq FROM sqlite_sequence").fetchall())["memo"] == 5


def test_importing_the_export_gives_back_the_same_table(
    imported: Imported, exported: Path, fresh_stores: Stores, tmp_path: Path
) -> None:
    # Given the fixture imported into one table and exported
    # When the export is imported into a fresh table
    report = run_import(fresh_stores, exported, tmp_path)

    # Then both tables hold the same items, item by item
    assert report.errors == 0 and report.conflicts == 0, report.notes
    assert report.count("memos", Outcome.IMPORTED) == 5
    first = _settled(table_items(imported.stores))
    second = _settled(table_items(fresh_stores))
    assert first.keys() == second.keys()
    for key in first:
        assert second[key] == first[key], key


def test_attachments_can_be_exported_as_files(imported: Imported, tmp_path: Path) -> None:
    # Given the imported fixture / When it is exported with its attachments as files
    out = tmp_path / "data" / "memos_prod.db"
    out.parent.mkdir()
    export_database(imported.stores, out, ExportOptions(attachments_dir=out.parent))

    # Then the rows are LOCAL, relative to the data directory, and the files hold the bytes
    export = sqlite3.connect(out)
    storage_type, reference, blob = export.execute(
        "SELECT storage_type, reference, blob FROM attachment WHERE uid = 'fixture-att-db'"
    ).fetchone()
    assert (storage_type, blob) == ("LOCAL", None)
    assert (out.parent / reference).read_bytes() == b"Hello\n"


def test_an_existing_file_is_never_overwritten(imported: Imported, exported: Path) -> None:
    # Given an export on disk / When another export targets the same file / Then it is refused
    before = exported.read_bytes()
    with pytest.raises(FileExistsError):
        export_database(imported.stores, exported, ExportOptions())
    assert exported.read_bytes() == before


def test_the_export_report_counts_the_rows_written(imported: Imported, tmp_path: Path) -> None:
    # Given the imported fixture / When it is exported
    report = export_database(imported.stores, tmp_path / "counted.db", ExportOptions())

    # Then the report counts Memos' rows, not the table's bookkeeping items
    written = {kind: report.count(kind, Outcome.IMPORTED) for kind in report.tallies}
    assert written == {
        "table items": 0,
        "instance settings": 4,
        "identity providers": 1,
        "users": 3,
        "user settings": 1,
        "access tokens": 1,
        "webhooks": 1,
        "shortcuts": 1,
        "memos": 5,
        "reactions": 1,
        "attachments": 3,
        "activities": 1,
        "inbox": 2,
        "relations": 2,
    }
