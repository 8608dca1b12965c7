"""Resource names (``users/7``, ``memos/abc``, ``users/7/shortcuts/…``): parsing and building.

Ids follow Memos' rules: a decimal that fits a signed 32-bit integer (a leading sign and leading
zeros are accepted, as Go's ``ParseInt`` does).
"""

from __future__ import annotations

from memos.errors import InvalidArgumentError

USERS = "users"
_INT32_MIN, _INT32_MAX = -(2**31), 2**31 - 1
_INT32_DIGITS = 10


def parse_int32(text: str) -> int | None:
    """The value of a decimal int32, or ``None`` when ``text`` isn't one."""
    body = text[1:] if text[:1] in "+-" else text
    if not body or not body.isascii() or not body.isdigit():
        return None
    digits = body.lstrip("0")
    if len(digits) > _INT32_DIGITS:  # far out of range (and int() refuses 4,300+ digits)
        return None
    value = int(digits or "0") * (-1 if text[:1] == "-" else 1)
    return value if _INT32_MIN <= value <= _INT32_MAX else None


def user_name(user_id: int) -> str:
    return f"{USERS}/{user_id}"


def parse_user_id(name: str, what: str = "user name") -> int:
    """The id in ``users/{id}``; anything else is INVALID_ARGUMENT naming ``what``."""
    parts = name.split("/")
    if len(parts) != 2 or parts[0] != USERS or not parts[1]:
        raise InvalidArgumentError(f"invalid {what}: {name!r}")
    user_id = parse_int32(parts[1])
    if user_id is None:
        raise InvalidArgumentError(f"invalid {what}: invalid user ID {parts[1]!r}")
    return user_id


def parse_user_lookup(name: str) -> int | str:
    """``users/{id}`` gives the id; ``users/{username}`` gives the username (GetUser only)."""
    parts = name.split("/")
    if len(parts) != 2 or parts[0] != USERS or not parts[1]:
        raise InvalidArgumentError(f"invalid user name: {name!r}")
    user_id = parse_int32(parts[1])
    return parts[1] if user_id is None else user_id


def child_name(user_id: int, collection: str, child_id: str | int) -> str:
    return f"{USERS}/{user_id}/{collection}/{child_id}"


def parse_child_name(name: str, collection: str, what: str) -> tuple[int, str]:
    """``users/{id}/{collection}/{child}`` -> (user id, child id)."""
    parts = name.split("/")
    if len(parts) != 4 or parts[0] != USERS or parts[2] != collection or not parts[3]:
        raise InvalidArgumentError(f"invalid {what}: {name!r}")
    user_id = parse_int32(parts[1])
    if user_id is None:
        raise InvalidArgumentError(f"invalid {what}: invalid user ID {parts[1]!r}")
    return user_id, parts[3]


# Memos and what hangs off them -------------------------------------------------------------

MEMOS = "memos"
ATTACHMENTS = "attachments"
REACTIONS = "reactions"
SHORTCUTS = "shortcuts"
WEBHOOKS = "webhooks"
ACTIVITIES = "activities"
IDENTITY_PROVIDERS = "identity-providers"

# Longest uid a lookup accepts. Memos' own uids are at most 32 characters (older releases used
# 36-character UUIDs); the bound keeps user-controlled key parts far below DynamoDB's key limits.
MAX_LOOKUP_UID_LENGTH = 128


def memo_name(uid: str) -> str:
    return f"{MEMOS}/{uid}"


def parse_memo_name(name: str, what: str = "memo name") -> str:
    """The uid in ``memos/{uid}``; anything else is INVALID_ARGUMENT naming ``what``."""
    return _parse_uid_name(name, MEMOS, what)


def attachment_name(uid: str) -> str:
    return f"{ATTACHMENTS}/{uid}"


def parse_attachment_name(name: str) -> str:
    """The uid in ``attachments/{uid}``."""
    return _parse_uid_name(name, ATTACHMENTS, "attachment name")


def reaction_name(memo_uid: str, reaction_id: int) -> str:
    return f"{MEMOS}/{memo_uid}/{REACTIONS}/{reaction_id}"


def parse_reaction_name(name: str) -> tuple[str, int]:
    """``memos/{uid}/reactions/{int32}`` -> (memo uid, reaction id)."""
    parts = name.split("/")
    if len(parts) != 4 or parts[0] != MEMOS or not parts[1] or parts[2] != REACTIONS:
        raise InvalidArgumentError(f"invalid reaction name: {name!r}")
    reaction_id = parse_int32(parts[3])
    if reaction_id is None:
        raise InvalidArgumentError(f"invalid reaction name: invalid reaction ID {parts[3]!r}")
    return parts[1], reaction_id


def shortcut_name(user_id: int, shortcut_id: str) -> str:
    return child_name(user_id, SHORTCUTS, shortcut_id)


def parse_shortcut_name(name: str) -> tuple[int, str]:
    """``users/{id}/shortcuts/{sid}`` -> (user id, shortcut id)."""
    return parse_child_name(name, SHORTCUTS, "shortcut name")


def webhook_name(user_id: int, webhook_id: str) -> str:
    return child_name(user_id, WEBHOOKS, webhook_id)


def activity_name(activity_id: int) -> str:
    return f"{ACTIVITIES}/{activity_id}"


def parse_activity_name(name: str) -> int:
    """The id in ``activities/{int32}``."""
    return _parse_int_name(name, ACTIVITIES, "activity name")


def identity_provider_name(idp_id: int) -> str:
    return f"{IDENTITY_PROVIDERS}/{idp_id}"


def parse_identity_provider_name(name: str) -> int:
    """The id in ``identity-providers/{int32}``."""
    return _parse_int_name(name, IDENTITY_PROVIDERS, "identity provider name")


def _parse_uid_name(name: str, collection: str, what: str) -> str:
    parts = name.split("/")
    if len(parts) != 2 or parts[0] != collection or not parts[1]:
        raise InvalidArgumentError(f"invalid {what}: {name!r}")
    if len(parts[1]) > MAX_LOOKUP_UID_LENGTH:
        raise InvalidArgumentError(
            f"invalid {what}: the id is longer than {MAX_LOOKUP_UID_LENGTH} characters"
        )
    return parts[1]


def _parse_int_name(name: str, collection: str, what: str) -> int:
    parts = name.split("/")
    if len(parts) != 2 or parts[0] != collection or not parts[1]:
        raise InvalidArgumentError(f"invalid {what}: {name!r}")
    value = parse_int32(parts[1])
    if value is None:
        raise InvalidArgumentError(f"invalid {what}: invalid ID {parts[1]!r}")
    return value
