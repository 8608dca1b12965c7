"""The one avatar rule: what may be stored as a user's avatar, and where clients fetch it.

An avatar is kept on the user as a data URI, ``data:<image type>;base64,<data>``, as in Memos;
nothing else is stored (Memos' UpdateUser rejects plain ``https://`` URLs too). The API never
sends it inline: a user's ``avatar_url`` points at the file route that serves the image
(:func:`avatar_route`). An avatar stored as anything else (only possible from data written
before this rule) is passed through as it is.

:func:`check_avatar_url` is the rule every path that sets an avatar goes through: an empty value
clears the avatar; anything else must be a data URI of PNG, JPEG, GIF or WebP whose data is real
base64 of at most :data:`MAX_AVATAR_BYTES`. The cap keeps the user item, avatar and every other
field at their maximum sizes, inside DynamoDB's 400 KB item limit.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Final

from memos.errors import InvalidArgumentError
from memos.names import USERS

AVATAR_ROUTE_PREFIX: Final = f"/file/{USERS}/"
AVATAR_ROUTE_SUFFIX: Final = "/avatar"

# ``data:<image type>;base64,<data>``: group 1 is the image type, group 2 the base64 data.
DATA_URI: Final = re.compile(r"^data:([^;,]+);base64,(.+)$", re.DOTALL)

ALLOWED_AVATAR_TYPES: Final = frozenset(
    {"image/png", "image/jpeg", "image/jpg", "image/gif", "image/webp"}
)
# 240 KiB of image is 327,680 base64 characters; the user's other fields take at most ~68 KB.
MAX_AVATAR_BYTES: Final = 240 * 1024
_MAX_ENCODED_LENGTH: Final = (MAX_AVATAR_BYTES + 2) // 3 * 4

INVALID_AVATAR_FORMAT: Final = "invalid avatar format: expected data:<image type>;base64,<data>"


def avatar_route(user_id: int) -> str:
    """``/file/users/{id}/avatar``: where a user's stored avatar is served."""
    return f"{AVATAR_ROUTE_PREFIX}{user_id}{AVATAR_ROUTE_SUFFIX}"


def is_stored_avatar(avatar_url: str) -> bool:
    """Whether the avatar is an image kept on the user (a data URI), not a link elsewhere."""
    return DATA_URI.match(avatar_url) is not None


def check_avatar_url(value: str) -> str:
    """The avatar to store for ``value``: "" clears it, else an allowed image as a data URI.

    INVALID_ARGUMENT with Memos' messages: "invalid avatar format: ..." for anything that is
    not a base64 data URI (an ``https://`` URL included), "invalid avatar image type: <type>.
    Only PNG, JPEG, GIF, and WebP are allowed"; and "avatar is too large (max 240 KiB)".
    """
    if not value:
        return value
    match = DATA_URI.match(value)
    if match is None:
        raise InvalidArgumentError(INVALID_AVATAR_FORMAT)
    content_type, encoded = match.group(1), match.group(2)
    if content_type not in ALLOWED_AVATAR_TYPES:
        raise InvalidArgumentError(
            f"invalid avatar image type: {content_type}. Only PNG, JPEG, GIF, and WebP are allowed"
        )
    if len(encoded) > _MAX_ENCODED_LENGTH:
        raise _too_large()
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidArgumentError("invalid avatar format: the data is not valid base64") from None
    if len(data) > MAX_AVATAR_BYTES:
        raise _too_large()
    return value


def _too_large() -> InvalidArgumentError:
    return InvalidArgumentError(f"avatar is too large (max {MAX_AVATAR_BYTES // 1024} KiB)")
