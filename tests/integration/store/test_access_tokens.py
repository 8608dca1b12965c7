"""AccessTokenStore: personal access tokens by owner and by hash (auth.md §5, §16)."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

import pytest

from memos.errors import AlreadyExistsError
from memos.store import keys
from memos.store.access_tokens import PersonalAccessToken
from memos.store.clock import GRACE_SECONDS
from memos.store.schema import TTL_ATTRIBUTE
from memos.store.users import NewUser

if TYPE_CHECKING:
    from memos.store import Stores


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def test_added_token_is_listed_with_its_id_and_hash_then_removed(stores: Stores) -> None:
    token = stores.access_tokens.create(
        1, token_id="t-1", token_hash=_hash("memos_pat_a"), description="cli"
    )
    listed = stores.access_tokens.list_for_user(1)
    assert [(t.token_id, t.token_hash) for t in listed] == [("t-1", _hash("memos_pat_a"))]
    assert listed == [token]
    assert stores.access_tokens.delete(1, "t-1") is True
    assert stores.access_tokens.list_for_user(1) == []
    assert stores.access_tokens.find_by_hash(_hash("memos_pat_a")) is None


def test_updating_last_used_sets_it(stores: Stores) -> None:
    stores.access_tokens.create(1, token_id="t-1", token_hash=_hash("memos_pat_a"))
    assert stores.access_tokens.touch_last_used(1, "t-1", at=1_700_000_123) is True
    token = stores.access_tokens.get(1, "t-1")
    assert token is not None
    assert token.last_used_at == 1_700_000_123


def test_last_used_of_a_missing_token_is_not_recorded(stores: Stores) -> None:
    assert stores.access_tokens.touch_last_used(1, "gone") is False
    assert stores.access_tokens.get(1, "gone") is None


def test_adding_two_and_removing_the_first_keeps_the_second(stores: Stores) -> None:
    stores.access_tokens.create(1, token_id="zz-first", token_hash=_hash("memos_pat_1"))
    stores.access_tokens.create(1, token_id="aa-second", token_hash=_hash("memos_pat_2"))
    assert [t.token_id for t in stores.access_tokens.list_for_user(1)] == [
        "zz-first",
        "aa-second",
    ]
    stores.access_tokens.delete(1, "zz-first")
    assert [t.token_id for t in stores.access_tokens.list_for_user(1)] == ["aa-second"]


def test_lookup_by_hash_finds_the_owner_and_token_among_many(stores: Stores) -> None:
    # Given two users with two tokens each
    alice = stores.users.create(NewUser(username="alice"))
    bob = stores.users.create(NewUser(username="bob"))
    for owner in (alice, bob):
        for index in range(2):
            stores.access_tokens.create(
                owner.id,
                token_id=f"{owner.username}-{index}",
                token_hash=_hash(f"memos_pat_{owner.username}{index}"),
            )
    # When looking up one of bob's tokens by hash
    match = stores.access_tokens.find_by_hash(_hash("memos_pat_bob1"))
    # Then it names bob and that token, and both records can be read
    assert match is not None
    assert (match.user_id, match.token_id, match.expires_at) == (bob.id, "bob-1", None)
    found_owner = stores.users.get(match.user_id)
    assert found_owner is not None
    assert found_owner.username == "bob"
    record = stores.access_tokens.get(match.user_id, match.token_id)
    assert record is not None
    assert record.token_hash == _hash("memos_pat_bob1")


def test_unknown_hash_is_not_found(stores: Stores) -> None:
    stores.access_tokens.create(1, token_id="t-1", token_hash=_hash("memos_pat_a"))
    assert stores.access_tokens.find_by_hash(_hash("memos_pat_other")) is None


def test_expired_token_is_still_found_and_carries_a_ttl(stores: Stores) -> None:
    stores.access_tokens.create(
        1, token_id="old", token_hash=_hash("memos_pat_old"), expires_at=1_000_000
    )
    match = stores.access_tokens.find_by_hash(_hash("memos_pat_old"))
    assert match is not None
    assert match.expires_at == 1_000_000
    for key in (keys.pat_key(1, "old"), keys.pat_hash_key(_hash("memos_pat_old"))):
        item = stores.table.get(key)
        assert item is not None
        assert item[TTL_ATTRIBUTE] == 1_000_000 + GRACE_SECONDS


def test_token_without_expiry_has_no_ttl(stores: Stores) -> None:
    token = stores.access_tokens.create(1, token_id="forever", token_hash=_hash("memos_pat_f"))
    assert token.expires_at is None
    item = stores.table.get(keys.pat_key(1, "forever"))
    assert item is not None
    assert TTL_ATTRIBUTE not in item


def test_deleting_an_unknown_token_reports_false(stores: Stores) -> None:
    assert stores.access_tokens.delete(1, "nope") is False


def test_a_hash_cannot_belong_to_two_tokens(stores: Stores) -> None:
    stores.access_tokens.create(1, token_id="t-1", token_hash=_hash("memos_pat_same"))
    with pytest.raises(AlreadyExistsError):
        stores.access_tokens.create(2, token_id="t-2", token_hash=_hash("memos_pat_same"))
    assert stores.access_tokens.list_for_user(2) == []


def test_an_imported_token_keeps_its_times_and_is_found_by_hash(stores: Stores) -> None:
    # Given a token as an import reads it, with its own creation and last-use times
    imported = PersonalAccessToken(
        user_id=3,
        token_id="t-old",
        token_hash=_hash("memos_pat_old"),
        description="from Memos",
        created_at=1_700_000_000,
        last_used_at=1_700_000_500,
    )

    # When it is stored
    stores.access_tokens.create_imported(imported)

    # Then it reads back unchanged, authenticates, and can't be stored twice
    assert stores.access_tokens.get(3, "t-old") == imported
    match = stores.access_tokens.find_by_hash(_hash("memos_pat_old"))
    assert match is not None
    assert (match.user_id, match.token_id) == (3, "t-old")
    with pytest.raises(AlreadyExistsError):
        stores.access_tokens.create_imported(imported)
