"""SearchUsers: public, case-insensitive substring match on username or display name, bounded."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from functions.user import directory
from functions.user.directory import MAX_SEARCH_EXAMINED, MAX_SEARCH_RESULTS
from tests.integration.user.conftest import add_user, error_of

if TYPE_CHECKING:
    from memos.store import Stores
    from tests.integration.user.conftest import UserApi


def usernames(api: UserApi, text: str) -> list[str]:
    found = api.ok("SearchUsers", {"filter": text})
    return [user["username"] for user in found.get("users", [])]


def test_search_matches_username_and_display_name_ignoring_case(
    api: UserApi, stores: Stores
) -> None:
    # Given users with various names
    add_user(stores, "Alice", display_name="Alice Liddell")
    add_user(stores, "bob", display_name="Bobby ALIson")
    add_user(stores, "carol", display_name="Carol")

    # When an anonymous caller searches "ali"
    found = usernames(api, "ali")

    # Then both matches come back, newest first
    assert found == ["bob", "Alice"]


def test_search_skips_archived_users(api: UserApi, stores: Stores) -> None:
    add_user(stores, "alice")
    add_user(stores, "alina", state="ARCHIVED")
    assert usernames(api, "ali") == ["alice"]


def test_search_returns_the_user_view_without_secrets(api: UserApi, stores: Stores) -> None:
    add_user(stores, "alice", email="a@example.com", password_hash="$2b$10$secret")
    response = api.rest("GET", "/api/v1/users:search", query="filter=alice")
    assert response.status == 200, response.body
    [user] = response.json()["users"]
    assert user["email"] == "a@example.com"
    assert user["password"] == ""
    assert "secret" not in response.body.decode()


def test_empty_search_is_invalid_argument(api: UserApi) -> None:
    for text in ("", "   "):
        status, code, _ = error_of(api.connect("SearchUsers", {"filter": text}))
        assert (status, code) == (400, "invalid_argument")


def test_search_returns_at_most_the_result_bound(api: UserApi, stores: Stores) -> None:
    # Given more matching users than the bound
    for n in range(MAX_SEARCH_RESULTS + 5):
        add_user(stores, f"match{n}")

    # When searching
    found = usernames(api, "match")

    # Then only the bound's worth come back, the newest ones
    assert len(found) == MAX_SEARCH_RESULTS
    assert found[0] == f"match{MAX_SEARCH_RESULTS + 4}"


def test_search_examines_a_bounded_number_of_users_but_finds_exact_usernames(
    api: UserApi, stores: Stores, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a tiny examination bound and an old user beyond it
    assert MAX_SEARCH_EXAMINED >= 100
    monkeypatch.setattr(directory, "MAX_SEARCH_EXAMINED", 3)
    add_user(stores, "oldtimer")
    for n in range(5):
        add_user(stores, f"newcomer{n}")

    # When searching for part of the old user's name, and for the exact name
    partial = usernames(api, "oldtime")
    exact = usernames(api, "oldtimer")

    # Then the partial search stops at the bound; the exact username is still found
    assert partial == []
    assert exact == ["oldtimer"]
