"""Stored avatars and the avatar file path (users.md §10); uploads: tests/unit/domain."""

from __future__ import annotations

import base64

import pytest

from functions.user.avatar_route import avatar_path_segment
from functions.user.avatars import avatar_image
from memos.errors import (
    FailedPreconditionError,
    InternalError,
    InvalidArgumentError,
    NotFoundError,
)


def uri(mime: str, data: bytes = b"img") -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


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
