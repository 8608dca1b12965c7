"""The REST gateway: transcodes ``google.api.http`` routes into calls of the Connect endpoints.

A plain ASGI app. Per request: match the route (:mod:`memos.rpc.http_rules`), build the request
message from the path variables, the JSON body and the query string, call the endpoint (the same
interceptor chain as Connect, with :data:`current_transport` set to "rest"), and answer with
protobuf JSON (lowerCamelCase, every field emitted, unset message fields as ``null``, enums as
names, 64-bit integers as strings).

Request mapping:

- Body: ``body: "*"`` fills the whole message from the JSON object, ``body: "field"`` fills that
  field; camelCase and snake_case keys are both accepted. Path variables are applied last and win.
- Query parameters name a field by proto or JSON name, nested with dots (``memo.state``).
  Repeated fields take repeated parameters (``?names=a&names=b``); commas are *not* split, since
  a comma is legal inside names and filters. The one exception is ``google.protobuf.FieldMask``,
  whose JSON form is a comma list (``update_mask=content,visibility``; camelCase paths become
  snake_case). Enums by name or number; bools as true/false/1/0; bytes as base64 (standard or
  URL-safe); Timestamp as RFC 3339; Duration as ``"1.5s"``; wrapper types as their scalar.
  Parameters naming a field bound by the path or the body are ignored.
- PATCH with ``body: "field"`` and an ``update_mask`` field left empty by the query: the mask is
  derived from the top-level keys of the JSON body, as Memos' REST gateway does, so
  ``PATCH /api/v1/memos/x {"content": "..."}`` updates just the content.

Strictness (``strict_fields``, on by default): unknown JSON fields and unknown query parameters
are rejected with 400 naming them, so typos never silently do nothing. Memos' gateway ignores
them (except unknown body keys on PATCH); pass ``strict_fields=False`` to do the same.

Transport-level errors use the REST error body ``{"code": <gRPC code>, "message", "details"}``:
no route -> 404 (code 5, "no route matches GET /api/v1/x"); a path known only for other verbs ->
405 (code 12, with ``Allow``); bad JSON, query or path values -> 400 (code 3); a body whose
Content-Type is not JSON -> 415 (code 3); a body over ``max_body_bytes`` -> 413 (code 3: the
request, not the server, is at fault, and 8/429 would invite a retry). Errors raised by the
endpoints map through :data:`memos.errors.ERROR_TABLE`; anything unexpected becomes 500 with
:data:`memos.errors.GENERIC_INTERNAL_MESSAGE` and is logged, never sent.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import parse_qsl, quote

from connectrpc.errors import ConnectError
from connectrpc.request import Headers, RequestContext
from google.protobuf import json_format
from google.protobuf.descriptor import FieldDescriptor

from memos.errors import (
    ERROR_TABLE,
    GENERIC_INTERNAL_MESSAGE,
    ErrorKind,
    MemosError,
    kind_of_connect_code,
)
from memos.observability import get_logger
from memos.rpc.http_rules import MethodNotAllowed, RouteMatch, Router, default_router
from memos.rpc.transport import current_transport

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

    from connectrpc._server_shared import EndpointUnary
    from google.protobuf.descriptor import Descriptor
    from google.protobuf.message import Message

    from memos.rpc.asgi import RawHeaders, Receive, Scope, Send
    from memos.rpc.http_rules import HttpRoute


DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024
JSON_CONTENT_TYPE = b"application/json"
HTTP_BODY_TYPE = "google.api.HttpBody"
_FIELD_MASK = "google.protobuf.FieldMask"
_TIMESTAMP = "google.protobuf.Timestamp"
_DURATION = "google.protobuf.Duration"
_WRAPPERS = frozenset(
    f"google.protobuf.{name}Value"
    for name in ("Double", "Float", "Int64", "UInt64", "Int32", "UInt32", "Bool", "String", "Bytes")
)
# Message types a query parameter or path variable may set from text.
_TEXT_MESSAGES = frozenset({_FIELD_MASK, _TIMESTAMP, _DURATION, *_WRAPPERS})
_INTEGER = re.compile(r"[-+]?[0-9]+")
_CAMEL_HUMP = re.compile(r"(?<=[a-z0-9])([A-Z])")
# Characters left as they are when re-encoding an already decoded path (RFC 3986 pchar).
_PATH_SAFE = "/:@!$&'()*+,;=-._~"


class RestRequestError(Exception):
    """A request the gateway refuses before (or instead of) calling a service."""

    def __init__(
        self,
        kind: ErrorKind,
        message: str,
        *,
        http_status: int | None = None,
        headers: Sequence[tuple[str, str]] = (),
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.http_status = http_status
        self.headers = tuple(headers)


def _invalid(message: str) -> RestRequestError:
    return RestRequestError(ErrorKind.INVALID_ARGUMENT, message)


def rest_error_response(
    kind: ErrorKind,
    message: str,
    *,
    http_status: int | None = None,
    headers: Iterable[tuple[str, str]] = (),
) -> tuple[int, RawHeaders, bytes]:
    """Status, headers and body of a REST error: ``{"code", "message", "details": []}``.

    The status comes from the error table unless ``http_status`` overrides it (405, 413, 415).
    401 responses carry ``WWW-Authenticate: Bearer``.
    """
    status = ERROR_TABLE[kind]
    body = {"code": status.grpc_code, "message": message, "details": []}
    raw: RawHeaders = [(b"content-type", JSON_CONTENT_TYPE)]
    if kind is ErrorKind.UNAUTHENTICATED:
        raw.append((b"www-authenticate", b"Bearer"))
    raw.extend((name.encode("latin-1"), value.encode("latin-1")) for name, value in headers)
    return http_status or status.http_status, raw, _dump_json(body)


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
        request = endpoint.method.input()
        headers = Headers([(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]])
        body_json = None
        if route.body:
            raw_body = await _read_body(scope, receive, self._max_body_bytes)
            body_json = _apply_body(request, route, raw_body, headers, strict=self._strict)
        query = bytes(scope.get("query_string", b"")).decode("utf-8", "replace")
        _apply_query(request, route, query, strict=self._strict)
        _derive_update_mask(request, route, body_json)
        for field_path, value in variables.items():
            _assign(
                request,
                _resolve(_descriptor_of(request), field_path),
                [value],
                f"path {field_path}",
            )
        ctx: RequestContext[Any, Any] = RequestContext(
            method=endpoint.method,
            http_method=verb,
            request_headers=headers,
            client_address=_address(scope.get("client")),
            server_address=_address(scope.get("server")),
        )
        token = current_transport.set("rest")
        try:
            response = await endpoint.function(request, ctx)
        finally:
            current_transport.reset(token)
        status, out_headers, out_body = _render(response, route)
        for name, value in ctx.response_headers().allitems():
            if name.lower() not in ("content-type", "content-length"):
                out_headers.append((name.encode("latin-1"), value.encode("latin-1")))
        return status, out_headers, out_body

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
    return quote(scope["path"], safe=_PATH_SAFE)  # e.g. Mangum: only the decoded path is known


def _address(pair: Sequence[Any] | None) -> str | None:
    if not pair:
        return None
    return f"{pair[0]}:{pair[1]}"


async def _read_body(scope: Scope, receive: Receive, limit: int) -> bytes:
    too_large = RestRequestError(
        ErrorKind.INVALID_ARGUMENT,
        f"request body too large: the limit is {limit} bytes",
        http_status=413,
    )
    for key, value in scope["headers"]:
        if key.lower() == b"content-length" and value.strip().isdigit() and int(value) > limit:
            raise too_large
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = bytes(message.get("body", b""))
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media in ("", "application/json") or (
        media.startswith("application/") and media.endswith("+json")
    )


def _apply_body(
    request: Message, route: HttpRoute, raw: bytes, headers: Headers, *, strict: bool
) -> Any:
    if not raw.strip():
        return None
    content_type = headers.get("content-type", "")
    if not _is_json(content_type):
        raise RestRequestError(
            ErrorKind.INVALID_ARGUMENT,
            f"unsupported content type {content_type!r}: send the body as application/json",
            http_status=415,
        )
    try:
        payload = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _invalid(f"invalid JSON body: {exc}") from None
    document = payload if route.body == "*" else {route.body: payload}
    if not isinstance(document, dict):
        raise _invalid("invalid JSON body: expected a JSON object")
    try:
        json_format.ParseDict(document, request, ignore_unknown_fields=not strict)
    except json_format.ParseError as exc:
        raise _invalid(f"invalid JSON body: {_short_parse_error(exc)}") from None
    return payload


def _short_parse_error(exc: Exception) -> str:
    # The library appends a list of every available field; the first sentence is the point.
    return str(exc).split(" Available Fields", 1)[0].strip().rstrip(".") + "."


# --- Query parameters and path variables ------------------------------------------------------


def _resolve(descriptor: Descriptor, name: str) -> list[FieldDescriptor]:
    """The fields along a dotted name (proto or JSON names); [] when some part is unknown."""
    fields: list[FieldDescriptor] = []
    current: Descriptor | None = descriptor
    for part in name.split("."):
        if current is None:
            return []
        field = current.fields_by_name.get(part) or current.fields_by_camelcase_name.get(part)
        if field is None:
            return []
        fields.append(field)
        message_type = field.message_type
        nested = (
            message_type is not None
            and not _is_repeated(field)
            and not message_type.full_name.startswith("google.protobuf.")
        )
        current = message_type if nested else None
    return fields


def _is_repeated(field: FieldDescriptor) -> bool:
    return bool(field.is_repeated)


def _apply_query(request: Message, route: HttpRoute, query: str, *, strict: bool) -> None:
    grouped: dict[str, list[str]] = {}
    for name, value in parse_qsl(query, keep_blank_values=True):
        grouped.setdefault(name, []).append(value)
    for name, values in grouped.items():
        fields = _resolve(_descriptor_of(request), name)
        if not fields:
            if strict:
                raise _invalid(f"unknown query parameter {name!r} for {route.method}")
            continue
        field_path = ".".join(field.name for field in fields)
        if route.binds(field_path):
            continue
        _assign(request, fields, values, f"query parameter {name!r}")


def _assign(
    message: Message, fields: Sequence[FieldDescriptor], values: list[str], what: str
) -> None:
    """Set the field at the end of ``fields`` from text values (several only when repeated)."""
    if not fields:
        raise _invalid(f"{what} names no field")
    target = message
    for field in fields[:-1]:
        target = getattr(target, field.name)
    leaf = fields[-1]
    _check_settable(leaf, values, what)
    try:
        if leaf.message_type is not None and leaf.message_type.full_name == _FIELD_MASK:
            paths = [_snake_path(p) for value in values for p in value.split(",") if p.strip()]
            getattr(target, leaf.name).paths.extend(paths)
        else:
            _store(target, leaf, [_convert(leaf, value) for value in values])
    except (ValueError, TypeError, OverflowError, binascii.Error) as exc:
        raise _invalid(f"invalid value for {what}: {exc}") from None


def _check_settable(leaf: FieldDescriptor, values: list[str], what: str) -> None:
    message_type = leaf.message_type
    if message_type is not None:
        if message_type.GetOptions().map_entry:
            raise _invalid(f"{what}: map fields cannot be set from the query string")
        if message_type.full_name not in _TEXT_MESSAGES:
            raise _invalid(f"{what} names a message; set one of its fields with a dotted name")
        if message_type.full_name == _FIELD_MASK:
            return  # a mask may come as several parameters, each a comma list
    if not _is_repeated(leaf) and len(values) > 1:
        raise _invalid(f"{what} is given {len(values)} times but is not repeated")


def _store(target: Message, leaf: FieldDescriptor, converted: list[Any]) -> None:
    if _is_repeated(leaf):
        container = getattr(target, leaf.name)
        for item in converted:
            if leaf.message_type is None:
                container.append(item)
            else:
                container.add().CopyFrom(item)
    elif leaf.message_type is None:
        setattr(target, leaf.name, converted[0])
    else:
        getattr(target, leaf.name).CopyFrom(converted[0])


def _convert(field: FieldDescriptor, text: str) -> Any:
    message_type = field.message_type
    if message_type is not None:
        message: Any = _message_class(message_type)()
        if message_type.full_name in (_TIMESTAMP, _DURATION):
            message.FromJsonString(text)
        else:  # a wrapper: its single field "value"
            message.value = _convert(message_type.fields_by_name["value"], text)
        return message
    if field.type == FieldDescriptor.TYPE_ENUM:
        return _parse_enum(field, text)
    parse = _SCALAR_PARSERS.get(field.type, _parse_int)
    return parse(text)


def _message_class(descriptor: Descriptor) -> type[Message]:
    from google.protobuf import message_factory  # noqa: PLC0415 - only for well-known types

    return message_factory.GetMessageClass(descriptor)


def _descriptor_of(message: Message) -> Descriptor:
    return cast("Descriptor", message.DESCRIPTOR)


def _parse_int(text: str) -> int:
    if not _INTEGER.fullmatch(text.strip()):
        raise ValueError(f"{text!r} is not an integer")
    return int(text)


def _parse_bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("true", "1"):
        return True
    if lowered in ("false", "0"):
        return False
    raise ValueError(f"{text!r} is not a bool (use true, false, 1 or 0)")


def _parse_enum(field: FieldDescriptor, text: str) -> int:
    enum_type = field.enum_type
    if enum_type is None:
        raise TypeError(f"{field.full_name} is not an enum")
    value = enum_type.values_by_name.get(text.strip())
    if value is not None:
        return int(value.number)
    if _INTEGER.fullmatch(text.strip()):
        return int(text)
    names = ", ".join(v.name for v in enum_type.values)
    raise ValueError(f"{text!r} is not one of {names}")


def _parse_base64(text: str) -> bytes:
    data = text.strip().encode("ascii")
    data += b"=" * (-len(data) % 4)
    altchars = b"-_" if (b"-" in data or b"_" in data) else None
    return base64.b64decode(data, altchars=altchars, validate=True)


_SCALAR_PARSERS: dict[int, Callable[[str], Any]] = {
    FieldDescriptor.TYPE_STRING: str,
    FieldDescriptor.TYPE_BOOL: _parse_bool,
    FieldDescriptor.TYPE_BYTES: _parse_base64,
    FieldDescriptor.TYPE_DOUBLE: float,
    FieldDescriptor.TYPE_FLOAT: float,
}


def _snake_path(path: str) -> str:
    return ".".join(_CAMEL_HUMP.sub(r"_\1", part).lower() for part in path.strip().split("."))


def _derive_update_mask(request: Message, route: HttpRoute, body_json: Any) -> None:
    """PATCH with ``body: "field"`` and no mask: the mask is the body's top-level keys."""
    if route.verb != "PATCH" or route.body in ("", "*") or not isinstance(body_json, dict):
        return
    descriptor = _descriptor_of(request)
    mask_field = descriptor.fields_by_name.get("update_mask")
    mask_type = mask_field.message_type if mask_field is not None else None
    if mask_type is None or mask_type.full_name != _FIELD_MASK:
        return
    mask = getattr(request, "update_mask")  # noqa: B009 - the field is only known at runtime
    if mask.paths:
        return
    body_type = descriptor.fields_by_name[route.body].message_type
    if body_type is None:
        return
    for key in body_json:
        field = body_type.fields_by_name.get(key) or body_type.fields_by_camelcase_name.get(key)
        if field is not None:
            mask.paths.append(field.name)


# --- Writing the response ---------------------------------------------------------------------


def _render(response: Message, route: HttpRoute) -> tuple[int, RawHeaders, bytes]:
    if _descriptor_of(response).full_name == HTTP_BODY_TYPE:
        content_type = getattr(response, "content_type", "") or "application/octet-stream"
        data = bytes(getattr(response, "data", b""))
        return 200, [(b"content-type", content_type.encode("latin-1"))], data
    document: Any = message_to_json_dict(response)
    if route.response_body:
        field = _descriptor_of(response).fields_by_name[route.response_body]
        document = document.get(field.json_name)
    return 200, [(b"content-type", JSON_CONTENT_TYPE)], _dump_json(document)


def message_to_json_dict(message: Message) -> dict[str, Any]:
    """Protobuf JSON as the REST gateway emits it: every field, unset messages as null."""
    document = json_format.MessageToDict(message, always_print_fields_with_no_presence=True)
    _add_unset_messages(message, document)
    return document


def _add_unset_messages(message: Message, document: dict[str, Any]) -> None:
    descriptor = _descriptor_of(message)
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
        elif _is_repeated(field):
            for item, item_document in zip(value, document.get(field.json_name, []), strict=False):
                if isinstance(item_document, dict):
                    _add_unset_messages(item, item_document)
        elif message.HasField(field.name):
            nested = document.get(field.json_name)
            if isinstance(nested, dict):
                _add_unset_messages(value, nested)
        elif field.containing_oneof is None:
            document[field.json_name] = None


def _dump_json(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
