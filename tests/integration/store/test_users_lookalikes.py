"""Look-alike usernames on a moto table: reserved by their folded form, race-safe, backfilled."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import pytest

from memos.domain.user_validation import fold_username
from memos.errors import AlreadyExistsError
from memos.store import keys
from memos.store.table import WRITE_TOKEN_ATTRIBUTE
from memos.store.users import NewUser, UserChanges

if TYPE_CHECKING:
    from memos.store import Stores
    from memos.store.users import User

KELVIN = "\u212a"
LOOK_ALIKES = [("PRxx-B", "prxx-b"), ("prxx-b", "PRxx-B"), (f"{KELVIN}im", "kim"), ("kim", "KIM")]


def _create(stores: Stores, username: str) -> User:
    return stores.users.create(NewUser(username=username))


def _folded_guard(stores: Stores, username: str) -> dict[str, object] | None:
    """The stored guard without the write token of the call that created it (a random value)."""
    item = stores.table.get(keys.folded_username_key(fold_username(username)))
    if item is None:
        return None
    return {name: value for name, value in item.items() if name != WRITE_TOKEN_ATTRIBUTE}


def _forget_folded_guard(stores: Stores, username: str) -> None:
    """Make a user look as if stored before folded guards existed."""
    stores.table.delete(keys.folded_username_key(fold_username(username)))


@pytest.mark.parametrize(("first", "second"), LOOK_ALIKES)
def test_a_look_alike_of_an_existing_username_is_refused(
    stores: Stores, first: str, second: str
) -> None:
    # Given a user
    _create(stores, first)
    # When a look-alike username is created
    with pytest.raises(AlreadyExistsError) as refused:
        _create(stores, second)
    # Then it is refused as taken, and only the first user exists
    assert refused.value.message == f"username is already taken: {second}"
    assert [user.username for user in stores.users.list_all_users()] == [first]
    assert stores.users.count() == 1


def test_renaming_into_a_look_alike_is_refused_and_changes_nothing(stores: Stores) -> None:
    # Given "alice" and "bob"
    _create(stores, "alice")
    bob = _create(stores, "bob")
    # When bob renames himself "ALICE"
    with pytest.raises(AlreadyExistsError, match="username is already taken: ALICE"):
        stores.users.update(bob.id, UserChanges(username="ALICE"))
    # Then bob is unchanged and still holds his guards
    assert stores.users.get(bob.id) == bob
    assert stores.users.get_by_username("bob") == bob
    assert _folded_guard(stores, "bob") == {
        "pk": "USERNAME_FOLD#bob",
        "sk": "USERNAME_FOLD",
        "entity": "USERNAME_FOLD",
        "username": "bob",
        "user_id": bob.id,
    }


def test_a_case_only_rename_keeps_the_folded_guard(stores: Stores) -> None:
    # Given "alice"
    alice = _create(stores, "alice")
    # When she becomes "Alice"
    stores.users.update(alice.id, UserChanges(username="Alice"))
    # Then the new exact name finds her, the old doesn't, and "ALICE" is still refused
    found = stores.users.get_by_username("Alice")
    assert found is not None
    assert found.id == alice.id
    assert stores.users.get_by_username("alice") is None
    with pytest.raises(AlreadyExistsError):
        _create(stores, "ALICE")


def test_a_rename_frees_the_old_folded_name(stores: Stores) -> None:
    # Given "alice" renamed to "carol"
    alice = _create(stores, "alice")
    stores.users.update(alice.id, UserChanges(username="carol"))
    # When "Alice" is created, then "CAROL"
    created = _create(stores, "Alice")
    # Then the old folded name was free, the new one is held
    assert created.username == "Alice"
    assert _folded_guard(stores, "alice") is not None
    with pytest.raises(AlreadyExistsError, match="username is already taken: CAROL"):
        _create(stores, "CAROL")


def test_delete_frees_both_guards(stores: Stores) -> None:
    # Given "PRxx-B", deleted
    user = _create(stores, "PRxx-B")
    assert stores.users.delete(user.id) is True
    # Then neither guard remains, and the look-alike can be created
    assert stores.table.get(keys.username_key("PRxx-B")) is None
    assert _folded_guard(stores, "PRxx-B") is None
    assert _create(stores, "prxx-b").username == "prxx-b"


def test_concurrent_creates_of_two_look_alikes_let_exactly_one_win(stores: Stores) -> None:
    # Given 10 threads creating "Contested" and 10 creating "cONTESTED", all at once
    names = ["Contested", "cONTESTED"] * 10
    barrier = threading.Barrier(len(names))
    outcomes: list[object] = []
    lock = threading.Lock()

    def create(username: str) -> None:
        barrier.wait()
        try:
            result: object = _create(stores, username)
        except AlreadyExistsError as error:
            result = error
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=create, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Then exactly one user exists, and every other create was told its name is taken
    errors = [outcome for outcome in outcomes if isinstance(outcome, AlreadyExistsError)]
    assert len(outcomes) == len(names)
    assert len(errors) == len(names) - 1
    assert all(error.message.startswith("username is already taken: ") for error in errors)
    assert len(stores.users.list_all_users()) == 1
    assert stores.users.count() == 1


def test_a_name_too_long_to_be_a_username_is_not_looked_up(stores: Stores) -> None:
    # Given a name far over DynamoDB's 2,048-byte key limit
    name = "a" * 5000
    # When it is looked up, alone and among others
    found = stores.users.get_by_username(name)
    ids = stores.users.ids_by_username([name, "nobody"])
    # Then it is simply not found (DynamoDB would refuse the key)
    assert found is None
    assert ids == {}


def test_backfill_gives_old_users_their_folded_guards(stores: Stores) -> None:
    # Given two users stored before folded guards existed
    ann = _create(stores, "Ann")
    ben = _create(stores, "ben")
    _forget_folded_guard(stores, "Ann")
    _forget_folded_guard(stores, "ben")
    # When the guards are backfilled
    backfill = stores.users.backfill_folded_guards()
    # Then both hold their guards again and their look-alikes are refused
    assert (backfill.added, backfill.blocked) == (2, ())
    assert _folded_guard(stores, "ann") == {
        "pk": "USERNAME_FOLD#ann",
        "sk": "USERNAME_FOLD",
        "entity": "USERNAME_FOLD",
        "username": "Ann",
        "user_id": ann.id,
    }
    for look_alike in ("ANN", "Ben"):
        with pytest.raises(AlreadyExistsError):
            _create(stores, look_alike)
    assert {user.id for user in stores.users.list_all_users()} == {ann.id, ben.id}


def test_backfill_reports_look_alikes_stored_before_the_guards(stores: Stores) -> None:
    # Given "Dan" and "dan", both stored before folded guards existed
    first = _create(stores, "Dan")
    _forget_folded_guard(stores, "Dan")
    second = _create(stores, "dan")
    _forget_folded_guard(stores, "dan")
    # When the guards are backfilled
    backfill = stores.users.backfill_folded_guards()
    # Then the newer is listed first and takes the guard; the older is reported
    assert (backfill.added, backfill.blocked) == (1, (first,))
    guard = _folded_guard(stores, "dan")
    assert guard is not None
    assert guard["user_id"] == second.id


def test_a_dry_run_of_the_backfill_reports_the_same_and_writes_nothing(stores: Stores) -> None:
    # Given "Fay" and "fay" and "gus", all stored before folded guards existed
    older = _create(stores, "Fay")
    _forget_folded_guard(stores, "Fay")
    _create(stores, "fay")
    _create(stores, "gus")
    for username in ("fay", "gus"):
        _forget_folded_guard(stores, username)
    # When the backfill runs dry, then for real, then again
    dry = stores.users.backfill_folded_guards(dry_run=True)
    unguarded = [_folded_guard(stores, username) for username in ("fay", "gus")]
    real = stores.users.backfill_folded_guards()
    again = stores.users.backfill_folded_guards()
    # Then the dry run foresaw the real run without writing; the second run finds nothing to do
    assert (dry.added, dry.blocked) == (2, (older,))
    assert unguarded == [None, None]
    assert real == dry
    assert (again.added, again.blocked) == (0, (older,))


def test_old_look_alikes_can_still_rename_and_be_deleted(stores: Stores) -> None:
    # Given "Eve" and "eve" stored before folded guards existed, "eve" holding it after backfill
    older = _create(stores, "Eve")
    _forget_folded_guard(stores, "Eve")
    newer = _create(stores, "eve")
    stores.users.backfill_folded_guards()
    # When "Eve" renames away and "eve" is deleted
    renamed = stores.users.update(older.id, UserChanges(username="eva"))
    deleted = stores.users.delete(newer.id)
    # Then both succeed, and only "eva"'s guard is left of them
    assert renamed.username == "eva"
    assert deleted is True
    assert _folded_guard(stores, "eve") is None
    guard = _folded_guard(stores, "eva")
    assert guard is not None
    assert guard["user_id"] == older.id
