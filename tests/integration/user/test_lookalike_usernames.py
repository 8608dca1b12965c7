"""Look-alike usernames over Connect and REST: refused on create and rename; exact lookups stay
exact; a name too long to be a username is not found without a read."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from memos.domain.enums import Role
from tests.integration.user.conftest import add_user, record_calls, token_of

if TYPE_CHECKING:
    from memos.store import Stores
    from tests.asgi import Response
    from tests.integration.user.conftest import UserApi

KELVIN = "\u212a"
PAIRS = [("PRxx-B", "prxx-b"), ("prxx-b", "PRxx-B"), (f"{KELVIN}im", "kim"), ("kim", f"{KELVIN}im")]
TRANSPORTS = ("connect", "rest")


def _refusal(response: Response) -> tuple[int, str]:
    return response.status, response.json()["message"]


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize(("existing", "look_alike"), PAIRS)
def test_creating_a_look_alike_is_already_exists(
    api: UserApi, stores: Stores, existing: str, look_alike: str, transport: str
) -> None:
    # Given an ADMIN and a user
    admin = add_user(stores, "admin", role=Role.ADMIN)
    add_user(stores, existing)
    sent = {"username": look_alike, "password": "secret-pw"}
    # When the ADMIN creates a look-alike of that user
    if transport == "connect":
        response = api.connect("CreateUser", {"user": sent}, token_of(admin))
    else:
        response = api.rest("POST", "/api/v1/users", sent, token_of(admin))
    # Then it is refused as taken, and no user was added
    assert _refusal(response) == (409, f"username is already taken: {look_alike}")
    assert len(stores.users.list_all_users()) == 2


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_renaming_into_a_look_alike_is_already_exists(
    api: UserApi, stores: Stores, transport: str
) -> None:
    # Given "alice" and "bob"
    add_user(stores, "alice")
    bob = add_user(stores, "bob")
    sent = {"name": f"users/{bob.id}", "username": "ALICE"}
    # When bob renames himself "ALICE"
    if transport == "connect":
        body = {"user": sent, "updateMask": "username"}
        response = api.connect("UpdateUser", body, token_of(bob))
    else:
        path = f"/api/v1/users/{bob.id}"
        response = api.rest("PATCH", path, sent, token_of(bob), query="updateMask=username")
    # Then it is refused and bob keeps his name
    assert _refusal(response) == (409, "username is already taken: ALICE")
    assert stores.users.get_by_username("bob") == bob


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_get_user_by_username_stays_exact(api: UserApi, stores: Stores, transport: str) -> None:
    # Given "kim"
    add_user(stores, "kim")
    # When looked up as "Kim" and with a Kelvin sign
    for name in ("Kim", f"{KELVIN}im"):
        if transport == "connect":
            response = api.connect("GetUser", {"name": f"users/{name}"})
        else:
            response = api.rest("GET", f"/api/v1/users/{name}")
        # Then neither finds her
        assert _refusal(response) == (404, "user not found")


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_a_username_too_long_for_a_key_is_not_found_without_a_read(
    api: UserApi, stores: Stores, transport: str
) -> None:
    # Given a name far over DynamoDB's 2,048-byte key limit
    name = "a" * 5000
    calls = record_calls(stores)
    # When GetUser is asked for it
    if transport == "connect":
        response = api.connect("GetUser", {"name": f"users/{name}"})
    else:
        response = api.rest("GET", f"/api/v1/users/{name}")
    # Then it is simply not found, and DynamoDB was never asked
    assert _refusal(response) == (404, "user not found")
    assert calls.operations() == []
