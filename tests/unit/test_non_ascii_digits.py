"""Numbers read from text a client or a receiver controls: ``str.isdigit`` also accepts "²" or
"١٢", which ``int`` refuses, so each check takes ASCII digits only and such text is no number
(it was a ValueError, a 500 on a direct upload's ``size``)."""

from __future__ import annotations

import pytest

from memos.rpc.http_api import http_api_scope
from memos.rpc.request_body import check_declared_length
from memos.webhooks.signing import new_signing_secret, signed_headers, verify

ODD_DIGITS = ["\u00b2", "\u0661\u0662", "\u2463"]


@pytest.mark.parametrize("text", ODD_DIGITS)
def test_a_webhook_timestamp_of_other_digits_fails_verification(text: str) -> None:
    # Given a correctly signed delivery whose timestamp header was replaced
    secret = new_signing_secret()
    headers = signed_headers(secret, "msg_1", 1_700_000_000, b"{}")
    assert verify(secret, headers, b"{}", now=1_700_000_000) is True
    headers["webhook-timestamp"] = text

    # When a receiver verifies it / Then it is refused, not an exception
    assert verify(secret, headers, b"{}", now=1_700_000_000) is False


@pytest.mark.parametrize("text", ODD_DIGITS)
def test_a_content_length_of_other_digits_is_left_to_the_reading_limit(text: str) -> None:
    # Given / When a declared length that is no number / Then no error is raised here
    check_declared_length(text, 10)


@pytest.mark.parametrize("text", ODD_DIGITS)
def test_a_host_port_of_other_digits_is_taken_as_the_default(text: str) -> None:
    # Given an HTTP API event whose Host header carries such a port
    event = {
        "requestContext": {"http": {"method": "GET", "path": "/", "sourceIp": "192.0.2.1"}},
        "headers": {"host": f"example.com:{text}"},
    }

    # When it becomes an ASGI scope / Then the port is the default one
    assert http_api_scope(event, None)["server"] == ("example.com", 80)
