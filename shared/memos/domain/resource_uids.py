"""The uids of memos and attachments: generated as Memos generates them, checked as Memos' store
checks a chosen one (1-32 letters, digits and inner hyphens)."""

from __future__ import annotations

import re
import secrets
from typing import Final

_UID_PATTERN: Final = re.compile(r"[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?")
# Memos' short-UUID alphabet: no 0, 1, I, O or l, which read alike.
_UID_ALPHABET: Final = "23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_UID_LENGTH: Final = 22


def new_uid() -> str:
    """A random 22-character id in Memos' alphabet (about 128 bits)."""
    return "".join(secrets.choice(_UID_ALPHABET) for _ in range(_UID_LENGTH))


def is_valid_uid(uid: str) -> bool:
    return _UID_PATTERN.fullmatch(uid) is not None
