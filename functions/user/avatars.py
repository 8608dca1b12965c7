"""The image a stored avatar serves (GetUserAvatar and the file route).

What may be stored is the one rule :func:`memos.domain.avatars.check_avatar_url` (a data URI of
PNG, JPEG, GIF or WebP). Serving also answers HEIC/HEIF, which Memos serves from data it wrote
itself; an avatar stored as a link before that rule is not served here (the client loads it).
"""

from __future__ import annotations

import base64
import binascii
from typing import Final

from msgspec import Struct

from memos.domain.avatars import ALLOWED_AVATAR_TYPES, DATA_URI
from memos.errors import (
    FailedPreconditionError,
    InternalError,
    InvalidArgumentError,
    NotFoundError,
)

SERVED_TYPES: Final = ALLOWED_AVATAR_TYPES | {"image/heic", "image/heif"}

AVATAR_NOT_FOUND: Final = "avatar not found"
INVALID_AVATAR_TYPE: Final = "invalid avatar image type"


class AvatarImage(Struct, frozen=True):
    content_type: str
    data: bytes


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
