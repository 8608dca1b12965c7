"""Request mapping for the REST gateway: path variables, JSON body and query -> request message.

:func:`build_request` turns one matched ``google.api.http`` route plus what the client sent into
the protobuf request message of the endpoint; :class:`RestRequestError` is what it raises for a
request it refuses (the gateway answers those with the REST error body).

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

Strictness (``strict``): unknown JSON fields and unknown query parameters are rejected with 400
naming them, so typos never silently do nothing. Memos' gateway ignores them (except unknown body
keys on PATCH); ``strict=False`` does the same.

Errors: bad JSON, query or path values -> 400 (code 3); a body whose Content-Type is not JSON, or
that has none, -> 415 (code 3).
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import parse_qsl

from google.protobuf import json_format
from google.protobuf.descriptor import FieldDescriptor

from memos.errors import ErrorKind
from memos.rpc.request_body import BodyRefused, load_json

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from google.protobuf.descriptor import Descriptor
    from google.protobuf.message import Message

    from memos.rpc.http_rules import HttpRoute

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
# No protobuf integer has more digits than this (2**64 has 20); longer text is refused before
# conversion, which Python also caps (at 4,300 digits) with a message about its own settings.
_MAX_INT_DIGITS = 20
_SHOWN_CHARS = 40
_CAMEL_HUMP = re.compile(r"(?<=[a-z0-9])([A-Z])")


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


def build_request(
    message_type: type[Message],
    route: HttpRoute,
    variables: Mapping[str, str],
    *,
    body: bytes = b"",
    content_type: str = "",
    query: str = "",
    strict: bool,
) -> Message:
    """The request message for ``route``: the JSON body, then the query, then the path variables.

    ``body`` is used only when the route takes one; ``content_type`` is the request's header.
    Raises :class:`RestRequestError` for a request that cannot be mapped.
    """
    request = message_type()
    body_json = None
    if route.body:
        body_json = _apply_body(request, route, body, content_type, strict=strict)
    _apply_query(request, route, query, strict=strict)
    _derive_update_mask(request, route, body_json)
    for field_path, value in variables.items():
        _assign(
            request,
            _resolve(descriptor_of(request), field_path),
            [value],
            f"path {field_path}",
        )
    return request


# --- The body ---------------------------------------------------------------------------------


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


def require_json_content_type(content_type: str) -> None:
    """Refuse (415) a content type other than JSON, or none, for a request that has a body.

    What a plain HTML form on another site can send (form-encoded, multipart, text/plain, or no
    type at all) never reaches a service, so a form cannot sign someone in or change data.
    """
    if _is_json(content_type):
        return
    shown = (
        f"unsupported content type {content_type!r}"
        if content_type.strip()
        else ("missing content type")
    )
    raise RestRequestError(
        ErrorKind.INVALID_ARGUMENT,
        f"{shown}: send the body as application/json",
        http_status=415,
    )


def _apply_body(
    request: Message, route: HttpRoute, raw: bytes, content_type: str, *, strict: bool
) -> Any:
    if not raw:
        return None
    require_json_content_type(content_type)
    if not raw.strip():
        return None
    try:
        payload = load_json(raw)
    except BodyRefused as exc:
        raise _invalid(exc.message) from None
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
            and not is_repeated(field)
            and not message_type.full_name.startswith("google.protobuf.")
        )
        current = message_type if nested else None
    return fields


def is_repeated(field: FieldDescriptor) -> bool:
    """Whether ``field`` is a repeated (or map) field."""
    return bool(field.is_repeated)


def _apply_query(request: Message, route: HttpRoute, query: str, *, strict: bool) -> None:
    grouped: dict[str, list[str]] = {}
    for name, value in parse_qsl(query, keep_blank_values=True):
        grouped.setdefault(name, []).append(value)
    for name, values in grouped.items():
        fields = _resolve(descriptor_of(request), name)
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
    if not is_repeated(leaf) and len(values) > 1:
        raise _invalid(f"{what} is given {len(values)} times but is not repeated")


def _store(target: Message, leaf: FieldDescriptor, converted: list[Any]) -> None:
    if is_repeated(leaf):
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


def descriptor_of(message: Message) -> Descriptor:
    """The descriptor of ``message``, typed as such."""
    return cast("Descriptor", message.DESCRIPTOR)


def _shown(text: str) -> str:
    """``text`` quoted for an error message, cut short so a huge value isn't echoed whole."""
    return repr(text) if len(text) <= _SHOWN_CHARS else repr(text[:_SHOWN_CHARS]) + "..."


def _parse_int(text: str) -> int:
    if not _INTEGER.fullmatch(text.strip()):
        raise ValueError(f"{_shown(text)} is not an integer")
    if len(text.strip().lstrip("+-").lstrip("0")) > _MAX_INT_DIGITS:
        raise ValueError(f"{_shown(text)} is out of range")
    return int(text)


def _parse_bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("true", "1"):
        return True
    if lowered in ("false", "0"):
        return False
    raise ValueError(f"{_shown(text)} is not a bool (use true, false, 1 or 0)")


def _parse_enum(field: FieldDescriptor, text: str) -> int:
    enum_type = field.enum_type
    if enum_type is None:
        raise TypeError(f"{field.full_name} is not an enum")
    value = enum_type.values_by_name.get(text.strip())
    if value is not None:
        return int(value.number)
    if _INTEGER.fullmatch(text.strip()):
        return _parse_int(text)
    names = ", ".join(v.name for v in enum_type.values)
    raise ValueError(f"{_shown(text)} is not one of {names}")


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
    descriptor = descriptor_of(request)
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
