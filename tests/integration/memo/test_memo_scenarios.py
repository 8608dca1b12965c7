"""The MemoService scenarios of Memos' own tests (spec memos.md §14)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from memos.store.users import Role
from tests.integration.memo.conftest import add_attachment, add_user, token_of

if TYPE_CHECKING:
    from memos.store import Stores
    from tests.integration.memo.conftest import MemoApi

CONTENT_123 = (
    "This memo holds exactly one hundred and twenty-three chars; its snippet is cut after "
    "sixty-four code points, at a space!!!!"
)


def test_list_memos_shows_attachments_relations_and_reactions(api: MemoApi, stores: Stores) -> None:
    # Given U1 with two attachments on a PROTECTED memo M1, U2's M2 referencing M1, U1's M3
    assert len(CONTENT_123) == 123
    u1, u2 = add_user(stores, "user1"), add_user(stores, "user2")
    t1, t2 = token_of(u1), token_of(u2)
    hello = add_attachment(stores, u1.id, "hello.txt")
    world = add_attachment(stores, u1.id, "world.txt")
    m1 = api.create(
        t1,
        CONTENT_123,
        visibility="PROTECTED",
        attachments=[{"name": f"attachments/{hello.uid}"}, {"name": f"attachments/{world.uid}"}],
    )
    m2 = api.create(
        t2, "second", visibility="PROTECTED", relations=[{"relatedMemo": {"name": m1["name"]}}]
    )
    m3 = api.create(t1, "third", visibility="PROTECTED")
    api.ok(
        "UpsertMemoReaction",
        {"name": m3["name"], "reaction": {"contentId": m3["name"], "reactionType": "❤️"}},
        t1,
    )
    api.ok(
        "UpsertMemoReaction",
        {"name": m3["name"], "reaction": {"contentId": m3["name"], "reactionType": "👍"}},
        t2,
    )

    # When U1 lists memos
    memos = {memo["name"]: memo for memo in api.list(t1, pageSize=10)["memos"]}

    # Then all three are there (U2's PROTECTED memo is visible to U1)
    assert set(memos) == {m1["name"], m2["name"], m3["name"]}
    first = memos[m1["name"]]
    assert first["creator"] == f"users/{u1.id}"
    assert first["visibility"] == "PROTECTED"
    assert first["content"] == CONTENT_123
    assert first["snippet"] == CONTENT_123[:64] + "..."
    assert {a["name"] for a in first["attachments"]} == {
        f"attachments/{hello.uid}",
        f"attachments/{world.uid}",
    }
    assert all("content" not in attachment for attachment in first["attachments"])
    relation = {"memo": m2["name"], "relatedMemo": m1["name"]}
    assert [
        {"memo": r["memo"]["name"], "relatedMemo": r["relatedMemo"]["name"]}
        for r in first["relations"]
    ] == [relation]
    assert first.get("reactions", []) == []
    second = memos[m2["name"]]
    assert second["creator"] == f"users/{u2.id}"
    assert second.get("attachments", []) == []
    assert [
        {"memo": r["memo"]["name"], "relatedMemo": r["relatedMemo"]["name"]}
        for r in second["relations"]
    ] == [relation]
    third = memos[m3["name"]]
    assert third.get("relations", []) == []
    assert [(r["creator"], r["reactionType"]) for r in third["reactions"]] == [
        (f"users/{u1.id}", "❤️"),
        (f"users/{u2.id}", "👍"),
    ]


def test_custom_timestamps_on_create(api: MemoApi, stores: Stores) -> None:
    # Given a user (display_with_update_time off)
    token = token_of(add_user(stores, "timekeeper"))
    create, update, display = (
        "2020-01-01T12:00:00Z",
        "2020-01-02T12:00:00Z",
        "2020-01-03T12:00:00Z",
    )

    # Then each given time is kept, display time goes to the creation time,
    # and an explicit create time beats the display time
    assert api.create(token, "a", createTime=create)["createTime"] == create
    assert api.create(token, "b", updateTime=update)["updateTime"] == update
    shown = api.create(token, "c", displayTime=display)
    assert (shown["displayTime"], shown["createTime"]) == (display, display)
    every = api.create(token, "d", createTime=create, updateTime=update, displayTime=display)
    assert (every["createTime"], every["updateTime"], every["displayTime"]) == (
        create,
        update,
        create,
    )


def test_comment_keeps_its_custom_create_time(api: MemoApi, stores: Stores) -> None:
    token = token_of(add_user(stores, "commenter"))
    parent = api.create(token, "parent")
    comment = api.ok(
        "CreateMemoComment",
        {"name": parent["name"], "comment": {"content": "c", "createTime": "2021-06-15T10:30:00Z"}},
        token,
    )
    assert comment["createTime"] == "2021-06-15T10:30:00Z"


def test_set_memo_attachments_permissions(api: MemoApi, stores: Stores) -> None:
    # Given a regular user's PRIVATE memo and an attachment of theirs
    owner, other = add_user(stores, "owner"), add_user(stores, "other")
    admin = add_user(stores, "admin", role=Role.ADMIN)
    memo = api.create(token_of(owner), "mine")
    attachment = add_attachment(stores, owner.id, "a.txt")
    body = {"name": memo["name"], "attachments": [{"name": f"attachments/{attachment.uid}"}]}

    # Then the owner may link it, an ADMIN may clear the list, others may not
    api.ok("SetMemoAttachments", body, token_of(owner))
    api.ok("SetMemoAttachments", {"name": memo["name"], "attachments": []}, token_of(admin))
    assert "permission denied" in api.error("SetMemoAttachments", body, token_of(other))[2]
    status, code, _ = api.error("SetMemoAttachments", body)
    assert (status, code) == (401, "unauthenticated")
    missing = {"name": "memos/nonexistent-uid-12345", "attachments": []}
    assert "not found" in api.error("SetMemoAttachments", missing, token_of(owner))[2]


def test_set_memo_relations_permissions(api: MemoApi, stores: Stores) -> None:
    owner, other = add_user(stores, "owner"), add_user(stores, "other")
    admin = add_user(stores, "admin", role=Role.ADMIN)
    first = api.create(token_of(owner), "one")
    second = api.create(token_of(owner), "two")
    body = {
        "name": first["name"],
        "relations": [{"relatedMemo": {"name": second["name"]}, "type": "REFERENCE"}],
    }

    api.ok("SetMemoRelations", body, token_of(owner))
    relations = api.ok("ListMemoRelations", {"name": first["name"]}, token_of(owner))["relations"]
    assert [(r["memo"]["name"], r["relatedMemo"]["name"], r["type"]) for r in relations] == [
        (first["name"], second["name"], "REFERENCE")
    ]
    api.ok("SetMemoRelations", {"name": first["name"], "relations": []}, token_of(admin))
    assert (
        api.ok("ListMemoRelations", {"name": first["name"]}, token_of(owner)).get("relations", [])
        == []
    )
    assert "permission denied" in api.error("SetMemoRelations", body, token_of(other))[2]
    assert api.error("SetMemoRelations", body)[1] == "unauthenticated"
    missing = {"name": "memos/nonexistent-uid-12345", "relations": []}
    assert "not found" in api.error("SetMemoRelations", missing, token_of(owner))[2]


def test_delete_memo_reaction_permissions(api: MemoApi, stores: Stores) -> None:
    # Given PUBLIC memos with 👍 reactions by a regular user
    user, other = add_user(stores, "reactor"), add_user(stores, "stranger")
    admin = add_user(stores, "admin", role=Role.ADMIN)
    memo = api.create(token_of(user), "react to me", visibility="PUBLIC")

    def react() -> str:
        reaction = api.ok(
            "UpsertMemoReaction",
            {"name": memo["name"], "reaction": {"contentId": memo["name"], "reactionType": "👍"}},
            token_of(user),
        )
        return str(reaction["name"])

    # Then the creator deletes their own, an ADMIN anyone's, others get "permission denied"
    api.ok("DeleteMemoReaction", {"name": react()}, token_of(user))
    api.ok("DeleteMemoReaction", {"name": react()}, token_of(admin))
    name = react()
    assert (
        "permission denied" in api.error("DeleteMemoReaction", {"name": name}, token_of(other))[2]
    )
    assert api.error("DeleteMemoReaction", {"name": name})[1] == "unauthenticated"
    _, _, message = api.error(
        "DeleteMemoReaction", {"name": "memos/nonexistent/reactions/99999"}, token_of(user)
    )
    assert "permission denied" in message
    assert "not found" not in message
