"""The memos_refresh cookie: Set-Cookie values and reading it from a Cookie header."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from memos.auth.cookies import (
    REFRESH_COOKIE_NAME,
    clearing_refresh_cookie,
    refresh_cookie,
    refresh_token_from_cookie_header,
)

EXPIRES = datetime(2006, 1, 2, 15, 4, 5, 678_000, tzinfo=UTC)


def test_refresh_cookie_has_memos_attributes_in_memos_order() -> None:
    cookie = refresh_cookie("a.b.c", EXPIRES, secure=False)

    assert cookie == (
        "memos_refresh=a.b.c; Path=/; HttpOnly; Expires=Mon, 02 Jan 2006 15:04:05 GMT; SameSite=Lax"
    )


def test_refresh_cookie_over_https_is_secure() -> None:
    cookie = refresh_cookie("a.b.c", EXPIRES, secure=True)

    assert cookie.endswith("; SameSite=Lax; Secure")


def test_expiry_is_written_in_gmt_whatever_the_given_zone() -> None:
    berlin_summer = timezone(timedelta(hours=2))

    cookie = refresh_cookie("t", EXPIRES.astimezone(berlin_summer), secure=False)

    assert "Expires=Mon, 02 Jan 2006 15:04:05 GMT;" in cookie


def test_naive_expiry_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        refresh_cookie("t", datetime(2006, 1, 2), secure=False)


def test_clearing_cookie_matches_memos() -> None:
    assert clearing_refresh_cookie(secure=False) == (
        "memos_refresh=; Path=/; HttpOnly; Expires=Thu, 01 Jan 1970 00:00:00 GMT; SameSite=Lax"
    )


def test_clearing_cookie_over_https_is_secure() -> None:
    assert clearing_refresh_cookie(secure=True) == (
        "memos_refresh=; Path=/; HttpOnly; Expires=Thu, 01 Jan 1970 00:00:00 GMT; "
        "SameSite=Lax; Secure"
    )


def test_cookie_name_is_memos_refresh() -> None:
    assert REFRESH_COOKIE_NAME == "memos_refresh"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("memos_refresh=a.b.c", "a.b.c"),
        ("theme=dark; memos_refresh=a.b.c; lang=en", "a.b.c"),
        ("theme=dark;memos_refresh=a.b.c", "a.b.c"),
        ("  memos_refresh = a.b.c  ;other=1", "a.b.c"),
        ('memos_refresh="a.b.c"', "a.b.c"),
        ("memos_refresh=first; memos_refresh=second", "first"),
        ("memos_refresh=bad\\value; memos_refresh=good", "good"),
        ("x_memos_refresh=a; memos_refresh_old=b", None),
        ("memos_refresh=", None),
        ('memos_refresh=""', None),
        ("memos_refresh", None),
        ("theme=dark", None),
        ("", None),
        (None, None),
    ],
)
def test_refresh_token_is_read_from_the_cookie_header(
    header: str | None, expected: str | None
) -> None:
    assert refresh_token_from_cookie_header(header) == expected


def test_a_cookie_value_round_trips_through_set_cookie_and_cookie() -> None:
    set_cookie = refresh_cookie("eyJ.eyJ.sig-_", EXPIRES, secure=True)
    sent_back = set_cookie.split(";", 1)[0]

    assert refresh_token_from_cookie_header(f"a=1; {sent_back}") == "eyJ.eyJ.sig-_"
