"""UserStore on a moto table: store-level user scenarios of Memos plus race safety."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import pytest

from memos.domain.enums import State
from memos.errors import AlreadyExistsError, InvalidArgumentError, NotFoundError
from memos.store.users import (
    SYSTEM_BOT,
    FirstUserTakenError,
    NewUser,
    Role,
    UserChanges,
)

if TYPE_CHECKING:
    from memos.store import Stores
    from memos.store.users import User


def _create(stores: Stores, username: str, role: str = Role.USER) -> User:
    return stores.users.create(NewUser(username=username, role=role, email=f"{username}@x.test"))


def test_created_user_is_listed_renamed_and_deleted(stores: Stores) -> None:
    # Given an ADMIN created in the store
    admin = _create(stores, "test_user", Role.ADMIN)
    # When listing, changing the nickname, then deleting
    listed = stores.users.list_all_users()
    renamed = stores.users.update(admin.id, UserChanges(display_name="Tester"))
    deleted = stores.users.delete(admin.id)
    # Then the list held exactly that ADMIN, the nickname persisted, and the list is empty
    assert [(user.id, user.role) for user in listed] == [(admin.id, Role.ADMIN)]
    assert renamed.display_name == "Tester"
    assert deleted is True
    assert stores.users.list_all_users() == []
    assert stores.users.get(admin.id) is None


def test_get_by_id_finds_user_unknown_is_none_and_zero_is_the_system_bot(stores: Stores) -> None:
    user = _create(stores, "alice")
    assert stores.users.get(user.id) == user
    assert stores.users.get(99999) is None
    bot = stores.users.get(0)
    assert bot == SYSTEM_BOT
    assert bot is not None
    assert bot.username == "system_bot"
    assert bot.role == Role.ADMIN


def test_get_by_username_is_exact_and_case_sensitive(stores: Stores) -> None:
    alice = _create(stores, "alice")
    capital = _create(stores, "Bob")
    assert stores.users.get_by_username("alice") == alice
    assert stores.users.get_by_username("Bob") == capital
    assert stores.users.get_by_username("ALICE") is None
    assert stores.users.get_by_username("bob") is None
    assert stores.users.get_by_username("nobody") is None


def test_new_user_has_ids_timestamps_and_normal_state(stores: Stores) -> None:
    first = _create(stores, "one")
    second = _create(stores, "two")
    assert (first.id, second.id) == (1, 2)
    assert first.state == State.NORMAL
    assert first.created_at == first.updated_at > 0


def test_users_are_listed_by_role(stores: Stores) -> None:
    _create(stores, "admin1", Role.ADMIN)
    _create(stores, "admin2", Role.ADMIN)
    regular = _create(stores, "regular")
    assert len(stores.users.list_all_users()) == 3
    assert [user.username for user in stores.users.list_by_role(Role.ADMIN).items] == [
        "admin2",
        "admin1",
    ]
    assert stores.users.list_by_role(Role.USER).items == (regular,)
    newest = stores.users.newest_admin()
    assert newest is not None
    assert newest.username == "admin2"


def test_role_change_moves_the_user_between_role_lists(stores: Stores) -> None:
    user = _create(stores, "climber")
    stores.users.update(user.id, UserChanges(role=Role.ADMIN))
    assert [u.id for u in stores.users.list_by_role(Role.ADMIN).items] == [user.id]
    assert stores.users.list_by_role(Role.USER).items == ()


def test_no_admin_means_no_newest_admin(stores: Stores) -> None:
    _create(stores, "plain")
    assert stores.users.newest_admin() is None


def test_state_goes_to_archived_and_back(stores: Stores) -> None:
    user = _create(stores, "archivist")
    stores.users.update(user.id, UserChanges(state=State.ARCHIVED))
    archived = stores.users.get(user.id)
    stores.users.update(user.id, UserChanges(state=State.NORMAL))
    restored = stores.users.get(user.id)
    assert archived is not None
    assert archived.state == State.ARCHIVED
    assert restored is not None
    assert restored.state == State.NORMAL


def test_updating_every_field_together_persists_all_of_them(stores: Stores) -> None:
    user = _create(stores, "before")
    changes = UserChanges(
        username="after",
        email="after@x.test",
        display_name="After",
        avatar_url="data:image/png;base64,AAAA",
        description="changed",
        role=Role.ADMIN,
        password_hash="$2a$10$hash",
        updated_at=1_700_000_000,
    )
    returned = stores.users.update(user.id, changes)
    stored = stores.users.get(user.id)
    assert stored == returned
    assert stored is not None
    assert (stored.username, stored.email, stored.display_name) == (
        "after",
        "after@x.test",
        "After",
    )
    assert (stored.avatar_url, stored.description) == ("data:image/png;base64,AAAA", "changed")
    assert (stored.role, stored.password_hash) == (Role.ADMIN, "$2a$10$hash")
    assert (stored.created_at, stored.updated_at) == (user.created_at, 1_700_000_000)


def test_update_bumps_updated_at_by_default(stores: Stores) -> None:
    user = _create(stores, "bumped")
    stores.users._clock = lambda: user.updated_at + 60
    assert stores.users.update(user.id, UserChanges(email="n@x.test")).updated_at == (
        user.updated_at + 60
    )


def test_rename_moves_the_username_guard(stores: Stores) -> None:
    user = _create(stores, "oldname")
    stores.users.update(user.id, UserChanges(username="newname"))
    assert stores.users.get_by_username("oldname") is None
    found = stores.users.get_by_username("newname")
    assert found is not None
    assert found.id == user.id
    # the old name is free again, the new one is taken
    _create(stores, "oldname")
    with pytest.raises(AlreadyExistsError, match="username is already taken: newname"):
        _create(stores, "newname")


def test_rename_to_a_taken_username_fails_and_changes_nothing(stores: Stores) -> None:
    _create(stores, "taken")
    user = _create(stores, "mine")
    with pytest.raises(AlreadyExistsError, match="username is already taken: taken"):
        stores.users.update(user.id, UserChanges(username="taken", display_name="X"))
    assert stores.users.get(user.id) == user
    assert stores.users.get_by_username("mine") == user


def test_update_of_unknown_user_is_not_found(stores: Stores) -> None:
    with pytest.raises(NotFoundError, match="user not found"):
        stores.users.update(42, UserChanges(display_name="ghost"))


def test_delete_of_unknown_user_is_false(stores: Stores) -> None:
    assert stores.users.delete(42) is False


def test_duplicate_username_is_already_exists(stores: Stores) -> None:
    _create(stores, "dup")
    with pytest.raises(AlreadyExistsError, match="username is already taken: dup"):
        _create(stores, "dup")
    assert len(stores.users.list_all_users()) == 1


def test_list_with_a_limit_returns_a_page_and_a_cursor_to_the_rest(stores: Stores) -> None:
    for index in range(5):
        _create(stores, f"user{index}")
    first = stores.users.list_users(limit=3)
    rest = stores.users.list_users(limit=3, cursor=first.cursor)
    assert [user.username for user in first.items] == ["user4", "user3", "user2"]
    assert first.cursor is not None
    assert [user.username for user in rest.items] == ["user1", "user0"]


def test_a_cursor_from_another_list_is_rejected(stores: Stores) -> None:
    for index in range(3):
        _create(stores, f"admin{index}", Role.ADMIN)
    admins = stores.users.list_by_role(Role.ADMIN, limit=1)
    with pytest.raises(InvalidArgumentError, match="invalid page token"):
        stores.users.list_users(cursor=admins.cursor)
    with pytest.raises(InvalidArgumentError, match="invalid page token"):
        stores.users.list_users(cursor={"pk": "USER#1"})


def test_user_count_tracks_creates_and_deletes(stores: Stores) -> None:
    assert stores.users.has_users() is False
    first = _create(stores, "first")
    _create(stores, "second")
    assert stores.users.count() == 2
    stores.users.delete(first.id)
    assert stores.users.count() == 1


def test_first_user_claim_fails_once_a_user_exists(stores: Stores) -> None:
    stores.users.create(NewUser(username="boss", role=Role.ADMIN), first_user=True)
    with pytest.raises(FirstUserTakenError):
        stores.users.create(NewUser(username="late", role=Role.ADMIN), first_user=True)
    assert stores.users.get_by_username("late") is None
    assert stores.users.count() == 1


def test_deleting_every_user_reopens_first_user_mode(stores: Stores) -> None:
    only = stores.users.create(NewUser(username="only", role=Role.ADMIN), first_user=True)
    stores.users.delete(only.id)
    assert stores.users.has_users() is False
    again = stores.users.create(NewUser(username="again", role=Role.ADMIN), first_user=True)
    assert again.role == Role.ADMIN


def test_concurrent_creates_of_one_username_let_exactly_one_win(stores: Stores) -> None:
    # Given 20 threads ready to create the same username
    barrier = threading.Barrier(20)
    outcomes: list[object] = []
    lock = threading.Lock()

    def create() -> None:
        barrier.wait()
        try:
            result: object = _create(stores, "contested")
        except AlreadyExistsError as error:
            result = error
        with lock:
            outcomes.append(result)

    # When they all run at once
    threads = [threading.Thread(target=create) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Then exactly one succeeded and the others were told the name is taken
    errors = [outcome for outcome in outcomes if isinstance(outcome, AlreadyExistsError)]
    assert len(outcomes) == 20
    assert len(errors) == 19
    assert all(error.message == "username is already taken: contested" for error in errors)
    assert len(stores.users.list_all_users()) == 1
    assert stores.users.count() == 1


def _sign_up(stores: Stores, username: str) -> User:
    """What CreateUser does: the first user becomes ADMIN; a lost race re-decides."""
    while True:
        first = not stores.users.has_users()
        role = Role.ADMIN if first else Role.USER
        try:
            return stores.users.create(NewUser(username=username, role=role), first_user=first)
        except FirstUserTakenError:
            continue


def test_concurrent_first_sign_ups_make_exactly_one_admin(stores: Stores) -> None:
    barrier = threading.Barrier(8)
    created: list[User] = []
    lock = threading.Lock()

    def sign_up(name: str) -> None:
        barrier.wait()
        user = _sign_up(stores, name)
        with lock:
            created.append(user)

    threads = [threading.Thread(target=sign_up, args=(f"early{i}",)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(created) == 8
    assert [user.role for user in created].count(Role.ADMIN) == 1
    assert len(stores.users.list_by_role(Role.ADMIN).items) == 1
    assert stores.users.count() == 8
