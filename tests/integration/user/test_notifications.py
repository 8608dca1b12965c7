"""User notifications: list, mark, archive and delete your own (users.md §11)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from memos.domain.enums import Role
from tests.integration.user.conftest import add_user, error_of, token_of

if TYPE_CHECKING:
    from memos.store import Stores
    from memos.store.notifications import Notification
    from memos.store.users import User
    from tests.integration.user.conftest import UserApi


def comment_notice(
    stores: Stores, receiver: User, sender: User, activity_id: int = 7
) -> Notification:
    return stores.notifications.create(
        receiver_id=receiver.id, sender_id=sender.id, activity_id=activity_id
    )


def test_receiver_lists_comment_notifications_newest_first(api: UserApi, stores: Stores) -> None:
    # Given two comment notifications for alice and one of another type
    alice = add_user(stores, "alice")
    bob = add_user(stores, "bob")
    first = comment_notice(stores, alice, bob, 1)
    second = comment_notice(stores, alice, bob, 2)
    stores.notifications.create(receiver_id=alice.id, sender_id=bob.id, type="SYSTEM")

    # When alice lists her notifications
    listed = api.ok("ListUserNotifications", {"parent": f"users/{alice.id}"}, token_of(alice))

    # Then the comment notifications come back, newest first, fully described
    assert [item["name"] for item in listed["notifications"]] == [
        f"users/{alice.id}/notifications/{second.id}",
        f"users/{alice.id}/notifications/{first.id}",
    ]
    newest = listed["notifications"][0]
    assert newest["sender"] == f"users/{bob.id}"
    assert newest["status"] == "UNREAD"
    assert newest["type"] == "MEMO_COMMENT"
    assert newest["activityId"] == 2
    assert "createTime" in newest
    assert "nextPageToken" not in listed


def test_receiver_archives_and_unarchives_a_notification(api: UserApi, stores: Stores) -> None:
    # Given a notification for alice
    alice = add_user(stores, "alice")
    notice = comment_notice(stores, alice, add_user(stores, "bob"))
    name = f"users/{alice.id}/notifications/{notice.id}"

    # When she archives it, then marks it unread again
    archived = api.ok(
        "UpdateUserNotification",
        {"notification": {"name": name, "status": "ARCHIVED"}, "updateMask": "status"},
        token_of(alice),
    )
    unread = api.rest("PATCH", f"/api/v1/{name}", {"status": "UNREAD"}, token=token_of(alice))

    # Then each change is returned and stored
    assert archived["status"] == "ARCHIVED"
    assert unread.status == 200, unread.body
    assert unread.json()["status"] == "UNREAD"
    stored = stores.notifications.get_for_receiver(alice.id, notice.id)
    assert stored is not None and stored.status == "UNREAD"


def test_update_without_mask_is_invalid_argument_not_a_crash(api: UserApi, stores: Stores) -> None:
    alice = add_user(stores, "alice")
    notice = comment_notice(stores, alice, add_user(stores, "bob"))
    response = api.connect(
        "UpdateUserNotification",
        {
            "notification": {
                "name": f"users/{alice.id}/notifications/{notice.id}",
                "status": "ARCHIVED",
            }
        },
        token_of(alice),
    )
    assert error_of(response) == (400, "invalid_argument", "update mask is empty")


def test_unspecified_status_is_invalid_status_not_written(api: UserApi, stores: Stores) -> None:
    alice = add_user(stores, "alice")
    notice = comment_notice(stores, alice, add_user(stores, "bob"))
    response = api.connect(
        "UpdateUserNotification",
        {
            "notification": {"name": f"users/{alice.id}/notifications/{notice.id}"},
            "updateMask": "status",
        },
        token_of(alice),
    )
    assert error_of(response) == (400, "invalid_argument", "invalid status")
    stored = stores.notifications.get_for_receiver(alice.id, notice.id)
    assert stored is not None and stored.status == "UNREAD"


def test_other_update_paths_are_invalid_argument(api: UserApi, stores: Stores) -> None:
    alice = add_user(stores, "alice")
    notice = comment_notice(stores, alice, add_user(stores, "bob"))
    response = api.connect(
        "UpdateUserNotification",
        {
            "notification": {"name": f"users/{alice.id}/notifications/{notice.id}"},
            "updateMask": "sender",
        },
        token_of(alice),
    )
    assert error_of(response) == (400, "invalid_argument", "invalid update path: sender")


def test_update_without_notification_is_invalid_argument(api: UserApi, stores: Stores) -> None:
    alice = add_user(stores, "alice")
    response = api.connect("UpdateUserNotification", {"updateMask": "status"}, token_of(alice))
    assert error_of(response) == (400, "invalid_argument", "notification is required")


def test_malformed_notification_name_is_invalid_argument(api: UserApi, stores: Stores) -> None:
    alice = add_user(stores, "alice")
    for name in (
        "users/1/notifications/x",
        "users/a/notifications/1",
        "notifications/1",
        "users/1/notifications/99999999999",
    ):
        response = api.connect("DeleteUserNotification", {"name": name}, token_of(alice))
        assert error_of(response) == (400, "invalid_argument", f"invalid notification name: {name}")


def test_unknown_notification_is_not_found(api: UserApi, stores: Stores) -> None:
    alice = add_user(stores, "alice")
    response = api.connect(
        "DeleteUserNotification", {"name": f"users/{alice.id}/notifications/404"}, token_of(alice)
    )
    assert error_of(response) == (404, "not_found", "notification not found")


def test_someone_elses_notification_is_denied_even_to_admins(api: UserApi, stores: Stores) -> None:
    # Given a notification for alice, and an ADMIN
    alice = add_user(stores, "alice")
    admin = add_user(stores, "admin", role=Role.ADMIN)
    notice = comment_notice(stores, alice, admin)

    # When the ADMIN names it under their own user and tries to delete, update and list it
    own_name = f"users/{admin.id}/notifications/{notice.id}"
    delete = api.connect("DeleteUserNotification", {"name": own_name}, token_of(admin))
    update = api.connect(
        "UpdateUserNotification",
        {"notification": {"name": own_name, "status": "ARCHIVED"}, "updateMask": "status"},
        token_of(admin),
    )
    listing = api.connect("ListUserNotifications", {"parent": f"users/{alice.id}"}, token_of(admin))

    # Then all are denied: the stored receiver decides, not the name
    assert [error_of(r)[:2] for r in (delete, update, listing)] == [(403, "permission_denied")] * 3
    assert stores.notifications.get_for_receiver(alice.id, notice.id) is not None


def test_receiver_deletes_a_notification(api: UserApi, stores: Stores) -> None:
    alice = add_user(stores, "alice")
    notice = comment_notice(stores, alice, add_user(stores, "bob"))
    response = api.rest(
        "DELETE", f"/api/v1/users/{alice.id}/notifications/{notice.id}", token=token_of(alice)
    )
    assert response.status == 200, response.body
    assert stores.notifications.list_for_receiver(alice.id) == []


def test_notifications_require_authentication(api: UserApi) -> None:
    response = api.connect("ListUserNotifications", {"parent": "users/1"})
    assert error_of(response)[:2] == (401, "unauthenticated")
