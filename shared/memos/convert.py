"""Stored records -> API messages (the service layer's one place for these conversions)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, Literal

from google.protobuf.timestamp_pb2 import Timestamp

from memos.api.v1 import common_pb2, user_service_pb2
from memos.auth.identity import Identity
from memos.domain.avatars import avatar_route, is_stored_avatar
from memos.domain.enums import Role, State
from memos.names import attachment_name, memo_name, user_name
from memos.rpc.call import current_identity

if TYPE_CHECKING:
    from collections.abc import Mapping

    from memos.api.v1 import attachment_service_pb2
    from memos.store.attachments import Attachment
    from memos.store.users import User

# Whose eyes a user is converted for: the current call's caller (the default), a signed-in
# identity, a user (who has just proved to be that user, as in SignIn), or nobody.
Caller = Literal["caller"]
CALLER: Final[Caller] = "caller"

# Stored names (the enums in memos.domain.enums) <-> API values, one table each.
ROLES: Final[Mapping[str, user_service_pb2.User.Role]] = {
    Role.ADMIN: user_service_pb2.User.ADMIN,
    Role.USER: user_service_pb2.User.USER,
}
STATES: Final[Mapping[str, common_pb2.State]] = {
    State.NORMAL: common_pb2.NORMAL,
    State.ARCHIVED: common_pb2.ARCHIVED,
}
_ROLE_NAMES: Final = {value: role for role, value in ROLES.items()}
_STATE_NAMES: Final = {value: state for state, value in STATES.items()}


def timestamp(epoch_seconds: int | float) -> Timestamp:
    stamp = Timestamp()
    stamp.FromNanoseconds(round(epoch_seconds * 1_000_000_000))
    return stamp


def role_to_proto(role: str) -> user_service_pb2.User.Role:
    return ROLES.get(role, user_service_pb2.User.ROLE_UNSPECIFIED)


def role_name(role: user_service_pb2.User.Role) -> str:
    """The stored name of a role a client sent; "" when unspecified."""
    return _ROLE_NAMES.get(role, "")


def state_to_proto(state: str) -> common_pb2.State:
    return STATES.get(state, common_pb2.STATE_UNSPECIFIED)


def state_name(state: common_pb2.State) -> str:
    """The stored name of a state a client sent; "" when unspecified."""
    return _STATE_NAMES.get(state, "")


def avatar_url(user: User) -> str:
    """A stored data-URI avatar is served by the file route; other URLs pass through."""
    if is_stored_avatar(user.avatar_url):
        return avatar_route(user.id)
    return user.avatar_url


def may_see_email(user: User, viewer: Identity | User | Caller | None = CALLER) -> bool:
    """Whether ``viewer`` may see ``user``'s email: only that user and ADMINs may (Memos shows it
    to anyone, anonymous callers included; see docs/decisions.md)."""
    seen_by = current_identity() if isinstance(viewer, str) else viewer
    if seen_by is None:
        return False
    viewer_id = seen_by.user_id if isinstance(seen_by, Identity) else seen_by.id
    return viewer_id == user.id or seen_by.role == Role.ADMIN


def user_to_proto(
    user: User, *, viewer: Identity | User | Caller | None = CALLER
) -> user_service_pb2.User:
    """The API view of a user for ``viewer``: never the password hash, and the email only when
    :func:`may_see_email`. Every response that carries a user is built here."""
    return user_service_pb2.User(
        name=user_name(user.id),
        role=role_to_proto(user.role),
        username=user.username,
        email=user.email if may_see_email(user, viewer) else "",
        display_name=user.display_name,
        avatar_url=avatar_url(user),
        description=user.description,
        state=state_to_proto(user.state),
        create_time=timestamp(user.created_at),
        update_time=timestamp(user.updated_at),
    )


def attachment_to_proto(attachment: Attachment) -> attachment_service_pb2.Attachment:
    """The Attachment message every service answers with: ``content`` never included, the size
    as stored, ``external_link`` empty for bytes kept here (they are read through ``/file``)."""
    # Imported here: the other services' handlers never load the attachment messages.
    from memos.api.v1 import attachment_service_pb2  # noqa: PLC0415

    message = attachment_service_pb2.Attachment(
        name=attachment_name(attachment.uid),
        create_time=timestamp(attachment.created_ts),
        filename=attachment.filename,
        external_link=attachment.external_link,
        type=attachment.type,
        size=attachment.size,
    )
    if attachment.memo_uid:
        message.memo = memo_name(attachment.memo_uid)
    return message
