"""SessionStore: refresh sessions and their single-use rotation (auth.md §4, §16)."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import pytest

from memos.errors import AlreadyExistsError
from memos.store import keys
from memos.store.schema import TTL_ATTRIBUTE
from memos.store.sessions import RefreshSession

if TYPE_CHECKING:
    from memos.store import Stores

NOW = 1_700_000_000
THIRTY_DAYS = 30 * 24 * 60 * 60


def _session(session_id: str, token_id: str = "tid-1", user_id: int = 1) -> RefreshSession:
    return RefreshSession(
        user_id=user_id,
        session_id=session_id,
        current_token_id=token_id,
        created_at=NOW,
        rotated_at=NOW,
        expires_at=NOW + THIRTY_DAYS,
        user_agent="Mozilla/5.0",
        ip_address="203.0.113.1",
        device_type="desktop",
        os="Windows 10/11",
        browser="Chrome 119.0.0.0",
    )


def test_added_session_is_listed_read_and_removed(stores: Stores) -> None:
    session = stores.sessions.create(_session("s-1"))
    assert stores.sessions.list_for_user(1) == [session]
    assert stores.sessions.get(1, "s-1") == session
    assert stores.sessions.delete(1, "s-1") is True
    assert stores.sessions.list_for_user(1) == []
    assert stores.sessions.delete(1, "s-1") is False


def test_adding_two_and_removing_the_first_keeps_the_second(stores: Stores) -> None:
    stores.sessions.create(_session("zz-first"))
    stores.sessions.create(_session("aa-second"))
    assert [s.session_id for s in stores.sessions.list_for_user(1)] == ["zz-first", "aa-second"]
    stores.sessions.delete(1, "zz-first")
    assert [s.session_id for s in stores.sessions.list_for_user(1)] == ["aa-second"]


def test_sessions_of_other_users_are_not_listed(stores: Stores) -> None:
    stores.sessions.create(_session("mine", user_id=1))
    stores.sessions.create(_session("theirs", user_id=2))
    assert [s.session_id for s in stores.sessions.list_for_user(1)] == ["mine"]
    assert stores.sessions.get(1, "theirs") is None


def test_session_ttl_is_its_expiry(stores: Stores) -> None:
    stores.sessions.create(_session("s-1"))
    item = stores.table.get(keys.session_key(1, "s-1"))
    assert item is not None
    assert item[TTL_ATTRIBUTE] == NOW + THIRTY_DAYS


def test_creating_the_same_session_twice_fails(stores: Stores) -> None:
    stores.sessions.create(_session("s-1"))
    with pytest.raises(AlreadyExistsError):
        stores.sessions.create(_session("s-1"))


def test_rotation_swaps_the_token_and_a_replay_fails(stores: Stores) -> None:
    stores.sessions.create(_session("s-1", token_id="tid-1"))
    rotated = stores.sessions.rotate(
        1,
        "s-1",
        expected_token_id="tid-1",
        new_token_id="tid-2",
        new_expires_at=NOW + 100 + THIRTY_DAYS,
        rotated_at=NOW + 100,
    )
    replayed = stores.sessions.rotate(
        1, "s-1", expected_token_id="tid-1", new_token_id="tid-3", new_expires_at=NOW
    )
    assert (rotated, replayed) == (True, False)
    session = stores.sessions.get(1, "s-1")
    assert session is not None
    assert (session.current_token_id, session.rotated_at) == ("tid-2", NOW + 100)
    assert session.expires_at == NOW + 100 + THIRTY_DAYS
    item = stores.table.get(keys.session_key(1, "s-1"))
    assert item is not None
    assert item[TTL_ATTRIBUTE] == NOW + 100 + THIRTY_DAYS


def test_rotating_a_revoked_session_fails(stores: Stores) -> None:
    stores.sessions.create(_session("s-1"))
    stores.sessions.delete(1, "s-1")
    assert not stores.sessions.rotate(
        1, "s-1", expected_token_id="tid-1", new_token_id="tid-2", new_expires_at=NOW
    )
    assert stores.sessions.get(1, "s-1") is None


def test_concurrent_rotations_of_one_token_let_exactly_one_win(stores: Stores) -> None:
    stores.sessions.create(_session("s-1", token_id="tid-0"))
    barrier = threading.Barrier(10)
    results: list[bool] = []
    lock = threading.Lock()

    def rotate(index: int) -> None:
        barrier.wait()
        won = stores.sessions.rotate(
            1, "s-1", expected_token_id="tid-0", new_token_id=f"tid-{index + 1}", new_expires_at=NOW
        )
        with lock:
            results.append(won)

    threads = [threading.Thread(target=rotate, args=(i,)) for i in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(True) == 1


def test_deleting_all_but_one_session_keeps_only_that_one_and_other_users_sessions(
    stores: Stores,
) -> None:
    # Given three sessions of user 1 and one of user 2
    for session_id in ("s-1", "s-2", "s-3"):
        stores.sessions.create(_session(session_id))
    stores.sessions.create(_session("theirs", user_id=2))

    # When every session of user 1 but "s-2" is revoked
    ended = stores.sessions.delete_all_but(1, "s-2")

    # Then only "s-2" remains for user 1, and user 2 keeps theirs
    assert ended == 2
    assert [s.session_id for s in stores.sessions.list_for_user(1)] == ["s-2"]
    assert [s.session_id for s in stores.sessions.list_for_user(2)] == ["theirs"]


def test_deleting_all_sessions_of_a_user_without_one_to_keep_ends_every_session(
    stores: Stores,
) -> None:
    # Given two sessions of user 1
    stores.sessions.create(_session("s-1"))
    stores.sessions.create(_session("s-2"))

    # When all of them are revoked, then again when none is left
    first, second = stores.sessions.delete_all_but(1), stores.sessions.delete_all_but(1)

    # Then both ended the first time, none the second
    assert (first, second) == (2, 0)
    assert stores.sessions.list_for_user(1) == []
