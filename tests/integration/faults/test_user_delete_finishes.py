"""DeleteUser whose cleanup is cut short: a retry finishes it instead of answering not found.

The user's transaction (profile, username guards, count, directory entry, deletion marker)
lands; every BatchWriteItem of the cleanup after it fails to connect until DynamoDB is back.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

import pytest
from botocore.exceptions import EndpointConnectionError

from functions.user.service import UserService
from memos.config import Settings
from memos.domain.enums import Role
from memos.rpc.app import create_service_app
from memos.store import keys
from memos.store.sessions import RefreshSession
from tests.integration.faults.test_writes_never_half_done import fail, heal
from tests.integration.user.conftest import (
    PUBLIC_HOST,
    FakeResolver,
    TokensForUsers,
    add_user,
    token_of,
)
from tests.service_api import ServiceApi

if TYPE_CHECKING:
    from pathlib import Path

    from memos.store import Stores
    from memos.store.users import User


@pytest.fixture
def api(moto_stores: Stores, tmp_path: Path) -> ServiceApi:
    service = UserService(
        moto_stores, Settings(local_data_dir=str(tmp_path)), resolve_webhook_host=FakeResolver()
    )
    app = create_service_app(service, verifier=TokensForUsers(moto_stores), cors_origins=[])
    return ServiceApi(app, "UserService")


@pytest.fixture
def admin(moto_stores: Stores) -> User:
    return add_user(moto_stores, "admin", role=Role.ADMIN)


@pytest.fixture
def doomed(moto_stores: Stores) -> User:
    """A user with a setting, a personal access token, a session, a webhook and a notification."""
    user = add_user(moto_stores, "doomed")
    moto_stores.user_settings.upsert(user.id, "GENERAL", {"locale": "en"})
    moto_stores.access_tokens.create(
        user.id, token_id="pat", token_hash=hashlib.sha256(b"doomed").hexdigest()
    )
    moto_stores.sessions.create(RefreshSession(user.id, "session", "tid", 1, 1, 2_000_000_000))
    moto_stores.webhooks.create(
        user.id, webhook_id="hook", title="t", url=f"https://{PUBLIC_HOST}/hook"
    )
    moto_stores.notifications.create(receiver_id=user.id, sender_id=99)
    return user


def partition(stores: Stores, user: User) -> list[str]:
    items = stores.table.query_all(keys.user_partition(user.id), consistent=True)
    return [str(item["sk"]) for item in items]


def test_a_retry_of_a_delete_whose_cleanup_was_cut_short_finishes_it(
    moto_stores: Stores, api: ServiceApi, admin: User, doomed: User
) -> None:
    # Given DynamoDB failing every batch write
    fail(moto_stores, "BatchWriteItem")

    # When an admin deletes the user
    failed = api.connect("DeleteUser", {"name": f"users/{doomed.id}"}, token_of(admin))

    # Then the call fails, the user is already gone, but its items are still there
    assert failed.status != 200
    heal(moto_stores, "BatchWriteItem")
    assert moto_stores.users.get(doomed.id) is None
    assert moto_stores.webhooks.list_for_user(doomed.id) != []

    # When the admin retries the delete
    api.ok("DeleteUser", {"name": f"users/{doomed.id}"}, token_of(admin))

    # Then the cleanup is finished: nothing of the user is left, its token's lookup included
    assert partition(moto_stores, doomed) == []
    assert moto_stores.access_tokens.find_by_hash(hashlib.sha256(b"doomed").hexdigest()) is None
    # and a further retry is told the user is not found
    again = api.connect("DeleteUser", {"name": f"users/{doomed.id}"}, token_of(admin))
    assert again.status == 404, again.body


def test_a_finished_delete_leaves_no_marker(
    moto_stores: Stores, api: ServiceApi, admin: User, doomed: User
) -> None:
    # When an admin deletes the user and nothing fails
    api.ok("DeleteUser", {"name": f"users/{doomed.id}"}, token_of(admin))

    # Then the user's partition is empty, and deleting again is not found
    assert partition(moto_stores, doomed) == []
    again = api.connect("DeleteUser", {"name": f"users/{doomed.id}"}, token_of(admin))
    assert again.status == 404, again.body


def test_the_cleanup_failing_surfaces_as_a_dependency_fault(
    moto_stores: Stores, doomed: User
) -> None:
    # Given DynamoDB failing every batch write
    fail(moto_stores, "BatchWriteItem")

    # When the user is deleted, the failure reaches the caller
    with pytest.raises(EndpointConnectionError):
        moto_stores.users.delete(doomed.id)

    # Then, once DynamoDB is back, deleting again finishes the job and counts as done
    heal(moto_stores, "BatchWriteItem")
    assert moto_stores.users.delete(doomed.id) is True
    assert partition(moto_stores, doomed) == []
