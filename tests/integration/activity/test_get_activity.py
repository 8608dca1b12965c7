"""GetActivity: one activity by name (shortcuts-activities.md §2.3)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from memos.api.v1 import activity_service_pb2 as pb
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


def test_get_activity_returns_the_comment_activity(api: ActivityApi, stores: Stores) -> None:
    # Given U2's comment on U1's memo
    u1, u2 = add_user(stores, "alice"), add_user(stores, "bob")
    add_memo(stores, "m1")
    activity = add_comment(stores, u2, "m1", "c1")

    # When U1 reads it by name (as the web app does for a notification)
    found = api.ok("GetActivity", {"name": f"activities/{activity.id}"}, token_of(u1))

    # Then it names the commenter and both memos
    assert found == {
        "name": f"activities/{activity.id}",
        "creator": f"users/{u2.id}",
        "type": "MEMO_COMMENT",
        "level": "INFO",
        "createTime": "2025-01-01T03:00:00Z",
        "payload": {"memoComment": {"memo": "memos/c1", "relatedMemo": "memos/m1"}},
    }


@pytest.mark.parametrize("deleted", ["m1", "c1"])
def test_get_activity_about_deleted_memo_is_not_found(
    api: ActivityApi, stores: Stores, deleted: str
) -> None:
    # Given the first listed activity, then the commented memo or the comment deleted
    u1, u2 = add_user(stores, "alice"), add_user(stores, "bob")
    add_memo(stores, "m1")
    add_comment(stores, u2, "m1", "c1")
    name = api.ok("ListActivities", {}, token_of(u1))["activities"][0]["name"]
    delete_memo(stores, deleted)

    # When it is read by name
    response = api.connect("GetActivity", {"name": name}, token_of(u1))

    # Then it is NOT_FOUND, naming the deleted content
    assert error_of(response) == (404, "not_found", "activity references deleted content")


def test_get_unknown_activity_is_not_found(api: ActivityApi, stores: Stores) -> None:
    # Given one activity (id 1)
    user = add_user(stores, "alice")
    add_activity(stores, user, None, None)

    # When ids never handed out are read (Memos crashes here; this port answers NOT_FOUND)
    replies = [
        error_of(api.connect("GetActivity", {"name": f"activities/{n}"}, token_of(user)))
        for n in (2, 0, -3, 2147483647)
    ]

    # Then each is NOT_FOUND
    assert replies == [(404, "not_found", "activity not found")] * 4


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "invalid activity name: ''"),
        ("activities", "invalid activity name: 'activities'"),
        ("activities/", "invalid activity name: 'activities/'"),
        ("activities/abc", "invalid activity name: invalid ID 'abc'"),
        ("activities/2147483648", "invalid activity name: invalid ID '2147483648'"),
        ("activities/1/extra", "invalid activity name: 'activities/1/extra'"),
        ("memos/1", "invalid activity name: 'memos/1'"),
    ],
)
def test_malformed_activity_name_is_invalid_argument(
    api: ActivityApi, stores: Stores, name: str, message: str
) -> None:
    # Given a signed-in user
    user = add_user(stores, "alice")

    # When they ask for an activity by a malformed name
    response = api.connect("GetActivity", {"name": name}, token_of(user))

    # Then the name is refused
    assert error_of(response) == (400, "invalid_argument", message)


def test_get_activity_with_empty_payload(api: ActivityApi, stores: Stores) -> None:
    # Given an activity with an empty payload
    user = add_user(stores, "alice")
    activity = add_activity(stores, user, None, None)

    # When it is read
    found = api.ok("GetActivity", {"name": f"activities/{activity.id}"}, token_of(user))

    # Then it comes with an empty payload (nothing to check for deletion)
    assert found["payload"] == {}
    assert found["creator"] == f"users/{user.id}"


def test_get_activity_over_connect_binary(api: ActivityApi, stores: Stores) -> None:
    # Given a comment activity
    u1, u2 = add_user(stores, "alice"), add_user(stores, "bob")
    add_memo(stores, "m1")
    activity = add_comment(stores, u2, "m1", "c1")

    # When it is read over Connect with the binary codec
    response = api.connect_binary(
        "GetActivity", pb.GetActivityRequest(name=f"activities/{activity.id}"), token_of(u1)
    )

    # Then the protobuf reply is the activity
    assert response.status == 200, response.body
    found = pb.Activity.FromString(response.body)
    assert found.name == f"activities/{activity.id}"
    assert found.level == pb.Activity.INFO
    assert found.create_time.seconds == CREATED_TS
    assert found.payload.memo_comment.memo == "memos/c1"


def test_get_activity_over_rest(api: ActivityApi, stores: Stores) -> None:
    # Given a comment activity
    u1, u2 = add_user(stores, "alice"), add_user(stores, "bob")
    add_memo(stores, "m1")
    activity = add_comment(stores, u2, "m1", "c1")

    # When it is read over REST, and an unknown and a malformed id too
    found = api.rest("GET", f"/api/v1/activities/{activity.id}", token=token_of(u1))
    unknown = api.rest("GET", "/api/v1/activities/99", token=token_of(u1))
    malformed = api.rest("GET", "/api/v1/activities/abc", token=token_of(u1))

    # Then the activity comes back, and the errors carry their gRPC codes
    assert found.status == 200, found.body
    assert found.json()["payload"]["memoComment"]["relatedMemo"] == "memos/m1"
    assert (unknown.status, unknown.json()["code"]) == (404, 5)
    assert unknown.json()["message"] == "activity not found"
    assert (malformed.status, malformed.json()["code"]) == (400, 3)
