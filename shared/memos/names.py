"""Resource names (``users/7``, ``users/7/webhooks/ab12``): parsing and building, one place.

Ids follow Memos' rules: a decimal that fits a signed 32-bit integer (a leading sign and leading
zeros are accepted, as Go's ``ParseInt`` does).
"""

from __future__ import annotations

from memos.errors import InvalidArgumentError

USERS = "users"
_INT32_MIN, _INT32_MAX = -(2**31), 2**31 - 1


def parse_int32(text: str) -> int | None:
    """The value of a decimal int32, or ``None`` when ``text`` isn't one."""
    body = text[1:] if text[:1] in "+-" else text
    if not body or not body.isascii() or not body.isdigit():
        return None
    value = int(text)
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
