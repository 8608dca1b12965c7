"""Avatars: what UpdateUser stores, GetUserAvatar and the file route ``/file/users/{id}/avatar``."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING

import pytest
from google.api import httpbody_pb2

from memos.api.v1 import user_service_pb2 as pb
from memos.domain.avatars import MAX_AVATAR_BYTES
from tests.asgi import call
from tests.integration.user.conftest import add_user, error_of, token_of

if TYPE_CHECKING:
    from memos.store import Stores
    from tests.asgi import Response
    from tests.integration.user.conftest import UserApi

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR-not-really"


def data_uri(mime: str, data: bytes = PNG) -> str:
    return f"data:{mime};base64," + base64.b64encode(data).decode()


def set_avatar(api: UserApi, user_id: int, avatar: str) -> Response:
    """UpdateUser of ``avatar_url`` by the user themselves, over Connect JSON."""
    return api.connect(
        "UpdateUser",
        {"user": {"name": f"users/{user_id}", "avatarUrl": avatar}, "updateMask": "avatarUrl"},
        f"token-{user_id}",
    )


# --- Setting an avatar (UpdateUser) ------------------------------------------------------------


@pytest.mark.parametrize(
    "mime", ["image/png", "image/jpeg", "image/jpg", "image/gif", "image/webp"]
)
def test_a_data_uri_of_an_allowed_image_type_is_stored(
    api: UserApi, stores: Stores, mime: str
) -> None:
    # Given a user
    user = add_user(stores, "alice")

    # When they set an avatar of an allowed type
    response = set_avatar(api, user.id, data_uri(mime))

    # Then it is stored as sent and shown as the file route
    assert response.status == 200, response.body
    assert response.json()["avatarUrl"] == f"/file/users/{user.id}/avatar"
    stored = stores.users.get(user.id)
    assert stored is not None
    assert stored.avatar_url == data_uri(mime)


@pytest.mark.parametrize(
    "avatar",
    [
        "https://cdn.example.com/me.png",
        "http://cdn.example.com/me.png",
        "HTTPS://CDN.EXAMPLE.COM/ME.PNG",
        "//cdn.example.com/me.png",
        "ftp://example.com/a.png",
        "javascript:alert(1)",
        "/file/users/1/avatar",
        "data:image/png,raw",
        "data:image/png;charset=utf-8;base64,AAAA",
        "data:image/png;base64,",
        "not a url at all",
    ],
)
def test_anything_but_a_base64_data_uri_is_an_invalid_avatar_format(
    api: UserApi, stores: Stores, avatar: str
) -> None:
    # Given a user with an uploaded avatar
    user = add_user(stores, "alice", avatar_url=data_uri("image/png"))

    # When they try to set a link or a malformed data URI
    response = set_avatar(api, user.id, avatar)

    # Then it is refused with Memos' "invalid avatar format" and the old avatar stays
    assert error_of(response) == (
        400,
        "invalid_argument",
        "invalid avatar format: expected data:<image type>;base64,<data>",
    )
    stored = stores.users.get(user.id)
    assert stored is not None
    assert stored.avatar_url == data_uri("image/png")


@pytest.mark.parametrize(
    "mime", ["image/svg+xml", "text/html", "image/heic", "image/PNG", "application/octet-stream"]
)
def test_other_image_types_are_refused_naming_the_type(
    api: UserApi, stores: Stores, mime: str
) -> None:
    user = add_user(stores, "alice")
    response = set_avatar(api, user.id, data_uri(mime))
    assert error_of(response) == (
        400,
        "invalid_argument",
        f"invalid avatar image type: {mime}. Only PNG, JPEG, GIF, and WebP are allowed",
    )


def test_data_that_is_not_base64_is_an_invalid_avatar_format(api: UserApi, stores: Stores) -> None:
    user = add_user(stores, "alice")
    response = set_avatar(api, user.id, "data:image/png;base64,@@@")
    assert error_of(response) == (
        400,
        "invalid_argument",
        "invalid avatar format: the data is not valid base64",
    )


def test_an_avatar_at_the_size_cap_is_stored_one_byte_more_is_refused(
    api: UserApi, stores: Stores
) -> None:
    # Given a user
    user = add_user(stores, "alice")

    # When they upload an image of exactly the cap, then one a byte larger
    at_cap = set_avatar(api, user.id, data_uri("image/png", b"\x00" * MAX_AVATAR_BYTES))
    over = set_avatar(api, user.id, data_uri("image/png", b"\x00" * (MAX_AVATAR_BYTES + 1)))

    # Then the first is stored (the user item stays under DynamoDB's limit), the second refused
    assert at_cap.status == 200, at_cap.body
    assert error_of(over) == (400, "invalid_argument", "avatar is too large (max 240 KiB)")


def test_an_empty_avatar_clears_it(api: UserApi, stores: Stores) -> None:
    # Given a user with an avatar
    user = add_user(stores, "alice", avatar_url=data_uri("image/png"))

    # When they set an empty avatar
    response = set_avatar(api, user.id, "")

    # Then it is cleared
    assert response.status == 200, response.body
    assert "avatarUrl" not in response.json()
    stored = stores.users.get(user.id)
    assert stored is not None
    assert stored.avatar_url == ""


def test_an_https_avatar_is_refused_over_rest_too(api: UserApi, stores: Stores) -> None:
    user = add_user(stores, "alice")
    response = api.rest(
        "PATCH",
        f"/api/v1/users/{user.id}",
        {"avatarUrl": "https://cdn.example.com/me.png"},
        query="updateMask=avatar_url",
        token=token_of(user),
    )
    assert response.status == 400
    assert response.json()["message"].startswith("invalid avatar format")


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
