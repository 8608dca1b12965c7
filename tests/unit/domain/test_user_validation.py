"""Username, email and password rules (users.md §4.3; resource_name_test.go)."""

from __future__ import annotations

import pytest

from memos.domain.user_validation import (
    check_email,
    check_password,
    check_username,
    could_be_username,
    fold_username,
)
from memos.errors import InvalidArgumentError


@pytest.mark.parametrize(
    "username",
    [
        "1" * 30,
        "1abc-123",
        "A123B456C789",
        "a",
        "ab",
        "a--b",
        "a-1b-2c",
        "a1234567890123456789012345678901",
        "abc123",
    ],
)
def test_memos_accepted_usernames_are_accepted(username: str) -> None:
    assert check_username(username) == username


@pytest.mark.parametrize(
    "username", ["", "-abc123", "a*b&c", "abc123-", "a_b", "a.b", "a b", "a" * 33, "ünï"]
)
def test_memos_rejected_usernames_are_rejected(username: str) -> None:
    with pytest.raises(InvalidArgumentError, match="invalid username"):
        check_username(username)


@pytest.mark.parametrize("email", ["", "a@b", "first.last+tag@example.co.uk"])
def test_plausible_emails_are_accepted(email: str) -> None:
    assert check_email(email) == email


@pytest.mark.parametrize("email", ["plain", "a@b@c", "a @b.c", "@b.c", "a@", "a@" + "b" * 300])
def test_malformed_emails_are_rejected(email: str) -> None:
    with pytest.raises(InvalidArgumentError, match="invalid email"):
        check_email(email)


def test_empty_password_is_rejected() -> None:
    with pytest.raises(InvalidArgumentError, match="password is required"):
        check_password("")
    assert check_password(" ") == " "


@pytest.mark.parametrize(
    ("first", "second"),
    [("PRxx-B", "prxx-b"), ("\u212aim", "kim"), ("ALICE", "alice"), ("\uff21da", "ada")],
)
def test_look_alike_usernames_fold_alike(first: str, second: str) -> None:
    assert fold_username(first) == fold_username(second)


def test_different_usernames_fold_differently() -> None:
    assert fold_username("alice") != fold_username("alicia")


@pytest.mark.parametrize(("name", "possible"), [("", False), ("a", True), ("a" * 256, True)])
def test_only_names_of_a_storable_length_could_be_usernames(name: str, possible: bool) -> None:
    assert could_be_username(name) is possible
    assert could_be_username(name + "a" * 5000) is False
