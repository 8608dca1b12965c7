"""PageTokenCodec: opaque signed cursors; anything tampered is INVALID_ARGUMENT."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable

import pytest

from memos.errors import InvalidArgumentError
from memos.store.paging import PageTokenCodec, checked_cursor

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
