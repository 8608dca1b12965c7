"""Where an uploaded avatar lives and where clients fetch it.

An uploaded avatar is kept on the user as a data URI, ``data:<image type>;base64,<data>``, as in
Memos. The API never sends it inline: a user's ``avatar_url`` points at the file route that
serves the image (:func:`avatar_route`). Any other avatar URL is passed through as it is.
"""

from __future__ import annotations

import re
from typing import Final

from memos.names import USERS

AVATAR_ROUTE_PREFIX: Final = f"/file/{USERS}/"
AVATAR_ROUTE_SUFFIX: Final = "/avatar"

# ``data:<image type>;base64,<data>``: group 1 is the image type, group 2 the base64 data.
DATA_URI: Final = re.compile(r"^data:([^;,]+);base64,(.+)$", re.DOTALL)


def avatar_route(user_id: int) -> str:
    """``/file/users/{id}/avatar``: where a user's stored avatar is served."""
    return f"{AVATAR_ROUTE_PREFIX}{user_id}{AVATAR_ROUTE_SUFFIX}"


def is_stored_avatar(avatar_url: str) -> bool:
    """Whether the avatar is an image kept on the user (a data URI), not a link elsewhere."""
    return DATA_URI.match(avatar_url) is not None
