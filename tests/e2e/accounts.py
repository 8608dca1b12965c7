"""Users of the local server, signed up and signed in over Connect JSON as a script does."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

PASSWORD = "correct horse battery staple"


def sign_up(client: httpx.Client, username: str) -> None:
    user = {"username": username, "password": PASSWORD}
    created = client.post("/memos.api.v1.UserService/CreateUser", json={"user": user})
    assert created.status_code == 200, created.text


def sign_in(client: httpx.Client, username: str) -> dict[str, str]:
    """The bearer header of a session of ``username``."""
    credentials = {"username": username, "password": PASSWORD}
    session = client.post(
        "/memos.api.v1.AuthService/SignIn", json={"passwordCredentials": credentials}
    )
    assert session.status_code == 200, session.text
    return {"authorization": f"Bearer {session.json()['accessToken']}"}


def signed_in(client: httpx.Client, username: str) -> dict[str, str]:
    """The bearer header of a new user, signed up and signed in."""
    sign_up(client, username)
    return sign_in(client, username)
