"""ListShortcuts and GetShortcut (shortcuts-activities.md §1.4; Memos' shortcut_service_test.go)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from memos.api.v1 import shortcut_service_pb2 as pb
from memos.errors import ErrorKind
from memos.store.users import Role
from tests.integration.shortcut.conftest import NO_CONTEXT, call_directly, create
from tests.integration.user.conftest import add_user, error_of, token_of

if TYPE_CHECKING:
    from functions.shortcut.service import ShortcutService
    from memos.store import Stores
    from tests.integration.shortcut.conftest import ShortcutApi

DENIED = (403, "permission_denied", "permission denied")


def test_list_own_shortcuts_when_none_were_created_is_empty(
    api: ShortcutApi, stores: Stores
) -> None:
    # Given a user without shortcuts
    user = add_user(stores, "alice")

    # When they list their shortcuts
    reply = api.ok("ListShortcuts", {"parent": f"users/{user.id}"}, token_of(user))

    # Then the list is empty
    assert reply == {}


@pytest.mark.parametrize("role", [Role.USER, Role.ADMIN])
def test_list_another_users_shortcuts_is_denied_even_to_an_admin(
    api: ShortcutApi, stores: Stores, role: str
) -> None:
    # Given a user with a shortcut, and another user (plain or admin)
    owner = add_user(stores, "alice")
    create(api, owner, "Mine", 'tag in ["a"]')
    other = add_user(stores, "bob", role=role)

    # When the other user lists the owner's shortcuts
    response = api.connect("ListShortcuts", {"parent": f"users/{owner.id}"}, token_of(other))

    # Then it is denied
    assert error_of(response) == DENIED


@pytest.mark.parametrize(
    ("parent", "message"),
    [
        ("invalid-parent-format", "invalid user name: 'invalid-parent-format'"),
        ("users/steven", "invalid user name: invalid user ID 'steven'"),
        ("users/", "invalid user name: 'users/'"),
        ("users/1/shortcuts", "invalid user name: 'users/1/shortcuts'"),
        ("users/99999999999", "invalid user name: invalid user ID '99999999999'"),
        ("", "invalid user name: ''"),
    ],
)
def test_list_with_malformed_parent_is_invalid_argument(
    api: ShortcutApi, stores: Stores, parent: str, message: str
) -> None:
    # Given a signed-in user
    user = add_user(stores, "alice")

    # When they list shortcuts under a malformed parent
    response = api.connect("ListShortcuts", {"parent": parent}, token_of(user))

    # Then the parent is refused
    assert error_of(response) == (400, "invalid_argument", message)


def test_list_without_a_caller_is_denied(service: ShortcutService) -> None:
    # Given no caller at all (the handler called directly, as Memos' tests do)
    # When shortcuts of users/1 are listed
    error = call_directly(
        service.list_shortcuts(pb.ListShortcutsRequest(parent="users/1"), NO_CONTEXT)
    )

    # Then it is denied
    assert (error.kind, error.message) == (ErrorKind.PERMISSION_DENIED, "permission denied")


def test_anonymous_connect_call_is_stopped_by_the_gate(api: ShortcutApi) -> None:
    # Given no credentials
    # When shortcuts are listed over Connect
    response = api.connect("ListShortcuts", {"parent": "users/1"})

    # Then the gate answers before the service runs
    assert error_of(response) == (401, "unauthenticated", "authentication required")


def test_created_shortcut_can_be_read_by_name(api: ShortcutApi, stores: Stores) -> None:
    # Given a created shortcut
    user = add_user(stores, "alice")
    created = create(api, user, "Test Shortcut", 'tag in ["test"]')

    # When it is read by its name
    found = api.ok("GetShortcut", {"name": created["name"]}, token_of(user))

    # Then it is the same shortcut
    assert found == {
        "name": created["name"],
        "title": "Test Shortcut",
        "filter": 'tag in ["test"]',
    }


def test_get_another_users_shortcut_is_denied(api: ShortcutApi, stores: Stores) -> None:
    # Given user1's shortcut
    user1, user2 = add_user(stores, "alice"), add_user(stores, "bob")
    created = create(api, user1, "Mine", 'tag in ["a"]')

    # When user2 reads it
    response = api.connect("GetShortcut", {"name": created["name"]}, token_of(user2))

    # Then it is denied
    assert error_of(response) == DENIED


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("invalid-shortcut-name", "invalid shortcut name: 'invalid-shortcut-name'"),
        ("users/1/shortcuts/", "invalid shortcut name: 'users/1/shortcuts/'"),
        ("users/1/webhooks/abc", "invalid shortcut name: 'users/1/webhooks/abc'"),
        ("users/x/shortcuts/abc", "invalid shortcut name: invalid user ID 'x'"),
        ("users/1/shortcuts/a/b", "invalid shortcut name: 'users/1/shortcuts/a/b'"),
        ("shortcuts/abc", "invalid shortcut name: 'shortcuts/abc'"),
    ],
)
def test_get_with_malformed_name_is_invalid_argument(
    api: ShortcutApi, stores: Stores, name: str, message: str
) -> None:
    # Given a signed-in user
    user = add_user(stores, "alice")

    # When they read a shortcut by a malformed name
    response = api.connect("GetShortcut", {"name": name}, token_of(user))

    # Then the name is refused
    assert error_of(response) == (400, "invalid_argument", message)


@pytest.mark.parametrize("shortcut_id", ["nonexistent", "x" * 5000, "a#b", "ünïcode"])
def test_get_unknown_shortcut_is_not_found(
    api: ShortcutApi, stores: Stores, shortcut_id: str
) -> None:
    # Given a user with one shortcut
    user = add_user(stores, "alice")
    create(api, user, "Mine", 'tag in ["a"]')

    # When they read a shortcut id they don't have (however odd)
    name = f"users/{user.id}/shortcuts/{shortcut_id}"
    response = api.connect("GetShortcut", {"name": name}, token_of(user))

    # Then it is NOT_FOUND
    assert error_of(response) == (404, "not_found", "shortcut not found")


def test_get_shortcut_before_any_exists_is_not_found(api: ShortcutApi, stores: Stores) -> None:
    # Given a user who never created a shortcut
    user = add_user(stores, "alice")

    # When they read one
    name = f"users/{user.id}/shortcuts/nonexistent"
    response = api.connect("GetShortcut", {"name": name}, token_of(user))

    # Then it is NOT_FOUND
    assert error_of(response) == (404, "not_found", "shortcut not found")


def test_list_and_get_over_connect_binary(api: ShortcutApi, stores: Stores) -> None:
    # Given two shortcuts
    user = add_user(stores, "alice")
    first = create(api, user, "One", 'tag in ["one"]')
    second = create(api, user, "Two", 'tag in ["two"]')

    # When listed and read over Connect with the binary codec
    listed = api.connect_binary(
        "ListShortcuts", pb.ListShortcutsRequest(parent=f"users/{user.id}"), token_of(user)
    )
    got = api.connect_binary(
        "GetShortcut", pb.GetShortcutRequest(name=second["name"]), token_of(user)
    )

    # Then the protobuf replies carry them, in creation order
    assert listed.status == 200, listed.body
    shortcuts = pb.ListShortcutsResponse.FromString(listed.body).shortcuts
    assert [s.name for s in shortcuts] == [first["name"], second["name"]]
    assert got.status == 200, got.body
    assert pb.Shortcut.FromString(got.body) == pb.Shortcut(
        name=second["name"], title="Two", filter='tag in ["two"]'
    )


def test_list_and_get_over_rest(api: ShortcutApi, stores: Stores) -> None:
    # Given a shortcut
    user = add_user(stores, "alice")
    created = create(api, user, "One", 'tag in ["one"]')

    # When listed and read over REST
    listed = api.rest("GET", f"/api/v1/users/{user.id}/shortcuts", token=token_of(user))
    got = api.rest("GET", f"/api/v1/{created['name']}", token=token_of(user))

    # Then the JSON replies carry it
    assert listed.status == 200, listed.body
    assert listed.json() == {"shortcuts": [created]}
    assert got.status == 200, got.body
    assert got.json() == created
