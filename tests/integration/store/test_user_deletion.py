"""Deleting a user removes what the user owns in the table, and nothing of anyone else."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from memos.store.sessions import RefreshSession
from memos.store.user_stats import UserStats
from memos.store.users import NewUser

if TYPE_CHECKING:
    from memos.store import Stores
    from memos.store.users import User


def _populate(stores: Stores, user: User) -> None:
    name = user.username
    stores.user_settings.upsert(user.id, "GENERAL", {"locale": "en"})
    stores.access_tokens.create(
        user.id, token_id=f"{name}-pat", token_hash=hashlib.sha256(name.encode()).hexdigest()
    )
    stores.sessions.create(RefreshSession(user.id, f"{name}-session", "tid", 1, 1, 2_000_000_000))
    stores.webhooks.create(user.id, webhook_id=f"{name}-hook", title="t", url="https://x.test")
    stores.notifications.create(receiver_id=user.id, sender_id=99)
    stores.user_stats.save(UserStats(user_id=user.id, visibility="PUBLIC", total=1))


def test_delete_removes_the_users_items_and_keeps_others(stores: Stores) -> None:
    # Given two users with settings, a token, a session, a webhook, a notification and stats
    doomed = stores.users.create(NewUser(username="doomed"))
    kept = stores.users.create(NewUser(username="kept"))
    _populate(stores, doomed)
    _populate(stores, kept)

    # When the first is deleted
    assert stores.users.delete(doomed.id) is True

    # Then its items are gone, its username is free, and its stats remain (its memos do too)
    assert stores.users.get(doomed.id) is None
    assert stores.users.get_by_username("doomed") is None
    assert stores.user_settings.list_for_user(doomed.id) == []
    assert stores.access_tokens.list_for_user(doomed.id) == []
    assert stores.access_tokens.find_by_hash(hashlib.sha256(b"doomed").hexdigest()) is None
    assert stores.sessions.list_for_user(doomed.id) == []
    assert stores.webhooks.list_for_user(doomed.id) == []
    assert stores.notifications.list_for_receiver(doomed.id) == []
    assert stores.user_stats.get(doomed.id, ["PUBLIC"])[0].total == 1
    # and the other user is untouched
    assert stores.users.get(kept.id) == kept
    assert len(stores.user_settings.list_for_user(kept.id)) == 1
    assert len(stores.access_tokens.list_for_user(kept.id)) == 1
    assert stores.access_tokens.find_by_hash(hashlib.sha256(b"kept").hexdigest()) is not None
    assert len(stores.sessions.list_for_user(kept.id)) == 1
    assert len(stores.webhooks.list_for_user(kept.id)) == 1
    assert len(stores.notifications.list_for_receiver(kept.id)) == 1
    # and the freed username can be taken again
    assert stores.users.create(NewUser(username="doomed")).id != doomed.id
