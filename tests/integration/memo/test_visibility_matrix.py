"""GetMemo and the memo permission rules over Connect binary, Connect JSON and REST (§5)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from memos.api.v1 import memo_service_pb2 as pb
from memos.store.users import Role
from tests.integration.memo.conftest import add_user, token_of

if TYPE_CHECKING:
    from memos.store import Stores
    from tests.integration.memo.conftest import MemoApi

# visibility -> viewer -> expected (HTTP status)
MATRIX = {
    "PUBLIC": {"anonymous": 200, "other": 200, "admin": 200, "creator": 200},
    "PROTECTED": {"anonymous": 401, "other": 200, "admin": 200, "creator": 200},
    "PRIVATE": {"anonymous": 401, "other": 403, "admin": 403, "creator": 200},
}


@pytest.mark.parametrize("protocol", ["connect-json", "connect-binary", "rest"])
def test_get_memo_follows_the_visibility_matrix(
    api: MemoApi, stores: Stores, protocol: str
) -> None:
    creator = add_user(stores, "creator")
    tokens = {
        "anonymous": None,
        "other": token_of(add_user(stores, "other")),
        "admin": token_of(add_user(stores, "admin", role=Role.ADMIN)),
        "creator": token_of(creator),
    }
    for visibility, expected in MATRIX.items():
        memo = api.create(token_of(creator), f"a {visibility} memo", visibility=visibility)
        uid = memo["name"].split("/")[1]
        for viewer, status in expected.items():
            token = tokens[viewer]
            if protocol == "connect-json":
                response = api.connect("GetMemo", {"name": memo["name"]}, token)
            elif protocol == "connect-binary":
                response = api.connect_binary(
                    "GetMemo", pb.GetMemoRequest(name=memo["name"]), token
                )
            else:
                response = api.rest("GET", f"/api/v1/memos/{uid}", token=token)
            assert response.status == status, (visibility, viewer, response.body)
            if status == 200 and protocol == "connect-binary":
                assert pb.Memo.FromString(response.body).content == f"a {visibility} memo"


def test_rest_get_memo_speaks_camel_case_and_grpc_codes(api: MemoApi, stores: Stores) -> None:
    creator = add_user(stores, "creator")
    memo = api.create(token_of(creator), "#tag content", visibility="PRIVATE")
    uid = memo["name"].split("/")[1]
    reply = api.rest("GET", f"/api/v1/memos/{uid}", token=token_of(creator)).json()
    assert reply["tags"] == ["tag"]
    assert reply["property"]["hasLink"] is False
    assert reply["displayTime"] == reply["createTime"]
    denied = api.rest("GET", f"/api/v1/memos/{uid}", token=token_of(add_user(stores, "x"))).json()
    assert denied["code"] == 7


def test_admin_may_change_but_not_read_anothers_private_memo(api: MemoApi, stores: Stores) -> None:
    creator = add_user(stores, "creator")
    admin = token_of(add_user(stores, "admin", role=Role.ADMIN))
    memo = api.create(token_of(creator), "secret")
    assert api.error("GetMemo", {"name": memo["name"]}, admin)[1] == "permission_denied"
    updated = api.ok(
        "UpdateMemo",
        {"memo": {"name": memo["name"], "pinned": True}, "updateMask": "pinned"},
        admin,
    )
    assert updated["pinned"] is True
    assert api.ok("ListMemoReactions", {"name": memo["name"]}, admin).get("reactions", []) == []
    api.ok("DeleteMemo", {"name": memo["name"]}, admin)
    assert api.error("GetMemo", {"name": memo["name"]}, token_of(creator))[1] == "not_found"


def test_other_users_cannot_change_a_memo(api: MemoApi, stores: Stores) -> None:
    creator, other = add_user(stores, "creator"), token_of(add_user(stores, "other"))
    memo = api.create(token_of(creator), "public", visibility="PUBLIC")
    update = {"memo": {"name": memo["name"], "content": "x"}, "updateMask": "content"}
    assert api.error("UpdateMemo", update, other)[1] == "permission_denied"
    assert api.error("DeleteMemo", {"name": memo["name"]}, other)[1] == "permission_denied"
    assert api.error("UpdateMemo", update)[1] == "unauthenticated"


def test_responding_to_a_private_memo_needs_its_creator_or_an_admin(
    api: MemoApi, stores: Stores
) -> None:
    creator, other = add_user(stores, "creator"), token_of(add_user(stores, "other"))
    memo = api.create(token_of(creator), "private")
    comment = {"name": memo["name"], "comment": {"content": "hi"}}
    assert api.error("CreateMemoComment", comment, other)[1] == "permission_denied"
    reaction = {"name": memo["name"], "reaction": {"contentId": memo["name"], "reactionType": "👍"}}
    assert api.error("UpsertMemoReaction", reaction, other)[1] == "permission_denied"
    assert api.error("ListMemoAttachments", {"name": memo["name"]}, other)[1] == "permission_denied"
