from __future__ import annotations

import pytest

from memos.errors import InvalidArgumentError
from memos.names import parse_child_name, parse_int32, parse_user_id, parse_user_lookup


@pytest.mark.parametrize(("text", "value"), [("5", 5), ("+5", 5), ("007", 7), ("-3", -3)])
def test_int32_accepts_what_go_parseint_accepts(text: str, value: int) -> None:
    assert parse_int32(text) == value


@pytest.mark.parametrize("text", ["", "+", "1.5", "x", "2147483648", "٣", " 1"])
def test_int32_rejects_everything_else(text: str) -> None:
    assert parse_int32(text) is None


def test_int32_reads_thousands_of_digits_without_failing() -> None:
    # Python's int() refuses strings over 4,300 digits; leading zeros are still accepted
    assert parse_int32("9" * 5000) is None
    assert parse_int32("-" + "0" * 5000 + "7") == -7
    assert parse_int32("-2147483648") == -(2**31)


def test_user_id_comes_from_users_slash_number() -> None:
    assert parse_user_id("users/42") == 42


@pytest.mark.parametrize("name", ["users/steven", "users/", "user/1", "users/1/x", "", "users"])
def test_malformed_user_names_are_invalid_argument(name: str) -> None:
    with pytest.raises(InvalidArgumentError):
        parse_user_id(name)


def test_lookup_by_number_is_an_id_and_anything_else_a_username() -> None:
    assert parse_user_lookup("users/7") == 7
    assert parse_user_lookup("users/steven") == "steven"


def test_child_names_split_into_owner_and_child() -> None:
    assert parse_child_name("users/3/webhooks/ab12", "webhooks", "webhook name") == (3, "ab12")
    with pytest.raises(InvalidArgumentError, match="invalid webhook name"):
        parse_child_name("users/3/hooks/ab12", "webhooks", "webhook name")
