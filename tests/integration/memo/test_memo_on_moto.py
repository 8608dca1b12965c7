"""One MemoService story against moto (boto3, botocore and the emulated DynamoDB wire)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from functions.activity.service import ActivityService
from functions.memo.service import MemoService
from functions.user.service import UserService
from memos.config import Settings
from memos.rpc.app import create_service_app
from tests.integration.memo.conftest import MemoApi, add_attachment, add_user, token_of
from tests.integration.user.conftest import TokensForUsers

if TYPE_CHECKING:
    from pathlib import Path

    from memos.store import Stores


@pytest.fixture
def moto_api(moto_stores: Stores, tmp_path: Path) -> MemoApi:
    settings = Settings(local_data_dir=str(tmp_path))
    app = create_service_app(
        MemoService(moto_stores, settings),
        UserService(moto_stores, settings),
        ActivityService(moto_stores),
        verifier=TokensForUsers(moto_stores),
        cors_origins=[],
    )
    return MemoApi(app)


def test_write_list_respond_and_delete_on_moto(moto_api: MemoApi, moto_stores: Stores) -> None:
    # Given two users, a tagged PUBLIC memo with an attachment, a comment and a reaction
    author, guest = add_user(moto_stores, "author"), add_user(moto_stores, "guest")
    ta, tg = token_of(author), token_of(guest)
    attachment = add_attachment(moto_stores, author.id, "a.txt")
    memo = moto_api.create(
        ta,
        "#work/q1 hello",
        visibility="PUBLIC",
        attachments=[{"name": f"attachments/{attachment.uid}"}],
    )
    moto_api.ok(
        "CreateMemoComment",
        {"name": memo["name"], "comment": {"content": "hi", "visibility": "PUBLIC"}},
        tg,
    )
    moto_api.ok(
        "UpsertMemoReaction",
        {"name": memo["name"], "reaction": {"contentId": memo["name"], "reactionType": "👍"}},
        tg,
    )

    # Then Explore, the tag filter and the stats see it
    listed = moto_api.list(None, filter='visibility in ["PUBLIC"] && tag in ["work"]')["memos"]
    assert [m["name"] for m in listed] == [memo["name"]]
    assert len(listed[0]["reactions"]) == 1
    assert len(listed[0]["attachments"]) == 1
    stats = moto_api.ok("GetUserStats", {"name": f"users/{author.id}"}, ta, service="UserService")
    assert stats["tagCount"] == {"work/q1": 1}
    assert len(moto_api.ok("ListActivities", {}, ta, service="ActivityService")["activities"]) == 1

    # When the author deletes it
    moto_api.ok("DeleteMemo", {"name": memo["name"]}, ta)

    # Then nothing lists it and its stats are back to zero
    assert moto_api.list(None).get("memos", []) == []
    stats = moto_api.ok("GetUserStats", {"name": f"users/{author.id}"}, ta, service="UserService")
    assert stats.get("totalMemoCount", 0) == 0
    assert moto_stores.attachments.get(attachment.uid) is None
