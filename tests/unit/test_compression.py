from __future__ import annotations

import gzip
from typing import TYPE_CHECKING

import pytest

from memos.rpc.asgi import send_response
from memos.rpc.compression import GzipMiddleware
from tests.asgi import call

if TYPE_CHECKING:
    from memos.rpc.asgi import Receive, Scope, Send


def replying(body: bytes, content_type: bytes = b"application/json") -> GzipMiddleware:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send_response(send, 200, [(b"content-type", content_type)], body)

    return GzipMiddleware(app, min_bytes=1024)


@pytest.mark.parametrize("accept", ["gzip", "br, gzip", "gzip;q=0.5", "*"])
def test_large_bodies_are_gzipped_when_the_client_accepts_it(accept: str) -> None:
    body = b"{" + b" " * 4000 + b"}"

    response = call(replying(body), "GET", "/x", headers={"accept-encoding": accept})

    assert response.header("content-encoding") == "gzip"
    assert gzip.decompress(response.body) == body


@pytest.mark.parametrize("accept", ["", "br", "gzip;q=0", "identity"])
def test_nothing_is_compressed_for_clients_that_refuse_gzip(accept: str) -> None:
    response = call(replying(b"x" * 4000), "GET", "/x", headers={"accept-encoding": accept})

    assert response.header("content-encoding") is None


def test_small_bodies_stay_uncompressed() -> None:
    response = call(replying(b"{}"), "GET", "/x", headers={"accept-encoding": "gzip"})

    assert response.body == b"{}"
    assert response.header("content-encoding") is None


def test_binary_media_such_as_images_are_not_recompressed() -> None:
    response = call(
        replying(b"\x89PNG" * 1000, b"image/png"), "GET", "/x", headers={"accept-encoding": "gzip"}
    )

    assert response.header("content-encoding") is None
