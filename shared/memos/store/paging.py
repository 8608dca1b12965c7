"""Opaque, signed page tokens and the page type repositories return.

A repository returns a :class:`Page` whose ``cursor`` is DynamoDB's ``LastEvaluatedKey`` as
plain strings; a service turns it into a page token with :class:`PageTokens` (and back), so
clients never see or forge keys. A token is ``<payload>.<signature>``: the compact JSON payload
and its HMAC-SHA256, both base64url without padding (:class:`PageTokenCodec`). The payload
carries a fingerprint of the query the page belongs to, so a token replayed against another
list, filter or order is "invalid page token" (see ``docs/data-model.md`` §4).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from typing import TYPE_CHECKING, Any, Final, Generic, TypeVar

from msgspec import Struct, field

from memos.errors import InvalidArgumentError

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

T = TypeVar("T")

Cursor = dict[str, str]

INVALID_PAGE_TOKEN = "invalid page token"  # noqa: S105 - an error message

# Payload members of a token issued by PageTokens; anything else in a payload is ``extra``.
_CURSOR: Final = "cursor"
_QUERY: Final = "query"
_FINGERPRINT_BYTES: Final = 16


class Page(Struct, Generic[T], frozen=True):
    """One page of results; ``cursor`` is None on the last page."""

    items: tuple[T, ...]
    cursor: Cursor | None = None


class PageTokenCodec:
    """Signs cursors into page tokens and verifies them on the way back."""

    def __init__(self, key: bytes) -> None:
        if not key:
            raise ValueError("the page-token key must not be empty")
        self._key = key

    def encode(self, payload: Mapping[str, Any]) -> str:
        body = json.dumps(dict(payload), separators=(",", ":"), sort_keys=True).encode()
        return f"{_b64(body)}.{_b64(self._sign(body))}"

    def decode(self, token: str) -> dict[str, Any]:
        """The payload of a token this codec issued; anything else is InvalidArgumentError."""
        try:
            encoded_body, encoded_signature = token.split(".")
            body = _unb64(encoded_body)
            signature = _unb64(encoded_signature)
        except (ValueError, binascii.Error) as error:
            raise InvalidArgumentError(INVALID_PAGE_TOKEN) from error
        if not hmac.compare_digest(signature, self._sign(body)):
            raise InvalidArgumentError(INVALID_PAGE_TOKEN)
        try:
            payload = json.loads(body)
        except ValueError as error:
            raise InvalidArgumentError(INVALID_PAGE_TOKEN) from error
        if not isinstance(payload, dict):
            raise InvalidArgumentError(INVALID_PAGE_TOKEN)
        return payload

    def _sign(self, body: bytes) -> bytes:
        return hmac.new(self._key, body, hashlib.sha256).digest()


class ResumePoint(Struct, frozen=True):
    """Where a list resumes: the cursor a token was issued with (None: the beginning) and the
    ``extra`` values the service stored beside it."""

    cursor: Any = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def key_cursor(self) -> Cursor | None:
        """The cursor as a DynamoDB key (attribute name -> string), or None at the beginning."""
        cursor = self.cursor
        if cursor is None:
            return None
        if not isinstance(cursor, dict) or not all(
            isinstance(name, str) and isinstance(value, str) for name, value in cursor.items()
        ):
            raise InvalidArgumentError(INVALID_PAGE_TOKEN)
        return dict(cursor)

    def extra_int(self, name: str, default: int | None = None) -> int:
        """An integer ``extra`` value; missing (without a default) or not an int is invalid."""
        value = self.extra.get(name, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidArgumentError(INVALID_PAGE_TOKEN)
        return value


class PageTokens:
    """Page tokens bound to the query they page through.

    ``query`` is anything that identifies the request's list, filter and order (e.g.
    ``"ListUsers"`` or ``f"ListMemos|{filter}|{order}"``; page size excluded, clients may change
    it between pages). Only its fingerprint (a truncated SHA-256) travels in the token.
    """

    def __init__(self, codec: PageTokenCodec) -> None:
        self._codec = codec

    def issue(self, cursor: Any, *, query: str, **extra: Any) -> str:
        """A token resuming after ``cursor`` (any JSON value: a store :data:`Cursor`, a position
        ...) for ``query``; ``extra`` JSON values come back with it."""
        return self._codec.encode({**extra, _CURSOR: cursor, _QUERY: _fingerprint(query)})

    def resume(self, token: str, *, query: str) -> ResumePoint:
        """Where ``token`` resumes ``query``; "" is the beginning. A token from another key,
        another query, or not issued here is InvalidArgumentError "invalid page token"."""
        if not token:
            return ResumePoint()
        payload = self._codec.decode(token)
        if payload.pop(_QUERY, None) != _fingerprint(query) or _CURSOR not in payload:
            raise InvalidArgumentError(INVALID_PAGE_TOKEN)
        cursor = payload.pop(_CURSOR)
        return ResumePoint(cursor, payload)


def lazy_page_tokens(key: Callable[[], bytes]) -> Callable[[], PageTokens]:
    """Page tokens signed with ``key()``, made on the first call and kept: a key derived from
    the signing secret is then read only when a listing needs it."""
    made: list[PageTokens] = []

    def page_tokens() -> PageTokens:
        if not made:
            made.append(PageTokens(PageTokenCodec(key())))
        return made[0]

    return page_tokens


def checked_cursor(
    cursor: Mapping[str, Any] | None, attributes: Sequence[str], **expected: str
) -> Cursor | None:
    """A cursor fit to resume a query: exactly ``attributes``, all strings, pinned ones equal.

    Guards a query against a (validly signed) cursor taken from a different list.
    """
    if cursor is None:
        return None
    if set(cursor) != set(attributes) or not all(isinstance(v, str) for v in cursor.values()):
        raise InvalidArgumentError(INVALID_PAGE_TOKEN)
    if any(cursor[name] != value for name, value in expected.items()):
        raise InvalidArgumentError(INVALID_PAGE_TOKEN)
    return {name: str(value) for name, value in cursor.items()}


def _fingerprint(query: str) -> str:
    return _b64(hashlib.sha256(query.encode()).digest()[:_FINGERPRINT_BYTES])


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    if not text.isascii():
        raise ValueError("not base64url")
    return base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
