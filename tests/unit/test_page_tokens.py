"""Page tokens: signed cursors bound to their query; anything tampered is INVALID_ARGUMENT."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable

import pytest

from memos.errors import InvalidArgumentError
from memos.store.paging import (
    PageTokenCodec,
    PageTokens,
    ResumePoint,
    checked_cursor,
    lazy_page_tokens,
)

CURSOR = {"pk": "USER#3", "sk": "PROFILE", "gsi1pk": "USERS", "gsi1sk": "USER#0000000003"}


def test_a_token_decodes_to_what_was_encoded() -> None:
    codec = PageTokenCodec(b"k" * 32)
    token = codec.encode({"cursor": CURSOR, "limit": 3})
    assert codec.decode(token) == {"cursor": CURSOR, "limit": 3}
    assert "USER#3" not in token  # opaque: no raw keys in the token
    assert token.isascii()


def _flip(text: str, index: int) -> str:
    replacement = "A" if text[index] != "A" else "B"
    return text[:index] + replacement + text[index + 1 :]


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: _flip(token, 3),  # payload changed
        lambda token: _flip(token, len(token) - 3),  # signature changed
        lambda token: token.split(".")[0],  # signature dropped
        lambda token: token + ".x",  # extra part
        lambda token: "",
        lambda token: "not a token",
        lambda token: "é.é",
        lambda token: token.replace(".", ".!"),
    ],
)
def test_tampered_or_garbled_tokens_are_invalid(tamper: Callable[[str], str]) -> None:
    codec = PageTokenCodec(b"secret")
    token = codec.encode({"cursor": CURSOR})
    with pytest.raises(InvalidArgumentError, match=r"^invalid page token$"):
        codec.decode(tamper(token))


def test_a_token_signed_with_another_key_is_invalid() -> None:
    token = PageTokenCodec(b"one").encode({"cursor": CURSOR})
    with pytest.raises(InvalidArgumentError, match="invalid page token"):
        PageTokenCodec(b"two").decode(token)


def test_a_signed_payload_that_is_not_an_object_is_invalid() -> None:
    body = b"[1,2]"
    signature = hmac.new(b"k", body, hashlib.sha256).digest()

    def b64(raw: bytes) -> str:
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    with pytest.raises(InvalidArgumentError, match="invalid page token"):
        PageTokenCodec(b"k").decode(f"{b64(body)}.{b64(signature)}")


def test_an_empty_key_is_refused() -> None:
    with pytest.raises(ValueError, match="must not be empty"):
        PageTokenCodec(b"")


def test_checked_cursor_accepts_the_right_shape_and_partition() -> None:
    attributes = ("pk", "sk", "gsi1pk", "gsi1sk")
    assert checked_cursor(CURSOR, attributes, gsi1pk="USERS") == CURSOR
    assert checked_cursor(None, attributes) is None


@pytest.mark.parametrize(
    "cursor",
    [
        {**CURSOR, "gsi1pk": "USERSTATS"},
        {"pk": "USER#3", "sk": "PROFILE"},
        {**CURSOR, "extra": "x"},
        {**CURSOR, "sk": 3},
    ],
)
def test_checked_cursor_refuses_other_lists_and_shapes(cursor: dict[str, object]) -> None:
    with pytest.raises(InvalidArgumentError, match="invalid page token"):
        checked_cursor(cursor, ("pk", "sk", "gsi1pk", "gsi1sk"), gsi1pk="USERS")


def tokens(key: bytes = b"k" * 32) -> PageTokens:
    return PageTokens(PageTokenCodec(key))


def test_a_token_resumes_its_query_at_its_cursor_with_its_extra_values() -> None:
    # Given a token issued for one query with a cursor and extra values
    token = tokens().issue(CURSOR, query="ListUsers", phase=1, size=20)

    # When it is resumed for the same query
    point = tokens().resume(token, query="ListUsers")

    # Then the cursor and the extras come back as they went in
    assert point.key_cursor() == CURSOR
    assert dict(point.extra) == {"phase": 1, "size": 20}
    assert point.extra_int("size") == 20
    assert "ListUsers" not in token  # only a fingerprint of the query travels


def test_an_empty_token_is_the_beginning() -> None:
    assert tokens().resume("", query="ListUsers") == ResumePoint()
    assert ResumePoint().key_cursor() is None


def test_a_token_replayed_against_another_query_is_invalid() -> None:
    # Given a token for one filter / When resumed with another / Then it is refused
    token = tokens().issue([1700000000, 42], query='ListMemos|tag in ["a"]')
    with pytest.raises(InvalidArgumentError, match=r"^invalid page token$"):
        tokens().resume(token, query='ListMemos|tag in ["b"]')


def test_a_codec_payload_not_issued_by_page_tokens_is_invalid() -> None:
    # Given a validly signed payload without a query fingerprint (e.g. an older token shape)
    token = PageTokenCodec(b"k" * 32).encode({"list": "users", "cursor": CURSOR})
    with pytest.raises(InvalidArgumentError, match="invalid page token"):
        tokens().resume(token, query="ListUsers")


def test_a_token_signed_with_another_key_does_not_resume() -> None:
    token = tokens(b"one").issue(CURSOR, query="ListUsers")
    with pytest.raises(InvalidArgumentError, match="invalid page token"):
        tokens(b"two").resume(token, query="ListUsers")


@pytest.mark.parametrize("cursor", [[1, 2], "USER#3", {"pk": 3}, {"pk": None}])
def test_a_non_key_cursor_is_not_a_store_cursor(cursor: object) -> None:
    point = tokens().resume(tokens().issue(cursor, query="q"), query="q")
    assert point.cursor == cursor  # any JSON value resumes as it was issued
    with pytest.raises(InvalidArgumentError, match="invalid page token"):
        point.key_cursor()


@pytest.mark.parametrize("extra", [{}, {"size": "20"}, {"size": True}, {"size": 1.5}])
def test_a_missing_or_non_integer_extra_is_invalid(extra: dict[str, object]) -> None:
    point = tokens().resume(tokens().issue(None, query="q", **extra), query="q")
    with pytest.raises(InvalidArgumentError, match="invalid page token"):
        point.extra_int("size")
    assert ResumePoint(extra={}).extra_int("size", default=7) == 7


def test_lazy_page_tokens_read_their_key_once_and_only_when_first_used() -> None:
    # Given page tokens whose key is read through a counting function
    reads: list[int] = []

    def key() -> bytes:
        reads.append(1)
        return b"k" * 32

    tokens = lazy_page_tokens(key)
    assert reads == []

    # When they are used twice
    first, second = tokens(), tokens()

    # Then the key was read once, and both uses are the same tokens
    assert reads == [1]
    assert first is second
    assert first.resume(first.issue(CURSOR, query="q"), query="q").cursor == CURSOR
