"""The ``memos_refresh`` cookie: building ``Set-Cookie`` values and reading it back.

Attributes and their order follow Memos: ``Path=/; HttpOnly; Expires=...; SameSite=Lax``, no
``Domain``, no ``Max-Age``. Memos never emits ``Secure`` in practice; we add it whenever the request
came over HTTPS (the caller says so), which browsers accept and which keeps the refresh token off
plain-HTTP connections.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Final

REFRESH_COOKIE_NAME: Final = "memos_refresh"
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)


def refresh_cookie(token: str, expires_at: datetime, *, secure: bool) -> str:
    """The ``Set-Cookie`` value that stores ``token`` until ``expires_at`` (an aware datetime)."""
    return _cookie(token, expires_at, secure=secure)


def clearing_refresh_cookie(*, secure: bool) -> str:
    """The ``Set-Cookie`` value that makes the browser drop the refresh cookie."""
    return _cookie("", _EPOCH, secure=secure)


def refresh_token_from_cookie_header(cookie_header: str | None) -> str | None:
    """The value of the first ``memos_refresh`` cookie in a ``Cookie`` header, or ``None``.

    Pairs are separated by ``;``; surrounding whitespace and a pair of double quotes around the
    value are dropped; a value with characters not allowed in cookies is skipped. An empty value
    counts as no cookie.
    """
    if not cookie_header:
        return None
    for part in cookie_header.split(";"):
        name, has_value, value = part.partition("=")
        if not has_value or name.strip() != REFRESH_COOKIE_NAME:
            continue
        value = value.strip()
        if len(value) > 1 and value[0] == value[-1] == '"':
            value = value[1:-1]
        if not all(_valid_cookie_value_char(char) for char in value):
            continue
        return value or None
    return None


def _cookie(value: str, expires_at: datetime, *, secure: bool) -> str:
    if expires_at.tzinfo is None:
        raise ValueError("expires_at must be timezone-aware")
    expires = format_datetime(expires_at.astimezone(UTC), usegmt=True)
    cookie = f"{REFRESH_COOKIE_NAME}={value}; Path=/; HttpOnly; Expires={expires}; SameSite=Lax"
    return f"{cookie}; Secure" if secure else cookie


def _valid_cookie_value_char(char: str) -> bool:
    # RFC 6265 cookie-octet, plus space and comma which browsers send and Go accepts.
    return " " <= char < "\x7f" and char not in '";\\'
