"""``memos-serverless import`` and ``export`` as a person runs them: summary and exit status."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

import pytest

from devserver.cli import main
from memos.store.users import NewUser
from tests.integration.migrate.memos_fixture import build_memos_database

if TYPE_CHECKING:
    from pathlib import Path

    from memos.store import Stores


def _target(stores: Stores) -> list[str]:
    return ["--table", stores.table.name, "--bucket", stores.blobs.bucket]


def test_import_prints_a_summary_and_succeeds(
    stores: Stores, memos_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given the fixture database next to its data directory
    # When it is imported from the command line into the table and bucket named
    status = main(["import", str(memos_db), *_target(stores)])

    # Then it exits 0 and prints the tally per kind
    out = capsys.readouterr().out
    assert status == 0
    assert "memos" in out and "imported" in out
    assert stores.memos.get("fixture-pinned") is not None


def test_a_dry_run_from_the_command_line_writes_nothing(
    stores: Stores, memos_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given the fixture / When it is imported with --dry-run
    status = main(["import", str(memos_db), "--dry-run", *_target(stores)])

    # Then it exits 0, says it was a dry run, and nothing is stored
    assert status == 0
    assert "dry run" in capsys.readouterr().err
    assert stores.users.count() == 0


def test_conflicts_make_the_import_fail_naming_the_rows(
    stores: Stores, memos_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a target whose user 1 is someone else
    stores.users.create(NewUser(username="dave"))

    # When the fixture is imported
    status = main(["import", str(memos_db), *_target(stores)])

    # Then it exits 1, naming alice's row
    err = capsys.readouterr().err
    assert status == 1
    assert "user 1 (alice)" in err


def test_an_unsupported_database_is_refused_before_anything_is_written(
    stores: Stores, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a Memos database of another schema version
    path = build_memos_database(
        tmp_path, extra_sql="UPDATE system_setting SET value = '{}' WHERE name = 'BASIC';"
    )

    # When it is imported / Then the command fails with 2, naming the supported version
    assert main(["import", str(path), *_target(stores)]) == 2
    assert "0.26.5" in capsys.readouterr().err
    assert stores.users.count() == 0


def test_export_writes_a_database_from_the_command_line(
    stores: Stores, memos_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given an imported instance
    assert main(["import", str(memos_db), *_target(stores)]) == 0

    # When it is exported, then exported again to the same file
    out = tmp_path / "out.db"
    first = main(["export", str(out), "--attachments-in-db", *_target(stores)])
    second = main(["export", str(out), *_target(stores)])

    # Then the first writes the memos, the second refuses to overwrite
    assert first == 0
    assert second == 2
    assert "written" in capsys.readouterr().out
    assert sqlite3.connect(out).execute("SELECT COUNT(*) FROM memo").fetchone() == (5,)


def test_without_a_target_the_local_servers_saved_data_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a local data directory for make serve, and no AWS endpoint configured
    monkeypatch.setenv("MEMOS_LOCAL_DATA_DIR", str(tmp_path / "local-data"))
    for name in ("MEMOS_DYNAMODB_ENDPOINT", "MEMOS_S3_ENDPOINT", "MEMOS_TABLE_NAME"):
        monkeypatch.delenv(name, raising=False)
    memos_db = build_memos_database(tmp_path / "memos")

    # When the fixture is imported, then (in another run) exported, both without a target
    imported = main(["import", str(memos_db)])
    # (each command is its own process; here, forget the first one's emulated S3 address)
    monkeypatch.delenv("MEMOS_S3_ENDPOINT", raising=False)
    out = tmp_path / "out.db"
    exported = main(["export", str(out)])

    # Then the import was saved where make serve loads it, and the export read it back
    assert (imported, exported) == (0, 0), capsys.readouterr().err
    assert list((tmp_path / "local-data" / "dynamodb").glob("*.jsonl"))
    assert sqlite3.connect(out).execute("SELECT COUNT(*) FROM memo").fetchone() == (5,)
    blob = sqlite3.connect(out).execute("SELECT blob FROM attachment WHERE id = 1").fetchone()
    assert blob == (b"Hello\n",)
