"""UpdateUser: applying the paths of an update mask to a user, all or nothing.

Paths are checked in mask order and the first failure aborts the whole update. The instance's
``disallow_change_username`` / ``disallow_change_nickname`` bind everyone, ADMINs included, but
(unlike Memos) only when the value actually changes, so a client re-sending the current value
is not refused. Only an ADMIN may change a role, their own included.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from msgspec import Struct

from memos.auth.passwords import hash_password
from memos.caller import PERMISSION_DENIED, is_admin
from memos.domain import user_validation as validation
from memos.domain.avatars import check_avatar_url
from memos.domain.enums import Role, State
from memos.domain.instance_settings import GeneralFlags, general_flags
from memos.errors import UPDATE_MASK_EMPTY, InvalidArgumentError, PermissionDeniedError
from memos.store.users import UserChanges

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from memos.store.instance_settings import InstanceSettingStore
    from memos.store.users import User, UserStore


class ProfileFields(Struct, frozen=True):
    """The values a client sent; ``role`` and ``state`` as their API names."""

    username: str = ""
    email: str = ""
    display_name: str = ""
    avatar_url: str = ""
    description: str = ""
    password: str = ""
    role: str = ""
    state: str = ""


def update_profile(
    users: UserStore,
    instance_settings: InstanceSettingStore,
    *,
    caller: User,
    target: User,
    fields: ProfileFields,
    paths: Sequence[str],
) -> User:
    """Apply ``paths`` of ``fields`` to ``target`` (``update_time`` is always bumped)."""
    if not paths:
        raise InvalidArgumentError(UPDATE_MASK_EMPTY)
    update = _ProfileUpdate(instance_settings, caller, target, fields)
    for path in paths:
        step = _STEPS.get(path)
        if step is None:
            raise InvalidArgumentError(f"invalid update path: {path}")
        step(update)
    return users.update(target.id, update.changes())


class _ProfileUpdate:
    """The changes collected so far, and what the checks need to know."""

    def __init__(
        self,
        instance_settings: InstanceSettingStore,
        caller: User,
        target: User,
        fields: ProfileFields,
    ) -> None:
        self._instance_settings = instance_settings
        self._flags: GeneralFlags | None = None
        self.caller = caller
        self.target = target
        self.fields = fields
        self.values: dict[str, Any] = {}
        self.password: str | None = None

    def flags(self) -> GeneralFlags:
        if self._flags is None:
            self._flags = general_flags(self._instance_settings)
        return self._flags

    def changes(self) -> UserChanges:
        values = dict(self.values)
        if self.password is not None:  # hashed last: nothing is hashed for a failing update
            values["password_hash"] = hash_password(self.password)
        return UserChanges(**values)


def _username(update: _ProfileUpdate) -> None:
    username = update.fields.username
    if username == update.target.username:
        return
    if update.flags().disallow_change_username:
        raise PermissionDeniedError("permission denied: disallow change username")
    update.values["username"] = validation.check_username(username)


def _display_name(update: _ProfileUpdate) -> None:
    display_name = update.fields.display_name
    if display_name == update.target.display_name:
        return
    if update.flags().disallow_change_nickname:
        raise PermissionDeniedError("permission denied: disallow change nickname")
    update.values["display_name"] = validation.check_display_name(display_name)


def _email(update: _ProfileUpdate) -> None:
    update.values["email"] = validation.check_email(update.fields.email)


def _avatar_url(update: _ProfileUpdate) -> None:
    update.values["avatar_url"] = check_avatar_url(update.fields.avatar_url)


def _description(update: _ProfileUpdate) -> None:
    update.values["description"] = validation.check_description(update.fields.description)


def _role(update: _ProfileUpdate) -> None:
    if not is_admin(update.caller):
        raise PermissionDeniedError(PERMISSION_DENIED)
    update.values["role"] = Role.ADMIN if update.fields.role == Role.ADMIN else Role.USER


def _password(update: _ProfileUpdate) -> None:
    update.password = validation.check_password(update.fields.password)


def _state(update: _ProfileUpdate) -> None:
    archived = update.fields.state == State.ARCHIVED
    update.values["state"] = State.ARCHIVED if archived else State.NORMAL


_STEPS: Final[dict[str, Callable[[_ProfileUpdate], None]]] = {
    "username": _username,
    "display_name": _display_name,
    "email": _email,
    "avatar_url": _avatar_url,
    "description": _description,
    "role": _role,
    "password": _password,
    "state": _state,
}
