"""Avatars: GetUserAvatar and the public file route ``/file/users/{id-or-username}/avatar``."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING

import pytest
from google.api import httpbody_pb2

from memos.api.v1 import user_service_pb2 as pb
from tests.asgi import call
from tests.integration.user.conftest import add_user, error_of

if TYPE_CHECKING:
    from memos.store import Stores
    from tests.integration.user.conftest import UserApi

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR-not-really"


def data_uri(mime: str, data: bytes = PNG) -> str:
    return f"data:{mime};base64," + base64.b64encode(data).decode()


# --- GetUserAvatar -----------------------------------------------------------------------------


def test_get_user_avatar_returns_the_image_by_id_and_username(api: UserApi, stores: Stores) -> None:
    # Given a user with an uploaded PNG avatar
    user = add_user(stores, "alice", avatar_url=data_uri("image/png"))

    # When anyone asks for it by id over Connect binary, and by username over REST
    binary = api.connect_binary("GetUserAvatar", pb.GetUserAvatarRequest(name=f"users/{user.id}"))
    rest = api.rest("GET", "/api/v1/users/alice/avatar")

    # Then both carry the image bytes and content type
    body = httpbody_pb2.HttpBody.FromString(binary.body)
    assert binary.status == 200
    assert (body.content_type, body.data) == ("image/png", PNG)
    assert rest.status == 200
    assert rest.header("content-type") == "image/png"
    assert rest.body == PNG


def test_get_user_avatar_without_avatar_is_not_found(api: UserApi, stores: Stores) -> None:
    user = add_user(stores, "alice")
    response = api.connect("GetUserAvatar", {"name": f"users/{user.id}"})
    assert error_of(response) == (404, "not_found", "avatar not found")


def test_get_user_avatar_of_missing_user_is_not_found(api: UserApi) -> None:
    response = api.connect("GetUserAvatar", {"name": "users/nobody"})
    assert error_of(response) == (404, "not_found", "user not found")


def test_external_avatar_url_is_a_failed_precondition_not_a_server_error(
    api: UserApi, stores: Stores
) -> None:
    user = add_user(stores, "sso", avatar_url="https://idp.example.com/me.png")
    status, code, _ = error_of(api.connect("GetUserAvatar", {"name": f"users/{user.id}"}))
    assert (status, code) == (400, "failed_precondition")


def test_unserved_stored_image_type_is_invalid_argument(api: UserApi, stores: Stores) -> None:
    user = add_user(stores, "legacy", avatar_url=data_uri("image/svg+xml", b"<svg/>"))
    response = api.connect("GetUserAvatar", {"name": f"users/{user.id}"})
    assert error_of(response) == (400, "invalid_argument", "invalid avatar image type")


@pytest.mark.parametrize(
    "mime",
    ["image/png", "image/jpeg", "image/jpg", "image/gif", "image/webp", "image/heic", "image/heif"],
)
def test_every_served_image_type_is_returned(api: UserApi, stores: Stores, mime: str) -> None:
    user = add_user(stores, "pic", avatar_url=data_uri(mime))
    response = api.rest("GET", f"/api/v1/users/{user.id}/avatar")
    assert response.status == 200
    assert response.header("content-type") == mime


def test_uploaded_avatar_round_trips(api: UserApi, stores: Stores) -> None:
    # Given a user who uploads an avatar through UpdateUser
    user = add_user(stores, "alice")
    api.ok(
        "UpdateUser",
        {
            "user": {"name": f"users/{user.id}", "avatarUrl": data_uri("image/webp")},
            "updateMask": "avatarUrl",
        },
        f"token-{user.id}",
    )

    # When the avatar URL the API shows is fetched
    shown = api.ok("GetUser", {"name": f"users/{user.id}"})["avatarUrl"]
    response = call(api.app, "GET", shown)

    # Then the same bytes come back
    assert response.status == 200
    assert response.body == PNG
    assert response.header("content-type") == "image/webp"


# --- The file route ----------------------------------------------------------------------------


def test_file_route_serves_the_avatar_with_safe_headers(api: UserApi, stores: Stores) -> None:
    # Given a user with a JPEG avatar
    user = add_user(stores, "alice", avatar_url=data_uri("image/jpeg"))

    # When a browser fetches it by id and by username, without credentials
    by_id = call(api.app, "GET", f"/file/users/{user.id}/avatar")
    by_name = call(api.app, "GET", "/file/users/alice/avatar")

    # Then the image is served, cacheable and locked down
    for response in (by_id, by_name):
        assert response.status == 200
        assert response.body == PNG
        assert response.header("content-type") == "image/jpeg"
        assert response.header("cache-control") == "public, max-age=3600"
        assert response.header("x-content-type-options") == "nosniff"
        assert response.header("x-frame-options") == "DENY"
        assert response.header("content-security-policy") == (
            "default-src 'none'; style-src 'unsafe-inline';"
        )


def test_file_route_head_sends_headers_only(api: UserApi, stores: Stores) -> None:
    user = add_user(stores, "alice", avatar_url=data_uri("image/png"))
    response = call(api.app, "HEAD", f"/file/users/{user.id}/avatar")
    assert response.status == 200
    assert response.body == b""
    assert response.header("content-length") == str(len(PNG))


@pytest.mark.parametrize(
    ("setup", "path", "status", "message"),
    [
        ("none", "/file/users/999/avatar", 404, "user not found"),
        ("none", "/file/users/nobody/avatar", 404, "user not found"),
        ("no-avatar", "/file/users/alice/avatar", 404, "avatar not found"),
        ("external", "/file/users/alice/avatar", 404, "avatar not found"),
        ("svg", "/file/users/alice/avatar", 400, "invalid avatar image type"),
    ],
)
def test_file_route_errors_are_plain_text(
    api: UserApi, stores: Stores, setup: str, path: str, status: int, message: str
) -> None:
    avatars = {
        "no-avatar": "",
        "external": "https://x.example.com/a.png",
        "svg": data_uri("image/svg+xml"),
    }
    if setup in avatars:
        add_user(stores, "alice", avatar_url=avatars[setup])
    response = call(api.app, "GET", path)
    assert response.status == status
    assert response.body.decode() == message
    assert response.header("content-type") == "text/plain; charset=utf-8"


@pytest.mark.parametrize(
    "path",
    [
        "/file/users/1",
        "/file/users/1/avatar/extra",
        "/file/users//avatar",
        "/file/users/1/avatars",
        "/file/users/a/b/avatar",
    ],
)
def test_file_route_serves_only_the_exact_avatar_path(
    api: UserApi, stores: Stores, path: str
) -> None:
    add_user(stores, "alice", avatar_url=data_uri("image/png"))
    response = call(api.app, "GET", path)
    assert response.status == 404


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_file_route_allows_only_get_and_head(api: UserApi, stores: Stores, method: str) -> None:
    user = add_user(stores, "alice", avatar_url=data_uri("image/png"))
    response = call(api.app, method, f"/file/users/{user.id}/avatar")
    assert response.status == 405
    assert response.header("allow") == "GET, HEAD"
