"""The app factory: one ASGI app for one service (a Lambda) or for all of them (local server).

Request path: CORS -> gzip for large responses -> dispatch by path:
``POST /memos.api.v1.<Service>/<Method>`` to Connect, ``/api/v1/openapi.json`` and
``/api/docs`` to the API documents, the extension routes the services declare
(:mod:`memos.rpc.api_routes`), other ``/api/v1/...`` paths to the REST gateway, and
``/file/...`` to the file routes the services declare. Both
protocols call the same endpoints, so the same interceptors and service objects serve them.
The REST gateway and the documents are built on their first request, keeping their imports off
the Connect path's cold start.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from connectrpc.code import Code

from memos.auth.authorizer_context import identity_from_event
from memos.auth.identity import NoTokensVerifier
from memos.config import get_settings
from memos.errors import ErrorKind
from memos.rpc.asgi import header, send_response
from memos.rpc.call import RequestFacts, request_scope
from memos.rpc.compression import GzipMiddleware
from memos.rpc.connect import (
    CONNECT_CONTENT_TYPES,
    CONNECT_PATH_PREFIX,
    MemosConnectApp,
    connect_error_response,
)
from memos.rpc.cors import CORSMiddleware
from memos.rpc.interceptors import default_interceptors

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from memos.auth.identity import TokenVerifier
    from memos.config import Settings
    from memos.rpc.api_routes import ApiRoutes
    from memos.rpc.asgi import ASGIApp, Receive, Scope, Send

REST_PREFIX = "/api/v1/"
DOCS_PATHS = ("/api/v1/openapi.json", "/api/docs")


def _request_facts(scope: Scope) -> RequestFacts:
    context = scope.get("aws.context")
    request_id = getattr(context, "aws_request_id", None) or uuid.uuid4().hex
    forwarded_proto = (header(scope, b"x-forwarded-proto") or "").split(",")[0].strip()
    scheme = forwarded_proto or scope.get("scheme", "http")
    client = scope.get("client")
    return RequestFacts(
        request_id=request_id,
        secure=scheme == "https",
        peer_ip=str(client[0]) if client else "",
        authorized=identity_from_event(scope.get("aws.event")),
    )


class MemosApp:
    """Routes a request to Connect, REST or the API documents."""

    def __init__(
        self,
        connect: MemosConnectApp,
        max_request_bytes: int,
        file_routes: Mapping[str, ASGIApp] | None = None,
        api_routes: ApiRoutes | None = None,
    ) -> None:
        self._connect = connect
        self._api_routes = api_routes
        self._max_request_bytes = max_request_bytes
        # Longest prefix first, so "/file/users/" can't be shadowed by a shorter one.
        self._file_routes = sorted((file_routes or {}).items(), key=lambda kv: -len(kv[0]))
        self._rest: ASGIApp | None = None
        self._docs: ASGIApp | None = None

    @property
    def connect(self) -> MemosConnectApp:
        return self._connect

    def rest(self) -> ASGIApp:
        if self._rest is None:
            from memos.rpc.rest import RestGateway  # noqa: PLC0415 - built on first REST call

            self._rest = RestGateway(
                self._connect.endpoints, max_body_bytes=self._max_request_bytes
            )
        return self._rest

    def docs(self) -> ASGIApp:
        if self._docs is None:
            from memos.rpc.docs import DocsApp  # noqa: PLC0415 - built on first docs request

            self._docs = DocsApp()
        return self._docs

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        path: str = scope["path"]
        with request_scope(_request_facts(scope)):
            if path.startswith(CONNECT_PATH_PREFIX):
                await self._serve_connect(scope, receive, send)
            elif path.startswith(DOCS_PATHS):
                await self.docs()(scope, receive, send)
            elif self._api_routes is not None and self._api_routes.serves(path):
                await self._api_routes(scope, receive, send)
            elif path.startswith(REST_PREFIX):
                await self.rest()(scope, receive, send)
            else:
                await self._serve_file(scope, receive, send)

    async def _serve_file(self, scope: Scope, receive: Receive, send: Send) -> None:
        for prefix, handler in self._file_routes:
            if scope["path"].startswith(prefix):
                await handler(scope, receive, send)
                return
        await _no_route(scope, send)

    async def _serve_connect(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope["path"]
        if scope["method"] != "POST":
            status, headers, body = connect_error_response(
                Code.UNIMPLEMENTED, f"method {scope['method']} not allowed: use POST", 405
            )
            await send_response(send, status, [*headers, (b"allow", b"POST")], body)
            return
        if path not in self._connect.endpoints:
            status, headers, body = connect_error_response(
                Code.UNIMPLEMENTED, f"unknown procedure: {path}", 404
            )
            await send_response(send, status, headers, body)
            return
        content_type = (header(scope, b"content-type") or "").strip().lower()
        if content_type not in CONNECT_CONTENT_TYPES:
            status, headers, body = connect_error_response(
                Code.INVALID_ARGUMENT,
                f"unsupported content type {content_type or '(none)'!r}: "
                "use application/proto or application/json",
                415,
            )
            accept = (b"accept-post", b"application/proto, application/json")
            await send_response(send, status, [*headers, accept], body)
            return
        await self._connect(scope, receive, send)


async def _no_route(scope: Scope, send: Send) -> None:
    from memos.rpc.rest import rest_error_response  # noqa: PLC0415 - only for stray paths

    message = f"no route matches {scope['method']} {scope['path']}"
    status, headers, body = rest_error_response(ErrorKind.NOT_FOUND, message)
    await send_response(send, status, headers, body)


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


def _api_routes(
    services: Sequence[object], interceptors: Sequence[Any], max_body_bytes: int
) -> ApiRoutes | None:
    """The services' extension routes, or None (and no import) when none declares any."""
    if not any(hasattr(service, "api_routes") for service in services):
        return None
    from memos.rpc.api_routes import ApiRoutes, api_routes_of  # noqa: PLC0415

    return ApiRoutes(api_routes_of(services), interceptors, max_body_bytes)


def create_service_app(
    *services: object,
    settings: Settings | None = None,
    verifier: TokenVerifier | None = None,
    cors_origins: Sequence[str] | None = None,
) -> ASGIApp:
    """The ASGI app serving the given service objects over Connect and REST.

    A service that also serves plain HTTP files (``/file/...``, e.g. avatars) exposes them as
    ``file_routes() -> Mapping[path prefix, ASGI app]``; one with JSON routes of its own under
    ``/api/v1`` exposes ``api_routes() -> Sequence[ApiRoute]`` (:mod:`memos.rpc.api_routes`).
    """
    settings = settings or get_settings()
    file_routes: dict[str, ASGIApp] = {}
    for service in services:
        routes = getattr(service, "file_routes", None)
        if routes is not None:
            file_routes.update(routes())
    interceptors = default_interceptors(verifier or NoTokensVerifier())
    connect = MemosConnectApp(
        services, interceptors=interceptors, read_max_bytes=settings.max_request_bytes
    )
    app: Any = MemosApp(
        connect,
        settings.max_request_bytes,
        file_routes,
        _api_routes(services, interceptors, settings.max_request_bytes),
    )
    app = GzipMiddleware(app, settings.compress_min_bytes)
    origins = settings.cors_origins if cors_origins is None else tuple(cors_origins)
    return CORSMiddleware(app, origins)
