"""Changing a password signs out the user's other browsers (UpdateUser with ``password``).

AuthService and UserService in one app, over the in-memory table, with the real token verifier:
sessions are opened by signing in, and a session counts as ended when its refresh cookie is
refused.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from google.protobuf import field_mask_pb2

from functions.auth.service import AuthService
from functions.user.service import UserService
from memos.api.v1 import auth_service_pb2 as auth_pb
from memos.api.v1 import user_service_pb2 as user_pb
from memos.rpc.app import create_service_app
from tests.integration.identity import (
    PASSWORD,
    add_user,
    connect_call,
    cookie_pair,
    local_settings,
    verifier_for,
)

if TYPE_CHECKING:
    from pathlib import Path

    from memos.config import Settings
    from memos.rpc.asgi import ASGIApp
    from memos.store import Stores
    from memos.store.users import User

SIGN_IN = "/memos.api.v1.AuthService/SignIn"
REFRESH = "/memos.api.v1.AuthService/RefreshToken"
UPDATE_USER = "/memos.api.v1.UserService/UpdateUser"
NEW_PASSWORD = "a n3w passphrase"


@pytest.fixture
def stores(memory_stores: Stores) -> Stores:
    return memory_stores


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return local_settings(tmp_path)


@pytest.fixture
def app(stores: Stores, settings: Settings) -> ASGIApp:
    return create_service_app(
        AuthService(stores, settings),
        UserService(stores, settings),
        settings=settings,
        verifier=verifier_for(stores, settings),
    )


def sign_in(app: ASGIApp, username: str, password: str = PASSWORD) -> tuple[str, str]:
    """A new session: its access token and the cookie a browser would send back."""
    request = auth_pb.SignInRequest(
        password_credentials=auth_pb.SignInRequest.PasswordCredentials(
            username=username, password=password
        )
    )
    response = connect_call(app, SIGN_IN, request)
    assert response.status == 200, response.body
    message = auth_pb.SignInResponse.FromString(response.body)
    return message.access_token, cookie_pair(response.header("set-cookie"))


def change_password(app: ASGIApp, target: User, access_token: str, cookie: str = "") -> int:
    request = user_pb.UpdateUserRequest(
        user=user_pb.User(name=f"users/{target.id}", password=NEW_PASSWORD),
        update_mask=field_mask_pb2.FieldMask(paths=["password"]),
    )
    headers = {"authorization": f"Bearer {access_token}"}
    if cookie:
        headers["cookie"] = cookie
    return connect_call(app, UPDATE_USER, request, headers).status


def refresh_status(app: ASGIApp, cookie: str) -> int:
    return connect_call(app, REFRESH, auth_pb.RefreshTokenRequest(), {"cookie": cookie}).status


def test_changing_ones_own_password_ends_the_other_sessions_and_keeps_the_current_one(
    app: ASGIApp, stores: Stores
) -> None:
    # Given a user signed in from three browsers
    alice = add_user(stores, "alice")
    current_token, current_cookie = sign_in(app, "alice")
    _, laptop_cookie = sign_in(app, "alice")
    _, phone_cookie = sign_in(app, "alice")
    assert len(stores.sessions.list_for_user(alice.id)) == 3

    # When they change their password from the first browser (which sends its refresh cookie)
    status = change_password(app, alice, current_token, current_cookie)

    # Then only that browser's session is left; the others' cookies are refused
    assert status == 200
    assert len(stores.sessions.list_for_user(alice.id)) == 1
    assert refresh_status(app, laptop_cookie) == 401
    assert refresh_status(app, phone_cookie) == 401
    assert refresh_status(app, current_cookie) == 200


def test_an_admin_changing_someones_password_ends_all_of_that_users_sessions(
    app: ASGIApp, stores: Stores
) -> None:
    # Given a user signed in twice, and an ADMIN signed in too
    bob = add_user(stores, "bob")
    add_user(stores, "root", role="ADMIN")
    _, first_cookie = sign_in(app, "bob")
    _, second_cookie = sign_in(app, "bob")
    admin_token, admin_cookie = sign_in(app, "root")

    # When the ADMIN sets bob's password (their own cookie travels with the call)
    status = change_password(app, bob, admin_token, admin_cookie)

    # Then every session of bob ends, and the ADMIN's own session is untouched
    assert status == 200
    assert stores.sessions.list_for_user(bob.id) == []
    assert refresh_status(app, first_cookie) == 401
    assert refresh_status(app, second_cookie) == 401
    assert refresh_status(app, admin_cookie) == 200


def test_a_password_change_without_a_refresh_cookie_ends_every_session(
    app: ASGIApp, stores: Stores
) -> None:
    # Given a user signed in twice
    carol = add_user(stores, "carol")
    token, cookie = sign_in(app, "carol")
    sign_in(app, "carol")

    # When they change their password with the access token only (an API client)
    status = change_password(app, carol, token)

    # Then no session is left
    assert status == 200
    assert stores.sessions.list_for_user(carol.id) == []
    assert refresh_status(app, cookie) == 401


def test_an_update_without_password_in_the_mask_keeps_every_session(
    app: ASGIApp, stores: Stores
) -> None:
    # Given a user signed in twice
    dave = add_user(stores, "dave")
    token, _ = sign_in(app, "dave")
    _, other_cookie = sign_in(app, "dave")

    # When they change only their display name
    request = user_pb.UpdateUserRequest(
        user=user_pb.User(name=f"users/{dave.id}", display_name="Dave"),
        update_mask=field_mask_pb2.FieldMask(paths=["display_name"]),
    )
    response = connect_call(app, UPDATE_USER, request, {"authorization": f"Bearer {token}"})

    # Then both sessions remain
    assert response.status == 200
    assert len(stores.sessions.list_for_user(dave.id)) == 2
    assert refresh_status(app, other_cookie) == 200


def test_the_new_password_signs_in_after_the_change(app: ASGIApp, stores: Stores) -> None:
    # Given a user who changed their password
    erin = add_user(stores, "erin")
    token, cookie = sign_in(app, "erin")
    assert change_password(app, erin, token, cookie) == 200

    # When they sign in with the new password
    _, new_cookie = sign_in(app, "erin", NEW_PASSWORD)

    # Then a new session is opened next to the kept one
    assert new_cookie.startswith("memos_refresh=")
    assert len(stores.sessions.list_for_user(erin.id)) == 2
