"""The REST gateway: transcodes ``google.api.http`` routes into calls of the Connect endpoints.

A plain ASGI app. Per request: match the route (:mod:`memos.rpc.http_rules`), read the body,
build the request message from the path variables, the JSON body and the query string
(:func:`memos.rpc.transcode.build_request`, which documents the mapping), call the endpoint (the
same interceptor chain as Connect, with :data:`current_transport` set to "rest"), and answer with
protobuf JSON (lowerCamelCase, every field emitted, unset message fields as ``null``, enums as
names, 64-bit integers as strings).

Strictness (``strict_fields``, on by default): unknown JSON fields and unknown query parameters
are rejected with 400 naming them, so typos never silently do nothing. Memos' gateway ignores
them (except unknown body keys on PATCH); pass ``strict_fields=False`` to do the same.

Transport-level errors use the REST error body ``{"code": <gRPC code>, "message", "details"}``:
no route -> 404 (code 5, "no route matches GET /api/v1/x"); a path known only for other verbs ->
405 (code 12, with ``Allow``); bad JSON, query or path values, or a broken gzip body -> 400
(code 3); a body whose Content-Type is not JSON or missing, or any non-GET request declaring a
content type other than JSON, or a content coding other than gzip -> 415 (code 3: a plain HTML
form on another site can never reach a service); a body over ``max_body_bytes``, before or after
inflating -> 413 (code 3: the request, not the server, is at fault, and 8/429 would invite a
retry). Errors raised by the endpoints map through :data:`memos.errors.ERROR_TABLE`; anything
unexpected becomes 500 with :data:`memos.errors.GENERIC_INTERNAL_MESSAGE` and is logged, never
sent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from connectrpc.errors import ConnectError
from connectrpc.request import Headers, RequestContext
from google.protobuf import json_format

from memos.errors import (
    ERROR_TABLE,
    GENERIC_INTERNAL_MESSAGE,
    ErrorKind,
    MemosError,
    kind_of_connect_code,
    retry_after_headers,
)
from memos.observability import get_logger
from memos.rpc.asgi import address_text, compact_json, service_response_headers
from memos.rpc.http_rules import MethodNotAllowed, RouteMatch, Router, default_router
from memos.rpc.request_body import BodyRefused, read_decoded_body
from memos.rpc.transcode import (
    RestRequestError,
    build_request,
    descriptor_of,
    is_repeated,
    require_json_content_type,
)
from memos.rpc.transport import current_transport

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from connectrpc._server_shared import EndpointUnary
    from google.protobuf.message import Message

    from memos.rpc.asgi import RawHeaders, Receive, Scope, Send
    from memos.rpc.http_rules import HttpRoute


DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024
JSON_CONTENT_TYPE = b"application/json"
# Verbs that change nothing; every other verb must not declare a content type other than JSON.
SAFE_VERBS = frozenset({"GET", "HEAD"})
HTTP_BODY_TYPE = "google.api.HttpBody"
# Characters left as they are when re-encoding an already decoded path (RFC 3986 pchar).
_PATH_SAFE = "/:@!$&'()*+,;=-._~"


def rest_error_response(
    kind: ErrorKind,
    message: str,
    *,
    http_status: int | None = None,
    headers: Iterable[tuple[str, str]] = (),
) -> tuple[int, RawHeaders, bytes]:
    """Status, headers and body of a REST error: ``{"code", "message", "details": []}``.

    The status comes from the error table unless ``http_status`` overrides it (405, 413, 415).
    401 responses carry ``WWW-Authenticate: Bearer``, 503 ones ``Retry-After``.
    """
    status = ERROR_TABLE[kind]
    body = {"code": status.grpc_code, "message": message, "details": []}
    raw: RawHeaders = [(b"content-type", JSON_CONTENT_TYPE)]
    if kind is ErrorKind.UNAUTHENTICATED:
        raw.append((b"www-authenticate", b"Bearer"))
    headers = tuple(headers)
    if not any(name.lower() == "retry-after" for name, _ in headers):
        headers = (
            *retry_after_headers(kind),
            *headers,
        )  # the table's hint, unless a service set one
    raw.extend((name.encode("latin-1"), value.encode("latin-1")) for name, value in headers)
    return http_status or status.http_status, raw, compact_json(body)


class RestGateway:
    """ASGI app serving the REST routes of the given endpoints (procedure path -> endpoint)."""

    def __init__(
        self,
        endpoints: Mapping[str, EndpointUnary[Any, Any]],
        router: Router | None = None,
        *,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        strict_fields: bool = True,
    ) -> None:
        self._endpoints = endpoints
        self._router = router or default_router()
        self._max_body_bytes = max_body_bytes
        self._strict = strict_fields

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # lifespan is the app factory's business
            return
        try:
            status, headers, body = await self._handle(scope, receive)
        except RestRequestError as exc:
            status, headers, body = rest_error_response(
                exc.kind, exc.message, http_status=exc.http_status, headers=exc.headers
            )
        except ConnectError as exc:
            status, headers, body = rest_error_response(kind_of_connect_code(exc.code), exc.message)
        except MemosError as exc:
            status, headers, body = rest_error_response(exc.kind, exc.message)
        except Exception:
            get_logger().exception(
                "unhandled error", extra={"method": scope.get("method"), "path": scope["path"]}
            )
            status, headers, body = rest_error_response(
                ErrorKind.INTERNAL, GENERIC_INTERNAL_MESSAGE
            )
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body, "more_body": False})

    async def _handle(self, scope: Scope, receive: Receive) -> tuple[int, RawHeaders, bytes]:
        verb: str = scope["method"].upper()
        route, variables = self._route(verb, _raw_path(scope), scope["path"])
        endpoint = self._endpoints[route.procedure]
        headers = Headers([(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]])
        content_type = headers.get("content-type", "")
        if verb not in SAFE_VERBS and content_type.strip():
            require_json_content_type(content_type)
        raw_body = b""
        if route.body:
            raw_body = await self._read_body(headers, receive)
        request = build_request(
            endpoint.method.input,
            route,
            variables,
            body=raw_body,
            content_type=content_type,
            query=bytes(scope.get("query_string", b"")).decode("utf-8", "replace"),
            strict=self._strict,
        )
        ctx: RequestContext[Any, Any] = RequestContext(
            method=endpoint.method,
            http_method=verb,
            request_headers=headers,
            client_address=address_text(scope.get("client")),
            server_address=address_text(scope.get("server")),
        )
        token = current_transport.set("rest")
        try:
            response = await endpoint.function(request, ctx)
        except ConnectError as exc:
            # Headers a service set before failing (a throttle's Retry-After) go out with the
            # error, as they do over Connect.
            raise RestRequestError(
                kind_of_connect_code(exc.code), exc.message, headers=service_response_headers(ctx)
            ) from None
        finally:
            current_transport.reset(token)
        status, out_headers, out_body = _render(response, route)
        out_headers.extend(
            (name.encode("latin-1"), value.encode("latin-1"))
            for name, value in service_response_headers(ctx)
        )
        return status, out_headers, out_body

    async def _read_body(self, headers: Headers, receive: Receive) -> bytes:
        """The body, its content coding removed, refused past the limit (one rule with Connect:
        see :mod:`memos.rpc.request_body`)."""
        try:
            return await read_decoded_body(
                receive,
                encoding_header=headers.get("content-encoding"),
                length_header=headers.get("content-length"),
                limit=self._max_body_bytes,
            )
        except BodyRefused as exc:
            raise RestRequestError(
                ErrorKind.INVALID_ARGUMENT, exc.message, http_status=exc.http_status
            ) from None

    def _route(self, verb: str, path: str, shown_path: str) -> tuple[HttpRoute, dict[str, str]]:
        result = self._router.match(verb, path)
        if isinstance(result, RouteMatch) and result.route.procedure in self._endpoints:
            return result.route, result.variables
        if isinstance(result, MethodNotAllowed):
            served = [r for r in result.routes if r.procedure in self._endpoints]
            if served:
                allowed = ", ".join(sorted({r.verb for r in served}))
                raise RestRequestError(
                    ErrorKind.UNIMPLEMENTED,
                    f"method {verb} not allowed for {shown_path} (allowed: {allowed})",
                    http_status=405,
                    headers=[("allow", allowed)],
                )
        raise RestRequestError(ErrorKind.NOT_FOUND, f"no route matches {verb} {shown_path}")


# --- Reading the request ----------------------------------------------------------------------


def _raw_path(scope: Scope) -> str:
    raw = scope.get("raw_path")
    if raw:
        return bytes(raw).decode("utf-8", "replace")
    return quote(scope["path"], safe=_PATH_SAFE)  # e.g. the Lambda entry: only the decoded path


# --- Writing the response ---------------------------------------------------------------------


def _render(response: Message, route: HttpRoute) -> tuple[int, RawHeaders, bytes]:
    if descriptor_of(response).full_name == HTTP_BODY_TYPE:
        content_type = getattr(response, "content_type", "") or "application/octet-stream"
        data = bytes(getattr(response, "data", b""))
        return 200, [(b"content-type", content_type.encode("latin-1"))], data
    document: Any = message_to_json_dict(response)
    if route.response_body:
        field = descriptor_of(response).fields_by_name[route.response_body]
        document = document.get(field.json_name)
    return 200, [(b"content-type", JSON_CONTENT_TYPE)], compact_json(document)


def message_to_json_dict(message: Message) -> dict[str, Any]:
    """Protobuf JSON as the REST gateway emits it: every field, unset messages as null."""
    document = json_format.MessageToDict(message, always_print_fields_with_no_presence=True)
    _add_unset_messages(message, document)
    return document


def _add_unset_messages(message: Message, document: dict[str, Any]) -> None:
    descriptor = descriptor_of(message)
    if descriptor.full_name.startswith("google.protobuf."):
        return  # well-known types have their own JSON forms
    for field in descriptor.fields:
        if field.message_type is None:
            continue
        value = getattr(message, field.name)
        if field.message_type.GetOptions().map_entry:
            value_field = field.message_type.fields_by_name["value"]
            if value_field.message_type is not None:
                for key, item in value.items():
                    _add_unset_messages(item, document[field.json_name][str(key)])
        elif is_repeated(field):
            for item, item_document in zip(value, document.get(field.json_name, []), strict=False):
                if isinstance(item_document, dict):
                    _add_unset_messages(item, item_document)
        elif message.HasField(field.name):
            nested = document.get(field.json_name)
            if isinstance(nested, dict):
                _add_unset_messages(value, nested)
        elif field.containing_oneof is None:
            document[field.json_name] = None
