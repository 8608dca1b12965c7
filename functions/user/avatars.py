"""Avatars: what UpdateUser accepts, and the image a stored avatar serves.

Memos keeps an uploaded avatar inline on the user, as a data URI ``data:<mime>;base64,<data>``;
so does this service (in the user item). Uploads are checked here: an image type Memos accepts
(PNG, JPEG, GIF, WebP), base64 that really decodes, and at most :data:`MAX_AVATAR_BYTES` once
decoded, which keeps the user item inside DynamoDB's 400 KB limit. An ``http(s)`` URL is accepted
as well (Memos only takes one from SSO); such an avatar is shown by URL and not served here.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlsplit

from memos.domain.avatars import DATA_URI
from memos.errors import (
    FailedPreconditionError,
    InternalError,
    InvalidArgumentError,
    NotFoundError,
)

MAX_AVATAR_BYTES: Final = 256 * 1024
MAX_AVATAR_URL_LENGTH: Final = 2048
UPLOAD_TYPES: Final = frozenset({"image/png", "image/jpeg", "image/jpg", "image/gif", "image/webp"})
SERVED_TYPES: Final = UPLOAD_TYPES | {"image/heic", "image/heif"}

AVATAR_NOT_FOUND: Final = "avatar not found"
INVALID_AVATAR_TYPE: Final = "invalid avatar image type"


@dataclass(frozen=True, slots=True)
class AvatarImage:
    content_type: str
    data: bytes


def check_avatar_url(value: str) -> str:
    """The avatar to store for what a client sent: "" clears it; else a data URI or an URL."""
    if not value:
        return value
    if value.startswith("data:"):
        _check_upload(value)
        return value
    parts = urlsplit(value)
    if parts.scheme.lower() in ("http", "https") and parts.hostname:
        if len(value) > MAX_AVATAR_URL_LENGTH:
            raise InvalidArgumentError(
                f"invalid avatar format: URL longer than {MAX_AVATAR_URL_LENGTH} characters"
            )
        return value
    raise InvalidArgumentError(
        "invalid avatar format: expected a data URI (data:<image type>;base64,<data>) "
        "or an http(s) URL"
    )


def avatar_image(stored: str) -> AvatarImage:
    """The image of a stored avatar.

    NOT_FOUND "avatar not found" when there is none; FAILED_PRECONDITION when the avatar is an
    external URL (the client loads it from there); INVALID_ARGUMENT for a stored type that is
    not served; INTERNAL for a stored data URI that does not decode.
    """
    if not stored:
        raise NotFoundError(AVATAR_NOT_FOUND)
    match = DATA_URI.match(stored)
    if match is None:
        raise FailedPreconditionError(
            "avatar is an external URL, not stored on this server: load it from the avatar URL"
        )
    content_type, encoded = match.group(1), match.group(2)
    if content_type not in SERVED_TYPES:
        raise InvalidArgumentError(INVALID_AVATAR_TYPE)
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise InternalError("failed to parse avatar data") from None
    return AvatarImage(content_type, data)


def _check_upload(value: str) -> None:
    match = DATA_URI.match(value)
    if match is None:
        raise InvalidArgumentError(
            "invalid avatar format: expected data:<image type>;base64,<data>"
        )
    content_type, encoded = match.group(1), match.group(2)
    if content_type not in UPLOAD_TYPES:
        raise InvalidArgumentError(
            f"invalid avatar image type: {content_type}. Only PNG, JPEG, GIF, and WebP are allowed"
        )
    if len(encoded) > (MAX_AVATAR_BYTES + 2) // 3 * 4:
        raise _too_large()
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidArgumentError("invalid avatar format: the data is not valid base64") from None
    if len(data) > MAX_AVATAR_BYTES:
        raise _too_large()


def _too_large() -> InvalidArgumentError:
    return InvalidArgumentError(f"avatar is too large (max {MAX_AVATAR_BYTES // 1024} KiB)")
