"""Rules for what a user may be given: username, email, password and the free-text fields.

Usernames follow Memos' rule exactly. Memos checks nothing else; this module adds bounds that keep
a user item well inside DynamoDB's 400 KB item limit (the avatar, checked where it is set, takes
most of it) and two safe refusals: a malformed email address and an empty password (with which
anyone could sign in as that user).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from memos.errors import InvalidArgumentError

# 1-32 letters, digits and hyphens, starting and ending with a letter or digit (Memos' rule).
USERNAME_PATTERN: Final = re.compile(r"^[a-zA-Z0-9]([a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?$")
_EMAIL_PATTERN: Final = re.compile(r"^[^@\s]+@[^@\s]+$")

# Longer than any stored username (Memos' rule allows 32 characters, SSO identifiers 128), and
# short enough that a username key stays well under DynamoDB's 2,048-byte key limit.
MAX_STORED_USERNAME_LENGTH: Final = 256
MAX_EMAIL_LENGTH: Final = 256
MAX_DISPLAY_NAME_LENGTH: Final = 256
MAX_DESCRIPTION_LENGTH: Final = 16 * 1024


def check_username(username: str) -> str:
    """``username`` when it is valid; INVALID_ARGUMENT "invalid username: ..." otherwise."""
    if not USERNAME_PATTERN.fullmatch(username.lower()):
        raise InvalidArgumentError(f"invalid username: {username}")
    return username


def could_be_username(name: str) -> bool:
    """False for a name no stored user can have (empty, or longer than any stored username), so
    lookups answer "not found" without sending DynamoDB a key it would refuse."""
    return 0 < len(name) <= MAX_STORED_USERNAME_LENGTH


def fold_username(username: str) -> str:
    """The form two usernames share when they look alike: NFKC, then case-folded (and NFKC
    again, as case folding can leave a string unnormalised). ``PRxx-B`` and ``prxx-b`` fold
    alike, and so do the Kelvin sign ``\u212a`` and ``k``."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", username).casefold())


def check_email(email: str) -> str:
    """An empty email, or one that looks like ``local@domain`` with no spaces."""
    if not email:
        return email
    if len(email) > MAX_EMAIL_LENGTH or not _EMAIL_PATTERN.fullmatch(email):
        raise InvalidArgumentError(f"invalid email: {email[:MAX_EMAIL_LENGTH]}")
    return email


def check_password(password: str) -> str:
    """A non-empty password (its 72-byte limit is checked when it is hashed)."""
    if not password:
        raise InvalidArgumentError("password is required")
    return password


def check_display_name(display_name: str) -> str:
    if len(display_name) > MAX_DISPLAY_NAME_LENGTH:
        raise InvalidArgumentError(
            f"display name is too long (max {MAX_DISPLAY_NAME_LENGTH} characters)"
        )
    return display_name


def check_description(description: str) -> str:
    if len(description) > MAX_DESCRIPTION_LENGTH:
        raise InvalidArgumentError(
            f"description is too long (max {MAX_DESCRIPTION_LENGTH} characters)"
        )
    return description
