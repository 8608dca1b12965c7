"""How big a file's body gets in a Lambda answer (functions.attachment.answer_size)."""

from __future__ import annotations

import json

import pytest

from functions.attachment.answer_size import answer_body_bytes, fits_one_answer
from memos.rpc.http_api import http_api_result

MIB = 1024 * 1024


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/plain; charset=utf-8", b"plain ascii\n"),
        ("text/plain; charset=utf-8", b'quotes " and \\ backslashes'),
        ("text/plain; charset=utf-8", "日本語のテキスト".encode()),
        ("text/plain; charset=utf-8", "emoji 🎉".encode()),
        ("text/plain; charset=utf-8", b"\x00\x01control"),
        ("text/plain; charset=utf-8", b"\xff\xfe not utf-8"),
        ("application/json", b'{"a": 1}'),
        ("image/png", b"\x89PNG\r\n\x1a\n"),
        ("application/octet-stream", bytes(range(256))),
    ],
)
def test_the_estimate_is_what_the_entry_and_the_runtime_write(
    content_type: str, body: bytes
) -> None:
    # Given a body the Lambda entry encodes for the answer
    encoded = http_api_result(200, [(b"content-type", content_type.encode())], body)["body"]

    # When its size is estimated / Then it is the size of that JSON string
    assert answer_body_bytes(content_type, body) == len(json.dumps(encoded))


@pytest.mark.parametrize(
    ("content_type", "body", "fits"),
    [
        ("application/zip", b"z" * 4 * MIB, True),
        ("text/plain; charset=utf-8", b"a" * 4 * MIB, True),
        ("text/plain; charset=utf-8", "字".encode() * MIB, False),
        ("text/plain; charset=utf-8", b"\x01" * 2 * MIB, False),
    ],
)
def test_text_that_escapes_badly_does_not_fit_where_binary_does(
    content_type: str, body: bytes, fits: bool
) -> None:
    # Given a body of at most 4 MiB / When checked against Lambda's limit / Then as listed
    assert fits_one_answer(content_type, body) is fits
