"""UpdateShortcut and DeleteShortcut (shortcuts-activities.md §1.4; Memos'
shortcut_service_test.go), and the full lifecycle."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from memos.api.v1 import shortcut_service_pb2 as pb
from memos.errors import ErrorKind
from tests.integration.shortcut.conftest import NO_CONTEXT, call_directly, create
from tests.integration.user.conftest import add_user, error_of, token_of

if TYPE_CHECKING:
    from functions.shortcut.service import ShortcutService
    from memos.store import Stores
    from tests.asgi import Response
    from tests.integration.shortcut.conftest import ShortcutApi

DENIED = (403, "permission_denied", "permission denied")
NOT_FOUND = (404, "not_found", "shortcut not found")


def update(api: ShortcutApi, token: str, shortcut: dict[str, Any], mask: str | None) -> Response:
    body: dict[str, Any] = {"shortcut": shortcut}
    if mask is not None:
        body["updateMask"] = mask
    return api.connect("UpdateShortcut", body, token)


def test_update_title_and_filter(api: ShortcutApi, stores: Stores) -> None:
    # Given a shortcut
    user = add_user(stores, "alice")
    created = create(api, user, "Original", 'tag in ["original"]')

    # When title and filter are updated
    sent = {"name": created["name"], "title": "Updated Title", "filter": 'tag in ["updated"]'}
    response = update(api, token_of(user), sent, "title,filter")

    # Then the reply and the stored shortcut show both changes under the same name
    assert response.status == 200, response.body
    assert response.json() == sent
    assert api.ok("GetShortcut", {"name": created["name"]}, token_of(user)) == sent


def test_update_applies_only_masked_paths(api: ShortcutApi, stores: Stores) -> None:
    # Given a shortcut
    user = add_user(stores, "alice")
    created = create(api, user, "Original", 'tag in ["original"]')
    sent = {"name": created["name"], "title": "New", "filter": 'tag in ["new"]'}

    # When only the filter is masked, then only a path that isn't updatable
    refiltered = update(api, token_of(user), sent, "filter").json()
    ignored = update(api, token_of(user), {**sent, "title": ""}, "name").json()

    # Then the filter changed, the title didn't, and the unknown path changed nothing
    assert refiltered == {**created, "filter": 'tag in ["new"]'}
    assert ignored == refiltered


def test_update_keeps_the_shortcuts_position(api: ShortcutApi, stores: Stores) -> None:
    # Given three shortcuts
    user = add_user(stores, "alice")
    names = [create(api, user, title, "pinned")["name"] for title in ("a", "b", "c")]

    # When the first one is updated
    update(api, token_of(user), {"name": names[0], "title": "a2"}, "title")

    # Then the list keeps its order
    assert [s["name"] for s in api.shortcuts_of(user)] == names
    assert [s["title"] for s in api.shortcuts_of(user)] == ["a2", "b", "c"]


def test_update_another_users_shortcut_is_denied(api: ShortcutApi, stores: Stores) -> None:
    # Given user1's shortcut
    user1, user2 = add_user(stores, "alice"), add_user(stores, "bob")
    created = create(api, user1, "Mine", 'tag in ["a"]')

    # When user2 updates it
    response = update(api, token_of(user2), {**created, "title": "Theirs"}, "title")

    # Then it is denied and unchanged
    assert error_of(response) == DENIED
    assert api.ok("GetShortcut", {"name": created["name"]}, token_of(user1)) == created


def test_update_without_mask_is_invalid_argument(api: ShortcutApi, stores: Stores) -> None:
    # Given a user
    user = add_user(stores, "alice")

    # When they update a shortcut without a mask, or with an empty one
    name = f"users/{user.id}/shortcuts/test"
    missing = update(api, token_of(user), {"name": name, "title": "T"}, None)
    empty = update(api, token_of(user), {"name": name, "title": "T"}, "")

    # Then the mask is required
    assert error_of(missing) == (400, "invalid_argument", "update mask is required")
    assert error_of(empty) == (400, "invalid_argument", "update mask is required")


def test_update_with_malformed_name_and_no_caller_is_invalid_argument(
    service: ShortcutService,
) -> None:
    # Given no caller at all (the handler called directly)
    request = pb.UpdateShortcutRequest(shortcut=pb.Shortcut(name="invalid-shortcut-name"))

    # When a shortcut with a malformed name is updated
    error = call_directly(service.update_shortcut(request, NO_CONTEXT))

    # Then the name is checked first
    assert error.kind == ErrorKind.INVALID_ARGUMENT
    assert error.message.startswith("invalid shortcut name")


def test_update_without_a_shortcut_is_invalid_argument(api: ShortcutApi, stores: Stores) -> None:
    # Given a user
    user = add_user(stores, "alice")

    # When they send an update with no shortcut at all
    response = api.connect("UpdateShortcut", {"updateMask": "title"}, token_of(user))

    # Then the (empty) name is refused
    assert error_of(response) == (400, "invalid_argument", "invalid shortcut name: ''")


def test_update_with_invalid_filter_changes_nothing(api: ShortcutApi, stores: Stores) -> None:
    # Given a shortcut
    user = add_user(stores, "alice")
    created = create(api, user, "Original", 'tag in ["original"]')

    # When a valid title and an invalid filter are sent together
    sent = {"name": created["name"], "title": "New", "filter": "invalid||filter))syntax"}
    response = update(api, token_of(user), sent, "title,filter")

    # Then the filter is refused and the title wasn't saved either
    status, code, message = error_of(response)
    assert (status, code) == (400, "invalid_argument")
    assert message.startswith("invalid filter")
    assert api.ok("GetShortcut", {"name": created["name"]}, token_of(user)) == created


@pytest.mark.parametrize(
    ("sent", "mask", "message"),
    [
        ({"title": ""}, "title", "title is required"),
        ({"filter": ""}, "filter", "invalid filter: filter cannot be empty"),
        ({"title": "", "filter": "tag in work"}, "title,filter", "title is required"),
    ],
)
def test_update_to_empty_values_is_invalid_argument(
    api: ShortcutApi, stores: Stores, sent: dict[str, str], mask: str, message: str
) -> None:
    # Given a shortcut
    user = add_user(stores, "alice")
    created = create(api, user, "Original", 'tag in ["original"]')

    # When a masked field is emptied (title checked first when both are masked)
    response = update(api, token_of(user), {"name": created["name"], **sent}, mask)

    # Then it is refused
    assert error_of(response) == (400, "invalid_argument", message)


def test_update_unknown_shortcut_is_not_found_before_values_are_checked(
    api: ShortcutApi, stores: Stores
) -> None:
    # Given a user without shortcuts, then with one
    user = add_user(stores, "alice")
    name = f"users/{user.id}/shortcuts/nonexistent"
    before_any = update(api, token_of(user), {"name": name, "title": ""}, "title")
    create(api, user, "Mine", 'tag in ["a"]')

    # When an unknown shortcut is updated (even with an invalid title)
    unknown = update(api, token_of(user), {"name": name, "title": ""}, "title")

    # Then it is NOT_FOUND both times
    assert error_of(before_any) == NOT_FOUND
    assert error_of(unknown) == NOT_FOUND


def test_delete_own_shortcut(api: ShortcutApi, stores: Stores) -> None:
    # Given a shortcut
    user = add_user(stores, "alice")
    created = create(api, user, "Doomed", 'tag in ["a"]')

    # When it is deleted
    reply = api.ok("DeleteShortcut", {"name": created["name"]}, token_of(user))

    # Then the reply is empty, the list is empty and reading it is NOT_FOUND
    assert reply == {}
    assert api.shortcuts_of(user) == []
    gone = api.connect("GetShortcut", {"name": created["name"]}, token_of(user))
    assert error_of(gone) == NOT_FOUND


def test_delete_another_users_shortcut_is_denied(api: ShortcutApi, stores: Stores) -> None:
    # Given user1's shortcut
    user1, user2 = add_user(stores, "alice"), add_user(stores, "bob")
    created = create(api, user1, "Mine", 'tag in ["a"]')

    # When user2 deletes it
    response = api.connect("DeleteShortcut", {"name": created["name"]}, token_of(user2))

    # Then it is denied, and the shortcut is still there
    assert error_of(response) == DENIED
    assert api.shortcuts_of(user1) == [created]


def test_delete_with_malformed_name_and_no_caller_is_invalid_argument(
    service: ShortcutService,
) -> None:
    # Given no caller at all (the handler called directly)
    request = pb.DeleteShortcutRequest(name="invalid-shortcut-name")

    # When a shortcut with a malformed name is deleted
    error = call_directly(service.delete_shortcut(request, NO_CONTEXT))

    # Then the name is checked first
    assert error.kind == ErrorKind.INVALID_ARGUMENT
    assert error.message.startswith("invalid shortcut name")


@pytest.mark.parametrize("shortcut_id", ["nonexistent", "y" * 3000])
def test_delete_unknown_shortcut_is_not_found(
    api: ShortcutApi, stores: Stores, shortcut_id: str
) -> None:
    # Given a user
    user = add_user(stores, "alice")

    # When they delete a shortcut they don't have
    name = f"users/{user.id}/shortcuts/{shortcut_id}"
    response = api.connect("DeleteShortcut", {"name": name}, token_of(user))

    # Then it is NOT_FOUND
    assert error_of(response) == NOT_FOUND


def test_shortcut_lifecycle(api: ShortcutApi, stores: Stores) -> None:
    # Given two shortcuts
    user = add_user(stores, "alice")
    token = token_of(user)
    work = create(api, user, "Work Notes", 'tag in ["work"]')
    personal = create(api, user, "Personal Notes", 'tag in ["personal"]')
    assert api.shortcuts_of(user) == [work, personal]
    assert api.ok("GetShortcut", {"name": work["name"]}, token) == work
    assert api.ok("GetShortcut", {"name": personal["name"]}, token) == personal

    # When the first is updated and the second deleted
    changed = {
        "name": work["name"],
        "title": "Work & Meeting Notes",
        "filter": 'tag in ["work"] || tag in ["meeting"]',
    }
    assert update(api, token, changed, "title,filter").json() == changed
    assert api.ok("GetShortcut", {"name": work["name"]}, token) == changed
    api.ok("DeleteShortcut", {"name": personal["name"]}, token)

    # Then only the updated one is left, and the deleted one is NOT_FOUND
    assert [s["title"] for s in api.shortcuts_of(user)] == ["Work & Meeting Notes"]
    gone = api.connect("GetShortcut", {"name": personal["name"]}, token)
    assert error_of(gone) == NOT_FOUND


def test_update_and_delete_over_connect_binary(api: ShortcutApi, stores: Stores) -> None:
    # Given a shortcut
    user = add_user(stores, "alice")
    created = create(api, user, "Bin", 'tag in ["b"]')
    request = pb.UpdateShortcutRequest(
        shortcut=pb.Shortcut(name=created["name"], title="Bin2"),
    )
    request.update_mask.paths.append("title")

    # When it is updated and then deleted over Connect with the binary codec
    updated = api.connect_binary("UpdateShortcut", request, token_of(user))
    deleted = api.connect_binary(
        "DeleteShortcut", pb.DeleteShortcutRequest(name=created["name"]), token_of(user)
    )

    # Then the update answers the new shortcut and the delete succeeds
    assert updated.status == 200, updated.body
    assert pb.Shortcut.FromString(updated.body).title == "Bin2"
    assert deleted.status == 200, deleted.body
    assert api.shortcuts_of(user) == []


def test_rest_patch_without_mask_updates_the_fields_in_the_body(
    api: ShortcutApi, stores: Stores
) -> None:
    # Given a shortcut
    user = add_user(stores, "alice")
    created = create(api, user, "Old", 'tag in ["old"]')
    path = f"/api/v1/{created['name']}"

    # When it is patched over REST with only a title (the mask comes from the body's keys),
    # then with an explicit mask
    retitled = api.rest("PATCH", path, {"title": "New"}, token_of(user))
    refiltered = api.rest(
        "PATCH",
        path,
        {"title": "ignored", "filter": 'tag in ["new"]'},
        token_of(user),
        query="updateMask=filter",
    )

    # Then each changed just what it named
    assert retitled.status == 200, retitled.body
    assert retitled.json() == {**created, "title": "New"}
    assert refiltered.status == 200, refiltered.body
    assert refiltered.json() == {
        "name": created["name"],
        "title": "New",
        "filter": 'tag in ["new"]',
    }


def test_rest_delete_and_errors(api: ShortcutApi, stores: Stores) -> None:
    # Given a shortcut, and another user
    user, other = add_user(stores, "alice"), add_user(stores, "bob")
    created = create(api, user, "Rest", 'tag in ["r"]')
    path = f"/api/v1/{created['name']}"

    # When the other user deletes it over REST, then the owner, then the owner again
    denied = api.rest("DELETE", path, token=token_of(other))
    deleted = api.rest("DELETE", path, token=token_of(user))
    again = api.rest("DELETE", path, token=token_of(user))

    # Then the gRPC codes are 7, OK, 5
    assert (denied.status, denied.json()["code"]) == (403, 7)
    assert deleted.status == 200, deleted.body
    assert (again.status, again.json()["code"]) == (404, 5)
