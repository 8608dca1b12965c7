"""One avatar rule for the API view of a user and the route that serves the image."""

from __future__ import annotations

import base64

import pytest

from memos.convert import user_to_proto
from memos.domain.avatars import (
    MAX_AVATAR_BYTES,
    avatar_route,
    check_avatar_url,
    is_stored_avatar,
)
from memos.domain.enums import Role, State
from memos.errors import InvalidArgumentError
from memos.store.users import User


def test_the_avatar_route_is_under_the_users_file_prefix() -> None:
    assert avatar_route(7) == "/file/users/7/avatar"


@pytest.mark.parametrize(
    ("avatar_url", "stored"),
    [
        ("data:image/png;base64,iVBORw0KGgo=", True),
        ("data:image/png;base64,line\nbreak", True),
        ("https://example.com/me.png", False),
        ("data:image/png,not-base64", False),
        ("data:image/png;charset=utf-8;base64,AAAA", False),
        ("", False),
    ],
)
def test_only_inline_base64_images_are_stored_avatars(avatar_url: str, stored: bool) -> None:
    assert is_stored_avatar(avatar_url) is stored


def test_the_api_points_stored_avatars_at_the_route_and_passes_links_through() -> None:
    # Given one user with an uploaded avatar and one with a link
    uploaded = User(7, "ann", Role.USER, State.NORMAL, avatar_url="data:image/png;base64,AAAA")
    linked = User(8, "bob", Role.USER, State.NORMAL, avatar_url="https://example.com/b.png")

    # When they are converted / Then the upload is served by the route, the link stays
    assert user_to_proto(uploaded).avatar_url == "/file/users/7/avatar"
    assert user_to_proto(linked).avatar_url == "https://example.com/b.png"


def uri(mime: str, data: bytes = b"img") -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def test_upload_at_the_size_limit_is_accepted_one_byte_more_is_not() -> None:
    assert check_avatar_url(uri("image/gif", b"x" * MAX_AVATAR_BYTES))
    with pytest.raises(InvalidArgumentError, match="too large"):
        check_avatar_url(uri("image/gif", b"x" * (MAX_AVATAR_BYTES + 1)))


@pytest.mark.parametrize("mime", ["image/heic", "image/svg+xml", "text/html", "image/PNG"])
def test_upload_types_are_memos_four(mime: str) -> None:
    with pytest.raises(InvalidArgumentError, match="invalid avatar image type"):
        check_avatar_url(uri(mime))


@pytest.mark.parametrize(
    "value", ["data:image/png;base64,", "https://example.com/a.png", "http://example.com/a.png"]
)
def test_only_a_base64_data_uri_is_an_avatar(value: str) -> None:
    with pytest.raises(InvalidArgumentError, match="invalid avatar format"):
        check_avatar_url(value)


def test_empty_clears_and_an_allowed_upload_is_kept_as_sent() -> None:
    assert check_avatar_url("") == ""
    assert check_avatar_url(uri("image/webp")) == uri("image/webp")
