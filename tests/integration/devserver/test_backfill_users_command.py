"""``memos-serverless backfill-users`` on a table whose users were stored before the user
directory and the look-alike guards existed: on a named table and on the local server's data."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from devserver.cli import main
from devserver.emulated_table import item_lines
from devserver.local_data import local_data_offline
from functions.user.directory import search_users
from memos.config import Settings
from memos.domain.user_validation import fold_username
from memos.errors import AlreadyExistsError
from memos.store import keys
from memos.store.table import Expression
from memos.store.users import DIRECTORY_BLOCK_SIZE, NewUser
from migrate.target import Target, target_stores
from tests.integration.conftest import TEST_REGION

if TYPE_CHECKING:
    from pathlib import Path

    from memos.store import Stores
    from memos.store.users import User


def _store_old_user(stores: Stores, username: str, display_name: str) -> User:
    """A user as an older version stored it: no directory entry, no folded guard."""
    user = stores.users.create(NewUser(username=username, display_name=display_name))
    stores.table.update(
        keys.user_directory_key(user.id // DIRECTORY_BLOCK_SIZE),
        Expression("REMOVE #entry", {"#entry": f"u{user.id}"}),
    )
    stores.table.delete(keys.folded_username_key(fold_username(username)))
    return user


def _found(stores: Stores, text: str) -> list[str]:
    """The usernames SearchUsers answers an anonymous search for ``text`` with."""
    return [user.username for user in search_users(stores.users, text, signed_in=False)]


def _look_alike_refused(stores: Stores, username: str) -> bool:
    try:
        stores.users.create(NewUser(username=username))
    except AlreadyExistsError:
        return True
    return False


@pytest.fixture
def old_users(moto_stores: Stores) -> Stores:
    """Alice (Alice Liddell) and Bob (Bobby Alison), stored by an older version."""
    _store_old_user(moto_stores, "Alice", "Alice Liddell")
    _store_old_user(moto_stores, "Bob", "Bobby Alison")
    return moto_stores


def test_the_backfill_makes_old_users_searchable_and_their_look_alikes_refused(
    old_users: Stores, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given two users stored before the directory and the guards, not found by a substring
    assert _found(old_users, "ali") == []

    # When the table is backfilled by name
    status = main(["backfill-users", "--table", old_users.table.name])

    # Then both are counted, found by substring, and a look-alike of each is refused
    out = capsys.readouterr().out
    assert status == 0
    assert "directory entries: added 2" in out
    assert "look-alike guards: added 2" in out
    assert _found(old_users, "ali") == ["Bob", "Alice"]
    assert _look_alike_refused(old_users, "alice")
    assert _look_alike_refused(old_users, "BOB")


def test_a_second_backfill_changes_nothing(
    old_users: Stores, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a backfilled table
    assert main(["backfill-users", "--table", old_users.table.name]) == 0
    before = item_lines(TEST_REGION, old_users.table.name)
    capsys.readouterr()

    # When it is backfilled again
    status = main(["backfill-users", "--table", old_users.table.name])

    # Then nothing was missing and no item changed
    out = capsys.readouterr().out
    assert status == 0
    assert "directory entries: added 0" in out
    assert "look-alike guards: added 0" in out
    assert item_lines(TEST_REGION, old_users.table.name) == before


def test_a_dry_run_counts_what_is_missing_and_writes_nothing(
    old_users: Stores, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given two users stored before the directory and the guards
    before = item_lines(TEST_REGION, old_users.table.name)

    # When the backfill runs dry
    status = main(["backfill-users", "--dry-run", "--table", old_users.table.name])

    # Then it counts both, and the table is as it was: still no substring match
    captured = capsys.readouterr()
    assert status == 0
    assert "dry run" in captured.err
    assert "directory entries: would add 2" in captured.out
    assert "look-alike guards: would add 2" in captured.out
    assert item_lines(TEST_REGION, old_users.table.name) == before
    assert _found(old_users, "ali") == []


def test_look_alikes_stored_by_an_older_version_are_named(
    moto_stores: Stores, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given "Dan" and, later, "dan", both stored before the guards existed
    older = _store_old_user(moto_stores, "Dan", "")
    _store_old_user(moto_stores, "dan", "")

    # When the table is backfilled
    status = main(["backfill-users", "--table", moto_stores.table.name])

    # Then the newer holds the guard and the older is named, to be renamed by hand
    captured = capsys.readouterr()
    assert status == 0
    assert "look-alike guards: added 1" in captured.out
    assert f"user {older.id} (Dan): a look-alike username holds the guard" in captured.err


def test_without_a_target_the_local_servers_saved_data_is_backfilled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given saved local data holding a user stored by an older version
    monkeypatch.setenv("MEMOS_LOCAL_DATA_DIR", str(tmp_path / "local-data"))
    for name in ("MEMOS_DYNAMODB_ENDPOINT", "MEMOS_S3_ENDPOINT", "MEMOS_TABLE_NAME"):
        monkeypatch.delenv(name, raising=False)
    with local_data_offline(Settings.from_environ()) as local:
        _store_old_user(
            target_stores(Target(local.table_name, local.bucket_name), local), "Alice", ""
        )
    # (each command is its own process; forget this one's emulated S3 address)
    monkeypatch.delenv("MEMOS_S3_ENDPOINT", raising=False)

    # When it is backfilled without naming a table
    status = main(["backfill-users"])
    monkeypatch.delenv("MEMOS_S3_ENDPOINT", raising=False)

    # Then the saved data holds the entry and the guard
    assert status == 0, capsys.readouterr().err
    with local_data_offline(Settings.from_environ()) as local:
        stores = target_stores(Target(local.table_name, local.bucket_name), local)
        assert _found(stores, "lic") == ["Alice"]
        assert _look_alike_refused(stores, "ALICE")


def test_a_table_and_a_stack_together_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    # Given / When both a table and a stack are named
    with pytest.raises(SystemExit) as exited:
        main(["backfill-users", "--table", "t", "--stack", "Memos-prod-Data"])

    # Then the command stops before doing anything, saying why
    assert exited.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err
