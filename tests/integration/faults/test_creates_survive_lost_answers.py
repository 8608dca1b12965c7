"""Every create that must not overwrite anything succeeds once when its answer is lost.

The write lands in moto, the SDK is answered a 500 and sends the same request again (see
:class:`AnswerLost`); the retry meets the item its own first attempt wrote. Users (with their
username guards), memos, comments (with their activity and inbox item), renames, identity
providers, attachments and notifications each recognise their own write and answer success,
and nothing is stored twice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from functions.activity.service import ActivityService
from functions.idp.service import IdentityProviderService
from functions.memo.service import MemoService
from functions.user.service import UserService
from memos.config import Settings
from memos.domain.enums import Role
from memos.rpc.app import create_service_app
from memos.store.attachments import Attachment
from tests.integration.faults.test_ambiguous_writes_idempotent import AnswerLost
from tests.integration.idp.conftest import oauth2_provider
from tests.integration.user.conftest import TokensForUsers, add_user, token_of
from tests.service_api import ServiceApi

if TYPE_CHECKING:
    from pathlib import Path

    from memos.store import Stores


@pytest.fixture
def api(moto_stores: Stores, tmp_path: Path) -> ServiceApi:
    """The user, memo, activity and identity provider services over moto."""
    settings = Settings(local_data_dir=str(tmp_path))
    app = create_service_app(
        UserService(moto_stores, settings),
        MemoService(moto_stores, settings),
        ActivityService(moto_stores),
        IdentityProviderService(moto_stores),
        verifier=TokensForUsers(moto_stores),
        cors_origins=[],
    )
    return ServiceApi(app, "UserService")


def test_a_sign_up_whose_transaction_answer_is_lost_creates_one_user(
    moto_stores: Stores, api: ServiceApi
) -> None:
    # Given an empty instance, and the answer to the user's TransactWriteItems lost once
    fault = AnswerLost(moto_stores, "TransactWriteItems")

    # When someone signs up
    created = api.ok("CreateUser", {"user": {"username": "alice", "password": "secret-pw"}})

    # Then they are the one user, found by name, counted once and listed once
    assert fault.retried
    assert created["username"] == "alice"
    assert created["role"] == "ADMIN"
    assert moto_stores.users.count() == 1
    assert [user.username for user in moto_stores.users.list_all_users()] == ["alice"]
    assert moto_stores.users.get_by_username("alice") is not None


def test_a_rename_whose_transaction_answer_is_lost_succeeds(
    moto_stores: Stores, api: ServiceApi
) -> None:
    # Given a user, and the answer to the rename's TransactWriteItems lost once
    user = add_user(moto_stores, "alice")
    fault = AnswerLost(moto_stores, "TransactWriteItems")

    # When they rename themselves
    renamed = api.ok(
        "UpdateUser",
        {"user": {"name": f"users/{user.id}", "username": "alicia"}, "updateMask": "username"},
        token_of(user),
    )

    # Then the rename succeeded: the new name finds them, the old one no longer does
    assert fault.retried
    assert renamed["username"] == "alicia"
    assert moto_stores.users.get_by_username("alicia") is not None
    assert moto_stores.users.get_by_username("alice") is None


def test_a_memo_whose_transaction_answer_is_lost_is_created_once(
    moto_stores: Stores, api: ServiceApi
) -> None:
    # Given a user, and the answer to the memo's TransactWriteItems lost once
    token = token_of(add_user(moto_stores, "alice"))
    fault = AnswerLost(moto_stores, "TransactWriteItems")

    # When they create a memo
    created = api.ok("CreateMemo", {"memo": {"content": "hello"}}, token, service="MemoService")

    # Then it is created, and listed once
    assert fault.retried
    listed = api.ok("ListMemos", {}, token, service="MemoService")
    assert [memo["name"] for memo in listed["memos"]] == [created["name"]]


def test_a_comment_whose_transaction_answer_is_lost_is_created_once_with_its_inbox_item(
    moto_stores: Stores, api: ServiceApi
) -> None:
    # Given someone's memo, and the answer to a comment's TransactWriteItems lost once
    owner = add_user(moto_stores, "owner")
    commenter = token_of(add_user(moto_stores, "commenter"))
    memo = api.ok(
        "CreateMemo",
        {"memo": {"content": "parent", "visibility": "PUBLIC"}},
        token_of(owner),
        service="MemoService",
    )
    fault = AnswerLost(moto_stores, "TransactWriteItems")

    # When another user comments on it
    api.ok(
        "CreateMemoComment",
        {"name": memo["name"], "comment": {"content": "nice", "visibility": "PUBLIC"}},
        commenter,
        service="MemoService",
    )

    # Then there is one comment, one activity and one inbox item for the owner
    assert fault.retried
    comments = api.ok("ListMemoComments", {"name": memo["name"]}, commenter, service="MemoService")
    assert [comment["content"] for comment in comments["memos"]] == ["nice"]
    assert len(moto_stores.activities.list_newest_first()) == 1
    assert len(moto_stores.notifications.list_for_receiver(owner.id)) == 1


def test_an_identity_provider_whose_write_answer_is_lost_is_created_once(
    moto_stores: Stores, api: ServiceApi
) -> None:
    # Given an admin, and the answer to the provider's PutItem lost once
    admin = add_user(moto_stores, "admin", role=Role.ADMIN)
    fault = AnswerLost(moto_stores, "PutItem")

    # When the admin creates a provider
    created = api.ok(
        "CreateIdentityProvider",
        {"identityProvider": oauth2_provider()},
        token_of(admin),
        service="IdentityProviderService",
    )

    # Then it is created, and stored once
    assert fault.retried
    assert [provider.title for provider in moto_stores.identity_providers.list()] == [
        created["title"]
    ]


def test_an_attachment_whose_write_answer_is_lost_is_created_once(moto_stores: Stores) -> None:
    # Given a user, and the answer to the attachment's PutItem lost once
    user = add_user(moto_stores, "alice")
    attachment = Attachment(
        id=moto_stores.attachments.next_id(),
        uid="att1",
        creator_id=user.id,
        filename="a.txt",
        type="text/plain",
        size=5,
        created_ts=1_700_000_000,
        updated_ts=1_700_000_000,
    )
    fault = AnswerLost(moto_stores, "PutItem")

    # When its record is created
    moto_stores.attachments.create(attachment)

    # Then the create succeeded and the record is the one written
    assert fault.retried
    assert moto_stores.attachments.get("att1") == attachment


def test_a_notification_whose_write_answer_is_lost_is_created_once(moto_stores: Stores) -> None:
    # Given two users, and the answer to a notification's PutItem lost once
    receiver = add_user(moto_stores, "receiver")
    sender = add_user(moto_stores, "sender")
    fault = AnswerLost(moto_stores, "PutItem")

    # When a notification is created for the receiver
    created = moto_stores.notifications.create(receiver_id=receiver.id, sender_id=sender.id)

    # Then the create succeeded, and the receiver has that one notification
    assert fault.retried
    assert moto_stores.notifications.list_for_receiver(receiver.id) == [created]


def test_a_reaction_whose_transaction_answer_is_lost_is_added_once(
    moto_stores: Stores, api: ServiceApi
) -> None:
    # Given a memo, and the answer to a reaction's TransactWriteItems lost once
    token = token_of(add_user(moto_stores, "alice"))
    memo = api.ok("CreateMemo", {"memo": {"content": "hello"}}, token, service="MemoService")
    fault = AnswerLost(moto_stores, "TransactWriteItems")

    # When its creator reacts to it
    api.ok(
        "UpsertMemoReaction",
        {"name": memo["name"], "reaction": {"contentId": memo["name"], "reactionType": "👍"}},
        token,
        service="MemoService",
    )

    # Then the reaction is added (not refused as already there), once
    assert fault.retried
    reactions = api.ok("ListMemoReactions", {"name": memo["name"]}, token, service="MemoService")
    assert [reaction["reactionType"] for reaction in reactions["reactions"]] == ["👍"]
