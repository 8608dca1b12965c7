"""Creating users: who may register, with which role, and the race-safe first user.

Order, as in Memos: the registration gate, then the role, then the fields. The first user on an
empty instance becomes ADMIN whatever was asked, and may register even when registration is
disabled; an ADMIN caller may create anyone with any role; everyone else registers as USER, and
only while the instance allows registration. "Empty instance" is decided from the user count,
and the create itself re-checks it (``first_user``): of two concurrent first sign-ups one wins,
the other is re-decided as an ordinary registration. CreateUser registers through here.

A first sign-in through SSO registers through :func:`register_from_identity_provider`: the same
registration gate, but always as USER (also on an empty instance, as in Memos) and with a random
password nobody knows; the caller has already checked the username and the profile fields.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Final

from msgspec import Struct
from msgspec.structs import replace

from memos.auth.passwords import hash_password
from memos.caller import is_admin
from memos.domain import user_validation as validation
from memos.domain.enums import Role, State
from memos.domain.instance_settings import general_flags
from memos.errors import AlreadyExistsError, InternalError, PermissionDeniedError
from memos.store.users import FirstUserTakenError, NewUser

if TYPE_CHECKING:
    from memos.store.instance_settings import InstanceSettingStore
    from memos.store.users import User, UserStore

REGISTRATION_NOT_ALLOWED: Final = "user registration is not allowed"
_ATTEMPTS: Final = 3


class RegistrationForm(Struct, frozen=True):
    """Who to create; ``role`` is a :class:`Role` name or "" (unspecified)."""

    username: str
    password: str
    email: str = ""
    display_name: str = ""
    role: str = ""


def register(
    users: UserStore,
    instance_settings: InstanceSettingStore,
    caller: User | None,
    form: RegistrationForm,
    *,
    validate_only: bool = False,
) -> User | NewUser:
    """The created user; with ``validate_only`` the user that would be created (nothing saved).

    Raises PERMISSION_DENIED when registration is closed to the caller, INVALID_ARGUMENT for a
    bad field and ALREADY_EXISTS for a taken username.
    """
    password_hash: str | None = None
    for _ in range(_ATTEMPTS):
        first_user = not users.has_users()
        role = _role_for(first_user, caller, form.role, instance_settings)
        new = NewUser(
            username=validation.check_username(form.username),
            role=role,
            email=validation.check_email(form.email),
            display_name=validation.check_display_name(form.display_name),
        )
        validation.check_password(form.password)
        if validate_only:
            if users.get_by_username(new.username) is not None:
                raise AlreadyExistsError(f"username is already taken: {new.username}")
            return new
        if password_hash is None:
            password_hash = hash_password(form.password)
        try:
            return users.create(replace(new, password_hash=password_hash), first_user=first_user)
        except FirstUserTakenError:
            continue  # someone else became the first user meanwhile: decide again
    raise InternalError("could not create the user; try again")


def register_from_identity_provider(
    users: UserStore, instance_settings: InstanceSettingStore, profile: NewUser
) -> User:
    """A user signing in through an identity provider for the first time, as ``profile`` says.

    PERMISSION_DENIED "user registration is not allowed" while registration is closed (even on an
    empty instance); otherwise a USER whatever ``profile.role`` says, with a password that
    nobody knows (SSO users sign in through their provider). ALREADY_EXISTS when the username
    was taken meanwhile.
    """
    if general_flags(instance_settings).disallow_user_registration:
        raise PermissionDeniedError(REGISTRATION_NOT_ALLOWED)
    password_hash = hash_password(secrets.token_urlsafe(32))
    new = replace(profile, role=Role.USER, state=State.NORMAL, password_hash=password_hash)
    return users.create(new)


def _role_for(
    first_user: bool, caller: User | None, requested: str, instance_settings: InstanceSettingStore
) -> str:
    if first_user:
        return Role.ADMIN
    if is_admin(caller):
        return Role.ADMIN if requested == Role.ADMIN else Role.USER
    if general_flags(instance_settings).disallow_user_registration:
        raise PermissionDeniedError(REGISTRATION_NOT_ALLOWED)
    return Role.USER
