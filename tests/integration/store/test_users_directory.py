"""The user directory on a moto table: kept in step with every user write, read in blocks."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from memos.domain.enums import State
from memos.errors import AlreadyExistsError
from memos.store import keys
from memos.store import users as users_module
from memos.store.table import Expression
from memos.store.users import DirectoryEntry, NewUser, Role, UserChanges
from tests.integration.user.conftest import record_calls

if TYPE_CHECKING:
    from memos.store import Stores
    from memos.store.users import User


def _create(stores: Stores, username: str, display_name: str = "") -> User:
    return stores.users.create(NewUser(username=username, display_name=display_name))


def _entries(stores: Stores) -> list[DirectoryEntry]:
    return list(stores.users.read_directory(max_items=100).entries)


def _entry_of(user: User) -> DirectoryEntry:
    return DirectoryEntry(user.id, user.username, user.display_name, user.state)


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> int:
    """Directory blocks of 4 users, so tests reach several blocks with a few users."""
    monkeypatch.setattr(users_module, "DIRECTORY_BLOCK_SIZE", 4)
    return 4


def test_a_created_user_has_a_directory_entry(stores: Stores) -> None:
    # Given a created user
    user = _create(stores, "alice", "Alice Liddell")

    # When the directory is read
    entries = _entries(stores)

    # Then it holds the user's username, display name and state
    assert entries == [DirectoryEntry(user.id, "alice", "Alice Liddell", State.NORMAL)]


def test_rename_new_display_name_and_archive_update_the_entry(stores: Stores) -> None:
    # Given a user
    user = _create(stores, "alice", "Alice")

    # When their username, display name and state change one after another
    stores.users.update(user.id, UserChanges(username="alicia"))
    stores.users.update(user.id, UserChanges(display_name="Alicia L."))
    archived = stores.users.update(user.id, UserChanges(state=State.ARCHIVED))

    # Then the entry follows the profile
    assert _entries(stores) == [DirectoryEntry(user.id, "alicia", "Alicia L.", State.ARCHIVED)]
    assert _entries(stores) == [_entry_of(archived)]


def test_changes_the_directory_does_not_keep_are_one_update_item(stores: Stores) -> None:
    # Given a user
    user = _create(stores, "alice")
    calls = record_calls(stores)

    # When their role, email and password change
    stores.users.update(
        user.id, UserChanges(role=Role.ADMIN, email="a@x.test", password_hash="$2a$10$h")
    )

    # Then that is one GetItem and one UpdateItem, no transaction
    assert calls.operations() == ["get_item", "update_item"]


def test_a_failed_rename_leaves_the_entry_as_it_was(stores: Stores) -> None:
    _create(stores, "taken")
    user = _create(stores, "mine", "Mine")
    with pytest.raises(AlreadyExistsError):
        stores.users.update(user.id, UserChanges(username="taken", display_name="Other"))
    assert _entry_of(user) in _entries(stores)


def test_delete_removes_the_entry(stores: Stores) -> None:
    keep = _create(stores, "keep")
    gone = _create(stores, "gone")
    assert stores.users.delete(gone.id) is True
    assert _entries(stores) == [_entry_of(keep)]


def test_an_update_from_a_stale_read_is_retried_so_the_entry_matches_the_profile(
    stores: Stores, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a user read before someone else archived them
    user = _create(stores, "alice", "Alice")
    stale = stores.users.get(user.id)
    stores.users.update(user.id, UserChanges(state=State.ARCHIVED))
    real_get = stores.users.get
    reads = iter([stale])
    monkeypatch.setattr(stores.users, "get", lambda user_id: next(reads, None) or real_get(user_id))

    # When a display-name change is decided on the stale read
    stores.users.update(user.id, UserChanges(display_name="New"))

    # Then its transaction failed on the changed state, was retried, and the entry is current
    profile = real_get(user.id)
    assert profile is not None
    assert (profile.display_name, profile.state) == ("New", State.ARCHIVED)
    assert _entries(stores) == [_entry_of(profile)]


def test_reading_the_directory_takes_the_newest_blocks_newest_user_first(
    stores: Stores, small_blocks: int
) -> None:
    # Given ten users: ids 1-3 in block 0, 4-7 in block 1, 8-10 in block 2
    created = [_create(stores, f"user{n}") for n in range(10)]
    assert [user.id for user in created] == list(range(1, 11))
    calls = record_calls(stores)

    # When two blocks are read
    read = stores.users.read_directory(max_items=2)

    # Then they are the two newest, in one Query, newest user first
    assert [entry.id for entry in read.entries] == [10, 9, 8, 7, 6, 5, 4]
    assert read.items_read == 2
    assert calls.operations() == ["query"]
    assert calls.items_read == 2


def test_a_block_of_the_longest_names_fits_in_one_item(stores: Stores) -> None:
    # Given the directory entries of a full block of users with the longest names, in 4-byte
    # characters (written as the store writes them, without creating 256 users)
    display_name = "\U0001d11e" * users_module.DIRECTORY_NAME_LIMIT
    for user_id in range(users_module.DIRECTORY_BLOCK_SIZE):
        user = users_module.User(user_id, "a" * 32, Role.USER, State.ARCHIVED, "", display_name)
        stores.table.transact([stores.users._directory_entry_op(user)])

    # When the block is read back
    read = stores.users.read_directory(max_items=1)

    # Then DynamoDB took it whole (moto enforces the 400 KB item limit)
    assert len(read.entries) == users_module.DIRECTORY_BLOCK_SIZE
    assert read.entries[0].display_name == display_name


def test_a_longer_display_name_is_cut_in_the_entry_only(stores: Stores) -> None:
    long_name = "x" * (users_module.DIRECTORY_NAME_LIMIT + 50)
    user = stores.users.create(NewUser(username="long", display_name=long_name))
    [entry] = _entries(stores)
    assert entry.display_name == long_name[: users_module.DIRECTORY_NAME_LIMIT]
    stored = stores.users.get(user.id)
    assert stored is not None
    assert stored.display_name == long_name


def test_usernames_resolve_to_ids_in_one_batch_and_profiles_come_back_in_one(
    stores: Stores,
) -> None:
    # Given two users
    alice = _create(stores, "alice")
    bob = _create(stores, "bob")
    calls = record_calls(stores)

    # When resolving three usernames (one unknown) and reading the profiles with an unknown id
    ids = stores.users.ids_by_username(["alice", "nobody", "bob"])
    profiles = stores.users.get_many([bob.id, 999, alice.id])

    # Then two BatchGetItems answered both
    assert ids == {"alice": alice.id, "bob": bob.id}
    assert profiles == {alice.id: alice, bob.id: bob}
    assert calls.operations() == ["batch_get_item", "batch_get_item"]


def test_backfill_adds_the_missing_entries_and_keeps_existing_ones(
    stores: Stores, small_blocks: int
) -> None:
    # Given users stored before the directory existed (their entries removed), and one with
    # an entry
    old = [_create(stores, f"old{n}", f"Old {n}") for n in range(5)]
    current = _create(stores, "current", "Current")
    for user in old:
        stores.table.update(
            keys.user_directory_key(user.id // small_blocks),
            Expression("REMOVE #entry", {"#entry": f"u{user.id}"}),
        )
    assert _entries(stores) == [_entry_of(current)]

    # When the directory is backfilled, twice
    first = stores.users.backfill_directory()
    second = stores.users.backfill_directory()

    # Then the first run added the five missing entries and the second nothing
    assert (first, second) == (5, 0)
    assert _entries(stores) == [_entry_of(user) for user in [current, *reversed(old)]]


def test_a_dry_run_of_the_directory_backfill_counts_and_writes_nothing(
    stores: Stores, small_blocks: int
) -> None:
    # Given two users stored before the directory existed, and one with an entry
    old = [_create(stores, f"old{n}") for n in range(2)]
    current = _create(stores, "current")
    for user in old:
        stores.table.update(
            keys.user_directory_key(user.id // small_blocks),
            Expression("REMOVE #entry", {"#entry": f"u{user.id}"}),
        )

    # When the backfill runs dry
    missing = stores.users.backfill_directory(dry_run=True)

    # Then it counts the two missing entries and adds none
    assert missing == 2
    assert _entries(stores) == [_entry_of(current)]
