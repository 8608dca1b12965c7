"""ListActivities: every activity, newest first, minus those about deleted memos
(shortcuts-activities.md §2.3; Memos' activity_deleted_memo_test.go)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from memos.api.v1 import activity_service_pb2 as pb
from memos.store import keys
from tests.integration.activity.conftest import (
    CREATED_TS,
    add_activity,
    add_comment,
    add_memo,
    delete_memo,
)
from tests.integration.user.conftest import add_user, error_of, token_of

if TYPE_CHECKING:
    from memos.store import Stores
    from tests.integration.activity.conftest import ActivityApi


def count_calls(
    stores: Stores, monkeypatch: pytest.MonkeyPatch, operations: tuple[str, ...]
) -> dict[str, int]:
    """How often each client operation is called from now on (a live dict)."""
    client = stores.table.client
    counts = dict.fromkeys(operations, 0)
    for operation in operations:
        original = getattr(client, operation)

        def counted(*args: Any, _name: str = operation, _call: Any = original, **kw: Any) -> Any:
            counts[_name] += 1
            return _call(*args, **kw)

        monkeypatch.setattr(client, operation, counted)
    return counts


def listed(api: ActivityApi, token: str, body: dict[str, Any] | None = None) -> list[Any]:
    reply = api.ok("ListActivities", body or {}, token)
    assert reply.get("nextPageToken", "") == ""
    activities: list[Any] = reply.get("activities", [])
    return activities


def test_comment_activity_disappears_when_commented_memo_is_deleted(
    api: ActivityApi, stores: Stores
) -> None:
    # Given U1's memo M1 and U2's public comment on it
    u1, u2 = add_user(stores, "alice"), add_user(stores, "bob")
    m1 = add_memo(stores, "m1")
    add_comment(stores, u2, m1, "c1")
    before = listed(api, token_of(u1))
    assert len(before) >= 1

    # When U1 deletes M1 (its comment goes with it)
    delete_memo(stores, m1)
    delete_memo(stores, "c1")

    # Then listing still succeeds, and no activity mentions M1 any more
    after = listed(api, token_of(u1))
    assert all(a["payload"]["memoComment"]["relatedMemo"] != "memos/m1" for a in after)
    assert all(a["payload"]["memoComment"]["memo"] != "memos/m1" for a in after)
    assert len(after) <= len(before) - 1


def test_two_commented_memos_leave_one_activity_after_one_is_deleted(
    api: ActivityApi, stores: Stores
) -> None:
    # Given U1's memos M1 and M2, each commented on by U2
    u1, u2 = add_user(stores, "alice"), add_user(stores, "bob")
    add_memo(stores, "m1")
    add_memo(stores, "m2")
    add_comment(stores, u2, "m1", "c1")
    add_comment(stores, u2, "m2", "c2")
    assert len(listed(api, token_of(u1))) == 2

    # When M1 is deleted
    delete_memo(stores, "m1")

    # Then exactly the activity about M2 remains
    remaining = listed(api, token_of(u1))
    assert len(remaining) == 1
    assert remaining[0]["payload"]["memoComment"] == {"memo": "memos/c2", "relatedMemo": "memos/m2"}
    assert remaining[0]["payload"]["memoComment"]["relatedMemo"].startswith("memos/")


def test_deleted_comment_of_a_self_comment_leaves_nothing_behind(
    api: ActivityApi, stores: Stores
) -> None:
    # Given U1 commented on their own memo (which records no activity), and the comment is gone
    u1 = add_user(stores, "alice")
    add_memo(stores, "m1")
    add_memo(stores, "c1")
    delete_memo(stores, "c1")

    # When activities are listed
    activities = listed(api, token_of(u1))

    # Then the call succeeds and nothing mentions the comment
    assert all(a["payload"].get("memoComment", {}).get("memo") != "memos/c1" for a in activities)


def test_activity_is_skipped_when_only_the_comment_is_gone(
    api: ActivityApi, stores: Stores
) -> None:
    # Given a comment activity whose comment memo was deleted but whose parent exists
    u1, u2 = add_user(stores, "alice"), add_user(stores, "bob")
    add_memo(stores, "m1")
    add_comment(stores, u2, "m1", "c1")
    delete_memo(stores, "c1")

    # When activities are listed
    # Then it is not among them
    assert listed(api, token_of(u1)) == []


def test_every_activity_is_listed_for_any_user_newest_first(
    api: ActivityApi, stores: Stores
) -> None:
    # Given comments by U2 and U3 on a memo, the later one stored last
    u2, u3 = add_user(stores, "bob"), add_user(stores, "carol")
    add_memo(stores, "m1")
    older = add_comment(stores, u2, "m1", "c1", created_ts=CREATED_TS)
    newer = add_comment(stores, u3, "m1", "c2", created_ts=CREATED_TS + 60)
    outsider = add_user(stores, "dave")

    # When someone not involved at all lists activities
    activities = listed(api, token_of(outsider))

    # Then they see both, newest first, fully converted
    assert activities == [
        {
            "name": f"activities/{newer.id}",
            "creator": f"users/{u3.id}",
            "type": "MEMO_COMMENT",
            "level": "INFO",
            "createTime": "2025-01-01T03:01:00Z",
            "payload": {"memoComment": {"memo": "memos/c2", "relatedMemo": "memos/m1"}},
        },
        {
            "name": f"activities/{older.id}",
            "creator": f"users/{u2.id}",
            "type": "MEMO_COMMENT",
            "level": "INFO",
            "createTime": "2025-01-01T03:00:00Z",
            "payload": {"memoComment": {"memo": "memos/c1", "relatedMemo": "memos/m1"}},
        },
    ]


def test_activity_with_empty_payload_is_listed_with_empty_payload(
    api: ActivityApi, stores: Stores
) -> None:
    # Given an activity whose payload is empty
    user = add_user(stores, "alice")
    activity = add_activity(stores, user, None, None)

    # When activities are listed
    activities = listed(api, token_of(user))

    # Then it is there, with an empty payload
    assert [a["name"] for a in activities] == [f"activities/{activity.id}"]
    assert activities[0]["payload"] == {}


def test_stored_types_and_levels_unknown_to_the_api_are_unspecified(
    api: ActivityApi, stores: Stores
) -> None:
    # Given an activity item with a type and level the API doesn't know
    user = add_user(stores, "alice")
    stores.table.put(
        {
            **keys.activity_key(5).attributes(),
            **keys.activities_index_key(5).attributes(),
            "id": 5,
            "creator_id": user.id,
            "type": "MEMO_REACTION",
            "level": "WARN",
            "created_ts": CREATED_TS,
        }
    )

    # When activities are listed
    activities = listed(api, token_of(user))

    # Then both enums come out unspecified (left out of the JSON)
    assert activities == [
        {
            "name": "activities/5",
            "creator": f"users/{user.id}",
            "createTime": "2025-01-01T03:00:00Z",
            "payload": {},
        }
    ]


def test_page_size_and_token_are_accepted_but_everything_is_returned(
    api: ActivityApi, stores: Stores
) -> None:
    # Given three comment activities
    user = add_user(stores, "alice")
    add_memo(stores, "m1")
    for index in range(3):
        add_comment(stores, user, "m1", f"c{index}")

    # When listed with page sizes in and out of range, and any page token
    sizes = [
        len(listed(api, token_of(user), {"pageSize": size, "pageToken": "whatever"}))
        for size in (1, -5, 0, 5000)
    ]

    # Then every call returns all three, with no next page token
    assert sizes == [3, 3, 3, 3]


def test_memo_existence_is_checked_with_one_batch_read_and_no_item_reads(
    api: ActivityApi, stores: Stores, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given 30 comment activities on 10 memos, and a count of the table's calls
    user = add_user(stores, "alice")
    for parent in range(10):
        add_memo(stores, f"m{parent}")
        for comment in range(3):
            add_comment(stores, user, f"m{parent}", f"c{parent}-{comment}")
    calls = count_calls(stores, monkeypatch, ("query", "batch_get_item", "get_item"))

    # When activities are listed
    activities = listed(api, token_of(user))

    # Then one Query and one BatchGetItem produced all 30 (the one GetItem is the test
    # verifier reading the caller)
    assert len(activities) == 30
    assert calls == {"query": 1, "batch_get_item": 1, "get_item": 1}


def test_empty_feed_is_an_empty_list(api: ActivityApi, stores: Stores) -> None:
    # Given no activities
    user = add_user(stores, "alice")

    # When activities are listed
    reply = api.ok("ListActivities", {}, token_of(user))

    # Then the reply has no activities
    assert reply == {}


def test_list_activities_over_connect_binary(api: ActivityApi, stores: Stores) -> None:
    # Given one comment activity
    u1, u2 = add_user(stores, "alice"), add_user(stores, "bob")
    add_memo(stores, "m1")
    activity = add_comment(stores, u2, "m1", "c1")

    # When listed over Connect with the binary codec
    response = api.connect_binary(
        "ListActivities", pb.ListActivitiesRequest(page_size=10), token_of(u1)
    )

    # Then the protobuf reply carries it
    assert response.status == 200, response.body
    reply = pb.ListActivitiesResponse.FromString(response.body)
    assert [a.name for a in reply.activities] == [f"activities/{activity.id}"]
    assert reply.activities[0].type == pb.Activity.MEMO_COMMENT
    assert reply.activities[0].create_time.seconds == CREATED_TS
    assert reply.activities[0].payload.memo_comment.related_memo == "memos/m1"
    assert reply.next_page_token == ""


def test_list_activities_over_rest(api: ActivityApi, stores: Stores) -> None:
    # Given one comment activity
    u1, u2 = add_user(stores, "alice"), add_user(stores, "bob")
    add_memo(stores, "m1")
    activity = add_comment(stores, u2, "m1", "c1")

    # When listed over REST with paging parameters
    response = api.rest(
        "GET", "/api/v1/activities", token=token_of(u1), query="pageSize=5&pageToken=x"
    )

    # Then the JSON reply carries it
    assert response.status == 200, response.body
    body = response.json()
    assert [a["name"] for a in body["activities"]] == [f"activities/{activity.id}"]
    assert body["activities"][0]["creator"] == f"users/{u2.id}"


def test_anonymous_connect_call_requires_authentication(api: ActivityApi) -> None:
    # Given no credentials
    # When activities are listed over Connect
    response = api.connect("ListActivities", {})

    # Then the gate refuses before the service runs
    assert error_of(response) == (401, "unauthenticated", "authentication required")
