"""Importing is safe to repeat: a second run changes nothing, a stopped run resumes, and rows
the target already holds differently are reported, never overwritten."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from functions.memo.writing import MemoDraft, MemoWriter
from memos.store.users import NewUser
from migrate.report import Outcome
from migrate.source import MemosDatabase, UnsupportedDatabaseError
from tests.integration.migrate.conftest import run_import
from tests.integration.migrate.memos_fixture import build_memos_database
from tests.integration.migrate.table_contents import table_items

if TYPE_CHECKING:
    from pathlib import Path

    from memos.store import Stores
    from tests.integration.migrate.conftest import Imported


def test_a_second_import_changes_and_duplicates_nothing(
    imported: Imported, memos_db: Path, data_dir: Path
) -> None:
    # Given an instance imported once
    before = table_items(imported.stores)

    # When the same file is imported again
    again = run_import(imported.stores, memos_db, data_dir)

    # Then nothing is written: every row is skipped and the table is item for item the same
    assert sum(tally.imported for tally in again.tallies.values()) == 0
    assert again.conflicts == 0 and again.errors == 0, again.notes
    assert again.count("memos", Outcome.SKIPPED) == 5
    assert table_items(imported.stores) == before


def test_an_interrupted_import_resumes_where_it_stopped(
    stores: Stores, memos_db: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given an import stopped (as by Ctrl-C) while writing the third memo
    create = MemoWriter.create
    calls: list[str] = []

    def stop_at_the_third(self: MemoWriter, *args: object, **kwargs: object) -> object:
        calls.append("memo")
        if len(calls) == 3:
            raise KeyboardInterrupt
        return create(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(MemoWriter, "create", stop_at_the_third)
    with pytest.raises(KeyboardInterrupt):
        run_import(stores, memos_db, data_dir)
    monkeypatch.setattr(MemoWriter, "create", create)
    # (the ids the stopped run was about to keep are already out of the API's reach)
    assert stores.counters.current("memos") >= 5

    # When it is run again
    resumed = run_import(stores, memos_db, data_dir)

    # Then the two memos already written are skipped, the rest imported, and stats are whole
    assert resumed.errors == 0 and resumed.conflicts == 0, resumed.notes
    assert resumed.count("memos", Outcome.SKIPPED) == 2
    assert resumed.count("memos", Outcome.IMPORTED) == 3
    assert resumed.count("users", Outcome.SKIPPED) == 3
    alice = stores.user_stats.get(1)
    assert sum(stats.total for stats in alice) == 2
    assert stores.memo_extras.get("fixture-pinned").reactions[0].reaction_type == "👍"


def test_a_user_id_taken_in_the_target_is_a_conflict_and_is_left_alone(
    stores: Stores, memos_db: Path, data_dir: Path
) -> None:
    # Given a target where user 1 is already someone else
    dave = stores.users.create(NewUser(username="dave", password_hash="dave's hash"))
    assert dave.id == 1

    # When the fixture (whose user 1 is alice) is imported
    report = run_import(stores, memos_db, data_dir)

    # Then alice is reported as a conflict and dave is untouched; alice's memos stay out,
    # bob and his memos come in
    assert report.count("users", Outcome.CONFLICT) == 1
    assert any("user 1 (alice)" in note and "'dave'" in note for note in report.notes)
    kept = stores.users.get(1)
    assert kept is not None and kept.username == "dave"
    assert kept.password_hash == "dave's hash"
    assert stores.users.get_by_username("alice") is None
    assert stores.memos.get("fixture-pinned") is None
    assert stores.memos.get("fixture-located") is not None
    assert report.count("memos", Outcome.SKIPPED) >= 3


def test_a_memo_uid_taken_in_the_target_is_a_conflict(
    stores: Stores, memos_db: Path, data_dir: Path
) -> None:
    # Given the fixture imported, then memo 4 deleted and its uid reused by another memo
    run_import(stores, memos_db, data_dir)
    writer = MemoWriter(stores)
    original = stores.memos.get("fixture-located")
    assert original is not None
    writer.delete(original)
    writer.create(1, "fixture-located", MemoDraft("someone else's", "PRIVATE", 1, 1))

    # When the file is imported again
    report = run_import(stores, memos_db, data_dir)

    # Then the memo is a conflict naming the row, and the target's memo is kept
    assert report.count("memos", Outcome.CONFLICT) == 1
    assert any(
        note.startswith("conflict: memos: memo 4 (fixture-located)") for note in report.notes
    )
    kept = stores.memos.get("fixture-located")
    assert kept is not None and kept.content == "someone else's"


def test_a_dry_run_reports_what_it_would_do_and_writes_nothing(
    stores: Stores, memos_db: Path, data_dir: Path
) -> None:
    # Given an empty target / When the fixture is imported as a dry run
    report = run_import(stores, memos_db, data_dir, dry_run=True)

    # Then the report counts the rows and the table stays empty
    assert report.count("users", Outcome.IMPORTED) == 3
    assert report.count("memos", Outcome.IMPORTED) == 5
    assert report.errors == 0
    assert table_items(stores) == {}


def test_another_schema_version_is_refused_naming_both_versions(tmp_path: Path) -> None:
    # Given a database of an older Memos
    path = build_memos_database(
        tmp_path,
        extra_sql="UPDATE system_setting SET value = "
        "'{\"schemaVersion\":\"0.25.1\"}' WHERE name = 'BASIC';",
    )

    # When it is opened for import / Then it is refused, naming the found and supported version
    with MemosDatabase(path) as source, pytest.raises(UnsupportedDatabaseError) as refused:
        source.check_version()
    assert "0.25.1" in str(refused.value)
    assert "0.26.5" in str(refused.value)


def test_a_missing_local_file_is_an_error_naming_the_row(
    stores: Stores, memos_db: Path, data_dir: Path
) -> None:
    # Given the fixture whose LOCAL attachment's file is gone
    for path in (data_dir / "assets").iterdir():
        path.unlink()

    # When it is imported
    report = run_import(stores, memos_db, data_dir)

    # Then that attachment is an error naming it and its file, and the rest is imported
    assert report.count("attachments", Outcome.ERROR) == 1
    assert any(
        "attachment 2 (fixture-att-local, notes.md)" in note and "file is missing" in note
        for note in report.notes
    )
    assert report.count("attachments", Outcome.IMPORTED) == 2
