"""Minimal ASGI types and response helpers used by the hand-written ASGI layers."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from connectrpc.request import RequestContext

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
RawHeaders = list[tuple[bytes, bytes]]


# Where :func:`header` keeps the request's headers by name, with the list they were read from.
_HEADER_INDEX = "memos.header_index"


def header(scope: Scope, name: bytes) -> str | None:
    """The first value of a request header (``name`` lower-case), decoded as latin-1.

    The headers are indexed by name on the first lookup and the index kept in the scope, so the
    several layers that each read a header or two don't each scan them all; a scope whose header
    list was replaced is indexed again.
    """
    headers = scope.get("headers", ())
    index = scope.get(_HEADER_INDEX)
    if index is None or index[0] is not headers:
        by_name: dict[bytes, bytes] = {}
        for key, value in headers:
            by_name.setdefault(bytes(key).lower(), value)
        index = (headers, by_name)
        scope[_HEADER_INDEX] = index
    value = index[1].get(name)
    return None if value is None else bytes(value).decode("latin-1")


def set_headers(scope: Scope, by_name: dict[bytes, bytes]) -> None:
    """Give ``scope`` the request headers ``by_name`` (names lower-case, one value each), already
    indexed for :func:`header`."""
    headers = list(by_name.items())
    scope["headers"] = headers
    scope[_HEADER_INDEX] = (headers, by_name)


def header_text(key: bytes, value: bytes) -> tuple[str, str]:
    """A raw header's name (lower-case) and value as text: each read as UTF-8, or as Latin-1
    when its bytes are not UTF-8, so an odd byte in a header is carried rather than failing."""
    try:
        return key.decode().lower(), value.decode()
    except UnicodeDecodeError:
        return _utf8_or_latin1(key).lower(), _utf8_or_latin1(value)


def _utf8_or_latin1(raw: bytes) -> str:
    raw = bytes(raw)
    try:
        return raw.decode()
    except UnicodeDecodeError:
        return raw.decode("latin-1")


async def send_response(send: Send, status: int, headers: RawHeaders, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})


def address_text(pair: Sequence[Any] | None) -> str | None:
    """An ASGI ``client`` or ``server`` pair as ``host:port``."""
    if not pair:
        return None
    return f"{pair[0]}:{pair[1]}"


def service_response_headers(ctx: RequestContext[Any, Any]) -> list[tuple[str, str]]:
    """The response headers a service set, less those the transport writes itself."""
    return [
        (name, value)
        for name, value in ctx.response_headers().allitems()
        if name.lower() not in ("content-type", "content-length")
    ]


def compact_json(document: Any) -> bytes:
    """JSON as the REST answers are written: UTF-8, no spaces."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
