from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from memos.rpc.asgi import send_response
from memos.rpc.cors import ALLOWED_HEADERS, CORSMiddleware
from tests.asgi import call

if TYPE_CHECKING:
    from memos.rpc.asgi import Receive, Scope, Send

LISTED = "https://memos.example.com"


async def fails_with_401(scope: Scope, receive: Receive, send: Send) -> None:
    await send_response(send, 401, [(b"content-type", b"application/json")], b"{}")


def cors(*origins: str) -> CORSMiddleware:
    return CORSMiddleware(fails_with_401, origins)


def test_a_listed_origin_is_echoed_with_credentials() -> None:
    response = call(cors(LISTED), "POST", "/api/v1/memos", headers={"origin": LISTED})

    assert response.header("access-control-allow-origin") == LISTED
    assert response.header("access-control-allow-credentials") == "true"
    assert "Origin" in (response.header("vary") or "")


def test_an_unlisted_origin_is_never_reflected() -> None:
    response = call(
        cors(LISTED), "POST", "/api/v1/memos", headers={"origin": "https://evil.example"}
    )

    assert response.header("access-control-allow-origin") is None
    assert response.header("access-control-allow-credentials") is None


def test_a_wildcard_allows_any_origin_without_credentials() -> None:
    response = call(cors("*"), "GET", "/api/v1/memos", headers={"origin": "https://any.example"})

    assert response.header("access-control-allow-origin") == "*"
    assert response.header("access-control-allow-credentials") is None


def test_a_listed_origin_keeps_credentials_next_to_a_wildcard() -> None:
    response = call(cors("*", LISTED), "GET", "/api/v1/memos", headers={"origin": LISTED})

    assert response.header("access-control-allow-origin") == LISTED
    assert response.header("access-control-allow-credentials") == "true"


def test_requests_without_an_origin_get_no_cors_headers() -> None:
    response = call(cors(LISTED), "GET", "/api/v1/memos")

    assert not [name for name in response.headers if name.startswith("access-control")]


@pytest.mark.parametrize("path", ["/memos.api.v1.MemoService/ListMemos", "/api/v1/memos/abc"])
def test_preflight_is_answered_without_credentials_and_lists_connect_headers(path: str) -> None:
    response = call(
        cors(LISTED),
        "OPTIONS",
        path,
        headers={
            "origin": LISTED,
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type,connect-protocol-version",
        },
    )

    assert response.status == 204
    assert response.header("access-control-allow-origin") == LISTED
    allowed = (response.header("access-control-allow-headers") or "").split(", ")
    for name in ("content-type", "connect-protocol-version", "connect-timeout-ms", "authorization"):
        assert name in allowed
    assert "*" not in allowed
    assert set(allowed) == set(ALLOWED_HEADERS)
    assert "PATCH" in (response.header("access-control-allow-methods") or "")


def test_preflight_from_an_unlisted_origin_is_refused() -> None:
    response = call(
        cors(LISTED),
        "OPTIONS",
        "/api/v1/memos",
        headers={"origin": "https://evil.example", "access-control-request-method": "POST"},
    )

    assert response.status == 403
    assert response.header("access-control-allow-origin") is None


def test_cors_headers_are_added_to_error_responses() -> None:
    response = call(cors(LISTED), "GET", "/api/v1/memos", headers={"origin": LISTED})

    assert response.status == 401
    assert response.header("access-control-allow-origin") == LISTED
