"""DeleteMemo leaves nothing behind; stats follow every memo write at once (memos.md §10)."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from memos.store import keys
from memos.store.schema import GSI1
from tests.integration.memo.conftest import add_attachment, add_user, token_of

if TYPE_CHECKING:
    from memos.store import Stores
    from tests.integration.memo.conftest import MemoApi


def partition_items(stores: Stores, uid: str) -> list[dict[str, Any]]:
    return stores.table.query_all(keys.memo_partition(uid), consistent=True)


def uid_of(memo: dict[str, Any]) -> str:
    return str(memo["name"]).split("/")[1]


def stats(api: MemoApi, user_id: int, token: str | None) -> Any:
    return api.ok("GetUserStats", {"name": f"users/{user_id}"}, token, service="UserService")


def test_delete_memo_cascades_without_orphans(api: MemoApi, stores: Stores) -> None:
    # Given a tagged, pinned PUBLIC memo with a comment, a reference both ways, an attachment
    # and reactions; the comment has its own attachment
    owner, guest = add_user(stores, "owner"), add_user(stores, "guest")
    to, tg = token_of(owner), token_of(guest)
    attachment = add_attachment(stores, owner.id, "a.txt")
    comment_attachment = add_attachment(stores, guest.id, "b.txt")
    memo = api.create(
        to,
        "#a/b #c text",
        visibility="PUBLIC",
        attachments=[{"name": f"attachments/{attachment.uid}"}],
    )
    api.ok(
        "UpdateMemo", {"memo": {"name": memo["name"], "pinned": True}, "updateMask": "pinned"}, to
    )
    other = api.create(to, "other", relations=[{"relatedMemo": {"name": memo["name"]}}])
    api.ok(
        "SetMemoRelations",
        {"name": memo["name"], "relations": [{"relatedMemo": {"name": other["name"]}}]},
        to,
    )
    comment = api.ok(
        "CreateMemoComment",
        {
            "name": memo["name"],
            "comment": {
                "content": "reply",
                "visibility": "PUBLIC",
                "attachments": [{"name": f"attachments/{comment_attachment.uid}"}],
            },
        },
        tg,
    )
    reaction = api.ok(
        "UpsertMemoReaction",
        {"name": memo["name"], "reaction": {"contentId": memo["name"], "reactionType": "👍"}},
        tg,
    )
    assert len(partition_items(stores, uid_of(memo))) > 5  # memo, extras, feed, tags, pins

    # When the owner deletes the memo
    api.ok("DeleteMemo", {"name": memo["name"]}, to)

    # Then the memo, its comment, their listings, extras, attachments and reactions are gone
    assert partition_items(stores, uid_of(memo)) == []
    assert partition_items(stores, uid_of(comment)) == []
    assert stores.attachments.get(attachment.uid) is None
    assert stores.attachments.get(comment_attachment.uid) is None
    reaction_id = int(reaction["name"].rsplit("/", 1)[1])
    assert stores.memo_extras.get_reaction(reaction_id) is None
    # the other memo lost both halves of both references
    assert stores.memo_extras.get(uid_of(other)).relations == ()
    assert api.ok("ListMemoRelations", {"name": other["name"]}, to).get("relations", []) == []
    # no listing still points at it
    for partition in (
        keys.creator_listing(owner.id, "NORMAL"),
        keys.feed_listing("PUBLIC", "NORMAL"),
        keys.creator_tag_listing(owner.id, "NORMAL", "a"),
        keys.creator_pinned_listing(owner.id, "NORMAL"),
    ):
        names = [item["uid"] for item in stores.table.query_all(partition, index=GSI1)]
        assert uid_of(memo) not in names
    # and the stats count only the other memo
    reply = stats(api, owner.id, to)
    assert reply["totalMemoCount"] == 1
    assert reply.get("tagCount", {}) == {}
    assert reply.get("pinnedMemos", []) == []


def test_stats_follow_edits_visibility_archive_and_pin(api: MemoApi, stores: Stores) -> None:
    user = add_user(stores, "writer")
    token = token_of(user)
    memo = api.create(
        token, "#x [link](https://example.com) `code`\n\n- [ ] todo", visibility="PUBLIC"
    )
    first = stats(api, user.id, token)
    assert first["totalMemoCount"] == 1
    assert first["tagCount"] == {"x": 1}
    assert first["memoTypeStats"] == {
        "linkCount": 1,
        "codeCount": 1,
        "todoCount": 1,
        "undoCount": 1,
    }

    api.ok(
        "UpdateMemo",
        {"memo": {"name": memo["name"], "content": "#y plain"}, "updateMask": "content"},
        token,
    )
    assert stats(api, user.id, token)["tagCount"] == {"y": 1}

    api.ok(
        "UpdateMemo",
        {"memo": {"name": memo["name"], "visibility": "PRIVATE"}, "updateMask": "visibility"},
        token,
    )
    assert stats(api, user.id, None).get("totalMemoCount", 0) == 0  # anonymous: PUBLIC only
    assert stats(api, user.id, token)["totalMemoCount"] == 1

    api.ok(
        "UpdateMemo",
        {"memo": {"name": memo["name"], "pinned": True}, "updateMask": "pinned"},
        token,
    )
    assert len(stats(api, user.id, token)["pinnedMemos"]) == 1

    api.ok(
        "UpdateMemo",
        {"memo": {"name": memo["name"], "state": "ARCHIVED"}, "updateMask": "state"},
        token,
    )
    assert stats(api, user.id, token).get("totalMemoCount", 0) == 0


def test_twenty_concurrent_creates_leave_exact_counts(api: MemoApi, stores: Stores) -> None:
    user = add_user(stores, "busy")
    token = token_of(user)
    errors: list[BaseException] = []

    def create(index: int) -> None:
        try:
            api.create(token, f"#t{index % 2} memo {index}", visibility="PUBLIC")
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=create, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    reply = stats(api, user.id, token)
    assert reply["totalMemoCount"] == 20
    assert reply["tagCount"] == {"t0": 10, "t1": 10}
    assert len(reply["memoDisplayTimestamps"]) == 20


def test_comments_notify_the_author_and_never_count(api: MemoApi, stores: Stores) -> None:
    author, guest = add_user(stores, "author"), add_user(stores, "guest")
    ta, tg = token_of(author), token_of(guest)
    memo = api.create(ta, "discuss", visibility="PUBLIC")

    public = api.ok(
        "CreateMemoComment",
        {"name": memo["name"], "comment": {"content": "c1", "visibility": "PUBLIC"}},
        tg,
    )
    api.ok("CreateMemoComment", {"name": memo["name"], "comment": {"content": "c2"}}, tg)  # PRIVATE
    api.ok(
        "CreateMemoComment",
        {"name": memo["name"], "comment": {"content": "c3", "visibility": "PUBLIC"}},
        ta,
    )

    activities = api.ok("ListActivities", {}, ta, service="ActivityService")
    assert len(activities["activities"]) == 1
    payload = activities["activities"][0]["payload"]["memoComment"]
    assert payload == {"memo": public["name"], "relatedMemo": memo["name"]}
    notifications = api.ok(
        "ListUserNotifications", {"parent": f"users/{author.id}"}, ta, service="UserService"
    )["notifications"]
    assert len(notifications) == 1
    assert stats(api, guest.id, tg).get("totalMemoCount", 0) == 0

    comments = api.ok("ListMemoComments", {"name": memo["name"]}, tg)["memos"]
    assert [comment["content"] for comment in comments] == ["c3", "c2", "c1"]
    assert all(comment["parent"] == memo["name"] for comment in comments)
    anonymous = api.ok("ListMemoComments", {"name": memo["name"]}, None)["memos"]
    assert [comment["content"] for comment in anonymous] == ["c3", "c1"]
    # the parent counts the comments each viewer may see through COMMENT relations
    parent = api.ok("GetMemo", {"name": memo["name"]}, ta)
    assert sum(r["type"] == "COMMENT" for r in parent["relations"]) == 2  # not guest's PRIVATE
    parent = api.ok("GetMemo", {"name": memo["name"]}, tg)
    assert sum(r["type"] == "COMMENT" for r in parent["relations"]) == 3
