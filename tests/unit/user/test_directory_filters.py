"""The ListUsers filter: only ``username == "<literal>"`` (users.md §4.1)."""

from __future__ import annotations

import pytest

from functions.user.directory import parse_username_filter
from memos.errors import InvalidArgumentError


@pytest.mark.parametrize(
    ("text", "username"),
    [
        ('username == "alice"', "alice"),
        ("username=='alice'", "alice"),
        ('  "Bob" == username ', "Bob"),
        ('(username == "a\\"b")', 'a"b'),
        ("", None),
        ("   ", None),
    ],
)
def test_username_equality_is_understood(text: str, username: str | None) -> None:
    assert parse_username_filter(text) == username


@pytest.mark.parametrize(
    "text",
    [
        'username == ""',
        "username == ''",
        'username != "a"',
        'username == "a" && role == "ADMIN"',
        'email == "a@b.c"',
        "username == alice",
        'username == "a" || username == "b"',
        'username.contains("a")',
        "username ==",
    ],
)
def test_anything_else_is_an_invalid_filter(text: str) -> None:
    with pytest.raises(InvalidArgumentError, match="invalid filter"):
        parse_username_filter(text)
