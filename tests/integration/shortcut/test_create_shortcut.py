"""CreateShortcut (shortcuts-activities.md §1.4; Memos' shortcut_service_test.go)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from memos.api.v1 import shortcut_service_pb2 as pb
from memos.store.users import Role
from tests.integration.shortcut.conftest import create
from tests.integration.user.conftest import add_user, error_of, token_of

if TYPE_CHECKING:
    from memos.store import Stores
    from tests.asgi import Response
    from tests.integration.shortcut.conftest import ShortcutApi

UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")

# Memos' shortcut validation cases (filters.md §11).
ACCEPTED_FILTERS = [
    'tag in ["work"]',
    'content.contains("meeting")',
    'tag in ["work"] && content.contains("meeting")',
    'tag in ["work"] || tag in ["personal"]',
    "creator_id == 1",
    'visibility == "PUBLIC"',
    "has_task_list == true",
    "has_task_list == false",
]
REJECTED_FILTERS = [
    "tag in ",
    'invalid_field @in ["value"]',
    'tag in ["work"] &&',
    'tag in ["work"] || || tag in ["test"]',
    '((tag in ["work"]',
    'tag in ["work"] && )',
    'tag == "work"',
    "tag in work",
    "invalid||filter))syntax",
]


def create_call(api: ShortcutApi, token: str, parent: str, title: str, filter: str) -> Response:
    body = {"parent": parent, "shortcut": {"title": title, "filter": filter}}
    return api.connect("CreateShortcut", body, token)


def test_created_shortcut_is_echoed_and_listed(api: ShortcutApi, stores: Stores) -> None:
    # Given a user
    user = add_user(stores, "alice")

    # When they create a shortcut
    created = create(api, user, "My Shortcut", 'tag in ["important"]')

    # Then title and filter are echoed under a fresh lower-case UUID v4 in their name space
    assert created["title"] == "My Shortcut"
    assert created["filter"] == 'tag in ["important"]'
    assert created["name"].startswith(f"users/{user.id}/shortcuts/")
    assert UUID4.match(created["name"].rsplit("/", 1)[1])
    assert [s["title"] for s in api.shortcuts_of(user)] == ["My Shortcut"]


def test_name_sent_on_create_is_ignored(api: ShortcutApi, stores: Stores) -> None:
    # Given a user who sends a name of their choosing
    user = add_user(stores, "alice")
    body = {
        "parent": f"users/{user.id}",
        "shortcut": {"name": f"users/{user.id}/shortcuts/mine", "title": "T", "filter": "pinned"},
    }

    # When the shortcut is created
    created = api.ok("CreateShortcut", body, token_of(user))

    # Then the server chose the id
    assert created["name"] != f"users/{user.id}/shortcuts/mine"
    assert UUID4.match(created["name"].rsplit("/", 1)[1])


def test_titles_are_kept_verbatim_and_may_repeat(api: ShortcutApi, stores: Stores) -> None:
    # Given a user
    user = add_user(stores, "alice")

    # When they create two shortcuts with the same padded title
    first = create(api, user, "  Work  ", 'tag in ["work"]')
    second = create(api, user, "  Work  ", 'tag in ["work"]')

    # Then both exist, untrimmed, under different names
    assert first["name"] != second["name"]
    assert [s["title"] for s in api.shortcuts_of(user)] == ["  Work  ", "  Work  "]


def test_validate_only_returns_the_shortcut_without_saving_it(
    api: ShortcutApi, stores: Stores
) -> None:
    # Given a user
    user = add_user(stores, "alice")
    body = {
        "parent": f"users/{user.id}",
        "shortcut": {"title": "Draft", "filter": 'tag in ["x"]'},
        "validateOnly": True,
    }

    # When they create a shortcut with validate_only
    planned = api.ok("CreateShortcut", body, token_of(user))

    # Then the would-be shortcut comes back, and nothing was stored
    assert planned["title"] == "Draft"
    assert UUID4.match(planned["name"].rsplit("/", 1)[1])
    assert api.shortcuts_of(user) == []
    missing = api.connect("GetShortcut", {"name": planned["name"]}, token_of(user))
    assert error_of(missing) == (404, "not_found", "shortcut not found")


def test_validate_only_still_checks_the_shortcut(api: ShortcutApi, stores: Stores) -> None:
    # Given a user
    user = add_user(stores, "alice")
    body = {
        "parent": f"users/{user.id}",
        "shortcut": {"title": "", "filter": 'tag in ["x"]'},
        "validateOnly": True,
    }

    # When they validate a shortcut without a title
    response = api.connect("CreateShortcut", body, token_of(user))

    # Then it is refused as a real create would be
    assert error_of(response) == (400, "invalid_argument", "title is required")


@pytest.mark.parametrize("role", [Role.USER, Role.ADMIN])
def test_create_under_another_user_is_denied(api: ShortcutApi, stores: Stores, role: str) -> None:
    # Given two users (the second plain or admin)
    owner = add_user(stores, "alice")
    other = add_user(stores, "bob", role=role)

    # When the second creates a shortcut under the first
    response = create_call(api, token_of(other), f"users/{owner.id}", "T", 'tag in ["a"]')

    # Then it is denied, and nothing was stored
    assert error_of(response) == (403, "permission_denied", "permission denied")
    assert api.shortcuts_of(owner) == []


@pytest.mark.parametrize(
    ("parent", "message"),
    [
        ("invalid-parent", "invalid user name: 'invalid-parent'"),
        ("users/alice", "invalid user name: invalid user ID 'alice'"),
    ],
)
def test_create_under_malformed_parent_is_invalid_argument(
    api: ShortcutApi, stores: Stores, parent: str, message: str
) -> None:
    # Given a user
    user = add_user(stores, "alice")

    # When they create a shortcut under a malformed parent
    response = create_call(api, token_of(user), parent, "T", 'tag in ["a"]')

    # Then the parent is refused
    assert error_of(response) == (400, "invalid_argument", message)


def test_parent_is_checked_before_permission_and_permission_before_content(
    api: ShortcutApi, stores: Stores
) -> None:
    # Given two users
    user, other = add_user(stores, "alice"), add_user(stores, "bob")

    # When a call is wrong in several ways at once
    bad_parent = create_call(api, token_of(user), "nope", "", "")
    not_owner = create_call(api, token_of(user), f"users/{other.id}", "", "")

    # Then the first check in Memos' order answers
    assert error_of(bad_parent)[1] == "invalid_argument"
    assert error_of(bad_parent)[2].startswith("invalid user name")
    assert error_of(not_owner)[1] == "permission_denied"


def test_create_without_title_is_invalid_argument(api: ShortcutApi, stores: Stores) -> None:
    # Given a user
    user = add_user(stores, "alice")

    # When they create a shortcut without a title (and without a shortcut at all)
    response = create_call(api, token_of(user), f"users/{user.id}", "", 'tag in ["a"]')
    no_shortcut = api.connect("CreateShortcut", {"parent": f"users/{user.id}"}, token_of(user))

    # Then the title is required
    assert error_of(response) == (400, "invalid_argument", "title is required")
    assert error_of(no_shortcut) == (400, "invalid_argument", "title is required")


def test_create_with_empty_filter_is_invalid_argument(api: ShortcutApi, stores: Stores) -> None:
    # Given a user
    user = add_user(stores, "alice")

    # When they create a shortcut without a filter
    response = create_call(api, token_of(user), f"users/{user.id}", "T", "")

    # Then the filter is required
    assert error_of(response) == (
        400,
        "invalid_argument",
        "invalid filter: filter cannot be empty",
    )


@pytest.mark.parametrize("filter", REJECTED_FILTERS)
def test_create_with_invalid_filter_is_invalid_argument(
    api: ShortcutApi, stores: Stores, filter: str
) -> None:
    # Given a user
    user = add_user(stores, "alice")

    # When they create a shortcut whose filter doesn't compile
    response = create_call(api, token_of(user), f"users/{user.id}", "T", filter)

    # Then it is refused with the compiler's reason, and nothing is stored
    status, code, message = error_of(response)
    assert (status, code) == (400, "invalid_argument")
    assert message.startswith("invalid filter: failed to compile filter: ")
    assert api.shortcuts_of(user) == []


@pytest.mark.parametrize("filter", ACCEPTED_FILTERS)
def test_create_with_valid_filter_stores_it_verbatim(
    api: ShortcutApi, stores: Stores, filter: str
) -> None:
    # Given a user
    user = add_user(stores, "alice")

    # When they create a shortcut with a filter that compiles
    created = create(api, user, "T", filter)

    # Then the filter is stored as sent
    assert created["filter"] == filter
    assert api.shortcuts_of(user)[0]["filter"] == filter


def test_overlong_title_and_filter_are_invalid_argument(api: ShortcutApi, stores: Stores) -> None:
    # Given a user
    user = add_user(stores, "alice")
    parent = f"users/{user.id}"

    # When they send a title or a filter far beyond any real one
    long_title = create_call(api, token_of(user), parent, "t" * 257, 'tag in ["a"]')
    long_filter = create_call(api, token_of(user), parent, "T", "pinned || " * 2000 + "pinned")

    # Then each is refused with a clear message (not an internal error from the table)
    assert error_of(long_title) == (
        400,
        "invalid_argument",
        "title is too long (max 256 characters)",
    )
    assert error_of(long_filter) == (
        400,
        "invalid_argument",
        "invalid filter: filter is too long (max 16384 characters)",
    )


def test_create_over_connect_binary(api: ShortcutApi, stores: Stores) -> None:
    # Given a user
    user = add_user(stores, "alice")
    request = pb.CreateShortcutRequest(
        parent=f"users/{user.id}", shortcut=pb.Shortcut(title="Bin", filter='tag in ["b"]')
    )

    # When they create a shortcut over Connect with the binary codec
    response = api.connect_binary("CreateShortcut", request, token_of(user))

    # Then the protobuf reply is the new shortcut
    assert response.status == 200, response.body
    created = pb.Shortcut.FromString(response.body)
    assert (created.title, created.filter) == ("Bin", 'tag in ["b"]')
    assert [s["name"] for s in api.shortcuts_of(user)] == [created.name]


def test_create_over_rest_with_validate_only(api: ShortcutApi, stores: Stores) -> None:
    # Given a user
    user = add_user(stores, "alice")
    path = f"/api/v1/users/{user.id}/shortcuts"
    body = {"title": "Rest", "filter": 'tag in ["r"]'}

    # When they validate and then create a shortcut over REST
    planned = api.rest("POST", path, body, token_of(user), query="validateOnly=true")
    assert api.shortcuts_of(user) == []
    created = api.rest("POST", path, body, token_of(user))

    # Then both answer the shortcut; only the second stored it
    assert planned.status == 200, planned.body
    assert created.status == 200, created.body
    assert api.shortcuts_of(user) == [created.json()]
    invalid = api.rest("POST", path, {"title": "Rest", "filter": "tag in work"}, token_of(user))
    assert (invalid.status, invalid.json()["code"]) == (400, 3)
