"""JSON routes under ``/api/v1`` that are not RPCs of the proto (this API's REST extensions).

A service that serves such routes exposes ``api_routes() -> Sequence[ApiRoute]``; the app
factory matches them before the REST gateway. Each route is called like an RPC over REST: the
same interceptor chain (call metadata, the call log line, error mapping, authentication: a
route is public only when its procedure is on the public list, so extensions are protected),
errors in the REST error body ``{"code", "message", "details"}``, and the request body read by
the gateway's rules (JSON only, gzip allowed, refused past the size limit).

A route names a procedure of its own (``/memos.api.v1.<Service>/<Name>``) for the log line and
the auth decision; that procedure is not reachable over Connect.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any, Final

from connectrpc.errors import ConnectError
from connectrpc.method import IdempotencyLevel, MethodInfo
from connectrpc.request import Headers, RequestContext
from msgspec import Struct

from memos.errors import GENERIC_INTERNAL_MESSAGE, ErrorKind, MemosError, kind_of_connect_code
from memos.rpc.asgi import address_text, compact_json, send_response, service_response_headers
from memos.rpc.request_body import BodyRefused, load_json, read_decoded_body
from memos.rpc.transcode import RestRequestError, require_json_content_type
from memos.rpc.transport import current_transport

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Mapping, Sequence

    from memos.rpc.asgi import RawHeaders, Receive, Scope, Send

API_PACKAGE: Final = "memos.api.v1"
_VARIABLE: Final = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
_JSON: Final = b"application/json"


class ApiRequest(Struct, frozen=True):
    """What a route handler gets: the path's variables and the parsed JSON body (None when the
    request had no body)."""

    path_params: Mapping[str, str]
    body: Any


class ApiRoute(Struct, frozen=True):
    """``verb template`` served by ``handler``, logged and authorized as ``service``/``name``.

    ``template`` is a path such as ``/api/v1/attachment-uploads/{upload_id}/finalize``; each
    ``{variable}`` matches one non-empty path segment.
    """

    verb: str
    template: str
    service: str
    name: str
    handler: Callable[[ApiRequest], Awaitable[Mapping[str, Any]]]

    @property
    def procedure(self) -> str:
        return f"/{API_PACKAGE}.{self.service}/{self.name}"

    def pattern(self) -> re.Pattern[str]:
        parts = _VARIABLE.split(self.template)
        regex = "".join(
            f"(?P<{part}>[^/]+)" if index % 2 else re.escape(part)
            for index, part in enumerate(parts)
        )
        return re.compile(regex)


class ApiRoutes:
    """The ASGI app serving the extension routes of every service it was given."""

    def __init__(
        self, routes: Sequence[ApiRoute], interceptors: Sequence[Any], max_body_bytes: int
    ) -> None:
        self._routes = [(route, route.pattern()) for route in routes]
        self._interceptors = tuple(interceptors)
        self._max_body_bytes = max_body_bytes

    def serves(self, path: str) -> bool:
        """Whether some route has this path (for any verb)."""
        return any(pattern.fullmatch(path) for _, pattern in self._routes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        verb = str(scope["method"]).upper()
        path: str = scope["path"]
        matches = [(r, m) for r, p in self._routes if (m := p.fullmatch(path)) is not None]
        chosen = next(((r, m) for r, m in matches if r.verb == verb), None)
        if chosen is None:
            allowed = ", ".join(sorted({r.verb for r, _ in matches}))
            await _send_error(
                send,
                ErrorKind.UNIMPLEMENTED,
                f"method {verb} not allowed for {path} (allowed: {allowed})",
                http_status=405,
                headers=[("allow", allowed)],
            )
            return
        route, match = chosen
        headers = Headers([(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]])
        try:
            body = await self._read_json(headers, receive)
        except BodyRefused as refused:
            await _send_error(
                send, ErrorKind.INVALID_ARGUMENT, refused.message, http_status=refused.http_status
            )
            return
        request = ApiRequest(path_params=match.groupdict(), body=body)
        await self._call(route, request, headers, scope, send)

    async def _call(
        self, route: ApiRoute, request: ApiRequest, headers: Headers, scope: Scope, send: Send
    ) -> None:
        ctx: RequestContext[Any, Any] = RequestContext(
            method=MethodInfo(
                name=route.name,
                service_name=f"{API_PACKAGE}.{route.service}",
                input=ApiRequest,
                output=dict,
                idempotency_level=IdempotencyLevel.UNKNOWN,
            ),
            http_method=route.verb,
            request_headers=headers,
            client_address=address_text(scope.get("client")),
            server_address=address_text(scope.get("server")),
        )

        async def handle(message: ApiRequest, _ctx: RequestContext[Any, Any]) -> Any:
            return await route.handler(message)

        call: Callable[[ApiRequest, RequestContext[Any, Any]], Awaitable[Any]] = handle
        for interceptor in reversed(self._interceptors):
            call = functools.partial(interceptor.intercept_unary, call)
        token = current_transport.set("rest")
        try:
            document = await call(request, ctx)
        except ConnectError as error:
            kind = kind_of_connect_code(error.code)
            await _send_error(send, kind, error.message, headers=service_response_headers(ctx))
            return
        except MemosError as error:  # raised outside the recovery interceptor
            await _send_error(
                send, error.kind, error.message, headers=service_response_headers(ctx)
            )
            return
        except Exception:
            from memos.observability import get_logger  # noqa: PLC0415 - only on failures

            get_logger().exception("unhandled error", extra={"procedure": route.procedure})
            await _send_error(send, ErrorKind.INTERNAL, GENERIC_INTERNAL_MESSAGE)
            return
        finally:
            current_transport.reset(token)
        out: RawHeaders = [(b"content-type", _JSON)]
        out.extend(
            (k.encode("latin-1"), v.encode("latin-1")) for k, v in service_response_headers(ctx)
        )
        await send_response(send, 200, out, compact_json(document))

    async def _read_json(self, headers: Headers, receive: Receive) -> Any:
        """The JSON body, or None for an empty one; refused (415) when it is not JSON."""
        content_type = headers.get("content-type", "")
        raw = await read_decoded_body(
            receive,
            encoding_header=headers.get("content-encoding"),
            length_header=headers.get("content-length"),
            limit=self._max_body_bytes,
        )
        if not raw.strip() and not content_type.strip():
            return None
        try:
            require_json_content_type(content_type)
        except RestRequestError as refused:
            raise BodyRefused(refused.message, refused.http_status or 415) from None
        if not raw.strip():
            return None
        return load_json(raw, reject_duplicate_keys=True)


def api_routes_of(services: Sequence[object]) -> list[ApiRoute]:
    """The extension routes the given services declare through ``api_routes()``."""
    routes: list[ApiRoute] = []
    for service in services:
        declared = getattr(service, "api_routes", None)
        if declared is not None:
            routes.extend(declared())
    return routes


async def _send_error(
    send: Send,
    kind: ErrorKind,
    message: str,
    *,
    http_status: int | None = None,
    headers: Sequence[tuple[str, str]] = (),
) -> None:
    from memos.rpc.rest import rest_error_response  # noqa: PLC0415 - REST's one error shape

    status, raw, body = rest_error_response(kind, message, http_status=http_status, headers=headers)
    await send_response(send, status, raw, body)
