"""The API's enumerations as the store keeps them: their names, one definition each.

Stored values are the enum names (``ADMIN``, ``ARCHIVED``, ``PUBLIC``); the protobuf numbers
appear only at the conversion edge (``memos.convert`` and each function's ``convert``).
Pure data: no imports beyond the standard library, so anything may use it, the store included.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class Role(StrEnum):
    ADMIN = "ADMIN"
    USER = "USER"


class State(StrEnum):
    """Row state of users and memos."""

    NORMAL = "NORMAL"
    ARCHIVED = "ARCHIVED"


class Visibility(StrEnum):
    PRIVATE = "PRIVATE"
    PROTECTED = "PROTECTED"
    PUBLIC = "PUBLIC"


# Every visibility, most public first: the order per-visibility stats are read and merged in.
VISIBILITIES: Final = (Visibility.PUBLIC, Visibility.PROTECTED, Visibility.PRIVATE)


class RelationType(StrEnum):
    REFERENCE = "REFERENCE"
    COMMENT = "COMMENT"


class NotificationStatus(StrEnum):
    UNREAD = "UNREAD"
    ARCHIVED = "ARCHIVED"


class NotificationType(StrEnum):
    MEMO_COMMENT = "MEMO_COMMENT"


class ActivityType(StrEnum):
    MEMO_COMMENT = "MEMO_COMMENT"


class ActivityLevel(StrEnum):
    INFO = "INFO"
