"""Calls an ASGI app in process, synchronously, the way a test wants to."""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING, Any

from msgspec import Struct

if TYPE_CHECKING:
    from collections.abc import Mapping

    from memos.rpc.asgi import ASGIApp, Message


class Response(Struct):
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


def call(
    app: ASGIApp,
    method: str,
    path: str,
    *,
    body: bytes = b"",
    headers: Mapping[str, str] | None = None,
    query: str = "",
    client: tuple[str, int] = ("203.0.113.9", 50000),
) -> Response:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()],
        "client": client,
        "server": ("testserver", 80),
    }
    sent: list[Message] = []
    delivered = False

    async def receive() -> Message:
        nonlocal delivered
        if delivered:
            return {"type": "http.disconnect"}
        delivered = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    async def run() -> None:
        await app(scope, receive, send)

    asyncio.run(run())
    start = next(m for m in sent if m["type"] == "http.response.start")
    response_headers: dict[str, str] = {}
    for key, value in start.get("headers", ()):
        name = bytes(key).decode().lower()
        text = bytes(value).decode("latin-1")
        response_headers[name] = (
            f"{response_headers[name]}, {text}" if name in response_headers else text
        )
    payload = b"".join(bytes(m.get("body", b"")) for m in sent if m["type"] == "http.response.body")
    return Response(start["status"], response_headers, payload)
