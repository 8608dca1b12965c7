"""CORS for Connect and REST paths, from a list of allowed origins.

Only listed origins are echoed back, with credentials allowed (the web app sends cookies with
``credentials: "include"``). A ``*`` entry allows any origin without credentials and is never
echoed. Preflights are answered here, without credentials, and the request headers a Connect
client sends are listed explicitly. Error responses carry the same headers as successes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from memos.rpc.asgi import header, send_response

if TYPE_CHECKING:
    from collections.abc import Iterable

    from memos.rpc.asgi import ASGIApp, Message, RawHeaders, Receive, Scope, Send

ALLOWED_METHODS = ("GET", "POST", "PATCH", "PUT", "DELETE", "OPTIONS")
ALLOWED_HEADERS = (
    "accept",
    "accept-encoding",
    "authorization",
    "content-encoding",
    "content-type",
    "connect-accept-encoding",
    "connect-content-encoding",
    "connect-protocol-version",
    "connect-timeout-ms",
    "grpc-timeout",
    "x-grpc-web",
    "x-retry",
    "x-user-agent",
)
EXPOSED_HEADERS = (
    "content-encoding",
    "connect-content-encoding",
    "grpc-message",
    "grpc-status",
    "grpc-status-details-bin",
    "www-authenticate",
)
PREFLIGHT_MAX_AGE_SECONDS = 7200


class CORSMiddleware:
    def __init__(self, app: ASGIApp, allowed_origins: Iterable[str]) -> None:
        origins = {origin.rstrip("/") for origin in allowed_origins}
        self._app = app
        self._any_origin = "*" in origins
        self._origins = frozenset(origins - {"*"})
        self._allow_methods = ", ".join(ALLOWED_METHODS).encode()
        self._allow_headers = ", ".join(ALLOWED_HEADERS).encode()
        self._expose_headers = ", ".join(EXPOSED_HEADERS).encode()

    def _origin_headers(self, origin: str | None) -> RawHeaders:
        if origin is None:
            return []
        if origin in self._origins:
            return [
                (b"access-control-allow-origin", origin.encode("latin-1")),
                (b"access-control-allow-credentials", b"true"),
                (b"vary", b"Origin"),
            ]
        if self._any_origin:
            return [(b"access-control-allow-origin", b"*")]
        return []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        origin = header(scope, b"origin")
        if scope["method"] == "OPTIONS" and header(scope, b"access-control-request-method"):
            await self._preflight(origin, send)
            return
        extra = self._origin_headers(origin)
        if not extra:  # no Origin, or one not allowed: nothing to add
            await self._app(scope, receive, send)
            return
        extra.append((b"access-control-expose-headers", self._expose_headers))

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *extra]
            await send(message)

        await self._app(scope, receive, send_with_cors)

    async def _preflight(self, origin: str | None, send: Send) -> None:
        allowed = self._origin_headers(origin)
        if not allowed:
            await send_response(
                send,
                403,
                [(b"content-type", b"text/plain; charset=utf-8"), (b"vary", b"Origin")],
                b"origin not allowed\n",
            )
            return
        headers = [
            *allowed,
            (b"access-control-allow-methods", self._allow_methods),
            (b"access-control-allow-headers", self._allow_headers),
            (b"access-control-max-age", str(PREFLIGHT_MAX_AGE_SECONDS).encode()),
        ]
        await send_response(send, 204, headers, b"")
