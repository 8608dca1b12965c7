"""Password hashing: bcrypt at cost 10, interchangeable with Memos' stored hashes.

Memos (Go) writes ``$2a$10$...`` hashes; this module writes ``$2b$10$...``. Both verify with
either library, so users moved between the two keep their passwords.

Deviation from Memos, on purpose: a password longer than bcrypt's 72-byte limit is refused when
it is set, with INVALID_ARGUMENT "password is too long (max 72 bytes)", instead of Memos'
INTERNAL "failed to generate password hash". Nothing that worked in Memos stops working: Memos
could never store such a password either. Checking an over-long password simply fails, as in Go.
"""

from __future__ import annotations

from typing import Final

import bcrypt

from memos.errors import InvalidArgumentError

BCRYPT_COST: Final = 10
MAX_PASSWORD_BYTES: Final = 72

# A valid cost-10 hash of a throwaway password, checked when there is no user to check against,
# so "no such user" costs as much time as "wrong password".
_DUMMY_HASH: Final = b"$2b$10$94ZldU6wv1bG0wbi1uf6duiIz3x7EUcXNqDdbS9oecW0QVdliMhd."


def hash_password(password: str) -> str:
    """The bcrypt hash to store for ``password`` (the empty password is allowed, as in Memos)."""
    secret = password.encode()
    if len(secret) > MAX_PASSWORD_BYTES:
        raise InvalidArgumentError(f"password is too long (max {MAX_PASSWORD_BYTES} bytes)")
    return bcrypt.hashpw(secret, bcrypt.gensalt(BCRYPT_COST)).decode("ascii")


def verify_password(password: str, password_hash: str) -> bool:
    """Whether ``password`` matches a stored bcrypt hash (``$2a$``, ``$2b$`` or ``$2y$``).

    A malformed hash or an over-long password is simply a mismatch.
    """
    secret = password.encode()
    if len(secret) > MAX_PASSWORD_BYTES:
        _burn_time()
        return False
    try:
        return bcrypt.checkpw(secret, password_hash.encode())
    except ValueError:
        return False


def verify_or_dummy(password: str, password_hash: str | None) -> bool:
    """Like :func:`verify_password`, but with no hash (unknown user) spend the same time and fail.

    Sign-in calls this whether or not the username exists, so response times do not reveal which
    usernames are taken.
    """
    if password_hash is None:
        _burn_time()
        return False
    return verify_password(password, password_hash)


def _burn_time() -> None:
    bcrypt.checkpw(b"not the password", _DUMMY_HASH)
