"""Imported users are in the user directory and hold their look-alike guards, so no backfill
is needed after an import: SearchUsers finds them by substring and look-alikes are refused."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.integration.migrate.memos_fixture import PAT

if TYPE_CHECKING:
    from tests.integration.migrate.conftest import Api, Imported


@pytest.mark.usefixtures("imported")
def test_imported_users_are_found_by_a_substring_search(api: Api) -> None:
    # Given the fixture imported (alice "Alice", bob "Bob", archived carol)
    # When anyone searches for part of a name
    found = api.call("UserService", "SearchUsers", {"filter": "LIC"})
    by_display_name = api.call("UserService", "SearchUsers", {"filter": "bo"})

    # Then the imported users whose username or display name holds it come back
    assert [user["username"] for user in found["users"]] == ["alice"]
    assert [user["username"] for user in by_display_name["users"]] == ["bob"]


def test_a_look_alike_of_an_imported_username_is_refused(imported: Imported, api: Api) -> None:
    # Given the fixture imported, alice being its admin
    # When the admin creates "ALICE"
    response = api.connect(
        "CreateUser", {"user": {"username": "ALICE", "password": "secret-pw"}}, PAT, "UserService"
    )

    # Then it is refused as taken, and no user was added
    assert response.status == 409, response.body
    assert response.json()["code"] == "already_exists"
    assert imported.stores.users.get_by_username("ALICE") is None
