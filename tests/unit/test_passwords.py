"""bcrypt password hashing, Memos-compatible, with a constant-time path for unknown users."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import bcrypt
import pytest

from memos.auth.passwords import (
    BCRYPT_COST,
    hash_password,
    verify_or_dummy,
    verify_password,
)
from memos.errors import InvalidArgumentError

if TYPE_CHECKING:
    from collections.abc import Callable

# "memos-password" hashed in the form Go's bcrypt writes ($2a$, cost 10), as Memos stores it.
GO_STYLE_HASH = "$2a$10$o4wNYH4e7I874tCtmmEZIuNqdgw0nD/.HwH5MneQ/b5JiPJXqMdRm"


def test_hash_is_bcrypt_at_cost_ten() -> None:
    password_hash = hash_password("s3cret")

    assert password_hash.startswith(f"$2b${BCRYPT_COST}$")
    assert len(password_hash) == 60


def test_hash_then_verify_round_trips() -> None:
    password_hash = hash_password("correct horse battery staple")

    assert verify_password("correct horse battery staple", password_hash)
    assert not verify_password("Correct horse battery staple", password_hash)


def test_hashes_are_salted() -> None:
    assert hash_password("same") != hash_password("same")


def test_empty_password_is_allowed_as_in_memos() -> None:
    password_hash = hash_password("")

    assert verify_password("", password_hash)
    assert not verify_password(" ", password_hash)


def test_non_ascii_passwords_are_hashed_as_utf8() -> None:
    password_hash = hash_password("pässwörd-密码")

    assert verify_password("pässwörd-密码", password_hash)
    assert bcrypt.checkpw("pässwörd-密码".encode(), password_hash.encode())


def test_memos_2a_hashes_verify() -> None:
    assert verify_password("memos-password", GO_STYLE_HASH)
    assert not verify_password("other-password", GO_STYLE_HASH)


def test_password_of_exactly_72_bytes_is_accepted() -> None:
    password = "é" * 36  # 72 bytes in UTF-8

    assert verify_password(password, hash_password(password))


def test_password_longer_than_72_bytes_is_an_invalid_argument() -> None:
    with pytest.raises(InvalidArgumentError, match=r"password is too long \(max 72 bytes\)"):
        hash_password("a" * 73)


def test_multibyte_password_over_72_bytes_is_refused() -> None:
    with pytest.raises(InvalidArgumentError):
        hash_password("é" * 37)  # 37 characters, 74 bytes


def test_checking_an_overlong_password_is_a_mismatch_not_an_error() -> None:
    password_hash = hash_password("a" * 72)

    assert not verify_password("a" * 73, password_hash)


def test_malformed_stored_hash_is_a_mismatch() -> None:
    assert not verify_password("anything", "not-a-bcrypt-hash")
    assert not verify_password("anything", "")


def test_verify_or_dummy_checks_a_real_hash() -> None:
    password_hash = hash_password("pw")

    assert verify_or_dummy("pw", password_hash)
    assert not verify_or_dummy("wrong", password_hash)


def test_verify_or_dummy_fails_for_a_missing_user() -> None:
    assert not verify_or_dummy("pw", None)
    assert not verify_or_dummy("", None)


def test_missing_user_costs_about_as_much_as_a_wrong_password() -> None:
    password_hash = hash_password("pw")
    verify_or_dummy("warm-up", password_hash)

    wrong_password = _seconds(lambda: verify_or_dummy("wrong", password_hash))
    missing_user = _seconds(lambda: verify_or_dummy("wrong", None))

    # Both run one cost-10 bcrypt check; a shortcut would be orders of magnitude faster.
    assert missing_user > wrong_password / 5


def _seconds(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start
