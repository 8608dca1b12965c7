"""Personal access tokens (PATs): ``memos_pat_`` + 32 random characters, stored only as a hash."""

from __future__ import annotations

import hashlib
import secrets
import string
from typing import Final

PAT_PREFIX: Final = "memos_pat_"
PAT_RANDOM_LENGTH: Final = 32
_ALPHABET: Final = string.digits + string.ascii_letters


def generate_personal_access_token() -> str:
    """A new token, 42 characters: the prefix and 32 characters from ``[0-9a-zA-Z]`` (CSPRNG)."""
    body = "".join(secrets.choice(_ALPHABET) for _ in range(PAT_RANDOM_LENGTH))
    return PAT_PREFIX + body


def hash_personal_access_token(token: str) -> str:
    """What is stored and looked up: lower-case hex SHA-256 of the whole token, prefix included."""
    return hashlib.sha256(token.encode()).hexdigest()


def is_personal_access_token(token: str) -> bool:
    """Whether a bearer token takes the PAT path rather than the access-token path.

    As in Memos only the prefix is checked (Memos itself can issue ``memos_pat_`` + UUID when its
    random source fails); a token nobody issued is rejected by the hash lookup.
    """
    return token.startswith(PAT_PREFIX)
