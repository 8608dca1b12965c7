"""How big a file's body gets in a Lambda answer (functions.attachment.answer_size)."""

from __future__ import annotations

import json

import pytest
from mangum.adapter import DEFAULT_TEXT_MIME_TYPES
from mangum.handlers.utils import handle_base64_response_body

from functions.attachment.answer_size import answer_body_bytes, fits_one_answer

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
def test_the_estimate_is_what_mangum_and_the_runtime_write(content_type: str, body: bytes) -> None:
    # Given a body Mangum encodes for the answer
    encoded, _ = handle_base64_response_body(
        body, {"content-type": content_type}, [*DEFAULT_TEXT_MIME_TYPES]
    )

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
