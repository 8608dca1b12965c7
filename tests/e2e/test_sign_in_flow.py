"""A person's first visit, over real HTTP to the local server (``make serve``'s code path).

Sign up (CreateUser), sign in over Connect binary as the web app does and over REST, stay signed in
through the refresh cookie on both, sign out, then create a personal access token and use it from a
REST script. The steps depend on each other, so they run as one story per test.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx
import pytest

from memos.api.v1 import auth_service_pb2 as auth
from memos.api.v1 import user_service_pb2 as users

if TYPE_CHECKING:
    from collections.abc import Iterator

    from google.protobuf.message import Message

PASSWORD = "correct horse battery staple"
BINARY = {"content-type": "application/proto", "connect-protocol-version": "1"}


@pytest.fixture(scope="module")
def client(local_server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=local_server, timeout=10.0) as http:
        yield http


def connect(
    client: httpx.Client,
    procedure: str,
    request: Message,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    return client.post(
        f"/memos.api.v1.{procedure}",
        content=request.SerializeToString(),
        headers={**BINARY, **(headers or {})},
    )


def refresh_cookie(response: httpx.Response) -> str:
    """The ``memos_refresh=...`` pair a browser would send back."""
    set_cookie = str(response.headers.get("set-cookie", ""))
    assert set_cookie.startswith("memos_refresh="), set_cookie
    assert "HttpOnly" in set_cookie
    return set_cookie.split(";", 1)[0]


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def sign_up(client: httpx.Client, username: str) -> users.User:
    request = users.CreateUserRequest(user=users.User(username=username, password=PASSWORD))
    response = connect(client, "UserService/CreateUser", request)
    assert response.status_code == 200, response.text
    return users.User.FromString(response.content)


def test_sign_up_then_stay_signed_in_over_connect_binary(client: httpx.Client) -> None:
    # Given a person who signs up as the web app does
    created = sign_up(client, "ada")

    # When they sign in over Connect binary
    credentials = auth.SignInRequest.PasswordCredentials(username="ada", password=PASSWORD)
    signed_in = connect(
        client, "AuthService/SignIn", auth.SignInRequest(password_credentials=credentials)
    )

    # Then they get an access token that says who they are, and a refresh cookie
    assert signed_in.status_code == 200, signed_in.text
    session = auth.SignInResponse.FromString(signed_in.content)
    assert session.user.name == created.name
    cookie = refresh_cookie(signed_in)
    me = connect(
        client,
        "AuthService/GetCurrentUser",
        auth.GetCurrentUserRequest(),
        bearer(session.access_token),
    )
    assert me.status_code == 200, me.text
    assert auth.GetCurrentUserResponse.FromString(me.content).user.username == "ada"

    # When the access token runs out, the web app refreshes through the cookie
    refreshed = connect(
        client, "AuthService/RefreshToken", auth.RefreshTokenRequest(), {"cookie": cookie}
    )

    # Then a new access token works and the cookie has rotated
    assert refreshed.status_code == 200, refreshed.text
    renewed = auth.RefreshTokenResponse.FromString(refreshed.content)
    new_cookie = refresh_cookie(refreshed)
    assert new_cookie != cookie
    me_again = connect(
        client,
        "AuthService/GetCurrentUser",
        auth.GetCurrentUserRequest(),
        bearer(renewed.access_token),
    )
    assert me_again.status_code == 200, me_again.text

    # When they sign out
    signed_out = connect(
        client,
        "AuthService/SignOut",
        auth.SignOutRequest(),
        {**bearer(renewed.access_token), "cookie": new_cookie},
    )

    # Then the cookie is cleared and can no longer be refreshed
    assert signed_out.status_code == 200, signed_out.text
    assert signed_out.headers["set-cookie"].startswith("memos_refresh=;")
    after = connect(
        client, "AuthService/RefreshToken", auth.RefreshTokenRequest(), {"cookie": new_cookie}
    )
    assert after.status_code == 401
    assert after.json()["code"] == "unauthenticated"


def test_sign_in_and_refresh_over_rest(client: httpx.Client) -> None:
    # Given a person who signed up
    sign_up(client, "grace")

    # When they sign in over REST
    signed_in = client.post(
        "/api/v1/auth/signin",
        json={"passwordCredentials": {"username": "grace", "password": PASSWORD}},
    )

    # Then the JSON carries an access token and the refresh cookie is a real Set-Cookie
    assert signed_in.status_code == 200, signed_in.text
    token = signed_in.json()["accessToken"]
    me = client.get("/api/v1/auth/me", headers=bearer(token))
    assert me.status_code == 200, me.text
    assert me.json()["user"]["username"] == "grace"

    # When they refresh over REST with the cookie
    refreshed = client.post(
        "/api/v1/auth/refresh", json={}, headers={"cookie": refresh_cookie(signed_in)}
    )

    # Then they get a new access token (Memos' REST path loses the cookie; ours keeps it)
    assert refreshed.status_code == 200, refreshed.text
    assert refreshed.json()["accessToken"]
    assert refresh_cookie(refreshed) != refresh_cookie(signed_in)


def test_personal_access_token_works_for_rest_scripts(client: httpx.Client) -> None:
    # Given a signed-in person
    user = sign_up(client, "linus")
    signed_in = client.post(
        "/api/v1/auth/signin",
        json={"passwordCredentials": {"username": "linus", "password": PASSWORD}},
    )
    access_token = signed_in.json()["accessToken"]

    # When they create a personal access token
    created = client.post(
        f"/api/v1/{user.name}/personalAccessTokens",
        json={"description": "backup script", "expiresInDays": 30},
        headers=bearer(access_token),
    )

    # Then a script can call the REST API with it
    assert created.status_code == 200, created.text
    token = created.json()["token"]
    assert token.startswith("memos_pat_")
    me = client.get("/api/v1/auth/me", headers=bearer(token))
    assert me.status_code == 200, me.text
    assert me.json()["user"]["name"] == user.name

    # And without it the same call is refused
    anonymous = client.get("/api/v1/auth/me")
    assert anonymous.status_code == 401
    assert anonymous.json() == {"code": 16, "message": "authentication required", "details": []}
