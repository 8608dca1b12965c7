"""Reading a refresh cookie as a sign-in without rotating it (memos.auth.refresh_sessions)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest

from memos.auth.refresh_sessions import CONCURRENT_REFRESH_GRACE_SECONDS, refresh_token_user
from memos.auth.tokens import mint_refresh_token
from memos.store.sessions import RefreshSession
from memos.store.users import NewUser, UserChanges

if TYPE_CHECKING:
    from memos.store import Stores
    from memos.store.users import User

SECRET = b"s" * 32
OTHER_SECRET = b"o" * 32


@pytest.fixture
def stores(memory_stores: Stores) -> Stores:
    return memory_stores


def open_session(
    stores: Stores, user: User, *, token_id: str = "t1", expires_in: int = 3600
) -> str:
    """A stored session of ``user`` currently holding ``token_id``; returns that token."""
    now = int(time.time())
    token, _ = mint_refresh_token(
        user_id=user.id, token_id=token_id, session_id="s1", secret=SECRET
    )
    stores.sessions.create(
        RefreshSession(
            user_id=user.id,
            session_id="s1",
            current_token_id=token_id,
            created_at=now,
            rotated_at=now,
            expires_at=now + expires_in,
        )
    )
    return token


def alice(stores: Stores) -> User:
    return stores.users.create(NewUser(username="alice", role="USER"))


def test_the_current_token_of_a_live_session_signs_its_user_in(stores: Stores) -> None:
    # Given a session holding a token
    user = alice(stores)
    token = open_session(stores, user)

    # When the token is read
    found = refresh_token_user(stores, token, (SECRET,), time.time())

    # Then it names the session's user, and the session is left as it was
    assert found is not None
    assert found.id == user.id
    session = stores.sessions.get(user.id, "s1")
    assert session is not None
    assert session.current_token_id == "t1"


def test_a_token_signed_with_another_secret_signs_nobody_in(stores: Stores) -> None:
    # Given a live session
    token = open_session(stores, alice(stores))

    # When the token is checked with secrets that did not sign it
    found = refresh_token_user(stores, token, (OTHER_SECRET,), time.time())

    # Then nobody is signed in
    assert found is None


def test_a_token_of_an_ended_session_signs_nobody_in(stores: Stores) -> None:
    # Given a session that was revoked
    user = alice(stores)
    token = open_session(stores, user)
    stores.sessions.delete(user.id, "s1")

    # When its token is read
    found = refresh_token_user(stores, token, (SECRET,), time.time())

    # Then nobody is signed in
    assert found is None


def test_an_expired_session_signs_nobody_in(stores: Stores) -> None:
    # Given a session whose expiry has passed (the TTL has not removed it yet)
    token = open_session(stores, alice(stores), expires_in=-1)

    # When its token is read
    found = refresh_token_user(stores, token, (SECRET,), time.time())

    # Then nobody is signed in
    assert found is None


def test_a_token_the_session_rotated_away_from_counts_only_within_the_grace(
    stores: Stores,
) -> None:
    # Given a session that rotated from t1 to t2 just now
    user = alice(stores)
    old_token = open_session(stores, user)
    now = int(time.time())
    stores.sessions.rotate(
        user.id,
        "s1",
        expected_token_id="t1",
        new_token_id="t2",
        new_expires_at=now + 3600,
        rotated_at=now,
    )

    # When the old token is read now, and after the grace
    moments_later = refresh_token_user(stores, old_token, (SECRET,), now + 1)
    much_later = refresh_token_user(
        stores, old_token, (SECRET,), now + CONCURRENT_REFRESH_GRACE_SECONDS + 1
    )

    # Then it signs the user in only moments after the rotation
    assert moments_later is not None
    assert moments_later.id == user.id
    assert much_later is None


def test_an_archived_user_is_not_signed_in_by_their_cookie(stores: Stores) -> None:
    # Given a live session of a user who was then archived
    user = alice(stores)
    token = open_session(stores, user)
    stores.users.update(user.id, UserChanges(state="ARCHIVED"))

    # When the token is read
    found = refresh_token_user(stores, token, (SECRET,), datetime.now(UTC).timestamp())

    # Then nobody is signed in
    assert found is None


def test_a_malformed_token_signs_nobody_in(stores: Stores) -> None:
    # Given no session at all
    # When garbage is read as a token
    found = refresh_token_user(stores, "not-a-jwt", (SECRET,), time.time())

    # Then nobody is signed in
    assert found is None
