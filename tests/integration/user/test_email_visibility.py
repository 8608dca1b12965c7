"""A user's email is shown only to that user and to ADMINs, on every UserService method that
returns users, over Connect and REST (Memos shows it to anyone; see docs/decisions.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from memos.domain.enums import Role
from tests.integration.user.conftest import add_user, token_of

if TYPE_CHECKING:
    from memos.store import Stores
    from memos.store.users import User
    from tests.integration.user.conftest import UserApi

ALICE_EMAIL = "alice@example.com"
# caller -> whether alice's email is shown to them
CALLERS = {"anonymous": False, "other": False, "self": True, "admin": True}
TRANSPORTS = ("connect", "rest")


@pytest.fixture
def people(stores: Stores) -> dict[str, User]:
    """alice (the one looked at, with an email), bob (another USER) and an ADMIN."""
    return {
        "admin": add_user(stores, "admin", role=Role.ADMIN, email="admin@example.com"),
        "alice": add_user(stores, "alice", email=ALICE_EMAIL),
        "bob": add_user(stores, "bob", email="bob@example.com"),
    }


def _token(people: dict[str, User], caller: str) -> str | None:
    holder = {"anonymous": None, "other": "bob", "self": "alice", "admin": "admin"}[caller]
    return token_of(people[holder]) if holder else None


def _ok(response: Any) -> Any:
    assert response.status == 200, response.body
    return response.json()


def _email(user: dict[str, Any]) -> str:
    return str(user.get("email", ""))


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize(("caller", "shown"), CALLERS.items())
def test_get_user_shows_the_email_to_self_and_admins_only(
    api: UserApi, people: dict[str, User], caller: str, shown: bool, transport: str
) -> None:
    # Given alice with an email, and a caller
    alice, token = people["alice"], _token(people, caller)
    # When the caller gets alice, by id and by username
    if transport == "connect":
        found = [
            _ok(api.connect("GetUser", {"name": name}, token))
            for name in (f"users/{alice.id}", "users/alice")
        ]
    else:
        found = [
            _ok(api.rest("GET", f"/api/v1/{name}", token=token))
            for name in (f"users/{alice.id}", "users/alice")
        ]
    # Then the email is there only for alice and the ADMIN; the rest of the view is
    assert [_email(user) for user in found] == [ALICE_EMAIL if shown else ""] * 2
    assert [user["username"] for user in found] == ["alice", "alice"]


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize(("caller", "shown"), CALLERS.items())
def test_search_users_shows_the_email_to_self_and_admins_only(
    api: UserApi, people: dict[str, User], caller: str, shown: bool, transport: str
) -> None:
    # Given alice, and a caller
    token = _token(people, caller)
    # When the caller searches for her
    if transport == "connect":
        body = _ok(api.connect("SearchUsers", {"filter": "alice"}, token))
    else:
        body = _ok(api.rest("GET", "/api/v1/users:search", token=token, query="filter=alice"))
    # Then she is found, with her email only for herself and the ADMIN
    [user] = body["users"]
    assert user["username"] == "alice"
    assert _email(user) == (ALICE_EMAIL if shown else "")


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_list_users_shows_the_admin_every_email(
    api: UserApi, people: dict[str, User], transport: str
) -> None:
    # Given three users; ListUsers is for ADMINs only
    token = _token(people, "admin")
    # When the ADMIN lists them
    if transport == "connect":
        body = _ok(api.connect("ListUsers", {}, token))
    else:
        body = _ok(api.rest("GET", "/api/v1/users", token=token))
    # Then every email is shown
    emails = {user["username"]: _email(user) for user in body["users"]}
    assert emails == {u.username: u.email for u in people.values()}


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("caller", ["self", "admin"])
def test_update_user_answers_with_the_email(
    api: UserApi, people: dict[str, User], caller: str, transport: str
) -> None:
    # Given alice, and alice herself or the ADMIN (nobody else may update her)
    alice, token = people["alice"], _token(people, caller)
    sent = {"name": f"users/{alice.id}", "description": "hello"}
    # When the caller updates her description
    if transport == "connect":
        body = {"user": sent, "updateMask": "description"}
        updated = _ok(api.connect("UpdateUser", body, token))
    else:
        path = f"/api/v1/users/{alice.id}"
        updated = _ok(api.rest("PATCH", path, sent, token, query="updateMask=description"))
    # Then the answer carries her email
    assert updated["description"] == "hello"
    assert _email(updated) == ALICE_EMAIL


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("caller", ["anonymous", "admin"])
def test_create_user_answers_with_the_new_users_email(
    api: UserApi, people: dict[str, User], caller: str, transport: str
) -> None:
    # Given an instance open to sign-up, and a newcomer signing up or the ADMIN creating them
    token = _token(people, caller)
    sent = {"username": "carol", "password": "secret-pw", "email": "carol@example.com"}
    # When the user is created
    if transport == "connect":
        created = _ok(api.connect("CreateUser", {"user": sent}, token))
    else:
        created = _ok(api.rest("POST", "/api/v1/users", sent, token))
    # Then the answer shows the email to whoever gave it
    assert created["username"] == "carol"
    assert _email(created) == "carol@example.com"
