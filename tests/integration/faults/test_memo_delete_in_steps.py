"""A memo delete too big for one transaction, cut short between its transactions.

The memo has more reactions than one transaction can delete, an attachment and a reference to
another memo. Every TransactWriteItems after the delete's first one fails to connect (nothing
of it written) until DynamoDB is back. The first transaction removed all a client sees; the
extras item, marked, still lists what is left, and a retry of DeleteMemo finishes from it.

The transaction limit is lowered to ten for these tests, so a dozen reactions make such a memo:
moto copies the whole table in every transaction, and the hundred-odd reactions the real limit
needs would take minutes to write.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from botocore.exceptions import EndpointConnectionError

from functions.memo import writing
from functions.memo.service import MemoService
from functions.memo.writing import MemoWriter
from memos.config import Settings
from memos.domain.enums import Role
from memos.rpc.app import create_service_app
from memos.store import keys, writes
from memos.store.blobs import attachment_object_key, thumbnail_object_key
from memos.store.memos import Memo
from tests.integration.memo.conftest import MemoApi, add_attachment, add_user, token_of
from tests.integration.user.conftest import TokensForUsers

if TYPE_CHECKING:
    from pathlib import Path

    from memos.store import Stores
    from memos.store.blobs import BlobStore
    from memos.store.users import User

LIMIT = 10
REACTIONS = LIMIT + 2


class FailAfterFirst:
    """Lets the first TransactWriteItems through, then fails every one until healed."""

    def __init__(self, stores: Stores) -> None:
        self._events = stores.table.client.meta.events
        self.calls = 0
        hook: Any = self
        self._events.register("before-send.dynamodb.TransactWriteItems", hook)

    def __call__(self, request: Any, **_kwargs: Any) -> None:
        self.calls += 1
        if self.calls > 1:
            # Raising stops botocore before moto sees the request: nothing of it is written.
            raise EndpointConnectionError(endpoint_url=request.url)

    def heal(self) -> None:
        hook: Any = self
        self._events.unregister("before-send.dynamodb.TransactWriteItems", hook)


@pytest.fixture(autouse=True)
def small_transactions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writes, "TRANSACTION_LIMIT", LIMIT)
    monkeypatch.setattr(writing, "TRANSACTION_LIMIT", LIMIT)


@pytest.fixture
def api(moto_stores: Stores, tmp_path: Path) -> MemoApi:
    service = MemoService(moto_stores, Settings(local_data_dir=str(tmp_path)))
    app = create_service_app(service, verifier=TokensForUsers(moto_stores), cors_origins=[])
    return MemoApi(app)


@pytest.fixture
def owner(moto_stores: Stores) -> User:
    return add_user(moto_stores, "owner")


@pytest.fixture
def big_memo(moto_stores: Stores, api: MemoApi, owner: User) -> dict[str, Any]:
    """A PUBLIC memo with an attachment, a reference to another memo and many reactions."""
    token = token_of(owner)
    other = api.create(token, "other", visibility="PUBLIC")
    attachment = add_attachment(moto_stores, owner.id, "a.txt")
    memo = api.create(
        token,
        "#tag big",
        visibility="PUBLIC",
        attachments=[{"name": f"attachments/{attachment.uid}"}],
        relations=[{"relatedMemo": {"name": other["name"]}}],
    )
    add_reactions(moto_stores, memo, owner)
    return {"memo": memo, "other": other, "attachment": attachment.uid}


def uid_of(memo: dict[str, Any]) -> str:
    return str(memo["name"]).split("/")[1]


def add_reactions(stores: Stores, memo: dict[str, Any], owner: User) -> None:
    """Enough reactions on ``memo`` that deleting it takes more than one transaction."""
    stored = stores.memos.get(uid_of(memo))
    assert isinstance(stored, Memo)
    writer = MemoWriter(stores)
    for index in range(REACTIONS):
        writer.add_reaction(stored, owner.id, f"r{index}")


def delete_cut_short(api: MemoApi, stores: Stores, name: str, token: str) -> None:
    """A DeleteMemo that fails after its first transaction, then DynamoDB back."""
    fault = FailAfterFirst(stores)
    assert api.connect("DeleteMemo", {"name": name}, token).status != 200
    fault.heal()


def test_a_delete_cut_short_shows_nothing_half_done_and_a_retry_finishes_it(
    moto_stores: Stores, api: MemoApi, owner: User, big_memo: dict[str, Any]
) -> None:
    # Given a memo too big to delete in one transaction, and DynamoDB failing after one
    memo, other = big_memo["memo"], big_memo["other"]
    token = token_of(owner)
    extras_before = moto_stores.memo_extras.get(uid_of(memo))
    assert len(extras_before.reactions) == REACTIONS
    fault = FailAfterFirst(moto_stores)

    # When the owner deletes it
    failed = api.connect("DeleteMemo", {"name": memo["name"]}, token)

    # Then the call fails, yet the memo is gone for every read: not found, not listed, its
    # attachment gone, the other memo shows no relation to it
    assert failed.status != 200
    fault.heal()
    assert api.error("GetMemo", {"name": memo["name"]}, token)[1] == "not_found"
    listed = api.list(token).get("memos", [])
    assert [item["name"] for item in listed] == [other["name"]]
    assert moto_stores.attachments.get(big_memo["attachment"]) is None
    assert api.ok("ListMemoRelations", {"name": other["name"]}, token).get("relations", []) == []

    # When the owner retries the delete
    api.ok("DeleteMemo", {"name": memo["name"]}, token)

    # Then nothing of the memo is left: no extras item, no reactions, no relation entry
    assert moto_stores.table.query_all(keys.memo_partition(uid_of(memo)), consistent=True) == []
    assert all(
        moto_stores.memo_extras.get_reaction(reaction.id) is None
        for reaction in extras_before.reactions
    )
    assert moto_stores.memo_extras.get(uid_of(other)).relations == ()
    # and a further retry is told the memo is not found
    assert api.error("DeleteMemo", {"name": memo["name"]}, token)[1] == "not_found"


def test_only_the_creator_or_an_admin_finishes_a_delete_cut_short(
    moto_stores: Stores, api: MemoApi, owner: User, big_memo: dict[str, Any]
) -> None:
    # Given a delete of a big memo cut short after its first transaction
    memo = big_memo["memo"]
    delete_cut_short(api, moto_stores, memo["name"], token_of(owner))
    stranger = add_user(moto_stores, "stranger")
    admin = add_user(moto_stores, "admin", role=Role.ADMIN)

    # When another user retries it, then an admin
    by_stranger = api.error("DeleteMemo", {"name": memo["name"]}, token_of(stranger))
    api.ok("DeleteMemo", {"name": memo["name"]}, token_of(admin))

    # Then the other user is told it is not found, and the admin's retry finished the delete
    assert by_stranger[1] == "not_found"
    assert moto_stores.table.query_all(keys.memo_partition(uid_of(memo)), consistent=True) == []


def test_a_retry_on_the_parent_finishes_a_comment_delete_cut_short(
    moto_stores: Stores, api: MemoApi, owner: User
) -> None:
    # Given a memo whose comment is too big to delete in one transaction
    token = token_of(owner)
    parent = api.create(token, "parent", visibility="PUBLIC")
    comment = api.ok(
        "CreateMemoComment",
        {"name": parent["name"], "comment": {"content": "reply", "visibility": "PUBLIC"}},
        token,
    )
    add_reactions(moto_stores, comment, owner)

    # When deleting the parent is cut short inside the comment's delete, then retried
    delete_cut_short(api, moto_stores, parent["name"], token)
    assert api.error("GetMemo", {"name": comment["name"]}, token)[1] == "not_found"
    api.ok("DeleteMemo", {"name": parent["name"]}, token)

    # Then the comment's leftovers are gone with the parent
    for memo in (parent, comment):
        assert moto_stores.table.query_all(keys.memo_partition(uid_of(memo)), consistent=True) == []


def test_a_retry_that_finishes_a_delete_cut_short_removes_its_attachment_objects(
    moto_stores: Stores,
    attachment_bucket: BlobStore,
    api: MemoApi,
    owner: User,
    big_memo: dict[str, Any],
) -> None:
    # Given a big memo whose attachment has bytes and a thumbnail, an unrelated object, and a
    # delete cut short after the transaction that removed the attachment's record
    attached = big_memo["attachment"]
    attachment_bucket.put(attachment_object_key(attached), b"bytes", "text/plain")
    attachment_bucket.put(thumbnail_object_key(attached), b"thumb", "image/png")
    attachment_bucket.put(attachment_object_key("unrelated"), b"other", "text/plain")
    token = token_of(owner)
    delete_cut_short(api, moto_stores, big_memo["memo"]["name"], token)
    assert moto_stores.attachments.get(attached) is None

    # When the owner retries the delete
    api.ok("DeleteMemo", {"name": big_memo["memo"]["name"]}, token)

    # Then the attachment's bytes and thumbnail are gone with it; the unrelated object stays
    assert attachment_bucket.head(attachment_object_key(attached)) is None
    assert attachment_bucket.head(thumbnail_object_key(attached)) is None
    assert attachment_bucket.head(attachment_object_key("unrelated")) is not None


def test_a_retry_on_the_parent_removes_the_objects_of_a_comment_delete_cut_short(
    moto_stores: Stores, attachment_bucket: BlobStore, api: MemoApi, owner: User
) -> None:
    # Given a comment too big to delete in one transaction, with an attachment in the bucket
    token = token_of(owner)
    parent = api.create(token, "parent", visibility="PUBLIC")
    attachment = add_attachment(moto_stores, owner.id, "c.txt")
    attachment_bucket.put(attachment_object_key(attachment.uid), b"bytes", "text/plain")
    comment = api.ok(
        "CreateMemoComment",
        {
            "name": parent["name"],
            "comment": {
                "content": "reply",
                "visibility": "PUBLIC",
                "attachments": [{"name": f"attachments/{attachment.uid}"}],
            },
        },
        token,
    )
    add_reactions(moto_stores, comment, owner)

    # When deleting the parent is cut short inside the comment's delete, then retried
    delete_cut_short(api, moto_stores, parent["name"], token)
    assert moto_stores.attachments.get(attachment.uid) is None
    api.ok("DeleteMemo", {"name": parent["name"]}, token)

    # Then the comment's attachment bytes are gone too
    assert attachment_bucket.head(attachment_object_key(attachment.uid)) is None
