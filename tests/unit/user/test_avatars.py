"""Avatar uploads and stored avatars (users.md §4.4, §10)."""

from __future__ import annotations

import base64

import pytest

from functions.user.avatar_route import avatar_path_segment
from functions.user.avatars import MAX_AVATAR_BYTES, avatar_image, check_avatar_url
from memos.errors import (
    FailedPreconditionError,
    InternalError,
    InvalidArgumentError,
    NotFoundError,
)


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


def test_empty_image_is_refused() -> None:
    with pytest.raises(InvalidArgumentError, match="invalid avatar format"):
        check_avatar_url("data:image/png;base64,")


def test_http_urls_are_accepted_as_they_are() -> None:
    assert check_avatar_url("http://example.com/a.png") == "http://example.com/a.png"


def test_stored_avatar_decodes_to_its_image() -> None:
    image = avatar_image(uri("image/heif", b"\x00\x01"))
    assert (image.content_type, image.data) == ("image/heif", b"\x00\x01")


def test_stored_avatar_errors() -> None:
    with pytest.raises(NotFoundError, match="avatar not found"):
        avatar_image("")
    with pytest.raises(FailedPreconditionError):
        avatar_image("https://example.com/a.png")
    with pytest.raises(InvalidArgumentError, match="invalid avatar image type"):
        avatar_image(uri("image/svg+xml"))
    with pytest.raises(InternalError, match="failed to parse avatar data"):
        avatar_image("data:image/png;base64,%%%")


@pytest.mark.parametrize(
    ("path", "segment"),
    [
        ("/file/users/7/avatar", "7"),
        ("/file/users/alice/avatar", "alice"),
        ("/file/users//avatar", None),
        ("/file/users/a/b/avatar", None),
        ("/file/users/7/avatar/", None),
        ("/file/users/7", None),
    ],
)
def test_only_the_exact_avatar_path_names_a_user(path: str, segment: str | None) -> None:
    assert avatar_path_segment(path) == segment
