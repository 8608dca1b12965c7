"""StoreTokenVerifier: bearer tokens against the signing secrets and the store (auth.md §3, §5).

Access tokens are checked cryptographically and then against the user row (stricter than Memos:
an archived or deleted user's token stops working at once); personal access tokens by hash.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest

from memos.auth.identity import Identity
from memos.auth.personal_access_tokens import (
    generate_personal_access_token,
    hash_personal_access_token,
)
from memos.auth.signing_secret import signing_secrets
from memos.auth.tokens import mint_access_token, mint_refresh_token
from memos.auth.verifier import (
    LAST_USED_WRITE_INTERVAL_SECONDS,
    StoreTokenVerifier,
    verifier_from_environment,
)
from memos.errors import UnavailableError
from memos.store.users import UserChanges
from tests.integration.identity import add_user, local_settings

if TYPE_CHECKING:
    from pathlib import Path

    from memos.config import Settings
    from memos.store import Stores
    from memos.store.users import User

NOW = 1_800_000_000.0


class Clock:
    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return local_settings(tmp_path)


@pytest.fixture
def secret(settings: Settings) -> bytes:
    return signing_secrets(settings)[0]


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime.now(UTC).timestamp())


@pytest.fixture
def stores(memory_stores: Stores) -> Stores:
    """The verifier's rules run on the in-memory table; the authorizer tests use moto."""
    return memory_stores


@pytest.fixture
def verifier(stores: Stores, settings: Settings, clock: Clock) -> StoreTokenVerifier:
    return StoreTokenVerifier(stores, secrets=lambda: signing_secrets(settings), clock=clock)


def access_token_for(user: User, secret: bytes, *, issued: datetime | None = None) -> str:
    token, _ = mint_access_token(
        user_id=user.id,
        username=user.username,
        role=user.role,
        status=user.state,
        secret=secret,
        now=issued,
    )
    return token


def add_pat(stores: Stores, user: User, *, expires_at: int | None = None) -> tuple[str, str]:
    token = generate_personal_access_token()
    token_id = f"pat-{user.id}-{len(stores.access_tokens.list_for_user(user.id))}"
    stores.access_tokens.create(
        user.id,
        token_id=token_id,
        token_hash=hash_personal_access_token(token),
        expires_at=expires_at,
    )
    return token, token_id


# --- Access tokens -----------------------------------------------------------------------------


def test_valid_access_token_identifies_its_user(
    verifier: StoreTokenVerifier, stores: Stores, secret: bytes
) -> None:
    # Given a regular user's access token
    user = add_user(stores, "alice")

    # When it is verified
    identity = verifier.verify(access_token_for(user, secret))

    # Then it names that user
    assert identity == Identity(user.id, "alice", "USER", "access_token")


def test_identity_reflects_the_stored_user_not_the_claims(
    verifier: StoreTokenVerifier, stores: Stores, secret: bytes
) -> None:
    # Given a user's token, after which they were renamed and promoted
    user = add_user(stores, "alice")
    token = access_token_for(user, secret)
    stores.users.update(user.id, UserChanges(username="alicia", role="ADMIN"))

    # When the token is verified
    identity = verifier.verify(token)

    # Then the identity is the user as stored now
    assert identity == Identity(user.id, "alicia", "ADMIN", "access_token")


@pytest.mark.parametrize("token", ["invalid-token", "", "a.b.c", "x" * 5000])
def test_garbage_is_no_identity(verifier: StoreTokenVerifier, token: str) -> None:
    assert verifier.verify(token) is None


def test_access_token_signed_with_another_secret_is_no_identity(
    verifier: StoreTokenVerifier, stores: Stores
) -> None:
    # Given a token signed with a secret the server does not hold
    user = add_user(stores, "alice")
    token = access_token_for(user, b"secret-2" * 8)

    # When it is verified, then it is refused
    assert verifier.verify(token) is None


def test_expired_access_token_is_no_identity(
    verifier: StoreTokenVerifier, stores: Stores, secret: bytes
) -> None:
    # Given a token issued 16 minutes ago
    user = add_user(stores, "alice")
    token = access_token_for(user, secret, issued=datetime.now(UTC) - timedelta(minutes=16))

    # When it is verified, then it has expired
    assert verifier.verify(token) is None


def test_refresh_token_is_not_a_bearer_token(
    verifier: StoreTokenVerifier, stores: Stores, secret: bytes
) -> None:
    # Given a refresh token
    user = add_user(stores, "alice")
    token, _ = mint_refresh_token(user_id=user.id, token_id="t", session_id="s", secret=secret)

    # When it is presented as a bearer token, then it is refused
    assert verifier.verify(token) is None


def test_archived_users_access_token_stops_working_at_once(
    verifier: StoreTokenVerifier, stores: Stores, secret: bytes
) -> None:
    # Given a user's valid token, after which the user was archived
    user = add_user(stores, "alice")
    token = access_token_for(user, secret)
    stores.users.update(user.id, UserChanges(state="ARCHIVED"))

    # When it is verified, then it is refused (Memos would accept it until it expires)
    assert verifier.verify(token) is None


def test_deleted_users_access_token_stops_working_at_once(
    verifier: StoreTokenVerifier, stores: Stores, secret: bytes
) -> None:
    # Given a user's valid token, after which the user was deleted
    user = add_user(stores, "alice")
    token = access_token_for(user, secret)
    stores.users.delete(user.id)

    # When it is verified, then it is refused
    assert verifier.verify(token) is None


def test_a_token_for_the_system_bot_is_refused(verifier: StoreTokenVerifier, secret: bytes) -> None:
    # Given a correctly signed token naming user 0, the built-in bot
    token, _ = mint_access_token(
        user_id=0, username="system_bot", role="ADMIN", status="NORMAL", secret=secret
    )

    # When it is verified, then nobody signs in as the bot
    assert verifier.verify(token) is None


def test_an_unreadable_signing_secret_is_an_outage_not_a_bad_token(stores: Stores) -> None:
    # Given a verifier whose secret source is down
    def unavailable() -> tuple[bytes, ...]:
        raise UnavailableError("the token signing secret is unavailable")

    verifier = StoreTokenVerifier(stores, secrets=unavailable)

    # When a JWT is verified, then the outage is reported rather than the caller signed out
    with pytest.raises(UnavailableError):
        verifier.verify("header.payload.signature")


# --- Personal access tokens --------------------------------------------------------------------


def test_stored_personal_access_token_identifies_its_owner(
    verifier: StoreTokenVerifier, stores: Stores
) -> None:
    # Given a user's personal access token without expiry
    user = add_user(stores, "alice")
    token, _ = add_pat(stores, user)

    # When it is verified
    identity = verifier.verify(token)

    # Then it names the owner, as a personal access token
    assert identity == Identity(user.id, "alice", "USER", "personal_access_token")


def test_well_formed_but_unknown_personal_access_token_is_no_identity(
    verifier: StoreTokenVerifier,
) -> None:
    assert verifier.verify(generate_personal_access_token()) is None


def test_expired_personal_access_token_is_no_identity(
    verifier: StoreTokenVerifier, stores: Stores, clock: Clock
) -> None:
    # Given a token that expired an hour ago
    user = add_user(stores, "alice")
    token, _ = add_pat(stores, user, expires_at=int(clock.now) - 3600)

    # When it is verified, then it is refused
    assert verifier.verify(token) is None


def test_personal_access_token_works_until_its_expiry(
    verifier: StoreTokenVerifier, stores: Stores, clock: Clock
) -> None:
    # Given a token that expires in an hour
    user = add_user(stores, "alice")
    token, _ = add_pat(stores, user, expires_at=int(clock.now) + 3600)

    # When it is verified, then it still works
    assert verifier.verify(token) is not None


def test_deleted_personal_access_token_stops_working(
    verifier: StoreTokenVerifier, stores: Stores
) -> None:
    # Given a token that was deleted
    user = add_user(stores, "alice")
    token, token_id = add_pat(stores, user)
    stores.access_tokens.delete(user.id, token_id)

    # When it is verified, then it is refused
    assert verifier.verify(token) is None


def test_archived_owners_personal_access_token_is_no_identity(
    verifier: StoreTokenVerifier, stores: Stores
) -> None:
    # Given an archived user's token
    user = add_user(stores, "alice", archived=True)
    token, _ = add_pat(stores, user)

    # When it is verified, then it is refused
    assert verifier.verify(token) is None


def test_use_of_a_personal_access_token_is_recorded(
    verifier: StoreTokenVerifier, stores: Stores, clock: Clock
) -> None:
    # Given a token never used
    user = add_user(stores, "alice")
    token, token_id = add_pat(stores, user)

    # When it is verified
    verifier.verify(token)

    # Then its last use is now
    stored = stores.access_tokens.get(user.id, token_id)
    assert stored is not None
    assert stored.last_used_at == int(clock.now)


def test_uses_within_a_minute_are_recorded_once(
    verifier: StoreTokenVerifier, stores: Stores, clock: Clock
) -> None:
    # Given a token used once
    user = add_user(stores, "alice")
    token, token_id = add_pat(stores, user)
    first_use = int(clock.now)
    verifier.verify(token)

    # When it is used again within the minute, and then after it
    clock.now += LAST_USED_WRITE_INTERVAL_SECONDS - 1
    verifier.verify(token)
    within = stores.access_tokens.get(user.id, token_id)
    clock.now += 2
    verifier.verify(token)
    after = stores.access_tokens.get(user.id, token_id)

    # Then only the first and the later use were written
    assert within is not None
    assert within.last_used_at == first_use
    assert after is not None
    assert after.last_used_at == int(clock.now)


def test_a_failing_last_used_write_does_not_fail_the_request(
    verifier: StoreTokenVerifier, stores: Stores, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a token, and a store that cannot record its use
    user = add_user(stores, "alice")
    token, _ = add_pat(stores, user)

    def broken(*args: object, **kwargs: object) -> bool:
        raise RuntimeError("throttled")

    monkeypatch.setattr(stores.access_tokens, "touch_last_used", broken)

    # When it is verified, then the caller is still identified
    assert verifier.verify(token) is not None


def test_the_environment_verifier_is_built_once(
    stores: Stores, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Given the environment of a Lambda
    monkeypatch.setenv("MEMOS_LOCAL_DATA_DIR", str(tmp_path))
    verifier_from_environment.cache_clear()

    # When the verifier is asked for twice, then it is the same object
    try:
        assert verifier_from_environment() is verifier_from_environment()
    finally:
        verifier_from_environment.cache_clear()
