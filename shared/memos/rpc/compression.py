"""Response compression for both transports: gzip only when the client accepts it and the
body is large enough to gain from it. Small responses are sent as they are."""

from __future__ import annotations

import gzip
from typing import TYPE_CHECKING

from memos.rpc.asgi import header

if TYPE_CHECKING:
    from memos.rpc.asgi import ASGIApp, Message, Receive, Scope, Send

_COMPRESSIBLE_PREFIXES = (
    "application/json",
    "application/proto",
    "text/",
    "application/javascript",
)


def _accepts_gzip(accept_encoding: str | None) -> bool:
    for item in (accept_encoding or "").split(","):
        coding, _, params = item.strip().partition(";")
        if coding.strip().lower() in {"gzip", "*"}:
            return params.replace(" ", "") not in {"q=0", "q=0.0", "q=0.00", "q=0.000"}
    return False


class GzipMiddleware:
    def __init__(self, app: ASGIApp, min_bytes: int) -> None:
        self._app = app
        self._min_bytes = min_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _accepts_gzip(header(scope, b"accept-encoding")):
            await self._app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []

        async def buffer_and_compress(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            chunks.append(bytes(message.get("body", b"")))
            if message.get("more_body", False):
                return
            await self._finish(send, start, b"".join(chunks))

        await self._app(scope, receive, buffer_and_compress)

    async def _finish(self, send: Send, start: Message, body: bytes) -> None:
        headers = list(start.get("headers", ()))
        names = {bytes(key).lower(): bytes(value) for key, value in headers}
        content_type = names.get(b"content-type", b"").decode("latin-1").lower()
        if (
            len(body) >= self._min_bytes
            and b"content-encoding" not in names
            and content_type.startswith(_COMPRESSIBLE_PREFIXES)
        ):
            body = gzip.compress(body, compresslevel=6)
            dropped = {b"content-length", b"content-encoding"}
            headers = [(k, v) for k, v in headers if bytes(k).lower() not in dropped]
            headers += [(b"content-encoding", b"gzip"), (b"vary", b"Accept-Encoding")]
        await send({**start, "headers": headers})
        await send({"type": "http.response.body", "body": body, "more_body": False})
