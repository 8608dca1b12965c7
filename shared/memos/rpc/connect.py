"""The Connect side: connect-python's ASGI application for one or more services.

connect-python does the protocol work. This module adds what a public API needs on top:
binary and JSON decoding failures become ``invalid_argument`` (the library reports them as
``unknown``/500 with the parser's words), unknown procedures and wrong content types get a
Connect error body with a clear message, unexpected failures never leak their text, methods a
service has not implemented yet answer ``unimplemented`` naming the method, and responses are
never compressed here (the app factory compresses large responses for both transports).
JSON responses are written compact: the library indents them, which costs encode time and
bytes and changes nothing for a client.
Request bodies are read by :mod:`memos.rpc.request_body`, the REST gateway's rules: refused by
``Content-Length`` before reading, inflated piece by piece, 413 naming the limit either way.
"""

from __future__ import annotations

import dataclasses
import json
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from connectrpc._codec import get_codec
from connectrpc._protocol import ConnectWireError, HTTPException
from connectrpc._protocol_connect import ConnectServerProtocol, codec_name_from_content_type
from connectrpc._server_async import ConnectASGIApplication
from connectrpc._server_shared import EndpointUnary
from connectrpc.code import Code
from connectrpc.compression.gzip import GzipCompression
from connectrpc.errors import ConnectError
from connectrpc.request import Headers
from google.protobuf import json_format
from google.protobuf.json_format import ParseError
from google.protobuf.message import DecodeError

from memos.errors import GENERIC_INTERNAL_MESSAGE, UnimplementedError
from memos.rpc.asgi import header_text
from memos.rpc.request_body import (
    SUPPORTED_ENCODINGS,
    BodyRefused,
    check_declared_length,
    content_encoding,
    decode_content,
    load_json,
    read_body,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from connectrpc._codec import Codec
    from connectrpc.interceptor import Interceptor
    from connectrpc.request import RequestContext

    from memos.rpc.asgi import Receive, Scope, Send

CONNECT_PATH_PREFIX = "/memos.api.v1."
CONNECT_CONTENT_TYPES = frozenset(
    {"application/proto", "application/json", "application/json; charset=utf-8"}
)

Endpoints = dict[str, EndpointUnary[Any, Any]]

_CONNECT_PROTOCOL = ConnectServerProtocol()


def connect_error_response(
    code: Code, message: str, status: int | None = None
) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """A Connect unary error: status, headers and the ``{"code","message"}`` JSON body."""
    wire = ConnectWireError(code, message, ())
    http_status = status if status is not None else wire.to_http_status().code
    body = json.dumps({"code": code.value, "message": message}, separators=(",", ":")).encode()
    return http_status, [(b"content-type", b"application/json")], body


def _generated_asgi_class(service: object) -> Any:
    """The generated ``<Name>ASGIApplication`` for a service class that subclasses the
    generated ``<Name>`` protocol (found through the MRO, so only that service's code loads)."""
    import sys  # noqa: PLC0415

    for base in type(service).__mro__:
        module = sys.modules.get(base.__module__)
        if base.__module__.endswith("_connect") and module is not None:
            app_class = getattr(module, f"{base.__name__}ASGIApplication", None)
            if app_class is not None:
                return app_class
    raise TypeError(f"{type(service).__name__} does not subclass a generated Connect service")


def _is_generated_default(function: Any) -> bool:
    owner = getattr(function, "__func__", function)
    return str(getattr(owner, "__module__", "")).endswith("_connect")


def _unimplemented(endpoint: EndpointUnary[Any, Any]) -> EndpointUnary[Any, Any]:
    method = endpoint.method
    message = f"{method.service_name}/{method.name} is not implemented yet"

    async def not_yet(request: Any, ctx: RequestContext[Any, Any]) -> Any:
        raise UnimplementedError(message)

    return dataclasses.replace(endpoint, function=not_yet)


def service_endpoints(services: Sequence[object]) -> Endpoints:
    """Procedure path -> endpoint for every method of the given services (no interceptors)."""
    endpoints: Endpoints = {}
    for service in services:
        app = _generated_asgi_class(service)(service)
        for path, endpoint in app._endpoints(service).items():
            if not isinstance(endpoint, EndpointUnary):
                raise TypeError(f"{path}: only unary methods are served")
            use_default = _is_generated_default(endpoint.function)
            endpoints[path] = _unimplemented(endpoint) if use_default else endpoint
    return endpoints


_COMPACT_ENCODER = json.JSONEncoder(separators=(",", ":"))  # built once, not per response


class CompactJsonCodec:
    """connect-python's JSON codec without the indentation: the same protobuf JSON document
    (field names, ASCII escaping), no whitespace."""

    def name(self) -> str:
        return "json"

    def encode(self, message: Any) -> bytes:
        return _COMPACT_ENCODER.encode(json_format.MessageToDict(message)).encode()

    def decode(self, data: bytes | bytearray, message: Any) -> Any:
        json_format.Parse(bytes(data), message)
        return message


COMPACT_JSON_CODEC = CompactJsonCodec()


def _content_type(codec_name: str) -> tuple[bytes, bytes]:
    return (b"content-type", f"application/{codec_name}".encode())


_CONTENT_TYPES = {name: _content_type(name) for name in ("json", "proto")}
_VARY_ACCEPT_ENCODING = (b"vary", b"Accept-Encoding")


class _JsonObjectCodec:
    """Protobuf JSON through :func:`load_json`, so parser failures read the same as on REST;
    protobuf's own parser would also take ``[]`` as an empty message, and a request must be an
    object."""

    def __init__(self, inner: Codec[Any, Any]) -> None:
        self._inner = inner

    def name(self) -> str:
        return self._inner.name()

    def encode(self, message: Any) -> bytes:
        return self._inner.encode(message)

    def decode(self, data: bytes | bytearray, message: Any) -> Any:
        try:
            document = load_json(bytes(data), reject_duplicate_keys=True)
        except BodyRefused as exc:
            raise ConnectError(Code.INVALID_ARGUMENT, exc.message) from None
        if not isinstance(document, dict):
            raise ConnectError(Code.INVALID_ARGUMENT, "invalid JSON body: expected a JSON object")
        json_format.ParseDict(document, message)
        return message


class _RequestHeaders(Headers):
    """connect-python's header container with a direct ``get``: the inherited one goes through
    the generic mapping code and an exception for every absent header, and the protocol looks up
    half a dozen headers per call, most of them absent."""

    def get(self, key: str, default: Any = None) -> Any:
        return self._store.get(key.lower(), default)


def _request_headers(raw: Iterable[tuple[bytes, bytes]]) -> Headers:
    """The request's headers as connect-python reads them (names lower-cased, repeated names
    kept), without ``Accept-Encoding``: responses are compressed by the app's gzip layer only
    when large enough, and the library would gzip even a two-byte reply. Bytes that are not
    UTF-8 are read as Latin-1, as the REST gateway reads every header, so such a value (a legacy
    client's User-Agent, say) is carried rather than failing the call (the library decodes
    strictly)."""
    headers = _RequestHeaders()
    for key, value in raw:
        name, text = header_text(key, value)
        if name != "accept-encoding":
            headers.add(name, text)
    return headers


class MemosConnectApp(ConnectASGIApplication[None]):
    """One Connect ASGI app for any set of services, sharing one interceptor chain."""

    def __init__(
        self,
        services: Sequence[object],
        *,
        interceptors: Iterable[Interceptor],
        read_max_bytes: int,
    ) -> None:
        raw = service_endpoints(services)
        # Requests may arrive gzip-compressed; responses are compressed outside (see module doc).
        super().__init__(
            service=None,
            endpoints=lambda _service: raw,
            interceptors=tuple(interceptors),
            read_max_bytes=read_max_bytes,
            compressions=(GzipCompression(),),
        )
        self._resolved_endpoints = self._resolve_endpoints(None)
        self._max_request_bytes = read_max_bytes

    @property
    def path(self) -> str:
        return ""

    @property
    def endpoints(self) -> Mapping[str, EndpointUnary[Any, Any]]:
        """Procedure path -> endpoint with the interceptor chain applied (shared with REST)."""
        assert self._resolved_endpoints is not None
        return self._resolved_endpoints  # type: ignore[return-value]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """A unary Connect POST to a known procedure (all that :class:`memos.rpc.app.MemosApp`
        passes on) is taken straight to the exchange, as the library would after checking what
        the app has checked already; anything else goes the library's general way."""
        endpoint = self.endpoints.get(scope["path"]) if scope["type"] == "http" else None
        if endpoint is None or scope["method"] != "POST":
            headers = _request_headers(scope.get("headers", ()))
            scope = {
                **scope,
                "headers": [(key.encode(), value.encode()) for key, value in headers.allitems()],
            }
            await super().__call__(scope, receive, send)
            return
        ctx: RequestContext[Any, Any] | None = None
        try:
            headers = _request_headers(scope.get("headers", ()))
            client = scope.get("client")
            ctx = _CONNECT_PROTOCOL.create_request_context(
                endpoint.method,
                "POST",
                scope.get("scheme", "http"),
                headers,
                f"{client[0]}:{client[1]}" if client else None,
            )
            content_type = headers.get("content-type", "")
            codec = get_codec(codec_name_from_content_type(content_type, stream=False).lower())
            if codec is None:
                accept = [("Accept-Post", "application/json, application/proto")]
                raise HTTPException(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, accept)
            await self._handle_unary_connect(
                "POST", headers, codec, {}, endpoint, receive, send, ctx
            )
        except Exception as exc:
            await self._handle_error(exc, ctx, send)

    async def _handle_unary_connect(  # noqa: PLR0917 - the library's signature
        self,
        http_method: str,
        headers: Headers,
        codec: Codec[Any, Any],
        query_params: dict[str, list[str]],
        endpoint: EndpointUnary[Any, Any],
        receive: Receive,
        send: Send,
        ctx: RequestContext[Any, Any],
    ) -> None:
        # The library's unary exchange, except that responses are not compressed at this layer,
        # so no ``Content-Encoding: identity`` label is written, and JSON goes through the
        # compact codec.
        if codec.name() == "json":
            codec = COMPACT_JSON_CODEC
        if http_method == "GET":
            request = await self._read_get_request(endpoint, codec, query_params)
        else:
            request = await self._read_post_request(endpoint, receive, codec, headers)
        body = codec.encode(await endpoint.function(request, ctx))
        response_headers = [
            _CONTENT_TYPES.get(codec.name()) or _content_type(codec.name()),
            _VARY_ACCEPT_ENCODING,
        ]
        response_headers.extend(
            (key.encode(), value.encode()) for key, value in ctx.response_headers().allitems()
        )
        response_headers.extend(
            (f"trailer-{key}".encode(), value.encode())
            for key, value in ctx.response_trailers().allitems()
        )
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": response_headers,
                "trailers": False,
            }
        )
        await send({"type": "http.response.body", "body": body, "more_body": False})

    async def _read_post_request(
        self,
        endpoint: Any,
        receive: Receive,
        codec: Codec[Any, Any],
        headers: Headers,
    ) -> Any:
        # Replaces the library's reading, which takes the whole body, inflates it without a
        # bound and only then compares it with the limit (see memos.rpc.request_body).
        encoding = content_encoding(headers.get("content-encoding"))
        if encoding not in SUPPORTED_ENCODINGS:
            raise ConnectError(
                Code.UNIMPLEMENTED,
                f"unknown compression {encoding!r}: supported encodings are gzip",
            )
        check_declared_length(headers.get("content-length"), self._max_request_bytes)
        body = await read_body(receive, self._max_request_bytes)
        data = decode_content(body, encoding, self._max_request_bytes)
        if codec.name() == "json":
            codec = _JsonObjectCodec(codec)
        try:
            return codec.decode(data, endpoint.method.input())
        except ParseError as exc:
            detail = str(exc).splitlines()[0] if str(exc) else "malformed"
            raise ConnectError(Code.INVALID_ARGUMENT, f"invalid JSON body: {detail}") from None
        except (DecodeError, UnicodeDecodeError, ValueError, RecursionError) as exc:
            kind = "JSON" if codec.name() == "json" else "protobuf"
            raise ConnectError(
                Code.INVALID_ARGUMENT, f"invalid {kind} body: could not decode message"
            ) from exc

    async def _handle_error(
        self, exc: Exception, ctx: RequestContext[Any, Any] | None, send: Send
    ) -> None:
        status: int | None
        if isinstance(exc, BodyRefused):
            error, status = ConnectError(Code.INVALID_ARGUMENT, exc.message), exc.http_status
        elif isinstance(exc, HTTPException):
            if exc.status == HTTPStatus.NOT_FOUND:
                error = ConnectError(Code.UNIMPLEMENTED, "unknown procedure")
                status = 404
            else:
                error = ConnectError(Code.INVALID_ARGUMENT, exc.status.phrase.lower())
                status = exc.status.value
        elif isinstance(exc, ConnectError):
            error, status = exc, None
        else:
            from memos.observability import get_logger  # noqa: PLC0415

            get_logger().exception("connect request failed")
            error, status = ConnectError(Code.INTERNAL, GENERIC_INTERNAL_MESSAGE), None
        http_status, headers, body = connect_error_response(error.code, error.message, status)
        if ctx is not None:
            headers.extend(
                (key.encode(), value.encode()) for key, value in ctx.response_headers().allitems()
            )
        await send(
            {
                "type": "http.response.start",
                "status": http_status,
                "headers": headers,
                "trailers": False,
            }
        )
        await send({"type": "http.response.body", "body": body, "more_body": False})
