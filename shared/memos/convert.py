"""Stored records -> API messages (the service layer's one place for these conversions)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from google.protobuf.timestamp_pb2 import Timestamp

from memos.api.v1 import common_pb2, user_service_pb2
from memos.names import user_name

if TYPE_CHECKING:
    from memos.store.users import User

_DATA_URI = re.compile(r"^data:(.+);base64,(.+)", re.DOTALL)
_ROLES = {"ADMIN": user_service_pb2.User.ADMIN, "USER": user_service_pb2.User.USER}
_STATES = {"NORMAL": common_pb2.NORMAL, "ARCHIVED": common_pb2.ARCHIVED}


def timestamp(epoch_seconds: int | float) -> Timestamp:
    stamp = Timestamp()
    stamp.FromNanoseconds(round(epoch_seconds * 1_000_000_000))
    return stamp


def avatar_url(user: User) -> str:
    """A stored data-URI avatar is served by the file route; other URLs pass through."""
    if _DATA_URI.match(user.avatar_url):
        return f"/file/users/{user.id}/avatar"
    return user.avatar_url


def user_to_proto(user: User) -> user_service_pb2.User:
    """The API view of a user: never the password hash."""
    return user_service_pb2.User(
        name=user_name(user.id),
        role=_ROLES.get(user.role, user_service_pb2.User.ROLE_UNSPECIFIED),
        username=user.username,
        email=user.email,
        display_name=user.display_name,
        avatar_url=avatar_url(user),
        description=user.description,
        state=_STATES.get(user.state, common_pb2.STATE_UNSPECIFIED),
        create_time=timestamp(user.created_at),
        update_time=timestamp(user.updated_at),
    )
