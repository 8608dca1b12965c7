"""CreateUser: registration rules, roles, the first user, validation (users.md §4.3, §7, §14)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import pytest

from memos.api.v1 import user_service_pb2 as pb
from memos.auth.passwords import verify_password
from memos.domain.enums import Role
from tests.integration.user.conftest import add_user, error_of, set_general, token_of

if TYPE_CHECKING:
    from memos.store import Stores
    from tests.asgi import Response
    from tests.integration.user.conftest import UserApi


def create(
    api: UserApi, token: str | None = None, validate_only: bool = False, **user: object
) -> Response:
    body: dict[str, object] = {"user": {"password": "password123", **user}}
    if validate_only:
        body["validateOnly"] = True
    return api.connect("CreateUser", body, token)


def test_first_anonymous_registration_on_empty_instance_succeeds_as_admin(
    api: UserApi, stores: Stores
) -> None:
    # Given an instance without users
    # When an anonymous caller registers, asking for nothing in particular
    response = create(api, username="newuser", email="newuser@example.com")

    # Then the user exists and, being the first, is an ADMIN
    assert response.status == 200, response.body
    user = response.json()
    assert user["username"] == "newuser"
    assert user["email"] == "newuser@example.com"
    assert user["role"] == "ADMIN"
    assert user["state"] == "NORMAL"
    assert user["name"] == "users/1"
    stored = stores.users.get_by_username("newuser")
    assert stored is not None
    assert verify_password("password123", stored.password_hash)
    assert "password" not in user or user["password"] == ""


def test_first_user_is_admin_even_when_registration_is_disallowed(
    api: UserApi, stores: Stores
) -> None:
    # Given an empty instance whose GENERAL setting disallows registration
    set_general(stores, disallow_user_registration=True)

    # When the first person registers
    response = create(api, username="founder")

    # Then it works, and they are ADMIN
    assert response.status == 200, response.body
    assert response.json()["role"] == "ADMIN"


def test_anonymous_registration_is_refused_when_disallowed(api: UserApi, stores: Stores) -> None:
    # Given an ADMIN exists and registration is disallowed
    add_user(stores, "admin", role=Role.ADMIN)
    set_general(stores, disallow_user_registration=True)

    # When an anonymous caller registers
    response = create(api, username="newuser")

    # Then it is PERMISSION_DENIED "user registration is not allowed"
    assert error_of(response) == (403, "permission_denied", "user registration is not allowed")
    assert stores.users.get_by_username("newuser") is None


def test_admin_can_create_users_when_registration_is_disallowed(
    api: UserApi, stores: Stores
) -> None:
    # Given an ADMIN and disallowed registration
    admin = add_user(stores, "admin", role=Role.ADMIN)
    set_general(stores, disallow_user_registration=True)

    # When the ADMIN creates a user
    response = create(api, token_of(admin), username="newuser")

    # Then it succeeds, as a USER
    assert response.status == 200, response.body
    assert response.json()["role"] == "USER"


def test_regular_user_cannot_create_users_when_registration_is_disallowed(
    api: UserApi, stores: Stores
) -> None:
    # Given only a regular USER exists (so this is not first-user mode) and registration is off
    user = add_user(stores, "regular")
    set_general(stores, disallow_user_registration=True)

    # When that USER calls CreateUser
    response = create(api, token_of(user), username="another")

    # Then it is refused as "not allowed"
    status, code, message = error_of(response)
    assert (status, code) == (403, "permission_denied")
    assert "not allowed" in message


def test_admin_can_create_another_admin(api: UserApi, stores: Stores) -> None:
    # Given an ADMIN
    admin = add_user(stores, "admin", role=Role.ADMIN)

    # When the ADMIN creates "newadmin" with role ADMIN
    response = create(api, token_of(admin), username="newadmin", role="ADMIN")

    # Then the new user is an ADMIN
    assert response.status == 200, response.body
    assert response.json()["role"] == "ADMIN"


def test_anonymous_request_for_admin_role_registers_a_user(api: UserApi, stores: Stores) -> None:
    # Given an ADMIN exists and registration is allowed
    add_user(stores, "admin", role=Role.ADMIN)

    # When an anonymous caller registers "wannabeadmin" asking for ADMIN
    response = create(api, username="wannabeadmin", role="ADMIN")

    # Then registration succeeds but the role is USER
    assert response.status == 200, response.body
    assert response.json()["role"] == "USER"


def test_regular_user_request_for_admin_role_registers_a_user(api: UserApi, stores: Stores) -> None:
    # Given a USER signed in, registration allowed
    user = add_user(stores, "regular")

    # When they create a user asking for ADMIN
    response = create(api, token_of(user), username="friend", role="ADMIN")

    # Then the new user is a USER
    assert response.status == 200, response.body
    assert response.json()["role"] == "USER"


def test_registration_ignores_avatar_description_and_state(api: UserApi, stores: Stores) -> None:
    # Given an instance with an ADMIN
    add_user(stores, "admin", role=Role.ADMIN)

    # When someone registers with avatar, description and an archived state
    response = create(
        api,
        username="plain",
        displayName="Plain Person",
        avatarUrl="https://example.com/a.png",
        description="hello",
        state="ARCHIVED",
    )

    # Then only the registration fields are kept
    user = response.json()
    assert user["displayName"] == "Plain Person"
    assert "avatarUrl" not in user  # Connect JSON leaves out empty fields
    assert "description" not in user
    assert user["state"] == "NORMAL"


@pytest.mark.parametrize(
    "username", ["-abc123", "abc123-", "a*b&c", "under_score", "dot.ted", "a" * 33]
)
def test_invalid_username_is_invalid_argument(api: UserApi, username: str) -> None:
    # Given any instance
    # When someone registers with a username outside the rule
    response = create(api, username=username)

    # Then it is INVALID_ARGUMENT naming the username
    assert error_of(response) == (400, "invalid_argument", f"invalid username: {username}")


def test_empty_username_is_invalid_argument(api: UserApi) -> None:
    response = create(api, username="")
    assert error_of(response) == (400, "invalid_argument", "invalid username: ")


def test_username_keeps_its_case(api: UserApi) -> None:
    # Given any instance
    # When "MixedCase" registers
    user = create(api, username="MixedCase").json()

    # Then the stored username keeps its case
    assert user["username"] == "MixedCase"


def test_malformed_email_is_invalid_argument(api: UserApi) -> None:
    response = create(api, username="mail", email="not an email")
    assert error_of(response) == (400, "invalid_argument", "invalid email: not an email")


def test_empty_password_is_refused(api: UserApi, stores: Stores) -> None:
    # Given any instance
    # When someone registers without a password
    response = api.connect("CreateUser", {"user": {"username": "nopass"}})

    # Then it is refused (an empty password would let anyone sign in as them)
    assert error_of(response) == (400, "invalid_argument", "password is required")
    assert not stores.users.has_users()


def test_overlong_password_is_invalid_argument(api: UserApi) -> None:
    response = create(api, username="longpass", password="x" * 73)
    assert error_of(response) == (400, "invalid_argument", "password is too long (max 72 bytes)")


def test_missing_user_is_invalid_argument(api: UserApi) -> None:
    response = api.connect("CreateUser", {})
    assert error_of(response) == (400, "invalid_argument", "user is required")


def test_duplicate_username_is_already_exists(api: UserApi, stores: Stores) -> None:
    # Given "taken" exists
    add_user(stores, "taken")

    # When someone registers "taken" again
    response = create(api, username="taken")

    # Then it is ALREADY_EXISTS (Memos: INTERNAL)
    status, code, message = error_of(response)
    assert (status, code) == (409, "already_exists")
    assert message.startswith("username is already taken")


def test_validate_only_answers_the_would_be_user_and_saves_nothing(
    api: UserApi, stores: Stores
) -> None:
    # Given an empty instance
    # When a registration is only validated
    response = create(api, validate_only=True, username="checkme", email="c@example.com")

    # Then the answer has the username, email, display name and role, and no user exists
    assert response.status == 200, response.body
    user = response.json()
    assert user["username"] == "checkme"
    assert user["role"] == "ADMIN"
    assert "name" not in user
    assert "createTime" not in user
    assert "state" not in user
    assert not stores.users.has_users()


def test_validate_only_reports_a_taken_username(api: UserApi, stores: Stores) -> None:
    add_user(stores, "taken")
    response = create(api, validate_only=True, username="taken")
    assert error_of(response)[1] == "already_exists"


def test_validate_only_still_applies_the_registration_gate(api: UserApi, stores: Stores) -> None:
    add_user(stores, "admin", role=Role.ADMIN)
    set_general(stores, disallow_user_registration=True)
    response = create(api, validate_only=True, username="gated")
    assert error_of(response)[1] == "permission_denied"


def test_create_user_over_rest_takes_the_user_as_body(api: UserApi) -> None:
    # Given an empty instance
    # When a user registers over REST (body = the User)
    response = api.rest("POST", "/api/v1/users", {"username": "resty", "password": "pw"})

    # Then the user comes back in REST's JSON form
    assert response.status == 200, response.body
    assert response.json()["username"] == "resty"
    assert response.json()["role"] == "ADMIN"


def test_create_user_over_connect_binary(api: UserApi) -> None:
    request = pb.CreateUserRequest(user=pb.User(username="binary", password="pw"))
    response = api.connect_binary("CreateUser", request)
    assert response.status == 200, response.body
    assert pb.User.FromString(response.body).username == "binary"


def test_concurrent_registrations_of_one_username_let_exactly_one_win(
    api: UserApi, stores: Stores
) -> None:
    # Given an instance with an ADMIN
    add_user(stores, "admin", role=Role.ADMIN)

    # When 20 callers register the same username at once
    with ThreadPoolExecutor(max_workers=20) as pool:
        responses = list(pool.map(lambda _: create(api, username="samename"), range(20)))

    # Then exactly one succeeds, the others are ALREADY_EXISTS
    statuses = sorted(response.status for response in responses)
    assert statuses == [200] + [409] * 19
    assert stores.users.count() == 2


def test_concurrent_first_registrations_make_exactly_one_admin(
    api: UserApi, stores: Stores
) -> None:
    # Given an empty instance
    # When ten different people register at once
    with ThreadPoolExecutor(max_workers=10) as pool:
        responses = list(pool.map(lambda n: create(api, username=f"early{n}"), range(10)))

    # Then all succeed and exactly one of them is ADMIN
    assert all(response.status == 200 for response in responses), [r.body for r in responses]
    roles = sorted(response.json()["role"] for response in responses)
    assert roles == ["ADMIN"] + ["USER"] * 9
