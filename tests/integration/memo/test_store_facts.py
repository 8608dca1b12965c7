"""Memos' store-level facts and remaining scenarios, through the API (memos.md §14,
shortcuts-activities.md §3 "activity_deleted_memo_test")."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from tests.integration.memo.conftest import add_user, token_of

if TYPE_CHECKING:
    from memos.store import Stores
    from tests.integration.memo.conftest import MemoApi

VALID_UIDS = [
    "a",
    "ab",
    "abc123",
    "1abc-123",
    "A123B456C789",
    "a--b",
    "a-1b-2c",
    "012345678901234567890123456789",
    "a1234567890123456789012345678901",
]
INVALID_UIDS = ["-abc123", "abc123-", "a*b&c", "invalid uid with spaces", "a" * 33]


@pytest.mark.parametrize("uid", VALID_UIDS)
def test_valid_memo_ids_are_accepted(api: MemoApi, stores: Stores, uid: str) -> None:
    token = token_of(add_user(stores, "namer"))
    assert api.create(token, "x", memo_id=uid)["name"] == f"memos/{uid}"


@pytest.mark.parametrize("uid", INVALID_UIDS)
def test_invalid_memo_ids_are_refused(api: MemoApi, stores: Stores, uid: str) -> None:
    token = token_of(add_user(stores, "namer"))
    _, code, message = api.error("CreateMemo", {"memo": {"content": "x"}, "memoId": uid}, token)
    assert code == "invalid_argument"
    assert message.startswith("invalid memo_id format")


def test_an_empty_memo_id_gets_a_22_character_uid(api: MemoApi, stores: Stores) -> None:
    token = token_of(add_user(stores, "namer"))
    uid = api.create(token, "x", memo_id="  ")["name"].split("/")[1]
    assert len(uid) == 22
    assert set(uid) <= set("23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz")


def relations_of(api: MemoApi, name: str, token: str) -> list[tuple[str, str, str]]:
    reply = api.ok("ListMemoRelations", {"name": name}, token)
    return [
        (r["memo"]["name"], r["relatedMemo"]["name"], r["type"]) for r in reply.get("relations", [])
    ]


def test_relation_facts(api: MemoApi, stores: Stores) -> None:
    token = token_of(add_user(stores, "linker"))
    a, b = api.create(token, "a")["name"], api.create(token, "b")["name"]
    refs = [{"relatedMemo": {"name": b}}]

    # A reference set twice is one relation; a self link and COMMENT entries are skipped
    api.ok(
        "SetMemoRelations",
        {"name": a, "relations": refs + refs + [{"relatedMemo": {"name": a}}]},
        token,
    )
    api.ok("SetMemoRelations", {"name": a, "relations": refs}, token)
    assert relations_of(api, a, token) == [(a, b, "REFERENCE")]

    # A -> B and B -> A may both exist; each side lists outgoing first, then incoming
    api.ok("SetMemoRelations", {"name": b, "relations": [{"relatedMemo": {"name": a}}]}, token)
    assert relations_of(api, a, token) == [(a, b, "REFERENCE"), (b, a, "REFERENCE")]

    # A COMMENT and a REFERENCE between the same pair coexist
    comment = api.ok("CreateMemoComment", {"name": a, "comment": {"content": "c"}}, token)["name"]
    api.ok(
        "SetMemoRelations", {"name": comment, "relations": [{"relatedMemo": {"name": a}}]}, token
    )
    assert relations_of(api, comment, token) == [
        (comment, a, "COMMENT"),
        (comment, a, "REFERENCE"),
    ]

    # Sending back a memo's relations unchanged (incoming and COMMENT included) changes nothing
    before = relations_of(api, comment, token)
    sent = api.ok("GetMemo", {"name": comment}, token)["relations"]
    api.ok("SetMemoRelations", {"name": comment, "relations": sent}, token)
    assert relations_of(api, comment, token) == before


def test_five_memos_can_reference_one(api: MemoApi, stores: Stores) -> None:
    token = token_of(add_user(stores, "hub"))
    hub = api.create(token, "hub")["name"]
    for index in range(5):
        api.create(token, f"spoke {index}", relations=[{"relatedMemo": {"name": hub}}])
    incoming = [r for r in relations_of(api, hub, token) if r[1] == hub]
    assert len(incoming) == 5


def test_one_user_may_add_different_reactions_to_one_memo(api: MemoApi, stores: Stores) -> None:
    token = token_of(add_user(stores, "fan"))
    memo = api.create(token, "react")["name"]
    for kind in ("👍", "🎉"):
        api.ok(
            "UpsertMemoReaction",
            {"name": memo, "reaction": {"contentId": memo, "reactionType": kind}},
            token,
        )
    reactions = api.ok("ListMemoReactions", {"name": memo}, token)["reactions"]
    assert [r["reactionType"] for r in reactions] == ["👍", "🎉"]
    assert reactions[0]["contentId"] == memo
    assert reactions[0]["name"].startswith(f"{memo}/reactions/")


def activities(api: MemoApi, token: str) -> list[dict[str, Any]]:
    return list(
        api.ok("ListActivities", {}, token, service="ActivityService").get("activities", [])
    )


def test_activities_of_a_deleted_memo_disappear(api: MemoApi, stores: Stores) -> None:
    # Given U1's PUBLIC memos M1, M2 and U2's PUBLIC comment on each
    u1, u2 = add_user(stores, "u1"), add_user(stores, "u2")
    t1, t2 = token_of(u1), token_of(u2)
    m1, m2 = api.create(t1, "m1", visibility="PUBLIC"), api.create(t1, "m2", visibility="PUBLIC")
    for memo in (m1, m2):
        api.ok(
            "CreateMemoComment",
            {"name": memo["name"], "comment": {"content": "c", "visibility": "PUBLIC"}},
            t2,
        )
    listed = activities(api, t1)
    assert len(listed) == 2
    on_m1 = next(a for a in listed if a["payload"]["memoComment"]["relatedMemo"] == m1["name"])

    # When U1 deletes M1 (its comment goes with it)
    api.ok("DeleteMemo", {"name": m1["name"]}, t1)

    # Then one activity remains, about M2, and the other reads as deleted content
    remaining = activities(api, t1)
    assert [a["payload"]["memoComment"]["relatedMemo"] for a in remaining] == [m2["name"]]
    response = api.connect("GetActivity", {"name": on_m1["name"]}, t1, service="ActivityService")
    assert response.status == 404
    assert "activity references deleted content" in response.json()["message"]


def test_self_comments_leave_no_activity(api: MemoApi, stores: Stores) -> None:
    token = token_of(add_user(stores, "solo"))
    memo = api.create(token, "mine", visibility="PUBLIC")
    api.ok(
        "CreateMemoComment",
        {"name": memo["name"], "comment": {"content": "me", "visibility": "PUBLIC"}},
        token,
    )
    assert activities(api, token) == []


def test_rest_create_update_and_delete(api: MemoApi, stores: Stores) -> None:
    token = token_of(add_user(stores, "rester"))
    created = api.rest(
        "POST",
        "/api/v1/memos",
        {"content": "#rest hi", "visibility": "PUBLIC"},
        token,
        query="memoId=rest-1",
    )
    assert created.status == 200, created.body
    assert created.json()["name"] == "memos/rest-1"
    # PATCH without updateMask: the mask comes from the body's keys
    patched = api.rest(
        "PATCH", "/api/v1/memos/rest-1", {"content": "changed", "pinned": True}, token
    )
    assert patched.status == 200, patched.body
    assert (patched.json()["content"], patched.json()["pinned"]) == ("changed", True)
    listed = api.rest("GET", "/api/v1/memos", token=token, query="pageSize=5&filter=pinned")
    assert [m["name"] for m in listed.json()["memos"]] == ["memos/rest-1"]
    assert api.rest("DELETE", "/api/v1/memos/rest-1", token=token).status == 200
    missing = api.rest("GET", "/api/v1/memos/rest-1", token=token)
    assert (missing.status, missing.json()["code"]) == (404, 5)
